import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './open.js';
import { LeaseRow, oneRow } from './shared/rows.js';
import type { LeaseHolder } from './shared/state.js';

/**
 * Named leases with an expiry in a SQLite store, synchronously: the shared state's leases on
 * SQLite (src/store/shared/sqlite.ts wraps these), and the feed sync's lease on a replica's own
 * local index (src/feeds). A holder id names its process, so that a holder on the same host whose
 * process is gone (kill -9) need not be waited for; one on another host is waited for until its
 * lease expires. Times are epoch milliseconds.
 */
export interface Leases {
  /** Takes the lease, or renews it when `holder` has it; false while someone else holds it unexpired. */
  acquire(name: string, holder: string, ttlMs: number, now?: number): boolean;
  release(name: string, holder: string): void;
  /** Who holds it now (undefined when nobody does, or the lease expired). */
  holder(name: string, now?: number): LeaseHolder | undefined;
}

export function createLeases(db: Db): Leases {
  const take = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  );
  const stealFrom = db.prepare('UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND holder = ?');
  const drop = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  const READ = 'SELECT holder, expires_at FROM leases WHERE name = ?';
  const read = db.prepare(READ);
  return {
    acquire(name, holder, ttlMs, now = Date.now()) {
      if (take.run(name, holder, now + ttlMs, now).changes === 1) return true;
      const current = oneRow(LeaseRow, read.get(name), READ);
      return Boolean(current && holderIsGone(current.holder) && stealFrom.run(holder, now + ttlMs, name, current.holder).changes === 1);
    },
    release(name, holder) {
      drop.run(name, holder);
    },
    holder(name, now = Date.now()) {
      const r = oneRow(LeaseRow, read.get(name), READ);
      return r && r.expires_at > now ? { holder: r.holder, expiresAt: r.expires_at } : undefined;
    },
  };
}

/** A holder id that names this process: host, pid and a random part (a pid is reused in time). */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** True only when the holder ran on this host and its process no longer exists. */
export function holderIsGone(holder: string): boolean {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(holder);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
