import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type AnswerEngine, createAnswerEngine } from '../src/answer/engine.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';

export const ROOT = join(import.meta.dirname, '..');
export const KNOWLEDGE = join(ROOT, 'knowledge');
export const MINI_KNOWLEDGE = join(ROOT, 'test', 'fixtures', 'mini-knowledge');
export const CLI = join(ROOT, 'dist', 'bundle', 'threatbrief.js');

const testCleanups: (() => void)[] = [];
const fileCleanups: (() => void)[] = [];
/** Whether a test is running (between test/setup.ts's beforeEach and afterEach) or a file's beforeAll/afterAll. */
let inTest = false;

/**
 * The per-file hooks of test/setup.ts, which Vitest runs for every test file. Hooks registered
 * here, at import, would run for the first file of a worker only, as the files of a worker share
 * one copy of this module; and Vitest's own `currentTestName` still names the last test run
 * during a later beforeAll (of the next describe, or of the next file), so it cannot tell the two
 * scopes apart.
 */
export const testScope = {
  enterTest(): void {
    inTest = true;
  },
  /** Undoes what the test made. */
  leaveTest(): void {
    inTest = false;
    while (testCleanups.length) testCleanups.pop()!();
  },
  /** Undoes what the file's beforeAll made. */
  leaveFile(): void {
    while (fileCleanups.length) fileCleanups.pop()!();
  },
};

/** Things made inside a test are undone after it; things made in beforeAll, after the file. */
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

/**
 * A writable store file that already holds knowledge/ (built once per run by test/global-setup.ts),
 * for tests about what a store does with the shipped knowledge rather than about loading it.
 */
export function seededStore(path = join(tempDir(), 'seeded.db')): string {
  copyFileSync(inject('seededStore'), path);
  return path;
}

export interface TestBot {
  store: FactStore;
  engine: AnswerEngine;
  dbPath: string;
}

/**
 * A store in a real SQLite file and an answer engine over `knowledgeDir`. Over knowledge/ and
 * with no file given, the store starts as a copy of the seeded one (knowledge/ already loaded);
 * otherwise it starts empty and the engine loads `knowledgeDir` at its first answer or refresh.
 */
export function openTestBot(
  knowledgeDir = KNOWLEDGE,
  dbPath = knowledgeDir === KNOWLEDGE ? seededStore() : join(tempDir(), 'store.db'),
): TestBot {
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
