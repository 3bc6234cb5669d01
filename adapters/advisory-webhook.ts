import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createAccess } from '../src/access/access.js';
import { validateAdvisories } from '../src/digest/advisory-input.js';
import type { FactStore } from '../src/store/fact-store.js';

const MAX_BODY_BYTES = 1_000_000;

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
  token,
  logger,
  now = () => new Date(),
}: {
  store: FactStore;
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
      if (size > MAX_BODY_BYTES) return reply(res, 413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'the body is not valid JSON' });
      }
      store.syncCache();
      const input = validateAdvisories(body, 'body', store);
      if (!input.ok) return reply(res, 400, { error: 'invalid advisory', problems: input.problems });
      const added: { id: string; seq: number }[] = [];
      const known: { id: string; seq: number }[] = [];
      for (const a of input.advisories) {
        const r = store.addAdvisory(a, 'webhook', now());
        (r.added ? added : known).push({ id: a.id, seq: r.seq });
      }
      logger.info({ added: added.length, known: known.length }, 'advisories received by webhook');
      if (added.length)
        createAccess(store.db, {}).audit(
          { platform: 'webhook', actor: 'webhook:bearer-token', action: 'advisory-add', place: '/advisories', detail: { added } },
          now(),
        );
      reply(res, added.length ? 201 : 200, { added, known });
    });
  };
}
