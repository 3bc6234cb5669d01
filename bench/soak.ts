/**
 * npm run soak — the real service (`threatbrief serve`, a child process: Slack over HTTP against
 * the fake Slack Web API, Teams without authentication against the fake Bot Connector) under a
 * sustained open-loop load of correctly signed /threat commands, app_mention events and Teams
 * activities, then a SIGTERM while requests are still arriving.
 *
 * Reports p50/p90/p99 latency (until the HTTP response — Slack's ack; for Teams the answer
 * itself — and until each Slack answer reached Slack), answers delivered, the service's RSS
 * and CPU time, and the shutdown. Exits 1 on any error: a status other than 200, a missing,
 * duplicated or error answer, an error in the service's log, or an unclean stop.
 *
 *   npm run soak                                   50 requests/s for 60 s
 *   SOAK_RATE=200 SOAK_SECONDS=20 npm run soak     or: node dist/bench/soak.js --rate 200 --seconds 20
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/base/paths.js';
import { shownText, startFakeConnector } from '../test/doubles/fake-connector.js';
import { type RecordedCall, startFakeSlack } from '../test/doubles/fake-slack.js';
import { blockKitProblems } from './block-kit-limits.js';
import { BOT_TOKEN, formatLatency, mentionEvent, post, SIGNING_SECRET, slashCommand, summarize, teamsMessage } from './clients.js';
import { loadCases, TUNING } from './eval-corpus.js';

/** The questions the load sends, in turn: the tuning corpus (typed as people type). */
const QUESTIONS = loadCases(TUNING).map((c) => c.q);

const { values } = parseArgs({ options: { rate: { type: 'string' }, seconds: { type: 'string' }, warmup: { type: 'string' } } });
const RATE = Number(values.rate ?? process.env.SOAK_RATE ?? 50);
const SECONDS = Number(values.seconds ?? process.env.SOAK_SECONDS ?? 60);
const WARMUP = Number(values.warmup ?? process.env.SOAK_WARMUP ?? 200);
if (!(RATE > 0) || !(SECONDS > 0) || !(WARMUP >= 0)) throw new Error('--rate and --seconds must be positive numbers');
/** Requests that may be outstanding before the run counts as overloaded and stops sending. */
const MAX_OUTSTANDING = Math.max(500, RATE * 10);

type Kind = 'command' | 'mention' | 'teams';
/** Of every 20 requests: 9 slash commands, 2 mentions, 9 Teams messages. */
const MIX: Kind[] = [...Array<Kind>(9).fill('command'), ...Array<Kind>(2).fill('mention'), ...Array<Kind>(9).fill('teams')];

interface Sent {
  kind: Kind;
  at: number;
  /** HTTP 200 received: an answer is owed. */
  acked: boolean;
  answers: number;
}

const errors: string[] = [];
const error = (what: string) => {
  if (errors.length < 30) errors.push(what);
  else if (errors.length === 30) errors.push('… (more errors not listed)');
  errorCount++;
};
let errorCount = 0;

const dir = mkdtempSync(join(tmpdir(), 'threatbrief-soak-'));
const fake = await startFakeSlack();
const connector = await startFakeConnector();
const sent = new Map<string, Sent>();
const byTs = new Map<string, string>();
const answerMs: number[] = [];
const mentionAnswerMs: number[] = [];
const acks: Record<Kind, number[]> = { command: [], mention: [], teams: [] };
let measuring = false;

// Every answer Slack receives: match it to its request, check it, time it.
fake.onSuccess((call: RecordedCall) => {
  if (call.method === 'response') {
    const key = /\/response\/(.+)$/.exec(call.path)?.[1];
    const s = key ? sent.get(decodeURIComponent(key)) : undefined;
    if (!s) return error(`an answer for an unknown request: ${call.path}`);
    answered(s, call, answerMs);
  } else if (call.method === 'chat.postMessage') {
    const key = byTs.get(String(call.body.thread_ts));
    const s = key ? sent.get(key) : undefined;
    if (!s) return error(`a chat.postMessage for an unknown mention: ${String(call.body.thread_ts)}`);
    answered(s, call, mentionAnswerMs);
  }
});

