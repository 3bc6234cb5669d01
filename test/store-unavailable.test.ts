import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdvisoryWebhook } from '../adapters/advisory-webhook.js';
import { createHttpServer } from '../adapters/http-server.js';
import { type RunningService, startService } from '../adapters/serve.js';
import { loadServiceConfig } from '../src/app/config.js';
import { FactStore } from '../src/store/fact-store.js';
import { SERVING_BUSY_TIMEOUT_MS } from '../src/store/failures.js';
import { openDatabase } from '../src/store/open.js';
import { KNOWLEDGE, tempDir } from './helpers.js';
import { nextTs, startSlackHarness } from './slack-harness.js';

const TOKEN = 'webhook-token-0123456789abcdef';
const silent = pino({ level: 'silent' });

const advisory = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: 'Pushed advisory',
  publisher: 'CISA',
  published: '2025-03-01',
  summary: 'Pushed by a SOAR.',
  severity: 'high',
  sources: ['mitre-attack-g1017-volt-typhoon'],
  ...extra,
});

const post = (base: string, body: unknown) =>
  fetch(`${base}/advisories`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

let service: RunningService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('a store write that cannot be made', () => {
  it('POST /advisories while another process holds the write lock: 503 with Retry-After, the service keeps serving, and the retry lands', async () => {
    const dbPath = join(tempDir(), 'busy.db');
    const config = loadServiceConfig({ PORT: '0', DATABASE_PATH: dbPath, KNOWLEDGE_DIR: KNOWLEDGE, ADVISORY_WEBHOOK_TOKEN: TOKEN });
    service = await startService({ config, logger: silent, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${service.port}`;
    // Another writer (an import, a second replica) holds the lock for longer than the request may wait.
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const busy = await post(base, advisory('held-lock-1'));
      expect(busy.status).toBe(503);
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await busy.json()).toEqual({ error: expect.stringMatching(/store is busy.*try again/i) as unknown });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const retried = await post(base, advisory('held-lock-1'));
    expect(retried.status).toBe(201);
  });

  it('POST /advisories with the disk full: 503 with a clear JSON error, nothing half-written, the process alive', async () => {
    const dbPath = join(tempDir(), 'full.db');
    const store = new FactStore(openDatabase(dbPath, { busyTimeoutMs: SERVING_BUSY_TIMEOUT_MS }));
    store.db.exec(
      "INSERT INTO sources (id, publisher, title, kind, reliability, origin) VALUES ('mitre-attack-g1017-volt-typhoon', 'MITRE', 'Volt Typhoon', 'research', 'A', 'curated')",
    );
    // The file may not grow by a single page from now on: SQLite answers SQLITE_FULL, as on a full disk.
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    const server = createHttpServer({
      advisories: createAdvisoryWebhook({ store, token: TOKEN, logger: silent }),
      health: () => ({ status: 'ok' }),
      logger: silent,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const big = [0, 1, 2].map((i) => advisory(`full-${i}`, { summary: `${'A long summary. '.repeat(200)}${i}` }));
      const full = await post(base, big);
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).not.toBeNull();
      expect(await full.json()).toEqual({ error: expect.stringMatching(/disk .*full/i) as unknown });
      expect(store.db.prepare('SELECT count(*) FROM advisories').pluck().get()).toBe(0);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      store.db.close();
    }
  });
});

describe('Slack while another process holds the store’s write lock (an import)', () => {
  it('acknowledges a mention at once and answers it: the retry dedupe never waits for the store', async () => {
    const dbPath = join(tempDir(), 'slack-busy.db');
    const h = await startSlackHarness({ dbPath });
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const ts = nextTs();
      const res = await h.event({ type: 'app_mention', user: 'U0TEST', text: '<@U0BOT> who is Flax Typhoon?', ts, channel: 'C0TEST' });
      expect(res.status).toBe(200);
      await h.settle();
      expect(h.fake.succeeded('chat.postMessage').map((c) => c.body.thread_ts)).toEqual([ts]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await h.stop();
    }
  });
});
