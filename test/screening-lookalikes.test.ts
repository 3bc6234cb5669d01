import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { openTestBot, type TestBot, tempDir } from './helpers.js';

/** Real SDN entries (their names as ALT.CSV of June 2026 writes them), in the shape of sdn.csv. */
const ROWS = [
  [30415, 'BEHRAN TRADING', '-0- '],
  [12032, 'KALA NAFT TEHRAN', '-0- '],
  [24903, 'KATERJI GROUP COMPANY', '-0- '],
  [30202, 'KATERJI, Hussam', 'individual'],
  [48785, 'ALI MORADIPUR, Mohammad', 'individual'],
  [19669, 'ALI, Mohammad Ijaz Safarash', 'individual'],
  [23719, 'ALI, Mohamed Mire', 'individual'],
  [6916, 'ALI, Ahmed Mohammed', 'individual'],
  [27271, 'ALIAKBARI, Mohammad Reza Abbas', 'individual'],
  [8006, 'KOROBOV, Igor Valentinovich', 'individual'],
] as const;

function sdnCsv(): string {
  const empty = Array(8).fill('-0- ').join(',');
  const lines = ROWS.map(([ent, name, type]) => `${ent},"${name}",${type === '-0- ' ? type : `"${type}"`},"IRAN",${empty}`);
  return `${lines.join('\r\n')}\r\n\u001a`;
}

let bot: TestBot;
beforeAll(async () => {
  bot = openTestBot();
  await bot.engine.refresh();
  const path = join(tempDir(), 'sdn.csv');
  writeFileSync(path, sdnCsv(), 'latin1');
  const parsed = readFeed([path], { edition: '2026-06' });
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  writeImport(bot.store, parsed.feed, new Date('2026-07-01T12:00:00Z'));
});

const ask = (q: string) => bot.engine.answer(q);

describe('look-alikes never get a “yes”: a possible match to review, with the reason', () => {
  it.each([
    [
      'a letter changed that makes another word on the lists',
      'is Tehran Trading sanctioned?',
      'BEHRAN TRADING',
      '“tehran” is a word of other listed names, a letter or two from “behran”',
    ],
    [
      'a common given name and surname, the listed second surname left out',
      'is Mohammad Ali sanctioned?',
      'ALI MORADIPUR, Mohammad',
      'only names common on the lists match, and the listed name has more: “moradipur”',
    ],
    [
      'one word of a listed company’s name',
      'is Katerji sanctioned?',
      'KATERJI GROUP COMPANY',
      'only one word of the listed name was typed',
    ],
  ])('%s: “%s”', async (_label, question, listed, reason) => {
    const r = await ask(question);
    expect(r.intent).toBe('sanctions');
    expect(r.text.split('\n')[0]).not.toMatch(/^Yes/);
    expect(r.text).toContain(listed);
    expect(r.screening).toMatchObject({ outcome: 'review', listedName: listed });
    expect(r.screening!.basis).toContain(reason);
  });
});

describe('the same entries, typed with their distinctive words, are still listed', () => {
  it.each([
    ['the name as listed', 'is Behran Trading sanctioned?', 'BEHRAN TRADING'],
    ['the full name in another order', 'is Mohammad Ali Moradipur sanctioned?', 'ALI MORADIPUR, Mohammad'],
    ['the legal form left out', 'is Katerji Group sanctioned?', 'KATERJI GROUP COMPANY'],
    ['a rare surname, the patronymic left out', 'is Igor Korobov sanctioned?', 'KOROBOV, Igor Valentinovich'],
  ])('%s: “%s”', async (_label, question, listed) => {
    const r = await ask(question);
    expect(r.text).toMatch(new RegExp(`^Yes — listed as “${listed}”`));
    expect(r.screening).toMatchObject({ outcome: 'listed', listedName: listed });
  });
});
