/**
 * Answers per second of `threatbrief serve` replicas, as a Teams client sees them: N real `serve`
 * processes (child processes, default knowledge, FEEDS_SNAPSHOT=off), Teams message activities
 * POSTed to /api/messages through a round-robin over the replicas with a fixed number in flight,
 * each answer counted when it reaches the fake Bot Connector (test/doubles) — not when the HTTP
 * status comes back. One replica with its shared state in SQLite (no DATABASE_URL); then, when
 * the PostgreSQL of the end-to-end suites answers (.ci/setup-e2e), one and three replicas on a
 * fresh PostgreSQL database each.
 *
 * Every question comes from its own user in its own conversation, so the per-user and
 * per-conversation rate limits (counted per replica, in memory) never apply; a "one moment"
 * reply would be counted as not answered, and is printed.
 *
 *   node dist/bench/replica-answers.js     (or as part of `npm run bench`)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { packageRoot } from '../src/base/paths.js';
import { type FakeConnector, shownText, startFakeConnector } from '../test/doubles/fake-connector.js';
import { freshDatabase } from '../test/e2e/postgres.js';
import { pool, post, summarize, teamsMessage } from './clients.js';
import { loadCases, TUNING } from './eval-corpus.js';

/** Questions measured per run, drawn in turn from the tuning corpus (never the held-out files). */
const QUESTIONS = 1200;
/**
 * Questions each replica answers before measuring, so that it has compiled its hot paths (60 left
 * the CPU per answer a third higher than 1,200 did).
 */
const WARMUP = 300;
/** Requests in flight at once, over all replicas. */
const CONCURRENCY = 16;
/** How long a replica may take to start (three starting at once on a busy machine are slow). */
const START_TIMEOUT_MS = 120_000;
/** How long to wait for answers still on their way once every HTTP response is in. */
const SETTLE_MS = 5_000;

const CLI = join(packageRoot(), 'dist', 'bundle', 'threatbrief.js');

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU time (ms) the replicas have used so far, answering threads included (from /proc). */
function cpuMs(pids: readonly number[]): number {
  return pids.reduce((ms, pid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return ms; // a PostgreSQL backend whose connection closed
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ms + ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime + stime
  }, 0);
}

/** The PostgreSQL server processes serving the replicas' connections to `url`'s database. */
async function backendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return r.rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

