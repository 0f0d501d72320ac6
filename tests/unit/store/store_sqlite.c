/* Tests for src/lib/store/store_sqlite.c: the connection settings (WAL, foreign keys), the
 * mapping of SQLite errors to KHM_E* codes, and refusal of files that are not databases. */
#include "unit.h"

#include "store_internal.h"

#include <sqlite3.h>
#include <unistd.h>

/* PRAGMA @p what of the database at @p path (its text, strdup'd) */
static char *pragma(const char *path, const char *what)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA %s", what);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *mode = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return mode;
}

static void test_store_store_sqlite__wal_mode_is_on(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    char *mode = pragma(e.init.db_uri, "journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    khm_test_env_close(&e);
}

/* A database the store creates has 16 KB pages (store_sqlite.c, PAGE_SIZE); one made before,
 * with SQLite's 4 KB, keeps them, and is migrated and used all the same. */
static void test_store_store_sqlite__page_size(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    char *size = pragma(e.init.db_uri, "page_size");
    assert_string_equal(size, "16384");
    free(size);
    khm_test_env_close(&e);

    char *dir = khm_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof(path), "%s.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; "
                                  "CREATE TABLE before_khomun (x); DROP TABLE before_khomun;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    khm_store *s;
    assert_int_equal(khm_store_open(&s, path, NULL), 0);
    assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
    khm_tx *tx;
    khm_agency ag, got;
    memset(&ag, 0, sizeof(ag));
    khm_id_new(ag.id);
    ag.slug = "nso";
    ag.name_th = "สำนักงานสถิติแห่งชาติ";
    ag.created_at = 1700000000000;
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    assert_int_equal(khm_store_agency_insert(tx, &ag), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &got, "nso", a), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.name_th, "สำนักงานสถิติแห่งชาติ");
    khm_arena_free(a);
    khm_store_close(s);
    size = pragma(path, "page_size");
    assert_string_equal(size, "4096");
    free(size);
    unlink(path);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_store_store_sqlite__foreign_keys_enforced(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_user u, got;
    khm_user *list;
    size_t n = 0;
    int more = 1;

    memset(&u, 0, sizeof(u));
    khm_id_new(u.id);
    khm_id_new(u.agency_id); /* no such agency */
    u.name = "orphan";
    u.role = KHM_ROLE_ANALYST;
    u.clearance = KHM_LEVEL_INTERNAL;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    int rc = khm_store_user_insert(tx, &u);
    assert_true(rc < 0);
    assert_int_not_equal(rc, KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "FOREIGN KEY"));
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, "orphan", e.arena), KHM_ENOTFOUND);
    assert_int_equal(khm_store_user_list(tx, &list, &n, &more, NULL, NULL, e.arena), 0);
    assert_int_equal(n, 1); /* only the admin made by init */
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_store_sqlite__unique_violation_is_eexists(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency ag;
    memset(&ag, 0, sizeof(ag));
    khm_id_new(ag.id);
    ag.slug = "demo"; /* made by init */
    ag.name_th = "ซ้ำ";
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_agency_insert(tx, &ag), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "demo"));
    /* a primary-key clash maps the same way */
    memcpy(ag.id, e.init.agency.id, KHM_ID_LEN);
    ag.slug = "other";
    assert_int_equal(khm_store_agency_insert(tx, &ag), KHM_EEXISTS);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_store_sqlite__not_a_database_refused(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof(path), "%s.db", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database, just text.\n", f);
    fclose(f);

    khm_store *s = (khm_store *)1;
    int rc = khm_store_open(&s, path, NULL);
    assert_null(s);
    assert_int_equal(rc, KHM_EUNAVAIL);
    assert_non_null(strstr(khm_err_last()->message, path));
    assert_non_null(strstr(khm_err_last()->message, "not a usable SQLite database"));

    /* an empty file is a valid empty database for SQLite: it is migrated */
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(khm_store_open(&s, path, NULL), 0);
    assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
    khm_store_close(s);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_store_store_sqlite__driver_round_trip_and_prefix(void **state)
{
    (void)state;
    const khm_store_driver *d = &khm_store__sqlite;
    char *dir = khm_test_tmpdir();
    char uri[4200];
    snprintf(uri, sizeof(uri), "sqlite:%s.db", dir);
    khm_store_opts o = { 1, 0, 1000, 1 };
    khm_conn *c;
    khm_stmt *st;

    assert_string_equal(d->name, "sqlite");
    assert_int_equal(d->connect(&c, uri, &o), 0);
    assert_int_equal(access(uri + 7, F_OK), 0); /* "sqlite:" prefix stripped */
    assert_int_equal(d->exec(c, "CREATE TABLE t (a TEXT, b BIGINT)"), 0);
    assert_int_equal(d->begin(c, 1), 0);
    assert_int_equal(d->prepare(c, "INSERT INTO t VALUES (?, ?)", &st), 0);
    assert_int_equal(d->bind_text(st, 1, "ข้อมูล"), 0);
    assert_int_equal(d->bind_int64(st, 2, INT64_C(1) << 40), 0);
    assert_int_equal(d->step(st), 0);
    d->reset(st);
    assert_int_equal(d->bind_text(st, 1, NULL), 0);
    assert_int_equal(d->bind_null(st, 2), 0);
    assert_int_equal(d->step(st), 0);
    d->finalize(st);
    assert_int_equal(d->commit(c), 0);

    assert_int_equal(d->prepare(c, "SELECT a, b FROM t ORDER BY rowid", &st), 0);
    assert_int_equal(d->step(st), 1);
    assert_string_equal(d->col_text(st, 0), "ข้อมูล");
    assert_true(d->col_int64(st, 1) == (INT64_C(1) << 40));
    assert_false(d->col_is_null(st, 0));
    assert_int_equal(d->step(st), 1);
    assert_null(d->col_text(st, 0));
    assert_true(d->col_is_null(st, 1));
    assert_int_equal(d->col_int64(st, 1), 0);
    assert_int_equal(d->step(st), 0);
    d->finalize(st);

    /* bad SQL: KHM_ERROR naming the backend, not a crash */
    assert_int_equal(d->prepare(c, "SELEC nonsense", &st), KHM_ERROR);
    assert_non_null(strstr(khm_err_last()->message, "sqlite"));
    /* rollback with nothing open is harmless */
    assert_int_equal(d->rollback(c), 0);
    d->disconnect(c);
    d->disconnect(NULL);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_store_store_sqlite__readonly_connection_cannot_write(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    const khm_store_driver *d = &khm_store__sqlite;
    khm_store_opts o = { 0, 1, 1000, 1 };
    khm_conn *c;
    assert_int_equal(d->connect(&c, e.init.db_uri, &o), 0);
    int rc = d->exec(c, "INSERT INTO khm_meta (key, value) VALUES ('x', 'y')");
    assert_true(rc < 0);
    d->disconnect(c);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_store_sqlite__wal_mode_is_on),
              cmocka_unit_test(test_store_store_sqlite__page_size),
              cmocka_unit_test(test_store_store_sqlite__foreign_keys_enforced),
              cmocka_unit_test(test_store_store_sqlite__unique_violation_is_eexists),
              cmocka_unit_test(test_store_store_sqlite__not_a_database_refused),
              cmocka_unit_test(test_store_store_sqlite__driver_round_trip_and_prefix),
              cmocka_unit_test(test_store_store_sqlite__readonly_connection_cannot_write))
