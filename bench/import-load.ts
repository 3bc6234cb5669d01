/**
 * Slack while a big import writes the same store: `threatbrief serve` (in a worker thread, as its
 * own server) answers signed `/threat` commands and `app_mention` events at a steady rate while
 * `threatbrief import` (its own process, as in production) writes a generated CISA KEV catalogue
 * of 40,000 entries into the same SQLite file. Prints the time to ack (p50/p99/max) during the
 * import, every request answered or not (an event that got no answer is a dropped event), and
 * the longest stall of the service's event loop. Target: ack p99 < 300 ms, none dropped, no
 * stall over ~100 ms. Prints; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/base/paths.js';
import { FAKE_IDS, signedRequest } from '../test/doubles/fake-slack.js';
import { formatLatency, post, summarize } from './clients.js';
import { SECRET, startWorker } from './slack.js';

export interface ImportLoadOptions {
  /** KEV entries in the generated catalogue (default 40,000). */
  entries?: number;
  /** Requests a second while the import runs (default 40: half commands, half mentions). */
  rate?: number;
}

/** A KEV catalogue in CISA's JSON format, generated (it names nothing real). */
export function generatedKev(entries: number): string {
  const vulnerabilities = Array.from({ length: entries }, (_, i) => ({
    cveID: `CVE-2031-${10000 + i}`,
    vendorProject: `Vendor ${i % 97}`,
    product: `Product ${i % 389}`,
    vulnerabilityName: `Vendor ${i % 97} Product ${i % 389} Generated Vulnerability ${i}`,
    dateAdded: `2031-01-0${1 + (i % 9)}`,
    shortDescription: `A generated vulnerability (number ${i}) for the import-under-load bench; it exists nowhere.`,
    requiredAction: 'Apply mitigations per vendor instructions.',
    dueDate: '2031-02-01',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
    cwes: ['CWE-78'],
  }));
  return JSON.stringify({
    title: 'Generated catalogue',
    catalogVersion: '2031.01.09',
    dateReleased: '2031-01-09T00:00:00Z',
    count: entries,
    vulnerabilities,
  });
}

export async function runImportLoadBench(opts: ImportLoadOptions = {}): Promise<void> {
  const entries = opts.entries ?? 40_000;
  const rate = opts.rate ?? 40;
  const dir = mkdtempSync(join(tmpdir(), 'threatbrief-import-load-'));
  const dbPath = join(dir, 'store.db');
  const kev = join(dir, 'kev.json');
  writeFileSync(kev, generatedKev(entries));
  const fake = await startWorker({ slackBench: 'fake', apiUrl: '', dir });
  const fakeUrl = `http://127.0.0.1:${fake.port}/`;
  const service = await startWorker({ slackBench: 'ours', apiUrl: `${fakeUrl}api/`, dir, dbPath });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const acks: number[] = [];
  const commands = new Set<string>();
  const mentions = new Set<string>();
  let failed = 0;
  let n = 0;
  const send = async (during: boolean) => {
    const i = n++;
    // A misspelt name too: its fuzzy lookup is what has to take in the imported names.
    const text = ['who is Flax Typhoon', 'is Integrity Tech sanctioned?', 'latest', 'who is Volt Typhoon?', 'who is Flx Tyhpoon?'][i % 5]!;
    const user = `U${String(i % 500).padStart(6, '0')}`;
    const channel = `C${String(i % 200).padStart(6, '0')}`;
    let req: { body: string; headers: Record<string, string> };
    if (i % 2 === 0) {
      const id = `import-load-${i}`;
      if (during) commands.add(`/response/${id}`);
      req = signedRequest(SECRET, {
        form: {
          command: '/threat',
          text,
          team_id: FAKE_IDS.team,
          channel_id: channel,
          user_id: user,
          response_url: `${fakeUrl}response/${id}`,
          trigger_id: 't',
          api_app_id: FAKE_IDS.appId,
        },
      });
    } else {
      const ts = `${1_900_000_000 + i}.000100`;
      if (during) mentions.add(ts);
      req = signedRequest(SECRET, {
        json: {
          team_id: FAKE_IDS.team,
          api_app_id: FAKE_IDS.appId,
          type: 'event_callback',
          event_id: `EvLoad${i}`,
          event_time: Math.floor(Date.now() / 1000),
          event: { type: 'app_mention', user, text: `<@${FAKE_IDS.botUserId}> ${text}`, ts, event_ts: ts, channel },
        },
      });
    }
    const t0 = performance.now();
    const r = await post(service.port, '/slack/events', req.body, req.headers, agent).catch(() => ({ status: 0 }));
    if (during) {
      acks.push(performance.now() - t0);
      if (r.status !== 200) failed++;
    }
  };
  try {
    for (let i = 0; i < 40; i++) await send(false); // warm-up: knowledge loaded, caches warm
    await service.idle();
    await fake.responses();
    await service.loopDelay(true);
    const cli = join(packageRoot(), 'dist', 'bundle', 'threatbrief.js');
    const started = Date.now();
    const child = spawn(process.execPath, [cli, 'import', '--format', 'cisa-kev', kev], {
      env: { ...process.env, DATABASE_PATH: dbPath, KNOWLEDGE_DIR: join(packageRoot(), 'knowledge') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let importOut = '';
    child.stdout.on('data', (c: Buffer) => {
      importOut += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      importOut += c.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let done = false;
    let tailUntil = Number.POSITIVE_INFINITY;
    void exited.then(() => {
      done = true;
      // Keep going a little after the commit: readers pick up 40,000 new names and advisories.
      tailUntil = Date.now() + 2000;
    });
    const inFlight: Promise<void>[] = [];
    const interval = 1000 / rate;
    let next = performance.now();
    while (!done || Date.now() < tailUntil) {
      inFlight.push(send(true));
      next += interval;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
    const code = await exited;
    const importMs = Date.now() - started;
    await Promise.all(inFlight);
    await service.idle();
    const loop = await service.loopDelay(false);
    const delivered = await fake.responses();
    const answeredCommands = new Set(delivered.filter((d) => commands.has(d.path)).map((d) => d.path));
    const answeredMentions = new Set(delivered.filter((d) => d.threadTs && mentions.has(d.threadTs)).map((d) => d.threadTs));
    const dropped = commands.size - answeredCommands.size + (mentions.size - answeredMentions.size);
    const s = summarize(acks);
    console.log(
      `import under load: threatbrief import of a generated ${entries.toLocaleString('en-US')}-entry KEV catalogue into the serving store took ${importMs} ms (exit ${code}${code === 0 ? '' : `: ${importOut.trim().slice(0, 300)}`})`,
    );
    console.log(
      `  slack ack while importing (and 2 s after), ${rate} requests/s, ${acks.length} requests: ${formatLatency(s)} — target p99 < 300 ms: ${s.p99 < 300 ? 'meets target' : 'MISSES target'}`,
    );
    console.log(
      `  answered: ${answeredCommands.size}/${commands.size} /threat commands, ${answeredMentions.size}/${mentions.size} app_mention events; ${dropped} dropped, ${failed} non-200 acks`,
    );
    console.log(
      `  the service's event loop meanwhile: max stall ${loop.max.toFixed(1)} ms, p99 ${loop.p99.toFixed(1)} ms (target: no stall over ~100 ms)`,
    );
  } finally {
    agent.destroy();
    await service.stop();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('import-load.js')) {
  await runImportLoadBench({
    entries: Number(process.env.IMPORT_LOAD_ENTRIES ?? 40_000),
    rate: Number(process.env.IMPORT_LOAD_RATE ?? 40),
  });
}
