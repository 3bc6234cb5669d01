import { spawn, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/log.js';
import { type RunningService, startService } from '../adapters/serve.js';
import { loadServiceConfig, type ServiceConfig } from '../src/app/config.js';
import { type FakeSlack, signedRequest, startFakeSlack } from './doubles/fake-slack.js';
import { CLI, KNOWLEDGE, seededStore } from './helpers.js';
import { BOT_TOKEN, FAST_RETRIES, SIGNING_SECRET } from './slack-harness.js';

/** The environment without any Slack or port settings the developer's shell may have. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|PORT$|LOG_LEVEL$)/.test(k)));
  return { ...env, DATABASE_PATH: seededStore(), KNOWLEDGE_DIR: KNOWLEDGE, ...extra };
}

const silent = () => createLogger('silent');

describe('the service (adapters/serve.ts)', () => {
  let fake: FakeSlack;
  let service: RunningService | undefined;
  beforeEach(async () => {
    fake = await startFakeSlack();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await fake.close();
  });

  const config = (): ServiceConfig =>
    loadServiceConfig(
      cleanEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' }),
    );

  it('serves /healthz with the adapters running and the knowledge version loaded', async () => {
    service = await startService({
      config: config(),
      logger: silent(),
      slackClientOptions: { retryConfig: FAST_RETRIES },
      host: '127.0.0.1',
    });
    const res = await fetch(`http://127.0.0.1:${service.port}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; adapters: string[]; knowledgeVersion: string };
    expect(body).toMatchObject({ status: 'ok', adapters: ['slack-http'] });
    expect(body.knowledgeVersion).toMatch(/\S/);
    expect(fake.succeeded('auth.test')[0]?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect((await fetch(`http://127.0.0.1:${service.port}/nowhere`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${service.port}/slack/events`)).status).toBe(405);
  });

  it('delivers the answers in progress before it stops', async () => {
    service = await startService({
      config: config(),
      logger: silent(),
      slackClientOptions: { retryConfig: FAST_RETRIES },
      host: '127.0.0.1',
    });
    fake.fail('response', { status: 503 }, { status: 503 });
    const { body, headers } = signedRequest(SIGNING_SECRET, {
      form: {
        command: '/threat',
        text: 'latest',
        team_id: 'T0TEST',
        user_id: 'U0TEST',
        channel_id: 'C0TEST',
        response_url: fake.responseUrl('drain'),
        trigger_id: 't',
      },
    });
    expect((await fetch(`http://127.0.0.1:${service.port}/slack/events`, { method: 'POST', headers, body })).status).toBe(200);
    await service.stop();
    expect(fake.responses.map((r) => r.path)).toEqual(['/response/drain']);
    await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
  });

  it('fails to start, naming the reason, when Slack rejects the token', async () => {
    fake.fail('auth.test', { error: 'invalid_auth' });
    await expect(
      startService({ config: config(), logger: silent(), slackClientOptions: { retryConfig: FAST_RETRIES }, host: '127.0.0.1' }),
    ).rejects.toThrow(/invalid_auth/);
  });
});

describe('threatbrief serve (npm start)', () => {
  it('names missing and malformed Slack settings and exits 1', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve'], {
      encoding: 'utf8',
      env: cleanEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, PORT: 'eighty' }),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set');
    expect(r.stderr).toContain('PORT: must be a port number');
  });

  it('serves the web console and prints its URL when no chat platform is set, without reading a standard input that is not a terminal', async () => {
    const child = spawn(process.execPath, [CLI, 'serve'], { env: cleanEnv({ PORT: '0' }), stdio: ['pipe', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString('utf8');
        const m = /ThreatBrief console: (http:\/\/localhost:\d+\/)/.exec(err);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`serve exited early with ${code}: ${err}`)));
    });
    // A line on a piped standard input is not a chat: the service keeps serving.
    child.stdin.end('quit\n');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>ThreatBrief console</title>');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('keeps the terminal chat beside the console when standard input is a terminal (npm start)', async () => {
    // script(1) gives the command a terminal; its input is what is typed there.
    const child = spawn('script', ['-qec', `"${process.execPath}" "${CLI}" serve`, '/dev/null'], {
      env: cleanEnv({ PORT: '0' }),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write('who is Flax Typhoon?\nquit\n');
    expect(await exited).toBe(0);
    expect(out).toMatch(/ThreatBrief console: http:\/\/localhost:\d+\//);
    expect(out).toContain('Flax Typhoon is');
    expect(out).toContain('Sources:');
  });

  it('serves Slack over HTTP, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const fake = await startFakeSlack();
    try {
      const child = spawn(process.execPath, [CLI, 'serve'], {
        env: cleanEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: Record<string, unknown>[] = [];
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const serving = new Promise<number>((resolve, reject) => {
        let buffered = '';
        child.stdout.pipe(
          new Writable({
            write(chunk: Buffer, _enc, done) {
              buffered += chunk.toString('utf8');
              const parts = buffered.split('\n');
              buffered = parts.pop()!;
              for (const p of parts) {
                const line = JSON.parse(p) as Record<string, unknown>;
                lines.push(line);
                if (line.msg === 'ThreatBrief is serving') resolve(line.port as number);
              }
              done();
            },
          }),
        );
        void exited.then((code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const port = await serving;
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { adapters: string[] };
      expect(health.adapters).toEqual(['slack-http']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines.map((l) => l.msg)).toContain('ThreatBrief stopped');
    } finally {
      await fake.close();
    }
  });
});
