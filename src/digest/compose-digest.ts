import type { KnowledgeView } from '../access/knowledge-view.js';
import type { Reply } from '../answer/reply.js';
import { type Answer, render, type Said } from '../answer/said.js';
import { formatDate } from '../base/format.js';
import type { AdvisoryRecord } from '../store/fact-store.js';
import type { Subscription, SubscriptionFilter } from './subscriptions.js';

/** Whether an advisory passes a subscription's filters (no filters: everything passes). */
export function matchesFilters(a: AdvisoryRecord, filters: readonly SubscriptionFilter[]): boolean {
  if (filters.length === 0) return true;
  const text = `${a.title} ${a.summary}`.toLowerCase();
  return filters.some((f) => (f.kind === 'entity' ? a.entities.includes(f.value) : text.includes(f.value.toLowerCase())));
}

/** Advisories listed in one digest message; the rest are counted. */
export const DIGEST_ITEMS = 20;

/**
 * One digest message: the advisories newest first, grouped by publisher, each with its title,
 * date and link; a link that every advisory of a group shares (a catalog's) is shown once in
 * the group's heading. Past `maxItems` the rest are counted, never dropped silently.
 */
export function composeDigest(
  view: KnowledgeView,
  sub: Subscription,
  advisories: readonly AdvisoryRecord[],
  maxItems = DIGEST_ITEMS,
  withheld?: string,
): Reply {
  const newestFirst = [...advisories].sort((a, b) => b.seq - a.seq);
  const shown = newestFirst.slice(0, maxItems);
  const groups = new Map<string, AdvisoryRecord[]>();
  for (const a of shown) {
    const list = groups.get(a.publisher);
    if (list) list.push(a);
    else groups.set(a.publisher, [a]);
  }
  const sections = [...groups.entries()].map(([publisher, list]) => {
    const urls = new Set(list.map((a) => a.url));
    const shared = list.length > 1 && urls.size === 1 ? [...urls][0] : undefined;
    return {
      heading: shared ? `${publisher} — ${shared}` : publisher,
      lines: list.map((a): Said => {
        const related = a.entities.map((id) => view.entity(id)?.name).filter((n): n is string => Boolean(n));
        const parts = [`${a.severity === 'info' ? '' : `[${a.severity}] `}${a.title}, ${formatDate(a.published)}`];
        if (a.url && !shared) parts.push(a.url);
        if (related.length) parts.push(`about ${related.join(', ')}`);
        return { text: parts.join(' — '), sources: a.sources, trusted: true };
      }),
    };
  });
  const n = advisories.length;
  const more = n - shown.length;
  const filters = sub.filters.length ? ` about ${sub.filters.map((f) => f.label).join(', ')}` : '';
  const notes = [
    ...(more > 0 ? [`…and ${more.toLocaleString('en-US')} more, not listed here. Ask “latest” to see the newest advisories.`] : []),
    ...(withheld ? [withheld] : []),
    `Digest for subscription #${sub.id} (${sub.label}${filters}). “unsubscribe ${sub.id}” stops it.`,
  ];
  const answer: Answer = {
    intent: 'digest',
    titleInText: true,
    title: `ThreatBrief digest — ${n.toLocaleString('en-US')} new ${n === 1 ? 'advisory' : 'advisories'}`,
    headline: { text: `${n.toLocaleString('en-US')} new ${n === 1 ? 'advisory' : 'advisories'} since the last digest.`, sources: [] },
    support: [],
    sections,
    notes,
    entities: [],
  };
  return render(answer, view);
}
