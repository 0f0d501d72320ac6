/* Tests for src/lib/store/store.c: open/create, backend selection, migrations at open, the
 * schema-version guard, transactions (commit, rollback, write serialization, read isolation)
 * and ping. */
#include "unit.h"

#include "store_internal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

/* A new empty store file in a fresh temporary directory; *dir is freed by the caller. */
static khm_store *open_new(char **dir, char **path)
{
    khm_store *s = NULL;
    *dir = khm_test_tmpdir();
    size_t n = strlen(*dir) + 16;
    *path = malloc(n);
    assert_non_null(*path);
    snprintf(*path, n, "%s.db", *dir); /* beside "d", inside the mkdtemp directory */
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&s, *path, &o), 0);
    return s;
}

static void done(khm_store *s, char *dir, char *path)
{
    khm_store_close(s);
    khm_test_rmtree(dir);
    free(dir);
    free(path);
}

static void agency_row(khm_agency *ag, const char *slug)
{
    memset(ag, 0, sizeof(*ag));
    khm_id_new(ag->id);
    ag->slug = slug;
    ag->name_th = "หน่วยงานทดสอบ";
    ag->name_en = NULL;
    ag->created_at = 1;
}

static int64_t agency_count(khm_store *s)
{
    khm_tx *tx;
    int64_t n = -1;
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    khm_tx_rollback(tx);
    return n;
}

static void test_store_store__open_creates_only_when_asked(void **state)
{
    (void)state;
    char *dir = khm_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof(path), "%s.db", dir);
    khm_store *s = (khm_store *)1;

    assert_int_equal(khm_store_open(&s, path, NULL), KHM_ENOTFOUND);
    assert_null(s);
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */
    assert_non_null(strstr(khm_err_last()->message, "does not exist"));

    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&s, path, &o), 0);
    assert_non_null(s);
    assert_string_equal(khm_store_backend(s), "sqlite");
    assert_int_equal(access(path, F_OK), 0);
    khm_store_close(s);

    /* now it exists: no create needed */
    assert_int_equal(khm_store_open(&s, path, NULL), 0);
    khm_store_close(s);
    khm_store_close(NULL);
    khm_test_rmtree(dir);
    free(dir);
}

static void test_store_store__postgres_unreachable_and_empty_uri(void **state)
{
    (void)state;
    khm_store *s = (khm_store *)1;
    /* a postgres:// URI selects the PostgreSQL driver; nothing listens on port 1 */
    assert_int_equal(khm_store_open(&s, "postgres://u:pw@127.0.0.1:1/khomun", NULL), KHM_EUNAVAIL);
    assert_null(s);
    assert_non_null(strstr(khm_err_last()->message, "database unavailable"));
    assert_null(strstr(khm_err_last()->message, ":pw"));
    assert_int_equal(khm_store_open(&s, "postgresql://127.0.0.1:1/khomun", NULL), KHM_EUNAVAIL);
    assert_int_equal(khm_store_open(&s, "", NULL), KHM_EINVALID);
    assert_int_equal(khm_store_open(&s, NULL, NULL), KHM_EINVALID);
}

static void test_store_store__migrates_to_known_version(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    assert_true(khm_store_migrations_known() >= 1);
    assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
    done(s, dir, path);
}

static int count_schema_rows(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM khm_schema", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_store_store__reopen_does_not_reapply_migrations(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    khm_store_close(s);
    assert_int_equal(count_schema_rows(path), khm_store_migrations_known());
    for (int i = 0; i < 2; i++) {
        assert_int_equal(khm_store_open(&s, path, NULL), 0);
        assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
        khm_store_close(s);
    }
    assert_int_equal(count_schema_rows(path), khm_store_migrations_known());
    done(NULL, dir, path);
}

static void test_store_store__newer_schema_refused(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    khm_store_close(s);
    int known = khm_store_migrations_known();

    sqlite3 *db;
    char sql[200];
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    snprintf(sql, sizeof(sql),
             "INSERT INTO khm_schema (version, name, applied_at) VALUES (%d, 'future', 0)",
             known + 5);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    s = (khm_store *)1;
    assert_int_equal(khm_store_open(&s, path, NULL), KHM_ERROR);
    assert_null(s);
    char want_new[32], want_known[32];
    snprintf(want_new, sizeof(want_new), "version %d", known + 5);
    snprintf(want_known, sizeof(want_known), "(%d)", known);
    assert_non_null(strstr(khm_err_last()->message, want_new));
    assert_non_null(strstr(khm_err_last()->message, want_known));
    done(NULL, dir, path);
}

