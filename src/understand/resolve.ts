import { editDistance, isLegalForm, nameKey, normalizeName, normalizeText, surnameWords, variantKey } from '../base/normalize.js';
import type { NameEntry, NameRow, NameTable } from '../store/name-index.js';

export type { NameEntry, NameRow, NameTable };

export type MatchMethod = 'exact' | 'word-order' | 'typo' | 'partial';

/** One word of the question paired with the word of the name it matched. */
export interface WordPair {
  query: string;
  name: string;
  /** Letters changed, added, removed or swapped (0 for the same word). */
  edits: number;
}

export interface Match {
  entityId: string;
  entityName: string;
  /** 0..1; 1 is an exact name or alias. */
  score: number;
  method: MatchMethod;
  matchedName: string;
  usedBy?: string;
  /** The name matched is a weak alias (see `NameEntry.weak`). */
  weak?: boolean;
  /** The words of the question that matched. */
  span: string;
  /** For typo and partial matches: which word matched which, and the name's words left unmatched. */
  words?: WordPair[];
  unmatched?: string[];
  /** When screening: words of the name asked about that the matched name does not have. */
  extraWords?: string[];
  /** A sentence a person can read: why this entity was chosen. */
  explanation: string;
}

export type Resolution =
  | { kind: 'match'; match: Match }
  | { kind: 'ambiguous'; candidates: Match[]; span: string }
  | { kind: 'suggest'; match: Match }
  | { kind: 'none'; phrase: string };

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

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = { threshold: 0.8, ambiguityMargin: 0.04, suggestFloor: 0.62 };

/** How much a weak alias's score is multiplied by: an exact weak alias scores 0.75. */
export const WEAK_ALIAS_FACTOR = 0.75;

/** How close two romanisations of one name word are ("aleksey"/"alexey"). */
const VARIANT_SIMILARITY = 0.95;

/** The most a partial name match can score (a person without middle names). */
const PARTIAL_MAX = 0.88;

/**
 * How close a misspelt word is: 1 less 0.9 × the share of letters changed, so one letter in a
 * four-letter word ("yang"/"wang") costs more than one in a ten-letter word; a swap of two
 * neighbouring letters ("tehc") costs half an edit.
 */
function typoSimilarity(q: string, t: string, edits: number): number {
  const swap = edits === 1 && q.length === t.length && [...q].sort().join('') === [...t].sort().join('');
  return round(Math.max(0.5, 1 - (0.9 * (swap ? 0.5 : edits)) / Math.max(q.length, t.length)));
}

/** A span of the question, with the meaningful words next to it that it leaves out. */
interface LocatedSpan {
  text: string;
  extra: string[];
}

/**
 * When screening, what a match on `span` is worth next to a match of the whole name asked
 * about: 0.4 + 0.45 × the share of the name's letters the span holds (1 when it holds all).
 */
function nameCoverage(span: LocatedSpan): number {
  if (span.extra.length === 0) return 1;
  const inSpan = span.text.replace(/ /g, '').length;
  const around = span.extra.join('').length;
  return 0.4 + 0.45 * (inSpan / (inSpan + around));
}

