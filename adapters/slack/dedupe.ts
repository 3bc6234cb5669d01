import type { Db } from '../../src/store/open.js';

/**
 * Remembers which Events API deliveries were handled, by `event_id`, in the fact store's SQLite
 * file, so that Slack's retries (`X-Slack-Retry-Num`) and duplicates are answered once, across
 * restarts too. The table belongs to this adapter (created here rather than by a core
 * migration, since the core knows nothing of Slack); rows older than `keepMs` are purged.
 */
export interface EventDedupe {
  /** True the first time `eventId` is seen (and records it); false for every repeat. */
  firstTime(eventId: string): boolean;
}

export interface EventDedupeOptions {
  /** Slack retries for about 5 minutes after the first delivery; keep ids well beyond that. */
  keepMs?: number;
  now?: () => number;
}

export function createEventDedupe(db: Db, opts: EventDedupeOptions = {}): EventDedupe {
  const keepMs = opts.keepMs ?? 60 * 60 * 1000;
  const now = opts.now ?? Date.now;
  db.exec(`
    CREATE TABLE IF NOT EXISTS slack_seen_events (event_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS slack_seen_events_at ON slack_seen_events(seen_at);
  `);
  const insert = db.prepare('INSERT OR IGNORE INTO slack_seen_events (event_id, seen_at) VALUES (?, ?)');
  const purge = db.prepare('DELETE FROM slack_seen_events WHERE seen_at < ?');
  let lastPurge = 0;
  return {
    firstTime(eventId) {
      const t = now();
      if (t - lastPurge > keepMs / 10) {
        purge.run(t - keepMs);
        lastPurge = t;
      }
      return insert.run(eventId, t).changes === 1;
    },
  };
}
