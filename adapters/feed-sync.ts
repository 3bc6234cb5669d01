import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FeedSettings } from '../src/app/config.js';
import { type FeedScheduler, startFeedScheduler } from '../src/feeds/scheduler.js';
import type { Logger } from './log.js';

/**
 * The feed sync of `serve`, on FEEDS_SCHEDULE: each run is `threatbrief feeds sync` in a child
 * process (its own store connection, taking the store's feed lease), so that parsing and importing
 * a 45 MB ATT&CK bundle never stalls the serving thread; the bot's reload picks up what it wrote.
 * `onSynced` runs when the child is done, so that serve reloads then (and builds the indexes over
 * the names imported) rather than on the next question.
 * Each line the child prints is logged. Off when the schedule is "off". FEEDS_URLS become its `--url`s.
 */
export function startFeedSync(
  feeds: Pick<FeedSettings, 'schedule' | 'urls'>,
  root: string,
  logger: Logger,
  onSynced: () => void = () => undefined,
): FeedScheduler | undefined {
  if (feeds.schedule === 'off') return undefined;
  const cli = join(root, 'dist', 'bundle', 'threatbrief.js');
  const args = [cli, 'feeds', 'sync', ...feeds.urls.flatMap((u) => ['--url', u])];
  return startFeedScheduler({
    schedule: feeds.schedule,
    logger,
    sync: () =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        createInterface({ input: child.stdout }).on('line', (line) => logger.info({ line }, 'feed sync'));
        createInterface({ input: child.stderr }).on('line', (line) => logger.warn({ line }, 'feed sync'));
        child.on('error', (err) => {
          logger.error({ err }, 'could not start the feed sync');
          resolve();
        });
        child.on('exit', (code) => {
          logger.info({ code }, 'feed sync finished');
          onSynced();
          resolve();
        });
      }),
  });
}
