import type { KnowledgeView } from '../access/knowledge-view.js';
import { normalizeText } from '../base/normalize.js';
import type { EntityRecord } from '../store/fact-store.js';

/**
 * Words that point back at something said before ("it", "they", "his") and nouns that name a
 * kind of thing the conversation or the question already identifies ("the botnet", "the hack",
 * "his company"). Each kind lists the entity types it can mean and, optionally, a word the
 * entity's name must hold.
 */
export const PRONOUNS = new Set(['it', 'its', 'they', 'them', 'their', 'theirs', 'he', 'him', 'his', 'she', 'her', 'hers', 'that', 'this']);

export interface Kind {
  nouns: readonly string[];
  types: readonly string[];
  /** A word the entity's name must contain, for types that hold several kinds (events). */
  nameWord?: RegExp;
}

export const KINDS: readonly Kind[] = [
  { nouns: ['botnet', 'botnets', 'bots'], types: ['botnet', 'campaign'], nameWord: /\bbotnet\b/ },
  { nouns: ['hack', 'breach', 'incident', 'intrusion', 'cyberattack', 'compromise'], types: ['incident'] },
  { nouns: ['takedown', 'disruption', 'operation'], types: ['event'], nameWord: /\bdisruption\b|\btakedown\b/ },
  { nouns: ['advisory', 'csa'], types: ['event'], nameWord: /\badvisory\b/ },
  { nouns: ['designation'], types: ['event'], nameWord: /\bdesignation\b/ },
  { nouns: ['company', 'firm', 'business'], types: ['organization'] },
  { nouns: ['malware', 'implant'], types: ['malware'] },
  { nouns: ['cve', 'cves', 'vulnerability', 'vulnerabilities', 'vuln', 'vulns', 'flaw', 'flaws', 'bug', 'bugs'], types: ['vulnerability'] },
];

/** The kind of thing a noun of the question names, if it is one of the kinds above. */
export function kindOf(word: string): Kind | undefined {
  return KINDS.find((k) => k.nouns.includes(word));
}

/** Visible entities of a kind ("the botnet": the botnets the conversation may see). */
export function entitiesOfKind(view: KnowledgeView, kind: Kind): EntityRecord[] {
  return view.entitiesOfType(kind.types).filter((e) => {
    // A botnet is a botnet whatever its name; other types hold several kinds.
    if (e.type === 'botnet' && kind.types.includes('botnet')) return true;
    return !kind.nameWord || kind.nameWord.test(normalizeText(e.name));
  });
}

/**
 * Entities a claim links to this one, either way round (its operator, its botnet, its company).
 * A vendor that merely tracks an actor is not "its company" and is left out.
 */
export function linkedEntities(view: KnowledgeView, entityId: string): Set<string> {
  const out = new Set<string>();
  for (const c of view.claims(entityId)) if (c.objectId && c.predicate !== 'tracks') out.add(c.objectId);
  for (const c of view.claimsAbout(entityId)) if (c.predicate !== 'tracks') out.add(c.entityId);
  out.delete(entityId);
  return out;
}
