import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADD_FULL, ALT_FULL, fullSizeSdn } from '../../bench/screening-list.js';
import { splitCsv } from '../../src/base/csv.js';
import { CLI, KNOWLEDGE, openTestBot, type TestBot, tempDir } from '../helpers.js';

/**
 * Screening against a list of full size: the bench's stand-in for an SDN edition (every entry of
 * the real June 2026 ALT.CSV, the real SDN sample rows and the screening test rows: about 8,800
 * entries) imported with the real, full ALT.CSV and ADD.CSV in one `threatbrief import`, as an
 * operator would, then screened with `threatbrief screen` and asked about in chat.
 */
let dir: string;
let dbPath: string;
let imported: ReturnType<typeof spawnSync>;
const env = () => ({ ...process.env, DATABASE_PATH: dbPath, KNOWLEDGE_DIR: KNOWLEDGE });

beforeAll(() => {
  dir = tempDir();
  dbPath = join(dir, 'store.db');
  const sdn = join(dir, 'sdn-full-2023-03.csv');
  writeFileSync(sdn, fullSizeSdn(), 'latin1');
  imported = spawnSync(process.execPath, [CLI, 'import', sdn, ALT_FULL, ADD_FULL], { encoding: 'utf8', env: env() });
}, 300_000);

/** The verdict rows of `threatbrief screen`, by the name screened. */
function screen(names: string[]): Map<string, Record<string, string>> {
  const input = join(dir, 'names.csv');
  const out = join(dir, 'verdicts.csv');
  writeFileSync(input, `name\n${names.map((n) => `"${n.replace(/"/g, '""')}"`).join('\n')}\n`);
  const r = spawnSync(process.execPath, [CLI, 'screen', input, '--out', out], { encoding: 'utf8', env: env() });
  expect(r.status, r.stderr).toBe(0);
  const [header, ...rows] = splitCsv(readFileSync(out, 'utf8')).rows.map((row) => row.fields);
  return new Map(rows.map((fields) => [fields[0]!, Object.fromEntries(header!.map((h, i) => [h, fields[i] ?? '']))]));
}

describe('screening a full-size list with its ALT.CSV and ADD.CSV', () => {
  it('imports the list and both companions in one go, each with its own edition, reporting the rows it cannot place', () => {
    expect(imported.status, String(imported.stderr)).toBe(0);
    const out = String(imported.stdout);
    expect(out).toContain('with its alternate names (ALT.CSV, June 2026 edition), with its addresses (ADD.CSV, June 2026 edition)');
    // ADD.CSV has rows for entries of the consolidated (non-SDN) lists: reported as skipped, not fatal.
    expect(out).toMatch(/skipped/i);
  });

  it('gives every example of issue 17 the verdict a screening analyst expects, in one batch', () => {
    const v = screen([
      'Khamis Gaddafi',
      'Alexander Lukashenko',
      'Владимир Путин',
      'Nicolas Maduro',
      'KOTI CORP',
      'JSCARGUMENT',
      'AMD Agency',
      'Γιώργος Βασιλειάδης',
      'خميس القذافي',
      'MC Overseas Trading Company',
      'Rosneft Trading',
      '김정은',
      'Медведев',
      'Hannah Pemberton',
      '金正恩',
    ]);
    const listed = (name: string, entry: string) => expect(v.get(name), name).toMatchObject({ outcome: 'listed', entry });
    listed('Khamis Gaddafi', '12607');
    expect(v.get('Khamis Gaddafi')!.matched_name).toMatch(/GADDAFI, Khamis/);
    listed('Alexander Lukashenko', '9760');
    // The real entry (35096, "PUTIN, Vladimir" in ALT.CSV), as close as it gets, before the test row with the patronymic.
    listed('Владимир Путин', '35096');
    expect(v.get('Владимир Путин')!.transliterated).toBe('Vladimir Putin');
    listed('Nicolas Maduro', '990004');
    listed('KOTI CORP', '990005');
    expect(v.get('KOTI CORP')!.type).toBe('organization');
    listed('JSCARGUMENT', '990009');
    listed('AMD Agency', '990008');
    listed('Γιώργος Βασιλειάδης', '42067');
    listed('خميس القذافي', '12607');
    listed('김정은', '990003');
    // A rare word more than a listed company's name is another party's name; a common one (a possible subsidiary), or a surname alone: a person should look.
    expect(v.get('MC Overseas Trading Company')).toMatchObject({ outcome: 'no-record', listed_name: '' });
    expect(v.get('MC Overseas Trading Company')!.basis).toContain('the closest listed name, “OVERSEAS TRADING COMPANY”, lacks “mc”');
    expect(v.get('Rosneft Trading')).toMatchObject({ outcome: 'review', listed_name: expect.stringMatching(/ROSNEFT/) });
    expect(v.get('Медведев')).toMatchObject({ outcome: 'review', listed_name: expect.stringMatching(/^MEDVEDEV, Dmitry/) });
    expect(v.get('Hannah Pemberton')).toMatchObject({ outcome: 'no-record', listed_name: '' });
    expect(v.get('金正恩')).toMatchObject({ outcome: 'no-record', transliterated: 'Jin Zheng En' });
  });

  describe('in chat, on the same store', () => {
    /** A bot on the store imported above (each test's own: the helpers close stores after each test). */
    async function bot(): Promise<TestBot> {
      const b = openTestBot(KNOWLEDGE, dbPath);
      await b.engine.refresh();
      return b;
    }

    it('names the alias that matched and the ALT.CSV edition it comes from', async () => {
      const r = await (await bot()).engine.answer('is Khamis Gaddafi sanctioned?');
      expect(r.text).toMatch(/^Yes — listed as “QADHAFI, Khamis”/);
      expect(r.text).toMatch(/Matched through the alias “[A-Z-]*GADDAFI, Khamis” \(OFAC SDN list, a\.k\.a\. \(ALT\.CSV, June 2026\)\)/);
      expect(r.screening).toMatchObject({ outcome: 'listed', entry: '12607', edition: '2023-03' });
    });

    it('tells KOTI CORP from the vessel KOTI by their types, and shows the addresses ADD.CSV gives', async () => {
      const b = await bot();
      const koti = await b.engine.answer('is KOTI CORP sanctioned?');
      expect(koti.text).toMatch(/^Yes — listed as “KOTI CORP”/);
      expect(koti.text).toContain('KOTI (vessel)');
      const aero = await b.engine.answer('is AEROCARIBBEAN AIRLINES sanctioned?');
      expect(aero.text).toContain('Addresses on the list');
      expect(aero.text).toContain('(ADD.CSV, June 2026, entry 36)');
    });
  });
});
