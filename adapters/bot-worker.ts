/**
 * The bot in a worker thread of its own: questions are understood and answered there, with its
 * own connection to the store, so that nothing an answer costs — above all taking in a big
 * import (reloading 80,000 names into the typo index takes a second or two) — ever stalls the
 * serving loop, which then only acknowledges, routes and delivers. Replies are plain JSON and
 * cross the thread boundary as they are. This file is both the client (createWorkerBot, on the
 * serving thread) and the worker's entry (run when loaded as a worker).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';
import { parseAdmins } from '../src/access/access.js';
import { createAnswerEngine, errorReply } from '../src/answer/engine.js';
import type { Reply } from '../src/answer/reply.js';
import type { Bot, IncomingMessage } from '../src/chat/bot.js';
import { createBot } from '../src/chat/bot.js';
import { loadKnowledgeOffThread } from '../src/knowledge/load-off-thread.js';
import { FactStore } from '../src/store/fact-store.js';
import { SERVING_BUSY_TIMEOUT_MS } from '../src/store/failures.js';
import { openDatabase } from '../src/store/open.js';
import { openSharedState } from '../src/store/shared/open.js';
import { createLogger } from './log.js';

export interface BotWorkerSettings {
  databasePath: string;
  databaseUrl: string | undefined;
  knowledgeDir: string;
  matchThreshold: number | undefined;
  adminUsers: string | undefined;
  rateLimits: { perUser: number; perConversation: number };
  logLevel: string;
}

type ToWorker = { id: number; message: IncomingMessage };
type FromWorker = { ready: true } | { id: number; reply: Reply };

const MARK = 'threatbrief-bot-worker';

export interface WorkerBot extends Bot {
  close(): Promise<void>;
}

/** Starts the worker and resolves once its store and knowledge are open. */
export async function createWorkerBot(settings: BotWorkerSettings, logger: Logger): Promise<WorkerBot> {
  const pending = new Map<number, (reply: Reply) => void>();
  let nextId = 0;
  let closing = false;
  let worker: Worker;
  const failAll = (why: string) => {
    for (const [id, resolve] of pending) {
      pending.delete(id);
      const reference = `w${id}`;
      logger.error({ reference, why }, 'the answer worker failed');
      resolve(errorReply(reference));
    }
  };
  const start = () =>
    new Promise<void>((resolve, reject) => {
      worker = new Worker(new URL('./bot-worker.js', import.meta.url), { workerData: { [MARK]: settings } });
      worker.on('message', (m: FromWorker) => {
        if ('ready' in m) return resolve();
        const done = pending.get(m.id);
        pending.delete(m.id);
        done?.(m.reply);
      });
      worker.on('error', (err) => {
        logger.error({ err }, 'the answer worker stopped with an error');
        reject(err);
      });
      worker.on('exit', (code) => {
        failAll(`exit ${code}`);
        // A worker that died is replaced, so one bad moment costs the answers in flight, not the service.
        if (!closing) void start().catch((err: unknown) => logger.error({ err }, 'could not restart the answer worker'));
      });
    });
  await start();
  return {
    handle(message) {
      const id = ++nextId;
      return new Promise<Reply>((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ id, message } satisfies ToWorker);
      });
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}

async function serveInWorker(settings: BotWorkerSettings): Promise<void> {
  const port = parentPort!;
  const logger = createLogger(settings.logLevel as Parameters<typeof createLogger>[0]).child({ part: 'answers' });
  const store = new FactStore(openDatabase(settings.databasePath, { busyTimeoutMs: SERVING_BUSY_TIMEOUT_MS }));
  // Its own connections to the shared state: conversations' contexts, clearances, subscriptions.
  const state = await openSharedState(store, settings.databaseUrl);
  const engine = createAnswerEngine({
    store,
    state,
    knowledgeDir: settings.knowledgeDir,
    // Changed knowledge files are read in a thread of their own: answers go on meanwhile.
    loadKnowledge: loadKnowledgeOffThread,
    logger,
    ...(settings.matchThreshold !== undefined ? { resolver: { threshold: settings.matchThreshold } } : {}),
  });
  const bot = createBot({ engine, store, state, logger, admins: parseAdmins(settings.adminUsers), rateLimits: settings.rateLimits });
  port.on('message', (m: ToWorker) => {
    void bot.handle(m.message).then((reply) => port.postMessage({ id: m.id, reply } satisfies FromWorker));
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[MARK]) {
  await serveInWorker((workerData as Record<string, BotWorkerSettings>)[MARK]!);
}
