import { stripChatMarkup } from '../base/normalize.js';
import { LIMITS } from '../model/limits.js';

/**
 * Reads the subscription and clearance commands out of a chat message. Kept apart from the
 * question path: a command's arguments are not a question (a cron `*` is not bold markup), and
 * a question that happens to start with a command word ("clearance for Salt Typhoon?") is not a
 * command.
 */
export type ChatCommand =
  | { verb: 'subscribe'; args: string }
  | { verb: 'unsubscribe'; args: string }
  | { verb: 'subscriptions' }
  | { verb: 'clearance'; level: string };

/** Stands in for a `*` that is not emphasis while the chat markup is stripped. */
const STAR = '\uE000';

/**
 * The message as a command line: mentions, links and emphasis markup go as for a question, but a
 * `*` with no letter or digit on either side (a cron field: `*`, `*\/15`, `1,*`) stays.
 */
export function commandText(raw: string): string {
  const kept = raw.replace(/(?<![\p{L}\p{N}])\*(?![\p{L}\p{N}])/gu, STAR);
  return stripChatMarkup(kept).replaceAll(STAR, '*');
}

export function parseCommand(raw: string): ChatCommand | undefined {
  // Longer than any command: a question (which the answer layer caps in its own way).
  if (raw.length > LIMITS.commandChars) return undefined;
  const m = /^\/?(subscribe|unsubscribe|subscriptions|clearance)\b\s*(.*)$/is.exec(commandText(raw));
  if (!m) return undefined;
  const verb = m[1]!.toLowerCase();
  const args = m[2]!.trim();
  switch (verb) {
    case 'subscribe':
      return { verb, args };
    case 'unsubscribe':
      return { verb, args };
    case 'subscriptions':
      // "subscriptions" alone, or with a question mark; anything longer is a question.
      return /^\??$/.test(args) ? { verb } : undefined;
    default:
      // "clearance" alone or with one level word ("clearance amber+strict"); several words or a
      // question mark make it a question ("clearance for Salt Typhoon?").
      return /^[^\s?]*$/.test(args) ? { verb: 'clearance', level: args } : undefined;
  }
}

/**
 * Splits "daily 09:00 Europe/London about Volt Typhoon, attacks on hospitals" at the first
 * "about", "for" or "on": the schedule before it, the comma-separated filters after it — each
 * kept whole, later keywords and all.
 */
export function splitSubscribeArgs(args: string): { schedule: string; filters: string[]; problem?: string } {
  const keyword = /\s+(?:about|for|on)\s+/i.exec(args);
  if (!keyword) return { schedule: args.trim(), filters: [] };
  const filters = args
    .slice(keyword.index + keyword[0].length)
    .split(/\s*,\s*/)
    .map((f) => f.trim())
    .filter(Boolean);
  const schedule = args.slice(0, keyword.index).trim();
  // Each filter is checked against every new advisory at every pass: bounded, like everything else.
  if (filters.length > LIMITS.subscriptionFilters)
    return {
      schedule,
      filters: [],
      problem: `A subscription takes at most ${LIMITS.subscriptionFilters} filters; this one has ${filters.length}.`,
    };
  const long = filters.find((f) => f.length > LIMITS.filterChars);
  if (long)
    return { schedule, filters: [], problem: `Each filter may be at most ${LIMITS.filterChars} characters; one has ${long.length}.` };
  return { schedule, filters };
}
