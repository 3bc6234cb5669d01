import { NAME_PLACEHOLDER } from './classifier.js';
import type { Token } from './tokens.js';

/** Openings and closings of chat that say nothing about what is asked ("hey quick one", "can someone tell me", "pls"). */
const OPENINGS = [
  ['hey'],
  ['hi'],
  ['hello'],
  ['ok'],
  ['okay'],
  ['so'],
  ['sorry'],
  ['quick', 'one'],
  ['quick', 'question'],
  ['quick', 'q'],
  ['can', 'someone', 'tell', 'me'],
  ['can', 'anyone', 'tell', 'me'],
  ['can', 'you', 'tell', 'me'],
  ['could', 'you', 'tell', 'me'],
  ['does', 'anyone', 'know'],
  ['anyone', 'know'],
  ['do', 'you', 'know'],
  ['i', 'need', 'to', 'know'],
  ['pls'],
  ['please'],
];
const CLOSINGS = new Set(['pls', 'please', 'thx', 'thanks', 'ty', 'asap', 'lol']);

/** The words without the chat around the question. */
export function withoutChatter(words: readonly string[]): string[] {
  let out = [...words];
  for (let changed = true; changed; ) {
    changed = false;
    for (const o of OPENINGS) {
      if (out.length > o.length && o.every((w, i) => out[i] === w)) {
        out = out.slice(o.length);
        changed = true;
      }
    }
  }
  while (out.length > 1 && CLOSINGS.has(out[out.length - 1]!)) out.pop();
  return out;
}

const MONTH =
  /^(jan|january|feb|february|mar|march|apr|april|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december)$/;

/**
 * The question's words as the classifier reads them: every name, known or not, as the
 * placeholder, every number as "0" and every month as "month" ("on 17 january 2025" reads like
 * "on 3 march 2024").
 */
export function maskedWords(tokens: readonly Token[], names: readonly { from: number; to: number }[]): string[] {
  const out: string[] = [];
  let i = 0;
  const word = (t: Token) => (/^\d+[a-z]?$/.test(t.norm) ? '0' : MONTH.test(t.norm) ? 'month' : t.norm);
  for (const m of [...names].sort((a, b) => a.from - b.from)) {
    if (m.from < i) continue;
    for (; i < m.from; i++) out.push(word(tokens[i]!));
    out.push(NAME_PLACEHOLDER);
    i = m.to;
  }
  for (; i < tokens.length; i++) out.push(word(tokens[i]!));
  return out;
}
