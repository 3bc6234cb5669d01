import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeConnector, shownText, startFakeConnector, teamsActivity } from '../doubles/fake-connector.js';
import { FAKE_IDS, type FakeSlack, type RecordedCall, signedRequest, startFakeSlack } from '../doubles/fake-slack.js';
import { CLI, copyKnowledge, MINI_KNOWLEDGE, tempDir } from '../helpers.js';
import { freshDatabase } from './postgres.js';

/**
 * Three `threatbrief serve` processes on one PostgreSQL, each with its own local knowledge index,
 * all posting to one fake Slack Web API (which grants the history scopes). Requests go to the
 * replicas in turn, as a round-robin load balancer sends them. The replica holding the digest
 * lease is killed with SIGKILL in the middle of a digest pass: every channel still gets its
 * digest exactly once, and every question is answered once although Slack's retries reach
 * another replica.
 */
const SECRET = 'replica-signing-secret';
const WEBHOOK_TOKEN = 'replica-webhook-token-0123456789';
const CHANNELS = 100;
const QUESTIONS = 12;
/** The fake Slack takes this long per digest post, so that a pass of 100 lasts seconds and can be cut. */
const POST_DELAY_MS = 40;

interface Replica {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
}

let fake: FakeSlack;
let connector: FakeConnector;
let db: Awaited<ReturnType<typeof freshDatabase>>;
const replicas: Replica[] = [];

function startReplica(i: number, knowledgeDir: string): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      DATABASE_PATH: join(tempDir(), `replica-${i}.db`),
      KNOWLEDGE_DIR: knowledgeDir,
      // The questions here are about the test knowledge; three replicas each building the ATT&CK/KEV
      // snapshot at once would only make starting slow (the first start is measured by the bench).
      FEEDS_SNAPSHOT: 'off',
      SLACK_BOT_TOKEN: 'xoxb-replicas',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADVISORY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      TEAMS_ALLOW_UNAUTHENTICATED: '1',
      TEAMS_SERVICE_URLS: 'http://127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`replica ${i} did not start:\n${out}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /"port":(\d+).*ThreatBrief is serving/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${port}`, exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`replica ${i} exited (${code}):\n${out}`)));
  });
}

let turn = 0;
/** The load balancer: each request to the next replica that is alive. */
function nextReplica(): Replica {
  const alive = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  return alive[turn++ % alive.length]!;
}

async function send(replica: Replica, path: string, req: { body: string; headers: Record<string, string> }): Promise<number> {
  const res = await fetch(`${replica.base}${path}`, { method: 'POST', body: req.body, headers: req.headers });
  await res.arrayBuffer();
  return res.status;
}

const slash = (channel: string, text: string) =>
  signedRequest(SECRET, {
    form: {
      team_id: FAKE_IDS.team,
      channel_id: channel,
      // One user per channel: the per-user rate limit is for people, not for this test.
      user_id: `U${channel}`,
      command: '/threat',
      text,
      api_app_id: FAKE_IDS.appId,
      response_url: fake.responseUrl(channel),
      trigger_id: '1.2.3',
    },
  });

const mention = (n: number, retryNum?: number) =>
  signedRequest(
    SECRET,
    {
      json: {
        team_id: FAKE_IDS.team,
        api_app_id: FAKE_IDS.appId,
        type: 'event_callback',
        event_id: `Ev0REPLICA${n}`,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: 'app_mention',
          user: 'U0ASKER',
          text: `<@${FAKE_IDS.botUserId}> who is Example Panda?`,
          channel: 'C0QUESTIONS',
          ts: `1700000000.${String(n).padStart(6, '0')}`,
          event_ts: `1700000000.${String(n).padStart(6, '0')}`,
        },
        authorizations: [{ team_id: FAKE_IDS.team, user_id: FAKE_IDS.botUserId, is_bot: true, is_enterprise_install: false }],
      },
    },
    // A retry is signed anew (its own timestamp), as Slack does.
    retryNum === undefined ? {} : { retryNum, timestamp: Math.floor(Date.now() / 1000) + retryNum },
  );

const isDigest = (c: RecordedCall) => (c.body.metadata as { event_type?: string } | undefined)?.event_type === 'threatbrief_digest';
const digests = () => fake.succeeded('chat.postMessage').filter(isDigest);

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  fake = await startFakeSlack();
  connector = await startFakeConnector();
  db = await freshDatabase();
  const knowledge = copyKnowledge(MINI_KNOWLEDGE);
  // Started together: the schema is migrated once, under the lock, whichever comes first.
  replicas.push(...(await Promise.all([0, 1, 2].map((i) => startReplica(i, knowledge)))));
}, 120_000);

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
  await Promise.all(replicas.map((r) => r.exited));
  await fake?.close();
  await connector?.close();
  await db?.drop();
});

