/**
 * The three verdicts of a screening and where their bands start. The numbers were set on the
 * tuning split of eval/screening/ (labelled query/name pairs from real SDN and ALT.CSV names)
 * and checked once on its frozen held-out split; docs/screening.md gives the figures and how
 * `npm run bench` reproduces them.
 */
export type ScreeningOutcome = 'listed' | 'review' | 'no-record';

export const BANDS = {
  /** "listed": at least this score, every word typed matched, not a surname alone, not a weak alias, not a look-alike (Screener). */
  listed: 0.9,
  /** "possible match — review": at least this score. Below it, "no record". */
  review: 0.72,
} as const;

/**
 * A name typed with words a listed name lacks is another party's name when the listed words it
 * shares account for less than this share of it, each word weighted by how rare it is on the
 * lists (`Screener.typedShare`). Set on the tuning split's look-alikes (a listed company with a
 * made-up word in front); docs/screening.md gives the figures.
 */
export const OTHER_PARTY_SHARE = 0.75;

/**
 * A word typed that the listed name lacks counts against it only when fewer than this share of
 * the listed names hold it (1 in 2,000: "trading", "bank", "branch", "leasing" are more common, and
 * are how a listed company's branches and subsidiaries are named).
 */
export const COMMON_WORD_SHARE = 0.0005;

/**
 * A name matched only on common words, with a part of the listed name left out, is a review
 * (`Screener`): a word held by fewer listed names than this is never common, however short the
 * list (on a list of fifty names one in 2,000 would make every word common).
 */
export const COMMON_WORD_MIN_NAMES = 3;

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
