import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSdn } from '../../bench/import.js';
import { ensureSnapshot } from '../../src/feeds/snapshot.js';
import { syncFeeds } from '../../src/feeds/sync.js';
import { type FeedServer, startFeedServer } from '../doubles/feed-server.js';
import { CLI, copyKnowledge, KNOWLEDGE, openTestBot, ROOT, tempDir } from '../helpers.js';

const FEEDS = join(ROOT, 'feeds');
const gunzip = (path: string) => gunzipSync(readFileSync(path));
const ATTACK = JSON.parse(gunzip(join(FEEDS, 'mitre-attack', 'enterprise-attack-18.1.json.gz')).toString('utf8')) as {
  objects: Record<string, unknown>[];
};
const KEV = JSON.parse(gunzip(join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz')).toString('utf8')) as {
  vulnerabilities: { cveID: string }[];
};
/** The current ATT&CK groups: neither revoked nor deprecated. */
const GROUPS = ATTACK.objects.filter((o) => o.type === 'intrusion-set' && !o.revoked && !o.x_mitre_deprecated).map((o) => String(o.name));

/** The bundle as attack-stix-data publishes it: STIX 2.1, spec_version on every object. */
function stix21(): Buffer {
  const objects = ATTACK.objects.map((o) => ({ ...o, spec_version: '2.1' }));
  return Buffer.from(JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000021', objects }));
}

describe('feeds sync with full-size files', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer();
    server.serve('/attack.json', { kind: 'file', body: stix21() });
    server.serve('/kev.json', { kind: 'file', body: gunzip(join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz')) });
    server.serve('/misp.json', { kind: 'file', body: gunzip(join(FEEDS, 'misp-galaxy', 'threat-actor.json.gz')) });
    server.serve('/mstic.json', { kind: 'file', body: readFileSync(join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')) });
    server.serve('/ofac/SDN.CSV', {
      kind: 'file',
      body: Buffer.from(syntheticSdn(12_000).text, 'latin1'),
      lastModified: 'Mon, 01 Jun 2026 12:00:00 GMT',
    });
  });
  afterAll(() => server.close());

  it('imports every source, then changes nothing when every file answers 304', async () => {
    const bot = openTestBot(copyKnowledge(KNOWLEDGE));
    await bot.engine.refresh();
    const u = server.url;
    const overrides = new Map([
      ['attack', `${u}/attack.json`],
      ['kev', `${u}/kev.json`],
      ['misp', `${u}/misp.json`],
      ['mstic', `${u}/mstic.json`],
      ['ofac', `${u}/ofac/`],
    ]);
    const first = await syncFeeds({ store: bot.store, overrides });
    expect(first.ok && first.reports.map((r) => [r.source, r.outcome])).toEqual([
      ['attack', 'imported'],
      ['kev', 'imported'],
      ['ofac', 'imported'],
      ['misp', 'imported'],
      ['mstic', 'imported'],
    ]);
    expect(first.ok && first.reports.find((r) => r.source === 'kev')?.counts.added).toBe(1404);
    expect(first.ok && first.reports.find((r) => r.source === 'ofac')?.counts.added).toBe(12_000);
    const again = await syncFeeds({ store: bot.store, overrides });
    expect(again.ok && again.reports.map((r) => r.outcome)).toEqual(Array(5).fill('not-modified'));
  });
});

describe('a fresh clone with no network', () => {
  it('builds the store from the snapshot on the first command and answers about ATT&CK groups and KEV entries', () => {
    const env = { ...process.env, DATABASE_PATH: join(tempDir(), 'fresh.db'), FEEDS_SNAPSHOT: 'on', HTTPS_PROXY: 'http://127.0.0.1:9' };
    const r = spawnSync(process.execPath, [CLI, 'ask', 'is CVE-2024-3400 in the KEV catalog?'], { env, encoding: 'utf8' });
    expect(r.stderr).toContain('building the store from the shipped snapshot: 8/8 done');
    expect(r.stdout).toContain('CVE-2024-3400');
    expect(r.stdout).toContain('Known Exploited Vulnerabilities');
    const later = spawnSync(process.execPath, [CLI, 'ask', 'who is Volt Typhoon?'], { env, encoding: 'utf8' });
    expect(later.stderr).not.toContain('snapshot');
    expect(later.stdout).toContain('attack.mitre.org');
  });

  it('answers who every current ATT&CK group is and whether every KEV entry is in the catalog, citing the feed', async () => {
    const bot = openTestBot(copyKnowledge(KNOWLEDGE));
    await bot.engine.refresh();
    await ensureSnapshot(bot.store, FEEDS);
    await bot.engine.refresh();
    // A group is answered with a profile that names it (a curated profile of the same group leads when
    // there is one), or asked back about when another source gives its name to a different actor.
    const squash = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const unanswered: string[] = [];
    let cited = 0;
    for (const name of GROUPS) {
      const reply = await bot.engine.answer(`who is ${name}?`);
      if (!['profile', 'clarify'].includes(reply.intent) || !squash(reply.text).includes(squash(name))) unanswered.push(name);
      if (/attack\.mitre\.org/.test(reply.text)) cited++;
    }
    expect(unanswered).toEqual([]);
    expect(cited / GROUPS.length).toBeGreaterThan(0.9);
    const missing: string[] = [];
    for (const { cveID } of KEV.vulnerabilities) {
      const reply = await bot.engine.answer(`is ${cveID} in KEV?`);
      if (!reply.text.includes(cveID) || !/Known Exploited Vulnerabilities/.test(reply.text)) missing.push(cveID);
    }
    expect(missing).toEqual([]);
  });
});
