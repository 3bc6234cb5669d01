import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../src/answer/reply.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import type { Poster } from '../src/digest/poster.js';
import { createDispatcher } from '../src/feeds/download.js';
import { feedStatus } from '../src/feeds/feeds-command.js';
import { createFeedState } from '../src/feeds/state.js';
import { FEED_LEASE, type SyncFeedsOptions, syncFeeds } from '../src/feeds/sync.js';
import type { FactStore } from '../src/store/fact-store.js';
import { createLeases } from '../src/store/leases.js';
import { FEEDS, kevWith, localOverrides, publishAll } from './doubles/feed-files.js';
import { type FeedServer, startFeedServer } from './doubles/feed-server.js';
import { copyKnowledge, openTestBot, ROOT } from './helpers.js';

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
  publishAll(server);
});
afterEach(() => server.close());

/** The sync as `threatbrief feeds sync --url kev=… --url attack=… …` runs it, against the local server. */
function options(store: FactStore, extra: Partial<SyncFeedsOptions> = {}): SyncFeedsOptions {
  return { store, overrides: localOverrides(server), ...extra };
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

  // Failed downloads of every source (timeout, caps, redirects, truncation, 500) are in feeds-failures.test.ts.
  it.each([
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

  it('gives the OFAC companion files their own dates: a newer ALT.CSV and ADD.CSV say so beside an older list', async () => {
    const { store } = await setup();
    server.serve('/ofac/ALT.CSV', {
      kind: 'file',
      body: readFileSync(join(FEEDS, 'ofac', 'alt-sample-2026-06.csv')),
      lastModified: 'Mon, 01 Jun 2026 12:00:00 GMT',
    });
    server.serve('/ofac/ADD.CSV', {
      kind: 'file',
      body: readFileSync(join(FEEDS, 'ofac', 'add-sample-2026-06.csv')),
      lastModified: 'Tue, 02 Jun 2026 12:00:00 GMT',
    });
    const result = await syncFeeds(options(store, { only: ['ofac'] }));
    expect(result).toMatchObject({ reports: [{ outcome: 'imported' }] });
    expect(store.loadedLists()).toMatchObject([{ edition: '2023-03-15' }]);
    expect(store.aliases('sdn-12812').some((a) => a.usedBy?.endsWith('(ALT.CSV, 1 June 2026)'))).toBe(true);
    expect(store.claims('sdn-36').find((c) => c.predicate === 'address')?.text).toContain('(ADD.CSV, 2 June 2026, entry 36)');
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

  it('syncs the consolidated non-SDN list beside the SDN list, tells them apart in answers, and delists from each on its own', async () => {
    const { store, engine } = await setup();
    const cons = (file: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'ofac', 'consolidated', file));
    const june = 'Mon, 01 Jun 2026 12:00:00 GMT';
    for (const file of ['CONS_PRIM.CSV', 'CONS_ALT.CSV', 'CONS_ADD.CSV'])
      server.serve(`/ofac/${file}`, { kind: 'file', body: cons(file), lastModified: june });
    expect(await syncFeeds(options(store, { only: ['ofac'] }))).toMatchObject({
      reports: [{ outcome: 'imported', counts: { added: 33 + 3 + 2 + 1 } }],
    });
    expect(store.loadedLists()).toEqual([
      { name: 'OFAC Consolidated Sanctions List (non-SDN)', edition: '2026-06-01', entries: 3 },
      { name: 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)', edition: '2023-03-15', entries: 33 },
    ]);
    await engine.refresh();
    const chat = createBot({ engine, store });
    const ask = async (text: string) => (await chat.handle({ platform: 'cli', conversation: 'c', user: 'u', direct: true, text })).text;
    expect(await ask('is Example Sectoral Bank PJSC sanctioned?')).toMatch(
      /^Yes — listed as “EXAMPLE SECTORAL BANK PJSC” on the OFAC Consolidated Sanctions List \(non-SDN\), 1 June 2026 edition/,
    );
    expect(await ask('is Aleksey Belan sanctioned?')).toContain(
      'on the OFAC Specially Designated Nationals and Blocked Persons List (SDN)',
    );
    expect(store.aliases('cons-990201').map((a) => `${a.name} | ${a.usedBy}`)).toContain(
      'EXAMPLE SECTORAL BANK PUBLIC JOINT STOCK COMPANY | OFAC consolidated non-SDN list, a.k.a. (CONS_ALT.CSV, 1 June 2026)',
    );
    expect(store.claims('cons-990201').find((c) => c.predicate === 'address')?.text).toBe(
      "Address on OFAC's consolidated non-SDN list (CONS_ADD.CSV, 1 June 2026, entry 990201): Example Street 1, Moscow 101000, Russia.",
    );

    // A newer consolidated list without entry 990202 delists it there; the SDN list, unchanged, delists nothing.
    const withoutHolding = cons('CONS_PRIM.CSV')
      .toString('latin1')
      .split('\r\n')
      .filter((line) => !line.startsWith('990202,'))
      .join('\r\n');
    server.serve('/ofac/CONS_PRIM.CSV', {
      kind: 'file',
      body: Buffer.from(withoutHolding, 'latin1'),
      lastModified: 'Wed, 01 Jul 2026 12:00:00 GMT',
    });
    expect(await syncFeeds(options(store, { only: ['ofac'] }))).toMatchObject({
      reports: [{ outcome: 'imported', counts: { removed: 1 } }],
    });
    const statuses = store.db.prepare("SELECT record, status, delisted_on FROM sanctions WHERE status = 'delisted'").all();
    expect(statuses).toEqual([{ record: 'ofac-cons:990202', status: 'delisted', delisted_on: '2026-07-01' }]);
    expect(store.loadedLists().map((l) => [l.edition, l.entries])).toEqual([
      ['2026-07-01', 2],
      ['2023-03-15', 33],
    ]);
  });

  it('runs one sync at a time on a store', async () => {
    const { store } = await setup();
    createLeases(store.db).acquire(FEED_LEASE, 'elsewhere:1:abcd', 60_000);
    expect(await syncFeeds(options(store))).toEqual({ ok: false, busy: 'elsewhere:1:abcd' });
    expect(server.requests).toEqual([]);
  });
});
