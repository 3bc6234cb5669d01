const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2025-01-03" → "3 January 2025", "2024-06" → "June 2024", "2021" → "2021". */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  if (!m) return y ?? date;
  const month = MONTHS[Number(m) - 1] ?? m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

const TYPE_LABELS: Record<string, string> = {
  'threat-actor': 'Threat actor',
  organization: 'Organization',
  'government-body': 'Government body',
  person: 'Person',
  malware: 'Malware',
  botnet: 'Botnet',
  campaign: 'Campaign',
  incident: 'Incident',
  event: 'Event',
  vulnerability: 'Vulnerability',
  country: 'Country',
};

export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

/** User text echoed back is cut short; adapters escape it for their platform. */
export function quoteUser(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A link as sources are compared by it: without scheme, "www." or trailing slashes. */
export function urlKey(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/[/?#.,;:!)]+$/, '');
}
