import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_DIR, type EvalRun, HELD_OUT, runCorpus, summarise, TUNING, withoutSources } from '../bench/eval-corpus.js';
import { HELD_OUT_FLOOR, HELD_OUT_HALLUCINATIONS } from '../bench/eval-floor.js';

let run: EvalRun;
let heldOut: EvalRun;
beforeAll(async () => {
  run = await runCorpus(TUNING);
  heldOut = await runCorpus(HELD_OUT);
}, 120_000);
afterAll(() => {
  run?.close();
  heldOut?.close();
});

describe('the question corpus', () => {
  it('keeps every held-out batch exactly as it was frozen', () => {
    const lines = readFileSync(join(EVAL_DIR, 'heldout.lock'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const [hash, file] = line.trim().split(/\s+/);
      const text = readFileSync(join(EVAL_DIR, file!));
      expect(createHash('sha256').update(text).digest('hex'), file).toBe(hash);
    }
  });

  it('answers the held-out split at or above the floor, with no more hallucinations than recorded', () => {
    const s = summarise(heldOut.results);
    expect(s.cases).toBeGreaterThanOrEqual(160);
    expect(s.accuracy).toBeGreaterThanOrEqual(HELD_OUT_FLOOR);
    expect(s.hallucinations).toBeLessThanOrEqual(HELD_OUT_HALLUCINATIONS);
  });
});

/** Internal words that must never reach a person reading an answer. */
const INTERNAL = /\bscore\b|threshold|\.ya?ml\b|seed article|headline not captured|knowledge version|\bundefined\b|\bNaN\b|\[object/i;

describe('answers are short and clean (every question of the corpus)', () => {
  const all = () => [...run.results, ...heldOut.results];

  it('starts with the direct answer, in one line of at most about 300 characters', () => {
    for (const r of all()) {
      const first = r.reply.text.split('\n')[0]!;
      expect(first.replace(/( \[\d+\])+$/, '').length, `${r.case.id}: ${first}`).toBeLessThanOrEqual(320);
    }
  });

  it('never repeats a sentence, and shows at most two citation markers per sentence, numbered in order of use', () => {
    for (const r of all()) {
      const body = withoutSources(r.reply.text);
      const lines = body.split('\n').filter((l) => l.trim());
      const sentences = lines.map((l) => l.replace(/^• /, '').replace(/( \[\d+\])+$/, ''));
      expect(new Set(sentences).size, r.case.id).toBe(sentences.length);
      for (const l of lines) expect((l.match(/\[\d+\]/g) ?? []).length, `${r.case.id}: ${l}`).toBeLessThanOrEqual(2);
      const order = [...body.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      const firstUse = order.filter((n, i) => order.indexOf(n) === i);
      expect(firstUse, r.case.id).toEqual(firstUse.map((_n, i) => i + 1));
    }
  });

  it('shows no internal labels, scores or file names', () => {
    for (const r of all()) expect(r.reply.text, r.case.id).not.toMatch(INTERNAL);
  });

  it('keeps every supporting list to a few lines (the list of commands aside)', () => {
    for (const r of all().filter((x) => x.reply.intent !== 'help')) {
      const bullets = r.reply.card.elements.flatMap((el) => (el.kind === 'section' ? el.lines : []));
      expect(bullets.length, r.case.id).toBeLessThanOrEqual(6);
    }
  });
});
