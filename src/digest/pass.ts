import { createAccess } from '../access/access.js';
import { withClearance, withheldNote } from '../access/clearance-view.js';
import type { Reply } from '../answer/reply.js';
import { tlpAllows } from '../base/tlp.js';
import type { FactStore } from '../store/fact-store.js';
import { composeDigest, matchesFilters } from './compose-digest.js';
import { PostError, type Poster } from './poster.js';
import { previousRun } from './schedule.js';
import { SubscriptionStore } from './subscriptions.js';

export interface PassLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DigestPassOptions {
  store: FactStore;
  posters: readonly Poster[];
  /** The instant the pass runs "as of" (the scheduler's tick, or --at). */
  at: Date;
  /** Wall-clock budget for deliveries; what is not delivered by then stays pending. */
  budgetMs?: number;
  /** How long one post may take before it counts as failed. */
  postTimeoutMs?: number;
  maxItems?: number;
  logger?: PassLogger;
  /** Waits; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PassReport {
  due: number;
  skippedEmpty: number;
  queued: number;
  sent: number;
  failed: number;
  pending: number;
}

type Row = Record<string, unknown>;

/**
 * One digest pass. For each subscription with a scheduled time since its last pass it takes
 * the advisories added after the last sequence it covered (by order of addition, never by
 * timestamps), skips it when none pass its filters, and otherwise writes one outbox row in
 * the same transaction that advances the subscription. Then every pending outbox row is
 * posted and marked sent; a failure leaves the row pending for the next pass.
 */
export async function runDigestPass(opts: DigestPassOptions): Promise<PassReport> {
  const { store, at } = opts;
  const db = store.db;
  const subs = new SubscriptionStore(db);
  const report: PassReport = { due: 0, skippedEmpty: 0, queued: 0, sent: 0, failed: 0, pending: 0 };
  store.syncCache();
  const upTo = store.lastAdvisorySeq();
  const access = createAccess(db, {});

  const advance = db.prepare('UPDATE subscriptions SET last_seq = ?, last_run_at = ? WHERE id = ?');
  const queue = db.prepare(
    "INSERT INTO outbox (subscription_id, from_seq, to_seq, reply, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (subscription_id, to_seq) DO NOTHING",
  );
  for (const sub of subs.all()) {
    // Only runs since the last one handled count: the look-back stops there, so each tick costs a probe or two.
    const scheduled = previousRun(sub, at, { after: new Date(sub.lastRunAt) });
    if (!scheduled) continue;
    report.due++;
    // The digest shows only what the conversation's clearance allows; the rest is never sent there.
    const clearance = access.clearanceOf({ platform: sub.platform, conversation: sub.conversation });
    const { view } = withClearance(store, clearance);
    const due = upTo > sub.lastSeq ? store.advisoriesAfter(sub.lastSeq).filter((a) => a.seq <= upTo && matchesFilters(a, sub.filters)) : [];
    const fresh = due.filter((a) => tlpAllows(clearance, a.tlp));
    const held = due.length - fresh.length;
    const reply =
      fresh.length > 0 ? composeDigest(view, sub, fresh, opts.maxItems, held > 0 ? withheldNote(held, clearance) : undefined) : undefined;
    db.transaction(() => {
      if (reply) {
        queue.run(sub.id, sub.lastSeq + 1, upTo, JSON.stringify(reply), at.toISOString());
        report.queued++;
      } else {
        report.skippedEmpty++;
      }
      advance.run(Math.max(upTo, sub.lastSeq), at.toISOString(), sub.id);
    }).immediate();
  }

  await deliverPending(opts, report);
  report.pending = Number(db.prepare("SELECT count(*) FROM outbox WHERE status = 'pending'").pluck().get());
  opts.logger?.info({ ...report, at: at.toISOString() }, 'digest pass finished');
  return report;
}

async function deliverPending(opts: DigestPassOptions, report: PassReport): Promise<void> {
  const db = opts.store.db;
  const budgetMs = opts.budgetMs ?? 30_000;
  const postTimeoutMs = opts.postTimeoutMs ?? 10_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + budgetMs;
  const posters = new Map(opts.posters.map((p) => [p.platform, p]));
  const failedPlatforms = new Set<string>();
  const rows = db
    .prepare(
      `SELECT o.id, o.reply, o.sending_at, s.platform, s.conversation FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
       WHERE o.status = 'pending' ORDER BY o.id`,
    )
    .all() as Row[];
  const markSent = db.prepare(
    "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND status = 'pending'",
  );
  const markSending = db.prepare('UPDATE outbox SET sending_at = ? WHERE id = ?');
  const markFailed = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, sending_at = NULL WHERE id = ?');

  for (const row of rows) {
    const platform = String(row.platform);
    const poster = posters.get(platform);
    // A platform that failed once in this pass is not tried again until the next one, so a
    // dead platform costs one timeout per pass, not one per digest.
    if (!poster || failedPlatforms.has(platform)) continue;
    const reply = JSON.parse(String(row.reply)) as Reply;
    const key = `threatbrief-digest-${String(row.id)}`;
    if (row.sending_at && poster.confirm) {
      // In flight when a previous process died: it may have arrived. Ask before posting again.
      try {
        const arrived = await poster.confirm(
          String(row.conversation),
          key,
          new Date(Date.parse(String(row.sending_at)) - 60_000),
          AbortSignal.timeout(Math.min(postTimeoutMs, Math.max(1, deadline - Date.now()))),
        );
        if (arrived) {
          markSent.run(new Date().toISOString(), Number(row.id));
          report.sent++;
          opts.logger?.info({ outbox: row.id, platform }, 'an in-flight digest had arrived before the restart; marked sent');
          continue;
        }
      } catch (err) {
        opts.logger?.warn(
          { outbox: row.id, platform, err: err instanceof Error ? err.message : String(err) },
          'could not check whether an in-flight digest arrived; posting it again',
        );
      }
    }
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      try {
        markSending.run(new Date().toISOString(), Number(row.id));
        await poster.post(String(row.conversation), reply, AbortSignal.timeout(Math.min(postTimeoutMs, remaining)), key);
        markSent.run(new Date().toISOString(), Number(row.id));
        report.sent++;
        break;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const retryAfter = err instanceof PostError ? err.retryAfterMs : undefined;
        if (retryAfter !== undefined && attempt === 0 && retryAfter < deadline - Date.now()) {
          opts.logger?.warn({ outbox: row.id, platform, retryAfter }, 'rate limited; waiting as asked');
          await sleep(retryAfter);
          continue;
        }
        markFailed.run(message.slice(0, 500), Number(row.id));
        report.failed++;
        failedPlatforms.add(platform);
        opts.logger?.warn({ outbox: row.id, platform, err: message }, 'digest delivery failed; it stays pending');
        break;
      }
    }
  }
}
