/**
 * What the soak and fuzz runs send, as Slack and the Bot Connector send it: signed slash
 * commands and Events API deliveries, Teams message activities, over keep-alive HTTP on loopback.
 */
import { type Agent, request } from 'node:http';
import { FAKE_IDS, type SignedRequest, signedRequest } from '../test/doubles/fake-slack.js';

export const SIGNING_SECRET = 'soak-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-0000-soak-token';

export interface HttpResult {
  status: number;
  body: string;
  /** Milliseconds from sending to the end of the response. */
  ms: number;
}

/**
 * POSTs `body` to `http://127.0.0.1:<port><path>`; never rejects (a network error is status 0).
 * A keep-alive socket the server closed just as it was reused (ECONNRESET on a reused socket)
 * is retried once on a fresh one, as Node's documentation advises: that is the client's race,
 * not a failure of the server.
 */
export function post(port: number, path: string, body: string, headers: Record<string, string>, agent: Agent): Promise<HttpResult> {
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const attempt = (retry: boolean): Promise<HttpResult> =>
    new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }));
          res.on('error', (err) => resolve({ status: 0, body: String(err), ms: elapsed() }));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (retry && req.reusedSocket && err.code === 'ECONNRESET') resolve(attempt(false));
        else resolve({ status: 0, body: String(err), ms: elapsed() });
      });
      req.end(body);
    });
  return attempt(true);
}

/** A signed `/threat <text>` whose answer goes to `responseUrl`. */
export function slashCommand(text: string, responseUrl: string, opts: { channel?: string; user?: string } = {}): SignedRequest {
  return signedRequest(SIGNING_SECRET, {
    form: {
      token: 'unused-verification-token',
      team_id: FAKE_IDS.team,
      team_domain: 'soak',
      channel_id: opts.channel ?? 'C0SOAK',
      channel_name: 'threat-intel',
      user_id: opts.user ?? 'U0SOAK',
      user_name: 'analyst',
      command: '/threat',
      text,
      api_app_id: FAKE_IDS.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: '1000.2000.trigger',
    },
  });
}

let eventSeq = 0;
/** A signed Events API delivery of an app_mention of the bot in `channel`. */
export function mentionEvent(text: string, opts: { channel?: string; user?: string } = {}): SignedRequest & { ts: string } {
  const n = ++eventSeq;
  const ts = `${1_800_000_000 + n}.${String(n % 1_000_000).padStart(6, '0')}`;
  const channel = opts.channel ?? 'C0SOAK';
  const req = signedRequest(SIGNING_SECRET, {
    json: {
      token: 'unused-verification-token',
      team_id: FAKE_IDS.team,
      api_app_id: FAKE_IDS.appId,
      event: { type: 'app_mention', user: opts.user ?? 'U0SOAK', text: `<@${FAKE_IDS.botUserId}> ${text}`, ts, channel, event_ts: ts },
      type: 'event_callback',
      event_id: `Ev0LOAD${process.pid}x${n}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: FAKE_IDS.team, user_id: FAKE_IDS.botUserId, is_bot: true, is_enterprise_install: false },
      ],
    },
  });
  return { ...req, ts };
}

/** A Teams message activity to the bot, answered at the fake connector `serviceUrl`. */
export function teamsMessage(
  serviceUrl: string,
  text: string,
  opts: { id?: string; conversation?: string; user?: string } = {},
): { body: string; headers: Record<string, string> } {
  const activity = {
    type: 'message',
    id: opts.id ?? `act-${++eventSeq}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: '2025-01-06T09:00:00.000Z',
    from: opts.user
      ? { id: `29:${opts.user}`, name: 'Analyst' }
      : { id: '29:user-soak', name: 'Analyst', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    recipient: { id: '28:bot-1', name: 'ThreatBrief' },
    conversation: { id: opts.conversation ?? 'a:personal-soak', conversationType: 'personal', tenantId: 'tenant-1' },
    text,
  };
  return { body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } };
}

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(ms: readonly number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  return { n: s.length, p50: at(50), p90: at(90), p99: at(99), max: s.length ? s[s.length - 1]! : NaN };
}

export function formatLatency(s: LatencySummary): string {
  return `p50 ${s.p50.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n=${s.n})`;
}

/** Runs `task(i)` for i in [0, count), at most `concurrency` at a time. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
