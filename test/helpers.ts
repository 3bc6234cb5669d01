import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { type AnswerEngine, createAnswerEngine } from '../src/answer/engine.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';

export const ROOT = join(import.meta.dirname, '..');
export const KNOWLEDGE = join(ROOT, 'knowledge');
export const MINI_KNOWLEDGE = join(ROOT, 'test', 'fixtures', 'mini-knowledge');
export const CLI = join(ROOT, 'dist', 'bundle', 'threatbrief.js');

const testCleanups: (() => void)[] = [];
const fileCleanups: (() => void)[] = [];
afterEach(() => {
  inTest = false;
  while (testCleanups.length) testCleanups.pop()!();
});
afterAll(() => {
  while (fileCleanups.length) fileCleanups.pop()!();
});

/**
 * Things made inside a test are undone after it; things made in beforeAll, after the file.
 * (expect's current test name is still the last test's inside a later describe's beforeAll, so
 * whether a test is running is tracked here.)
 */
let inTest = false;
beforeEach(() => {
  inTest = true;
});
const cleanups = {
  push(fn: () => void): void {
    (inTest ? testCleanups : fileCleanups).push(fn);
  },
};

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A writable copy of a knowledge folder, for tests that break or change files. */
export function copyKnowledge(from = MINI_KNOWLEDGE): string {
  const dir = join(tempDir(), 'knowledge');
  cpSync(from, dir, { recursive: true });
  return dir;
}

export interface TestBot {
  store: FactStore;
  engine: AnswerEngine;
  dbPath: string;
}

/** A store in a real SQLite file and an answer engine over `knowledgeDir`. */
export function openTestBot(knowledgeDir = KNOWLEDGE, dbPath = join(tempDir(), 'store.db')): TestBot {
  const store = new FactStore(openDatabase(dbPath));
  cleanups.push(() => store.db.close());
  // Errors inside an answer become a reply with a reference; the test's output shows their cause.
  const logger = { warn: () => undefined, error: (obj: { err?: unknown }, msg: string) => console.error(msg, obj.err) };
  const engine = createAnswerEngine({ store, knowledgeDir, reloadIntervalMs: 0, logger });
  return { store, engine, dbPath };
}

/** A digest of every row in the store, to prove that something changed nothing. */
export function storeSnapshot(store: FactStore): string {
  const tables = store.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fact_text%' ORDER BY name")
    .pluck()
    .all() as string[];
  return JSON.stringify(tables.map((t) => [t, store.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}
