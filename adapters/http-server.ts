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
  /** The Bot Framework handler for Teams' POST /api/messages. */
  teamsMessages?: RequestListener | undefined;
  /** POST /advisories, when a webhook token is configured. */
  advisories?: RequestListener | undefined;
  /** What GET /healthz reports. */
  health: () => Record<string, unknown>;
  logger: Logger;
}

export const SLACK_EVENTS_PATH = '/slack/events';
export const TEAMS_MESSAGES_PATH = '/api/messages';

export function createHttpServer({ slackEvents, teamsMessages, advisories, health, logger }: HttpServerOptions): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path === SLACK_EVENTS_PATH && slackEvents) {
        if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
        return slackEvents(req, res);
      }
      const post = (listener: RequestListener) => (req.method === 'POST' ? listener(req, res) : json(res, 405, { error: 'method not allowed' }, { allow: 'POST' }));
      if (path === TEAMS_MESSAGES_PATH && teamsMessages) return post(teamsMessages);
      if (path === '/advisories' && advisories) return post(advisories);
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
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
