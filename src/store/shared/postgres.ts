import pg from 'pg';
import { advisoryFields } from '../fact-store.js';
import { holderIsGone } from '../leases.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import {
  AdvisoryRow,
  AuditRow,
  allRows,
  ContextRow,
  CountRow,
  HolderRow,
  LeaseRow,
  LevelRow,
  OUTBOX_RECORD_SELECT,
  OutboxRecordRow,
  OutboxRowSummary,
  oneRow,
  PendingDigestRow,
  ReferenceRow,
  SealedRow,
  SeqRow,
  SubscriptionRow,
} from './rows.js';
import { PURGES_PER_KEEP } from './sqlite.js';
import type { SharedState } from './state.js';

/** Keys of the advisory locks this schema takes (pg_advisory_lock takes a 64-bit number). */
const MIGRATION_LOCK = 0x7468_7262_0001n;
const ADVISORY_SEQ_LOCK = 0x7468_7262_0002n;

/** Connections per process (the serving thread and the answer worker each have a pool). */
const POOL_SIZE = 5;

export interface PostgresStateOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Applied when a connection opens; `serve` leaves it unset. */
  applicationName?: string;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Opens the shared state in PostgreSQL and brings its schema up to date. Any number of replicas
 * may start at once: migrations run under a session advisory lock, so one migrates and the others
 * wait, then find nothing left to do. The role needs to own its database (CREATE on it), not to be
 * a superuser.
 */
export async function openPostgresState(opts: PostgresStateOptions): Promise<SharedState> {
  const pool = new pg.Pool({ connectionString: opts.url, max: POOL_SIZE, application_name: opts.applicationName ?? 'threatbrief' });
  // An idle connection that drops (a database restart) is replaced on the next query; it must not crash the process.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return createPostgresState(pool);
}

