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
import { asStoreUnavailable, retryWrite } from '../../src/store/failures.js';
import type { Db } from '../../src/store/open.js';
import { type ChoiceData, renderAdaptiveCard } from './adaptive-card.js';
import { createConversationRefs } from './conversation-refs.js';
import { withoutLibraryConsole } from './quiet-auth.js';
import { allowedServiceUrl, parseServiceUrls } from './service-urls.js';

/** Bot Framework credentials; an empty appId is only allowed with `allowUnauthenticated`. */
export interface TeamsConfig {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  allowUnauthenticated: boolean;
  /** Where the bot may send (TEAMS_SERVICE_URLS): patterns like https://*.botframework.com; the Bot Framework hosts when absent. */
  serviceUrls?: readonly string[] | undefined;
  /** The OpenID metadata document for tokens, instead of Bot Framework's (tests: a local fake; no test reaches the internet). */
  openIdMetadataUrl?: string;
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

/** A summary is at most this many characters: a notification line, not the answer again. */
export const SUMMARY_CHARS = 200;

/** The short text of a reply for notifications and clients without cards: title and direct answer, clipped at a word. */
export function summaryOf(reply: Reply): string {
  const lead = reply.card.elements.find((el) => el.kind === 'lead');
  const first = lead?.kind === 'lead' ? lead.line.text : (reply.text.split('\n').find((l) => l.trim()) ?? '');
  const title = reply.card.title.trim();
  const text = !first ? title : first.toLowerCase().includes(title.toLowerCase()) || !title ? first : `${title}: ${first}`;
  if (text.length <= SUMMARY_CHARS) return text || 'ThreatBrief';
  const cut = text.slice(0, SUMMARY_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), SUMMARY_CHARS / 2)).trimEnd()}…`;
}

/**
 * The activity a reply becomes: the Adaptive Card alone, with a short summary for
 * notifications and as the card's fallback. Sending the text as well would show the answer twice.
 */
export function replyActivity(reply: Reply): Partial<Activity> {
  const summary = summaryOf(reply);
  const shell: Partial<Activity> = { type: ActivityTypes.Message, summary };
  // The summary is inside the card too (fallbackText); the shell and the envelope botbuilder adds take the rest.
  const ENVELOPE_BYTES = 1_000;
  const reserved = Buffer.byteLength(JSON.stringify(shell), 'utf8') + ENVELOPE_BYTES;
  return { ...shell, attachments: [CardFactory.adaptiveCard(renderAdaptiveCard(reply.card, { fallbackText: summary, reserved }))] };
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
    // Naming one endpoint makes botbuilder take every endpoint from the settings: the public cloud's, but for the metadata.
    ...(config.openIdMetadataUrl
      ? {
          ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: config.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          CallerId: 'urn:botframework:azure',
        }
      : {}),
  };
  const serviceUrls = parseServiceUrls(config.serviceUrls);
  const authenticator = new ConfigurationBotFrameworkAuthentication(settings, new ConfigurationServiceClientCredentialFactory(settings));
  const adapter = new CheckedCloudAdapter(authenticator);
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
    if (activity.conversation?.id && activity.serviceUrl) {
      const conversation = activity.conversation.id;
      const reference = TurnContext.getConversationReference(activity);
      try {
        const saved = await retryWrite(() => refs.save(conversation, reference, activity.type === ActivityTypes.Message));
        if (saved === 'refused')
          logger.warn({ conversation, type: activity.type }, 'kept the stored conversation reference (not replaced by this activity)');
      } catch (err) {
        // The answer matters more than the reference: the next message stores it.
        if (!asStoreUnavailable(err)) throw err;
        logger.warn({ err, conversation }, 'could not store the conversation reference now');
      }
    }
    if (activity.type !== ActivityTypes.Message) return;
    if (activity.from?.id && activity.from.id === activity.recipient?.id) return;
    if (activity.from?.role === 'bot') return;
    const text = questionOf(activity);
    const ids = [activity.from?.aadObjectId, activity.from?.id].filter((id): id is string => typeof id === 'string' && id.length > 0);
    const reply = await bot.handle({
      platform: 'teams',
      conversation: activity.conversation.id,
      user: ids[0],
      // An admin may be listed by either id (ADMIN_USERS=teams:29:… or teams:<AAD object id>).
      userIds: ids,
      direct: activity.conversation.conversationType === 'personal',
      text,
    });
    await context.sendActivity(replyActivity(reply));
  };

  const requestListener = (req: HttpRequest, res: ServerResponse): void => {
    void readJson(req)
      .then(
        async (body) => {
          const activity = body as Activity;
          let auth: Authenticated;
          try {
            auth = await withoutLibraryConsole(() => authenticator.authenticateRequest(activity, String(req.headers.authorization ?? '')));
          } catch (err) {
            // Signing keys that could not be fetched are ours to fix (and pass); anything else is a token that does not verify.
            const unavailable = keysUnavailable(err);
            // One line, no stack: a refused token is the caller's problem, not a fault to debug here.
            logger.warn(
              { reason: reasonOf(err), reference: randomBytes(4).toString('hex') },
              unavailable ? 'Teams request: could not fetch the token signing keys' : 'Teams request refused: bad token',
            );
            const refused = !unavailable;
            if (refused) plain(res, 401, 'Unauthorized');
            else plain(res, 503, 'Service Unavailable', { 'retry-after': '30' });
            return;
          }
          if (!allowedServiceUrl(activity.serviceUrl, serviceUrls)) {
            logger.warn({ type: activity.type }, 'Teams activity refused: its serviceUrl is not on the allow-list (TEAMS_SERVICE_URLS)');
            plain(res, 403, 'Forbidden');
            return;
          }
          const invoke = await adapter.run(auth, activity, onTurn);
          if (invoke?.body !== undefined) send(res, invoke.status ?? 200, invoke.body);
          else res.writeHead(invoke?.status ?? 200).end();
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
      if (!allowedServiceUrl(reference.serviceUrl, serviceUrls))
        throw new PostError(`the stored conversation reference for ${conversation} points at a serviceUrl not on the allow-list`);
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

/** A failure to fetch the OpenID metadata or its keys (network, or a 5xx from the metadata host), not a bad token. */
function keysUnavailable(err: unknown): boolean {
  const e = err as { statusCode?: unknown; name?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode >= 500;
  return e.name === 'FetchError' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code));
}

/** What went wrong, in one line: the error's message (and HTTP status), without its stack. */
function reasonOf(err: unknown): string {
  const e = err as { message?: unknown; statusCode?: unknown };
  const message = (typeof e?.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  return typeof e?.statusCode === 'number' ? `${message} (HTTP ${e.statusCode})` : message;
}

type Authenticated = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** The CloudAdapter, turned for a request whose token this module already checked (so it decides the refusals). */
class CheckedCloudAdapter extends CloudAdapter {
  run(auth: Authenticated, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
