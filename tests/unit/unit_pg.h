/* PostgreSQL for the unit tests that also run on the scale-out backend. KHOMUN_TEST_PG (set by
 * scripts/pg.sh) names a server's database; each test makes a database of its own there and
 * drops it after. Without it those tests skip — before allocating anything, so that a skipped
 * test leaks nothing under AddressSanitizer. Header only, like unit.h. */
#ifndef KHM_UNIT_PG_H
#define KHM_UNIT_PG_H

#include "unit.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The server's URI, or NULL when no PostgreSQL is configured. */
static inline const char *khm_test_pg(void)
{
    const char *u = getenv("KHOMUN_TEST_PG");
    return u && *u ? u : NULL;
}

/* One statement on a direct connection to @p uri: 1 done, 0 refused (when @p may_fail;
 * otherwise a refusal fails the test). */
static inline int khm_test_pg_run(const char *uri, const char *sql, int may_fail)
{
    PGconn *c = PQconnectdb(uri);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok && !may_fail)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok;
}

/* One statement on KHOMUN_TEST_PG's own database (CREATE and DROP DATABASE). */
static inline void khm_test_pg_sql(const char *sql)
{
    khm_test_pg_run(khm_test_pg(), sql, 0);
}

/* KHOMUN_TEST_PG with its database replaced by @p db (its query string kept). */
static inline void khm_test_pg_uri(char *out, size_t cap, const char *db)
{
    const char *base = khm_test_pg();
    const char *host = strstr(base, "://");
    assert_non_null(host);
    const char *slash = strchr(host + 3, '/');
    const char *query = strchr(host + 3, '?');
    size_t keep = slash ? (size_t)(slash - base) : query ? (size_t)(query - base) : strlen(base);
    snprintf(out, cap, "%.*s/%s%s", (int)keep, base, db, query ? query : "");
}

/*
 * A fresh, empty database "<prefix>_<pid>_<n>": its name in @p name (64 bytes) and its URI in
 * @p uri (1024 bytes). @p options, when not NULL, are tried first after "CREATE DATABASE …
 * TEMPLATE template0" (e.g. a collation); a server that refuses them gets the plain form.
 */
static inline void khm_test_pg_create(char name[64], char uri[1024], const char *prefix,
                                      const char *options)
{
    static int n;
    char sql[512];
    snprintf(name, 64, "%s_%d_%d", prefix, (int)getpid(), ++n);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 %s", name,
             options ? options : "");
    if (!options || !khm_test_pg_run(khm_test_pg(), sql, 1)) {
        snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0", name);
        khm_test_pg_sql(sql);
    }
    khm_test_pg_uri(uri, 1024, name);
}

/* Drop database @p name (its connections ended first). */
static inline void khm_test_pg_drop(const char *name)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    khm_test_pg_sql(sql);
}

#endif
