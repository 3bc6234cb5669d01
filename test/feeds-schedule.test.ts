import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFeedSync } from '../adapters/feed-sync.js';
import { loadCoreConfig } from '../src/app/config.js';
import { feedStatus } from '../src/feeds/feeds-command.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { KEV_LAST_MODIFIED, kevWith } from './doubles/feed-files.js';
import { type FeedServer, startFeedServer } from './doubles/feed-server.js';
import { MINI_KNOWLEDGE, ROOT, tempDir } from './helpers.js';

/** A logger as serve's, whose lines the test reads. */
function recordingLogger() {
  const lines: { msg: string; line?: string; code?: number }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Every second: the shortest schedule cron takes. */
const EVERY_SECOND = '* * * * * *';
/** Long enough for the second scheduler's child to start while the first holds the lease. */
const SLOW_ANSWER_MS = 4_000;

let server: FeedServer;
beforeEach(async () => {
  server = await startFeedServer();
  server.serve('/kev.json', { kind: 'file', body: kevWith(), lastModified: KEV_LAST_MODIFIED, delayMs: SLOW_ANSWER_MS });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

describe('the feed sync serve schedules', () => {
  it('syncs on FEEDS_SCHEDULE from the FEEDS_URLS mirror, once per store even with two schedulers (the lease)', async () => {
    const db = join(tempDir(), 'scheduled.db');
    vi.stubEnv('DATABASE_PATH', db);
    vi.stubEnv('KNOWLEDGE_DIR', MINI_KNOWLEDGE);
    vi.stubEnv('FEEDS_SNAPSHOT', 'off');
    vi.stubEnv('FEEDS_SCHEDULE', EVERY_SECOND);
    vi.stubEnv('FEEDS_URLS', `kev=${server.url}/kev.json`);
    const config = loadCoreConfig();
    expect(config.feeds).toMatchObject({ schedule: EVERY_SECOND, urls: [`kev=${server.url}/kev.json`] });

    const a = recordingLogger();
    const b = recordingLogger();
    const schedulers = [startFeedSync(config.feeds, ROOT, a.logger)!, startFeedSync(config.feeds, ROOT, b.logger)!];
    const finished = (r: ReturnType<typeof recordingLogger>) => r.lines.some((l) => l.msg === 'feed sync finished');
    await vi.waitFor(
      () => {
        expect(finished(a) && finished(b)).toBe(true);
      },
      { timeout: 60_000, interval: 100 },
    );
    await Promise.all(schedulers.map((s) => s.stop()));

    const said = [...a.lines, ...b.lines].map((l) => l.line).filter(Boolean);
    expect(said).toContain('kev: imported: added 12, updated 0, removed 0 (first load: a baseline, not sent in digests)');
    expect(said.some((l) => l?.startsWith('another feed sync is running'))).toBe(true);
    // One download of the catalog as it was first fetched; any later tick asked with its ETag.
    expect(server.requests.filter((r) => r.path === '/kev.json' && !r.ifNoneMatch)).toHaveLength(1);
    const store = new FactStore(openDatabase(db));
    try {
      expect(store.db.prepare("SELECT COUNT(*) FROM feed_syncs WHERE source = 'kev' AND outcome = 'imported'").pluck().get()).toBe(1);
      // Later ticks asked again and were told nothing changed (HTTP 304).
      expect(feedStatus(store, new Date()).find((s) => s.name === 'kev')).toMatchObject({ stale: false });
    } finally {
      store.db.close();
    }
  }, 90_000);
});
