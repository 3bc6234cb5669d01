import type { Poster } from '../../src/digest/poster.js';

/** The console's own conversation: platform "web", one conversation, answering at CONSOLE_CLEARANCE. */
export const CONSOLE_PLATFORM = 'web';
export const CONSOLE_CONVERSATION = 'console';

/**
 * Digests for the console's subscriptions are delivered to the page: the outbox row marked sent
 * is what the page reads (GET /console/digests), so a digest reaches it even when no page is open,
 * whichever process (serve, or digest run) ran the pass.
 */
export function createConsolePagePoster(): Poster {
  return { platform: CONSOLE_PLATFORM, post: async () => undefined };
}
