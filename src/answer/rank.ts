import type { KnowledgeView } from '../access/knowledge-view.js';
import { normalizeText } from '../base/normalize.js';
import type { Predicate } from '../model/schema.js';
import type { ClaimRecord, EntityRecord } from '../store/fact-store.js';
import type { Aspect } from '../understand/aspect-phrasings.js';

/**
 * How much each kind of evidence counts when choosing the facts that answer an aspect. One
 * table, so that the weights can be read (and tuned on the tuning split) in one place:
 * - `predicates`: a claim whose predicate is listed scores that much to begin with;
 * - `inverse`: relations read the other way round (X operates Y answers "who runs Y?");
 * - `cue`: words in a claim's text that say it speaks to the aspect ("based in" for location).
 */
export const ASPECT_EVIDENCE: Record<
  Aspect,
  { predicates: Partial<Record<Predicate, number>>; inverse?: Partial<Record<Predicate, number>>; cue?: RegExp; cueRequired?: boolean }
> = {
  profile: { predicates: { description: 2, role: 2, activity: 1.5, listing: 1, event: 1, 'active-since': 0.5, 'first-reported': 0.5 } },
  aliases: { predicates: { description: 0.5, tracks: 2 }, cue: /\b(also (known|called)|names?|aka|alias|tracks? as|id\b|att&ck|ticker)/ },
  attribution: {
    predicates: { 'attributed-to': 3, 'operated-by': 3, 'accused-by': 1, 'disrupted-by': 2, 'linked-to': 0.5, 'part-of': 0.5 },
    inverse: { operates: 3, uses: 1, 'disrupted-by': 0 },
    cue: /\b(attribut|behind|responsible|work(s|ed|ing)? for|run by|controll?ed|operat|state[- ]sponsored|named|blam|first (described|found|identified|named)|authored|co-authored|published)/,
  },
  sanctions: { predicates: { listing: 1, event: 0.5 }, cue: /\bsanction|designat|blocked|ofac\b/ },
  targets: {
    predicates: { targets: 3, victims: 3 },
    cue: /\btarget|victim|compromis|\bhit\b|breach|(?<!-)\bsectors?\b|went after|reached|accessed|critical infrastructure|against/,
  },
  when: {
    predicates: { 'first-reported': 2.5, 'active-since': 2.5, event: 1.5 },
    cue: /\b(since|first|began|start|on \d|in (19|20)\d\d|\d{4})/,
  },
  count: {
    predicates: { count: 3 },
    cue: /\b\d{1,3}(,\d{3})+\b|\b\d+ (devices|percent|employees)|\bmillion|\bdozens|\bhundreds|\bthousands|\bhalf\b/,
  },
  techniques: {
    predicates: { 'initial-access': 3, tooling: 3, uses: 2, description: 0.5 },
    cue: /\b(exploit|vulnerab|web shell|malware|implant|tool|vpn|rdp|remote|router|camera|device|firmware|command|control|c2|key|living[- ]off|persist(?!ent\b)|software|mirai)/,
  },
  mitigation: {
    predicates: { response: 0.5, 'mitigated-by': 3 },
    cueRequired: true,
    cue: /\b(recommend|mitigat|patch|update|remediat|due|required action|should|urge|replace|reboot|harden)/,
  },
  statements: { predicates: { statement: 3, response: 3 }, cue: /\b(said|says|stated|told|called|warned|announced|“)/ },
  location: {
    predicates: { description: 0.5 },
    cueRequired: true,
    cue: /\b(based in|-based|headquartered|located|from (china|beijing|shanghai)|ip addresses)/,
  },
  relation: {
    predicates: {
      'linked-to': 2,
      'attributed-to': 2,
      'operated-by': 2,
      operates: 2,
      uses: 2,
      'part-of': 1,
      'accused-by': 1,
      'member-of': 1,
      tracks: 0.5,
    },
  },
  latest: { predicates: { event: 1 } },
  advisories: { predicates: {} },
  help: { predicates: {} },
  'used-by': { predicates: {}, inverse: { uses: 2, tooling: 2 } },
  kev: { predicates: { event: 2 }, cue: /\b(known exploited|kev|cisa added|due date)/ },
};

/**
 * What a claim scores besides its predicate's weight in `ASPECT_EVIDENCE`: the other half of
 * the ranking, in one table. Tuned on the tuning split with the aspect table, never on held-out
 * questions.
 */
