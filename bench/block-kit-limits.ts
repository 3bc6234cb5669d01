import { SLACK_LIMITS } from '../adapters/slack/block-kit.js';

/**
 * Every documented Block Kit limit checked on one message payload (text + blocks), as Slack
 * would reject it: an empty list means Slack accepts it. Used by the fuzz runs on every payload
 * the bot delivered.
 */
export function blockKitProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const text = typeof message.text === 'string' ? message.text : '';
  if (text.length === 0) problems.push('empty fallback text');
  if (text.length > SLACK_LIMITS.fallbackText) problems.push(`fallback text ${text.length} > ${SLACK_LIMITS.fallbackText}`);
  if (!Array.isArray(message.blocks)) return [...problems, 'no blocks'];
  const blocks = message.blocks as Block[];
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks > ${SLACK_LIMITS.blocks}`);
  // Slack refuses payloads well under 50 × 3,000 characters (msg_blocks_too_long); see SLACK_LIMITS.partChars.
  const size = JSON.stringify(blocks).length;
  if (size > SLACK_LIMITS.partChars + 2000) problems.push(`blocks JSON ${size} chars > ${SLACK_LIMITS.partChars + 2000}`);
  const actionIds: string[] = [];
  for (const [i, b] of blocks.entries()) {
    const at = `block ${i} (${b.type})`;
    const textOf = (t: TextObject | undefined, max: number, what: string) => {
      if (!t || typeof t.text !== 'string') return problems.push(`${at}: ${what} without text`);
      if (t.text.length === 0) problems.push(`${at}: empty ${what}`);
      if (t.text.length > max) problems.push(`${at}: ${what} ${t.text.length} > ${max}`);
      if (t.type !== 'mrkdwn' && t.type !== 'plain_text') problems.push(`${at}: ${what} of type ${String(t.type)}`);
      return 0;
    };
    switch (b.type) {
      case 'header':
        textOf(b.text, SLACK_LIMITS.header, 'header');
        if (b.text?.type !== 'plain_text') problems.push(`${at}: header must be plain_text`);
        break;
      case 'section':
        if (!b.text && !b.fields) problems.push(`${at}: neither text nor fields`);
        if (b.text) textOf(b.text, SLACK_LIMITS.sectionText, 'section text');
        if (b.fields) {
          if (b.fields.length > SLACK_LIMITS.fields) problems.push(`${at}: ${b.fields.length} fields > ${SLACK_LIMITS.fields}`);
          for (const f of b.fields) textOf(f, SLACK_LIMITS.fieldText, 'field');
        }
        break;
      case 'context':
        if (!b.elements || b.elements.length === 0) problems.push(`${at}: no elements`);
        else if (b.elements.length > SLACK_LIMITS.contextElements)
          problems.push(`${at}: ${b.elements.length} elements > ${SLACK_LIMITS.contextElements}`);
        for (const e of b.elements ?? []) textOf(e as TextObject, SLACK_LIMITS.sectionText, 'context element');
        break;
      case 'actions':
        if (!b.elements || b.elements.length === 0) problems.push(`${at}: no elements`);
        else if (b.elements.length > SLACK_LIMITS.actionsElements)
          problems.push(`${at}: ${b.elements.length} elements > ${SLACK_LIMITS.actionsElements}`);
        for (const e of (b.elements ?? []) as Button[]) {
          textOf(e.text, SLACK_LIMITS.buttonText, 'button text');
          if (typeof e.value === 'string' && e.value.length > SLACK_LIMITS.buttonValue)
            problems.push(`${at}: button value ${e.value.length} > ${SLACK_LIMITS.buttonValue}`);
          if (typeof e.action_id !== 'string' || e.action_id.length === 0 || e.action_id.length > 255)
            problems.push(`${at}: bad action_id`);
          else actionIds.push(e.action_id);
        }
        break;
      case 'divider':
        break;
      default:
        problems.push(`${at}: unexpected block type`);
    }
  }
  if (new Set(actionIds).size !== actionIds.length) problems.push('duplicate action_id');
  return problems;
}

interface TextObject {
  type?: unknown;
  text?: unknown;
}
interface Button {
  text?: TextObject & { text: string };
  value?: unknown;
  action_id?: unknown;
}
interface Block {
  type: string;
  text?: TextObject & { text: string };
  fields?: (TextObject & { text: string })[];
  elements?: unknown[];
}
