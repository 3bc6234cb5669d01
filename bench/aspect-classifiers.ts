/**
 * Compares aspect classifiers on the corpus's aspect labels: each is trained on the phrasings
 * (src/understand/aspect-phrasings.ts) and scored on the tuning and held-out questions, with
 * names masked by the bot's own name finding. Prints accuracy and per-question latency.
 */
import { join } from 'node:path';
import { createKnowledgeView } from '../src/access/knowledge-view.js';
import { packageRoot } from '../src/base/paths.js';
import { syncKnowledge } from '../src/knowledge/sync.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { aspectExamples } from '../src/understand/aspect-model.js';
import type { Aspect } from '../src/understand/aspect-phrasings.js';
import { type TextClassifier, trainBayes, trainEnsemble, trainLogistic, trainNearest } from '../src/understand/classifier.js';
import { maskedWords } from '../src/understand/masking.js';
import { findNames } from '../src/understand/mentions.js';
import { Resolver } from '../src/understand/resolve.js';
import { tokenize } from '../src/understand/tokens.js';
import { HELD_OUT, loadCases, TUNING } from './eval-corpus.js';

export interface Candidate {
  name: string;
  train(
    examples: ReturnType<typeof aspectExamples>,
  ): Promise<(words: string[]) => Promise<string>> | ((words: string[]) => Promise<string>);
}

const ours = (name: string, make: (e: ReturnType<typeof aspectExamples>) => TextClassifier<Aspect>): Candidate => ({
  name,
  train: (examples) => {
    const c = make(examples);
    return async (words) => c.classify(words).label;
  },
});

/** NLP.js (its neural intent classifier, English stemmer), trained on the same phrasings. */
const nlpjs: Candidate = {
  name: 'NLP.js 4 (neural)',
  async train(examples) {
    const { containerBootstrap } = await import('@nlpjs/core');
    const { Nlp } = await import('@nlpjs/nlp');
    const { LangEn } = await import('@nlpjs/lang-en-min');
    const container = await containerBootstrap();
    container.use(Nlp);
    container.use(LangEn);
    const nlp = container.get('nlp') as {
      settings: Record<string, unknown>;
      addLanguage(l: string): void;
      addDocument(l: string, text: string, intent: string): void;
      train(): Promise<void>;
      process(l: string, text: string): Promise<{ intent: string }>;
    };
    nlp.settings.autoSave = false;
    nlp.settings.nlu = { log: false };
    // The neural network logs every epoch unless its NLU configuration says otherwise.
    (container as { registerConfiguration(tag: string, c: object, override: boolean): void }).registerConfiguration(
      'nlu-??',
      {
        keepStopwords: true,
        nonefeatureValue: 1,
        nonedeltaMultiplier: 1.2,
        spellCheck: false,
        spellCheckDistance: 1,
        filterZeros: true,
        log: false,
      },
      true,
    );
    nlp.addLanguage('en');
    for (const e of examples) nlp.addDocument('en', e.words.join(' '), e.label);
    await nlp.train();
    return async (words) => (await nlp.process('en', words.join(' '))).intent;
  },
};

export const CANDIDATES: Candidate[] = [
  ours('naive Bayes (ours)', trainBayes),
  ours('nearest neighbours (ours)', trainNearest),
  ours('logistic regression (ours)', trainLogistic),
  ours('nearest + logistic (ours, used)', trainEnsemble),
  nlpjs,
];

export async function compareClassifiers(candidates: readonly Candidate[] = CANDIDATES): Promise<void> {
  const store = new FactStore(openDatabase(':memory:'));
  await syncKnowledge(store, join(packageRoot(), 'knowledge'), () => new Date());
  const view = createKnowledgeView(store, 'CLEAR');
  const resolver = new Resolver(view.names());
  const masked = (q: string) => {
    const tokens = tokenize(q.replace(/\bhttps?:\/\/\S+/g, ' '));
    return maskedWords(tokens, findNames(q, tokens, view.names(), resolver).mentions);
  };
  const splits = { tune: loadCases(TUNING), heldout: loadCases(HELD_OUT) };
  for (const candidate of candidates) {
    const started = performance.now();
    const classify = await candidate.train(aspectExamples());
    const trainMs = performance.now() - started;
    const row: string[] = [];
    for (const [split, cases] of Object.entries(splits)) {
      let right = 0;
      const times: number[] = [];
      for (const c of cases) {
        const words = masked(c.q);
        const t = performance.now();
        const label = await classify(words);
        times.push(performance.now() - t);
        if (label === c.aspect) right++;
      }
      times.sort((a, b) => a - b);
      row.push(
        `${split} ${((right / cases.length) * 100).toFixed(1)} % (${right}/${cases.length}), p50 ${times[Math.floor(times.length / 2)]!.toFixed(3)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(3)} ms`,
      );
    }
    console.log(`${candidate.name.padEnd(28)} train ${trainMs.toFixed(0)} ms; ${row.join('; ')}`);
  }
  store.db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await compareClassifiers();
