import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { romanize } from '../src/screen/romanize.js';
import { CLI, KNOWLEDGE, openTestBot, ROOT, type TestBot, tempDir } from './helpers.js';

/** Rows in the shape of sdn.csv with the names as OFAC lists them (test/fixtures/ofac/README.md), and the real ALT.CSV rows of three of them. */
const SDN = join(ROOT, 'test', 'fixtures', 'ofac', 'sdn-screening-2023-03.csv');
const ALT = join(ROOT, 'test', 'fixtures', 'ofac', 'alt-screening-2026-06.csv');

function importFiles(bot: TestBot, paths: string[]) {
  const parsed = readFeed(paths, { edition: '2023-03' });
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, new Date('2026-07-01T12:00:00Z'));
}

let bot: TestBot;
let dbPath: string;
beforeAll(async () => {
  dbPath = join(tempDir(), 'store.db');
  bot = openTestBot(KNOWLEDGE, dbPath);
  await bot.engine.refresh();
  importFiles(bot, [SDN, ALT]);
});

const ask = (q: string) => bot.engine.answer(q);

describe('issue 17: names that exist only in ALT.CSV', () => {
  it('“Khamis Gaddafi” is listed, through the alias it matched', async () => {
    const r = await ask('is Khamis Gaddafi sanctioned?');
    expect(r.text).toMatch(/^Yes — listed as “QADHAFI, Khamis”/);
    expect(r.text).toContain('Matched through the alias “GADDAFI, Khamis” (OFAC SDN list, a.k.a. (ALT.CSV, June 2026))');
    expect(r.screening).toMatchObject({ outcome: 'listed', listedName: 'QADHAFI, Khamis', matchedName: 'GADDAFI, Khamis', entry: '12607' });
  });

  it('“Sogo Kenkyusho” finds AUM SHINRIKYO through “A.I.C. SOGO KENKYUSHO”', async () => {
    const r = await ask('is Sogo Kenkyusho sanctioned?');
    expect(r.screening).toMatchObject({ listedName: 'AUM SHINRIKYO', matchedName: 'A.I.C. SOGO KENKYUSHO' });
    expect(r.screening!.outcome).not.toBe('no-record');
  });
});

describe('issue 17: names typed in their own script', () => {
  it('“Владимир Путин” is listed, and the answer shows both forms', async () => {
    const r = await ask('is Владимир Путин sanctioned?');
    expect(r.text).toMatch(/^Yes — listed as “PUTIN, Vladimir Vladimirovich”/);
    expect(r.text).toContain('“Владимир Путин” was read as “Vladimir Putin” (Cyrillic transliterated to Latin letters)');
    expect(r.screening).toMatchObject({ outcome: 'listed', transliterated: 'Vladimir Putin' });
  });

  it('“Медведев”, a surname alone, is a possible match to review', async () => {
    const r = await ask('is Медведев sanctioned?');
    expect(r.card.title).toBe('Possible match — review: MEDVEDEV, Dmitry Anatolyevich');
    expect(r.screening).toMatchObject({ outcome: 'review', transliterated: 'Medvedev' });
  });

  it('“金正恩” is read best effort, and the answer says what that means', async () => {
    const r = await ask('is 金正恩 sanctioned?');
    expect(r.text).toContain('“金正恩” was read as “Jin Zheng En” (Han transliterated to Latin letters)');
    expect(r.text).toContain('a Korean or Japanese name written in them may not match its spelling on the list');
    // The test list is an extract (a few dozen entries): its silence is a "can't say", not a "no".
    expect(r.screening).toMatchObject({ outcome: 'no-list', transliterated: 'Jin Zheng En' });
  });

  it('“김정은” in Korean letters is listed as KIM, Jong Un, read in the spelling the list uses', async () => {
    const r = await ask('is 김정은 sanctioned?');
    expect(r.text).toMatch(/^Yes — listed as “KIM, Jong Un”/);
    expect(r.text).toContain('“김정은” was read as “Kim Jong Un” (Hangul transliterated to Latin letters)');
    expect(r.text).toContain('Korean letters are read best effort');
    expect(r.screening).toMatchObject({ outcome: 'listed', listedName: 'KIM, Jong Un', transliterated: 'Kim Jong Un' });
  });

  it('Korean syllables take the list’s spelling: k, p, t, r, o and u where any-ascii writes g, b, d, l, eo and eu', () => {
    expect(['최룡해', '박봉주', '리병철'].map((n) => romanize(n).text)).toEqual(['Choe Ryong Hae', 'Pak Pong Ju', 'Ri Pyong Chol']);
  });

  it('Arabic is read without its short vowels and compared by consonants', () => {
    expect(romanize('خميس القذافي')).toMatchObject({ text: 'khmys lqdhfy', abjad: true, scripts: ['Arabic'] });
  });
});

describe('issue 17: name parts an analyst would accept', () => {
  it.each([
    ['a missing second surname', 'is Nicolas Maduro sanctioned?', 'MADURO MOROS, Nicolas'],
    ['an alias with another spelling of the given name', 'is Alexander Lukashenko sanctioned?', 'LUKASHENKA, Alyaksandr Ryhorovich'],
    ['an apostrophe inside a word', "is Qur'anic Literacy Institute sanctioned?", "QUR'ANIC LITERACY INSTITUTE"],
    ['the apostrophe left out', 'is Quranic Literacy Institute sanctioned?', "QUR'ANIC LITERACY INSTITUTE"],
    ['legal forms in the middle of the listed name', 'is AMD Agency sanctioned?', 'AMD CO. LTD AGENCY'],
    ['words run together', 'is JSCARGUMENT sanctioned?', 'JSC ARGUMENT'],
  ])('%s: “%s”', async (_label, question, listed) => {
    const r = await ask(question);
    expect(r.text).toMatch(new RegExp(`^Yes — listed as “${listed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`));
    expect(r.screening).toMatchObject({ outcome: 'listed', listedName: listed });
  });
});

