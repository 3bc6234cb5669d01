import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import {
  App,
  type BlockAction,
  type ButtonAction,
  type Context,
  ErrorCode,
  HTTPReceiver,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import type { Logger } from 'pino';
import { errorReply } from '../../src/answer/engine.js';
import type { Reply } from '../../src/answer/reply.js';
import type { SlackConfig } from '../../src/app/config.js';
import type { Bot } from '../../src/chat/bot.js';
import type { FactStore } from '../../src/store/fact-store.js';
import type { SharedState } from '../../src/store/shared/state.js';
import { SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH } from '../http-server.js';
import { ACTIONS, parseMoreValue, type RenderOptions, renderReply, type SlackMessage } from './block-kit.js';
import { boltLevel, boltLogger } from './bolt-logger.js';
import { createEventDedupe, dedupePathFor } from './dedupe.js';
import { createResponseUrlPoster, policyFrom, retryTransientPlatformError, SERVICE_RETRY_POLICY, withRetry } from './deliver.js';
import { createDirectCheck } from './direct.js';
import { installationIdOf, type SlackInstallations } from './installations.js';
import { guardSlackRequests } from './request-guard.js';
import { type BotIdentity, fromMessageEvent, fromSlashCommand, type MessageEventLike } from './to-incoming.js';

/** The slash command, as registered in manifest.json. */
export const SLASH_COMMAND = '/threat';

/** The bot scopes, as in manifest.json; the install flow asks each workspace for these. */
export const BOT_SCOPES = ['commands', 'chat:write', 'app_mentions:read', 'im:history', 'im:read'] as const;

export interface SlackAppOptions {
  /** The core's entry point for messages (questions and subscription commands). */
  bot: Bot;
  /** Beside its SQLite file, a small file of its own remembers which events and requests were handled. */
  store: FactStore;
  /** With PostgreSQL, Slack's retries are deduplicated across replicas in the shared state. */
  state?: SharedState;
  logger: Logger;
  config: SlackConfig;
  /** Web API client options; `slackApiUrl` defaults to config.apiUrl, `retryConfig` to about 30 s of backoff. */
  clientOptions?: webApi.WebClientOptions;
  /** Many-workspace mode (config.install): where installations are kept; required there. */
  installations?: SlackInstallations;
}

export interface SlackAdapter {
  readonly mode: SlackConfig['mode'];
  /** HTTP mode: the handler for POST /slack/events (Bolt's signature check, parsing and ack). */
  readonly requestListener: RequestListener | undefined;
  /** Many-workspace mode: the handler for GET /slack/install and /slack/oauth_redirect (the OAuth install flow). */
  readonly installListener: RequestListener | undefined;
  /** Checks the bot token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  /** Lets answers in progress be delivered, then disconnects. */
  stop(): Promise<void>;
  /** Resolves once no answer is being composed or delivered. */
  idle(): Promise<void>;
  /**
   * For readiness: HTTP mode, started (the token checked) and not stopped; Socket Mode, also
   * connected to Slack right now (false while it reconnects).
   */
  connected(): boolean;
}

/**
 * The Slack app: `/threat`, mentions and DMs, and the buttons. Every request is acknowledged
 * first; the answer is composed and delivered afterwards, as one tracked task per turn whose
 * failures are logged with a reference id — users see only that id, never an error's text.
 */
export function createSlackApp(opts: SlackAppOptions): SlackAdapter {
  const { bot, config } = opts;
  const log = opts.logger.child({ adapter: 'slack' });
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: {
      retries: SERVICE_RETRY_POLICY.retries,
      factor: SERVICE_RETRY_POLICY.factor,
      minTimeout: SERVICE_RETRY_POLICY.minTimeoutMs,
      maxTimeout: SERVICE_RETRY_POLICY.maxTimeoutMs,
    },
    timeout: 10_000,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...opts.clientOptions,
  };
  const policy = policyFrom(clientOptions.retryConfig);
  const logger = boltLogger(log);
  const install = 'install' in config ? config.install : undefined;
  const installations = opts.installations;
  if (install && !installations) throw new Error('many-workspace Slack (SLACK_CLIENT_ID) needs an installation store');
  // convoStore: false — Bolt's in-memory conversation store is unused here, and a middleware less per request.
  const common = {
    ...('botToken' in config ? { token: config.botToken } : {}),
    logger,
    logLevel: boltLevel(log.level),
    clientOptions,
    deferInitialization: true,
    convoStore: false,
  } as const;
  const receiver =
    config.mode !== 'http'
      ? undefined
      : install && installations
        ? new HTTPReceiver({
            signingSecret: config.signingSecret,
            logger,
            clientId: install.clientId,
            clientSecret: install.clientSecret,
            stateSecret: install.stateSecret,
            scopes: [...BOT_SCOPES],
            installationStore: installations,
            installerOptions: {
              installPath: SLACK_INSTALL_PATH,
              redirectUriPath: SLACK_REDIRECT_PATH,
              // oauth.v2.access and auth.test go where the rest of the Web API does (SLACK_API_URL).
              clientOptions,
              ...(config.apiUrl ? { authorizationUrl: authorizationUrlFor(config.apiUrl) } : {}),
            },
          })
        : new HTTPReceiver({ signingSecret: config.signingSecret, logger });
  // Built here rather than by App (socketMode: true builds the same) so that readiness can follow the connection.
  const socket =
    config.mode === 'socket'
      ? new SocketModeReceiver({ appToken: config.appToken, logger, logLevel: common.logLevel, installerOptions: { clientOptions } })
      : undefined;
  const app = socket ? new App({ ...common, socketMode: true, receiver: socket }) : new App({ ...common, receiver });
  let started = false;
  let socketConnected = false;
  socket?.client.on('connected', () => {
    socketConnected = true;
  });
  for (const state of ['close', 'disconnected', 'reconnecting', 'connecting']) {
    socket?.client.on(state, () => {
      socketConnected = false;
    });
  }
  const dedupe = createEventDedupe({
    path: dedupePathFor(opts.store.db.name),
    ...(opts.state?.engine === 'postgres' ? { shared: opts.state.seen } : {}),
    logger: log,
  });
  const directs = createDirectCheck(app.client, log);
  const tasks = createTaskTracker(log);
  const turns = createTurnTaker();

  /** One turn: answer, render, deliver; nothing thrown escapes, and no error text reaches the chat. */
  const turn = (
    what: string,
    question: string,
    from: Asker,
    render: (reply: Reply) => SlackMessage,
    deliver: (message: SlackMessage) => Promise<void>,
  ) =>
    tasks.run(async () => {
      const started = Date.now();
      await turns.next();
      let message: SlackMessage;
      try {
        // Only in the bot's own DM with the asker does the asker's own clearance apply.
        const direct = await directs.isBotDmWith(from.channel, from.user, from.token);
        message = render(
          await bot.handle({
            platform: 'slack',
            conversation: from.channel,
            direct,
            ...(from.user ? { user: from.user } : {}),
            ...(from.team ? { team: from.team } : {}),
            text: question,
          }),
        );
      } catch (err) {
        const reference = newReference();
        log.error({ err, reference, what }, 'answering failed');
        message = render(errorReply(reference));
      }
      try {
        await deliver(message);
        log.debug({ what, ms: Date.now() - started }, 'answer delivered');
      } catch (err) {
        log.error({ err, reference: newReference(), what }, 'could not deliver the answer to Slack');
      }
    });

  const responses = createResponseUrlPoster(policy, log);
  const respond = (url: string, message: object) => responses.post(url, message);

  /** Who asked, where, and (many-workspace mode) in which workspace, with the token to answer with. */
  const askerIn = (context: Context, channel: string, user: string | undefined): Asker => ({
    channel,
    user,
    token: context.botToken,
    team: install ? installationIdOf(context) : undefined,
  });

  const postInThread = (channel: string, threadTs: string | undefined, token: string | undefined) => async (message: SlackMessage) => {
    await withRetry(
      'chat.postMessage',
      () =>
        app.client.chat.postMessage({
          ...(token ? { token } : {}),
          channel,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        }),
      retryTransientPlatformError,
      policy,
      log,
    );
  };

  app.error(async (err) => {
    // Many workspaces: a request from a workspace with no installation (never installed, or uninstalled) is ignored.
    if (install && err.code === ErrorCode.AuthorizationError) {
      log.warn({ err: err.message }, 'ignored a Slack request from a workspace without an installation');
      return;
    }
    log.error({ err, reference: newReference() }, 'unhandled Slack error');
  });

  // Events API deliveries: each event_id once, however often Slack retries it.
  app.use(async ({ body, context, next }) => {
    const eventId =
      (body as { type?: string; event_id?: unknown }).type === 'event_callback' ? (body as { event_id?: unknown }).event_id : undefined;
    if (typeof eventId === 'string' && !(await dedupe.firstTime(eventId))) {
      log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate event ignored');
      return;
    }
    await next();
  });

  app.command(SLASH_COMMAND, async ({ command, ack, context }) => {
    await ack();
    const incoming = fromSlashCommand(command);
    turn(
      'command',
      incoming.text,
      askerIn(context, incoming.channelId, incoming.userId),
      (reply) => renderReply(reply, { question: incoming.text, shareable: true }),
      (message) => respond(command.response_url, { response_type: 'ephemeral', ...message }),
    );
  });

  const onMessage = async ({ event, context }: { event: MessageEventLike; context: BotIdentity & Context }) => {
    const incoming = fromMessageEvent(event, context);
    if (!incoming) return;
    // One message can arrive as two events (a mention in a DM: app_mention and message.im), each with its own event_id.
    if (!(await dedupe.firstTime(`message:${incoming.channelId}:${event.ts ?? ''}`))) return;
    turn(
      incoming.source,
      incoming.text,
      askerIn(context, incoming.channelId, incoming.userId),
      (reply) => renderReply(reply, { question: incoming.text }),
      postInThread(incoming.channelId, incoming.threadTs, context.botToken),
    );
  };
  app.event('app_mention', onMessage);
  app.event('message', onMessage);

  /** Where a button's answer goes: privately if the button was in a private answer, else into the message's thread. */
  const answerAction = (
    body: BlockAction<ButtonAction>,
    context: Context,
    what: string,
    question: string,
    options: RenderOptions & { replaceOriginal?: boolean },
  ) => {
    const ephemeral = body.container?.is_ephemeral === true;
    const threadTs = body.message ? ((body.message.thread_ts as string | undefined) ?? body.message.ts) : undefined;
    const { replaceOriginal, ...renderOptions } = options;
    turn(
      what,
      question,
      askerIn(context, body.channel?.id ?? body.user.id, body.user.id),
      (reply) =>
        renderReply(reply, {
          ...renderOptions,
          question,
          shareable: ephemeral,
          ...(ephemeral ? {} : { attribution: `For ${userRef(body.user.id)}` }),
        }),
      (message) =>
        respond(
          body.response_url,
          ephemeral
            ? { response_type: 'ephemeral', replace_original: replaceOriginal === true, ...message }
            : { response_type: 'in_channel', replace_original: false, ...(threadTs ? { thread_ts: threadTs } : {}), ...message },
        ),
    );
  };

  app.action<BlockAction<ButtonAction>>(ACTIONS.share, async ({ ack, body, action, context }) => {
    await ack();
    const question = action.value ?? '';
    turn(
      'share',
      question,
      askerIn(context, body.channel?.id ?? body.user.id, body.user.id),
      (reply) => renderReply(reply, { question, attribution: `Shared by ${userRef(body.user.id)}` }),
      async (message) => {
        await respond(body.response_url, { response_type: 'in_channel', replace_original: false, ...message });
        await respond(body.response_url, { delete_original: true }).catch((err: unknown) =>
          log.warn({ err }, 'could not remove the private answer after sharing it'),
        );
      },
    );
  });

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.choice}:\\d+$`), async ({ ack, body, action, context }) => {
    await ack();
    answerAction(body, context, 'choice', action.value ?? '', { replaceOriginal: true });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.more, async ({ ack, body, action, context }) => {
    await ack();
    const more = parseMoreValue(action.value);
    if (!more) {
      log.warn({ value: action.value }, 'ignored a "more" button with an unreadable value');
      return;
    }
    answerAction(body, context, 'more', more.q, { part: more.part });
  });

  if (installations) {
    /** The app was removed from a workspace, or its bot token revoked: forget the installation and its subscriptions. */
    const forget = async (context: Context, why: string) => {
      const id = installationIdOf(context);
      if (!id) return;
      const removed = await installations.remove(id);
      const subscriptions = (await opts.state?.subscriptions.removeTeam('slack', id)) ?? 0;
      await opts.state?.audit.append({
        at: new Date().toISOString(),
        platform: 'slack',
        actor: `slack:${why}`,
        action: 'uninstall',
        place: id,
        detail: JSON.stringify({ installation: removed, subscriptions }),
      });
      log.info({ team: id, why, installationRemoved: removed, subscriptionsRemoved: subscriptions }, 'Slack workspace forgotten');
    };
    // Tracked like answers, so that a stop waits for them.
    app.event('app_uninstalled', async ({ context }) => tasks.run(() => forget(context, 'app_uninstalled')));
    app.event('tokens_revoked', async ({ event, context }) => {
      // Only the bot token matters: the app asks for no user tokens.
      if ((event.tokens.bot ?? []).length > 0) tasks.run(() => forget(context, 'tokens_revoked'));
    });
  }

  return {
    mode: config.mode,
    requestListener:
      receiver && config.mode === 'http'
        ? guardSlackRequests(receiver.requestListener, { signingSecret: config.signingSecret, seen: dedupe, logger: log })
        : undefined,
    installListener: receiver && install ? receiver.requestListener : undefined,
    async start() {
      await app.init(); // auth.test: a wrong token fails here, at start, not at the first question
      if (config.mode === 'socket') await app.start();
      started = true;
      log.info({ mode: config.mode }, 'Slack adapter started');
    },
    async stop() {
      started = false;
      await tasks.idle();
      responses.close();
      if (config.mode === 'socket') await app.stop();
      dedupe.close();
    },
    idle: () => tasks.idle(),
    connected: () => started && (config.mode === 'http' || socketConnected),
  };
}

interface Asker {
  channel: string;
  user: string | undefined;
  /** The bot token of the workspace asked in (the configured one in single-workspace mode). */
  token: string | undefined;
  /** Many-workspace mode: the installation asked in. */
  team: string | undefined;
}

/**
 * Slack's authorize page beside a Web API base: https://slack.com/api/ → https://slack.com/oauth/v2/authorize,
 * so that SLACK_API_URL moves the whole install flow (a proxy, the tests' fake Slack).
 */
export function authorizationUrlFor(apiUrl: string): string {
  return new URL('../oauth/v2/authorize', apiUrl).toString();
}

/** A user mention for a context line; only well-formed Slack user ids are let through. */
function userRef(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : 'someone';
}

function newReference(): string {
  return randomBytes(4).toString('hex');
}

interface TaskTracker {
  run(task: () => Promise<void>): void;
  idle(): Promise<void>;
}

function createTaskTracker(log: Logger): TaskTracker {
  const running = new Set<Promise<void>>();
  return {
    run(task) {
      const p = task()
        .catch((err: unknown) => log.error({ err, reference: newReference() }, 'a Slack turn failed'))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      // Bolt reaches a listener a few microtasks and immediates after it acks; let those run first.
      await new Promise((resolve) => setImmediate(resolve));
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/**
 * Hands out event-loop turns one at a time: each answer is composed in a turn of its own, so
 * requests waiting on the loop are acknowledged between two answers instead of after all of them.
 * Slack's deadline is on the ack (3 s); the answer has the response_url's 30 minutes.
 */
function createTurnTaker(): { next(): Promise<void> } {
  const waiting: (() => void)[] = [];
  const grant = () => {
    waiting.shift()?.();
    if (waiting.length > 0) setImmediate(grant);
  };
  return {
    next: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 1) setImmediate(grant);
      }),
  };
}
