import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who holds a lease or a claim (src/store/shared/state.ts has the leases themselves): a holder id
 * names its process, so that a holder on the same host whose process is gone (kill -9) need not be
 * waited for; one on another host is waited for until its lease or claim expires.
 */

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
