/* Numbered schema migrations, one sequence for every backend, applied in order at open. Each
 * runs in its own write transaction together with its row in khm_schema, so a crash leaves the
 * schema at a whole version. Never edit a shipped migration: add the next one.
 * Portable DDL: TEXT, BIGINT, INTEGER; ids are UUIDv7 text, times ms since the epoch. A
 * migration gives PostgreSQL its own SQL (sql_pg) only where the backends differ by nature
 * (full-text search), and then builds the same tables' meaning on both. */
#include "store_internal.h"

const khm_migration khm_store__migrations[] = {
    { 1, "foundation: meta, agencies, users, tokens",
      "CREATE TABLE khm_meta (\n"
      "  key TEXT PRIMARY KEY,\n"
      "  value TEXT NOT NULL\n"
      ");\n"
      "CREATE TABLE agency (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  slug TEXT NOT NULL UNIQUE,\n"
      "  name_th TEXT NOT NULL,\n"
      "  name_en TEXT,\n"
      "  created_at BIGINT NOT NULL\n"
      ");\n"
      "CREATE TABLE app_user (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  name TEXT NOT NULL UNIQUE,\n"
      "  display_name TEXT,\n"
      "  email TEXT,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  role TEXT NOT NULL,\n"
      "  clearance INTEGER NOT NULL,\n"
      "  disabled INTEGER NOT NULL DEFAULT 0,\n"
      "  created_at BIGINT NOT NULL\n"
      ");\n"
      "CREATE INDEX app_user_agency ON app_user (agency_id, id);\n"
      "CREATE TABLE api_token (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  user_id TEXT NOT NULL REFERENCES app_user (id),\n"
      "  name TEXT NOT NULL,\n"
      "  hash TEXT NOT NULL UNIQUE,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  expires_at BIGINT,\n"
      "  revoked_at BIGINT\n"
      ");\n"
      "CREATE INDEX api_token_user ON api_token (user_id, id);\n" },
    { 2, "audit: hash-chained events and signed checkpoints",
      /* seq is assigned by the appender (head + 1) under the write lock, never by the database,
       * so the chain order is the same on every backend */
      "CREATE TABLE audit_event (\n"
      "  seq BIGINT PRIMARY KEY,\n"
      "  id TEXT NOT NULL UNIQUE,\n"
      "  ts BIGINT NOT NULL,\n"
      "  actor_user TEXT,\n"
      "  actor_agency TEXT,\n"
      "  token_id TEXT,\n"
      "  action TEXT NOT NULL,\n"
      "  target TEXT,\n"
      "  purpose TEXT,\n"
      "  outcome TEXT NOT NULL,\n"
      "  status INTEGER NOT NULL,\n"
      "  reasons TEXT,\n"
      "  request_id TEXT,\n"
      "  client TEXT,\n"
      "  prev_hash TEXT NOT NULL,\n"
      "  hash TEXT NOT NULL\n"
      ");\n"
      "CREATE INDEX audit_event_actor ON audit_event (actor_user, seq);\n"
      "CREATE INDEX audit_event_target ON audit_event (target, seq);\n"
      "CREATE INDEX audit_event_ts ON audit_event (ts);\n"
      "CREATE TABLE audit_checkpoint (\n"
      "  seq BIGINT PRIMARY KEY,\n"
      "  event_seq BIGINT NOT NULL,\n"
      "  event_hash TEXT NOT NULL,\n"
      "  ts BIGINT NOT NULL,\n"
      "  signature TEXT NOT NULL,\n"
      "  public_key TEXT NOT NULL\n"
      ");\n" },
    { 3, "audit retention: archive anchors",
      /* one row per khm_audit_archive run; the newest is the anchor the chain in the database
       * continues from (docs/audit.md, Retention) */
      "CREATE TABLE audit_archive (\n"
      "  seq BIGINT PRIMARY KEY,\n"
      "  first_seq BIGINT NOT NULL,\n"
      "  event_seq BIGINT NOT NULL,\n"
      "  event_hash TEXT NOT NULL,\n"
      "  checkpoint_seq BIGINT NOT NULL,\n"
      "  ts BIGINT NOT NULL,\n"
      "  file TEXT NOT NULL,\n"
      "  signature TEXT NOT NULL,\n"
      "  public_key TEXT NOT NULL\n"
      ");\n" },
    { 4, "catalog: datasets and their classification history",
      /* the GD-Catalog metadata is one JSON object (the field table in catalog/gdc_schema.c
       * validates it); the columns beside it are what the catalog filters, sorts and decides
       * access on. version is the ETag: every change adds one, and a change names the version
       * it applies to (optimistic concurrency, across servers on one database) */
      "CREATE TABLE dataset (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  slug TEXT NOT NULL UNIQUE,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  title TEXT NOT NULL,\n"
      "  title_en TEXT,\n"
      "  data_type TEXT NOT NULL,\n"
      "  category TEXT,\n"
      "  level TEXT,\n"
      "  confirmed INTEGER NOT NULL DEFAULT 0,\n"
      "  cia TEXT,\n"
      "  personal INTEGER NOT NULL DEFAULT 0,\n"
      "  sensitive INTEGER NOT NULL DEFAULT 0,\n"
      "  metadata TEXT NOT NULL,\n"
      "  version BIGINT NOT NULL,\n"
      "  owner_user TEXT REFERENCES app_user (id),\n"
      "  created_by TEXT,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  updated_at BIGINT NOT NULL,\n"
      "  archived_at BIGINT\n"
      ");\n"
      "CREATE INDEX dataset_agency ON dataset (agency_id, id);\n"
      "CREATE TABLE dataset_class (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  dataset_id TEXT NOT NULL REFERENCES dataset (id),\n"
      "  ts BIGINT NOT NULL,\n"
      "  actor_user TEXT,\n"
      "  kind TEXT NOT NULL,\n"
      "  from_category TEXT,\n"
      "  from_level TEXT,\n"
      "  to_category TEXT,\n"
      "  to_level TEXT,\n"
      "  cia TEXT,\n"
      "  reason TEXT\n"
      ");\n"
      "CREATE INDEX dataset_class_dataset ON dataset_class (dataset_id, id);\n" },
    { 5, "catalog search: full-text index of datasets",
      /* One row per live dataset in dataset_search, keyed by dataset_id, holding what
       * khm_search_doc_build() makes of it: title (+ English title), tags, agency names, body
       * (notes and the other metadata values); the store replaces the row in the transaction
       * of every dataset write and deletes it on archive (search.c).
       * SQLite: the four texts are the content table of the FTS5 index dataset_fts
       * (tokenize='thai', libthai words, folded), whose rowid is dataset_search.n, an INTEGER
       * PRIMARY KEY (stable across VACUUM, unlike a hidden rowid); triggers keep the index in
       * step with the content table. Ranked by bm25 weighted 10 / 4 / 2 / 1 per part.
       * After an upgrade of the libthai dictionary, INSERT INTO dataset_fts(dataset_fts)
       * VALUES('rebuild') re-segments the content. */
      "CREATE TABLE dataset_search (\n"
      "  n INTEGER PRIMARY KEY,\n"
      "  dataset_id TEXT NOT NULL UNIQUE REFERENCES dataset (id),\n"
      "  title TEXT NOT NULL,\n"
      "  tags TEXT NOT NULL,\n"
      "  agency TEXT NOT NULL,\n"
      "  body TEXT NOT NULL\n"
      ");\n"
      "CREATE VIRTUAL TABLE dataset_fts USING fts5 (title, tags, agency, body,\n"
      "  content='dataset_search', content_rowid='n', tokenize='thai');\n"
      "CREATE TRIGGER dataset_search_ai AFTER INSERT ON dataset_search BEGIN\n"
      "  INSERT INTO dataset_fts (rowid, title, tags, agency, body)\n"
      "  VALUES (new.n, new.title, new.tags, new.agency, new.body);\n"
      "END;\n"
      "CREATE TRIGGER dataset_search_ad AFTER DELETE ON dataset_search BEGIN\n"
      "  INSERT INTO dataset_fts (dataset_fts, rowid, title, tags, agency, body)\n"
      "  VALUES ('delete', old.n, old.title, old.tags, old.agency, old.body);\n"
      "END;\n"
      "CREATE TRIGGER dataset_search_au AFTER UPDATE ON dataset_search BEGIN\n"
      "  INSERT INTO dataset_fts (dataset_fts, rowid, title, tags, agency, body)\n"
      "  VALUES ('delete', old.n, old.title, old.tags, old.agency, old.body);\n"
      "  INSERT INTO dataset_fts (rowid, title, tags, agency, body)\n"
      "  VALUES (new.n, new.title, new.tags, new.agency, new.body);\n"
      "END;\n",
      /* PostgreSQL: one tsvector per dataset, to_tsvector('simple', …) of khm_segment_join()
       * of each part (the same libthai words the SQLite tokenizer gives), weighted A / B / C / D
       * so ts_rank's default weights (1, 0.4, 0.2, 0.1) rank as bm25's do; GIN-indexed. */
      "CREATE TABLE dataset_search (\n"
      "  dataset_id TEXT PRIMARY KEY REFERENCES dataset (id),\n"
      "  doc tsvector NOT NULL\n"
      ");\n"
      "CREATE INDEX dataset_search_doc ON dataset_search USING GIN (doc);\n",
      /* datasets made before this migration: indexed now, in its transaction */
      khm_store__search_reindex_all },
    { 6, "agency details (ministry, parent, contact, DPO) and the record of processing (s.39)",
      /* Agencies gain what issue 4 lists and what PDPA s.39(3) and s.41 need: the ministry, the
       * parent agency (a department under its ministry; no cycles, checked by the library), the
       * public contact, and the DPO (a user of the agency and/or the DPO's public contact, as
       * plain text read by consent receipts and exports). version is the agency's ETag.
       * ropa_activity: one processing activity of an agency's record of processing (PDPA s.39,
       * thai-rules.md §1.8): the columns are what is listed and decided on, the eight items sit
       * in body (a JSON object validated by pdpa/ropa.c), purposes as codes, datasets by id.
       * deleted_at: removed from the record (kept for the audit trail). ropa_refusal: refused
       * data-subject requests and objections (s.39 item 7: s.30, 31, 32, 36), append-only. */
      "ALTER TABLE agency ADD COLUMN ministry TEXT;\n"
      "ALTER TABLE agency ADD COLUMN parent_id TEXT REFERENCES agency (id);\n"
      "ALTER TABLE agency ADD COLUMN address TEXT;\n"
      "ALTER TABLE agency ADD COLUMN phone TEXT;\n"
      "ALTER TABLE agency ADD COLUMN email TEXT;\n"
      "ALTER TABLE agency ADD COLUMN website TEXT;\n"
      "ALTER TABLE agency ADD COLUMN dpo_user TEXT REFERENCES app_user (id);\n"
      "ALTER TABLE agency ADD COLUMN dpo_name TEXT;\n"
      "ALTER TABLE agency ADD COLUMN dpo_email TEXT;\n"
      "ALTER TABLE agency ADD COLUMN dpo_phone TEXT;\n"
      "ALTER TABLE agency ADD COLUMN version BIGINT NOT NULL DEFAULT 1;\n"
      "ALTER TABLE agency ADD COLUMN updated_at BIGINT;\n"
      "CREATE INDEX agency_parent ON agency (parent_id);\n"
      "CREATE TABLE ropa_activity (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  code TEXT NOT NULL,\n"
      "  name_th TEXT NOT NULL,\n"
      "  name_en TEXT,\n"
      "  role TEXT NOT NULL,\n"
      "  body TEXT NOT NULL,\n"
      "  version BIGINT NOT NULL,\n"
      "  created_by TEXT,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  updated_at BIGINT NOT NULL,\n"
      "  deleted_at BIGINT\n"
      ");\n"
      "CREATE UNIQUE INDEX ropa_activity_code ON ropa_activity (agency_id, code);\n"
      "CREATE INDEX ropa_activity_agency ON ropa_activity (agency_id, id);\n"
      "CREATE TABLE ropa_refusal (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  activity_id TEXT NOT NULL REFERENCES ropa_activity (id),\n"
      "  refused_at BIGINT NOT NULL,\n"
      "  request_type TEXT NOT NULL,\n"
      "  reason TEXT NOT NULL,\n"
      "  legal_ground TEXT NOT NULL,\n"
      "  request_ref TEXT,\n"
      "  recorded_by TEXT,\n"
      "  created_at BIGINT NOT NULL\n"
      ");\n"
      "CREATE INDEX ropa_refusal_activity ON ropa_refusal (activity_id, id);\n" },
};

const int khm_store__migrations_count =
    (int)(sizeof(khm_store__migrations) / sizeof(khm_store__migrations[0]));
