/**
 * OFAC's legacy Specially Designated Nationals list, `sdn.csv`, as published: no header row,
 * CRLF line ends, a trailing 0x1A (DOS end-of-file) byte, and `-0-` (often `-0- `) for an empty
 * field. Columns: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
 * GRT, Vess_flag, Vess_owner, Remarks. Several programs are joined as `A] [B`. Aliases live in
 * Remarks as `a.k.a. 'NAME'`, `f.k.a. 'NAME'`, `n.k.a. 'NAME'`; `Linked To: NAME.` names a
 * related entry.
 *
 * The quoted a.k.a.s in sdn.csv's remarks are OFAC's "weak AKAs" (the strong ones are published
 * separately, in alt.csv): broad names OFAC does not expect anyone to screen on alone. They are
 * imported as weak aliases, which the resolver scores lower.
 */

import { splitCsv } from '../base/csv.js';
import { formatDate } from '../base/format.js';
import { normalizeName } from '../base/normalize.js';
import type { FeedClaim, FeedFile, FeedRecord, ImportProblem, ParseResult, SkippedItem } from './types.js';
import { sha256, versionOf } from './util.js';

export const SDN_LIST_NAME = 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)';
export const SDN_LIST_KEY = 'ofac-sdn';
export const OFAC_PUBLISHER = 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)';
const SEARCH_URL = 'https://sanctionssearch.ofac.treas.gov/';

/**
 * One of OFAC's legacy CSV lists: the SDN list (SDN.CSV, ALT.CSV, ADD.CSV) or the consolidated
 * non-SDN list (CONS_PRIM.CSV, CONS_ALT.CSV, CONS_ADD.CSV), published in the same columns. Each is
 * a list of its own: its own record keys, its own editions, its own delistings.
 */
export interface OfacList {
  /** The import's list key and the prefix of its record keys ("ofac-sdn:21324"). */
  key: string;
  /** The list as a sanctions answer names it. */
  name: string;
  /** "SDN list", "consolidated non-SDN list": as in "OFAC's SDN list links…". */
  short: string;
  /** The list's title in an import's title. */
  title: string;
  /** Prefix of the ids of the entities and designations it creates ("sdn-21324"). */
  idPrefix: string;
  url: string;
  /** The published names of its three files. */
  files: { prim: string; alt: string; add: string };
  /** Record-key prefixes of its alternate names and addresses. */
  altKey: string;
  addKey: string;
}

export const SDN_LIST: OfacList = {
  key: SDN_LIST_KEY,
  name: SDN_LIST_NAME,
  short: 'SDN list',
  title: 'Specially Designated Nationals and Blocked Persons List (SDN)',
  idPrefix: 'sdn',
  url: 'https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists',
  files: { prim: 'sdn.csv', alt: 'ALT.CSV', add: 'ADD.CSV' },
  altKey: 'ofac-alt',
  addKey: 'ofac-add',
};

export const CONSOLIDATED_LIST: OfacList = {
  key: 'ofac-cons',
  name: 'OFAC Consolidated Sanctions List (non-SDN)',
  short: 'consolidated non-SDN list',
  title: 'Consolidated Sanctions List (non-SDN lists)',
  idPrefix: 'cons',
  url: 'https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists',
  files: { prim: 'CONS_PRIM.CSV', alt: 'CONS_ALT.CSV', add: 'CONS_ADD.CSV' },
  altKey: 'ofac-cons-alt',
  addKey: 'ofac-cons-add',
};

/**
 * Which list a file belongs to: the one its download says, else its name (OFAC names the
 * consolidated files CONS_*), else the SDN list. The columns are the same, so the content cannot tell.
 */
export function ofacListOf(file: FeedFile): OfacList {
  if (file.ofacList) return file.ofacList === 'consolidated' ? CONSOLIDATED_LIST : SDN_LIST;
  const name = file.display.split(/[\\/]/).at(-1) ?? '';
  return /^cons_/i.test(name) ? CONSOLIDATED_LIST : SDN_LIST;
}

const COLUMNS = [
  'ent_num',
  'SDN_Name',
  'SDN_Type',
  'Program',
  'Title',
  'Call_Sign',
  'Vess_type',
  'Tonnage',
  'GRT',
  'Vess_flag',
  'Vess_owner',
  'Remarks',
] as const;

export type SdnType = 'individual' | 'entity' | 'vessel' | 'aircraft';

/** One row of the list, with empty fields as undefined. */
export interface SdnRow {
  line: number;
  entNum: string;
  name: string;
  type: SdnType;
  programs: string[];
  title?: string;
  callSign?: string;
  vesselType?: string;
  tonnage?: string;
  grt?: string;
  vesselFlag?: string;
  vesselOwner?: string;
  remarks?: string;
}

export interface SdnAlias {
  name: string;
  /** a.k.a. (also known as), f.k.a. (formerly), n.k.a. (now). */
  label: 'a.k.a.' | 'f.k.a.' | 'n.k.a.';
}

