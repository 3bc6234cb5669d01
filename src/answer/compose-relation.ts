import { normalizeName, normalizeText } from '../base/normalize.js';
import type { EntityRecord } from '../store/fact-store.js';
import { type Compose, composeUnknown, questionWords, ref, refs } from './compose.js';
import { RANK_WEIGHTS, type RankedClaim, RELEVANT, rankClaims } from './rank.js';
import { type Answer, MAX_SUPPORT, type Said } from './said.js';

/**
 * How two things are linked (the claims that join them, either way round, and designations of
 * one over the other), or whom one thing is linked to. Says plainly when no link is on record.
 */
export function composeRelation(c: Compose): Answer {
  const { view, reading } = c;
  const [a, b] = reading.subjects.map((id) => view.entity(id)!);
  if (!a) throw new Error('composeRelation needs a subject');
  if (!b && reading.unknownName) return composeUnknown(c, reading.unknownName.typed);
  if (!b) return linksOf(c, a);
  const joining = [...between(c, a, b), ...between(c, b, a)].sort((x, y) => y.score - x.score);
  const designations = [
    ...view.sanctionsConcerning(b.id).filter((s) => s.targetId === a.id),
    ...view.sanctionsConcerning(a.id).filter((s) => s.targetId === b.id),
  ];
  const lines: Said[] = [
    ...joining.map((r) => ({ text: r.claim.text, sources: r.claim.sources })),
    ...designations.map((s) => ({ text: s.reason, sources: s.sources })),
  ];
  if (lines.length === 0) {
    return {
      intent: 'relation',
      aspect: 'relation',
      title: `${a.name} and ${b.name}`,
      headline: { text: `I have no record of a link between ${a.name} and ${b.name}.`, sources: [] },
      support: [],
      entities: [ref(a), ref(b)],
    };
  }
  return {
    intent: 'relation',
    aspect: 'relation',
    title: `${a.name} and ${b.name}`,
    headline: lines[0]!,
    support: lines.slice(1, 1 + MAX_SUPPORT),
    entities: [ref(a), ref(b)],
  };
}

/** Claims of `from` that name `to`: by relation, or in their text. */
function between(c: Compose, from: EntityRecord, to: EntityRecord): RankedClaim[] {
  const toWords = nameWords(c, to);
  return rankClaims(c.view, from.id, 'relation', questionWords(c.reading), toWords).filter((r) => {
    // Another entity's claim about `from` joins them only if it is `to`'s own claim.
    if (r.inverse) return r.claim.entityId === to.id;
    if (r.claim.objectId === to.id) return true;
    const text = normalizeText(r.claim.text);
    return r.score >= RELEVANT && toWords.some((w) => text.includes(w));
  });
}

/**
 * How an entity is written in fact text: its names as phrases ("sichuan juxinhe", "vanguard
 * panda"), and the distinctive single words of them ("juxinhe"), never a word of a name that
 * many names share ("panda", "typhoon").
 */
function nameWords(c: Compose, e: EntityRecord): string[] {
  const names = [e.name, ...c.view.aliases(e.id).map((a) => a.name)].map((n) => normalizeName(n)).filter(Boolean);
  const out = new Set<string>(names.filter((n) => n.length > 3));
  for (const n of names)
    for (const w of n.split(' ')) if (w.length > 4 && !GENERIC.has(w) && c.resolver.entitiesWithWords([w]).size === 1) out.add(w);
  return [...out];
}

/** Words of names too common to identify one entity in a sentence. */
const GENERIC = new Set([
  'typhoon',
  'group',
  'technology',
  'company',
  'limited',
  'department',
  'office',
  'national',
  'security',
  'united',
  'states',
  'information',
  'network',
]);

/** "who is X linked to?": the relations on record, strongest first. */
function linksOf(c: Compose, a: EntityRecord): Answer {
  const ranked = rankClaims(c.view, a.id, 'relation', questionWords(c.reading)).filter((r) => r.score >= RANK_WEIGHTS.linkListed);
  if (ranked.length === 0) {
    return {
      intent: 'relation',
      aspect: 'relation',
      title: a.name,
      headline: { text: `I have no record of links between ${a.name} and other entities.`, sources: [] },
      support: [],
      entities: [ref(a)],
    };
  }
  const others = ranked.map((r) => (r.inverse ? r.claim.entityId : r.claim.objectId)).filter((id): id is string => Boolean(id));
  const lines = ranked.map((r) => ({ text: r.claim.text, sources: r.claim.sources }));
  return {
    intent: 'relation',
    aspect: 'relation',
    title: `Linked to ${a.name}`,
    headline: lines[0]!,
    support: lines.slice(1, 1 + MAX_SUPPORT),
    entities: [
      ref(a),
      ...refs(
        c.view,
        [...new Set(others)].filter((id) => id !== a.id),
      ),
    ],
  };
}
