import { type Activity, TestAdapter } from 'botbuilder';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter, type TeamsAdapter } from '../adapters/teams/adapter.js';
import { MAX_CARD_CHARS, renderAdaptiveCard } from '../adapters/teams/adaptive-card.js';
import { makeReply } from '../src/answer/reply.js';
import { createBot } from '../src/chat/bot.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { openTestBot } from './helpers.js';

let teams: TeamsAdapter;
beforeAll(async () => {
  const bot = openTestBot();
  await bot.engine.refresh();
  teams = createTeamsAdapter({
    bot: createBot({ engine: bot.engine, store: bot.store }),
    state: createSqliteState(bot.store),
    logger: pino({ level: 'silent' }),
    config: { appId: '', allowUnauthenticated: true, serviceUrls: ['http://127.0.0.1'] },
  });
});

function cardText(activity: Partial<Activity>): string {
  return JSON.stringify(activity.attachments?.[0]?.content);
}

describe('Teams turns (botbuilder TestAdapter)', () => {
  it('answers a plain question with a card and a text fallback', async () => {
    const adapter = new TestAdapter((ctx) => teams.onTurn(ctx));
    await adapter.send('who is Volt Typhoon?').assertReply((a) => {
      expect(a.text).toContain('Volt Typhoon');
      expect(cardText(a)).toContain('G1017');
    });
  });

  it('answers subscription commands', async () => {
    const adapter = new TestAdapter((ctx) => teams.onTurn(ctx));
    await adapter
      .send('subscribe weekly mon 08:30 Europe/Berlin')
      .assertReply((a) => expect(a.text).toContain('weekly mon 08:30 Europe/Berlin'))
      .send('subscriptions')
      .assertReply((a) => expect(a.text).toMatch(/#\d+: weekly mon 08:30/));
  });

  it('refuses to start without an app id unless unauthenticated use is asked for', () => {
    const bot = openTestBot();
    expect(() =>
      createTeamsAdapter({
        bot: createBot({ engine: bot.engine, store: bot.store }),
        state: createSqliteState(bot.store),
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
    const card = renderAdaptiveCard(reply.card);
    const json = JSON.stringify(card);
    expect(json.length).toBeLessThanOrEqual(MAX_CARD_CHARS);
    expect(json).toContain('Answer shortened');
    expect(json).toContain('https://example.org');
    expect(card.version).toBe('1.5');
  });
});
