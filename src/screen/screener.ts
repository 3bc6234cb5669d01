/**
 * Screens a name against the names on the sanctions lists loaded (primary names and aliases,
 * ALT.CSV's included): finds the entries worth comparing (candidates.ts), compares each
 * (compare.ts) and gives one of three verdicts (bands.ts).
 */
import { BANDS, MAX_OTHERS, NEAR_MARGIN, type ScreeningOutcome, WEAK_ALIAS_FACTOR } from './bands.js';
import { CandidateIndex } from './candidates.js';
import { type Comparison, compareNames } from './compare.js';
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
    const ranked = [...byEntity.values()].filter((h) => h.score >= BANDS.review).sort((a, b) => (better(a, b) ? -1 : 1));
    const best = ranked[0];
    if (!best) return { typed, romanized, outcome: 'no-record', others: [], basis: 'no listed name comes close' };
    const { outcome, basis } = verdict(best);
    const others = ranked
      .slice(1)
      .filter((h) => h.score >= best.score - NEAR_MARGIN)
      .slice(0, MAX_OTHERS);
    return { typed, romanized, outcome, best, others, basis };
  }
}

/** A hit before another: higher score, then the exact name, then a primary name over an alias. */
function better(a: Hit, b: Hit): boolean {
  if (Math.abs(a.score - b.score) > 1e-9) return a.score > b.score;
  if (a.comparison.exact !== b.comparison.exact) return a.comparison.exact;
  if (a.alias !== b.alias) return !a.alias;
  return a.entityId < b.entityId;
}

function verdict(best: Hit): { outcome: ScreeningOutcome; basis: string } {
  const c = best.comparison;
  if (best.weak) return { outcome: 'review', basis: `“${best.matchedName}” is a weak alias: OFAC does not expect screening on it alone` };
  if (c.extra.length > 0)
    return { outcome: 'review', basis: `the name typed has words the listed name lacks: ${c.extra.map((w) => `“${w}”`).join(', ')}` };
  if (c.partial) return { outcome: 'review', basis: 'only the surname, or only the given names, match' };
  const initial = c.words.find((w) => w.how === 'initial');
  if (initial) return { outcome: 'review', basis: `“${initial.query}” is only an initial of “${initial.listed}”` };
  if (best.score >= BANDS.listed) return { outcome: 'listed', basis: c.exact ? 'the same name' : 'a close match, word by word' };
  return { outcome: 'review', basis: 'close, but not close enough to call it the same name' };
}
