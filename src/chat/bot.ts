import { randomBytes } from 'node:crypto';
import { type Admins, createAccess } from '../access/access.js';
import type { AnswerEngine } from '../answer/engine.js';
import { errorReply } from '../answer/engine.js';
import { makeReply, type Reply } from '../answer/reply.js';
import { parseTlp, TLP_LEVELS, type Tlp } from '../base/tlp.js';
import { parseSchedule } from '../digest/schedule.js';
import { fieldFilter, type SubscriptionFilter } from '../digest/subscriptions.js';
import { LIMITS } from '../model/limits.js';
import type { FactStore } from '../store/fact-store.js';
import { asStoreUnavailable, retryWrite } from '../store/failures.js';
import { createSqliteState } from '../store/shared/sqlite.js';
import type { SharedState } from '../store/shared/state.js';
import { parseCommand, splitSubscribeArgs } from './parse-command.js';
import { createRateLimiter } from './rate-limit.js';

/** A message as every adapter hands it to the core, whatever the platform. */
export interface IncomingMessage {
  /** 'slack', 'teams' or 'console'. */
  platform: string;
  /** Where digests for this conversation go: a Slack channel id, a Teams conversation id. */
  conversation: string;
  user?: string;
  /** Every id the platform gives the sender (Teams: from.id and the AAD object id), for matching admins. */
  userIds?: readonly string[];
  /** A one-to-one chat with the bot (Slack DM, Teams personal chat, the terminal). */
  direct?: boolean;
  /** The thread the message is in (Slack), so that follow-ups stay within it. */
  thread?: string;
  /** The Slack installation (workspace) it came from, in many-workspace mode only: its subscriptions, admins and clearances. */
  team?: string;
  text: string;
  /**
   * The clearance to answer at, for trusted local callers only (the CLI's --clearance); chat
   * adapters leave it out and the conversation's stored clearance applies.
   */
  clearance?: Tlp;
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
  /** Subscriptions, clearances and the audit trail; the SQLite store's own tables by default. */
  state?: SharedState;
  now?: () => Date;
  logger?: BotLogger;
  /** Admins per platform; with admins set, only they manage a platform's subscriptions. */
  admins?: Admins;
  /** Questions a minute per user and per conversation (unset: no limit). */
  rateLimits?: { perUser: number; perConversation: number };
}

function note(title: string, text: string): Reply {
  return makeReply('subscribe', { title, elements: [{ kind: 'note', text }], citations: [] });
}

const SUBSCRIBE_HELP =
  'Subscribe this conversation to digests of new advisories: “subscribe daily 09:00 Europe/London”, “subscribe weekly mon 08:30”, ' +
  '“subscribe weekdays 07:45 America/New_York”, or a cron expression “subscribe 0 9 * * 1-5 Europe/Paris”. ' +
  'Add “about <name or keyword>, …” to receive only advisories about those (“about vendor: Microsoft, product: Exchange Server” for KEV entries). ' +
  'A digest is sent only when something new was added.';

