import * as z from 'zod';
import { TLP_LEVELS } from '../../base/tlp.js';
import type { AdvisoryRecord } from '../fact-store.js';
import type { AuditEntry, OutboxRecord, PendingDigest, Subscription, SubscriptionFilter } from './state.js';

/**
 * The row of each shared-state query, declared once and checked when read: both engines return
 * the same shapes (PostgreSQL's BIGINT arrives as a string, hence the coercions), and no row is
 * cast. A row that does not fit is a bug or a foreign schema, and fails loudly, naming the query.
 */
const int = z.coerce.number().int();
const text = z.string();
const nullableText = z.string().nullable();

const FilterSchema: z.ZodType<SubscriptionFilter> = z.object({
  kind: z.enum(['entity', 'keyword', 'vendor', 'product']),
  value: z.string(),
  label: z.string(),
});
const jsonOf = <T extends z.ZodType>(schema: T) =>
  text.transform((s, ctx) => {
    try {
      return schema.parse(JSON.parse(s)) as z.infer<T>;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not the JSON this column holds' });
      return z.NEVER;
    }
  });

export const SubscriptionRow = z
  .object({
    id: int,
    platform: text,
    conversation: text,
    cron: text,
    timezone: text,
    label: text,
    filters: jsonOf(z.array(FilterSchema)),
    created_by: nullableText,
    team: nullableText.optional(),
    last_seq: int,
    last_run_at: text,
  })
  .transform(
    (r): Subscription => ({
      id: r.id,
      platform: r.platform,
      conversation: r.conversation,
      cron: r.cron,
      timezone: r.timezone,
      label: r.label,
      filters: r.filters,
      ...(r.created_by ? { createdBy: r.created_by } : {}),
      ...(r.team ? { team: r.team } : {}),
      lastSeq: r.last_seq,
      lastRunAt: r.last_run_at,
    }),
  );

export const PendingDigestRow = z
  .object({ id: int, platform: text, conversation: text, team: nullableText, reply: text, sending_at: nullableText })
  .transform(
    (r): PendingDigest => ({
      id: r.id,
      platform: r.platform,
      conversation: r.conversation,
      ...(r.team ? { team: r.team } : {}),
      reply: r.reply,
      ...(r.sending_at ? { sendingAt: r.sending_at } : {}),
    }),
  );

export const OutboxRowSummary = z
  .object({ id: int, status: z.enum(['pending', 'sent']), from_seq: int, to_seq: int, attempts: int })
  .transform((r) => ({ id: r.id, status: r.status, fromSeq: r.from_seq, toSeq: r.to_seq, attempts: r.attempts }));

export const OutboxRecordRow = z
  .object({
    id: int,
    subscription_id: int,
    platform: text,
    conversation: text,
    team: nullableText,
    status: z.enum(['pending', 'sent']),
    attempts: int,
    last_error: nullableText,
    created_at: text,
    sent_at: nullableText,
    reply: text,
  })
  .transform(
    (r): OutboxRecord => ({
      id: r.id,
      subscriptionId: r.subscription_id,
      platform: r.platform,
      conversation: r.conversation,
      ...(r.team ? { team: r.team } : {}),
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      reply: r.reply,
    }),
  );

/** The outbox as operators read it: each digest with the conversation it goes to. */
export const OUTBOX_RECORD_SELECT = `SELECT o.id, o.subscription_id, o.status, o.attempts, o.last_error, o.created_at, o.sent_at, o.reply,
  s.platform, s.conversation, s.team FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id`;

export const LeaseRow = z.object({ holder: text, expires_at: int });
export const HolderRow = z.object({ holder: text });
export const ClaimantRow = z.object({ id: int, claimed_by: nullableText, claimed_until: int.nullable() });
export const ValueRow = z.object({ value: text });
export const CountRow = z.object({ n: int });
export const SeqRow = z.object({ seq: int });
export const LevelRow = z.object({ level: text });
export const ReferenceRow = z.object({ reference: text });
export const SealedRow = z.object({ sealed: text });
export const ContextRow = z.object({ context: text, updated_at: int }).transform((r) => ({ context: r.context, updatedAt: r.updated_at }));
export const AuditRow: z.ZodType<AuditEntry> = z.object({
  id: int,
  at: text,
  platform: text,
  actor: text,
  action: text,
  place: text,
  detail: text,
});

export const AdvisoryRow = z
  .object({
    id: text,
    seq: int,
    title: text,
    publisher: text,
    published: text,
    url: nullableText,
    summary: text,
    entities: jsonOf(z.array(z.string())),
    severity: text,
    sources: jsonOf(z.array(z.string())),
    tlp: z.enum(TLP_LEVELS),
    vendor: nullableText.optional(),
    product: nullableText.optional(),
  })
  .transform((r): AdvisoryRecord => {
    const a: AdvisoryRecord = {
      id: r.id,
      seq: r.seq,
      title: r.title,
      publisher: r.publisher,
      published: r.published,
      summary: r.summary,
      entities: r.entities,
      severity: r.severity,
      sources: r.sources,
    };
    if (r.url) a.url = r.url;
    if (r.tlp !== 'CLEAR') a.tlp = r.tlp;
    if (r.vendor) a.vendor = r.vendor;
    if (r.product) a.product = r.product;
    return a;
  });

/** One row of `query`, checked against its schema (undefined when there is none). */
export function oneRow<S extends z.ZodType>(schema: S, row: unknown, query: string): z.infer<S> | undefined {
  return row === undefined ? undefined : parseRow(schema, row, query);
}

/** Every row of `query`, checked against its schema. */
export function allRows<S extends z.ZodType>(schema: S, rows: readonly unknown[], query: string): z.infer<S>[] {
  return rows.map((r) => parseRow(schema, r, query));
}

function parseRow<S extends z.ZodType>(schema: S, row: unknown, query: string): z.infer<S> {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problem = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
  throw new Error(`a row of "${query}" does not have the expected shape: ${problem}`);
}
