import type { FactStore } from '../fact-store.js';
import { createSqliteState } from './sqlite.js';
import type { SharedState } from './state.js';

/**
 * The shared state a process uses: PostgreSQL when DATABASE_URL is set (migrated at open, under a
 * lock), else the tables of the SQLite store itself. The PostgreSQL client is loaded only then, so
 * that a command on SQLite does not pay for loading it.
 */
export async function openSharedState(store: FactStore, databaseUrl: string | undefined): Promise<SharedState> {
  if (!databaseUrl) return createSqliteState(store);
  const { openPostgresState } = await import('./postgres.js');
  return openPostgresState({ url: databaseUrl });
}
