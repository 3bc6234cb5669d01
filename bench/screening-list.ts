/**
 * A full-size list to screen against, from real names: the 33 rows of the real March 2023 SDN
 * sample, the 13 rows written for the screening tests (test/fixtures/ofac), and one SDN-format
 * row for every other entry of the real June 2026 ALT.CSV (8,700-odd), named by its first
 * alternate name (a person when written "SURNAME, Given"), followed by the real ALT.CSV and
 * ADD.CSV themselves, so every other alternate name is an alias as it would be in production.
 * The full SDN list of an edition is not in the repository; this stands in for it, with real
 * names, real aliases and about the same number of names (20,000-odd).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/base/paths.js';
import { parseAltRows } from '../src/ingest/ofac-companions.js';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';

const ROOT = packageRoot();
export const SDN_SAMPLE = join(ROOT, 'feeds', 'ofac', 'sdn-sample-2023-03.csv');
export const SDN_SCREENING = join(ROOT, 'test', 'fixtures', 'ofac', 'sdn-screening-2023-03.csv');
export const ALT_FULL = join(ROOT, 'test', 'e2e', 'fixtures', 'ofac', 'alt-2026-06.csv');
export const ADD_FULL = join(ROOT, 'test', 'e2e', 'fixtures', 'ofac', 'add-2026-06.csv');

/** Written "SURNAME, Given" with lower-case letters after the comma: a person ("TROVER, S.A." is not). */
export function looksLikePerson(name: string): boolean {
  return /^[^,]+, *[A-Z][^,]*[a-z]/.test(name);
}

function entNums(text: string): Set<string> {
  return new Set(text.split(/\r?\n/).flatMap((l) => (/^\d+,/.test(l) ? [l.slice(0, l.indexOf(','))] : [])));
}

function csv(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** The SDN-format text of the full-size list (see the module comment). */
export function fullSizeSdn(): string {
  const strip = (t: string) => t.replace(/\r\n\u001a$/, '').replace(/\u001a$/, '');
  const sample = strip(readFileSync(SDN_SAMPLE, 'latin1'));
  const screening = strip(readFileSync(SDN_SCREENING, 'latin1'));
  const known = new Set([...entNums(sample), ...entNums(screening)]);
  const { rows } = parseAltRows({ display: ALT_FULL, text: readFileSync(ALT_FULL, 'latin1') });
  const first = new Map<string, string>();
  for (const r of rows) if (!known.has(r.entNum) && !first.has(r.entNum)) first.set(r.entNum, r.name);
  const derived = [...first].map(
    ([ent, name]) =>
      `${ent},${csv(name)},${looksLikePerson(name) ? '"individual"' : '-0- '},"ALT-DERIVED",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `,
  );
  return `${[sample, screening, ...derived].join('\r\n')}\r\n\u001a`;
}

/** A store holding the full-size list with ALT.CSV and ADD.CSV, as `threatbrief import` writes it. */
export function fullSizeStore(dir: string): { store: FactStore; sdnPath: string; entries: number } {
  const sdnPath = join(dir, 'sdn-full-2023-03.csv');
  const text = fullSizeSdn();
  writeFileSync(sdnPath, text, 'latin1');
  const store = new FactStore(openDatabase(join(dir, 'screening.db')));
  for (const paths of [[sdnPath], [ALT_FULL], [ADD_FULL]]) {
    const parsed = readFeed(paths, { edition: paths[0] === sdnPath ? '2023-03' : '2026-06' });
    if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
    writeImport(store, parsed.feed, new Date('2026-07-01T00:00:00Z'));
  }
  return { store, sdnPath, entries: entNums(text).size };
}
