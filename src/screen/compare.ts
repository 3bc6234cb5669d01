/**
 * How close a name typed is to one name on a list, word by word, as an analyst would judge it:
 * words in any order; a person's middle names, patronymic or second surname may be left out;
 * an initial stands for a given name; legal forms ("CO.", "LTD", "JSC") anywhere are left aside;
 * run-together words ("JSCARGUMENT") match the words apart; spelling variants and small typos
 * cost in proportion. Words typed that the listed name does not have count against it: "MC
 * Overseas Trading Company" is not "OVERSEAS TRADING COMPANY".
 */
import { editDistance } from '../base/normalize.js';
import { GROUP_WORDS, type NameParts, type NameWord } from './name-parts.js';
import { skeletons, typedSkeletons } from './romanize.js';

/** How a word typed matched a word of the listed name. */
export type WordHow = 'same' | 'spelling' | 'typo' | 'initial' | 'consonants' | 'joined';

export interface WordMatch {
  query: string;
  listed: string;
  similarity: number;
  how: WordHow;
  /** Letters changed, added or left out (a typo by edit distance), not a romanisation variant or a letter doubled. */
  edited: boolean;
}

export interface Comparison {
  /** 0..1: the mean of how much of the name typed and how much of the listed name match. */
  score: number;
  /** The same words, legal forms included, in any order or run together. */
  exact: boolean;
  words: WordMatch[];
  /** Words of the listed name the name typed lacks (particles and legal forms aside, but for the words naming a group: `GROUP_WORDS`). */
  missing: string[];
  /** Words typed that the listed name lacks (legal forms and particles aside). */
  extra: string[];
  /** Only the surname, or only given names, of a person listed as "SURNAME, Given". */
  partial: boolean;
}

/** Weights and similarities, in one place (docs/screening.md explains how the bands were set). */
export const COMPARE = {
  /** A word's weight is its length, within these bounds, so "al" or "1" weigh little and long words do not dominate. */
  minWeight: 3,
  maxWeight: 8,
  particleWeight: 0.5,
  /** How much a person's other given names (middle, patronymic) and second surname count, next to 1 for the first of each. */
  secondaryName: 0.15,
  /** Romanisation variants ("aleksey"/"alexey"). */
  spelling: 0.95,
  /** Same consonants, for a word transliterated from Arabic or Hebrew ("khmys"/"khamis"): as sure as another romanisation. */
  consonants: 0.95,
  /** An initial for a given name ("V." for Vladimir). */
  initial: 0.8,
  /** Below this, two words are different words. */
  minWord: 0.75,
  /** Typos are looked for in words of at least this many letters, up to this many edits. */
  typoMinLength: 4,
  typoMaxEdits: 2,
} as const;

function weight(w: NameWord): number {
  if (w.legal) return 0;
  if (w.particle) return COMPARE.particleWeight;
  return Math.min(COMPARE.maxWeight, Math.max(COMPARE.minWeight, w.text.length));
}

/** How much a listed word counts: a person's first surname word and first given name fully, the others less. */
function importance(w: NameWord, firstOfSurname: boolean): number {
  if (w.position < 0) return 1;
  if (w.position === 0) return firstOfSurname ? 1 : COMPARE.secondaryName;
  return w.position === 1 ? 1 : COMPARE.secondaryName;
}

/** 1 less 0.9 × the share of letters changed; a swap of two neighbouring letters costs half an edit. */
function typoSimilarity(q: string, t: string, edits: number): number {
  const swap = edits === 1 && q.length === t.length && [...q].sort().join('') === [...t].sort().join('');
  return 1 - (0.9 * (swap ? 0.5 : edits)) / Math.max(q.length, t.length);
}

function undoubled(word: string): string {
  return word.replace(/(.)\1+/g, '$1');
}

/** At most this many edits keep a typo within `minWord`: one in words of up to 7 letters, two in longer ones. */
export function editsAllowed(longer: number): number {
  return Math.min(COMPARE.typoMaxEdits, Math.floor(((1 - COMPARE.minWord) * longer) / 0.9));
}

/** A word typed in Arabic or Hebrew script and a listed word with the same consonants. */
function sameSkeleton(typed: string, listed: string): boolean {
  const forms = skeletons(listed);
  return forms.length > 0 && typedSkeletons(typed).some((f) => forms.includes(f));
}

