import { isLegalForm, nameKey, normalizeName } from '../base/normalize.js';
import type { NameRow, NameTable } from '../store/name-index.js';
import { preferCanonical } from './name-table.js';
import type { Match, Resolver } from './resolve.js';
import { RESOLVER_WEIGHTS } from './resolver-weights.js';
import type { Token } from './tokens.js';
import { typedSpan } from './tokens.js';
import { isQuestionWord } from './vocabulary.js';

const POSSESSIVE = /['’]s$/i;

/** How a name in the question was recognised. */
export type MentionMethod = 'exact' | 'word-order' | 'typo' | 'partial';

/** A name the question uses, and the entity (or entities) it may mean. */
export interface Mention {
  /** Token positions [from, to). */
  from: number;
  to: number;
  /** As the user typed it. */
  typed: string;
  /** One entity, or several when the name fits more than one equally well. */
  entityIds: string[];
  /** The name matched, per entity. */
  names: Map<string, NameRow>;
  method: MentionMethod;
  /** 1 for an exact name or alias; lower for typos and partial names. */
  score: number;
  /** Name-like words right next to the name that are not part of it ("Academy" after "Federal Security Service"). */
  around: string[];
}

/** A name-like run of words that matches nothing the bot knows. */
export interface UnknownName {
  from: number;
  to: number;
  typed: string;
  /** Typed with a capital letter, or the only candidate for a name in the question. */
  proper: boolean;
}

/** A name-like run close to a known name, but not close enough to be sure. */
export interface NearName {
  from: number;
  to: number;
  typed: string;
  match: Match;
}

export interface FoundNames {
  mentions: Mention[];
  unknown: UnknownName[];
  near: NearName[];
}

const NUMBER = /^\d+[a-z]?$/;
/** A one-word typo names an entity only from this length ("abbatte" for Abbate). */
const MIN_TYPO_WORD = 5;

/** Names longer than this many words are not looked for in a question. */
const MAX_NAME_WORDS = 8;
/** Words too common to be a name on their own, whatever a feed calls its tools ("at", "net"). */
const NEVER_A_NAME_ALONE = new Set([
  'a',
  'an',
  'the',
  'at',
  'in',
  'on',
  'is',
  'it',
  'of',
  'to',
  'and',
  'or',
  'as',
  'be',
  'by',
  'do',
  'if',
  'no',
  'so',
  'up',
  'us',
  'we',
  'me',
  'my',
]);

/**
 * Finds every name in a question: first every known name and alias, longest first (case,
 * punctuation, possessives and plurals don't matter; words around a name never lower its
 * score); then each leftover run of name-like words, which may be a misspelt or partial name,
 * or a name the bot does not know. `table` and `resolver` hold only what the conversation may see.
 */
export function findNames(text: string, tokens: readonly Token[], table: NameTable, resolver: Resolver): FoundNames {
  const mentions = exactMentions(text, tokens, table);
  const covered = new Set<number>();
  for (const m of mentions) for (let i = m.from; i < m.to; i++) covered.add(i);
  const unknown: UnknownName[] = [];
  const near: NearName[] = [];
  for (const run of nameLikeRuns(tokens, covered)) {
    const typed = typedSpan(text, tokens, run.from, run.to);
    const words = tokens.slice(run.from, run.to).map((t) => t.norm);
    const proper = /\p{Lu}/u.test(typed) || run.from === 0;
    const found = resolveRun(words, resolver);
    if (found.kind === 'mention') mentions.push({ ...run, typed, ...found.mention, around: [] });
    else if (found.kind === 'near') near.push({ ...run, typed, match: found.match });
    else unknown.push({ ...run, typed, proper });
  }
  mentions.sort((a, b) => a.from - b.from);
  for (const m of mentions) for (let i = m.from; i < m.to; i++) covered.add(i);
  for (const m of mentions) m.around = wordsAround(tokens, m, covered);
  return { mentions, unknown, near };
}

/** Greedy longest match of known names and aliases, left to right. */
function exactMentions(text: string, tokens: readonly Token[], table: NameTable): Mention[] {
  const out: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    let found: Mention | undefined;
    for (let len = Math.min(MAX_NAME_WORDS, tokens.length - i); len >= 1 && !found; len--) {
      found = lookup(text, tokens, i, len, table);
    }
    if (!found) {
      i++;
      continue;
    }
    // A legal form after the name is part of it ("Integrity Tech Co., Ltd."), unless the name
    // ends in a possessive ("Flax Typhoon's company" is another entity).
    while (found.to < tokens.length && isLegalForm(tokens[found.to]!.norm) && !POSSESSIVE.test(tokens[found.to - 1]!.raw)) found.to++;
    found.typed = typedSpan(text, tokens, found.from, found.to);
    out.push(found);
    i = found.to;
  }
  return out;
}

