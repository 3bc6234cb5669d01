import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createHttpServer, type Readiness } from '../adapters/http-server.js';
import { createLogger } from '../adapters/log.js';
import { type RunningService, startService } from '../adapters/serve.js';
import { loadServiceConfig } from '../src/app/config.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { type FakeConnector, shownText, startFakeConnector, teamsActivity } from './doubles/fake-connector.js';
import { FAKE_IDS, type FakeSlack, startFakeSlack } from './doubles/fake-slack.js';
import { CLI, KNOWLEDGE, seededStore, tempDir } from './helpers.js';
import { BOT_TOKEN, FAST_RETRIES, SIGNING_SECRET } from './slack-harness.js';

const silent = () => createLogger('silent');
type ReadyBody = { status: string; failing?: string[]; checks: Record<string, { ok: boolean } & Record<string, unknown>> };

let service: RunningService | undefined;
let fake: FakeSlack | undefined;
let connector: FakeConnector | undefined;
afterEach(async () => {
  await service?.stop();
  await fake?.close();
  await connector?.close();
  service = fake = connector = undefined;
});

async function startBoth(env: Record<string, string> = {}): Promise<{ base: string; dbPath: string }> {
  fake = await startFakeSlack();
  connector = await startFakeConnector();
  // A store that already holds knowledge/, unless the test points the service at other knowledge.
  const dbPath = env.DATABASE_PATH ?? (env.KNOWLEDGE_DIR ? join(tempDir(), 'ops.db') : seededStore());
  const config = loadServiceConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    TEAMS_ALLOW_UNAUTHENTICATED: '1',
    TEAMS_SERVICE_URLS: 'http://127.0.0.1',
    PORT: '0',
    KNOWLEDGE_DIR: KNOWLEDGE,
    ...env,
    DATABASE_PATH: dbPath,
  });
  service = await startService({ config, logger: silent(), slackClientOptions: { retryConfig: FAST_RETRIES }, host: '127.0.0.1' });
  return { base: `http://127.0.0.1:${service.port}`, dbPath };
}

async function readyz(base: string): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

