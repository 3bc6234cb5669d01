import type { FactStore } from '../store/fact-store.js';
import type { Citation } from './reply.js';

/** Numbers the sources of one answer in order of first use, so every line can point at them. */
export class CitationList {
  readonly citations: Citation[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly store: FactStore) {}

  /** The 1-based citation numbers for these source ids (unknown ids are skipped). */
  cite(sourceIds: readonly string[]): number[] {
    const out: number[] = [];
    for (const id of sourceIds) {
      let n = this.index.get(id);
      if (n === undefined) {
        const s = this.store.source(id);
        if (!s) continue;
        const c: Citation = { sourceId: s.id, title: s.title, publisher: s.publisher };
        if (s.url) c.url = s.url;
        if (s.date) c.date = s.date;
        this.citations.push(c);
        n = this.citations.length;
        this.index.set(id, n);
      }
      if (!out.includes(n)) out.push(n);
    }
    return out;
  }
}
