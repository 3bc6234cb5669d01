import { parseArgs } from 'node:util';
import { auditCli } from '../access/admin-cli.js';
import { formatDate } from '../base/format.js';
import type { CliIo } from '../base/io.js';
import { syncKnowledge } from '../knowledge/sync.js';
import { FactStore } from '../store/fact-store.js';
import { openDatabase } from '../store/open.js';
import { openSharedState } from '../store/shared/open.js';
import { readFeed } from './read.js';
import { FEED_FORMATS, type FeedFormat, formatImportProblem } from './types.js';
import { ImportRefused, type ImportSummary, writeImport } from './write.js';

export interface ImportCommandOptions {
  databasePath: string;
  /** DATABASE_URL: the shared PostgreSQL state (the audit trail) when set. */
  databaseUrl?: string;
  knowledgeDir: string;
  now?: () => Date;
}

export const IMPORT_USAGE =
  'usage: threatbrief import [--format stix|cisa-kev|ofac-sdn|ofac-alt|ofac-add|mstic|misp-galaxy] [--edition YYYY-MM-DD] [--publisher NAME] <file or folder>…\n' +
  '       threatbrief import --list';

/** `threatbrief import`: reads and checks the file, then applies it in one transaction and says what changed. */
export async function importCommand(opts: ImportCommandOptions, args: string[], io: CliIo): Promise<number> {
  let values: { format?: string | undefined; edition?: string | undefined; publisher?: string | undefined; list?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { format: { type: 'string' }, edition: { type: 'string' }, publisher: { type: 'string' }, list: { type: 'boolean' } },
      allowPositionals: true,
    }));
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${IMPORT_USAGE}`);
    return 2;
  }
  if (values.list) return listImports(opts, io);
  if (positionals.length === 0) {
    io.err(IMPORT_USAGE);
    return 2;
  }
  if (values.format !== undefined && !(FEED_FORMATS as readonly string[]).includes(values.format)) {
    io.err(`--format must be one of ${FEED_FORMATS.join(', ')}, not "${values.format}"`);
    return 2;
  }

  const parsed = readFeed(positionals, {
    ...(values.format ? { format: values.format as FeedFormat } : {}),
    ...(values.edition ? { edition: values.edition } : {}),
    ...(values.publisher ? { publisher: values.publisher } : {}),
  });
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, 50);
    for (const p of shown) io.err(formatImportProblem(p));
    if (parsed.problems.length > shown.length) io.err(`… and ${parsed.problems.length - shown.length} more`);
    io.err(`${parsed.problems.length} problem(s) found; nothing was imported.`);
    return 1;
  }

  const now = opts.now ?? (() => new Date());
  const store = new FactStore(openDatabase(opts.databasePath));
  try {
    // Curated knowledge first, so that records about curated entities attach to them.
    const sync = await syncKnowledge(store, opts.knowledgeDir, now);
    if (sync.status === 'failed')
      io.err(
        `warning: the knowledge files have ${sync.problems.length} problem(s) (run "threatbrief check"); importing beside the last good knowledge`,
      );
    const summary = writeImport(store, parsed.feed, now());
    for (const line of describeImport(summary)) io.out(line);
    const state = await openSharedState(store, opts.databaseUrl);
    try {
      await auditCli(state, 'import', parsed.feed.file, { format: parsed.feed.format, result: describeImport(summary)[1]?.trim() });
    } finally {
      await state.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof ImportRefused) {
      io.err(`${parsed.feed.file}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    store.db.close();
  }
}

function listImports(opts: ImportCommandOptions, io: CliIo): number {
  const store = new FactStore(openDatabase(opts.databasePath));
  try {
    const imports = store.imports();
    if (imports.length === 0) io.out('No imports yet. Import a feed with "threatbrief import <file>".');
    for (const i of imports) {
      const c = i.counts;
      io.out(
        `${i.id}  ${i.format}  ${i.file}  ${i.publisher}${i.edition ? `, edition ${i.edition}` : ''}  imported ${i.importedAt}  ` +
          `added ${c.added ?? 0}, updated ${c.updated ?? 0}, removed ${c.removed ?? 0}, skipped ${c.skipped ?? 0}${i.status === 'current' ? '' : `  (${i.status})`}`,
      );
    }
    return 0;
  } finally {
    store.db.close();
  }
}

function some(labels: readonly string[], max = 5): string {
  const shown = labels.slice(0, max).join('; ');
  return labels.length > max ? `${shown}; and ${labels.length - max} more` : shown;
}

/** The lines `threatbrief import` prints: what was added, updated, removed and skipped. */
export function describeImport(s: ImportSummary): string[] {
  const edition = s.edition ? `, edition ${formatDate(s.edition)}` : '';
  const lines: string[] = [];
  if (!s.importId && s.unchanged === 0 && s.skipped.length > 0) {
    lines.push(`Nothing imported: none of the ${s.skipped.length} record(s) of ${s.file} (${s.format}) applies to what the store holds.`);
  } else if (!s.importId) {
    lines.push(
      `Nothing changed: ${s.file} (${s.format}) holds nothing new — ${s.unchanged} record(s) already imported in this version${s.skipped.length ? `, ${s.skipped.length} skipped` : ''}.`,
    );
  } else {
    lines.push(`Imported ${s.file} (${s.format}): ${s.title} — ${s.publisher}${edition}. Import id ${s.importId}.`);
    lines.push(
      `  added ${s.added.length}, updated ${s.updated.length}, unchanged ${s.unchanged}, removed ${s.removed.length}, skipped ${s.skipped.length}`,
    );
    lines.push(
      `  wrote ${s.entitiesCreated} new entities, ${s.aliases} aliases, ${s.claims} statements, ${s.listEntries} list entries, ${s.advisoriesAdded} advisories; ` +
        `added to ${s.entitiesEnriched} entities already known`,
    );
    for (const r of s.replaced)
      lines.push(`  replaced the previous edition${r.edition ? ` (${formatDate(r.edition)})` : ''}, import ${r.importId}`);
    if (s.added.length) lines.push(`  added: ${some(s.added)}`);
    if (s.updated.length) lines.push(`  updated: ${some(s.updated)}`);
    if (s.removed.length) lines.push(`  removed: ${some(s.removed)}`);
  }
  if (s.skipped.length) {
    const reasons = new Map<string, number>();
    for (const k of s.skipped) reasons.set(k.reason, (reasons.get(k.reason) ?? 0) + 1);
    lines.push(
      `  skipped: ${some(
        [...reasons].map(([reason, n]) => `${n} × ${reason}`),
        8,
      )}`,
    );
  }
  for (const n of s.notes) lines.push(`  note: ${n}`);
  return lines;
}
