/**
 * Applies a source's parsed files to the store in one transaction, with its provenance: every
 * import of the source, the advisories marked as a baseline when the source was never loaded
 * before (so a first sync does not flood digests), each file's validators and the sync's record.
 * Either all of it is visible afterwards or none of it is.
 */
import type { ParsedFeed } from '../ingest/types.js';
import { type ImportSummary, type WriteOptions, writeImport } from '../ingest/write.js';
import type { FactStore } from '../store/fact-store.js';
import { createFeedState, type PartState, type SyncOutcome } from './state.js';

export interface FetchedPart {
  name: string;
  state: PartState;
}

export interface Applied {
  outcome: SyncOutcome;
  summaries: ImportSummary[];
  counts: { added: number; updated: number; removed: number };
  baseline: boolean;
}

export function applySource(
  store: FactStore,
  source: string,
  feeds: readonly ParsedFeed[],
  parts: readonly FetchedPart[],
  at: { startedAt: Date; now: Date },
  outcome: 'imported' | 'snapshot' = 'imported',
  write: WriteOptions = {},
): Applied {
  const db = store.db;
  const state = createFeedState(db);
  const markBaseline = db.prepare('UPDATE advisories SET baseline = 1 WHERE origin = ?');
  return db
    .transaction((): Applied => {
      const baseline = !state.loaded(source);
      const summaries = feeds.map((feed) => writeImport(store, feed, at.now, write));
      if (baseline) for (const s of summaries) if (s.importId) markBaseline.run(`import:${s.importId}`);
      // The snapshot's files are not the publisher's: their validators mean nothing to it.
      if (outcome !== 'snapshot') for (const p of parts) state.savePart(source, p.name, p.state, at.now);
      const counts = {
        added: sum(summaries, (s) => s.added.length),
        updated: sum(summaries, (s) => s.updated.length),
        removed: sum(summaries, (s) => s.removed.length),
      };
      const changed = summaries.some((s) => s.importId);
      const result: SyncOutcome = outcome === 'snapshot' ? 'snapshot' : changed ? 'imported' : 'unchanged';
      state.record({
        source,
        startedAt: at.startedAt,
        finishedAt: new Date(),
        outcome: result,
        urls: parts.map((p) => p.state.url),
        etags: parts.map((p) => p.state.etag),
        sha256: parts.map((p) => p.state.sha256).join(','),
        importIds: summaries.flatMap((s) => (s.importId ? [s.importId] : [])),
        counts,
      });
      return { outcome: result, summaries, counts, baseline };
    })
    .immediate();
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}
