import { describe, expect, it } from 'vitest';
import { runFuzz, snapshot } from '../bench/fuzz.js';
import { generateInputs } from '../bench/fuzz-inputs.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { openTestBot } from './helpers.js';

/**
 * A slice of `npm run fuzz` (which runs 10,000 inputs): generated hostile messages through the
 * answer path, Slack's signed HTTP path and Teams' /api/messages, on the real service.
 */
describe('fuzzed messages', () => {
  it('300 inputs from many users and channels: no exception, no error reply or log, no AMBER fact in a CLEAR channel, every Slack payload within Block Kit limits, the store unchanged', async () => {
    const report = await runFuzz({ count: 300, seed: 20250106 });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      inputs: 300,
      direct: 300,
      slackCommands: 300,
      slackMentions: 75,
      teams: 300,
      exceptions: 0,
      errorReplies: 0,
      errorLogLines: 0,
      changedTables: [],
      amberLeaks: 0,
      amberShownWhenCleared: true,
    });
    expect(report.amberFacts).toBeGreaterThanOrEqual(10);
    expect(report.slackPayloads).toBeGreaterThanOrEqual(675);
    // The answers are what is fuzzed: at least 90 % of the inputs reach the answer path, not the rate limiter.
    const reached = report.answered.direct + report.answered.slack + report.answered.teams;
    expect(reached / (report.direct + report.delivered.slack + report.delivered.teams)).toBeGreaterThanOrEqual(0.9);
  });

  it('generates reproducible, hostile inputs up to 20 kB', () => {
    const inputs = generateInputs(2000, 3);
    expect(generateInputs(2000, 3)).toEqual(inputs);
    expect(Math.max(...inputs.map((t) => t.length))).toBeLessThanOrEqual(20_000);
    expect(inputs.some((t) => t.length > 10_000)).toBe(true);
    for (const pattern of [
      /[\u202e\u200f]/,
      /\u200b/,
      /\p{Extended_Pictographic}/u,
      /\p{M}/u,
      /[\u0000-\u0008]/,
      /<@U/,
      /<!channel>/,
      /<at>/,
      /<script>/,
      /DROP TABLE/,
      /NEAR\(/,
      /\*bold\*/,
    ]) {
      expect(
        inputs.some((t) => pattern.test(t)),
        String(pattern),
      ).toBe(true);
    }
  });

  it('the store snapshot notices a change', async () => {
    const { store } = openTestBot();
    const before = snapshot(store.db);
    const parsed = parseSchedule('daily 09:00 UTC');
    if (!parsed.ok) throw new Error(parsed.error);
    await createSqliteState(store).subscriptions.add(
      { platform: 'slack', conversation: 'C1', schedule: parsed.schedule, filters: [] },
      new Date(),
    );
    const after = snapshot(store.db);
    expect([...after.keys()].filter((t) => before.get(t) !== after.get(t))).toEqual(['subscriptions']);
  });
});
