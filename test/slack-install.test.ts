import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../adapters/serve.js';
import { createInstallationStore, seal, unseal } from '../adapters/slack/installations.js';
import { loadServiceConfig } from '../src/app/config.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { type FakeSlack, fakeWorkspace, type RecordedCall, startFakeSlack } from './doubles/fake-slack.js';
import { copyKnowledge, MINI_KNOWLEDGE, tempDir } from './helpers.js';
import { FAST_RETRIES, shownTexts } from './slack-harness.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  installInto as installFlow,
  manyWorkspaceEnv,
  mentionIn,
  postAdvisory,
  slackEvent,
} from './slack-install-flow.js';

/**
 * Many workspaces: the app installed into two Slack workspaces through the real OAuth flow
 * (install page → Slack's authorize page → redirect with a code → oauth.v2.access), against the
 * local fake Slack, then used from both over signed HTTP requests.
 */

const WEBHOOK_TOKEN = 'webhook-token-0123456789abcdef';
const T1 = 'T0ALPHA';
const T2 = 'T0BRAVO';
const CHANNEL = { [T1]: 'C0ALPHA', [T2]: 'C0BRAVO' } as const;

let fake: FakeSlack;
let service: RunningService;
let base: string;
let dbPath: string;

beforeAll(async () => {
  fake = await startFakeSlack();
  dbPath = join(tempDir(), 'install.db');
  const config = loadServiceConfig({
    PORT: '0',
    DATABASE_PATH: dbPath,
    KNOWLEDGE_DIR: copyKnowledge(MINI_KNOWLEDGE),
    ...manyWorkspaceEnv(fake, randomBytes(32).toString('base64')),
    ADVISORY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
  });
  service = await startService({
    config,
    logger: pino({ level: 'silent' }),
    host: '127.0.0.1',
    slackClientOptions: { retryConfig: FAST_RETRIES, timeout: 2000 },
  });
  base = `http://127.0.0.1:${service.port}`;
  fake.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrl: `${base}/slack/oauth_redirect` });
});

afterAll(async () => {
  await service?.stop();
  await fake?.close();
});

const installInto = (team: string, opts: { cookie?: 'keep' | 'drop' } = {}) => installFlow(fake, team, { start: base, ...opts });
const event = (team: string, ev: Record<string, unknown>) => slackEvent(base, team, ev);

/** A mention of the bot in the team's channel, answered. */
async function mention(team: keyof typeof CHANNEL, text: string) {
  await mentionIn(base, team, CHANNEL[team], text);
  await service.slack!.idle();
}

const posts = () => fake.succeeded('chat.postMessage');
const digests = (calls: RecordedCall[]) => calls.filter((c) => c.body.metadata !== undefined);

const addAdvisory = (id: string) => postAdvisory(base, WEBHOOK_TOKEN, id);

function readState<T>(read: (state: ReturnType<typeof createSqliteState>) => Promise<T>): Promise<T> {
  const store = new FactStore(openDatabase(dbPath));
  return read(createSqliteState(store)).finally(() => store.db.close());
}

