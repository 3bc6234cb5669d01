import { describe, expect, it } from 'vitest';
import { ACTIONS, parseMoreValue, renderReply, SLACK_LIMITS, type SlackMessage } from '../adapters/slack/block-kit.js';
import { escapeAndFit, escapeAndSplit, escapeSlack, mrkdwnLink } from '../adapters/slack/escape.js';
import { type Card, type CardElement, makeReply } from '../src/answer/reply.js';
import { buttonsOf, headerOf, shownTexts } from './slack-harness.js';

type AnyBlock = {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: unknown; action_id?: string; value?: string }[];
};

function card(elements: CardElement[], extra: Partial<Card> = {}): Card {
  return { title: 'Flax Typhoon', elements, citations: [], ...extra };
}

function blocksOf(m: SlackMessage): AnyBlock[] {
  return m.blocks as AnyBlock[];
}

/** Checks every documented Slack limit on one message. */
function expectWithinLimits(m: SlackMessage): void {
  const blocks = blocksOf(m);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const b of blocks) {
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    if (b.type === 'section' && b.text) {
      expect(b.text.text.length).toBeGreaterThan(0);
      expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    if (b.type === 'section' && b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === 'context') {
      expect(b.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of b.elements!) expect((e.text as string).length).toBeGreaterThan(0);
    }
    if (b.type === 'actions') expect(b.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
  }
  const ids = blocks.flatMap((b) => (b.type === 'actions' ? b.elements!.map((e) => e.action_id) : []));
  expect(new Set(ids).size).toBe(ids.length);
  for (const b of buttonsOf(m as unknown as Record<string, unknown>)) {
    expect(b.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
    expect(b.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
  }
}

describe('escaping', () => {
  it('escapes &, < and > (ampersand first) and nothing else', () => {
    expect(escapeSlack('<!channel> & <@U123> “quotes” *bold*')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; “quotes” *bold*');
    expect(escapeSlack('&lt;')).toBe('&amp;lt;');
  });

  it('cuts and splits without breaking an entity or exceeding the limit', () => {
    const raw = `${'&'.repeat(50)} tail`;
    const fit = escapeAndFit(raw, 23);
    expect(fit.length).toBeLessThanOrEqual(23);
    expect(fit).toMatch(/^(&amp;)+…$/);
    const pieces = escapeAndSplit(`${'word '.repeat(1000)}<end>`, 300);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(300);
      expect(p).not.toMatch(/&(a|am|amp|l|lt|g|gt)?$/);
    }
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(escapeSlack(`${'word '.repeat(1000)}<end>`).replace(/\s+/g, ' '));
  });

  it('links only http(s) URLs, escaping the label and encoding the URL', () => {
    expect(mrkdwnLink('https://example.org/a?b=1&c=2', 'A <b> & “c”')).toBe('<https://example.org/a?b=1&amp;c=2|A &lt;b&gt; &amp; “c”>');
    expect(mrkdwnLink('https://example.org/x|y', 'x')).toBe('<https://example.org/x%7Cy|x>');
    expect(mrkdwnLink('javascript:alert(1)', 'evil')).toBe('evil');
    expect(mrkdwnLink(undefined, 'no url')).toBe('no url');
  });
});

describe('renderReply', () => {
  it('renders every element kind: header, fields, sections, choices as buttons, notes and citation links', () => {
    const reply = makeReply(
      'profile',
      card(
        [
          { kind: 'fields', fields: [{ label: 'Type', value: 'Threat actor', cites: [1] }] },
          { kind: 'section', heading: 'Linked to', lines: [{ text: 'Integrity Tech runs it.', cites: [1, 2] }] },
          {
            kind: 'choices',
            prompt: 'Which one?',
            choices: [
              { label: 'Flax Typhoon', command: 'who is Flax Typhoon?' },
              { label: 'Volt Typhoon', command: 'who is Volt Typhoon?' },
            ],
          },
          { kind: 'note', text: 'Every answer cites its sources.' },
        ],
        {
          subtitle: 'Threat actor',
          citations: [
            {
              sourceId: 'a',
              title: 'Flax Typhoon <report> & more',
              publisher: 'Microsoft',
              url: 'https://example.org/flax',
              date: '2023-08-24',
            },
            { sourceId: 'b', title: 'No link', publisher: 'Treasury' },
          ],
        },
      ),
    );
    const m = renderReply(reply, { question: 'who is Flax Typhoon?', shareable: true });
    const blocks = blocksOf(m);
    expectWithinLimits(m);
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'context',
      'section',
      'section',
      'section',
      'actions',
      'context',
      'context',
      'actions',
    ]);
    expect(headerOf(m as unknown as Record<string, unknown>)).toBe('Flax Typhoon');
    expect(blocks[2]!.fields![0]!.text).toBe('*Type*\nThreat actor [1]');
    expect(blocks[3]!.text!.text).toBe('*Linked to*\n• Integrity Tech runs it. [1][2]');
    expect(buttonsOf(m as unknown as Record<string, unknown>)).toEqual([
      { action_id: `${ACTIONS.choice}:0`, value: 'who is Flax Typhoon?', text: 'Flax Typhoon' },
      { action_id: `${ACTIONS.choice}:1`, value: 'who is Volt Typhoon?', text: 'Volt Typhoon' },
      { action_id: ACTIONS.share, value: 'who is Flax Typhoon?', text: 'Share in channel' },
    ]);
    const citations = blocks[7]!.elements!.map((e) => e.text);
    expect(citations).toEqual([
      '[1] <https://example.org/flax|Flax Typhoon &lt;report&gt; &amp; more> — Microsoft, 2023-08-24',
      '[2] No link — Treasury',
    ]);
    expect(m.text).toBe(escapeSlack(reply.text));
  });

  it('never lets core or user text form a mention, broadcast or link', () => {
    const evil = '<!channel> <!here|here> <@U0VICTIM> <https://evil.example|Your bank> &';
    const reply = makeReply(
      'search',
      card(
        [
          { kind: 'fields', fields: [{ label: evil, value: evil, cites: [] }] },
          { kind: 'section', heading: evil, lines: [{ text: evil, cites: [] }] },
          { kind: 'choices', prompt: evil, choices: [{ label: evil, command: 'who is x' }] },
          { kind: 'note', text: evil },
        ],
        { title: evil, subtitle: evil, citations: [{ sourceId: 's', title: evil, publisher: evil, url: 'https://example.org/' }] },
      ),
    );
    for (const m of [renderReply(reply, { question: evil, shareable: true }), renderReply(reply)]) {
      const shown = shownTexts(m as unknown as Record<string, unknown>).join('\n');
      expect(shown).not.toMatch(/<[!@#]/);
      expect(shown).not.toContain('<https://evil');
      expect(shown).toContain('&lt;!channel&gt;');
      expect(shown).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });

  it('keeps the plain-text fallback set, even for an empty card', () => {
    const m = renderReply(makeReply('empty', { title: '', elements: [], citations: [] }));
    expect(m.text.length).toBeGreaterThan(0);
    expectWithinLimits(m);
  });

  it('splits fields beyond 10 per section, cuts a header at 150 characters and a button label at 75', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `Field ${i}`, value: `value ${i}`, cites: [] }));
    const m = renderReply(
      makeReply(
        'profile',
        card(
          [
            { kind: 'fields', fields },
            { kind: 'choices', prompt: 'Pick', choices: [{ label: 'L'.repeat(200), command: 'who is L' }] },
          ],
          { title: 'T&'.repeat(200) },
        ),
      ),
    );
    expectWithinLimits(m);
    expect(
      blocksOf(m)
        .filter((b) => b.fields)
        .map((b) => b.fields!.length),
    ).toEqual([10, 10, 3]);
    expect(headerOf(m as unknown as Record<string, unknown>)).toMatch(/…$/);
    expect(buttonsOf(m as unknown as Record<string, unknown>)[0]!.text).toHaveLength(75);
  });

  it('cuts a field at 2,000 characters and keeps a section of fields within 3,000', () => {
    const fields = Array.from({ length: 4 }, (_, i) => ({ label: `Field ${i}`, value: `v${i} `.repeat(1500), cites: [] }));
    const m = renderReply(makeReply('profile', card([{ kind: 'fields', fields }])), { question: 'q' });
    expectWithinLimits(m);
    for (const b of blocksOf(m).filter((x) => x.fields))
      expect(b.fields!.reduce((n, f) => n + f.text.length, 0)).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(blocksOf(m).filter((b) => b.fields)[0]!.fields![0]!.text).toMatch(/^\*Field 0\*\nv0 v0 .*…$/s);
  });

  it('splits a section longer than 3,000 characters into several, losing nothing', () => {
    const long = `${'Flax Typhoon used the Raptor Train botnet. '.repeat(200)}THE END`;
    const m = renderReply(makeReply('profile', card([{ kind: 'section', lines: [{ text: long, cites: [1] }] }])));
    expectWithinLimits(m);
    const sections = blocksOf(m)
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text);
    expect(sections.length).toBeGreaterThanOrEqual(3);
    expect(sections.join(' ').replace(/\s+/g, ' ')).toBe(`• ${long} [1]`.replace(/\s+/g, ' '));
  });

  it('cuts an answer longer than 50 blocks into parts, each with a "More" button for the next', () => {
    const elements: CardElement[] = Array.from({ length: 120 }, (_, i) => ({
      kind: 'section',
      heading: `Heading ${i}`,
      lines: [{ text: `Statement number ${i}.`, cites: [1] }],
    }));
    const reply = makeReply(
      'profile',
      card(elements, { citations: [{ sourceId: 's', title: 'Source', publisher: 'P', url: 'https://example.org/' }] }),
    );
    const seen: string[] = [];
    let part = 0;
    for (;;) {
      const m = renderReply(reply, { question: 'who is Flax Typhoon?', shareable: true, part });
      expectWithinLimits(m);
      seen.push(
        ...blocksOf(m)
          .filter((b) => b.type === 'section')
          .map((b) => b.text!.text),
      );
      expect(shownTexts(m as unknown as Record<string, unknown>).join('\n')).toContain('<https://example.org/|Source>');
      const more = buttonsOf(m as unknown as Record<string, unknown>).find((b) => b.action_id === ACTIONS.more);
      if (!more) break;
      expect(more.text).toMatch(/^More \(part \d+ of \d+\)$/);
      const next = parseMoreValue(more.value);
      expect(next).toEqual({ q: 'who is Flax Typhoon?', part: part + 1 });
      part = next!.part;
    }
    expect(part).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(elements.map((_, i) => `*Heading ${i}*\n• Statement number ${i}. [1]`));
    expect(headerOf(renderReply(reply, { question: 'q', part: 1 }) as unknown as Record<string, unknown>)).toMatch(
      /^Flax Typhoon \(part 2 of \d+\)$/,
    );
  });

  it('keeps each part under the total-size cap that Slack enforces beyond the block count', () => {
    const elements: CardElement[] = Array.from({ length: 30 }, (_, i) => ({
      kind: 'section',
      lines: [{ text: `${i} ${'x'.repeat(2900)}`, cites: [] }],
    }));
    const reply = makeReply('profile', card(elements));
    const m = renderReply(reply, { question: 'q' });
    expectWithinLimits(m);
    expect(JSON.stringify(m.blocks).length).toBeLessThan(SLACK_LIMITS.partChars + 2000);
    expect(buttonsOf(m as unknown as Record<string, unknown>).some((b) => b.action_id === ACTIONS.more)).toBe(true);
  });

  it('says so when a long answer cannot offer a "More" button', () => {
    const elements: CardElement[] = Array.from({ length: 80 }, (_, i) => ({ kind: 'note', text: `note ${i}` }));
    const m = renderReply(
      makeReply('profile', card(elements.map((e, i) => (i % 2 ? e : { kind: 'section', lines: [{ text: `line ${i}`, cites: [] }] })))),
    );
    expectWithinLimits(m);
    expect(shownTexts(m as unknown as Record<string, unknown>).join('\n')).toMatch(/more part\(s\) than fit in one Slack message/);
  });

  it('offers "Share" only for answers worth sharing', () => {
    const answer = makeReply('profile', card([{ kind: 'note', text: 'x' }]));
    const error = makeReply('error', card([{ kind: 'note', text: 'x' }]));
    expect(
      buttonsOf(renderReply(answer, { question: 'q', shareable: true }) as unknown as Record<string, unknown>).map((b) => b.action_id),
    ).toEqual([ACTIONS.share]);
    expect(buttonsOf(renderReply(error, { question: 'q', shareable: true }) as unknown as Record<string, unknown>)).toEqual([]);
    expect(buttonsOf(renderReply(answer, { question: 'q' }) as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('reads only well-formed "more" values', () => {
    expect(parseMoreValue('{"q":"latest","part":2}')).toEqual({ q: 'latest', part: 2 });
    for (const bad of ['', 'nope', '{"q":1,"part":2}', '{"q":"x","part":0}', '{"q":"x","part":1.5}', undefined])
      expect(parseMoreValue(bad)).toBeUndefined();
  });
});
