import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../adapters/slack/block-kit.js';
import { createAccess } from '../src/access/access.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { FAKE_IDS, signedRequest } from './doubles/fake-slack.js';
import { copyKnowledge, openTestBot } from './helpers.js';
import { DM_CHANNEL, SIGNING_SECRET, type SlackHarness, startSlackHarness, USER } from './slack-harness.js';

const SECRET_CLAIM = 'Example Panda reuses a private AMBER-only loader.';
/** A direct message between two people, where /threat can be used but the bot is not a member. */
const HUMANS_DM = 'D0HUMANS';

function amberKnowledge(): string {
  const dir = copyKnowledge();
  writeFileSync(
    join(dir, 'entities', 'example-panda.yaml'),
    `id: example-panda
type: threat-actor
name: Example Panda
summary: Example Panda is a fictional actor used in tests.
summary_sources: [acme-report]
claims:
  - predicate: tooling
    text: ${SECRET_CLAIM}
    sources: [acme-report]
    tlp: AMBER
  - predicate: tooling
    text: Example Panda uses a public web shell.
    sources: [acme-report]
`,
  );
  return dir;
}

describe('Slack: private only in the bot’s own DM with the asker', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    const t = openTestBot(amberKnowledge());
    await t.engine.refresh();
    h = await startSlackHarness({ engine: t.engine });
    // The asker may see AMBER in their own DM with the bot.
    await createAccess(createSqliteState(h.store), {}).setUserClearance('slack', USER, 'AMBER', 'test', new Date());
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => h.fake.reset());

  it('answers /threat in the bot’s own DM at the asker’s clearance', async () => {
    await h.command('what tools does Example Panda use?', { channel: DM_CHANNEL });
    await h.settle();
    expect(JSON.stringify(h.delivered())).toContain('AMBER-only loader');
  });

  it('answers /threat in a DM between two people at CLEAR', async () => {
    await h.command('what tools does Example Panda use?', { channel: HUMANS_DM });
    await h.settle();
    const answer = JSON.stringify(h.delivered());
    expect(answer).toContain('public web shell');
    expect(answer).not.toContain('AMBER-only loader');
  });

  it('answers at CLEAR in someone else’s DM with the bot', async () => {
    await h.command('what tools does Example Panda use?', { channel: DM_CHANNEL, user: 'U0OTHER' });
    await h.settle();
    expect(JSON.stringify(h.delivered())).not.toContain('AMBER-only loader');
  });

  it('never shares above-CLEAR content into a DM between two people', async () => {
    await h.click({ action_id: ACTIONS.share, value: 'what tools does Example Panda use?' }, { ephemeral: true, channel: HUMANS_DM });
    await h.settle();
    const shared = JSON.stringify(h.delivered());
    expect(shared).toContain('public web shell');
    expect(shared).not.toContain('AMBER-only loader');
  });
});

describe('Slack: requests from the future and replays', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(() => h.fake.reset());

  it('refuses a correctly signed request timestamped minutes in the future', async () => {
    const res = await h.command('latest', { timestamp: Math.floor(Date.now() / 1000) + 5 * 60 });
    expect(res.status).toBe(401);
    await h.settle();
    expect(h.delivered()).toEqual([]);
  });

  it('takes a request within a small clock skew', async () => {
    const res = await h.command('latest', { timestamp: Math.floor(Date.now() / 1000) + 10 });
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.fake.responses).toHaveLength(1);
  });

  it('answers a replayed slash command (same body and signature) once', async () => {
    const req = signedRequest(SIGNING_SECRET, {
      form: {
        team_id: FAKE_IDS.team,
        channel_id: 'C0TEST',
        user_id: USER,
        command: '/threat',
        text: 'latest',
        api_app_id: FAKE_IDS.appId,
        response_url: h.fake.responseUrl('replayed'),
        trigger_id: '1000.2000.trigger',
      },
    });
    expect((await h.post(req)).status).toBe(200);
    expect((await h.post(req)).status).toBe(200);
    expect((await h.post(req)).status).toBe(200);
    await h.settle();
    expect(h.fake.responses.filter((r) => r.path.endsWith('/replayed'))).toHaveLength(1);
  });

  it('answers a replayed button click once', async () => {
    const payload = {
      type: 'block_actions',
      team: { id: FAKE_IDS.team, domain: 'test' },
      user: { id: USER, username: 'tester', name: 'tester', team_id: FAKE_IDS.team },
      api_app_id: FAKE_IDS.appId,
      container: { type: 'message', message_ts: '1.2', channel_id: 'C0TEST', is_ephemeral: true },
      trigger_id: '1000.2000.trigger',
      channel: { id: 'C0TEST', name: 'threat-intel' },
      response_url: h.fake.responseUrl('clicked'),
      actions: [{ action_id: ACTIONS.share, value: 'latest', block_id: 'b1', type: 'button', text: { type: 'plain_text', text: 'Share' } }],
    };
    const req = signedRequest(SIGNING_SECRET, { form: { payload: JSON.stringify(payload) } });
    await h.post(req);
    await h.post(req);
    await h.settle();
    const shared = h.fake.responses.filter((r) => r.path.endsWith('/clicked') && r.body.response_type === 'in_channel');
    expect(shared).toHaveLength(1);
  });
});