/** Words that never start or end a name span: question words and the vocabulary of intents. */
export const IGNORED_WORDS = new Set(
  `a an the of in on at to for by from with about and or but is are was were be been being am do does did done has have had
  who whom whose what which when where why how whats whos hows wheres any anything all some me my i you your we our us it its
  this that these those there here please tell show give know find get can could would should will shall may might must
  latest new news recent update updates advisory advisories alert alerts report reports bulletin bulletins
  sanction sanctions sanctioned sanctioning designated designation designations listed list blocked embargo embargoed blacklisted sdn
  linked link links tied ties connected connection connections associated affiliated related relation relations relationship behind
  works work run runs running operate operates operated operator operators control controls controlled attributed attribution
  many much number size big large count how long since active first reported seen identified discovered appear appeared start started
  target targets targeted targeting victim victims sector sectors industry industries region regions country countries attack attacks attacked hit hits compromise compromised
  access initial gain gains break breaks into in hack hacks hacked tool tools tooling ttp ttps technique techniques method methods tradecraft use uses used using
  profile describe explain info information summary details detail mean means meaning
  help commands
  did does doing devices device
  under currently still now ever subject against placed put added
  company firm person entity individual vessel ship aircraft organization organisation`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * When screening, the words that end the name asked about ("is … sanctioned?"): question words
 * and the vocabulary of sanctions. Everything else next to a match ("industries", "group",
 * "of") may be part of the name, unlike in other questions ("which industries does X target?").
 */
const SCREENING_STOP = new Set(
  `a an the is are was were be been being am do does did has have had who whom whose what which when where why how whats whos
  any anything me my i you your we our us it its this that these those there here please tell show give know find check screen
  can could would should will shall may might must sanction sanctions sanctioned sanctioning designated designation designations
  listed list lists blocked embargo embargoed blacklisted under currently still now ever subject against placed put added
  on by ofac treasury name named called company firm person entity individual vessel ship aircraft organization organisation
  mean means meaning effect effects impact status why reason about with from for to at into since yet ok okay pls`.split(/\s+/),
);

/** Generic words that cannot identify an entity on their own in a partial match. */
const WEAK_TOKENS = new Set(
  `group technology tech network networks department office us united states national security cyber company government
  bureau agency china chinese foreign service services international information systems system co inc ltd
  airlines airline airways trading trade shipping bank industries industrial enterprise enterprises investment investments
  general global logistics import export commercial development ministry`.split(/\s+/),
);

const MAX_SPAN_TOKENS = 8;
/** Fuzzy candidates turned into matches per span; the rest cannot change the answer. */
const MAX_MATCHES_PER_SPAN = 40;

/** Names held in memory, for tests and for callers that have a list of names at hand. */
export class MemoryNameTable implements NameTable {
  private readonly rows: NameRow[] = [];
  private readonly norms = new Map<string, NameRow[]>();
  private readonly keys = new Map<string, NameRow[]>();
  private readonly names = new Map<string, string>();

  constructor(entries: readonly NameEntry[]) {
    for (const e of entries) {
      const norm = normalizeName(e.name);
      if (!norm) continue;
      const row: NameRow = { entityId: e.entityId, name: e.name, norm, canonical: e.canonical, weak: e.weak === true };
      if (e.usedBy) row.usedBy = e.usedBy;
      this.rows.push(row);
      push(this.norms, norm, row);
      push(this.keys, nameKey(norm), row);
      if (!this.names.has(e.entityId) || e.canonical) this.names.set(e.entityId, e.entityName);
    }
  }

  get size(): number {
    return this.rows.length;
  }
  byNorm(norm: string): readonly NameRow[] {
    return this.norms.get(norm) ?? [];
  }
  byKey(key: string): readonly NameRow[] {
    return this.keys.get(key) ?? [];
  }
  entityName(entityId: string): string | undefined {
    return this.names.get(entityId);
  }
  all(): readonly NameRow[] {
    return this.rows;
  }
}

/** A fuzzy candidate before it becomes a `Match`: cheap to make by the thousand. */
interface Scored {
  row: NameRow;
  score: number;
  method: MatchMethod;
  words: WordPair[];
  unmatched: string[];
}

/** What a query word may match in the vocabulary: token id → similarity and edits. */
type Similar = Map<number, { sim: number; edits: number }>;

/**
 * The index for typo and partial matches, built once from every name: words are interned to
 * integer ids; each name is a run of word ids; each word lists the names that hold it; and
 * every word of four letters or more is reachable from its one-letter deletions, so that a
 * misspelt word finds its candidates with a few map lookups (the SymSpell idea) instead of a
 * scan of the vocabulary.
 */
class TokenIndex {
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
          if (t.length >= 4) {
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
    if (q.length < 4 || q.length > MAX_TYPO_WORD) return found;
    const max = q.length >= 8 ? 2 : 1;
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
      const d = editDistance(q, t, 3);
      // Another romanisation of the same name ("aleksey"/"alexey", "evgeny"/"evgeniy") is a
      // spelling convention, not a typo: it costs little.
      if (d <= 3 && (found.get(id)?.sim ?? 0) < VARIANT_SIMILARITY) found.set(id, { sim: VARIANT_SIMILARITY, edits: d });
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
    const words = normalizeText(text).split(' ').filter(Boolean).slice(0, 64);
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
      let base = 1;
      if (rows.length === 0) {
        rows = preferCanonical(this.table.byKey(nameKey(norm)));
        method = 'word-order';
        base = 0.97;
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
      // Spans come longest first. A typo match of a whole name scores at most 0.96 and a
      // partial one at most 0.88; when screening, a span that leaves words of the name out
      // scores less again. A span that cannot beat the best so far is not worth looking at.
      const bound = screening && span.extra.length > 0 ? 0.96 * nameCoverage(span) : 0.96;
      if (bound <= top + 1e-9 || bound < this.options.suggestFloor) continue;
      const found = this.fuzzy(index, span, similarTo, top >= PARTIAL_MAX, screening);
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
    if (close.length > 1 && top.score >= this.options.suggestFloor) return { kind: 'ambiguous', candidates: close.slice(0, 6), span };
    if (top.score >= this.options.threshold) return { kind: 'match', match: top };
    if (top.score >= this.options.suggestFloor) return { kind: 'suggest', match: top };
    return { kind: 'none', phrase: span };
  }

  private fuzzy(
    index: TokenIndex,
    located: LocatedSpan,
    similarTo: (q: string) => Similar,
    wholeOnly: boolean,
    screening: boolean,
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
    const margin = this.options.ambiguityMargin;
    const floor = this.options.suggestFloor;

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
      let used = 0; // bit set of name word positions already paired (names over 31 words pair greedily)
      let ok = true;
      for (let q = 0; q < k; q++) {
        let bestSim = 0;
        let bestPos = -1;
        const similar = perToken[q]!;
        for (let p = start; p < end; p++) {
          const bit = p - start < 31 ? 1 << (p - start) : 0;
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
        if (bestPos - start < 31) used |= 1 << (bestPos - start);
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
      let score = whole ? simProduct * 0.96 : simProduct * (0.5 + 0.35 * coverage);
      if (!whole) {
        // A number left out ("BALTIC ENERGY 6" for "Baltic Energy") tells listed things apart.
        if (index.hasNumber[i] && hasUnmatchedNumber(index, start, end, used)) score *= 0.9;
        const surname = index.surname[i]!;
        const needed = (1 << (surname + 1)) - 1;
        const surnameMask = (1 << surname) - 1;
        if (surname > 0 && length <= 31 && k >= 2 && (used & needed) === needed) {
          // A person named by surname and first given name, without middle names or patronymic
          // ("Evgeniy Bogachev" for "BOGACHEV, Evgeniy Mikhailovich"), is a strong match.
          score = Math.max(score, simProduct * PARTIAL_MAX);
        } else if (surname > 0 && extra === 0 && k === surname && (used & surnameMask) === surnameMask) {
          // The surname alone ("is Korobov sanctioned?"): worth a review, never a yes.
          score = Math.max(score, simProduct * 0.66);
        } else if (extra > 0) {
          // Part of a name matched while the question says more around it: for a person listed as
          // "HASSAN, Jamil", "George Hassan" names someone else; for other names the extra words
          // are likely part of a different name too ("Acme Caribbean Airlines").
          score *= surname > 0 ? 0.8 : 0.9;
        }
      }
      // Words in another order cost what they cost for an exact match (0.97), except for people,
      // whom lists write surname first.
      if (index.surname[i] === 0 && !inOrder(pos, k)) score *= 0.97;
      score *= spanFactor;
      if (index.rows[i]!.weak) score *= WEAK_ALIAS_FACTOR;
      score = round(score);
      // Below the suggestion floor a candidate can change no answer.
      if (score < floor || score < bestScore - margin - 1e-9) continue;
      if (score > bestScore) bestScore = score;
      kept.push({ i, score });
    }
    const out: Scored[] = [];
    for (const { i, score } of kept
      .filter((c) => c.score >= bestScore - margin - 1e-9)
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_MATCHES_PER_SPAN)) {
      out.push(this.explainScored(index, i, score, qTokens, perToken));
    }
    return out;
  }

  /** Pairs the words again for a kept candidate, to say which matched which. */
  private explainScored(index: TokenIndex, i: number, score: number, qTokens: string[], perToken: readonly Similar[]): Scored {
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

  /**
   * `extra`: words of the name asked about that the match leaves out (when screening).
   */
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
    const score = method === 'typo' || method === 'partial' ? round(base) : round(n.weak ? base * WEAK_ALIAS_FACTOR : base);
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

/** Words longer than this are matched only exactly. */
const MAX_TYPO_WORD = 32;

/** Names up to this many words are found by any one of their words. */
const SHORT_NAME_WORDS = 3;

function atEdge(norm: string, word: string): boolean {
  const words = norm.split(' ');
  return words.length <= SHORT_NAME_WORDS || words[0] === word || words[words.length - 1] === word;
}

function inOrder(pos: Int32Array, k: number): boolean {
  for (let q = 1; q < k; q++) if (pos[q]! < pos[q - 1]!) return false;
  return true;
}

function hasUnmatchedNumber(index: TokenIndex, start: number, end: number, used: number): boolean {
  for (let p = start; p < end && p - start < 31; p++) {
    if (!(used & (1 << (p - start))) && index.numeric[index.nameTokens[p]!]) return true;
  }
  return false;
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

function isNameTable(x: readonly NameEntry[] | NameTable): x is NameTable {
  return !Array.isArray(x);
}

/**
 * When a name is the canonical name of exactly one entity, it means that entity, even if other
 * entities list it as an alias (vendors' naming tables map "APT27" to several actors).
 */
function preferCanonical(rows: readonly NameRow[]): readonly NameRow[] {
  if (rows.length < 2) return rows;
  const owners = new Set(rows.filter((r) => r.canonical).map((r) => r.entityId));
  if (owners.size !== 1) return rows;
  const [owner] = owners;
  return rows.filter((r) => r.entityId === owner);
}

/**
 * The words touching words[i, i + len) on either side up to a `stop` word (the rest of the
 * name it is part of), legal forms ("GmbH", "LLC") aside.
 */
function extraWords(words: string[], i: number, len: number, stop: ReadonlySet<string>): string[] {
  const extra: string[] = [];
  for (let j = i - 1; j >= 0 && !stop.has(words[j]!); j--) extra.unshift(words[j]!);
  for (let j = i + len; j < words.length && !stop.has(words[j]!); j++) extra.push(words[j]!);
  return extra.filter((w) => !isLegalForm(w));
}

/** Contiguous word spans, longest first, that neither start nor end with an ignored word. */
function candidateSpans(words: string[], stop: ReadonlySet<string>): LocatedSpan[] {
  const spans: LocatedSpan[] = [];
  for (let len = Math.min(MAX_SPAN_TOKENS, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const first = words[i]!;
      const last = words[i + len - 1]!;
      if (IGNORED_WORDS.has(first) || IGNORED_WORDS.has(last)) continue;
      spans.push({ text: words.slice(i, i + len).join(' '), extra: extraWords(words, i, len, stop) });
    }
  }
  return spans;
}

/** Every contiguous span, longest first, that holds at least one word that is not ignored. */
function allSpans(words: string[], stop: ReadonlySet<string>): LocatedSpan[] {
  const spans: LocatedSpan[] = [];
  for (let len = Math.min(MAX_SPAN_TOKENS, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const span = words.slice(i, i + len);
      if (span.some((w) => !IGNORED_WORDS.has(w))) spans.push({ text: span.join(' '), extra: extraWords(words, i, len, stop) });
    }
  }
  return spans;
}

function longestPhrase(spans: string[]): string {
  return spans[0] ?? '';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
