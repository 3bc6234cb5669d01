import { nameKey, normalizeName, normalizeText } from '../base/normalize.js';
import type { NameEntry, NameRow, NameTable } from '../store/name-index.js';
import { fuzzyMatches, type Scored } from './fuzzy-match.js';
import { isNameTable, MemoryNameTable, preferCanonical } from './name-table.js';
import { allSpans, candidateSpans, type LocatedSpan, longestPhrase, nameCoverage } from './question-spans.js';
import type { Match, MatchMethod, Resolution, WordPair } from './resolution.js';
import { RESOLVER_LIMITS, RESOLVER_WEIGHTS, roundScore } from './resolver-weights.js';
import { IGNORED_WORDS, SCREENING_STOP } from './resolver-words.js';
import { type Similar, TokenIndex } from './token-index.js';

export type { Match, MatchMethod, NameEntry, NameRow, NameTable, Resolution, WordPair };
export { MemoryNameTable };

export interface ResolverOptions {
  /** Minimum score to answer about an entity without asking. */
  threshold: number;
  /** Scores within this margin of the best one (for another entity) make the question ambiguous. */
  ambiguityMargin: number;
  /** Minimum score to offer a "did you mean" suggestion (a "possible match" when screening). */
  suggestFloor: number;
}

export interface ResolveOptions {
  /**
   * Screening a name (a sanctions question): the whole name asked about is compared, so words
   * next to a match that are not part of it count against it ("Golden Star Trading" is not
   * "STAR TRADING"). Without it, a name found inside a longer question is a full match
   * ("the Flax Typhoon botnet").
   */
  screening?: boolean;
}

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = { ...RESOLVER_WEIGHTS.decide };

const { whole, partial, penalty } = RESOLVER_WEIGHTS;

/**
 * Finds the entity a question is about: exact alias, then word order, then typos and partial
 * names, each with a score and an explanation. Built once per knowledge version; the typo
 * index is built on the first question that needs it.
 */
export class Resolver {
  private readonly table: NameTable;
  private index: TokenIndex | undefined;

  constructor(
    names: readonly NameEntry[] | NameTable,
    readonly options: ResolverOptions = DEFAULT_RESOLVER_OPTIONS,
  ) {
    this.table = isNameTable(names) ? names : new MemoryNameTable(names);
  }

  get size(): number {
    return this.table.size;
  }

  /** Builds the typo index now rather than on the first question that needs it. */
  warm(): this {
    this.tokenIndex();
    return this;
  }

  private tokenIndex(): TokenIndex {
    this.index ??= new TokenIndex(this.table.all());
    return this.index;
  }

  /** Whether some known name has this word, exactly or with a typo (the word is normalised). */
  knowsWord(word: string): boolean {
    return this.tokenIndex().similar(word).size > 0;
  }

  /**
   * The entities with a name that holds every one of these words exactly, and one such name of
   * each: "juxinhe" → Sichuan Juxinhe, "typhoon" → every Typhoon. Weak aliases don't count.
   */
  entitiesWithWords(words: readonly string[], { edgesOnly = false }: { edgesOnly?: boolean } = {}): Map<string, NameRow> {
    const index = this.tokenIndex();
    const out = new Map<string, NameRow>();
    if (words.length === 0) return out;
    const perToken = words.map((w) => index.exactly(w));
    if (perToken.some((m) => m.size === 0)) return out;
    for (const i of index.candidates(perToken)) {
      const row = index.rows[i]!;
      if (row.weak || out.has(row.entityId)) continue;
      // One word that names a long name only from its middle ("routers" in an advisory's title) is not that name.
      if (edgesOnly && words.length === 1 && !atEdge(row.norm, words[0]!)) continue;
      out.set(row.entityId, row);
    }
    return out;
  }

