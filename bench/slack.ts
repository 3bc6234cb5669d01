/**
 * Slack slash-command latency on loopback: ThreatBrief's service against a bare Bolt app that
 * only acknowledges, in the same run. Each server runs in its own worker thread (as a real
 * server has its own process) while this thread plays Slack: it signs `/threat` requests, sends
 * them 8 at a time, times each until its HTTP response (the ack), and receives the answers on a
 * fake response_url. Target: our p99 within 1.5× of bare Bolt's. Prints; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { packageRoot } from '../src/base/paths.js';
import { type FakeSlack, signedRequest, startFakeSlack } from '../test/doubles/fake-slack.js';

export const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';
const QUESTIONS = [
  'who is Flax Typhoon',
  'is Integrity Tech sanctioned?',
  'latest',
  'help',
  'who is typhoon?',
  'how many devices were in the Flax Typhoon botnet?',
];

export interface SlackBenchOptions {
  /** Measured requests per server (at least 300). */
  requests?: number;
  concurrency?: number;
  warmup?: number;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface SlackBenchResult {
  bare: LatencySummary;
  ours: LatencySummary;
  /** From sending /threat to the answer arriving at the response_url. */
  oursAnswered: LatencySummary;
  ratioP99: number;
}

export interface WorkerInput {
  slackBench: 'bare' | 'ours' | 'fake';
  apiUrl: string;
  dir: string;
  /** The store of the service under test (default: bench.db in `dir`). */
  dbPath?: string;
}

/** An answer the fake Slack received: at a response_url (path), or by chat.postMessage (threadTs). */
export type Delivery = { path: string; at: number; threadTs?: string };
/** Event-loop delay in the service's thread since the last reset (perf_hooks histogram), in ms. */
export type LoopDelay = { max: number; p99: number; mean: number };
type FromWorker =
  | { type: 'listening'; port: number }
  | { type: 'idle' }
  | { type: 'stopped' }
  | { type: 'responses'; responses: Delivery[] }
  | { type: 'loop'; delay: LoopDelay };
type ToWorker = { type: 'idle' } | { type: 'stop' } | { type: 'responses' } | { type: 'loop'; reset: boolean };

/** Runs the bench and prints both servers' figures. */
export async function runSlackBench(opts: SlackBenchOptions = {}): Promise<SlackBenchResult> {
  const total = Math.max(300, opts.requests ?? 1000);
  const concurrency = opts.concurrency ?? 8;
  const warmup = opts.warmup ?? 100;
  const rounds = 5;
  const perRound = Math.ceil(total / rounds);
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-slack-bench-'));
  // Slack's side runs in a thread of its own too, so that receiving answers does not slow the client's clock.
  const fakeWorker = await startWorker({ slackBench: 'fake', apiUrl: '', dir });
  const fake = { url: `http://127.0.0.1:${fakeWorker.port}/`, responses: () => fakeWorker.responses() };
  const bare = await startWorker({ slackBench: 'bare', apiUrl: `${fake.url}api/`, dir });
  const ours = await startWorker({ slackBench: 'ours', apiUrl: `${fake.url}api/`, dir });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });
  try {
    await load(bare.port, warmup, concurrency, agent, fake, 'warm-bare');
    await load(ours.port, warmup, concurrency, agent, fake, 'warm-ours');
    await ours.idle();
    const times = { bare: [] as number[], ours: [] as number[], answered: [] as number[] };
    // Alternating rounds, so that drift (GC, CPU frequency) hits both servers alike.
    for (let r = 0; r < rounds; r++) {
      times.bare.push(...(await load(bare.port, perRound, concurrency, agent, fake, `bare-${r}`)).acks);
      const run = await load(ours.port, perRound, concurrency, agent, fake, `ours-${r}`);
      await ours.idle();
      times.ours.push(...run.acks);
      times.answered.push(...run.answered(await fake.responses()));
    }
    const result: SlackBenchResult = {
      bare: summarize(times.bare),
      ours: summarize(times.ours),
      oursAnswered: summarize(times.answered),
      ratioP99: 0,
    };
    result.ratioP99 = result.ours.p99 / result.bare.p99;
    const line = (s: LatencySummary) => `p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(2)} ms (n=${s.n})`;
    console.log(`slack /threat until ack, concurrency ${concurrency}, bare Bolt (ack only): ${line(result.bare)}`);
    console.log(`slack /threat until ack, concurrency ${concurrency}, ThreatBrief:          ${line(result.ours)}`);
    console.log(`slack /threat until the answer reaches response_url, ThreatBrief: ${line(result.oursAnswered)}`);
    console.log(`slack p99 ratio ThreatBrief / bare Bolt: ${result.ratioP99.toFixed(2)}× (target ≤ 1.5×)`);
    return result;
  } finally {
    agent.destroy();
    await bare.stop();
    await ours.stop();
    await fakeWorker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WorkerHandle {
  port: number;
  idle(): Promise<void>;
  responses(): Promise<Delivery[]>;
  /** The service's event-loop delay since the last reset; `reset` starts a new window. */
  loopDelay(reset: boolean): Promise<LoopDelay>;
  stop(): Promise<void>;
}

export async function startWorker(input: WorkerInput): Promise<WorkerHandle> {
  const kind = input.slackBench;
  const worker = new Worker(new URL(import.meta.url), { workerData: input });
  const next = () =>
    new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const listening = await next();
  if (listening.type !== 'listening') throw new Error(`bench worker ${kind} did not start`);
  const ask = async (msg: ToWorker) => {
    const reply = next();
    worker.postMessage(msg);
    return reply;
  };
  return {
    port: listening.port,
    idle: async () => void (await ask({ type: 'idle' })),
    responses: async () => {
      const reply = await ask({ type: 'responses' });
      return reply.type === 'responses' ? reply.responses : [];
    },
    loopDelay: async (reset) => {
      const reply = await ask({ type: 'loop', reset });
      return reply.type === 'loop' ? reply.delay : { max: 0, p99: 0, mean: 0 };
    },
    stop: async () => {
      await ask({ type: 'stop' });
      await worker.terminate();
    },
  };
}

/** Sends `n` signed /threat requests, `concurrency` at a time; returns each one's time to ack. */
async function load(port: number, n: number, concurrency: number, agent: Agent, fake: { url: string }, label: string) {
  const acks: number[] = [];
  const sentAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const id = `${label}-${i}`;
      const { body, headers } = signedRequest(SECRET, {
        form: {
          command: '/threat',
          text: QUESTIONS[i % QUESTIONS.length]!,
          team_id: 'T0TEST',
          channel_id: 'C0TEST',
          user_id: 'U0TEST',
          response_url: `${fake.url}response/${id}`,
          trigger_id: 't',
          api_app_id: 'A0TEST',
        },
      });
      sentAt.set(`/response/${id}`, Date.now());
      const t0 = process.hrtime.bigint();
      const status = await post(port, body, headers, agent);
      if (status !== 200) throw new Error(`${label}: HTTP ${status}`);
      acks.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    acks,
    answered: (delivered: Delivery[]) => delivered.filter((r) => sentAt.has(r.path)).map((r) => r.at - sentAt.get(r.path)!),
  };
}

