/**
 * What the resolver's scores are made of, in one table. A score runs from 0 to 1: 1 is a name
 * or alias written exactly; `decide` says what a score leads to. Every other number here is what
 * a kind of match is worth at most, or a factor that a difference from the name asked about
 * multiplies it by. Tuned on the tuning split (`npm run eval -- --split tune`), never on the
 * held-out questions.
 */
export const RESOLVER_WEIGHTS = {
  /** What the best score leads to (`ResolverOptions`; MATCH_THRESHOLD overrides `threshold`). */
  decide: {
    /** At or above: answer about the entity without asking. */
    threshold: 0.8,
    /** Another entity scoring within this of the best makes the question ambiguous. */
    ambiguityMargin: 0.04,
    /** At or above: offer a "did you mean" (a "possible match" when screening); below: nothing. */
    suggestFloor: 0.62,
  },
  /** What a match of the whole name scores. */
  whole: {
    exact: 1,
    /** The name's words in another order ("Typhoon Flax"); people aside, whom lists write surname first. */
    wordOrder: 0.97,
    /** Every word matched, some with a typo: at most this, times the words' similarities. */
    typo: 0.96,
  },
  /** How close a misspelt word is: 1 less `costPerShare` × the share of letters changed, never under `floor`. */
  typo: {
    costPerShare: 0.9,
    floor: 0.5,
    /** Two neighbouring letters swapped ("tehc") count as this many edits. */
    swapEdits: 0.5,
    /** Another romanisation of a name word ("aleksey"/"alexey") is a convention, not a typo. */
    variantSpelling: 0.95,
  },
  /** Some words of a longer name ("Juxinhe" for "Sichuan Juxinhe Network Technology"). */
  partial: {
    /** `base` + `coverage` × the share of the name's letters the words matched. */
    base: 0.5,
    coverage: 0.35,
    /** A person by surname and first given name, without middle names ("Evgeniy Bogachev"). */
    personWithoutMiddleNames: 0.88,
    /** The surname alone ("is Korobov sanctioned?"): worth a review, never a yes. */
    surnameAlone: 0.66,
    /** A name found through a word that only it holds (mentions.ts). */
    uniqueWord: 0.9,
  },
  /** Factors for what a partial match leaves out or adds. */
  penalty: {
    /** The name has a number the question leaves out ("BALTIC ENERGY 6" for "Baltic Energy"). */
    unmatchedNumber: 0.9,
    /** The question says more around the match: for a person listed as "HASSAN, Jamil", "George Hassan" is someone else. */
    extraWordsPerson: 0.8,
    /** …and for other names the extra words are likely part of a different name ("Acme Caribbean Airlines"). */
    extraWordsOther: 0.9,
    /** A weak alias (a vendor's loose name) multiplies any score: an exact weak alias scores 0.75. */
    weakAlias: 0.75,
  },
  /**
   * Screening a name: a match on part of the name asked about is worth `base` + `share` × the
   * share of its letters the match holds (1 when it holds all: "Golden Star Trading" is not "STAR TRADING").
   */
  screeningCoverage: { base: 0.4, share: 0.45 },
} as const;

/** How much of a question the resolver looks at, and how hard: bounds on work, not scores. */
export const RESOLVER_LIMITS = {
  /** Words of a question read at all (the rest is a paste). */
  questionWords: 64,
  /** The longest run of words tried as a name. */
  spanWords: 8,
  /** Words shorter than this are matched only exactly (short words have too many neighbours). */
  typoMinLetters: 4,
  /** Words longer than this are matched only exactly (pastes; their deletions cost too much). */
  typoMaxLetters: 32,
  /** From this length a word may be two edits away, below it one. */
  twoEditsFromLetters: 8,
  /** Fuzzy candidates turned into matches per span; the rest cannot change the answer. */
  matchesPerSpan: 40,
  /** Choices offered when a question is ambiguous. */
  choices: 6,
  /** Names up to this many words are found by any one of their words, longer ones only by a first or last word. */
  shortNameWords: 3,
} as const;

/** Scores are kept to three decimals, so that equal scores compare equal. */
export function roundScore(n: number): number {
  return Math.round(n * 1000) / 1000;
}
