/**
 * What the store remembers of feed syncs: each file's validators (for conditional requests) and
 * every sync's provenance — source, URLs, when, ETags, sha256, what changed or what went wrong.
 */
import * as z from 'zod';
import type { Db } from '../store/open.js';

export const SYNC_OUTCOMES = ['imported', 'unchanged', 'not-modified', 'failed', 'snapshot'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

const PartRow = z.object({
  url: z.string(),
  etag: z.string().nullable(),
  last_modified: z.string().nullable(),
  sha256: z.string(),
});
export type PartState = z.infer<typeof PartRow>;

const SyncRow = z.object({
  id: z.number(),
  source: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  outcome: z.enum(SYNC_OUTCOMES),
  urls: z.string().transform((s) => JSON.parse(s) as string[]),
  etags: z.string().transform((s) => JSON.parse(s) as (string | null)[]),
  sha256: z.string().nullable(),
  import_id: z.string().nullable(),
  added: z.number(),
  updated: z.number(),
  removed: z.number(),
  error: z.string().nullable(),
});
export type SyncRecord = z.infer<typeof SyncRow>;

export interface NewSync {
  source: string;
  startedAt: Date;
  finishedAt: Date;
  outcome: SyncOutcome;
  urls: string[];
  etags?: (string | null)[];
  sha256?: string;
  importIds?: string[];
  counts?: { added: number; updated: number; removed: number };
  error?: string;
}

export function createFeedState(db: Db) {
  const part = db.prepare('SELECT url, etag, last_modified, sha256 FROM feed_parts WHERE source = ? AND part = ?');
  const savePart = db.prepare(
    `INSERT INTO feed_parts (source, part, url, etag, last_modified, sha256, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source, part) DO UPDATE SET url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
       sha256 = excluded.sha256, fetched_at = excluded.fetched_at`,
  );
  const insertSync = db.prepare(
    `INSERT INTO feed_syncs (source, started_at, finished_at, outcome, urls, etags, sha256, import_id, added, updated, removed, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const last = db.prepare(
    'SELECT * FROM feed_syncs WHERE source = ? AND outcome IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 1',
  );
  const everLoaded = db.prepare("SELECT 1 FROM feed_syncs WHERE source = ? AND outcome IN ('imported', 'unchanged', 'snapshot') LIMIT 1");
  return {
    part(source: string, name: string): PartState | undefined {
      const r = part.get(source, name);
      return r === undefined ? undefined : PartRow.parse(r);
    },
    savePart(source: string, name: string, p: PartState, at: Date): void {
      savePart.run(source, name, p.url, p.etag, p.last_modified, p.sha256, at.toISOString());
    },
    record(s: NewSync): void {
      insertSync.run(
        s.source,
        s.startedAt.toISOString(),
        s.finishedAt.toISOString(),
        s.outcome,
        JSON.stringify(s.urls),
        JSON.stringify(s.etags ?? []),
        s.sha256 ?? null,
        s.importIds?.length ? s.importIds.join(',') : null,
        s.counts?.added ?? 0,
        s.counts?.updated ?? 0,
        s.counts?.removed ?? 0,
        s.error ?? null,
      );
    },
    /** The newest sync of the source with one of these outcomes. */
    last(source: string, outcomes: readonly SyncOutcome[]): SyncRecord | undefined {
      const r = last.get(source, JSON.stringify(outcomes));
      return r === undefined ? undefined : SyncRow.parse(r);
    },
    /** Whether the source was ever loaded (by a sync or the snapshot): its next import is not a baseline. */
    loaded(source: string): boolean {
      return everLoaded.get(source) !== undefined;
    },
  };
}
export type FeedState = ReturnType<typeof createFeedState>;
