import { join } from 'node:path';
import { packageRoot } from '../base/paths.js';
import type { SnapshotProgress } from '../feeds/snapshot.js';
import { needsSnapshot } from '../feeds/snapshot-mark.js';
import { FactStore } from '../store/fact-store.js';
import { openDatabase } from '../store/open.js';
import type { CoreConfig } from './config.js';

const BAR_WIDTH = 30;

/** A progress bar on a terminal; one line per step elsewhere (logs, CI). */
export function progressBar(out: NodeJS.WriteStream): SnapshotProgress {
  const started = Date.now();
  return {
    step(done, total, label) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (!out.isTTY) {
        out.write(`building the store from the shipped snapshot: ${done}/${total} ${label} (${seconds} s)\n`);
        return;
      }
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      out.write(`\r\x1b[2Kbuilding the store from the shipped snapshot [${bar}] ${done}/${total} ${label} (${seconds} s)`);
      if (done === total) out.write('\n');
    },
  };
}

/**
 * Before the first command on a store (unless FEEDS_SNAPSHOT=off): builds it from the snapshot in feeds/ (ATT&CK, MISP, KEV,
 * Microsoft's names) with a progress bar on `out`. Later starts cost one read of the store's meta.
 */
export async function prepareStore(config: CoreConfig, out: NodeJS.WriteStream): Promise<void> {
  if (!config.feeds.snapshot) return;
  const store = new FactStore(openDatabase(config.databasePath));
  try {
    if (!needsSnapshot(store)) return;
    // Loaded only now: a later start, the common case, never needs the importers.
    const { syncKnowledge } = await import('../knowledge/sync.js');
    const { ensureSnapshot } = await import('../feeds/snapshot.js');
    // Curated knowledge first, so that records about curated entities attach to them.
    await syncKnowledge(store, config.knowledgeDir, () => new Date());
    await ensureSnapshot(store, join(packageRoot(), 'feeds'), progressBar(out));
  } finally {
    store.db.close();
  }
}
