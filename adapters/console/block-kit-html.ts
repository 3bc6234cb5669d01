import type { types } from '@slack/bolt';
import { ACTIONS } from '../slack/block-kit.js';
import { escapeHtml, safeHref } from './html.js';

type Block = types.KnownBlock;

/**
 * Block Kit as HTML, close enough to Slack's client to judge a message's layout: header,
 * sections with their text and two-column fields, context lines, dividers and buttons, and mrkdwn
 * (bold, italic, strike, code, links, line breaks). Every text is escaped for HTML; a choice
 * button carries the question it asks in `data-command`.
 */
export function blockKitToHtml(blocks: readonly Block[]): string {
  return `<div class="sk-message">${blocks.map(blockHtml).join('')}</div>`;
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'header':
      return `<div class="sk-header">${escapeHtml(block.text.text)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="sk-text">${textHtml(block.text)}</div>` : '';
      const fields = block.fields?.length
        ? `<div class="sk-fields">${block.fields.map((f) => `<div class="sk-field">${textHtml(f)}</div>`).join('')}</div>`
        : '';
      return `<div class="sk-section">${text}${fields}</div>`;
    }
    case 'context':
      return `<div class="sk-context">${block.elements
        .map((e) => ('text' in e ? `<span class="sk-context-item">${textHtml(e)}</span>` : ''))
        .join('')}</div>`;
    case 'divider':
      return '<hr class="sk-divider">';
    case 'actions':
      return `<div class="sk-actions">${block.elements.map(elementHtml).join('')}</div>`;
    default:
      return `<div class="sk-unsupported">(${escapeHtml(block.type)} block)</div>`;
  }
}

function elementHtml(element: types.ActionsBlockElement): string {
  if (element.type !== 'button') return '';
  const label = escapeHtml(unescapeSlack(element.text.text));
  const choice = element.action_id?.startsWith(`${ACTIONS.choice}:`) && element.value !== undefined;
  return choice
    ? `<button type="button" class="sk-button" data-command="${escapeHtml(element.value)}">${label}</button>`
    : `<button type="button" class="sk-button" disabled title="Works in Slack only">${label}</button>`;
}

function textHtml(text: types.MrkdwnElement | types.PlainTextElement): string {
  return text.type === 'plain_text' ? escapeHtml(unescapeSlack(text.text)) : mrkdwnToHtml(text.text);
}

/** Slack's three entities back to characters (the message text is Slack-escaped; HTML escaping follows). */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * mrkdwn as HTML. In escaped Slack text every `<` that is left starts a control sequence: a link
 * `<url|label>` or `<url>` (shown as a link for http(s) only), a mention or a command (shown as
 * written). Formatting applies between word boundaries, as in Slack.
 */
export function mrkdwnToHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/<([^<>|]*)(?:\|([^<>]*))?>/g)) {
    out += formatted(text.slice(last, m.index));
    const target = unescapeSlack(m[1]!);
    const label = unescapeSlack(m[2] ?? m[1]!);
    const href = safeHref(target);
    out += href
      ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label)}</a>`
      : `<span class="sk-token">${escapeHtml(label)}</span>`;
    last = m.index + m[0].length;
  }
  return out + formatted(text.slice(last));
}

const FORMATS: [RegExp, string][] = [
  [/(^|[\s(])`([^`\n]+)`(?=$|[\s).,;:!?])/g, 'code'],
  [/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,;:!?])/g, 'b'],
  [/(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])/g, 'i'],
  [/(^|[\s(])~([^~\n]+)~(?=$|[\s).,;:!?])/g, 's'],
];

function formatted(slackText: string): string {
  let html = escapeHtml(unescapeSlack(slackText));
  for (const [pattern, tag] of FORMATS) html = html.replace(pattern, `$1<${tag}>$2</${tag}>`);
  return html.replace(/\n/g, '<br>');
}
