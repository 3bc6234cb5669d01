import type { FactStore } from '../store/fact-store.js';
import { asStoreUnavailable, type StoreUnavailable } from '../store/failures.js';
import { fingerprintKnowledge } from './fingerprint.js';
import type { KnowledgeProblem } from './load.js';
import type { KnowledgeLoader } from './load-off-thread.js';

export type SyncResult =
  | { status: 'unchanged'; version: string | undefined }
  | { status: 'loaded'; version: string; added: string[] }
  | { status: 'failed'; version: string | undefined; problems: KnowledgeProblem[] }
  /** The files are good but the store could not take them now (busy, full, read-only): tried again at the next check. */
  | { status: 'deferred'; version: string | undefined; reason: StoreUnavailable };

/**
 * Reads the knowledge in this thread, once the work already queued (a reply being delivered)
 * has had its turn. The loader's code is loaded only when files changed.
 */
export const loadInThread: KnowledgeLoader = async (dir) => {
  await new Promise((resolve) => setImmediate(resolve));
  return (await import('./load.js')).loadKnowledge(dir);
};

/**
 * Brings the store's curated knowledge in line with the files in `dir`, if they changed since
 * the last load. A failed load changes nothing: the store keeps serving the last good knowledge.
 * The files are read and checked by `load` before the store is touched; the store then takes
 * them in one transaction.
 */
export async function syncKnowledge(
  store: FactStore,
  dir: string,
  now: () => Date,
  load: KnowledgeLoader = loadInThread,
): Promise<SyncResult> {
  const fingerprint = fingerprintKnowledge(dir);
  if (fingerprint === store.getMeta('knowledge_fingerprint')) return { status: 'unchanged', version: store.knowledgeVersion() };

  const result = await load(dir);
  // Read again: another connection (another replica) may have loaded these files meanwhile.
  const current = store.knowledgeVersion();
  if (!result.ok) return { status: 'failed', version: current, problems: result.problems };
  if (result.kb.version === current) {
    // Only spares the next check a parse; a store that cannot take it now changes nothing.
    try {
      store.setMeta('knowledge_fingerprint', fingerprint);
    } catch (err) {
      if (!asStoreUnavailable(err)) throw err;
    }
    return { status: 'unchanged', version: current };
  }
  try {
    const { added } = store.replaceCurated(result.kb, fingerprint, now());
    return { status: 'loaded', version: result.kb.version, added };
  } catch (err) {
    const reason = asStoreUnavailable(err);
    if (!reason) throw err;
    return { status: 'deferred', version: current, reason };
  }
}
