import { join } from 'node:path';
import { createSlackPoster } from '../adapters/slack/poster.js';
import { runDigestPass } from '../src/digest/pass.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { startFakeSlack } from '../test/doubles/fake-slack.js';

/**
 * One digest pass delivering to 1,000 due Slack subscriptions through chat.postMessage on the
 * loopback fake of the Web API. Target: < 5 s.
 */
export async function runDigestBench(dir: string, count = 1000): Promise<void> {
  const slack = await startFakeSlack();
  const store = new FactStore(openDatabase(join(dir, 'digest-bench.db')));
  try {
    const subs = createSqliteState(store).subscriptions;
    const created = new Date('2025-01-06T00:00:00Z');
    const zones = ['Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC'];
    for (let i = 0; i < count; i++) {
      const parsed = parseSchedule(`daily 0${i % 9}:00 ${zones[i % zones.length]}`);
      if (!parsed.ok) throw new Error(parsed.error);
      await subs.add(
        { platform: 'slack', conversation: `C${String(i).padStart(6, '0')}`, schedule: parsed.schedule, filters: [] },
        created,
      );
    }
    for (let i = 0; i < 5; i++) {
      store.addAdvisory(
        {
          id: `bench-${i}`,
          title: `Bench advisory ${i}`,
          publisher: 'CISA',
          published: '2025-01-06',
          summary: 'Bench.',
          entities: [],
          severity: 'high',
          sources: [],
        },
        'bench',
        created,
      );
    }
    const poster = createSlackPoster({ token: 'xoxb-bench', apiUrl: slack.apiUrl });
    const t0 = performance.now();
    const report = await runDigestPass({ store, posters: [poster], at: new Date('2025-01-07T12:00:00Z') });
    const ms = performance.now() - t0;
    const posted = slack.succeeded('chat.postMessage').length;
    console.log(
      `digest pass, ${count} due Slack subscriptions: ${(ms / 1000).toFixed(2)} s (${report.sent} sent, ${report.pending} pending, ${posted} posts seen by the fake; target < 5 s)`,
    );
  } finally {
    store.db.close();
    await slack.close();
  }
}
