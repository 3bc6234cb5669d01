import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCoreConfig } from '../src/app/config.js';
import { openDatabase } from '../src/store/open.js';
import { CLI, tempDir } from './helpers.js';

describe('a store file that cannot be used', () => {
  it('is named, with what is wrong with it, and left as it was when it is not a database', () => {
    const path = join(tempDir(), 'notes.db');
    const bytes = Buffer.from('these are my notes, not a database\n'.repeat(200));
    writeFileSync(path, bytes);
    expect(() => openDatabase(path)).toThrow(`cannot open the store ${path}: it is not a ThreatBrief store`);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('is named when a folder stands where the file should be', () => {
    const path = join(tempDir(), 'store.db');
    mkdirSync(path);
    expect(() => openDatabase(path)).toThrow(`cannot open the store ${path}: the file cannot be opened or created`);
  });

  it('is named by the CLI with the setting that chose it, in one line without a stack', () => {
    const path = join(tempDir(), 'broken.db');
    writeFileSync(path, 'not a database'.repeat(100));
    const r = spawnSync(process.execPath, [CLI, 'ask', 'who is Flax Typhoon?'], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: path },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `threatbrief: cannot open the store ${path}: it is not a ThreatBrief store (not an SQLite database, or damaged); restore it from a backup or point to another file (DATABASE_PATH)`,
    );
  });
});

describe('a bad setting', () => {
  it('is named with what a good value looks like', () => {
    let error: unknown;
    try {
      loadCoreConfig({ MATCH_THRESHOLD: 'high' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'MATCH_THRESHOLD: must be a number from 0.5 to 1 (the score a name match needs to be answered without asking)',
    ]);
  });
});
