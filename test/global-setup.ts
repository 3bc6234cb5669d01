import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { syncKnowledge } from '../src/knowledge/sync.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A store file with knowledge/ loaded, built once per run; tests copy it (see seededStore in helpers.ts). */
    seededStore: string;
  }
}

/**
 * Loads knowledge/ into a real SQLite file once for the whole run. Most tests need a store that
 * already holds the shipped knowledge; copying this file costs milliseconds, loading it again
 * costs each test (and each CLI process on a fresh store) about a second of CPU.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-seed-'));
  const path = join(dir, 'seeded.db');
  const store = new FactStore(openDatabase(path));
  try {
    const result = await syncKnowledge(store, join(import.meta.dirname, '..', 'knowledge'), () => new Date());
    if (result.status !== 'loaded') throw new Error(`the seeded store could not load knowledge/: ${JSON.stringify(result)}`);
  } finally {
    // Closing checkpoints the write-ahead log into the file, so that a plain copy is complete.
    store.db.close();
  }
  project.provide('seededStore', path);
  return () => rmSync(dir, { recursive: true, force: true });
}
