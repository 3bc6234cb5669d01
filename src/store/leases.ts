import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './open.js';

/**
 * Named leases with an expiry, in the store: one holder at a time per name (the digest scheduler
 * today; feed sync and several replicas later). A holder acquires, renews by acquiring again
 * before it expires, and releases when it stops; a holder that dies simply lets its lease expire.
 * Written in SQL that PostgreSQL reads the same way (INSERT … ON CONFLICT … DO UPDATE … WHERE), so
 * the mechanism carries over when the store does. Times are epoch milliseconds.
 */
export interface LeaseHolder {
  holder: string;
  expiresAt: number;
}

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
  const read = db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?');
  return {
    acquire(name, holder, ttlMs, now = Date.now()) {
      if (take.run(name, holder, now + ttlMs, now).changes === 1) return true;
      // A holder on this host whose process is gone (kill -9) need not be waited for.
      const current = read.get(name) as { holder: string } | undefined;
      if (current && holderIsGone(current.holder)) return stealFrom.run(holder, now + ttlMs, name, current.holder).changes === 1;
      return false;
    },
    release(name, holder) {
      drop.run(name, holder);
    },
    holder(name, now = Date.now()) {
      const r = read.get(name) as { holder: string; expires_at: number } | undefined;
      return r && r.expires_at > now ? { holder: r.holder, expiresAt: Number(r.expires_at) } : undefined;
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