/** How alike two words are, and how; undefined when they are different words. */
export function wordSimilarity(
  qw: NameWord,
  tw: NameWord,
  abjad: boolean,
): { similarity: number; how: WordHow; edited: boolean } | undefined {
  const q = qw.text;
  const t = tw.text;
  if (q === t) return { similarity: 1, how: 'same', edited: false };
  if (q.length === 1 || t.length === 1) {
    const [short, long] = q.length === 1 ? [q, t] : [t, q];
    return long.length > 1 && long.startsWith(short) ? { similarity: COMPARE.initial, how: 'initial', edited: false } : undefined;
  }
  // A letter doubled or not ("belann"/"belan", "hassan"/"hasan") scores as a spelling variant but is shown as what it is.
  if (qw.spelling === tw.spelling)
    return { similarity: COMPARE.spelling, how: undoubled(q) === undoubled(t) ? 'typo' : 'spelling', edited: false };
  if (abjad && sameSkeleton(q, t)) return { similarity: COMPARE.consonants, how: 'consonants', edited: false };
  const allowed = editsAllowed(Math.max(q.length, t.length));
  if (Math.min(q.length, t.length) < COMPARE.typoMinLength || Math.abs(q.length - t.length) > allowed) return undefined;
  const edits = editDistance(q, t, allowed);
  if (edits > allowed) return undefined;
  const similarity = typoSimilarity(q, t, edits);
  return similarity >= COMPARE.minWord ? { similarity, how: 'typo', edited: true } : undefined;
}

interface Link {
  q: number[];
  c: number[];
  similarity: number;
  how: WordHow;
  edited: boolean;
}

/** Every plausible pairing of words, run-together words included, best first. */
function links(q: readonly NameWord[], c: readonly NameWord[], abjad: boolean): Link[] {
  const out: Link[] = [];
  for (let i = 0; i < q.length; i++) {
    for (let j = 0; j < c.length; j++) {
      const s = wordSimilarity(q[i]!, c[j]!, abjad);
      if (s) out.push({ q: [i], c: [j], ...s });
      if (j + 1 < c.length && q[i]!.text === c[j]!.text + c[j + 1]!.text)
        out.push({ q: [i], c: [j, j + 1], similarity: 1, how: 'joined', edited: false });
      if (i + 1 < q.length && c[j]!.text === q[i]!.text + q[i + 1]!.text)
        out.push({ q: [i, i + 1], c: [j], similarity: 1, how: 'joined', edited: false });
      // Arabic typed splits some names the lists write as one word: "nsr llh" is "nasrallah".
      else if (abjad && i + 1 < q.length && sameSkeleton(q[i]!.text + q[i + 1]!.text, c[j]!.text))
        out.push({ q: [i, i + 1], c: [j], similarity: COMPARE.consonants, how: 'consonants', edited: false });
    }
  }
  return out.sort((a, b) => b.similarity - a.similarity || b.q.length + b.c.length - (a.q.length + a.c.length));
}

/** How much each word of a name typed counts in a comparison. */
export function queryWeights(query: NameParts): number[] {
  return query.words.map(weight);
}

/** How much each word of a listed name counts in a comparison: its weight, less for a person's secondary names. */
export function listedWeights(listed: NameParts): number[] {
  const firstSurname = listed.words.findIndex((w) => w.position === 0 && !w.particle && !w.legal);
  return listed.words.map((w, j) => weight(w) * importance(w, j === firstSurname));
}

/** Compares a name typed with one listed name. */
export function compareNames(query: NameParts, listed: NameParts, abjad = false): Comparison {
  const q = query.words;
  const c = listed.words;
  const qUsed = new Array<number>(q.length).fill(0);
  const cUsed = new Array<number>(c.length).fill(0);
  const words: WordMatch[] = [];
  for (const l of links(q, c, abjad)) {
    if (l.q.some((i) => qUsed[i]) || l.c.some((j) => cUsed[j])) continue;
    for (const i of l.q) qUsed[i] = l.similarity;
    for (const j of l.c) cUsed[j] = l.similarity;
    words.push({
      query: l.q.map((i) => q[i]!.text).join(' '),
      listed: l.c.map((j) => c[j]!.text).join(' '),
      similarity: l.similarity,
      how: l.how,
      edited: l.edited,
    });
  }
  const qWeights = queryWeights(query);
  const cWeights = listedWeights(listed);
  let qTotal = 0;
  let qMatched = 0;
  qWeights.forEach((x, i) => {
    qTotal += x;
    qMatched += x * qUsed[i]!;
  });
  let cTotal = 0;
  let cMatched = 0;
  cWeights.forEach((x, j) => {
    cTotal += x;
    cMatched += x * cUsed[j]!;
  });
  const score = qTotal === 0 || cTotal === 0 ? 0 : (qMatched / qTotal + cMatched / cTotal) / 2;
  const matchedPositions = new Set(c.filter((_, j) => cUsed[j] && !c[j]!.particle).map((w) => (w.position === 0 ? 0 : 1)));
  return {
    score,
    exact: query.key === listed.key || query.bag === listed.bag,
    words,
    missing: c.filter((w, j) => !cUsed[j] && !w.particle && (!w.legal || GROUP_WORDS.has(w.text))).map((w) => w.text),
    extra: q.filter((w, i) => !qUsed[i] && !w.legal && !w.particle).map((w) => w.text),
    partial: listed.structured && matchedPositions.size === 1,
  };
}
