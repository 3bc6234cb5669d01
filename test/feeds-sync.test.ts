import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../src/answer/reply.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import type { Poster } from '../src/digest/poster.js';
import { createDispatcher, DEFAULT_LIMITS } from '../src/feeds/download.js';
import { feedStatus } from '../src/feeds/feeds-command.js';
import { createFeedState } from '../src/feeds/state.js';
import { FEED_LEASE, type SyncFeedsOptions, syncFeeds } from '../src/feeds/sync.js';
import type { FactStore } from '../src/store/fact-store.js';
import { createLeases } from '../src/store/leases.js';
import { type FeedServer, startFeedServer } from './doubles/feed-server.js';
import { copyKnowledge, openTestBot, ROOT } from './helpers.js';

const FEEDS = join(ROOT, 'feeds');
const KEV_SUBSET = JSON.parse(readFileSync(join(FEEDS, 'cisa-kev', 'kev_subset_prc_typhoon_cves.json'), 'utf8')) as {
  count: number;
  vulnerabilities: { cveID: string; vendorProject: string; product: string }[];
};
const KEV_FULL = JSON.parse(
  gunzipSync(readFileSync(join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz'))).toString('utf8'),
) as {
  vulnerabilities: { cveID: string; vendorProject: string }[];
};

/** The KEV subset plus the named entries of the full catalog: a newer edition with entries CISA added. */
function kevWith(...cves: string[]): Buffer {
  const extra = cves.map((id) => KEV_FULL.vulnerabilities.find((v) => v.cveID === id)!);
  const vulnerabilities = [...KEV_SUBSET.vulnerabilities, ...extra];
  return Buffer.from(JSON.stringify({ ...KEV_SUBSET, count: vulnerabilities.length, vulnerabilities }));
}

/** Volt Typhoon and Salt Typhoon as one STIX bundle, as attack-stix-data publishes the domain. */
function attackBundle(): Buffer {
  const objects = [
    'intrusion-set--174279b4-399f-4ddb-966e-5efedd1dd5f2.json',
    'intrusion-set--1c3dcf91-b859-4aae-a09c-ae26dc8b6390.json',
  ].flatMap((f) => (JSON.parse(readFileSync(join(FEEDS, 'mitre-cti', f), 'utf8')) as { objects: unknown[] }).objects);
  return Buffer.from(JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects }));
}

/** The first 30 actors of the shipped MISP galaxy cluster. */
function mispCluster(): Buffer {
  const doc = JSON.parse(gunzipSync(readFileSync(join(FEEDS, 'misp-galaxy', 'threat-actor.json.gz'))).toString('utf8')) as {
    values: unknown[];
  };
  return Buffer.from(JSON.stringify({ ...doc, values: doc.values.slice(0, 30) }));
}

const LAST_MODIFIED = 'Mon, 25 Aug 2025 17:04:19 GMT';

/** What the answers read: a sync that changes nothing leaves these exactly as they were. */
function knowledgeRows(store: FactStore): string {
  return JSON.stringify(
    ['entities', 'aliases', 'claims', 'sanctions', 'advisories', 'imports', 'import_records', 'feed_parts'].map((t) =>
      store.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
    ),
  );
}

function recordingPoster(platform: string) {
  const posts: { conversation: string; reply: Reply }[] = [];
  const poster: Poster = {
    platform,
    async post(conversation, reply) {
      posts.push({ conversation, reply });
    },
  };
  return { poster, posts };
}

