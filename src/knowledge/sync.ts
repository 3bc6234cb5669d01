import type { FactStore } from '../store/fact-store.js';
import { fingerprintKnowledge } from './fingerprint.js';
import type { KnowledgeProblem } from './load.js';

export type SyncResult =
  | { status: 'unchanged'; version: string | undefined }
  | { status: 'loaded'; version: string; added: string[] }
  | { status: 'failed'; version: string | undefined; problems: KnowledgeProblem[] };

/**
 * Brings the store's curated knowledge in line with the files in `dir`, if they changed since
 * the last load. A failed load changes nothing: the store keeps serving the last good knowledge.
 */
export async function syncKnowledge(store: FactStore, dir: string, now: () => Date): Promise<SyncResult> {
  const fingerprint = fingerprintKnowledge(dir);
  const current = store.knowledgeVersion();
  if (fingerprint === store.getMeta('knowledge_fingerprint')) return { status: 'unchanged', version: current };

  const { loadKnowledge } = await import('./load.js');
  const result = loadKnowledge(dir);
  if (!result.ok) return { status: 'failed', version: current, problems: result.problems };
  if (result.kb.version === current) {
    store.setMeta('knowledge_fingerprint', fingerprint);
    return { status: 'unchanged', version: current };
  }
  const { added } = store.replaceCurated(result.kb, fingerprint, now());
  return { status: 'loaded', version: result.kb.version, added };
}
