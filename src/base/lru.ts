/**
 * A map that holds at most `capacity` entries: setting one more drops the least recently used.
 * Every in-process cache of the core is one of these, so that none grows with what users ask.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an LRU cache holds at least one entry, not ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value for `key`, now the most recently used; undefined when absent (or cached as such). */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    // A Map keeps insertion order: re-inserting moves the key to the recent end.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** The cached value for `key`, or `read()`'s, cached (undefined included). */
  getOrSet(key: K, read: () => V): V {
    if (this.entries.has(key)) return this.get(key) as V;
    const value = read();
    this.set(key, value);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
