import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, SLACK_LIMITS } from '../adapters/slack/block-kit.js';
import type { AnswerEngine } from '../src/answer/engine.js';
import { type CardElement, makeReply } from '../src/answer/reply.js';
import { FAKE_IDS } from './doubles/fake-slack.js';
import { buttonsOf, CHANNEL, headerOf, nextTs, type SlackHarness, shownTexts, startSlackHarness, USER } from './slack-harness.js';

function mention(text: string) {
  return { type: 'app_mention', user: USER, text: `<@${FAKE_IDS.botUserId}> ${text}`, ts: nextTs(), channel: CHANNEL };
}

describe('a failing Slack Web API', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => h.fake.reset());

  const posted = () => h.fake.succeeded('chat.postMessage');
  const attempts = () => h.fake.calls.filter((c) => c.method === 'chat.postMessage');

  it('retries an HTTP 500 and delivers the answer once', async () => {
    h.fake.fail('chat.postMessage', { status: 500 });
    await h.event(mention('who is Flax Typhoon?'));
    await h.settle();
    expect(attempts()).toHaveLength(2);
    expect(posted()).toHaveLength(1);
    expect(headerOf(posted()[0]!.body)).toBe('Flax Typhoon');
  });

  it('retries a transient platform error (ok:false, internal_error) with backoff, and logs it', async () => {
    h.fake.fail('chat.postMessage', { error: 'internal_error' }, { error: 'service_unavailable' });
    await h.event(mention('latest'));
    await h.settle();
    expect(attempts()).toHaveLength(3);
    expect(posted()).toHaveLength(1);
    expect(h.logs.filter((l) => l.msg === 'chat.postMessage failed; retrying').map((l) => l.attempt)).toEqual([1, 2]);
  });

  it('waits out a 429 for its Retry-After, then delivers', async () => {
    h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    await h.event(mention('latest'));
    await h.settle();
    expect(posted()).toHaveLength(1);
    expect(posted()[0]!.at - t0).toBeGreaterThanOrEqual(950);
  });

  it('retries a response_url that fails with 503 or 429', async () => {
    h.fake.fail('response', { status: 503 }, { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    await h.command('who is Flax Typhoon', { responseId: 'flaky' });
    await h.settle();
    expect(h.fake.responses.map((r) => r.path)).toEqual(['/response/flaky']);
    expect(h.fake.responses[0]!.at - t0).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a permanent error without retrying, logs it with a reference, and keeps serving', async () => {
    h.fake.fail('chat.postMessage', { error: 'channel_not_found' });
    expect((await h.event(mention('latest'))).status).toBe(200);
    await h.settle();
    expect(attempts()).toHaveLength(1);
    expect(posted()).toHaveLength(0);
    const failure = [...h.logs].reverse().find((l) => l.msg === 'could not deliver the answer to Slack');
    expect(failure?.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(failure?.err)).toContain('channel_not_found');

    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    await h.event(mention('who is Flax Typhoon?'));
    await h.settle();
    expect(posted()).toHaveLength(1);
  });

  it('survives an outage longer than its retries, then answers again once Slack recovers', async () => {
    h.fake.fail('chat.postMessage', { status: 500 }, { status: 500 }, { status: 500 });
    h.fake.fail('response', { status: 502 }, { status: 502 }, { status: 502 });
    await h.event(mention('latest'));
    await h.command('latest');
    await h.settle();
    expect(posted()).toHaveLength(0);
    expect(h.fake.responses).toHaveLength(0);
    expect(h.logs.filter((l) => l.msg === 'could not deliver the answer to Slack').length).toBeGreaterThanOrEqual(2);

    await h.event(mention('latest'));
    await h.command('latest');
    await h.settle();
    expect(posted()).toHaveLength(1);
    expect(h.fake.responses).toHaveLength(1);
  });
});

describe('failures inside the bot, and answers too long for one message', () => {
  const sections: CardElement[] = Array.from({ length: 140 }, (_, i) => ({
    kind: 'section',
    lines: [{ text: `Fact ${i}: ${'detail '.repeat(60)}`, cites: [1] }],
  }));
  const long = makeReply('profile', {
    title: 'A very long answer',
    elements: sections,
    citations: [{ sourceId: 's', title: 'Source', publisher: 'P', url: 'https://example.org/' }],
  });
  const engine: AnswerEngine = {
    answer: async (q) => {
      if (q.startsWith('boom')) throw new Error('SQLITE_CORRUPT: secret detail from /var/lib/threatbrief.db');
      if (q.startsWith('long')) return long;
      return makeReply('help', { title: 'Help', elements: [{ kind: 'note', text: q }], citations: [] });
    },
    refresh: async () => [],
    knowledgeVersion: () => 'test',
    resolver: () => {
      throw new Error('not used');
    },
    preparedScreener: () => undefined,
  };
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ engine });
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => h.fake.reset());

  it('shows a short reference, never the error, and logs the detail under that reference', async () => {
    await h.command('boom');
    await h.event(mention('boom'));
    await h.settle();
    const out = [...h.fake.responses, ...h.fake.succeeded('chat.postMessage')];
    expect(out).toHaveLength(2);
    for (const c of out) {
      const text = shownTexts(c.body).join('\n');
      const reference = /Reference: ([0-9a-f]{8})/.exec(text)?.[1];
      expect(reference).toBeDefined();
      expect(text).not.toMatch(/SQLITE|secret|\/var\/lib|at .*\.(ts|js):\d+/);
      const logged = h.logs.find((l) => l.reference === reference);
      expect(logged?.msg).toBe('answering failed');
      expect(logged?.err?.message).toContain('SQLITE_CORRUPT');
      expect(logged?.err?.stack).toBeDefined();
    }
  });

  it('cuts a long private answer at 50 blocks with a "More" button that sends the next part', async () => {
    await h.command('long answer', { responseId: 'long' });
    await h.settle();
    const first = h.fake.responses[0]!.body;
    expect((first.blocks as unknown[]).length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(first.text).toMatch(/^A very long answer/);
    const more = buttonsOf(first).find((b) => b.action_id === ACTIONS.more)!;
    expect(more.text).toMatch(/^More \(part 2 of \d+\)$/);
    expect(buttonsOf(first).map((b) => b.action_id)).toContain(ACTIONS.share);

    h.fake.reset();
    await h.click({ action_id: ACTIONS.more, value: more.value }, { responseId: 'long-2' });
    await h.settle();
    const second = h.fake.responses[0]!.body;
    expect(second).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(headerOf(second)).toMatch(/^A very long answer \(part 2 of \d+\)$/);
    expect(shownTexts(second).join('\n')).not.toContain('Fact 0:');
    expect((second.blocks as unknown[]).length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  });

  it('cuts a long answer in a thread the same way, within Slack limits', async () => {
    await h.event(mention('long answer'));
    await h.settle();
    const [post] = h.fake.succeeded('chat.postMessage');
    const blocks = post!.body.blocks as { type: string; text?: { text: string } }[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(buttonsOf(post!.body).map((b) => b.action_id)).toEqual([ACTIONS.more]);
  });
});
