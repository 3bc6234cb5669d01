import { type DestinationStream, type Logger, pino } from 'pino';
import type { CoreConfig } from '../src/app/config.js';

export type { Logger };

/**
 * Property names whose values are secrets wherever they appear: Slack's bot, app and
 * verification tokens and signing secret, the Bot Framework app password, the advisory
 * webhook token, HTTP credentials, and the environment variables that carry them.
 */
export const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'accessToken',
  'access_token',
  'bot_token',
  'refreshToken',
  'refresh_token',
  'signingSecret',
  'signing_secret',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'appPassword',
  'MicrosoftAppPassword',
  'advisoryWebhookToken',
  'webhookToken',
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-slack-signature',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'MICROSOFT_APP_PASSWORD',
  'ADVISORY_WEBHOOK_TOKEN',
] as const;

/** How deep below the log object a secret key is still found by name (pino paths need a fixed depth). */
const DEPTH = 4;

/** pino redaction paths: each secret key at the top level and under up to DEPTH - 1 levels of nesting. */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) =>
  Array.from({ length: DEPTH }, (_, depth) => {
    const wildcards = Array.from({ length: depth }, () => '*').join('.');
    if (/^[A-Za-z_$][\w$]*$/.test(key)) return wildcards ? `${wildcards}.${key}` : key;
    return `${wildcards}["${key}"]`;
  }),
);

const KEY_ALTERNATION = SECRET_KEYS.map((k) => k.replace(/[-$]/g, '\\$&')).join('|');
/** Values that are secrets by their shape, wherever they appear in a line (messages, stacks, embedded JSON). */
const SECRET_PATTERNS: [RegExp, string][] = [
  // Slack tokens: bot, user, app-level, refresh, configuration.
  [/\bxox[abposre]-[0-9A-Za-z-]+/g, '[Redacted]'],
  [/\bxapp-[0-9A-Za-z-]+/g, '[Redacted]'],
  // HTTP credentials written out in text (a header dumped into a message, a curl line).
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [Redacted]'],
  // A secret key inside JSON that was embedded in a string (Bolt logs request bodies as text).
  [new RegExp(`(\\\\"(?:${KEY_ALTERNATION})\\\\"\\s*:\\s*\\\\")(?:[^"\\\\])*(\\\\")`, 'gi'), '$1[Redacted]$2'],
  // Query or form parameters: ?token=…, &client_secret=…
  [new RegExp(`([?&](?:${KEY_ALTERNATION})=)[^&\\s"\\\\]+`, 'gi'), '$1[Redacted]'],
];

/** Removes secrets recognisable by their shape from one serialized log line; keeps it valid JSON. */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * The service's structured log: JSON lines on stdout unless a destination is given. Secrets are
 * redacted twice: by property name (SECRET_KEYS, to 4 levels deep), and by shape in the final
 * line (Slack tokens, bearer credentials, secret keys in embedded JSON and query strings).
 */
export function createLogger(level: CoreConfig['logLevel'], destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'threatbrief' },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    hooks: { streamWrite: scrubSecrets },
  };
  return destination ? pino(options, destination) : pino(options);
}
