import type { AdvisoryRecord, NewAdvisory } from '../fact-store.js';

/**
 * The state every replica must share: what users and feeds change, and what coordinates the
 * replicas. Two implementations behind one interface — SQLite (the embedded default, one file
 * beside the knowledge index) and PostgreSQL (DATABASE_URL=postgres://…, for several replicas).
 * Every method is asynchronous because PostgreSQL's are; the SQLite one answers at once.
 *
 * Adding a table: a row schema in rows.ts, a repository interface here, its two implementations
 * (sqlite.ts, postgres.ts), a migration for each engine, and a case in test/state-contract.ts.
 */
export interface SharedState {
  readonly engine: 'sqlite' | 'postgres';
  readonly subscriptions: SubscriptionRepo;
  readonly outbox: OutboxRepo;
  readonly leases: LeaseRepo;
  readonly seen: SeenRepo;
  readonly conversationRefs: ConversationRefRepo;
  readonly clearances: ClearanceRepo;
  readonly audit: AuditRepo;
  readonly contexts: ContextRepo;
  readonly installations: InstallationRepo;
  readonly advisories: AdvisoryFeed;
  /** Answers when the database can be read and written (readiness); throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

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
  /** The Slack installation (workspace, or org for an org-wide install) whose token posts it; absent in single-workspace mode. */
  team?: string;
  /** Advisories up to this sequence number are covered (delivered, queued or filtered out). */
  lastSeq: number;
  /** The instant of the last pass that handled this subscription (ISO). */
  lastRunAt: string;
}

export interface NewSubscription {
  platform: string;
  conversation: string;
  schedule: { cron: string; timezone: string; label: string };
  filters: SubscriptionFilter[];
  createdBy?: string;
  /** The Slack installation it belongs to (many-workspace mode only). */
  team?: string;
}

export interface SubscriptionRepo {
  /**
   * Subscribes a conversation, starting after the newest advisory already shared, so its first
   * digest holds only advisories added from now on. The same subscription twice is one.
   */
  add(sub: NewSubscription, now: Date): Promise<{ subscription: Subscription; created: boolean }>;
  get(id: number): Promise<Subscription | undefined>;
  forConversation(platform: string, conversation: string): Promise<Subscription[]>;
  all(): Promise<Subscription[]>;
  /** Removes one subscription of the conversation (by id), or all of them; returns how many. */
  remove(platform: string, conversation: string, id?: number): Promise<number>;
  /** Removes every subscription of one installation (the app was uninstalled there), with its pending digests; returns how many. */
  removeTeam(platform: string, team: string): Promise<number>;
}

/** A digest to write with the advance of its subscription. */
export interface QueuedDigest {
  fromSeq: number;
  toSeq: number;
  /** The composed Reply, as JSON. */
  reply: string;
}

/** A pending outbox row, with where it goes. */
export interface PendingDigest {
  id: number;
  platform: string;
  conversation: string;
  /** The subscription's installation (many-workspace Slack), whose token posts it. */
  team?: string;
  reply: string;
  /** Set when a post had started: the row was in flight when its poster died. */
  sendingAt?: string;
}

export interface OutboxRepo {
  /**
   * In one transaction: moves the subscription from the state it was read in (`seen`) to
   * `toSeq` at `at`, and writes `digest` if given. Undefined when another pass moved it first
   * (nothing is written); otherwise whether a digest was queued.
   */
  advance(
    seen: Pick<Subscription, 'id' | 'lastSeq' | 'lastRunAt'>,
    toSeq: number,
    at: Date,
    digest: QueuedDigest | undefined,
  ): Promise<boolean | undefined>;
  /**
   * Claims the first pending row after `afterId` (in id order) for one of `platforms` that nobody
   * else holds — no claim, an expired claim, this holder's own, or a holder on this host whose
   * process is gone — until `now + ttlMs`. PostgreSQL skips rows another transaction is claiming
   * (FOR UPDATE SKIP LOCKED), so replicas never wait for each other.
   */
  claimNext(holder: string, platforms: readonly string[], afterId: number, ttlMs: number, now: number): Promise<PendingDigest | undefined>;
  markSending(id: number, at: Date): Promise<void>;
  markSent(id: number, at: Date): Promise<void>;
  /**
   * Counts an attempt, keeps the error, and releases the claim: the row stays pending. `inFlight`
   * when the post may have arrived (no answer came): the row keeps its sending mark, so the next
   * attempt confirms with the platform before posting again.
   */
  markFailed(id: number, error: string, inFlight?: boolean): Promise<void>;
  pendingCount(): Promise<number>;
  /** The newest digests of every conversation, pending first, then delivered (the admin view). */
  recent(limit: number): Promise<OutboxRecord[]>;
  /** The oldest pending digests, with their last error (why `digest run` says they wait). */
  pending(limit: number): Promise<OutboxRecord[]>;
  /** Digests delivered to one conversation after outbox row `afterId`, oldest first (the console's own digests). */
  delivered(platform: string, conversation: string, afterId: number, limit: number): Promise<OutboxRecord[]>;
  /** Every row of one subscription, oldest first (operators, tests). */
  ofSubscription(
    subscriptionId: number,
  ): Promise<{ id: number; status: 'pending' | 'sent'; fromSeq: number; toSeq: number; attempts: number }[]>;
}

