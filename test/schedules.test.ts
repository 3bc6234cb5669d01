import { spawnSync } from 'node:child_process';
import cron from 'node-cron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchedule, previousRun, type ScheduleCost } from '../src/digest/schedule.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { CLI, KNOWLEDGE, seededStore } from './helpers.js';
import { CHANNEL, headerOf, type SlackHarness, shownTexts, startSlackHarness } from './slack-harness.js';

const NEVER = ['0-59 0-23 1 1-12 5#5', '0-59 0-23 1 1-12 6L', '0 0 30 2 *'];

describe('a schedule that can never run', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each(NEVER)('is refused from chat with the reason: %s', async (expr) => {
    h.fake.reset();
    await h.command(`subscribe ${expr} UTC`);
    await h.settle();
    const body = h.fake.responses.at(-1)!.body;
    expect(headerOf(body)).toBe('That schedule does not work');
    expect(shownTexts(body).join(' ')).toMatch(/never runs|not run within the next year|impossible day/);
    expect(await createSqliteState(h.store).subscriptions.forConversation('slack', CHANNEL)).toEqual([]);
  });

  it('is refused by threatbrief subscribe too', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'subscribe', '--platform', 'slack', '--conversation', 'C0CLI', '--schedule', NEVER[0]!, '--timezone', 'UTC'],
      { encoding: 'utf8', env: { ...process.env, DATABASE_PATH: seededStore(), KNOWLEDGE_DIR: KNOWLEDGE } },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--schedule: .*(never runs|not run within the next year)/);
  });

  it('still accepts rare but real schedules (a Friday the 13th) and the usual forms', () => {
    for (const s of ['0 9 13 * 5', '0 9 * * 1-5', '*/15 9-17 * * 1-5', '0 8 * * 1#1', '0 8 L * *', '0 8 * * 5L'])
      expect(parseSchedule(s).ok, s).toBe(true);
  });
});

describe('evaluating a schedule has a bounded cost', () => {
  const cost = (): ScheduleCost => ({ probes: 0 });

  it('looks at one candidate per day, at most, for a schedule whose days never match', () => {
    const c = cost();
    // As a subscription stored before refusals existed would be.
    expect(previousRun({ cron: NEVER[0]!, timezone: 'Europe/Paris' }, new Date('2026-06-01T12:00:00Z'), { cost: c })).toBeNull();
    expect(c.probes).toBeLessThanOrEqual(401);
  });

  it('needs a couple of probes for an every-minute schedule, whatever the hour', () => {
    const c = cost();
    const at = new Date('2026-06-01T22:05:30Z');
    expect(previousRun({ cron: '0-59 0-23 * * *', timezone: 'Europe/Paris' }, at, { cost: c })?.toISOString()).toBe(
      '2026-06-01T22:05:00.000Z',
    );
    expect(c.probes).toBeLessThanOrEqual(2);
  });

  it('stops at the last run already handled instead of looking further back', () => {
    const c = cost();
    const after = new Date('2026-06-01T09:00:00Z');
    expect(previousRun({ cron: '0 9 * * *', timezone: 'UTC' }, new Date('2026-06-02T08:59:00Z'), { after, cost: c })).toBeNull();
    expect(c.probes).toBeLessThanOrEqual(2);
  });

  it('agrees with node-cron’s own matching, minute by minute', () => {
    const schedules = [
      ['0 9 * * 1-5', 'Europe/London'],
      ['*/20 8-10 * * *', 'America/New_York'],
      ['30 1 * * *', 'Europe/London'],
      ['0 0 L * *', 'UTC'],
      ['15 6 * * 5L', 'Asia/Tokyo'],
      ['0 12 1-7 * 1', 'Australia/Lord_Howe'],
      ['45 23 * * 0#1', 'Pacific/Chatham'],
    ] as const;
    // Brute force over two windows: Europe's DST change (30 March 2025) and the southern one (6 April 2025).
    for (const [start, end] of [
      ['2025-03-29T12:00:00Z', '2025-03-31T12:00:00Z'],
      ['2025-04-05T06:00:00Z', '2025-04-07T06:00:00Z'],
    ] as const) {
      const from = Date.parse(start);
      const to = Date.parse(end);
      for (const [expr, timezone] of schedules) {
        const task = cron.createTask(expr, () => undefined, { timezone });
        let expected: number | null = null;
        for (let t = from; t <= to; t += 60_000) {
          if (task.match(new Date(t))) expected = t;
          if ((t - from) % (3 * 3600_000) === 0) {
            const got = previousRun({ cron: expr, timezone }, new Date(t + 30_000), { after: new Date(from - 1) });
            expect(got?.getTime() ?? null, `${expr} ${timezone} at ${new Date(t).toISOString()}`).toBe(expected);
          }
        }
      }
    }
  });
});
