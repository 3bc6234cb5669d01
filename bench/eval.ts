/**
 * npm run eval — asks every question of the labelled corpus (eval/questions) and prints how
 * many were answered right, per aspect and over all, for the tuning split and the held-out
 * split separately; plus entity and aspect accuracy and hallucinations (a must-not-say item in
 * an answer). Exits 1 when the held-out split is below the CI floor (bench/eval-floor.ts).
 *
 *   --split tune|heldout|all   which split (default all)
 *   --failures                 print every wrong answer of the tuning split (never the held-out's)
 */
import { parseArgs } from 'node:util';
import { type CaseResult, HELD_OUT, runCorpus, summarise, TUNING } from './eval-corpus.js';
import { HELD_OUT_FLOOR, HELD_OUT_HALLUCINATIONS } from './eval-floor.js';

/** What the issue asks of the held-out split. */
const AIM = 0.95;

const { values } = parseArgs({ options: { split: { type: 'string', default: 'all' }, failures: { type: 'boolean', default: false } } });
const splits = values.split === 'all' ? ['tune', 'heldout'] : [values.split!];
let failed = false;
for (const split of splits) {
  const run = await runCorpus(split === 'tune' ? TUNING : HELD_OUT);
  const s = summarise(run.results);
  print(split, s);
  if (split === 'tune' && values.failures) for (const r of run.results.filter((x) => !x.right)) printFailure(r);
  if (split === 'heldout' && (s.accuracy < HELD_OUT_FLOOR || s.hallucinations > HELD_OUT_HALLUCINATIONS)) failed = true;
  run.close();
}
process.exitCode = failed ? 1 : 0;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function print(split: string, s: ReturnType<typeof summarise>): void {
  console.log(
    `\n${split === 'tune' ? 'Tuning split' : 'Held-out split'}: ${s.right}/${s.cases} right (${pct(s.accuracy)}), hallucinations ${s.hallucinations}`,
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
