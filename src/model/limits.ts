/**
 * Length caps on every field a user, a knowledge file, a webhook or a feed supplies, in
 * characters. Input from people and webhooks over a cap is refused, naming the field; a feed's
 * over-long text is shortened on import (and the import says so), so one bad row never sinks a
 * whole catalogue; and what the bot composes (a digest line) is clipped again, so rows stored
 * before the caps existed cannot swallow a message either. docs/security.md lists them.
 */
export const LIMITS = {
  /** A chat message to parse as a command. (Questions: the answer layer's own cap, MAX_QUESTION_LENGTH.) */
  commandChars: 2000,
  /** Subscriptions one conversation may have (each is evaluated at every minute tick). */
  subscriptionsPerConversation: 20,
  /** Filters on one subscription ("about a, b, c"), and the length of each. */
  subscriptionFilters: 10,
  filterChars: 100,
  /** Ids of advisories, entities and sources. */
  idChars: 200,
  advisoryTitle: 500,
  advisorySummary: 4000,
  publisher: 200,
  url: 2048,
  /** Entity ids an advisory names, and source ids any record cites. */
  advisoryEntities: 100,
  sourcesPerRecord: 50,
  entityName: 300,
  aliasName: 300,
  entitySummary: 4000,
  claimText: 2000,
  sanctionText: 4000,
  sourceTitle: 500,
} as const;

/** Text shortened to `max` characters, ending in an ellipsis when it was cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const atMost = (n: number) => ({ error: `at most ${n} characters` });
