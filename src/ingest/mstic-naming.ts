/**
 * Microsoft's threat actor naming table (MicrosoftMapping.json from the microsoft/mstic
 * repository): an array of rows { "Threat actor name", "Origin/Threat", "Other names" }, the
 * last a free-text comma-separated list that may be empty. Licensed CC BY 4.0: every name it
 * adds is attributed to Microsoft.
 *
 * A row enriches the entity that already carries its Microsoft name; only the Microsoft name is
 * used to find it, because other vendors' names map to several Microsoft actors ("APT27" is
 * listed under two). A row whose Microsoft name is unknown becomes a new threat-actor entity.
 */

import { normalizeName } from '../base/normalize.js';
import type { FeedFile, FeedRecord, ImportProblem, ParseResult } from './types.js';
import { isRecord, parseJson, sha256, slug, versionOf } from './util.js';

export const MSTIC_PUBLISHER = 'Microsoft';
const NAME = 'Threat actor name';
const ORIGIN = 'Origin/Threat';
const OTHERS = 'Other names';

/** True for a document that looks like the naming table. */
export function looksLikeMstic(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && isRecord(value[0]) && NAME in value[0];
}

export function parseMsticNaming(file: FeedFile, options: { edition?: string } = {}): ParseResult {
  const parsed = parseJson(file);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems: ImportProblem[] = [];
  const at = (where: string, message: string) => problems.push({ file: file.display, where, message });
  if (!Array.isArray(parsed.value))
    return {
      ok: false,
      problems: [{ file: file.display, where: '', message: `expected an array of rows with "${NAME}", "${ORIGIN}" and "${OTHERS}"` }],
    };

  const rows: { i: number; name: string; origin: string; others: string[] }[] = [];
  const seen = new Map<string, number>();
  for (const [i, row] of (parsed.value as unknown[]).entries()) {
    const where = `[${i}]`;
    if (!isRecord(row)) {
      at(where, 'expected an object');
      continue;
    }
    const name = row[NAME];
    if (typeof name !== 'string' || name.trim() === '') {
      at(where, `"${NAME}" must be a non-empty string`);
      continue;
    }
    const label = `${where} (${name.trim()})`;
    const origin = row[ORIGIN] ?? '';
    const others = row[OTHERS] ?? '';
    if (typeof origin !== 'string') {
      at(label, `"${ORIGIN}" must be a string`);
      continue;
    }
    if (typeof others !== 'string') {
      at(label, `"${OTHERS}" must be a string (names separated by commas)`);
      continue;
    }
    const key = normalizeName(name);
    const previous = seen.get(key);
    if (previous !== undefined) {
      at(label, `"${name.trim()}" is already named in row [${previous}]`);
      continue;
    }
    seen.set(key, i);
    rows.push({
      i,
      name: name.trim(),
      origin: origin.trim(),
      others: others
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n && normalizeName(n) !== key),
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const records: FeedRecord[] = rows.map((r) => {
    const id = slug(r.name) || `row-${r.i}`;
    const listed = r.others.length ? ` Microsoft lists these other names for it: ${r.others.join(', ')}.` : '';
    return {
      key: `mstic:${id}`,
      version: versionOf(r),
      label: r.name,
      entity: {
        id: `mstic-${id}`,
        type: 'threat-actor',
        name: r.name,
        summary: `${r.name} is Microsoft's name for a threat actor${r.origin ? ` (origin or threat: ${r.origin})` : ''}.${listed}`,
        matchNames: [r.name],
        attachTypes: ['threat-actor'],
      },
      aliases: [
        { name: r.name, kind: 'name', usedBy: 'Microsoft' },
        ...r.others.map((n) => ({ name: n, kind: 'name', usedBy: 'listed by Microsoft' })),
      ],
      claims: [
        {
          predicate: 'description',
          text: `Microsoft's threat actor naming table lists ${r.name}${r.origin ? ` with origin or threat “${r.origin}”` : ''}.${listed}`,
          notOnCurated: true,
          onlyWhenAttached: true,
        },
      ],
    };
  });
  return {
    ok: true,
    feed: {
      format: 'mstic',
      file: file.display,
      sha256: sha256([file.text]),
      publisher: MSTIC_PUBLISHER,
      title: 'Microsoft threat actor naming table (MicrosoftMapping.json, microsoft/mstic; CC BY 4.0)',
      ...(options.edition ? { edition: options.edition } : {}),
      url: 'https://github.com/microsoft/mstic',
      records,
      skipped: [],
      withdrawn: [],
    },
  };
}
