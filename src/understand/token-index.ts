import { editDistance, surnameWords, variantKey } from '../base/normalize.js';
import type { NameRow } from '../store/name-index.js';
import { RESOLVER_LIMITS, RESOLVER_WEIGHTS, roundScore } from './resolver-weights.js';
import { IGNORED_WORDS, WEAK_TOKENS } from './resolver-words.js';

/** What a query word may match in the vocabulary: token id → similarity and edits. */
export type Similar = Map<number, { sim: number; edits: number }>;

const { typo } = RESOLVER_WEIGHTS;
const { typoMinLetters, typoMaxLetters, twoEditsFromLetters } = RESOLVER_LIMITS;
/** Another romanisation of a word is looked for up to this many edits away ("evgeny"/"evgeniy"). */
const VARIANT_EDITS = 3;

/**
 * How close a misspelt word is (`RESOLVER_WEIGHTS.typo`): the share of letters changed costs, so one letter in a
 * four-letter word ("yang"/"wang") costs more than one in a ten-letter word; a swap of two
 * neighbouring letters ("tehc") costs half an edit.
 */
function typoSimilarity(q: string, t: string, edits: number): number {
  const swap = edits === 1 && q.length === t.length && [...q].sort().join('') === [...t].sort().join('');
  return roundScore(Math.max(typo.floor, 1 - (typo.costPerShare * (swap ? typo.swapEdits : edits)) / Math.max(q.length, t.length)));
}

/**
 * The index for typo and partial matches, built once from every name: words are interned to
 * integer ids; each name is a run of word ids; each word lists the names that hold it; and
 * every word of four letters or more is reachable from its one-letter deletions, so that a
 * misspelt word finds its candidates with a few map lookups (the SymSpell idea) instead of a
 * scan of the vocabulary.
 */
export class TokenIndex {
  readonly rows: readonly NameRow[];
  private readonly tokenIds = new Map<string, number>();
  readonly tokens: string[] = [];
  /** Whether a word can identify an entity on its own (not generic, not a question word). */
  readonly strong: boolean[] = [];
  readonly nameStart: Int32Array;
  readonly nameTokens: Int32Array;
  readonly nameChars: Int32Array;
  /** For "SURNAME, Given Middle" names, how many leading words are the surname (else 0). */
  readonly surname: Uint8Array;
  /** Whether a name has a word that is a number (vessel "BALTIC ENERGY 6"). */
  readonly hasNumber: Uint8Array;
  /** Whether a word is a number. */
  readonly numeric: boolean[] = [];
  private readonly postStart: Int32Array;
  private readonly postings: Int32Array;
  private readonly deletions: DeletionTable;
  /** Romanisation variants: variantKey(word) → words. */
  private readonly variants = new Map<string, number | number[]>();
  private readonly stamp: Int32Array;
  private generation = 1;

  constructor(rows: readonly NameRow[]) {
    this.rows = rows;
    const starts = new Int32Array(rows.length + 1);
    const chars = new Int32Array(rows.length);
    this.surname = new Uint8Array(rows.length);
    this.hasNumber = new Uint8Array(rows.length);
    const ids: number[] = [];
    const deletionHashes: number[] = [];
    const deletionIds: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      starts[i] = ids.length;
      if (rows[i]!.name.includes(',')) this.surname[i] = surnameWords(rows[i]!.name, rows[i]!.norm);
      let n = 0;
      for (const t of rows[i]!.norm.split(' ')) {
        let id = this.tokenIds.get(t);
        if (id === undefined) {
          id = this.tokens.length;
          this.tokenIds.set(t, id);
          this.tokens.push(t);
          this.strong.push(!WEAK_TOKENS.has(t) && !IGNORED_WORDS.has(t));
          this.numeric.push(/^\d+$/.test(t));
          if (t.length >= typoMinLetters) {
            // The word itself and each of its one-letter deletions, hashed without making strings.
            deletionHashes.push(hashSkipping(t, -1, -1));
            deletionIds.push(id);
            for (let d = 0; d < t.length; d++) {
              deletionHashes.push(hashSkipping(t, d, -1));
              deletionIds.push(id);
            }
            addTo(this.variants, variantKey(t), id);
          }
        }
        ids.push(id);
        if (this.numeric[id]) this.hasNumber[i] = 1;
        n += t.length;
      }
      chars[i] = n;
    }
    starts[rows.length] = ids.length;
    this.deletions = new DeletionTable(deletionHashes, deletionIds);
    this.nameStart = starts;
    this.nameTokens = Int32Array.from(ids);
    this.nameChars = chars;

