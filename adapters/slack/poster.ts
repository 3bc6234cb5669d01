import { ErrorCode, WebClient } from '@slack/web-api';
import type { Reply } from '../../src/answer/reply.js';
import type { SlackConfig } from '../../src/app/config.js';
import { PostError, type Poster, withinSignal } from '../../src/digest/poster.js';
import type { SharedState } from '../../src/store/shared/state.js';
import { renderReply } from './block-kit.js';
import { createInstallationStore } from './installations.js';

/** What to do about the Web API errors a digest post meets in practice (docs/slack-scopes.md). */
const REMEDIES: Record<string, string> = {
  not_in_channel:
    'the bot is not a member of this channel: invite it there (/invite @threatbrief); the manifest leaves out chat:write.public on purpose',
  channel_not_found: 'the channel is gone, or private and the bot is not in it: invite the bot, or unsubscribe',
  is_archived: 'the channel is archived: unarchive it, or unsubscribe',
  missing_scope: 'the app lacks a scope: reinstall it from manifest.json',
  not_authed: "SLACK_BOT_TOKEN (or the workspace's installation) is missing or wrong",
  invalid_auth: "SLACK_BOT_TOKEN (or the workspace's installation) is not valid for this workspace",
  token_revoked:
    'the bot token was revoked: reinstall the app and set the new SLACK_BOT_TOKEN (many workspaces: install it again at /slack/install)',
  account_inactive: 'the bot token belongs to a deleted app or user: reinstall the app',
};

/** "chat.postMessage failed: not_in_channel — the bot is not a member …": the error and what to do. */
export function postFailure(error: string): string {
  const remedy = REMEDIES[error];
  return `chat.postMessage failed: ${error}${remedy ? ` — ${remedy}` : ''}`;
}

/** The metadata event type of digest messages. */
export const DIGEST_EVENT = 'threatbrief_digest';

export type SlackPosterOptions = (
  | { /** One workspace: its bot token (SLACK_BOT_TOKEN). */ token: string }
  | {
      /** Many workspaces: the bot token of a subscription's installation, undefined when it has none. */ tokenOf: (
        team: string,
      ) => Promise<string | undefined>;
    }
) & {
  /** The Web API base URL, as SLACK_API_URL (default https://slack.com/api/). */
  apiUrl?: string;
};

/**
 * Posts digests with chat.postMessage. Retries are the digest pass's job (it honours
 * Retry-After within its budget and keeps failures pending), so the client neither retries
 * nor waits on 429 by itself.
 */
export function createSlackPoster(opts: SlackPosterOptions): Poster {
  const { apiUrl } = opts;
  const client = new WebClient('token' in opts ? opts.token : undefined, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    rejectRateLimitedCalls: true,
  });
  /** The token a subscription's digests are posted with: its own workspace's, never another's. */
  const tokenFor = async (team: string | undefined): Promise<{ token?: string }> => {
    if ('token' in opts) return {};
    if (team === undefined)
      throw new PostError(
        'this Slack subscription names no workspace (it was made with one SLACK_BOT_TOKEN): subscribe again in its channel, or use `threatbrief subscribe --team`',
      );
    const token = await opts.tokenOf(team);
    if (!token) throw new PostError(`the app is not installed in Slack workspace ${team}: install it there through /slack/install`);
    return { token };
  };
  return {
    platform: 'slack',
    async confirm(channel, key, since, signal, team) {
      // Needs the channels:history / groups:history scopes; without them this throws and the
      // pass posts again (at least once) rather than risk losing the digest.
      const history = await withinSignal(
        client.conversations.history({
          ...(await tokenFor(team)),
          channel,
          oldest: String(since.getTime() / 1000),
          limit: 100,
          include_all_metadata: true,
        }),
        signal,
      );
      const messages = (history.messages ?? []) as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }[];
      return messages.some((m) => m.metadata?.event_type === DIGEST_EVENT && m.metadata.event_payload?.key === key);
    },
    async post(channel: string, reply: Reply, signal: AbortSignal, key?: string, team?: string) {
      const message = renderReply(reply);
      const call = client.chat.postMessage({
        ...(await tokenFor(team)),
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        // The digest's key rides along as message metadata, so that `confirm` can find it.
        ...(key ? { metadata: { event_type: DIGEST_EVENT, event_payload: { key } } } : {}),
      });
      try {
        await withinSignal(call, signal);
      } catch (err) {
        if (err instanceof PostError) throw err;
        const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
        if (e.code === ErrorCode.RateLimitedError)
          throw new PostError('Slack rate limit (429): the next pass posts it', (e.retryAfter ?? 1) * 1000);
        // Slack answered with an error: it did not post. No answer at all: it may have.
        throw new PostError(postFailure(e.data?.error ?? e.message ?? String(err)), undefined, e.data?.error === undefined);
      }
    },
  };
}

/** The digest poster for the Slack settings: with the one bot token, or with each subscription's installation's. */
export function slackPosterFor(config: SlackConfig, state: Pick<SharedState, 'installations'>): Poster {
  const apiUrl = config.apiUrl ? { apiUrl: config.apiUrl } : {};
  if (!('install' in config)) return createSlackPoster({ token: config.botToken, ...apiUrl });
  const installations = createInstallationStore(state.installations, config.install.installationKey);
  return createSlackPoster({ tokenOf: (team) => installations.botTokenOf(team), ...apiUrl });
}
