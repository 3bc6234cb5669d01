/**
 * Sanctions screening answers: the three outcomes a person can act on.
 * - Listed ("Yes — listed as …"): the name matched at or above the threshold; the answer names
 *   the list entry, its programs, the list and its edition, and the match score.
 * - Possible match ("Possible match — review"): the best match is below the threshold but close;
 *   the answer names the listed entry and says, word by word, why it matched. Never a yes.
 * - No record: nothing close; the answer names every list that was checked, with its edition.
 */

import { formatDate, quoteUser } from '../base/format.js';
import type { EntityRecord, FactStore, SanctionRecord } from '../store/fact-store.js';
import { CitationList } from './cites.js';
import { type CardElement, type Line, makeReply, type Reply } from './reply.js';
import type { Match, WordPair } from './resolve.js';

/** "the OFAC SDN list (March 2023 edition, 33 entries) and 5 designations from the curated knowledge". */
export function listsChecked(store: FactStore): string {
  const parts = store
    .loadedLists()
    .map((l) => `the ${l.name} (${formatDate(l.edition)} edition, ${l.entries.toLocaleString('en-US')} entries)`);
  const curated = store.curatedDesignations();
  parts.push(`${curated} designation${curated === 1 ? '' : 's'} from the curated knowledge`);
  if (store.loadedLists().length === 0) parts.push('no sanctions list imported');
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : parts[0]!;
}

function programs(s: SanctionRecord): string {
  const p = s.list?.programs ?? [];
  return p.length ? ` under ${p.length > 1 ? 'programs' : 'program'} ${p.join(', ')}` : '';
}

/** "on the OFAC Specially Designated Nationals … (SDN), March 2023 edition, under program CYBER2 (entry 21324)". */
export function listPlacement(s: SanctionRecord): string {
  const l = s.list!;
  return `on the ${l.name}, ${formatDate(l.edition)} edition${programs(s)}${l.entry ? ` (entry ${l.entry})` : ''}`;
}

/** The lines of a "Yes — listed as …" answer for one list entry. */
export function listedLines(_store: FactStore, entity: EntityRecord, s: SanctionRecord, cites: CitationList): CardElement[] {
  const c = cites.cite(s.sources);
  const details: Line[] = [{ text: `Yes — listed as “${s.list!.listedName}” ${listPlacement(s)}.`, cites: c }];
  if (entity.summary) details.push({ text: `On the list: ${entity.summary}`, cites: cites.cite(entity.summarySources) });
  return [
    { kind: 'section', lines: details },
    {
      kind: 'fields',
      fields: [{ label: 'Reference', value: s.referenceUrl ? `${s.referenceTitle} — ${s.referenceUrl}` : s.referenceTitle, cites: [] }],
    },
  ];
}

/** "“bogachv” ≈ “bogachev” (1 letter different), “evgeniy” = “evgeniy”; not in the question: “mikhailovich”". */
export function wordPairsText(m: Match): string {
  const pairs = (m.words ?? []).map((w: WordPair) =>
    w.edits === 0 ? `“${w.query}” = “${w.name}”` : `“${w.query}” ≈ “${w.name}” (${w.edits} letter${w.edits === 1 ? '' : 's'} different)`,
  );
  const missing = m.unmatched?.length ? `; not in the question: ${m.unmatched.map((w) => `“${w}”`).join(', ')}` : '';
  return pairs.length ? `${pairs.join(', ')}${missing}` : '';
}

/** A note with the match score and how the name matched, shown with every screening answer. */
export function matchScoreNote(m: Match, threshold: number): CardElement {
  const words = wordPairsText(m);
  const weak = m.weak
    ? ` “${m.matchedName}” is a weak alias: OFAC does not expect screening on weak aliases alone; they help confirm a match made on other information (date of birth, nationality, identifiers).`
    : '';
  return {
    kind: 'note',
    text: `Match score ${m.score.toFixed(2)} (a match needs ${threshold.toFixed(2)}): ${m.explanation}${words ? ` Words: ${words}.` : ''}${weak}`,
  };
}

/**
 * "Possible match — review": the name is close to a listed or designated entity but below the
 * threshold. It names the entry and why it matched, and says plainly that it is not a yes.
 */
export function composePossibleMatch(store: FactStore, entity: EntityRecord, m: Match, threshold: number): Reply {
  const cites = new CitationList(store);
  const lines: Line[] = [];
  for (const s of store.sanctionsOf(entity.id)) {
    const where = s.list
      ? `listed as “${s.list.listedName}” ${listPlacement(s)}`
      : `designated by ${store.entity(s.designatedBy)?.name ?? s.designatedBy} on ${formatDate(s.date)} under ${s.authority}`;
    lines.push({
      text: `Possible match — review: “${quoteUser(m.span)}” resembles ${entity.name}, ${where}.`,
      cites: cites.cite(s.sources),
    });
  }
  const elements: CardElement[] = [
    { kind: 'section', lines },
    matchScoreNote(m, threshold),
    {
      kind: 'note',
      text: 'This is not a confirmed match. Compare the identifying details below (names, dates of birth, nationality, identifiers) with the person or company you are checking before acting.',
    },
  ];
  if (entity.summary)
    elements.push({
      kind: 'section',
      heading: 'Identifying details on record',
      lines: [{ text: entity.summary, cites: cites.cite(entity.summarySources) }],
    });
  return makeReply(
    'sanctions',
    { title: `Possible match — review: ${entity.name}`, elements, citations: cites.citations },
    [{ id: entity.id, name: entity.name, type: entity.type }],
    { entityId: m.entityId, score: m.score, method: m.method, explanation: m.explanation },
    { outcome: 'possible-match', score: m.score, threshold, checked: listsChecked(store) },
  );
}