export { splitCsv } from '../base/csv.js';

function empty(v: string | undefined): string | undefined {
  const t = (v ?? '').trim();
  return t === '' || t === '-0-' ? undefined : t;
}

/** Aliases from the remarks: `a.k.a. 'NAME'` and its f.k.a./n.k.a. siblings. */
export function remarkAliases(remarks: string | undefined): SdnAlias[] {
  if (!remarks) return [];
  const out: SdnAlias[] = [];
  // A quoted name ends at a quote followed by ";", "." and the end, or the end (names may hold apostrophes).
  const re = /\b([afn])\.k\.a\.,?\s+'(.+?)'(?=\s*(?:;|\.?\s*$|\.\s))/g;
  for (const m of remarks.matchAll(re)) {
    const name = m[2]!.trim();
    if (name) out.push({ name, label: `${m[1]}.k.a.` as SdnAlias['label'] });
  }
  return out;
}

/** Names after `Linked To:` in the remarks. */
export function linkedNames(remarks: string | undefined): string[] {
  if (!remarks) return [];
  const out: string[] = [];
  for (const m of remarks.matchAll(/Linked To:\s*([^;]+)/g)) {
    const name = m[1]!.trim().replace(/\.$/, '').trim();
    if (name) out.push(name);
  }
  return out;
}

/** Parses and checks every row; problems name the line. */
export function parseSdnRows(file: FeedFile): { rows: SdnRow[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const at = (line: number, message: string) => problems.push({ file: file.display, where: `line ${line}`, message });
  // A DOS end-of-file byte (0x1A) ends the published file; a byte-order mark may start a re-saved one.
  const text = file.text.replace(/^\uFEFF/, '').replace(/\u001a[\s\u001a]*$/, '');
  const split = splitCsv(text);
  if (split.problem) at(split.problem.line, split.problem.message);
  const rows: SdnRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of split.rows) {
    if (line === 1 && /^\s*ent_num\s*$/i.test(fields[0] ?? '')) continue; // a header row some tools add
    if (fields.length !== COLUMNS.length) {
      at(line, `expected ${COLUMNS.length} comma-separated fields (${COLUMNS.join(', ')}), found ${fields.length}`);
      continue;
    }
    const f = fields.map(empty);
    const entNum = f[0];
    if (!entNum || !/^\d+$/.test(entNum)) {
      at(line, `ent_num must be a number, found "${(fields[0] ?? '').trim()}"`);
      continue;
    }
    const previous = seen.get(entNum);
    if (previous !== undefined) at(line, `ent_num ${entNum} was already used on line ${previous}`);
    seen.set(entNum, line);
    const name = f[1];
    if (!name) at(line, `SDN_Name is empty (entry ${entNum})`);
    const rawType = (fields[2] ?? '').trim();
    const type: SdnType | undefined =
      rawType === '-0-' || rawType === ''
        ? 'entity'
        : rawType === 'individual' || rawType === 'vessel' || rawType === 'aircraft'
          ? rawType
          : undefined;
    if (!type) at(line, `SDN_Type must be individual, vessel, aircraft or -0- (an entity), found "${rawType}" (entry ${entNum})`);
    const programs = (f[3] ?? '')
      .split(/\]\s*\[/)
      .map((p) => p.replace(/^\[|\]$/g, '').trim())
      .filter(Boolean);
    if (programs.length === 0) at(line, `Program is empty (entry ${entNum})`);
    if (!name || !type || programs.length === 0) continue;
    const row: SdnRow = { line, entNum, name, type, programs };
    const opt = (key: keyof SdnRow, i: number) => {
      const v = f[i];
      if (v) (row as unknown as Record<string, string>)[key] = v;
    };
    opt('title', 4);
    opt('callSign', 5);
    opt('vesselType', 6);
    opt('tonnage', 7);
    opt('grt', 8);
    opt('vesselFlag', 9);
    opt('vesselOwner', 10);
    opt('remarks', 11);
    rows.push(row);
  }
  if (rows.length === 0 && problems.length === 0)
    problems.push({ file: file.display, where: '', message: 'no SDN rows found (is this the legacy sdn.csv or CONS_PRIM.CSV?)' });
  return { rows, problems };
}

const TYPE_LABEL: Record<SdnType, string> = {
  individual: 'an individual',
  entity: 'an entity',
  vessel: 'a vessel',
  aircraft: 'an aircraft',
};
const ENTITY_TYPE: Record<SdnType, string> = { individual: 'person', entity: 'organization', vessel: 'vessel', aircraft: 'aircraft' };
const ATTACH_TYPES: Record<SdnType, string[]> = {
  individual: ['person'],
  entity: ['organization', 'government-body', 'threat-actor'],
  vessel: ['vessel'],
  aircraft: ['aircraft'],
};

