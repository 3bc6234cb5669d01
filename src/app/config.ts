import { join } from 'node:path';
import * as z from 'zod';
import { packageRoot } from '../base/paths.js';
import { parseTlp, TLP_LEVELS, type Tlp } from '../base/tlp.js';
import { checkCron } from '../digest/schedule.js';

/** FEEDS_URLS: `--url` overrides for the scheduled sync (a mirror), separated by spaces. */
const FEED_URLS = /^\s*([a-z]+(\.[a-z-]+)?=\S+\s*)*$/;

const THRESHOLD_PROBLEM = 'must be a number from 0.5 to 1 (the score a name match needs to be answered without asking)';

/**
 * The only reader of process.env. Every variable is validated at start; a bad value is named
 * with what is wrong, so the service fails fast instead of misbehaving later.
 */
const EnvSchema = z.object({
  DATABASE_PATH: z.string().min(1).optional(),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL like postgres://user:password@host:5432/threatbrief')
      .optional(),
  ),
  KNOWLEDGE_DIR: z.string().min(1).optional(),
  MATCH_THRESHOLD: z.coerce.number({ error: THRESHOLD_PROBLEM }).min(0.5, THRESHOLD_PROBLEM).max(1, THRESHOLD_PROBLEM).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTPS_PROXY: z.url({ protocol: /^https?$/, error: 'must be a proxy URL like http://proxy.example:3128' }).optional(),
  https_proxy: z.url({ protocol: /^https?$/, error: 'must be a proxy URL like http://proxy.example:3128' }).optional(),
  NO_PROXY: z.string().optional(),
  no_proxy: z.string().optional(),
  FEEDS_SNAPSHOT: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  FEEDS_SCHEDULE: z
    .string()
    .refine((v) => v === 'off' || checkCron(v) === undefined, {
      error: 'must be a cron expression such as "0 4 * * *" (daily at 04:00 UTC), or "off"',
    })
    .optional(),
  FEEDS_URLS: z
    .string()
    .regex(FEED_URLS, 'must be NAME=URL or NAME.PART=URL items separated by spaces, as `feeds sync --url` takes them')
    .optional(),
});

/** When `serve` syncs the feeds unless FEEDS_SCHEDULE says otherwise: daily, at 04:00 UTC. */
export const DEFAULT_FEEDS_SCHEDULE = '0 4 * * *';

export interface FeedSettings {
  /** A cron expression (UTC), or 'off'. */
  schedule: string;
  /** FEEDS_URLS: where the scheduled sync fetches each source instead of its official URL (NAME=URL, as `--url`). */
  urls: string[];
  /** Whether the first command on an empty store builds it from the snapshot in feeds/ (FEEDS_SNAPSHOT). */
  snapshot: boolean;
  /** HTTPS_PROXY, and NO_PROXY's exceptions to it. */
  httpsProxy?: string;
  noProxy?: string;
}

export interface CoreConfig {
  /** The SQLite store: all state by default; with DATABASE_URL, this replica's local knowledge index. */
  databasePath: string;
  /** The shared state in PostgreSQL (several replicas); unset: the SQLite store holds it. */
  databaseUrl: string | undefined;
  knowledgeDir: string;
  matchThreshold: number | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  feeds: FeedSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error));
  const root = packageRoot();
  const e = parsed.data;
  const feeds: FeedSettings = {
    schedule: e.FEEDS_SCHEDULE ?? DEFAULT_FEEDS_SCHEDULE,
    urls: (e.FEEDS_URLS ?? '').split(/\s+/).filter(Boolean),
    snapshot: e.FEEDS_SNAPSHOT === 'on',
  };
  const proxy = e.HTTPS_PROXY ?? e.https_proxy;
  const noProxy = e.NO_PROXY ?? e.no_proxy;
  if (proxy) feeds.httpsProxy = proxy;
  if (noProxy) feeds.noProxy = noProxy;
  return {
    feeds,
    databasePath: parsed.data.DATABASE_PATH ?? join(root, 'data', 'threatbrief.db'),
    databaseUrl: parsed.data.DATABASE_URL,
    knowledgeDir: parsed.data.KNOWLEDGE_DIR ?? join(root, 'knowledge'),
    matchThreshold: parsed.data.MATCH_THRESHOLD,
    logLevel: parsed.data.LOG_LEVEL,
  };
}

