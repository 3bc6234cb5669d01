import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createHttpServer } from '../adapters/http-server.js';
import { createLogger } from '../adapters/log.js';
import { createSlackApp, type SlackAdapter } from '../adapters/slack/app.js';
import { type AnswerEngine, createAnswerEngine } from '../src/answer/engine.js';
import { createBot } from '../src/chat/bot.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { FAKE_IDS, type FakeSlack, type RecordedCall, type SignedRequest, signedRequest, startFakeSlack } from './doubles/fake-slack.js';
import { KNOWLEDGE } from './helpers.js';

export const SIGNING_SECRET = 'c0ffee0123456789abcdef0123456789';
export const BOT_TOKEN = 'xoxb-0000-test-token';
export const USER = 'U0TEST';
export const CHANNEL = 'C0TEST';
export const DM_CHANNEL = 'D0TEST';

/** Small retries so a broken fake fails a test in milliseconds, not the WebClient's 30 minutes. */
export const FAST_RETRIES = { retries: 2, factor: 1, minTimeout: 20, maxTimeout: 20 };

export interface LogLine {
  level: number;
  msg: string;
  reference?: string;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
}

export interface HttpResult {
  status: number;
  body: string;
  ms: number;
}

export interface SlackHarness {
  fake: FakeSlack;
  slack: SlackAdapter;
  store: FactStore;
  engine: AnswerEngine;
  /** Base URL of the service (…/slack/events, …/healthz). */
  url: string;
  logs: LogLine[];
  post(req: SignedRequest): Promise<HttpResult>;
  /** A signed `/threat <text>`; its answer goes to the response_url with id `responseId`. */
  command(
    text: string,
    opts?: { responseId?: string; secret?: string; timestamp?: number; channel?: string; user?: string },
  ): Promise<HttpResult>;
  /** A signed Events API delivery of `event`. */
  event(
    event: Record<string, unknown>,
    opts?: { eventId?: string; retryNum?: number; secret?: string; timestamp?: number },
  ): Promise<HttpResult>;
  /** A signed block_actions click. */
  click(
    action: { action_id: string; value: string },
    opts?: { ephemeral?: boolean; message?: Record<string, unknown>; responseId?: string; channel?: string },
  ): Promise<HttpResult>;
  /** Waits until every answer in progress was delivered (or given up on). */
  settle(): Promise<void>;
  /** Web API calls and response_url POSTs that succeeded, in order. */
  delivered(): RecordedCall[];
  stop(): Promise<void>;
}

/** Web API calls that read rather than deliver: left out of delivered(). */
const READS = new Set(['auth.test', 'conversations.info']);

let eventSeq = 0;
let tsSeq = 0;

/** A Slack timestamp, unique within the run. */
export function nextTs(): string {
  return `${1_700_000_000 + ++tsSeq}.000100`;
}

/**
 * The Slack app behind the service's HTTP server on loopback, with a real store and engine over
 * the curated knowledge and a recording fake of Slack. It outlives single tests (stop() cleans up),
 * so one harness can serve a whole file; `fake.reset()` between tests.
 */
