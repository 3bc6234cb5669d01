import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Slack's side of the conversation, for the tests, the bench and trying
 * the bot without a workspace: the Web API (`SLACK_API_URL` = `apiUrl`), which answers
 * `auth.test`, records every call and fails on cue; response_urls, which record what the bot
 * answered; request signing as Slack does it; and the OAuth install flow for many workspaces:
 * the authorize page (GET /oauth/v2/authorize?team=T…, which an admin's browser follows back to
 * the app's redirect URL with a code) and `oauth.v2.access`, which trades the code for a bot
 * token of that workspace's own. `auth.test` answers for whichever workspace a token belongs to.
 */

export const FAKE_IDS = { team: 'T0TEST', botUserId: 'U0BOT', botId: 'B0BOT', appId: 'A0TEST' } as const;

export interface RecordedCall {
  /** Web API method (`chat.postMessage`) or `response` for a response_url POST. */
  method: string;
  path: string;
  /** Form fields or JSON body; `blocks` and other JSON-encoded form fields are parsed. */
  body: Record<string, unknown>;
  authorization: string | undefined;
  /** The token the call was made with (from the Authorization header or a `token` field). */
  token: string | undefined;
  at: number;
}

/** The app as registered with Slack (many workspaces): its OAuth credentials and redirect URL. */
export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
}

/** What the next call to a method gets instead of success. */
export type Failure = { status: number; retryAfter?: number } | { error: string };