const PORT_PROBLEM = 'must be a port number (0–65535)';

/** Empty strings count as unset, as they do in most `.env` files. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The shortest SLACK_STATE_SECRET accepted. */
const MIN_STATE_SECRET = 16;
/** AES-256 takes a 256-bit key. */
const INSTALLATION_KEY_BYTES = 32;
const INSTALLATION_KEY_PROBLEM = `must be ${INSTALLATION_KEY_BYTES} random bytes, as 64 hex digits or in base64 (make one with "openssl rand -base64 32")`;

/** SLACK_INSTALLATION_KEY as bytes: 64 hex digits or base64 of exactly 32 bytes; undefined otherwise. */
export function installationKeyOf(text: string): Buffer | undefined {
  const v = text.trim();
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return undefined;
  const bytes = Buffer.from(v, 'base64');
  return bytes.length === INSTALLATION_KEY_BYTES ? bytes : undefined;
}

const ServiceEnvSchema = z.object({
  PORT: optional(z.coerce.number({ error: PORT_PROBLEM }).int(PORT_PROBLEM).min(0, PORT_PROBLEM).max(65535, PORT_PROBLEM)),
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-\S+$/, 'must be a bot token starting with "xoxb-"')),
  SLACK_SIGNING_SECRET: optional(z.string().regex(/^\S+$/, 'must not contain spaces')),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-\S+$/, 'must be an app-level token starting with "xapp-"')),
  SLACK_CLIENT_ID: optional(z.string().regex(/^[\w.]+$/, "must be the app's Client ID (digits and dots, from Basic Information)")),
  SLACK_CLIENT_SECRET: optional(z.string().regex(/^\S+$/, 'must not contain spaces')),
  SLACK_STATE_SECRET: optional(
    z.string().min(MIN_STATE_SECRET, `must be at least ${MIN_STATE_SECRET} characters (it signs the install flow's state)`),
  ),
  SLACK_INSTALLATION_KEY: optional(z.string().refine((v) => installationKeyOf(v) !== undefined, INSTALLATION_KEY_PROBLEM)),
  MICROSOFT_APP_ID: optional(z.string().regex(/^\S+$/, 'must not contain spaces')),
  MICROSOFT_APP_PASSWORD: optional(z.string()),
  MICROSOFT_APP_TENANT_ID: optional(z.string().regex(/^\S+$/, 'must not contain spaces')),
  MICROSOFT_APP_TYPE: optional(
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { error: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }),
  ),
  TEAMS_ALLOW_UNAUTHENTICATED: optional(z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })),
  TEAMS_SERVICE_URLS: optional(
    z
      .string()
      .regex(
        /^\s*https?:\/\/(\*\.)?[a-z0-9.\-[\]:]+\/?\s*(,\s*https?:\/\/(\*\.)?[a-z0-9.\-[\]:]+\/?\s*)*$/i,
        'must be a comma-separated list of service URL patterns like "https://smba.trafficmanager.net,https://*.botframework.com"',
      ),
  ),
  TEAMS_TENANTS: optional(z.string().regex(/^\s*[\w-]+(\s*,\s*[\w-]+)*\s*$/, 'must be a comma-separated list of tenant ids (GUIDs)')),
  ADMIN_USERS: optional(
    z
      .string()
      .regex(
        /^\s*(slack|teams):[^,\s]+(\s*,\s*(slack|teams):[^,\s]+)*\s*$/i,
        'must be a comma-separated list like "slack:U0123ABC,teams:29:1a2b…"',
      ),
  ),
  RATE_LIMIT_PER_USER: optional(z.coerce.number({ error: 'must be a number of questions a minute' }).int().min(1).max(10_000)),
  RATE_LIMIT_PER_CONVERSATION: optional(z.coerce.number({ error: 'must be a number of questions a minute' }).int().min(1).max(100_000)),
  ADVISORY_WEBHOOK_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (it guards POST /advisories)')),
  CONSOLE_CLEARANCE: optional(z.string().refine((v) => parseTlp(v) !== undefined, `must be a TLP level: ${TLP_LEVELS.join(', ')}`)),
  CONSOLE_ADMIN_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (it guards the admin view)')),
  CONSOLE_ALLOW_HOSTS: optional(
    z
      .string()
      .regex(
        /^\s*[a-z0-9.\-[\]:]+\s*(,\s*[a-z0-9.\-[\]:]+\s*)*$/i,
        'must be a comma-separated list of host names like "threatbrief.internal,10.0.0.5"',
      ),
  ),
  SLACK_API_URL: optional(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://slack.com/api/' })
      .refine((u) => !/[?#]/.test(u), 'must not have a query or fragment'),
  ),
});

