import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAddRows, parseAltRows } from '../src/ingest/ofac-companions.js';
import { type ReadOptions, readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { openTestBot, ROOT, storeSnapshot, type TestBot, tempDir } from './helpers.js';

const OFAC = join(ROOT, 'feeds', 'ofac');
const SDN = join(OFAC, 'sdn-sample-2023-03.csv');
/** The rows of the real June 2026 ALT.CSV and ADD.CSV for the entries of the SDN sample, and one row for an entry it lacks (50543). */
const ALT = join(OFAC, 'alt-sample-2026-06.csv');
const ADD = join(OFAC, 'add-sample-2026-06.csv');

function importFeed(bot: TestBot, paths: string[], options: ReadOptions = {}) {
  const parsed = readFeed(paths, options);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
  return writeImport(bot.store, parsed.feed, new Date('2026-07-01T12:00:00Z'));
}

async function bot(): Promise<TestBot> {
  const b = openTestBot();
  await b.engine.refresh();
  return b;
}

describe('ALT.CSV and ADD.CSV as OFAC publishes them', () => {
  it('reads every row despite CRLF, quoted commas, the trailing 0x1A byte and "-0- " for empty', () => {
    const alt = parseAltRows({ display: 'alt.csv', text: readFileSync(ALT, 'latin1') });
    expect(alt.problems).toEqual([]);
    expect(alt.rows).toHaveLength(63);
    expect(alt.rows.find((r) => r.entNum === '50543')).toEqual({
      line: 63,
      entNum: '50543',
      altNum: expect.any(String),
      type: 'aka',
      name: 'BEIJING INTEGRITY TECHNOLOGY COMPANY, LIMITED',
    });
    const add = parseAddRows({ display: 'add.csv', text: readFileSync(ADD, 'latin1') });
    expect(add.problems).toEqual([]);
    expect(add.rows.find((r) => r.entNum === '173')).toMatchObject({
      address: 'Ibex House, The Minories',
      cityStatePostal: 'London EC3N 1DY',
      country: 'United Kingdom',
    });
  });

  it('names the line and the field of a bad row', () => {
    const alt = parseAltRows({
      display: 'alt.csv',
      text: '36,12,"aka","AERO-CARIBBEAN",-0- \r\n37,13,"also","X",-0- \r\n38,"AERO",-0- \r\n',
    });
    expect(alt.problems.map(formatImportProblem)).toEqual([
      'alt.csv: line 2: alt_type must be aka, fka or nka, found "also" (entry 37)',
      'alt.csv: line 3: expected 5 comma-separated fields (ent_num, alt_num, alt_type, alt_name, alt_remarks), found 3',
    ]);
  });
});

describe('threatbrief import of ALT.CSV and ADD.CSV', () => {
  it('applies a newer ALT.CSV to an older list, and reports the rows whose entry is not loaded instead of failing', async () => {
    const b = await bot();
    importFeed(b, [SDN]);
    const summary = importFeed(b, [ALT]);
    expect(summary).toMatchObject({ format: 'ofac-alt', edition: '2026-06', aliases: expect.any(Number) });
    expect(summary.aliases).toBeGreaterThan(30);
    expect(summary.skipped).toEqual([
      { what: 'alternate names of SDN entry 50543', reason: expect.stringContaining('its ent_num is not on the SDN list loaded') },
    ]);
    // EBANO (4243) gains its strong alternate names, labelled with where they come from.
    const names = b.store.aliases('sdn-12812').map((a) => `${a.name} | ${a.usedBy}`);
    expect(names.some((n) => /\| OFAC SDN list, a\.k\.a\. \(ALT\.CSV, June 2026\)$/.test(n))).toBe(true);
  });

  it('imports ALT.CSV alone into a store without the list: nothing written, every row reported, exit as a report', async () => {
    const b = await bot();
    const before = storeSnapshot(b.store);
    const summary = importFeed(b, [ALT]);
    expect(summary.importId).toBeUndefined();
    expect(summary.skipped).toHaveLength(23);
    expect(storeSnapshot(b.store)).toBe(before);
  });

  it('imports the list with its companions in one go, each file with its own edition, and the addresses reach the answer', async () => {
    const b = await bot();
    const summary = importFeed(b, [SDN, ALT, ADD]);
    expect(summary.format).toBe('ofac-sdn');
    expect(summary.edition).toBe('2023-03');
    expect(summary.title).toContain(
      'with its alternate names (ALT.CSV, June 2026 edition), with its addresses (ADD.CSV, June 2026 edition)',
    );
    expect(summary.listEntries).toBe(33);
    expect(summary.skipped.map((s) => s.what)).toEqual(['alternate names of SDN entry 50543', 'addresses of SDN entry 50543']);
    // The June 2026 ALT.CSV and ADD.CSV say June 2026, not the March 2023 of the list they came with.
    const claims = b.store.claims('sdn-36').filter((c) => c.predicate === 'address');
    expect(claims.map((c) => c.text)).toEqual(["Address on OFAC's SDN list (ADD.CSV, June 2026, entry 36): Havana, Cuba."]);
    const aliases = b.store.aliases('sdn-12812').map((a) => a.usedBy ?? '');
    expect(aliases.some((u) => u.endsWith('(ALT.CSV, June 2026)'))).toBe(true);
    expect(aliases.some((u) => u.includes('March 2023'))).toBe(false);
  });

  it('gives a companion whose name carries no date the --edition asked for, and says where an undated one got its date', async () => {
    const b = await bot();
    const undated = join(tempDir(), 'ALT.CSV');
    writeFileSync(undated, readFileSync(ALT));
    const summary = importFeed(b, [SDN, undated], { edition: '2023-03-01' });
    // --edition is the list's date when given; the list's own name carries one too (2023-03), and --edition wins there.
    expect(summary.edition).toBe('2023-03-01');
    expect(summary.title).toContain('(ALT.CSV, 1 March 2023 edition)');
    const dated = join(tempDir(), 'sdn-2023-03.csv');
    writeFileSync(dated, readFileSync(SDN));
    const parsed = readFeed([dated, undated]);
    expect(parsed.ok && parsed.feed.notes?.some((n) => n.startsWith(`${undated} carries no date`))).toBe(true);
  });

  it('replaces the previous ALT.CSV edition as a whole', async () => {
    const b = await bot();
    importFeed(b, [SDN]);
    importFeed(b, [ALT]);
    const newer = join(tempDir(), 'alt-2026-07.csv');
    writeFileSync(newer, '36,12,"aka","AERO-CARIBBEAN SA",-0- \r\n\u001a', 'latin1');
    const summary = importFeed(b, [newer]);
    expect(summary.replaced).toHaveLength(1);
    expect(b.store.aliases('sdn-36').map((a) => a.name)).toContain('AERO-CARIBBEAN SA');
    expect(b.store.aliases('sdn-36').map((a) => a.name)).not.toContain('AERO-CARIBBEAN');
  });
});