export interface FakeSlack {
  /** Base URL of the fake, ending in a slash. */
  readonly url: string;
  /** The Web API base, in the same form as https://slack.com/api/. */
  readonly apiUrl: string;
  /** Web API calls, in order of arrival (failed attempts included). */
  readonly calls: RecordedCall[];
  /** Successful response_url POSTs. */
  readonly responses: RecordedCall[];
  /** A response_url whose POSTs are recorded (`id` shows up in the call's path). */
  responseUrl(id?: string): string;
  /** Successful calls of one Web API method. */
  succeeded(method: string): RecordedCall[];
  /** Queues failures for the next calls of `method` (`response` for response_urls). */
  fail(method: string, ...failures: Failure[]): void;
  /** What a Web API method answers from now on (e.g. `apps.connections.open` with a Socket Mode URL). */
  answerWith(method: string, body: Record<string, unknown>): void;
  /** Handles every call of `method` (`response` for response_urls) only after `ms`, as a slow Slack would; 0 turns it off. */
  delay(method: string, ms: number): void;
  /** Called with every successful call, as it is answered (e.g. to stop a client at a chosen post). */
  onSuccess(listener: ((call: RecordedCall) => void) | undefined): void;
  /** Makes `channel` the bot's own direct-message channel with `user`, as conversations.info reports it. */
  im(channel: string, user: string): void;
  /** Registers the app for the OAuth install flow (authorize and oauth.v2.access). */
  registerApp(app: FakeOAuthApp): void;
  /** The bot token oauth.v2.access gave a workspace (its latest install). */
  tokenOf(team: string): string | undefined;
  /** Revokes every token of a workspace (as uninstalling does): calls with them fail with token_revoked. */
  revoke(team: string): void;
  /** Forgets recorded calls and queued failures (answers set with answerWith and delays stay). */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const responses: RecordedCall[] = [];
  const ok: RecordedCall[] = [];
  const failures = new Map<string, Failure[]>();
  const answers = new Map<string, Record<string, unknown>>();
  const delays = new Map<string, number>();
  const ims = new Map<string, string>();
  let successListener: ((call: RecordedCall) => void) | undefined;
  let responseCount = 0;
  const oauth = createFakeOAuth();

  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (raw) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (path === '/oauth/v2/authorize') return oauth.authorize(new URL(req.url ?? '/', 'http://fake').searchParams, res);
      const isResponse = path.startsWith('/response/');
      const method = isResponse ? 'response' : path.replace(/^\/api\//, '');
      const wait = delays.get(method) ?? 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const body = parseBody(raw, req.headers['content-type']);
      const call: RecordedCall = {
        method,
        path,
        body,
        authorization: req.headers.authorization,
        token: req.headers.authorization?.replace(/^Bearer /, '') ?? (typeof body.token === 'string' ? body.token : undefined),
        at: Date.now(),
      };
      if (!isResponse) calls.push(call);
      const failure = failures.get(method)?.shift();
      if (failure && 'status' in failure) {
        res.writeHead(failure.status, {
          'content-type': 'application/json',
          ...(failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {}),
        });
        res.end(JSON.stringify({ ok: false, error: `http_${failure.status}` }));
        return;
      }
      const refused = failure && 'error' in failure ? failure.error : isResponse ? undefined : oauth.refuse(method, call);
      if (refused) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: refused }));
        return;
      }
      if (isResponse) {
        responses.push(call);
        successListener?.(call);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      ok.push(call);
      successListener?.(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers.get(method) ?? oauth.answer(method, call) ?? answer(method, call.body, ok, ims)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    apiUrl: `${url}api/`,
    calls,
    responses,
    responseUrl: (id = String(++responseCount)) => `${url}response/${encodeURIComponent(id)}`,
    succeeded: (method) => ok.filter((c) => c.method === method),
    fail(method, ...f) {
      failures.set(method, [...(failures.get(method) ?? []), ...f]);
    },
    answerWith(method, body) {
      answers.set(method, body);
    },
    delay(method, ms) {
      if (ms > 0) delays.set(method, ms);
      else delays.delete(method);
    },
    im(channel, user) {
      ims.set(channel, user);
    },
    onSuccess(listener) {
      successListener = listener;
    },
    registerApp: (app) => oauth.register(app),
    tokenOf: (team) => oauth.tokenOf(team),
    revoke: (team) => oauth.revoke(team),
    reset() {
      calls.length = 0;
      responses.length = 0;
      ok.length = 0;
      failures.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A workspace's bot identity, made up from its id so that two workspaces never share one. */
export function fakeWorkspace(team: string) {
  return { team, botUserId: `U0BOT${team}`, botId: `B0BOT${team}` } as const;
}

/** The OAuth side of the fake: codes handed out by the authorize page, tokens issued per workspace. */
function createFakeOAuth() {
  let app: FakeOAuthApp | undefined;
  let issued = 0;
  const codes = new Map<string, string>(); // code → team
  const tokens = new Map<string, { team: string; revoked: boolean }>();
  const latest = new Map<string, string>(); // team → token
  return {
    register(a: FakeOAuthApp) {
      app = a;
    },
    tokenOf: (team: string) => latest.get(team),
    revoke(team: string) {
      for (const t of tokens.values()) if (t.team === team) t.revoked = true;
    },
    /** The admin approved the app for `team`: back to the app's redirect URL with a one-time code and the state as given. */
    authorize(params: URLSearchParams, res: ServerResponse) {
      const team = params.get('team');
      const state = params.get('state');
      if (!app || params.get('client_id') !== app.clientId || !team || !state) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid authorize request (client_id, state and team are needed)');
        return;
      }
      const code = `code-${team}-${++issued}`;
      codes.set(code, team);
      const back = new URL(params.get('redirect_uri') ?? app.redirectUrl);
      back.searchParams.set('code', code);
      back.searchParams.set('state', state);
      res.writeHead(302, { location: back.toString() }).end();
    },
    /** Calls made with a revoked token fail, as Slack's do after an uninstall. */
    refuse(method: string, call: RecordedCall): string | undefined {
      if (call.token && tokens.get(call.token)?.revoked) return 'token_revoked';
      if (method !== 'oauth.v2.access') return undefined;
      if (!app || call.body.client_id !== app.clientId || call.body.client_secret !== app.clientSecret) return 'invalid_client_id';
      if (!codes.has(String(call.body.code))) return 'invalid_code';
      return undefined;
    },
    answer(method: string, call: RecordedCall): Record<string, unknown> | undefined {
      if (method === 'oauth.v2.access') {
        const team = codes.get(String(call.body.code))!;
        codes.delete(String(call.body.code));
        const token = `xoxb-${team}-${++issued}`;
        tokens.set(token, { team, revoked: false });
        latest.set(team, token);
        const ids = fakeWorkspace(team);
        return {
          ok: true,
          access_token: token,
          token_type: 'bot',
          scope: 'commands,chat:write,app_mentions:read,im:history,im:read',
          bot_user_id: ids.botUserId,
          app_id: FAKE_IDS.appId,
          team: { id: team, name: `Workspace ${team}` },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: `U0ADMIN${team}` },
        };
      }
      const owner = call.token ? tokens.get(call.token) : undefined;
      if (method === 'auth.test' && owner) {
        const ids = fakeWorkspace(owner.team);
        return {
          ok: true,
          url: `https://${owner.team.toLowerCase()}.slack.test/`,
          team: `Workspace ${owner.team}`,
          user: 'threatbrief',
          team_id: owner.team,
          user_id: ids.botUserId,
          bot_id: ids.botId,
        };
      }
      return undefined;
    },
  };
}

function answer(
  method: string,
  body: Record<string, unknown>,
  ok: readonly RecordedCall[],
  ims: ReadonlyMap<string, string>,
): Record<string, unknown> {
  switch (method) {
    case 'conversations.info': {
      // The bot sees its own IMs and the channels it is in; a DM between two people is not found.
      const id = String(body.channel ?? '');
      const user = ims.get(id);
      if (user) return { ok: true, channel: { id, is_im: true, user } };
      if (id.startsWith('D')) return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel: { id, is_channel: true, is_im: false } };
    }
    case 'conversations.history': {
      // What this fake accepted for the channel, newest first, with message metadata.
      const messages = ok
        .filter((c) => c.method === 'chat.postMessage' && c.body.channel === body.channel && c.at / 1000 >= Number(body.oldest ?? 0))
        .map((c) => ({
          type: 'message',
          ts: `${(c.at / 1000).toFixed(6)}`,
          text: c.body.text,
          ...(c.body.metadata ? { metadata: c.body.metadata } : {}),
        }))
        .reverse();
      return { ok: true, messages, has_more: false };
    }
    case 'auth.test':
      return {
        ok: true,
        url: 'https://fake.slack.test/',
        team: 'Test',
        user: 'threatbrief',
        team_id: FAKE_IDS.team,
        user_id: FAKE_IDS.botUserId,
        bot_id: FAKE_IDS.botId,
      };
    case 'chat.postMessage':
      return { ok: true, channel: body.channel, ts: `${Math.floor(Date.now() / 1000)}.000100`, message: { text: body.text } };
    default:
      return { ok: true };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? tryJson(v) : v;
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return v;
    throw err;
  }
}

/** Slack's request signature (v0): HMAC-SHA256 over `v0:<timestamp>:<raw body>`. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** A request as Slack sends it: the body, its exact content type and the signature headers. */
export function signedRequest(
  signingSecret: string,
  payload: { form: Record<string, string> } | { json: unknown },
  opts: { timestamp?: number; retryNum?: number; retryReason?: string } = {},
): SignedRequest {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const body = 'form' in payload ? new URLSearchParams(payload.form).toString() : JSON.stringify(payload.json);
  // Bolt compares the form content type exactly: "; charset=utf-8" would make it parse JSON.
  const headers: Record<string, string> = {
    'content-type': 'form' in payload ? 'application/x-www-form-urlencoded' : 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  return { body, headers };
}
