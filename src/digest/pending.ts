import type { Db } from '../store/open.js';

/** Pending digests listed by `digest run`; the rest are counted. */
const MAX_LISTED = 10;

/**
 * Why each digest is still pending, one line each: the platform's last error (the poster words
 * it with what to do), or that no poster for the platform ran, or that it was not tried yet.
 */
export function pendingReasons(db: Db, platforms: readonly string[]): string[] {
  const rows = db
    .prepare(
      `SELECT o.id, o.subscription_id, o.attempts, o.last_error, s.platform, s.conversation
       FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id WHERE o.status = 'pending' ORDER BY o.id`,
    )
    .all() as {
    id: number;
    subscription_id: number;
    attempts: number;
    last_error: string | null;
    platform: string;
    conversation: string;
  }[];
  const lines = rows.slice(0, MAX_LISTED).map((r) => {
    const why = !platforms.includes(r.platform)
      ? `not tried: this process has no ${r.platform} settings, so nothing posts there`
      : (r.last_error ?? 'not tried yet: an earlier digest to the platform failed in this pass, or the pass ran out of time');
    const tries = r.attempts === 1 ? '1 attempt' : `${r.attempts} attempts`;
    return `pending digest ${r.id} to ${r.platform} ${r.conversation} (subscription #${r.subscription_id}, ${tries}): ${why}`;
  });
  if (rows.length > MAX_LISTED) lines.push(`…and ${rows.length - MAX_LISTED} more pending digests`);
  return lines;
}
