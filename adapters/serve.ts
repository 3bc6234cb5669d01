import { once } from 'node:events';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { parseAdmins } from '../src/access/access.js';
import { type AnswerEngine, createAnswerEngine } from '../src/answer/engine.js';
import type { ServiceConfig } from '../src/app/config.js';
import { packageRoot } from '../src/base/paths.js';
import type { Bot } from '../src/chat/bot.js';
import { createBot } from '../src/chat/bot.js';
import type { Poster } from '../src/digest/poster.js';
import { type DigestScheduler, startDigestScheduler } from '../src/digest/scheduler.js';
import { FactStore } from '../src/store/fact-store.js';
import { probeWritable, SERVING_BUSY_TIMEOUT_MS } from '../src/store/failures.js';
import { openDatabase } from '../src/store/open.js';
import { syncAdvisories } from '../src/store/shared/advisory-mirror.js';
import { openSharedState } from '../src/store/shared/open.js';
import type { SharedState } from '../src/store/shared/state.js';
import { createAdvisoryWebhook } from './advisory-webhook.js';
import { createWorkerBot, type WorkerBot } from './bot-worker.js';
import { runConsoleChat } from './console/console-chat.js';
import { createConsolePagePoster } from './console/page-poster.js';
import { applyConsoleClearance, createWebConsole } from './console/web-console.js';
import { startFeedSync } from './feed-sync.js';
import { createHttpServer, type Readiness } from './http-server.js';
import { createLogger, type Logger } from './log.js';
import { createConsolePoster } from './posters.js';
import { createSlackApp, type SlackAdapter } from './slack/app.js';
import { createInstallationStore } from './slack/installations.js';
import { slackPosterFor } from './slack/poster.js';
import { createTeamsAdapter, type TeamsAdapter } from './teams/adapter.js';

/** The service's composition root: config → store → engine → adapters → HTTP server. */

export interface ServiceOptions {
  config: ServiceConfig;
  logger?: Logger;
  /** Overrides for the Slack Web API client (tests: fast retries). */
  slackClientOptions?: webApi.WebClientOptions;
  /** Interface to listen on; all interfaces by default. */
  host?: string;
  /**
   * Answer in a worker thread of its own (the service as `threatbrief serve` runs it), so that no
   * answer — nor taking in a big import — stalls the serving loop. Off by default for tests that
   * run the TypeScript sources, where the compiled worker file does not exist.
   */
  answerInWorker?: boolean;
  /**
   * On stop, how long requests already being handled (a Teams turn is answered inside its
   * request) may take before their connections are cut; 10 s by default.
   */
  drainTimeoutMs?: number;
  /** Posters beside the platforms' (the terminal's, when `serve` runs the terminal chat too). */
  extraPosters?: readonly Poster[];
}

export interface RunningService {
  /** The port actually bound (PORT=0 picks one). */
  readonly port: number;
  /** The web console's address on this machine. */
  readonly consoleUrl: string;
  /** The bot the service answers with (for the terminal chat beside it). */
  readonly bot: Bot;
  readonly slack: SlackAdapter | undefined;
  readonly scheduler: DigestScheduler;
  /** The readiness checks GET /readyz reports (store, knowledge, adapters, draining). */
  readiness(): Readiness;
  /**
   * Stops taking requests (new ones get 503, /readyz fails), lets the requests in flight finish,
   * waits for a running digest pass (its outbox writes), delivers the Slack answers in progress,
   * disconnects and closes the store.
   */
  stop(): Promise<void>;
}

