import { createAccess } from '../access/access.js';
import { createKnowledgeView } from '../access/knowledge-view.js';
import { withheldNote } from '../answer/engine.js';
import type { Reply } from '../answer/reply.js';
import { type Tlp, tlpAllows } from '../base/tlp.js';
import type { AdvisoryRecord, FactStore } from '../store/fact-store.js';
import { retryWrite } from '../store/failures.js';
import { newHolderId } from '../store/leases.js';
import { createSqliteState } from '../store/shared/sqlite.js';
import type { SharedState } from '../store/shared/state.js';
import { composeDigest, DEFAULT_MAX_ITEMS, matchesFilters } from './compose-digest.js';
import { PostError, type Poster } from './poster.js';
import { previousRun } from './schedule.js';
import type { Subscription } from './subscriptions.js';

export interface PassLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DigestPassOptions {
  /** The knowledge the digests are composed from (names of entities, sources). */
  store: FactStore;
  /** Subscriptions, the outbox and the advisories' shared order; the SQLite store's own tables by default. */
  state?: SharedState;
  posters: readonly Poster[];
  /** The instant the pass runs "as of" (the scheduler's tick, or --at). */
  at: Date;
  /** Wall-clock budget for deliveries; what is not delivered by then stays pending. */
  budgetMs?: number;
  /** How long one post may take before it counts as failed. */
  postTimeoutMs?: number;
  maxItems?: number;
  logger?: PassLogger;
  /** Who claims the outbox rows this pass posts (the scheduler's lease holder id); a fresh id by default. */
  holder?: string;
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

/** Advisories are read in pages of this many sequence numbers, each page once per pass. */
const PAGE = 1000;
/** Pages kept for the other subscriptions of the same pass (subscriptions mostly share a range). */
const MAX_CACHED_PAGES = 64;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a subscription's digest holds: the newest `maxItems` it may show, the true count, and how many were held back. */
interface Batch {
  newest: AdvisoryRecord[];
  total: number;
  held: number;
}

/**
 * The advisories in (after, upTo] that pass a subscription's filters, newest first: however many
 * there are, every one is counted (the cursor moves past none that the digest did not account
 * for) while only the newest `maxItems` are kept. Pages are cached for the pass and the event loop
 * gets a turn between pages.
 */
export function createRangeReader(advisories: SharedState['advisories']) {
  const pages = new Map<number, AdvisoryRecord[]>();
  const page = async (k: number): Promise<AdvisoryRecord[]> => {
    const hit = pages.get(k);
    if (hit) return hit;
    await yieldToLoop();
    const rows = await advisories.between(k * PAGE, (k + 1) * PAGE);
    if (pages.size >= MAX_CACHED_PAGES) pages.delete(pages.keys().next().value!);
    pages.set(k, rows);
    return rows;
  };
  return async (sub: Subscription, upTo: number, clearance: Tlp, maxItems: number): Promise<Batch> => {
    const batch: Batch = { newest: [], total: 0, held: 0 };
    if (upTo <= sub.lastSeq) return batch;
    for (let k = Math.floor((upTo - 1) / PAGE); k >= Math.floor(sub.lastSeq / PAGE); k--) {
      const rows = await page(k);
      for (let i = rows.length - 1; i >= 0; i--) {
        const a = rows[i]!;
        if (a.seq > upTo || a.seq <= sub.lastSeq || !matchesFilters(a, sub.filters)) continue;
        if (!tlpAllows(clearance, a.tlp)) {
          batch.held++;
          continue;
        }
        batch.total++;
        if (batch.newest.length < maxItems) batch.newest.push(a);
      }
    }
    return batch;
  };
}

/**
 * One digest pass. For each subscription with a scheduled time since its last pass it takes
 * the advisories added after the last sequence it covered (by order of addition, never by
 * timestamps), skips it when none pass its filters, and otherwise writes one outbox row in
 * the same transaction that advances the subscription — only if no other pass advanced it
 * meanwhile, so two schedulers never queue the same range twice. Then every pending outbox row
 * is claimed, posted and marked sent; a failure leaves the row pending for the next pass.
 */
export async function runDigestPass(opts: DigestPassOptions): Promise<PassReport> {
  const { store, at } = opts;
  const state = opts.state ?? createSqliteState(store);
  const report: PassReport = { due: 0, skippedEmpty: 0, queued: 0, sent: 0, failed: 0, pending: 0 };
  store.syncCache();
  const upTo = await state.advisories.lastSeq();
  const access = createAccess(state, {});
  const maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
  const readRange = createRangeReader(state.advisories);

  for (const sub of await state.subscriptions.all()) {
    // Only runs since the last one handled count: the look-back stops there, so each tick costs a probe or two.
    const scheduled = previousRun(sub, at, { after: new Date(sub.lastRunAt) });
    if (!scheduled) continue;
    report.due++;
    // The digest shows only what the conversation's clearance allows; the rest is never sent there.
    const clearance = await access.clearanceOf(sub);
    const view = createKnowledgeView(store, clearance);
    const batch = await readRange(sub, upTo, clearance, maxItems);
    const reply =
      batch.total > 0
        ? composeDigest(view, sub, batch.newest, maxItems, batch.held > 0 ? withheldNote(batch.held, clearance) : undefined, batch.total)
        : undefined;
    // The subscription's state as read is the version: a pass that lost the race changes nothing.
    const queued = await state.outbox.advance(
      sub,
      Math.max(upTo, sub.lastSeq),
      at,
      reply ? { fromSeq: sub.lastSeq + 1, toSeq: upTo, reply: JSON.stringify(reply) } : undefined,
    );
    if (queued === undefined) opts.logger?.info({ subscription: sub.id }, 'another pass handled this subscription first');
    else if (queued) report.queued++;
    else report.skippedEmpty++;
    await yieldToLoop();
  }

  await deliverPending({ ...opts, state }, report);
  report.pending = await state.outbox.pendingCount();
  opts.logger?.info({ ...report, at: at.toISOString() }, 'digest pass finished');
  return report;
}

async function deliverPending(opts: DigestPassOptions & { state: SharedState }, report: PassReport): Promise<void> {
  const { outbox } = opts.state;
  const budgetMs = opts.budgetMs ?? 30_000;
  const postTimeoutMs = opts.postTimeoutMs ?? 10_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + budgetMs;
  const posters = new Map(opts.posters.map((p) => [p.platform, p]));
  const holder = opts.holder ?? newHolderId();
  // A claim outlives the whole pass, so that nobody else posts a row while this pass may still be posting it.
  const claimTtlMs = budgetMs + postTimeoutMs;
  // Recording the outcome of a post that went out must not be lost to a busy store: that would post it again.
  const markSent = (id: number) => retryWrite(() => outbox.markSent(id, new Date()), { budgetMs: OUTCOME_WRITE_BUDGET_MS });
  const markFailed = (message: string, id: number, inFlight: boolean) =>
    retryWrite(() => outbox.markFailed(id, message, inFlight), { budgetMs: OUTCOME_WRITE_BUDGET_MS });

  // Rows are claimed one at a time, in order; a second scheduler (or `digest run`, or another
  // replica) beside this one skips what this one claimed. A platform that failed once in this pass
  // is not tried again until the next one, so a dead platform costs one timeout per pass, not one per digest.
  // With many Slack workspaces, what failed is the workspace (its token, its rate limit): only its
  // rows wait for the next pass (left claimed until then); the other workspaces' are posted.
  const platforms = new Set(posters.keys());
  const failedWorkspaces = new Set<string>();
  let afterId = 0;
  while (platforms.size > 0 && Date.now() < deadline) {
    const row = await retryWrite(() => outbox.claimNext(holder, [...platforms], afterId, claimTtlMs, Date.now()));
    if (!row) return;
    afterId = row.id;
    const { platform } = row;
    const workspace = row.team === undefined ? undefined : `${platform}:${row.team}`;
    if (workspace && failedWorkspaces.has(workspace)) continue;
    const poster = posters.get(platform)!;
    const reply = JSON.parse(row.reply) as Reply;
    const key = `threatbrief-digest-${String(row.id)}`;
    if (row.sendingAt && poster.confirm) {
      // In flight when a previous process died: it may have arrived. Ask before posting again.
      try {
        const arrived = await poster.confirm(
          row.conversation,
          key,
          new Date(Date.parse(row.sendingAt) - 60_000),
          AbortSignal.timeout(Math.min(postTimeoutMs, Math.max(1, deadline - Date.now()))),
          row.team,
        );
        if (arrived) {
          await markSent(row.id);
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
        await outbox.markSending(row.id, new Date());
        await poster.post(row.conversation, reply, AbortSignal.timeout(Math.min(postTimeoutMs, remaining)), key, row.team);
        await markSent(row.id);
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
        // Unless the platform said no, the post may have arrived: it stays in flight, to be confirmed before posting again.
        const inFlight = !(err instanceof PostError) || err.mayHaveArrived;
        await markFailed(message.slice(0, 500), row.id, inFlight);
        report.failed++;
        if (workspace) failedWorkspaces.add(workspace);
        else platforms.delete(platform);
        opts.logger?.warn({ outbox: row.id, platform, err: message }, 'digest delivery failed; it stays pending');
        break;
      }
    }
  }
}

/** How long recording a post's outcome may wait for a busy store. */
const OUTCOME_WRITE_BUDGET_MS = 10_000;
