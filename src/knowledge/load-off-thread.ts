/**
 * Loading the knowledge files in a worker thread of its own: reading, parsing and checking ~2,000
 * lines of YAML costs most of a second, which the thread that answers questions should not spend.
 * The result (the knowledge, or the problems) comes back as plain data. This file is both the
 * client and the worker's entry (run when loaded as a worker; the bundle has it as an entry of its
 * own, beside the answer worker).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LoadResult } from './load.js';

const MARK = 'threatbrief-knowledge-loader';

/** How knowledge is read: in this thread (`loadKnowledge`) or another (`loadKnowledgeOffThread`). */
export type KnowledgeLoader = (dir: string) => Promise<LoadResult>;

/** Loads the knowledge in `dir` in a new worker thread; rejects if the worker cannot run. */
export function loadKnowledgeOffThread(dir: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-off-thread.js', import.meta.url), { workerData: { [MARK]: dir } });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the knowledge loader stopped (exit ${code}) before it answered`)));
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[MARK]) {
  const { loadKnowledge } = await import('./load.js');
  parentPort!.postMessage(loadKnowledge((workerData as Record<string, string>)[MARK]!));
}
