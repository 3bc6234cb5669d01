#!/usr/bin/env node
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, type CoreConfig, loadCoreConfig } from '../src/app/config.js';
import { ONE_SHOT, openEngine, stderrLogger } from '../src/app/open-engine.js';
import { parseTlp, TLP_LEVELS } from '../src/base/tlp.js';

const HELP = `threatbrief — grounded, cited answers about threat actors, sanctions and advisories

Usage:
  threatbrief ask [--json] [--explain] [--clearance <tlp>] [--conversation <id>] "<question>"
                                           answer one question and exit; shows facts marked up
                                           to the clearance (default CLEAR); --conversation
                                           continues the conversation <id> ("when was it first
                                           reported?"); --explain says how the question was read;
                                           exits 1 when no knowledge is loaded
  threatbrief chat                         chat in the terminal (type "help" inside)
  threatbrief serve                        run the bot (npm start) on PORT: the web console
                                           (http://localhost:PORT/, printed at start), Slack (POST
                                           /slack/events, or Socket Mode), Teams (POST /api/messages),
                                           the advisory webhook (POST /advisories), GET /healthz and
                                           /readyz, and the digest scheduler; SIGTERM stops it
                                           gracefully; with no Slack or Teams settings and a
                                           terminal, the terminal chat runs beside it
  threatbrief check [--dir <knowledge>]    validate the knowledge files; prints each problem
                                           as "file: path: problem" and exits 1 if any
  threatbrief advisory add <file>          add advisories from a YAML or JSON file (one or a list)
  threatbrief subscribe --platform slack|teams|console --conversation <id>
                        --schedule "<cron or daily HH:MM>" [--timezone <IANA zone>]
                        [--vendor V]… [--product P]… [--team T…]
                                           subscribe a conversation to digests (only KEV
                                           advisories of those vendors or products, if given;
                                           --team: its workspace, with many Slack workspaces)
  threatbrief digest run [--at <ISO-8601>] run one digest pass as if the clock read that instant
                                           (for an external cron, and for testing)
  threatbrief clearance --platform slack|teams --conversation <id> | --user <id>
                        --level clear|green|amber|amber+strict|red [--team T…]
                                           set what a conversation (or a user's DMs) may be shown
  threatbrief audit [--limit N] [--json]   the audit trail of privileged actions, newest first
  threatbrief import [--format stix|cisa-kev|ofac-sdn|ofac-alt|ofac-add|mstic|misp-galaxy] [--edition YYYY-MM-DD] <file or folder>…
                                           import a feed (format detected from the content when
                                           omitted); prints what was added, updated, removed and
                                           skipped; a malformed file changes nothing
  threatbrief import --list                list the imports with their provenance
  threatbrief screen [--out FILE] [--clearance <tlp>] <names.csv>
                                           screen a CSV of names (first column) against the
                                           sanctions lists loaded: one verdict row per name
                                           (listed, review or no-record, with the entry,
                                           score and basis), a progress bar on a terminal
  threatbrief feeds list [--json]          the public feeds (ATT&CK, KEV, OFAC, MISP, Microsoft's
                                           names): URL, licence, attribution, last success, last
                                           error and age; warns when one is stale
  threatbrief feeds sync [--only NAME]… [--url NAME=URL]…
                                           download the feeds that changed (ETag/Last-Modified),
                                           check each whole file, apply it atomically; a failing
                                           source is reported and the others go on; --url points
                                           a source at a mirror (NAME.PART=URL for one file)
  threatbrief backup [--force] <file>      copy the store (DATABASE_PATH) safely while the bot
                                           runs; prints the size and the copy's integrity_check
  threatbrief --help | --version

Examples:
  threatbrief ask "who is Flax Typhoon?"
  threatbrief ask "is Integrity Tech sanctioned?"
  threatbrief ask --json "how many devices were in the Flax Typhoon botnet?"
  threatbrief import --edition 2023-03 feeds/ofac/sdn-sample-2023-03.csv
  threatbrief ask "is Aleksey Belan sanctioned?"

Environment:
  DATABASE_PATH    the SQLite fact store (default: data/threatbrief.db in the package)
  DATABASE_URL     postgres://… : shared state for several replicas (subscriptions, digests,
                   clearances, audit…); DATABASE_PATH is then this replica's local index
  KNOWLEDGE_DIR    the curated knowledge folder (default: knowledge/ in the package)
  MATCH_THRESHOLD  how sure name matching must be to answer, 0.5–1 (default 0.8)
  LOG_LEVEL        fatal|error|warn|info|debug|trace|silent (default info)
  PORT                  serve: HTTP port for the console, /slack/events, /healthz (default 3000)
  CONSOLE_CLEARANCE     serve: TLP level of the web console's conversation (default CLEAR)
  CONSOLE_ADMIN_TOKEN   serve: unlocks the console's admin actions and what is above CLEAR
  CONSOLE_ALLOW_HOSTS   serve: Host names the console also answers (default: localhost only)
  SLACK_BOT_TOKEN       serve: the Slack bot token (xoxb-…), with one of the next two:
  SLACK_SIGNING_SECRET  serve: Slack over HTTP, requests signed with this secret
  SLACK_APP_TOKEN       serve: Slack over Socket Mode (xapp-…), no public URL needed
  SLACK_API_URL         serve: Slack Web API base (default https://slack.com/api/)
  SLACK_CLIENT_ID       serve: many Slack workspaces, installed at /slack/install (instead of
                        SLACK_BOT_TOKEN), with SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET,
                        SLACK_STATE_SECRET (signs the install's state, ≥ 16 characters) and
                        SLACK_INSTALLATION_KEY (32 bytes, base64 or hex: seals the tokens at rest)
  MICROSOFT_APP_ID      serve: Teams, with MICROSOFT_APP_PASSWORD (and MICROSOFT_APP_TENANT_ID,
                        MICROSOFT_APP_TYPE for single-tenant or managed identity)
  TEAMS_ALLOW_UNAUTHENTICATED=1  serve: Teams without authentication, for the Bot Framework
                        Emulator only
  TEAMS_SERVICE_URLS    serve: hosts the bot may send Teams messages to (default: the Bot
                        Framework hosts; add http://127.0.0.1 for the Emulator)
  TEAMS_TENANTS         serve: the only Teams tenants served (comma-separated ids; default any)
  ADVISORY_WEBHOOK_TOKEN  serve: turns on POST /advisories (Authorization: Bearer <token>)
  ADMIN_USERS           admins, e.g. slack:U0123,teams:29:1ab… (subscriptions, clearances);
                        slack:T0123/U0456: in that Slack workspace only
  RATE_LIMIT_PER_USER, RATE_LIMIT_PER_CONVERSATION  questions a minute (default 20 and 60)
  FEEDS_SCHEDULE   serve: when to sync the feeds, a cron expression in UTC or "off"
                   (default "0 4 * * *", daily at 04:00)
  FEEDS_URLS       serve: the scheduled sync's --url items (a mirror), e.g. "kev=https://mirror/kev.json"
  FEEDS_SNAPSHOT   on|off: build an empty store from the snapshot in feeds/ on first use (default on)
  HTTPS_PROXY, NO_PROXY  feeds sync: the proxy downloads go through, and hosts that bypass it

ask --json prints one JSON object: { intent, aspect, text, citations, entities, card, match?,
screening? (sanctions: outcome listed|review|no-record|no-list, listedName, list, edition, entry,
type, matchedName, score, basis, threshold, checked, transliterated), explain? (with --explain) }.
`;

