/* The query table: every statement of the typed calls, in portable SQL ('?' placeholders,
 * RETURNING and ON CONFLICT as both SQLite ≥ 3.35 and PostgreSQL accept them). Dialect
 * differences belong in the drivers, never here. */
#include "store_internal.h"

#define AGENCY_COLS "id, slug, name_th, name_en, created_at"
#define USER_COLS   "id, name, display_name, email, agency_id, role, clearance, disabled, created_at"
#define TOKEN_COLS  "id, user_id, name, hash, created_at, expires_at, revoked_at"

const char *const khm_store__queries[KHM_Q__COUNT] = {
    [KHM_Q_PING] = "SELECT 1",
    [KHM_Q_SCHEMA_VERSION] = "SELECT COALESCE(MAX(version), 0) FROM khm_schema",
    [KHM_Q_SCHEMA_INSERT] = "INSERT INTO khm_schema (version, name, applied_at) VALUES (?, ?, ?)",
    [KHM_Q_META_GET] = "SELECT value FROM khm_meta WHERE key = ?",
    [KHM_Q_META_SET] = "INSERT INTO khm_meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [KHM_Q_AGENCY_INSERT] = "INSERT INTO agency (" AGENCY_COLS ") VALUES (?, ?, ?, ?, ?)",
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
};
