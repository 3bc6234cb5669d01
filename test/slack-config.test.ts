import { describe, expect, it } from 'vitest';
import { ConfigError, loadServiceConfig } from '../src/app/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('service configuration', () => {
  it('without Slack credentials, serves nothing over Slack (serve runs the terminal chat)', () => {
    const c = loadServiceConfig({});
    expect(c.slack).toBeUndefined();
    expect(c.port).toBe(3000);
    expect(loadServiceConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' }).slack).toBeUndefined();
  });

  it('reads HTTP mode, with SLACK_API_URL in the form of https://slack.com/api/', () => {
    expect(
      loadServiceConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's3cret',
        PORT: '8080',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
      }),
    ).toMatchObject({
      port: 8080,
      slack: { mode: 'http', botToken: 'xoxb-1', signingSecret: 's3cret', apiUrl: 'http://127.0.0.1:9999/api/' },
    });
    expect(loadServiceConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({ apiUrl: undefined });
  });

  it('reads Socket Mode when SLACK_APP_TOKEN is set', () => {
    expect(loadServiceConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      apiUrl: undefined,
    });
  });

  const MANY = {
    SLACK_CLIENT_ID: '123.456',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret-0123456789',
    SLACK_SIGNING_SECRET: 's3cret',
  };
  const KEY_HEX = 'ab'.repeat(32);

  it('reads many-workspace mode from SLACK_CLIENT_ID and its companions, the key as hex or base64', () => {
    const c = loadServiceConfig({ ...MANY, SLACK_INSTALLATION_KEY: KEY_HEX });
    expect(c.slack).toMatchObject({
      mode: 'http',
      signingSecret: 's3cret',
      install: { clientId: '123.456', clientSecret: 'client-secret' },
    });
    expect(c.slack && 'install' in c.slack && c.slack.install.installationKey).toEqual(Buffer.from(KEY_HEX, 'hex'));
    const b64 = Buffer.from(KEY_HEX, 'hex').toString('base64');
    expect(loadServiceConfig({ ...MANY, SLACK_INSTALLATION_KEY: b64 }).slack).toMatchObject({
      install: { installationKey: Buffer.from(KEY_HEX, 'hex') },
    });
  });

  it.each([
    [{ ...MANY }, ['SLACK_INSTALLATION_KEY: required when SLACK_CLIENT_ID is set']],
    [{ ...MANY, SLACK_INSTALLATION_KEY: 'c2hvcnQ=' }, ['SLACK_INSTALLATION_KEY: must be 32 random bytes']],
    [{ ...MANY, SLACK_INSTALLATION_KEY: 'ab'.repeat(31) }, ['SLACK_INSTALLATION_KEY: must be 32 random bytes']],
    [
      { SLACK_CLIENT_ID: '123.456', SLACK_SIGNING_SECRET: 's', SLACK_INSTALLATION_KEY: 'ab'.repeat(32) },
      ['SLACK_CLIENT_SECRET: required', 'SLACK_STATE_SECRET: required'],
    ],
    [
      { ...MANY, SLACK_INSTALLATION_KEY: 'ab'.repeat(32), SLACK_BOT_TOKEN: 'xoxb-1' },
      ['SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID'],
    ],
    [
      { ...MANY, SLACK_INSTALLATION_KEY: 'ab'.repeat(32), SLACK_STATE_SECRET: 'short' },
      ['SLACK_STATE_SECRET: must be at least 16 characters'],
    ],
    [{ SLACK_INSTALLATION_KEY: 'ab'.repeat(32) }, ['SLACK_CLIENT_ID: required when SLACK_INSTALLATION_KEY is set']],
  ])('names the many-workspace problem with %j', (env, expected) => {
    const found = problems(env);
    expect(found).toHaveLength(expected.length);
    for (const [i, e] of expected.entries()) expect(found[i]).toContain(e);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, ['SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set']],
    [{ SLACK_SIGNING_SECRET: 's' }, ['SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set']],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, ['SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN is set']],
    [{ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' }, ['SLACK_BOT_TOKEN: must be a bot token']],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, ['SLACK_APP_TOKEN: must be an app-level token']],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'has space' }, ['SLACK_SIGNING_SECRET: must not contain spaces']],
    [{ PORT: 'http' }, ['PORT: must be a port number']],
    [{ PORT: '65536' }, ['PORT: must be a port number']],
    [{ SLACK_API_URL: 'slack.com/api' }, ['SLACK_API_URL: must be an http(s) URL']],
    [{ SLACK_API_URL: 'ftp://slack.com/api/' }, ['SLACK_API_URL: must be an http(s) URL']],
  ])('names the problem with %j', (env, expected) => {
    const found = problems(env);
    expect(found).toHaveLength(expected.length);
    for (const [i, e] of expected.entries()) expect(found[i]).toContain(e);
  });

  it('names every missing or malformed variable at once, core ones included', () => {
    const found = problems({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: '-1', SLACK_API_URL: 'nope', MATCH_THRESHOLD: 'high' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['MATCH_THRESHOLD', 'PORT', 'SLACK_API_URL', 'SLACK_SIGNING_SECRET']);
  });
});