function answered(s: Sent, call: RecordedCall, times: number[]) {
  s.answers++;
  if (s.answers > 1) error(`${s.kind} answered ${s.answers} times`);
  if (measuring) times.push(call.at - s.at);
  const header = (call.body.blocks as { type: string; text?: { text: string } }[] | undefined)?.find((b) => b.type === 'header')?.text
    ?.text;
  if (header === 'Something went wrong') error(`${s.kind}: error answer`);
  if (header === 'One moment, please') error(`${s.kind}: rate-limited instead of answered`);
  const problems = blockKitProblems(call.body);
  if (problems.length) error(`${s.kind}: payload outside Block Kit limits: ${problems[0]}`);
}

const cli = join(packageRoot(), 'dist', 'bundle', 'threatbrief.js');
// The real CLI, with a probe preloaded that reports memory after a full GC on SIGUSR2.
const probeModule = new URL('./soak-probe.js', import.meta.url).href;
const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', probeModule, cli, 'serve'], {
  env: {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    TEAMS_ALLOW_UNAUTHENTICATED: '1',
    TEAMS_SERVICE_URLS: 'http://127.0.0.1',
    PORT: '0',
    DATABASE_PATH: join(dir, 'soak.db'),
    KNOWLEDGE_DIR: join(packageRoot(), 'knowledge'),
    LOG_LEVEL: 'info',
    // The load comes from a handful of fake users; the per-user limits (tested in
    // test/access.test.ts) would answer most of it with "one moment", which is not the point here.
    RATE_LIMIT_PER_USER: '10000',
    RATE_LIMIT_PER_CONVERSATION: '100000',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const logs = { warn: 0, error: 0, lines: [] as string[], stopped: false };
const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
const port = await new Promise<number>((resolve, reject) => {
  let buffered = '';
  child.stdout!.on('data', (c: Buffer) => {
    buffered += c.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const p of parts) {
      let line: { level: number; msg: string; port?: number };
      try {
        line = JSON.parse(p) as typeof line;
      } catch {
        error(`a log line that is not JSON: ${p.slice(0, 200)}`);
        continue;
      }
      // The unauthenticated-Teams warning is expected here (no Azure bot on loopback).
      if (line.level === 40 && !/WITHOUT authentication/.test(line.msg)) logs.warn++;
      if (line.level >= 50) {
        logs.error++;
        error(`service log: ${p.slice(0, 300)}`);
      }
      if (line.msg === 'ThreatBrief is serving') resolve(line.port!);
      if (line.msg === 'ThreatBrief stopped') logs.stopped = true;
    }
  });
  let errBuffered = '';
  child.stderr!.on('data', (c: Buffer) => {
    errBuffered += c.toString('utf8');
    const parts = errBuffered.split('\n');
    errBuffered = parts.pop()!;
    for (const p of parts) {
      const probe = /^\{"soakProbe":/.test(p) ? (JSON.parse(p) as { soakProbe: NodeJS.MemoryUsage }).soakProbe : undefined;
      if (probe) probeWaiters.shift()?.(probe);
      else if (p.trim()) error(`service stderr: ${p.slice(0, 300)}`);
    }
  });
  void exited.then((code) => reject(new Error(`threatbrief serve exited early with ${code}`)));
});

const probeWaiters: ((m: NodeJS.MemoryUsage) => void)[] = [];
/** The service's memory right after a full garbage collection (MiB). */
function probe(): Promise<{ rssMiB: number; heapMiB: number }> {
  return new Promise((resolve) => {
    probeWaiters.push((m) => resolve({ rssMiB: m.rss / 1048576, heapMiB: m.heapUsed / 1048576 }));
    child.kill('SIGUSR2');
  });
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** The service's resident memory (MiB) and CPU time (ms), from /proc. */
function usage(): { rssMiB: number; cpuMs: number } {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return { rssMiB: rssKb / 1024, cpuMs: (ticks * 1000) / CLK_TCK };
}

/** Teams answers seen at the fake connector, by the activity they reply to. */
const teamsReplies = new Map<string, number>();
let teamsSeen = 0;
function teamsAnswers(key: string): number {
  for (; teamsSeen < connector.posts.length; teamsSeen++) {
    const p = connector.posts[teamsSeen]!;
    const text = shownText(p);
    if (/something went wrong/i.test(text)) error(`Teams: error answer: ${text.slice(0, 200)}`);
    if (/One moment, please/.test(text)) error('Teams: rate-limited instead of answered');
    if (p.replyToId) teamsReplies.set(p.replyToId, (teamsReplies.get(p.replyToId) ?? 0) + 1);
  }
  return teamsReplies.get(key) ?? 0;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let seq = 0;
let outstanding = 0;
let refusedAtStop = 0;
function send(kind: Kind, stage: string): Promise<void> {
  const key = `${stage}-${++seq}`;
  const question = QUESTIONS[seq % QUESTIONS.length]!;
  const s: Sent = { kind, at: Date.now(), acked: false, answers: 0 };
  sent.set(key, s);
  let req: { body: string; headers: Record<string, string> };
  let path = '/slack/events';
  if (kind === 'command') req = slashCommand(question, fake.responseUrl(key));
  else if (kind === 'mention') {
    const e = mentionEvent(question);
    byTs.set(e.ts, key);
    req = e;
  } else {
    req = teamsMessage(connector.url, question, { id: key });
    path = '/api/messages';
  }
  outstanding++;
  return post(port, path, req.body, req.headers, agent).then((r) => {
    outstanding--;
    if (r.status === 200) {
      s.acked = true;
      if (measuring) acks[kind].push(r.ms);
      if (kind === 'teams') s.answers = teamsAnswers(key);
    } else if (stage === 'stop') {
      sent.delete(key); // refused during shutdown (503 or connection refused): nothing owed; Slack retries elsewhere
      refusedAtStop++;
    } else {
      error(`${kind}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
  });
}

/** Sends at `rate` per second for `seconds`, open loop (on schedule, whatever the responses do). */
async function load(rate: number, seconds: number, stage: string, onTick?: (elapsedMs: number) => void): Promise<number> {
  const t0 = Date.now();
  const total = Math.round(rate * seconds);
  const pending: Promise<void>[] = [];
  let i = 0;
  while (i < total) {
    const elapsed = Date.now() - t0;
    const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
    for (; i < due; i++) {
      if (outstanding >= MAX_OUTSTANDING) {
        error(`overloaded: ${outstanding} requests outstanding at ${rate}/s; stopped sending`);
        i = total;
        break;
      }
      pending.push(send(MIX[i % MIX.length]!, stage));
    }
    onTick?.(elapsed);
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  return i;
}

async function untilAnswered(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const owed = () => [...sent.values()].filter((s) => s.acked && s.kind !== 'teams' && s.answers === 0).length;
  while (owed() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

let exitCode = 0;
try {
  // Warm-up (not measured): JIT, caches, connections.
  await load(Math.min(RATE, 100), WARMUP / Math.min(RATE, 100), 'warm');
  await untilAnswered(10_000);
  const startGc = await probe();
  const start = usage();
  const samples: number[] = [start.rssMiB];
  measuring = true;
  const t0 = Date.now();
  let nextSample = 5_000;
  const requests = await load(RATE, SECONDS, 'soak', (elapsed) => {
    if (elapsed >= nextSample) {
      samples.push(usage().rssMiB);
      nextSample += 5_000;
    }
  });
  const wall = (Date.now() - t0) / 1000;
  await untilAnswered(30_000);
  measuring = false;
  const end = usage();
  samples.push(end.rssMiB);
  const endGc = await probe();

  const soak = [...sent.entries()].filter(([k]) => k.startsWith('soak-')).map(([, s]) => s);
  const count = (kind: Kind) => soak.filter((s) => s.kind === kind);
  for (const s of soak) if (s.acked && s.answers !== 1) error(`${s.kind}: answered ${s.answers} times`);
  const delivered = soak.filter((s) => s.answers === 1).length;

  // Shutdown under load: SIGTERM while requests still arrive; everything acknowledged must be answered.
  let stopMs = 0;
  let sigtermAt = 0;
  const stopLoad = load(RATE, 2, 'stop', (elapsed) => {
    if (elapsed >= 1000 && !sigtermAt) {
      sigtermAt = Date.now();
      child.kill('SIGTERM');
    }
  });
  const code = await exited;
  stopMs = Date.now() - sigtermAt;
  await stopLoad;
  const stopping = [...sent.entries()].filter(([k]) => k.startsWith('stop-')).map(([, s]) => s);
  const stopAcked = stopping.filter((s) => s.acked);
  const ackedAfterSigterm = stopAcked.filter((s) => s.at >= sigtermAt).length;
  for (const s of stopAcked) if (s.answers !== 1) error(`acknowledged during shutdown but answered ${s.answers} times (${s.kind})`);
  if (code !== 0) error(`threatbrief serve exited with ${code} after SIGTERM`);
  if (!logs.stopped) error('no "ThreatBrief stopped" in the log after SIGTERM');

  const cpuPerRequest = (end.cpuMs - start.cpuMs) / requests;
  console.log(
    `soak: ${requests} requests in ${wall.toFixed(1)} s (target ${RATE}/s for ${SECONDS} s; achieved ${(requests / wall).toFixed(1)}/s), loopback, threatbrief serve (Slack HTTP + Teams)`,
  );
  console.log(
    `  sent: ${count('command').length} /threat, ${count('mention').length} app_mention, ${count('teams').length} Teams activities`,
  );
  console.log(
    `  answers delivered: ${delivered} of ${soak.length} (${count('command').filter((s) => s.answers === 1).length} response_url, ${count('mention').filter((s) => s.answers === 1).length} chat.postMessage, ${count('teams').filter((s) => s.answers === 1).length} Teams)`,
  );
  console.log(`  /threat until the ack:                 ${formatLatency(summarize(acks.command))}`);
  console.log(`  app_mention until the ack:             ${formatLatency(summarize(acks.mention))}`);
  console.log(`  Teams until answered (HTTP response):  ${formatLatency(summarize(acks.teams))}`);
  console.log(`  /threat until the answer reached Slack: ${formatLatency(summarize(answerMs))}`);
  console.log(`  app_mention until chat.postMessage:    ${formatLatency(summarize(mentionAnswerMs))}`);
  console.log(
    `  service RSS: ${start.rssMiB.toFixed(1)} MiB at start, ${end.rssMiB.toFixed(1)} MiB at end (${end.rssMiB - start.rssMiB >= 0 ? '+' : ''}${(end.rssMiB - start.rssMiB).toFixed(1)} MiB), min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)} over ${samples.length} samples`,
  );
  console.log(`  RSS every 5 s (MiB): ${samples.map((m) => m.toFixed(0)).join(' ')}`);
  const d = (a: number, b: number) => `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(1)}`;
  console.log(
    `  after a full GC: heap used ${startGc.heapMiB.toFixed(1)} → ${endGc.heapMiB.toFixed(1)} MiB (${d(startGc.heapMiB, endGc.heapMiB)}), RSS ${startGc.rssMiB.toFixed(1)} → ${endGc.rssMiB.toFixed(1)} MiB (${d(startGc.rssMiB, endGc.rssMiB)})`,
  );
  console.log(
    `  service CPU: ${((end.cpuMs - start.cpuMs) / 1000).toFixed(1)} s for ${requests} requests = ${cpuPerRequest.toFixed(2)} ms per request (≈ ${Math.floor(1000 / cpuPerRequest)} requests/s per fully used core)`,
  );
  console.log(
    `  shutdown: SIGTERM 1 s into a last ${RATE}/s burst → exit ${code} after ${stopMs} ms; of the burst, ${stopAcked.length} acknowledged (${ackedAfterSigterm} sent after the SIGTERM), all answered: ${stopAcked.every((s) => s.answers === 1)}; ${refusedAtStop} refused (503 or connection refused)`,
  );
  console.log(`  service log: ${logs.error} error and ${logs.warn} warning lines`);
  console.log(`  errors: ${errorCount}`);
  for (const e of errors) console.log(`    ${e}`);
  exitCode = errorCount === 0 ? 0 : 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  if (child.exitCode === null) child.kill('SIGKILL');
  agent.destroy();
  await fake.close();
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = exitCode;
