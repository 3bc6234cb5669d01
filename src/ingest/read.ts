import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unreadable } from '../base/io.js';
import { capFeed } from './caps.js';
import { looksLikeKev, parseCisaKev } from './cisa-kev.js';
import { looksLikeMispGalaxy, parseMispGalaxy } from './misp-galaxy.js';
import { looksLikeMstic, parseMsticNaming } from './mstic-naming.js';
import { looksLikeAdd, looksLikeAlt, parseOfacAdd, parseOfacAlt } from './ofac-companions.js';
import { ofacListOf, parseOfacSdn } from './ofac-sdn.js';
import { type OfacFiles, parseOfacTogether } from './ofac-together.js';
import { looksLikeStix, parseStix } from './stix.js';
import { FEED_FORMATS, type FeedFile, type FeedFormat, type ImportProblem, type ParseResult } from './types.js';
import { parseJson } from './util.js';

export interface ReadOptions {
  /** The format, when the content should not decide. */
  format?: FeedFormat;
  /** The edition (publication date) of the file, YYYY, YYYY-MM or YYYY-MM-DD; for lists without one inside (OFAC SDN). */
  edition?: string;
  /** Who published a STIX bundle that does not say. */
  publisher?: string;
}

const EDITION = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** Decodes a file as UTF-8, or as Latin-1 when it is not valid UTF-8 (older OFAC files). */
export function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Largest a gzipped feed may grow to when unpacked (the ATT&CK Enterprise bundle is about 30 MB). */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
const FEED_FILE = /\.(json|csv)$/i;

/** A file's bytes, unpacked when gzipped (a .gz name or gzip's magic bytes). */
function unpacked(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES }) : bytes;
}

/**
 * The files to import: the paths given (a .json.gz or .csv.gz is read through gzip), with folders
 * expanded to the .json and .csv files inside (a compressed bundle beside them is not, unless named).
 */
function listFiles(paths: readonly string[], problems: ImportProblem[]): FeedFile[] {
  const files: FeedFile[] = [];
  // Real paths of folders already listed: a symbolic link back up the tree is not followed twice.
  const visited = new Set<string>();
  const visit = (path: string, display: string, top: boolean) => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({
        file: display,
        where: '',
        message: code === 'ENOENT' && top ? 'no such file or folder' : `cannot read: ${unreadable(err)}`,
      });
      return;
    }
    if (stat.isDirectory()) {
      let real: string;
      let names: string[];
      try {
        real = realpathSync(path);
        names = readdirSync(path).sort();
      } catch (err) {
        problems.push({ file: display, where: '', message: `cannot read the folder: ${unreadable(err)}` });
        return;
      }
      if (visited.has(real)) return;
      visited.add(real);
      for (const name of names) {
        if (name.startsWith('.')) continue;
        // Folders and .json/.csv files; an entry that cannot be read is named by visit().
        const child = join(path, name);
        let folder = false;
        try {
          folder = statSync(child).isDirectory();
        } catch {
          folder = false;
        }
        if (folder || FEED_FILE.test(name)) visit(child, join(display, name), false);
      }
      return;
    }
    if (!top && !FEED_FILE.test(path)) return;
    let bytes: Buffer;
    try {
      bytes = unpacked(readFileSync(path));
    } catch (err) {
      problems.push({ file: display, where: '', message: `cannot read the file: ${unreadable(err)}` });
      return;
    }
    files.push({ display, text: decode(bytes), mtime: stat.mtime });
  };
  for (const p of paths) visit(p, p, true);
  return files;
}

/** Tells the format from the content; undefined with a problem when it cannot. */
export function detectFormat(file: FeedFile): { format: FeedFormat } | { problem: ImportProblem } {
  const head = file.text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    const parsed = parseJson(file);
    if (!parsed.ok) return { problem: parsed.problem };
    if (looksLikeKev(parsed.value)) return { format: 'cisa-kev' };
    if (looksLikeMstic(parsed.value)) return { format: 'mstic' };
    if (looksLikeMispGalaxy(parsed.value)) return { format: 'misp-galaxy' };
    if (looksLikeStix(parsed.value)) return { format: 'stix' };
    return {
      problem: {
        file: file.display,
        where: '',
        message: 'a JSON document, but not a STIX bundle, a CISA KEV catalog, a MISP galaxy cluster or Microsoft’s naming table',
      },
    };
  }
  if (looksLikeAlt(head)) return { format: 'ofac-alt' };
  if (looksLikeAdd(head)) return { format: 'ofac-add' };
  if (/^(ent_num\s*,|\d+\s*,\s*")/i.test(head)) return { format: 'ofac-sdn' };
  return {
    problem: {
      file: file.display,
      where: '',
      message: `cannot tell the format from the content; pass --format (${FEED_FORMATS.join(', ')})`,
    },
  };
}

/** A date in a file name ("sdn-2023-03.csv", "sdn_20230315.csv"), as YYYY-MM(-DD). */
export function editionFromName(name: string): string | undefined {
  const m = /(?<!\d)(\d{4})[-_]?(\d{2})(?:[-_]?(\d{2}))?(?!\d)/.exec(basename(name));
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(y) < 1990) return undefined;
  return d ? `${y}-${mo}-${d}` : `${y}-${mo}`;
}

/** Reads, detects and parses what `threatbrief import` was given, over-long text shortened; never throws for bad content. */
export function readFeed(paths: readonly string[], options: ReadOptions = {}): ParseResult {
  return capFeed(parseFeed(paths, options));
}

