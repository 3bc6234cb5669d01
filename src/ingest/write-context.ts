/** What the passes of an import share while they write: the statements, the import's identity, and what has been done so far. */
import type { FactStore } from '../store/fact-store.js';
import type { FeedRef, ParsedFeed, SkippedItem } from './types.js';
import type { ImportPlan } from './write-plan.js';

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(store: FactStore) {
  const db = store.db;
  return {
    entityExists: db.prepare('SELECT origin FROM entities WHERE id = ?').pluck(),
    entityName: db.prepare('SELECT name FROM entities WHERE id = ?').pluck(),
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
    deleteAliases: db.prepare('DELETE FROM aliases WHERE record = ?'),
    deleteClaims: db.prepare('DELETE FROM claims WHERE record = ?'),
    deleteSanctions: db.prepare('DELETE FROM sanctions WHERE record = ?'),
    deleteAttack: db.prepare('DELETE FROM attack_objects WHERE record = ?'),
    insertAttack: db.prepare(
      `INSERT INTO attack_objects (attack_id, kind, name, entity_id, url, tactics, status, replaced_by, replaced_by_name, replaced_by_entity, record, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertPage: db.prepare(
      `INSERT INTO sources (id, publisher, title, url, date, kind, reliability, origin) VALUES (?, ?, ?, ?, ?, 'dataset', 'A', ?)
       ON CONFLICT(id) DO UPDATE SET publisher = excluded.publisher, title = excluded.title, url = excluded.url, date = excluded.date, origin = excluded.origin`,
    ),
  };
}

/** Counters of the summary the passes add to. */
export interface Tallies {
  entitiesCreated: number;
  /** Records that added to an entity already in the store (curated, or from another feed). */
  entitiesEnriched: number;
  aliases: number;
  claims: number;
  listEntries: number;
  advisoriesAdded: number;
  skipped: SkippedItem[];
}

export interface WriteContext {
  store: FactStore;
  feed: ParsedFeed;
  plan: ImportPlan;
  q: Statements;
  importId: string;
  origin: string;
  sourceId: string;
  /** The import's source id as a JSON array, as rows cite it. */
  sources: string;
  now: Date;
  tallies: Tallies;
  /** Entities whose names may have changed: their name index is rebuilt. */
  affected: Set<string>;
  /** The entity of each record placed so far. */
  entityOf: Map<string, string>;
  /** Entities this import created (or re-created). */
  created: Set<string>;
  /** Curated entities records attached to. */
  curatedTargets: Set<string>;
  /** Records that could not be placed. */
  skippedKeys: Set<string>;
  /** Rows written beyond bookkeeping; an import that writes none is rolled back as a no-op. */
  effective: number;
}

/** The entity a reference means: another record of this or an earlier import, or an entity by id. */
export function resolveRef(ctx: WriteContext, ref: FeedRef): string | undefined {
  const { q } = ctx;
  if ('entityId' in ref) return q.entityExists.get(ref.entityId) !== undefined ? ref.entityId : undefined;
  const here = ctx.entityOf.get(ref.record);
  if (here) return here;
  const before = q.recordEntity.get(ref.record) as string | undefined;
  return before && q.entityExists.get(before) !== undefined ? before : undefined;
}

/** Removes what a record wrote (its aliases, claims, list entries and ATT&CK facts). */
export function deleteRecordRows(q: Statements, key: string): void {
  q.deleteAliases.run(key);
  q.deleteClaims.run(key);
  q.deleteSanctions.run(key);
  q.deleteAttack.run(key);
}
