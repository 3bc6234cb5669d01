import { PassThrough } from 'node:stream';
import { TestAdapter } from 'botbuilder';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { renderConsole, runConsoleChat } from '../adapters/console/console-chat.js';
import { renderReply } from '../adapters/slack/block-kit.js';
import { fromMessageEvent } from '../adapters/slack/to-incoming.js';
import { createTeamsAdapter, questionOf, replyActivity } from '../adapters/teams/adapter.js';
import { renderAdaptiveCard } from '../adapters/teams/adaptive-card.js';
import { makeReply, type Reply } from '../src/answer/reply.js';
import type { Bot, IncomingMessage } from '../src/chat/bot.js';
import { openTestBot } from './helpers.js';

/** A bot that records what reached the core and answers with a fixed reply. */
function recordingBot(reply: Reply) {
  const seen: IncomingMessage[] = [];
  const bot: Bot = {
    async handle(m) {
      seen.push(m);
      return reply;
    },
  };
  return { bot, seen };
}

/** A reply with every kind of card element, each with a recognisable text. */
const EVERYTHING = makeReply('profile', {
  title: 'Title-AAA',
  subtitle: 'Subtitle-BBB',
  elements: [
    { kind: 'fields', fields: [{ label: 'Label-CCC', value: 'Value-DDD', cites: [1] }] },
    { kind: 'section', heading: 'Heading-EEE', lines: [{ text: 'Line-FFF', cites: [1] }] },
    { kind: 'choices', prompt: 'Prompt-GGG', choices: [{ label: 'Choice-HHH', command: 'who is HHH' }] },
    { kind: 'note', text: 'Note-III' },
  ],
  citations: [{ sourceId: 's', title: 'Source-JJJ', publisher: 'Publisher-KKK', url: 'https://example.org/jjj', date: '2025-01-03' }],
});
const MARKERS = [
  'Title-AAA',
  'Subtitle-BBB',
  'Label-CCC',
  'Value-DDD',
  'Heading-EEE',
  'Line-FFF',
  'Prompt-GGG',
  'Choice-HHH',
  'Note-III',
  'Source-JJJ',
  'Publisher-KKK',
  'https://example.org/jjj',
];
const EMPTY_TEXT: Reply = { ...makeReply('profile', { title: 'Only a title', elements: [], citations: [] }), text: '' };

interface Contract {
  name: string;
  /** Passes a platform message that @mentions the bot; returns what reached the core. */
  mentionReachesCore(): Promise<string | undefined>;
  /** Passes the bot's own message; returns whether anything reached the core. */
  ownMessageReachesCore: (() => Promise<boolean>) | undefined;
  /** Renders a reply to what the platform would show, as a string to search. */
  render(reply: Reply): { shown: string; fallback: string };
}

const contracts: Contract[] = [
  {
    name: 'Slack',
    mentionReachesCore: async () =>
      fromMessageEvent(
        { type: 'app_mention', text: '<@U0BOT> who is Flax Typhoon?', user: 'U0USER', channel: 'C0CHAN', ts: '1.1' },
        { botUserId: 'U0BOT' },
      )?.text,
    ownMessageReachesCore: async () =>
      fromMessageEvent(
        { type: 'message', channel_type: 'im', text: 'hello', user: 'U0BOT', channel: 'D0DM', ts: '1.2' },
        { botUserId: 'U0BOT' },
      ) !== undefined ||
      fromMessageEvent(
        { type: 'message', channel_type: 'im', text: 'hello', bot_id: 'B0BOT', user: 'U0BOT', channel: 'D0DM', ts: '1.3' },
        { botUserId: 'U0BOT' },
      ) !== undefined,
    render: (reply) => {
      const m = renderReply(reply);
      return { shown: JSON.stringify(m.blocks), fallback: m.text };
    },
  },
  {
    name: 'Teams',
    mentionReachesCore: async () => {
      const { bot, seen } = recordingBot(EVERYTHING);
      const teams = createTeamsAdapter({
        bot,
        db: openTestBot().store.db,
        logger: pino({ level: 'silent' }),
        config: { appId: '', allowUnauthenticated: true, serviceUrls: ['http://127.0.0.1'] },
      });
      const adapter = new TestAdapter((ctx) => teams.onTurn(ctx));
      await adapter
        .send({
          type: 'message',
          text: '<at>ThreatBrief</at> who is Flax Typhoon?',
          entities: [{ type: 'mention', text: '<at>ThreatBrief</at>', mentioned: { id: 'bot', name: 'ThreatBrief' } }],
        })
        .assertReply(() => undefined);
      return seen[0]?.text;
    },
    ownMessageReachesCore: async () => {
      const { bot, seen } = recordingBot(EVERYTHING);
      const teams = createTeamsAdapter({
        bot,
        db: openTestBot().store.db,
        logger: pino({ level: 'silent' }),
        config: { appId: '', allowUnauthenticated: true, serviceUrls: ['http://127.0.0.1'] },
      });
      const adapter = new TestAdapter((ctx) => teams.onTurn(ctx));
      await adapter
        .send({ type: 'message', text: 'echo', from: { id: 'bot', name: 'ThreatBrief' } })
        .assertNoReply('the bot must not answer itself', 100);
      return seen.length > 0;
    },
    render: (reply) => {
      const a = replyActivity(reply);
      return { shown: JSON.stringify(renderAdaptiveCard(reply.card)), fallback: a.summary ?? '' };
    },
  },
  {
    name: 'Terminal',
    mentionReachesCore: async () => {
      const { bot, seen } = recordingBot(EVERYTHING);
      const input = new PassThrough();
      const output = new PassThrough();
      const done = runConsoleChat({ bot, input, output });
      input.end('@ThreatBrief who is Flax Typhoon?\n');
      await done;
      return seen[0]?.text;
    },
    ownMessageReachesCore: undefined,
    render: (reply) => {
      const text = renderConsole(reply);
      return { shown: text, fallback: text };
    },
  },
];

describe.each(contracts)('$name adapter contract', (c) => {
  it('passes the question to the core without the @mention', async () => {
    expect((await c.mentionReachesCore())?.trim()).toBe('who is Flax Typhoon?');
  });

  it('renders every card element and the citations', () => {
    const { shown } = c.render(EVERYTHING);
    for (const marker of MARKERS) expect(shown, marker).toContain(marker);
  });

  it('never sends an empty text', () => {
    expect(c.render(EMPTY_TEXT).fallback.trim().length).toBeGreaterThan(0);
    expect(c.render(EVERYTHING).fallback.trim().length).toBeGreaterThan(0);
  });
});

// A terminal has no messages of the bot's own to receive (its output never comes back as
// input), so this part of the contract applies to the chat platforms.
describe.each(contracts.filter((c) => c.ownMessageReachesCore))('$name adapter contract', (c) => {
  it('ignores its own messages and other bots', async () => {
    expect(await c.ownMessageReachesCore!()).toBe(false);
  });
});

describe('Teams question extraction', () => {
  it('takes a card button’s question over the text', () => {
    expect(questionOf({ type: 'message', value: { threatbrief: 'choice', command: 'who is Salt Typhoon?' } })).toBe('who is Salt Typhoon?');
  });
});
