import type { FactStore } from '../fact-store.js';
import { openPostgresState } from './postgres.js';
import { createSqliteState } from './sqlite.js';
import type { SharedState } from './state.js';

/**
 * The shared state a process uses: PostgreSQL when DATABASE_URL is set (migrated at open, under a
 * lock), else the tables of the SQLite store itself.
 */
export async function openSharedState(store: FactStore, databaseUrl: string | undefined): Promise<SharedState> {
  return databaseUrl ? openPostgresState({ url: databaseUrl }) : createSqliteState(store);
}
