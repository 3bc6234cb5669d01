/**
 * The companions of OFAC's legacy `sdn.csv`: `ALT.CSV` (alternate names) and `ADD.CSV`
 * (addresses), as published: no header row, CRLF, a trailing 0x1A byte, `-0-` (often `-0- `)
 * for an empty field. Both are keyed by `ent_num`, which OFAC keeps stable across editions, so
 * a newer ALT or ADD file applies to an older list: each row becomes a record about the SDN
 * entry `ofac-sdn:<ent_num>`, imported before or in the same import. A row whose entry is not
 * loaded is skipped and reported by the writer, never fatal.
 *
 * ALT columns: ent_num, alt_num, alt_type (aka, fka, nka), alt_name, alt_remarks.
 * ADD columns: ent_num, add_num, address, city/state/postal, country, add_remarks.
 */
import { formatDate } from '../base/format.js';
import { entryLabel, OFAC_PUBLISHER, type OfacList, ofacListOf, SDN_LIST, splitCsv } from './ofac-sdn.js';
import type { FeedAlias, FeedFile, FeedRecord, ImportProblem, ParsedFeed, ParseResult } from './types.js';
import { sha256, versionOf } from './util.js';

const LEGACY_URL = 'https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas';

const ALT_TYPES = { aka: 'a.k.a.', fka: 'f.k.a.', nka: 'n.k.a.' } as const;
type AltType = keyof typeof ALT_TYPES;

/** The reason a companion row is skipped when its list entry is not in the store nor in the import. */
export function absentEntry(list: OfacList): string {
  return `its ent_num is not on the ${list.short} loaded (import the matching ${list.files.prim} first, or with it)`;
}

export interface AltRow {
  line: number;
  entNum: string;
  altNum: string;
  type: AltType;
  name: string;
  remarks?: string;
}

export interface AddRow {
  line: number;
  entNum: string;
  addNum: string;
  address?: string;
  cityStatePostal?: string;
  country?: string;
  remarks?: string;
}

function empty(v: string | undefined): string | undefined {
  const t = (v ?? '').trim();
  return t === '' || t === '-0-' ? undefined : t;
}

/** The published text without the DOS end-of-file byte or a byte-order mark. */
function body(file: FeedFile): string {
  return file.text.replace(/^\uFEFF/, '').replace(/\u001a[\s\u001a]*$/, '');
}

/** The first data row of a legacy OFAC CSV, split into fields (for telling the files apart). */
function firstRow(text: string): string[] {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  const end = head.search(/\r?\n/);
  return splitCsv(end < 0 ? head : head.slice(0, end)).rows[0]?.fields.map((f) => f.trim()) ?? [];
}

/** ALT.CSV: five fields, two numbers, then aka, fka or nka. */
export function looksLikeAlt(text: string): boolean {
  const f = firstRow(text);
  return f.length === 5 && /^\d+$/.test(f[0]!) && /^\d+$/.test(f[1]!) && (f[2]! as string) in ALT_TYPES;
}

/** ADD.CSV: six fields, two numbers first. */
export function looksLikeAdd(text: string): boolean {
  const f = firstRow(text);
  return f.length === 6 && /^\d+$/.test(f[0]!) && /^\d+$/.test(f[1]!);
}

function rowsOf<T>(
  file: FeedFile,
  columns: readonly string[],
  read: (f: (string | undefined)[], raw: string[], line: number, at: (message: string) => void) => T | undefined,
): { rows: T[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const split = splitCsv(body(file));
  if (split.problem) problems.push({ file: file.display, where: `line ${split.problem.line}`, message: split.problem.message });
  const rows: T[] = [];
  for (const { line, fields } of split.rows) {
    const at = (message: string) => problems.push({ file: file.display, where: `line ${line}`, message });
    if (fields.length !== columns.length) {
      at(`expected ${columns.length} comma-separated fields (${columns.join(', ')}), found ${fields.length}`);
      continue;
    }
    const f = fields.map(empty);
    if (!f[0] || !/^\d+$/.test(f[0]) || !f[1] || !/^\d+$/.test(f[1])) {
      at(`${columns[0]} and ${columns[1]} must be numbers, found "${(fields[0] ?? '').trim()}", "${(fields[1] ?? '').trim()}"`);
      continue;
    }
    const row = read(f, fields, line, at);
    if (row) rows.push(row);
  }
  return { rows, problems };
}

/** Parses and checks every row of ALT.CSV; problems name the line. */
export function parseAltRows(file: FeedFile): { rows: AltRow[]; problems: ImportProblem[] } {
  return rowsOf(file, ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks'], (f, raw, line, at) => {
    const type = (f[2] ?? '').toLowerCase();
    if (!(type in ALT_TYPES)) {
      at(`alt_type must be aka, fka or nka, found "${(raw[2] ?? '').trim()}" (entry ${f[0]})`);
      return undefined;
    }
    if (!f[3]) {
      at(`alt_name is empty (entry ${f[0]})`);
      return undefined;
    }
    const row: AltRow = { line, entNum: f[0]!, altNum: f[1]!, type: type as AltType, name: f[3] };
    if (f[4]) row.remarks = f[4];
    return row;
  });
}

