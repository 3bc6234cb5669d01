import { editDistance, nameKey, normalizeName, normalizeText } from './normalize.js';

/** One name (canonical or alias) an entity is known by. */
export interface NameEntry {
  entityId: string;
  entityName: string;
  name: string;
  usedBy?: string;
  canonical: boolean;
}

export type MatchMethod = 'exact' | 'word-order' | 'typo' | 'partial';

export interface Match {
  entityId: string;
  entityName: string;
  /** 0..1; 1 is an exact name or alias. */
  score: number;
  method: MatchMethod;
  matchedName: string;
  usedBy?: string;
  /** The words of the question that matched. */
  span: string;
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
  /** Minimum score to offer a "did you mean" suggestion. */
  suggestFloor: number;
}

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = { threshold: 0.8, ambiguityMargin: 0.04, suggestFloor: 0.62 };

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
  did does doing devices device`
    .split(/\s+/)
    .filter(Boolean),
);

/** Generic words that cannot identify an entity on their own in a partial match. */
const WEAK_TOKENS = new Set(
  `group technology tech network networks department office us united states national security cyber company government
  bureau agency china chinese foreign service services international information systems system co inc ltd`.split(/\s+/),
);

interface IndexedName extends NameEntry {
  norm: string;
  tokens: string[];
  chars: number;
}

const MAX_SPAN_TOKENS = 8;

function tokenSimilarity(q: string, t: string): number {
  if (q === t) return 1;
  if (q.length < 4 || t.length < 4) return 0;
  const max = q.length >= 8 ? 2 : 1;
  const d = editDistance(q, t, max);
  if (d > max) return 0;
  return d === 1 ? 0.9 : 0.8;
}

/**
 * Finds the entity a question is about: exact alias, then word order, then typos and partial
 * names, each with a score and an explanation. Built once per knowledge version.
 */
export class Resolver {
  private readonly byNorm = new Map<string, IndexedName[]>();
  private readonly byKey = new Map<string, IndexedName[]>();
  private readonly byToken = new Map<string, IndexedName[]>();
  /** Token trigrams → tokens, to find misspelt words without scanning the vocabulary. */
  private readonly tokenGrams = new Map<string, Set<string>>();

  constructor(
    entries: readonly NameEntry[],
    private readonly options: ResolverOptions = DEFAULT_RESOLVER_OPTIONS,
  ) {
    for (const e of entries) {
      const norm = normalizeName(e.name);
      if (!norm) continue;
      const indexed: IndexedName = { ...e, norm, tokens: norm.split(' '), chars: norm.replace(/ /g, '').length };
      push(this.byNorm, norm, indexed);
      push(this.byKey, nameKey(norm), indexed);
      for (const t of new Set(indexed.tokens)) {
        if (!this.byToken.has(t)) for (const g of grams(t)) addToSet(this.tokenGrams, g, t);
        push(this.byToken, t, indexed);
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const list of this.byNorm.values()) n += list.length;
    return n;
  }

  /** Resolves the entity named anywhere in `text` (a whole question or just a name). */
  resolve(text: string): Resolution {
    const words = normalizeText(text).split(' ').filter(Boolean).slice(0, 64);
    const spans = candidateSpans(words);
    if (spans.length === 0) return { kind: 'none', phrase: '' };

    // Exact and word-order matches: the longest matching span wins. Names may start or end
    // with a question word ("Operator Panda", "Office of Foreign Assets Control"), so every
    // span with at least one meaningful word is tried here.
    for (const span of allSpans(words)) {
      const norm = normalizeName(span);
      const exact = this.byNorm.get(norm);
      if (exact) return this.decide(exact.map((n) => this.match(n, span, 1, 'exact')), span);
      const reordered = this.byKey.get(nameKey(norm));
      if (reordered) return this.decide(reordered.map((n) => this.match(n, span, 0.97, 'word-order')), span);
    }

    let best: Match[] = [];
    let bestSpan = '';
    for (const span of spans) {
      const found = this.fuzzy(span);
      if (found.length === 0) continue;
      const top = found[0]!.score;
      if (best.length === 0 || top > best[0]!.score + 1e-9) {
        best = found;
        bestSpan = span;
      }
    }
    if (best.length === 0) return { kind: 'none', phrase: longestPhrase(spans) };
    return this.decide(best, bestSpan);
  }

  private decide(matches: Match[], span: string): Resolution {
    const perEntity = new Map<string, Match>();
    for (const m of matches) {
      const prev = perEntity.get(m.entityId);
      if (!prev || m.score > prev.score || (m.score === prev.score && m.method === 'exact' && prev.method !== 'exact')) perEntity.set(m.entityId, m);
    }
    const ranked = [...perEntity.values()].sort((a, b) => b.score - a.score || a.entityName.localeCompare(b.entityName));
    const top = ranked[0]!;
    const close = ranked.filter((m) => top.score - m.score <= this.options.ambiguityMargin);
    if (close.length > 1 && top.score >= this.options.suggestFloor) return { kind: 'ambiguous', candidates: close.slice(0, 6), span };
    if (top.score >= this.options.threshold) return { kind: 'match', match: top };
    if (top.score >= this.options.suggestFloor) return { kind: 'suggest', match: top };
    return { kind: 'none', phrase: span };
  }

  private fuzzy(span: string): Match[] {
    const qTokens = normalizeName(span).split(' ').filter(Boolean);
    if (qTokens.length === 0) return [];
    // Every query token must match a token of the name (exactly or with a typo).
    const perToken = qTokens.map((q) => this.similarTokens(q));
    if (perToken.some((m) => m.size === 0)) return [];
    const candidates = new Set<IndexedName>();
    for (const [t] of perToken[0]!) for (const n of this.byToken.get(t) ?? []) candidates.add(n);

    const out: Match[] = [];
    for (const n of candidates) {
      let simSum = 0;
      let matchedChars = 0;
      let strong = false;
      const used = new Set<number>();
      let ok = true;
      for (let i = 0; i < qTokens.length; i++) {
        let bestSim = 0;
        let bestIdx = -1;
        n.tokens.forEach((t, idx) => {
          if (used.has(idx)) return;
          const s = perToken[i]!.get(t) ?? 0;
          if (s > bestSim) {
            bestSim = s;
            bestIdx = idx;
          }
        });
        if (bestIdx < 0) {
          ok = false;
          break;
        }
        used.add(bestIdx);
        simSum += bestSim;
        matchedChars += n.tokens[bestIdx]!.length;
        if (!WEAK_TOKENS.has(n.tokens[bestIdx]!) && !IGNORED_WORDS.has(n.tokens[bestIdx]!)) strong = true;
      }
      if (!ok || !strong) continue;
      const tokenSim = simSum / qTokens.length;
      const coverage = matchedChars / n.chars;
      const whole = used.size === n.tokens.length;
      const method: MatchMethod = whole ? 'typo' : 'partial';
      const score = whole ? tokenSim * 0.96 : tokenSim * (0.5 + 0.35 * coverage);
      out.push(this.match(n, span, round(score), method));
    }
    return out.sort((a, b) => b.score - a.score);
  }

  private similarTokens(q: string): Map<string, number> {
    const found = new Map<string, number>();
    if (this.byToken.has(q)) found.set(q, 1);
    if (q.length < 4) return found;
    const counts = new Map<string, number>();
    for (const g of grams(q)) for (const t of this.tokenGrams.get(g) ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [t, shared] of counts) {
      // Short words share few trigrams with their misspellings ("tehc"/"tech" share one).
      if (t === q || shared < (q.length <= 5 ? 1 : 2)) continue;
      const s = tokenSimilarity(q, t);
      if (s > 0) found.set(t, s);
    }
    return found;
  }

  private match(n: IndexedName, span: string, score: number, method: MatchMethod): Match {
    const alias = n.canonical ? 'the name' : `the alias “${n.name}”${n.usedBy ? ` (used by ${n.usedBy})` : ''}`;
    const how: Record<MatchMethod, string> = {
      exact: `“${span}” matches ${alias} of ${n.entityName}`,
      'word-order': `“${span}” matches ${alias} of ${n.entityName} with the words in another order`,
      typo: `“${span}” is a close spelling of ${alias} of ${n.entityName}`,
      partial: `“${span}” is part of ${alias} of ${n.entityName}`,
    };
    return {
      entityId: n.entityId,
      entityName: n.entityName,
      score,
      method,
      matchedName: n.name,
      ...(n.usedBy ? { usedBy: n.usedBy } : {}),
      span,
      explanation: `${how[method]} (score ${score.toFixed(2)}).`,
    };
  }
}

/** Contiguous word spans, longest first, that neither start nor end with an ignored word. */
function candidateSpans(words: string[]): string[] {
  const spans: string[] = [];
  for (let len = Math.min(MAX_SPAN_TOKENS, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const first = words[i]!;
      const last = words[i + len - 1]!;
      if (IGNORED_WORDS.has(first) || IGNORED_WORDS.has(last)) continue;
      spans.push(words.slice(i, i + len).join(' '));
    }
  }
  return spans;
}

/** Every contiguous span, longest first, that holds at least one word that is not ignored. */
function allSpans(words: string[]): string[] {
  const spans: string[] = [];
  for (let len = Math.min(MAX_SPAN_TOKENS, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const span = words.slice(i, i + len);
      if (span.some((w) => !IGNORED_WORDS.has(w))) spans.push(span.join(' '));
    }
  }
  return spans;
}

function longestPhrase(spans: string[]): string {
  return spans[0] ?? '';
}

function grams(token: string): string[] {
  const padded = ` ${token} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addToSet<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
