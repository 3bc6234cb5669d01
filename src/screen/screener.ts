/**
 * Screens a name against the names on the sanctions lists loaded (primary names and aliases,
 * ALT.CSV's included): finds the entries worth comparing (candidates.ts), compares each
 * (compare.ts) and gives one of three verdicts (bands.ts).
 */
import {
  BANDS,
  COMMON_WORD_MIN_NAMES,
  COMMON_WORD_SHARE,
  MAX_OTHERS,
  NEAR_MARGIN,
  OTHER_PARTY_SHARE,
  type ScreeningOutcome,
  WEAK_ALIAS_FACTOR,
} from './bands.js';
import { CandidateIndex } from './candidates.js';
import { type Comparison, compareNames, type WordMatch } from './compare.js';
import { type NameParts, nameParts } from './name-parts.js';
import { type Romanized, romanize } from './romanize.js';

/** One name of a listed entry, as the store's name index holds it. */
export interface ListedName {
  entityId: string;
  name: string;
  /** The entity's type: person, organization, vessel, aircraft. */
  type: string;
  /** The entry's own (primary) name, not an alias. */
  primary: boolean;
  weak: boolean;
  usedBy?: string;
}

export interface Hit {
  entityId: string;
  /** The entry's primary name. */
  listedName: string;
  type: string;
  /** The name that matched: the primary name or an alias. */
  matchedName: string;
  alias: boolean;
  weak: boolean;
  usedBy?: string;
  score: number;
  comparison: Comparison;
}

export interface ScreeningResult {
  typed: string;
  romanized: Romanized;
  outcome: ScreeningOutcome;
  best?: Hit;
  /** Other entries close to the best one (a different entry with the same name, say), best first. */
  others: Hit[];
  /** Why the verdict is what it is, in words. */
  basis: string;
}

/** The basis of a "no record" when no listed name reached the review band. */
export const NOTHING_CLOSE = 'no listed name comes close';

interface Indexed {
  name: ListedName;
  parts: NameParts;
}

export class Screener {
  private readonly names: Indexed[] = [];
  private readonly primary = new Map<string, string>();
  private readonly index = new CandidateIndex();

  constructor(names: Iterable<ListedName>) {
    for (const name of names) {
      const parts = nameParts(name.name, name.type === 'person');
      if (parts.words.length === 0) continue;
      this.names.push({ name, parts });
      this.index.add(parts);
      if (name.primary) this.primary.set(name.entityId, name.name);
    }
  }

  get size(): number {
    return this.names.length;
  }

  private rarity(word: string): number {
    return rarity(this.index.namesHolding(word), this.names.length);
  }

  /**
   * How much of a name typed the listed name accounts for, each word weighted by how rare it is
   * on the lists, words typed that it lacks counting only when they are rare too: "Evergreen ANDA
   * TURK" against ANDA TURK is 0.64 ("evergreen", on no listed name, says about as much as the
   * two listed words together); "Rosneft Trading" against ROSNEFT is 1 ("trading" is on 285
   * names of 19,782).
   */
  typedShare(query: NameParts, c: Comparison): number {
    const aside = new Set(query.words.filter((w) => w.legal || w.particle).map((w) => w.text));
    let matched = 0;
    for (const w of c.words) {
      if (aside.has(w.query)) continue;
      matched += w.similarity * Math.max(...w.listed.split(' ').map((x) => this.rarity(x)));
    }
    // A common word more is how a branch or a subsidiary is named ("ROSNEFT" → "Rosneft Trading"): only rare ones count.
    const rare = c.extra.filter((w) => this.index.namesHolding(w) < COMMON_WORD_SHARE * this.names.length);
    const extra = rare.reduce((sum, w) => sum + this.rarity(w), 0);
    return matched + extra === 0 ? 1 : matched / (matched + extra);
  }

  /**
   * A listed company's name inside a longer name typed, whose other words say more than the
   * listed words it shares (weighted by rarity, `typedShare` below OTHER_PARTY_SHARE): the name
   * of another party ("Evergreen ANDA TURK", "MC Overseas Trading Company"), set aside rather
   * than sent to review. A person matched on surname and given name keeps words more (a middle
   * name, a patronymic the list lacks): that is still a review.
   */
  private anotherParty(query: NameParts, h: Hit): boolean {
    const c = h.comparison;
    if (c.extra.length === 0 || (h.type === 'person' && !c.partial)) return false;
    return this.typedShare(query, c) < OTHER_PARTY_SHARE;
  }

  private setAsideBasis(h: Hit): string {
    const words = h.comparison.extra.map((w) => `“${w}”`).join(', ');
    return `the closest listed name, “${h.matchedName}”, lacks ${words}, which says more than the words they share: the name of another party`;
  }

