import type { SubscriptionFilter } from '../store/shared/state.js';

/** Subscriptions of conversations to digests live in the shared state (src/store/shared/state.ts). */
export type { NewSubscription, Subscription, SubscriptionFilter } from '../store/shared/state.js';

/** "vendor: Microsoft" or "product: Exchange Server": a filter on the vendor or product a KEV advisory concerns. */
export function fieldFilter(raw: string): SubscriptionFilter | undefined {
  const m = /^(vendor|product)\s*:\s*(.+)$/i.exec(raw.trim());
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase() as 'vendor' | 'product';
  const value = m[2]!.trim();
  return { kind, value: value.toLowerCase(), label: `${kind} “${value}”` };
}
