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
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
  msteams?: Record<string, unknown>;
}

/** Teams refuses messages above about 28 KB; cards are cut well before that. */
export const MAX_CARD_CHARS = 24_000;

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
      return [rich([run(el.prompt)], { spacing: 'Medium' })];
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

export function renderAdaptiveCard(card: Card): AdaptiveCard {
  const body: Record<string, unknown>[] = [rich([run(card.title, { size: 'Large', weight: 'Bolder' })])];
  if (card.subtitle) body.push(rich([run(card.subtitle, { isSubtle: true })], { spacing: 'None' }));
  const content = card.elements.flatMap(elementBlocks);
  const citations = card.citations.map(citationBlock);
  const actions = card.elements.flatMap((el) =>
    el.kind === 'choices'
      ? el.choices.slice(0, 6).map((c) => ({
          type: 'Action.Submit',
          title: c.label.slice(0, 80),
          data: { threatbrief: 'choice', command: c.command } satisfies ChoiceData,
        }))
      : [],
  );

  // Cut from the end of the content, keeping the title, the sources and a note that says so.
  const sources = citations.length
    ? [rich([run('Sources', { weight: 'Bolder' })], { spacing: 'Medium', separator: true }), ...citations]
    : [];
  let kept = content;
  const size = () => JSON.stringify([body, kept, sources, actions]).length;
  if (size() > MAX_CARD_CHARS) {
    while (kept.length > 1 && size() > MAX_CARD_CHARS - 300) kept = kept.slice(0, -1);
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
    body: [...body, ...kept, ...sources],
    msteams: { width: 'Full' },
  };
  if (actions.length) out.actions = actions;
  return out;
}
