import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import { feedStatus } from '../src/feeds/feeds-command.js';
import { ensureSnapshot, SNAPSHOT } from '../src/feeds/snapshot.js';
import { syncFeeds } from '../src/feeds/sync.js';
import { startFeedServer } from './doubles/feed-server.js';
import { copyKnowledge, openTestBot, ROOT, tempDir } from './helpers.js';

const FEEDS = join(ROOT, 'feeds');

/**
 * A snapshot folder laid out like feeds/ but small: the KEV subset, Volt and Salt Typhoon as the
 * ATT&CK bundle, the Microsoft table, and one MISP actor (the full-size build is in test/e2e/);
 * beside them, as in feeds/, the OFAC samples.
 */
function smallSnapshot(): string {
  const dir = tempDir();
  const objects = [
    'intrusion-set--174279b4-399f-4ddb-966e-5efedd1dd5f2.json',
    'intrusion-set--1c3dcf91-b859-4aae-a09c-ae26dc8b6390.json',
  ].flatMap((f) => (JSON.parse(readFileSync(join(FEEDS, 'mitre-cti', f), 'utf8')) as { objects: unknown[] }).objects);
  const misp = {
    name: 'Threat Actor',
    type: 'threat-actor',
    uuid: '7cdff317-a673-4474-84ec-4f1754947823',
    version: 1,
    values: [
      {
        value: 'Kimsuky',
        uuid: '0a000000-0000-4000-8000-000000000001',
        description: 'A North Korean group.',
        meta: { synonyms: ['Velvet Chollima'], country: 'KP' },
      },
    ],
  };
  const content: Record<string, Buffer> = {
    attack: Buffer.from(JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000002', objects })),
    misp: Buffer.from(JSON.stringify(misp)),
    kev: readFileSync(join(FEEDS, 'cisa-kev', 'kev_subset_prc_typhoon_cves.json')),
    mstic: readFileSync(join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')),
  };
  cpSync(join(FEEDS, 'ofac'), join(dir, 'ofac'), { recursive: true });
  for (const f of SNAPSHOT) {
    mkdirSync(join(dir, f.path, '..'), { recursive: true });
    writeFileSync(join(dir, f.path), f.path.endsWith('.gz') ? gzipSync(content[f.source]!) : content[f.source]!);
  }
  return dir;
}

describe('the shipped snapshot', () => {
  it('builds an empty store on first use, with progress, so that it answers offline', async () => {
    const bot = openTestBot(copyKnowledge());
    await bot.engine.refresh();
    const steps: string[] = [];
    const built = await ensureSnapshot(bot.store, smallSnapshot(), {
      step: (done, total, label) => steps.push(`${done}/${total} ${label}`),
    });
    expect(built).toMatchObject({
      built: true,
      sources: [{ source: 'attack' }, { source: 'misp' }, { source: 'kev', added: 12 }, { source: 'mstic' }],
    });
    expect(steps[0]).toBe('0/8 reading MITRE ATT&CK Enterprise v18.1');
    expect(steps.at(-1)).toBe('8/8 done');
    await bot.engine.refresh();
    expect((await bot.engine.answer('who is Kimsuky?')).text).toContain('North Korean');
    expect((await bot.engine.answer('is CVE-2024-3400 in KEV?')).text).toContain('CVE-2024-3400');
    // The snapshot is never a fresh sync: each source says it is only the shipped copy.
    expect(
      feedStatus(bot.store, new Date())
        .filter((s) => s.lastSuccess?.outcome === 'snapshot')
        .map((s) => [s.name, s.stale]),
    ).toEqual([
      ['attack', true],
      ['kev', true],
      ['misp', true],
      ['mstic', true],
    ]);
  });

  it('is built once: a later start, or a second process, finds it done', async () => {
    const bot = openTestBot(copyKnowledge());
    const dir = smallSnapshot();
    const [a, b] = await Promise.all([ensureSnapshot(bot.store, dir), ensureSnapshot(bot.store, dir)]);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(await ensureSnapshot(bot.store, dir)).toEqual({ built: false });
    expect(bot.store.db.prepare("SELECT COUNT(*) FROM imports WHERE format = 'cisa-kev'").pluck().get()).toBe(1);
  });

  it('is a baseline: its KEV entries never flood a subscribed channel', async () => {
    const bot = openTestBot(copyKnowledge());
    await bot.engine.refresh();
    const chat = createBot({ engine: bot.engine, store: bot.store, now: () => new Date('2025-09-01T08:00:00Z') });
    await chat.handle({ platform: 'slack', conversation: 'C0SEC', text: 'subscribe daily 09:00 UTC' });
    await ensureSnapshot(bot.store, smallSnapshot());
    const posts: string[] = [];
    await runDigestPass({
      store: bot.store,
      posters: [{ platform: 'slack', post: async (_c, reply) => void posts.push(reply.text) }],
      at: new Date('2025-09-01T09:00:00Z'),
    });
    expect(posts).toEqual([]);
  });

  it('ships no sanctions list, and its OFAC samples never count as one: only a synced list is named as checked', async () => {
    const bot = openTestBot(copyKnowledge());
    await bot.engine.refresh();
    await ensureSnapshot(bot.store, smallSnapshot());
    await bot.engine.refresh();
    expect(bot.store.loadedLists()).toEqual([]);
    // Aleksey Belan is on the SDN sample beside the snapshot; Kimsuky is on no list.
    for (const q of ['is Kimsuky sanctioned?', 'is Aleksey Belan sanctioned?']) {
      const text = (await bot.engine.answer(q)).text;
      expect(text).toContain('in the curated designations');
      expect(text).toContain('No sanctions list is loaded');
    }

    const server = await startFeedServer();
    try {
      server.serve('/SDN.CSV', {
        kind: 'file',
        body: readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv')),
        lastModified: 'Wed, 15 Mar 2023 12:00:00 GMT',
      });
      const synced = await syncFeeds({ store: bot.store, only: ['ofac'], overrides: new Map([['ofac', `${server.url}/`]]) });
      expect(synced).toMatchObject({ ok: true, reports: [{ source: 'ofac', outcome: 'imported' }] });
    } finally {
      await server.close();
    }
    await bot.engine.refresh();
    const unlisted = (await bot.engine.answer('is Kimsuky sanctioned?')).text;
    // A 33-entry sample is an extract: its entries answer "listed", its silence is no "no".
    expect(unlisted).toContain(
      'the 33 entries of the OFAC Specially Designated Nationals and Blocked Persons List (SDN) extract loaded (15 March 2023 edition)',
    );
    expect(unlisted).toMatch(/no complete sanctions list is loaded, so I can't say/i);
    expect((await bot.engine.answer('is Aleksey Belan sanctioned?')).text).toMatch(
      /^Yes — listed as “BELAN, Aleksey Alekseyevich”.*15 March 2023 edition/,
    );
  });

  it('refuses a snapshot file that turns out to be a sanctions list, and loads nothing at all', async () => {
    const bot = openTestBot(copyKnowledge());
    const dir = smallSnapshot();
    const mstic = SNAPSHOT.find((f) => f.source === 'mstic')!;
    writeFileSync(join(dir, mstic.path), readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv')));
    await expect(ensureSnapshot(bot.store, dir)).rejects.toThrow(
      /the shipped snapshot is damaged: feeds\/microsoft-mstic\/MicrosoftMapping.json/,
    );
    expect(bot.store.loadedLists()).toEqual([]);
    // One transaction: the sources read before the damaged file are not half-loaded either.
    expect(bot.store.db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(0);
  });
});
