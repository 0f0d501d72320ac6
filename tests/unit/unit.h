/* unit.h — shared by the cmocka unit tests in tests/unit/<module>/<file>.c, which mirror
 * src/lib/<module>/<file>.c one to one. Test names: test_<module>_<file>__<case>. Each file
 * ends with KHM_UNIT_MAIN(...) listing its tests. Helpers here make a temporary directory and
 * an initialised store for tests that need one. */
#ifndef KHM_TESTS_UNIT_H
#define KHM_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four headers above first */
#include <cmocka.h>

#include <khomun/khomun.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run the listed tests as one group named after the file. */
#define KHM_UNIT_MAIN(...)                                               \
    int main(void)                                                       \
    {                                                                    \
        const struct CMUnitTest tests[] = { __VA_ARGS__ };               \
        if (sodium_init() < 0)                                           \
            return 1;                                                    \
        return cmocka_run_group_tests_name(__FILE__, tests, NULL, NULL); \
    }

/* 1 when the last error lists a field error for @p name (khm_err_field) with its Thai message
 * (every field error is told in Thai too). */
static inline int has_field(const char *name)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].field, name) == 0 && f[i].message_th && *f[i].message_th)
            return 1;
    return 0;
}

/* A fresh temporary directory path (not created): "/tmp/khm-unit-XXXXXX/d". Free with free(). */
static inline char *khm_test_tmpdir(void)
{
    char tmpl[] = "/tmp/khm-unit-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    size_t n = strlen(d) + 3;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/d", d);
    return p;
}

/* rm -rf the parent of a path made by khm_test_tmpdir(). */
static inline void khm_test_rmtree(const char *path)
{
    char cmd[4200];
    const char *slash = strrchr(path, '/');
    int n = (int)(slash ? slash - path : (long)strlen(path));
    snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", n, path);
    assert_int_equal(system(cmd), 0);
}

/* Run SQL on a SQLite file directly, as an attacker with the file would (tamper tests). */
__attribute__((format(printf, 2, 3))) static inline void khm_test_sql(const char *path,
                                                                      const char *fmt, ...)
{
    char q[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof(q), fmt, ap);
    va_end(ap);
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", q, err);
    sqlite3_close(db);
}

/* An initialised data directory and its open store, for tests of store-backed modules. */
typedef struct {
    char *dir;
    khm_store *store;
    khm_arena *arena;
    khm_init_result init;
} khm_test_env;

static inline void khm_test_env_open(khm_test_env *e)
{
    memset(e, 0, sizeof(*e));
    e->dir = khm_test_tmpdir();
    e->arena = khm_arena_new(0);
    khm_init_opts o = { e->dir, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(khm_setup_init(&e->init, &o, e->arena), 0);
    assert_int_equal(khm_store_open(&e->store, e->init.db_uri, NULL), 0);
}

static inline void khm_test_env_close(khm_test_env *e)
{
    khm_store_close(e->store);
    khm_arena_free(e->arena);
    khm_test_rmtree(e->dir);
    free(e->dir);
}

#endif