describe('three replicas on one PostgreSQL', () => {
  it('answer each question once, though Slack retries it to another replica', async () => {
    for (let n = 0; n < QUESTIONS; n++) {
      expect(await send(nextReplica(), '/slack/events', mention(n))).toBe(200);
      expect(await send(nextReplica(), '/slack/events', mention(n, 1))).toBe(200);
    }
    const answers = () => fake.succeeded('chat.postMessage').filter((c) => c.body.channel === 'C0QUESTIONS');
    await waitFor('the answers', () => answers().length >= QUESTIONS, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(answers()).toHaveLength(QUESTIONS);
    expect(new Set(answers().map((c) => c.body.thread_ts)).size).toBe(QUESTIONS);
    expect(String(answers()[0]!.body.text)).toContain('Example Panda');
  });

  it('answer each Teams activity once, whichever replica takes it', async () => {
    for (let n = 0; n < QUESTIONS; n++) {
      const activity = teamsActivity(connector.url, {
        text: 'who is Example Panda?',
        conversation: { id: `a:replica-${n}`, conversationType: 'personal', tenantId: 'tenant-1' },
      });
      const res = await fetch(`${nextReplica().base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(res.status).toBe(200);
    }
    const answered = connector.posts.filter((p) => p.conversationId.startsWith('a:replica-'));
    expect(answered.map((p) => p.conversationId).sort()).toEqual(Array.from({ length: QUESTIONS }, (_, n) => `a:replica-${n}`).sort());
    expect(shownText(answered[0]!)).toContain('Example Panda');
  });

  it('deliver every digest exactly once when the replica posting them is killed mid-pass', async () => {
    // A Teams conversation subscribes through one replica; its reference is shared with the others.
    const teams = await fetch(`${nextReplica().base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        teamsActivity(connector.url, {
          text: 'subscribe * * * * * UTC',
          conversation: { id: 'a:replica-digests', conversationType: 'personal', tenantId: 'tenant-1' },
        }),
      ),
    });
    expect(teams.status).toBe(200);
    expect(shownText(connector.posts.at(-1)!)).toContain('Subscribed');

    // 100 channels subscribe, every minute, through whichever replica the balancer picks.
    for (let i = 0; i < CHANNELS; i++) {
      const channel = `C${String(i).padStart(4, '0')}`;
      expect(await send(nextReplica(), '/slack/events', slash(channel, 'subscribe * * * * * UTC'))).toBe(200);
    }
    await waitFor('the subscriptions', () => fake.responses.length >= CHANNELS, 30_000);
    expect(fake.responses.map((r) => JSON.stringify(r.body)).filter((b) => !b.includes('Subscribed'))).toEqual([]);

    // One advisory reaches one replica; it is shared, so whichever replica holds the lease posts it.
    const res = await fetch(`${nextReplica().base}/advisories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'replica-advisory',
        title: 'Replica advisory',
        publisher: 'CISA',
        published: '2025-01-10',
        summary: 'One advisory for a hundred channels.',
        entities: ['example-panda'],
        severity: 'high',
        sources: ['acme-report'],
      }),
    });
    expect(res.status).toBe(201);

    fake.delay('chat.postMessage', POST_DELAY_MS);
    // The next minute's pass: kill its replica once about a third of the digests are out.
    await waitFor('the digest pass to be under way', () => digests().length >= CHANNELS / 3, 75_000);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const lease = await client.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'digest-scheduler'");
    const pid = Number(/:(\d+):[0-9a-f]+$/.exec(lease.rows[0]!.holder)?.[1]);
    const victim = replicas.find((r) => r.child.pid === pid);
    expect(victim, `the lease holder ${lease.rows[0]?.holder} is one of the replicas`).toBeDefined();
    victim!.child.kill('SIGKILL');
    await victim!.exited;
    const atKill = digests().length;
    expect(atKill).toBeLessThan(CHANNELS);

    // Another replica takes the lease and the dead one's claims at its next tick and finishes the pass.
    await waitFor(
      'every channel to get its digest',
      async () => {
        const pending = await client.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'");
        const sent = await client.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE status = 'sent'");
        return Number(pending.rows[0]!.n) === 0 && Number(sent.rows[0]!.n) === CHANNELS + 1;
      },
      150_000,
    );
    await client.end();
    const perChannel = new Map<string, number>();
    for (const d of digests()) perChannel.set(String(d.body.channel), (perChannel.get(String(d.body.channel)) ?? 0) + 1);
    expect(perChannel.size).toBe(CHANNELS);
    expect([...perChannel.values()].filter((n) => n !== 1)).toEqual([]);
    // Teams has no way to ask whether a post arrived: at least once (and here, once: it was not in flight at the kill).
    const teamsDigests = connector.posts.filter(
      (p) => p.conversationId === 'a:replica-digests' && shownText(p).includes('Replica advisory'),
    );
    expect(teamsDigests.length).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
