import type { Db } from '../store/open.js';
import type { Schedule } from './schedule.js';

export interface SubscriptionFilter {
  /** An entity the advisory concerns, a word in it, or the vendor or product it is about (KEV). */
  kind: 'entity' | 'keyword' | 'vendor' | 'product';
  value: string;
  /** What the user asked for, for listing ("Flax Typhoon"). */
  label: string;
}

export interface Subscription {
  id: number;
  platform: string;
  conversation: string;
  cron: string;
  timezone: string;
  label: string;
  filters: SubscriptionFilter[];
  createdBy?: string;
  lastSeq: number;
  lastRunAt: string;
}

type Row = Record<string, unknown>;

function toSubscription(r: Row): Subscription {
  const s: Subscription = {
    id: Number(r.id),
    platform: String(r.platform),
    conversation: String(r.conversation),
    cron: String(r.cron),
    timezone: String(r.timezone),
    label: String(r.label),
    filters: JSON.parse(String(r.filters)) as SubscriptionFilter[],
    lastSeq: Number(r.last_seq),
    lastRunAt: String(r.last_run_at),
  };
  if (r.created_by) s.createdBy = String(r.created_by);
  return s;
}

export interface NewSubscription {
  platform: string;
  conversation: string;
  schedule: Schedule;
  filters: SubscriptionFilter[];
  createdBy?: string;
}

/** Subscriptions of conversations to digests, in the shared store. */
export class SubscriptionStore {
  constructor(private readonly db: Db) {}

  /**
   * Subscribes a conversation. It starts after the newest advisory already in the store, so
   * its first digest holds only advisories added from now on. The same subscription twice is
   * one subscription.
   */
  add(sub: NewSubscription, now: Date): { subscription: Subscription; created: boolean } {
    return this.db
      .transaction(() => {
        const filters = JSON.stringify(sub.filters);
        const existing = this.db
          .prepare('SELECT * FROM subscriptions WHERE platform = ? AND conversation = ? AND cron = ? AND timezone = ? AND filters = ?')
          .get(sub.platform, sub.conversation, sub.schedule.cron, sub.schedule.timezone, filters) as Row | undefined;
        if (existing) return { subscription: toSubscription(existing), created: false };
        const lastSeq = Number(this.db.prepare("SELECT value FROM meta WHERE key = 'advisory_seq'").pluck().get() ?? 0);
        const info = this.db
          .prepare(
            `INSERT INTO subscriptions (platform, conversation, cron, timezone, label, filters, created_by, created_at, last_seq, last_run_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            sub.platform,
            sub.conversation,
            sub.schedule.cron,
            sub.schedule.timezone,
            sub.schedule.label,
            filters,
            sub.createdBy ?? null,
            now.toISOString(),
            lastSeq,
            now.toISOString(),
          );
        return { subscription: this.get(Number(info.lastInsertRowid))!, created: true };
      })
      .immediate();
  }

  get(id: number): Subscription | undefined {
    const r = this.db.prepare('SELECT * FROM subscriptions WHERE id = ?').get(id) as Row | undefined;
    return r ? toSubscription(r) : undefined;
  }

  forConversation(platform: string, conversation: string): Subscription[] {
    return (
      this.db
        .prepare('SELECT * FROM subscriptions WHERE platform = ? AND conversation = ? ORDER BY id')
        .all(platform, conversation) as Row[]
    ).map(toSubscription);
  }

  all(): Subscription[] {
    return (this.db.prepare('SELECT * FROM subscriptions ORDER BY id').all() as Row[]).map(toSubscription);
  }

  /** Removes one subscription of the conversation (by id), or all of them; returns how many. */
  remove(platform: string, conversation: string, id?: number): number {
    const info =
      id === undefined
        ? this.db.prepare('DELETE FROM subscriptions WHERE platform = ? AND conversation = ?').run(platform, conversation)
        : this.db.prepare('DELETE FROM subscriptions WHERE platform = ? AND conversation = ? AND id = ?').run(platform, conversation, id);
    return info.changes;
  }
}

/** "vendor: Microsoft" or "product: Exchange Server": a filter on the vendor or product a KEV advisory concerns. */
export function fieldFilter(raw: string): SubscriptionFilter | undefined {
  const m = /^(vendor|product)\s*:\s*(.+)$/i.exec(raw.trim());
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase() as 'vendor' | 'product';
  const value = m[2]!.trim();
  return { kind, value: value.toLowerCase(), label: `${kind} “${value}”` };
}
