/**
 * Applies a parsed feed to the store in one transaction: either all of it is visible afterwards
 * or none of it is. Every row it writes has origin `import:<import id>` (so a knowledge reload
 * leaves it alone), cites the import's source row, and carries its record key (so a newer
 * version of the record replaces exactly what the older one wrote). Curated rows are never
 * changed: a record about a curated entity adds aliases, relations and advisories beside it.
 */
import { normalizeName } from '../base/normalize.js';
import type { FactStore } from '../store/fact-store.js';
import type { FeedRecord, FeedRef, ParsedFeed, SkippedItem } from './types.js';

export interface ImportSummary {
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
  skipped: SkippedItem[];
  entitiesCreated: number;
  /** Records that added to an entity already in the store (curated, or from another feed). */
  entitiesEnriched: number;
  aliases: number;
  claims: number;
  listEntries: number;
  advisoriesAdded: number;
  /** Earlier imports of the same list that this one replaced. */
  replaced: { importId: string; edition?: string }[];
  notes: string[];
}

/** An import the store must not take (an older edition of a list than the one loaded). */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

type Row = Record<string, unknown>;
interface PreviousRecord {
  version: string;
  entityId?: string;
  created: boolean;
}

function prefixOf(key: string): string {
  return key.slice(0, key.indexOf(':') + 1);
}

function importIdFor(feed: ParsedFeed, now: Date): string {
  return `${feed.format}-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${feed.sha256.slice(0, 8)}`;
}

