/**
 * What an import changes, worked out before anything is written: which records are new,
 * changed or as they were, which earlier editions of the same list it replaces, and which
 * records it withdraws or delists.
 */
import type { FactStore } from '../store/fact-store.js';
import type { ParsedFeed } from './types.js';

/** An import the store must not take (an older edition of a list than the one loaded). */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

type Row = Record<string, unknown>;

export interface PreviousRecord {
  version: string;
  entityId?: string;
  created: boolean;
}

export type RecordStatus = 'added' | 'updated' | 'unchanged';

export interface ImportPlan {
  /** Current imports of the same list, replaced as a whole. */
  previousImports: { id: string; edition?: string }[];
  previousOf(key: string): PreviousRecord | undefined;
  status: Map<string, RecordStatus>;
  previous: Map<string, PreviousRecord>;
  /** Keys of records withdrawn by this file (revoked, deprecated) that an earlier import wrote. */
  withdrawn: string[];
  /** Labels of everything newly delisted or withdrawn. */
  removed: string[];
  /** Keys of list records a newer edition left out (delisted now or before): kept, marked delisted. */
  absent: string[];
  /** The previous edition's records of this list, by key. */
  previousList: Map<string, PreviousRecord>;
  /** Nothing new, nothing changed, nothing removed. */
  unchanged: boolean;
}

function toPrevious(r: Row): PreviousRecord {
  const p: PreviousRecord = { version: String(r.version), created: r.created_entity === 1 };
  if (r.entity_id) p.entityId = String(r.entity_id);
  return p;
}

function previousImportsOf(store: FactStore, feed: ParsedFeed): ImportPlan['previousImports'] {
  if (!feed.listKey) return [];
  const rows = store.db.prepare("SELECT id, edition FROM imports WHERE list_key = ? AND status = 'current'").all(feed.listKey) as Row[];
  return rows.map((p) => ({ id: String(p.id), ...(p.edition ? { edition: String(p.edition) } : {}) }));
}

/** The version of a list record that a newer edition left out: "delisted:" and the date. */
export const DELISTED = 'delisted:';

export function planImport(store: FactStore, feed: ParsedFeed): ImportPlan {
  const db = store.db;
  const previousImports = previousImportsOf(store, feed);
  for (const p of previousImports) {
    if (p.edition && feed.edition && p.edition > feed.edition) {
      throw new ImportRefused(
        `the store already holds the ${p.edition} edition of this list (import ${p.id}), newer than this file's ${feed.edition}; nothing was imported`,
      );
    }
  }
  const previousList = new Map<string, PreviousRecord>();
  const listRecords = db.prepare('SELECT record, version, entity_id, created_entity FROM import_records WHERE import_id = ?');
  for (const p of previousImports) for (const r of listRecords.all(p.id) as Row[]) previousList.set(String(r.record), toPrevious(r));
  const recordStmt = db.prepare('SELECT version, entity_id, created_entity, import_id FROM import_records WHERE record = ?');
  const previousOf = (key: string): PreviousRecord | undefined => {
    if (feed.listKey) return previousList.get(key);
    const r = recordStmt.get(key) as Row | undefined;
    return r ? toPrevious(r) : undefined;
  };

  const status = new Map<string, RecordStatus>();
  const previous = new Map<string, PreviousRecord>();
  for (const r of feed.records) {
    const prev = previousOf(r.key);
    if (prev) previous.set(r.key, prev);
    status.set(r.key, !prev ? 'added' : prev.version === r.version ? 'unchanged' : 'updated');
  }
  const inFeed = new Set(feed.records.map((r) => r.key));
  // Entries gone from a newer edition of a list are delisted, never deleted; those delisted before stay so.
  const absent = [...previousList.keys()].filter((k) => !inFeed.has(k));
  const delisted = absent.filter((k) => !previousList.get(k)!.version.startsWith(DELISTED));
  const withdrawn = feed.withdrawn.filter((k) => !inFeed.has(k) && previousOf(k));
  const entityName = db.prepare('SELECT name FROM entities WHERE id = ?').pluck();
  const removedLabel = (key: string) => {
    const prev = previousList.get(key) ?? previousOf(key);
    const name = prev?.entityId ? (entityName.get(prev.entityId) as string | undefined) : undefined;
    return name ? `${name} (${key.slice(key.indexOf(':') + 1)})` : key.slice(key.indexOf(':') + 1);
  };
  const removed = [...delisted, ...withdrawn].map(removedLabel);
  const unchanged = removed.length === 0 && [...status.values()].every((st) => st === 'unchanged');
  return { previousImports, previousOf, status, previous, withdrawn, removed, absent, previousList, unchanged };
}