function parseFeed(paths: readonly string[], options: ReadOptions = {}): ParseResult {
  const problems: ImportProblem[] = [];
  if (options.edition !== undefined && !EDITION.test(options.edition)) {
    return {
      ok: false,
      problems: [{ file: '--edition', where: '', message: `"${options.edition}" must be a date as YYYY, YYYY-MM or YYYY-MM-DD` }],
    };
  }
  const files = listFiles(paths, problems);
  if (problems.length > 0) return { ok: false, problems };
  return parseFiles(files, paths.join(', '), options);
}

/**
 * Detects and parses files already in memory (a download, the shipped snapshot), over-long text
 * shortened; `label` names them all in messages. Never throws for bad content.
 */
export function readFeedFiles(files: readonly FeedFile[], label: string, options: ReadOptions = {}): ParseResult {
  return capFeed(parseFiles(files, label, options));
}

function parseFiles(files: readonly FeedFile[], label: string, options: ReadOptions): ParseResult {
  const problems: ImportProblem[] = [];
  if (files.length === 0) return { ok: false, problems: [{ file: label, where: '', message: 'no .json or .csv files to import' }] };

  const formats = new Map<FeedFormat, FeedFile[]>();
  for (const f of files) {
    let format = options.format;
    if (!format) {
      const detected = detectFormat(f);
      if ('problem' in detected) {
        problems.push(detected.problem);
        continue;
      }
      format = detected.format;
    }
    formats.set(format, [...(formats.get(format) ?? []), f]);
  }
  if (problems.length > 0) return { ok: false, problems };
  // OFAC's sdn.csv, ALT.CSV and ADD.CSV go together (one of each at most).
  if ([...formats.keys()].every((f) => OFAC_FORMATS.includes(f))) return parseOfac(formats, label, options);
  if (formats.size > 1) {
    const list = [...formats.entries()].map(([fmt, fs]) => `${fmt}: ${fs.map((f) => f.display).join(', ')}`).join('; ');
    return {
      ok: false,
      problems: [{ file: label, where: '', message: `one import takes files of one format, found ${list}; import them one at a time` }],
    };
  }
  const [[format, group]] = [...formats.entries()] as [[FeedFormat, FeedFile[]]];
  if (format !== 'stix' && group.length > 1) {
    return {
      ok: false,
      problems: [{ file: label, where: '', message: `a ${format} import takes one file, found ${group.length}` }],
    };
  }
  const file = group[0]!;
  switch (format) {
    case 'stix':
      return parseStix(group, label, options.publisher ? { publisher: options.publisher } : {});
    case 'cisa-kev':
      return parseCisaKev(file);
    case 'misp-galaxy':
      return parseMispGalaxy(file);
    case 'mstic':
      return parseMsticNaming(file, options.edition ? { edition: options.edition } : {});
    default:
      return parseOfac(formats, label, options);
  }
}

const OFAC_FORMATS: readonly FeedFormat[] = ['ofac-sdn', 'ofac-alt', 'ofac-add'];

/** The SDN list, its ALT.CSV and ADD.CSV companions, or any of them alone. */
function parseOfac(formats: Map<FeedFormat, FeedFile[]>, label: string, options: ReadOptions): ParseResult {
  for (const [format, group] of formats) {
    if (group.length > 1)
      return {
        ok: false,
        problems: [{ file: label, where: '', message: `an OFAC import takes one ${format} file, found ${group.length}` }],
      };
  }
  const sdn = formats.get('ofac-sdn')?.[0];
  const alt = formats.get('ofac-alt')?.[0];
  const add = formats.get('ofac-add')?.[0];
  const first = (sdn ?? alt ?? add)!;
  const notes: string[] = [];
  // Each file keeps its own edition: ALT.CSV of June 2026 imported with the March 2023 list says June 2026.
  const editionOf = (f: FeedFile): string => {
    const edition =
      f === first
        ? (options.edition ?? f.edition ?? editionFromName(f.display))
        : (f.edition ?? editionFromName(f.display) ?? options.edition);
    if (edition) return edition;
    const fromTime = (f.mtime ?? new Date()).toISOString().slice(0, 10);
    notes.push(
      `${f.display} carries no date: its edition is taken as ${fromTime} from the file's modification time. Pass --edition YYYY-MM-DD to set it.`,
    );
    return fromTime;
  };
  const edition = editionOf(first);
  const files: OfacFiles = {
    ...(alt && alt !== first ? { alt: { file: alt, edition: editionOf(alt) } } : {}),
    ...(add && add !== first ? { add: { file: add, edition: editionOf(add) } } : {}),
  };
  // The files of one import are of one list: CONS_ALT.CSV never goes with SDN.CSV.
  const list = ofacListOf(first);
  const other = [sdn, alt, add].find((f) => f && ofacListOf(f) !== list);
  if (other)
    return {
      ok: false,
      problems: [
        {
          file: label,
          where: '',
          message: `${other.display} belongs to another OFAC list than ${first.display}; import each list on its own`,
        },
      ],
    };
  const result = sdn
    ? parseOfacTogether(parseOfacSdn(sdn, { edition }), files, list)
    : alt && add
      ? parseOfacTogether(parseOfacAlt(alt, { edition }), files, list)
      : alt
        ? parseOfacAlt(alt, { edition })
        : parseOfacAdd(add!, { edition });
  if (result.ok && notes.length) result.feed.notes = [...(result.feed.notes ?? []), ...notes];
  return result;
}
