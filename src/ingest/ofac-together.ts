/**
 * An OFAC import of several files at once: the SDN list (or ALT.CSV) with its companions. The
 * companions' records refer to the SDN entries by record key, so they attach to the entries of
 * the same import; the import keeps the first file's list key, and so replaces (and is replaced
 * by) the next edition of that list as a whole.
 */
import { formatDate } from '../base/format.js';
import { addRecords, altRecords, parseAddRows, parseAltRows } from './ofac-companions.js';
import type { FeedFile, ImportProblem, ParseResult } from './types.js';
import { sha256 } from './util.js';

export interface OfacFiles {
  alt?: FeedFile;
  add?: FeedFile;
}

export function parseOfacTogether(base: ParseResult, files: OfacFiles, options: { edition: string }): ParseResult {
  const problems: ImportProblem[] = base.ok ? [] : [...base.problems];
  const editionText = formatDate(options.edition);
  const alt = files.alt ? parseAltRows(files.alt) : undefined;
  const add = files.add ? parseAddRows(files.add) : undefined;
  problems.push(...(alt?.problems ?? []), ...(add?.problems ?? []));
  if (!base.ok || problems.length > 0) return { ok: false, problems };
  const feed = base.feed;
  const parts = [feed.file, files.alt?.display, files.add?.display].filter((x): x is string => Boolean(x));
  return {
    ok: true,
    feed: {
      ...feed,
      file: parts.join(', '),
      sha256: sha256([feed.sha256, files.alt?.text ?? '', files.add?.text ?? '']),
      title: [feed.title, alt && 'with its alternate names (ALT.CSV)', add && 'with its addresses (ADD.CSV)'].filter(Boolean).join(', '),
      records: [...feed.records, ...(alt ? altRecords(alt.rows, editionText) : []), ...(add ? addRecords(add.rows, editionText) : [])],
    },
  };
}
