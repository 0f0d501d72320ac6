/* Numbered schema migrations, one sequence for every backend, applied in order at open. Each
 * runs in its own write transaction together with its row in khm_schema, so a crash leaves the
 * schema at a whole version. Never edit a shipped migration: add the next one.
 * Portable DDL: TEXT, BIGINT, INTEGER; ids are UUIDv7 text, times ms since the epoch. A
 * migration gives PostgreSQL its own SQL (sql_pg) only where the backends differ by nature
 * (full-text search), and then builds the same tables' meaning on both. */
#include "store_internal.h"

/* the columns a dataset listing filters on (migration 12's covering indexes, SQLite) */
#define FILTER_COLS "archived_at, agency_id, category, level, data_type, personal, sensitive"

/* Migration 16 on SQLite: the dataset's text sort keys in its search entry (k_slug, k_title: its
 * name and title), filled from the rows and indexed each with the id that breaks ties. Runs
 * again on a database it changed already (no column added twice). */
static int search_keys(khm_tx *tx)
{
    const khm_store_driver *d = tx->s->drv;
    khm_stmt *st;
    int rc, has = 0;
    if (khm_store__is_pg(tx->s))
        return 0;
    if ((rc = d->prepare(tx->slot->conn,
                         "SELECT count(*) FROM pragma_table_info('dataset_search') WHERE name = "
                         "'k_title'",
                         &st)) < 0)
        return rc;
    if ((rc = d->step(st)) == 1)
        has = d->col_int64(st, 0) > 0;
    d->finalize(st);
    if (rc < 0)
        return rc;
    if (!has &&
        (rc = d->exec(tx->slot->conn, "ALTER TABLE dataset_search ADD COLUMN k_slug TEXT;\n"
                                      "ALTER TABLE dataset_search ADD COLUMN k_title TEXT;\n")) < 0)
        return rc;
    return d->exec(tx->slot->conn,
                   "UPDATE dataset_search SET k_slug = (SELECT slug FROM dataset d WHERE d.id = "
                   "dataset_id), k_title = (SELECT title FROM dataset d WHERE d.id = dataset_id);\n"
                   "CREATE INDEX IF NOT EXISTS dataset_search_k_slug ON dataset_search (k_slug, "
                   "dataset_id);\n"
                   "CREATE INDEX IF NOT EXISTS dataset_search_k_title ON dataset_search (k_title, "
                   "dataset_id);\n");
}

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
      /* datasets made before this migration are indexed by migration 12, which makes every
       * entry again (it used to be done here, by code that now writes migration 12's form) */
      NULL },
    { 6, "pdpa: data-subject requests and the breach register",
      /* Data-subject requests (PDPA s.30-36, s.19): the subject is only a keyed token (HMAC-SHA-256
       * with the agency's pseudonym key), never the identifier; contact is personal data the
       * requester chose to give. package is reserved for the discovery result (the subject's
       * consent records and the resources that hold their data), filled by discovery later.
       * dsr_request_event is append-only: creation, transitions, assignments and notes.
       * Breaches (s.37(4)): datasets is a JSON array of dataset ids; breach_action is the
       * append-only list of what was done (report, update, notifications, actions, close). */
      "CREATE TABLE dsr_request (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  type TEXT NOT NULL,\n"
      "  channel TEXT NOT NULL,\n"
      "  subject_kind TEXT NOT NULL,\n"
      "  subject TEXT NOT NULL,\n"
      "  contact TEXT,\n"
      "  received_at BIGINT NOT NULL,\n"
      "  due_at BIGINT NOT NULL,\n"
      "  status TEXT NOT NULL,\n"
      "  verification TEXT NOT NULL,\n"
      "  verify_method TEXT,\n"
      "  assignee TEXT REFERENCES app_user (id),\n"
      "  refusal_reason TEXT,\n"
      "  refusal_ground TEXT,\n"
      "  package TEXT,\n"
      "  version BIGINT NOT NULL,\n"
      "  created_by TEXT,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  updated_at BIGINT NOT NULL,\n"
      "  closed_at BIGINT\n"
      ");\n"
      "CREATE INDEX dsr_request_agency ON dsr_request (agency_id, id);\n"
      "CREATE INDEX dsr_request_due ON dsr_request (agency_id, status, due_at);\n"
      "CREATE INDEX dsr_request_subject ON dsr_request (agency_id, subject);\n"
      "CREATE TABLE dsr_request_event (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  request_id TEXT NOT NULL REFERENCES dsr_request (id),\n"
      "  ts BIGINT NOT NULL,\n"
      "  actor TEXT,\n"
      "  kind TEXT NOT NULL,\n"
      "  from_status TEXT,\n"
      "  to_status TEXT,\n"
      "  text TEXT\n"
      ");\n"
      "CREATE INDEX dsr_request_event_request ON dsr_request_event (request_id, id);\n"
      "CREATE TABLE breach (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  aware_at BIGINT NOT NULL,\n"
      "  reported_by TEXT,\n"
      "  cia INTEGER NOT NULL,\n"
      "  description TEXT NOT NULL,\n"
      "  datasets TEXT NOT NULL,\n"
      "  subject_count BIGINT,\n"
      "  risk TEXT NOT NULL,\n"
      "  office_due_at BIGINT NOT NULL,\n"
      "  office_notified_at BIGINT,\n"
      "  late_reason TEXT,\n"
      "  subjects_required INTEGER NOT NULL,\n"
      "  subjects_notified_at BIGINT,\n"
      "  subjects_method TEXT,\n"
      "  closed_at BIGINT,\n"
      "  close_reason TEXT,\n"
      "  version BIGINT NOT NULL,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  updated_at BIGINT NOT NULL\n"
      ");\n"
      "CREATE INDEX breach_agency ON breach (agency_id, id);\n"
      "CREATE TABLE breach_action (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  breach_id TEXT NOT NULL REFERENCES breach (id),\n"
      "  ts BIGINT NOT NULL,\n"
      "  actor TEXT,\n"
      "  kind TEXT NOT NULL,\n"
      "  text TEXT\n"
      ");\n"
      "CREATE INDEX breach_action_breach ON breach_action (breach_id, id);\n",
      NULL, NULL },
    { 7, "catalog resources: files and links of datasets, and the data map",
      /* a resource is a file of the content-addressed blob store (sha256, DATA/resources) or a
       * link (url); fields holds its GD-Catalog resource fields (thai-rules.md §3.4) as a JSON
       * object. resource_column is the data map: what the latest scan of the file found per
       * column (CSV) or field path (JSON); share and score in thousandths (portable integers).
       * agency_id is the dataset's, so an agency's files are listed without a join. */
      "CREATE TABLE resource (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  dataset_id TEXT NOT NULL REFERENCES dataset (id),\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  name TEXT NOT NULL,\n"
      "  format TEXT NOT NULL,\n"
      "  media_type TEXT,\n"
      "  size BIGINT,\n"
      "  sha256 TEXT,\n"
      "  url TEXT,\n"
      "  fields TEXT NOT NULL,\n"
      "  scan_status TEXT NOT NULL,\n"
      "  scan_error TEXT,\n"
      "  scanned_at BIGINT,\n"
      "  row_count BIGINT,\n"
      "  personal INTEGER NOT NULL DEFAULT 0,\n"
      "  sensitive INTEGER NOT NULL DEFAULT 0,\n"
      "  created_by TEXT,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  updated_at BIGINT NOT NULL\n"
      ");\n"
      "CREATE INDEX resource_dataset ON resource (dataset_id, id);\n"
      "CREATE INDEX resource_agency ON resource (agency_id, id);\n"
      "CREATE INDEX resource_sha256 ON resource (sha256);\n"
      "CREATE TABLE resource_column (\n"
      "  resource_id TEXT NOT NULL REFERENCES resource (id),\n"
      "  idx INTEGER NOT NULL,\n"
      "  field TEXT NOT NULL,\n"
      "  type TEXT,\n"
      "  row_count BIGINT NOT NULL,\n"
      "  matched BIGINT NOT NULL,\n"
      "  share_milli INTEGER NOT NULL,\n"
      "  score_milli INTEGER NOT NULL,\n"
      "  pdpa TEXT NOT NULL,\n"
      "  sensitive TEXT,\n"
      "  PRIMARY KEY (resource_id, idx)\n"
      ");\n" },
    { 8, "pdpa: purposes, consent texts and consent events",
      /* A purpose (PDPA s.24 lawful basis, s.26 exception, sensitive categories as a bit mask
       * of KHM_SENS_*); code unique per agency; version is the ETag; chg is the change
       * sequence the consent index catches up by (MAX + 1 under a lock, store/pdpa.c).
       * purpose_text keeps every version of the consent text (Thai + English); the purpose
       * row holds the current one and min_version, the oldest version a consent may have been
       * given under and still count (a new text marked reconsent_required raises it).
       * consent_event: one row per grant or withdrawal, never updated; subject is the
       * HMAC-SHA-256 pseudonym (hex) of the identifier, never the identifier itself; seq is
       * the change sequence the consent index reads by; receipt is the signed consent receipt
       * once the receipt signer is wired in (NULL until then). */
      "CREATE TABLE purpose (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  code TEXT NOT NULL,\n"
      "  name_th TEXT NOT NULL,\n"
      "  name_en TEXT,\n"
      "  description_th TEXT,\n"
      "  description_en TEXT,\n"
      "  basis TEXT NOT NULL,\n"
      "  s26_exception TEXT NOT NULL,\n"
      "  sensitive INTEGER NOT NULL,\n"
      "  categories TEXT NOT NULL,\n"
      "  retention_days INTEGER NOT NULL,\n"
      "  datasets TEXT NOT NULL,\n"
      "  text_version INTEGER NOT NULL,\n"
      "  min_version INTEGER NOT NULL,\n"
      "  text_th TEXT,\n"
      "  text_en TEXT,\n"
      "  version BIGINT NOT NULL,\n"
      "  chg BIGINT NOT NULL,\n"
      "  created_by TEXT,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  updated_at BIGINT NOT NULL,\n"
      "  retired_at BIGINT,\n"
      "  UNIQUE (agency_id, code)\n"
      ");\n"
      "CREATE INDEX purpose_chg ON purpose (chg);\n"
      "CREATE TABLE purpose_text (\n"
      "  purpose_id TEXT NOT NULL REFERENCES purpose (id),\n"
      "  version INTEGER NOT NULL,\n"
      "  text_th TEXT NOT NULL,\n"
      "  text_en TEXT,\n"
      "  reconsent_required INTEGER NOT NULL,\n"
      "  created_at BIGINT NOT NULL,\n"
      "  PRIMARY KEY (purpose_id, version)\n"
      ");\n"
      "CREATE TABLE consent_event (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  seq BIGINT NOT NULL UNIQUE,\n"
      "  agency_id TEXT NOT NULL REFERENCES agency (id),\n"
      "  purpose_id TEXT NOT NULL REFERENCES purpose (id),\n"
      "  subject TEXT NOT NULL,\n"
      "  subject_type TEXT NOT NULL,\n"
      "  action TEXT NOT NULL,\n"
      "  given_at BIGINT NOT NULL,\n"
      "  recorded_at BIGINT NOT NULL,\n"
      "  method TEXT NOT NULL,\n"
      "  text_version INTEGER NOT NULL,\n"
      "  explicit_consent INTEGER NOT NULL,\n"
      "  age INTEGER,\n"
      "  given_by TEXT NOT NULL,\n"
      "  guardian TEXT,\n"
      "  guardian_relation TEXT,\n"
      "  expires_at BIGINT,\n"
      "  actor TEXT,\n"
      "  receipt TEXT\n"
      ");\n"
      "CREATE INDEX consent_event_subject ON consent_event (agency_id, subject, id);\n"
      "CREATE INDEX consent_event_latest ON consent_event (purpose_id, subject, seq);\n" },
    { 9, "agency details (ministry, parent, contact, DPO) and the record of processing (s.39)",
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
    { 10, "privacy notice URL of agencies and purposes (consent receipts)",
      /* What a signed consent receipt must name besides the controller's contact (Kantara
       * v1.1 policyUrl, thai-rules.md §6.1; PDPA s.23: the subject is told the purpose and the
       * controller's details before or when the data is collected): the agency's privacy
       * notice, and a purpose's own notice that overrides it. NULL: none given. */
      "ALTER TABLE agency ADD COLUMN privacy_notice_url TEXT;\n"
      "ALTER TABLE purpose ADD COLUMN privacy_notice_url TEXT;\n" },
    { 11, "data quality: per-resource profiles and the dataset's score",
      /* resource_quality: the latest quality profile of each file resource (catalog/quality.c):
       * the counts the dataset's score pools, and report, the resource's part of the quality
       * report as JSON (columns, explanations in Thai and English). dataset.quality_score is the
       * dataset's score (0–100, NULL = no profiled file) as computed at quality_at (timeliness
       * then); the listing filters on it ("quality below N": quality_score < N). */
      "CREATE TABLE resource_quality (\n"
      "  resource_id TEXT PRIMARY KEY REFERENCES resource (id),\n"
      "  dataset_id TEXT NOT NULL REFERENCES dataset (id),\n"
      "  status TEXT NOT NULL,\n"
      "  computed_at BIGINT NOT NULL,\n"
      "  row_count BIGINT NOT NULL,\n"
      "  cell_count BIGINT NOT NULL,\n"
      "  empty_count BIGINT NOT NULL,\n"
      "  checked_count BIGINT NOT NULL,\n"
      "  invalid_count BIGINT NOT NULL,\n"
      "  duplicate_rows BIGINT NOT NULL,\n"
      "  duplicate_keys BIGINT NOT NULL,\n"
      "  score INTEGER,\n"
      "  report TEXT NOT NULL\n"
      ");\n"
      "CREATE INDEX resource_quality_dataset ON resource_quality (dataset_id, resource_id);\n"
      "ALTER TABLE dataset ADD COLUMN quality_score INTEGER;\n"
      "ALTER TABLE dataset ADD COLUMN quality_at BIGINT;\n"
      "CREATE INDEX dataset_quality ON dataset (quality_score);\n" },
    { 12, "catalog search and listing: tiers, facets, tags, the orders' indexes",
      /* A search ranks by tiers of where its words are (title, tags, agency names, the rest),
       * the most recently indexed first within a tier — an order the index gives without
       * scoring every match (bm25 / ts_rank over 100,000 matches took a quarter of a second) —
       * and its filters are index terms too: each entry carries facets (agency, category,
       * level, data type, personal data, tags; search.c). The entries are made again, by the
       * after-hook, in this migration's transaction.
       * dataset_tag: each tag of a live dataset's metadata.tag_string, folded (khm_segment_fold:
       * English without case, Thai digits as 0-9), for the listing's tag filter.
       * The listing's orders (khm_store_dataset_find): by name, title and change time, each
       * with the id that breaks ties (and, for one agency's datasets, the agency's by name). On
       * SQLite they carry the filtered columns too (FILTER_COLS), so a filtered listing walks an
       * index and reads only the rows of its page, not every row it passes over (a row is
       * mostly its metadata, ~1.5 KB). On PostgreSQL the text
       * orders compare bytes (COLLATE "C", as SQLite's BINARY), so both backends list alike
       * whatever the database's collation, and the indexes are made in that collation.
       * SQLite: dataset_fts gains the facets column and loses migration 5's triggers; the store
       * writes the index in single-row statements (search.c says why: an import flushes its
       * terms once, not once per dataset). PostgreSQL: n, from a sequence, orders the entries
       * as dataset_fts's rowid does on SQLite; the facets are a tsvector of their own. */
      "DROP TRIGGER dataset_search_ai;\n"
      "DROP TRIGGER dataset_search_ad;\n"
      "DROP TRIGGER dataset_search_au;\n"
      "DROP TABLE dataset_fts;\n"
      "DELETE FROM dataset_search;\n"
      "ALTER TABLE dataset_search ADD COLUMN facets TEXT NOT NULL DEFAULT '';\n"
      "CREATE VIRTUAL TABLE dataset_fts USING fts5 (title, tags, agency, body, facets,\n"
      "  content='dataset_search', content_rowid='n', tokenize='thai');\n"
      "CREATE TABLE dataset_tag (\n"
      "  tag TEXT NOT NULL,\n"
      "  dataset_id TEXT NOT NULL REFERENCES dataset (id),\n"
      "  PRIMARY KEY (tag, dataset_id)\n"
      ") WITHOUT ROWID;\n"
      "CREATE INDEX dataset_tag_dataset ON dataset_tag (dataset_id);\n"
      "CREATE INDEX dataset_name_order ON dataset (slug, id, " FILTER_COLS ");\n"
      "CREATE INDEX dataset_title ON dataset (title, id, " FILTER_COLS ");\n"
      "CREATE INDEX dataset_updated ON dataset (updated_at, id, " FILTER_COLS ");\n"
      "CREATE INDEX dataset_agency_slug ON dataset (agency_id, slug);\n",
      "CREATE SEQUENCE dataset_search_seq;\n"
      "DELETE FROM dataset_search;\n"
      "ALTER TABLE dataset_search ADD COLUMN n BIGINT NOT NULL;\n"
      "ALTER TABLE dataset_search ADD COLUMN facets tsvector NOT NULL;\n"
      "CREATE UNIQUE INDEX dataset_search_n ON dataset_search (n);\n"
      "CREATE INDEX dataset_search_facets ON dataset_search USING GIN (facets);\n"
      "CREATE TABLE dataset_tag (\n"
      "  tag TEXT NOT NULL,\n"
      "  dataset_id TEXT NOT NULL REFERENCES dataset (id),\n"
      "  PRIMARY KEY (tag, dataset_id)\n"
      ");\n"
      "CREATE INDEX dataset_tag_dataset ON dataset_tag (dataset_id);\n"
      "CREATE INDEX dataset_slug_c ON dataset (slug COLLATE \"C\");\n"
      "CREATE INDEX dataset_title ON dataset (title COLLATE \"C\", id);\n"
      "CREATE INDEX dataset_updated ON dataset (updated_at, id);\n"
      "CREATE INDEX dataset_agency_slug ON dataset (agency_id, slug COLLATE \"C\");\n",
      khm_store__search_reindex_all },
    { 13, "catalog search: the head index (title, tags, agency names) of the relevance tiers",
      /* SQLite: dataset_head, a second FTS5 index of the same entries (dataset_search) with the
       * parts that make the first three tiers only — title, tags, agency names — and the
       * facets. A search by relevance walks it for tiers 1-3 (an entry is there only when all
       * the words are in those parts: far fewer than those with the words anywhere, since the
       * body holds most words of most datasets) and dataset_fts for tier 4 only when the page
       * needs it (dataset_find.c). Written with dataset_fts, row by row (search.c); filled here
       * from the content table; no column sizes (nothing ranks by them: one B-tree write less
       * per entry). PostgreSQL: the column head, the entry's words of weights A-C
       * (title, tags, agency names: ts_filter of doc, kept by the server), GIN-indexed: tiers
       * 1-3 look there, where a common word of the body is not, and the planner's estimates are
       * of those parts (a weighted query on doc was estimated as if anywhere). */
      "CREATE VIRTUAL TABLE dataset_head USING fts5 (title, tags, agency, facets,\n"
      "  content='dataset_search', content_rowid='n', tokenize='thai', columnsize=0);\n"
      "INSERT INTO dataset_head (dataset_head) VALUES ('rebuild');\n",
      "ALTER TABLE dataset_search ADD COLUMN head tsvector\n"
      "  GENERATED ALWAYS AS (ts_filter(doc, '{a,b,c}')) STORED;\n"
      "CREATE INDEX dataset_search_head ON dataset_search USING GIN (head);\n",
      NULL },
    { 14, "consent events found by a subject key: one small index instead of two on the token",
      /* subject_key: 8 bytes of the subject token's hash (store/pdpa.c, subject_key()); the
       * one index on it replaces (agency_id, subject, id) and (purpose_id, subject, seq), which
       * every grant updated at a random place (~300 bytes of index an event against ~19); the
       * history and latest-event queries compare agency, purpose and subject on the few rows
       * a key finds. The after-hook keys the events already recorded, then makes the index. */
      "ALTER TABLE consent_event ADD COLUMN subject_key BIGINT;\n"
      "DROP INDEX consent_event_subject;\n"
      "DROP INDEX consent_event_latest;\n",
      NULL, khm_store__consent_keys_fill },
    { 15, "catalog search on PostgreSQL: the tiers' words without weights, the sort keys",
      /* PostgreSQL: t1, t2 and t3, the entry's words of the title (weight A), of title and tags
       * (A-B) and of title, tags and agency names (A-C), without positions and weights
       * (strip(ts_filter(doc, …)), kept by the server), t1 and t3 GIN-indexed; they replace
       * migration 13's head. A query of weighted words (head @@ 'w':A) is answered by the GIN
       * index only as a list of candidates — the index keeps no weights — and every candidate's
       * row was read and its words' positions checked: a word of 4,000 agency names cost 4,000
       * rows for a tier 1 of none. Unweighted, the index's answer is the answer (no recheck):
       * an empty tier costs a few index pages, and a row read gives its tier from t1 and t2,
       * kept in the row uncompressed where it fits (STORAGE MAIN: the entry's doc, which the
       * tiers ask only of its GIN index, is compressed or moved out of line first).
       * slug, title and updated_at: the dataset's sort keys, written with the entry (search.c;
       * every write of a dataset writes its entry again), each indexed with the id that breaks
       * ties as the dataset's own are (migration 12), so a search by name, title or change time
       * sorts or walks its matches in the entries alone and reads the dataset rows of its page
       * only — joining every match to its row to sort them took 0.1-0.3 s for a word in 2,400
       * datasets. Filled here from the rows. Written to run again on a database it already
       * changed (IF EXISTS / IF NOT EXISTS). SQLite: nothing (dataset_head, migration 13, and
       * the order's covering indexes already do this). */
      "SELECT 1;\n",
      "ALTER TABLE dataset_search DROP COLUMN IF EXISTS head,\n"
      "  ADD COLUMN IF NOT EXISTS t1 tsvector GENERATED ALWAYS AS (strip(ts_filter(doc, '{a}'))) "
      "STORED,\n"
      "  ADD COLUMN IF NOT EXISTS t2 tsvector GENERATED ALWAYS AS (strip(ts_filter(doc, '{a,b}'))) "
      "STORED,\n"
      "  ADD COLUMN IF NOT EXISTS t3 tsvector GENERATED ALWAYS AS (strip(ts_filter(doc, "
      "'{a,b,c}'))) STORED,\n"
      "  ADD COLUMN IF NOT EXISTS slug TEXT COLLATE \"C\",\n"
      "  ADD COLUMN IF NOT EXISTS title TEXT COLLATE \"C\",\n"
      "  ADD COLUMN IF NOT EXISTS updated_at BIGINT,\n"
      "  ALTER COLUMN t1 SET STORAGE MAIN, ALTER COLUMN t2 SET STORAGE MAIN,\n"
      "  ALTER COLUMN t3 SET STORAGE MAIN, ALTER COLUMN facets SET STORAGE MAIN;\n"
      "UPDATE dataset_search s SET slug = d.slug, title = d.title, updated_at = d.updated_at\n"
      "  FROM dataset d WHERE d.id = s.dataset_id;\n"
      "CREATE INDEX IF NOT EXISTS dataset_search_t1 ON dataset_search USING GIN (t1);\n"
      "CREATE INDEX IF NOT EXISTS dataset_search_t3 ON dataset_search USING GIN (t3);\n"
      "CREATE INDEX IF NOT EXISTS dataset_search_slug ON dataset_search (slug);\n"
      "CREATE INDEX IF NOT EXISTS dataset_search_title ON dataset_search (title, dataset_id);\n"
      "CREATE INDEX IF NOT EXISTS dataset_search_updated ON dataset_search (updated_at, "
      "dataset_id);\n",
      NULL },
    { 16, "catalog search on SQLite: the full index's terms; the sort keys in the entries",
      /* SQLite: dataset_fts_terms, FTS5's own view of dataset_fts's terms (fts5vocab, one row
       * a term's instance; nothing stored). A search matches its last word as a prefix too
       * (khm_fts_query()'s rule), and FTS5 answers a prefix by merging the whole position list
       * of every term it begins into one, before the first match: 3-4 ms for a word of every
       * dataset, where a whole word's list is read as far as the page needs. When the index
       * holds no term longer than the word that begins with it — most Thai words: the
       * segmenter's words are the dictionary's — the word whole matches the same entries, and
       * dataset_find.c asks for that (one seek in this table, ~20 us).
       * k_slug and k_title (search_keys above): the dataset's name and title in its entry, as
       * migration 15 gave PostgreSQL's (written with the entry, search.c; every write of a
       * dataset writes its entry again), each indexed with the id that breaks ties: a search by
       * name or title walks the order's index of the entries, each row's n at hand, where the
       * walk of the dataset's own index probed the entries by dataset id for each row it passed
       * (~2,300 instructions a row; 6,000 rows for a word of 2,400 datasets by title). The
       * change time has none: the order of the entries' n follows it (each write indexes the
       * dataset again), so that walk's probes fall near one another, and a third index cost the
       * import as much as the other two (bench/catalog: ~15% for the three, ~7% for the title's).
       * PostgreSQL: nothing (a prefix there is one more GIN lookup; the keys are migration
       * 15's). */
      "CREATE VIRTUAL TABLE IF NOT EXISTS dataset_fts_terms USING fts5vocab (dataset_fts, "
      "instance);\n",
      "SELECT 1;\n", search_keys },
};

const int khm_store__migrations_count =
    (int)(sizeof(khm_store__migrations) / sizeof(khm_store__migrations[0]));
