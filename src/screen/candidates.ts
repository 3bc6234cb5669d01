/**
 * Which listed names a name typed is worth comparing with (compare.ts), found through an index of
 * their words: the same word, its spelling variants, typos within the edits `compareNames`
 * allows, the same consonants (Arabic and Hebrew typed), and the halves of a run-together word.
 * A name is a candidate when it shares at least half of the words typed, or all of them run
 * together, and when it could still reach the review band with every word it may share matching
 * in full: so a query compares a few dozen names, not the thousands holding "MOHAMMAD".
 */
import { editDistance, isLegalForm } from '../base/normalize.js';
import { BANDS } from './bands.js';
import { COMPARE, editsAllowed, listedWeights, queryWeights } from './compare.js';
import { type NameParts, spellingKey } from './name-parts.js';
import { skeletons, typedSkeletons } from './romanize.js';

interface Entry {
  parts: NameParts;
  /** What each word counts for in a comparison (listedWeights), and their sum. */
  weights: number[];
  total: number;
  /** A one-letter word, which any word typed with that initial may match. */
  initials: boolean;
}

/** Part of a name typed that is looked up on its own: a word, or two words run together. */
interface Probe {
  /** The words typed it stands for (indices into the name's words). */
  words: number[];
  /** Counts towards "half of the words typed": a word or a pair of them that is no particle or legal form. */
  counts: boolean;
  /** The listed words it may be. */
  similar: ReadonlySet<string>;
}

/** Scores are rounded to thousandths: a raw score this far below a band still rounds into it. */
const HALF_THOUSANDTH = 0.0005;
/** The shortest half of a run-together word that is looked up. */
const MIN_HALF = 2;
/** Words this long may hold two typos (editsAllowed), so they are indexed with two letters left out. */
const TWO_EDITS = 8;

export class CandidateIndex {
  private readonly entries: Entry[] = [];
  /** Each word that is no particle or legal form, with the names that hold it. */
  private readonly postings = new Map<string, number[]>();
  /** Every word on the lists, particles and legal forms included. */
  private readonly vocabulary = new Set<string>();
  private readonly keys = new Map<string, number[]>();
  private readonly deletes = new Map<string, string[]>();
  private readonly variants = new Map<string, string[]>();
  private readonly skeletons = new Map<string, string[]>();

  /** How many listed names hold a word, or a spelling variant of it: how common it is on the lists. */
  namesHolding(word: string): number {
    let n = this.postings.get(word)?.length ?? 0;
    for (const w of this.variants.get(spellingKey(word)) ?? []) if (w !== word) n += this.postings.get(w)?.length ?? 0;
    return n;
  }

  /** Adds a listed name; returns its number. */
  add(parts: NameParts): number {
    const weights = listedWeights(parts);
    const i =
      this.entries.push({
        parts,
        weights,
        total: weights.reduce((a, b) => a + b, 0),
        initials: parts.words.some((w) => w.text.length === 1),
      }) - 1;
    push(this.keys, parts.key, i);
    for (const w of parts.words) this.vocabulary.add(w.text);
    for (const w of new Set(parts.words.filter((x) => !x.legal && !x.particle).map((x) => x.text))) {
      const list = this.postings.get(w);
      if (list) list.push(i);
      else {
        this.postings.set(w, [i]);
        this.indexWord(w);
      }
    }
    return i;
  }

  private indexWord(w: string): void {
    push(this.variants, spellingKey(w), w);
    for (const k of skeletons(w)) push(this.skeletons, k, w);
    if (w.length >= COMPARE.typoMinLength) for (const d of leftOut(w)) push(this.deletes, d, w);
  }

  /**
   * The listed words a word typed may be, as `wordSimilarity` would pair them (initials aside),
   * and the listed words it may be two of, run together ("JSCARGUMENT", "ALQAEDA").
   */
  private similarWords(q: string, abjad: boolean): { words: Set<string>; split: boolean } {
    const out = new Set<string>();
    if (this.postings.has(q)) out.add(q);
    for (const w of this.variants.get(spellingKey(q)) ?? []) out.add(w);
    if (abjad) {
      for (const k of typedSkeletons(q)) for (const w of this.skeletons.get(k) ?? []) out.add(w);
    }
    if (q.length >= COMPARE.typoMinLength) {
      // Two words within n edits share a form with at most n letters left out of each (n is 2 only for long words).
      const tried = new Set<string>(out);
      for (const d of leftOut(q)) {
        for (const w of this.deletes.get(d) ?? []) {
          if (tried.has(w)) continue;
          tried.add(w);
          const allowed = editsAllowed(Math.max(q.length, w.length));
          if (Math.min(q.length, w.length) >= COMPARE.typoMinLength && editDistance(q, w, allowed) <= allowed) out.add(w);
        }
      }
    }
    // Halves found on the lists are looked up ("JSCARGUMENT": "jsc" and "argument"); `split` when
    // the word is any two listed words run together (a particle, an initial).
    let split = false;
    for (let k = 1; k < q.length; k++) {
      const [a, b] = [q.slice(0, k), q.slice(k)];
      if (this.vocabulary.has(a) && this.vocabulary.has(b)) split = true;
      const known = (x: string) => x.length >= MIN_HALF && (this.postings.has(x) || isLegalForm(x));
      if (known(a) && known(b)) for (const x of [a, b]) if (this.postings.has(x)) out.add(x);
    }
    return { words: out, split };
  }

