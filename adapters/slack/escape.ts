const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' } as const;

/**
 * The one escape for text that becomes Slack message text. `&`, `<` and `>` are Slack's control
 * characters: escaped (in one pass, so no `&` is escaped twice), a user's `<!channel>` or
 * `<https://evil|bank>` renders literally instead of pinging everyone or forging a link.
 * Nothing else is encoded.
 */
export function escapeSlack(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => ENTITIES[c as keyof typeof ENTITIES]) : text;
}

/**
 * `raw` escaped and split into pieces of at most `max` characters each (counted after escaping),
 * preferring to break at a space, and never inside an entity like `&amp;` or a surrogate pair.
 */
export function escapeAndSplit(raw: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = raw;
  while (escapeSlack(rest).length > max) {
    let n = Math.min(rest.length, max);
    while (n > 1 && escapeSlack(rest.slice(0, n)).length > max) n = Math.max(1, n - (escapeSlack(rest.slice(0, n)).length - max));
    const space = rest.lastIndexOf(' ', n);
    if (space > n / 2) n = space;
    if (n > 1 && isHighSurrogate(rest.charCodeAt(n - 1))) n -= 1;
    pieces.push(escapeSlack(rest.slice(0, n).trimEnd()));
    rest = rest.slice(n).trimStart();
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(escapeSlack(rest));
  return pieces;
}

/** `raw` escaped and, if longer than `max` characters after escaping, cut with "…". */
export function escapeAndFit(raw: string, max: number): string {
  const whole = escapeSlack(raw);
  return whole.length <= max ? whole : `${escapeAndSplit(raw, max - 1)[0]!}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A mrkdwn link `<url|label>`: only for http(s) URLs, the label escaped, the URL's control characters encoded. */
export function mrkdwnLink(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return escapeSlack(label);
  return `<${escapeSlack(url).replace(/\|/g, '%7C')}|${escapeSlack(label)}>`;
}
