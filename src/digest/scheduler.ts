import cron, { type ScheduledTask } from 'node-cron';
import type { FactStore } from '../store/fact-store.js';
import { type PassLogger, type PassReport, runDigestPass } from './pass.js';
import type { Poster } from './poster.js';

export interface DigestScheduler {
  /** Runs one pass now (also what every tick does); passes never overlap. */
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
 */
export function startDigestScheduler(opts: DigestSchedulerOptions): DigestScheduler {
  const now = opts.now ?? (() => new Date());
  let running: Promise<PassReport | undefined> | undefined;

  const runNow = (at: Date = now()): Promise<PassReport | undefined> => {
    if (running) return running;
    running = runDigestPass({ store: opts.store, posters: opts.posters, at, ...(opts.logger ? { logger: opts.logger } : {}) })
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
    },
  };
}
