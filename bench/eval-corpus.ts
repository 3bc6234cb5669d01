import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { createAnswerEngine } from '../src/answer/engine.js';
import type { Reply } from '../src/answer/reply.js';
import { packageRoot } from '../src/base/paths.js';
import { createBot } from '../src/chat/bot.js';
import { readFeed } from '../src/ingest/read.js';
import { formatImportProblem } from '../src/ingest/types.js';
import { writeImport } from '../src/ingest/write.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';

/** One labelled question of eval/questions (see eval/README.md). */
const Expect = z.union([z.string(), z.array(z.string()).min(1)]);
export const CaseSchema = z.object({
  id: z.string(),
  q: z.string(),
  aspect: z.string(),
  entities: z.array(z.string()),
  must_say: z.array(Expect).default([]),
  must_not_say: z.array(Expect).default([]),
  context: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type Case = z.infer<typeof CaseSchema>;

export const EVAL_DIR = join(packageRoot(), 'eval', 'questions');
/** The held-out batches: never tuned on, never edited (heldout.lock holds their SHA-256). */
export const HELD_OUT = ['heldout-1.yaml'];
/** The second held-out batch, frozen on 2026-12-02; reported by `npm run eval`, not part of the CI floor. */
export const HELD_OUT_2 = ['heldout-2.yaml'];
export const TUNING = ['tune.yaml', 'tune-2.yaml'];
/** ATT&CK and KEV questions: asked with the feeds below imported into the store. */
export const HELD_OUT_ATTACK = ['heldout-attack.yaml'];
export const TUNING_ATTACK = ['tune-attack.yaml'];
export const ATTACK_FEEDS = [
  join(packageRoot(), 'feeds', 'mitre-attack', 'enterprise-attack-18.1.json.gz'),
  join(packageRoot(), 'feeds', 'cisa-kev', 'known_exploited_vulnerabilities.json.gz'),
];

export function loadCases(files: readonly string[]): (Case & { file: string })[] {
  return files.flatMap((file) =>
    z
      .array(CaseSchema)
      .parse(parse(readFileSync(join(EVAL_DIR, file), 'utf8'), { maxAliasCount: -1 }))
      .map((c) => ({ ...c, file })),
  );
}

/** Answer text as the corpus matches it: whitespace collapsed, typographic quotes straightened. */
export function matchable(text: string): string {
  return text
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[ \t]+/g, ' ');
}

/** The answer without its list of sources: a source's title is not something the bot says. */
export function withoutSources(text: string): string {
  const i = text.lastIndexOf('\nSources:\n');
  return i < 0 ? text : text.slice(0, i);
}

function holds(text: string, expect: string | readonly string[]): boolean {
  const options = typeof expect === 'string' ? [expect] : expect;
  return options.some((o) =>
    o.startsWith('re:') ? new RegExp(o.slice(3), 'im').test(text) : text.toLowerCase().includes(o.toLowerCase()),
  );
}

export interface CaseResult {
  case: Case & { file: string };
  reply: Reply;
  right: boolean;
  /** A must-not-say item the answer holds. */
  hallucinated: string[];
  missing: string[];
  entityRight: boolean;
  aspectRight: boolean;
  ms: number;
}

export interface EvalRun {
  results: CaseResult[];
  close(): void;
}

/**
 * Asks every case of the corpus, each in a conversation of its own (its `context` questions
 * first), of a bot over a fresh store with the default knowledge, at clearance CLEAR.
 */
export async function runCorpus(
  files: readonly string[],
  knowledgeDir = join(packageRoot(), 'knowledge'),
  feeds: readonly string[] = [],
): Promise<EvalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-eval-'));
  const store = new FactStore(openDatabase(join(dir, 'store.db')));
  const engine = createAnswerEngine({ store, knowledgeDir, reloadIntervalMs: Number.POSITIVE_INFINITY });
  const problems = await engine.refresh();
  if (problems.length > 0) throw new Error(`the knowledge has ${problems.length} problem(s); run threatbrief check`);
  for (const feed of feeds) {
    const parsed = readFeed([feed]);
    if (!parsed.ok) throw new Error(parsed.problems.map(formatImportProblem).join('\n'));
    writeImport(store, parsed.feed, new Date());
  }
  const bot = createBot({ engine, store });
  const results: CaseResult[] = [];
  for (const c of loadCases(files)) {
    const ask = (text: string) => bot.handle({ platform: 'eval', conversation: c.id, user: 'analyst', text });
    for (const earlier of c.context ?? []) await ask(earlier);
    const started = performance.now();
    const reply = await ask(c.q);
    const ms = performance.now() - started;
    const text = matchable(withoutSources(reply.text));
    const missing = c.must_say.filter((m) => !holds(text, m)).map(String);
    const hallucinated = c.must_not_say.filter((m) => holds(text, m)).map(String);
    const ids = reply.entities.map((e) => e.id);
    const entityRight = c.entities.length === 0 ? ids.length === 0 : ids.includes(c.entities[0]!);
    results.push({
      case: c,
      reply,
      right: missing.length === 0 && hallucinated.length === 0,
      hallucinated,
      missing,
      entityRight,
      aspectRight: reply.aspect === c.aspect,
      ms,
    });
  }
  return {
    results,
    close() {
      store.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Summary {
  cases: number;
  right: number;
  accuracy: number;
  entityAccuracy: number;
  aspectAccuracy: number;
  hallucinations: number;
  perAspect: Record<string, { cases: number; right: number }>;
}

export function summarise(results: readonly CaseResult[]): Summary {
  const perAspect: Summary['perAspect'] = {};
  for (const r of results) {
    perAspect[r.case.aspect] ??= { cases: 0, right: 0 };
    const a = perAspect[r.case.aspect]!;
    a.cases++;
    if (r.right) a.right++;
  }
  const n = results.length || 1;
  return {
    cases: results.length,
    right: results.filter((r) => r.right).length,
    accuracy: results.filter((r) => r.right).length / n,
    entityAccuracy: results.filter((r) => r.entityRight).length / n,
    aspectAccuracy: results.filter((r) => r.aspectRight).length / n,
    hallucinations: results.filter((r) => r.hallucinated.length > 0).length,
    perAspect,
  };
}
