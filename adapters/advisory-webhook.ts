import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createAccess } from '../src/access/access.js';
import { validateAdvisories } from '../src/digest/advisory-input.js';
import type { FactStore } from '../src/store/fact-store.js';
import { asStoreUnavailable, retryWrite } from '../src/store/failures.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import type { SharedState } from '../src/store/shared/state.js';

const MAX_BODY_BYTES = 1_000_000;
/** How long a request waits for a busy store (off the event loop) before it gets 503 and Retry-After. */
const WRITE_BUDGET_MS = 1000;

function sameSecret(a: string, b: string): boolean {
  // Compare digests so that neither the length nor the content leaks through timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * POST /advisories: a bearer-token-protected way for other tools to add advisories (one object
 * or a list, as in knowledge/advisories/). Each new one gets the next sequence number and so
 * reaches the digests; a known id changes nothing.
 */
export function createAdvisoryWebhook({
  store,
  state = createSqliteState(store),
  token,
  logger,
  now = () => new Date(),
}: {
  store: FactStore;
  /** Where advisories get their shared sequence number; the SQLite store itself by default. */
  state?: SharedState;
  token: string;
  logger: Logger;
  now?: () => Date;
}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const auth = req.headers.authorization ?? '';
    const presented = /^Bearer (.+)$/i.exec(auth)?.[1];
    if (!presented || !sameSecret(presented, token)) {
      reply(
        res,
        401,
        { error: 'missing or wrong bearer token (Authorization: Bearer <ADVISORY_WEBHOOK_TOKEN>)' },
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      reply(res, 415, { error: 'the body must be JSON (Content-Type: application/json)' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      void receive(Buffer.concat(chunks), size).then(
        ({ status, body, headers }) => reply(res, status, body, headers),
        (err: unknown) => {
          logger.error({ err }, 'POST /advisories failed');
          if (!res.headersSent) reply(res, 500, { error: 'internal error' });
        },
      );
    });
  };

  async function receive(raw: Buffer, size: number): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    if (size > MAX_BODY_BYTES) return { status: 413, body: { error: `the body is larger than ${MAX_BODY_BYTES} bytes` } };
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, body: { error: 'the body is not valid JSON' } };
    }
    store.syncCache();
    const input = validateAdvisories(body, 'body', store);
    if (!input.ok) return { status: 400, body: { error: 'invalid advisory', problems: input.problems } };
    const at = now();
    let result: { added: { id: string; seq: number }[]; known: { id: string; seq: number }[] };
    try {
      // All of the body or none of it, audit row included; a busy store is retried off the event loop.
      const outcome = await retryWrite(() => state.advisories.addAll(input.advisories, 'webhook', at), { budgetMs: WRITE_BUDGET_MS });
      const added = outcome.filter((r) => r.added).map(({ id, seq }) => ({ id, seq }));
      result = { added, known: outcome.filter((r) => !r.added).map(({ id, seq }) => ({ id, seq })) };
      if (added.length)
        await retryWrite(
          () =>
            createAccess(state, {}).audit(
              { platform: 'webhook', actor: 'webhook:bearer-token', action: 'advisory-add', place: '/advisories', detail: { added } },
              at,
            ),
          { budgetMs: WRITE_BUDGET_MS },
        );
    } catch (err) {
      const failure = asStoreUnavailable(err);
      if (!failure) throw err;
      logger.warn({ reason: failure.reason, err: failure.cause }, 'POST /advisories: the store refused the write');
      return {
        status: 503,
        body: { error: `${failure.message}; nothing was added, try again later` },
        headers: { 'retry-after': String(failure.retryAfterSeconds) },
      };
    }
    logger.info({ added: result.added.length, known: result.known.length }, 'advisories received by webhook');
    return { status: result.added.length ? 201 : 200, body: result };
  }
}
