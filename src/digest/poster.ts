import type { Reply } from '../answer/reply.js';

/**
 * Delivers a digest to one conversation of one platform. Implementations live with their
 * adapter (Slack's chat.postMessage, Teams' proactive message, the terminal).
 */
export interface Poster {
  readonly platform: string;
  /**
   * Posts; `key` identifies the digest (its outbox row), for platforms that can carry it; `team`
   * is the subscription's Slack installation in many-workspace mode (its token posts).
   */
  post(conversation: string, reply: Reply, signal: AbortSignal, key?: string, team?: string): Promise<void>;
  /**
   * Whether a post with `key` already reached the conversation since `since`: asked after a
   * crash left a digest in flight, so that it is not posted twice. Platforms that cannot tell
   * leave it out, and an in-flight digest is then posted again (at least once).
   */
  confirm?(conversation: string, key: string, since: Date, signal: AbortSignal, team?: string): Promise<boolean>;
}

/**
 * Settles as `work` does, or rejects with a PostError when `signal` aborts first (a pass's
 * budget). A failure of `work` after that is ignored: the timeout was already reported.
 */
export async function withinSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  // A post we stopped waiting for may still have reached the platform.
  if (signal.aborted) throw new PostError('timed out', undefined, true);
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new PostError('timed out', undefined, true)), { once: true }),
  );
  return Promise.race([work, aborted]);
}

/**
 * A failed delivery; `retryAfterMs` when the platform said when to come back (HTTP 429).
 * `mayHaveArrived` when no answer came (a timeout, a dropped connection): the platform may have
 * the message, so the next attempt asks it first where it can (see Poster.confirm).
 */
export class PostError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly mayHaveArrived = false,
  ) {
    super(message);
    this.name = 'PostError';
  }
}
