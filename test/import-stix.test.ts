import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ReadOptions, readFeed } from '../src/ingest/read.js';
import { cleanStixText } from '../src/ingest/stix.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { MINI_KNOWLEDGE, openTestBot, ROOT, storeSnapshot, type TestBot, tempDir } from './helpers.js';

const ATTACK = join(ROOT, 'feeds', 'mitre-cti');
const VOLT = join(ATTACK, 'intrusion-set--174279b4-399f-4ddb-966e-5efedd1dd5f2.json');
const SALT = join(ATTACK, 'intrusion-set--1c3dcf91-b859-4aae-a09c-ae26dc8b6390.json');
const SALT_RELATIONSHIPS = join(ATTACK, 'salt-typhoon-relationships');

function importStix(bot: TestBot, paths: string[], options: ReadOptions = {}, now = new Date('2025-09-01T12:00:00Z')) {
  const parsed = readFeed(paths, options);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, now);
}

function writeJson(value: unknown, name = 'bundle.json'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

type Bundle = { type: string; id: string; spec_version?: string; objects: Record<string, unknown>[] };
const read = (path: string): Bundle => JSON.parse(readFileSync(path, 'utf8')) as Bundle;

/** A STIX 2.1 bundle in the shape of CISA's advisory bundles, written for this test. */
const ID = {
  cisa: 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01',
  actor: 'threat-actor--6d3c1f0e-2b8a-4a55-9a77-3f0d7c1e9b21',
  loader: 'malware--0f4e6d2a-8c1b-4f3e-a9d7-5b6c2e1f4a30',
  tunnel: 'tool--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  campaign: 'campaign--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  cve: 'vulnerability--2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  report: 'report--3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
  indicator: 'indicator--4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f8a',
  revoked: 'malware--5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8a9b',
};
const at = '2025-06-01T00:00:00.000Z';
const cisaBundle = (): Bundle => ({
  type: 'bundle',
  id: 'bundle--7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  objects: [
    {
      type: 'identity',
      spec_version: '2.1',
      id: ID.cisa,
      created: at,
      modified: at,
      name: 'Cybersecurity and Infrastructure Security Agency',
      identity_class: 'organization',
    },
    {
      type: 'threat-actor',
      spec_version: '2.1',
      id: ID.actor,
      created: at,
      modified: at,
      created_by_ref: ID.cisa,
      name: 'Example Spider',
      aliases: ['Example Spider', 'EXSPIDER'],
      x_cisa_priority: 'high',
      description:
        'Example Spider is a financially motivated actor that targets [managed service providers](https://example.org/msp).(Citation: CISA AA99-999A)',
    },
    {
      type: 'malware',
      spec_version: '2.1',
      id: ID.loader,
      created: at,
      modified: at,
      name: 'ExampleLoader',
      is_family: true,
      aliases: ['ExLoad'],
    },
    { type: 'tool', spec_version: '2.1', id: ID.tunnel, created: at, modified: at, name: 'ExampleTunnel' },
    {
      type: 'campaign',
      spec_version: '2.1',
      id: ID.campaign,
      created: at,
      modified: at,
      name: 'Operation Example Harvest',
      first_seen: '2024-02-01T00:00:00Z',
    },
    {
      type: 'vulnerability',
      spec_version: '2.1',
      id: ID.cve,
      created: at,
      modified: at,
      name: 'CVE-2024-3400',
      external_references: [{ source_name: 'cve', external_id: 'CVE-2024-3400' }],
    },
    {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--6f7a8b9c-0d1e-4f2a-9b4c-5d6e7f8a9b0c',
      created: at,
      modified: at,
      relationship_type: 'uses',
      source_ref: ID.actor,
      target_ref: ID.loader,
      description: 'Example Spider deploys ExampleLoader after initial access.',
    },
    {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--7a8b9c0d-1e2f-4a3b-8c5d-6e7f8a9b0c1d',
      created: at,
      modified: at,
      relationship_type: 'attributed-to',
      source_ref: ID.campaign,
      target_ref: ID.actor,
    },
    {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--8b9c0d1e-2f3a-4b4c-9d6e-7f8a9b0c1d2e',
      created: at,
      modified: at,
      relationship_type: 'exploits',
      source_ref: ID.actor,
      target_ref: ID.cve,
    },
    {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--9c0d1e2f-3a4b-4c5d-8e7f-8a9b0c1d2e3f',
      created: at,
      modified: at,
      relationship_type: 'uses',
      source_ref: ID.actor,
      target_ref: 'malware--aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      description: 'Example Spider has also used a web shell.',
    },
    {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--0d1e2f3a-4b5c-4d6e-9f8a-9b0c1d2e3f4a',
      created: at,
      modified: at,
      relationship_type: 'indicates',
      source_ref: ID.indicator,
      target_ref: ID.loader,
    },
    {
      type: 'indicator',
      spec_version: '2.1',
      id: ID.indicator,
      created: at,
      modified: at,
      pattern: "[file:hashes.'SHA-256' = 'aa']",
      pattern_type: 'stix',
      valid_from: at,
    },
    { type: 'x-cisa-note', spec_version: '2.1', id: 'x-cisa-note--1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', note: 'custom object' },
    { type: 'malware', spec_version: '2.1', id: ID.revoked, created: at, modified: at, name: 'OldLoader', is_family: true, revoked: true },
    {
      type: 'report',
      spec_version: '2.1',
      id: ID.report,
      created: at,
      modified: at,
      created_by_ref: ID.cisa,
      name: 'AA99-999A: Example Spider Targets Managed Service Providers',
      published: '2025-06-01T00:00:00Z',
      description: 'CISA and partners describe Example Spider activity.(Citation: CISA AA99-999A)',
      object_refs: [ID.actor, ID.loader, ID.indicator],
      external_references: [{ source_name: 'cisa', url: 'https://www.cisa.gov/news-events/cybersecurity-advisories/aa99-999a' }],
    },
  ],
});

