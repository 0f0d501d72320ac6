/* Numbered schema migrations, the same for every backend, applied in order at open. Each runs
 * in its own write transaction together with its row in khm_schema, so a crash leaves the
 * schema at a whole version. Never edit a shipped migration: add the next one.
 * Portable DDL only: TEXT, BIGINT, INTEGER; ids are UUIDv7 text, times ms since the epoch. */
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
};

const int khm_store__migrations_count =
    (int)(sizeof(khm_store__migrations) / sizeof(khm_store__migrations[0]));