export const RANK_WEIGHTS = {
  /** A claim needs at least this to count as answering the aspect. */
  relevant: 1.5,
  /**
   * "who is X linked to?" lists relations down to this score, below `relevant`: a list of links
   * may hold weaker ones than an answer leads with.
   */
  linkListed: 1.1,
  /** A predicate weight from which a claim answers the aspect by its predicate alone. */
  primaryPredicate: 2,
  /** Each question word a claim's text holds (the words around the names). */
  questionWord: 1.5,
  /** The aspect's cue words in a claim's text: this × √(distinct cues, at most `maxCues`). */
  cue: 1.5,
  maxCues: 4,
  /** A question word names the claim's predicate ("victims" → a victims claim)… */
  predicateNamed: 2,
  /** …when these first letters of the word start the predicate's name ("respond" → "response"). */
  predicatePrefixLetters: 4,
  /** A dated claim for "when" questions, a figure for "how many". */
  datedOrCounted: 1,
  /** A fact that names one of the question's other subjects is about them too. */
  otherSubjectNamed: 1,
  /** "who does X work for": a relation to a government body or state says who is behind X. */
  governmentObject: 1,
  /** The entity's summary counts as a fact a little weaker than a description claim (it says many things). */
  summary: 0.5,
} as const;

/** A claim needs at least this score to count as answering the aspect. */
export const RELEVANT = RANK_WEIGHTS.relevant;

/** An entity's summary as a claim, so that ranking can weigh it with the others (id 0: not a stored claim). */
function summaryClaim(e: EntityRecord): ClaimRecord {
  return { id: 0, entityId: e.id, predicate: 'description', text: e.summary, sources: e.summarySources };
}

/** Words a question uses for what facts say in other words. */
const SYNONYMS: Record<string, string[]> = {
  hack: ['compromis', 'breach', 'intrusion', 'access'],
  hacked: ['compromis', 'breach', 'intrusion', 'access'],
  take: ['disrupt', 'took control'],
  taken: ['disrupt'],
  takedown: ['disrupt'],
  down: ['disrupt'],
  found: ['first', 'discover', 'named', 'described', 'identified'],
  discovered: ['first', 'named', 'described', 'identified'],
  wrote: ['authored', 'published'],
  published: ['published', 'authored'],
  devices: ['device', 'router', 'camera'],
  run: ['operat', 'control', 'manag'],
  runs: ['operat', 'control', 'manag'],
  controls: ['control', 'manag', 'operat'],
  blamed: ['attribut'],
  charged: ['indict', 'charge'],
  respond: ['response', 'oppos', 'said'],
  employees: ['employee'],
  employes: ['employee'],
  shares: ['share'],
  reward: ['reward', 'million'],
  bounty: ['reward', 'million'],
  canadian: ['canada'],
  persistence: ['persist', 'sticky'],
  persistance: ['persist', 'sticky'],
  bots: ['bot', 'device'],
  vulns: ['cve', 'vulnerab'],
  tools: ['tool', 'install', 'malware', 'shell'],
  software: ['software', 'install'],
  patch: ['due', 'action'],
  deadline: ['due'],
  eyes: ['united kingdom', 'canada', 'australia', 'new zealand'],
  countries: ['countries', 'united states', ' in '],
  theft: ['stolen', 'stole'],
  stolen: ['stolen', 'stole'],
};

/** Entity types that, as the other side of an attribution, say a state is behind X. */
const GOVERNMENTS = new Set(['government-body', 'country']);

function cueMatches(cue: RegExp, text: string): number {
  const global = new RegExp(cue.source, 'g');
  return new Set([...text.matchAll(global)].map((m) => m[0])).size;
}

export interface RankedClaim {
  claim: ClaimRecord;
  score: number;
  /** The claim is the other side of a relation (another entity's claim about this one). */
  inverse: boolean;
}

/** Words too common to say anything about what a fact should hold. */
const FUNCTION_WORDS = new Set(
  `a an the this that these those it its they them their he him his she her we us our you your i me my is are was were be been
  being am do does did done has have had having will would shall should can could may might must not no of in on at to for by
  from with about into over under between and or but if as so than then too very just also what which who whom whose when where
  why how whats whos hows wheres any some all many much more most other same such own there here get got go went gone make made
  tell show give know say said please pls thanks hey hi quick question one someone anyone exactly actually really`.split(/\s+/),
);

