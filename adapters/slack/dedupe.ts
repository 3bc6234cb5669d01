import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { SeenRepo } from '../../src/store/shared/state.js';

/**
 * Remembers what was already handled — Events API deliveries by `event_id`, and signed requests
 * by their signature (replays) — so that each is answered once, across restarts too.
 *
 * Two layers: a bounded map in memory (answers every check at once), and a durable one: with
 * PostgreSQL the shared `seen` table, so that a retry Slack sends to another replica is still a
 * repeat; otherwise a small SQLite file of its own beside the store (`<store>.slack-events.db`),
 * which carries the ids across a restart and between processes on one host. Its own file, not the
 * store: an import or a digest pass holding the store's write lock never makes an ack wait. A busy
 * or failing durable layer degrades to the memory layer (logged) instead of dropping the event.
 */
export interface EventDedupe {
  /** True the first time `key` is seen (and records it); false for every repeat within `keepMs`. */
  firstTime(key: string): Promise<boolean>;
  close(): void;
}

export interface EventDedupeOptions {
  /** The SQLite file; memory only when omitted (tests, a `:memory:` store). */
  path?: string;
  /** The shared state's keys (PostgreSQL, several replicas); used instead of the file. */
  shared?: SeenRepo;
  /** Slack retries for about 5 minutes after the first delivery; keep ids well beyond that. */
  keepMs?: number;
  /** Most ids kept in memory; the oldest go first. */
  maxInMemory?: number;
  now?: () => number;
  logger?: Pick<Logger, 'warn'>;
}

/** Waits for another replica's write to this small file at most this long (synchronously). */
const FILE_BUSY_TIMEOUT_MS = 10;

/** The dedupe file beside a store file: data/threatbrief.db → data/threatbrief.slack-events.db. */
export function dedupePathFor(storePath: string): string | undefined {
  if (!storePath || storePath === ':memory:') return undefined;
  return join(dirname(storePath), `${basename(storePath).replace(/\.[^.]*$/, '')}.slack-events.db`);
}

export function createEventDedupe(opts: EventDedupeOptions = {}): EventDedupe {
  const keepMs = opts.keepMs ?? 60 * 60 * 1000;
  const maxInMemory = opts.maxInMemory ?? 100_000;
  const now = opts.now ?? Date.now;
  const memory = new Map<string, number>();
  let file: { insert: Database.Statement; purge: Database.Statement; db: Database.Database } | undefined;
  if (opts.path && !opts.shared) {
    const db = new Database(opts.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${FILE_BUSY_TIMEOUT_MS}`);
    db.exec('CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID');
    db.exec('CREATE INDEX IF NOT EXISTS seen_at ON seen(seen_at)');
    file = {
      db,
      insert: db.prepare('INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?, ?)'),
      purge: db.prepare('DELETE FROM seen WHERE seen_at < ?'),
    };
  }
  let lastPurge = 0;

  const forgetOld = (t: number) => {
    // Insertion order is time order: the oldest are first.
    for (const [key, at] of memory) {
      if (at >= t - keepMs && memory.size < maxInMemory) break;
      memory.delete(key);
    }
  };

  return {
    async firstTime(key) {
      const t = now();
      forgetOld(t);
      if (memory.has(key)) return false;
      memory.set(key, t);
      if (opts.shared) {
        try {
          return await opts.shared.firstTime(key, t, keepMs);
        } catch (err) {
          opts.logger?.warn({ err }, 'the shared database could not record a Slack key; deduplicating in memory only');
          return true;
        }
      }
      if (!file) return true;
      try {
        if (t - lastPurge > keepMs / 10) {
          file.purge.run(t - keepMs);
          lastPurge = t;
        }
        return file.insert.run(key, t).changes === 1;
      } catch (err) {
        // The memory layer has it: answer now rather than drop the event.
        opts.logger?.warn({ err }, 'the Slack dedupe file could not be written; deduplicating in memory only');
        return true;
      }
    },
    close() {
      file?.db.close();
    },
  };
}
