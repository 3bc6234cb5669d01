import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, KNOWLEDGE, seededStore, tempDir } from './helpers.js';

/** Runs the CLI on a store that already holds knowledge/ (the first run on an empty store is tested once, below). */
function run(args: string[], input?: string, databasePath = seededStore()) {
  const env = { ...process.env, DATABASE_PATH: databasePath, KNOWLEDGE_DIR: KNOWLEDGE };
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, ...(input !== undefined ? { input } : {}) });
}

describe('the threatbrief command', () => {
  it('prints help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('threatbrief ask [--json] [--explain] [--clearance <tlp>] [--conversation <id>] "<question>"');
  });

  it('answers "is Integrity Tech sanctioned?" with yes, OFAC, the date and a citation, on a first run that loads the knowledge', () => {
    const r = run(['ask', 'is Integrity Tech sanctioned?'], undefined, join(tempDir(), 'first-run.db'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Yes — Integrity Technology Group/);
    expect(r.stdout).toContain('OFAC');
    expect(r.stdout).toContain('3 January 2025');
    expect(r.stdout).toMatch(/\[1\] .*Treasury/);
  });

  it('prints exactly one JSON object with --json, for any question', () => {
    const store = seededStore();
    for (const q of ['who is Flax Typhoon?', 'gibberish qwxz', "' OR 1=1; --", '']) {
      const r = run(['ask', '--json', q], undefined, store);
      expect(r.status, q).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const obj = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(typeof obj.intent).toBe('string');
      expect(typeof obj.text).toBe('string');
      expect(Array.isArray(obj.citations)).toBe(true);
      expect(Array.isArray(obj.entities)).toBe(true);
    }
  });

  it('carries citations and entities in JSON', () => {
    const obj = JSON.parse(run(['ask', '--json', 'who is Flax Typhoon?']).stdout) as {
      intent: string;
      citations: { title: string; publisher: string }[];
      entities: { id: string; name: string; type: string }[];
    };
    expect(obj.intent).toBe('profile');
    expect(obj.entities[0]).toEqual({ id: 'flax-typhoon', name: 'Flax Typhoon', type: 'threat-actor' });
    expect(obj.citations.length).toBeGreaterThan(0);
    for (const c of obj.citations) expect(c.title && c.publisher).toBeTruthy();
  });

  it('chats in the terminal, including picking a numbered choice', () => {
    const r = run(['chat'], 'who is typhoon?\n1\nquit\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Which one do you mean');
    expect(r.stdout).toMatch(/Type a number to choose: 1\) /);
    expect(r.stdout).toMatch(/Sources:/);
  });

  it('names a malformed setting', () => {
    const r = spawnSync(process.execPath, [CLI, 'ask', 'x'], { encoding: 'utf8', env: { ...process.env, MATCH_THRESHOLD: 'high' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/MATCH_THRESHOLD: /);
  });
});

describe('threatbrief ask --clearance', () => {
  it('refuses an unknown level and answers at the one given', () => {
    const bad = run(['ask', '--clearance', 'purple', 'latest']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--clearance must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED');
    expect(run(['ask', '--clearance', 'amber', 'latest']).status).toBe(0);
  });
});
