import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventDedupe, dedupePathFor } from '../adapters/slack/dedupe.js';
import { fromMessageEvent, fromSlashCommand, type MessageEventLike, stripMentions } from '../adapters/slack/to-incoming.js';
import { tempDir } from './helpers.js';

const self = { botUserId: 'U0BOT', botId: 'B0BOT' };
const base = { user: 'U0TEST', channel: 'C0TEST', ts: '1700000000.000100' };

describe('Slack payload → neutral question', () => {
  it.each([
    ['<@U0BOT> who is Flax Typhoon?', 'who is Flax Typhoon?'],
    ['<@U0BOT|threatbrief>   is Integrity Tech sanctioned?', 'is Integrity Tech sanctioned?'],
    ['hey <@U0BOT> latest <!here>', 'hey latest'],
    ['<!channel> <!everyone> <!subteam^S0TEAM|@secops> help', 'help'],
    ['is &lt;!here&gt; &amp; co sanctioned?', 'is &lt;!here&gt; &amp; co sanctioned?'],
  ])('strips mentions from %j, leaving entities for the core to decode once', (text, expected) => {
    expect(stripMentions(text)).toBe(expected);
  });

  it('reads a slash command', () => {
    expect(fromSlashCommand({ text: ' who is <@U0X> Flax Typhoon ', user_id: 'U0TEST', channel_id: 'C0TEST' })).toEqual({
      source: 'command',
      text: 'who is Flax Typhoon',
      userId: 'U0TEST',
      channelId: 'C0TEST',
    });
    expect(fromSlashCommand({ user_id: 'U0TEST', channel_id: 'C0TEST' }).text).toBe('');
  });

  it('answers a mention in the thread it came from, or starts one', () => {
    expect(fromMessageEvent({ type: 'app_mention', text: '<@U0BOT> latest', ...base }, self)).toEqual({
      source: 'mention',
      text: 'latest',
      userId: 'U0TEST',
      channelId: 'C0TEST',
      threadTs: base.ts,
    });
    expect(
      fromMessageEvent({ type: 'app_mention', text: '<@U0BOT> latest', ...base, thread_ts: '1699999999.000100' }, self)?.threadTs,
    ).toBe('1699999999.000100');
  });

  it('answers direct messages, including ones with a file', () => {
    expect(fromMessageEvent({ type: 'message', channel_type: 'im', text: 'help', ...base, channel: 'D0TEST' }, self)?.source).toBe('dm');
    expect(fromMessageEvent({ type: 'message', channel_type: 'im', subtype: 'file_share', text: 'help', ...base }, self)?.text).toBe(
      'help',
    );
  });

  const ignored: [string, MessageEventLike][] = [
    ['its own message', { type: 'message', channel_type: 'im', text: 'x', ...base, user: 'U0BOT', bot_id: 'B0BOT' }],
    ['its own user id without bot_id', { type: 'message', channel_type: 'im', text: 'x', ...base, user: 'U0BOT' }],
    ['another bot', { type: 'message', channel_type: 'im', subtype: 'bot_message', text: 'x', ...base, bot_id: 'B0OTHER' }],
    ['a bot mentioning it', { type: 'app_mention', text: '<@U0BOT> x', ...base, bot_id: 'B0OTHER' }],
    ['a bot with only a profile', { type: 'app_mention', text: '<@U0BOT> x', ...base, bot_profile: { id: 'B0OTHER' } }],
    ['an edit', { type: 'message', channel_type: 'im', subtype: 'message_changed', ...base }],
    ['a deletion', { type: 'message', channel_type: 'im', subtype: 'message_deleted', ...base }],
    ['a channel message without a mention', { type: 'message', channel_type: 'channel', text: 'who is Flax Typhoon?', ...base }],
    ['a group DM', { type: 'message', channel_type: 'mpim', text: 'latest', ...base }],
    ['a message without a user', { type: 'message', channel_type: 'im', text: 'x', channel: 'D0TEST', ts: base.ts }],
    ['another event type', { type: 'reaction_added', ...base }],
  ];
  it.each(ignored)('ignores %s', (_name, event) => {
    expect(fromMessageEvent(event, self)).toBeUndefined();
  });
});

describe('event dedupe', () => {
  it('says yes once per key, across restarts (its own file), and forgets keys after keepMs', async () => {
    const path = join(tempDir(), 'dedupe.db');
    let now = 1_000_000;
    const dedupe = createEventDedupe({ path, keepMs: 60_000, now: () => now });
    expect(await dedupe.firstTime('Ev1')).toBe(true);
    expect(await dedupe.firstTime('Ev1')).toBe(false);
    expect(await dedupe.firstTime('Ev2')).toBe(true);
    dedupe.close();

    const reopened = createEventDedupe({ path, keepMs: 60_000, now: () => now });
    expect(await reopened.firstTime('Ev1')).toBe(false);
    now += 61_000;
    expect(await reopened.firstTime('Ev1')).toBe(true);
    reopened.close();
  });

  it('keeps a bounded number of keys in memory', async () => {
    const dedupe = createEventDedupe({ maxInMemory: 3 });
    for (const k of ['a', 'b', 'c', 'd']) expect(await dedupe.firstTime(k)).toBe(true);
    expect(await dedupe.firstTime('d')).toBe(false);
    expect(await dedupe.firstTime('a')).toBe(true); // forgotten: the oldest went first
  });

  it('lives beside the store, not in it', () => {
    expect(dedupePathFor('/var/lib/threatbrief/threatbrief.db')).toBe('/var/lib/threatbrief/threatbrief.slack-events.db');
    expect(dedupePathFor(':memory:')).toBeUndefined();
  });
});
