/**
 * Feed figures: time and peak memory of each import (the full-size files in feeds/, a STIX 2.1
 * re-encoding of the ATT&CK bundle, a generated 12,000-row SDN), of a sync from a local server
 * and of a sync where nothing changed (every file answers 304), and the first start on an empty
 * store (building it from the snapshot, target ≤ 15 s) against a later start (target < 1 s).
 * Each task runs in a process of its own (bench/feed-task.ts) so that its peak memory is its own.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { packageRoot } from '../src/base/paths.js';
import { startFeedServer } from '../test/doubles/feed-server.js';
import { syntheticSdn } from './import.js';

const ROOT = packageRoot();
const FEEDS = join(ROOT, 'feeds');
const TASK = join(ROOT, 'dist', 'bench', 'feed-task.js');
const CLI = join(ROOT, 'dist', 'bundle', 'threatbrief.js');
const SDN_ROWS = 12_000;

interface Measured {
  ms: number;
  peakMiB: number;
  detail: string;
}

function spawnJson(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ wallMs: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve({ wallMs: performance.now() - t0, out, err }) : reject(new Error(`${args.join(' ')}: ${err}`)),
    );
  });
}

async function task(...args: string[]): Promise<Measured> {
  const { out } = await spawnJson([TASK, ...args]);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

const line = (what: string, m: Measured) =>
  console.log(`${what}: ${(m.ms / 1000).toFixed(2)} s, peak ${m.peakMiB.toFixed(0)} MiB (${m.detail})`);

/** The ATT&CK bundle as attack-stix-data publishes it: STIX 2.1, spec_version on every object. */
function stix21(bundleGz: string): Buffer {
  const bundle = JSON.parse(gunzipSync(readFileSync(bundleGz)).toString('utf8')) as {
    spec_version?: string;
    objects: Record<string, unknown>[];
  };
  delete bundle.spec_version;
  for (const o of bundle.objects) o.spec_version = '2.1';
  return Buffer.from(JSON.stringify(bundle));
}

export async function benchFeeds(dir: string): Promise<void> {
  const attack = join(FEEDS, 'mitre-attack', 'enterprise-attack-18.1.json.gz');
  const attack21 = join(dir, 'enterprise-attack-2.1.json.gz');
  writeFileSync(attack21, gzipSync(stix21(attack)));
  const sdn = join(dir, 'sdn-2026-06-01.csv');
  writeFileSync(sdn, syntheticSdn(SDN_ROWS).text, 'latin1');
  const imports: [string, string][] = [
    ['ATT&CK Enterprise v18.1, STIX 2.0 (28.8 MB)', attack],
    ['ATT&CK Enterprise v18.1, STIX 2.1 re-encoding', attack21],
    ['MISP galaxy threat actors (1,041)', join(FEEDS, 'misp-galaxy', 'threat-actor.json.gz')],
    ['CISA KEV (1,404 entries)', join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz')],
    ["Microsoft's naming table (166 rows)", join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')],
    [`OFAC SDN, generated ${SDN_ROWS.toLocaleString('en')} rows`, sdn],
  ];
  for (const [i, [what, file]] of imports.entries())
    line(`import ${what}, empty store`, await task('import', join(dir, `feed-import-${i}.db`), file));

  const server = await startFeedServer();
  try {
    server.serve('/attack.json', { kind: 'file', body: stix21(attack) });
    server.serve('/kev.json', {
      kind: 'file',
      body: gunzipSync(readFileSync(join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz'))),
    });
    server.serve('/misp.json', { kind: 'file', body: gunzipSync(readFileSync(join(FEEDS, 'misp-galaxy', 'threat-actor.json.gz'))) });
    server.serve('/mstic.json', { kind: 'file', body: readFileSync(join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')) });
    server.serve('/ofac/SDN.CSV', { kind: 'file', body: readFileSync(sdn), lastModified: 'Mon, 01 Jun 2026 12:00:00 GMT' });
    const overrides = JSON.stringify({
      attack: `${server.url}/attack.json`,
      kev: `${server.url}/kev.json`,
      misp: `${server.url}/misp.json`,
      mstic: `${server.url}/mstic.json`,
      ofac: `${server.url}/ofac/`,
    });
    const db = join(dir, 'feed-sync.db');
    line('feeds sync, every source from a local server, empty store', await task('sync', db, overrides));
    line('feeds sync, nothing changed (every file answers 304)', await task('sync', db, overrides));
  } finally {
    await server.close();
  }

  line('snapshot build alone (in-process, no CLI start-up)', await task('snapshot', join(dir, 'feed-snapshot.db')));
  const env = { ...process.env, DATABASE_PATH: join(dir, 'first-start.db'), FEEDS_SNAPSHOT: 'on' };
  const load = loadavg()[0]!.toFixed(1);
  const first = await spawnJson([CLI, 'ask', 'who is APT29?'], env);
  console.log(
    `first start, threatbrief ask on an empty store (builds it from the snapshot): ${(first.wallMs / 1000).toFixed(2)} s wall (target ≤ 15 s; load average ${load} when it started)`,
  );
  const later = await spawnJson([CLI, 'ask', 'who is APT29?'], env);
  console.log(`later start, threatbrief ask on that store: ${later.wallMs.toFixed(0)} ms wall (target < 1 s)`);
}
