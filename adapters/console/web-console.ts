import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { createAccess } from '../../src/access/access.js';
import type { Reply } from '../../src/answer/reply.js';
import type { ConsoleSettings } from '../../src/app/config.js';
import { packageRoot } from '../../src/base/paths.js';
import type { Tlp } from '../../src/base/tlp.js';
import type { Bot, IncomingMessage as ChatMessage } from '../../src/chat/bot.js';
import { deliveredDigests } from '../../src/digest/status.js';
import type { FactStore } from '../../src/store/fact-store.js';
import { createSqliteState } from '../../src/store/shared/sqlite.js';
import type { SharedState } from '../../src/store/shared/state.js';
import { renderReply } from '../slack/block-kit.js';
import { renderAdaptiveCard } from '../teams/adaptive-card.js';
import { type AdminActions, createAdminPages } from './admin-pages.js';
import { blockKitToHtml } from './block-kit-html.js';
import { withoutAddress } from './console-chat.js';
import { consoleMayAnswer, createSessions, type Sessions } from './guard.js';
import { escapeHtml, HttpProblem, page } from './html.js';
import { CONSOLE_CONVERSATION, CONSOLE_PLATFORM } from './page-poster.js';

/** Everything the console allows itself: its own scripts, styles, images and requests, and nothing framed or posted elsewhere. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** A question, like a chat message, is at most this big as a request body. */
const MAX_BODY_BYTES = 16 * 1024;
/** Digests the page fetches at once. */
const DIGESTS_PER_FETCH = 20;

export interface ConsoleOptions {
  bot: Bot;
  store: FactStore;
  /** Subscriptions, clearances and the audit log; the SQLite store's own tables by default. */
  state?: SharedState;
  settings: ConsoleSettings;
  actions: AdminActions;
  logger: Logger;
  now?: () => Date;
}

/** One answer as the page shows it: the Slack message as HTML and the Teams card as JSON for the adaptivecards renderer. */
export interface RenderedReply {
  slackHtml: string;
  card: ReturnType<typeof renderAdaptiveCard>;
  text: string;
}

export function renderForConsole(reply: Reply): RenderedReply {
  return { slackHtml: blockKitToHtml(renderReply(reply).blocks), card: renderAdaptiveCard(reply.card), text: reply.text };
}

/**
 * Stores CONSOLE_CLEARANCE as the console conversation's clearance (audited when it changes),
 * so that its answers and its digests — composed by whichever process runs the digest pass —
 * are shown at the same level.
 */
export async function applyConsoleClearance(state: SharedState, level: Tlp, at: Date): Promise<void> {
  const access = createAccess(state, {});
  const origin = { platform: CONSOLE_PLATFORM, conversation: CONSOLE_CONVERSATION };
  if ((await access.clearanceOf(origin)) === level) return;
  await access.setConversationClearance(CONSOLE_PLATFORM, CONSOLE_CONVERSATION, level, 'setting:CONSOLE_CLEARANCE', at);
  await access.audit(
    {
      platform: CONSOLE_PLATFORM,
      actor: 'setting:CONSOLE_CLEARANCE',
      action: 'clearance-set',
      place: CONSOLE_CONVERSATION,
      detail: { level },
    },
    at,
  );
}

interface Asset {
  type: string;
  body: Buffer;
}

