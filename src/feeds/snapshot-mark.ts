/**
 * The store's mark that the shipped snapshot was built into it: apart from snapshot.ts so that the
 * check every command makes on start does not load the importers.
 */
import type { FactStore } from '../store/fact-store.js';

const SNAPSHOT_META = 'feeds_snapshot';

/** Whether the store still needs the snapshot (cheap: one meta read). */
export function needsSnapshot(store: FactStore): boolean {
  return store.getMeta(SNAPSHOT_META) === undefined;
}

export function markSnapshotBuilt(store: FactStore, at: Date): void {
  store.setMeta(SNAPSHOT_META, at.toISOString());
}
