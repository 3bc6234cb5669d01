import cron, { type ScheduledTask } from 'node-cron';

export interface FeedSchedulerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface FeedScheduler {
  /** Runs a sync now unless one is running (then waits for that one). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `sync` on a cron schedule (UTC), never two at once in this process; across processes and
 * replicas the sync itself takes the store's feed lease, so one runs per store. `serve` gives a
 * sync that runs `threatbrief feeds sync` in a child process, so a long import never stalls the
 * serving thread.
 */
export function startFeedScheduler(opts: { schedule: string; sync: () => Promise<void>; logger: FeedSchedulerLogger }): FeedScheduler {
  let running: Promise<void> | undefined;
  const runNow = (): Promise<void> => {
    if (running) return running;
    running = opts
      .sync()
      .catch((err: unknown) => opts.logger.error({ err }, 'feed sync failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const task: ScheduledTask = cron.schedule(opts.schedule, () => runNow(), { name: 'threatbrief-feeds', timezone: 'UTC', noOverlap: true });
  opts.logger.info({ schedule: opts.schedule }, 'feed sync scheduled (UTC)');
  return {
    runNow,
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
