import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../adapters/slack/block-kit.js';
import { escapeSlack } from '../adapters/slack/escape.js';
import { COMMANDS } from '../src/answer/commands.js';
import { FAKE_IDS, signedRequest } from './doubles/fake-slack.js';
import {
  buttonsOf,
  CHANNEL,
  DM_CHANNEL,
  headerOf,
  nextTs,
  SIGNING_SECRET,
  type SlackHarness,
  shownTexts,
  startSlackHarness,
  USER,
} from './slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h.stop();
});
beforeEach(() => h.fake.reset());

/** Everything the bot sent to Slack after the request: Web API calls and response_url POSTs. */
async function sent() {
  await h.settle();
  return h.delivered();
}

function shown(body: Record<string, unknown>): string {
  return shownTexts(body).join('\n');
}

function mention(text: string, extra: Record<string, unknown> = {}) {
  return { type: 'app_mention', user: USER, text: `<@${FAKE_IDS.botUserId}> ${text}`, ts: nextTs(), channel: CHANNEL, ...extra };
}

describe('/threat', () => {
  it('acknowledges at once and answers "who is Flax Typhoon" privately, with cited links and a share button', async () => {
    const ack = await h.command('who is Flax Typhoon', { responseId: 'flax' });
    expect(ack.status).toBe(200);
    // The ack carries nothing: the answer follows through the response URL (ack times are in `npm run bench`).
    expect(ack.body).toBe('');
    const out = await sent();
    expect(out.map((c) => c.path)).toEqual(['/response/flax']);
    const body = out[0]!.body;
    expect(body.response_type).toBe('ephemeral');
    expect(headerOf(body)).toBe('Flax Typhoon');
    // The notification text is the direct answer itself.
    expect(body.text).toMatch(/^Flax Typhoon is Microsoft's name for a Chinese state-sponsored cyber group/);
    expect(shown(body)).toMatch(/\[\d\] <https:\/\/[^|>]+\|[^>]+> — Microsoft/);
    expect(buttonsOf(body)).toEqual([{ action_id: ACTIONS.share, value: 'who is Flax Typhoon', text: 'Share in channel' }]);
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(0);
  });

  it('answers "is Integrity Tech sanctioned?" with the designation and its Treasury citation', async () => {
    await h.command('is Integrity Tech sanctioned?');
    const [res] = await sent();
    const text = shown(res!.body);
    expect(text).toMatch(/Yes — Integrity Technology Group/);
    expect(text).toContain('OFAC');
    expect(text).toContain('3 January 2025');
    expect(text).toMatch(/<https:\/\/home\.treasury\.gov\/[^|]+\|[^>]+>/);
  });

  it('answers "latest" with the newest advisories', async () => {
    await h.command('latest');
    const [res] = await sent();
    expect(headerOf(res!.body)).toBe('Latest advisories');
    expect(shown(res!.body)).toMatch(/CISA|Treasury/);
  });

  it('answers "help" with every command in the registry, escaped', async () => {
    await h.command('help');
    const [res] = await sent();
    const text = shown(res!.body);
    for (const c of COMMANDS) expect(text).toContain(escapeSlack(c.usage));
    expect(text).toContain('who is &lt;name&gt;');
  });

  it('answers an empty /threat with what to ask', async () => {
    await h.command('');
    const [res] = await sent();
    expect(res!.body.response_type).toBe('ephemeral');
    expect(shown(res!.body)).toMatch(/who is Flax Typhoon/);
  });
});

describe('mentions and direct messages', () => {
  it('answers a mention in a thread, without the mention in the question', async () => {
    const event = mention('who is Flax Typhoon?');
    await h.event(event);
    const out = await sent();
    expect(out.map((c) => c.method)).toEqual(['chat.postMessage']);
    const body = out[0]!.body;
    expect(body).toMatchObject({ channel: CHANNEL, thread_ts: event.ts, unfurl_links: 'false' });
    expect(headerOf(body)).toBe('Flax Typhoon');
    expect(typeof body.text).toBe('string');
    expect(out[0]!.authorization).toBe('Bearer xoxb-0000-test-token');
  });

  it('answers a mention inside a thread in that thread', async () => {
    await h.event(mention('latest', { thread_ts: '1690000000.000100' }));
    const [res] = await sent();
    expect(res!.body.thread_ts).toBe('1690000000.000100');
  });

  it('answers a direct message in a thread', async () => {
    const ts = nextTs();
    await h.event({ type: 'message', channel_type: 'im', user: USER, text: 'is Integrity Tech sanctioned?', ts, channel: DM_CHANNEL });
    const [res] = await sent();
    expect(res!.body).toMatchObject({ channel: DM_CHANNEL, thread_ts: ts });
    expect(shown(res!.body)).toMatch(/Yes — Integrity Technology Group/);
  });

  it('ignores its own messages, other bots, edits and channel chatter', async () => {
    const events = [
      {
        type: 'message',
        channel_type: 'im',
        user: FAKE_IDS.botUserId,
        bot_id: FAKE_IDS.botId,
        text: 'Flax Typhoon',
        ts: nextTs(),
        channel: DM_CHANNEL,
      },
      {
        type: 'message',
        channel_type: 'im',
        subtype: 'bot_message',
        bot_id: 'B0OTHER',
        text: 'who is Flax Typhoon?',
        ts: nextTs(),
        channel: DM_CHANNEL,
      },
      {
        type: 'app_mention',
        user: 'U0OTHERBOT',
        bot_id: 'B0OTHER',
        text: `<@${FAKE_IDS.botUserId}> latest`,
        ts: nextTs(),
        channel: CHANNEL,
      },
      { type: 'message', channel_type: 'im', subtype: 'message_changed', ts: nextTs(), channel: DM_CHANNEL, message: { text: 'latest' } },
      { type: 'message', channel_type: 'channel', user: USER, text: 'who is Flax Typhoon?', ts: nextTs(), channel: CHANNEL },
    ];
    for (const e of events) expect((await h.event(e)).status).toBe(200);
    expect(await sent()).toEqual([]);
  });
});

describe('buttons', () => {
  it('shares an answer in the channel for everyone, then removes the private copy', async () => {
    await h.click({ action_id: ACTIONS.share, value: 'who is Flax Typhoon' }, { responseId: 'share' });
    const out = await sent();
    expect(out.map((c) => c.path)).toEqual(['/response/share', '/response/share']);
    expect(out[0]!.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(headerOf(out[0]!.body)).toBe('Flax Typhoon');
    expect(shown(out[0]!.body)).toContain(`Shared by <@${USER}>`);
    expect(buttonsOf(out[0]!.body).map((b) => b.action_id)).not.toContain(ACTIONS.share);
    expect(out[1]!.body).toEqual({ delete_original: true });
  });

  it('answers the chosen entity when a private "which one?" button is clicked', async () => {
    await h.command('who is typhoon?', { responseId: 'clarify' });
    const [clarify] = await sent();
    expect(headerOf(clarify!.body)).toBe('Which one do you mean?');
    const choices = buttonsOf(clarify!.body).filter((b) => b.action_id.startsWith(ACTIONS.choice));
    expect(choices.length).toBeGreaterThan(1);
    const volt = choices.find((c) => c.text.startsWith('Volt Typhoon'))!;

    h.fake.reset();
    await h.click({ action_id: volt.action_id, value: volt.value }, { responseId: 'choice' });
    const [answer] = await sent();
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(headerOf(answer!.body)).toBe('Volt Typhoon');
    expect(buttonsOf(answer!.body).map((b) => b.action_id)).toEqual([ACTIONS.share]);
  });

  it('answers a choice clicked in a thread in that thread, for the person who clicked', async () => {
    const parent = mention('who is typhoon?');
    await h.event(parent);
    const [clarify] = await sent();
    const flax = buttonsOf(clarify!.body).find((b) => b.text.startsWith('Flax Typhoon'))!;

    h.fake.reset();
    await h.click(
      { action_id: flax.action_id, value: flax.value },
      { ephemeral: false, message: { ts: nextTs(), thread_ts: parent.ts, text: 'Which one do you mean?' } },
    );
    const [answer] = await sent();
    expect(answer!.body).toMatchObject({ response_type: 'in_channel', replace_original: false, thread_ts: parent.ts });
    expect(headerOf(answer!.body)).toBe('Flax Typhoon');
    expect(shown(answer!.body)).toContain(`For <@${USER}>`);
  });

  it('ignores a "more" button whose value it cannot read', async () => {
    expect((await h.click({ action_id: ACTIONS.more, value: 'not json' })).status).toBe(200);
    expect(await sent()).toEqual([]);
  });
});

describe('request authenticity', () => {
  it('refuses a command signed with the wrong secret and answers nothing', async () => {
    const res = await h.command('who is Flax Typhoon', { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    expect(await sent()).toEqual([]);
  });

  it('refuses a correctly signed request older than 5 minutes (a replay)', async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await h.command('latest', { timestamp: stale })).status).toBe(401);
    expect((await h.event(mention('latest'), { timestamp: stale })).status).toBe(401);
    expect(await sent()).toEqual([]);
  });

  it('refuses a body changed after signing, and unsigned requests', async () => {
    const signed = signedRequest(SIGNING_SECRET, {
      json: { type: 'event_callback', event_id: 'Ev0TAMPER', team_id: FAKE_IDS.team, event: mention('latest') },
    });
    expect((await h.post({ ...signed, body: signed.body.replace('latest', 'help') })).status).toBe(401);
    const { 'x-slack-signature': _dropped, ...unsigned } = signed.headers;
    expect((await h.post({ body: signed.body, headers: unsigned })).status).toBe(401);
    expect(await sent()).toEqual([]);
  });

  it('answers a correctly signed request (the control for the tests above)', async () => {
    expect((await h.event(mention('latest'))).status).toBe(200);
    expect(await sent()).toHaveLength(1);
  });
});

describe('retries and duplicates', () => {
  it('answers an event once however often Slack retries it', async () => {
    const event = mention('who is Flax Typhoon?');
    // Each delivery is signed afresh, at its own time (an identical signed request is a replay: see slack-privacy.test.ts).
    const t = Math.floor(Date.now() / 1000);
    expect((await h.event(event, { eventId: 'Ev0RETRY', timestamp: t - 3 })).status).toBe(200);
    expect((await h.event(event, { eventId: 'Ev0RETRY', retryNum: 1, timestamp: t - 2 })).status).toBe(200);
    expect((await h.event(event, { eventId: 'Ev0RETRY', retryNum: 2, timestamp: t - 1 })).status).toBe(200);
    expect((await h.event(event, { eventId: 'Ev0RETRY', timestamp: t })).status).toBe(200);
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(0 + (await sent()).length);
    expect((await sent()).length).toBe(1);
    expect(h.logs.filter((l) => l.msg === 'duplicate event ignored' && l.eventId === 'Ev0RETRY')).toHaveLength(3);
  });

  it('answers one message once even when it comes as two events (app_mention and message.im)', async () => {
    const ts = nextTs();
    await h.event({ type: 'app_mention', user: USER, text: `<@${FAKE_IDS.botUserId}> latest`, ts, channel: DM_CHANNEL });
    await h.event({ type: 'message', channel_type: 'im', user: USER, text: `<@${FAKE_IDS.botUserId}> latest`, ts, channel: DM_CHANNEL });
    expect(await sent()).toHaveLength(1);
  });

  it('answers a retry whose first delivery never arrived', async () => {
    await h.event(mention('latest'), { eventId: 'Ev0LOSTFIRST', retryNum: 1 });
    expect(await sent()).toHaveLength(1);
  });
});

describe('escaping', () => {
  it('never posts a broadcast, mention or link that came from the question', async () => {
    // "&lt;!channel&gt;" is what Slack sends when someone types "<!channel>" literally; the core
    // decodes it and echoes the name back in "no record of …", so only the adapter's escaping
    // stands in between.
    const here = 'is <!channel> Acme&lt;!channel&gt;Widgets sanctioned?';
    const links = 'is &lt;!everyone&gt; &lt;@U0VICTIM&gt; &lt;https://evil.example|login&gt; sanctioned?';
    await h.command(here);
    await h.event(mention(links));
    await h.event({ type: 'message', channel_type: 'im', user: USER, text: links, ts: nextTs(), channel: DM_CHANNEL });
    const out = await sent();
    expect(out).toHaveLength(3);
    expect(shown(out[0]!.body)).toContain('Acme&lt;!channel&gt;Widgets');
    for (const c of out) {
      const raw = JSON.stringify(c.body);
      expect(raw).not.toMatch(/<!(channel|here|everyone)/);
      expect(raw).not.toContain('<@U0VICTIM');
      expect(raw).not.toContain('<https://evil');
      expect(shown(c.body)).toMatch(/I have no record of /);
    }
  });
});
