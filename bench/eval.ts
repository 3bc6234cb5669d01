/**
 * npm run eval — asks every question of the labelled corpus (eval/questions) and prints how
 * many were answered right, per aspect and over all, for the tuning split and the held-out
 * split separately; plus entity and aspect accuracy and hallucinations (a must-not-say item in
 * an answer). Exits 1 when the held-out split is below the CI floor (bench/eval-floor.ts).
 *
 *   --split tune|heldout|heldout-2|tune-attack|heldout-attack|all   which split (default all); the -attack
 *                              splits are asked with the ATT&CK bundle and the KEV catalog imported
 *   --failures                 print every wrong answer of the tuning split (never the held-out's)
 */
import { parseArgs } from 'node:util';
import {
  ATTACK_FEEDS,
  type CaseResult,
  HELD_OUT,
  HELD_OUT_2,
  HELD_OUT_ATTACK,
  runCorpus,
  summarise,
  TUNING,
  TUNING_ATTACK,
} from './eval-corpus.js';
import { HELD_OUT_FLOOR, HELD_OUT_HALLUCINATIONS } from './eval-floor.js';

/** What the issue asks of the held-out split. */
const AIM = 0.95;

const { values } = parseArgs({ options: { split: { type: 'string', default: 'all' }, failures: { type: 'boolean', default: false } } });
const SPLITS: Record<string, { files: string[]; feeds: string[] }> = {
  tune: { files: TUNING, feeds: [] },
  heldout: { files: HELD_OUT, feeds: [] },
  'heldout-2': { files: HELD_OUT_2, feeds: [] },
  'tune-attack': { files: TUNING_ATTACK, feeds: ATTACK_FEEDS },
  'heldout-attack': { files: HELD_OUT_ATTACK, feeds: ATTACK_FEEDS },
};
const splits = values.split === 'all' ? Object.keys(SPLITS) : [values.split!];
let failed = false;
for (const split of splits) {
  const chosen = SPLITS[split];
  if (!chosen) throw new Error(`--split must be one of ${Object.keys(SPLITS).join(', ')}, or all`);
  const run = await runCorpus(chosen.files, undefined, chosen.feeds);
  const s = summarise(run.results);
  print(split, s);
  if (split.startsWith('tune') && values.failures) for (const r of run.results.filter((x) => !x.right)) printFailure(r);
  if (split === 'heldout' && (s.accuracy < HELD_OUT_FLOOR || s.hallucinations > HELD_OUT_HALLUCINATIONS)) failed = true;
  run.close();
}
process.exitCode = failed ? 1 : 0;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function print(split: string, s: ReturnType<typeof summarise>): void {
  console.log(
    `\n${split.startsWith('tune') ? 'Tuning split' : 'Held-out split'} (${split}): ${s.right}/${s.cases} right (${pct(s.accuracy)}), hallucinations ${s.hallucinations}`,
  );
  console.log(`  entity accuracy ${pct(s.entityAccuracy)}, aspect accuracy ${pct(s.aspectAccuracy)}`);
  for (const [aspect, a] of Object.entries(s.perAspect).sort())
    console.log(`  ${aspect.padEnd(12)} ${String(a.right).padStart(3)}/${String(a.cases).padEnd(3)} ${pct(a.right / a.cases)}`);
  if (split === 'heldout') {
    const floor = s.accuracy >= HELD_OUT_FLOOR && s.hallucinations <= HELD_OUT_HALLUCINATIONS;
    console.log(`  CI floor ${pct(HELD_OUT_FLOOR)} with at most ${HELD_OUT_HALLUCINATIONS} hallucinations: ${floor ? 'met' : 'NOT met'}`);
    console.log(`  aim ${pct(AIM)} with no hallucination: ${s.accuracy >= AIM && s.hallucinations === 0 ? 'met' : 'not yet met'}`);
  }
}

function printFailure(r: CaseResult): void {
  console.log(
    `\n✗ ${r.case.id} [${r.case.aspect} → ${r.reply.aspect ?? r.reply.intent}] ${JSON.stringify(r.case.q)}${r.case.context ? ` (after ${JSON.stringify(r.case.context)})` : ''}`,
  );
  if (r.missing.length) console.log(`  missing: ${r.missing.join(' | ')}`);
  if (r.hallucinated.length) console.log(`  must not say: ${r.hallucinated.join(' | ')}`);
  if (!r.entityRight)
    console.log(
      `  entities: expected ${r.case.entities.join(', ') || '(none)'}, got ${r.reply.entities.map((e) => e.id).join(', ') || '(none)'}`,
    );
  console.log(`  ${r.reply.text.split('\n').slice(0, 4).join('\n  ')}`);
}
