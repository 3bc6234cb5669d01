import type { Reply } from '../answer/reply.js';

/**
 * Delivers a digest to one conversation of one platform. Implementations live with their
 * adapter (Slack's chat.postMessage, Teams' proactive message, the terminal).
 */
export interface Poster {
  readonly platform: string;
  post(conversation: string, reply: Reply, signal: AbortSignal): Promise<void>;
}

/** A failed delivery; `retryAfterMs` when the platform said when to come back (HTTP 429). */
export class PostError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PostError';
  }
}
