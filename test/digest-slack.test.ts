import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPoster } from '../adapters/slack/poster.js';
import { createBot } from '../src/chat/bot.js';
import { digestRun } from '../src/digest/cli-commands.js';
import { runDigestPass } from '../src/digest/pass.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { type FakeSlack, startFakeSlack } from './doubles/fake-slack.js';
import { copyKnowledge, openTestBot } from './helpers.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

async function subscribedStore() {
  const bot = openTestBot(copyKnowledge());
  await bot.engine.refresh();
  const chat = createBot({ engine: bot.engine, store: bot.store, now: () => new Date('2025-01-06T08:00:00Z') });
  await chat.handle({ platform: 'slack', conversation: 'C0DIGEST', text: 'subscribe daily 09:00 Europe/London' });
  bot.store.addAdvisory(
    {
      id: 'adv-1',
      title: 'Advisory <!channel> one',
      publisher: 'CISA',
      published: '2025-01-10',
      summary: 'x',
      entities: ['example-panda'],
      severity: 'high',
      sources: ['acme-report'],
    },
    'test',
    new Date(),
  );
  return bot;
}

describe('Slack digests through chat.postMessage', () => {
  it('posts one Block Kit digest to the subscribed channel, with escaped text and a fallback', async () => {
    const { store } = await subscribedStore();
    const poster = createSlackPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
    await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:00:00Z') });
    const posts = slack.succeeded('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('C0DIGEST');
    expect(posts[0]!.authorization).toBe('Bearer xoxb-test');
    expect(String(posts[0]!.body.text)).toContain('ThreatBrief digest');
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(posts[0]!.body)).not.toContain('<!channel>');
  });

  it('keeps the digest pending while the Web API fails, honours 429 Retry-After, and posts it once on recovery', async () => {
    const { store } = await subscribedStore();
    const poster = createSlackPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
    slack.fail('chat.postMessage', { error: 'internal_error' });
    const failed = await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(failed).toMatchObject({ queued: 1, failed: 1, pending: 1 });

    slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const recovered = await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:01:00Z') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(recovered).toMatchObject({ sent: 1, pending: 0 });
    await runDigestPass({ store, posters: [poster], at: new Date('2025-01-07T09:00:00Z') });
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
  });
});

describe('a digest in flight when the process died', () => {
  it('is not posted again when Slack already has it (found by its metadata), and is posted once when Slack has not', async () => {
    const { store } = await subscribedStore();
    const poster = createSlackPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
    await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:00:00Z') });
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    expect(slack.succeeded('chat.postMessage')[0]!.body.metadata).toMatchObject({
      event_type: 'threatbrief_digest',
      event_payload: { key: expect.stringMatching(/^threatbrief-digest-\d+$/) },
    });

    // The state a kill -9 leaves between Slack accepting the post and the outbox saying so.
    store.db.prepare("UPDATE outbox SET status = 'pending', sent_at = NULL").run();
    const confirmed = await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:05:00Z') });
    expect(confirmed).toMatchObject({ sent: 1, pending: 0 });
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);

    // Killed before Slack got it: nothing in the channel, so it is posted, once.
    slack.reset();
    store.db.prepare("UPDATE outbox SET status = 'pending', sent_at = NULL").run();
    await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:10:00Z') });
    await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:15:00Z') });
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
  });

  it('is not posted twice when Slack took the post but answered after our timeout', async () => {
    const { store } = await subscribedStore();
    const poster = createSlackPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
    const answerAfterMs = 1500;
    slack.delay('chat.postMessage', answerAfterMs);
    const timedOut = await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:00:00Z'), postTimeoutMs: 200 });
    expect(timedOut).toMatchObject({ failed: 1, pending: 1 });
    await new Promise((resolve) => setTimeout(resolve, answerAfterMs + 300));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);

    slack.delay('chat.postMessage', 0);
    const confirmed = await runDigestPass({ store, posters: [poster], at: new Date('2025-01-06T09:05:00Z') });
    expect(confirmed).toMatchObject({ sent: 1, pending: 0 });
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
  });

  it('says why a digest is still pending, with what to do: a channel the bot was never invited to', async () => {
    const { store } = await subscribedStore();
    const poster = createSlackPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
    slack.fail('chat.postMessage', { error: 'not_in_channel' });
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await digestRun(store, createSqliteState(store), ['run', '--at', '2025-01-06T09:00:00Z'], [poster], io)).toBe(1);
    expect(out[0]).toMatch(/1 failed, 1 pending$/);
    expect(out[1]).toMatch(
      /^ {2}pending digest \d+ to slack C0DIGEST \(subscription #\d+, 1 attempt\): chat\.postMessage failed: not_in_channel — /,
    );
    expect(out[1]).toContain('/invite @threatbrief');

    // Run where no Slack poster is configured: it says so instead of a bare "pending".
    out.length = 0;
    expect(await digestRun(store, createSqliteState(store), ['run', '--at', '2025-01-06T09:01:00Z'], [], io)).toBe(0);
    expect(out[1]).toContain('not tried: this process has no slack settings');
  });
});
