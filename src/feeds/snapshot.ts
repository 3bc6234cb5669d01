/**
 * The snapshot shipped in feeds/ (ATT&CK Enterprise, the MISP threat actors, KEV and Microsoft's
 * naming table, each beside its licence): whichever command first opens a store that has never
 * loaded it builds the store from it, so a fresh clone answers offline. What it brings in is a
 * baseline (never sent in digests); a source already imported or synced is left as it is. No
 * sanctions list is shipped: a stale one would answer "not listed" wrongly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode, readFeedFiles } from '../ingest/read.js';
import { type FeedFormat, formatImportProblem, type ParsedFeed } from '../ingest/types.js';
import type { FactStore } from '../store/fact-store.js';
import { createLeases, newHolderId } from '../store/leases.js';
import { applySource } from './apply.js';
import { markSnapshotBuilt, needsSnapshot } from './snapshot-mark.js';
import type { SourceName } from './sources.js';
import { createFeedState } from './state.js';
import { FEED_LEASE, FEED_LEASE_TTL_MS } from './sync.js';

/**
 * The sources a snapshot may hold: never `ofac`. A shipped list would be stale, and a sample of one
 * (feeds/ofac/) would make "no record" answers claim a list was checked.
 */
export type SnapshotSource = Exclude<SourceName, 'ofac'>;

export interface SnapshotFile {
  source: SnapshotSource;
  /** Under the feeds folder. */
  path: string;
  /** What the progress bar says while it is read. */
  label: string;
  /** Its format, known (never a sanctions list's): telling it from the content would parse a 28 MB bundle twice. */
  format: Exclude<FeedFormat, 'ofac-sdn' | 'ofac-alt' | 'ofac-add'>;
}

export const SNAPSHOT: readonly SnapshotFile[] = [
  { source: 'attack', path: 'mitre-attack/enterprise-attack-18.1.json.gz', label: 'MITRE ATT&CK Enterprise v18.1', format: 'stix' },
  { source: 'misp', path: 'misp-galaxy/threat-actor.json.gz', label: 'MISP galaxy threat actors', format: 'misp-galaxy' },
  { source: 'kev', path: 'cisa-kev/known_exploited_vulnerabilities.json.gz', label: 'CISA KEV catalog', format: 'cisa-kev' },
  { source: 'mstic', path: 'microsoft-mstic/MicrosoftMapping.json', label: "Microsoft's naming table", format: 'mstic' },
];

/** Set once the snapshot is in the store: later starts skip it in one indexed read. */
export interface SnapshotProgress {
  /** Called before each step and once at the end (done === total). */
  step(done: number, total: number, label: string): void;
}

export type SnapshotOutcome = { built: false } | { built: true; sources: { source: string; added: number }[]; ms: number };

/** A wait between looks at the lease while another process builds the store. */
const WAIT_MS = 200;

/**
 * Builds the store from the snapshot unless that was done: under the feed lease, so that two
 * commands started at once build it once (the second waits for the first, then finds it done).
 */
export async function ensureSnapshot(store: FactStore, feedsDir: string, progress?: SnapshotProgress): Promise<SnapshotOutcome> {
  if (!needsSnapshot(store)) return { built: false };
  const leases = createLeases(store.db);
  const holder = newHolderId();
  while (!leases.acquire(FEED_LEASE, holder, FEED_LEASE_TTL_MS)) await new Promise((r) => setTimeout(r, WAIT_MS));
  try {
    if (!needsSnapshot(store)) return { built: false };
    return buildSnapshot(store, feedsDir, progress);
  } finally {
    leases.release(FEED_LEASE, holder);
  }
}

/** Room for the pages one large import touches, so that they are not spilled to the WAL before the commit (64 MiB). */
const BUILD_CACHE_KIB = 65_536;

/**
 * Every source in one transaction, the full-text index rebuilt once at the end rather than after
 * each source: a damaged snapshot leaves the store as it was, and the first start does not rebuild
 * the index four times over a growing store.
 */
function buildSnapshot(store: FactStore, feedsDir: string, progress?: SnapshotProgress): SnapshotOutcome {
  const started = Date.now();
  const state = createFeedState(store.db);
  const todo = SNAPSHOT.filter((f) => !state.loaded(f.source));
  const total = todo.length * 2;
  const sources: { source: string; added: number }[] = [];
  const cacheSize = store.db.pragma('cache_size', { simple: true }) as number;
  store.db.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
  try {
    store.db
      .transaction(() => {
        for (const [i, f] of todo.entries()) {
          progress?.step(i * 2, total, `reading ${f.label}`);
          const feed = readSnapshotFile(feedsDir, f);
          if (newerImported(store, feed)) continue;
          progress?.step(i * 2 + 1, total, `storing ${f.label}`);
          const now = new Date();
          const file = { name: 'snapshot', state: { url: `file:feeds/${f.path}`, etag: null, last_modified: null, sha256: feed.sha256 } };
          const applied = applySource(store, f.source, [feed], [file], { startedAt: now, now }, 'snapshot', { rebuildSearch: false });
          sources.push({ source: f.source, added: applied.counts.added });
        }
        store.rebuildSearch();
        markSnapshotBuilt(store, new Date());
      })
      .immediate();
  } finally {
    store.db.pragma(`cache_size = ${cacheSize}`);
    store.invalidate();
  }
  progress?.step(total, total, 'done');
  return { built: true, sources, ms: Date.now() - started };
}

function readSnapshotFile(feedsDir: string, f: SnapshotFile): ParsedFeed {
  const raw = readFileSync(join(feedsDir, f.path));
  const bytes = f.path.endsWith('.gz') ? gunzipSync(raw) : raw;
  const parsed = readFeedFiles([{ display: `feeds/${f.path}`, text: decode(bytes) }], `feeds/${f.path}`, { format: f.format });
  if (!parsed.ok) throw new Error(`the shipped snapshot is damaged: ${parsed.problems.slice(0, 3).map(formatImportProblem).join('; ')}`);
  return parsed.feed;
}

/** A store that holds a newer edition of the same feed (from `threatbrief import`) keeps it. */
function newerImported(store: FactStore, feed: ParsedFeed): boolean {
  if (!feed.edition) return false;
  const newer = store.db
    .prepare("SELECT 1 FROM imports WHERE format = ? AND status = 'current' AND edition > ? LIMIT 1")
    .get(feed.format, feed.edition);
  return newer !== undefined;
}
