import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTeamsAdapter, type TeamsConfig } from '../adapters/teams/adapter.js';
import { withoutLibraryConsole } from '../adapters/teams/quiet-auth.js';
import { parseAdmins } from '../src/access/access.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { type FakeConnector, shownText, startFakeConnector, teamsActivity } from './doubles/fake-connector.js';
import { openTestBot, type TestBot } from './helpers.js';

const logger = pino({ level: process.env.DEBUG_TEAMS ? 'debug' : 'silent' });
const LOOPBACK = ['http://127.0.0.1'];
const CHANNEL = { id: '19:team@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' };

let connector: FakeConnector;
let other: FakeConnector;
let bot: TestBot;
const servers: Server[] = [];

beforeEach(async () => {
  connector = await startFakeConnector();
  other = await startFakeConnector();
  bot = openTestBot();
  await bot.engine.refresh();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
  await connector.close();
  await other.close();
});

async function listen(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A logger that keeps each line it writes, as the service would print it. */
function recordingLogger() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }) };
}

async function serveTeams(config: Partial<TeamsConfig> = {}, admins = '', log = logger) {
  const teams = createTeamsAdapter({
    bot: createBot({ engine: bot.engine, store: bot.store, admins: parseAdmins(admins) }),
    state: createSqliteState(bot.store),
    logger: log,
    config: { appId: '', allowUnauthenticated: true, serviceUrls: LOOPBACK, ...config },
  });
  const base = await listen((req, res) => teams.requestListener(req, res));
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  return { teams, post };
}

describe('Teams: where the bot may send (serviceUrl allow-list)', () => {
  it('refuses an activity whose serviceUrl is not allowed, even without authentication: nothing sent, nothing stored', async () => {
    const { post } = await serveTeams({ serviceUrls: undefined });
    const res = await post(teamsActivity(connector.url, { text: 'who is Flax Typhoon?' }));
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('127.0.0.1');
    expect(connector.posts).toEqual([]);
    expect(bot.store.db.prepare('SELECT count(*) FROM conversation_refs').pluck().get()).toBe(0);
  });

  it('refuses an activity from a tenant not on TEAMS_TENANTS: nothing answered, nothing stored', async () => {
    const { post } = await serveTeams({ tenants: ['tenant-ours'] });
    const theirs = teamsActivity(connector.url, { conversation: { id: 'a:theirs', conversationType: 'personal', tenantId: 'tenant-x' } });
    expect((await post(theirs)).status).toBe(403);
    expect(connector.posts).toEqual([]);
    expect(bot.store.db.prepare('SELECT count(*) FROM conversation_refs').pluck().get()).toBe(0);
    const ours = teamsActivity(connector.url, { conversation: { id: 'a:ours', conversationType: 'personal', tenantId: 'tenant-ours' } });
    expect((await post(ours)).status).toBe(200);
    expect(connector.posts.map((p) => p.conversationId)).toEqual(['a:ours']);
  });

  it('allows the Bot Framework hosts by default and loopback only when listed', async () => {
    const { allowedServiceUrl, parseServiceUrls } = await import('../adapters/teams/service-urls.js');
    const defaults = parseServiceUrls(undefined);
    expect(allowedServiceUrl('https://smba.trafficmanager.net/amer/', defaults)).toBe(true);
    expect(allowedServiceUrl('https://smba.infra.gcc.teams.microsoft.com/', defaults)).toBe(true);
    expect(allowedServiceUrl('https://webchat.botframework.com/', defaults)).toBe(true);
    expect(allowedServiceUrl('http://smba.trafficmanager.net/amer/', defaults)).toBe(false);
    expect(allowedServiceUrl('https://smba.trafficmanager.net.evil.example/', defaults)).toBe(false);
    expect(allowedServiceUrl('https://evil.example/botframework.com/', defaults)).toBe(false);
    expect(allowedServiceUrl('http://127.0.0.1:3978/', defaults)).toBe(false);
    expect(allowedServiceUrl('http://localhost:3978/', defaults)).toBe(false);
    expect(allowedServiceUrl('http://127.0.0.1:3978/', parseServiceUrls('http://127.0.0.1'))).toBe(true);
    expect(allowedServiceUrl('not a url', defaults)).toBe(false);
  });

  it('lets no conversationUpdate (or another tenant) take over a conversation’s digests', async () => {
    const { teams, post } = await serveTeams({ serviceUrls: ['http://127.0.0.1'] });
    await post(teamsActivity(connector.url, { text: 'subscribe daily 09:00 UTC', conversation: CHANNEL }));
    // From another (allowed) service: an install event, and a message claiming another tenant.
    await post(
      teamsActivity(other.url, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:bot-1' }], conversation: CHANNEL }),
    );
    await post(teamsActivity(other.url, { text: 'help', conversation: { ...CHANNEL, tenantId: 'tenant-evil' } }));
    bot.store.addAdvisory(
      {
        id: 'adv-takeover',
        title: 'Takeover test advisory',
        publisher: 'CISA',
        published: '2025-02-01',
        summary: 's',
        entities: [],
        severity: 'high',
        sources: ['treasury-jy2769'],
      },
      'test',
      new Date(),
    );
    const report = await runDigestPass({ store: bot.store, posters: [teams.poster], at: new Date(Date.now() + 86_400_000) });
    expect(report).toMatchObject({ sent: 1 });
    expect(connector.posts.some((p) => shownText(p).includes('Takeover test advisory'))).toBe(true);
    expect(other.posts.some((p) => shownText(p).includes('Takeover test advisory'))).toBe(false);
  });
});

describe('Teams: tokens', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwt = (key: typeof keys.privateKey, claims: Record<string, unknown>) => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })}.${b64(claims)}`;
    return `${head}.${sign('sha256', Buffer.from(head), key).toString('base64url')}`;
  };
  const claims = (serviceUrl: string) => ({
    iss: 'https://api.botframework.com',
    aud: 'app-id-1',
    serviceurl: serviceUrl,
    nbf: Math.floor(Date.now() / 1000) - 60,
    exp: Math.floor(Date.now() / 1000) + 600,
  });

  it('answers 401, plainly, to a token that fails verification', async () => {
    const jwk = keys.publicKey.export({ format: 'jwk' });
    const metadata = await listen((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/keys') res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'test-key', use: 'sig', endorsements: ['msteams'] }] }));
      else res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `http://${req.headers.host}/keys` }));
    });
    const { lines, logger: log } = recordingLogger();
    const printed = vi.spyOn(console, 'error');
    const { post } = await serveTeams(
      { appId: 'app-id-1', appPassword: 'secret', allowUnauthenticated: false, openIdMetadataUrl: `${metadata}/openid` },
      '',
      log,
    );
    const res = await post(teamsActivity(connector.url), { authorization: `Bearer ${jwt(forger.privateKey, claims(connector.url))}` });
    expect(res.status).toBe(401);
    expect(res.text).toBe('Unauthorized');
    expect(connector.posts).toEqual([]);
    // One log line that says why, without a stack trace.
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { msg: string; reason: string };
    expect(line.msg).toBe('Teams request refused: bad token');
    expect(line.reason).toBeTruthy();
    expect(lines[0]).not.toMatch(/\bat \S+ \(|stack/);
    // Nor the library's own lines (the signing keys it holds) on the console.
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });

  it('answers 503 without internals when the signing keys cannot be fetched', async () => {
    const closed = await listen((_req, res) => res.destroy());
    const { lines, logger: log } = recordingLogger();
    const { post } = await serveTeams(
      { appId: 'app-id-1', appPassword: 'secret', allowUnauthenticated: false, openIdMetadataUrl: `${closed}/openid` },
      '',
      log,
    );
    const res = await post(teamsActivity(connector.url), { authorization: `Bearer ${jwt(forger.privateKey, claims(connector.url))}` });
    expect(res.status).toBe(503);
    expect(res.text).toBe('Service Unavailable');
    expect(connector.posts).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('could not fetch the token signing keys');
    expect(lines[0]).not.toMatch(/\bat \S+ \(|stack/);
  });
});

