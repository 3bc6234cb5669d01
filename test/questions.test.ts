import { beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '../bench/questions.js';
import { type Bot, createBot } from '../src/chat/bot.js';
import { openTestBot, type TestBot } from './helpers.js';

let bot: TestBot;
let chat: Bot;
beforeAll(async () => {
  bot = openTestBot();
  chat = createBot({ engine: bot.engine, store: bot.store });
  expect(await bot.engine.refresh()).toEqual([]);
});

describe('questions people ask', () => {
  it('has at least 80 phrasings', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(QUESTIONS.map((c) => [c.q.length > 60 ? `${c.q.slice(0, 57)}…` : c.q || '(empty)', c] as const))('%s', async (_label, c) => {
    const reply = await chat.handle({ platform: 'console', conversation: 'questions', text: c.q });
    expect(reply.intent).toBe(c.intent);
    if (c.entity) expect(reply.entities[0]?.id).toBe(c.entity);
    if (c.entity === null && c.intent !== 'latest') expect(reply.match).toBeUndefined();
    for (const s of c.says ?? []) expect(reply.text).toContain(s);
    for (const s of c.never ?? []) expect(reply.text).not.toContain(s);
    const cited = c.cited ?? Boolean(c.entity);
    if (cited) {
      expect(reply.citations.length).toBeGreaterThan(0);
      for (const line of reply.card.elements.flatMap((el) => (el.kind === 'section' ? el.lines : []))) {
        if (!/^I have no record/.test(line.text)) expect(line.cites.length, line.text).toBeGreaterThan(0);
      }
    } else {
      expect(reply.citations).toEqual([]);
    }
    expect(reply.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});

describe('grounding', () => {
  it('cites only sources that exist, each with title and publisher, and every number points at one', async () => {
    for (const c of QUESTIONS) {
      const reply = await bot.engine.answer(c.q);
      for (const cit of reply.citations) expect(cit.title && cit.publisher).toBeTruthy();
      const n = reply.citations.length;
      for (const el of reply.card.elements) {
        const cites =
          el.kind === 'section' ? el.lines.flatMap((l) => l.cites) : el.kind === 'fields' ? el.fields.flatMap((f) => f.cites) : [];
        for (const i of cites) expect(i >= 1 && i <= n).toBe(true);
      }
    }
  });

  it('never says yes to a sanction without a designation on record', async () => {
    for (const q of [
      'is Flax Typhoon sanctioned?',
      'is Volt Typhoon sanctioned?',
      'is the FBI sanctioned?',
      'is Christopher Wray sanctioned?',
    ]) {
      const reply = await bot.engine.answer(q);
      expect(reply.text).not.toMatch(/^• Yes/m);
      expect(reply.text).toMatch(/I have no record of .* being sanctioned/);
    }
  });

  it('shows conflicting figures side by side, each with its own source', async () => {
    const reply = await bot.engine.answer('how many devices were in the Raptor Train botnet?');
    const lines = reply.card.elements.flatMap((el) => (el.kind === 'section' ? el.lines : []));
    const withFigures = lines.filter((l) => /\d{2,3},\d{3}/.test(l.text));
    expect(withFigures.length).toBeGreaterThanOrEqual(3);
    expect(new Set(withFigures.map((l) => l.cites.join())).size).toBeGreaterThan(1);
  });

  it('explains every match', async () => {
    const reply = await bot.engine.answer('is integrty tech sanctioned');
    expect(reply.match?.explanation).toMatch(/close spelling of the alias “Integrity Tech”/);
    expect(reply.text).toContain('Matched:');
  });
});
