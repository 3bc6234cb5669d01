import type { Card, CardElement, Citation, Line } from '../../src/answer/reply.js';

/**
 * Adaptive Card 1.5 (the highest Teams renders) for a neutral card. Text goes in RichTextBlock
 * TextRuns, which Teams shows literally: a question echoed back cannot turn into a link,
 * a mention or formatting. Citations are TextRuns that open their URL; choices are
 * Action.Submit buttons whose data carries the question to ask.
 */

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  /** What a client that cannot show the card shows instead: the short summary. */
  fallbackText?: string;
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
  msteams?: Record<string, unknown>;
}

/**
 * Teams refuses messages above about 28 KB. Everything sent counts (card, summary, activity
 * fields), in UTF-8 bytes; a message is cut well before the limit.
 */
export const MAX_MESSAGE_BYTES = 24_000;

/** Buttons Teams shows on a card before it hides the rest behind "…"; every choice is also listed in the body. */
const MAX_BUTTONS = 6;
/** Teams clips a button's title to its width; the full label is in the body. */
const BUTTON_TITLE_CHARS = 80;

/** The data an Action.Submit button sends back: the question it asks. */
export interface ChoiceData {
  threatbrief: 'choice';
  command: string;
}

function run(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextRun', text, ...extra };
}

function rich(runs: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'RichTextBlock', inlines: runs, ...extra };
}

function marks(cites: readonly number[]): string {
  return cites.length ? ` ${cites.map((c) => `[${c}]`).join('')}` : '';
}

function lineBlock(line: Line): Record<string, unknown> {
  return rich([run(`• ${line.text}${marks(line.cites)}`)], { spacing: 'Small' });
}

function elementBlocks(el: CardElement): Record<string, unknown>[] {
  switch (el.kind) {
    case 'lead':
      return [rich([run(`${el.line.text}${marks(el.line.cites)}`, { weight: 'Bolder' })], { spacing: 'Medium' })];
    case 'fields':
      return el.fields.map((f) =>
        rich([run(`${f.label}: `, { weight: 'Bolder' }), run(`${f.value}${marks(f.cites)}`)], { spacing: 'Small' }),
      );
    case 'section':
      return [...(el.heading ? [rich([run(el.heading, { weight: 'Bolder' })], { spacing: 'Medium' })] : []), ...el.lines.map(lineBlock)];
    case 'choices':
      // Listed in full: button titles are clipped by Teams ("Heart Typ…") and only the first few are buttons.
      return [
        rich([run(el.prompt)], { spacing: 'Medium' }),
        ...el.choices.map((c) =>
          rich([run(`• ${c.label}`, { weight: 'Bolder' }), run(` — ask “${c.command}”`, { isSubtle: true })], { spacing: 'None' }),
        ),
      ];
    case 'note':
      return [rich([run(el.text, { isSubtle: true, size: 'Small' })], { spacing: 'Medium' })];
  }
}

function citationBlock(c: Citation, i: number): Record<string, unknown> {
  const label = `[${i + 1}] ${c.publisher}, “${c.title}”${c.date ? `, ${c.date}` : ''}`;
  return rich(
    [run(label, { size: 'Small', ...(c.url ? { selectAction: { type: 'Action.OpenUrl', url: c.url }, color: 'Accent' } : {}) })],
    { spacing: 'None' },
  );
}

export interface RenderCardOptions {
  /** The card's fallbackText (the reply's summary). */
  fallbackText?: string;
  /** Bytes the rest of the message takes besides the card (the activity's summary and fields). */
  reserved?: number;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

export function renderAdaptiveCard(card: Card, { fallbackText, reserved = 0 }: RenderCardOptions = {}): AdaptiveCard {
  const body: Record<string, unknown>[] = [rich([run(card.title, { size: 'Large', weight: 'Bolder' })])];
  if (card.subtitle) body.push(rich([run(card.subtitle, { isSubtle: true })], { spacing: 'None' }));
  const content = card.elements.flatMap(elementBlocks);
  const citations = card.citations.map(citationBlock);
  const actions = card.elements.flatMap((el) =>
    el.kind === 'choices'
      ? el.choices.slice(0, MAX_BUTTONS).map((c) => ({
          type: 'Action.Submit',
          title: c.label.slice(0, BUTTON_TITLE_CHARS),
          data: { threatbrief: 'choice', command: c.command } satisfies ChoiceData,
        }))
      : [],
  );

  // Cut from the end of the content, keeping the title, the sources and a note that says so.
  const sources = citations.length
    ? [rich([run('Sources', { weight: 'Bolder' })], { spacing: 'Medium', separator: true }), ...citations]
    : [];
  let kept = content;
  const budget = MAX_MESSAGE_BYTES - reserved;
  // The size of the card with `n` content blocks: the fixed parts, then each block and its comma.
  const fixed = bytes([fallbackText ?? '', body, [], sources, actions]);
  const blockBytes = content.map((b) => bytes(b) + 1);
  let total = fixed + blockBytes.reduce((a, b) => a + b, 0);
  if (total > budget) {
    // Room for the note that says so.
    const NOTE_BYTES = 300;
    while (kept.length > 1 && total > budget - NOTE_BYTES) {
      total -= blockBytes[kept.length - 1]!;
      kept = kept.slice(0, -1);
    }
    kept = [
      ...kept,
      rich([
        run(`Answer shortened: ${content.length - kept.length} more lines did not fit in one Teams message. Ask a narrower question.`, {
          isSubtle: true,
        }),
      ]),
    ];
  }
  const out: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    ...(fallbackText ? { fallbackText } : {}),
    body: [...body, ...kept, ...sources],
    msteams: { width: 'Full' },
  };
  if (actions.length) out.actions = actions;
  return out;
}