describe('Teams: the library console lines dropped during a token check', () => {
  it('drops only what is printed inside a check, and leaves console.error working after another tool wrapped and restored it', async () => {
    const printed: unknown[] = [];
    const before = console.error;
    console.error = (...args: unknown[]) => printed.push(args.join(' '));
    try {
      await withoutLibraryConsole(async () => console.error('library line 1'));
      // Something else (a test spy, a monitoring agent) wraps console.error between two checks, then restores it.
      const spy = vi.spyOn(console, 'error');
      await withoutLibraryConsole(async () => console.error('library line 2'));
      spy.mockRestore();
      console.error('the application still prints');
      expect(printed).toEqual(['the application still prints']);
    } finally {
      console.error = before;
    }
  });
});

describe('Teams: admins', () => {
  it('matches a "teams:29:…" admin against from.id when the activity also carries an aadObjectId', async () => {
    const { post } = await serveTeams({}, 'teams:29:user-1');
    await post(teamsActivity(connector.url, { text: 'clearance amber', conversation: CHANNEL }));
    expect(shownText(connector.posts.at(-1)!)).toContain('Clearance set: TLP:AMBER');
  });

  it('matches an admin listed by AAD object id too, and still refuses everyone else', async () => {
    const { post } = await serveTeams({}, 'teams:00000000-0000-0000-0000-0000000000a1');
    await post(teamsActivity(connector.url, { text: 'clearance amber', conversation: CHANNEL }));
    expect(shownText(connector.posts.at(-1)!)).toContain('Clearance set: TLP:AMBER');
    await post(
      teamsActivity(connector.url, {
        text: 'clearance red',
        conversation: CHANNEL,
        from: { id: '29:user-2', name: 'Other', aadObjectId: '00000000-0000-0000-0000-0000000000b2' },
      }),
    );
    expect(shownText(connector.posts.at(-1)!)).toContain('Only admins can change clearances');
  });
});
