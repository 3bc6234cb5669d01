import { normalizeText } from '../base/normalize.js';

/** One word of a question, where it stands in the text, and the forms it is matched in. */
export interface Token {
  /** As typed. */
  raw: string;
  /** Lower-case, without diacritics or punctuation ("Typhoon's" → "typhoon"). */
  norm: string;
  /** The singular of a plural ("typhoons" → "typhoon"), when it could be one. */
  singular?: string;
  start: number;
  end: number;
}

/**
 * Letters and digits, with apostrophes inside a word ("Qur'an") and dotted abbreviations
 * ("U.S.", "S.R.O.") kept whole, as the name normaliser reads them.
 */
const WORD = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** A plural ending worth trying without: "typhoons", "botnets", not "us", "ss" or short words. */
const PLURAL = /^(?=.{4,})(.*[^su])s$/;

/**
 * The words of a question with their positions. A possessive "'s" is dropped ("Flax Typhoon's
 * targets" names Flax Typhoon); a word that could be a plural also carries its singular.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const bare = raw.replace(/['’]s$/i, '');
    const norm = normalizeText(bare);
    if (!norm) continue;
    const start = m.index;
    // normalizeText may split a word ("S.R.O." stays whole; "a1'b" does not): keep its parts.
    for (const part of norm.split(' ')) {
      const token: Token = { raw, norm: part, start, end: start + raw.length };
      const singular = PLURAL.exec(part)?.[1];
      if (singular) token.singular = singular;
      tokens.push(token);
    }
  }
  return tokens;
}

/** The text a run of tokens covers, as the user typed it. */
export function typedSpan(text: string, tokens: readonly Token[], from: number, to: number): string {
  const first = tokens[from];
  const last = tokens[to - 1];
  if (!first || !last) return '';
  return text.slice(first.start, last.end);
}
