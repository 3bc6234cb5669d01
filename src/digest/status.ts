import { createAccess } from '../access/access.js';
import { createKnowledgeView } from '../access/knowledge-view.js';
import { withheldNote } from '../answer/engine.js';
import type { Reply } from '../answer/reply.js';
import type { Tlp } from '../base/tlp.js';
import type { FactStore } from '../store/fact-store.js';
import type { Db } from '../store/open.js';
import type { SharedState } from '../store/shared/state.js';
import { composeDigest, DEFAULT_MAX_ITEMS } from './compose-digest.js';
import { createRangeReader } from './pass.js';
import { nextRunWithinYear } from './schedule.js';
import type { Subscription } from './subscriptions.js';

/**
 * What the digests are doing, for the admin view and the console page: when each subscription
 * runs next and what it would send, and the outbox of pending and delivered digests.
 */

export interface DigestPreview {
  /** The next scheduled run, or null when it is more than a year away. */
  nextRun: Date | null;
  /** The clearance the digest is composed at (the conversation's). */
  clearance: Tlp;
  /** The digest as the next run would send it now; absent when nothing new passes its filters. */
  reply?: Reply;
}

/** The next digest of a subscription, composed as a pass would compose it at its next run with what is stored now. */
export async function previewNextDigest(store: FactStore, state: SharedState, sub: Subscription, now: Date): Promise<DigestPreview> {
  store.syncCache();
  const clearance = await createAccess(state, {}).clearanceOf(sub);
  const nextRun = nextRunWithinYear(sub, now);
  const batch = await createRangeReader(state.advisories)(sub, await state.advisories.lastSeq(), clearance, DEFAULT_MAX_ITEMS);
  if (batch.total === 0) return { nextRun, clearance };
  const withheld = batch.held > 0 ? withheldNote(batch.held, clearance) : undefined;
  const reply = composeDigest(createKnowledgeView(store, clearance), sub, batch.newest, DEFAULT_MAX_ITEMS, withheld, batch.total);
  return { nextRun, clearance, reply };
}

export interface OutboxEntry {
  id: number;
  subscriptionId: number;
  platform: string;
  conversation: string;
  status: 'pending' | 'sent';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  reply: Reply;
}

type Row = Record<string, unknown>;

function toEntry(r: Row): OutboxEntry {
  return {
    id: Number(r.id),
    subscriptionId: Number(r.subscription_id),
    platform: String(r.platform),
    conversation: String(r.conversation),
    status: r.status === 'sent' ? 'sent' : 'pending',
    attempts: Number(r.attempts),
    lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: String(r.created_at),
    sentAt: r.sent_at === null ? null : String(r.sent_at),
    reply: JSON.parse(String(r.reply)) as Reply,
  };
}

const OUTBOX_SELECT = `SELECT o.id, o.subscription_id, o.status, o.attempts, o.last_error, o.created_at, o.sent_at, o.reply,
  s.platform, s.conversation FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id`;

/** The newest digests of every conversation, pending first, then delivered. */
export function recentDigests(db: Db, limit: number): OutboxEntry[] {
  return (db.prepare(`${OUTBOX_SELECT} ORDER BY o.status = 'sent', o.id DESC LIMIT ?`).all(limit) as Row[]).map(toEntry);
}

/** Digests delivered to one conversation after outbox row `afterId`, oldest first. */
export function deliveredDigests(db: Db, platform: string, conversation: string, afterId: number, limit: number): OutboxEntry[] {
  return (
    db
      .prepare(`${OUTBOX_SELECT} WHERE s.platform = ? AND s.conversation = ? AND o.status = 'sent' AND o.id > ? ORDER BY o.id LIMIT ?`)
      .all(platform, conversation, afterId, limit) as Row[]
  ).map(toEntry);
}
