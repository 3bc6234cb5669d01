import type { OutboxRepo } from '../store/shared/state.js';

/** Pending digests listed by `digest run`; the rest are counted. */
const MAX_LISTED = 10;

/**
 * Why each digest is still pending, one line each: the platform's last error (the poster words
 * it with what to do), or that no poster for the platform ran, or that it was not tried yet.
 * Read from the shared outbox, so that on PostgreSQL it lists every replica's pending digests.
 */
export async function pendingReasons(outbox: OutboxRepo, platforms: readonly string[]): Promise<string[]> {
  const rows = await outbox.pending(MAX_LISTED);
  const lines = rows.map((r) => {
    const why = !platforms.includes(r.platform)
      ? `not tried: this process has no ${r.platform} settings, so nothing posts there`
      : (r.lastError ?? 'not tried yet: an earlier digest to the platform failed in this pass, or the pass ran out of time');
    const tries = r.attempts === 1 ? '1 attempt' : `${r.attempts} attempts`;
    return `pending digest ${r.id} to ${r.platform} ${r.conversation} (subscription #${r.subscriptionId}, ${tries}): ${why}`;
  });
  const total = await outbox.pendingCount();
  if (total > MAX_LISTED) lines.push(`…and ${total - MAX_LISTED} more pending digests`);
  return lines;
}
