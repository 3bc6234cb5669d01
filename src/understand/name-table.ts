import { nameKey, normalizeName } from '../base/normalize.js';
import type { NameEntry, NameRow, NameTable } from '../store/name-index.js';

/** Names held in memory, for tests and for callers that have a list of names at hand. */
export class MemoryNameTable implements NameTable {
  private readonly rows: NameRow[] = [];
  private readonly norms = new Map<string, NameRow[]>();
  private readonly keys = new Map<string, NameRow[]>();
  private readonly names = new Map<string, string>();

  constructor(entries: readonly NameEntry[]) {
    for (const e of entries) {
      const norm = normalizeName(e.name);
      if (!norm) continue;
      const row: NameRow = { entityId: e.entityId, name: e.name, norm, canonical: e.canonical, weak: e.weak === true };
      if (e.usedBy) row.usedBy = e.usedBy;
      this.rows.push(row);
      push(this.norms, norm, row);
      push(this.keys, nameKey(norm), row);
      if (!this.names.has(e.entityId) || e.canonical) this.names.set(e.entityId, e.entityName);
    }
  }

  get size(): number {
    return this.rows.length;
  }
  byNorm(norm: string): readonly NameRow[] {
    return this.norms.get(norm) ?? [];
  }
  byKey(key: string): readonly NameRow[] {
    return this.keys.get(key) ?? [];
  }
  entityName(entityId: string): string | undefined {
    return this.names.get(entityId);
  }
  all(): readonly NameRow[] {
    return this.rows;
  }
}

export function isNameTable(x: readonly NameEntry[] | NameTable): x is NameTable {
  return !Array.isArray(x);
}

/**
 * When a name is the canonical name of exactly one entity, it means that entity, even if other
 * entities list it as an alias (vendors' naming tables map "APT27" to several actors).
 */
export function preferCanonical(rows: readonly NameRow[]): readonly NameRow[] {
  if (rows.length < 2) return rows;
  const owners = new Set(rows.filter((r) => r.canonical).map((r) => r.entityId));
  if (owners.size !== 1) return rows;
  const [owner] = owners;
  return rows.filter((r) => r.entityId === owner);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
