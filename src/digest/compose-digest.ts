import type { KnowledgeView } from '../access/knowledge-view.js';
import type { Reply } from '../answer/reply.js';
import { type Answer, render, type Said } from '../answer/said.js';
import { formatDate } from '../base/format.js';
import { clip, LIMITS } from '../model/limits.js';
import type { AdvisoryRecord } from '../store/fact-store.js';
import type { Subscription, SubscriptionFilter } from './subscriptions.js';

/** Related entities named on one digest line. */
const MAX_RELATED = 5;

/** Whether an advisory passes a subscription's filters (no filters: everything passes). */
export function matchesFilters(a: AdvisoryRecord, filters: readonly SubscriptionFilter[]): boolean {
  if (filters.length === 0) return true;
  const text = `${a.title} ${a.summary}`.toLowerCase();
  return filters.some((f) => {
    if (f.kind === 'entity') return a.entities.includes(f.value);
    if (f.kind === 'vendor') return a.vendor?.toLowerCase() === f.value;
    if (f.kind === 'product') return a.product?.toLowerCase() === f.value;
    return text.includes(f.value.toLowerCase());
  });
}

/** Advisories listed in one digest message; the rest are counted ("…and N more"). */
export const DEFAULT_MAX_ITEMS = 20;

/** One heading of a digest: a publisher, and the link its advisories share when they share one. */
interface DigestGroup {
  publisher: string;
  sharedUrl?: string;
  advisories: AdvisoryRecord[];
}

const usable = (url: string | undefined) => (url && url.length <= LIMITS.url ? url : undefined);

/**
 * Advisories by publisher, in the order given; within a publisher, those that share a link (a
 * catalog's, such as CISA's KEV catalog) form a group of their own that names the link once.
 */
export function groupBySource(advisories: readonly AdvisoryRecord[]): DigestGroup[] {
  const groups: DigestGroup[] = [];
  const byKey = new Map<string, DigestGroup>();
  const shared = new Set<string>();
  const seen = new Set<string>();
  for (const a of advisories) {
    const key = `${a.publisher}\u0000${a.url ?? ''}`;
    if (a.url && seen.has(key)) shared.add(key);
    seen.add(key);
  }
  for (const a of advisories) {
    const urlKey = `${a.publisher}\u0000${a.url ?? ''}`;
    const sharedUrl = a.url && shared.has(urlKey) ? usable(a.url) : undefined;
    const key = sharedUrl ? urlKey : a.publisher;
    let group = byKey.get(key);
    if (!group) {
      group = { publisher: a.publisher, ...(sharedUrl ? { sharedUrl } : {}), advisories: [] };
      byKey.set(key, group);
      groups.push(group);
    }
    group.advisories.push(a);
  }
  return groups;
}

/**
 * One digest message: the advisories newest first, grouped by publisher, each with its title,
 * date and link. A link that several advisories share is shown once: in the sources when every
 * one of them cites a source at that address, else in the group's heading. Past `maxItems` the
 * rest are counted, never dropped silently.
 */
export function composeDigest(
  view: KnowledgeView,
  sub: Subscription,
  advisories: readonly AdvisoryRecord[],
  maxItems = DEFAULT_MAX_ITEMS,
  withheld?: string,
  /** How many advisories the digest stands for, when `advisories` holds only the newest of them. */
  total = advisories.length,
): Reply {
  const newestFirst = [...advisories].sort((a, b) => b.seq - a.seq);
  const shown = newestFirst.slice(0, maxItems);
  const cited = (a: AdvisoryRecord, url: string) => a.sources.some((id) => view.source(id)?.url === url);
  const sections = groupBySource(shown).map(({ publisher, sharedUrl, advisories: list }) => {
    const heading = clip(publisher, LIMITS.publisher);
    const inSources = sharedUrl !== undefined && list.every((a) => cited(a, sharedUrl));
    return {
      heading: sharedUrl && !inSources ? `${heading} — ${sharedUrl}` : heading,
      lines: list.map((a): Said => {
        // Clipped again here: rows stored before the caps existed must not swallow the digest either.
        const title = clip(a.title, LIMITS.advisoryTitle);
        const related = a.entities
          .slice(0, MAX_RELATED)
          .map((id) => view.entity(id)?.name)
          .filter((n): n is string => Boolean(n))
          .map((n) => clip(n, LIMITS.entityName))
          // "CVE-2024-3400 added to the KEV catalog" already says what it is about.
          .filter((n) => !title.toLowerCase().includes(n.toLowerCase()));
        const parts = [`${a.severity === 'info' ? '' : `[${a.severity}] `}${title}, ${formatDate(a.published)}`];
        const url = usable(a.url);
        if (url && !sharedUrl) parts.push(url);
        if (related.length) parts.push(`about ${related.join(', ')}`);
        return { text: parts.join(' — '), sources: a.sources, trusted: true };
      }),
    };
  });
  const n = total;
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