interface Replica {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let tail = '';
  const keepTail = (d: Buffer) => {
    tail = (tail + d.toString('utf8')).slice(-4000);
  };
  child.stderr!.on('data', keepTail);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start:\n${tail}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      keepTail(d);
      const port = /"port":(\d+).*ThreatBrief is serving/.exec(tail)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, port: Number(port), exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code}):\n${tail}`));
    });
  });
}

async function stopAll(replicas: readonly Replica[]): Promise<void> {
  for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
  await Promise.all(replicas.map((r) => r.exited));
}

interface Outcome {
  answered: number;
  rateLimited: number;
  failed: number;
  seconds: number;
  latencies: number[];
}

/** Sends `count` questions over the replicas in turn, `CONCURRENCY` at a time; counts answers at the fake. */
async function ask(replicas: readonly Replica[], connector: FakeConnector, label: string, count: number): Promise<Outcome> {
  const questions = loadCases(TUNING).map((c) => c.q);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const sentAt = new Map<string, number>();
  let failed = 0;
  const t0 = performance.now();
  await pool(count, CONCURRENCY, async (i) => {
    const id = `${label}-${i}`;
    // Its own user and conversation: the rate limits are for people, not for this bench.
    const req = teamsMessage(connector.url, questions[i % questions.length]!, { id, user: id, conversation: `a:${id}` });
    sentAt.set(id, Date.now());
    const res = await post(replicas[i % replicas.length]!.port, '/api/messages', req.body, req.headers, agent);
    if (res.status !== 200) failed++;
  });
  const seconds = (performance.now() - t0) / 1000;
  const replies = () => connector.posts.filter((p) => p.replyToId !== undefined && sentAt.has(p.replyToId));
  const deadline = Date.now() + SETTLE_MS;
  while (new Set(replies().map((p) => p.replyToId)).size < count - failed && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  agent.destroy();
  const answeredIds = new Set<string>();
  const latencies: number[] = [];
  let rateLimited = 0;
  for (const p of replies()) {
    const text = shownText(p);
    if (/One moment, please/.test(text)) rateLimited++;
    else if (/something went wrong/i.test(text)) continue;
    else if (!answeredIds.has(p.replyToId!)) {
      answeredIds.add(p.replyToId!);
      latencies.push(p.at - sentAt.get(p.replyToId!)!);
    }
  }
  return { answered: answeredIds.size, rateLimited, failed, seconds, latencies };
}

async function benchReplicas(
  engine: string,
  count: number,
  env: (i: number) => Record<string, string>,
  databaseUrl?: string,
): Promise<void> {
  const connector = await startFakeConnector();
  const load = loadavg()[0]!.toFixed(1);
  let replicas: Replica[] = [];
  try {
    // Started together, as a deploy does; on PostgreSQL the schema is migrated once, under a lock.
    const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startReplica(`${engine}-${i}`, env(i))));
    replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
    await ask(replicas, connector, `warm-${engine}-${count}`, WARMUP * count);
    const pids = replicas.map((r) => r.child.pid!);
    const backends = databaseUrl ? await backendPids(databaseUrl) : [];
    const cpu0 = cpuMs(pids);
    const db0 = cpuMs(backends);
    const o = await ask(replicas, connector, `q-${engine}-${count}`, QUESTIONS);
    const cpuPerAnswer = (cpuMs(pids) - cpu0) / o.answered;
    const dbPerAnswer = (cpuMs(backends) - db0) / o.answered;
    const lat = summarize(o.latencies);
    console.log(
      `answers over HTTP (Teams activities), ${engine}, ${count} replica${count === 1 ? '' : 's'}: ${QUESTIONS} questions, ${o.answered} answered, ` +
        `${o.seconds.toFixed(2)} s, ${(o.answered / o.seconds).toFixed(1)} answers/s; end-to-end (sent → answer at the fake Bot Connector) ` +
        `p50 ${lat.p50.toFixed(0)} ms, p99 ${lat.p99.toFixed(0)} ms; replicas' CPU ${cpuPerAnswer.toFixed(1)} ms per answer` +
        (databaseUrl ? ` (+ PostgreSQL's ${dbPerAnswer.toFixed(1)} ms)` : '') +
        `; ${o.rateLimited} rate-limited, ${o.failed} HTTP errors; ` +
        `load average at start ${load} on ${cpus().length} cores`,
    );
  } finally {
    await stopAll(replicas);
    await connector.close();
  }
}

/**
 * SQLite with one replica, then PostgreSQL with one and three; PostgreSQL is skipped, with a line
 * saying why, when it cannot be reached.
 */
export async function runReplicaAnswersBench(dir: string): Promise<void> {
  console.log(
    `answers over HTTP: ${QUESTIONS} tuning-corpus questions (after ${WARMUP} unmeasured per replica), ${CONCURRENCY} in flight, round-robin over the replicas; ` +
      'each from its own user and conversation, so the per-user and per-conversation rate limits never apply; ' +
      'replicas, fake Bot Connector and this client share the machine',
  );
  const base = (i: number, db: string): Record<string, string> => ({
    DATABASE_PATH: join(dir, `${db}-replica-${i}.db`),
    KNOWLEDGE_DIR: join(packageRoot(), 'knowledge'),
    FEEDS_SNAPSHOT: 'off',
    TEAMS_ALLOW_UNAUTHENTICATED: '1',
    TEAMS_SERVICE_URLS: 'http://127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  await benchReplicas('SQLite', 1, (i) => base(i, 'sqlite'));
  for (const count of [1, 3]) {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    try {
      db = await freshDatabase();
    } catch (err) {
      console.log(`answers over HTTP on PostgreSQL: skipped (${err instanceof Error ? err.message : String(err)}; run .ci/setup-e2e)`);
      return;
    }
    try {
      await benchReplicas('PostgreSQL', count, (i) => ({ ...base(i, `pg-${count}`), DATABASE_URL: db.url }), db.url);
    } catch (err) {
      console.log(`answers over HTTP on PostgreSQL, ${count} replicas: failed (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      await db.drop();
    }
  }
}

if (process.argv[1]?.endsWith('replica-answers.js')) {
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-replica-answers-'));
  try {
    await runReplicaAnswersBench(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
