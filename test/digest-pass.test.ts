import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/answer/reply.js';
import { createBot } from '../src/chat/bot.js';
import { runDigestPass } from '../src/digest/pass.js';
import { PostError, type Poster } from '../src/digest/poster.js';
import { parseSchedule, previousRun } from '../src/digest/schedule.js';
import { FactStore, type NewAdvisory } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { copyKnowledge, openTestBot } from './helpers.js';

/** A platform that records what it was given, and can be told to fail. */
function recordingPoster(platform: string) {
  const posts: { conversation: string; reply: Reply }[] = [];
  let failures: Error[] = [];
  const poster: Poster = {
    platform,
    async post(conversation, reply) {
      const err = failures.shift();
      if (err) throw err;
      posts.push({ conversation, reply });
    },
  };
  return { poster, posts, failNext: (...errs: Error[]) => (failures = errs) };
}

function advisory(id: string, extra: Partial<NewAdvisory> = {}): NewAdvisory {
  return {
    id,
    title: `Advisory ${id}`,
    publisher: 'CISA',
    published: '2025-01-10',
    summary: `About ${id}.`,
    entities: [],
    severity: 'high',
    sources: ['acme-report'],
    ...extra,
  };
}

async function setup() {
  const bot = openTestBot(copyKnowledge());
  await bot.engine.refresh();
  const chat = createBot({ engine: bot.engine, store: bot.store, now: () => new Date('2025-01-06T08:00:00Z') });
  return { ...bot, chat, subs: createSqliteState(bot.store).subscriptions };
}