function loadAssets(): Map<string, Asset> {
  const own = join(packageRoot(), 'adapters', 'console', 'assets');
  const vendor = join(dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json')), 'dist');
  const file = (dir: string, name: string, type: string): Asset => ({ type, body: readFileSync(join(dir, name)) });
  const icon = file(own, 'icon.svg', 'image/svg+xml');
  return new Map([
    ['/console/assets/console.js', file(own, 'console.js', 'text/javascript; charset=utf-8')],
    ['/console/assets/console.css', file(own, 'console.css', 'text/css; charset=utf-8')],
    ['/console/assets/icon.svg', icon],
    ['/favicon.ico', icon],
    ['/console/vendor/adaptivecards.min.js', file(vendor, 'adaptivecards.min.js', 'text/javascript; charset=utf-8')],
    ['/console/vendor/adaptivecards.min.js.map', file(vendor, 'adaptivecards.min.js.map', 'application/json')],
    ['/console/vendor/adaptivecards.css', file(vendor, 'adaptivecards.css', 'text/css; charset=utf-8')],
  ]);
}

/**
 * The console's request listener: the chat page at /, its JSON calls under /console/, static
 * files, and the admin view under /admin. It answers only as consoleMayAnswer allows.
 */
export function createWebConsole({
  bot,
  store,
  state = createSqliteState(store),
  settings,
  actions,
  logger,
  now = () => new Date(),
}: ConsoleOptions): RequestListener {
  const assets = loadAssets();
  const sessions = createSessions(settings.adminToken);
  const admin = createAdminPages({ store, state, sessions, actions, now });

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const asset = assets.get(path);
    if (asset) {
      onlyGet(method);
      return send(res, 200, asset.type, asset.body, { 'cache-control': 'no-cache' });
    }
    if (method === 'POST') {
      const form = await readBody(req);
      if (!sessions.csrfValid(req, req.headers['x-csrf-token']?.toString() ?? form.get('csrf') ?? undefined))
        throw new HttpProblem(
          403,
          'This form has expired or did not come from the console page (CSRF check). Reload the page and try again.',
        );
      if (path === '/console/ask') return json(res, 200, await ask(form.get('text') ?? ''));
      const outcome = await admin.post(req, path, form);
      return redirect(res, outcome.location, outcome.setCookie);
    }
    onlyGet(method);
    const session = sessions.session(req);
    const extra: Record<string, string> = session.setCookie ? { 'set-cookie': session.setCookie } : {};
    if (path === '/') return html(res, chatPage(sessions, session.id, settings), extra);
    if (path === '/console/digests') {
      const after = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('after') ?? 0);
      const digests = await deliveredDigests(
        state,
        CONSOLE_PLATFORM,
        CONSOLE_CONVERSATION,
        Number.isFinite(after) ? after : 0,
        DIGESTS_PER_FETCH,
      );
      return json(res, 200, { digests: digests.map((d) => ({ id: d.id, sentAt: d.sentAt, ...renderForConsole(d.reply) })) });
    }
    const body = await admin.get(req, path, session.id);
    if (body === undefined) throw new HttpProblem(404, 'Not found.');
    return html(res, body, extra);
  };

  const ask = async (text: string): Promise<RenderedReply> => {
    const message: ChatMessage = {
      platform: CONSOLE_PLATFORM,
      conversation: CONSOLE_CONVERSATION,
      user: 'console',
      text: withoutAddress(text),
    };
    return renderForConsole(await bot.handle(message));
  };

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!consoleMayAnswer(req, settings.allowHosts)) {
      return void send(
        res,
        403,
        'text/plain; charset=utf-8',
        'The ThreatBrief console answers only on this machine, at http://localhost (CONSOLE_ALLOW_HOSTS opens it to other names).\n',
      );
    }
    handle(req, res, path).catch((err: unknown) => {
      if (err instanceof HttpProblem) {
        const accept = String(req.headers.accept ?? '');
        if (accept.includes('application/json') || path.startsWith('/console/')) return json(res, err.status, { error: err.message });
        return send(res, err.status, 'text/html; charset=utf-8', problemPage(err));
      }
      logger.error({ err, path }, 'console request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
}

function onlyGet(method: string): void {
  if (method !== 'GET' && method !== 'HEAD') throw new HttpProblem(405, 'Method not allowed.');
}

/** A POST body, as JSON (`{"text": …}`) or an HTML form; at most MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Map<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, `The request is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpProblem(400, 'The request body is not JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null) throw new HttpProblem(400, 'The request body must be a JSON object.');
    return new Map(Object.entries(parsed).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
  }
  return new Map(new URLSearchParams(text));
}

function chatPage(sessions: Sessions, session: string, settings: ConsoleSettings): string {
  return page({
    title: 'ThreatBrief console',
    csrf: sessions.csrfToken(session),
    scripts: ['/console/vendor/adaptivecards.min.js', '/console/assets/console.js'],
    body: `<header class="bar"><h1>ThreatBrief console</h1><nav><a href="/admin">Admin</a></nav></header>
<main class="chat">
<p class="hint">Ask as you would in a channel. Each answer is shown side by side as the Slack message and the Teams card users get.
This console is a conversation of its own at <strong>TLP:${escapeHtml(settings.clearance)}</strong>: “subscribe daily 09:00” sends its digests here.</p>
<ol id="log" class="log" aria-live="polite"></ol>
</main>
<form id="composer" class="composer">
<textarea id="question" name="text" rows="2" maxlength="4000" placeholder="Ask about a threat actor, a sanction or an advisory (Enter sends, Shift+Enter for a new line)" aria-label="Question" required></textarea>
<button type="submit">Send</button>
</form>`,
  });
}

function problemPage(err: HttpProblem): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ThreatBrief console</title>
<link rel="stylesheet" href="/console/assets/console.css"></head><body><main class="problem"><h1>${err.status}</h1><p>${escapeHtml(err.message)}</p>
<p><a href="/">Back to the console</a></p></main></body></html>`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function html(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  send(res, 200, 'text/html; charset=utf-8', body, headers);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function redirect(res: ServerResponse, location: string, setCookie?: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, 'cache-control': 'no-store', ...(setCookie ? { 'set-cookie': setCookie } : {}) });
  res.end();
}