export async function startSlackHarness(opts: { engine?: AnswerEngine; dbPath?: string } = {}): Promise<SlackHarness> {
  const fake = await startFakeSlack();
  // The bot's own direct-message channel with the test user (what conversations.info reports).
  fake.im(DM_CHANNEL, USER);
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-slack-'));
  const store = new FactStore(openDatabase(opts.dbPath ?? join(dir, 'store.db')));
  const engine = createAnswerEngine({ store, knowledgeDir: KNOWLEDGE, reloadIntervalMs: 60_000 });
  await engine.refresh();
  const logs: LogLine[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(JSON.parse(chunk.toString('utf8')) as LogLine);
        done();
      },
    }),
  );
  const slack = createSlackApp({
    bot: createBot({ engine: opts.engine ?? engine, store, logger }),
    store,
    logger,
    config: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
    clientOptions: { retryConfig: FAST_RETRIES, timeout: 2000 },
  });
  await slack.start();
  const server: Server = createHttpServer({
    slackEvents: slack.requestListener,
    health: () => ({ status: 'ok', adapters: ['slack-http'] }),
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post = async (req: SignedRequest): Promise<HttpResult> => {
    const t0 = performance.now();
    const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: req.headers, body: req.body });
    const body = await res.text();
    return { status: res.status, body, ms: performance.now() - t0 };
  };

  return {
    fake,
    slack,
    store,
    engine,
    url,
    logs,
    post,
    command: (text, o = {}) =>
      post(
        signedRequest(
          o.secret ?? SIGNING_SECRET,
          {
            form: {
              token: 'unused-verification-token',
              team_id: FAKE_IDS.team,
              team_domain: 'test',
              channel_id: o.channel ?? CHANNEL,
              channel_name: 'threat-intel',
              user_id: o.user ?? USER,
              user_name: 'tester',
              command: '/threat',
              text,
              api_app_id: FAKE_IDS.appId,
              is_enterprise_install: 'false',
              response_url: fake.responseUrl(o.responseId),
              trigger_id: '1000.2000.trigger',
            },
          },
          o.timestamp !== undefined ? { timestamp: o.timestamp } : {},
        ),
      ),
    event: (event, o = {}) =>
      post(
        signedRequest(
          o.secret ?? SIGNING_SECRET,
          {
            json: {
              token: 'unused-verification-token',
              team_id: FAKE_IDS.team,
              api_app_id: FAKE_IDS.appId,
              event: { event_ts: event.ts, ...event },
              type: 'event_callback',
              event_id: o.eventId ?? `Ev0TEST${++eventSeq}`,
              event_time: Math.floor(Date.now() / 1000),
              authorizations: [
                { enterprise_id: null, team_id: FAKE_IDS.team, user_id: FAKE_IDS.botUserId, is_bot: true, is_enterprise_install: false },
              ],
            },
          },
          {
            ...(o.retryNum !== undefined ? { retryNum: o.retryNum } : {}),
            ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
          },
        ),
      ),
    click: (action, o = {}) => {
      const ephemeral = o.ephemeral ?? true;
      const messageTs = (o.message?.ts as string | undefined) ?? nextTs();
      const payload = {
        type: 'block_actions',
        team: { id: FAKE_IDS.team, domain: 'test' },
        user: { id: USER, username: 'tester', name: 'tester', team_id: FAKE_IDS.team },
        api_app_id: FAKE_IDS.appId,
        token: 'unused-verification-token',
        container: { type: 'message', message_ts: messageTs, channel_id: o.channel ?? CHANNEL, is_ephemeral: ephemeral },
        trigger_id: '1000.2000.trigger',
        channel: { id: o.channel ?? CHANNEL, name: 'threat-intel' },
        ...(o.message ? { message: { type: 'message', ts: messageTs, ...o.message } } : {}),
        response_url: fake.responseUrl(o.responseId),
        actions: [{ ...action, block_id: 'b1', type: 'button', text: { type: 'plain_text', text: 'button' }, action_ts: nextTs() }],
      };
      return post(signedRequest(SIGNING_SECRET, { form: { payload: JSON.stringify(payload) } }));
    },
    settle: () => slack.idle(),
    delivered: () =>
      [...fake.responses, ...fake.calls.filter((c) => !READS.has(c.method) && fake.succeeded(c.method).includes(c))].sort(
        (a, b) => a.at - b.at,
      ),
    async stop() {
      await slack.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await fake.close();
      store.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every text a posted message shows (header, sections, fields, context, buttons, fallback), in order. */
export function shownTexts(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof body.text === 'string') out.push(body.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(body.blocks);
  return out;
}

export interface PostedButton {
  action_id: string;
  value: string;
  text: string;
}

export function buttonsOf(body: Record<string, unknown>): PostedButton[] {
  const blocks = (body.blocks ?? []) as {
    type: string;
    elements?: { type: string; action_id: string; value: string; text: { text: string } }[];
  }[];
  return blocks.flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []).map((e) => ({ action_id: e.action_id, value: e.value, text: e.text.text })) : [],
  );
}

export function headerOf(body: Record<string, unknown>): string | undefined {
  const blocks = (body.blocks ?? []) as { type: string; text?: { text: string } }[];
  return blocks.find((b) => b.type === 'header')?.text?.text;
}
