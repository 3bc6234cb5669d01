import { createAccess } from '../access/access.js';
import { createKnowledgeView } from '../access/knowledge-view.js';
import { withheldNote } from '../answer/engine.js';
import type { Reply } from '../answer/reply.js';
import type { Tlp } from '../base/tlp.js';
import type { FactStore } from '../store/fact-store.js';
import type { OutboxRecord, SharedState } from '../store/shared/state.js';
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

/** A digest in the outbox with its reply read back. */
export type OutboxEntry = Omit<OutboxRecord, 'reply'> & { reply: Reply };

function withReply(r: OutboxRecord): OutboxEntry {
  return { ...r, reply: JSON.parse(r.reply) as Reply };
}

/** The newest digests of every conversation, pending first, then delivered. */
export async function recentDigests(state: SharedState, limit: number): Promise<OutboxEntry[]> {
  return (await state.outbox.recent(limit)).map(withReply);
}

/** Digests delivered to one conversation after outbox row `afterId`, oldest first. */
export async function deliveredDigests(
  state: SharedState,
  platform: string,
  conversation: string,
  afterId: number,
  limit: number,
): Promise<OutboxEntry[]> {
  return (await state.outbox.delivered(platform, conversation, afterId, limit)).map(withReply);
}
