import { LruCache } from '../base/lru.js';
import { nameKey, normalizeName } from '../base/normalize.js';
import { parseTlp, TLP_LEVELS, type Tlp, tlpRank } from '../base/tlp.js';
import type { Db } from './open.js';

/** One name (canonical or alias) an entity is known by. */
export interface NameEntry {
  entityId: string;
  entityName: string;
  name: string;
  usedBy?: string;
  canonical: boolean;
  /**
   * A weak alias: a broad or generic name the publisher marks as a poor basis for a match on
   * its own (OFAC's "weak AKAs", the quoted a.k.a.s in the SDN list's remarks). Scored lower.
   */
  weak?: boolean;
}

/** A name as the resolver indexes it: `norm` is `normalizeName(name)`. */
export interface NameRow {
  entityId: string;
  name: string;
  norm: string;
  usedBy?: string;
  canonical: boolean;
  weak: boolean;
  /** The entity's type ("threat-actor", "incident"…), when the table knows it. */
  type?: string;
}

/**
 * Where the resolver finds names: an in-memory list (tests, small stores) or the store's
 * persisted name index, so that a process answering one question never loads every name.
 */
export interface NameTable {
  readonly size: number;
  /** Names whose normalised form is exactly `norm`. */
  byNorm(norm: string): readonly NameRow[];
  /** Names with the same words as `key` (see `nameKey`) in any order. */
  byKey(key: string): readonly NameRow[];
  entityName(entityId: string): string | undefined;
  /** Every name; read once, when the first fuzzy lookup needs the token index. */
  all(): readonly NameRow[];
}

/**
 * The persisted name index (table `name_index`): every entity's canonical name and aliases,
 * normalised once when they are written rather than every time a process answers a question.
 * Bump the version when normalisation changes; the index is then rebuilt from entities and
 * aliases on next use.
 */
export const NAME_INDEX_VERSION = '4';
const VERSION_KEY = 'name_index_version';

type Row = Record<string, unknown>;

function currentVersion(db: Db): string | undefined {
  return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(VERSION_KEY) as string | undefined;
}

export function nameIndexIsCurrent(db: Db): boolean {
  return currentVersion(db) === NAME_INDEX_VERSION;
}

/**
 * Re-indexes the names of the given entities (all of them when `entityIds` is omitted or the
 * index is from another version). Run it inside the transaction that changed the names.
 */
export function reindexNames(db: Db, entityIds?: Iterable<string>): void {
  const full = entityIds === undefined || !nameIndexIsCurrent(db);
  const insert = db.prepare(
    'INSERT INTO name_index (entity_id, name, norm, name_key, used_by, canonical, weak, type, tlp_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const add = (entityId: string, canonicalName: string, type: string, tlp: string, aliases: readonly Row[]) => {
    // One row per distinct normalised name of an entity; a strong alias beats a weak one.
    const seen = new Map<string, boolean>();
    const rows: [string, string, string | null, number, number][] = [];
    const consider = (name: string, usedBy: string | null, canonical: number, weak: number) => {
      const norm = normalizeName(name);
      if (!norm) return;
      const prevWeak = seen.get(norm);
      if (prevWeak !== undefined && (prevWeak === false || weak === 1)) return;
      seen.set(norm, weak === 1);
      rows.push([name, norm, usedBy, canonical, weak]);
    };
    consider(canonicalName, null, 1, 0);
    for (const a of aliases) if (!a.weak) consider(String(a.name), a.used_by ? String(a.used_by) : null, 0, 0);
    for (const a of aliases) if (a.weak) consider(String(a.name), a.used_by ? String(a.used_by) : null, 0, 1);
    for (const [name, norm, usedBy, canonical, weak] of rows) {
      // A weak row superseded later by a strong one of the same name is dropped here.
      if (weak === 1 && seen.get(norm) === false) continue;
      insert.run(entityId, name, norm, nameKey(norm), usedBy, canonical, weak, type, tlpRank(parseTlp(tlp) ?? 'RED'));
    }
  };

  if (full) {
    db.prepare('DELETE FROM name_index').run();
    const aliasesOf = new Map<string, Row[]>();
    for (const a of db.prepare('SELECT entity_id, name, used_by, weak FROM aliases ORDER BY rowid').all() as Row[]) {
      const id = String(a.entity_id);
      const list = aliasesOf.get(id);
      if (list) list.push(a);
      else aliasesOf.set(id, [a]);
    }
    for (const e of db.prepare('SELECT id, name, type, tlp FROM entities ORDER BY rowid').all() as Row[]) {
      add(String(e.id), String(e.name), String(e.type), String(e.tlp), aliasesOf.get(String(e.id)) ?? []);
    }
    db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      VERSION_KEY,
      NAME_INDEX_VERSION,
    );
    return;
  }
  const entity = db.prepare('SELECT name, type, tlp FROM entities WHERE id = ?');
  const aliases = db.prepare('SELECT name, used_by, weak FROM aliases WHERE entity_id = ? ORDER BY rowid');
  const remove = db.prepare('DELETE FROM name_index WHERE entity_id = ?');
  for (const id of new Set(entityIds)) {
    remove.run(id);
    const e = entity.get(id) as Row | undefined;
    if (e) add(id, String(e.name), String(e.type), String(e.tlp), aliases.all(id) as Row[]);
  }
}

