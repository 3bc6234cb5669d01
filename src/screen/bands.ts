/**
 * The three verdicts of a screening and where their bands start. The numbers were set on the
 * tuning split of eval/screening/ (labelled query/name pairs from real SDN and ALT.CSV names)
 * and checked once on its frozen held-out split; docs/screening.md gives the figures and how
 * `npm run bench` reproduces them.
 */
export type ScreeningOutcome = 'listed' | 'review' | 'no-record';

export const BANDS = {
  /** "listed": at least this score, every word typed matched, not a surname alone, not a weak alias. */
  listed: 0.9,
  /** "possible match — review": at least this score. Below it, "no record". */
  review: 0.72,
} as const;

/**
 * A weak alias (OFAC's "weak AKAs": broad names it does not expect screening on alone) counts
 * for this share of its score, so even an exact one is a review.
 */
export const WEAK_ALIAS_FACTOR = 0.75;

/** Other entries within this much of the best score are named beside it, with their types. */
export const NEAR_MARGIN = 0.05;

/** At most this many other entries are named. */
export const MAX_OTHERS = 4;

/**
 * A match on an entry a newer edition of the list left out is no "listed": it is a review that
 * says so (a former designation matters to due diligence, but the name is no longer on the list).
 */
export function delistedVerdict(
  outcome: ScreeningOutcome,
  basis: string,
  entry: { status: string; delistedOn?: string },
): { outcome: ScreeningOutcome; basis: string } {
  if (entry.status !== 'delisted' || outcome === 'no-record') return { outcome, basis };
  return {
    outcome: 'review',
    basis: `formerly listed: delisted${entry.delistedOn ? ` in the ${entry.delistedOn} edition` : ''}; ${basis}`,
  };
}
