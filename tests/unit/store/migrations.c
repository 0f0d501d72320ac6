/* Tests for src/lib/store/migrations.c: the numbered migrations are contiguous from 1, named,
 * and each one's SQL runs, in order, on a fresh database (PostgreSQL's variants: store_pg.c
 * and search.c run them under scripts/pg.sh). */
#include "unit.h"

#include "store_internal.h"

#include <sqlite3.h>

static void test_store_migrations__versions_contiguous_and_named(void **state)
{
    (void)state;
    assert_true(khm_store__migrations_count >= 1);
    assert_int_equal(khm_store__migrations_count, khm_store_migrations_known());
    for (int i = 0; i < khm_store__migrations_count; i++) {
        const khm_migration *m = &khm_store__migrations[i];
        assert_int_equal(m->version, i + 1);
        assert_non_null(m->name);
        assert_true(strlen(m->name) > 0);
        assert_non_null(m->sql);
        assert_true(strlen(m->sql) > 0);
    }
}

static void test_store_migrations__every_migration_runs_on_fresh_db(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(khm_store__fts_thai_register(db), 0); /* migration 5's tokenize='thai' */
    for (int i = 0; i < khm_store__migrations_count; i++) {
        char *err = NULL;
        int rc = sqlite3_exec(db, khm_store__migrations[i].sql, NULL, NULL, &err);
        if (rc != SQLITE_OK)
            fail_msg("migration %d (%s): %s", khm_store__migrations[i].version,
                     khm_store__migrations[i].name, err ? err : "?");
        sqlite3_free(err);
    }
    /* the foundation tables exist */
    static const char *const tables[] = { "khm_meta", "agency", "app_user", "api_token" };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                            "AND name = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

static void test_store_migrations__no_migration_writes_khm_schema(void **state)
{
    (void)state;
    /* store.c owns khm_schema; a migration touching it would corrupt the version count */
    for (int i = 0; i < khm_store__migrations_count; i++) {
        assert_null(strstr(khm_store__migrations[i].sql, "khm_schema"));
        if (khm_store__migrations[i].sql_pg)
            assert_null(strstr(khm_store__migrations[i].sql_pg, "khm_schema"));
    }
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_migrations__versions_contiguous_and_named),
              cmocka_unit_test(test_store_migrations__every_migration_runs_on_fresh_db),
              cmocka_unit_test(test_store_migrations__no_migration_writes_khm_schema))
