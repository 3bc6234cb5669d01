/** Subscriptions of conversations to digests live in the shared state (src/store/shared/state.ts). */
export type { NewSubscription, Subscription, SubscriptionFilter } from '../store/shared/state.js';
