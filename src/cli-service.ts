import { openEngine, stderrLogger } from './cli-support.js';
import type { CoreConfig } from './config.js';

/** The CLI commands that run the bot or its digests: loaded by cli.ts only when asked for. */
export async function runServiceCommand(command: string, rest: string[], config: CoreConfig): Promise<number> {
  switch (command) {
    case 'chat':
      return chat(config);
    case 'serve': {
      const { loadServiceConfig } = await import('./config.js');
      const service = loadServiceConfig();
      if (!service.slack && !service.teams) return chat(config);
      const { runService } = await import('../adapters/serve.js');
      return runService(service);
    }
    default:
      return digestCommand(command as 'advisory' | 'subscribe' | 'digest', rest);
  }
}

async function chat(config: CoreConfig): Promise<number> {
  const { runConsoleChat } = await import('../adapters/console/console-chat.js');
  const { createConsolePoster } = await import('../adapters/posters.js');
  const { createBot } = await import('./chat/bot.js');
  const { startDigestScheduler } = await import('./digest/scheduler.js');
  const { store, engine } = openEngine(config, 2000, stderrLogger);
  const bot = createBot({ engine, store, logger: stderrLogger });
  // Terminal subscriptions ("subscribe daily 09:00") print their digests here while the chat runs.
  const scheduler = startDigestScheduler({ store, posters: [createConsolePoster(process.stdout)], logger: { info: () => undefined, ...stderrLogger } });
  await runConsoleChat({ bot, input: process.stdin, output: process.stdout });
  await scheduler.stop();
  store.db.close();
  return 0;
}

async function digestCommand(command: 'advisory' | 'subscribe' | 'digest', args: string[]): Promise<number> {
  const { loadServiceConfig } = await import('./config.js');
  const service = loadServiceConfig();
  const { store, engine } = openEngine(service, 0, stderrLogger);
  const io = { out: (l: string) => process.stdout.write(l + '\n'), err: (l: string) => process.stderr.write(l + '\n') };
  try {
    await engine.refresh();
    const cli = await import('./digest/cli-commands.js');
    if (command === 'advisory') return cli.advisoryAdd(store, args, io, new Date());
    if (command === 'subscribe') return cli.subscribeCli(store, args, io, new Date());
    const { createPostersFromConfig } = await import('../adapters/posters.js');
    const { createLogger } = await import('../adapters/log.js');
    const { createBot } = await import('./chat/bot.js');
    const logger = createLogger(service.logLevel === 'info' ? 'warn' : service.logLevel, process.stderr);
    const posters = await createPostersFromConfig(service, { bot: createBot({ engine, store }), db: store.db, logger, output: process.stdout });
    return await cli.digestRun(store, args, posters, io, logger);
  } finally {
    store.db.close();
  }
}