/** The settings many-workspace mode (the OAuth install flow) needs beside SLACK_CLIENT_ID. */
const INSTALL_COMPANIONS = ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET', 'SLACK_INSTALLATION_KEY'] as const;

/** Variables that only make sense together; checked on the raw values so that they are named even when another is malformed. */
function missingCompanions(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '') !== '';
  const problems: string[] = [];
  if (set('SLACK_BOT_TOKEN') && !set('SLACK_SIGNING_SECRET') && !set('SLACK_APP_TOKEN')) {
    problems.push('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (set('SLACK_CLIENT_ID')) {
    for (const name of INSTALL_COMPANIONS)
      if (!set(name))
        problems.push(
          name === 'SLACK_INSTALLATION_KEY'
            ? `SLACK_INSTALLATION_KEY: required when SLACK_CLIENT_ID is set (it encrypts the workspaces' tokens at rest); ${INSTALLATION_KEY_PROBLEM}`
            : `${name}: required when SLACK_CLIENT_ID is set (many workspaces, through the install flow)`,
        );
    if (set('SLACK_BOT_TOKEN'))
      problems.push(
        'SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID (many workspaces, installed through /slack/install), not both',
      );
    if (set('SLACK_APP_TOKEN')) problems.push('SLACK_APP_TOKEN: many workspaces (SLACK_CLIENT_ID) need HTTP mode, not Socket Mode');
  } else {
    for (const name of ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_INSTALLATION_KEY'])
      if (set(name)) problems.push(`SLACK_CLIENT_ID: required when ${name} is set`);
  }
  for (const other of ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']) {
    if (set(other) && !set('SLACK_BOT_TOKEN') && !set('SLACK_CLIENT_ID')) problems.push(`SLACK_BOT_TOKEN: required when ${other} is set`);
  }
  if (set('MICROSOFT_APP_ID') && !set('MICROSOFT_APP_PASSWORD') && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set (unless MICROSOFT_APP_TYPE=UserAssignedMSI)');
  }
  if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && !set('MICROSOFT_APP_TENANT_ID'))
    problems.push('MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant');
  return [...new Set(problems)];
}

/** Many workspaces: the app's OAuth credentials, and the key the installations are sealed under. */
export interface SlackInstallSettings {
  clientId: string;
  clientSecret: string;
  /** Signs the install flow's state parameter (any replica can verify it). */
  stateSecret: string;
  /** SLACK_INSTALLATION_KEY: 32 bytes, the AES-256-GCM key of the stored installations. */
  installationKey: Buffer;
}

/**
 * How Slack reaches the bot: signed HTTP requests to /slack/events, or a Socket Mode connection;
 * one workspace with its bot token, or (HTTP only) many, installed through /slack/install.
 */
export type SlackConfig =
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl: string | undefined }
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl: string | undefined }
  | { mode: 'http'; install: SlackInstallSettings; signingSecret: string; apiUrl: string | undefined };

/** Bot Framework settings for Teams; `allowUnauthenticated` only for the Bot Framework Emulator. */
export interface TeamsSettings {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  allowUnauthenticated: boolean;
  /** TEAMS_SERVICE_URLS: where the bot may send; absent means the Bot Framework hosts. */
  serviceUrls?: string[];
  /** TEAMS_TENANTS: the tenants served; absent means any. */
  tenants?: string[];
}

