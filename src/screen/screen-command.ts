/**
 * `threatbrief screen <file>`: screens every name of a CSV file (the first column; a header row
 * "name" is skipped) against the sanctions lists in the store and writes one verdict row per
 * name, in the order read, with a progress bar on standard error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createKnowledgeView } from '../access/knowledge-view.js';
import { splitCsv } from '../base/csv.js';
import { type CliIo, unreadable } from '../base/io.js';
import { parseTlp } from '../base/tlp.js';
import { FactStore } from '../store/fact-store.js';
import { openDatabase } from '../store/open.js';
import { delistedVerdict } from './bands.js';
import { listedNames } from './listed-names.js';
import { Screener, type ScreeningResult } from './screener.js';

export const SCREEN_USAGE = 'usage: threatbrief screen [--out FILE] [--clearance CLEAR|GREEN|AMBER|RED] <names.csv>';

const HEADER = ['name', 'outcome', 'listed_name', 'entry', 'type', 'list', 'edition', 'score', 'matched_name', 'transliterated', 'basis'];
/** Names a batch takes at most: a bigger file is a mistake or an attack, not a screening run. */
const MAX_NAMES = 1_000_000;
/** Longest name screened; longer cells are reported, not screened. */
const MAX_NAME = 300;
const BAR_WIDTH = 30;

function cell(v: string | number | undefined): string {
  const t = v === undefined ? '' : String(v);
  // Quoted always; a leading =, +, - or @ is neutralised so a spreadsheet does not run it as a formula.
  return `"${(/^[=+\-@]/.test(t) ? `'${t}` : t).replace(/"/g, '""')}"`;
}

/** The names of the file: the first column of each row, a header row "name" aside. */
export function namesOf(text: string): { names: string[]; problem?: string } {
  const split = splitCsv(text.replace(/^\uFEFF/, ''));
  if (split.problem) return { names: [], problem: `line ${split.problem.line}: ${split.problem.message}` };
  const names = split.rows.map((r) => (r.fields[0] ?? '').trim());
  if (/^name$/i.test(names[0] ?? '')) names.shift();
  return { names: names.filter(Boolean) };
}

function row(r: ScreeningResult, lists: Map<string, { list: string; edition: string; entry?: string }>): string {
  const b = r.best;
  const entry = b ? lists.get(b.entityId) : undefined;
  return [
    r.typed,
    r.outcome,
    r.outcome === 'no-record' ? undefined : b?.listedName,
    r.outcome === 'no-record' ? undefined : entry?.entry,
    r.outcome === 'no-record' ? undefined : b?.type,
    entry?.list,
    entry?.edition,
    b ? b.score.toFixed(3) : undefined,
    b?.alias && r.outcome !== 'no-record' ? b.matchedName : undefined,
    r.romanized.transliterated ? r.romanized.text : undefined,
    r.basis,
  ]
    .map(cell)
    .join(',');
}

export function screenCommand(databasePath: string, args: string[], io: CliIo): number {
  let values: { out?: string | undefined; clearance?: string | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { out: { type: 'string' }, clearance: { type: 'string', default: 'CLEAR' } },
      allowPositionals: true,
    }));
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${SCREEN_USAGE}`);
    return 2;
  }
  const clearance = parseTlp(values.clearance ?? 'CLEAR');
  if (positionals.length !== 1 || !clearance) {
    io.err(SCREEN_USAGE);
    return 2;
  }
  const file = positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`${file}: cannot read the file: ${unreadable(err)}`);
    return 1;
  }
  const { names, problem } = namesOf(text);
  if (problem) {
    io.err(`${file}: ${problem}; nothing was screened.`);
    return 1;
  }
  if (names.length > MAX_NAMES) {
    io.err(`${file}: ${names.length} names, more than the ${MAX_NAMES} a batch takes; split the file.`);
    return 1;
  }
  const store = new FactStore(openDatabase(databasePath));
  try {
    const view = createKnowledgeView(store, clearance);
    if (view.loadedLists().length === 0) {
      io.err('No sanctions list is loaded: import one first (threatbrief import sdn.csv alt.csv add.csv); nothing was screened.');
      return 1;
    }
    const screener = new Screener(listedNames(view));
    const lists = new Map<string, { list: string; edition: string; entry?: string }>();
    const lines = [HEADER.join(',')];
    const counts = { listed: 0, review: 0, 'no-record': 0, 'too long': 0 };
    const t0 = Date.now();
    let shown = -1;
    for (const [i, name] of names.entries()) {
      if (name.length > MAX_NAME) {
        counts['too long']++;
        lines.push(
          [name.slice(0, MAX_NAME), 'not screened', '', '', '', '', '', '', '', '', `longer than ${MAX_NAME} characters`]
            .map(cell)
            .join(','),
        );
        continue;
      }
      const screened = screener.screen(name);
      const entry = screened.best ? view.sanctionsOf(screened.best.entityId).find((x) => x.list) : undefined;
      const r = entry ? { ...screened, ...delistedVerdict(screened.outcome, screened.basis, entry) } : screened;
      counts[r.outcome]++;
      if (r.best && entry?.list && !lists.has(r.best.entityId))
        lists.set(r.best.entityId, {
          list: entry.list.name,
          edition: entry.list.edition,
          ...(entry.list.entry ? { entry: entry.list.entry } : {}),
        });
      lines.push(row(r, lists));
      const done = Math.floor(((i + 1) / names.length) * BAR_WIDTH);
      if (done !== shown) {
        shown = done;
        io.progress?.(`[${'#'.repeat(done)}${' '.repeat(BAR_WIDTH - done)}] ${i + 1}/${names.length}`);
      }
    }
    const output = `${lines.join('\n')}\n`;
    if (values.out) writeFileSync(values.out, output);
    else io.out(output.trimEnd());
    io.err(
      `Screened ${names.length} names in ${((Date.now() - t0) / 1000).toFixed(1)} s against ${view
        .loadedLists()
        .map((l) => `${l.name} (${l.edition})`)
        .join(
          ', ',
        )}: ${counts.listed} listed, ${counts.review} to review, ${counts['no-record']} no record${counts['too long'] ? `, ${counts['too long']} too long` : ''}.`,
    );
    return 0;
  } finally {
    store.db.close();
  }
}