/** A digest in the outbox as operators see it: where it goes, how delivery went, and what it says (the reply as JSON). */
export interface OutboxRecord {
  id: number;
  subscriptionId: number;
  platform: string;
  conversation: string;
  /** The subscription's Slack installation (many-workspace mode): its clearances apply. */
  team?: string;
  status: 'pending' | 'sent';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  reply: string;
}

export interface LeaseHolder {
  holder: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Named leases with an expiry: one holder at a time per name (the digest scheduler, the feed
 * sync). A holder renews by acquiring again before expiry and releases when it stops; one that
 * dies lets its lease lapse (on one host, a holder whose process is gone is taken over at once).
 */
export interface LeaseRepo {
  /** Takes the lease, or renews it when `holder` has it; false while someone else holds it unexpired. */
  acquire(name: string, holder: string, ttlMs: number, now?: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
  /** Who holds it now (undefined when nobody does, or the lease expired). */
  holder(name: string, now?: number): Promise<LeaseHolder | undefined>;
}

/** Keys already handled (Slack event ids, request signatures): each is answered once by any replica. */
export interface SeenRepo {
  /** True the first time `key` is recorded; false for a repeat seen within `keepMs`. */
  firstTime(key: string, now: number, keepMs: number): Promise<boolean>;
}

/** A platform's reference to a conversation, for proactive posts (Teams), as JSON. */
export interface ConversationRefRepo {
  get(platform: string, conversation: string): Promise<string | undefined>;
  /** Stores a reference only where none is; true when stored. */
  insert(platform: string, conversation: string, reference: string, at: Date): Promise<boolean>;
  update(platform: string, conversation: string, reference: string, at: Date): Promise<void>;
}

export type ClearanceScope = 'conversation' | 'user';

export interface ClearanceRepo {
  get(scope: ClearanceScope, platform: string, subject: string): Promise<string | undefined>;
  set(scope: ClearanceScope, platform: string, subject: string, level: string, by: string, at: Date): Promise<void>;
}

export interface AuditEntry {
  id: number;
  at: string;
  platform: string;
  actor: string;
  action: string;
  place: string;
  /** JSON. */
  detail: string;
}

export interface AuditRepo {
  append(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}

/** What a conversation was about (JSON, read by the understanding layer), and when. */
export interface ContextRepo {
  get(key: string): Promise<{ context: string; updatedAt: number } | undefined>;
  set(key: string, context: string, at: number): Promise<void>;
  purgeBefore(at: number): Promise<void>;
}

/** A Slack installation (one workspace, or one Enterprise Grid org), sealed by the adapter. */
export interface InstallationRepo {
  save(key: string, sealed: string, at: Date): Promise<void>;
  fetch(key: string): Promise<string | undefined>;
  delete(key: string): Promise<boolean>;
}

/**
 * The advisories digests are made of, in one store-wide order of addition (`seq`). A sequence
 * number is never reused and becomes visible only after every lower one, so a pass that covered
 * up to N never misses one below it.
 */
export interface AdvisoryFeed {
  /**
   * Adds advisories, all or none, each under the next sequence number; one already known by id
   * changes nothing. Returns each one's id, sequence number and whether it was added.
   */
  addAll(advisories: readonly NewAdvisory[], origin: string, now: Date): Promise<{ id: string; seq: number; added: boolean }[]>;
  /** The highest sequence number given so far (0 before any). */
  lastSeq(): Promise<number>;
  /** Advisories with afterSeq < seq ≤ upToSeq, in order of addition. */
  between(afterSeq: number, upToSeq: number): Promise<AdvisoryRecord[]>;
  /** At most `limit` advisories after `afterSeq`, in order of addition (replicas mirror them). */
  after(afterSeq: number, limit: number): Promise<AdvisoryRecord[]>;
}
