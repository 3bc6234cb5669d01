import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from './doubles/feed-server.js';
import { CLI, MINI_KNOWLEDGE, ROOT, tempDir } from './helpers.js';

/** Runs the CLI without blocking the loop the local feed server answers on. */
function run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let server: FeedServer;
beforeEach(async () => {
  server = await startFeedServer();
  server.serve('/kev.json', { kind: 'file', body: readFileSync(join(ROOT, 'feeds', 'cisa-kev', 'kev_subset_prc_typhoon_cves.json')) });
});
afterEach(() => server.close());

describe('threatbrief feeds', () => {
  it('syncs a source from the address given with --url, then lists it with its provenance and warns of the others', async () => {
    const env = { ...process.env, DATABASE_PATH: join(tempDir(), 'feeds.db'), KNOWLEDGE_DIR: MINI_KNOWLEDGE };
    const sync = await run(env, 'feeds', 'sync', '--only', 'kev', '--url', `kev=${server.url}/kev.json`);
    expect(sync.stderr).toBe('');
    expect(sync.stdout).toBe('kev: imported: added 12, updated 0, removed 0 (first load: a baseline, not sent in digests)\n');
    expect(sync.status).toBe(0);
    const again = await run(env, 'feeds', 'sync', '--only', 'kev', '--url', `kev=${server.url}/kev.json`);
    expect(again.stdout).toBe('kev: not-modified: not modified since the last sync (HTTP 304); nothing changed\n');

    const list = await run(env, 'feeds', 'list', '--json');
    const kev = (JSON.parse(list.stdout) as { name: string; stale: boolean; licence: string; lastSuccess?: { outcome: string } }[]).find(
      (s) => s.name === 'kev',
    );
    expect(kev).toMatchObject({ stale: false, licence: 'CC0 1.0', lastSuccess: { outcome: 'not-modified' } });
    const text = await run(env, 'feeds', 'list');
    expect(text.stdout).toContain('ofac  OFAC SDN list');
    expect(text.stdout).toContain('warning: stale — never synced');
  }, 60_000);

  it('names what is wrong with its arguments, and refuses plain HTTP to anything but loopback', async () => {
    const env = { ...process.env, DATABASE_PATH: join(tempDir(), 'feeds.db'), KNOWLEDGE_DIR: MINI_KNOWLEDGE };
    expect(await run(env, 'feeds', 'sync', '--only', 'nvd')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--only nvd: not a source'),
    });
    expect(await run(env, 'feeds', 'sync', '--url', 'ofac.sdnx=https://x.example/')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('ofac has no file "sdnx"'),
    });
    const http = await run(env, 'feeds', 'sync', '--only', 'kev', '--url', 'kev=http://feeds.example.org/kev.json');
    expect(http).toMatchObject({ status: 1, stderr: expect.stringContaining('plain HTTP is refused') });
  }, 60_000);
});