async function ask(config: CoreConfig, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      clearance: { type: 'string', default: 'CLEAR' },
      conversation: { type: 'string' },
    },
    allowPositionals: true,
  });
  const question = positionals.join(' ');
  const clearance = parseTlp(values.clearance);
  if (!clearance) {
    process.stderr.write(`--clearance must be one of ${TLP_LEVELS.join(', ')}\n`);
    return 2;
  }
  const { store, engine } = openEngine(config, ONE_SHOT, stderrLogger);
  const problems = await engine.refresh();
  if (problems.length > 0) {
    process.stderr.write(
      `warning: ${problems.length} problem(s) in the knowledge files (run "threatbrief check"); answering from knowledge version ${store.knowledgeVersion() ?? '(none)'}\n`,
    );
  }
  const { createBot } = await import('../src/chat/bot.js');
  const bot = createBot({ engine, store, logger: stderrLogger });
  // Without --conversation every ask stands alone; with it, a script can ask follow-ups.
  const conversation = values.conversation ?? `once-${randomUUID()}`;
  const reply = await bot.handle({ platform: 'cli', conversation, user: 'cli', direct: true, clearance, text: question });
  store.db.close();
  if (values.json) {
    const { intent, aspect, text, citations, entities, card, match, screening, explain } = reply;
    const out = { intent, aspect, text, citations, entities, card, match, screening, ...(values.explain ? { explain } : {}) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(`${reply.text}\n`);
    if (values.explain && reply.explain)
      process.stdout.write(`\nHow I read the question:\n${reply.explain.map((s) => `  ${s}`).join('\n')}\n`);
  }
  // No knowledge at all is an error for a script, not an answer.
  if (reply.intent === 'no-knowledge') return 1;
  return reply.intent === 'error' ? 1 : 0;
}

