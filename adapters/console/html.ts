/** HTML text for any value: the five characters that could end a text node or an attribute are encoded. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ENTITIES[c as keyof typeof HTML_ENTITIES]);
}

const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as const;

/** A safe link target: http(s) only, so that stored data cannot become a javascript: link. */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : undefined;
}

/**
 * The console's pages: one stylesheet and one script, both from this server (the
 * Content-Security-Policy allows nothing else); `body` is already escaped HTML.
 */
export function page({ title, body, scripts = [], csrf }: { title: string; body: string; scripts?: string[]; csrf: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrf)}">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/console/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/vendor/adaptivecards.css">
<link rel="stylesheet" href="/console/assets/console.css">
${scripts.map((s) => `<script src="${escapeHtml(s)}" defer></script>`).join('\n')}
</head>
<body>
${body}
</body>
</html>
`;
}

/** A request the console refuses, with the status and the sentence the user sees. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}
