import type { FactStore } from '../fact-store.js';
import { createLeases, holderIsGone } from '../leases.js';
import {
  AdvisoryRow,
  AuditRow,
  allRows,
  ClaimantRow,
  ContextRow,
  CountRow,
  HolderRow,
  LevelRow,
  OUTBOX_RECORD_SELECT,
  OutboxRecordRow,
  OutboxRowSummary,
  oneRow,
  PendingDigestRow,
  ReferenceRow,
  SealedRow,
  SubscriptionRow,
  ValueRow,
} from './rows.js';
import type { SharedState } from './state.js';

/**
 * The shared state in the SQLite store itself (the embedded default: one process, or several on
 * one host sharing the file). Statements run synchronously; the promises are already settled.
 */
export function createSqliteState(store: FactStore): SharedState {
  const db = store.db;
  const q = (sql: string) => ({ sql, stmt: db.prepare(sql) });

  const subscriptionBy = q(
    'SELECT * FROM subscriptions WHERE platform = ? AND conversation = ? AND cron = ? AND timezone = ? AND filters = ?',
  );
  const subscriptionInsert = q(
    `INSERT INTO subscriptions (platform, conversation, cron, timezone, label, filters, created_by, created_at, last_seq, last_run_at, team)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const subscriptionGet = q('SELECT * FROM subscriptions WHERE id = ?');
  const subscriptionsOf = q('SELECT * FROM subscriptions WHERE platform = ? AND conversation = ? ORDER BY id');
  const subscriptionsAll = q('SELECT * FROM subscriptions ORDER BY id');
  const removeAll = q('DELETE FROM subscriptions WHERE platform = ? AND conversation = ?');
  const removeOne = q('DELETE FROM subscriptions WHERE platform = ? AND conversation = ? AND id = ?');
  const removeTeam = q('DELETE FROM subscriptions WHERE platform = ? AND team = ?');
  const advisorySeq = q("SELECT value FROM meta WHERE key = 'advisory_seq'");

  const advance = q('UPDATE subscriptions SET last_seq = ?, last_run_at = ? WHERE id = ? AND last_seq = ? AND last_run_at = ?');
  const queue = q(
    "INSERT INTO outbox (subscription_id, from_seq, to_seq, reply, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (subscription_id, to_seq) DO NOTHING",
  );
  const nextFree = q(
    `SELECT o.id, o.claimed_by, o.claimed_until FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
     WHERE o.status = 'pending' AND o.id > ? AND s.platform IN (SELECT value FROM json_each(?))
       AND (o.claimed_by IS NULL OR o.claimed_by = ? OR o.claimed_until <= ? OR o.claimed_by IN (SELECT value FROM json_each(?)))
     ORDER BY o.id LIMIT 1`,
  );
  const claimants = q(
    "SELECT DISTINCT claimed_by AS holder FROM outbox WHERE status = 'pending' AND id > ? AND claimed_by IS NOT NULL AND claimed_until > ?",
  );
  const claim = q("UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND status = 'pending'");
  const pendingRow = q(
    'SELECT o.id, o.reply, o.sending_at, s.platform, s.conversation, s.team FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id WHERE o.id = ?',
  );
  const markSending = q('UPDATE outbox SET sending_at = ? WHERE id = ?');
  const markSent = q(
    "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL WHERE id = ? AND status = 'pending'",
  );
  const markFailed = q(
    'UPDATE outbox SET attempts = attempts + 1, last_error = ?, sending_at = CASE WHEN ? THEN sending_at END, claimed_by = NULL, claimed_until = NULL WHERE id = ?',
  );
  const pendingCount = q("SELECT count(*) AS n FROM outbox WHERE status = 'pending'");
  const outboxOf = q('SELECT id, status, from_seq, to_seq, attempts FROM outbox WHERE subscription_id = ? ORDER BY id');
  const outboxRecent = q(`${OUTBOX_RECORD_SELECT} ORDER BY o.status = 'sent', o.id DESC LIMIT ?`);
  const outboxPending = q(`${OUTBOX_RECORD_SELECT} WHERE o.status = 'pending' ORDER BY o.id LIMIT ?`);
  const outboxDelivered = q(
    `${OUTBOX_RECORD_SELECT} WHERE s.platform = ? AND s.conversation = ? AND o.status = 'sent' AND o.id > ? ORDER BY o.id LIMIT ?`,
  );

  const leases = createLeases(db);

  const seenInsert = q(
    'INSERT INTO seen (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at WHERE seen.seen_at < ?',
  );
  const seenPurge = q('DELETE FROM seen WHERE seen_at < ?');

  const refGet = q('SELECT reference FROM conversation_refs WHERE platform = ? AND conversation = ?');
  const refInsert = q(
    'INSERT INTO conversation_refs (platform, conversation, reference, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const refUpdate = q('UPDATE conversation_refs SET reference = ?, updated_at = ? WHERE platform = ? AND conversation = ?');

  const clearanceGet = q('SELECT level FROM clearances WHERE scope = ? AND platform = ? AND subject = ?');
  const clearanceSet = q(
    `INSERT INTO clearances (scope, platform, subject, level, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, platform, subject) DO UPDATE SET level = excluded.level, set_by = excluded.set_by, set_at = excluded.set_at`,
  );
  const auditInsert = q('INSERT INTO audit (at, platform, actor, action, place, detail) VALUES (?, ?, ?, ?, ?, ?)');
  const auditRecent = q('SELECT * FROM audit ORDER BY id DESC LIMIT ?');

  const contextGet = q('SELECT context, updated_at FROM conversation_context WHERE key = ?');
  const contextSet = q(
    `INSERT INTO conversation_context (key, context, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at`,
  );
  const contextPurge = q('DELETE FROM conversation_context WHERE updated_at < ?');

  const installationSave = q(
    `INSERT INTO installations (key, sealed, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
  );
  const installationGet = q('SELECT sealed FROM installations WHERE key = ?');
  const installationDelete = q('DELETE FROM installations WHERE key = ?');

  // A feed's baseline (its first sync, the shipped snapshot) is answered from but never digested.
  const advisoriesBetween = q('SELECT * FROM advisories WHERE seq > ? AND seq <= ? AND baseline = 0 ORDER BY seq');
  const advisoriesAfter = q('SELECT * FROM advisories WHERE seq > ? ORDER BY seq LIMIT ?');

  let lastPurge = 0;
  const lastSeq = () => Number(oneRow(ValueRow, advisorySeq.stmt.get(), advisorySeq.sql)?.value ?? 0);
  const subscriptionById = (id: number) => oneRow(SubscriptionRow, subscriptionGet.stmt.get(id), subscriptionGet.sql);

  return {
    engine: 'sqlite',
    subscriptions: {
      async add(sub, now) {
        return db
          .transaction(() => {
            const filters = JSON.stringify(sub.filters);
            const { cron, timezone, label } = sub.schedule;
            const existing = oneRow(
              SubscriptionRow,
              subscriptionBy.stmt.get(sub.platform, sub.conversation, cron, timezone, filters),
              subscriptionBy.sql,
            );
            if (existing) return { subscription: existing, created: false };
            const at = now.toISOString();
            const info = subscriptionInsert.stmt.run(
              sub.platform,
              sub.conversation,
              cron,
              timezone,
              label,
              filters,
              sub.createdBy ?? null,
              at,
              lastSeq(),
              at,
              sub.team ?? null,
            );
            return { subscription: subscriptionById(Number(info.lastInsertRowid))!, created: true };
          })
          .immediate();
      },
      async get(id) {
        return subscriptionById(id);
      },
      async forConversation(platform, conversation) {
        return allRows(SubscriptionRow, subscriptionsOf.stmt.all(platform, conversation), subscriptionsOf.sql);
      },
      async all() {
        return allRows(SubscriptionRow, subscriptionsAll.stmt.all(), subscriptionsAll.sql);
      },
      async remove(platform, conversation, id) {
        return (id === undefined ? removeAll.stmt.run(platform, conversation) : removeOne.stmt.run(platform, conversation, id)).changes;
      },
      async removeTeam(platform, team) {
        return removeTeam.stmt.run(platform, team).changes;
      },
    },

    outbox: {
      async advance(seen, toSeq, at, digest) {
        return db
          .transaction(() => {
            if (advance.stmt.run(toSeq, at.toISOString(), seen.id, seen.lastSeq, seen.lastRunAt).changes !== 1) return undefined;
            if (digest) queue.stmt.run(seen.id, digest.fromSeq, digest.toSeq, digest.reply, at.toISOString());
            return Boolean(digest);
          })
          .immediate();
      },
      async claimNext(holder, platforms, afterId, ttlMs, now) {
        const id = db
          .transaction(() => {
            // Claimants on this host whose process is gone (kill -9) need not be waited for.
            const gone = allRows(HolderRow, claimants.stmt.all(afterId, now), claimants.sql)
              .map((c) => c.holder)
              .filter(holderIsGone);
            const row = oneRow(
              ClaimantRow,
              nextFree.stmt.get(afterId, JSON.stringify(platforms), holder, now, JSON.stringify(gone)),
              nextFree.sql,
            );
            if (row) claim.stmt.run(holder, now + ttlMs, row.id);
            return row?.id;
          })
          .immediate();
        return id === undefined ? undefined : oneRow(PendingDigestRow, pendingRow.stmt.get(id), pendingRow.sql);
      },
      async markSending(id, at) {
        markSending.stmt.run(at.toISOString(), id);
      },
      async markSent(id, at) {
        markSent.stmt.run(at.toISOString(), id);
      },
      async markFailed(id, error, inFlight = false) {
        markFailed.stmt.run(error, inFlight ? 1 : 0, id);
      },
      async pendingCount() {
        return oneRow(CountRow, pendingCount.stmt.get(), pendingCount.sql)?.n ?? 0;
      },
      async ofSubscription(subscriptionId) {
        return allRows(OutboxRowSummary, outboxOf.stmt.all(subscriptionId), outboxOf.sql);
      },
      async recent(limit) {
        return allRows(OutboxRecordRow, outboxRecent.stmt.all(limit), outboxRecent.sql);
      },
      async pending(limit) {
        return allRows(OutboxRecordRow, outboxPending.stmt.all(limit), outboxPending.sql);
      },
      async delivered(platform, conversation, afterId, limit) {
        return allRows(OutboxRecordRow, outboxDelivered.stmt.all(platform, conversation, afterId, limit), outboxDelivered.sql);
      },
    },

    leases: {
      async acquire(name, holder, ttlMs, now) {
        return leases.acquire(name, holder, ttlMs, now);
      },
      async release(name, holder) {
        leases.release(name, holder);
      },
      async holder(name, now) {
        return leases.holder(name, now);
      },
    },

    seen: {
      async firstTime(key, now, keepMs) {
        if (now - lastPurge > keepMs / PURGES_PER_KEEP) {
          seenPurge.stmt.run(now - keepMs);
          lastPurge = now;
        }
        return seenInsert.stmt.run(key, now, now - keepMs).changes === 1;
      },
    },

    conversationRefs: {
      async get(platform, conversation) {
        return oneRow(ReferenceRow, refGet.stmt.get(platform, conversation), refGet.sql)?.reference;
      },
      async insert(platform, conversation, reference, at) {
        return refInsert.stmt.run(platform, conversation, reference, at.toISOString()).changes === 1;
      },
      async update(platform, conversation, reference, at) {
        refUpdate.stmt.run(reference, at.toISOString(), platform, conversation);
      },
    },

    clearances: {
      async get(scope, platform, subject) {
        return oneRow(LevelRow, clearanceGet.stmt.get(scope, platform, subject), clearanceGet.sql)?.level;
      },
      async set(scope, platform, subject, level, by, at) {
        clearanceSet.stmt.run(scope, platform, subject, level, by, at.toISOString());
      },
    },

    audit: {
      async append(e) {
        auditInsert.stmt.run(e.at, e.platform, e.actor, e.action, e.place, e.detail);
      },
      async recent(limit) {
        return allRows(AuditRow, auditRecent.stmt.all(limit), auditRecent.sql);
      },
    },

    contexts: {
      async get(key) {
        return oneRow(ContextRow, contextGet.stmt.get(key), contextGet.sql);
      },
      async set(key, context, at) {
        contextSet.stmt.run(key, context, at);
      },
      async purgeBefore(at) {
        contextPurge.stmt.run(at);
      },
    },

    installations: {
      async save(key, sealed, at) {
        installationSave.stmt.run(key, sealed, at.toISOString());
      },
      async fetch(key) {
        return oneRow(SealedRow, installationGet.stmt.get(key), installationGet.sql)?.sealed;
      },
      async delete(key) {
        return installationDelete.stmt.run(key).changes === 1;
      },
    },

    advisories: {
      async addAll(advisories, origin, now) {
        return db.transaction(() => advisories.map((a) => ({ id: a.id, ...store.addAdvisory(a, origin, now) }))).immediate();
      },
      async lastSeq() {
        return lastSeq();
      },
      async between(afterSeq, upToSeq) {
        return allRows(AdvisoryRow, advisoriesBetween.stmt.all(afterSeq, upToSeq), advisoriesBetween.sql);
      },
      async after(afterSeq, limit) {
        return allRows(AdvisoryRow, advisoriesAfter.stmt.all(afterSeq, limit), advisoriesAfter.sql);
      },
    },

    async ping() {
      db.prepare('SELECT 1').get();
    },
    // The store's connection is the fact store's: it closes it.
    async close() {},
  };
}

/** Expired keys are purged this many times per keeping period (then at most a tenth more are kept). */
export const PURGES_PER_KEEP = 10;
