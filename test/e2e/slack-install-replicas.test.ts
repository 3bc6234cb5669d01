import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../../adapters/serve.js';
import { loadServiceConfig } from '../../src/app/config.js';
import { type FakeSlack, startFakeSlack } from '../doubles/fake-slack.js';
import { copyKnowledge, MINI_KNOWLEDGE, tempDir } from '../helpers.js';
import { FAST_RETRIES } from '../slack-harness.js';
import { CLIENT_ID, CLIENT_SECRET, installInto, manyWorkspaceEnv, mentionIn, postAdvisory, slackEvent } from '../slack-install-flow.js';
import { freshDatabase } from './postgres.js';

/**
 * Many workspaces on two replicas sharing one PostgreSQL: an install started on one replica is
 * finished on the other, and whichever replica takes a workspace's event or runs the digest pass
 * uses that workspace's token.
 */

const WEBHOOK_TOKEN = 'webhook-token-0123456789abcdef';
const T1 = 'T0ALPHA';
const T2 = 'T0BRAVO';
const CHANNEL: Record<string, string> = { [T1]: 'C0ALPHA', [T2]: 'C0BRAVO' };

let fake: FakeSlack;
let db: Awaited<ReturnType<typeof freshDatabase>>;
const replicas: RunningService[] = [];
const base = (i: number) => `http://127.0.0.1:${replicas[i]!.port}`;

beforeAll(async () => {
  fake = await startFakeSlack();
  db = await freshDatabase();
  const knowledge = copyKnowledge(MINI_KNOWLEDGE);
  const env = manyWorkspaceEnv(fake, randomBytes(32).toString('hex'));
  for (let i = 0; i < 2; i++) {
    const config = loadServiceConfig({
      PORT: '0',
      DATABASE_URL: db.url,
      DATABASE_PATH: join(tempDir(), `replica-${i}.db`),
      KNOWLEDGE_DIR: knowledge,
      ADVISORY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      FEEDS_SCHEDULE: 'off',
      FEEDS_SNAPSHOT: 'off',
      ...env,
    });
    replicas.push(
      await startService({
        config,
        logger: pino({ level: process.env.E2E_LOG ?? 'silent' }),
        host: '127.0.0.1',
        slackClientOptions: { retryConfig: FAST_RETRIES },
      }),
    );
  }
  fake.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrl: `${base(0)}/slack/oauth_redirect` });
});

afterAll(async () => {
  for (const r of replicas) await r.stop();
  await fake?.close();
  await db?.drop();
});

const posts = () => fake.succeeded('chat.postMessage');
const answered = () => posts().map((c) => [c.body.channel, c.token]);

/** On PostgreSQL a replica acknowledges an event before its answer starts (the dedupe is a round trip): wait for the posts. */
async function waitForPosts(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (posts().length < n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} posts; have ${JSON.stringify(answered())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(replicas.map((r) => r.slack!.idle()));
}

describe('many Slack workspaces on two replicas and PostgreSQL', () => {
  it('finishes an install on the replica that did not start it', async () => {
    expect((await installInto(fake, T1, { start: base(0), finish: base(1) })).status).toBe(200);
    expect((await installInto(fake, T2, { start: base(1), finish: base(0) })).status).toBe(200);
  });

  it('answers and digests each workspace with its own token, whichever replica takes the request', async () => {
    fake.reset();
    await mentionIn(base(1), T1, CHANNEL[T1]!, 'subscribe daily 09:00');
    await mentionIn(base(0), T2, CHANNEL[T2]!, 'subscribe daily 09:00');
    await waitForPosts(2);
    expect(answered()).toEqual(
      expect.arrayContaining([
        [CHANNEL[T1], fake.tokenOf(T1)],
        [CHANNEL[T2], fake.tokenOf(T2)],
      ]),
    );
    await postAdvisory(base(0), WEBHOOK_TOKEN, 'adv-replicas');
    fake.reset();
    const at = new Date(Date.now() + 25 * 3600_000);
    // Whichever replica holds the digest lease runs the pass.
    const reports = await Promise.all(replicas.map((r) => r.scheduler.runNow(at)));
    expect(reports.reduce((n, r) => n + (r?.sent ?? 0), 0)).toBe(2);
    const digests = posts().filter((c) => c.body.metadata !== undefined);
    expect(digests.map((c) => [c.body.channel, c.token]).sort()).toEqual(
      [
        [CHANNEL[T1], fake.tokenOf(T1)],
        [CHANNEL[T2], fake.tokenOf(T2)],
      ].sort(),
    );
  });

  it('forgets an uninstalled workspace on every replica', async () => {
    fake.revoke(T2);
    expect((await slackEvent(base(1), T2, { type: 'app_uninstalled', event_ts: `${Date.now() / 1000}` })).status).toBe(200);
    // Acknowledged first, handled after: wait until the shared state no longer has the installation.
    const shared = new pg.Client({ connectionString: db.url });
    await shared.connect();
    try {
      const installed = async () => (await shared.query('SELECT key FROM installations ORDER BY key')).rows.map((r) => r.key);
      const deadline = Date.now() + 10_000;
      while ((await installed()).includes(`team:${T2}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await installed()).toEqual([`team:${T1}`]);
      expect((await shared.query('SELECT team FROM subscriptions')).rows).toEqual([{ team: T1 }]);
    } finally {
      await shared.end();
    }
    fake.reset();
    // The uninstalled workspace's question first: it is refused at once (no installation), the other answered after it.
    await mentionIn(base(0), T2, CHANNEL[T2]!, 'who is Example Panda?');
    await mentionIn(base(0), T1, CHANNEL[T1]!, 'who is Example Panda?');
    await waitForPosts(1);
    expect(answered()).toEqual([[CHANNEL[T1], fake.tokenOf(T1)]]);
  });
});
