import * as z from 'zod';
import type { FactStore } from '../fact-store.js';
import { AdvisoryRow, allRows } from './rows.js';
import type { SharedState } from './state.js';

/** The origin of advisories copied from the shared state into a replica's local index. */
export const SHARED_ORIGIN = 'shared';
/** Advisories moved each way per round, at most; a big import is published over a few rounds. */
const BATCH = 1000;
const PUBLISHED_KEY = 'shared_published_local_seq';
const MIRRORED_KEY = 'shared_mirrored_seq';

const LOCAL_AFTER = 'SELECT * FROM advisories WHERE seq > ? ORDER BY seq LIMIT ?';
const LocalAdvisoryRow = z
  .object({ origin: z.string(), baseline: z.coerce.number() })
  .passthrough()
  .transform((r) => ({ origin: r.origin, baseline: r.baseline === 1, advisory: AdvisoryRow.parse(r) }));
const localAfter = (store: FactStore) => store.db.prepare(LOCAL_AFTER);

/**
 * One round of keeping a replica's local index and the shared advisories in step (PostgreSQL mode):
 * advisories this replica added locally (curated knowledge, an import into its store) are published
 * to the shared order, and advisories any replica shared (webhook, `advisory add`, other replicas'
 * imports) are copied into the local index, where answers read them. Run every few seconds;
 * progress is kept in the local store's meta table, and both directions skip what is already there
 * by id, so a round cut short is simply repeated.
 */
export async function syncAdvisories(
  store: FactStore,
  state: SharedState,
  now: Date = new Date(),
): Promise<{ published: number; mirrored: number }> {
  let published = 0;
  const publishedUpTo = Number(store.getMeta(PUBLISHED_KEY) ?? 0);
  const local = allRows(LocalAdvisoryRow, localAfter(store).all(publishedUpTo, BATCH), LOCAL_AFTER);
  // A feed's baseline stays local: it is never digested, and every replica loads its own feeds.
  const own = local.filter((r) => r.origin !== SHARED_ORIGIN && !r.baseline).map((r) => r.advisory);
  if (own.length > 0) published = (await state.advisories.addAll(own, 'replica', now)).filter((r) => r.added).length;
  if (local.length > 0) store.setMeta(PUBLISHED_KEY, String(local[local.length - 1]!.advisory.seq));

  let mirrored = 0;
  const mirroredUpTo = Number(store.getMeta(MIRRORED_KEY) ?? 0);
  const shared = await state.advisories.after(mirroredUpTo, BATCH);
  for (const a of shared) if (store.addAdvisory(a, SHARED_ORIGIN, now).added) mirrored++;
  if (shared.length > 0) store.setMeta(MIRRORED_KEY, String(shared[shared.length - 1]!.seq));
  return { published, mirrored };
}
