import { isLegalForm } from '../base/normalize.js';
import { RESOLVER_LIMITS, RESOLVER_WEIGHTS } from './resolver-weights.js';
import { IGNORED_WORDS } from './resolver-words.js';

/** A span of the question, with the meaningful words next to it that it leaves out. */
export interface LocatedSpan {
  text: string;
  extra: string[];
}

/**
 * When screening, what a match on `span` is worth next to a match of the whole name asked
 * about: `RESOLVER_WEIGHTS.screeningCoverage` (base + share ×) the share of the name's letters the span holds (1 when it holds all).
 */
export function nameCoverage(span: LocatedSpan): number {
  if (span.extra.length === 0) return 1;
  const inSpan = span.text.replace(/ /g, '').length;
  const around = span.extra.join('').length;
  const { base, share } = RESOLVER_WEIGHTS.screeningCoverage;
  return base + share * (inSpan / (inSpan + around));
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
export function candidateSpans(words: string[], stop: ReadonlySet<string>): LocatedSpan[] {
  const spans: LocatedSpan[] = [];
  for (let len = Math.min(RESOLVER_LIMITS.spanWords, words.length); len >= 1; len--) {
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
export function allSpans(words: string[], stop: ReadonlySet<string>): LocatedSpan[] {
  const spans: LocatedSpan[] = [];
  for (let len = Math.min(RESOLVER_LIMITS.spanWords, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const span = words.slice(i, i + len);
      if (span.some((w) => !IGNORED_WORDS.has(w))) spans.push({ text: span.join(' '), extra: extraWords(words, i, len, stop) });
    }
  }
  return spans;
}

export function longestPhrase(spans: string[]): string {
  return spans[0] ?? '';
}
