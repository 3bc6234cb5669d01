/**
 * One measured feed task in a process of its own, so that its peak memory (maxRSS) is its own:
 * `node dist/bench/feed-task.js import <db> <file>`, `… sync <db> <overrides JSON>` or
 * `… snapshot <db>`. Prints one JSON line { ms, peakMiB, detail }.
 */
import { join } from 'node:path';
import { packageRoot } from '../src/base/paths.js';
import { ensureSnapshot } from '../src/feeds/snapshot.js';
import { syncFeeds } from '../src/feeds/sync.js';
import { readFeed } from '../src/ingest/read.js';
import { writeImport } from '../src/ingest/write.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';

const [task, db, arg] = process.argv.slice(2);
const store = new FactStore(openDatabase(db!));
const t0 = performance.now();
let detail = '';
if (task === 'import') {
  const parsed = readFeed([arg!]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  const s = writeImport(store, parsed.feed, new Date());
  detail = `added ${s.added.length}, updated ${s.updated.length}, unchanged ${s.unchanged}, skipped ${s.skipped.length}`;
} else if (task === 'sync') {
  const result = await syncFeeds({ store, overrides: new Map(Object.entries(JSON.parse(arg!) as Record<string, string>)) });
  detail = result.ok ? result.reports.map((r) => `${r.source} ${r.outcome}`).join(', ') : `busy: ${result.busy}`;
} else if (task === 'snapshot') {
  const r = await ensureSnapshot(store, join(packageRoot(), 'feeds'));
  detail = r.built ? r.sources.map((s) => `${s.source} +${s.added}`).join(', ') : 'already built';
} else throw new Error(`unknown task ${task}`);
const ms = performance.now() - t0;
store.db.close();
console.log(JSON.stringify({ ms, peakMiB: process.resourceUsage().maxRSS / 1024, detail }));
