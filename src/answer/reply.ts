import type { Aspect } from '../understand/aspect-phrasings.js';
/**
 * The platform-neutral reply: what the core answers, before any adapter renders it as Block
 * Kit, an Adaptive Card or terminal text. `text` is always the whole answer in plain text.
 */

export interface Citation {
  sourceId: string;
  title: string;
  publisher: string;
  url?: string;
  date?: string;
}

/** A statement shown to the user; `cites` are 1-based indices into the card's citations. */
export interface Line {
  text: string;
  cites: number[];
}

export interface Field {
  label: string;
  value: string;
  cites: number[];
}

/** A button that asks the bot `command` (as if the user typed it). */
export interface Choice {
  label: string;
  command: string;
}

export type CardElement =
  /** The direct answer, shown first and plainly, as one paragraph. */
  | { kind: 'lead'; line: Line }
  | { kind: 'fields'; fields: Field[] }
  | { kind: 'section'; heading?: string; lines: Line[] }
  | { kind: 'choices'; prompt: string; choices: Choice[] }
  | { kind: 'note'; text: string };

export interface Card {
  title: string;
  subtitle?: string;
  elements: CardElement[];
  citations: Citation[];
}

export type Intent =
  | Aspect
  | 'search'
  | 'clarify'
  | 'unknown'
  | 'too-long'
  | 'empty'
  | 'error'
  | 'digest'
  | 'subscribe'
  | 'denied'
  | 'rate-limited'
  | 'no-knowledge';

export interface EntityRef {
  id: string;
  name: string;
  type: string;
}

export interface Reply {
  intent: Intent;
  /** What the question asked, as the bot read it (absent for commands and errors). */
  aspect?: Aspect;
  text: string;
  card: Card;
  citations: Citation[];
  entities: EntityRef[];
  /** Why the entity was chosen, when one was. */
  match?: { entityId: string; score: number; method: string; explanation: string };
  /** For sanctions questions: the screening outcome, the score against the threshold, and what was checked. */
  screening?: Screening;
  /** How the question was read, step by step (shown by `ask --explain`). */
  explain?: string[];
}

/**
 * The verdict of a sanctions question, for scripts (`ask --json`): "listed" (a name on a list or
 * a curated designation), "review" (a possible match a person should look at), "no-record"
 * (nothing close on the lists checked: `checked` says which) or "no-list" (no sanctions list is
 * loaded, so nothing can be said beyond the curated designations: never a "no").
 */
export interface Screening {
  outcome: 'listed' | 'review' | 'no-record' | 'no-list';
  /** The entry's name as listed, when one was matched. */
  listedName?: string;
  /** The list ("OFAC … (SDN)") or "curated designations". */
  list?: string;
  edition?: string;
  entry?: string;
  /** The entry's type: person, organization, vessel, aircraft. */
  type?: string;
  /** The name or alias that matched, when not the listed name. */
  matchedName?: string;
  /** 0..1, for list matches. */
  score?: number;
  /** Why the verdict is what it is, in words. */
  basis: string;
  /** Where "listed" starts (the score bands are in docs/screening.md). */
  threshold: number;
  /** The lists and designations checked. */
  checked: string;
  /** The name as screened in Latin letters, when it was typed in another script. */
  transliterated?: string;
}

function marks(cites: readonly number[]): string {
  return cites.length ? ` ${cites.map((c) => `[${c}]`).join('')}` : '';
}

export function formatCitation(c: Citation): string {
  const parts = [c.publisher, `“${c.title}”`];
  if (c.date) parts.push(c.date);
  if (c.url) parts.push(c.url);
  return parts.join(', ');
}

/**
 * Plain-text rendering of a card: the `text` of every reply and the terminal's output. An
 * answer's text starts with its direct answer (`title: false`); a digest's with its title.
 */
export function cardToText(card: Card, { title = true }: { title?: boolean } = {}): string {
  const out: string[] = title ? [card.subtitle ? `${card.title} — ${card.subtitle}` : card.title] : [];
  for (const el of card.elements) {
    switch (el.kind) {
      case 'lead':
        if (out.length > 0) out.push('');
        out.push(`${el.line.text}${marks(el.line.cites)}`);
        break;
      case 'fields':
        for (const f of el.fields) out.push(`${f.label}: ${f.value}${marks(f.cites)}`);
        break;
      case 'section':
        out.push('');
        if (el.heading) out.push(`${el.heading}:`);
        for (const l of el.lines) out.push(`• ${l.text}${marks(l.cites)}`);
        break;
      case 'choices':
        out.push('', el.prompt);
        for (const c of el.choices) out.push(`• ${c.label}  (ask: ${c.command})`);
        break;
      case 'note':
        out.push('', el.text);
        break;
    }
  }
  if (card.citations.length > 0) {
    out.push('', 'Sources:');
    for (const [i, c] of card.citations.entries()) out.push(`[${i + 1}] ${formatCitation(c)}`);
  }
  return out.join('\n');
}

export function makeReply(intent: Intent, card: Card, entities: EntityRef[] = [], match?: Reply['match'], screening?: Screening): Reply {
  const reply: Reply = { intent, text: cardToText(card), card, citations: card.citations, entities };
  if (match) reply.match = match;
  if (screening) reply.screening = screening;
  return reply;
}
