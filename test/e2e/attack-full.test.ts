import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACK_FEEDS, type EvalRun, HELD_OUT_ATTACK, runCorpus, summarise } from '../../bench/eval-corpus.js';

/** The whole ATT&CK v18.1 Enterprise bundle and the KEV catalog, imported as the eval does. */
let run: EvalRun;
beforeAll(async () => {
  run = await runCorpus(HELD_OUT_ATTACK, undefined, ATTACK_FEEDS);
}, 300_000);
afterAll(() => run?.close());

describe('the full ATT&CK Enterprise bundle', () => {
  it('answers the frozen ATT&CK and KEV held-out questions mostly right', () => {
    const s = summarise(run.results);
    expect(s.cases).toBeGreaterThanOrEqual(100);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('never answers a question about a group, tool or technique with "no record"', () => {
    const noRecord = run.results.filter((r) => /^I have no record of/.test(r.reply.text) && r.case.entities.length > 0);
    expect(noRecord.map((r) => r.case.id).length).toBeLessThanOrEqual(5);
  });
});