describe('GET /readyz', () => {
  it('is 200 with every check when the store answers, knowledge is loaded and the adapters are up', async () => {
    const { base } = await startBoth();
    const { status, body } = await readyz(base);
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.failing).toBeUndefined();
    expect(body.checks.store).toEqual({ ok: true });
    expect(body.checks.knowledge).toMatchObject({ ok: true, version: expect.stringMatching(/^[0-9a-f]{12}$/) as unknown });
    expect(body.checks.adapters).toEqual({ ok: true, 'slack-http': true, teams: true });
    expect(body.checks.draining).toEqual({ ok: true });
    expect((await fetch(`${base}/readyz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base}/readyz`, { method: 'POST' })).status).toBe(405);
    // Liveness stays what it was.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('is 503 naming the knowledge check when no knowledge is loaded, while /healthz stays 200', async () => {
    const empty = join(tempDir(), 'no-knowledge');
    mkdirSync(empty);
    const { base } = await startBoth({ KNOWLEDGE_DIR: empty });
    const { status, body } = await readyz(base);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['knowledge']);
    expect(body.checks.knowledge).toEqual({ ok: false, error: 'no knowledge loaded' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('names a failing store check, and a check that throws, without failing the endpoint', async () => {
    let ready: () => Readiness = () => ({ store: { ok: false, error: 'The database connection is not open' }, knowledge: { ok: true } });
    const server = createHttpServer({ health: () => ({ status: 'ok' }), ready: () => ready(), logger: silent() });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      let r = await readyz(base);
      expect(r.status).toBe(503);
      expect(r.body.failing).toEqual(['store']);
      ready = () => {
        throw new Error('boom');
      };
      r = await readyz(base);
      expect(r.status).toBe(503);
      expect(r.body.failing).toEqual(['checks']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is 503 naming the store when the store file is read-only (every turn that writes would fail)', async () => {
    const dir = tempDir();
    const dbPath = seededStore(join(dir, 'ro.db'));
    // Read-only for the service's user: root ignores file modes, so as root the service runs as "nobody".
    chmodSync(dir, 0o777);
    chmodSync(dbPath, 0o444);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawn(process.execPath, [CLI, 'serve'], {
      ...asNobody,
      env: {
        PATH: process.env.PATH ?? '',
        FEEDS_SNAPSHOT: 'off',
        DATABASE_PATH: dbPath,
        KNOWLEDGE_DIR: KNOWLEDGE,
        TEAMS_ALLOW_UNAUTHENTICATED: '1',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          const m = /"port":(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const { status, body } = await readyz(`http://127.0.0.1:${port}`);
      expect(status).toBe(503);
      expect(body.failing).toEqual(['store']);
      expect(body.checks.store).toEqual({ ok: false, error: 'the store is read-only' });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('as `threatbrief serve`, answers in its worker thread (a Teams message answered end to end)', async () => {
    connector = await startFakeConnector();
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        FEEDS_SNAPSHOT: 'off',
        DATABASE_PATH: seededStore(),
        KNOWLEDGE_DIR: KNOWLEDGE,
        TEAMS_ALLOW_UNAUTHENTICATED: '1',
        TEAMS_SERVICE_URLS: 'http://127.0.0.1',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          const m = /"port":(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsActivity(connector.url, { text: 'is Integrity Tech sanctioned?' })),
      });
      expect(res.status).toBe(200);
      expect(shownText(connector.posts.at(-1)!)).toMatch(/Yes — Integrity Technology Group/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('in Socket Mode, follows the connection: 503 naming the adapters while Slack is unreachable', async () => {
    fake = await startFakeSlack();
    const wss = new WebSocket.Server({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    fake.answerWith('apps.connections.open', { ok: true, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link` });
    const socket = new Promise<WebSocket>((resolve) =>
      wss.once('connection', (ws: WebSocket) => {
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: FAKE_IDS.appId } }));
        resolve(ws);
      }),
    );
    const config = loadServiceConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: 'xapp-1-A0TEST-0000-test',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_PATH: seededStore(),
      KNOWLEDGE_DIR: KNOWLEDGE,
    });
    service = await startService({ config, logger: silent(), slackClientOptions: { retryConfig: FAST_RETRIES }, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${service.port}`;
    const ws = await socket;
    expect((await readyz(base)).body.checks.adapters).toEqual({ ok: true, 'slack-socket': true });
    // Slack goes away: the socket drops and reconnecting finds nobody listening.
    const closed = new Promise((resolve) => wss.close(resolve));
    ws.terminate();
    await closed;
    fake.answerWith('apps.connections.open', { ok: true, url: `ws://127.0.0.1:${await closedPort()}/link` });
    let r = await readyz(base);
    for (let i = 0; i < 100 && r.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      r = await readyz(base);
    }
    expect(r.status).toBe(503);
    expect(r.body.failing).toEqual(['adapters']);
    expect(r.body.checks.adapters).toEqual({ ok: false, 'slack-socket': false });
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('graceful stop (what SIGTERM runs)', () => {
  it('answers 503 with Connection: close to a request that arrives on an open connection while draining', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const server = createHttpServer({
      teamsMessages: (_req, res) => void slow.then(() => res.writeHead(200, { 'content-length': '2' }).end('ok')),
      health: () => ({ status: 'ok' }),
      logger: silent(),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    // The first request is in flight when the stop begins; the second comes on the same connection after it.
    const request = (path: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
    socket.write(request('/api/messages'));
    // Waits for the request to arrive rather than for a fixed time (a loaded machine takes longer).
    await vi.waitFor(() => expect(server.inFlight()).toBe(1));
    server.drain();
    socket.write(request('/api/messages'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const settled = server.settled(2000);
    release();
    expect(await settled).toBe(true);
    await ended;
    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses.map((r) => r.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 503']);
    expect(responses[1]).toMatch(/connection: close/i);
    expect(responses[1]).toContain('shutting down');
    await new Promise((resolve) => server.close(resolve));
  });

  it('finishes a Teams answer in flight, refuses new work, and reports not ready while draining', async () => {
    const { base } = await startBoth();
    connector!.delay(300);
    const answered = fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsActivity(connector!.url)),
    });
    // The answer takes milliseconds; then the connector holds the reply for 300 ms: stop in between.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connector!.posts).toHaveLength(0);
    const stopped = service!.stop();
    const during = service!.readiness();
    expect(during.draining).toEqual({ ok: false });
    await expect(fetch(`${base}/healthz`)).rejects.toThrow(); // no new connections
    expect((await answered).status).toBe(200);
    await stopped;
    expect(connector!.posts).toHaveLength(1);
    expect(shownText(connector!.posts[0]!)).toContain('Flax Typhoon');
    service = undefined;
  });

  it('lets a digest pass that is posting finish and mark its outbox row sent', async () => {
    const dbPath = seededStore();
    const seed = new FactStore(openDatabase(dbPath));
    const parsed = parseSchedule('daily 00:00 UTC');
    if (!parsed.ok) throw new Error(parsed.error);
    await createSqliteState(seed).subscriptions.add(
      { platform: 'slack', conversation: 'C0DIGEST', schedule: parsed.schedule, filters: [] },
      new Date(Date.now() - 3 * 86_400_000),
    );
    seed.addAdvisory(
      {
        id: 'ops-advisory',
        title: 'Ops advisory',
        publisher: 'CISA',
        published: '2025-01-06',
        summary: 'For the stop test.',
        entities: [],
        severity: 'high',
        sources: [],
      },
      'test',
      new Date(),
    );
    seed.db.close();

    fake = await startFakeSlack();
    fake.delay('chat.postMessage', 400);
    connector = await startFakeConnector();
    const config = loadServiceConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      KNOWLEDGE_DIR: KNOWLEDGE,
      DATABASE_PATH: dbPath,
    });
    const running = await startService({ config, logger: silent(), slackClientOptions: { retryConfig: FAST_RETRIES }, host: '127.0.0.1' });
    // The pass at start is now waiting on chat.postMessage; stop at once.
    const t0 = Date.now();
    await running.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(fake.succeeded('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0DIGEST']);
    const after = openDatabase(dbPath);
    try {
      expect(after.prepare('SELECT status FROM outbox').pluck().all()).toEqual(['sent']);
    } finally {
      after.close();
    }
  });
});