/** The words of a question that say what it wants (not function words, not names). */
export function contentWords(words: readonly string[]): string[] {
  return words.filter((w) => w.length > 2 && !FUNCTION_WORDS.has(w) && w !== 'x');
}

/**
 * The claims about an entity that answer an aspect best, best first: predicate, cue words,
 * and the question's own words in the claim text. `extra` boosts claims that hold any of these
 * words (a speaker's name for "what did Wray say").
 */
export function rankClaims(
  view: KnowledgeView,
  entityId: string,
  aspect: Aspect,
  words: readonly string[],
  extra: readonly string[] = [],
): RankedClaim[] {
  const W = RANK_WEIGHTS;
  const spec = ASPECT_EVIDENCE[aspect];
  const stems = words.map(stemsOf);
  const out: RankedClaim[] = [];
  const score = (c: ClaimRecord, base: number, inverse: boolean) => {
    const text = normalizeText(c.text);
    let s = base;
    // A profile takes any fact of its kinds; other aspects need a fact made for them, or their words.
    let evidence = aspect === 'profile' ? base > 0 : base >= W.primaryPredicate;
    const cues = spec.cue ? cueMatches(spec.cue, c.text.toLowerCase()) : 0;
    if (cues > 0) {
      // More of the aspect's words, more to the point ("routers, IP cameras, … NAS devices"), up to a limit.
      s += W.cue * Math.min(cues, W.maxCues) ** 0.5;
      evidence = true;
    }
    if (aspect === 'attribution' && c.objectId && GOVERNMENTS.has(view.entity(c.objectId)?.type ?? '')) s += W.governmentObject;
    for (const alternatives of stems) {
      if (alternatives.some((stem) => text.includes(stem))) {
        s += W.questionWord;
        evidence = true;
      }
      if (
        alternatives.some(
          (stem) => stem.length >= W.predicatePrefixLetters && c.predicate.startsWith(stem.slice(0, W.predicatePrefixLetters)),
        )
      )
        s += W.predicateNamed;
    }
    // Names of the question's other subjects: the fact is about them too.
    if (extra.some((w) => text.includes(w))) {
      s += W.otherSubjectNamed;
      if (aspect === 'relation') evidence = true;
    }
    if (spec.cueRequired && cues === 0) return;
    // A relation to another entity answers this aspect only through its predicate.
    if (c.objectId && aspect !== 'relation' && spec.predicates[c.predicate] === undefined && !inverse) return;
    if (aspect === 'when' && c.date) s += W.datedOrCounted;
    if (aspect === 'count' && c.quantity) s += W.datedOrCounted;
    if (evidence) out.push({ claim: c, score: s, inverse });
  };
  for (const c of view.claims(entityId)) score(c, spec.predicates[c.predicate] ?? 0, false);
  // The summary is a reviewed statement too ("Flax Typhoon is Microsoft's name for …").
  const e = view.entity(entityId);
  if (e) score(summaryClaim(e), spec.predicates.description !== undefined ? W.summary : 0, false);
  for (const c of view.claimsAbout(entityId)) {
    const base = spec.inverse?.[c.predicate] ?? (aspect === 'relation' ? (spec.predicates[c.predicate] ?? 0) : undefined);
    if (base !== undefined) score(c, base, true);
  }
  return out.sort((a, b) => b.score - a.score || a.claim.id - b.claim.id);
}

/** How many of the question's words a fact's text holds, in any of their forms. */
export function wordsHeld(words: readonly string[], claimText: string): number {
  const text = normalizeText(claimText);
  return words.filter((w) => stemsOf(w).some((s) => text.includes(s))).length;
}

/** A question word and the forms of it a fact may use: a light stem, and synonyms. */
function stemsOf(word: string): string[] {
  return [stem(word), ...(SYNONYMS[word] ?? [])];
}

/** "routers" → "router", "targeted" → "target", "exploiting" → "exploit"; long words cut to seven letters. */
export function stem(word: string): string {
  const bare = word.replace(/(ing|ed|es|s)$/, '');
  const base = bare.length >= 4 ? bare : word;
  return base.length > 7 ? base.slice(0, 7) : base;
}