/** Up to this many names, the exact and word-order lookups are held in memory (read once, in a few ms). */
const PRELOAD_LIMIT = 20_000;

/** Entity names a table keeps after looking them up: a few hundred answers' worth. */
const ENTITY_NAMES_CACHED = 5_000;

const COLUMNS = 'entity_id, name, norm, used_by, canonical, weak, type, name_key';

/**
 * The resolver's view of the store's name index, limited to the entities a conversation at
 * `clearance` may see: names of entities marked above it are not in the table at all, so no
 * lookup, suggestion or count can reveal them. A small store is read into memory once; a large
 * one is looked up name by name (indexed), so that a process answering one question does not
 * read 100,000 names first.
 */
export class StoreNameTable implements NameTable {
  readonly size: number;
  private readonly q;
  /** Entity names looked up one by one (a large store): the most recently used kept. */
  private readonly names = new LruCache<string, string | undefined>(ENTITY_NAMES_CACHED);
  private readonly memory: { rows: NameRow[]; norms: Map<string, NameRow[]>; keys: Map<string, NameRow[]> } | undefined;

  constructor(
    db: Db,
    private readonly clearance: Tlp = 'RED',
  ) {
    const visible = 'tlp_rank <= ?';
    this.q = {
      byNorm: db.prepare(`SELECT ${COLUMNS} FROM name_index WHERE norm = ? AND ${visible}`).raw(),
      byKey: db.prepare(`SELECT ${COLUMNS} FROM name_index WHERE name_key = ? AND ${visible}`).raw(),
      all: db.prepare(`SELECT ${COLUMNS} FROM name_index WHERE ${visible} ORDER BY id`).raw(),
      entityName: db.prepare(`SELECT name FROM entities WHERE id = ? AND tlp IN (${allowedLevels(clearance)})`).pluck(),
    };
    const rank = tlpRank(clearance);
    this.size = db.prepare(`SELECT count(*) FROM name_index WHERE ${visible}`).pluck().get(rank) as number;
    if (this.size <= PRELOAD_LIMIT) {
      const rows: NameRow[] = [];
      const norms = new Map<string, NameRow[]>();
      const keys = new Map<string, NameRow[]>();
      for (const r of this.q.all.all(rank) as unknown[][]) {
        const row = toRow(r);
        rows.push(row);
        push(norms, row.norm, row);
        push(keys, r[7] as string, row);
      }
      this.memory = { rows, norms, keys };
    }
  }

  byNorm(norm: string): readonly NameRow[] {
    if (this.memory) return this.memory.norms.get(norm) ?? [];
    return (this.q.byNorm.all(norm, tlpRank(this.clearance)) as unknown[][]).map(toRow);
  }

  byKey(key: string): readonly NameRow[] {
    if (this.memory) return this.memory.keys.get(key) ?? [];
    return (this.q.byKey.all(key, tlpRank(this.clearance)) as unknown[][]).map(toRow);
  }

  entityName(entityId: string): string | undefined {
    return this.names.getOrSet(entityId, () => this.q.entityName.get(entityId) as string | undefined);
  }

  all(): readonly NameRow[] {
    return this.memory?.rows ?? (this.q.all.all(tlpRank(this.clearance)) as unknown[][]).map(toRow);
  }
}

/** The TLP levels at or below `clearance`, as a SQL list of literals (they are constants, not user text). */
function allowedLevels(clearance: Tlp): string {
  return TLP_LEVELS.filter((t) => tlpRank(t) <= tlpRank(clearance))
    .map((t) => `'${t}'`)
    .join(', ');
}

function push(map: Map<string, NameRow[]>, key: string, row: NameRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}

function toRow(r: unknown[]): NameRow {
  const row: NameRow = { entityId: r[0] as string, name: r[1] as string, norm: r[2] as string, canonical: r[4] === 1, weak: r[5] === 1 };
  if (r[3] !== null) row.usedBy = r[3] as string;
  if (r[6] !== null) row.type = r[6] as string;
  return row;
}
