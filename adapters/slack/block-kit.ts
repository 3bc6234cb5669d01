import type { types } from '@slack/bolt';
import type { Card, CardElement, Citation, Reply } from '../../src/answer/reply.js';
import { escapeAndFit, escapeAndSplit, escapeSlack, mrkdwnLink } from './escape.js';

type Block = types.KnownBlock;
type Button = types.Button;

/** Slack's limits for one message (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** The notification text; Slack truncates beyond 40,000 and advises under 4,000. */
  fallbackText: 3000,
  /**
   * Slack rejects payloads well under 50 × 3,000 characters (`msg_blocks_too_long` at about 13k,
   * bolt-js issue 2509), so a part is also capped by the size of its blocks.
   */
  partChars: 11_000,
} as const;

/** The action ids of our buttons; choice buttons add `:<index>` to stay unique in a message. */
export const ACTIONS = { share: 'threatbrief_share', choice: 'threatbrief_choice', more: 'threatbrief_more' } as const;

/** At most this many citations are listed; a card with more says how many were left out. */
const MAX_LISTED_CITATIONS = 3 * SLACK_LIMITS.contextElements - 1;

export interface SlackMessage {
  /** The whole answer in plain text, escaped: the notification and accessibility fallback. */
  text: string;
  blocks: Block[];
}

export interface RenderOptions {
  /** The question as asked: the share and "more" buttons carry it, to answer it again. */
  question?: string;
  /** Adds a "Share in channel" button (for answers only the asker sees). */
  shareable?: boolean;
  /** Which part of an answer longer than one message, from 0. */
  part?: number;
  /** A context line on top, already safe mrkdwn (e.g. "Shared by <@U…>"). */
  attribution?: string;
}

/** The value of a "more" button: which question, which part. */
export interface MoreValue {
  q: string;
  part: number;
}

export function parseMoreValue(value: string | undefined): MoreValue | undefined {
  try {
    const v = JSON.parse(value ?? '') as Partial<MoreValue>;
    return typeof v.q === 'string' && Number.isInteger(v.part) && v.part! > 0 ? { q: v.q, part: v.part! } : undefined;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/**
 * Block Kit for a neutral reply: header, fields, sections, choices as buttons, notes, and the
 * citations as links. Every core string is escaped; every Slack limit is respected. An answer
 * too long for one message is split into parts, each ending with a "More" button for the next.
 */
export function renderReply(reply: Reply, opts: RenderOptions = {}): SlackMessage {
  const card = reply.card;
  const body = card.elements.flatMap(elementBlocks);
  const parts = splitParts(body, fixedBlockCount(card, opts));
  const index = Math.min(Math.max(opts.part ?? 0, 0), parts.length - 1);
  const last = index === parts.length - 1;
  const buttons: Button[] = [];
  if (opts.shareable && opts.question !== undefined && shareableIntent(reply)) buttons.push(shareButton(opts.question));
  if (!last && opts.question !== undefined) buttons.push(moreButton(opts.question, index + 1, parts.length));

  const title = card.title.trim() || 'ThreatBrief';
  const heading = index === 0 ? title : `${title} (part ${index + 1} of ${parts.length})`;
  const blocks: Block[] = [{ type: 'header', text: plain(heading, SLACK_LIMITS.header) }];
  if (opts.attribution) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: opts.attribution, verbatim: true }] });
  if (card.subtitle && index === 0) blocks.push(...contextOf([card.subtitle]));
  blocks.push(...parts[index]!);
  if (!last && opts.question === undefined) {
    blocks.push(
      ...contextOf([
        `This answer has ${parts.length - index - 1} more part(s) than fit in one Slack message; ask a narrower question to see the rest.`,
      ]),
    );
  }
  blocks.push(...citationBlocks(card.citations));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });

  const text = index === 0 ? reply.text.trim() || title : heading;
  return { text: escapeAndFit(text, SLACK_LIMITS.fallbackText), blocks };
}

/** The blocks of one card element; the switch has no default so that a new kind fails to compile. */
function elementBlocks(el: CardElement): Block[] {
  switch (el.kind) {
    case 'lead':
      return joinWithin(escapeAndSplit(`${el.line.text}${marks(el.line.cites)}`, SLACK_LIMITS.sectionText), SLACK_LIMITS.sectionText).map(
        (t) => ({
          type: 'section',
          text: mrkdwn(t),
        }),
      );
    case 'fields': {
      const texts = el.fields.map((f) => {
        const label = `*${escapeAndFit(f.label, 100)}*\n`;
        return label + escapeAndFit(`${f.value}${marks(f.cites)}`, SLACK_LIMITS.fieldText - label.length);
      });
      // At most 10 fields per section, and no more text than one section may hold.
      const groups: string[][] = [];
      let size = Infinity;
      for (const t of texts) {
        const group = groups[groups.length - 1];
        if (!group || group.length >= SLACK_LIMITS.fields || size + t.length > SLACK_LIMITS.sectionText) {
          groups.push([t]);
          size = t.length;
        } else {
          group.push(t);
          size += t.length;
        }
      }
      return groups.map((group) => ({ type: 'section', fields: group.map((t) => mrkdwn(t)) }));
    }
    case 'section': {
      const lines = el.lines.flatMap((l) => escapeAndSplit(`• ${l.text}${marks(l.cites)}`, SLACK_LIMITS.sectionText));
      if (el.heading) lines.unshift(...escapeAndSplit(el.heading, SLACK_LIMITS.sectionText - 2).map((h) => `*${h}*`));
      return joinWithin(lines, SLACK_LIMITS.sectionText).map((t) => ({ type: 'section', text: mrkdwn(t) }));
    }
    case 'choices': {
      const prompt: Block[] = joinWithin(escapeAndSplit(el.prompt, SLACK_LIMITS.sectionText), SLACK_LIMITS.sectionText).map((t) => ({
        type: 'section',
        text: mrkdwn(t),
      }));
      const buttons = el.choices.map(
        (c, i): Button => ({
          type: 'button',
          action_id: `${ACTIONS.choice}:${i}`,
          text: plain(c.label, SLACK_LIMITS.buttonText),
          value: c.command.slice(0, SLACK_LIMITS.buttonValue),
        }),
      );
      return [...prompt, ...chunk(buttons, SLACK_LIMITS.actionsElements).map((elements): Block => ({ type: 'actions', elements }))];
    }
    case 'note':
      return contextOf([el.text]);
  }
}

