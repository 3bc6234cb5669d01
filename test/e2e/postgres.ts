import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL the end-to-end suites use: started by .ci/setup-e2e (Debian's server, a role
 * `threatbrief` that owns its database and may create others, not a superuser). Each suite gets
 * databases of its own, dropped at the end.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://threatbrief:threatbrief@127.0.0.1:5432/threatbrief';

/** Creates an empty database owned by the test role; returns its URL and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tb_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