let server: FeedServer;
beforeEach(async () => {
  server = await startFeedServer();
  server.serve('/kev.json', { kind: 'file', body: kevWith(), lastModified: LAST_MODIFIED });
  server.serve('/attack.json', { kind: 'file', body: attackBundle() });
  server.serve('/misp.json', { kind: 'file', body: mispCluster() });
  server.serve('/mstic.json', { kind: 'file', body: readFileSync(join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')) });
  server.serve('/ofac/SDN.CSV', {
    kind: 'file',
    body: readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv')),
    lastModified: 'Wed, 15 Mar 2023 12:00:00 GMT',
  });
});
afterEach(() => server.close());

/** The sync as `threatbrief feeds sync --url kev=… --url attack=… …` runs it, against the local server. */
function options(store: FactStore, extra: Partial<SyncFeedsOptions> = {}): SyncFeedsOptions {
  const u = server.url;
  return {
    store,
    overrides: new Map([
      ['kev', `${u}/kev.json`],
      ['attack', `${u}/attack.json`],
      ['misp', `${u}/misp.json`],
      ['mstic', `${u}/mstic.json`],
      ['ofac', `${u}/ofac/`],
    ]),
    ...extra,
  };
}

async function setup() {
  const bot = openTestBot(copyKnowledge());
  await bot.engine.refresh();
  return bot;
}

describe('feeds sync', () => {
  it('imports every source on the first sync and records where each file came from', async () => {
    const { store } = await setup();
    const result = await syncFeeds(options(store));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.reports.map((r) => [r.source, r.outcome])).toEqual([
      ['attack', 'imported'],
      ['kev', 'imported'],
      ['ofac', 'imported'],
      ['misp', 'imported'],
      ['mstic', 'imported'],
    ]);
    const kev = createFeedState(store.db).last('kev', ['imported'])!;
    expect(kev).toMatchObject({ urls: [`${server.url}/kev.json`], added: 12, updated: 0, removed: 0 });
    expect(kev.etags[0]).toMatch(/^"[0-9a-f]+"$/);
    expect(kev.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(kev.import_id).toMatch(/^cisa-kev-/);
    // The OFAC mirror had only SDN.CSV: the companion files it lacks are skipped, the list imported.
    expect(createFeedState(store.db).last('ofac', ['imported'])).toMatchObject({
      urls: expect.arrayContaining([`${server.url}/ofac/SDN.CSV`]),
      added: 33,
    });
    const status = feedStatus(store, new Date());
    expect(status.find((s) => s.name === 'kev')).toMatchObject({ stale: false, ageDays: 0, lastSuccess: { outcome: 'imported' } });
  });

  it('asks again with the ETag and changes nothing on a 304', async () => {
    const { store } = await setup();
    await syncFeeds(options(store));
    const before = knowledgeRows(store);
    const again = await syncFeeds(options(store, { only: ['kev'] }));
    expect(again).toMatchObject({ ok: true, reports: [{ source: 'kev', outcome: 'not-modified' }] });
    expect(server.requests.filter((r) => r.path === '/kev.json').at(-1)?.ifNoneMatch).toMatch(/^"/);
    expect(knowledgeRows(store)).toBe(before);
  });

  it('sends a new KEV entry to a subscribed channel exactly once, and never the first sync’s baseline', async () => {
    const { store, engine } = await setup();
    const chat = createBot({ engine, store, now: () => new Date('2025-09-01T08:00:00Z') });
    await chat.handle({ platform: 'slack', conversation: 'C0SEC', text: 'subscribe daily 09:00 UTC' });
    await chat.handle({ platform: 'teams', conversation: '19:sec@thread', text: 'subscribe daily 09:00 UTC' });
    const slack = recordingPoster('slack');
    const teams = recordingPoster('teams');
    const pass = (at: string) => runDigestPass({ store, posters: [slack.poster, teams.poster], at: new Date(at) });

    await syncFeeds(options(store, { only: ['kev'] }));
    await pass('2025-09-01T09:00:00Z');
    expect(slack.posts).toEqual([]);

    server.serve('/kev.json', { kind: 'file', body: kevWith('CVE-2025-53770'), lastModified: 'Tue, 02 Sep 2025 17:00:00 GMT' });
    const changed = await syncFeeds(options(store, { only: ['kev'] }));
    expect(changed).toMatchObject({ ok: true, reports: [{ outcome: 'imported', counts: { added: 1, updated: 0, removed: 0 } }] });
    await pass('2025-09-02T09:00:00Z');
    await syncFeeds(options(store, { only: ['kev'] }));
    await pass('2025-09-03T09:00:00Z');
    for (const platform of [slack, teams]) {
      expect(platform.posts).toHaveLength(1);
      expect(platform.posts[0]!.reply.text).toContain('CVE-2025-53770');
      expect(platform.posts[0]!.reply.text).not.toContain('CVE-2024-3400');
    }
  });

  it('lets a subscription take only the KEV advisories of one vendor or product', async () => {
    const { store, engine } = await setup();
    const chat = createBot({ engine, store, now: () => new Date('2025-09-01T08:00:00Z') });
    await syncFeeds(options(store, { only: ['kev'] }));
    await chat.handle({ platform: 'slack', conversation: 'C0MS', text: 'subscribe daily 09:00 UTC about vendor: Microsoft' });
    await chat.handle({ platform: 'slack', conversation: 'C0CISCO', text: 'subscribe daily 09:00 UTC about vendor: Cisco' });
    const slack = recordingPoster('slack');
    server.serve('/kev.json', { kind: 'file', body: kevWith('CVE-2025-53770', 'CVE-2025-20337') });
    await syncFeeds(options(store, { only: ['kev'] }));
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-09-02T09:00:00Z') });
    const to = (c: string) => slack.posts.filter((p) => p.conversation === c).map((p) => p.reply.text);
    expect(to('C0MS')).toEqual([expect.stringContaining('CVE-2025-53770')]);
    expect(to('C0MS')[0]).not.toContain('CVE-2025-20337');
    expect(to('C0CISCO')).toEqual([expect.stringContaining('CVE-2025-20337')]);
  });

  it.each([
    ['a truncated download', { kind: 'truncated' as const, body: kevWith('CVE-2025-53770'), sent: 2000 }, /cut short|closed|terminated/i],
    ['a 500', { kind: 'status' as const, status: 500 }, /HTTP 500/],
    [
      'a file that is not the catalog it claims to be',
      { kind: 'file' as const, body: Buffer.from('{"catalogVersion": "x", "vulnerabilities": [{"cveID": "CVE-1"}]') },
      /rejected, nothing changed/,
    ],
  ])('changes nothing on %s, says why, and still syncs the other sources', async (_what, behaviour, message) => {
    const { store } = await setup();
    await syncFeeds(options(store));
    const before = knowledgeRows(store);
    server.serve('/kev.json', behaviour);
    server.serve('/mstic.json', {
      kind: 'file',
      body: Buffer.from(JSON.stringify([{ 'Threat actor name': 'Cobalt Test', 'Origin/Threat': 'Test', 'Other names': '' }])),
    });
    const result = await syncFeeds(options(store, { only: ['kev', 'mstic'] }));
    expect(result).toMatchObject({
      ok: true,
      reports: [
        { source: 'kev', outcome: 'failed', message },
        { source: 'mstic', outcome: 'imported' },
      ],
    });
    // The KEV rows, and its validators, are as they were: the next sync asks with the old ETag.
    const kevRows = (s: string) => (JSON.parse(s) as unknown[][]).map((rows) => JSON.stringify(rows).match(/kev[^"]*/g)?.length ?? 0);
    expect(kevRows(knowledgeRows(store))).toEqual(kevRows(before));
    expect(feedStatus(store, new Date()).find((s) => s.name === 'kev')?.lastError?.error).toMatch(message);
  });

  it('gives up on a server that stops answering, within the time cap', async () => {
    const { store } = await setup();
    server.serve('/kev.json', { kind: 'stall' });
    const result = await syncFeeds(options(store, { only: ['kev'], limits: { ...DEFAULT_LIMITS, timeoutMs: 300 } }));
    expect(result).toMatchObject({
      ok: true,
      reports: [{ outcome: 'failed', message: expect.stringMatching(/no complete answer within/) }],
    });
    expect(store.db.prepare("SELECT COUNT(*) FROM advisories WHERE origin LIKE 'import:%'").pluck().get()).toBe(0);
  });

  it('refuses a file over the size cap, compressed or once decompressed', async () => {
    const { store } = await setup();
    const body = kevWith();
    const small = { ...DEFAULT_LIMITS, maxBytes: body.length - 1 };
    expect(await syncFeeds(options(store, { only: ['kev'], limits: small }))).toMatchObject({
      reports: [{ outcome: 'failed', message: expect.stringMatching(/over the \d+-byte cap/) }],
    });
    // A small gzip that inflates past the decompressed cap (a "zip bomb") is refused too.
    server.serve('/kev.json', { kind: 'file', body: gzipSync(Buffer.alloc(5_000_000, 32)), gzip: true });
    expect(
      await syncFeeds(options(store, { only: ['kev'], limits: { ...DEFAULT_LIMITS, maxDecompressedBytes: 1_000_000 } })),
    ).toMatchObject({
      reports: [{ outcome: 'failed', message: expect.stringMatching(/once decompressed/) }],
    });
    expect(store.db.prepare("SELECT COUNT(*) FROM advisories WHERE origin LIKE 'import:%'").pluck().get()).toBe(0);
  });

  it('follows a few redirects, but never to plain HTTP elsewhere, and not endlessly', async () => {
    const { store } = await setup();
    server.serve('/moved.json', { kind: 'redirect', to: '/kev.json', status: 301 });
    const moved = await syncFeeds({ ...options(store, { only: ['kev'] }), overrides: new Map([['kev', `${server.url}/moved.json`]]) });
    expect(moved).toMatchObject({ reports: [{ outcome: 'imported' }] });
    server.serve('/away.json', { kind: 'redirect', to: 'http://feeds.example.org/kev.json' });
    const away = await syncFeeds({ ...options(store, { only: ['kev'] }), overrides: new Map([['kev', `${server.url}/away.json`]]) });
    expect(away).toMatchObject({ reports: [{ outcome: 'failed', message: expect.stringContaining('plain HTTP is refused') }] });
    server.serve('/loop.json', { kind: 'redirect', to: '/loop.json' });
    const loop = await syncFeeds({ ...options(store, { only: ['kev'] }), overrides: new Map([['kev', `${server.url}/loop.json`]]) });
    expect(loop).toMatchObject({ reports: [{ outcome: 'failed', message: expect.stringContaining('more than 3 redirects') }] });
  });

  it('fetches the published HTTPS addresses through HTTPS_PROXY', async () => {
    const { store } = await setup();
    const connects: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req, socket) => {
      connects.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const dispatcher = createDispatcher({ httpsProxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    try {
      const result = await syncFeeds({ store, only: ['kev'], dispatcher });
      expect(result).toMatchObject({ reports: [{ outcome: 'failed' }] });
      expect(connects).toEqual(['www.cisa.gov:443']);
    } finally {
      await dispatcher.close();
      proxy.close();
    }
  });

  it('marks an OFAC entry that a newer edition leaves out as delisted on that date, and keeps it', async () => {
    const { store, engine } = await setup();
    await syncFeeds(options(store, { only: ['ofac'] }));
    const sample = readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv'), 'latin1');
    const withoutBelan = sample
      .split('\r\n')
      .filter((line) => !line.startsWith('21324,'))
      .join('\r\n');
    server.serve('/ofac/SDN.CSV', {
      kind: 'file',
      body: Buffer.from(withoutBelan, 'latin1'),
      lastModified: 'Mon, 01 May 2023 12:00:00 GMT',
    });
    const result = await syncFeeds(options(store, { only: ['ofac'] }));
    expect(result).toMatchObject({ reports: [{ outcome: 'imported', counts: { removed: 1 } }] });
    expect(store.db.prepare("SELECT status, delisted_on FROM sanctions WHERE record = 'ofac-sdn:21324'").get()).toEqual({
      status: 'delisted',
      delisted_on: '2023-05-01',
    });
    await engine.refresh();
    const chat = createBot({ engine, store });
    const reply = await chat.handle({ platform: 'cli', conversation: 'c', user: 'u', direct: true, text: 'is Aleksey Belan sanctioned?' });
    expect(reply.text).toMatch(/^Formerly/);
    expect(reply.text).toContain('Delisted: the 1 May 2023 edition');
    // A third edition still without him changes nothing about the delisting.
    server.serve('/ofac/SDN.CSV', {
      kind: 'file',
      body: Buffer.from(`${withoutBelan}\r\n`, 'latin1'),
      lastModified: 'Thu, 01 Jun 2023 12:00:00 GMT',
    });
    expect(await syncFeeds(options(store, { only: ['ofac'] }))).toMatchObject({ reports: [{ counts: { removed: 0 } }] });
    expect(store.db.prepare("SELECT delisted_on FROM sanctions WHERE record = 'ofac-sdn:21324'").pluck().get()).toBe('2023-05-01');
  });

  it('runs one sync at a time on a store', async () => {
    const { store } = await setup();
    createLeases(store.db).acquire(FEED_LEASE, 'elsewhere:1:abcd', 60_000);
    expect(await syncFeeds(options(store))).toEqual({ ok: false, busy: 'elsewhere:1:abcd' });
    expect(server.requests).toEqual([]);
  });
});
