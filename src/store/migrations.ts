/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
 * Never edit a released migration: append a new one. Every row carries `origin`:
 * 'curated' for knowledge files, or 'import:<id>' for a feed import, so a knowledge reload
 * replaces only what the knowledge files wrote.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    publisher TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    date TEXT,
    kind TEXT NOT NULL,
    reliability TEXT NOT NULL,
    origin TEXT NOT NULL
  );

  CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    summary TEXT NOT NULL,
    summary_sources TEXT NOT NULL, -- JSON array of source ids
    origin TEXT NOT NULL
  );

  CREATE TABLE aliases (
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    used_by TEXT,
    sources TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL
  );
  CREATE INDEX aliases_entity ON aliases(entity_id);

  CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    predicate TEXT NOT NULL,
    text TEXT NOT NULL,
    object_id TEXT,
    quantity TEXT, -- JSON {value, qualifier?, unit, as_of?}
    date TEXT,
    sources TEXT NOT NULL,
    origin TEXT NOT NULL
  );
  CREATE INDEX claims_entity ON claims(entity_id, predicate);
  CREATE INDEX claims_object ON claims(object_id);

  CREATE TABLE sanctions (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL,
    designated_by TEXT NOT NULL,
    date TEXT NOT NULL,
    authority TEXT NOT NULL,
    program TEXT,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    effects TEXT NOT NULL, -- JSON array of sentences
    reference_title TEXT NOT NULL,
    reference_url TEXT,
    sources TEXT NOT NULL,
    origin TEXT NOT NULL
  );
  CREATE INDEX sanctions_target ON sanctions(target_id);

  -- seq is the store-wide order of addition; it is never reused (see meta 'advisory_seq').
  CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    published TEXT NOT NULL,
    url TEXT,
    summary TEXT NOT NULL,
    entities TEXT NOT NULL, -- JSON array of entity ids
    severity TEXT NOT NULL,
    sources TEXT NOT NULL,
    origin TEXT NOT NULL,
    added_at TEXT NOT NULL
  );

  -- Full-text search over every statement the store can show, for questions that name no entity.
  CREATE VIRTUAL TABLE fact_text USING fts5(text, kind UNINDEXED, ref UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
  `,
  // 2: digests — subscriptions, the delivery outbox, and platform conversation references.
  `
  CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    conversation TEXT NOT NULL,
    cron TEXT NOT NULL,
    timezone TEXT NOT NULL,
    label TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '[]', -- JSON [{kind: 'entity'|'keyword', value, label}]
    created_by TEXT,
    created_at TEXT NOT NULL,
    -- Advisories up to this sequence number are covered (delivered, queued or filtered out).
    last_seq INTEGER NOT NULL,
    -- The instant of the last pass that handled this subscription.
    last_run_at TEXT NOT NULL,
    UNIQUE (platform, conversation, cron, timezone, filters)
  );
  CREATE INDEX subscriptions_conversation ON subscriptions(platform, conversation);

  -- One row per digest: written before posting, marked sent after. The unique key makes a
  -- second digest for the same subscription and range impossible.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    from_seq INTEGER NOT NULL,
    to_seq INTEGER NOT NULL,
    reply TEXT NOT NULL, -- the composed Reply, JSON
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (subscription_id, to_seq)
  );
  CREATE INDEX outbox_pending ON outbox(status) WHERE status = 'pending';

  CREATE TABLE conversation_refs (
    platform TEXT NOT NULL,
    conversation TEXT NOT NULL,
    reference TEXT NOT NULL, -- JSON, as the platform adapter stored it
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, conversation)
  );
  `,
  // 3: feed imports (threatbrief import) — provenance, per-record bookkeeping, sanctions-list
  // columns, weak aliases, and the persisted name index used for entity resolution.
  `
  CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    format TEXT NOT NULL,          -- stix | cisa-kev | ofac-sdn | mstic
    file TEXT NOT NULL,            -- the file (or folder) as given to the command
    sha256 TEXT NOT NULL,          -- of the file contents, in order
    publisher TEXT NOT NULL,
    title TEXT NOT NULL,
    edition TEXT,                  -- the edition or release date the file carries or was given
    list_key TEXT,                 -- imports of one list (e.g. 'ofac-sdn') replace each other
    source_id TEXT NOT NULL,       -- the source row every imported statement cites
    imported_at TEXT NOT NULL,
    counts TEXT NOT NULL,          -- JSON {added, updated, unchanged, removed, skipped}
    status TEXT NOT NULL DEFAULT 'current' -- 'current', or 'replaced' by a newer edition
  );

  -- What each feed record (a STIX object, a KEV entry, an SDN row, a naming-table row) last
  -- wrote, so that re-importing the same version changes nothing and a new version replaces it.
  CREATE TABLE import_records (
    record TEXT PRIMARY KEY,       -- e.g. 'stix:intrusion-set--…', 'kev:CVE-2024-3400', 'ofac-sdn:21324'
    import_id TEXT NOT NULL,
    version TEXT NOT NULL,
    entity_id TEXT,
    created_entity INTEGER NOT NULL DEFAULT 0 -- 1 when the record created entity_id (else it attached to an existing one)
  );
  CREATE INDEX import_records_import ON import_records(import_id);

  ALTER TABLE aliases ADD COLUMN record TEXT;
  ALTER TABLE aliases ADD COLUMN weak INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE claims ADD COLUMN record TEXT;
  ALTER TABLE sanctions ADD COLUMN record TEXT;
  ALTER TABLE sanctions ADD COLUMN list_name TEXT;   -- for list entries: the list, e.g. the OFAC SDN list
  ALTER TABLE sanctions ADD COLUMN edition TEXT;     -- the list edition the entry is from
  ALTER TABLE sanctions ADD COLUMN programs TEXT;    -- JSON array of program tags
  ALTER TABLE sanctions ADD COLUMN list_entry TEXT;  -- the entry's number on the list
  ALTER TABLE sanctions ADD COLUMN listed_name TEXT; -- the name exactly as listed
  CREATE INDEX aliases_record ON aliases(record);
  CREATE INDEX claims_record ON claims(record);
  CREATE INDEX sanctions_record ON sanctions(record);
  CREATE INDEX entities_origin ON entities(origin);

  -- Every canonical name and alias, normalised, kept in step with entities and aliases: exact
  -- and word-order lookups are indexed queries, so answering needs no scan of every name.
  CREATE TABLE name_index (
    id INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    name_key TEXT NOT NULL,
    used_by TEXT,
    canonical INTEGER NOT NULL,
    weak INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX name_index_norm ON name_index(norm);
  CREATE INDEX name_index_key ON name_index(name_key);
  CREATE INDEX name_index_entity ON name_index(entity_id);
  `,
  // 4: production hardening — TLP markings, conversation and user clearances, the audit trail.
  `
  ALTER TABLE claims ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR';
  ALTER TABLE entities ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR';
  ALTER TABLE sanctions ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR';
  ALTER TABLE advisories ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR';

  -- Set just before a digest is handed to its platform: a pending row that has it was in
  -- flight when the process died, and is checked with the platform before it is posted again.
  ALTER TABLE outbox ADD COLUMN sending_at TEXT;

  CREATE TABLE clearances (
    scope TEXT NOT NULL CHECK (scope IN ('conversation', 'user')),
    platform TEXT NOT NULL,
    subject TEXT NOT NULL,
    level TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (scope, platform, subject)
  );

  -- Who did what, when and where: every privileged action, append-only.
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    platform TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    place TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  `,
  // 5: understanding — names carry their entity's type and marking (the name index is
  // filtered by clearance below everything that reads it), designations say which entities they
  // concern, and conversations remember what they were about, for follow-up questions.
  `
  ALTER TABLE name_index ADD COLUMN type TEXT;
  ALTER TABLE name_index ADD COLUMN tlp_rank INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX name_index_norm_tlp ON name_index(norm, tlp_rank);
  ALTER TABLE sanctions ADD COLUMN concerning TEXT NOT NULL DEFAULT '[]'; -- JSON array of entity ids
  UPDATE meta SET value = 'stale' WHERE key = 'name_index_version';

  CREATE TABLE conversation_context (
    key TEXT PRIMARY KEY,          -- platform, conversation and user
    context TEXT NOT NULL,         -- JSON: the entities, aspect and open question of the last turn
    updated_at INTEGER NOT NULL    -- ms since the epoch; a context idle past its expiry is ignored
  );
  CREATE INDEX conversation_context_updated ON conversation_context(updated_at);
  `,
  // 6: one scheduler per store — named leases with an expiry; outbox rows claimed by one poster at a time.
  `
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL -- epoch milliseconds
  );

  -- Who is posting a pending row, and until when that claim holds (epoch milliseconds).
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;

  -- "latest" reads the newest advisories without sorting all of them (a 40,000-entry import made it ~100 ms).
  CREATE INDEX advisories_latest ON advisories(published, seq);
  `,
  // ATT&CK objects: each group, software, technique, mitigation and campaign's ATT&CK id, page and
  // tactics, and the withdrawn ones (revoked, deprecated) with their replacement, so that an answer
  // never presents a withdrawn object as current.
  `
  CREATE TABLE attack_objects (
    attack_id TEXT NOT NULL,       -- G1017, S0001, T1059.001, M1026, C0001
    kind TEXT NOT NULL,            -- group | software | technique | mitigation | campaign | tactic
    name TEXT NOT NULL,
    entity_id TEXT,                -- the entity of a current object; NULL for a withdrawn one
    url TEXT,
    tactics TEXT NOT NULL DEFAULT '[]', -- JSON array of tactic names (techniques)
    status TEXT NOT NULL,          -- current | revoked | deprecated
    replaced_by TEXT,              -- ATT&CK id of a revoked object's replacement
    replaced_by_name TEXT,
    replaced_by_entity TEXT,
    record TEXT NOT NULL,
    origin TEXT NOT NULL
  );
  CREATE INDEX attack_objects_id ON attack_objects(attack_id COLLATE NOCASE);
  CREATE INDEX attack_objects_entity ON attack_objects(entity_id);
  CREATE INDEX attack_objects_record ON attack_objects(record);
  `,
  // feed sync (threatbrief feeds): the validators of every file a source downloads, every sync's
  // provenance, advisories that came in as a source's baseline (never sent in digests), KEV vendor
  // and product for subscription filters, and the date an OFAC entry left the list.
  `
  CREATE TABLE feed_parts (
    source TEXT NOT NULL,          -- attack | kev | ofac | misp | mstic
    part TEXT NOT NULL,            -- the file of the source, e.g. 'sdn', 'alt', 'add'
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, part)
  );

  CREATE TABLE feed_syncs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    outcome TEXT NOT NULL,         -- imported | unchanged | not-modified | failed | snapshot
    urls TEXT NOT NULL,            -- JSON array
    etags TEXT NOT NULL DEFAULT '[]', -- JSON array, one per file (null when none)
    sha256 TEXT,                   -- of the files, in order
    import_id TEXT,
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  CREATE INDEX feed_syncs_source ON feed_syncs(source, id);

  ALTER TABLE advisories ADD COLUMN baseline INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE advisories ADD COLUMN vendor TEXT;
  ALTER TABLE advisories ADD COLUMN product TEXT;
  ALTER TABLE sanctions ADD COLUMN delisted_on TEXT;
  `,
  // Shared state for replicas: keys already handled (Slack retries and replays, by any replica), and
  // Slack installations per workspace (sealed by the adapter: tokens are encrypted at rest).
  `
  CREATE TABLE seen (
    key TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL -- epoch milliseconds
  );
  CREATE INDEX seen_at ON seen(seen_at);

  CREATE TABLE installations (
    key TEXT PRIMARY KEY,   -- 'team:T…' or 'enterprise:E…'
    sealed TEXT NOT NULL,   -- the installation, encrypted (AES-256-GCM) under a key from the environment
    updated_at TEXT NOT NULL
  );
  `,
  // Many Slack workspaces: the installation (workspace or org) a subscription belongs to, whose bot
  // token posts its digests; NULL for single-workspace mode (SLACK_BOT_TOKEN) and other platforms.
  `
  ALTER TABLE subscriptions ADD COLUMN team TEXT;
  CREATE INDEX subscriptions_team ON subscriptions(platform, team);
  `,
  // The entity an import record created: asked for every entity an import may attach to (a scan of
  // 24,000 records per question made the first start's ATT&CK import quadratic).
  `
  CREATE INDEX import_records_created ON import_records(entity_id) WHERE created_entity = 1;
  `,
];
