import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkedNames, parseSdnRows, remarkAliases } from '../src/ingest/ofac-sdn.js';
import { type ReadOptions, readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { ImportRefused, writeImport } from '../src/ingest/write.js';
import { copyKnowledge, openTestBot, ROOT, storeSnapshot, type TestBot, tempDir } from './helpers.js';

const SDN = join(ROOT, 'feeds', 'ofac', 'sdn-sample-2023-03.csv');
const SAMPLE = readFileSync(SDN, 'latin1');

function importFeed(bot: TestBot, paths: string[], options: ReadOptions = {}, now = new Date('2025-09-01T12:00:00Z')) {
  const parsed = readFeed(paths, options);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, now);
}

async function botWithSdn(): Promise<TestBot> {
  const bot = openTestBot();
  await bot.engine.refresh();
  importFeed(bot, [SDN]);
  return bot;
}

/** Writes a variant of the real sample (same row shapes) into a temporary file. */
function variant(name: string, edit: (lines: string[]) => string[]): string {
  const body = SAMPLE.replace(/\r\n\u001a$/, '');
  const path = join(tempDir(), name);
  writeFileSync(path, `${edit(body.split('\r\n')).join('\r\n')}\r\n\u001a`, 'latin1');
  return path;
}

describe('the legacy sdn.csv as OFAC publishes it', () => {
  const { rows, problems } = parseSdnRows({ display: 'sdn.csv', text: SAMPLE });

  it('reads all 33 rows despite CRLF line ends, the trailing 0x1A byte and "-0- " for empty', () => {
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(33);
    expect(rows[0]).toEqual({ line: 1, entNum: '36', name: 'AEROCARIBBEAN AIRLINES', type: 'entity', programs: ['CUBA'] });
    expect(rows.find((r) => r.entNum === '4238')).toMatchObject({
      type: 'vessel',
      callSign: 'CL2192',
      vesselType: 'Tug',
      grt: '212',
      vesselFlag: 'Cuba',
    });
  });

  it('splits programs joined as "A] [B"', () => {
    expect(rows.find((r) => r.entNum === '12111')?.programs).toEqual(['SDGT', 'SYRIA', 'IFSR', 'IRAN-HR', 'HRIT-IR', 'CYBER2']);
    expect(rows.find((r) => r.entNum === '21328')?.programs).toEqual(['CYBER2', 'CAATSA - RUSSIA']);
  });

  it('finds aliases (a.k.a., f.k.a.) and links (Linked To:) in the remarks', () => {
    const remarks = (ent: string) => rows.find((r) => r.entNum === ent)?.remarks;
    expect(remarkAliases(remarks('4243'))).toEqual([
      { name: 'ANA I', label: 'f.k.a.' },
      { name: 'SAND SWAN', label: 'f.k.a.' },
    ]);
    expect(remarkAliases(remarks('21344'))).toEqual([{ name: 'FSB', label: 'a.k.a.' }]);
    expect(remarkAliases(remarks('40565')).map((a) => a.name)).toEqual(['AO DTSSS', 'JSC DTSSS', 'FESRC', 'JSC DCSS', 'FESRC JSC']);
    expect(linkedNames(remarks('15431'))).toEqual(['POUYA AIR']);
    expect(linkedNames(remarks('36365'))).toEqual(['MALOFEYEV, Kirill Konstantinovich']);
    // The remarks of entry 33151 are cut off mid-address in the published file: nothing breaks.
    expect(remarkAliases(remarks('33151'))).toEqual([]);
  });

  it.each([
    [
      'a row with a field missing',
      (l: string[]) => l.map((x, i) => (i === 4 ? x.replace(/,"NIT[^"]*"$/, '') : x)),
      'line 5: expected 12 comma-separated fields',
    ],
    [
      'an ent_num that is not a number',
      (l: string[]) => l.map((x, i) => (i === 1 ? x.replace(/^173,/, 'A173,') : x)),
      'line 2: ent_num must be a number, found "A173"',
    ],
    [
      'an unknown SDN_Type',
      (l: string[]) => l.map((x, i) => (i === 2 ? x.replace('"vessel"', '"submarine"') : x)),
      'line 3: SDN_Type must be individual, vessel, aircraft or -0-',
    ],
    ['a repeated ent_num', (l: string[]) => [...l, l[0]!], 'line 34: ent_num 36 was already used on line 1'],
    [
      'a quote that is never closed',
      (l: string[]) => [...l, '99999,"UNFINISHED NAME,-0- ,SDGT'],
      'line 34: a quoted field is never closed',
    ],
    [
      'an empty Program',
      (l: string[]) => l.map((x, i) => (i === 0 ? x.replace('"CUBA"', '-0- ') : x)),
      'line 1: Program is empty (entry 36)',
    ],
  ])('rejects %s, naming the line and the problem', async (_label, edit, message) => {
    const bot = openTestBot(copyKnowledge());
    await bot.engine.refresh();
    const before = storeSnapshot(bot.store);
    const result = readFeed([variant('sdn-2023-04.csv', edit)]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map(formatImportProblem).join('\n')).toContain(message);
    expect(storeSnapshot(bot.store)).toBe(before);
  });
});

describe('importing the SDN list', () => {
  it('makes every row an entity with its list entry, programs, aliases and links, all cited to the edition', async () => {
    const bot = openTestBot();
    await bot.engine.refresh();
    const summary = importFeed(bot, [SDN]);
    expect(summary).toMatchObject({ format: 'ofac-sdn', edition: '2023-03', entitiesCreated: 33, listEntries: 33 });
    expect(summary.added).toHaveLength(33);
    const { store } = bot;
    expect(store.entity('sdn-21324')).toMatchObject({ type: 'person', name: 'BELAN, Aleksey Alekseyevich' });
    expect(store.entity('sdn-4238')?.type).toBe('vessel');
    expect(store.entity('sdn-15431')?.type).toBe('aircraft');
    expect(store.entity('sdn-36')?.type).toBe('organization');
    const [entry] = store.sanctionsOf('sdn-12111');
    expect(entry?.list).toEqual({
      name: 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)',
      edition: '2023-03',
      programs: ['SDGT', 'SYRIA', 'IFSR', 'IRAN-HR', 'HRIT-IR', 'CYBER2'],
      entry: '12111',
      listedName: 'IRANIAN MINISTRY OF INTELLIGENCE AND SECURITY',
    });
    expect(store.aliases('sdn-12111').map(({ sources: _sources, ...a }) => a)).toEqual([
      { name: 'MOIS', kind: 'name', usedBy: 'OFAC SDN list, a.k.a.', weak: true },
      { name: 'VEVAK', kind: 'name', usedBy: 'OFAC SDN list, a.k.a.', weak: true },
    ]);
    // Every alias cites the list edition it came from.
    expect(store.aliases('sdn-12111').every((a) => a.sources?.[0]?.startsWith('import-ofac-sdn-'))).toBe(true);
    expect(store.aliases('sdn-4243').map((a) => [a.name, a.kind, a.weak ?? false])).toEqual([
      ['ANA I', 'former-name', false],
      ['SAND SWAN', 'former-name', false],
    ]);
    const link = store.claims('sdn-36365').find((c) => c.predicate === 'linked-to');
    expect(link?.text).toBe("OFAC's SDN list links LIMITED LIABILITY COMPANY VLADEKS KHOLDING to MALOFEYEV, Kirill Konstantinovich.");
    const source = store.source(entry!.sources[0]!);
    expect(source).toMatchObject({
      publisher: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
      date: '2023-03',
      kind: 'dataset',
    });
    expect(store.imports()[0]).toMatchObject({
      format: 'ofac-sdn',
      file: SDN,
      edition: '2023-03',
      status: 'current',
      counts: { added: 33, removed: 0 },
    });
  });

  it('answers "is Aleksey Belan sanctioned?" with yes, the list, its edition and the program', async () => {
    const bot = await botWithSdn();
    const reply = await bot.engine.answer('is Aleksey Belan sanctioned?');
    expect(reply.intent).toBe('sanctions');
    expect(reply.text).toContain(
      'Yes — listed as “BELAN, Aleksey Alekseyevich” on the OFAC Specially Designated Nationals and Blocked Persons List (SDN), March 2023 edition under program CYBER2 (entry 21324), an individual.',
    );
    expect(reply.citations[0]).toMatchObject({
      publisher: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
      date: '2023-03',
    });
    expect(reply.screening).toMatchObject({ outcome: 'listed', threshold: 0.9 });
  });

  it('leaves curated facts untouched, and survives a knowledge reload', async () => {
    const dir = copyKnowledge(join(ROOT, 'knowledge'));
    const bot = openTestBot(dir);
    await bot.engine.refresh();
    const curated = () =>
      JSON.stringify(
        ['entities', 'aliases', 'claims', 'sanctions', 'sources'].map((t) =>
          bot.store.db.prepare(`SELECT * FROM ${t} WHERE origin = 'curated' ORDER BY rowid`).all(),
        ),
      );
    const before = curated();
    importFeed(bot, [SDN]);
    expect(curated()).toBe(before);

    const file = join(dir, 'entities', 'fbi.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('summary: "', 'summary: "Revised. '));
    await bot.engine.refresh();
    expect(bot.store.entity('fbi')?.summary).toMatch(/^Revised\./);
    expect((await bot.engine.answer('is Jamil Hassan sanctioned?')).text).toContain('Yes — listed as “HASSAN, Jamil”');
    expect((await bot.engine.answer('is Integrity Tech sanctioned?')).text).toContain('3 January 2025');
  });

  it('replaces the previous edition: a name it leaves out is marked delisted (never deleted), a changed entry is updated, a new one added', async () => {
    const bot = await botWithSdn();
    expect((await bot.engine.answer('is SUEX OTC sanctioned?')).text).toContain('Yes — listed as “SUEX OTC, S.R.O.”');
    const june = variant('sdn-2023-06.csv', (lines) => [
      ...lines
        .filter((l) => !l.startsWith('33151,'))
        .map((l) => (l.startsWith('21324,') ? l.replace('"CYBER2"', '"CYBER2] [RUSSIA-EO14024"') : l)),
      '99001,"EXAMPLE, Newly Listed","individual","CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1990."',
    ]);
    const summary = importFeed(bot, [june]);
    expect(summary.edition).toBe('2023-06');
    expect(summary.added).toEqual(['EXAMPLE, Newly Listed (SDN entry 99001)']);
    expect(summary.updated).toEqual(['BELAN, Aleksey Alekseyevich (SDN entry 21324)']);
    expect(summary.removed).toEqual(['SUEX OTC, S.R.O. (33151)']);
    expect(summary.unchanged).toBe(31);
    expect(summary.replaced).toEqual([{ importId: expect.stringMatching(/^ofac-sdn-/), edition: '2023-03' }]);

    const gone = await bot.engine.answer('is SUEX OTC sanctioned?');
    expect(gone.text).toMatch(/^Formerly — listed as “SUEX OTC, S\.R\.O\.”/);
    expect(gone.text).toContain(
      'Delisted: the June 2023 edition of the OFAC Specially Designated Nationals and Blocked Persons List (SDN) no longer names SUEX OTC, S.R.O.',
    );
    expect(gone.text).not.toContain('Yes');
    const belan = await bot.engine.answer('is BELAN, Aleksey Alekseyevich sanctioned?');
    expect(belan.text).toContain('June 2023 edition under programs CYBER2, RUSSIA-EO14024');
    expect(belan.text).not.toContain('March 2023');
    expect(bot.store.loadedLists()).toEqual([
      { name: 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)', edition: '2023-06', entries: 33 },
    ]);
    expect(bot.store.imports().map((i) => i.status)).toEqual(['current', 'replaced']);
  });

  it('reads CONS_PRIM.CSV, CONS_ALT.CSV and CONS_ADD.CSV as the consolidated non-SDN list: a list of its own beside the SDN list', async () => {
    const bot = await botWithSdn();
    const consolidated = join(ROOT, 'test', 'fixtures', 'ofac', 'consolidated');
    const summary = importFeed(bot, [consolidated], { edition: '2026-06-01' });
    expect(summary.added).toContain('EXAMPLE SECTORAL BANK PJSC (consolidated list entry 990201)');
    expect(bot.store.loadedLists().map((l) => [l.name, l.entries])).toEqual([
      ['OFAC Consolidated Sanctions List (non-SDN)', 3],
      ['OFAC Specially Designated Nationals and Blocked Persons List (SDN)', 33],
    ]);
    expect(bot.store.entity('cons-990203')?.summary).toBe(
      "EVADER, Example Person is an individual on OFAC's consolidated non-SDN list (1 June 2026 edition), under program FSE-IR. Remarks on the list: DOB 01 Jan 1970; nationality Iran.",
    );
    // One import is one list: SDN.CSV with CONS_ALT.CSV is refused.
    const mixed = readFeed([SDN, join(consolidated, 'CONS_ALT.CSV')]);
    expect(mixed.ok ? [] : mixed.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('CONS_ALT.CSV belongs to another OFAC list than'),
    ]);
  });

  it('refuses an older edition than the one loaded, and changes nothing', async () => {
    const bot = await botWithSdn();
    const before = storeSnapshot(bot.store);
    expect(() => importFeed(bot, [SDN], { edition: '2022-12' })).toThrow(ImportRefused);
    expect(() => importFeed(bot, [SDN], { edition: '2022-12' })).toThrow(/already holds the 2023-03 edition .* nothing was imported/);
    expect(storeSnapshot(bot.store)).toBe(before);
  });

  it('changes nothing when the same edition is imported again', async () => {
    const bot = await botWithSdn();
    const before = storeSnapshot(bot.store);
    const again = importFeed(bot, [SDN]);
    expect(again.importId).toBeUndefined();
    expect(again).toMatchObject({ unchanged: 33, added: [], updated: [], removed: [] });
    expect(storeSnapshot(bot.store)).toBe(before);
  });

  it('takes the edition from --edition, else from a date in the file name, else says it guessed', () => {
    const plain = join(tempDir(), 'sdn.csv');
    writeFileSync(plain, SAMPLE, 'latin1');
    const guessed = readFeed([plain]);
    expect(guessed.ok && guessed.feed.notes?.[0]).toMatch(
      /carries no date: its edition is taken as \d{4}-\d{2}-\d{2} from the file's modification time. Pass --edition/,
    );
    const given = readFeed([plain], { edition: '2023-03-15' });
    expect(given.ok && given.feed.edition).toBe('2023-03-15');
    const named = readFeed([SDN]);
    expect(named.ok && named.feed.edition).toBe('2023-03');
    const bad = readFeed([plain], { edition: 'March' });
    expect(!bad.ok && formatImportProblem(bad.problems[0]!)).toBe('--edition: "March" must be a date as YYYY, YYYY-MM or YYYY-MM-DD');
  });
});
