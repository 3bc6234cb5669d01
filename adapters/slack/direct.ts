import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Whether a conversation is the bot's own direct-message channel with the asker — the one place
 * where the asker's own clearance applies. A channel id starting with D says only that it is some
 * DM: `/threat` also works in a DM between two people, where the bot is no member. So the answer
 * comes from conversations.info (is_im, and the IM's user is the asker), cached per channel.
 * Anything else — an error, a channel the bot cannot see — counts as not private.
 */
export interface DirectCheck {
  /** `token`: the workspace's bot token (many-workspace mode; the client's own otherwise). */
  isBotDmWith(channel: string, user: string | undefined, token?: string): Promise<boolean>;
}

/** An IM's other member never changes; keep answers a day, and this many channels at most. */
const CACHE_MS = 24 * 60 * 60 * 1000;
const MAX_CACHED = 50_000;

export function createDirectCheck(client: webApi.WebClient, logger: Pick<Logger, 'warn'>, now: () => number = Date.now): DirectCheck {
  const cache = new Map<string, { imUser: string | undefined; at: number }>();
  return {
    async isBotDmWith(channel, user, token) {
      // Public and private channels and group DMs are never a one-to-one chat with the bot.
      if (!user || !channel.startsWith('D')) return false;
      const hit = cache.get(channel);
      if (hit && now() - hit.at < CACHE_MS) return hit.imUser === user;
      let imUser: string | undefined;
      try {
        const info = await client.conversations.info({ channel, ...(token ? { token } : {}) });
        const c = info.channel as { is_im?: boolean; user?: string } | undefined;
        imUser = c?.is_im === true && typeof c.user === 'string' ? c.user : undefined;
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        // Not found: a DM the bot is not part of (between two people). Anything else: unknown, so not private, and not cached.
        if (code !== 'channel_not_found') {
          logger.warn({ err, channel }, 'could not tell whether a DM is the bot’s own; answering at the public clearance');
          return false;
        }
      }
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(channel, { imUser, at: now() });
      return imUser === user;
    },
  };
}
