/**
 * `threatbrief feeds sync`, and the same inside `serve`: for each source, download its files
 * conditionally, parse and check all of them, then apply them atomically with provenance. One
 * sync runs at a time per store (the store's lease); a source that fails is recorded and the
 * others go on.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { decode, readFeedFiles } from '../ingest/read.js';
import { type FeedFile, formatImportProblem, type ParsedFeed } from '../ingest/types.js';
import { ImportRefused } from '../ingest/write.js';
import type { FactStore } from '../store/fact-store.js';
import { createLeases, newHolderId } from '../store/leases.js';
import { applySource, type FetchedPart } from './apply.js';
import { DEFAULT_LIMITS, DownloadError, type DownloadLimits, download } from './download.js';
import { FEED_SOURCES, type FeedSource, importsOf, type SourceName, withOverrides } from './sources.js';
import { createFeedState, type FeedState, type SyncOutcome } from './state.js';

/** The lease one sync (or the first-start snapshot build) holds on the store. */
export const FEED_LEASE = 'feed-sync';
/** Longer than the slowest source takes; renewed before each source. */
export const FEED_LEASE_TTL_MS = 10 * 60_000;
/** Problems of a rejected file shown in its error; the rest are counted. */
const PROBLEMS_SHOWN = 5;

export interface SyncFeedsOptions {
  store: FactStore;
  only?: readonly SourceName[];
  /** `--url` overrides: NAME=URL or NAME.PART=URL. Plain HTTP is allowed to loopback addresses given here. */
  overrides?: ReadonlyMap<string, string>;
  limits?: DownloadLimits;
  dispatcher?: Dispatcher;
  now?: () => Date;
  /** Runs once the lease is held: the curated knowledge synced first, so that imported records attach to curated entities. */
  beforeSync?: () => Promise<void>;
}

export interface SourceReport {
  source: SourceName;
  outcome: SyncOutcome;
  /** One line for a person: what changed, or what went wrong. */
  message: string;
  counts: { added: number; updated: number; removed: number };
}

export type SyncResult = { ok: true; reports: SourceReport[] } | { ok: false; busy: string };

export async function syncFeeds(opts: SyncFeedsOptions): Promise<SyncResult> {
  const leases = createLeases(opts.store.db);
  const holder = newHolderId();
  if (!leases.acquire(FEED_LEASE, holder, FEED_LEASE_TTL_MS))
    return { ok: false, busy: leases.holder(FEED_LEASE)?.holder ?? 'another process' };
  try {
    const reports: SourceReport[] = [];
    await opts.beforeSync?.();
    for (const source of FEED_SOURCES) {
      if (opts.only && !opts.only.includes(source.name)) continue;
      leases.acquire(FEED_LEASE, holder, FEED_LEASE_TTL_MS);
      reports.push(await syncSource(source, opts));
    }
    return { ok: true, reports };
  } finally {
    leases.release(FEED_LEASE, holder);
  }
}

const zero = { added: 0, updated: 0, removed: 0 };

async function syncSource(configured: FeedSource, opts: SyncFeedsOptions): Promise<SourceReport> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const state = createFeedState(opts.store.db);
  const overridden = withOverrides(configured, opts.overrides ?? new Map());
  const failed = (message: string, urls: string[]): SourceReport => {
    state.record({ source: configured.name, startedAt, finishedAt: now(), outcome: 'failed', urls, error: message });
    return { source: configured.name, outcome: 'failed', message, counts: zero };
  };
  if (!overridden.ok) return failed(overridden.problem, []);
  const source = overridden.source;
  const urls = source.parts.map((p) => p.url);
  try {
    const fetched = await fetchParts(source, opts, state);
    if (fetched === 'not-modified') {
      state.record({ source: source.name, startedAt, finishedAt: now(), outcome: 'not-modified', urls });
      return {
        source: source.name,
        outcome: 'not-modified',
        message: 'not modified since the last sync (HTTP 304); nothing changed',
        counts: zero,
      };
    }
    const feeds = parseImports(source, fetched);
    const applied = applySource(opts.store, source.name, feeds, fetched.map(toFetchedPart), { startedAt, now: now() });
    const c = applied.counts;
    const message =
      applied.outcome === 'unchanged'
        ? 'downloaded; no record changed'
        : `added ${c.added}, updated ${c.updated}, removed ${c.removed}${applied.baseline ? ' (first load: a baseline, not sent in digests)' : ''}`;
    return { source: source.name, outcome: applied.outcome, message, counts: c };
  } catch (err) {
    if (err instanceof DownloadError || err instanceof ImportRefused || err instanceof RejectedFile) return failed(err.message, urls);
    return failed(`unexpected failure: ${err instanceof Error ? err.message : String(err)}`, urls);
  }
}