/** The one entry point for chat messages: digest subscription commands, else a question. */
export function createBot({
  engine,
  store,
  state = createSqliteState(store),
  now = () => new Date(),
  logger,
  admins = {},
  rateLimits,
}: BotOptions): Bot {
  const { subscriptions } = state;
  const access = createAccess(state, admins);
  const userLimit = rateLimits ? createRateLimiter(rateLimits.perUser) : undefined;
  const conversationLimit = rateLimits ? createRateLimiter(rateLimits.perConversation) : undefined;
  const actor = (msg: IncomingMessage) => `${msg.platform}:${msg.user ?? 'unknown'}`;

  /** Subscriptions are managed by admins where a platform has admins configured. */
  const denied = async (msg: IncomingMessage, what: string): Promise<Reply | undefined> => {
    if (!access.restricted(msg) || access.isAdmin(msg)) return undefined;
    await access.audit({ platform: msg.platform, actor: actor(msg), action: `${what}-denied`, place: msg.conversation }, now());
    return makeReply('denied', {
      title: 'Only admins can do that here',
      elements: [
        {
          kind: 'note',
          text: `Managing digest subscriptions and clearances in this workspace is limited to its ThreatBrief admins (ADMIN_USERS). Ask one of them.`,
        },
      ],
      citations: [],
    });
  };

  const clearance = async (msg: IncomingMessage, args: string): Promise<Reply> => {
    const current = await access.clearanceOf(msg);
    const where = msg.direct ? 'your direct chat with me' : 'this conversation';
    if (!args)
      return note(
        `Clearance: TLP:${current}`,
        `I show ${where} facts marked up to TLP:${current}. An admin can change it with “clearance <${TLP_LEVELS.join('|').toLowerCase()}>”.`,
      );
    const level = parseTlp(args);
    if (!level) return note('Unknown TLP level', `“${args.slice(0, 40)}” is not a TLP level; use one of ${TLP_LEVELS.join(', ')}.`);
    if (!access.isAdmin(msg)) {
      await access.audit(
        { platform: msg.platform, actor: actor(msg), action: 'clearance-denied', place: msg.conversation, detail: { level } },
        now(),
      );
      return makeReply('denied', {
        title: 'Only admins can change clearances',
        elements: [{ kind: 'note', text: 'Ask a ThreatBrief admin (ADMIN_USERS) to change the clearance.' }],
        citations: [],
      });
    }
    if (msg.direct && msg.user) await access.setUserClearance(msg.platform, msg.user, level, actor(msg), now(), msg.team);
    else await access.setConversationClearance(msg.platform, msg.conversation, level, actor(msg), now(), msg.team);
    await access.audit(
      {
        platform: msg.platform,
        actor: actor(msg),
        action: 'clearance-set',
        place: msg.conversation,
        detail: { level, scope: msg.direct ? 'user' : 'conversation' },
      },
      now(),
    );
    return note(`Clearance set: TLP:${level}`, `From now on I show ${where} facts marked up to TLP:${level}.`);
  };

  const limited = (msg: IncomingMessage): Reply | undefined => {
    if (!userLimit || !conversationLimit) return undefined;
    const userKey = actor(msg);
    const convKey = `${msg.platform}:${msg.conversation}`;
    if (userLimit.take(userKey) && conversationLimit.take(convKey)) return undefined;
    const wait = Math.max(userLimit.retryAfterSeconds(userKey), conversationLimit.retryAfterSeconds(convKey), 1);
    return makeReply('rate-limited', {
      title: 'One moment, please',
      elements: [{ kind: 'note', text: `That is more questions than I answer in a minute here. Please ask again in about ${wait} s.` }],
      citations: [],
    });
  };

  const subscribe = async (msg: IncomingMessage, args: string): Promise<Reply> => {
    if (!args) return note('How to subscribe', SUBSCRIBE_HELP);
    const refused = await denied(msg, 'subscribe');
    if (refused) return refused;
    const { schedule, filters: filterWords, problem } = splitSubscribeArgs(args);
    if (problem) return note('That subscription is too long', problem);
    if ((await subscriptions.forConversation(msg.platform, msg.conversation)).length >= LIMITS.subscriptionsPerConversation)
      return note(
        'Too many subscriptions here',
        `This conversation has ${LIMITS.subscriptionsPerConversation} subscriptions, the most it may have. “unsubscribe <number>” stops one.`,
      );
    const parsed = parseSchedule(schedule);
    if (!parsed.ok) return note('That schedule does not work', `${parsed.error}`);
    const filters: SubscriptionFilter[] = [];
    const resolver = engine.resolver(await access.clearanceOf(msg));
    for (const raw of filterWords) {
      const field = fieldFilter(raw);
      if (field) {
        filters.push(field);
        continue;
      }
      const r = resolver.resolve(raw);
      filters.push(
        r.kind === 'match'
          ? { kind: 'entity', value: r.match.entityId, label: r.match.entityName }
          : { kind: 'keyword', value: raw.toLowerCase(), label: `“${raw}”` },
      );
    }
    const { subscription, created } = await subscriptions.add(
      {
        platform: msg.platform,
        conversation: msg.conversation,
        schedule: parsed.schedule,
        filters,
        ...(msg.user ? { createdBy: msg.user } : {}),
        ...(msg.team ? { team: msg.team } : {}),
      },
      now(),
    );
    if (created)
      await access.audit(
        {
          platform: msg.platform,
          actor: actor(msg),
          action: 'subscribe',
          place: msg.conversation,
          detail: { id: subscription.id, schedule: subscription.label, filters },
        },
        now(),
      );
    const about = filters.length ? ` about ${filters.map((f) => f.label).join(', ')}` : '';
    return note(
      created ? `Subscribed: ${subscription.label}` : `Already subscribed: ${subscription.label}`,
      `Subscription #${subscription.id}: a digest of advisories${about} added from now on, ${subscription.label}, only when there is something new. “subscriptions” lists them; “unsubscribe ${subscription.id}” stops this one.`,
    );
  };

  const list = async (msg: IncomingMessage): Promise<Reply> => {
    const subs = await subscriptions.forConversation(msg.platform, msg.conversation);
    if (subs.length === 0) return note('No subscriptions', `This conversation has no digest subscriptions. ${SUBSCRIBE_HELP}`);
    return makeReply('subscribe', {
      title: `Subscriptions here (${subs.length})`,
      elements: [
        {
          kind: 'section',
          lines: subs.map((s) => ({
            text: `#${s.id}: ${s.label}${s.filters.length ? ` — about ${s.filters.map((f) => f.label).join(', ')}` : ''}`,
            cites: [],
          })),
        },
      ],
      citations: [],
    });
  };

  const unsubscribe = async (msg: IncomingMessage, args: string): Promise<Reply> => {
    const id = /^#?(\d+)$/.exec(args.trim())?.[1];
    if (args.trim() && !id)
      return note('Which subscription?', '“unsubscribe” stops every subscription here; “unsubscribe 3” stops #3 (see “subscriptions”).');
    const refused = await denied(msg, 'unsubscribe');
    if (refused) return refused;
    const removed = await subscriptions.remove(msg.platform, msg.conversation, id === undefined ? undefined : Number(id));
    if (removed > 0)
      await access.audit(
        { platform: msg.platform, actor: actor(msg), action: 'unsubscribe', place: msg.conversation, detail: { id: id ?? 'all', removed } },
        now(),
      );
    if (removed === 0)
      return note(
        'Nothing to stop',
        id ? `There is no subscription #${id} in this conversation.` : 'This conversation has no subscriptions.',
      );
    return note('Unsubscribed', id ? `Subscription #${id} is stopped.` : `${removed} subscription(s) stopped.`);
  };

  return {
    async handle(msg) {
      try {
        const command = parseCommand(msg.text);
        const slow = limited(msg);
        if (slow) return slow;
        if (command) {
          // Commands write (subscriptions, clearances, audit): a busy store is waited for off the event loop.
          if (command.verb === 'clearance') return await retryWrite(() => clearance(msg, command.level));
          if (command.verb === 'subscribe') return await retryWrite(() => subscribe(msg, command.args));
          if (command.verb === 'unsubscribe') return await retryWrite(() => unsubscribe(msg, command.args));
          return await list(msg);
        }
        return await engine.answer(msg.text, {
          clearance: msg.clearance ?? (await access.clearanceOf(msg)),
          conversation: conversationKey(msg),
        });
      } catch (err) {
        const unavailable = asStoreUnavailable(err);
        if (unavailable)
          return note(
            'Not saved — please try again',
            `I could not save that: ${unavailable.message}. Nothing was changed; please try again in a moment.`,
          );
        const reference = randomBytes(4).toString('hex');
        logger?.error({ err, reference }, 'answering failed');
        return errorReply(reference);
      }
    },
  };
}

/** Follow-ups are read against earlier turns of the same thread (or chat) by the same user. */
export function conversationKey(msg: IncomingMessage): string {
  return [msg.platform, msg.conversation, msg.thread ?? '', msg.user ?? ''].join(' ');
}