static void test_store_store__commit_persists_rollback_discards(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    khm_tx *tx;
    khm_agency ag;

    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    agency_row(&ag, "kept");
    assert_int_equal(khm_store_agency_insert(tx, &ag), 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    agency_row(&ag, "dropped");
    assert_int_equal(khm_store_agency_insert(tx, &ag), 0);
    khm_tx_rollback(tx);
    khm_tx_rollback(NULL);

    /* visible after close and reopen too */
    khm_store_close(s);
    assert_int_equal(khm_store_open(&s, path, NULL), 0);
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &ag, "kept", a), 0);
    assert_int_equal(khm_store_agency_get(tx, &ag, "dropped", a), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    assert_int_equal(agency_count(s), 1);
    khm_arena_free(a);
    done(s, dir, path);
}

typedef struct {
    khm_store *s;
    int which;
    int failures;
} writer_arg;

static void *writer(void *p)
{
    writer_arg *w = p;
    for (int i = 0; i < 200; i++) {
        char slug[32];
        khm_agency ag;
        khm_tx *tx;
        snprintf(slug, sizeof(slug), "w%d-%d", w->which, i);
        agency_row(&ag, slug);
        if (khm_tx_begin(&tx, w->s, 1) < 0) {
            w->failures++;
            continue;
        }
        if (khm_store_agency_insert(tx, &ag) < 0) {
            w->failures++;
            khm_tx_rollback(tx);
            continue;
        }
        if (khm_tx_commit(tx) < 0)
            w->failures++;
    }
    return NULL;
}

static void test_store_store__write_transactions_serialize(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    pthread_t t[2];
    writer_arg w[2] = { { s, 0, 0 }, { s, 1, 0 } };
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, &w[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(w[0].failures, 0);
    assert_int_equal(w[1].failures, 0);
    assert_int_equal(agency_count(s), 400);
    done(s, dir, path);
}

static void test_store_store__readers_see_old_state_during_write(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    khm_tx *w, *r1, *r2;
    khm_agency ag;
    int64_t n = -1;

    assert_int_equal(khm_tx_begin(&w, s, 1), 0);
    agency_row(&ag, "pending");
    assert_int_equal(khm_store_agency_insert(w, &ag), 0);
    assert_int_equal(khm_store_agency_count(w, &n), 0);
    assert_int_equal(n, 1); /* the writer sees its own row */

    /* two readers at once, while the write is open */
    assert_int_equal(khm_tx_begin(&r1, s, 0), 0);
    assert_int_equal(khm_tx_begin(&r2, s, 0), 0);
    assert_int_equal(khm_store_agency_count(r1, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(khm_store_agency_count(r2, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(khm_tx_commit(r1), 0);

    assert_int_equal(khm_tx_commit(w), 0);
    /* r2 keeps its snapshot; a new reader sees the commit */
    assert_int_equal(khm_store_agency_count(r2, &n), 0);
    assert_int_equal(n, 0);
    khm_tx_rollback(r2);
    assert_int_equal(agency_count(s), 1);
    done(s, dir, path);
}

static void test_store_store__ping(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    assert_int_equal(khm_store_ping(s), 0);
    assert_int_equal(khm_store_ping(s), 0); /* the pooled statement is reused */
    done(s, dir, path);
}

static void test_store_store__readonly_opens_current_refuses_stale(void **state)
{
    (void)state;
    char *dir, *path;
    khm_store *s = open_new(&dir, &path);
    khm_store_close(s);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.readonly = 1;
    assert_int_equal(khm_store_open(&s, path, &o), 0);
    assert_int_equal(khm_store_schema_version(s), khm_store_migrations_known());
    assert_int_equal(khm_store_ping(s), 0);
    khm_store_close(s);

    /* a database that still needs a migration is refused read-only, naming the migration */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM khm_schema", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s = (khm_store *)1;
    assert_int_equal(khm_store_open(&s, path, &o), KHM_ERROR);
    assert_null(s);
    assert_non_null(strstr(khm_err_last()->message, "read-only"));
    assert_non_null(strstr(khm_err_last()->message, "migration 1"));
    done(NULL, dir, path);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_store__open_creates_only_when_asked),
              cmocka_unit_test(test_store_store__postgres_unreachable_and_empty_uri),
              cmocka_unit_test(test_store_store__migrates_to_known_version),
              cmocka_unit_test(test_store_store__reopen_does_not_reapply_migrations),
              cmocka_unit_test(test_store_store__newer_schema_refused),
              cmocka_unit_test(test_store_store__commit_persists_rollback_discards),
              cmocka_unit_test(test_store_store__write_transactions_serialize),
              cmocka_unit_test(test_store_store__readers_see_old_state_during_write),
              cmocka_unit_test(test_store_store__ping),
              cmocka_unit_test(test_store_store__readonly_opens_current_refuses_stale))
