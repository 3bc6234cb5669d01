import { CitationList } from '../answer/cites.js';
import { type CardElement, type Line, makeReply, type Reply } from '../answer/reply.js';
import { formatDate } from '../base/format.js';
import { clip, LIMITS } from '../model/limits.js';
import type { AdvisoryRecord, FactStore } from '../store/fact-store.js';
import type { Subscription, SubscriptionFilter } from './subscriptions.js';

/** Advisories listed in one digest; the rest are counted ("…and N more"). */
export const DEFAULT_MAX_ITEMS = 20;

/** Related entities named on one digest line. */
const MAX_RELATED = 5;

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;
const SEVERITY_HEADINGS: Record<string, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'For information',
};

/** Whether an advisory passes a subscription's filters (no filters: everything passes). */
export function matchesFilters(a: AdvisoryRecord, filters: readonly SubscriptionFilter[]): boolean {
  if (filters.length === 0) return true;
  const text = `${a.title} ${a.summary}`.toLowerCase();
  return filters.some((f) => (f.kind === 'entity' ? a.entities.includes(f.value) : text.includes(f.value.toLowerCase())));
}

/**
 * One digest message: the advisories grouped by severity, newest (last added) first, each with
 * title, publisher, date, link and related entities, and an "and N more" tail past `maxItems`.
 */
export function composeDigest(
  store: FactStore,
  sub: Subscription,
  advisories: readonly AdvisoryRecord[],
  maxItems = DEFAULT_MAX_ITEMS,
  withheld?: string,
  /** How many advisories the digest stands for, when `advisories` holds only the newest of them. */
  total = advisories.length,
): Reply {
  const cites = new CitationList(store);
  const newestFirst = [...advisories].sort((a, b) => b.seq - a.seq);
  const shown = newestFirst.slice(0, maxItems);
  const elements: CardElement[] = [];
  for (const severity of SEVERITY_ORDER) {
    const group = shown.filter((a) =>
      (SEVERITY_ORDER as readonly string[]).includes(a.severity) ? a.severity === severity : severity === 'info',
    );
    if (group.length === 0) continue;
    const lines: Line[] = group.map((a) => {
      // Clipped again here: rows stored before the caps existed must not swallow the digest either.
      const related = a.entities
        .slice(0, MAX_RELATED)
        .map((id) => store.entity(id)?.name)
        .filter((n): n is string => Boolean(n))
        .map((n) => clip(n, LIMITS.entityName));
      const parts = [`${clip(a.title, LIMITS.advisoryTitle)} — ${clip(a.publisher, LIMITS.publisher)}, ${formatDate(a.published)}`];
      if (a.url && a.url.length <= LIMITS.url) parts.push(a.url);
      if (related.length) parts.push(`related: ${related.join(', ')}`);
      return { text: parts.join(' — '), cites: cites.cite(a.sources) };
    });
    elements.push({ kind: 'section', heading: SEVERITY_HEADINGS[severity]!, lines });
  }
  const more = total - shown.length;
  if (more > 0) elements.push({ kind: 'note', text: `…and ${more} more. Ask “latest” to see the newest advisories.` });
  if (withheld) elements.push({ kind: 'note', text: withheld });
  const filters = sub.filters.length ? ` about ${sub.filters.map((f) => f.label).join(', ')}` : '';
  elements.push({ kind: 'note', text: `Digest for subscription #${sub.id} (${sub.label}${filters}). “unsubscribe ${sub.id}” stops it.` });
  const n = total;
  return makeReply('digest', {
    title: `ThreatBrief digest — ${n} new ${n === 1 ? 'advisory' : 'advisories'}`,
    elements,
    citations: cites.citations,
  });
}