/** The local web console and its admin view (served on PORT beside the chat endpoints). */
export interface ConsoleSettings {
  /** CONSOLE_CLEARANCE: what the console's own conversation is shown; TLP:CLEAR by default. */
  clearance: Tlp;
  /** CONSOLE_ADMIN_TOKEN: unlocks the admin view's actions and what is above TLP:CLEAR there; off without it. */
  adminToken: string | undefined;
  /**
   * CONSOLE_ALLOW_HOSTS: Host names the console also answers, from any address. Empty (the
   * default): loopback sockets with Host localhost, 127.0.0.1 or [::1] only.
   */
  allowHosts: string[];
}

export interface ServiceConfig extends CoreConfig {
  /** Absent unless MICROSOFT_APP_ID is set or TEAMS_ALLOW_UNAUTHENTICATED=1. */
  teams: TeamsSettings | undefined;
  /** Bearer token for POST /advisories; the webhook is off without it. */
  advisoryWebhookToken: string | undefined;
  /** ADMIN_USERS, as "platform:user id" entries. */
  adminUsers: string | undefined;
  rateLimits: { perUser: number; perConversation: number };
  /** The HTTP port for /slack/events and /healthz; 0 picks a free one. */
  port: number;
  /** Absent when no Slack credentials are set. */
  slack: SlackConfig | undefined;
  console: ConsoleSettings;
}

/** The core settings plus the service's; every problem in either is named at once. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = ServiceEnvSchema.safeParse(env);
  let core: CoreConfig | undefined;
  const problems: string[] = [...(parsed.success ? [] : problemsOf(parsed.error)), ...missingCompanions(env)];
  try {
    core = loadCoreConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.unshift(...err.problems);
  }
  if (!parsed.success || !core || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  // Method names are appended to this base, so it must end in a slash like https://slack.com/api/.
  const apiUrl = e.SLACK_API_URL === undefined ? undefined : e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`;
  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN && e.SLACK_APP_TOKEN) slack = { mode: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, apiUrl };
  else if (e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET)
    slack = { mode: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, apiUrl };
  else if (e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET && e.SLACK_SIGNING_SECRET && e.SLACK_INSTALLATION_KEY)
    slack = {
      mode: 'http',
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl,
      install: {
        clientId: e.SLACK_CLIENT_ID,
        clientSecret: e.SLACK_CLIENT_SECRET,
        stateSecret: e.SLACK_STATE_SECRET,
        installationKey: installationKeyOf(e.SLACK_INSTALLATION_KEY)!,
      },
    };
  const unauthenticated = e.TEAMS_ALLOW_UNAUTHENTICATED === '1' || e.TEAMS_ALLOW_UNAUTHENTICATED === 'true';
  let teams: TeamsSettings | undefined;
  if (e.MICROSOFT_APP_ID || unauthenticated) {
    teams = { appId: e.MICROSOFT_APP_ID ?? '', allowUnauthenticated: !e.MICROSOFT_APP_ID && unauthenticated };
    if (e.MICROSOFT_APP_PASSWORD) teams.appPassword = e.MICROSOFT_APP_PASSWORD;
    if (e.MICROSOFT_APP_TENANT_ID) teams.tenantId = e.MICROSOFT_APP_TENANT_ID;
    if (e.MICROSOFT_APP_TYPE) teams.appType = e.MICROSOFT_APP_TYPE;
    if (e.TEAMS_TENANTS)
      teams.tenants = e.TEAMS_TENANTS.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
    if (e.TEAMS_SERVICE_URLS)
      teams.serviceUrls = e.TEAMS_SERVICE_URLS.split(',')
        .map((u) => u.trim())
        .filter(Boolean);
  }
  return {
    ...core,
    port: e.PORT ?? 3000,
    slack,
    teams,
    advisoryWebhookToken: e.ADVISORY_WEBHOOK_TOKEN,
    adminUsers: e.ADMIN_USERS,
    rateLimits: { perUser: e.RATE_LIMIT_PER_USER ?? 20, perConversation: e.RATE_LIMIT_PER_CONVERSATION ?? 60 },
    console: {
      clearance: (e.CONSOLE_CLEARANCE && parseTlp(e.CONSOLE_CLEARANCE)) || 'CLEAR',
      adminToken: e.CONSOLE_ADMIN_TOKEN,
      allowHosts: (e.CONSOLE_ALLOW_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
  };
}
