/**
 * An OFAC import of several files at once: the SDN list (or ALT.CSV) with its companions. The
 * companions' records refer to the SDN entries by record key, so they attach to the entries of
 * the same import; the import keeps the first file's list key, and so replaces (and is replaced
 * by) the next edition of that list as a whole. Each companion keeps its own edition: its names
 * and addresses say which ALT.CSV or ADD.CSV they come from.
 */
import { formatDate } from '../base/format.js';
import { addRecords, altRecords, parseAddRows, parseAltRows } from './ofac-companions.js';
import type { OfacList } from './ofac-sdn.js';
import type { FeedFile, ImportProblem, ParseResult } from './types.js';
import { sha256 } from './util.js';

/** A companion file with its own edition, which its rows carry (a newer ALT.CSV with an older list). */
export interface Companion {
  file: FeedFile;
  edition: string;
}

export interface OfacFiles {
  alt?: Companion;
  add?: Companion;
}

export function parseOfacTogether(base: ParseResult, files: OfacFiles, list: OfacList): ParseResult {
  const problems: ImportProblem[] = base.ok ? [] : [...base.problems];
  const alt = files.alt ? parseAltRows(files.alt.file) : undefined;
  const add = files.add ? parseAddRows(files.add.file) : undefined;
  problems.push(...(alt?.problems ?? []), ...(add?.problems ?? []));
  if (!base.ok || problems.length > 0) return { ok: false, problems };
  const feed = base.feed;
  const parts = [feed.file, files.alt?.file.display, files.add?.file.display].filter((x): x is string => Boolean(x));
  const edition = (c: Companion | undefined) => formatDate(c?.edition ?? '');
  return {
    ok: true,
    feed: {
      ...feed,
      file: parts.join(', '),
      sha256: sha256([feed.sha256, files.alt?.file.text ?? '', files.add?.file.text ?? '']),
      title: [
        feed.title,
        alt && `with its alternate names (${list.files.alt}, ${edition(files.alt)} edition)`,
        add && `with its addresses (${list.files.add}, ${edition(files.add)} edition)`,
      ]
        .filter(Boolean)
        .join(', '),
      records: [
        ...feed.records,
        ...(alt ? altRecords(alt.rows, edition(files.alt), list) : []),
        ...(add ? addRecords(add.rows, edition(files.add), list) : []),
      ],
    },
  };
}
