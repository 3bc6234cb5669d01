import { expect } from 'vitest';
import { FAKE_IDS, type FakeSlack, fakeWorkspace, signedRequest } from './doubles/fake-slack.js';
import { SIGNING_SECRET } from './slack-harness.js';

/** The app's OAuth credentials as the tests register them with the fake Slack. */
export const CLIENT_ID = '1234567890.0987654321';
export const CLIENT_SECRET = 'fake-client-secret-0123';

/** The settings of many-workspace mode, for loadServiceConfig. */
export function manyWorkspaceEnv(fake: FakeSlack, installationKey: string): Record<string, string> {
  return {
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_INSTALLATION_KEY: installationKey,
    SLACK_API_URL: fake.apiUrl,
  };
}

/**
 * What an admin's browser does: opens the install page at `start`, follows "Add to Slack" to the
 * fake Slack's authorize page for `team`, and comes back with the code — to `finish` (another
 * replica, behind the same balancer) when given. `cookie: 'drop'` loses the browser's state cookie.
 */
export async function installInto(
  fake: FakeSlack,
  team: string,
  opts: { start: string; finish?: string; cookie?: 'keep' | 'drop' },
): Promise<Response> {
  const page = await fetch(`${opts.start}/slack/install`);
  expect(page.status).toBe(200);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const href = /<a href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&');
  expect(href?.startsWith(`${fake.url}oauth/v2/authorize?`)).toBe(true);
  const authorize = new URL(href!);
  expect(authorize.searchParams.get('scope')).toBe('commands,chat:write,app_mentions:read,im:history,im:read');
  authorize.searchParams.set('team', team);
  const approved = await fetch(authorize, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = new URL(approved.headers.get('location')!);
  expect(callback.pathname).toBe('/slack/oauth_redirect');
  const finish = new URL(opts.finish ?? opts.start);
  callback.host = finish.host;
  return fetch(callback, { headers: opts.cookie === 'drop' ? {} : { cookie } });
}

let eventSeq = 0;
let tsSeq = 0;

/** A signed Events API delivery from `team` to the service at `base`. */
export function slackEvent(base: string, team: string, ev: Record<string, unknown>): Promise<Response> {
  const req = signedRequest(SIGNING_SECRET, {
    json: {
      token: 'unused-verification-token',
      team_id: team,
      api_app_id: FAKE_IDS.appId,
      event: ev,
      type: 'event_callback',
      event_id: `Ev0INSTALL${++eventSeq}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: team, user_id: fakeWorkspace(team).botUserId, is_bot: true, is_enterprise_install: false },
      ],
    },
  });
  return fetch(`${base}/slack/events`, { method: 'POST', headers: req.headers, body: req.body });
}

/** A signed mention of the bot by a user of `team` in `channel`. */
export async function mentionIn(base: string, team: string, channel: string, text: string): Promise<void> {
  const ts = `${1_700_000_000 + ++tsSeq}.000100`;
  const res = await slackEvent(base, team, {
    type: 'app_mention',
    user: `U0USER${team}`,
    text: `<@${fakeWorkspace(team).botUserId}> ${text}`,
    ts,
    event_ts: ts,
    channel,
  });
  expect(res.status).toBe(200);
}

/** Adds an advisory about Example Panda through POST /advisories. */
export async function postAdvisory(base: string, webhookToken: string, id: string): Promise<void> {
  const res = await fetch(`${base}/advisories`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${webhookToken}` },
    body: JSON.stringify({
      id,
      title: `Example Panda exploits routers (${id})`,
      publisher: 'Example Agency',
      published: '2025-03-01',
      summary: 'Routers.',
      entities: ['example-panda'],
      sources: ['acme-report'],
    }),
  });
  expect(res.status).toBe(201);
}
