import cron, { type ScheduledTask } from 'node-cron';
import type { FactStore } from '../store/fact-store.js';
import { asStoreUnavailable } from '../store/failures.js';
import { newHolderId } from '../store/leases.js';
import { createSqliteState } from '../store/shared/sqlite.js';
import type { SharedState } from '../store/shared/state.js';
import { type PassLogger, type PassReport, runDigestPass } from './pass.js';
import type { Poster } from './poster.js';

/** The lease that makes one scheduler per store (two `serve`, or `serve` and `digest run`, share it). */
export const DIGEST_LEASE = 'digest-scheduler';
/**
 * How long the lease lasts unless renewed. The holder renews it every DIGEST_LEASE_RENEW_MS, also
 * during a pass, so a replica that dies holds it at most this long: another takes over at its next
 * tick, within about a minute and a half.
 */
export const DIGEST_LEASE_TTL_MS = 45_000;
export const DIGEST_LEASE_RENEW_MS = 15_000;

export interface DigestScheduler {
  /** Runs one pass now (also what every tick does) if this scheduler holds the lease; passes never overlap. */
  runNow(at?: Date): Promise<PassReport | undefined>;
  stop(): Promise<void>;
}

export interface DigestSchedulerOptions {
  store: FactStore;
  /** Where the lease, subscriptions and outbox are; the SQLite store's own tables by default. */
  state?: SharedState;
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
  const state = opts.state ?? createSqliteState(opts.store);
  const { leases } = state;
  const holder = newHolderId();
  let running: Promise<PassReport | undefined> | undefined;
  let told: string | undefined;
  let held = false;

  const holdsLease = async (): Promise<boolean> => {
    try {
      held = await leases.acquire(DIGEST_LEASE, holder, DIGEST_LEASE_TTL_MS);
      if (held) {
        told = undefined;
        return true;
      }
    } catch (err) {
      if (!asStoreUnavailable(err)) throw err;
      held = false;
      opts.logger?.warn({ err }, 'could not take the digest lease now (the store is busy); trying again at the next tick');
      return false;
    }
    const other = await leases.holder(DIGEST_LEASE);
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
      if (!(await holdsLease())) return undefined;
      return runDigestPass({
        store: opts.store,
        state,
        posters: opts.posters,
        at,
        holder,
        ...(opts.logger ? { logger: opts.logger } : {}),
      });
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
  // The holder keeps its lease between ticks and through a long pass; a lost renewal is retried at the next one.
  const renewal = setInterval(() => {
    if (held) void holdsLease().catch((err: unknown) => opts.logger?.warn({ err }, 'could not renew the digest lease'));
  }, DIGEST_LEASE_RENEW_MS);
  renewal.unref();
  void runNow();
  return {
    runNow,
    async stop() {
      clearInterval(renewal);
      await task.destroy();
      await running;
      try {
        await leases.release(DIGEST_LEASE, holder);
      } catch (err) {
        opts.logger?.warn({ err }, 'could not release the digest lease; it lapses on its own');
      }
    },
  };
}