function programsText(programs: readonly string[]): string {
  return `${programs.length > 1 ? 'programs' : 'program'} ${programs.join(', ')}`;
}

function summaryOf(row: SdnRow, editionText: string, list: OfacList): string {
  const on = list === SDN_LIST ? "OFAC's Specially Designated Nationals (SDN) list" : `OFAC's ${list.short}`;
  const parts = [`${row.name} is ${TYPE_LABEL[row.type]} on ${on} (${editionText} edition), under ${programsText(row.programs)}.`];
  if (row.title) parts.push(`Title on the list: ${row.title}.`);
  const vessel = [
    row.callSign && `call sign ${row.callSign}`,
    row.vesselType && `type ${row.vesselType}`,
    row.tonnage && `tonnage ${row.tonnage}`,
    row.grt && `gross registered tonnage ${row.grt}`,
    row.vesselFlag && `flag ${row.vesselFlag}`,
    row.vesselOwner && `owner ${row.vesselOwner}`,
  ].filter(Boolean);
  if (vessel.length > 0) parts.push(`Vessel details: ${vessel.join('; ')}.`);
  if (row.remarks) parts.push(`Remarks on the list: ${row.remarks.replace(/\.?$/, '.')}`);
  return parts.join(' ');
}

export interface SdnOptions {
  /** The edition (publication date) of the file: YYYY, YYYY-MM or YYYY-MM-DD. */
  edition: string;
}

/** "SDN entry 21324", "consolidated list entry 28470". */
export function entryLabel(list: OfacList, entNum: string): string {
  return `${list === SDN_LIST ? 'SDN' : 'consolidated list'} entry ${entNum}`;
}

/**
 * Parses an SDN list (or the consolidated non-SDN list, in the same columns) into one record per
 * row: an entity, its aliases, links, and its list entry.
 */
export function parseOfacSdn(file: FeedFile, options: SdnOptions): ParseResult {
  const list = ofacListOf(file);
  const { rows, problems } = parseSdnRows(file);
  if (problems.length > 0) return { ok: false, problems };
  const editionText = formatDate(options.edition);
  const byName = new Map<string, string>();
  const byNorm = new Map<string, string[]>();
  for (const r of rows) {
    byName.set(r.name, r.entNum);
    const norm = normalizeName(r.name);
    byNorm.set(norm, [...(byNorm.get(norm) ?? []), r.entNum]);
  }
  const skipped: SkippedItem[] = [];
  const records: FeedRecord[] = rows.map((row) => {
    const key = `${list.key}:${row.entNum}`;
    const claims: FeedClaim[] = linkedNames(row.remarks).map((linked) => {
      const exact = byName.get(linked);
      const norm = byNorm.get(normalizeName(linked));
      const target = exact ?? (norm && norm.length === 1 ? norm[0] : undefined);
      const claim: FeedClaim = {
        predicate: 'linked-to',
        text: `OFAC's ${list.short} links ${row.name} to ${linked}.`,
        keepWithoutObject: true,
      };
      if (target && target !== row.entNum) claim.object = { record: `${list.key}:${target}` };
      return claim;
    });
    const aliases = remarkAliases(row.remarks).map((a) => ({
      name: a.name,
      kind: a.label === 'f.k.a.' ? 'former-name' : 'name',
      usedBy: `OFAC ${list.short}, ${a.label}`,
      ...(a.label === 'a.k.a.' ? { weak: true } : {}),
    }));
    return {
      key,
      version: versionOf({ ...row, line: 0 }),
      label: `${row.name} (${entryLabel(list, row.entNum)})`,
      entity: {
        id: `${list.idPrefix}-${row.entNum}`,
        type: ENTITY_TYPE[row.type],
        name: row.name,
        summary: summaryOf(row, editionText, list),
        matchNames: [row.name],
        attachTypes: ATTACH_TYPES[row.type],
      },
      aliases,
      claims,
      sanction: {
        id: `${list.idPrefix}-entry-${row.entNum}`,
        designatedBy: 'ofac',
        date: options.edition,
        authority: `OFAC sanctions ${programsText(row.programs)}`,
        program: row.programs.join(', '),
        reason: `Listed on OFAC's ${list.short} as ${TYPE_LABEL[row.type]} under ${programsText(row.programs)} (entry ${row.entNum}).`,
        referenceTitle: `OFAC ${list.short} entry ${row.entNum}, ${editionText} edition`,
        referenceUrl: SEARCH_URL,
        list: { name: list.name, edition: options.edition, programs: row.programs, entry: row.entNum, listedName: row.name },
      },
    };
  });
  return {
    ok: true,
    feed: {
      format: 'ofac-sdn',
      file: file.display,
      sha256: sha256([file.text]),
      publisher: OFAC_PUBLISHER,
      title: `${list.title}, ${editionText} edition`,
      edition: options.edition,
      url: list.url,
      listKey: list.key,
      records,
      skipped,
      withdrawn: [],
    },
  };
}
