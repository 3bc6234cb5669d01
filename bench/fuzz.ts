/**
 * npm run fuzz — generated hostile messages (bench/fuzz-inputs.ts) through the answer path and
 * both adapters, against the real service on loopback:
 *   1. in process: createBot().handle, then the Slack Block Kit and Teams Adaptive Card renderers
 *      (every part of a long answer);
 *   2. Slack: each input as a signed /threat through Bolt's HTTP path (answer at a fake
 *      response_url), and every 4th also as a signed app_mention event (answer by chat.postMessage);
 *   3. Teams: each input as an activity to POST /api/messages (answer at a fake Bot Connector).
 * It fails on any exception, error reply, error log line, non-200 status, missing answer, payload
 * outside Slack's Block Kit limits or a Teams message over 28 KB, Slack control sequences
 * (<!channel>, <@U…>) that came from user text, and any change to the store (every table,
 * hashed before and after; only bookkeeping tables — the old Slack dedupe table, the scheduler lease — may change).
 *
 *   FUZZ_COUNT=10000 FUZZ_SEED=1 npm run fuzz       (defaults: 10,000 inputs, seed 1)
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../adapters/log.js';
import { startService } from '../adapters/serve.js';
import { ACTIONS, renderReply, type SlackMessage } from '../adapters/slack/block-kit.js';
import { replyActivity } from '../adapters/teams/adapter.js';
import { renderAdaptiveCard } from '../adapters/teams/adaptive-card.js';
import { createAnswerEngine } from '../src/answer/engine.js';
import type { Reply } from '../src/answer/reply.js';
import { loadServiceConfig } from '../src/app/config.js';
import { packageRoot } from '../src/base/paths.js';
import { createBot } from '../src/chat/bot.js';
import { FactStore } from '../src/store/fact-store.js';
import { type Db, openDatabase } from '../src/store/open.js';
import { shownText, startFakeConnector } from '../test/doubles/fake-connector.js';
import { startFakeSlack } from '../test/doubles/fake-slack.js';
import { blockKitProblems } from './block-kit-limits.js';
import { BOT_TOKEN, mentionEvent, pool, post, SIGNING_SECRET, slashCommand, teamsMessage } from './clients.js';
import { generateInputs } from './fuzz-inputs.js';

export interface FuzzOptions {
  count: number;
  seed?: number;
  /** Also through the HTTP adapters (default true). */
  http?: boolean;
  concurrency?: number;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
}

export interface FuzzReport {
  inputs: number;
  seed: number;
  /** Replies checked per path. */
  direct: number;
  slackCommands: number;
  slackMentions: number;
  teams: number;
  /** Slack payloads checked against Block Kit limits (all parts of long answers included). */
  slackPayloads: number;
  exceptions: number;
  errorReplies: number;
  errorLogLines: number;
  problems: string[];
  /** Tables whose content changed (bookkeeping tables excluded). */
  changedTables: string[];
  /** Replies that came from the answer path (not the rate limiter's "one moment"), per path. */
  answered: { direct: number; slack: number; teams: number };
  /** Slack and Teams deliveries checked (the denominator of `answered`). */
  delivered: { slack: number; teams: number };
  /** Replies that showed a fact marked TLP:AMBER in a CLEAR conversation. */
  amberLeaks: number;
  /** Facts marked TLP:AMBER in the store during the run, and whether a direct chat cleared for AMBER was shown one (the check can see them). */
  amberFacts: number;
  amberShownWhenCleared: boolean;
  teamsConversations: number;
  ms: number;
}

/** Users and conversations the inputs are spread over, so that the rate limits do not answer instead of the bot. */
const USERS = 2000;
const CHANNELS = 500;
const TEAMS_CONVERSATIONS = 600;
/**
 * Inputs per Teams conversation at least (fewer conversations for a short run; each takes a first
 * message). A conversation keeps one user, so that its stored reference never changes: 600 keep
 * each user under the default 20 questions a minute over a 10,000-input run.
 */
const INPUTS_PER_TEAMS_CONVERSATION = 10;
/** Facts marked TLP:AMBER carry this word (and a random part): it must never reach a CLEAR conversation. */
const CANARY_WORD = 'TLPCANARY';
/** Entities (all CLEAR) that get AMBER claims, and the predicates the claims take, so that the usual questions reach them. */
const AMBER_ON = ['flax-typhoon', 'volt-typhoon', 'salt-typhoon', 'integrity-technology-group'];
const AMBER_PREDICATES = ['description', 'tooling', 'targets', 'initial-access'];

