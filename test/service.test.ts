import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../adapters/serve.js';
import { loadServiceConfig } from '../src/app/config.js';
import { startFakeConnector, teamsActivity } from './doubles/fake-connector.js';
import { KNOWLEDGE, tempDir } from './helpers.js';

const TOKEN = 'webhook-token-0123456789abcdef';
let service: RunningService;
let connector: Awaited<ReturnType<typeof startFakeConnector>>;
let base: string;

beforeEach(async () => {
  connector = await startFakeConnector();
  const config = loadServiceConfig({
    PORT: '0',
    DATABASE_PATH: join(tempDir(), 's.db'),
    KNOWLEDGE_DIR: KNOWLEDGE,
    TEAMS_ALLOW_UNAUTHENTICATED: '1',
    TEAMS_SERVICE_URLS: 'http://127.0.0.1',
    ADVISORY_WEBHOOK_TOKEN: TOKEN,
  });
  service = await startService({ config, logger: pino({ level: 'silent' }), host: '127.0.0.1' });
  base = `http://127.0.0.1:${service.port}`;
});
afterEach(async () => {
  await service.stop();
  await connector.close();
});

const advisory = {
  id: 'webhook-advisory-1',
  title: 'Pushed advisory',
  publisher: 'CISA',
  published: '2025-03-01',
  summary: 'Pushed by a SOAR.',
  entities: ['volt-typhoon'],
  severity: 'high',
  sources: ['mitre-attack-g1017-volt-typhoon'],
};

function postAdvisory(body: unknown, token: string | null = TOKEN, type = 'application/json') {
  return fetch(`${base}/advisories`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the service', () => {
  it('serves Teams beside the webhook, and says so on /healthz', async () => {
    const health = (await (await fetch(`${base}/healthz`)).json()) as { adapters: string[]; knowledgeVersion: string };
    expect(health.adapters).toEqual(['teams']);
    expect(health.knowledgeVersion).toMatch(/^[0-9a-f]{12}$/);
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsActivity(connector.url)),
    });
    expect(res.status).toBe(200);
    expect(connector.posts[0]?.activity.summary).toContain('Flax Typhoon');
  });

  it('takes advisories by webhook with a bearer token: 401 without it, 400 naming the problem, 201 once', async () => {
    expect((await postAdvisory(advisory, null)).status).toBe(401);
    expect((await postAdvisory(advisory, 'wrong-token-wrong-token')).status).toBe(401);
    const bad = await postAdvisory({ ...advisory, published: 'yesterday', entities: ['nobody'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toContain(
      'body: published: must be a date as YYYY, YYYY-MM or YYYY-MM-DD',
    );
    expect((await postAdvisory('{oops')).status).toBe(400);
    expect((await postAdvisory(advisory, TOKEN, 'text/plain')).status).toBe(415);
    const created = await postAdvisory(advisory);
    expect(created.status).toBe(201);
    const { added } = (await created.json()) as { added: { id: string; seq: number }[] };
    expect(added[0]?.id).toBe('webhook-advisory-1');
    const again = await postAdvisory(advisory);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { added: unknown[] }).added).toEqual([]);
  });
});