async function check(config: CoreConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string' } } });
  const dir = values.dir ?? config.knowledgeDir;
  const { loadKnowledge, formatProblem } = await import('../src/knowledge/load.js');
  const result = loadKnowledge(dir);
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(
      `${result.problems.length} problem(s) found; the bot keeps serving the last good knowledge until they are fixed.\n`,
    );
    return 1;
  }
  const kb = result.kb;
  const claims = kb.entities.reduce((n, e) => n + e.claims.length, 0);
  process.stdout.write(
    `Knowledge OK (version ${kb.version}): ${kb.sources.length} sources, ${kb.entities.length} entities, ${claims} claims, ${kb.sanctions.length} sanctions, ${kb.advisories.length} advisories.\n`,
  );
  return 0;
}

/** Commands that read or write the store: the first of them on an empty store builds it from the shipped snapshot. */
const BUILDS_STORE = new Set(['ask', 'chat', 'serve', 'feeds', 'import', 'advisory', 'subscribe', 'digest']);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  if (command === '--version' || command === '-v') {
    const { packageRoot } = await import('../src/base/paths.js');
    const { readFileSync } = await import('node:fs');
    process.stdout.write(`${(JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version}\n`);
    return 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadCoreConfig();
  if (BUILDS_STORE.has(command)) {
    const { prepareStore } = await import('../src/app/first-start.js');
    await prepareStore(config, process.stderr);
  }
  switch (command) {
    case 'ask':
      return ask(config, rest);
    case 'check':
      return check(config, rest);
    case 'import': {
      const { importCommand } = await import('../src/ingest/import-command.js');
      const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };
      return importCommand(
        { databasePath: config.databasePath, databaseUrl: config.databaseUrl, knowledgeDir: config.knowledgeDir },
        rest,
        io,
      );
    }
    case 'screen': {
      const { screenCommand } = await import('../src/screen/screen-command.js');
      const tty = process.stderr.isTTY;
      const io = {
        out: (line: string) => process.stdout.write(`${line}\n`),
        err: (line: string) => process.stderr.write(`${tty ? '\r\u001b[K' : ''}${line}\n`),
        ...(tty ? { progress: (line: string) => process.stderr.write(`\r${line}`) } : {}),
      };
      return screenCommand(config.databasePath, rest, io);
    }
    case 'feeds': {
      const { feedsCommand } = await import('../src/feeds/feeds-command.js');
      const { FactStore } = await import('../src/store/fact-store.js');
      const { openDatabase } = await import('../src/store/open.js');
      const { syncKnowledge } = await import('../src/knowledge/sync.js');
      const store = new FactStore(openDatabase(config.databasePath));
      const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };
      try {
        return await feedsCommand(
          {
            store,
            proxy: config.feeds,
            syncKnowledge: async () => {
              await syncKnowledge(store, config.knowledgeDir, () => new Date());
            },
          },
          rest,
          io,
        );
      } finally {
        store.db.close();
      }
    }
    case 'chat':
    case 'serve':
    case 'advisory':
    case 'subscribe':
    case 'digest':
    case 'backup':
    case 'audit':
    case 'clearance': {
      // Kept out of the bundled fast path (see scripts/bundle-cli.mjs): one copy of every module.
      const { runServiceCommand } = await import('./service-commands.js');
      return runServiceCommand(command, rest, config);
    }
    default:
      process.stderr.write(`unknown command "${command}"; run "threatbrief --help"\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || (err instanceof Error && err.name === 'ConfigError')) process.stderr.write(`${err.message}\n`);
    // The store's file comes from the environment: say which setting to change.
    else if (err instanceof Error && err.name === 'StoreOpenError') process.stderr.write(`threatbrief: ${err.message} (DATABASE_PATH)\n`);
    else process.stderr.write(`threatbrief: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
