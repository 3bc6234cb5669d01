import { normalizeName } from '../base/normalize.js';
import type { NameRow } from '../store/name-index.js';
import type { LocatedSpan } from './question-spans.js';
import { nameCoverage } from './question-spans.js';
import type { MatchMethod, WordPair } from './resolution.js';
import { RESOLVER_LIMITS, RESOLVER_WEIGHTS, roundScore } from './resolver-weights.js';
import type { Similar, TokenIndex } from './token-index.js';

/** A fuzzy candidate before it becomes a `Match`: cheap to make by the thousand. */
export interface Scored {
  row: NameRow;
  score: number;
  method: MatchMethod;
  words: WordPair[];
  unmatched: string[];
}

export interface FuzzyOptions {
  /** Only names of exactly the span's words (a partial match cannot beat the best so far). */
  wholeOnly: boolean;
  screening: boolean;
  /** The resolver's ambiguity margin and suggestion floor: candidates outside them change no answer. */
  margin: number;
  floor: number;
}

/** Pairs found by the bit set of a name's word positions; longer names pair the rest greedily. */
const PAIRED_BITS = 31;

const { whole: wholeWeights, partial, penalty } = RESOLVER_WEIGHTS;

/**
 * The names that hold, for every word of `located`, that word or a close spelling of it, scored
 * (see `RESOLVER_WEIGHTS`), best first, within the ambiguity margin of the best.
 */
export function fuzzyMatches(
  index: TokenIndex,
  located: LocatedSpan,
  similarTo: (q: string) => Similar,
  { wholeOnly, screening, margin, floor }: FuzzyOptions,
): Scored[] {
  const span = located.text;
  const extra = located.extra.length;
  const qTokens = normalizeName(span).split(' ').filter(Boolean);
  const k = qTokens.length;
  if (k === 0) return [];
  // Every query word must match a word of the name (exactly or with a typo).
  const perToken = qTokens.map(similarTo);
  if (perToken.some((m) => m.size === 0)) return [];
  const spanFactor = screening && extra > 0 ? nameCoverage(located) : 1;

  // Scored without allocating; only candidates near the best become `Scored` records.
  const kept: { i: number; score: number }[] = [];
  let bestScore = 0;
  const pos = new Int32Array(k);
  const edits = new Int32Array(k);
  for (const i of index.candidates(perToken)) {
    const start = index.nameStart[i]!;
    const end = index.nameStart[i + 1]!;
    const length = end - start;
    if (length < k || (wholeOnly && length !== k)) continue;
    let simProduct = 1;
    let matchedChars = 0;
    let strong = false;
    let used = 0; // bit set of name word positions already paired (see PAIRED_BITS)
    let ok = true;
    for (let q = 0; q < k; q++) {
      let bestSim = 0;
      let bestPos = -1;
      const similar = perToken[q]!;
      for (let p = start; p < end; p++) {
        const bit = p - start < PAIRED_BITS ? 1 << (p - start) : 0;
        if (bit && used & bit) continue;
        const s = similar.get(index.nameTokens[p]!);
        if (s && s.sim > bestSim) {
          bestSim = s.sim;
          bestPos = p;
          edits[q] = s.edits;
        }
      }
      if (bestPos < 0) {
        ok = false;
        break;
      }
      if (bestPos - start < PAIRED_BITS) used |= 1 << (bestPos - start);
      pos[q] = bestPos;
      const token = index.nameTokens[bestPos]!;
      // Every changed letter costs: two typos cost more than one.
      simProduct *= bestSim;
      matchedChars += index.tokens[token]!.length;
      if (index.strong[token]) strong = true;
    }
    if (!ok || !strong) continue;
    const coverage = matchedChars / index.nameChars[i]!;
    const whole = k === length;
    let score = whole ? simProduct * wholeWeights.typo : simProduct * (partial.base + partial.coverage * coverage);
    if (!whole) {
      // A number left out ("BALTIC ENERGY 6" for "Baltic Energy") tells listed things apart.
      if (index.hasNumber[i] && hasUnmatchedNumber(index, start, end, used)) score *= penalty.unmatchedNumber;
      const surname = index.surname[i]!;
      const needed = (1 << (surname + 1)) - 1;
      const surnameMask = (1 << surname) - 1;
      if (surname > 0 && length <= PAIRED_BITS && k >= 2 && (used & needed) === needed) {
        // A person named by surname and first given name, without middle names or patronymic
        // ("Evgeniy Bogachev" for "BOGACHEV, Evgeniy Mikhailovich"), is a strong match.
        score = Math.max(score, simProduct * partial.personWithoutMiddleNames);
      } else if (surname > 0 && extra === 0 && k === surname && (used & surnameMask) === surnameMask) {
        score = Math.max(score, simProduct * partial.surnameAlone);
      } else if (extra > 0) {
        // Part of a name matched while the question says more around it.
        score *= surname > 0 ? penalty.extraWordsPerson : penalty.extraWordsOther;
      }
    }
    // Words in another order cost what they cost for an exact match, except for people, whom
    // lists write surname first.
    if (index.surname[i] === 0 && !inOrder(pos, k)) score *= wholeWeights.wordOrder;
    score *= spanFactor;
    if (index.rows[i]!.weak) score *= penalty.weakAlias;
    score = roundScore(score);
    // Below the suggestion floor a candidate can change no answer.
    if (score < floor || score < bestScore - margin - 1e-9) continue;
    if (score > bestScore) bestScore = score;
    kept.push({ i, score });
  }
  const out: Scored[] = [];
  for (const { i, score } of kept
    .filter((c) => c.score >= bestScore - margin - 1e-9)
    .sort((a, b) => b.score - a.score)
    .slice(0, RESOLVER_LIMITS.matchesPerSpan)) {
    out.push(explainScored(index, i, score, qTokens, perToken));
  }
  return out;
}

/** Pairs the words again for a kept candidate, to say which matched which. */
function explainScored(index: TokenIndex, i: number, score: number, qTokens: string[], perToken: readonly Similar[]): Scored {
  const start = index.nameStart[i]!;
  const end = index.nameStart[i + 1]!;
  const words: WordPair[] = [];
  const paired = new Set<number>();
  qTokens.forEach((q, j) => {
    let best = -1;
    let bestSim = 0;
    let bestEdits = 0;
    for (let p = start; p < end; p++) {
      if (paired.has(p)) continue;
      const s = perToken[j]!.get(index.nameTokens[p]!);
      if (s && s.sim > bestSim) {
        bestSim = s.sim;
        best = p;
        bestEdits = s.edits;
      }
    }
    if (best >= 0) {
      paired.add(best);
      words.push({ query: q, name: index.tokens[index.nameTokens[best]!]!, edits: bestEdits });
    }
  });
  const unmatched: string[] = [];
  for (let p = start; p < end; p++) if (!paired.has(p)) unmatched.push(index.tokens[index.nameTokens[p]!]!);
  return { row: index.rows[i]!, score, method: end - start === qTokens.length ? 'typo' : 'partial', words, unmatched };
}

function inOrder(pos: Int32Array, k: number): boolean {
  for (let q = 1; q < k; q++) if (pos[q]! < pos[q - 1]!) return false;
  return true;
}

function hasUnmatchedNumber(index: TokenIndex, start: number, end: number, used: number): boolean {
  for (let p = start; p < end && p - start < PAIRED_BITS; p++) {
    if (!(used & (1 << (p - start))) && index.numeric[index.nameTokens[p]!]) return true;
  }
  return false;
}
