/* The query table: every statement of the typed calls, in portable SQL ('?' placeholders,
 * RETURNING and ON CONFLICT as both SQLite ≥ 3.35 and PostgreSQL accept them). Driver
 * differences (placeholders, types) belong in the drivers; the one difference of substance,
 * full-text search (FTS5 against tsvector), has PostgreSQL's statements in
 * khm_store__queries_pg below, with the same parameters in the same order. */
#include "store_internal.h"

#define AGENCY_COLS                                                                        \
    "id, slug, name_th, name_en, created_at, ministry, parent_id, address, phone, email, " \
    "website, dpo_user, dpo_name, dpo_email, dpo_phone, version, updated_at, privacy_notice_url"
#define ROPA_COLS                                                                          \
    "id, agency_id, code, name_th, name_en, role, body, version, created_by, created_at, " \
    "updated_at, deleted_at"
#define ROPA_REFUSAL_COLS                                                            \
    "id, activity_id, refused_at, request_type, reason, legal_ground, request_ref, " \
    "recorded_by, created_at"
#define DATASET_INS_COLS                                                                           \
    "id, slug, agency_id, title, title_en, data_type, category, level, confirmed, cia, personal, " \
    "sensitive, metadata, version, owner_user, created_by, created_at, updated_at, archived_at"
/* what is read: the inserted columns, then the quality score (migration 11) */
#define DATASET_COLS DATASET_INS_COLS ", quality_score, quality_at"
/* the same columns of the dataset aliased d, and khm_dataset_filter: store_internal.h */
#define DATASET_D_COLS KHM_SQL_DATASET_D_COLS
#define DATASET_FILTER KHM_SQL_DATASET_FILTER
#define DATASET_CLASS_COLS                                                                     \
    "id, dataset_id, ts, actor_user, kind, from_category, from_level, to_category, to_level, " \
    "cia, "                                                                                    \
    "reason"
#define RESOURCE_COLS                                                                  \
    "id, dataset_id, agency_id, name, format, media_type, size, sha256, url, fields, " \
    "scan_status, "                                                                    \
    "scan_error, scanned_at, row_count, personal, sensitive, created_by, created_at, updated_at"
#define RESCOL_COLS \
    "resource_id, idx, field, type, row_count, matched, share_milli, score_milli, pdpa, sensitive"
#define QUALITY_COLS                                                                     \
    "resource_id, dataset_id, status, computed_at, row_count, cell_count, empty_count, " \
    "checked_count, invalid_count, duplicate_rows, duplicate_keys, score, report"
#define USER_COLS  "id, name, display_name, email, agency_id, role, clearance, disabled, created_at"
#define TOKEN_COLS "id, user_id, name, hash, created_at, expires_at, revoked_at"
#define AUDIT_COLS                                                                                \
    "seq, id, ts, actor_user, actor_agency, token_id, action, target, purpose, outcome, status, " \
    "reasons, request_id, client, prev_hash, hash"
#define DSR_COLS                                                                               \
    "id, agency_id, type, channel, subject_kind, subject, contact, received_at, due_at, "      \
    "status, verification, verify_method, assignee, refusal_reason, refusal_ground, package, " \
    "version, created_by, created_at, updated_at, closed_at"
#define DSR_EVENT_COLS "id, request_id, ts, actor, kind, from_status, to_status, text"
#define BREACH_COLS                                                                           \
    "id, agency_id, aware_at, reported_by, cia, description, datasets, subject_count, risk, " \
    "office_due_at, office_notified_at, late_reason, subjects_required, "                     \
    "subjects_notified_at, subjects_method, closed_at, close_reason, version, created_at, "   \
    "updated_at"
#define BREACH_ACTION_COLS "id, breach_id, ts, actor, kind, text"
#define CP_COLS            "seq, event_seq, event_hash, ts, signature, public_key"
#define ARCHIVE_COLS \
    "seq, first_seq, event_seq, event_hash, checkpoint_seq, ts, file, signature, public_key"

#define PURPOSE_COLS                                                                    \
    "id, agency_id, code, name_th, name_en, description_th, description_en, basis, "    \
    "s26_exception, sensitive, categories, retention_days, datasets, text_version, "    \
    "min_version, text_th, text_en, version, chg, created_by, created_at, updated_at, " \
    "retired_at, privacy_notice_url"
#define CONSENT_COLS                                                                         \
    "id, seq, agency_id, purpose_id, subject, subject_type, action, given_at, recorded_at, " \
    "method, text_version, explicit_consent, age, given_by, guardian, guardian_relation, "   \
    "expires_at, actor, receipt"