function lookup(text: string, tokens: readonly Token[], from: number, len: number, table: NameTable): Mention | undefined {
  const span = tokens.slice(from, from + len);
  if (len === 1 && NEVER_A_NAME_ALONE.has(span[0]!.norm)) return undefined;
  // A possessive ends a name: "Flax Typhoon's company" is not a name with a legal form.
  if (span.slice(0, -1).some((t) => POSSESSIVE.test(t.raw))) return undefined;
  // The last word may be a plural of the name's ("the Typhoons").
  const variants = [span.map((t) => t.norm)];
  const last = span[len - 1]!;
  if (last.singular) variants.push([...span.slice(0, -1).map((t) => t.norm), last.singular]);
  // "APT 27" for "APT27": a word and a number typed apart.
  if (len === 2 && NUMBER.test(span[1]!.norm) && !NUMBER.test(span[0]!.norm)) variants.push([`${span[0]!.norm}${span[1]!.norm}`]);
  for (const words of variants) {
    const norm = normalizeName(words.join(' '));
    if (!norm) continue;
    let rows = strong(table.byNorm(norm));
    let method: MentionMethod = 'exact';
    let score: number = RESOLVER_WEIGHTS.whole.exact;
    if (rows.length === 0 && len > 1 && !words.every(isQuestionWord)) {
      rows = strong(table.byKey(nameKey(norm)));
      method = 'word-order';
      score = RESOLVER_WEIGHTS.whole.wordOrder;
    }
    if (rows.length === 0) continue;
    const names = new Map<string, NameRow>();
    for (const r of preferCanonical(rows)) if (!names.has(r.entityId)) names.set(r.entityId, r);
    return {
      from,
      to: from + len,
      typed: typedSpan(text, tokens, from, from + len),
      entityIds: [...names.keys()],
      names,
      method,
      score,
      around: [],
    };
  }
  return undefined;
}

/** Weak aliases (OFAC's weak AKAs) never make a mention on their own. */
function strong(rows: readonly NameRow[]): NameRow[] {
  return rows.filter((r) => !r.weak);
}

/**
 * Runs of uncovered words that could be (part of) a name: not question words, and numbers only
 * beside a name-like word ("APT 27", "Storm-0940"), not on their own ("260k", "2024").
 */
function nameLikeRuns(tokens: readonly Token[], covered: ReadonlySet<number>): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  const wordLike = (i: number) => {
    const t = tokens[i];
    return (
      t !== undefined &&
      !covered.has(i) &&
      !isQuestionWord(t.norm) &&
      !NEVER_A_NAME_ALONE.has(t.norm) &&
      !NUMBER.test(t.norm) &&
      t.norm.length > 1
    );
  };
  const numberBesideWord = (i: number) => NUMBER.test(tokens[i]?.norm ?? '') && !covered.has(i) && (wordLike(i - 1) || wordLike(i + 1));
  // "of" and "of the" join the words of one name ("Office of Financial Research").
  const joiner = (i: number) => {
    const w = tokens[i]?.norm;
    if (covered.has(i)) return false;
    if (w === 'of') return wordLike(i - 1) && (wordLike(i + 1) || (tokens[i + 1]?.norm === 'the' && wordLike(i + 2)));
    return w === 'the' && tokens[i - 1]?.norm === 'of' && wordLike(i + 1);
  };
  let start = -1;
  for (let i = 0; i <= tokens.length; i++) {
    const nameLike = i < tokens.length && (wordLike(i) || numberBesideWord(i) || (start >= 0 && joiner(i)));
    if (nameLike && start < 0) start = i;
    if (!nameLike && start >= 0) {
      runs.push({ from: start, to: i });
      start = -1;
    }
  }
  return runs;
}