describe('issue 17: ties and wrong entries', () => {
  it('“KOTI CORP” is the entity, and the vessel KOTI is named beside it with its type', async () => {
    const r = await ask('is KOTI CORP sanctioned?');
    expect(r.text).toMatch(/^Yes — listed as “KOTI CORP” .*, an entity\./);
    expect(r.text).toContain('KOTI (vessel), entry 990006.');
    expect(r.screening).toMatchObject({ outcome: 'listed', listedName: 'KOTI CORP', type: 'organization' });
  });

  it('“MC Overseas Trading Company” is not OVERSEAS TRADING COMPANY: “mc”, on no listed name, names another party', async () => {
    const r = await ask('is MC Overseas Trading Company sanctioned?');
    expect(r.text).toMatch(
      /^I have no record of mc Overseas Trading Company in the curated designations or the \d+ entries of the .* extract loaded/,
    );
    expect(r.text).toContain('Checked: the closest listed name, “OVERSEAS TRADING COMPANY”, lacks “mc”');
    expect(r.screening).toMatchObject({ outcome: 'no-list' });
    expect(r.screening!.basis).toContain('the name of another party');
  });
});

describe('the screening index after an import', () => {
  it('is built when the bot reloads, so the next sanctions question finds it ready and up to date', async () => {
    const fresh = openTestBot(KNOWLEDGE, join(tempDir(), 'store.db'));
    await fresh.engine.refresh();
    importFiles(fresh, [SDN]);
    await fresh.engine.answer('is Nicolas Maduro sanctioned?');
    const before = fresh.engine.preparedScreener();
    expect(before?.screen('Khamis Gaddafi').outcome).not.toBe('listed');
    importFiles(fresh, [ALT]); // the aliases arrive: the screener built before no longer holds every name
    expect(fresh.engine.preparedScreener()).toBeUndefined();
    await fresh.engine.refresh();
    const after = fresh.engine.preparedScreener();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(after!.screen('Khamis Gaddafi')).toMatchObject({ outcome: 'listed', best: { matchedName: 'GADDAFI, Khamis' } });
    expect((await fresh.engine.answer('is Khamis Gaddafi sanctioned?')).screening).toMatchObject({ outcome: 'listed' });
    expect(fresh.engine.preparedScreener()).toBe(after);
  });
});

describe('issue 17: a date of birth narrows with the list’s remarks', () => {
  it('agrees: still listed, saying so', async () => {
    const r = await ask('is Nicolas Maduro sanctioned? dob 1962');
    expect(r.screening).toMatchObject({ outcome: 'listed' });
    expect(r.text).toContain("The date of birth asked about (1962) agrees with the list's (23 Nov 1962).");
  });

  it('differs: a review, with the reason', async () => {
    const r = await ask('is Nicolas Maduro sanctioned? dob 1970');
    expect(r.screening).toMatchObject({ outcome: 'review' });
    expect(r.screening!.basis).toBe("the date of birth asked about (1970) differs from the list's (23 Nov 1962)");
  });
});

describe('ask --json and threatbrief screen', () => {
  const env = () => ({ ...process.env, DATABASE_PATH: dbPath, KNOWLEDGE_DIR: KNOWLEDGE });

  it('ask --json carries the screening verdict', () => {
    const r = spawnSync(process.execPath, [CLI, 'ask', '--json', 'is Khamis Gaddafi sanctioned?'], { encoding: 'utf8', env: env() });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).screening).toMatchObject({
      outcome: 'listed',
      listedName: 'QADHAFI, Khamis',
      list: 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)',
      edition: '2023-03',
      score: 1,
      basis: 'the same name',
    });
  });

  it('screens a CSV of names into one verdict row per name, neutralising spreadsheet formulas', () => {
    const input = join(tempDir(), 'names.csv');
    const out = join(tempDir(), 'verdicts.csv');
    writeFileSync(
      input,
      'name\nKhamis Gaddafi\nJohn Smith\n"MC Overseas Trading Company"\n=HYPERLINK("x")\nOverseas Trading Company Agency\n',
    );
    const r = spawnSync(process.execPath, [CLI, 'screen', input, '--out', out], { encoding: 'utf8', env: env() });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Screened 5 names in .* 1 listed, 1 to review, 3 no record\./);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('name,outcome,listed_name,entry,type,list,edition,score,matched_name,transliterated,basis');
    expect(rows[1]).toMatch(/^"Khamis Gaddafi","listed","QADHAFI, Khamis","12607","person",/);
    expect(rows[2]).toMatch(/^"John Smith","no-record",/);
    expect(rows[3]).toMatch(/^"MC Overseas Trading Company","no-record",.*the closest listed name, “OVERSEAS TRADING COMPANY”, lacks “mc”/);
    expect(rows[4]).toMatch(/^"'=HYPERLINK\(""x""\)","no-record"/);
    // A word more that other listed names hold ("AMD CO. LTD AGENCY"): a possible branch or subsidiary, to review.
    expect(rows[5]).toMatch(/^"Overseas Trading Company Agency","review","OVERSEAS TRADING COMPANY",/);
  });

  it('refuses to screen when no list is loaded, saying why', () => {
    const input = join(tempDir(), 'names.csv');
    writeFileSync(input, 'John Smith\n');
    const r = spawnSync(process.execPath, [CLI, 'screen', input], {
      encoding: 'utf8',
      env: { ...env(), DATABASE_PATH: join(tempDir(), 'empty.db') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No sanctions list is loaded');
  });
});
