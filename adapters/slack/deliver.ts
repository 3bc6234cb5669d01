import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** Backoff between attempts: minTimeoutMs × factor^attempt, at most maxTimeoutMs. */
export interface RetryPolicy {
  retries: number;
  factor: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** About half a minute of retries: a short outage still gets its answer, a long one gives up and logs. */
export const SERVICE_RETRY_POLICY: RetryPolicy = { retries: 5, factor: 2, minTimeoutMs: 1000, maxTimeoutMs: 16_000 };

/** Slack's own retry options (node-retry names), as given in clientOptions.retryConfig. */
export interface NodeRetryOptions {
  retries?: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
}

export function policyFrom(options: NodeRetryOptions | undefined): RetryPolicy {
  if (!options) return SERVICE_RETRY_POLICY;
  return {
    retries: options.retries ?? SERVICE_RETRY_POLICY.retries,
    factor: options.factor ?? SERVICE_RETRY_POLICY.factor,
    minTimeoutMs: options.minTimeout ?? SERVICE_RETRY_POLICY.minTimeoutMs,
    maxTimeoutMs: options.maxTimeout ?? SERVICE_RETRY_POLICY.maxTimeoutMs,
  };
}

/** Tells `withRetry` whether a failure is worth another attempt, and after how long at least. */
export type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

/** Runs `attempt` until it succeeds, the failure is permanent, or the policy's retries are spent. */
export async function withRetry<T>(
  what: string,
  attempt: () => Promise<T>,
  decide: (err: unknown) => RetryDecision,
  policy: RetryPolicy,
  logger: Logger,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const decision = decide(err);
      if (!decision.retry || n >= policy.retries) throw err;
      const backoff = Math.min(policy.maxTimeoutMs, policy.minTimeoutMs * policy.factor ** n);
      const delay = Math.max(backoff, decision.afterMs ?? 0);
      logger.warn({ err, attempt: n + 1, retryInMs: delay }, `${what} failed; retrying`);
      await sleep(delay);
    }
  }
}

/** A response_url answered with a status other than 2xx. */
export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`response_url answered HTTP ${status}`);
    this.name = 'ResponseUrlError';
  }
}

/** POSTs JSON to Slack's response_urls. */
export interface ResponseUrlPoster {
  post(url: string, message: object): Promise<void>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * Retries network failures, timeouts, 5xx and 429 (after its Retry-After); other statuses (an
 * expired or used-up URL) are permanent. node:http with keep-alive rather than fetch: it costs a
 * fifth of the CPU per POST, and these POSTs share the event loop with acks that must be fast.
 */
export function createResponseUrlPoster(policy: RetryPolicy, logger: Logger, timeoutMs = 10_000): ResponseUrlPoster {
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };
  const once = (url: URL, body: string) =>
    new Promise<void>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const req = send(
        url,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const retryAfter = Number(res.headers['retry-after']);
            reject(new ResponseUrlError(status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`response_url did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return {
    async post(url, message) {
      const target = new URL(url);
      if (target.protocol !== 'https:' && target.protocol !== 'http:')
        throw new Error(`unsupported response_url scheme ${target.protocol}`);
      const body = JSON.stringify(message);
      await withRetry(
        'response_url POST',
        () => once(target, body),
        (err) => {
          if (!(err instanceof ResponseUrlError)) return { retry: true }; // network failure or timeout
          // Capped, so that a huge Retry-After cannot hold a graceful stop for long.
          if (err.status === 429) return { retry: true, afterMs: Math.min(err.retryAfterMs ?? 1000, 60_000) };
          return { retry: err.status >= 500 };
        },
        policy,
        logger,
      );
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** Web API errors (`ok: false`) that Slack documents as transient; HTTP-level failures are the WebClient's to retry. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export function retryTransientPlatformError(err: unknown): RetryDecision {
  const e = err as { code?: unknown; data?: { error?: unknown } };
  return { retry: e.code === 'slack_webapi_platform_error' && TRANSIENT_PLATFORM_ERRORS.has(String(e.data?.error)) };
}
