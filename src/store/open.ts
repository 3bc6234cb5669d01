import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CLI_BUSY_TIMEOUT_MS } from './failures.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * How long one statement waits for another connection's write lock (SQLite waits synchronously).
   * CLI runs wait long (default); the service passes SERVING_BUSY_TIMEOUT_MS and retries off the loop.
   */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) the store at `path` (`:memory:` for tests) and migrates it. */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Migrations may wait for a running import as long as any CLI run would.
  db.pragma(`busy_timeout = ${CLI_BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:' && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  migrate(db);
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? CLI_BUSY_TIMEOUT_MS}`);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the store was written by a newer ThreatBrief (schema ${current}, this one knows ${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