describe('STIX text', () => {
  it('drops ATT&CK citation markup and keeps the words of links', () => {
    expect(
      cleanStixText('[Volt Typhoon](https://attack.mitre.org/groups/G1017) has used <code>netsh</code>.(Citation: A)(Citation: B)'),
    ).toBe('Volt Typhoon has used netsh.');
    expect(cleanStixText('cleared logs including .bash_history, auth.log')).toBe('cleared logs including .bash_history, auth.log');
  });
});

describe('importing MITRE ATT&CK (STIX 2.0, one object per file)', () => {
  it('attaches groups to the curated entities by their ATT&CK id and turns relationships into statements', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const entities = bot.store.stats().entities;
    const summary = importStix(bot, [ATTACK]);
    expect(summary).toMatchObject({
      format: 'stix',
      publisher: 'MITRE ATT&CK',
      edition: '2025-04-30',
      entitiesCreated: 0,
      entitiesEnriched: 2,
    });
    expect(bot.store.stats().entities).toBe(entities);
    expect(summary.added).toHaveLength(16);
    expect(summary.skipped).toEqual([
      {
        what: expect.stringContaining('relationship--ea6bde73-a671-42b8-a34c-8d97c3951d19.json: objects[0] (relationship--ea6bde73'),
        reason: 'relationship to malware--05489800-6c6f-4922-a0de-d573b333e612, which is not in the file, and without a description',
      },
    ]);
    const tooling = bot.store.claims('salt-typhoon').filter((c) => c.predicate === 'tooling');
    expect(tooling).toHaveLength(14);
    for (const c of tooling) {
      expect(c.text).not.toMatch(/\(Citation:|\]\(https?:/);
      expect(c.text).toMatch(/^Salt Typhoon has /);
    }
    const reply = await bot.engine.answer('how does Salt Typhoon get in?');
    expect(reply.text).toContain(
      'Salt Typhoon has exploited CVE-2018-0171 in the Smart Install feature of Cisco IOS and Cisco IOS XE software for initial access.',
    );
    expect(reply.citations.map((c) => c.publisher)).toContain('MITRE ATT&CK');
  });

  it('creates an entity searchable by its ATT&CK id and aliases when none is curated', async () => {
    const bot = openTestBot(MINI_KNOWLEDGE);
    await bot.engine.refresh();
    importStix(bot, [VOLT]);
    const e = bot.store.entity('attack-g1017');
    expect(e).toMatchObject({ type: 'threat-actor', name: 'Volt Typhoon' });
    expect(e?.summary).toMatch(/^Volt Typhoon is a People's Republic of China \(PRC\) state-sponsored actor/);
    expect(e?.summary).not.toMatch(/\(Citation:|\]\(/);
    expect(bot.store.aliases('attack-g1017').map((a) => a.name)).toEqual([
      'BRONZE SILHOUETTE',
      'Vanguard Panda',
      'DEV-0391',
      'UNC3236',
      'Voltzite',
      'Insidious Taurus',
      'G1017',
    ]);
    for (const q of ['what is G1017?', 'who is Vanguard Panda', 'who is volt typhon']) {
      const reply = await bot.engine.answer(q);
      expect(reply.entities[0]?.id, q).toBe('attack-g1017');
      expect(reply.citations[0]?.publisher, q).toBe('MITRE ATT&CK');
    }
  });

  it('changes nothing when the same object versions are imported again', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    importStix(bot, [ATTACK]);
    const before = storeSnapshot(bot.store);
    const again = importStix(bot, [ATTACK]);
    expect(again.importId).toBeUndefined();
    expect(again.unchanged).toBe(16);
    expect(storeSnapshot(bot.store)).toBe(before);
  });

  it('replaces what an object said when a newer version of it comes, and removes it when it is revoked', async () => {
    const bot = openTestBot(MINI_KNOWLEDGE);
    await bot.engine.refresh();
    importStix(bot, [VOLT]);
    const newer = read(VOLT);
    Object.assign(newer.objects[0]!, {
      modified: '2025-10-01T00:00:00.000Z',
      aliases: ['Volt Typhoon', 'Vanguard Panda', 'Example New Alias'],
      description: 'A revised description.',
    });
    const updated = importStix(bot, [writeJson(newer)]);
    expect(updated.updated).toEqual(['Volt Typhoon (G1017)']);
    expect(bot.store.aliases('attack-g1017').map((a) => a.name)).toEqual(['Vanguard Panda', 'Example New Alias', 'G1017']);
    expect(bot.store.entity('attack-g1017')?.summary).toBe('A revised description.');
    expect((await bot.engine.answer('who is Example New Alias')).entities[0]?.id).toBe('attack-g1017');

    Object.assign(newer.objects[0]!, { modified: '2025-11-01T00:00:00.000Z', revoked: true });
    const revoked = importStix(bot, [writeJson(newer)]);
    expect(revoked.removed).toEqual(['Volt Typhoon (intrusion-set--174279b4-399f-4ddb-966e-5efedd1dd5f2)']);
    expect(revoked.skipped.map((s) => s.reason)).toEqual(['revoked']);
    expect(bot.store.entity('attack-g1017')).toBeUndefined();
    const answer = await bot.engine.answer('what is G1017?');
    expect(answer.text).toMatch(/^Volt Typhoon \(G1017\) was revoked by ATT&CK/);
    expect(answer.entities).toEqual([]);
  });

  it('keeps relationships whose source is not imported yet out, and takes them once it is', async () => {
    const bot = openTestBot(MINI_KNOWLEDGE);
    await bot.engine.refresh();
    const early = importStix(bot, [SALT_RELATIONSHIPS]);
    expect(early.importId).toBeUndefined();
    expect(early.skipped.filter((s) => s.reason === 'refers to an object that is neither in this file nor imported before')).toHaveLength(
      14,
    );
    importStix(bot, [SALT]);
    const later = importStix(bot, [SALT_RELATIONSHIPS]);
    expect(later.added).toHaveLength(14);
    expect(bot.store.claims('attack-g1045').filter((c) => c.predicate === 'tooling')).toHaveLength(14);
  });
});

describe('importing a STIX 2.1 bundle (CISA advisory shape)', () => {
  it('imports actors, malware, tools, campaigns, identities and vulnerabilities; relationships become statements; the report an advisory', async () => {
    const bot = openTestBot(MINI_KNOWLEDGE);
    await bot.engine.refresh();
    const seq = bot.store.lastAdvisorySeq();
    const summary = importStix(bot, [writeJson(cisaBundle())]);
    expect(summary.publisher).toBe('Cybersecurity and Infrastructure Security Agency');
    expect(summary.entitiesCreated).toBe(6);
    expect(summary.skipped.map((s) => s.reason).sort()).toEqual([
      'indicator (indicators are counted, not imported)',
      'relationship "indicates" is not imported',
      'revoked',
      'type "x-cisa-note" is not imported',
    ]);
    const { store } = bot;
    expect(store.entity('stix-example-spider')).toMatchObject({
      type: 'threat-actor',
      summary: 'Example Spider is a financially motivated actor that targets managed service providers.',
    });
    expect(store.entity('stix-exampleloader')?.type).toBe('malware');
    expect(store.entity('stix-exampletunnel')?.type).toBe('tool');
    expect(store.entity('stix-operation-example-harvest')?.type).toBe('campaign');
    expect(store.entity('stix-cybersecurity-and-infrastructure-security-agency')?.type).toBe('organization');
    expect(store.entity('cve-2024-3400')?.type).toBe('vulnerability');
    expect(store.entity('stix-oldloader')).toBeUndefined();
    const relations = store.claims('stix-example-spider').map((c) => [c.predicate, c.objectId ?? null, c.text]);
    expect(relations).toEqual(
      expect.arrayContaining([
        ['uses', 'stix-exampleloader', 'Example Spider deploys ExampleLoader after initial access.'],
        ['uses', 'cve-2024-3400', 'Example Spider exploits CVE-2024-3400.'],
        ['uses', null, 'Example Spider has also used a web shell.'],
      ]),
    );
    expect(store.claims('stix-operation-example-harvest').find((c) => c.predicate === 'attributed-to')).toMatchObject({
      objectId: 'stix-example-spider',
      text: 'Operation Example Harvest attributed to Example Spider.',
    });

    const [advisory] = store.advisoriesAfter(seq);
    expect(advisory).toMatchObject({
      id: `stix-${ID.report}`,
      seq: seq + 1,
      title: 'AA99-999A: Example Spider Targets Managed Service Providers',
      publisher: 'Cybersecurity and Infrastructure Security Agency',
      published: '2025-06-01',
      url: 'https://www.cisa.gov/news-events/cybersecurity-advisories/aa99-999a',
      summary: 'CISA and partners describe Example Spider activity.',
      entities: ['stix-example-spider', 'stix-exampleloader'],
    });
    const reply = await bot.engine.answer('advisories about EXSPIDER');
    expect(reply.text).toContain('AA99-999A: Example Spider Targets Managed Service Providers');
  });

  it.each([
    [
      'a relationship without its target',
      (b: Bundle) => delete b.objects[6]!.target_ref,
      /bundle\.json: objects\[6\] \(relationship--6f7a8b9c-0d1e-4f2a-9b4c-5d6e7f8a9b0c\)\.target_ref: /,
    ],
    [
      'an actor with an empty name',
      (b: Bundle) => (b.objects[1]!.name = ''),
      /objects\[1\] \(threat-actor--6d3c1f0e-2b8a-4a55-9a77-3f0d7c1e9b21\)\.name: must not be empty/,
    ],
    ['an object without an id', (b: Bundle) => delete b.objects[2]!.id, /objects\[2\]\.id: /],
    [
      'an id of another type',
      (b: Bundle) => (b.objects[3]!.id = 'malware--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'),
      /objects\[3\] \(malware--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\): the id must start with "tool--"/,
    ],
    [
      'a bundle whose objects are not a list',
      (b: Bundle) => ((b as unknown as Record<string, unknown>).objects = {}),
      /bundle\.json: objects: a bundle must have an "objects" array/,
    ],
  ])('rejects %s, naming the object and the problem, and changes nothing', async (_label, edit, message) => {
    const bot = openTestBot(MINI_KNOWLEDGE);
    await bot.engine.refresh();
    const before = storeSnapshot(bot.store);
    const bundle = cisaBundle();
    edit(bundle);
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    const path = join(dir, 'bundle.json');
    writeFileSync(path, JSON.stringify(bundle));
    const parsed = readFeed([path], { format: 'stix' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map(formatImportProblem).join('\n')).toMatch(message);
    expect(storeSnapshot(bot.store)).toBe(before);
  });
});