export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const current =
        oneRow(CountRow, (await client.query('SELECT count(*) AS n FROM schema_migrations')).rows[0], 'schema version')?.n ?? 0;
      if (current > POSTGRES_MIGRATIONS.length)
        throw new Error(
          `the shared database was written by a newer ThreatBrief (schema ${current}, this one knows ${POSTGRES_MIGRATIONS.length})`,
        );
      for (let v = current; v < POSTGRES_MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(POSTGRES_MIGRATIONS[v]!);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, new Date().toISOString()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      return POSTGRES_MIGRATIONS.length;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

function createPostgresState(pool: pg.Pool): SharedState {
  const rows = async (db: Queryable, sql: string, params: readonly unknown[] = []) => (await db.query(sql, [...params])).rows as unknown[];
  const changed = async (db: Queryable, sql: string, params: readonly unknown[] = []) => (await db.query(sql, [...params])).rowCount ?? 0;
  const transaction = async <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  const lastSeq = async (db: Queryable) => {
    const sql = 'SELECT coalesce(max(seq), 0) AS seq FROM advisories';
    return oneRow(SeqRow, (await rows(db, sql))[0], sql)?.seq ?? 0;
  };
  let lastPurge = 0;

  return {
    engine: 'postgres',
    subscriptions: {
      async add(sub, now) {
        const filters = JSON.stringify(sub.filters);
        const { cron, timezone, label } = sub.schedule;
        const at = now.toISOString();
        const insert = `INSERT INTO subscriptions (platform, conversation, cron, timezone, label, filters, created_by, created_at, last_seq, last_run_at, team)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT coalesce(max(seq), 0) FROM advisories), $8, $9)
          ON CONFLICT (platform, conversation, cron, timezone, filters) DO NOTHING RETURNING *`;
        const created = oneRow(
          SubscriptionRow,
          (
            await rows(pool, insert, [
              sub.platform,
              sub.conversation,
              cron,
              timezone,
              label,
              filters,
              sub.createdBy ?? null,
              at,
              sub.team ?? null,
            ])
          )[0],
          insert,
        );
        if (created) return { subscription: created, created: true };
        const select =
          'SELECT * FROM subscriptions WHERE platform = $1 AND conversation = $2 AND cron = $3 AND timezone = $4 AND filters = $5';
        const existing = oneRow(
          SubscriptionRow,
          (await rows(pool, select, [sub.platform, sub.conversation, cron, timezone, filters]))[0],
          select,
        );
        if (!existing) throw new Error('a subscription that conflicted on insert was gone when read back');
        return { subscription: existing, created: false };
      },
      async get(id) {
        const sql = 'SELECT * FROM subscriptions WHERE id = $1';
        return oneRow(SubscriptionRow, (await rows(pool, sql, [id]))[0], sql);
      },
      async forConversation(platform, conversation) {
        const sql = 'SELECT * FROM subscriptions WHERE platform = $1 AND conversation = $2 ORDER BY id';
        return allRows(SubscriptionRow, await rows(pool, sql, [platform, conversation]), sql);
      },
      async all() {
        const sql = 'SELECT * FROM subscriptions ORDER BY id';
        return allRows(SubscriptionRow, await rows(pool, sql), sql);
      },
      async remove(platform, conversation, id) {
        return id === undefined
          ? changed(pool, 'DELETE FROM subscriptions WHERE platform = $1 AND conversation = $2', [platform, conversation])
          : changed(pool, 'DELETE FROM subscriptions WHERE platform = $1 AND conversation = $2 AND id = $3', [platform, conversation, id]);
      },
      async removeTeam(platform, team) {
        return changed(pool, 'DELETE FROM subscriptions WHERE platform = $1 AND team = $2', [platform, team]);
      },
    },

    outbox: {
      async advance(seen, toSeq, at, digest) {
        return transaction(async (c) => {
          const moved = await changed(
            c,
            'UPDATE subscriptions SET last_seq = $1, last_run_at = $2 WHERE id = $3 AND last_seq = $4 AND last_run_at = $5',
            [toSeq, at.toISOString(), seen.id, seen.lastSeq, seen.lastRunAt],
          );
          if (moved !== 1) return undefined;
          if (digest)
            await c.query(
              `INSERT INTO outbox (subscription_id, from_seq, to_seq, reply, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)
               ON CONFLICT (subscription_id, to_seq) DO NOTHING`,
              [seen.id, digest.fromSeq, digest.toSeq, digest.reply, at.toISOString()],
            );
          return Boolean(digest);
        });
      },
      async claimNext(holder, platforms, afterId, ttlMs, now) {
        // Rows another replica is claiming right now are skipped, not waited for.
        const sql = `WITH next AS (
            SELECT o.id FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
            WHERE o.status = 'pending' AND o.id > $1 AND s.platform = ANY($2::text[])
              AND (o.claimed_by IS NULL OR o.claimed_by = $3 OR o.claimed_until <= $4 OR o.claimed_by = ANY($6::text[]))
            ORDER BY o.id LIMIT 1
            FOR UPDATE OF o SKIP LOCKED
          )
          UPDATE outbox o SET claimed_by = $3, claimed_until = $5 FROM next, subscriptions s
          WHERE o.id = next.id AND s.id = o.subscription_id
          RETURNING o.id, o.reply, o.sending_at, s.platform, s.conversation, s.team`;
        const gone = await goneClaimants(pool, afterId, now);
        return oneRow(PendingDigestRow, (await rows(pool, sql, [afterId, platforms, holder, now, now + ttlMs, gone]))[0], sql);
      },
      async markSending(id, at) {
        await pool.query('UPDATE outbox SET sending_at = $1 WHERE id = $2', [at.toISOString(), id]);
      },
      async markSent(id, at) {
        await pool.query(
          "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, last_error = NULL, claimed_by = NULL WHERE id = $2 AND status = 'pending'",
          [at.toISOString(), id],
        );
      },
      async markFailed(id, error, inFlight = false) {
        await pool.query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $1, sending_at = CASE WHEN $3::boolean THEN sending_at END, claimed_by = NULL, claimed_until = NULL WHERE id = $2',
          [error, id, inFlight],
        );
      },
      async pendingCount() {
        const sql = "SELECT count(*) AS n FROM outbox WHERE status = 'pending'";
        return oneRow(CountRow, (await rows(pool, sql))[0], sql)?.n ?? 0;
      },
      async ofSubscription(subscriptionId) {
        const sql = 'SELECT id, status, from_seq, to_seq, attempts FROM outbox WHERE subscription_id = $1 ORDER BY id';
        return allRows(OutboxRowSummary, await rows(pool, sql, [subscriptionId]), sql);
      },
      async recent(limit) {
        const sql = `${OUTBOX_RECORD_SELECT} ORDER BY o.status = 'sent', o.id DESC LIMIT $1`;
        return allRows(OutboxRecordRow, await rows(pool, sql, [limit]), sql);
      },
      async pending(limit) {
        const sql = `${OUTBOX_RECORD_SELECT} WHERE o.status = 'pending' ORDER BY o.id LIMIT $1`;
        return allRows(OutboxRecordRow, await rows(pool, sql, [limit]), sql);
      },
      async delivered(platform, conversation, afterId, limit) {
        const sql = `${OUTBOX_RECORD_SELECT} WHERE s.platform = $1 AND s.conversation = $2 AND o.status = 'sent' AND o.id > $3 ORDER BY o.id LIMIT $4`;
        return allRows(OutboxRecordRow, await rows(pool, sql, [platform, conversation, afterId, limit]), sql);
      },
    },

    leases: {
      async acquire(name, holder, ttlMs, now = Date.now()) {
        const taken = await changed(
          pool,
          `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
          [name, holder, now + ttlMs, now],
        );
        if (taken === 1) return true;
        const sql = 'SELECT holder, expires_at FROM leases WHERE name = $1';
        const current = oneRow(LeaseRow, (await rows(pool, sql, [name]))[0], sql);
        if (!current || !holderIsGone(current.holder)) return false;
        const stolen = await changed(pool, 'UPDATE leases SET holder = $1, expires_at = $2 WHERE name = $3 AND holder = $4', [
          holder,
          now + ttlMs,
          name,
          current.holder,
        ]);
        return stolen === 1;
      },
      async release(name, holder) {
        await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
      },
      async holder(name, now = Date.now()) {
        const sql = 'SELECT holder, expires_at FROM leases WHERE name = $1';
        const r = oneRow(LeaseRow, (await rows(pool, sql, [name]))[0], sql);
        return r && r.expires_at > now ? { holder: r.holder, expiresAt: r.expires_at } : undefined;
      },
    },

    seen: {
      async firstTime(key, now, keepMs) {
        if (now - lastPurge > keepMs / PURGES_PER_KEEP) {
          lastPurge = now;
          await pool.query('DELETE FROM seen WHERE seen_at < $1', [now - keepMs]);
        }
        const inserted = await changed(
          pool,
          'INSERT INTO seen (key, seen_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at WHERE seen.seen_at < $3',
          [key, now, now - keepMs],
        );
        return inserted === 1;
      },
    },

    conversationRefs: {
      async get(platform, conversation) {
        const sql = 'SELECT reference FROM conversation_refs WHERE platform = $1 AND conversation = $2';
        return oneRow(ReferenceRow, (await rows(pool, sql, [platform, conversation]))[0], sql)?.reference;
      },
      async insert(platform, conversation, reference, at) {
        const sql =
          'INSERT INTO conversation_refs (platform, conversation, reference, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING';
        return (await changed(pool, sql, [platform, conversation, reference, at.toISOString()])) === 1;
      },
      async update(platform, conversation, reference, at) {
        await pool.query('UPDATE conversation_refs SET reference = $1, updated_at = $2 WHERE platform = $3 AND conversation = $4', [
          reference,
          at.toISOString(),
          platform,
          conversation,
        ]);
      },
    },

    clearances: {
      async get(scope, platform, subject) {
        const sql = 'SELECT level FROM clearances WHERE scope = $1 AND platform = $2 AND subject = $3';
        return oneRow(LevelRow, (await rows(pool, sql, [scope, platform, subject]))[0], sql)?.level;
      },
      async set(scope, platform, subject, level, by, at) {
        await pool.query(
          `INSERT INTO clearances (scope, platform, subject, level, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (scope, platform, subject) DO UPDATE SET level = excluded.level, set_by = excluded.set_by, set_at = excluded.set_at`,
          [scope, platform, subject, level, by, at.toISOString()],
        );
      },
    },

    audit: {
      async append(e) {
        await pool.query('INSERT INTO audit (at, platform, actor, action, place, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
          e.at,
          e.platform,
          e.actor,
          e.action,
          e.place,
          e.detail,
        ]);
      },
      async recent(limit) {
        const sql = 'SELECT * FROM audit ORDER BY id DESC LIMIT $1';
        return allRows(AuditRow, await rows(pool, sql, [limit]), sql);
      },
    },

    contexts: {
      async get(key) {
        const sql = 'SELECT context, updated_at FROM conversation_context WHERE key = $1';
        return oneRow(ContextRow, (await rows(pool, sql, [key]))[0], sql);
      },
      async set(key, context, at) {
        await pool.query(
          `INSERT INTO conversation_context (key, context, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at`,
          [key, context, at],
        );
      },
      async purgeBefore(at) {
        await pool.query('DELETE FROM conversation_context WHERE updated_at < $1', [at]);
      },
    },

    installations: {
      async save(key, sealed, at) {
        await pool.query(
          `INSERT INTO installations (key, sealed, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
          [key, sealed, at.toISOString()],
        );
      },
      async fetch(key) {
        const sql = 'SELECT sealed FROM installations WHERE key = $1';
        return oneRow(SealedRow, (await rows(pool, sql, [key]))[0], sql)?.sealed;
      },
      async delete(key) {
        return (await changed(pool, 'DELETE FROM installations WHERE key = $1', [key])) === 1;
      },
    },

    advisories: {
      async addAll(advisories, origin, now) {
        // One writer at a time takes max + 1, so a number becomes visible only after every lower one.
        return transaction(async (c) => {
          await c.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_SEQ_LOCK.toString()]);
          let seq = await lastSeq(c);
          const out: { id: string; seq: number; added: boolean }[] = [];
          for (const a of advisories) {
            const knownSql = 'SELECT seq FROM advisories WHERE id = $1';
            const known = oneRow(SeqRow, (await rows(c, knownSql, [a.id]))[0], knownSql);
            if (known) {
              out.push({ id: a.id, seq: known.seq, added: false });
              continue;
            }
            seq++;
            await c.query(
              `INSERT INTO advisories (id, seq, title, publisher, published, url, summary, entities, severity, sources, tlp, origin, added_at, vendor, product)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
              [a.id, seq, ...advisoryFields(a), origin, now.toISOString(), a.vendor ?? null, a.product ?? null],
            );
            out.push({ id: a.id, seq, added: true });
          }
          return out;
        });
      },
      async lastSeq() {
        return lastSeq(pool);
      },
      async between(afterSeq, upToSeq) {
        const sql = 'SELECT * FROM advisories WHERE seq > $1 AND seq <= $2 ORDER BY seq';
        return allRows(AdvisoryRow, await rows(pool, sql, [afterSeq, upToSeq]), sql);
      },
      async after(afterSeq, limit) {
        const sql = 'SELECT * FROM advisories WHERE seq > $1 ORDER BY seq LIMIT $2';
        return allRows(AdvisoryRow, await rows(pool, sql, [afterSeq, limit]), sql);
      },
    },

    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

/** Claimants of pending rows after `afterId` that ran on this host and whose process is gone. */
async function goneClaimants(pool: pg.Pool, afterId: number, now: number): Promise<string[]> {
  const sql =
    "SELECT DISTINCT claimed_by AS holder FROM outbox WHERE status = 'pending' AND id > $1 AND claimed_by IS NOT NULL AND claimed_until > $2";
  const holders = allRows(HolderRow, (await pool.query(sql, [afterId, now])).rows as unknown[], sql);
  return holders.map((h) => h.holder).filter(holderIsGone);
}