/** Parses and checks every row of ADD.CSV; problems name the line. */
export function parseAddRows(file: FeedFile): { rows: AddRow[]; problems: ImportProblem[] } {
  return rowsOf(file, ['ent_num', 'add_num', 'address', 'city/state/postal', 'country', 'add_remarks'], (f, _raw, line) => {
    const row: AddRow = { line, entNum: f[0]!, addNum: f[1]! };
    if (f[2]) row.address = f[2];
    if (f[3]) row.cityStatePostal = f[3];
    if (f[4]) row.country = f[4];
    if (f[5]) row.remarks = f[5];
    return row;
  });
}

/** "Zweierstrasse 35, Zurich CH-8022, Switzerland". */
export function addressText(a: AddRow): string | undefined {
  const parts = [a.address, a.cityStatePostal, a.country].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return undefined;
  return `${parts.join(', ')}${a.remarks ? ` (${a.remarks})` : ''}`;
}

function byEntry<T extends { entNum: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.entNum);
    if (list) list.push(r);
    else out.set(r.entNum, [r]);
  }
  return out;
}

/**
 * A weak alternate name: OFAC marks those in the remarks ("weak", "low quality"); the legacy
 * ALT.CSV otherwise holds the strong ones (the weak a.k.a.s are quoted in sdn.csv's remarks).
 */
function isWeak(remarks: string | undefined): boolean {
  return /\b(weak|low quality)\b/i.test(remarks ?? '');
}

/** One record per list entry: its alternate names, as aliases of `ofac-sdn:<ent_num>` (or the consolidated list's). */
export function altRecords(rows: readonly AltRow[], editionText: string, list: OfacList = SDN_LIST): FeedRecord[] {
  return [...byEntry(rows)].map(([entNum, alts]) => {
    const aliases: FeedAlias[] = alts.map((a) => ({
      name: a.name,
      kind: a.type === 'fka' ? 'former-name' : 'name',
      usedBy: `OFAC ${list.short}, ${ALT_TYPES[a.type]} (${list.files.alt}, ${editionText})`,
      ...(isWeak(a.remarks) ? { weak: true } : {}),
    }));
    return {
      key: `${list.altKey}:${entNum}`,
      version: versionOf(alts.map((a) => ({ ...a, line: 0 }))),
      label: `alternate names of ${entryLabel(list, entNum)}`,
      subject: { record: `${list.key}:${entNum}` },
      absentSubject: absentEntry(list),
      aliases,
      claims: [],
    };
  });
}

/** One record per list entry: its addresses, as statements about `ofac-sdn:<ent_num>` (or the consolidated list's). */
export function addRecords(rows: readonly AddRow[], editionText: string, list: OfacList = SDN_LIST): FeedRecord[] {
  const records: FeedRecord[] = [];
  for (const [entNum, adds] of byEntry(rows)) {
    const texts = adds.map(addressText).filter((t): t is string => Boolean(t));
    if (texts.length === 0) continue;
    records.push({
      key: `${list.addKey}:${entNum}`,
      version: versionOf(adds.map((a) => ({ ...a, line: 0 }))),
      label: `addresses of ${entryLabel(list, entNum)}`,
      subject: { record: `${list.key}:${entNum}` },
      absentSubject: absentEntry(list),
      aliases: [],
      claims: texts.map((t) => ({
        predicate: 'address' as const,
        text: `Address on OFAC's ${list.short} (${list.files.add}, ${editionText}, entry ${entNum}): ${t}.`,
      })),
    });
  }
  return records;
}

export interface CompanionOptions {
  edition: string;
}

/** ALT.CSV on its own: alternate names for SDN entries already in the store. */
export function parseOfacAlt(file: FeedFile, options: CompanionOptions): ParseResult {
  const { rows, problems } = parseAltRows(file);
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) return { ok: false, problems: [{ file: file.display, where: '', message: 'no ALT.CSV rows found' }] };
  const list = ofacListOf(file);
  return { ok: true, feed: companionFeed('ofac-alt', file, options, list, altRecords(rows, formatDate(options.edition), list)) };
}

/** ADD.CSV on its own: addresses for SDN entries already in the store. */
export function parseOfacAdd(file: FeedFile, options: CompanionOptions): ParseResult {
  const { rows, problems } = parseAddRows(file);
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) return { ok: false, problems: [{ file: file.display, where: '', message: 'no ADD.CSV rows found' }] };
  const list = ofacListOf(file);
  return { ok: true, feed: companionFeed('ofac-add', file, options, list, addRecords(rows, formatDate(options.edition), list)) };
}

function companionFeed(
  format: 'ofac-alt' | 'ofac-add',
  file: FeedFile,
  options: CompanionOptions,
  list: OfacList,
  records: FeedRecord[],
): ParsedFeed {
  const what = format === 'ofac-alt' ? `Alternate names (${list.files.alt})` : `Addresses (${list.files.add})`;
  return {
    format,
    file: file.display,
    sha256: sha256([file.text]),
    publisher: OFAC_PUBLISHER,
    title: `${what} of the ${list.title}, ${formatDate(options.edition)} edition`,
    edition: options.edition,
    url: LEGACY_URL,
    listKey: format === 'ofac-alt' ? list.altKey : list.addKey,
    records,
    skipped: [],
    withdrawn: [],
  };
}
