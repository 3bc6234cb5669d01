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
];