type RunResult =
  | { kind: 'mention'; mention: Pick<Mention, 'entityIds' | 'names' | 'method' | 'score'> }
  | { kind: 'near'; match: Match }
  | { kind: 'unknown' };

/** A name typed with a typo that matches one entity. */
function typoMention(match: Match): RunResult {
  return {
    kind: 'mention',
    mention: { entityIds: [match.entityId], names: new Map([[match.entityId, rowOf(match)]]), method: 'typo', score: match.score },
  };
}

/**
 * What a leftover run of words names. A word no known name has, even misspelt, makes the run
 * an unknown name: "Tangerine Typhoon" is not a "… Typhoon" the bot knows.
 */
function resolveRun(typedWords: readonly string[], resolver: Resolver): RunResult {
  // A name's word may be plural where the question's is not ("Black Lotus Lab").
  const words = typedWords.map((w) => (resolver.knowsWord(w) || !resolver.knowsWord(`${w}s`) ? w : `${w}s`));
  if (!words.every((w) => resolver.knowsWord(w))) return { kind: 'unknown' };
  const exact = resolver.entitiesWithWords(words, { edgesOnly: true });
  if (exact.size > 0) {
    return {
      kind: 'mention',
      mention: { entityIds: [...exact.keys()], names: exact, method: 'partial', score: RESOLVER_WEIGHTS.partial.uniqueWord },
    };
  }
  const r = resolver.resolve(words.join(' '));
  switch (r.kind) {
    case 'match':
      return typoMention(r.match);
    case 'ambiguous':
      return {
        kind: 'mention',
        mention: {
          entityIds: r.candidates.map((c) => c.entityId),
          names: new Map(r.candidates.map((c) => [c.entityId, rowOf(c)])),
          method: 'typo',
          score: r.candidates[0]!.score,
        },
      };
    case 'suggest': {
      // "christopher wrey": the words typed right name this entity alone, the typo is in the rest.
      const exactWords = words.filter((w) => resolver.entitiesWithWords([w]).size > 0);
      const byExact = exactWords.length > 0 && exactWords.length < words.length ? resolver.entitiesWithWords(exactWords) : undefined;
      const paired = r.match.words ?? [];
      const oneWordTypo = words.length === 1 && words[0]!.length >= MIN_TYPO_WORD && paired.length === 1 && paired[0]!.edits <= 1;
      if (
        (byExact?.size === 1 && byExact.has(r.match.entityId)) ||
        (oneWordTypo && resolver.entitiesWithWords(paired.map((p) => p.name)).size === 1)
      ) {
        return typoMention(r.match);
      }
      return { kind: 'near', match: r.match };
    }
    case 'none':
      return { kind: 'unknown' };
  }
}

function rowOf(m: Match): NameRow {
  const row: NameRow = {
    entityId: m.entityId,
    name: m.matchedName,
    norm: normalizeName(m.matchedName),
    canonical: m.matchedName === m.entityName,
    weak: m.weak === true,
  };
  if (m.usedBy) row.usedBy = m.usedBy;
  return row;
}

/** Name-like words touching a mention on either side (not question words, not other names). */
function wordsAround(tokens: readonly Token[], m: Mention, covered: ReadonlySet<number>): string[] {
  const out: string[] = [];
  const nameLike = (i: number) => {
    const t = tokens[i];
    return t !== undefined && !covered.has(i) && !isQuestionWord(t.norm) && !isLegalForm(t.norm);
  };
  // A possessive ends a name: "Integrity Tech's customers" is about Integrity Tech.
  if (!POSSESSIVE.test(tokens[m.to - 1]?.raw ?? '')) for (let i = m.to; nameLike(i); i++) out.push(tokens[i]!.norm);
  for (let i = m.from - 1; nameLike(i); i--) out.unshift(tokens[i]!.norm);
  return out;
}
