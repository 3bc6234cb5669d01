import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../adapters/log.js';
import { boltLogger } from '../adapters/slack/bolt-logger.js';

/** A logger writing into an array of raw lines. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  return { logger, lines, text: () => lines.join('') };
}

const SECRETS = {
  botToken: 'xoxb-1111-2222-AbCdEfGhIjKl',
  appToken: 'xapp-1-A0TEST-3333-abcdef0123',
  userToken: 'xoxp-4444-5555-userTokenValue',
  signingSecret: '8f3c0ffee0123456789abcdef01234567',
  appPassword: 'Zq8~s3cr3t.AppPassword_Value',
  webhookToken: 'webhook-token-0123456789abcdef',
  verificationToken: 'verif1cationT0kenValue',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl',
  cookie: 'session=cookieSecretValue123',
} as const;

describe('the service log (adapters/log.ts)', () => {
  it('redacts secrets by property name, at any of the first four levels', () => {
    const { logger, lines, text } = capture();
    logger.info(
      {
        token: SECRETS.verificationToken,
        config: {
          slack: { mode: 'http', botToken: SECRETS.botToken, signingSecret: SECRETS.signingSecret, appToken: SECRETS.appToken },
          teams: { appId: 'app-id-is-not-secret', appPassword: SECRETS.appPassword, MicrosoftAppPassword: SECRETS.appPassword },
          advisoryWebhookToken: SECRETS.webhookToken,
        },
        req: { headers: { authorization: `Bearer ${SECRETS.jwt}`, 'x-slack-signature': 'v0=abcdef0123456789', cookie: SECRETS.cookie } },
        headers: { Authorization: `Bearer ${SECRETS.webhookToken}` },
        env: {
          SLACK_BOT_TOKEN: SECRETS.botToken,
          SLACK_SIGNING_SECRET: SECRETS.signingSecret,
          MICROSOFT_APP_PASSWORD: SECRETS.appPassword,
          ADVISORY_WEBHOOK_TOKEN: SECRETS.webhookToken,
        },
      },
      'starting',
    );
    const out = text();
    for (const secret of [...Object.values(SECRETS), 'v0=abcdef0123456789']) expect(out).not.toContain(secret);
    const line = JSON.parse(lines[0]!) as {
      config: { slack: Record<string, string>; teams: Record<string, string> };
      req: { headers: Record<string, string> };
    };
    expect(line.config.slack).toMatchObject({ mode: 'http', botToken: '[Redacted]', signingSecret: '[Redacted]' });
    expect(line.config.teams).toMatchObject({ appId: 'app-id-is-not-secret', appPassword: '[Redacted]' });
    expect(line.req.headers.authorization).toBe('[Redacted]');
  });

  it('redacts secrets by their shape in messages, error stacks and JSON embedded in text', () => {
    const { logger, lines, text } = capture();
    const err = new Error(`An API error occurred: invalid_auth for token ${SECRETS.botToken} (Authorization: Bearer ${SECRETS.jwt})`);
    logger.error({ err, url: `https://example.test/hook?token=${SECRETS.webhookToken}&keep=yes` }, `retrying with ${SECRETS.appToken}`);
    // Bolt's debug logs print request bodies as text: they go through the same logger.
    boltLogger(logger).debug('parsed body', { token: SECRETS.verificationToken, signing_secret: SECRETS.signingSecret, team_id: 'T0TEST' });
    logger.warn(`user token ${SECRETS.userToken} and Basic ${Buffer.from('user:pass').toString('base64')}`);
    const out = text();
    for (const secret of [...Object.values(SECRETS), Buffer.from('user:pass').toString('base64')]) expect(out).not.toContain(secret);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(out).toContain('keep=yes');
    expect(out).toContain('T0TEST');
    expect(out).toContain('invalid_auth');
  });

  it('leaves ordinary text alone', () => {
    const line = JSON.stringify({ msg: 'who is Flax Typhoon? tokens of appreciation; secretary; xoxo' });
    expect(scrubSecrets(line)).toBe(line);
  });
});