    const counts = new Int32Array(this.tokens.length + 1);
    for (const id of ids) counts[id + 1]!++;
    for (let t = 0; t < this.tokens.length; t++) counts[t + 1]! += counts[t]!;
    this.postStart = counts.slice();
    const fill = counts.slice();
    this.postings = new Int32Array(ids.length);
    for (let i = 0; i < rows.length; i++) {
      for (let p = starts[i]!; p < starts[i + 1]!; p++) this.postings[fill[this.nameTokens[p]!]!++] = i;
    }
    this.stamp = new Int32Array(rows.length);
  }

  postingCount(token: number): number {
    return this.postStart[token + 1]! - this.postStart[token]!;
  }

  /** The vocabulary word `q` itself, as a `Similar` of one (or none). */
  exactly(q: string): Similar {
    const id = this.tokenIds.get(q);
    return id === undefined ? new Map() : new Map([[id, { sim: 1, edits: 0 }]]);
  }

  /**
   * Vocabulary words close to `q`: the same word, or one edit away (two for words of eight
   * letters or more), where an edit is a letter changed, added, removed or two swapped.
   */
  similar(q: string): Similar {
    const found: Similar = new Map();
    const exact = this.tokenIds.get(q);
    if (exact !== undefined) found.set(exact, { sim: 1, edits: 0 });
    // Short words have too many neighbours; very long ones are pastes, and their deletions cost too much.
    if (q.length < typoMinLetters || q.length > typoMaxLetters) return found;
    const max = q.length >= twoEditsFromLetters ? 2 : 1;
    const seen = new Set<number>();
    this.deletions.find(hashSkipping(q, -1, -1), seen);
    for (let i = 0; i < q.length; i++) {
      this.deletions.find(hashSkipping(q, i, -1), seen);
      if (max === 2) for (let j = i + 1; j < q.length; j++) this.deletions.find(hashSkipping(q, i, j), seen);
    }
    for (const id of seen) {
      if (id === exact) continue;
      const t = this.tokens[id]!;
      const d = editDistance(q, t, max);
      if (d >= 1 && d <= max) found.set(id, { sim: typoSimilarity(q, t, d), edits: d });
    }
    const variant = this.variants.get(variantKey(q));
    for (const id of variant === undefined ? [] : typeof variant === 'number' ? [variant] : variant) {
      if (id === exact) continue;
      const t = this.tokens[id]!;
      const d = editDistance(q, t, VARIANT_EDITS);
      // Another romanisation of the same name ("aleksey"/"alexey", "evgeny"/"evgeniy") is a
      // spelling convention, not a typo: it costs little.
      if (d <= VARIANT_EDITS && (found.get(id)?.sim ?? 0) < typo.variantSpelling) found.set(id, { sim: typo.variantSpelling, edits: d });
    }
    return found;
  }

  /** Names holding, for every query word, one of that word's similar words. */
  candidates(perToken: readonly Similar[]): number[] {
    const order = perToken
      .map((m, i) => ({ i, volume: [...m.keys()].reduce((n, t) => n + this.postingCount(t), 0) }))
      .sort((a, b) => a.volume - b.volume);
    const k = order.length;
    if (this.generation + k + 1 >= 0x3fffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    const base = this.generation;
    this.generation += k + 1;
    const out: number[] = [];
    for (let j = 0; j < k; j++) {
      const last = j === k - 1;
      for (const t of perToken[order[j]!.i]!.keys()) {
        for (let p = this.postStart[t]!; p < this.postStart[t + 1]!; p++) {
          const name = this.postings[p]!;
          const want = j === 0 ? this.stamp[name] !== base + 1 : this.stamp[name] === base + j;
          if (!want) continue;
          this.stamp[name] = base + j + 1;
          if (last) out.push(name);
        }
      }
    }
    return out;
  }
}

/** A 32-bit hash of `s` with the characters at `skip1` and `skip2` left out (-1: none). */
function hashSkipping(s: string, skip1: number, skip2: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    if (i === skip1 || i === skip2) continue;
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h | 0;
}

/**
 * Word ids by the hash of a deletion: an open-addressing table over two typed arrays, built
 * once. A hash collision only adds a candidate, which the edit-distance check then drops.
 */
class DeletionTable {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(hashes: readonly number[], ids: readonly number[]) {
    let capacity = 16;
    while (capacity < hashes.length * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity);
    this.values = new Int32Array(capacity).fill(-1);
    for (let n = 0; n < hashes.length; n++) {
      const h = hashes[n]!;
      const id = ids[n]!;
      let slot = Math.imul(h, 0x9e3779b1) & this.mask;
      for (;;) {
        const v = this.values[slot]!;
        if (v === -1) {
          this.keys[slot] = h;
          this.values[slot] = id;
          break;
        }
        if (v === id && this.keys[slot] === h) break; // the same deletion of the same word twice
        slot = (slot + 1) & this.mask;
      }
    }
  }

  /** Adds to `out` the ids of the words that have a deletion with hash `h`. */
  find(h: number, out: Set<number>): void {
    for (let slot = Math.imul(h, 0x9e3779b1) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.values[slot]!;
      if (v === -1) return;
      if (this.keys[slot] === h) out.add(v);
    }
  }
}

function addTo(map: Map<string, number | number[]>, key: string, id: number): void {
  const cur = map.get(key);
  if (cur === undefined) map.set(key, id);
  else if (typeof cur === 'number') {
    if (cur !== id) map.set(key, [cur, id]);
  } else if (cur[cur.length - 1] !== id) cur.push(id);
}