const char *const khm_store__queries[KHM_Q__COUNT] = {
    [KHM_Q_PING] = "SELECT 1",
    [KHM_Q_SCHEMA_VERSION] = "SELECT COALESCE(MAX(version), 0) FROM khm_schema",
    [KHM_Q_SCHEMA_INSERT] = "INSERT INTO khm_schema (version, name, applied_at) VALUES (?, ?, ?)",
    [KHM_Q_META_GET] = "SELECT value FROM khm_meta WHERE key = ?",
    [KHM_Q_META_SET] = "INSERT INTO khm_meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [KHM_Q_AGENCY_INSERT] = "INSERT INTO agency (" AGENCY_COLS ") VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_AGENCY_GET] = "SELECT " AGENCY_COLS " FROM agency WHERE id = ? OR slug = ?",
    [KHM_Q_AGENCY_LIST] = "SELECT " AGENCY_COLS " FROM agency WHERE id > ? ORDER BY id LIMIT ?",
    [KHM_Q_AGENCY_COUNT] = "SELECT COUNT(*) FROM agency",
    [KHM_Q_USER_INSERT] = "INSERT INTO app_user (" USER_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_USER_GET] = "SELECT " USER_COLS " FROM app_user WHERE id = ? OR name = ?",
    [KHM_Q_USER_LIST] = "SELECT " USER_COLS " FROM app_user WHERE id > ? ORDER BY id LIMIT ?",
    [KHM_Q_USER_LIST_AGENCY] = "SELECT " USER_COLS " FROM app_user WHERE agency_id = ? AND id > ? "
                               "ORDER BY id LIMIT ?",
    [KHM_Q_USER_SET_DISABLED] = "UPDATE app_user SET disabled = ? WHERE id = ? RETURNING id",
    [KHM_Q_TOKEN_INSERT] = "INSERT INTO api_token (" TOKEN_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_TOKEN_GET] = "SELECT " TOKEN_COLS " FROM api_token WHERE id = ?",
    [KHM_Q_TOKEN_LIST] = "SELECT " TOKEN_COLS " FROM api_token WHERE id > ? ORDER BY id LIMIT ?",
    [KHM_Q_TOKEN_LIST_USER] = "SELECT " TOKEN_COLS " FROM api_token WHERE user_id = ? AND id > ? "
                              "ORDER BY id LIMIT ?",
    [KHM_Q_TOKEN_REVOKE] = "UPDATE api_token SET revoked_at = COALESCE(revoked_at, ?) "
                           "WHERE id = ? RETURNING id",
    [KHM_Q_TOKEN_PRINCIPAL] =
        "SELECT t.id, t.user_id, t.name, t.hash, t.created_at, t.expires_at, t.revoked_at, "
        "u.id, u.name, u.display_name, u.email, u.agency_id, u.role, u.clearance, u.disabled, "
        "u.created_at, a.id, a.slug, a.name_th, a.name_en, a.created_at "
        "FROM api_token t JOIN app_user u ON u.id = t.user_id "
        "JOIN agency a ON a.id = u.agency_id WHERE t.hash = ?",
    [KHM_Q_AUDIT_HEAD] = "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
    [KHM_Q_AUDIT_INSERT] = "INSERT INTO audit_event (" AUDIT_COLS ") "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_AUDIT_SCAN] = "SELECT " AUDIT_COLS " FROM audit_event WHERE seq >= ? AND seq <= ? "
                         "ORDER BY seq",
    [KHM_Q_AUDIT_COUNT] = "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM audit_event",
    [KHM_Q_AUDIT_CP_INSERT] =
        "INSERT INTO audit_checkpoint (" CP_COLS ") VALUES (?, ?, ?, ?, ?, ?)",
    [KHM_Q_AUDIT_CP_LAST] = "SELECT " CP_COLS " FROM audit_checkpoint ORDER BY seq DESC LIMIT 1",
    [KHM_Q_AUDIT_CP_SCAN] = "SELECT " CP_COLS " FROM audit_checkpoint WHERE event_seq >= ? "
                            "ORDER BY seq",
    /* newest first; every filter optional (NULL binds match all) */
    [KHM_Q_AUDIT_LIST] = "SELECT " AUDIT_COLS " FROM audit_event WHERE seq < ? "
                         "AND (CAST(? AS TEXT) IS NULL OR actor_user = ?) "
                         "AND (CAST(? AS TEXT) IS NULL OR target = ?) "
                         "AND (CAST(? AS TEXT) IS NULL OR action = ?) AND ts >= ? AND ts < ? "
                         "ORDER BY seq DESC LIMIT ?",
    /* retention (khm_audit_archive) */
    [KHM_Q_AUDIT_CP_AT] = "SELECT " CP_COLS " FROM audit_checkpoint WHERE event_seq <= ? "
                          "ORDER BY event_seq DESC, seq DESC LIMIT 1",
    [KHM_Q_AUDIT_DELETE_THROUGH] = "DELETE FROM audit_event WHERE seq <= ?",
    [KHM_Q_AUDIT_CP_DELETE_BEFORE] = "DELETE FROM audit_checkpoint WHERE event_seq < ?",
    [KHM_Q_AUDIT_ARCHIVE_INSERT] =
        "INSERT INTO audit_archive (" ARCHIVE_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_AUDIT_ARCHIVE_LAST] = "SELECT " ARCHIVE_COLS " FROM audit_archive "
                                 "ORDER BY seq DESC LIMIT 1",
    [KHM_Q_DATASET_INSERT] = "INSERT INTO dataset (" DATASET_INS_COLS ") VALUES "
                             "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_DATASET_GET] = "SELECT " DATASET_COLS " FROM dataset WHERE id = ? OR slug = ?",
    /* a change applies only to the version it names (RETURNING: no row = stale or gone) */
    [KHM_Q_DATASET_UPDATE] =
        "UPDATE dataset SET title = ?, title_en = ?, data_type = ?, metadata = ?, owner_user = ?, "
        "category = ?, level = ?, confirmed = ?, version = version + 1, updated_at = ? "
        "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version",
    [KHM_Q_DATASET_CLASSIFY] =
        "UPDATE dataset SET category = ?, level = ?, cia = ?, confirmed = ?, personal = ?, "
        "sensitive = ?, version = version + 1, updated_at = ? "
        "WHERE id = ? AND version = ? AND archived_at IS NULL RETURNING version",
    [KHM_Q_DATASET_ARCHIVE] = "UPDATE dataset SET archived_at = ?, version = version + 1, "
                              "updated_at = ? WHERE id = ? AND version = ? AND archived_at IS NULL "
                              "RETURNING version",
    [KHM_Q_DATASET_LIST] = "SELECT " DATASET_COLS " FROM dataset WHERE archived_at IS NULL "
                           "AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_DATASET_LIST_AGENCY] = "SELECT " DATASET_COLS " FROM dataset WHERE archived_at IS NULL "
                                  "AND agency_id = ? AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_DATASET_CLASS_INSERT] = "INSERT INTO dataset_class (" DATASET_CLASS_COLS ") VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_DATASET_CLASS_LIST] = "SELECT " DATASET_CLASS_COLS " FROM dataset_class "
                                 "WHERE dataset_id = ? AND id > ? ORDER BY id LIMIT ?",
    /* the listing with any of its filters (NULL binds match all); the unfiltered and
     * agency-only listings keep their own statements, which use the indexes directly */
    [KHM_Q_DATASET_LIST_FILTER] = "SELECT " DATASET_COLS " FROM dataset d WHERE "
                                  "d.archived_at IS NULL AND " DATASET_FILTER " AND d.id > ? "
                                  "ORDER BY d.id LIMIT ?",
    /* ---- full-text search (search.c; migration 5) ---- */
    [KHM_Q_SEARCH_SOURCE] = "SELECT d.title, d.title_en, d.metadata, d.archived_at, a.name_th, "
                            "a.name_en, d.agency_id, d.category, d.level, d.data_type, "
                            "d.personal, d.sensitive FROM dataset d JOIN agency a "
                            "ON a.id = d.agency_id WHERE d.id = ?",
    [KHM_Q_SEARCH_DELETE] = "DELETE FROM dataset_search WHERE dataset_id = ?",
    [KHM_Q_SEARCH_INSERT] = "INSERT INTO dataset_search (dataset_id, title, tags, agency, body, "
                            "facets) VALUES (?, ?, ?, ?, ?, ?)",
    [KHM_Q_SEARCH_LIVE_IDS] = "SELECT id FROM dataset WHERE archived_at IS NULL AND id > ? "
                              "ORDER BY id LIMIT ?",
    /* ---- agency details, record of processing (migration 6) ---- */
    [KHM_Q_AGENCY_UPDATE] =
        "UPDATE agency SET name_th = ?, name_en = ?, ministry = ?, parent_id = ?, address = ?, "
        "phone = ?, email = ?, website = ?, dpo_user = ?, dpo_name = ?, dpo_email = ?, "
        "dpo_phone = ?, version = version + 1, updated_at = ?, privacy_notice_url = ? "
        "WHERE id = ? AND version = ? RETURNING version",
    [KHM_Q_ROPA_INSERT] = "INSERT INTO ropa_activity (" ROPA_COLS ") VALUES "
                          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_ROPA_GET] = "SELECT " ROPA_COLS " FROM ropa_activity WHERE id = ?",
    [KHM_Q_ROPA_UPDATE] = "UPDATE ropa_activity SET code = ?, name_th = ?, name_en = ?, role = ?, "
                          "body = ?, version = version + 1, updated_at = ? WHERE id = ? AND "
                          "version = ? AND deleted_at IS NULL RETURNING version",
    [KHM_Q_ROPA_DELETE] = "UPDATE ropa_activity SET deleted_at = ?, version = version + 1, "
                          "updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL "
                          "RETURNING version",
    [KHM_Q_ROPA_LIST] = "SELECT " ROPA_COLS " FROM ropa_activity WHERE deleted_at IS NULL "
                        "AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_ROPA_LIST_AGENCY] = "SELECT " ROPA_COLS " FROM ropa_activity WHERE deleted_at IS NULL "
                               "AND agency_id = ? AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_ROPA_REFUSAL_INSERT] = "INSERT INTO ropa_refusal (" ROPA_REFUSAL_COLS ") VALUES "
                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_ROPA_REFUSAL_LIST] = "SELECT " ROPA_REFUSAL_COLS " FROM ropa_refusal "
                                "WHERE activity_id = ? AND id > ? ORDER BY id LIMIT ?",
    /* ---- data-subject requests (migration 6) ---- */
    [KHM_Q_DSR_INSERT] = "INSERT INTO dsr_request (" DSR_COLS ") VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_DSR_GET] = "SELECT " DSR_COLS " FROM dsr_request WHERE id = ?",
    [KHM_Q_DSR_UPDATE] =
        "UPDATE dsr_request SET status = ?, verification = ?, verify_method = ?, assignee = ?, "
        "refusal_reason = ?, refusal_ground = ?, closed_at = ?, updated_at = ?, "
        "version = version + 1 WHERE id = ? AND version = ? RETURNING version",
    /* agency; status (NULL = any, bound twice); open only (0/1); due_at from..to; page */
    [KHM_Q_DSR_LIST] = "SELECT " DSR_COLS " FROM dsr_request WHERE agency_id = ? "
                       "AND (CAST(? AS TEXT) IS NULL OR status = ?) "
                       "AND (? = 0 OR status NOT IN ('fulfilled', 'refused')) "
                       "AND due_at >= ? AND due_at <= ? AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_DSR_EVENT_INSERT] = "INSERT INTO dsr_request_event (" DSR_EVENT_COLS ") VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_DSR_EVENT_LIST] = "SELECT " DSR_EVENT_COLS " FROM dsr_request_event "
                             "WHERE request_id = ? ORDER BY id LIMIT 501",
    /* ---- breach register (migration 6) ---- */
    [KHM_Q_BREACH_INSERT] = "INSERT INTO breach (" BREACH_COLS ") VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_BREACH_GET] = "SELECT " BREACH_COLS " FROM breach WHERE id = ?",
    [KHM_Q_BREACH_UPDATE] =
        "UPDATE breach SET aware_at = ?, cia = ?, description = ?, datasets = ?, "
        "subject_count = ?, risk = ?, office_due_at = ?, office_notified_at = ?, late_reason = ?, "
        "subjects_required = ?, subjects_notified_at = ?, subjects_method = ?, closed_at = ?, "
        "close_reason = ?, updated_at = ?, version = version + 1 "
        "WHERE id = ? AND version = ? RETURNING version",
    [KHM_Q_BREACH_LIST] = "SELECT " BREACH_COLS " FROM breach WHERE agency_id = ? "
                          "AND (? = 0 OR closed_at IS NULL) AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_BREACH_ACTION_INSERT] = "INSERT INTO breach_action (" BREACH_ACTION_COLS ") VALUES "
                                   "(?, ?, ?, ?, ?, ?)",
    [KHM_Q_BREACH_ACTION_LIST] = "SELECT " BREACH_ACTION_COLS " FROM breach_action "
                                 "WHERE breach_id = ? ORDER BY id LIMIT 501",
    /* ---- resources and the data map (resource.h; migration 6) ---- */
    [KHM_Q_RESOURCE_INSERT] = "INSERT INTO resource (" RESOURCE_COLS ") VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_RESOURCE_GET] = "SELECT " RESOURCE_COLS " FROM resource WHERE dataset_id = ? AND id = ?",
    [KHM_Q_RESOURCE_LIST] = "SELECT " RESOURCE_COLS " FROM resource WHERE dataset_id = ? "
                            "AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_RESOURCE_LIST_AGENCY] = "SELECT " RESOURCE_COLS " FROM resource WHERE agency_id = ? "
                                   "AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_RESOURCE_SET_SCAN] = "UPDATE resource SET scan_status = ?, scan_error = ?, "
                                "scanned_at = ?, row_count = ?, personal = ?, sensitive = ?, "
                                "updated_at = ? WHERE id = ? RETURNING id",
    [KHM_Q_RESOURCE_DELETE] = "DELETE FROM resource WHERE id = ? RETURNING id",
    [KHM_Q_RESOURCE_BLOB_REFS] = "SELECT COUNT(*) FROM resource WHERE sha256 = ?",
    [KHM_Q_RESOURCE_FLAGS] = "SELECT COALESCE(MAX(personal), 0), COALESCE(MAX(sensitive), 0) "
                             "FROM resource WHERE dataset_id = ?",
    [KHM_Q_RESOURCE_COLUMNS_DELETE] = "DELETE FROM resource_column WHERE resource_id = ?",
    [KHM_Q_RESOURCE_COLUMN_INSERT] = "INSERT INTO resource_column (" RESCOL_COLS ") VALUES "
                                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_RESOURCE_COLUMNS] = "SELECT " RESCOL_COLS " FROM resource_column "
                               "WHERE resource_id = ? ORDER BY idx LIMIT ?",
    [KHM_Q_DSR_SET_PACKAGE] = "UPDATE dsr_request SET package = ?, updated_at = ?, "
                              "version = version + 1 WHERE id = ? RETURNING version",
    /* ---- PDPA purposes and consent events (pdpa.c; migration 6) ---- */
    [KHM_Q_PURPOSE_INSERT] =
        "INSERT INTO purpose (" PURPOSE_COLS ") VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_PURPOSE_GET] = "SELECT " PURPOSE_COLS " FROM purpose WHERE agency_id = ? AND "
                          "(id = ? OR code = ?)",
    [KHM_Q_PURPOSE_LIST] = "SELECT " PURPOSE_COLS " FROM purpose WHERE agency_id = ? AND id > ? "
                           "ORDER BY id LIMIT ?",
    [KHM_Q_PURPOSE_UPDATE] =
        "UPDATE purpose SET name_th = ?, name_en = ?, description_th = ?, description_en = ?, "
        "basis = ?, s26_exception = ?, sensitive = ?, categories = ?, retention_days = ?, "
        "datasets = ?, text_version = ?, min_version = ?, text_th = ?, text_en = ?, "
        "version = version + 1, chg = ?, updated_at = ?, retired_at = ?, privacy_notice_url = ? "
        "WHERE id = ? AND version = ? RETURNING version",
    [KHM_Q_PURPOSE_TEXT_INSERT] = "INSERT INTO purpose_text (purpose_id, version, text_th, "
                                  "text_en, reconsent_required, created_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?)",
    [KHM_Q_PURPOSE_SINCE] = "SELECT " PURPOSE_COLS " FROM purpose WHERE chg > ? ORDER BY chg",
    [KHM_Q_PURPOSE_MAXCHG] = "SELECT COALESCE(MAX(chg), 0) FROM purpose",
    [KHM_Q_CONSENT_MAXSEQ] = "SELECT COALESCE(MAX(seq), 0) FROM consent_event",
    /* a subject's events are found by subject_key (pdpa.c, subject_key(): 8 bytes of the
     * token's hash, one small index; migration 13), the token itself compared after */
    [KHM_Q_CONSENT_INSERT] = "INSERT INTO consent_event (" CONSENT_COLS ", subject_key) VALUES "
                             "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [KHM_Q_CONSENT_LATEST] = "SELECT " CONSENT_COLS " FROM consent_event WHERE subject_key = ? "
                             "AND subject = ? AND purpose_id = ? ORDER BY seq DESC LIMIT 1",
    [KHM_Q_CONSENT_HISTORY] = "SELECT " CONSENT_COLS " FROM consent_event WHERE subject_key = ? "
                              "AND subject = ? AND agency_id = ? AND id > ? ORDER BY id LIMIT ?",
    [KHM_Q_CONSENT_SINCE] = "SELECT " CONSENT_COLS " FROM consent_event WHERE seq > ? "
                            "ORDER BY seq LIMIT ?",
    /* SQLite: every process advances the shared counter itself; nothing to send */
    [KHM_Q_CONSENT_NOTIFY] = "SELECT 1",
    /* ---- data quality (quality.c; migration 11) ---- */
    [KHM_Q_QUALITY_PUT] =
        "INSERT INTO resource_quality (" QUALITY_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?) ON CONFLICT (resource_id) DO UPDATE SET status = excluded.status, "
        "computed_at = excluded.computed_at, row_count = excluded.row_count, "
        "cell_count = excluded.cell_count, empty_count = excluded.empty_count, "
        "checked_count = excluded.checked_count, invalid_count = excluded.invalid_count, "
        "duplicate_rows = excluded.duplicate_rows, duplicate_keys = excluded.duplicate_keys, "
        "score = excluded.score, report = excluded.report",
    [KHM_Q_QUALITY_DELETE] = "DELETE FROM resource_quality WHERE resource_id = ?",
    [KHM_Q_QUALITY_LIST] = "SELECT " QUALITY_COLS " FROM resource_quality WHERE dataset_id = ? "
                           "ORDER BY resource_id LIMIT 10000",
    [KHM_Q_QUALITY_FILES] = "SELECT COUNT(sha256), COALESCE(MAX(created_at), 0) FROM resource "
                            "WHERE dataset_id = ?",
    [KHM_Q_DATASET_SET_QUALITY] = "UPDATE dataset SET quality_score = ?, quality_at = ? "
                                  "WHERE id = ?",
    [KHM_Q_CONSENT_HEADS] = "SELECT (SELECT COALESCE(MAX(seq), 0) FROM consent_event), "
                            "(SELECT COALESCE(MAX(chg), 0) FROM purpose)",
    /* ---- dataset tags, for the tag filter (search.c; migration 12): folded, each once ---- */
    [KHM_Q_TAG_DELETE] = "DELETE FROM dataset_tag WHERE dataset_id = ?",
    [KHM_Q_TAG_INSERT] = "INSERT INTO dataset_tag (tag, dataset_id) VALUES (?, ?) "
                         "ON CONFLICT DO NOTHING",
    /* a dataset's tags at once, a JSON array (PostgreSQL's; SQLite writes them row by row:
     * search.c, index_tags) */
    [KHM_Q_TAG_INSERT_ALL] = "INSERT INTO dataset_tag (tag, dataset_id) SELECT DISTINCT value, ? "
                             "FROM json_each(?) WHERE true ON CONFLICT DO NOTHING",
    /* how many datasets have a tag, counted up to the bound (dataset_find.c) */
    [KHM_Q_TAG_COUNT] = "SELECT count(*) FROM (SELECT 1 FROM dataset_tag WHERE tag = ? LIMIT ?) t",
    /* ---- consent events' subject keys for the rows before migration 14 (pdpa.c) ---- */
    [KHM_Q_CONSENT_KEY_PAGE] = "SELECT seq, subject FROM consent_event WHERE seq > ? "
                               "ORDER BY seq LIMIT ?",
    [KHM_Q_CONSENT_KEY_SET] = "UPDATE consent_event SET subject_key = ? WHERE seq = ?",
    [KHM_Q_CONSENT_PAIR] = "SELECT " CONSENT_COLS " FROM consent_event WHERE subject_key = ? "
                           "AND subject = ? AND purpose_id = ? ORDER BY seq",
    /* SQLite only: the FTS5 index of dataset_search, row by row (search.c) */
    [KHM_Q_SEARCH_OLD] = "SELECT n, title, tags, agency, body, facets FROM dataset_search "
                         "WHERE dataset_id = ?",
    [KHM_Q_SEARCH_N] = "SELECT n FROM dataset_search WHERE dataset_id = ?",
    [KHM_Q_FTS_DELETE] = "INSERT INTO dataset_fts (dataset_fts, rowid, title, tags, agency, body, "
                         "facets) VALUES ('delete', ?, ?, ?, ?, ?, ?)",
    [KHM_Q_FTS_INSERT] = "INSERT INTO dataset_fts (rowid, title, tags, agency, body, facets) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
    /* a relevance search (dataset_find.c): one tier's entries, the latest first; the datasets
     * of the page's entries (a JSON array of them), in any order */
    [KHM_Q_SEARCH_TIER] = "SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH (? || CASE WHEN "
                          "? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' END) "
                          "AND rowid < ? ORDER BY rowid DESC LIMIT ?",
    [KHM_Q_SEARCH_ROWS] = "SELECT s.n, " KHM_SQL_DATASET_D_COLS " FROM dataset_search s "
                          "JOIN dataset d ON d.id = s.dataset_id WHERE s.n IN (SELECT value "
                          "FROM json_each(?)) AND d.archived_at IS NULL",
    /* a relevance search in one pass (dataset_find.c): every entry matching the words in any
     * part (and the filters' facets), the latest first, with its tier (khm_tier, fts_thai.c);
     * the caller stops reading once the page is known. Parameters: the number of words, the
     * words as tier 0's MATCH, the facets twice */
    [KHM_Q_SEARCH_RANKED] = "SELECT rowid, khm_tier(dataset_fts, ?) FROM dataset_fts WHERE "
                            "dataset_fts MATCH (? || CASE WHEN ? = '' THEN '' ELSE ' AND "
                            "({facets}:(' || ? || '))' END) AND rowid < ? ORDER BY rowid DESC",
    /* SQLite only: the head index (migration 13), written with dataset_fts (search.c) */
    [KHM_Q_HEAD_DELETE] = "INSERT INTO dataset_head (dataset_head, rowid, title, tags, agency, "
                          "facets) VALUES ('delete', ?, ?, ?, ?, ?)",
    [KHM_Q_HEAD_INSERT] = "INSERT INTO dataset_head (rowid, title, tags, agency, facets) "
                          "VALUES (?, ?, ?, ?, ?)",
    /* tiers 1-3 of a relevance search in one pass over the head index (dataset_find.c): the
     * same parameters as KHM_Q_SEARCH_RANKED, the words in title, tags and agency names */
    [KHM_Q_SEARCH_HEAD] = "SELECT rowid, khm_tier(dataset_head, ?) FROM dataset_head WHERE "
                          "dataset_head MATCH (? || CASE WHEN ? = '' THEN '' ELSE ' AND "
                          "({facets}:(' || ? || '))' END) AND rowid < ? ORDER BY rowid DESC",
    /* the entries of tiers low..3 of a relevance search after a cursor in tier low, in
     * relevance order, at most a page (dataset_find.c; PostgreSQL runs it, from tier 2, when
     * tier 1 did not fill the page). Parameters: the words in the parts of tiers 1, 1-2 and 1-3
     * (khm_store__tier_cols_query; PostgreSQL: the words without weights each time, asked of a
     * column of those parts), the words in the parts of tiers 1-3 again, the facets twice, low
     * twice, the cursor's entry, the limit */
    [KHM_Q_SEARCH_REST] = "SELECT n, t FROM (SELECT rowid AS n, CASE WHEN rowid IN (SELECT rowid "
                          "FROM dataset_fts WHERE dataset_fts MATCH ?) THEN 1 WHEN rowid IN "
                          "(SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH ?) THEN 2 WHEN "
                          "rowid IN (SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH ?) THEN "
                          "3 ELSE 4 END AS t FROM dataset_fts WHERE dataset_fts MATCH (? || CASE "
                          "WHEN ? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' END)) WHERE t "
                          ">= ? AND t < 4 AND (t > ? OR n < ?) ORDER BY t, n DESC LIMIT ?",
    /* tier 4 of a relevance search: the words anywhere, not all in the parts of tiers 1-3, the
     * latest first (dataset_find.c). Parameters: the words anywhere (tier 0's query), the words
     * in the parts of tiers 1-3 (SQLite: khm_store__tier_cols_query of tier 3; PostgreSQL: tier
     * 0's, asked of t3), the facets twice, the cursor's entry, the limit */
    [KHM_Q_SEARCH_TIER4] = "SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH ('(' || ? || "
                           "' NOT ' || ? || ')' || CASE WHEN ? = '' THEN '' ELSE ' AND "
                           "({facets}:(' || ? || '))' END) AND rowid < ? ORDER BY rowid DESC "
                           "LIMIT ?",
    /* the entries of a search's words and filters (dataset_find.c: a search by another order
     * than relevance marks them, then walks the order's index). Parameters: the words as tier
     * 0's query, the facets twice */
    [KHM_Q_SEARCH_MATCHES] = "SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH (? || CASE "
                             "WHEN ? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' END)",
    [KHM_Q_SEARCH_MAX_N] = "SELECT COALESCE(MAX(n), 0) FROM dataset_search",
    /* which names of an import file are taken (exchange.c): one query, a JSON array of them */
    [KHM_Q_DATASET_TAKEN] =
        "SELECT slug FROM dataset WHERE slug IN (SELECT value FROM json_each(?))",
    [KHM_Q_BULK] = "SELECT 1", /* PostgreSQL's only (khm_tx_bulk) */
    /* SQLite only (khm_tx_bulk): 1 when both indexes keep ?'s bytes of pending terms */
    [KHM_Q_FTS_HASHSIZE_SET] =
        "SELECT (SELECT v FROM dataset_fts_config WHERE k = 'hashsize') IS ?1 AND "
        "(SELECT v FROM dataset_head_config WHERE k = 'hashsize') IS ?1",
    [KHM_Q_FTS_HASHSIZE] = "INSERT INTO dataset_fts (dataset_fts, rank) VALUES ('hashsize', ?)",
    [KHM_Q_HEAD_HASHSIZE] = "INSERT INTO dataset_head (dataset_head, rank) VALUES ('hashsize', ?)",
    /* SQLite only (khm_tx_bulk): no dataset at all, archived ones included; the indexes led by
     * a dataset's name or title that enforce nothing (a UNIQUE or PRIMARY KEY index has no sql
     * or says UNIQUE), with what makes each (store.c, defer_indexes) */
    [KHM_Q_BULK_EMPTY] = "SELECT NOT EXISTS (SELECT 1 FROM dataset)",
    [KHM_Q_BULK_INDEXES] = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS "
                           "NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%' AND name IN "
                           "('dataset_name_order', 'dataset_title', 'dataset_agency_slug', "
                           "'dataset_search_k_slug', 'dataset_search_k_title') ORDER BY name",
    /* the matches of a search's words and filters, counted; PostgreSQL's form, which
     * dataset_find.c runs, estimates them. Parameters as KHM_Q_SEARCH_MATCHES's */
    [KHM_Q_SEARCH_ESTIMATE] = "SELECT count(*) FROM dataset_fts WHERE dataset_fts MATCH (? || "
                              "CASE WHEN ? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' END)",
    /* SQLite only: a term of the full index in a range (dataset_find.c: the terms a word
     * begins, other than itself; migration 16's fts5vocab of dataset_fts) */
    [KHM_Q_SEARCH_TERM_LONGER] = "SELECT 1 FROM dataset_fts_terms WHERE term >= ? AND "
                                 "term <= ? LIMIT 1",
    /* SQLite only: KHM_Q_SEARCH_MATCHES in the order of n, the earliest or the latest first
     * (dataset_find.c's walk) */
    [KHM_Q_SEARCH_MATCHES_UP] = "SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH (? || CASE "
                                "WHEN ? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' END) "
                                "ORDER BY rowid",
    [KHM_Q_SEARCH_MATCHES_DOWN] = "SELECT rowid FROM dataset_fts WHERE dataset_fts MATCH (? || "
                                  "CASE WHEN ? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' "
                                  "END) ORDER BY rowid DESC",
    /* SQLite only: whether entry n matches, the parameters of KHM_Q_SEARCH_MATCHES and n
     * (dataset_find.c's walk) */
    [KHM_Q_SEARCH_MATCH_ONE] = "SELECT 1 FROM dataset_fts WHERE dataset_fts MATCH (? || CASE "
                               "WHEN ? = '' THEN '' ELSE ' AND ({facets}:(' || ? || '))' END) "
                               "AND rowid = ?",
    /* the entry with its dataset's sort keys as its row has them now (migration 16; search.c);
     * the parameters of KHM_Q_SEARCH_INSERT. VALUES, not INSERT … SELECT: a statement that may
     * write several rows opens a statement journal, and FTS5 flushes its pending terms at each
     * (the import at half its rate); no dataset row is the foreign key's error */
    [KHM_Q_SEARCH_INSERT_KEYED] = "INSERT INTO dataset_search (dataset_id, title, tags, agency, "
                                  "body, facets, k_slug, k_title) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                  "(SELECT slug FROM dataset WHERE id = ?1), (SELECT title FROM "
                                  "dataset WHERE id = ?1))",
    /* the consent index's read (khm_store_consent_fold_since): CONSENT_COLS in their places, the
     * columns it does not fold as constants, so the signed receipt (kilobytes per event) and
     * the other texts stay on disk while millions of events are read */
    [KHM_Q_CONSENT_FOLD_SINCE] =
        "SELECT id, seq, agency_id, purpose_id, subject, '', action, 0, 0, "
        "'', text_version, explicit_consent, NULL, '', NULL, NULL, "
        "expires_at, NULL, NULL FROM consent_event WHERE seq > ? "
        "ORDER BY seq LIMIT ?",
};

