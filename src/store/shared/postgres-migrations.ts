/**
 * The PostgreSQL schema of the shared state, as versioned migrations applied in order; the table
 * `schema_migrations` records which have run. Never edit a released migration: append one. The
 * columns mirror the SQLite store's (src/store/migrations.ts) so both engines return the same
 * rows (src/store/shared/rows.ts); times the code compares are epoch milliseconds (BIGINT), times
 * it only shows are ISO text.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,      -- the shared order of addition: max + 1 under a lock, never reused
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    published TEXT NOT NULL,
    url TEXT,
    summary TEXT NOT NULL,
    entities TEXT NOT NULL,          -- JSON array of entity ids
    severity TEXT NOT NULL,
    sources TEXT NOT NULL,           -- JSON array of source ids
    tlp TEXT NOT NULL DEFAULT 'CLEAR',
    vendor TEXT,                     -- KEV entries: for subscriptions that filter on vendor or product
    product TEXT,
    origin TEXT NOT NULL,
    added_at TEXT NOT NULL
  );

  CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    platform TEXT NOT NULL,
    conversation TEXT NOT NULL,
    cron TEXT NOT NULL,
    timezone TEXT NOT NULL,
    label TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '[]',
    created_by TEXT,
    created_at TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    last_run_at TEXT NOT NULL,
    UNIQUE (platform, conversation, cron, timezone, filters)
  );
  CREATE INDEX subscriptions_conversation ON subscriptions(platform, conversation);

  CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    from_seq BIGINT NOT NULL,
    to_seq BIGINT NOT NULL,
    reply TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    sending_at TEXT,
    claimed_by TEXT,
    claimed_until BIGINT,
    UNIQUE (subscription_id, to_seq)
  );
  CREATE INDEX outbox_pending ON outbox(id) WHERE status = 'pending';

  CREATE TABLE conversation_refs (
    platform TEXT NOT NULL,
    conversation TEXT NOT NULL,
    reference TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, conversation)
  );

  CREATE TABLE clearances (
    scope TEXT NOT NULL CHECK (scope IN ('conversation', 'user')),
    platform TEXT NOT NULL,
    subject TEXT NOT NULL,
    level TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (scope, platform, subject)
  );

  CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    platform TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    place TEXT NOT NULL,
    detail TEXT NOT NULL
  );

  CREATE TABLE conversation_context (
    key TEXT PRIMARY KEY,
    context TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX conversation_context_updated ON conversation_context(updated_at);

  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  CREATE TABLE seen (
    key TEXT PRIMARY KEY,
    seen_at BIGINT NOT NULL
  );
  CREATE INDEX seen_at ON seen(seen_at);

  CREATE TABLE installations (
    key TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // Many Slack workspaces: the installation a subscription belongs to (NULL: single-workspace mode).
  `
  ALTER TABLE subscriptions ADD COLUMN team TEXT;
  CREATE INDEX subscriptions_team ON subscriptions(platform, team);
  `,
];
