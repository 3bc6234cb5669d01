import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { openTestBot, ROOT, type TestBot, tempDir } from './helpers.js';

const SDN = join(ROOT, 'feeds', 'ofac', 'sdn-sample-2023-03.csv');
const LIST = 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)';
const CHECKED = `the ${LIST} (March 2023 edition, 33 entries, an extract) and 5 designations from the curated knowledge`;

function importSdn(bot: TestBot, path = SDN, edition?: string) {
  const parsed = readFeed([path], edition ? { edition } : {});
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, new Date('2025-09-01T12:00:00Z'));
}

let bot: TestBot;
beforeAll(async () => {
  bot = openTestBot();
  await bot.engine.refresh();
  importSdn(bot);
});

describe('screening: “Yes — listed as …” when the name matches at or above the threshold', () => {
  it.each([
    ['the name as listed', 'is HASSAN, Jamil sanctioned?', 'HASSAN, Jamil', 'under program SYRIA (entry 12812)'],
    ['the words in another order', 'is Jamil Hassan sanctioned?', 'HASSAN, Jamil', 'under program SYRIA'],
    ['another case', 'IS JAMIL HASSAN SANCTIONED', 'HASSAN, Jamil', 'under program SYRIA'],
    ['diacritics', 'is Jamîl Hassán sanctioned?', 'HASSAN, Jamil', 'under program SYRIA'],
    [
      'punctuation and corporate suffixes',
      'is Anglo Caribbean Company Limited sanctioned?',
      'ANGLO-CARIBBEAN CO., LTD.',
      'under program CUBA',
    ],
    ['a legal form in front of the name', 'is PKK Milandr sanctioned?', 'JSC PKK MILANDR', 'under program RUSSIA-EO14024'],
    ['a dotted abbreviation', 'is Suex OTC SRO sanctioned?', 'SUEX OTC, S.R.O.', 'under program CYBER2'],
    ['a small typo', 'is Sadegh Ahmadzadgan sanctioned?', 'AHMADZADEGAN, Sadegh', 'under program CYBER2'],
    ['another romanisation', 'is Sadeq Ahmadzadegan sanctioned?', 'AHMADZADEGAN, Sadegh', 'under program CYBER2'],
    [
      'a person without the middle name',
      'is Igor Korobov sanctioned?',
      'KOROBOV, Igor Valentinovich',
      'under programs CYBER2, CAATSA - RUSSIA',
    ],
    ['a former name (f.k.a.)', 'is Sand Swan sanctioned?', 'EBANO', 'under program CUBA'],
  ])('%s: “%s”', async (_label, question, listed, program) => {
    const reply = await bot.engine.answer(question);
    expect(reply.intent).toBe('sanctions');
    expect(reply.text).toContain(`listed as “${listed}” on the ${LIST}, March 2023 edition ${program}`);
    expect(reply.text.split('\n')[0]).toMatch(/^Yes — /);
    // Scores are for scripts (ask --json), never in what people read.
    expect(reply.text).not.toMatch(/score|threshold|0\.\d\d/i);
    expect(reply.screening).toMatchObject({ outcome: 'listed', threshold: 0.9, checked: CHECKED });
    expect(reply.screening!.score).toBeGreaterThanOrEqual(0.9);
    expect(reply.citations[0]).toMatchObject({
      publisher: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
      date: '2023-03',
    });
  });

  it('spells out a typo match word by word', async () => {
    const reply = await bot.engine.answer('is Aleksey Belann sanctioned?');
    expect(reply.text).toContain('“belann” ≈ “belan” (a letter or two different)');
  });
});

describe('screening: “Possible match — review” when the name is close but below the threshold', () => {
  it.each([
    ['a weak alias (OFAC does not screen on them alone)', 'is FSB sanctioned?', 'FEDERAL SECURITY SERVICE', '“FSB” is a weak alias'],
    ['another weak alias', 'is Abyrvalg sanctioned?', 'BELAN, Aleksey Alekseyevich', '“Abyrvalg” is a weak alias'],
    [
      'the surname alone',
      'is Korobov sanctioned?',
      'KOROBOV, Igor Valentinovich',
      'Matched: “korobov” = “korobov”; not in the question: “igor”, “valentinovich”',
    ],
  ])('%s: “%s”', async (_label, question, listed, why) => {
    const reply = await bot.engine.answer(question);
    expect(reply.intent).toBe('sanctions');
    expect(reply.card.title).toBe(`Possible match — review: ${listed}`);
    expect(reply.text).toContain(`resembles ${listed} (`);
    expect(reply.text).toContain(`${listed} is listed as “${listed}” on the ${LIST}, March 2023 edition`);
    expect(reply.screening!.score).toBeLessThan(1);
    expect(reply.text).toContain(why);
    expect(reply.text).toContain('This is not a confirmed match.');
    expect(reply.text).toContain('On the list:');
    expect(reply.text).not.toMatch(/\bYes\b/);
    expect(reply.screening).toMatchObject({ outcome: 'review', threshold: 0.9 });
  });
});

