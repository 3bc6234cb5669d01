import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { asStoreUnavailable, CLI_BUSY_TIMEOUT_MS } from './failures.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * How long one statement waits for another connection's write lock (SQLite waits synchronously).
   * CLI runs wait long (default); the service passes SERVING_BUSY_TIMEOUT_MS and retries off the loop.
   */
  busyTimeoutMs?: number;
}

/** The store file could not be opened: names the file and says what is wrong with it. */
export class StoreOpenError extends Error {
  constructor(
    readonly path: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot open the store ${path}: ${problem}`, options);
    this.name = 'StoreOpenError';
  }
}

/** What an error opening the store means for the person who has to fix it. */
function openProblem(err: unknown): string {
  const { code, message } = err as { code?: unknown; message?: unknown };
  switch (code) {
    case 'SQLITE_NOTADB':
      return 'it is not a ThreatBrief store (not an SQLite database, or damaged); restore it from a backup or point to another file';
    case 'SQLITE_CORRUPT':
      return 'the database is damaged; restore it from a backup (threatbrief backup) or point to another file';
    case 'SQLITE_CANTOPEN':
      return 'the file cannot be opened or created (a folder in its place, a missing folder, or no permission)';
    case 'SQLITE_FULL':
      return 'the disk (or its quota) is full';
    case 'EACCES':
    case 'EPERM':
      return 'no permission to create its folder';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file stands where its folder should be';
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) return 'the file (or its folder) is read-only';
  return typeof message === 'string' ? message : String(err);
}

/**
 * Opens (creating if needed) the store at `path` (`:memory:` for tests) and migrates it. A file
 * that cannot be opened, is not a store or is damaged is a `StoreOpenError` naming it.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  let db: Db | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // Migrations may wait for a running import as long as any CLI run would.
    db.pragma(`busy_timeout = ${CLI_BUSY_TIMEOUT_MS}`);
    if (path !== ':memory:' && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    migrate(db);
  } catch (err) {
    db?.close();
    // Waiting for another writer is not the file's fault: callers answer it as "busy, try again".
    if (err instanceof StoreOpenError || asStoreUnavailable(err)?.reason === 'busy') throw err;
    throw new StoreOpenError(path, openProblem(err), { cause: err });
  }
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
