import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadKnowledge } from '../src/knowledge/load.js';
import type { KnowledgeLoader } from '../src/knowledge/load-off-thread.js';
import { copyKnowledge, openTestBot, ROOT } from './helpers.js';

const QUESTION = 'who is Example Panda?';
const OLD = 'Example Panda is a fictional actor used in tests.';
const NEW = 'Example Panda is a fictional actor, revised.';

function revise(dir: string): void {
  const file = join(dir, 'entities', 'example-panda.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('a fictional actor used in tests', 'a fictional actor, revised'));
}

describe('changed knowledge files', () => {
  it('are loaded off the question in hand: it gets the last good knowledge, the next ones the new', async () => {
    const dir = copyKnowledge();
    const { engine } = openTestBot(dir);
    expect((await engine.answer(QUESTION)).text).toContain(OLD);
    revise(dir);
    const during = await engine.answer(QUESTION);
    expect(during.text).toContain(OLD);
    await engine.refresh(); // waits for the reload under way
    expect((await engine.answer(QUESTION)).text).toContain(NEW);
  });

  it('swap in whole: every answer while a slow reload runs is from the old knowledge, none half-loaded', async () => {
    const dir = copyKnowledge();
    let release: () => void = () => undefined;
    const slow: KnowledgeLoader = async (d) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return loadKnowledge(d);
    };
    const { engine, store } = openTestBot(dir);
    await engine.refresh(); // the first load (the slow loader is not in use yet)
    const { createAnswerEngine } = await import('../src/answer/engine.js');
    const slowEngine = createAnswerEngine({ store, knowledgeDir: dir, reloadIntervalMs: 0, loadKnowledge: slow });
    const version = store.knowledgeVersion();
    revise(dir);
    for (let i = 0; i < 3; i++) expect((await slowEngine.answer(QUESTION)).text).toContain(OLD);
    expect(store.knowledgeVersion()).toBe(version);
    release();
    await slowEngine.refresh();
    expect(store.knowledgeVersion()).not.toBe(version);
    expect((await slowEngine.answer(QUESTION)).text).toContain(NEW);
  });
});

describe('the knowledge loader in a thread of its own', () => {
  // A worker thread runs JavaScript: the built loader, as `threatbrief serve` runs it.
  const offThread = async (): Promise<KnowledgeLoader> =>
    (await import(join(ROOT, 'dist', 'src', 'knowledge', 'load-off-thread.js'))).loadKnowledgeOffThread;

  it('reads the same knowledge as the loader in this thread, while this thread goes on', async () => {
    const load = await offThread();
    const dir = copyKnowledge();
    let turns = 0;
    let turning = true;
    const turn = () => {
      turns++;
      if (turning) setImmediate(turn);
    };
    turn();
    const result = await load(dir);
    turning = false;
    const here = loadKnowledge(dir);
    expect(result.ok && here.ok && result.kb.version === here.kb.version).toBe(true);
    // The event loop kept turning while the files were read and checked elsewhere.
    expect(turns).toBeGreaterThan(10);
  });

  it('reports a broken file with its name, as the loader here does', async () => {
    const load = await offThread();
    const dir = copyKnowledge();
    writeFileSync(join(dir, 'sources', 'acme-report.yaml'), 'not: [valid');
    const result = await load(dir);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map(formatProblem).join('\n')).toMatch(/knowledge\/sources\/acme-report\.yaml: line \d+/);
  });
});