export async function startService({
  config,
  logger = createLogger(config.logLevel),
  slackClientOptions,
  host,
  drainTimeoutMs = 10_000,
  answerInWorker = false,
  extraPosters = [],
}: ServiceOptions): Promise<RunningService> {
  const store = new FactStore(openDatabase(config.databasePath, { busyTimeoutMs: SERVING_BUSY_TIMEOUT_MS }));
  let slack: SlackAdapter | undefined;
  let workerBot: WorkerBot | undefined;
  let state: SharedState | undefined;
  let shared: SharedSync | undefined;
  try {
    // PostgreSQL is migrated here, under a lock: replicas may start together.
    state = await openSharedState(store, config.databaseUrl);
    const engine = createAnswerEngine({
      store,
      state,
      knowledgeDir: config.knowledgeDir,
      logger,
      ...(config.matchThreshold !== undefined ? { resolver: { threshold: config.matchThreshold } } : {}),
    });
    const problems = await engine.refresh();
    if (problems.length > 0)
      logger.warn(
        { problems: problems.length },
        'the knowledge files have problems (run "threatbrief check"); serving the last good knowledge',
      );
    if (engine.knowledgeVersion() === undefined)
      logger.warn({ dir: config.knowledgeDir }, 'no knowledge loaded: every answer will be "no record"');
    if (state.engine === 'postgres') shared = await startSharedSync(store, state, logger);
    if (answerInWorker)
      workerBot = await createWorkerBot(
        {
          databasePath: config.databasePath,
          databaseUrl: config.databaseUrl,
          knowledgeDir: config.knowledgeDir,
          matchThreshold: config.matchThreshold,
          adminUsers: config.adminUsers,
          rateLimits: config.rateLimits,
          logLevel: config.logLevel,
        },
        logger,
      );
    const bot =
      workerBot ?? createBot({ engine, store, state, logger, admins: parseAdmins(config.adminUsers), rateLimits: config.rateLimits });

    if (config.slack) {
      slack = createSlackApp({
        bot,
        store,
        state,
        logger,
        config: config.slack,
        ...(slackClientOptions ? { clientOptions: slackClientOptions } : {}),
        ...('install' in config.slack
          ? { installations: createInstallationStore(state.installations, config.slack.install.installationKey) }
          : {}),
      });
      await slack.start();
    }
    let teams: TeamsAdapter | undefined;
    if (config.teams) {
      if (config.teams.allowUnauthenticated)
        logger.warn(
          'Teams runs WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=1): for the Bot Framework Emulator only, never in production',
        );
      teams = createTeamsAdapter({ bot, state, logger: logger.child({ adapter: 'teams' }), config: config.teams });
    }
    const posters = [
      createConsolePagePoster(),
      ...extraPosters,
      ...(config.slack ? [slackPosterFor(config.slack, state)] : []),
      ...(teams ? [teams.poster] : []),
    ];
    const scheduler = startDigestScheduler({ store, state, posters, logger: logger.child({ part: 'digests' }) });
    const feeds = startFeedSync(config.feeds, packageRoot(), logger.child({ part: 'feeds' }), () => {
      // A sync that ends while the service closes has nothing to reload into.
      if (store.db.open) engine.refresh().catch((err: unknown) => logger.error({ err }, 'reloading after the feed sync failed'));
    });
    const both: DigestScheduler = {
      runNow: (at) => scheduler.runNow(at),
      stop: async () => void (await Promise.all([scheduler.stop(), feeds?.stop()])),
    };
    const advisories = config.advisoryWebhookToken
      ? createAdvisoryWebhook({ store, state, token: config.advisoryWebhookToken, logger })
      : undefined;
    await applyConsoleClearance(state, config.console.clearance, new Date());
    const webConsole = createWebConsole({
      bot,
      store,
      state,
      settings: config.console,
      actions: { runDigestPass: () => scheduler.runNow() },
      logger: logger.child({ part: 'console' }),
    });
    return await listen({
      port: config.port,
      host,
      logger,
      engine,
      store,
      state,
      shared,
      bot,
      slack,
      teams,
      webConsole,
      advisories,
      scheduler: both,
      drainTimeoutMs,
      workerBot,
    });
  } catch (err) {
    await slack?.stop().catch((stopErr: unknown) => logger.warn({ err: stopErr }, 'could not stop the Slack adapter cleanly'));
    await workerBot?.close();
    shared?.stop();
    await state?.close();
    store.db.close();
    throw err;
  }
}

/** How often a replica on PostgreSQL exchanges advisories with the shared state and checks it answers. */
const SHARED_SYNC_MS = 2000;

interface SharedSync {
  /** The last time the shared database answered, or its error. */
  health(): { ok: true } | { ok: false; error: string };
  stop(): void;
}

/**
 * PostgreSQL mode: every SHARED_SYNC_MS, this replica's new local advisories are published to the
 * shared order and the others' are copied into its local index (so an advisory added on any
 * replica is answered on every one within seconds), and the shared database's health is noted for
 * /readyz. The first round runs before the replica serves.
 */
async function startSharedSync(store: FactStore, state: SharedState, logger: Logger): Promise<SharedSync> {
  let health: { ok: true } | { ok: false; error: string } = { ok: true };
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      const moved = await syncAdvisories(store, state);
      if (moved.published + moved.mirrored > 0) logger.info(moved, 'advisories exchanged with the shared database');
      health = { ok: true };
    } catch (err) {
      health = { ok: false, error: err instanceof Error ? err.message : String(err) };
      logger.warn({ err }, 'could not exchange advisories with the shared database; trying again');
    } finally {
      running = false;
    }
  };
  await round();
  const timer = setInterval(() => void round(), SHARED_SYNC_MS);
  timer.unref();
  return { health: () => health, stop: () => clearInterval(timer) };
}

interface Parts {
  port: number;
  host: string | undefined;
  logger: Logger;
  engine: AnswerEngine;
  store: FactStore;
  state: SharedState;
  shared: SharedSync | undefined;
  bot: Bot;
  slack: SlackAdapter | undefined;
  teams: TeamsAdapter | undefined;
  webConsole: RequestListener;
  advisories: RequestListener | undefined;
  scheduler: DigestScheduler;
  drainTimeoutMs: number;
  workerBot: WorkerBot | undefined;
}

/**
 * Readiness, as GET /readyz reports it: the store answers a query and can be written, knowledge is loaded, and each
 * adapter is started (Slack: token checked; Socket Mode: connected now). Liveness is /healthz.
 */