  screen(typed: string): ScreeningResult {
    const romanized = romanize(typed);
    const query = nameParts(romanized.text);
    const byEntity = new Map<string, Hit>();
    if (query.words.length > 0) {
      for (const i of this.index.candidates(query, romanized.abjad)) {
        const { name, parts } = this.names[i]!;
        const comparison = compareNames(query, parts, romanized.abjad);
        // Rounded so that a score printed as 0.900 is in the band that starts at 0.9.
        const score = Math.round(comparison.score * (name.weak ? WEAK_ALIAS_FACTOR : 1) * 1000) / 1000;
        const hit: Hit = {
          entityId: name.entityId,
          listedName: this.primary.get(name.entityId) ?? name.name,
          type: name.type,
          matchedName: name.name,
          alias: !name.primary,
          weak: name.weak,
          ...(name.usedBy ? { usedBy: name.usedBy } : {}),
          score,
          comparison,
        };
        const previous = byEntity.get(name.entityId);
        if (!previous || better(hit, previous)) byEntity.set(name.entityId, hit);
      }
    }
    const close = [...byEntity.values()].filter((h) => h.score >= BANDS.review).sort((a, b) => (better(a, b) ? -1 : 1));
    const ranked = close.filter((h) => !this.anotherParty(query, h));
    const best = ranked[0];
    if (!best) {
      const aside = close[0];
      const basis = aside ? this.setAsideBasis(aside) : NOTHING_CLOSE;
      return { typed, romanized, outcome: 'no-record', others: [], basis };
    }
    const { outcome, basis } = verdict(query, best, {
      holding: (w) => this.index.namesHolding(w),
      common: Math.max(COMMON_WORD_MIN_NAMES, COMMON_WORD_SHARE * this.names.length),
    });
    const others = ranked
      .slice(1)
      .filter((h) => h.score >= best.score - NEAR_MARGIN)
      .slice(0, MAX_OTHERS);
    return { typed, romanized, outcome, best, others, basis };
  }
}

/** How much a word says on these lists: the rarer, the more (inverse document frequency over the listed names). */
function rarity(holding: number, names: number): number {
  return Math.log((names + 1) / (holding + 1));
}

/** A hit before another: higher score, then the exact name, then a primary name over an alias. */
function better(a: Hit, b: Hit): boolean {
  if (Math.abs(a.score - b.score) > 1e-9) return a.score > b.score;
  if (a.comparison.exact !== b.comparison.exact) return a.comparison.exact;
  if (a.alias !== b.alias) return !a.alias;
  return a.entityId < b.entityId;
}

/** What the lists say about words: how many listed names hold one, and from how many a word is common. */
interface WordCounts {
  holding(word: string): number;
  common: number;
}

/**
 * A word's consonants, spelt one way: romanisations of the same name differ most in their vowels
 * ("kuwari"/"kowari", "rashid"/"rashed") and in how they write a sound ("Alexander"/"Alyaksandr").
 */
function consonants(word: string): string {
  return word
    .replace(/x/g, 'ks')
    .replace(/ph/g, 'f')
    .replace(/[cq]/g, 'k')
    .replace(/w/g, 'v')
    .replace(/h/g, '')
    .replace(/[aeiouy]/g, '')
    .replace(/(.)\1+/g, '$1');
}

/**
 * A typo whose word typed is itself a word on the lists, with other consonants ("Tehran" for
 * BEHRAN): another name, a letter apart, not a misspelling or another romanisation of this one.
 */
function anotherWord(c: Comparison, counts: WordCounts): WordMatch | undefined {
  return c.words.find((w) => w.edited && consonants(w.query) !== consonants(w.listed) && counts.holding(w.query) > 0);
}

/** East Slavic patronymics, as OFAC romanises them ("Grigoryevich", "Ryhorovich", "Anatolyevna"). */
const PATRONYMIC = /(ovich|evich|ovych|evych|ovna|evna|ivna|ich)$/;

/**
 * A person matched only on words common on the lists, with a part of the listed name left out
 * ("Mohammad Ali" for ALI MORADIPUR, Mohammad): many people bear those names.
 */
function commonPartsOnly(best: Hit, counts: WordCounts): boolean {
  const c = best.comparison;
  // A patronymic left out ("Alexander Lukashenko" for LUKASHENKO, Alexander Grigoryevich) is how
  // such names are said; the given name and surname still identify.
  if (best.type !== 'person' || c.missing.every((w) => PATRONYMIC.test(w))) return false;
  return c.words.every((w) => w.listed.split(' ').every((x) => counts.holding(x) >= counts.common));
}

/** One word typed, and the listed name has more ("Katerji" for KATERJI GROUP COMPANY, "Islamic" for ISLAMIC GROUP). */
function oneWordOfMore(query: NameParts, c: Comparison): boolean {
  return query.words.filter((w) => !w.legal && !w.particle).length === 1 && c.missing.length > 0;
}

const quoted = (words: readonly string[]) => words.map((w) => `“${w}”`).join(', ');

function verdict(query: NameParts, best: Hit, counts: WordCounts): { outcome: ScreeningOutcome; basis: string } {
  const c = best.comparison;
  if (best.weak) return { outcome: 'review', basis: `“${best.matchedName}” is a weak alias: OFAC does not expect screening on it alone` };
  if (c.extra.length > 0) return { outcome: 'review', basis: `the name typed has words the listed name lacks: ${quoted(c.extra)}` };
  if (c.partial) return { outcome: 'review', basis: 'only the surname, or only the given names, match' };
  const initial = c.words.find((w) => w.how === 'initial');
  if (initial) return { outcome: 'review', basis: `“${initial.query}” is only an initial of “${initial.listed}”` };
  if (best.score < BANDS.listed) return { outcome: 'review', basis: 'close, but not close enough to call it the same name' };
  const other = anotherWord(c, counts);
  if (other)
    return {
      outcome: 'review',
      basis: `“${other.query}” is a word of other listed names, a letter or two from “${other.listed}”: perhaps another name`,
    };
  if (oneWordOfMore(query, c))
    return { outcome: 'review', basis: `only one word of the listed name was typed; not in the question: ${quoted(c.missing)}` };
  if (commonPartsOnly(best, counts))
    return {
      outcome: 'review',
      basis: `only names common on the lists match, and the listed name has more: ${quoted(c.missing)}`,
    };
  return { outcome: 'listed', basis: c.exact ? 'the same name' : 'a close match, word by word' };
}