describe('many Slack workspaces, installed through the OAuth flow', () => {
  it('refuses a callback whose state is not from this browser session, and stores nothing', async () => {
    const refused = await installInto('T0NOSESSION', { cookie: 'drop' });
    expect(refused.status).toBe(400);
    expect(await readState((s) => s.installations.fetch('team:T0NOSESSION'))).toBeUndefined();
  });

  it('installs into two workspaces, each with a bot token of its own, stored sealed', async () => {
    for (const team of [T1, T2]) {
      const done = await installInto(team);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Thank you!');
    }
    const exchanges = fake.succeeded('oauth.v2.access');
    expect(exchanges.map((c) => c.body.client_id)).toEqual([CLIENT_ID, CLIENT_ID]);
    const [one, two] = [fake.tokenOf(T1), fake.tokenOf(T2)];
    expect(one).toBeDefined();
    expect(two).toBeDefined();
    expect(one).not.toBe(two);
    // At rest, the installations hold no token in clear.
    const sealed = await readState(async (s) => [await s.installations.fetch(`team:${T1}`), await s.installations.fetch(`team:${T2}`)]);
    for (const row of sealed) {
      expect(row).toMatch(/^v1:/);
      expect(row).not.toContain('xoxb-');
    }
  });

  it("answers each workspace's questions with that workspace's token, in its own channel only", async () => {
    fake.reset();
    await mention(T1, 'who is Example Panda?');
    await mention(T2, 'who is Example Panda?');
    const answers = posts();
    expect(answers).toHaveLength(2);
    for (const team of [T1, T2] as const) {
      const mine = answers.filter((c) => c.body.channel === CHANNEL[team]);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.token).toBe(fake.tokenOf(team));
      expect(shownTexts(mine[0]!.body).join(' ')).toContain('Example Panda');
    }
  });

  it("posts each workspace's digests with its own token to its own channel, never the other's", async () => {
    fake.reset();
    await mention(T1, 'subscribe daily 09:00');
    await mention(T2, 'subscribe daily 09:00');
    expect(posts().map((c) => shownTexts(c.body).join(' '))).toEqual([
      expect.stringContaining('Subscribed'),
      expect.stringContaining('Subscribed'),
    ]);
    const subs = await readState((s) => s.subscriptions.all());
    expect(subs.map((s) => [s.conversation, s.team])).toEqual([
      [CHANNEL[T1], T1],
      [CHANNEL[T2], T2],
    ]);
    await addAdvisory('adv-both');
    fake.reset();
    expect((await service.scheduler.runNow(new Date(Date.now() + 25 * 3600_000)))?.sent).toBe(2);
    const sent = digests(posts());
    expect(sent.map((c) => [c.body.channel, c.token])).toEqual(
      expect.arrayContaining([
        [CHANNEL[T1], fake.tokenOf(T1)],
        [CHANNEL[T2], fake.tokenOf(T2)],
      ]),
    );
    expect(sent).toHaveLength(2);
  });

  it("does not hold back one workspace's digest when the other's fails; the failed one follows at the next pass", async () => {
    await addAdvisory('adv-one-fails');
    fake.reset();
    fake.fail('chat.postMessage', { error: 'invalid_auth' });
    const at = Date.now() + 50 * 3600_000;
    expect(await service.scheduler.runNow(new Date(at))).toMatchObject({ sent: 1, failed: 1 });
    const [first] = digests(posts());
    expect(first).toBeDefined();
    expect(await service.scheduler.runNow(new Date(at + 60_000))).toMatchObject({ sent: 1, failed: 0 });
    const sent = digests(posts());
    expect(sent.map((c) => c.body.channel).sort()).toEqual([CHANNEL[T1], CHANNEL[T2]]);
    for (const c of sent) expect(c.token).toBe(fake.tokenOf(c.body.channel === CHANNEL[T1] ? T1 : T2));
  });

  it('forgets a workspace that uninstalls the app: its installation, its subscriptions, its questions', async () => {
    fake.revoke(T2);
    expect((await event(T2, { type: 'app_uninstalled', event_ts: `${Date.now() / 1000}` })).status).toBe(200);
    await service.slack!.idle();
    expect(await readState((s) => s.installations.fetch(`team:${T2}`))).toBeUndefined();
    expect(await readState((s) => s.installations.fetch(`team:${T1}`))).toBeDefined();
    expect((await readState((s) => s.subscriptions.all())).map((s) => s.team)).toEqual([T1]);
    expect((await readState((s) => s.audit.recent(1)))[0]).toMatchObject({ action: 'uninstall', place: T2 });

    fake.reset();
    await mention(T2, 'who is Example Panda?');
    expect(posts()).toEqual([]);
    await addAdvisory('adv-after-uninstall');
    await service.scheduler.runNow(new Date(Date.now() + 75 * 3600_000));
    expect(digests(posts()).map((c) => [c.body.channel, c.token])).toEqual([[CHANNEL[T1], fake.tokenOf(T1)]]);
  });
  it('forgets a workspace whose bot token was revoked, and keeps one where only user tokens were', async () => {
    const T3 = 'T0CHARLIE';
    expect((await installInto(T3)).status).toBe(200);
    const revoked = (tokens: Record<string, string[]>) => event(T3, { type: 'tokens_revoked', tokens, event_ts: `${Date.now() / 1000}` });
    expect((await revoked({ oauth: ['U0SOMEONE'] })).status).toBe(200);
    await service.slack!.idle();
    expect(await readState((s) => s.installations.fetch(`team:${T3}`))).toBeDefined();
    expect((await revoked({ bot: [fakeWorkspace(T3).botUserId] })).status).toBe(200);
    await service.slack!.idle();
    expect(await readState((s) => s.installations.fetch(`team:${T3}`))).toBeUndefined();
    expect(await readState((s) => s.installations.fetch(`team:${T1}`))).toBeDefined();
  });
});

describe('installations sealed at rest', () => {
  const installation = (team: string) => ({
    team: { id: team, name: team },
    enterprise: undefined,
    user: { id: 'U0ADMIN', token: undefined, scopes: undefined },
    bot: { id: 'B0BOT', userId: 'U0BOT', token: `xoxb-${team}-secret`, scopes: ['chat:write'] },
    isEnterpriseInstall: false as const,
    authVersion: 'v2' as const,
  });

  it('opens only with the key it was sealed under, and only in its own row', async () => {
    const store = new FactStore(openDatabase(join(tempDir(), 'sealed.db')));
    try {
      const state = createSqliteState(store);
      const key = randomBytes(32);
      const installations = createInstallationStore(state.installations, key);
      await installations.storeInstallation(installation('T0ONE'));
      await installations.storeInstallation(installation('T0TWO'));
      expect(await installations.botTokenOf('T0ONE')).toBe('xoxb-T0ONE-secret');
      expect(await installations.botTokenOf('T0NONE')).toBeUndefined();

      await expect(createInstallationStore(state.installations, randomBytes(32)).botTokenOf('T0ONE')).rejects.toThrow(
        /does not open with SLACK_INSTALLATION_KEY/,
      );
      // A sealed value copied into another workspace's row does not open there.
      await state.installations.save('team:T0TWO', (await state.installations.fetch('team:T0ONE'))!, new Date());
      await expect(installations.botTokenOf('T0TWO')).rejects.toThrow(/T0TWO.*does not open/);

      expect(await installations.remove('T0ONE')).toBe(true);
      expect(await installations.botTokenOf('T0ONE')).toBeUndefined();
    } finally {
      store.db.close();
    }
  });

  it('detects a changed byte', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'team:T0ONE', 'secret');
    expect(unseal(key, 'team:T0ONE', sealed)).toBe('secret');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => unseal(key, 'team:T0ONE', `v1:${bytes.toString('base64')}`)).toThrow(/does not open/);
  });
});
