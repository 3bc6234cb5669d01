import type { AnswerEngine } from '../answer/engine.js';
import { errorReply } from '../answer/engine.js';
import { stripChatMarkup } from '../answer/normalize.js';
import { makeReply, type Reply } from '../answer/reply.js';
import { parseSchedule } from '../digest/schedule.js';
import { SubscriptionStore, type SubscriptionFilter } from '../digest/subscriptions.js';
import type { FactStore } from '../store/fact-store.js';
import { randomBytes } from 'node:crypto';

/** A message as every adapter hands it to the core, whatever the platform. */
export interface IncomingMessage {
  /** 'slack', 'teams' or 'console'. */
  platform: string;
  /** Where digests for this conversation go: a Slack channel id, a Teams conversation id. */
  conversation: string;
  user?: string;
  text: string;
}

export interface BotLogger {
  error(obj: object, msg: string): void;
}

export interface Bot {
  /** Answers one message; never throws (errors become a reply with a reference id). */
  handle(message: IncomingMessage): Promise<Reply>;
}

export interface BotOptions {
  engine: AnswerEngine;
  store: FactStore;
  now?: () => Date;
  logger?: BotLogger;
}

function note(title: string, text: string): Reply {
  return makeReply('subscribe', { title, elements: [{ kind: 'note', text }], citations: [] });
}

const SUBSCRIBE_HELP =
  'Subscribe this conversation to digests of new advisories: “subscribe daily 09:00 Europe/London”, “subscribe weekly mon 08:30”, ' +
  '“subscribe weekdays 07:45 America/New_York”, or a cron expression “subscribe 0 9 * * 1-5 Europe/Paris”. ' +
  'Add “about <name or keyword>, …” to receive only advisories about those. A digest is sent only when something new was added.';

/** The one entry point for chat messages: digest subscription commands, else a question. */
export function createBot({ engine, store, now = () => new Date(), logger }: BotOptions): Bot {
  const subscriptions = new SubscriptionStore(store.db);

  const subscribe = (msg: IncomingMessage, args: string): Reply => {
    if (!args) return note('How to subscribe', SUBSCRIBE_HELP);
    const [schedulePart, filterPart] = args.split(/\s+(?:about|for|on)\s+/i, 2) as [string, string | undefined];
    const parsed = parseSchedule(schedulePart);
    if (!parsed.ok) return note('That schedule does not work', `${parsed.error}`);
    const filters: SubscriptionFilter[] = [];
    for (const raw of (filterPart ?? '').split(/\s*,\s*/).map((f) => f.trim()).filter(Boolean)) {
      const r = engine.resolver().resolve(raw);
      filters.push(r.kind === 'match' ? { kind: 'entity', value: r.match.entityId, label: r.match.entityName } : { kind: 'keyword', value: raw.toLowerCase(), label: `“${raw}”` });
    }
    const { subscription, created } = subscriptions.add(
      { platform: msg.platform, conversation: msg.conversation, schedule: parsed.schedule, filters, ...(msg.user ? { createdBy: msg.user } : {}) },
      now(),
    );
    const about = filters.length ? ` about ${filters.map((f) => f.label).join(', ')}` : '';
    return note(
      created ? `Subscribed: ${subscription.label}` : `Already subscribed: ${subscription.label}`,
      `Subscription #${subscription.id}: a digest of advisories${about} added from now on, ${subscription.label}, only when there is something new. “subscriptions” lists them; “unsubscribe ${subscription.id}” stops this one.`,
    );
  };

  const list = (msg: IncomingMessage): Reply => {
    const subs = subscriptions.forConversation(msg.platform, msg.conversation);
    if (subs.length === 0) return note('No subscriptions', `This conversation has no digest subscriptions. ${SUBSCRIBE_HELP}`);
    return makeReply('subscribe', {
      title: `Subscriptions here (${subs.length})`,
      elements: [
        {
          kind: 'section',
          lines: subs.map((s) => ({ text: `#${s.id}: ${s.label}${s.filters.length ? ` — about ${s.filters.map((f) => f.label).join(', ')}` : ''}`, cites: [] })),
        },
      ],
      citations: [],
    });
  };

  const unsubscribe = (msg: IncomingMessage, args: string): Reply => {
    const id = /^#?(\d+)$/.exec(args.trim())?.[1];
    if (args.trim() && !id) return note('Which subscription?', '“unsubscribe” stops every subscription here; “unsubscribe 3” stops #3 (see “subscriptions”).');
    const removed = subscriptions.remove(msg.platform, msg.conversation, id === undefined ? undefined : Number(id));
    if (removed === 0) return note('Nothing to stop', id ? `There is no subscription #${id} in this conversation.` : 'This conversation has no subscriptions.');
    return note('Unsubscribed', id ? `Subscription #${id} is stopped.` : `${removed} subscription(s) stopped.`);
  };

  return {
    async handle(msg) {
      try {
        const text = stripChatMarkup(msg.text);
        const m = /^\/?(subscribe|unsubscribe|subscriptions)\b\s*(.*)$/is.exec(text);
        if (m) {
          const verb = m[1]!.toLowerCase();
          const args = m[2]!.trim();
          if (verb === 'subscribe') return subscribe(msg, args);
          if (verb === 'unsubscribe') return unsubscribe(msg, args);
          return list(msg);
        }
        return await engine.answer(msg.text);
      } catch (err) {
        const reference = randomBytes(4).toString('hex');
        logger?.error({ err, reference }, 'answering failed');
        return errorReply(reference);
      }
    },
  };
}