function citationBlocks(citations: readonly Citation[]): Block[] {
  const listed = citations.slice(0, citations.length > MAX_LISTED_CITATIONS + 1 ? MAX_LISTED_CITATIONS : citations.length);
  const items = listed.map(
    (c, i) => `[${i + 1}] ${mrkdwnLink(c.url, c.title)} — ${escapeSlack([c.publisher, c.date].filter(Boolean).join(', '))}`,
  );
  if (listed.length < citations.length) items.push(`…and ${citations.length - listed.length} more sources, listed in the message text.`);
  return chunk(
    items.map((t) => (t.length <= SLACK_LIMITS.sectionText ? t : escapeAndFit(t, SLACK_LIMITS.sectionText))),
    SLACK_LIMITS.contextElements,
  ).map((group): Block => ({ type: 'context', elements: group.map((t) => mrkdwn(t)) }));
}

/** Context blocks for plain core text, split to fit the per-element and per-block limits. */
function contextOf(texts: string[]): Block[] {
  const pieces = texts.flatMap((t) => escapeAndSplit(t.trim(), SLACK_LIMITS.sectionText)).filter((t) => t.length > 0);
  return chunk(pieces, SLACK_LIMITS.contextElements).map((group) => ({ type: 'context', elements: group.map((t) => mrkdwn(t)) }));
}

/** How many blocks every part carries besides the body: header, attribution, subtitle, citations, buttons, "more" note. */
function fixedBlockCount(card: Card, opts: RenderOptions): number {
  return 1 + (opts.attribution ? 1 : 0) + (card.subtitle ? 1 : 0) + citationBlocks(card.citations).length + 1 + 1;
}

/** Splits body blocks into message parts that fit both the block limit and the size cap. */
function splitParts(body: Block[], fixed: number): Block[][] {
  const room = Math.max(1, SLACK_LIMITS.blocks - fixed);
  const parts: Block[][] = [[]];
  let size = 0;
  for (const block of body) {
    const bytes = blockChars(block);
    const current = parts[parts.length - 1]!;
    if (current.length > 0 && (current.length >= room || size + bytes > SLACK_LIMITS.partChars)) {
      parts.push([block]);
      size = bytes;
    } else {
      current.push(block);
      size += bytes;
    }
  }
  return parts;
}

/** The characters a block shows (its texts), plus a little for its structure. */
function blockChars(block: Block): number {
  switch (block.type) {
    case 'section':
      return 50 + (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length + 40, 0);
    case 'context':
      return 30 + block.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0) + 40, 0);
    default:
      return JSON.stringify(block).length;
  }
}

function shareableIntent(reply: Reply): boolean {
  switch (reply.intent) {
    case 'clarify':
    case 'error':
    case 'too-long':
    case 'empty':
      return false;
    default:
      return true;
  }
}

function shareButton(question: string): Button {
  return {
    type: 'button',
    action_id: ACTIONS.share,
    text: plain('Share in channel', SLACK_LIMITS.buttonText),
    value: question.slice(0, SLACK_LIMITS.buttonValue),
  };
}

function moreButton(question: string, part: number, total: number): Button {
  const value: MoreValue = { q: question.slice(0, SLACK_LIMITS.buttonValue - 40), part };
  return {
    type: 'button',
    action_id: ACTIONS.more,
    text: plain(`More (part ${part + 1} of ${total})`, SLACK_LIMITS.buttonText),
    value: JSON.stringify(value),
  };
}

function marks(cites: readonly number[]): string {
  return cites.length > 0 ? ` ${cites.map((c) => `[${c}]`).join('')}` : '';
}

function mrkdwn(text: string): types.MrkdwnElement {
  // verbatim: Slack would otherwise turn bare URLs, #channel names and some mentions into links.
  return { type: 'mrkdwn', text, verbatim: true };
}

function plain(raw: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: escapeAndFit(raw, max), emoji: false };
}

/** Already-escaped lines joined with newlines into texts of at most `max` characters. */
function joinWithin(lines: string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > max) {
      out.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) out.push(current);
  return out;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