/**
 * A copy of the curated knowledge with content marked TLP:AMBER: claims on CLEAR entities that
 * the generated questions ask about, and an AMBER advisory; each carries the canary. (AMBER
 * entity names are left out: how their names are kept out of suggestions is worked on apart.)
 */
function amberKnowledge(dir: string, canary: string): string {
  const out = join(dir, 'knowledge');
  cpSync(join(packageRoot(), 'knowledge'), out, { recursive: true });
  for (const id of AMBER_ON) {
    const file = join(out, 'entities', `${id}.yaml`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const lastKey = [...text.matchAll(/^([a-z_]+):/gm)].at(-1)?.[1];
    const source = /sources: \[([a-z0-9-]+)/.exec(text)?.[1];
    if (lastKey !== 'claims' || !source) continue;
    const claims = AMBER_PREDICATES.map(
      (predicate) =>
        `  - predicate: ${predicate}\n    text: "${canary} ${id} ${predicate}: a partner-only finding."\n    sources: [${source}]\n    tlp: AMBER\n`,
    ).join('');
    writeFileSync(file, `${text.replace(/\n*$/, '\n')}${claims}`);
  }
  writeFileSync(
    join(out, 'advisories', 'tlp-canary-advisory.yaml'),
    `id: tlp-canary-advisory\ntitle: "${canary} partner-only advisory about Flax Typhoon"\npublisher: Example Partner\npublished: "2025-06-01"\nsummary: "${canary} partner-only."\nentities: [flax-typhoon]\nsources: [treasury-jy2769]\nseverity: high\ntlp: AMBER\n`,
  );
  return out;
}

/**
 * Tables written on purpose while the bot only answers: the old Slack dedupe table (the dedupe now
 * has a file of its own), the digest scheduler's lease, renewed at every minute tick, and the
 * conversation context that follow-up questions read.
 */
const BOOKKEEPING_TABLES = new Set(['slack_seen_events', 'leases', 'conversation_context']);
/** One activity id for every Teams message: each conversation's stored reference stays byte-identical. */
const TEAMS_ACTIVITY_ID = 'fuzz-activity';
const teamsConversation = (c: number) => `a:fuzz-${c}`;
const slackChannel = (i: number) => `C${String(i % CHANNELS).padStart(6, '0')}`;
const slackUser = (i: number) => `U${String(i % USERS).padStart(6, '0')}`;
const MAX_TEAMS_BYTES = 28_000;

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const seed = opts.seed ?? 1;
  const concurrency = opts.concurrency ?? 8;
  const inputs = generateInputs(opts.count, seed);
  const teamsConversations = Math.max(1, Math.min(TEAMS_CONVERSATIONS, Math.ceil(opts.count / INPUTS_PER_TEAMS_CONVERSATION)));
  const report: FuzzReport = {
    inputs: inputs.length,
    seed,
    direct: 0,
    slackCommands: 0,
    slackMentions: 0,
    teams: 0,
    slackPayloads: 0,
    exceptions: 0,
    errorReplies: 0,
    errorLogLines: 0,
    problems: [],
    changedTables: [],
    answered: { direct: 0, slack: 0, teams: 0 },
    delivered: { slack: 0, teams: 0 },
    amberLeaks: 0,
    amberFacts: 0,
    amberShownWhenCleared: false,
    teamsConversations,
    ms: 0,
  };
  const canary = `${CANARY_WORD}${randomBytes(4).toString('hex')}`;
  const leaks = (i: number, via: string, shown: unknown) => {
    if (!JSON.stringify(shown).includes(canary)) return;
    report.amberLeaks++;
    problem(i, `${via}: a fact marked TLP:AMBER in a CLEAR conversation`);
  };
  const problem = (i: number, what: string) => {
    if (report.problems.length < 50) report.problems.push(`input #${i} ${JSON.stringify(inputs[i]!.slice(0, 120))}: ${what}`);
    else if (report.problems.length === 50) report.problems.push('… (more problems not listed)');
  };

  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-fuzz-'));
  const dbPath = join(dir, 'fuzz.db');
  const knowledgeDir = amberKnowledge(dir, canary);
  const logLines: string[] = [];
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        const line = chunk.toString('utf8');
        if ((JSON.parse(line) as { level: number }).level >= 50) {
          report.errorLogLines++;
          if (logLines.length < 10) logLines.push(line.trim());
        }
        done();
      },
    }),
  );
  const fake = await startFakeSlack();
  const connector = await startFakeConnector();
  const config = loadServiceConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    TEAMS_ALLOW_UNAUTHENTICATED: '1',
    // Many users and channels, each under the default limits: the answers are what is fuzzed, not the limiter.
    TEAMS_SERVICE_URLS: 'http://127.0.0.1',
    PORT: '0',
    DATABASE_PATH: dbPath,
    KNOWLEDGE_DIR: knowledgeDir,
  });
  const service = await startService({
    config,
    logger,
    host: '127.0.0.1',
    slackClientOptions: { retryConfig: { retries: 2, factor: 1, minTimeout: 50, maxTimeout: 50 } },
  });
  // The in-process path gets its own connection to the same store, as a second replica would.
  const store = new FactStore(openDatabase(dbPath));
  const engine = createAnswerEngine({ store, knowledgeDir, reloadIntervalMs: 60_000, logger });
  const bot = createBot({ engine, store, logger });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    // Each Teams conversation's reference is stored by its first message; after that it never changes.
    await pool(teamsConversations, concurrency, async (c) => {
      await post(
        service.port,
        '/api/messages',
        teamsMessage(connector.url, 'help', { id: TEAMS_ACTIVITY_ID, conversation: teamsConversation(c), user: `user-${c}` }).body,
        { 'content-type': 'application/json' },
        agent,
      );
    });
    await service.scheduler.runNow();
    connector.posts.length = 0;
    report.amberFacts = Number(
      store.db
        .prepare(
          "SELECT (SELECT count(*) FROM claims WHERE tlp = 'AMBER' AND instr(text, ?) > 0) + (SELECT count(*) FROM advisories WHERE tlp = 'AMBER' AND instr(title, ?) > 0)",
        )
        .pluck()
        .get(canary, canary),
    );
    // The control: a chat cleared for AMBER is shown them, so the leak check can see a leak. Answers
    // lead with what was asked, so the control asks for each kind of fact the canary was put in.
    const controls = ['who is Flax Typhoon?', 'what tools does Flax Typhoon use?', 'what does Flax Typhoon target?', 'latest'];
    for (const text of controls) {
      const cleared = await bot.handle({ platform: 'cli', conversation: 'cli', user: 'cli', direct: true, clearance: 'AMBER', text });
      report.amberShownWhenCleared ||= JSON.stringify(cleared).includes(canary);
    }
    const before = snapshot(store.db);

    // 1. In process.
    for (const [i, text] of inputs.entries()) {
      let reply: Reply;
      try {
        reply = await bot.handle({
          platform: i % 2 ? 'teams' : 'slack',
          conversation: i % 2 ? teamsConversation(i % teamsConversations) : slackChannel(i),
          user: slackUser(i),
          text,
        });
      } catch (err) {
        report.exceptions++;
        problem(i, `bot.handle threw ${String(err)}`);
        continue;
      }
      report.direct++;
      if (reply.intent !== 'rate-limited') report.answered.direct++;
      leaks(i, 'in process', reply);
      if (reply.intent === 'error') {
        report.errorReplies++;
        problem(i, 'error reply');
      }
      try {
        for (const [part, message] of slackParts(reply, text).entries()) {
          report.slackPayloads++;
          for (const p of [...blockKitProblems(message), ...injected(message)]) problem(i, `Slack part ${part}: ${p}`);
        }
        renderAdaptiveCard(reply.card);
        const activity = Buffer.byteLength(JSON.stringify(replyActivity(reply)), 'utf8');
        if (activity > MAX_TEAMS_BYTES) problem(i, `Teams message ${activity} bytes > ${MAX_TEAMS_BYTES}`);
      } catch (err) {
        report.exceptions++;
        problem(i, `rendering threw ${String(err)}`);
      }
      if (opts.progress && (i + 1) % 2000 === 0) opts.progress(`in process: ${i + 1}/${inputs.length}`);
    }

    if (opts.http ?? true) {
      // 2. Slack, in batches so that the fakes' records stay small.
      const batch = 500;
      for (let from = 0; from < inputs.length; from += batch) {
        const to = Math.min(inputs.length, from + batch);
        fake.reset();
        const mentions = new Map<string, number>();
        await pool(to - from, concurrency, async (k) => {
          const i = from + k;
          const command = slashCommand(inputs[i]!, fake.responseUrl(`fuzz-${i}`), { channel: slackChannel(i), user: slackUser(i) });
          const r = await post(service.port, '/slack/events', command.body, command.headers, agent);
          report.slackCommands++;
          if (r.status !== 200) problem(i, `slash command: HTTP ${r.status} ${r.body.slice(0, 200)}`);
          if (i % 4 === 0) {
            const event = mentionEvent(inputs[i]!, { channel: slackChannel(i + 1), user: slackUser(i + 1) });
            mentions.set(event.ts, i);
            const e = await post(service.port, '/slack/events', event.body, event.headers, agent);
            report.slackMentions++;
            if (e.status !== 200) problem(i, `app_mention: HTTP ${e.status} ${e.body.slice(0, 200)}`);
          }
        });
        await service.slack!.idle();
        const answered = new Map<number, number>();
        for (const r of fake.responses) {
          const i = Number(/fuzz-(\d+)$/.exec(r.path)?.[1]);
          answered.set(i, (answered.get(i) ?? 0) + 1);
          checkSlackPayload(i, 'response_url', r.body);
        }
        for (let i = from; i < to; i++) if (answered.get(i) !== 1) problem(i, `slash command answered ${answered.get(i) ?? 0} times`);
        const posted = new Map<number, number>();
        for (const c of fake.succeeded('chat.postMessage')) {
          const i = mentions.get(String(c.body.thread_ts)) ?? -1;
          posted.set(i, (posted.get(i) ?? 0) + 1);
          checkSlackPayload(i, 'chat.postMessage', c.body);
        }
        for (const [, i] of mentions) if (posted.get(i) !== 1) problem(i, `app_mention answered ${posted.get(i) ?? 0} times`);
        opts.progress?.(`Slack: ${to}/${inputs.length}`);
      }

      // 3. Teams.
      for (let from = 0; from < inputs.length; from += batch) {
        const to = Math.min(inputs.length, from + batch);
        connector.posts.length = 0;
        await pool(to - from, concurrency, async (k) => {
          const i = from + k;
          const c = i % teamsConversations;
          const activity = teamsMessage(connector.url, inputs[i]!, {
            id: TEAMS_ACTIVITY_ID,
            conversation: teamsConversation(c),
            user: `user-${c}`,
          });
          const r = await post(service.port, '/api/messages', activity.body, activity.headers, agent);
          report.teams++;
          if (r.status !== 200) problem(i, `Teams: HTTP ${r.status} ${r.body.slice(0, 200)}`);
        });
        if (connector.posts.length !== to - from)
          problem(from, `Teams: ${connector.posts.length} answers for ${to - from} messages in this batch`);
        for (const p of connector.posts) {
          const text = shownText(p);
          report.delivered.teams++;
          if (!text.includes('One moment, please')) report.answered.teams++;
          leaks(from, 'Teams', p.activity);
          const card = p.activity.attachments?.[0]?.content;
          if (/something went wrong|internal error/i.test(text) || (card && JSON.stringify(card).includes('Something went wrong'))) {
            report.errorReplies++;
            problem(from, `Teams error answer: ${text.slice(0, 200)}`);
          }
          if (!card) problem(from, 'Teams answer without an Adaptive Card');
          const size = Buffer.byteLength(JSON.stringify(p.activity), 'utf8');
          if (size > MAX_TEAMS_BYTES) problem(from, `Teams message ${size} bytes > ${MAX_TEAMS_BYTES}`);
        }
        opts.progress?.(`Teams: ${to}/${inputs.length}`);
      }
    }

    await service.slack!.idle();
    const after = snapshot(store.db);
    report.changedTables = [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t)).sort();
    for (const t of report.changedTables) report.problems.push(`the store changed: table ${t}`);
    for (const l of logLines) report.problems.push(`error log: ${l.slice(0, 400)}`);
  } finally {
    agent.destroy();
    store.db.close();
    await service.stop();
    await fake.close();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
  report.ms = Date.now() - t0;
  return report;

  function checkSlackPayload(i: number, via: string, body: Record<string, unknown>) {
    report.slackPayloads++;
    const header = (body.blocks as { type: string; text?: { text: string } }[] | undefined)?.find((b) => b.type === 'header')?.text?.text;
    report.delivered.slack++;
    if (header !== 'One moment, please') report.answered.slack++;
    leaks(i, via, body);
    if (header === 'Something went wrong') {
      report.errorReplies++;
      problem(i, `${via}: error answer`);
    }
    for (const p of [...blockKitProblems(body), ...injected(body)]) problem(i, `${via}: ${p}`);
  }
}

