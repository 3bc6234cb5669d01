import cron, { type ScheduledTask } from 'node-cron';
import type { FactStore } from '../store/fact-store.js';
import { asStoreUnavailable } from '../store/failures.js';
import { createLeases, newHolderId } from '../store/leases.js';
import { type PassLogger, type PassReport, runDigestPass } from './pass.js';
import type { Poster } from './poster.js';

/** The lease that makes one scheduler per store (two `serve`, or `serve` and `digest run`, share it). */
export const DIGEST_LEASE = 'digest-scheduler';
/** Longer than a tick (a minute) plus a pass's budget, so that the holder renews before it lapses. */
export const DIGEST_LEASE_TTL_MS = 120_000;

export interface DigestScheduler {
  /** Runs one pass now (also what every tick does) if this scheduler holds the lease; passes never overlap. */
  runNow(at?: Date): Promise<PassReport | undefined>;
  stop(): Promise<void>;
}

export interface DigestSchedulerOptions {
  store: FactStore;
  posters: readonly Poster[];
  logger?: PassLogger & { error(obj: object, msg: string): void };
  now?: () => Date;
}

/**
 * Starts the digest clock: a node-cron job on every minute (UTC) that runs a pass. Each
 * subscription's own schedule and time zone decide inside the pass whether it is due, so one
 * job serves any number of schedules, and a pass after downtime catches up on the missed
 * time (once) instead of losing it. A pass also runs at start, to deliver what was pending.
 * Only the holder of the store's digest lease runs passes: it takes the lease at a tick, renews it
 * at every tick, and releases it on stop; another scheduler's ticks do nothing until it lapses.
 */
export function startDigestScheduler(opts: DigestSchedulerOptions): DigestScheduler {
  const now = opts.now ?? (() => new Date());
  const leases = createLeases(opts.store.db);
  const holder = newHolderId();
  let running: Promise<PassReport | undefined> | undefined;
  let told: string | undefined;

  const holdsLease = (): boolean => {
    try {
      if (leases.acquire(DIGEST_LEASE, holder, DIGEST_LEASE_TTL_MS)) {
        told = undefined;
        return true;
      }
    } catch (err) {
      if (!asStoreUnavailable(err)) throw err;
      opts.logger?.warn({ err }, 'could not take the digest lease now (the store is busy); trying again at the next tick');
      return false;
    }
    const other = leases.holder(DIGEST_LEASE);
    if (other && other.holder !== told) {
      told = other.holder;
      opts.logger?.info(
        { holder: other.holder, until: new Date(other.expiresAt).toISOString() },
        'another digest scheduler holds the lease',
      );
    }
    return false;
  };

  const runNow = (at: Date = now()): Promise<PassReport | undefined> => {
    if (running) return running;
    running = (async () => {
      if (!holdsLease()) return undefined;
      return runDigestPass({ store: opts.store, posters: opts.posters, at, holder, ...(opts.logger ? { logger: opts.logger } : {}) });
    })()
      .catch((err: unknown) => {
        opts.logger?.error({ err }, 'digest pass failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const task: ScheduledTask = cron.schedule('* * * * *', (ctx) => runNow(ctx.date), {
    name: 'threatbrief-digests',
    timezone: 'UTC',
    noOverlap: true,
  });
  void runNow();
  return {
    runNow,
    async stop() {
      await task.destroy();
      await running;
      try {
        leases.release(DIGEST_LEASE, holder);
      } catch (err) {
        opts.logger?.warn({ err }, 'could not release the digest lease; it lapses on its own');
      }
    },
  };
}