interface Fetched {
  name: string;
  url: string;
  bytes: Buffer;
  etag?: string;
  lastModified?: string;
}

function toFetchedPart(f: Fetched): FetchedPart {
  return {
    name: f.name,
    state: {
      url: f.url,
      etag: f.etag ?? null,
      last_modified: f.lastModified ?? null,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
    },
  };
}

/**
 * Every file of the source, or 'not-modified' when the server says none changed. When only some
 * changed, the unchanged ones are fetched again in full: a source is always imported whole.
 */
async function fetchParts(source: FeedSource, opts: SyncFeedsOptions, state: FeedState): Promise<Fetched[] | 'not-modified'> {
  const overrides = opts.overrides ?? new Map<string, string>();
  const given = (part: string) => overrides.has(source.name) || overrides.has(`${source.name}.${part}`);
  const get = (part: FeedSource['parts'][number], conditional: boolean) => {
    const known = conditional ? state.part(source.name, part.name) : undefined;
    const validators =
      known && known.url === part.url
        ? { ...(known.etag ? { etag: known.etag } : {}), ...(known.last_modified ? { lastModified: known.last_modified } : {}) }
        : {};
    return download(part.url, {
      validators,
      limits: opts.limits ?? DEFAULT_LIMITS,
      allowLoopbackHttp: given(part.name),
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      ...(part.optional ? { optional: true } : {}),
    });
  };
  const first = await Promise.all(source.parts.map((p) => get(p, true)));
  if (first.every((r) => r.status !== 'ok')) {
    if (first.some((r) => r.status === 'not-modified')) return 'not-modified';
    throw new DownloadError(`${source.name}: none of its files could be found`);
  }
  const out: Fetched[] = [];
  for (const [i, part] of source.parts.entries()) {
    const r = first[i]!.status === 'not-modified' ? await get(part, false) : first[i]!;
    if (r.status === 'missing') continue;
    if (r.status !== 'ok') throw new DownloadError(`${part.url}: answered 304 to an unconditional request`);
    out.push({
      name: part.name,
      url: part.url,
      bytes: r.bytes,
      ...(r.etag ? { etag: r.etag } : {}),
      ...(r.lastModified ? { lastModified: r.lastModified } : {}),
    });
  }
  return out;
}

/** A downloaded file that does not parse or validate: the message names the URL and the first problems. */
export class RejectedFile extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedFile';
  }
}

/** Parses each import group of the source; any problem rejects the whole source. */
function parseImports(source: FeedSource, fetched: readonly Fetched[]): ParsedFeed[] {
  const feeds: ParsedFeed[] = [];
  for (const group of importsOf(source)) {
    const files = fetched.filter((f) => group.parts.includes(f.name));
    if (files.length === 0) continue;
    // An OFAC list file's edition is its own publication date (ALT.CSV and ADD.CSV may be newer than SDN.CSV).
    const feedFiles: FeedFile[] = files.map((f) => ({
      display: f.url,
      text: decode(f.bytes),
      ...(source.name === 'ofac' ? { edition: editionOf(f) } : {}),
      ...(group.ofacList ? { ofacList: group.ofacList } : {}),
    }));
    const parsed = readFeedFiles(feedFiles, files.map((f) => f.url).join(', '));
    if (!parsed.ok) {
      const shown = parsed.problems.slice(0, PROBLEMS_SHOWN).map(formatImportProblem);
      const more = parsed.problems.length > PROBLEMS_SHOWN ? `; and ${parsed.problems.length - PROBLEMS_SHOWN} more` : '';
      throw new RejectedFile(`rejected, nothing changed: ${shown.join('; ')}${more}`);
    }
    feeds.push(parsed.feed);
  }
  return feeds;
}

/** The date a list file was published: its Last-Modified, else today. */
function editionOf(f: Fetched): string {
  const modified = f.lastModified ? new Date(f.lastModified) : undefined;
  return (modified && !Number.isNaN(modified.getTime()) ? modified : new Date()).toISOString().slice(0, 10);
}
