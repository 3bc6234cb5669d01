import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../src/answer/engine.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { CLI, KNOWLEDGE, openTestBot, tempDir } from './helpers.js';

function run(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const advisory = (i: number) => ({
  id: `backup-${i}`,
  title: `Backup test advisory ${i}`,
  publisher: 'CISA',
  published: '2025-01-06',
  summary: 'Written while the backup runs.',
  entities: [],
  severity: 'high',
  sources: [],
});

describe('threatbrief backup', () => {
  it('copies a live store that is being written to, and the copy opens and answers', async () => {
    const live = openTestBot();
    await live.engine.refresh();
    live.store.addAdvisory(advisory(0), 'test', new Date()); // sits in the WAL, not yet checkpointed
    expect(existsSync(`${live.dbPath}-wal`)).toBe(true);
    // The service keeps writing while the backup runs.
    let written = 1;
    const writer = setInterval(() => live.store.addAdvisory(advisory(written++), 'test', new Date()), 2);
    const copyPath = join(tempDir(), 'copy.db');
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run(['backup', copyPath], { DATABASE_PATH: live.dbPath, KNOWLEDGE_DIR: KNOWLEDGE });
    } finally {
      clearInterval(writer);
    }
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/size \d+ bytes/);
    expect(r.stdout).toContain('integrity_check: ok');
    // One self-contained file: no WAL beside it.
    expect(existsSync(`${copyPath}-wal`)).toBe(false);

    const copy = new FactStore(openDatabase(copyPath));
    try {
      expect(copy.knowledgeVersion()).toBe(live.store.knowledgeVersion());
      const ids = copy.db.prepare("SELECT id FROM advisories WHERE id LIKE 'backup-%'").pluck().all() as string[];
      expect(ids).toContain('backup-0');
      expect(ids.length).toBeLessThanOrEqual(written);
      expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const engine = createAnswerEngine({ store: copy, knowledgeDir: KNOWLEDGE, reloadIntervalMs: 60_000 });
      expect((await engine.answer('is Integrity Tech sanctioned?')).text).toMatch(/Yes — Integrity Technology Group/);
    } finally {
      copy.db.close();
    }
  });

  it('refuses to overwrite a file without --force, to copy onto the store itself, or to back up no store', () => {
    const live = openTestBot();
    const existing = join(tempDir(), 'existing.db');
    writeFileSync(existing, 'not a database');
    const env = { ...process.env, DATABASE_PATH: live.dbPath };
    let r = spawnSync(process.execPath, [CLI, 'backup', existing], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('pass --force');
    r = spawnSync(process.execPath, [CLI, 'backup', '--force', existing], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('integrity_check: ok');
    r = spawnSync(process.execPath, [CLI, 'backup', '--force', live.dbPath], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is the store itself');
    r = spawnSync(process.execPath, [CLI, 'backup', join(tempDir(), 'x.db')], {
      env: { ...env, DATABASE_PATH: join(tempDir(), 'missing.db') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no store to back up');
    r = spawnSync(process.execPath, [CLI, 'backup'], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: threatbrief backup');
  });
});