  /** The names worth comparing with a name typed (see the module comment). */
  candidates(query: NameParts, abjad: boolean): number[] {
    const words = query.words;
    const content = words.flatMap((w, i) => (w.legal || w.particle ? [] : [i]));
    const probes: Probe[] = [];
    const splits = new Set<number>();
    words.forEach((w, i) => {
      const similar = this.similarWords(w.text, abjad);
      if (similar.split) splits.add(i);
      probes.push({ words: [i], counts: !w.legal && !w.particle, similar: similar.words });
    });
    // Pairs of words typed that may be one listed word (compareNames pairs them only when they are
    // the same, or have its consonants when typed in Arabic: "nsr llh" for "NASRALLAH"): every pair
    // of neighbours, and neighbours but for particles and legal forms, which count as before.
    const pair = (ids: number[], counts: boolean) => {
      const text = ids.map((i) => words[i]!.text).join('');
      const similar = new Set(this.postings.has(text) ? [text] : []);
      if (abjad) for (const k of typedSkeletons(text)) for (const w of this.skeletons.get(k) ?? []) similar.add(w);
      probes.push({ words: ids, counts, similar });
    };
    content.slice(1).forEach((i, k) => {
      pair([content[k]!, i], true);
    });
    for (let i = 0; i + 1 < words.length; i++) if (!content.includes(i) || !content.includes(i + 1)) pair([i, i + 1], false);

    // For each name, the probes that found it (in order, so a repeat is the last one).
    const foundBy = new Map<number, number[]>();
    probes.forEach((p, n) => {
      for (const x of p.similar) {
        for (const i of this.postings.get(x) ?? []) {
          const list = foundBy.get(i);
          if (!list) foundBy.set(i, [n]);
          else if (list[list.length - 1] !== n) list.push(n);
        }
      }
    });
    const need = Math.max(1, Math.ceil(content.length / 2));
    const whole = this.keys.get(query.key) ?? [];
    const out = [...whole];
    const weights = queryWeights(query);
    for (const [i, found] of foundBy) {
      if (whole.includes(i) || found.filter((n) => probes[n]!.counts).length < need) continue;
      if (this.reachable(query, weights, probes, found, splits, this.entries[i]!)) out.push(i);
    }
    return out;
  }

  /**
   * Whether a listed name could score in the review band: an upper bound on `compareNames`, with
   * every word typed that found it (and every particle, legal form, initial and run-together word
   * typed) matching in full, and every listed word those may be matching in full.
   */
  private reachable(
    query: NameParts,
    weights: readonly number[],
    probes: readonly Probe[],
    found: readonly number[],
    splits: ReadonlySet<number>,
    n: Entry,
  ): boolean {
    if (n.initials || n.total === 0) return true;
    const listedWords = n.parts.words;
    const covered = new Set(found.flatMap((p) => probes[p]!.words));
    const initials = new Set(query.words.filter((w) => w.text.length === 1).map((w) => w.text));
    // Listed words run together in a word typed ("ALQAEDA" for "AL QAEDA").
    const joined = new Set<number>();
    let typed = 0;
    let total = 0;
    // Each word typed matches one listed word, or two when they are run together in it.
    let matchable = 0;
    query.words.forEach((w, i) => {
      total += weights[i]!;
      const at = splits.has(i) ? listedWords.findIndex((c, j) => c.text + (listedWords[j + 1]?.text ?? '\u0000') === w.text) : -1;
      if (at >= 0) joined.add(at).add(at + 1);
      if (at >= 0 || covered.has(i) || w.particle || w.legal || initials.has(w.text)) {
        typed += weights[i]!;
        matchable += at >= 0 ? 2 : 1;
      }
    });
    if (total === 0) return true;
    const listedMay: number[] = [];
    listedWords.forEach((w, j) => {
      const may = joined.has(j) || w.particle || w.legal || initials.has(w.text[0]!) || found.some((p) => probes[p]!.similar.has(w.text));
      if (may) listedMay.push(n.weights[j]!);
    });
    const listed = listedMay
      .sort((a, b) => b - a)
      .slice(0, matchable)
      .reduce((a, b) => a + b, 0);
    return (Math.min(1, typed / total) + Math.min(1, listed / n.total)) / 2 >= BANDS.review - HALF_THOUSANDTH;
  }
}

function push<K, T>(map: Map<K, T[]>, key: K, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The word, and the word with one letter left out each way, and with two when it is long enough to hold two typos. */
function leftOut(w: string): Set<string> {
  const out = new Set<string>([w]);
  for (let i = 0; i < w.length; i++) {
    const d = w.slice(0, i) + w.slice(i + 1);
    out.add(d);
    if (w.length >= TWO_EDITS) for (let k = i; k < d.length; k++) out.add(d.slice(0, k) + d.slice(k + 1));
  }
  return out;
}
