/**
 * Screens a name against the names on the sanctions lists loaded (primary names and aliases,
 * ALT.CSV's included): finds the entries worth comparing through an index of their words (with
 * spelling variants, typos within two letters, consonants for Arabic and Hebrew, run-together
 * words), compares each (compare.ts) and gives one of three verdicts (bands.ts).
 */
import { editDistance, isLegalForm } from '../base/normalize.js';
import { BANDS, MAX_OTHERS, NEAR_MARGIN, type ScreeningOutcome, WEAK_ALIAS_FACTOR } from './bands.js';
import { type Comparison, compareNames, spellingKey } from './compare.js';
import { type NameParts, nameParts } from './name-parts.js';
import { consonants, type Romanized, romanize } from './romanize.js';

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
  private readonly postings = new Map<string, number[]>();
  private readonly keys = new Map<string, number[]>();
  private readonly deletes = new Map<string, string[]>();
  private readonly variants = new Map<string, string[]>();
  private readonly skeletons = new Map<string, string[]>();

  constructor(names: Iterable<ListedName>) {
    for (const name of names) {
      const parts = nameParts(name.name, name.type === 'person');
      if (parts.words.length === 0) continue;
      const i = this.names.push({ name, parts }) - 1;
      if (name.primary) this.primary.set(name.entityId, name.name);
      add(this.keys, parts.key, i);
      for (const w of new Set(parts.words.filter((x) => !x.legal && !x.particle).map((x) => x.text))) {
        const list = this.postings.get(w);
        if (list) list.push(i);
        else {
          this.postings.set(w, [i]);
          this.indexWord(w);
        }
      }
    }
  }

  get size(): number {
    return this.names.length;
  }

  private indexWord(w: string): void {
    add(this.variants, spellingKey(w), w);
    const k = consonants(w);
    if (k.length >= 3) add(this.skeletons, k, w);
    if (w.length >= 4) for (const d of deletions(w)) add(this.deletes, d, w);
  }

  /** Words of the lists a word typed may be: itself, spelling variants, typos, same consonants, and the halves of a run-together word. */
  private similarWords(q: string, abjad: boolean): string[] {
    const out = new Set<string>();
    if (this.postings.has(q)) out.add(q);
    for (const w of this.variants.get(spellingKey(q)) ?? []) out.add(w);
    if (abjad) {
      for (const k of [consonants(q), ...(q.startsWith('l') ? [consonants(q.slice(1))] : [])])
        for (const w of this.skeletons.get(k) ?? []) out.add(w);
    }
    if (q.length >= 4) {
      for (const d of [q, ...deletions(q)])
        for (const w of this.deletes.get(d) ?? []) if (!out.has(w) && editDistance(q, w, 2) <= 2) out.add(w);
    }
    for (let k = 2; k <= q.length - 2; k++) {
      const [a, b] = [q.slice(0, k), q.slice(k)];
      const known = (x: string) => this.postings.has(x) || isLegalForm(x);
      if (known(a) && known(b)) for (const x of [a, b]) if (this.postings.has(x)) out.add(x);
    }
    return [...out];
  }

  /**
   * The names worth comparing: those that share at least half of the words typed (a spelling
   * variant, a typo or a run-together word counts), or all of them run together. Fewer cannot
   * reach the review band, and comparing them all would cost a common word's thousands.
   */
  private candidates(query: NameParts, abjad: boolean): Set<number> {
    const words = query.words.filter((w) => !w.legal && !w.particle).map((w) => w.text);
    const pairs = words.slice(1).map((w, i) => words[i] + w);
    const hits = new Map<number, number>();
    for (const w of [...words, ...pairs]) {
      const seen = new Set<number>();
      for (const x of this.similarWords(w, abjad)) for (const i of this.postings.get(x) ?? []) seen.add(i);
      for (const i of seen) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
    const need = Math.max(1, Math.ceil(words.length / 2));
    const out = new Set<number>(this.keys.get(query.key) ?? []);
    for (const [i, n] of hits) if (n >= need) out.add(i);
    return out;
  }

  screen(typed: string): ScreeningResult {
    const romanized = romanize(typed);
    const query = nameParts(romanized.text);
    const byEntity = new Map<string, Hit>();
    if (query.words.length > 0) {
      for (const i of this.candidates(query, romanized.abjad)) {
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

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The word with one letter left out, each way (for finding typos: two words within two edits share one). */
function deletions(w: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < w.length; i++) out.add(w.slice(0, i) + w.slice(i + 1));
  return [...out];
}