/** Every part of a reply as Slack shows it: part 0, then each "More" part, as the button asks for it. */
function slackParts(reply: Reply, question: string): SlackMessage[] {
  const parts = [renderReply(reply, { question, shareable: true })];
  while (parts.length < 100) {
    const more = parts[parts.length - 1]!.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find(
      (e) => 'action_id' in e && e.action_id === ACTIONS.more,
    );
    if (!more) break;
    parts.push(renderReply(reply, { question, part: parts.length }));
  }
  return parts;
}

/** Slack control sequences in a payload's texts: user text must never produce them (citations' <url|title> links are ours). */
function injected(message: { text?: unknown; blocks?: unknown }): string[] {
  const texts: string[] = [];
  if (typeof message.text === 'string') texts.push(message.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, child] of Object.entries(v)) k === 'text' && typeof child === 'string' ? texts.push(child) : walk(child);
  };
  walk(message.blocks);
  return texts.flatMap((t) =>
    /<[!@#]/.test(t)
      ? [`Slack control sequence in ${JSON.stringify(t.slice(Math.max(0, t.search(/<[!@#]/) - 20), t.search(/<[!@#]/) + 40))}`]
      : [],
  );
}

/** A digest of every table's rows (and the schema), by table; the bookkeeping tables are left out. */
export function snapshot(db: Db): Map<string, string> {
  const out = new Map<string, string>();
  out.set(
    '(schema)',
    hash(
      JSON.stringify([
        db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all(),
        db.pragma('user_version', { simple: true }),
      ]),
    ),
  );
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    if (BOOKKEEPING_TABLES.has(t)) continue;
    let rows: unknown[];
    try {
      rows = db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
    } catch {
      // WITHOUT ROWID tables (FTS5's index): order by the whole row instead.
      rows = (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort();
    }
    out.set(t, hash(JSON.stringify(rows)));
  }
  return out;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function printReport(r: FuzzReport): void {
  console.log(`fuzz: ${r.inputs} generated inputs (seed ${r.seed}) in ${(r.ms / 1000).toFixed(1)} s`);
  console.log(`  in process (createBot().handle + both renderers): ${r.direct} replies`);
  console.log(`  Slack over HTTP (signed, through Bolt): ${r.slackCommands} /threat commands, ${r.slackMentions} app_mention events`);
  console.log(`  Teams over HTTP (POST /api/messages): ${r.teams} activities`);
  console.log(`  Slack payloads checked against Block Kit limits: ${r.slackPayloads}`);
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
  const total = r.answered.direct + r.answered.slack + r.answered.teams;
  const of = r.direct + r.delivered.slack + r.delivered.teams;
  console.log(
    `  reached the answer path (not the rate limiter), over ${USERS} users and ${CHANNELS} Slack channels / ${r.teamsConversations} Teams conversations: ${total} of ${of} replies (${pct(total, of)}) — in process ${pct(r.answered.direct, r.direct)}, Slack ${pct(r.answered.slack, r.delivered.slack)}, Teams ${pct(r.answered.teams, r.delivered.teams)}`,
  );
  console.log(
    `  facts marked TLP:AMBER in the store: ${r.amberFacts} (a chat cleared for AMBER sees them: ${r.amberShownWhenCleared ? 'yes' : 'NO'}); shown in a CLEAR conversation: ${r.amberLeaks}`,
  );
  console.log(
    `  exceptions: ${r.exceptions}, error replies: ${r.errorReplies}, error log lines: ${r.errorLogLines}, tables changed: ${r.changedTables.length ? r.changedTables.join(', ') : 'none'}`,
  );
  console.log(`  problems: ${r.problems.length}`);
  for (const p of r.problems) console.log(`    ${p}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.env.FUZZ_COUNT ?? 10_000);
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  const report = await runFuzz({ count, seed, progress: (line) => console.log(`  … ${line}`) });
  printReport(report);
  process.exitCode = report.problems.length === 0 ? 0 : 1;
}