function readinessOf(
  store: FactStore,
  shared: SharedSync | undefined,
  engine: AnswerEngine,
  slack: SlackAdapter | undefined,
  teams: TeamsAdapter | undefined,
): () => Readiness {
  const attempt = <T>(fn: () => T): { value: T } | { error: string } => {
    try {
      return { value: fn() };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };
  return () => {
    const query = attempt(() => store.db.prepare('SELECT count(*) FROM meta').pluck().get());
    // Every turn that writes (mentions, DMs, Teams, subscriptions) fails on a store that cannot be written.
    const writable = 'error' in query ? undefined : probeWritable(store.db);
    const version = attempt(() => engine.knowledgeVersion());
    const adapters: Record<string, boolean> = {
      ...(slack ? { [`slack-${slack.mode}`]: slack.connected() } : {}),
      // Teams has no connection of its own: created means ready (its credentials are checked per request).
      ...(teams ? { teams: true } : {}),
    };
    return {
      store:
        'error' in query
          ? { ok: false, error: query.error }
          : writable && !writable.ok
            ? { ok: false, error: writable.error }
            : { ok: true },
      ...(shared ? { sharedState: shared.health() } : {}),
      knowledge:
        'error' in version
          ? { ok: false, error: version.error }
          : version.value === undefined
            ? { ok: false, error: 'no knowledge loaded' }
            : { ok: true, version: version.value },
      adapters: { ok: Object.keys(adapters).length > 0 && Object.values(adapters).every(Boolean), ...adapters },
    };
  };
}

async function listen({
  port,
  host,
  logger,
  engine,
  store,
  state,
  shared,
  bot,
  slack,
  teams,
  webConsole,
  advisories,
  scheduler,
  drainTimeoutMs,
  workerBot,
}: Parts): Promise<RunningService> {
  const adapters = [...(slack ? [`slack-${slack.mode}`] : []), ...(teams ? ['teams'] : [])];
  let stopping: Promise<void> | undefined;
  const readiness = readinessOf(store, shared, engine, slack, teams);
  const server = createHttpServer({
    slackEvents: slack?.requestListener,
    slackInstall: slack?.installListener,
    teamsMessages: teams?.requestListener,
    console: webConsole,
    advisories,
    health: () => ({ status: 'ok', adapters, knowledgeVersion: engine.knowledgeVersion() ?? null }),
    ready: readiness,
    logger,
  });
  server.listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  const consoleUrl = `http://localhost:${bound}/`;
  logger.info({ port: bound, adapters, console: consoleUrl, knowledgeVersion: engine.knowledgeVersion() }, 'ThreatBrief is serving');

  const stop = () =>
    (stopping ??= (async () => {
      const closed = once(server, 'close');
      server.drain();
      const inFlight = server.inFlight();
      // In parallel: requests in flight (Teams answers inside its request), the digest pass
      // (posting and marking its outbox rows), the Slack answers acknowledged but not yet delivered.
      // Slack's answers are tracked once acknowledged, so its stop waits for the requests to settle first.
      const [settled] = await Promise.all([
        server.settled(drainTimeoutMs).then(async (ok) => {
          await slack?.stop();
          return ok;
        }),
        scheduler.stop(),
      ]);
      if (!settled)
        logger.warn(
          { inFlight: server.inFlight(), drainTimeoutMs },
          'requests still running at the drain deadline; closing their connections',
        );
      server.closeAllConnections();
      await closed;
      await workerBot?.close();
      shared?.stop();
      await state.close();
      store.db.close();
      logger.info({ inFlightAtStop: inFlight }, 'ThreatBrief stopped');
    })());
  return {
    port: bound,
    consoleUrl,
    bot,
    slack,
    scheduler,
    readiness: () => ({ ...readiness(), draining: { ok: stopping === undefined } }),
    stop,
  };
}

/** The terminal chat `serve` runs beside the service when standard input is a terminal. */
export interface TerminalChat {
  input: Readable;
  output: Writable;
}

/**
 * `threatbrief serve`: serves until SIGINT or SIGTERM — or, with the terminal chat beside it,
 * until that chat ends — then stops gracefully. The console's address goes to stderr, so that
 * stdout stays the JSON log (or the chat).
 */
export async function runService(config: ServiceConfig, terminal?: TerminalChat): Promise<number> {
  // Beside the terminal chat the log goes to stderr and, unless asked for more, only warns.
  const logger = terminal
    ? createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr)
    : createLogger(config.logLevel);
  let service: RunningService;
  try {
    service = await startService({
      config,
      logger,
      answerInWorker: true,
      ...(terminal ? { extraPosters: [createConsolePoster(terminal.output)] } : {}),
    });
  } catch (err) {
    logger.fatal({ err }, 'ThreatBrief could not start');
    return 1;
  }
  process.stderr.write(`ThreatBrief console: ${service.consoleUrl}\n`);
  // A promise someone forgot to handle is a bug to log, not a reason to drop every conversation.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  const reason = await new Promise<string>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (terminal) void runConsoleChat({ bot: service.bot, ...terminal }).then(() => resolve('the terminal chat ended'));
  });
  logger.info({ reason }, 'stopping');
  await service.stop();
  return 0;
}
