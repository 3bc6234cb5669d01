/**
 * npm run bench — prints figures against their targets (see README); it asserts nothing.
 * In-process answers to every question of the corpus p99 ≤ 5 ms; one `threatbrief ask` process
 * ≤ 250 ms wall; Slack ack p99 < 300 ms, none dropped, while a 40,000-entry KEV import writes the
 * same store; each feed import's time and peak memory, a no-change sync, and the first start on an
 * empty store (built from the shipped snapshot, ≤ 15 s) against later starts (< 1 s); digest
 * throughput, and answers per second over HTTP of 1 and 3 `serve` replicas on PostgreSQL beside one on SQLite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerEngine } from '../src/answer/engine.js';
import { packageRoot } from '../src/base/paths.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { benchAttackAnswers } from './attack.js';
import { runDigestBench } from './digest.js';
import { HELD_OUT, loadCases, TUNING } from './eval-corpus.js';
import { benchFeeds } from './feeds.js';
import { benchImports, benchResolution } from './import.js';
import { runImportLoadBench } from './import-load.js';
import { runReplicaAnswersBench } from './replica-answers.js';
import { benchScreening } from './screening.js';
import { runSlackBench } from './slack.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(3)} ms, p99 ${percentile(s, 99).toFixed(3)} ms, max ${s[s.length - 1]!.toFixed(3)} ms (n=${s.length})`;
}

async function inProcess(dir: string): Promise<void> {
  const store = new FactStore(openDatabase(join(dir, 'bench.db')));
  const engine = createAnswerEngine({ store, knowledgeDir: join(packageRoot(), 'knowledge') });
  await engine.refresh();
  const questions = loadCases([...TUNING, ...HELD_OUT]).map((c) => c.q);
  const rounds = 5;
  for (const q of questions) await engine.answer(q); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint();
      await engine.answer(q);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  console.log(
    `answer, in process, default knowledge, the corpus's ${questions.length} questions × ${rounds} rounds: ${summary(times)} (target p99 ≤ 5 ms)`,
  );
  store.db.close();
}

function cliWall(dir: string): void {
  const cli = join(packageRoot(), 'dist', 'bundle', 'threatbrief.js');
  const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.db'), FEEDS_SNAPSHOT: 'off' };
  const once = () => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cli, ['ask', 'is Integrity Tech sanctioned?'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`threatbrief ask failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const first = once();
  const runs = Array.from({ length: 15 }, once);
  console.log(`threatbrief ask (installed bin), first run with knowledge load: ${first.toFixed(0)} ms`);
  console.log(`threatbrief ask (installed bin), warm store: ${summary(runs)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'threatbrief-bench-'));
try {
  await inProcess(dir);
  await benchAttackAnswers(dir);
  cliWall(dir);
  await runSlackBench();
  await runImportLoadBench();
  await runDigestBench(dir);
  await runReplicaAnswersBench(dir);
  await benchImports(dir);
  await benchResolution(dir);
  await benchFeeds(dir);
  await benchScreening(mkdtempSync(join(dir, 'screening-')));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
