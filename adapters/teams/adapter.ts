import { randomBytes } from 'node:crypto';
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply } from '../../src/answer/reply.js';
import type { Bot } from '../../src/chat/bot.js';
import { PostError, type Poster, withinSignal } from '../../src/digest/poster.js';
import type { Db } from '../../src/store/open.js';
import { type ChoiceData, renderAdaptiveCard } from './adaptive-card.js';
import { createConversationRefs } from './conversation-refs.js';

/** Bot Framework credentials; an empty appId is only allowed with `allowUnauthenticated`. */
export interface TeamsConfig {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  allowUnauthenticated: boolean;
}

export interface TeamsAdapter {
  /** The handler for POST /api/messages. */
  requestListener(req: HttpRequest, res: ServerResponse): void;
  /** Proactive digests through the stored conversation references. */
  poster: Poster;
  /** The turn logic, for botbuilder's TestAdapter. */
  onTurn(context: TurnContext): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

/** The activity a reply becomes: an Adaptive Card, with the whole answer as the text fallback. */
export function replyActivity(reply: Reply): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: reply.text.slice(0, 4000) || reply.card.title,
    attachments: [CardFactory.adaptiveCard(renderAdaptiveCard(reply.card))],
  };
}

/** The question in a message: typed text without the bot's @mention, or a card button's question. */
export function questionOf(activity: Partial<Activity>): string {
  const value = activity.value as Partial<ChoiceData> | undefined;
  if (value?.threatbrief === 'choice' && typeof value.command === 'string') return value.command;
  return TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
}

export function createTeamsAdapter({ bot, db, logger, config }: { bot: Bot; db: Db; logger: Logger; config: TeamsConfig }): TeamsAdapter {
  if (!config.appId && !config.allowUnauthenticated)
    throw new Error('MICROSOFT_APP_ID is required (or TEAMS_ALLOW_UNAUTHENTICATED=1 for local development)');
  const settings = {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppType: config.appType ?? (config.tenantId ? 'SingleTenant' : 'MultiTenant'),
    MicrosoftAppTenantId: config.tenantId ?? '',
  };
  const auth = new ConfigurationBotFrameworkAuthentication(settings, new ConfigurationServiceClientCredentialFactory(settings));
  const adapter = new CloudAdapter(auth);
  const refs = createConversationRefs(db);

  adapter.onTurnError = async (context, err) => {
    const reference = randomBytes(4).toString('hex');
    logger.error({ err, reference, activity: context.activity.id }, 'Teams turn failed');
    await context
      .sendActivity(`Sorry, something went wrong. Reference: ${reference}.`)
      .catch((sendErr: unknown) => logger.warn({ err: sendErr, reference }, 'could not tell the user'));
  };

  const onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    if (activity.conversation?.id && activity.serviceUrl)
      refs.save(activity.conversation.id, TurnContext.getConversationReference(activity));
    if (activity.type !== ActivityTypes.Message) return;
    if (activity.from?.id && activity.from.id === activity.recipient?.id) return;
    if (activity.from?.role === 'bot') return;
    const text = questionOf(activity);
    const reply = await bot.handle({
      platform: 'teams',
      conversation: activity.conversation.id,
      user: activity.from?.aadObjectId ?? activity.from?.id,
      direct: activity.conversation.conversationType === 'personal',
      text,
    });
    await context.sendActivity(replyActivity(reply));
  };

  const requestListener = (req: HttpRequest, res: ServerResponse): void => {
    void readJson(req)
      .then(
        async (body) => {
          const expressReq = Object.assign(req, { body });
          await adapter.process(expressReq as never, shimResponse(res) as never, onTurn);
        },
        (problem: string) => send(res, 400, { error: problem }),
      )
      .catch((err: unknown) => {
        const reference = randomBytes(4).toString('hex');
        logger.warn({ err, reference }, 'Teams request rejected');
        if (!res.headersSent) send(res, 500, { error: `internal error (reference ${reference})` });
      });
  };

  const poster: Poster = {
    platform: 'teams',
    async post(conversation, reply, signal) {
      const reference = refs.get(conversation);
      if (!reference) throw new PostError(`no stored conversation reference for ${conversation}; the bot must be installed there first`);
      const send = adapter.continueConversationAsync(config.appId, reference, async (ctx) => {
        await ctx.sendActivity(replyActivity(reply));
      });
      try {
        await withinSignal(send, signal);
      } catch (err) {
        if (err instanceof PostError) throw err;
        const e = err as { statusCode?: number; response?: { headers?: { get?: (h: string) => string | undefined } }; message?: string };
        const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
        if (e.statusCode === 429)
          throw new PostError('Teams throttled the bot (429)', Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 2000);
        throw new PostError(`Teams delivery failed: ${e.message ?? String(err)}`);
      }
    },
  };

  return { requestListener, poster, onTurn };
}

function readJson(req: HttpRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject('request body too large');
        req.destroy();
      } else chunks.push(c);
    });
    req.on('error', () => reject('could not read the request body'));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          reject('the body must be a JSON object (a Bot Framework activity)');
        else if (typeof (body as { type?: unknown }).type !== 'string') reject('the activity has no "type"');
        else resolve(body);
      } catch {
        reject('the body is not valid JSON');
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The Express-like response botbuilder's CloudAdapter.process expects, over node:http. */
function shimResponse(res: ServerResponse) {
  const shim = {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
      return shim;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return shim;
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return res.end();
      if (typeof body === 'object' && !Buffer.isBuffer(body)) {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify(body));
      }
      return res.end(body as string | Buffer);
    },
    end() {
      if (!res.writableEnded) res.end();
      return shim;
    },
  };
  return shim;
}
