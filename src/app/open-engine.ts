import { createAnswerEngine, type EngineLogger } from '../answer/engine.js';
import type { KnowledgeLoader } from '../knowledge/load-off-thread.js';
import { FactStore } from '../store/fact-store.js';
import { openDatabase } from '../store/open.js';
import type { CoreConfig } from './config.js';

/** Warnings and errors of CLI commands go to stderr, so stdout stays the answer alone. */
export const stderrLogger: EngineLogger = {
  warn: (_obj, msg) => process.stderr.write(`warning: ${msg}\n`),
  error: (obj, msg) =>
    process.stderr.write(`error: ${msg} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.stack : v))}\n`),
};

/**
 * The reload interval of a command that answers and exits (`ask`, `digest`): it loads the
 * knowledge once, with `engine.refresh()`, and never again in the background, where a reload
 * could outlive the store it writes to.
 */
export const ONE_SHOT = Number.POSITIVE_INFINITY;

export function openEngine(config: CoreConfig, reloadIntervalMs: number, logger: EngineLogger, loadKnowledge?: KnowledgeLoader) {
  const store = new FactStore(openDatabase(config.databasePath));
  const engine = createAnswerEngine({
    store,
    knowledgeDir: config.knowledgeDir,
    reloadIntervalMs,
    logger,
    ...(loadKnowledge ? { loadKnowledge } : {}),
    ...(config.matchThreshold !== undefined ? { resolver: { threshold: config.matchThreshold } } : {}),
  });
  return { store, engine };
}
