import { type Activity, TestAdapter } from 'botbuilder';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter, replyActivity, type TeamsAdapter } from '../adapters/teams/adapter.js';
import { type AdaptiveCard, MAX_MESSAGE_BYTES } from '../adapters/teams/adaptive-card.js';
import { makeReply } from '../src/answer/reply.js';
import { createBot } from '../src/chat/bot.js';
import { openTestBot } from './helpers.js';

let teams: TeamsAdapter;
beforeAll(async () => {
  const bot = openTestBot();
  await bot.engine.refresh();
  teams = createTeamsAdapter({
    bot: createBot({ engine: bot.engine, store: bot.store }),
    db: bot.store.db,
    logger: pino({ level: 'silent' }),
    config: { appId: '', allowUnauthenticated: true, serviceUrls: ['http://127.0.0.1'] },
  });
});

function cardText(activity: Partial<Activity>): string {
  return JSON.stringify(activity.attachments?.[0]?.content);
}

describe('Teams turns (botbuilder TestAdapter)', () => {
  it('answers a plain question with the card alone and a one-line summary, not the answer twice', async () => {
    const adapter = new TestAdapter((ctx) => teams.onTurn(ctx));
    await adapter.send('who is Volt Typhoon?').assertReply((a) => {
      expect(a.text).toBeUndefined();
      expect(a.summary).toMatch(/^Volt Typhoon is a People's Republic of China state-sponsored actor/);
      expect(a.summary!.length).toBeLessThanOrEqual(200);
      expect(a.summary).not.toContain('Sources');
      expect(cardText(a)).toContain('G1017');
    });
  });

  it('answers subscription commands', async () => {
    const adapter = new TestAdapter((ctx) => teams.onTurn(ctx));
    await adapter
      .send('subscribe weekly mon 08:30 Europe/Berlin')
      .assertReply((a) => expect(cardText(a)).toContain('weekly mon 08:30 Europe/Berlin'))
      .send('subscriptions')
      .assertReply((a) => expect(cardText(a)).toMatch(/#\d+: weekly mon 08:30/));
  });

  it('refuses to start without an app id unless unauthenticated use is asked for', () => {
    const bot = openTestBot();
    expect(() =>
      createTeamsAdapter({
        bot: createBot({ engine: bot.engine, store: bot.store }),
        db: bot.store.db,
        logger: pino({ level: 'silent' }),
        config: { appId: '', allowUnauthenticated: false },
      }),
    ).toThrow(/MICROSOFT_APP_ID is required/);
  });
});

describe('Adaptive Card rendering', () => {
  it('cuts a very long answer cleanly, keeping title and sources', () => {
    const lines = Array.from({ length: 800 }, (_, i) => ({ text: `Statement number ${i} `.repeat(4), cites: [1] }));
    const reply = makeReply('profile', {
      title: 'Long',
      elements: [{ kind: 'section', lines }],
      citations: [{ sourceId: 's', title: 'Source', publisher: 'P', url: 'https://example.org' }],
    });
    const activity = replyActivity(reply);
    const card = activity.attachments![0]!.content as AdaptiveCard;
    const json = JSON.stringify(card);
    // Everything sent counts, in bytes: the summary and the card (which carries it as fallbackText).
    expect(Buffer.byteLength(JSON.stringify(activity))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(json).toContain('Answer shortened');
    expect(json).toContain('https://example.org');
    expect(card.version).toBe('1.5');
  });

  it('counts bytes, not characters: an answer in Chinese script is cut to the same message size', () => {
    const lines = Array.from({ length: 800 }, (_, i) => ({ text: `永信至诚科技集团股份有限公司 ${i} `.repeat(4), cites: [1] }));
    const reply = makeReply('profile', {
      title: '永信至诚',
      elements: [{ kind: 'section', lines }],
      citations: [{ sourceId: 's', title: 'Source', publisher: 'P', url: 'https://example.org' }],
    });
    const activity = replyActivity(reply);
    expect(Buffer.byteLength(JSON.stringify(activity))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(JSON.stringify(activity)).toContain('Answer shortened');
  });
});