function post(port: number, body: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function summarize(ms: number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { p50: at(50), p99: at(99), max: s[s.length - 1]!, n: s.length };
}

/** Inside a worker: one server under test. */
async function serveInWorker(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  let idle = async (): Promise<void> => undefined;
  let responses = (): Delivery[] => [];
  let stop: () => Promise<void>;
  if (input.slackBench === 'fake') {
    const fake: FakeSlack = await startFakeSlack();
    port.postMessage({ type: 'listening', port: Number(new URL(fake.url).port) } satisfies FromWorker);
    responses = () => [
      ...fake.responses.splice(0).map(({ path, at }) => ({ path, at })),
      ...fake.succeeded('chat.postMessage').map((c) => ({ path: '/api/chat.postMessage', at: c.at, threadTs: String(c.body.thread_ts) })),
    ];
    stop = () => fake.close();
  } else if (input.slackBench === 'bare') {
    const { App, LogLevel } = await import('@slack/bolt');
    const app = new App({ token: TOKEN, signingSecret: SECRET, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: input.apiUrl } });
    app.command('/threat', async ({ ack }) => {
      await ack();
    });
    const server = await app.start(0);
    port.postMessage({ type: 'listening', port: (server.address() as { port: number }).port } satisfies FromWorker);
    stop = async () => {
      await app.stop();
    };
  } else {
    const { startService } = await import('../adapters/serve.js');
    const { createLogger } = await import('../adapters/log.js');
    const { loadServiceConfig } = await import('../src/app/config.js');
    const config = loadServiceConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: input.apiUrl,
      PORT: '0',
      DATABASE_PATH: input.dbPath ?? join(input.dir, 'bench.db'),
      KNOWLEDGE_DIR: join(packageRoot(), 'knowledge'),
    });
    const service = await startService({ config, logger: createLogger('silent'), host: '127.0.0.1', answerInWorker: true });
    port.postMessage({ type: 'listening', port: service.port } satisfies FromWorker);
    idle = () => service.slack!.idle();
    stop = () => service.stop();
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  port.on('message', (msg: ToWorker) => {
    switch (msg.type) {
      case 'loop': {
        const ms = (ns: number) => ns / 1e6;
        port.postMessage({
          type: 'loop',
          delay: { max: ms(loop.max), p99: ms(loop.percentile(99)), mean: ms(loop.mean) },
        } satisfies FromWorker);
        if (msg.reset) loop.reset();
        break;
      }
      case 'responses':
        port.postMessage({ type: 'responses', responses: responses() } satisfies FromWorker);
        break;
      case 'idle':
        void idle().then(() => port.postMessage({ type: 'idle' } satisfies FromWorker));
        break;
      case 'stop':
        void stop().then(() => port.postMessage({ type: 'stopped' } satisfies FromWorker));
        break;
    }
  });
}

if (!isMainThread && (workerData as Partial<WorkerInput> | undefined)?.slackBench) {
  await serveInWorker(workerData as WorkerInput);
}
