import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Why a write to the store could not be made. Every write path maps SQLite's failures to this
 * one typed error, so that each boundary answers it the same way: HTTP 503 with Retry-After, a
 * chat reply asking to try again, a CLI exit code, a digest row left pending.
 */
export type StoreFailureReason = 'busy' | 'full' | 'read-only' | 'io' | 'unreachable';

const MESSAGES: Record<StoreFailureReason, string> = {
  busy: 'the store is busy with another write (an import, a digest pass or another replica)',
  full: 'the store cannot grow: the disk (or its quota) is full',
  'read-only': 'the store is read-only',
  io: 'the store could not be written (I/O error)',
  unreachable: 'the shared database cannot be reached',
};

/** Seconds a client should wait before trying again, by reason. */
const RETRY_AFTER_SECONDS: Record<StoreFailureReason, number> = { busy: 5, full: 60, 'read-only': 60, io: 30, unreachable: 10 };

/** Node's network errors and PostgreSQL's SQLSTATE classes that mean "not now", not "a bug". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);
function postgresFailure(code: string): StoreFailureReason | undefined {
  if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P')) return 'unreachable';
  // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 53300 too many connections.
  if (code === '40001' || code === '40P01' || code === '55P03' || code === '53300') return 'busy';
  if (code === '53100') return 'full';
  if (code === '25006') return 'read-only';
  return undefined;
}

export class StoreUnavailable extends Error {
  readonly retryAfterSeconds: number;
  constructor(
    readonly reason: StoreFailureReason,
    options?: { cause?: unknown },
  ) {
    super(MESSAGES[reason], options);
    this.name = 'StoreUnavailable';
    this.retryAfterSeconds = RETRY_AFTER_SECONDS[reason];
  }
}

/** The StoreUnavailable an error amounts to, or undefined when it is something else (a bug). */
export function asStoreUnavailable(err: unknown): StoreUnavailable | undefined {
  if (err instanceof StoreUnavailable) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (!code.startsWith('SQLITE_')) {
    const reason = postgresFailure(code);
    return reason ? new StoreUnavailable(reason, { cause: err }) : undefined;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StoreUnavailable('busy', { cause: err });
  if (code === 'SQLITE_FULL') return new StoreUnavailable('full', { cause: err });
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') return new StoreUnavailable('read-only', { cause: err });
  if (code.startsWith('SQLITE_IOERR')) return new StoreUnavailable('io', { cause: err });
  return undefined;
}

/**
 * How long a connection that serves requests lets SQLite wait for the write lock inside one call.
 * SQLite waits synchronously, so this is also the longest a busy store may stall the event loop;
 * longer waits are `retryWrite`'s backoff, which yields to the loop between attempts.
 */
export const SERVING_BUSY_TIMEOUT_MS = 20;
/** For command-line runs (import, advisory add, digest run), which serve nobody while they wait. */
export const CLI_BUSY_TIMEOUT_MS = 5000;

export interface RetryWriteOptions {
  /** How long to keep trying while the store is busy (default 2 s); then StoreUnavailable('busy'). */
  budgetMs?: number;
  /** First pause between attempts; doubled each time up to `maxPauseMs`. */
  firstPauseMs?: number;
  maxPauseMs?: number;
}

/**
 * Runs a write (one transaction: SQLite's synchronous, PostgreSQL's a promise) until it gets through: while the store is busy it
 * waits with backoff — off the event loop — within a budget; every other store failure (disk
 * full, read-only, I/O) and a spent budget reject with StoreUnavailable. Errors that are not the
 * store's (bugs) are rethrown as they are.
 */
export async function retryWrite<T>(write: () => T | Promise<T>, opts: RetryWriteOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.budgetMs ?? 2000);
  let pause = opts.firstPauseMs ?? 10;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      const failure = asStoreUnavailable(err);
      if (!failure) throw err;
      if (failure.reason !== 'busy' || Date.now() + pause > deadline) throw failure;
    }
    await sleep(pause);
    pause = Math.min(pause * 2, opts.maxPauseMs ?? 250);
  }
}

/**
 * Whether this connection can write now, without changing anything: it writes a row inside a
 * transaction and rolls it back. A read-only file or file system fails here (SQLite notices only
 * at the first write, not when the transaction begins); a lock held by another writer does not
 * (that is a wait, reported as `busy`, not a fault).
 */
export function probeWritable(db: { exec(sql: string): unknown }): { ok: true; busy?: true } | { ok: false; error: string } {
  const failed = (err: unknown) => {
    const failure = asStoreUnavailable(err);
    return failure?.reason === 'busy'
      ? ({ ok: true, busy: true } as const)
      : ({ ok: false, error: failure ? failure.message : err instanceof Error ? err.message : String(err) } as const);
  };
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    return failed(err);
  }
  try {
    db.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('readiness-probe', '')");
    return { ok: true };
  } catch (err) {
    return failed(err);
  } finally {
    db.exec('ROLLBACK');
  }
}