describe('schedules', () => {
  it('reads daily, weekly, weekdays and cron forms, and says what is wrong with a bad one', () => {
    expect(parseSchedule('daily 09:00 Europe/London')).toMatchObject({
      ok: true,
      schedule: { cron: '0 9 * * *', timezone: 'Europe/London' },
    });
    expect(parseSchedule('weekly mon 08:30')).toMatchObject({ ok: true, schedule: { cron: '30 8 * * 1', timezone: 'UTC' } });
    expect(parseSchedule('0 9 * * 1-5 America/New_York')).toMatchObject({
      ok: true,
      schedule: { cron: '0 9 * * 1-5', timezone: 'America/New_York' },
    });
    expect(parseSchedule('daily 09:00 Mars/Olympus')).toEqual({
      ok: false,
      error: expect.stringContaining('“Mars/Olympus” is not a known IANA time zone'),
    });
    expect(parseSchedule('0 25 * * *')).toEqual({ ok: false, error: expect.stringContaining('hour') });
    expect(parseSchedule('daily 9am')).toEqual({ ok: false, error: expect.stringContaining('HH:MM') });
  });

  it('follows the zone across a DST change', () => {
    const berlin = { cron: '0 9 * * *', timezone: 'Europe/Berlin' };
    expect(previousRun(berlin, new Date('2025-03-29T12:00:00Z'))?.toISOString()).toBe('2025-03-29T08:00:00.000Z');
    expect(previousRun(berlin, new Date('2025-03-30T12:00:00Z'))?.toISOString()).toBe('2025-03-30T07:00:00.000Z');
    // 01:30 does not exist in London on 30 March 2025 and happens twice on 26 October: once each, at most.
    const london = { cron: '30 1 * * *', timezone: 'Europe/London' };
    expect(previousRun(london, new Date('2025-03-30T12:00:00Z'))?.toISOString()).toBe('2025-03-29T01:30:00.000Z');
    expect(previousRun(london, new Date('2025-10-26T12:00:00Z'))?.toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });
});

describe('digest passes', () => {
  it('sends one digest per subscription at its own local time, in two time zones', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0LONDON', text: 'subscribe daily 09:00 Europe/London' });
    await chat.handle({ platform: 'slack', conversation: 'C0NEWYORK', text: 'subscribe daily 09:00 America/New_York' });
    store.addAdvisory(advisory('adv-1'), 'test', new Date('2025-01-06T08:30:00Z'));
    const slack = recordingPoster('slack');

    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(slack.posts.map((p) => p.conversation)).toEqual(['C0LONDON']);
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T13:59:00Z') });
    expect(slack.posts.map((p) => p.conversation)).toEqual(['C0LONDON']);
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T14:00:00Z') });
    expect(slack.posts.map((p) => p.conversation)).toEqual(['C0LONDON', 'C0NEWYORK']);
    // Running the same instant again posts nothing more.
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T14:00:00Z') });
    expect(slack.posts).toHaveLength(2);
    const digest = slack.posts[0]!.reply;
    expect(digest.text).toContain('ThreatBrief digest — 1 new advisory');
    expect(digest.text).toContain('CISA:');
    expect(digest.text).toContain('Advisory adv-1, 10 January 2025');
    expect(digest.citations.length).toBeGreaterThan(0);
  });

  it('never sends an empty digest, and starts a new subscription after what already exists', async () => {
    const { store, chat } = await setup();
    store.addAdvisory(advisory('old'), 'test', new Date('2025-01-05T00:00:00Z'));
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    const slack = recordingPoster('slack');
    const report = await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(report).toMatchObject({ due: 1, skippedEmpty: 1, queued: 0 });
    expect(slack.posts).toEqual([]);
  });

  it('delivers by order of addition, not by dates: an old advisory added late still arrives', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    store.addAdvisory(advisory('published-long-ago', { published: '2019-05-01' }), 'test', new Date('2025-01-06T08:59:00Z'));
    const slack = recordingPoster('slack');
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(slack.posts[0]?.reply.text).toContain('Advisory published-long-ago');
  });

  it('adds nothing when the same advisory comes in again', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    store.addAdvisory(advisory('kev-1'), 'import:kev', new Date());
    const slack = recordingPoster('slack');
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(store.addAdvisory(advisory('kev-1'), 'import:kev', new Date()).added).toBe(false);
    const report = await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-07T09:00:00Z') });
    expect(report).toMatchObject({ due: 1, skippedEmpty: 1 });
    expect(slack.posts).toHaveLength(1);
  });

  it('keeps a digest pending across a restart between the outbox write and the post, and sends it once', async () => {
    const { store, chat, dbPath } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    store.addAdvisory(advisory('adv-1'), 'test', new Date());
    // The pass queues the digest but has no way to post it (as if the process died there).
    const first = await runDigestPass({ store, posters: [], at: new Date('2025-01-06T09:00:00Z') });
    expect(first).toMatchObject({ queued: 1, sent: 0, pending: 1 });
    store.db.close();

    const reopened = new FactStore(openDatabase(dbPath));
    const slack = recordingPoster('slack');
    const second = await runDigestPass({ store: reopened, posters: [slack.poster], at: new Date('2025-01-06T09:01:00Z') });
    expect(second).toMatchObject({ due: 0, sent: 1, pending: 0 });
    await runDigestPass({ store: reopened, posters: [slack.poster], at: new Date('2025-01-07T09:00:00Z') });
    expect(slack.posts).toHaveLength(1);
    reopened.db.close();
  });

  it('retries after a platform failure, honours Retry-After, and never posts twice', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    await chat.handle({ platform: 'slack', conversation: 'C0B', text: 'subscribe daily 09:00 UTC' });
    store.addAdvisory(advisory('adv-1'), 'test', new Date());
    const slack = recordingPoster('slack');
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);

    slack.failNext(new Error('slack down'));
    const failing = await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z'), sleep });
    expect(failing).toMatchObject({ queued: 2, failed: 1, sent: 0, pending: 2 });

    slack.failNext(new PostError('ratelimited', 1500));
    const recovering = await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:05:00Z'), sleep });
    expect(recovering).toMatchObject({ sent: 2, pending: 0 });
    expect(waits).toEqual([1500]);
    expect(slack.posts.map((p) => p.conversation).sort()).toEqual(['C0A', 'C0B']);
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:10:00Z'), sleep });
    expect(slack.posts).toHaveLength(2);
  });

  it('gives up within its budget on a platform that hangs, leaving the digest pending', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    store.addAdvisory(advisory('adv-1'), 'test', new Date());
    const hanging: Poster = {
      platform: 'slack',
      post: (_c, _r, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('timed out')))),
    };
    const started = Date.now();
    const report = await runDigestPass({ store, posters: [hanging], at: new Date('2025-01-06T09:00:00Z'), budgetMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report).toMatchObject({ failed: 1, pending: 1 });
  });

  it('never posts a subscription made in one platform to another', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'teams', conversation: '19:team-conv', text: 'subscribe daily 09:00 UTC' });
    store.addAdvisory(advisory('adv-1'), 'test', new Date());
    const slack = recordingPoster('slack');
    const teams = recordingPoster('teams');
    await runDigestPass({ store, posters: [slack.poster, teams.poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(slack.posts).toEqual([]);
    expect(teams.posts.map((p) => p.conversation)).toEqual(['19:team-conv']);
  });

  it('filters by entity and keyword', async () => {
    const { store, chat } = await setup();
    const reply = await chat.handle({
      platform: 'slack',
      conversation: 'C0A',
      text: 'subscribe daily 09:00 UTC about Example Panda, ransomware',
    });
    expect(reply.text).toContain('about Example Panda, “ransomware”');
    store.addAdvisory(advisory('unrelated'), 'test', new Date());
    store.addAdvisory(advisory('panda', { entities: ['example-panda'] }), 'test', new Date());
    store.addAdvisory(advisory('ransom', { summary: 'A Ransomware campaign.' }), 'test', new Date());
    const slack = recordingPoster('slack');
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z') });
    const text = slack.posts[0]!.reply.text;
    expect(text).toContain('2 new advisories');
    expect(text).toContain('Advisory panda');
    expect(text).toContain('Advisory ransom');
    expect(text).not.toContain('Advisory unrelated');
  });

  it("lists a conversation's subscriptions and unsubscribes, and refuses a bad schedule with the reason", async () => {
    const { chat, subs } = await setup();
    const bad = await chat.handle({ platform: 'console', conversation: 'terminal', text: 'subscribe daily 25:00' });
    expect(bad.text).toContain('needs a time as HH:MM');
    await chat.handle({ platform: 'console', conversation: 'terminal', text: 'subscribe weekly mon 08:30 Europe/Paris' });
    expect((await chat.handle({ platform: 'console', conversation: 'terminal', text: 'subscriptions' })).text).toMatch(
      /#\d+: weekly mon 08:30 Europe\/Paris/,
    );
    expect((await chat.handle({ platform: 'console', conversation: 'other', text: 'subscriptions' })).text).toContain(
      'no digest subscriptions',
    );
    const id = (await subs.all())[0]!.id;
    expect((await chat.handle({ platform: 'console', conversation: 'terminal', text: `unsubscribe ${id}` })).text).toContain(
      `Subscription #${id} is stopped`,
    );
    expect(await subs.all()).toEqual([]);
  });

  it('tails a long digest with "and N more"', async () => {
    const { store, chat } = await setup();
    await chat.handle({ platform: 'slack', conversation: 'C0A', text: 'subscribe daily 09:00 UTC' });
    for (let i = 1; i <= 25; i++) store.addAdvisory(advisory(`adv-${i}`), 'test', new Date());
    const slack = recordingPoster('slack');
    await runDigestPass({ store, posters: [slack.poster], at: new Date('2025-01-06T09:00:00Z'), maxItems: 20 });
    const text = slack.posts[0]!.reply.text;
    expect(text).toContain('25 new advisories');
    expect(text).toContain('…and 5 more');
    expect(text.indexOf('Advisory adv-25')).toBeLessThan(text.indexOf('Advisory adv-24'));
    expect(text).not.toContain('Advisory adv-5 ');
  });
});