export function writeImport(store: FactStore, feed: ParsedFeed, now: Date): ImportSummary {
  const db = store.db;
  const summary: ImportSummary = {
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

  const recordStmt = db.prepare('SELECT version, entity_id, created_entity, import_id FROM import_records WHERE record = ?');
  const toPrevious = (r: Row): PreviousRecord => {
    const p: PreviousRecord = { version: String(r.version), created: r.created_entity === 1 };
    if (r.entity_id) p.entityId = String(r.entity_id);
    return p;
  };

  // Imports of the same list (an older edition) are replaced as a whole.
  const previousImports = feed.listKey
    ? (db.prepare("SELECT id, edition FROM imports WHERE list_key = ? AND status = 'current'").all(feed.listKey) as Row[])
    : [];
  for (const p of previousImports) {
    if (p.edition && feed.edition && String(p.edition) > feed.edition) {
      throw new ImportRefused(
        `the store already holds the ${String(p.edition)} edition of this list (import ${String(p.id)}), newer than this file's ${feed.edition}; nothing was imported`,
      );
    }
  }
  const previousList = new Map<string, PreviousRecord>();
  for (const p of previousImports) {
    for (const r of db
      .prepare('SELECT record, version, entity_id, created_entity FROM import_records WHERE import_id = ?')
      .all(p.id) as Row[]) {
      previousList.set(String(r.record), toPrevious(r));
    }
  }
  const previousOf = (key: string): PreviousRecord | undefined => {
    if (feed.listKey) return previousList.get(key);
    const r = recordStmt.get(key) as Row | undefined;
    return r ? toPrevious(r) : undefined;
  };

  // What changes: new, changed and unchanged records; delisted and withdrawn ones.
  const status = new Map<string, 'added' | 'updated' | 'unchanged'>();
  const previous = new Map<string, PreviousRecord>();
  for (const r of feed.records) {
    const prev = previousOf(r.key);
    if (prev) previous.set(r.key, prev);
    status.set(r.key, !prev ? 'added' : prev.version === r.version ? 'unchanged' : 'updated');
  }
  const inFeed = new Set(feed.records.map((r) => r.key));
  const delisted = [...previousList.keys()].filter((k) => !inFeed.has(k));
  const withdrawn = feed.withdrawn.filter((k) => !inFeed.has(k) && previousOf(k));
  const entityName = db.prepare('SELECT name FROM entities WHERE id = ?').pluck();
  const removedLabel = (key: string) => {
    const prev = previousList.get(key) ?? previousOf(key);
    const name = prev?.entityId ? (entityName.get(prev.entityId) as string | undefined) : undefined;
    return name ? `${name} (${key.slice(key.indexOf(':') + 1)})` : key.slice(key.indexOf(':') + 1);
  };
  const removed = [...delisted, ...withdrawn].map(removedLabel);
  const tally = (skippedKeys: ReadonlySet<string>) => {
    for (const r of feed.records) {
      const st = status.get(r.key);
      if (skippedKeys.has(r.key)) continue;
      if (st === 'added') summary.added.push(r.label);
      else if (st === 'updated') summary.updated.push(r.label);
      else summary.unchanged++;
    }
    summary.removed.push(...removed);
  };
  if (removed.length === 0 && [...status.values()].every((st) => st === 'unchanged')) {
    tally(new Set());
    return summary;
  }

  let importId = importIdFor(feed, now);
  for (let n = 2; db.prepare('SELECT 1 FROM imports WHERE id = ?').get(importId); n++) importId = `${importIdFor(feed, now)}-${n}`;
  const origin = `import:${importId}`;
  const sourceId = `import-${importId}`;
  summary.importId = importId;
  const rewriteAll = feed.listKey !== undefined;

  const q = {
    entityExists: db.prepare('SELECT origin FROM entities WHERE id = ?').pluck(),
    byNorm: db.prepare(
      `SELECT DISTINCT n.entity_id, e.type, e.origin FROM name_index n JOIN entities e ON e.id = n.entity_id WHERE n.norm = ? AND n.weak = 0`,
    ),
    creator: db.prepare('SELECT record FROM import_records WHERE entity_id = ? AND created_entity = 1').pluck(),
    aliasNames: db.prepare('SELECT name FROM aliases WHERE entity_id = ?').pluck(),
    insertEntity: db.prepare('INSERT INTO entities (id, type, name, summary, summary_sources, origin, tlp) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    updateEntity: db.prepare('UPDATE entities SET type = ?, name = ?, summary = ?, summary_sources = ?, origin = ?, tlp = ? WHERE id = ?'),
    insertAlias: db.prepare(
      'INSERT INTO aliases (entity_id, name, kind, used_by, sources, origin, record, weak) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertClaim: db.prepare(
      'INSERT INTO claims (entity_id, predicate, text, object_id, quantity, date, sources, origin, record, tlp) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)',
    ),
    insertSanction: db.prepare(
      `INSERT INTO sanctions (id, target_id, designated_by, date, authority, program, status, reason, effects, reference_title, reference_url, sources, origin,
                              record, list_name, edition, programs, list_entry, listed_name, tlp)
       VALUES (?, ?, ?, ?, ?, ?, 'active', ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertRecord: db.prepare(
      `INSERT INTO import_records (record, import_id, version, entity_id, created_entity) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(record) DO UPDATE SET import_id = excluded.import_id, version = excluded.version, entity_id = excluded.entity_id, created_entity = excluded.created_entity`,
    ),
    recordEntity: db.prepare('SELECT entity_id FROM import_records WHERE record = ?').pluck(),
  };
  const deleteRecordRows = (key: string) => {
    for (const table of ['aliases', 'claims', 'sanctions']) db.prepare(`DELETE FROM ${table} WHERE record = ?`).run(key);
  };

  const affected = new Set<string>();
  const skippedKeys = new Set<string>();
  /** Rows written beyond bookkeeping; an import that writes none is rolled back as a no-op. */
  let effective = removed.length;
  const entityOf = new Map<string, string>();
  const curatedTargets = new Set<string>();

  /** An existing entity this record is about: by identifier, else by a name exactly one entity of a fitting type carries. */
  const findExisting = (r: FeedRecord): string | undefined => {
    const e = r.entity!;
    const own = prefixOf(r.key);
    const usable = (id: string) => {
      const creator = q.creator.get(id) as string | undefined;
      return !creator?.startsWith(own) || creator === r.key;
    };
    for (const ident of e.identifiers ?? []) {
      const ids = new Set((q.byNorm.all(normalizeName(ident)) as Row[]).map((x) => String(x.entity_id)).filter(usable));
      if (ids.size === 1) return [...ids][0];
    }
    for (const name of e.matchNames ?? []) {
      const rows = (q.byNorm.all(normalizeName(name)) as Row[]).filter((x) => !e.attachTypes || e.attachTypes.includes(String(x.type)));
      const ids = new Set(rows.map((x) => String(x.entity_id)).filter(usable));
      if (ids.size === 1) return [...ids][0];
    }
    return undefined;
  };

  const resolveRef = (ref: FeedRef): string | undefined => {
    if ('entityId' in ref) return q.entityExists.get(ref.entityId) !== undefined ? ref.entityId : undefined;
    const here = entityOf.get(ref.record);
    if (here) return here;
    const before = q.recordEntity.get(ref.record) as string | undefined;
    return before && q.entityExists.get(before) !== undefined ? before : undefined;
  };

  const nothing = new Error('nothing to change');
  try {
    db.transaction(() => {
      store.invalidate();
      // A newer edition of a list: everything the older one wrote goes first.
      for (const p of previousImports) {
        const old = `import:${String(p.id)}`;
        for (const id of db.prepare('SELECT id FROM entities WHERE origin = ?').pluck().all(old) as string[]) affected.add(id);
        for (const id of db.prepare('SELECT DISTINCT entity_id FROM aliases WHERE origin = ?').pluck().all(old) as string[])
          affected.add(id);
        for (const table of ['aliases', 'claims', 'sanctions', 'entities', 'sources'])
          db.prepare(`DELETE FROM ${table} WHERE origin = ?`).run(old);
        db.prepare('DELETE FROM import_records WHERE import_id = ?').run(p.id);
        db.prepare("UPDATE imports SET status = 'replaced' WHERE id = ?").run(p.id);
        const replaced: { importId: string; edition?: string } = { importId: String(p.id) };
        if (p.edition) replaced.edition = String(p.edition);
        summary.replaced.push(replaced);
      }
      // Withdrawn records (revoked or deprecated STIX objects) take what they wrote with them.
      for (const key of withdrawn) {
        const prev = previousOf(key)!;
        deleteRecordRows(key);
        if (prev.entityId) {
          affected.add(prev.entityId);
          if (prev.created) db.prepare('DELETE FROM entities WHERE id = ?').run(prev.entityId);
        }
        db.prepare('DELETE FROM import_records WHERE record = ?').run(key);
      }

      db.prepare('INSERT INTO sources (id, publisher, title, url, date, kind, reliability, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        sourceId,
        feed.publisher,
        feed.title,
        feed.url ?? null,
        feed.edition ?? null,
        'dataset',
        'A',
        origin,
      );
      const sources = JSON.stringify([sourceId]);
      const work = feed.records.filter((r) => rewriteAll || status.get(r.key) !== 'unchanged');
      const writing = new Set(work.map((r) => r.key));

      // Pass 1: the entity of every record, so that records can refer to each other in any order.
      const created = new Set<string>();
      const takenIds = new Set<string>();
      for (const r of feed.records) {
        if (!r.entity) continue;
        const prev = previous.get(r.key);
        const write = writing.has(r.key);
        let id: string | undefined;
        let createdHere = false;
        if (prev?.entityId && q.entityExists.get(prev.entityId) !== undefined) {
          id = prev.entityId;
          createdHere = prev.created;
        } else if (!write) {
          continue;
        } else {
          id = findExisting(r);
          if (!id) {
            id = r.entity.id;
            for (let n = 2; q.entityExists.get(id) !== undefined || takenIds.has(id); n++) id = `${r.entity.id}-${n}`;
            createdHere = true;
          }
        }
        takenIds.add(id);
        entityOf.set(r.key, id);
        if (!write) continue;
        if (createdHere) {
          if (q.entityExists.get(id) === undefined) {
            q.insertEntity.run(id, r.entity.type, r.entity.name, r.entity.summary, sources, origin, r.tlp ?? 'CLEAR');
            summary.entitiesCreated++;
          } else q.updateEntity.run(r.entity.type, r.entity.name, r.entity.summary, sources, origin, r.tlp ?? 'CLEAR', id);
          created.add(id);
          effective++;
        } else {
          summary.entitiesEnriched++;
          if (q.entityExists.get(id) === 'curated') curatedTargets.add(id);
        }
        affected.add(id);
      }

      // Pass 2: what each record says.
      const namesAdded = new Map<string, Set<string>>();
      for (const r of work) {
        if (!rewriteAll && status.get(r.key) === 'updated') deleteRecordRows(r.key);
        const target = r.entity ? entityOf.get(r.key) : r.subject ? resolveRef(r.subject) : undefined;
        if ((r.entity || r.subject) && !target) {
          summary.skipped.push({
            what: r.label,
            reason: r.absentSubject ?? 'refers to an object that is neither in this file nor imported before',
          });
          skippedKeys.add(r.key);
          continue;
        }
        if (target) {
          const onCurated = curatedTargets.has(target) || (!created.has(target) && q.entityExists.get(target) === 'curated');
          let names = namesAdded.get(target);
          if (!names) {
            names = new Set([entityName.get(target) as string, ...(q.aliasNames.all(target) as string[])].map((n) => normalizeName(n)));
            namesAdded.set(target, names);
          }
          for (const a of r.aliases) {
            const norm = normalizeName(a.name);
            if (!norm || names.has(norm)) continue;
            names.add(norm);
            q.insertAlias.run(target, a.name, a.kind, a.usedBy ?? null, sources, origin, r.key, a.weak ? 1 : 0);
            summary.aliases++;
            effective++;
          }
          for (const c of r.claims) {
            if (c.notOnCurated && onCurated) continue;
            if (c.onlyWhenAttached && created.has(target)) continue;
            const object = c.object ? resolveRef(c.object) : undefined;
            if (c.object && !object && !c.keepWithoutObject) {
              summary.skipped.push({ what: r.label, reason: 'a relation to an object that is neither in this file nor imported before' });
              continue;
            }
            q.insertClaim.run(target, c.predicate, c.text, object ?? null, c.date ?? null, sources, origin, r.key, r.tlp ?? 'CLEAR');
            summary.claims++;
            effective++;
          }
          if (r.sanction) {
            const s = r.sanction;
            q.insertSanction.run(
              s.id,
              target,
              s.designatedBy,
              s.date,
              s.authority,
              s.program ?? null,
              s.reason,
              s.referenceTitle,
              s.referenceUrl ?? null,
              sources,
              origin,
              r.key,
              s.list.name,
              s.list.edition,
              JSON.stringify(s.list.programs),
              s.list.entry ?? null,
              s.list.listedName,
              r.tlp ?? 'CLEAR',
            );
            summary.listEntries++;
            effective++;
          }
          affected.add(target);
        }
        if (r.advisory) {
          const a = r.advisory;
          const entities = [...new Set(a.entities.map(resolveRef).filter((x): x is string => Boolean(x)))];
          const result = store.addAdvisory(
            {
              id: a.id,
              title: a.title,
              publisher: a.publisher,
              published: a.published,
              ...(a.url ? { url: a.url } : {}),
              summary: a.summary,
              entities,
              severity: a.severity,
              sources: [sourceId],
              ...(r.tlp ? { tlp: r.tlp } : {}),
            },
            origin,
            now,
          );
          if (result.added) {
            summary.advisoriesAdded++;
            effective++;
          }
        }
        q.upsertRecord.run(r.key, importId, r.version, target ?? null, target && created.has(target) ? 1 : 0);
      }
      if (effective === 0) throw nothing;
      tally(skippedKeys);
      const counts = {
        added: summary.added.length,
        updated: summary.updated.length,
        unchanged: summary.unchanged,
        removed: summary.removed.length,
        skipped: summary.skipped.length,
      };
      db.prepare(
        `INSERT INTO imports (id, format, file, sha256, publisher, title, edition, list_key, source_id, imported_at, counts, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current')`,
      ).run(
        importId,
        feed.format,
        feed.file,
        feed.sha256,
        feed.publisher,
        feed.title,
        feed.edition ?? null,
        feed.listKey ?? null,
        sourceId,
        now.toISOString(),
        JSON.stringify(counts),
      );

      store.reindexNames(affected);
      store.rebuildSearch();
      store.setMeta('names_changed', importId);
    }).immediate();
  } catch (err) {
    if (err !== nothing) throw err;
    // Only records that could not be placed (dangling references): the store stays as it was.
    delete summary.importId;
    summary.added = [];
    summary.updated = [];
    summary.unchanged = 0;
    summary.removed = [];
    tally(skippedKeys);
  } finally {
    store.invalidate();
  }
  return summary;
}
