import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { describeSharedState } from './state-contract.js';

// The same suite runs on PostgreSQL in test/e2e/postgres-state.test.ts.
describeSharedState('SQLite', async () => {
  const store = new FactStore(openDatabase(':memory:'));
  return {
    state: createSqliteState(store),
    close: async () => {
      store.db.close();
    },
  };
});
