import type { CoreConfig } from '../src/app/config.js';
import { ONE_SHOT, openEngine, stderrLogger } from '../src/app/open-engine.js';

/** The CLI commands that run the bot or its digests: loaded by cli.ts only when asked for. */
export async function runServiceCommand(command: string, rest: string[], config: CoreConfig): Promise<number> {
  switch (command) {
    case 'chat':
      return chat(config);
    case 'serve': {
      const { loadServiceConfig } = await import('../src/app/config.js');
      const service = loadServiceConfig();
      const { runService } = await import('../adapters/serve.js');
      // With no chat platform configured, a terminal keeps its chat beside the console.
      const terminal = !service.slack && !service.teams && process.stdin.isTTY;
      return runService(service, terminal ? { input: process.stdin, output: process.stdout } : undefined);
    }
    case 'backup':
      return backupCommand(config, rest);
    case 'audit':
    case 'clearance': {
      const { openDatabase } = await import('../src/store/open.js');
      const { FactStore } = await import('../src/store/fact-store.js');
      const { openSharedState } = await import('../src/store/shared/open.js');
      const admin = await import('../src/access/admin-cli.js');
      const store = new FactStore(openDatabase(config.databasePath));
      const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
      try {
        const state = await openSharedState(store, config.databaseUrl);
        try {
          return command === 'audit' ? await admin.auditCommand(state, rest, io) : await admin.clearanceCommand(state, rest, io);
        } finally {
          await state.close();
        }
      } finally {
        store.db.close();
      }
    }
    default:
      return digestCommand(command as 'advisory' | 'subscribe' | 'digest', rest);
  }
}

/**
 * `threatbrief backup [--force] <file>`: an online copy of DATABASE_PATH through SQLite's backup
 * API, consistent even while the service writes to the store (a write during the copy restarts
 * it). The copy is a single file (rollback journal, not WAL), checked with integrity_check.
 */
async function backupCommand(config: CoreConfig, args: string[]): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { existsSync, realpathSync, statSync, rmSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const { values, positionals } = parseArgs({ args, options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    process.stderr.write('usage: threatbrief backup [--force] <file>\n');
    return 2;
  }
  const source = config.databasePath;
  if (!existsSync(source)) {
    process.stderr.write(`no store to back up at ${source} (DATABASE_PATH)\n`);
    return 1;
  }
  const target = resolve(file);
  if (existsSync(target)) {
    if (realpathSync(target) === realpathSync(source)) {
      process.stderr.write(`${file} is the store itself (DATABASE_PATH); choose another file\n`);
      return 2;
    }
    if (!values.force) {
      process.stderr.write(`${file} exists; pass --force to overwrite it\n`);
      return 2;
    }
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
  }
  const { default: Database } = await import('better-sqlite3');
  // Read-only: a backup never migrates or otherwise writes the live store.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const started = Date.now();
  let restarts = 0;
  let lastRemaining = Infinity;
  try {
    await db.backup(target, {
      progress({ totalPages, remainingPages }) {
        // A write to the source by another connection restarts the copy; count them for the report.
        if (remainingPages > lastRemaining) restarts++;
        lastRemaining = remainingPages;
        // Large steps: fewer chances for a busy service to restart the copy.
        return Math.max(1000, Math.ceil(totalPages / 4));
      },
    });
  } finally {
    db.close();
  }
  const copy = new Database(target);
  let integrity: string[];
  let schema: number;
  try {
    copy.pragma('journal_mode = DELETE');
    integrity = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    schema = copy.pragma('user_version', { simple: true }) as number;
  } finally {
    copy.close();
  }
  const ok = integrity.length === 1 && integrity[0] === 'ok';
  const bytes = statSync(target).size;
  process.stdout.write(
    `${[
      `backed up ${source}`,
      `      to ${target}`,
      `    size ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB), schema version ${schema}, ${Date.now() - started} ms${restarts ? `, restarted ${restarts}× by concurrent writes` : ''}`,
      `integrity_check: ${integrity.slice(0, 20).join('; ')}`,
    ].join('\n')}\n`,
  );
  if (!ok) process.stderr.write('the copy failed its integrity check; do not rely on it\n');
  return ok ? 0 : 1;
}

async function chat(config: CoreConfig): Promise<number> {
  const { runConsoleChat } = await import('../adapters/console/console-chat.js');
  const { createConsolePoster } = await import('../adapters/posters.js');
  const { createBot } = await import('../src/chat/bot.js');
  const { startDigestScheduler } = await import('../src/digest/scheduler.js');
  const { loadKnowledgeOffThread } = await import('../src/knowledge/load-off-thread.js');
  // Changed knowledge files are read in a thread of their own while the chat goes on.
  const { store, engine } = openEngine(config, 2000, stderrLogger, loadKnowledgeOffThread);
  const bot = createBot({ engine, store, logger: stderrLogger });
  // Terminal subscriptions ("subscribe daily 09:00") print their digests here while the chat runs.
  const scheduler = startDigestScheduler({
    store,
    posters: [createConsolePoster(process.stdout)],
    logger: { info: () => undefined, ...stderrLogger },
  });
  await runConsoleChat({ bot, input: process.stdin, output: process.stdout });
  await scheduler.stop();
  store.db.close();
  return 0;
}

async function digestCommand(command: 'advisory' | 'subscribe' | 'digest', args: string[]): Promise<number> {
  const { loadServiceConfig } = await import('../src/app/config.js');
  const service = loadServiceConfig();
  const { store, engine } = openEngine(service, ONE_SHOT, stderrLogger);
  const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
  const { openSharedState } = await import('../src/store/shared/open.js');
  const state = await openSharedState(store, service.databaseUrl).catch((err: unknown) => {
    store.db.close();
    throw err;
  });
  try {
    await engine.refresh();
    const cli = await import('../src/digest/cli-commands.js');
    if (command === 'advisory') return await cli.advisoryAdd(store, state, args, io, new Date());
    if (command === 'subscribe') return await cli.subscribeCli(state, args, io, new Date());
    const { createPostersFromConfig } = await import('../adapters/posters.js');
    const { createLogger } = await import('../adapters/log.js');
    const { createBot } = await import('../src/chat/bot.js');
    const logger = createLogger(service.logLevel === 'info' ? 'warn' : service.logLevel, process.stderr);
    const posters = await createPostersFromConfig(service, {
      bot: createBot({ engine, store, state }),
      state,
      logger,
      output: process.stdout,
    });
    return await cli.digestRun(store, state, args, posters, io, logger);
  } finally {
    await state.close();
    store.db.close();
  }
}