  /**
   * Resolves the entity named anywhere in `text` (a whole question or just a name). With
   * `screening`, the words around a match that are not part of it count against it (see
   * `ResolveOptions`).
   */
  resolve(text: string, options: ResolveOptions = {}): Resolution {
    const words = normalizeText(text).split(' ').filter(Boolean).slice(0, RESOLVER_LIMITS.questionWords);
    const screening = options.screening === true;
    const stop = screening ? SCREENING_STOP : IGNORED_WORDS;
    const located = candidateSpans(words, stop);
    const spans = located.map((c) => c.text);
    if (spans.length === 0) return { kind: 'none', phrase: '' };

    // Exact and word-order matches: the longest matching span wins. Names may start or end
    // with a question word ("Operator Panda", "Office of Foreign Assets Control"), so every
    // span with at least one meaningful word is tried here.
    let partOfName: { matches: Match[]; span: string } | undefined;
    for (const located of allSpans(words, stop)) {
      const span = located.text;
      const norm = normalizeName(span);
      let rows = preferCanonical(this.table.byNorm(norm));
      let method: MatchMethod = 'exact';
      let base: number = whole.exact;
      if (rows.length === 0) {
        rows = preferCanonical(this.table.byKey(nameKey(norm)));
        method = 'word-order';
        base = whole.wordOrder;
      }
      if (rows.length === 0) continue;
      if (!screening || located.extra.length === 0)
        return this.decide(
          rows.map((n) => this.match(n, span, base, method)),
          span,
        );
      // Screening "Golden Star Trading": "STAR TRADING" is listed, but the name asked about
      // is longer. Scored down, and kept only if no fuzzier match covers the whole name.
      const factor = nameCoverage(located);
      partOfName = { matches: rows.map((n) => this.match(n, span, base * factor, method, undefined, undefined, located.extra)), span };
      break;
    }

    const index = this.tokenIndex();
    const similar = new Map<string, Similar>();
    const similarTo = (q: string): Similar => {
      let s = similar.get(q);
      if (!s) {
        s = index.similar(q);
        similar.set(q, s);
      }
      return s;
    };
    let best: Scored[] = [];
    let bestSpan: LocatedSpan | undefined;
    const floor = partOfName ? Math.max(...partOfName.matches.map((m) => m.score)) : 0;
    for (const span of located) {
      const top = Math.max(best[0]?.score ?? 0, floor);
      // Spans come longest first. A typo match of a whole name scores at most `whole.typo` and a
      // partial one at most `partial.personWithoutMiddleNames`; when screening, a span that leaves words of the name out
      // scores less again. A span that cannot beat the best so far is not worth looking at.
      const bound = screening && span.extra.length > 0 ? whole.typo * nameCoverage(span) : whole.typo;
      if (bound <= top + 1e-9 || bound < this.options.suggestFloor) continue;
      const found = fuzzyMatches(index, span, similarTo, {
        wholeOnly: top >= partial.personWithoutMiddleNames,
        screening,
        margin: this.options.ambiguityMargin,
        floor: this.options.suggestFloor,
      });
      if (found.length === 0) continue;
      if (found[0]!.score > top + 1e-9) {
        best = found;
        bestSpan = span;
      }
    }
    if (best.length === 0 || !bestSpan) {
      if (partOfName) return this.decide(partOfName.matches, partOfName.span);
      return { kind: 'none', phrase: longestPhrase(spans) };
    }
    const chosen = bestSpan;
    const decided = this.decide(
      best.map((s) => this.match(s.row, chosen.text, s.score, s.method, s.words, s.unmatched, screening ? chosen.extra : undefined)),
      chosen.text,
    );
    // Nothing close enough: say what the question named, not the fragment that came closest.
    return decided.kind === 'none' ? { kind: 'none', phrase: longestPhrase(spans) } : decided;
  }

  private decide(matches: Match[], span: string): Resolution {
    const perEntity = new Map<string, Match>();
    for (const m of matches) {
      const prev = perEntity.get(m.entityId);
      if (!prev || m.score > prev.score || (m.score === prev.score && m.method === 'exact' && prev.method !== 'exact'))
        perEntity.set(m.entityId, m);
    }
    const ranked = [...perEntity.values()].sort((a, b) => b.score - a.score || a.entityName.localeCompare(b.entityName));
    const top = ranked[0]!;
    const close = ranked.filter((m) => top.score - m.score <= this.options.ambiguityMargin);
    if (close.length > 1 && top.score >= this.options.suggestFloor)
      return { kind: 'ambiguous', candidates: close.slice(0, RESOLVER_LIMITS.choices), span };
    if (top.score >= this.options.threshold) return { kind: 'match', match: top };
    if (top.score >= this.options.suggestFloor) return { kind: 'suggest', match: top };
    return { kind: 'none', phrase: span };
  }

  /** `extra`: words of the name asked about that the match leaves out (when screening). */
  private match(
    n: NameRow,
    span: string,
    base: number,
    method: MatchMethod,
    words?: WordPair[],
    unmatched?: string[],
    extra?: readonly string[],
  ): Match {
    // Fuzzy scores already count a weak alias; exact and word-order ones do here.
    const score = method === 'typo' || method === 'partial' ? roundScore(base) : roundScore(n.weak ? base * penalty.weakAlias : base);
    const entityName = this.table.entityName(n.entityId) ?? n.name;
    const kind = n.weak ? 'weak alias' : 'alias';
    const alias = n.canonical ? 'the name' : `the ${kind} “${n.name}”${n.usedBy ? ` (used by ${n.usedBy})` : ''}`;
    const how: Record<MatchMethod, string> = {
      exact: `“${span}” matches ${alias} of ${entityName}`,
      'word-order': `“${span}” matches ${alias} of ${entityName} with the words in another order`,
      typo: `“${span}” is a close spelling of ${alias} of ${entityName}`,
      partial: `“${span}” is part of ${alias} of ${entityName}${unmatched?.length ? `, which also has ${unmatched.map((w) => `“${w}”`).join(', ')}` : ''}`,
    };
    return {
      entityId: n.entityId,
      entityName,
      score,
      method,
      matchedName: n.name,
      ...(n.usedBy ? { usedBy: n.usedBy } : {}),
      ...(n.weak ? { weak: true } : {}),
      span,
      ...(words ? { words } : {}),
      ...(unmatched && unmatched.length > 0 ? { unmatched } : {}),
      ...(extra && extra.length > 0 ? { extraWords: [...extra] } : {}),
      explanation: `${how[method]}${extra && extra.length > 0 ? `, but the name asked about also has ${extra.map((w) => `“${w}”`).join(', ')}` : ''} (score ${score.toFixed(2)}).`,
    };
  }
}

function atEdge(norm: string, word: string): boolean {
  const words = norm.split(' ');
  return words.length <= RESOLVER_LIMITS.shortNameWords || words[0] === word || words[words.length - 1] === word;
}
