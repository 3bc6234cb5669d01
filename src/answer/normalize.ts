/**
 * Text normalisation shared by the knowledge loader (alias uniqueness) and the resolver.
 * Normalised names are lower-case, without diacritics or punctuation, single-spaced, and
 * without trailing corporate suffixes or a leading "the".
 */

const CORPORATE_SUFFIXES = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'llc', 'plc',
  'gmbh', 'ag', 'sa', 'group', 'holdings', 'holding',
]);

/** Removes Slack and Teams mention and formatting markup, leaving the words a person typed. */
export function stripChatMarkup(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ') // Teams mention of the bot or a person
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ') // Slack user mention
    .replace(/<!(?:channel|here|everyone)[^>]*>/g, ' ')
    .replace(/<!subteam\^[^>|]*(?:\|([^>]*))?>/g, ' ')
    .replace(/<#[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => (name ? ` #${name} ` : ' '))
    .replace(/<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>/g, (_m, url: string, label: string | undefined) => label ?? url)
    .replace(/<\/?[a-z][^>]*>/gi, ' ') // stray HTML from Teams
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/(^|\s)[*_~`]+|[*_~`]+(?=\s|$|[?!.,])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower-case words without diacritics or punctuation; keeps letters of every script. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function normalizeName(name: string): string {
  const tokens = normalizeText(name).split(' ').filter(Boolean);
  while (tokens.length > 1 && CORPORATE_SUFFIXES.has(tokens[tokens.length - 1]!)) tokens.pop();
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  return tokens.join(' ');
}

/** Order-insensitive key: "bogachev evgeniy" and "evgeniy bogachev" share it. */
export function nameKey(normalized: string): string {
  return normalized.split(' ').sort().join(' ');
}

/** Damerau–Levenshtein (optimal string alignment) distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = b.length + 1;
  let prevPrev = new Array<number>(rows).fill(0);
  let prev = Array.from({ length: rows }, (_, j) => j);
  let cur = new Array<number>(rows).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < rows; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[rows - 1]!;
}
