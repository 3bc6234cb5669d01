import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { copyKnowledge, KNOWLEDGE, openTestBot, ROOT, storeSnapshot, type TestBot, tempDir } from './helpers.js';

const FEEDS = join(ROOT, 'feeds');
const MSTIC = join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json');
type Row = Record<string, unknown>;

function importMstic(bot: TestBot, path = MSTIC) {
  const parsed = readFeed([path]);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, new Date('2025-09-01T12:00:00Z'));
}

describe("importing Microsoft's threat actor naming table", () => {
  it('adds Microsoft’s names to the curated actors, attributed to Microsoft, without changing a curated row', async () => {
    // The curated Silk Typhoon, without the two names it took from Microsoft's table.
    const dir = copyKnowledge(KNOWLEDGE);
    const file = join(dir, 'entities', 'silk-typhoon.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/ {2}- name: "MURKY PANDA"\n.*\n.*\n {2}- name: "timmy"\n.*\n.*\n/, ''));
    const bot = openTestBot(dir);
    await bot.engine.refresh();
    expect(bot.store.aliases('silk-typhoon').map((a) => a.name)).not.toContain('timmy');
    const curated = () =>
      JSON.stringify(
        ['entities', 'aliases', 'claims'].map((t) =>
          bot.store.db.prepare(`SELECT * FROM ${t} WHERE origin = 'curated' ORDER BY rowid`).all(),
        ),
      );
    const before = curated();
    const summary = importMstic(bot);
    expect(summary).toMatchObject({ format: 'mstic', publisher: 'Microsoft', entitiesEnriched: 4, entitiesCreated: 162 });
    expect(curated()).toBe(before);
    const added = bot.store.db
      .prepare(
        "SELECT a.name, a.used_by, s.publisher FROM aliases a JOIN sources s ON s.id = json_extract(a.sources, '$[0]') WHERE a.entity_id = 'silk-typhoon' AND a.origin != 'curated'",
      )
      .all();
    expect(added).toEqual([
      { name: 'MURKY PANDA', used_by: 'listed by Microsoft', publisher: 'Microsoft' },
      { name: 'timmy', used_by: 'listed by Microsoft', publisher: 'Microsoft' },
    ]);
    const reply = await bot.engine.answer('who is Murky Panda?');
    expect(reply.entities[0]?.id).toBe('silk-typhoon');
    expect(reply.match?.explanation).toBe('“Murky Panda” is the alias “MURKY PANDA” (used by listed by Microsoft) of Silk Typhoon.');
  });

  it('makes the actors it does not know answerable, citing Microsoft', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    importMstic(bot);
    const reply = await bot.engine.answer('who is Gamaredon?');
    expect(reply.entities[0]).toEqual({ id: 'mstic-aqua-blizzard', name: 'Aqua Blizzard', type: 'threat-actor' });
    expect(reply.text).toContain("Aqua Blizzard is Microsoft's name for a threat actor (origin or threat: Russia).");
    expect(reply.citations[0]).toMatchObject({ publisher: 'Microsoft', title: expect.stringContaining('CC BY 4.0') });
    // A name the table gives to two Microsoft actors still means the curated entity that bears it.
    expect((await bot.engine.answer('who is APT27?')).entities[0]?.id).toBe('apt27');
    expect((await bot.engine.answer('who is Emissary Panda?')).intent).toBe('clarify');
  });

  it.each([
    [
      'a row without a Microsoft name',
      (rows: Row[]) => delete rows[5]!['Threat actor name'],
      'MicrosoftMapping.json: [5]: "Threat actor name" must be a non-empty string',
    ],
    [
      'other names that are not text',
      (rows: Row[]) => (rows[2]!['Other names'] = ['ACTINIUM']),
      'MicrosoftMapping.json: [2] (Aqua Blizzard): "Other names" must be a string (names separated by commas)',
    ],
    [
      'a Microsoft name given twice',
      (rows: Row[]) => rows.push({ ...rows[0]! }),
      'MicrosoftMapping.json: [166] (Amethyst Rain): "Amethyst Rain" is already named in row [0]',
    ],
  ])('rejects %s, naming the row and the problem, and changes nothing', async (_label, edit, message) => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const before = storeSnapshot(bot.store);
    const rows = JSON.parse(readFileSync(MSTIC, 'utf8')) as Row[];
    edit(rows);
    const path = join(tempDir(), 'MicrosoftMapping.json');
    writeFileSync(path, JSON.stringify(rows));
    const parsed = readFeed([path]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map(formatImportProblem)).toContain(message.replace('MicrosoftMapping.json', path));
    expect(storeSnapshot(bot.store)).toBe(before);
  });
});

describe('telling the format from the content', () => {
  it.each([
    ['ofac/sdn-sample-2023-03.csv', 'ofac-sdn'],
    ['cisa-kev/kev_subset_prc_typhoon_cves.json', 'cisa-kev'],
    ['microsoft-mstic/MicrosoftMapping.json', 'mstic'],
    ['mitre-cti/intrusion-set--174279b4-399f-4ddb-966e-5efedd1dd5f2.json', 'stix'],
  ])('%s is %s', (file, format) => {
    expect(detectFormat({ display: file, text: readFileSync(join(FEEDS, file), 'latin1') })).toEqual({ format });
  });

  it('says when it cannot tell, and how to say which', () => {
    expect(detectFormat({ display: 'notes.txt', text: 'hello' })).toEqual({
      problem: {
        file: 'notes.txt',
        where: '',
        message: 'cannot tell the format from the content; pass --format (stix, cisa-kev, ofac-sdn, mstic, misp-galaxy)',
      },
    });
    expect(detectFormat({ display: 'x.json', text: '{"a": 1}' })).toEqual({
      problem: {
        file: 'x.json',
        where: '',
        message: 'a JSON document, but not a STIX bundle, a CISA KEV catalog, a MISP galaxy cluster or Microsoft’s naming table',
      },
    });
  });
});
