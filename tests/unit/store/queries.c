/* Tests for src/lib/store/queries.c: every statement of the query table exists and prepares
 * against a fully migrated database. */
#include "unit.h"

#include "store_internal.h"

#include <sqlite3.h>

static void test_store_queries__every_query_present(void **state)
{
    (void)state;
    for (int q = 0; q < KHM_Q__COUNT; q++) {
        if (!khm_store__queries[q])
            fail_msg("query %d is missing from khm_store__queries", q);
        assert_true(strlen(khm_store__queries[q]) > 0);
    }
}

static void test_store_queries__every_query_prepares_on_migrated_db(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(e.init.db_uri, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(khm_store__fts_thai_register(db), 0); /* dataset_fts uses it */
    for (int q = 0; q < KHM_Q__COUNT; q++) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, khm_store__queries[q], -1, &st, &tail) != SQLITE_OK)
            fail_msg("query %d does not prepare: %s\n  %s", q, sqlite3_errmsg(db),
                     khm_store__queries[q]);
        assert_non_null(st);
        /* exactly one statement: a second one would be silently ignored */
        assert_string_equal(tail, "");
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    khm_test_env_close(&e);
}

static void test_store_queries__placeholders_are_question_marks(void **state)
{
    (void)state;
    /* drivers rewrite '?'; numbered or named forms would bypass that */
    for (int q = 0; q < KHM_Q__COUNT; q++) {
        assert_null(strchr(khm_store__queries[q], '$'));
        assert_null(strstr(khm_store__queries[q], " :"));
        if (khm_store__queries_pg[q]) {
            assert_null(strchr(khm_store__queries_pg[q], '$'));
            assert_null(strstr(khm_store__queries_pg[q], "::"));
        }
    }
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_queries__every_query_present),
              cmocka_unit_test(test_store_queries__every_query_prepares_on_migrated_db),
              cmocka_unit_test(test_store_queries__placeholders_are_question_marks))
