/**
 * Slack payloads → the neutral question the core answers. Pure: no I/O, no Bolt types, so
 * every rule is a table test. Entities (`&amp;`, `&lt;`…) are left for the core's
 * stripChatMarkup to decode exactly once.
 */

export type IncomingSource = 'command' | 'mention' | 'dm';

/** A question from Slack, and where its answer goes. */
export interface SlackIncoming {
  source: IncomingSource;
  /** The question, with mention and broadcast tokens removed. */
  text: string;
  userId: string;
  channelId: string;
  /** Mentions and DMs are answered in this thread. */
  threadTs?: string;
}

/** The fields of a slash-command payload this adapter reads. */
export interface SlashCommandLike {
  text?: string;
  user_id: string;
  channel_id: string;
}

/** The fields of an `app_mention` or `message` event this adapter reads. */
export interface MessageEventLike {
  type: string;
  subtype?: string;
  channel_type?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  bot_profile?: unknown;
  channel?: string;
  ts?: string;
  thread_ts?: string;
}

/** Who the bot is, to ignore its own messages even if Bolt's ignoreSelf is bypassed. */
export interface BotIdentity {
  botUserId?: string;
  botId?: string;
}

/** Removes `<@U…>`, `<@U…|name>`, `<!here>`, `<!channel>`, `<!everyone>` and `<!subteam^…>` tokens. */
export function stripMentions(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<!(?:here|channel|everyone|subteam\^[^>]*)(?:\|[^>]*)?>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function fromSlashCommand(command: SlashCommandLike): SlackIncoming {
  return { source: 'command', text: stripMentions(command.text ?? ''), userId: command.user_id, channelId: command.channel_id };
}

/**
 * A mention in a channel or a direct message, or undefined for what the bot must not answer:
 * bots (itself included), edits, deletions, joins and other subtypes, messages in channels
 * that do not mention it.
 */
export function fromMessageEvent(event: MessageEventLike, self: BotIdentity = {}): SlackIncoming | undefined {
  const source: IncomingSource | undefined =
    event.type === 'app_mention' ? 'mention' : event.type === 'message' && event.channel_type === 'im' ? 'dm' : undefined;
  if (!source) return undefined;
  if (event.bot_id || event.bot_profile) return undefined;
  // file_share is a person's message with an attachment; every other subtype is not a question.
  if (event.subtype !== undefined && event.subtype !== 'file_share') return undefined;
  if (!event.user || !event.channel || !event.ts) return undefined;
  if (event.user === self.botUserId) return undefined;
  return {
    source,
    text: stripMentions(event.text ?? ''),
    userId: event.user,
    channelId: event.channel,
    threadTs: event.thread_ts ?? event.ts,
  };
}
