import { join } from 'node:path';
import { createSlackPoster } from '../adapters/slack/poster.js';
import { runDigestPass } from '../src/digest/pass.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { openPostgresState } from '../src/store/shared/postgres.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import type { SharedState } from '../src/store/shared/state.js';
import { startFakeSlack } from '../test/doubles/fake-slack.js';
import { freshDatabase } from '../test/e2e/postgres.js';

/**
 * One digest pass delivering to 1,000 due Slack subscriptions through chat.postMessage on the
 * loopback fake of the Web API, with the shared state in SQLite; then, when the PostgreSQL of the
 * end-to-end suites answers (.ci/setup-e2e), the same on PostgreSQL with one pass, and with three
 * passes at once (three replicas' schedulers racing, as when a lease is taken over mid-pass):
 * their rows are claimed one at a time, so the figure to watch there is "posted twice". Target: < 5 s.
 */
export async function runDigestBench(dir: string, count = 1000): Promise<void> {
  const store = new FactStore(openDatabase(join(dir, 'digest-bench.db')));
  try {
    await digestPasses('SQLite', store, createSqliteState(store), count, 1);
  } finally {
    store.db.close();
  }
  for (const passes of [1, 3]) {
    // Each round starts from an empty shared database.
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    try {
      db = await freshDatabase();
    } catch (err) {
      console.log(`digest pass on PostgreSQL: skipped (${err instanceof Error ? err.message : String(err)}; run .ci/setup-e2e)`);
      return;
    }
    const pgStore = new FactStore(openDatabase(join(dir, `digest-bench-pg-${passes}.db`)));
    const state = await openPostgresState({ url: db.url });
    try {
      await digestPasses('PostgreSQL', pgStore, state, count, passes);
    } finally {
      await state.close();
      pgStore.db.close();
      await db.drop();
    }
  }
}

async function digestPasses(engine: string, store: FactStore, state: SharedState, count: number, passes: number): Promise<void> {
  const slack = await startFakeSlack();
  try {
    const created = new Date('2025-01-06T00:00:00Z');
    const zones = ['Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC'];
    for (let i = 0; i < count; i++) {
      const parsed = parseSchedule(`daily 0${i % 9}:00 ${zones[i % zones.length]}`);
      if (!parsed.ok) throw new Error(parsed.error);
      await state.subscriptions.add(
        { platform: 'slack', conversation: `C${String(i).padStart(6, '0')}`, schedule: parsed.schedule, filters: [] },
        created,
      );
    }
    await state.advisories.addAll(
      Array.from({ length: 5 }, (_, i) => ({
        id: `bench-${i}`,
        title: `Bench advisory ${i}`,
        publisher: 'CISA',
        published: '2025-01-06',
        summary: 'Bench.',
        entities: [],
        severity: 'high',
        sources: [],
      })),
      'bench',
      created,
    );
    const poster = createSlackPoster({ token: 'xoxb-bench', apiUrl: slack.apiUrl });
    const at = new Date('2025-01-07T12:00:00Z');
    const t0 = performance.now();
    const reports = await Promise.all(
      Array.from({ length: passes }, (_, i) => runDigestPass({ store, state, posters: [poster], at, holder: `bench-${i}` })),
    );
    const ms = performance.now() - t0;
    const posts = slack.succeeded('chat.postMessage').map((c) => String(c.body.channel));
    const twice = posts.length - new Set(posts).size;
    const sent = reports.reduce((n, r) => n + r.sent, 0);
    console.log(
      `digest ${passes === 1 ? 'pass' : `${passes} passes at once`} on ${engine}, ${count} due Slack subscriptions: ${(ms / 1000).toFixed(2)} s, ${Math.round((sent / ms) * 1000)} digests/s (${sent} sent, ${posts.length} posts seen by the fake, ${twice} posted twice; target < 5 s)`,
    );
  } finally {
    await slack.close();
  }
}
