import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/**
 * The service's one HTTP server. It is a plain node:http server that hands `POST /slack/events`
 * to Bolt's HTTPReceiver listener (which keeps the signature check, body parsing and ack) rather
 * than Bolt's own server with customRoutes, because the server must exist without Slack's
 * HTTP mode too: in Socket Mode, and for Teams' /api/messages, /healthz still has to answer.
 */
export interface HttpServerOptions {
  /** Bolt's request listener for Slack's events, commands and interactivity (HTTP mode only). */
  slackEvents?: RequestListener | undefined;
  /** Many-workspace Slack: Bolt's OAuth install flow, GET /slack/install and /slack/oauth_redirect. */
  slackInstall?: RequestListener | undefined;
  /** The Bot Framework handler for Teams' POST /api/messages. */
  teamsMessages?: RequestListener | undefined;
  /** The local web console and its admin view: /, /admin…, /console/… (it checks who may see it). */
  console?: RequestListener | undefined;
  /** POST /advisories, when a webhook token is configured. */
  advisories?: RequestListener | undefined;
  /** What GET /healthz reports (liveness: the process answers). */
  health: () => Record<string, unknown>;
  /** GET /readyz (readiness: whether to send traffic here); without it /readyz is 404. */
  ready?: (() => Readiness) | undefined;
  logger: Logger;
}

/** One readiness check: passed or not, with what was seen. */
export interface CheckResult {
  ok: boolean;
  [detail: string]: unknown;
}

/** Every readiness check by name; ready when all pass. */
export type Readiness = Record<string, CheckResult>;

/** The server, plus what a graceful stop needs. */
export interface ServiceHttpServer extends Server {
  /** Requests being handled now (whose response has not finished). */
  inFlight(): number;
  /**
   * Starts a stop: from now on requests get 503 with `connection: close` (so a load balancer or
   * Slack's retries take them elsewhere), /readyz reports `draining`, and no new connection is accepted.
   */
  drain(): void;
  /** Resolves once no request is in flight, or false when `timeoutMs` passed first. */
  settled(timeoutMs: number): Promise<boolean>;
}

export const SLACK_EVENTS_PATH = '/slack/events';
/** Where a workspace's admin starts installing the app, and where Slack sends them back (many-workspace mode). */
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';
export const TEAMS_MESSAGES_PATH = '/api/messages';

/** The paths the console owns on the service's port; the rest are the chat platforms' and the probes'. */
export function isConsolePath(path: string): boolean {
  return path === '/' || path === '/admin' || path.startsWith('/admin/') || path.startsWith('/console/') || path === '/favicon.ico';
}

export function createHttpServer({
  slackEvents,
  slackInstall,
  teamsMessages,
  console: webConsole,
  advisories,
  health,
  ready,
  logger,
}: HttpServerOptions): ServiceHttpServer {
  let active = 0;
  let draining = false;
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    active++;
    res.once('close', () => {
      active--;
      if (active === 0) for (const w of waiters) w();
    });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path === '/readyz' && ready) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
        const checks: Readiness = { ...safeChecks(ready, logger), draining: { ok: !draining } };
        const failing = Object.entries(checks)
          .filter(([, c]) => !c.ok)
          .map(([name]) => name);
        return json(res, failing.length === 0 ? 200 : 503, {
          status: failing.length === 0 ? 'ready' : 'not ready',
          ...(failing.length ? { failing } : {}),
          checks,
        });
      }
      if (draining && path !== '/healthz') {
        res.shouldKeepAlive = false;
        return json(res, 503, { error: 'shutting down' }, { connection: 'close', 'retry-after': '1' });
      }
      if ((path === SLACK_INSTALL_PATH || path === SLACK_REDIRECT_PATH) && slackInstall) {
        if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
        return slackInstall(req, res);
      }
      if (path === SLACK_EVENTS_PATH && slackEvents) {
        if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
        return slackEvents(req, res);
      }
      const post = (listener: RequestListener) =>
        req.method === 'POST' ? listener(req, res) : json(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
      if (path === TEAMS_MESSAGES_PATH && teamsMessages) return post(teamsMessages);
      if (path === '/advisories' && advisories) return post(advisories);
      if (webConsole && isConsolePath(path)) return webConsole(req, res);
      if (path === '/healthz') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
        return json(res, 200, health());
      }
      return json(res, 404, { error: 'not found' });
    } catch (err) {
      logger.error({ err, path }, 'HTTP request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  });
  return Object.assign(server, {
    inFlight: () => active,
    drain() {
      draining = true;
      server.close();
      server.closeIdleConnections();
    },
    settled: (timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        if (active === 0) return resolve(true);
        const done = (result: boolean) => {
          clearTimeout(timer);
          waiters.delete(onIdle);
          resolve(result);
        };
        const onIdle = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiters.add(onIdle);
      }),
  });
}

/** The readiness checks; a check that throws counts as failed rather than failing the endpoint. */
function safeChecks(ready: () => Readiness, logger: Logger): Readiness {
  try {
    return ready();
  } catch (err) {
    logger.warn({ err }, 'readiness checks failed');
    return { checks: { ok: false, error: err instanceof Error ? err.message : String(err) } };
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
