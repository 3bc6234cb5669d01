/**
 * Applies a parsed feed to the store in one transaction: either all of it is visible afterwards
 * or none of it is. Every row it writes has origin `import:<import id>` (so a knowledge reload
 * leaves it alone), cites the import's source row, and carries its record key (so a newer
 * version of the record replaces exactly what the older one wrote). Curated rows are never
 * changed: a record about a curated entity adds aliases, relations and advisories beside it.
 *
 * The steps, each in its own module: plan what changes (write-plan.ts), place every record's
 * entity (write-entities.ts), write what each record says (write-records.ts).
 */
import type { FactStore } from '../store/fact-store.js';
import type { ParsedFeed } from './types.js';
import { deleteRecordRows, prepareStatements, type Tallies, type WriteContext } from './write-context.js';
import { placeEntities } from './write-entities.js';
import { DELISTED, type ImportPlan, planImport } from './write-plan.js';
import { type NamesAdded, writeRecord } from './write-records.js';

export { ImportRefused } from './write-plan.js';

export interface ImportSummary extends Tallies {
  /** Undefined when the import changed nothing (every record already imported in this version). */
  importId?: string;
  format: string;
  file: string;
  publisher: string;
  title: string;
  edition?: string;
  /** Labels of records that were new, changed, already imported as they are, and withdrawn or delisted. */
  added: string[];
  updated: string[];
  unchanged: number;
  removed: string[];
  /** Earlier imports of the same list that this one replaced. */
  replaced: { importId: string; edition?: string }[];
  notes: string[];
}

function importIdFor(feed: ParsedFeed, now: Date): string {
  return `${feed.format}-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${feed.sha256.slice(0, 8)}`;
}

function emptySummary(feed: ParsedFeed): ImportSummary {
  return {
    format: feed.format,
    file: feed.file,
    publisher: feed.publisher,
    title: feed.title,
    ...(feed.edition ? { edition: feed.edition } : {}),
    added: [],
    updated: [],
    unchanged: 0,
    removed: [],
    skipped: [...feed.skipped],
    entitiesCreated: 0,
    entitiesEnriched: 0,
    aliases: 0,
    claims: 0,
    listEntries: 0,
    advisoriesAdded: 0,
    replaced: [],
    notes: [...(feed.notes ?? [])],
  };
}

/** Which records were added, updated and unchanged (those that could not be placed aside), and what was removed. */
function tally(summary: ImportSummary, feed: ParsedFeed, plan: ImportPlan, skippedKeys: ReadonlySet<string>): void {
  summary.added = [];
  summary.updated = [];
  summary.unchanged = 0;
  for (const r of feed.records) {
    const st = plan.status.get(r.key);
    if (skippedKeys.has(r.key)) continue;
    if (st === 'added') summary.added.push(r.label);
    else if (st === 'updated') summary.updated.push(r.label);
    else summary.unchanged++;
  }
  summary.removed = [...plan.removed];
}

function freeImportId(store: FactStore, feed: ParsedFeed, now: Date): string {
  const exists = store.db.prepare('SELECT 1 FROM imports WHERE id = ?');
  let importId = importIdFor(feed, now);
  for (let n = 2; exists.get(importId); n++) importId = `${importIdFor(feed, now)}-${n}`;
  return importId;
}

/** The date a newer edition delists what it left out: its edition, else today. */
function delistedOn(ctx: WriteContext): string {
  return ctx.feed.edition ?? ctx.now.toISOString().slice(0, 10);
}

/** Delisted entries are carried over to this import, marked with the edition that left them out. */
function carryOverDelisted(ctx: WriteContext): void {
  const db = ctx.store.db;
  const { absent, previousList, previousImports } = ctx.plan;
  for (const key of absent) {
    const prev = previousList.get(key)!;
    db.prepare("UPDATE sanctions SET status = 'delisted', delisted_on = COALESCE(delisted_on, ?), origin = ? WHERE record = ?").run(
      delistedOn(ctx),
      ctx.origin,
      key,
    );
    for (const table of ['aliases', 'claims']) db.prepare(`UPDATE ${table} SET origin = ? WHERE record = ?`).run(ctx.origin, key);
    if (prev.created && prev.entityId) db.prepare('UPDATE entities SET origin = ? WHERE id = ?').run(ctx.origin, prev.entityId);
    if (prev.entityId) ctx.affected.add(prev.entityId);
  }
  // Their statements keep citing the edition that listed them.
  if (absent.length > 0)
    for (const p of previousImports) db.prepare('UPDATE sources SET origin = ? WHERE origin = ?').run(ctx.origin, `import:${p.id}`);
}

/** The delisted entries' records, under this import, so that the next edition still knows them. */
function recordDelisted(ctx: WriteContext): void {
  for (const key of ctx.plan.absent) {
    const prev = ctx.plan.previousList.get(key)!;
    const version = prev.version.startsWith(DELISTED) ? prev.version : `${DELISTED}${delistedOn(ctx)}`;
    ctx.q.upsertRecord.run(key, ctx.importId, version, prev.entityId ?? null, prev.created ? 1 : 0);
  }
}

