import { parseArgs } from 'node:util';
import type { CliIo } from '../base/io.js';
import type { FactStore } from '../store/fact-store.js';
import type { DownloadLimits } from './download.js';
import { createDispatcher, type ProxySettings } from './download.js';
import { FEED_SOURCES, type FeedSource, SOURCE_NAMES, type SourceName, sourceNamed } from './sources.js';
import { createFeedState, type SyncRecord } from './state.js';
import { syncFeeds } from './sync.js';

export const FEEDS_USAGE =
  'usage: threatbrief feeds list [--json]\n' +
  `       threatbrief feeds sync [--only ${SOURCE_NAMES.join('|')}]… [--url NAME=URL | NAME.PART=URL]…`;

const DAY_MS = 86_400_000;

export interface FeedsCommandOptions {
  store: FactStore;
  proxy?: ProxySettings;
  limits?: DownloadLimits;
  now?: () => Date;
  /** Syncs the curated knowledge into the store, so that imports attach to curated entities. */
  syncKnowledge?: () => Promise<void>;
}

/** `threatbrief feeds list|sync`. */
export async function feedsCommand(opts: FeedsCommandOptions, args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') return listCommand(opts, rest, io);
  if (sub === 'sync') return syncCommand(opts, rest, io);
  io.err(FEEDS_USAGE);
  return 2;
}

export interface SourceStatus {
  name: SourceName;
  title: string;
  urls: string[];
  licence: string;
  attribution: string;
  lastSuccess?: { at: string; outcome: string; importIds: string[] };
  lastError?: { at: string; error: string };
  /** Days since the last success; absent when never loaded. */
  ageDays?: number;
  stale: boolean;
}

/** Each source with its last success, last error and age; stale when never loaded or older than the source allows. */
export function feedStatus(store: FactStore, now: Date): SourceStatus[] {
  const state = createFeedState(store.db);
  return FEED_SOURCES.map((s) => {
    const ok = state.last(s.name, ['imported', 'unchanged', 'not-modified', 'snapshot']);
    const bad = state.last(s.name, ['failed']);
    const status: SourceStatus = {
      name: s.name,
      title: s.title,
      urls: s.parts.map((p) => p.url),
      licence: s.licence,
      attribution: s.attribution,
      stale: true,
    };
    if (ok) {
      status.lastSuccess = { at: ok.finished_at, outcome: ok.outcome, importIds: importIdsOf(ok) };
      status.ageDays = Math.floor((now.getTime() - Date.parse(ok.finished_at)) / DAY_MS);
      // The shipped snapshot is as old as the release it came with: stale until a sync replaces it.
      status.stale = ok.outcome === 'snapshot' || status.ageDays > s.staleAfterDays;
    }
    if (bad && (!ok || bad.id > ok.id)) status.lastError = { at: bad.finished_at, error: bad.error ?? 'unknown' };
    return status;
  });
}

function importIdsOf(r: SyncRecord): string[] {
  return r.import_id ? r.import_id.split(',') : [];
}

function listCommand(opts: FeedsCommandOptions, args: string[], io: CliIo): number {
  let json = false;
  try {
    json = parseArgs({ args, options: { json: { type: 'boolean' } } }).values.json === true;
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${FEEDS_USAGE}`);
    return 2;
  }
  const statuses = feedStatus(opts.store, (opts.now ?? (() => new Date()))());
  if (json) {
    io.out(JSON.stringify(statuses));
    return 0;
  }
  for (const s of statuses) {
    const source = sourceNamed(s.name) as FeedSource;
    io.out(`${s.name}  ${s.title}`);
    for (const url of s.urls) io.out(`  url: ${url}`);
    io.out(`  licence: ${s.licence}; attribution: ${s.attribution}`);
    io.out(
      s.lastSuccess
        ? `  last success: ${s.lastSuccess.at} (${s.lastSuccess.outcome}), ${s.ageDays} day(s) ago`
        : '  last success: never (run "threatbrief feeds sync")',
    );
    if (s.lastError) io.out(`  last error: ${s.lastError.at}: ${s.lastError.error}`);
    if (s.stale)
      io.out(
        `  warning: stale — ${!s.lastSuccess ? 'never synced' : s.lastSuccess.outcome === 'snapshot' ? 'only the snapshot shipped with ThreatBrief' : `older than ${source.staleAfterDays} day(s)`}; answers from it may be out of date`,
      );
  }
  return 0;
}

function parseOverrides(values: readonly string[]): { ok: true; map: Map<string, string> } | { ok: false; problem: string } {
  const map = new Map<string, string>();
  for (const v of values) {
    const m = /^([a-z]+)(?:\.([a-z-]+))?=(.+)$/.exec(v);
    const source = m ? sourceNamed(m[1]!) : undefined;
    if (!m || !source)
      return { ok: false, problem: `--url ${v}: expected NAME=URL or NAME.PART=URL with NAME one of ${SOURCE_NAMES.join(', ')}` };
    if (m[2] && !source.parts.some((p) => p.name === m[2]))
      return {
        ok: false,
        problem: `--url ${v}: ${source.name} has no file "${m[2]}" (it has ${source.parts.map((p) => p.name).join(', ')})`,
      };
    map.set(m[2] ? `${m[1]}.${m[2]}` : m[1]!, m[3]!);
  }
  return { ok: true, map };
}

async function syncCommand(opts: FeedsCommandOptions, args: string[], io: CliIo): Promise<number> {
  let values: { only?: string[] | undefined; url?: string[] | undefined };
  try {
    ({ values } = parseArgs({ args, options: { only: { type: 'string', multiple: true }, url: { type: 'string', multiple: true } } }));
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${FEEDS_USAGE}`);
    return 2;
  }
  const unknown = (values.only ?? []).filter((n) => !sourceNamed(n));
  if (unknown.length) {
    io.err(`--only ${unknown.join(', ')}: not a source; the sources are ${SOURCE_NAMES.join(', ')}`);
    return 2;
  }
  const overrides = parseOverrides(values.url ?? []);
  if (!overrides.ok) {
    io.err(overrides.problem);
    return 2;
  }
  const dispatcher = createDispatcher(opts.proxy);
  try {
    const result = await syncFeeds({
      store: opts.store,
      overrides: overrides.map,
      dispatcher,
      ...(values.only ? { only: values.only as SourceName[] } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.syncKnowledge ? { beforeSync: opts.syncKnowledge } : {}),
    });
    if (!result.ok) {
      io.err(`another feed sync is running (${result.busy}); nothing was done`);
      return 1;
    }
    for (const r of result.reports) {
      const line = `${r.source}: ${r.outcome}: ${r.message}`;
      if (r.outcome === 'failed') io.err(line);
      else io.out(line);
    }
    return result.reports.some((r) => r.outcome === 'failed') ? 1 : 0;
  } finally {
    await dispatcher.close();
  }
}
