import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresState } from '../../src/store/shared/postgres.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/shared/postgres-migrations.js';
import { describeSharedState } from '../state-contract.js';
import { freshDatabase } from './postgres.js';

// The suite npm test runs on SQLite (test/shared-state.test.ts), here on a real PostgreSQL.
describeSharedState('PostgreSQL', async () => {
  const db = await freshDatabase();
  const state = await openPostgresState({ url: db.url });
  return {
    state,
    close: async () => {
      await state.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL schema', () => {
  it('is migrated once when several replicas start at the same moment, by a role that is not a superuser', async () => {
    const db = await freshDatabase();
    try {
      const states = await Promise.all([1, 2, 3, 4].map(() => openPostgresState({ url: db.url })));
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      const role = await client.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      await client.end();
      expect(versions.rows.map((r: { version: number }) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      expect(role.rows[0]).toEqual({ rolsuper: false });
      // Starting again changes nothing.
      const again = await openPostgresState({ url: db.url });
      await Promise.all([...states, again].map((s) => s.close()));
    } finally {
      await db.drop();
    }
  });

  it('names the database when it cannot be reached', async () => {
    await expect(openPostgresState({ url: 'postgres://threatbrief:threatbrief@127.0.0.1:1/none' })).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