/** A newer edition of a list: everything the older one wrote goes first. */
function replacePreviousEditions(ctx: WriteContext, summary: ImportSummary): void {
  const db = ctx.store.db;
  for (const p of ctx.plan.previousImports) {
    const old = `import:${p.id}`;
    for (const id of db.prepare('SELECT id FROM entities WHERE origin = ?').pluck().all(old) as string[]) ctx.affected.add(id);
    for (const id of db.prepare('SELECT DISTINCT entity_id FROM aliases WHERE origin = ?').pluck().all(old) as string[])
      ctx.affected.add(id);
    for (const table of ['aliases', 'claims', 'sanctions', 'entities', 'sources'])
      db.prepare(`DELETE FROM ${table} WHERE origin = ?`).run(old);
    db.prepare('DELETE FROM import_records WHERE import_id = ?').run(p.id);
    db.prepare("UPDATE imports SET status = 'replaced' WHERE id = ?").run(p.id);
    summary.replaced.push({ importId: p.id, ...(p.edition ? { edition: p.edition } : {}) });
  }
}

/** Withdrawn records (revoked or deprecated STIX objects) take what they wrote with them. */
function removeWithdrawn(ctx: WriteContext): void {
  const db = ctx.store.db;
  for (const key of ctx.plan.withdrawn) {
    const prev = ctx.plan.previousOf(key)!;
    deleteRecordRows(ctx.q, key);
    if (prev.entityId) {
      ctx.affected.add(prev.entityId);
      if (prev.created) db.prepare('DELETE FROM entities WHERE id = ?').run(prev.entityId);
    }
    db.prepare('DELETE FROM import_records WHERE record = ?').run(key);
  }
}

function insertSource(ctx: WriteContext): void {
  const { feed } = ctx;
  ctx.store.db
    .prepare('INSERT INTO sources (id, publisher, title, url, date, kind, reliability, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(ctx.sourceId, feed.publisher, feed.title, feed.url ?? null, feed.edition ?? null, 'dataset', 'A', ctx.origin);
}

function insertImportRow(ctx: WriteContext, summary: ImportSummary): void {
  const { feed } = ctx;
  const counts = {
    added: summary.added.length,
    updated: summary.updated.length,
    unchanged: summary.unchanged,
    removed: summary.removed.length,
    skipped: summary.skipped.length,
  };
  ctx.store.db
    .prepare(
      `INSERT INTO imports (id, format, file, sha256, publisher, title, edition, list_key, source_id, imported_at, counts, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current')`,
    )
    .run(
      ctx.importId,
      feed.format,
      feed.file,
      feed.sha256,
      feed.publisher,
      feed.title,
      feed.edition ?? null,
      feed.listKey ?? null,
      ctx.sourceId,
      ctx.now.toISOString(),
      JSON.stringify(counts),
    );
}

export interface WriteOptions {
  /**
   * Rebuild the full-text search table in the import's transaction (the default). A caller writing
   * several imports in one transaction (the first-start snapshot) rebuilds it once, after the last.
   */
  rebuildSearch?: boolean;
}

export function writeImport(store: FactStore, feed: ParsedFeed, now: Date, options: WriteOptions = {}): ImportSummary {
  const summary = emptySummary(feed);
  const plan = planImport(store, feed);
  if (plan.unchanged) {
    tally(summary, feed, plan, new Set());
    return summary;
  }
  const importId = freeImportId(store, feed, now);
  const ctx: WriteContext = {
    store,
    feed,
    plan,
    q: prepareStatements(store),
    importId,
    origin: `import:${importId}`,
    sourceId: `import-${importId}`,
    sources: JSON.stringify([`import-${importId}`]),
    now,
    tallies: summary,
    affected: new Set(),
    entityOf: new Map(),
    created: new Set(),
    curatedTargets: new Set(),
    skippedKeys: new Set(),
    effective: plan.removed.length,
  };
  summary.importId = importId;
  const rewriteAll = feed.listKey !== undefined;

  const nothing = new Error('nothing to change');
  try {
    store.db
      .transaction(() => {
        store.invalidate();
        carryOverDelisted(ctx);
        replacePreviousEditions(ctx, summary);
        removeWithdrawn(ctx);
        insertSource(ctx);
        const work = feed.records.filter((r) => rewriteAll || plan.status.get(r.key) !== 'unchanged');
        placeEntities(ctx, new Set(work.map((r) => r.key)));
        const namesAdded: NamesAdded = new Map();
        for (const r of work) writeRecord(ctx, r, rewriteAll, namesAdded);
        recordDelisted(ctx);
        if (ctx.effective === 0) throw nothing;
        tally(summary, feed, plan, ctx.skippedKeys);
        insertImportRow(ctx, summary);
        store.reindexNames(ctx.affected);
        if (options.rebuildSearch !== false) store.rebuildSearch();
        store.setMeta('names_changed', importId);
      })
      .immediate();
  } catch (err) {
    if (err !== nothing) throw err;
    // Only records that could not be placed (dangling references): the store stays as it was.
    delete summary.importId;
    tally(summary, feed, plan, ctx.skippedKeys);
  } finally {
    store.invalidate();
  }
  return summary;
}