const char *const khm_store__queries_pg[KHM_Q__COUNT] = {
    /* the parts as khm_segment_join() words, weighted A (title) to D (body); the facets in a
     * tsvector of their own; n orders the entries, the latest indexed last (migration 12) */
    [KHM_Q_SEARCH_INSERT] = "INSERT INTO dataset_search (dataset_id, doc, facets, n) VALUES (?, "
                            "setweight(to_tsvector('simple', ?), 'A') || "
                            "setweight(to_tsvector('simple', ?), 'B') || "
                            "setweight(to_tsvector('simple', ?), 'C') || "
                            "setweight(to_tsvector('simple', ?), 'D'), to_tsvector('simple', ?), "
                            "nextval('dataset_search_seq'))",
    /* the same with the dataset's sort keys as its row has them now (migration 15: a search by
     * name, title or change time sorts and pages the entries alone; every write of a dataset
     * writes its entry again, records.c); the same parameters. A LEFT JOIN: no dataset row is
     * the foreign key's error, as above, not an entry left out. An INSERT first (not WITH …):
     * store_pg.c queues only those in a batch, the import's pipeline */
    [KHM_Q_SEARCH_INSERT_KEYED] =
        "INSERT INTO dataset_search (dataset_id, doc, facets, n, slug, title, updated_at) "
        "SELECT v.id, setweight(to_tsvector('simple', v.ti), 'A') || "
        "setweight(to_tsvector('simple', v.tg), 'B') || "
        "setweight(to_tsvector('simple', v.ag), 'C') || "
        "setweight(to_tsvector('simple', v.bo), 'D'), to_tsvector('simple', v.fa), "
        "nextval('dataset_search_seq'), d.slug, d.title, d.updated_at FROM (VALUES (CAST(? AS "
        "TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS "
        "TEXT))) v (id, ti, tg, ag, bo, fa) LEFT JOIN dataset d ON d.id = v.id",
    [KHM_Q_TAG_INSERT_ALL] = "INSERT INTO dataset_tag (tag, dataset_id) SELECT DISTINCT t, ? "
                             "FROM json_array_elements_text(CAST(? AS json)) t "
                             "ON CONFLICT DO NOTHING",
    [KHM_Q_SEARCH_ROWS] = "SELECT s.n, " KHM_SQL_DATASET_D_COLS " FROM dataset_search s "
                          "JOIN dataset d ON d.id = s.dataset_id WHERE s.n IN (SELECT "
                          "CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS json))) "
                          "AND d.archived_at IS NULL",
    /* tier 1 of a relevance search (dataset_find.c): the parameter is the words without
     * weights (tier 0's tsquery text), asked of the title's words, t1 (migration 15) */
    [KHM_Q_SEARCH_TIER] = "SELECT n FROM dataset_search WHERE t1 @@ to_tsquery('simple', ?) "
                          "AND (CAST(? AS TEXT) = '' OR facets @@ to_tsquery('simple', ?)) "
                          "AND n < ? ORDER BY n DESC LIMIT ?",
    /* tiers 2-3 in one scan of the entries with every word in title, tags or agency names (t3,
     * migration 15), each given its tier by t1 and t2 once (OFFSET 0 keeps the subquery whole:
     * pulled up, its CASE was evaluated again in each condition on t), sorted by tier then
     * latest first — where a statement per tier scanned them once per tier. The four word
     * parameters are the words without weights (tier 0's tsquery text) */
    [KHM_Q_SEARCH_REST] =
        "SELECT n, t FROM (SELECT s.n, CASE WHEN s.t1 @@ to_tsquery('simple', "
        "?) THEN 1 WHEN s.t2 @@ to_tsquery('simple', ?) THEN 2 "
        "WHEN s.t3 @@ to_tsquery('simple', ?) THEN 3 ELSE 4 END AS t "
        "FROM dataset_search s WHERE s.t3 @@ to_tsquery('simple', ?) AND "
        "(CAST(? AS TEXT) = '' OR s.facets @@ to_tsquery('simple', ?)) OFFSET 0) x "
        "WHERE t >= ? AND t < 4 AND (t > ? OR n < ?) ORDER BY t, n DESC LIMIT ?",
    [KHM_Q_SEARCH_TIER4] = "SELECT n FROM dataset_search WHERE doc @@ to_tsquery('simple', ?) "
                           "AND NOT t3 @@ to_tsquery('simple', ?) AND (CAST(? AS TEXT) = '' OR "
                           "facets @@ to_tsquery('simple', ?)) AND n < ? ORDER BY n DESC LIMIT ?",
    [KHM_Q_SEARCH_MATCHES] = "SELECT n FROM dataset_search WHERE doc @@ to_tsquery('simple', ?) "
                             "AND (CAST(? AS TEXT) = '' OR facets @@ to_tsquery('simple', ?))",
    /* the planner's estimate of the matches (Plan Rows of the first child) and of all the
     * entries (the top's, less the first child's), as JSON: dataset_find.c chooses between
     * sorting the matches and walking the order's index by them, which the planner misjudges
     * (it does not count reading each walked entry's words out of line, ~9 us) */
    [KHM_Q_SEARCH_ESTIMATE] = "EXPLAIN (FORMAT JSON) SELECT 1 FROM dataset_search s WHERE "
                              "s.doc @@ to_tsquery('simple', ?) AND (CAST(? AS TEXT) = '' OR "
                              "s.facets @@ to_tsquery('simple', ?)) UNION ALL SELECT 1 FROM "
                              "dataset_search",
    /* delivered at commit to every server's LISTEN connection (store_pg.c, listen_main) */
    [KHM_Q_CONSENT_NOTIFY] = "SELECT pg_notify('khm_consent', '')",
    [KHM_Q_DATASET_TAKEN] = "SELECT slug FROM dataset WHERE slug IN (SELECT t FROM "
                            "json_array_elements_text(CAST(? AS json)) t)",
    /* plan each statement once for the rest of the transaction (khm_tx_bulk) */
    [KHM_Q_BULK] = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)",
};
