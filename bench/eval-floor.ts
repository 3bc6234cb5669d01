/**
 * The held-out floor CI holds the bot to, set from measurement (npm run eval) and raised as the
 * bot improves; never lowered to make a change pass. The aim is 95 % and no hallucination.
 */
export const HELD_OUT_FLOOR = 0.72;
/** Held-out answers that say a must-not-say item, at most (the aim is 0). */
export const HELD_OUT_HALLUCINATIONS = 19;