describe('screening against an extract of a list (this 33-entry sample): a name not in it is a “can’t say”, never a “no”', () => {
  it.each([
    ['a name on no list', 'is Acme Widgets Ltd sanctioned?', 'Acme Widgets Ltd'],
    [
      'a listed surname with another given name (the “George Bush” / “George Habbash” trap)',
      'is George Hassan sanctioned?',
      'George Hassan',
    ],
    ['a listed given name with another surname', 'is Jamil Hussein sanctioned?', 'Jamil Hussein'],
    ['a sanctioned person who is not in this sample of the list', 'is Evgeniy Bogachev sanctioned?', 'Evgeniy Bogachev'],
  ])('%s: “%s”', async (_label, question, name) => {
    const reply = await bot.engine.answer(question);
    expect(reply.intent).toBe('unknown');
    expect(reply.text).toContain(
      `I have no record of ${name} in the curated designations or the 33 entries of the ${LIST} extract loaded (March 2023 edition), and no complete sanctions list is loaded, so I can't say whether it is listed.`,
    );
    expect(reply.text).not.toMatch(/\bYes\b|Possible match/);
    expect(reply.screening).toMatchObject({ outcome: 'no-list', checked: CHECKED });
  });
});

describe('screening: curated designations and list entries together', () => {
  it('keeps answering curated designations as before, naming the curated facts', async () => {
    const reply = await bot.engine.answer('is Integrity Tech sanctioned?');
    expect(reply.text).toContain(
      'Yes — Integrity Technology Group, Incorporated was designated by the Office of Foreign Assets Control (OFAC) on 3 January 2025',
    );
    expect(reply.screening).toMatchObject({ outcome: 'listed', list: 'curated designations' });
  });

  it('puts a list entry for a curated entity beside its curated designation, without a duplicate entity', async () => {
    const own = openTestBot();
    await own.engine.refresh();
    // The sample plus one row in the same shape, written for this test.
    const path = join(tempDir(), 'sdn-2025-01.csv');
    const row =
      '47000,"INTEGRITY TECHNOLOGY GROUP, INCORPORATED",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'INTEGRITY TECH\'."';
    writeFileSync(path, readFileSync(SDN, 'latin1').replace(/\r\n\u001a$/, `\r\n${row}\r\n\u001a`), 'latin1');
    const summary = importSdn(own, path);
    expect(summary.entitiesEnriched).toBe(1);
    expect(own.store.entity('sdn-47000')).toBeUndefined();
    const reply = await own.engine.answer('is Integrity Tech sanctioned?');
    expect(reply.intent).toBe('sanctions');
    expect(reply.entities[0]?.id).toBe('integrity-technology-group');
    expect(reply.text).toContain('on 3 January 2025 under E.O. 13694');
    expect(reply.text).toContain(
      `Integrity Technology Group, Incorporated is also listed as “INTEGRITY TECHNOLOGY GROUP, INCORPORATED” on the ${LIST}, January 2025 edition under program CYBER2 (entry 47000).`,
    );
  });
});

describe('screening against a whole list', () => {
  it('says a name missing from a list of 150 entries is on no list checked, and names the list and its edition', async () => {
    const whole = openTestBot();
    await whole.engine.refresh();
    const rows = Array.from(
      { length: 150 },
      (_, i) => `${900_000 + i},"NORTHWIND GENERATED ${i} LIMITED",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `,
    );
    const file = join(tempDir(), 'SDN.CSV');
    writeFileSync(file, `${rows.join('\r\n')}\r\n\u001a`, 'latin1');
    importSdn(whole, file, '2026-06-01');
    const reply = await whole.engine.answer('is Acme Widgets Ltd sanctioned?');
    expect(reply.text).toContain(
      `I have no record of Acme Widgets Ltd in the sanctions data loaded: the ${LIST} (1 June 2026 edition, 150 entries)`,
    );
    expect(reply.screening).toMatchObject({ outcome: 'no-record' });
    const status = await whole.engine.answer('is the sdn list loaded?');
    expect(status.text.split('\n')[0]).toMatch(/^Sanctions answers here check the .*SDN.* \(1 June 2026 edition, 150 entries\)/);
  });
});
