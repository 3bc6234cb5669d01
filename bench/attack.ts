/**
 * Answer latency with the whole ATT&CK Enterprise bundle and the KEV catalog loaded: the
 * ATT&CK and KEV questions of the corpus (both splits), in process, after a warm-up; and the
 * time and peak memory of importing the bundle into a fresh store.
 */
import { join } from 'node:path';
import { createAnswerEngine } from '../src/answer/engine.js';
import { packageRoot } from '../src/base/paths.js';
import { readFeed } from '../src/ingest/read.js';
import { writeImport } from '../src/ingest/write.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { ATTACK_FEEDS, HELD_OUT_ATTACK, loadCases, TUNING_ATTACK } from './eval-corpus.js';

const ROUNDS = 5;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchAttackAnswers(dir: string): Promise<void> {
  const store = new FactStore(openDatabase(join(dir, 'attack.db')));
  const engine = createAnswerEngine({ store, knowledgeDir: join(packageRoot(), 'knowledge') });
  await engine.refresh();
  const started = performance.now();
  for (const feed of ATTACK_FEEDS) {
    const parsed = readFeed([feed]);
    if (!parsed.ok) throw new Error(`${feed} did not parse`);
    writeImport(store, parsed.feed, new Date());
  }
  const importMs = performance.now() - started;
  console.log(
    `ATT&CK v18.1 bundle + KEV catalog import into a fresh store: ${(importMs / 1000).toFixed(1)} s, peak RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB (after)`,
  );
  const questions = loadCases([...TUNING_ATTACK, ...HELD_OUT_ATTACK]).map((c) => c.q);
  for (const q of questions) await engine.answer(q); // warm-up
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint();
      await engine.answer(q);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const s = times.sort((a, b) => a - b);
  console.log(
    `answer, in process, full ATT&CK store, ${questions.length} ATT&CK/KEV questions × ${ROUNDS} rounds: p50 ${percentile(s, 50).toFixed(3)} ms, p99 ${percentile(s, 99).toFixed(3)} ms, max ${s.at(-1)!.toFixed(3)} ms (target p99 ≤ 5 ms)`,
  );
  store.db.close();
}
