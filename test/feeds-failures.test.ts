import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type DownloadLimits } from '../src/feeds/download.js';
import { SOURCE_NAMES, type SourceName } from '../src/feeds/sources.js';
import { syncFeeds } from '../src/feeds/sync.js';
import type { FactStore } from '../src/store/fact-store.js';
import {
  attackBundle,
  FEEDS,
  KEV_LAST_MODIFIED,
  kevWith,
  LOCAL_PATHS,
  localOverrides,
  mispCluster,
  publishAll,
} from './doubles/feed-files.js';
import { type Behaviour, type FeedServer, startFeedServer } from './doubles/feed-server.js';
import { copyKnowledge, openTestBot } from './helpers.js';

const MiB = 1024 * 1024;
/** Caps well above every small test file, so that only the misbehaving source meets them. */
const LIMITS: DownloadLimits = { ...DEFAULT_LIMITS, maxBytes: 1 * MiB, maxDecompressedBytes: 2 * MiB };
/** The time cap of the case whose server stops answering: ample for a local 304 on a loaded machine. */
const STALL_TIMEOUT_MS = 3_000;

/** The good file each source publishes (OFAC: its SDN.CSV), cut short in the truncation case. */
const GOOD: Record<SourceName, () => Buffer> = {
  attack: attackBundle,
  kev: () => kevWith(),
  ofac: () => readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv')),
  misp: mispCluster,
  mstic: () => readFileSync(join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')),
};

const FAILURES: { what: string; behaviour: (source: SourceName) => Behaviour; says: RegExp; limits?: DownloadLimits }[] = [
  {
    what: 'a server that stops answering',
    behaviour: () => ({ kind: 'stall' }),
    says: /no complete answer within 3 s/,
    limits: { ...LIMITS, timeoutMs: STALL_TIMEOUT_MS },
  },
  {
    what: 'a file over the size cap on the wire',
    behaviour: () => ({ kind: 'file', body: Buffer.alloc(LIMITS.maxBytes + 1, 32) }),
    says: /over the 1048576-byte cap/,
  },
  {
    what: 'a small gzip over the cap once decompressed',
    behaviour: () => ({ kind: 'file', body: gzipSync(Buffer.alloc(3 * MiB, 32)), gzip: true }),
    says: /more than 2097152 bytes once decompressed/,
  },
  {
    what: 'redirects without end',
    behaviour: (s) => ({ kind: 'redirect', to: LOCAL_PATHS[s] }),
    says: /more than 3 redirects/,
  },
  {
    what: 'a truncated file',
    behaviour: (s) => {
      const body = GOOD[s]();
      return { kind: 'truncated', body, sent: Math.floor(body.length / 2) };
    },
    says: /cut short|closed|terminated/i,
  },
  { what: 'a 500', behaviour: () => ({ kind: 'status', status: 500 }), says: /HTTP 500/ },
];

/** Everything an answer reads and each source's validators: what a failed sync must leave as it was. */
function storeRows(store: FactStore): string {
  return JSON.stringify(
    ['entities', 'aliases', 'claims', 'sanctions', 'advisories', 'attack_objects', 'imports', 'import_records'].map((t) =>
      store.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
    ),
  );
}

let server: FeedServer;
let store: FactStore;
beforeAll(async () => {
  server = await startFeedServer();
  publishAll(server);
  const bot = openTestBot(copyKnowledge());
  await bot.engine.refresh();
  store = bot.store;
  const first = await syncFeeds({ store, overrides: localOverrides(server), limits: LIMITS });
  expect(first).toMatchObject({ ok: true, reports: SOURCE_NAMES.map((source) => ({ source, outcome: 'imported' })) });
});
afterEach(() => {
  publishAll(server);
  server.serve(LOCAL_PATHS.kev, { kind: 'file', body: kevWith(), lastModified: KEV_LAST_MODIFIED });
});
afterAll(() => server.close());

const CASES = SOURCE_NAMES.flatMap((source) => FAILURES.map((f) => [source, f.what, f] as const));

describe('a download that fails, for every source', () => {
  it.each(CASES)('%s: %s changes nothing of the store, says why, and the other sources still sync', async (source, _what, failure) => {
    const before = storeRows(store);
    const parts = JSON.stringify(store.db.prepare('SELECT * FROM feed_parts WHERE source = ? ORDER BY part').all(source));
    // The next source forgets its validators, so that it downloads, parses and applies its file again; the rest answer 304.
    const next = SOURCE_NAMES[(SOURCE_NAMES.indexOf(source) + 1) % SOURCE_NAMES.length]!;
    store.db.prepare('DELETE FROM feed_parts WHERE source = ?').run(next);
    server.serve(LOCAL_PATHS[source], failure.behaviour(source));

    const result = await syncFeeds({ store, overrides: localOverrides(server), limits: failure.limits ?? LIMITS });

    expect(result).toMatchObject({
      ok: true,
      reports: SOURCE_NAMES.map((s) =>
        s === source
          ? { source: s, outcome: 'failed', message: expect.stringMatching(failure.says) }
          : { source: s, outcome: s === next ? 'unchanged' : 'not-modified' },
      ),
    });
    expect(storeRows(store)).toBe(before);
    expect(JSON.stringify(store.db.prepare('SELECT * FROM feed_parts WHERE source = ? ORDER BY part').all(source))).toBe(parts);
    // The next source was fetched whole: its validators are back.
    expect(store.db.prepare('SELECT DISTINCT source FROM feed_parts ORDER BY source').pluck().all()).toEqual([...SOURCE_NAMES].sort());
  });
});
