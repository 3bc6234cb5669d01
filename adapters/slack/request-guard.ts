import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { EventDedupe } from './dedupe.js';

/**
 * Checks Bolt leaves out, in front of its HTTP receiver: a correctly signed request whose
 * timestamp lies in the future beyond a small clock skew is refused (Bolt refuses only old ones),
 * and a signed request seen before (same timestamp, body and so signature) is acknowledged
 * without being handled again. Requests that fail the signature are handed on for Bolt to refuse.
 */
export interface RequestGuardOptions {
  signingSecret: string;
  seen: EventDedupe;
  logger: Pick<Logger, 'warn'>;
  nowMs?: () => number;
}

/** How far ahead of our clock a Slack timestamp may be (clock skew between Slack and this host). */
export const FUTURE_SKEW_SECONDS = 60;
/** Bolt's own body limit is larger; Slack's payloads are far below this. */
const MAX_BODY_BYTES = 1_000_000;

export function guardSlackRequests(listener: RequestListener, opts: RequestGuardOptions): RequestListener {
  const nowMs = opts.nowMs ?? Date.now;
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      // Bolt reads a body that was already read from here.
      Object.assign(req, { rawBody: raw });
      const signature = req.headers['x-slack-signature'];
      const timestamp = Number(req.headers['x-slack-request-timestamp']);
      if (typeof signature !== 'string' || !Number.isFinite(timestamp) || !signed(opts.signingSecret, timestamp, raw, signature)) {
        listener(req, res);
        return;
      }
      if (timestamp > nowMs() / 1000 + FUTURE_SKEW_SECONDS) {
        opts.logger.warn({ timestamp }, 'refused a Slack request timestamped in the future');
        res.writeHead(401, { 'content-type': 'text/plain' }).end('request timestamp is in the future');
        return;
      }
      void opts.seen.firstTime(`signature:${signature}`).then((first) => {
        if (first) return listener(req, res);
        opts.logger.warn({ timestamp }, 'a replayed Slack request was acknowledged and ignored');
        res.writeHead(200).end();
      });
    });
  };
}

function signed(secret: string, timestamp: number, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
