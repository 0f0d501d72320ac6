/* Tests for src/lib/store/store_pg.c: the PostgreSQL backend behind the same khm_store calls —
 * open and migrate, every typed call of records.c, error mapping (unique → KHM_EEXISTS, foreign
 * key → KHM_EINVALID, no server → KHM_EUNAVAIL without the password), an aborted transaction,
 * a backend killed under the pool, placeholder rewriting around literals and comments, and the
 * strict (uncached) authentication over an epoch that is not shared.
 *
 * They need a server: KHOMUN_TEST_PG=postgres://… (bash scripts/pg.sh make test sets it). Each
 * test makes its own database there and drops it. Without KHOMUN_TEST_PG they are skipped. */
#include "unit_pg.h"

#include "store_internal.h"

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#define THAI_NAME "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล ๒๕๖๒"

typedef struct {
    char name[64];
    char uri[1024];
    khm_store *store;
    khm_arena *arena;
} pg_env;

/* A fresh, empty database (not opened). Skips the test when no server is configured. */
static void env_new(pg_env *e)
{
    memset(e, 0, sizeof(*e));
    if (!khm_test_pg())
        skip();
    khm_test_pg_create(e->name, e->uri, "khm_unit", NULL);
    e->arena = khm_arena_new(0);
}

static void env_open(pg_env *e)
{
    env_new(e);
    assert_int_equal(khm_store_open(&e->store, e->uri, NULL), 0);
}

static void env_close(pg_env *e)
{
    khm_store_close(e->store);
    khm_arena_free(e->arena);
    khm_test_pg_drop(e->name);
}

/* Terminate every khomun connection to @p db from a second connection; returns how many. */
static int kill_backends(const char *db)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = '%s' AND application_name = 'khomun'",
             db);
    PGconn *c = PQconnectdb(khm_test_pg());
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    int n = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    usleep(50 * 1000); /* let the backends go */
    return n;
}

static void mk_agency(khm_tx *tx, khm_agency *ag, const char *slug, const char *th, const char *en)
{
    memset(ag, 0, sizeof(*ag));
    khm_id_new(ag->id);
    ag->slug = slug;
    ag->name_th = th;
    ag->name_en = en;
    ag->created_at = 1700000000123;
    assert_int_equal(khm_store_agency_insert(tx, ag), 0);
}

static void mk_user(khm_tx *tx, khm_user *u, const char *name, const char *agency_id, int role)
{
    memset(u, 0, sizeof(*u));
    khm_id_new(u->id);
    u->name = name;
    u->display_name = "สมหญิง ทดสอบ";
    memcpy(u->agency_id, agency_id, KHM_ID_LEN);
    u->role = role;
    u->clearance = KHM_LEVEL_SECRET;
    u->created_at = 1700000000456;
    assert_int_equal(khm_store_user_insert(tx, u), 0);
}

static void mk_token(khm_tx *tx, khm_token *t, const char *user_id, const char *name, char fill,
                     int64_t expires_at)
{
    memset(t, 0, sizeof(*t));
    khm_id_new(t->id);
    memcpy(t->user_id, user_id, KHM_ID_LEN);
    t->name = name;
    memset(t->hash_hex, fill, 64);
    t->hash_hex[64] = '\0';
    t->created_at = 1000;
    t->expires_at = expires_at;
    assert_int_equal(khm_store_token_insert(tx, t), 0);
}

static void test_store_store_pg__open_migrates_once(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    assert_string_equal(khm_store_backend(e.store), "postgres");
    assert_int_equal(khm_store_schema_version(e.store), khm_store_migrations_known());
    assert_int_equal(khm_store_epoch_shared(e.store), 0);
    assert_int_equal(khm_store_ping(e.store), 0);
    /* a second handle (another server) finds the schema and applies nothing */
    khm_store *other;
    assert_int_equal(khm_store_open(&other, e.uri, NULL), 0);
    assert_int_equal(khm_store_schema_version(other), khm_store_migrations_known());
    khm_store_close(other);
    /* read-only opens work on a migrated database */
    khm_store_opts ro = KHM_STORE_OPTS_INIT;
    ro.readonly = 1;
    assert_int_equal(khm_store_open(&other, e.uri, &ro), 0);
    khm_tx *tx;
    int64_t n = -1;
    assert_int_equal(khm_tx_begin(&tx, other, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_store_close(other);
    env_close(&e);
}

static void test_store_store_pg__servers_starting_together_migrate_once(void **state)
{
    (void)state;
    pg_env e;
    env_new(&e);
    enum { N = 4 };
    pid_t kids[N];
    for (int i = 0; i < N; i++) {
        kids[i] = fork();
        assert_true(kids[i] >= 0);
        if (kids[i] == 0) {
            khm_store *s;
            int rc = khm_store_open(&s, e.uri, NULL);
            if (rc == 0)
                khm_store_close(s);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    for (int i = 0; i < N; i++) {
        int st;
        assert_int_equal(waitpid(kids[i], &st, 0), kids[i]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    assert_int_equal(khm_store_open(&e.store, e.uri, NULL), 0);
    assert_int_equal(khm_store_schema_version(e.store), khm_store_migrations_known());
    env_close(&e);
}

static void test_store_store_pg__meta_and_agencies(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_tx *tx;
    char *v;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_meta_set(tx, "k", "หนึ่ง"), 0);
    assert_int_equal(khm_store_meta_set(tx, "k", "สอง"), 0); /* upsert */
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_meta_get(tx, "k", &v, e.arena), 0);
    assert_string_equal(v, "สอง");
    assert_int_equal(khm_store_meta_get(tx, "missing", &v, e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);

    khm_agency ag[7], got, *list;
    char slugs[7][24];
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &ag[0], "pdpc", THAI_NAME, NULL);
    for (int i = 1; i < 7; i++) {
        snprintf(slugs[i], sizeof(slugs[i]), "agency-%d", i);
        mk_agency(tx, &ag[i], slugs[i], "หน่วยงาน", "Agency");
    }
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &got, ag[0].id, e.arena), 0);
    assert_string_equal(got.slug, "pdpc");
    assert_memory_equal(got.name_th, THAI_NAME, sizeof(THAI_NAME));
    assert_null(got.name_en);
    assert_true(got.created_at == 1700000000123);
    assert_int_equal(khm_store_agency_get(tx, &got, "agency-3", e.arena), 0);
    assert_string_equal(got.id, ag[3].id);
    assert_string_equal(got.name_en, "Agency");
    assert_int_equal(khm_store_agency_get(tx, &got, "nope", e.arena), KHM_ENOTFOUND);
    int64_t n = 0;
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    assert_int_equal(n, 7);
    /* pages of 3 in id order: 3 + more, 3 + more, 1 */
    khm_page page = { NULL, 3 };
    size_t cnt, total = 0;
    int more, pages = 0;
    const char *last = NULL;
    do {
        assert_int_equal(khm_store_agency_list(tx, &list, &cnt, &more, &page, e.arena), 0);
        for (size_t i = 0; i < cnt; i++) {
            if (last)
                assert_true(strcmp(last, list[i].id) < 0);
            last = list[i].id;
        }
        total += cnt;
        pages++;
        if (more)
            page.after = khm_arena_strdup(e.arena, list[cnt - 1].id);
    } while (more);
    assert_int_equal(total, 7);
    assert_int_equal(pages, 3);
    khm_tx_rollback(tx);
    env_close(&e);
}

static void test_store_store_pg__users_tokens_and_the_principal(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_tx *tx;
    khm_agency a1, a2, pa;
    khm_user u1, u2, u3, got, *ul, pu;
    khm_token t1, t2, t3, tg, *tl, pt;
    size_t n;
    int more;

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &a1, "one", "หนึ่ง", NULL);
    mk_agency(tx, &a2, "two", "สอง", "Two");
    mk_user(tx, &u1, "somchai", a1.id, KHM_ROLE_DPO);
    mk_user(tx, &u2, "somying", a1.id, KHM_ROLE_ANALYST);
    mk_user(tx, &u3, "other", a2.id, KHM_ROLE_ADMIN);
    mk_token(tx, &t1, u1.id, "ci", 'a', 0);
    mk_token(tx, &t2, u1.id, "laptop", 'b', 4102444800000);
    mk_token(tx, &t3, u3.id, "admin", 'c', 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, "somchai", e.arena), 0);
    assert_string_equal(got.id, u1.id);
    assert_string_equal(got.display_name, "สมหญิง ทดสอบ");
    assert_null(got.email);
    assert_string_equal(got.agency_id, a1.id);
    assert_int_equal(got.role, KHM_ROLE_DPO);
    assert_int_equal(got.clearance, KHM_LEVEL_SECRET);
    assert_int_equal(got.disabled, 0);
    assert_int_equal(khm_store_user_get(tx, &got, u3.id, e.arena), 0);
    assert_string_equal(got.name, "other");
    assert_int_equal(khm_store_user_get(tx, &got, "nobody", e.arena), KHM_ENOTFOUND);
    assert_int_equal(khm_store_user_list(tx, &ul, &n, &more, NULL, NULL, e.arena), 0);
    assert_int_equal(n, 3);
    assert_int_equal(more, 0);
    assert_int_equal(khm_store_user_list(tx, &ul, &n, &more, a1.id, NULL, e.arena), 0);
    assert_int_equal(n, 2);
    khm_page one = { NULL, 1 };
    assert_int_equal(khm_store_user_list(tx, &ul, &n, &more, a1.id, &one, e.arena), 0);
    assert_int_equal(n, 1);
    assert_int_equal(more, 1);

    assert_int_equal(khm_store_token_get(tx, &tg, t2.id, e.arena), 0);
    assert_string_equal(tg.name, "laptop");
    assert_string_equal(tg.user_id, u1.id);
    assert_string_equal(tg.hash_hex, t2.hash_hex);
    assert_true(tg.expires_at == 4102444800000);
    assert_true(tg.revoked_at == 0);
    assert_int_equal(khm_store_token_get(tx, &tg, "nope", e.arena), KHM_ENOTFOUND);
    assert_int_equal(khm_store_token_list(tx, &tl, &n, &more, NULL, NULL, e.arena), 0);
    assert_int_equal(n, 3);
    assert_int_equal(khm_store_token_list(tx, &tl, &n, &more, u1.id, NULL, e.arena), 0);
    assert_int_equal(n, 2);
    assert_int_equal(khm_store_token_principal(tx, t3.hash_hex, &pt, &pu, &pa, e.arena), 0);
    assert_string_equal(pt.id, t3.id);
    assert_string_equal(pu.name, "other");
    assert_int_equal(pu.role, KHM_ROLE_ADMIN);
    assert_string_equal(pa.slug, "two");
    assert_string_equal(pa.name_en, "Two");
    char unknown[65];
    memset(unknown, 'f', 64);
    unknown[64] = '\0';
    assert_int_equal(khm_store_token_principal(tx, unknown, &pt, &pu, &pa, e.arena), KHM_ENOTFOUND);
    khm_tx_rollback(tx);

    /* revoke keeps the first time; disable and enable; unknown ids */
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_token_revoke(tx, t1.id, 5000), 0);
    assert_int_equal(khm_store_token_revoke(tx, t1.id, 9000), 0);
    assert_int_equal(khm_store_user_set_disabled(tx, u2.id, 1), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_token_revoke(tx, "no-such-token", 1), KHM_ENOTFOUND);
    assert_int_equal(khm_store_user_set_disabled(tx, "no-such-user", 1), KHM_ENOTFOUND);
    assert_int_equal(khm_tx_commit(tx), 0); /* not-found is no database error */
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_token_get(tx, &tg, t1.id, e.arena), 0);
    assert_true(tg.revoked_at == 5000);
    assert_int_equal(khm_store_user_get(tx, &got, "somying", e.arena), 0);
    assert_int_equal(got.disabled, 1);
    khm_tx_rollback(tx);
    env_close(&e);
}

static void test_store_store_pg__unique_and_foreign_key_errors(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_tx *tx;
    khm_agency ag, dup;
    khm_user orphan;
    int64_t n = 0;

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &ag, "dup", "ซ้ำ", NULL);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    memset(&dup, 0, sizeof(dup));
    khm_id_new(dup.id);
    dup.slug = "dup";
    dup.name_th = "ซ้ำ";
    assert_int_equal(khm_store_agency_insert(tx, &dup), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "already exists"));
    /* PostgreSQL aborted the transaction: commit reports the first error and rolls back */
    assert_int_equal(khm_tx_commit(tx), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "rolled back"));

    memset(&orphan, 0, sizeof(orphan));
    khm_id_new(orphan.id);
    khm_id_new(orphan.agency_id); /* no such agency */
    orphan.name = "orphan";
    orphan.role = KHM_ROLE_ANALYST;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_user_insert(tx, &orphan), KHM_EINVALID);
    assert_non_null(strstr(khm_err_last()->message, "foreign key"));
    assert_null(strstr(khm_err_last()->message, orphan.agency_id)); /* no DETAIL with values */
    khm_tx_rollback(tx);

    /* the connection is fine afterwards */
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(khm_tx_commit(tx), 0);
    env_close(&e);
}

static void test_store_store_pg__unreachable_server_is_unavailable(void **state)
{
    (void)state;
    if (!khm_test_pg())
        skip();
    khm_store *s = (khm_store *)1;
    /* port 1 on loopback: nothing listens, the connection is refused at once */
    assert_int_equal(khm_store_open(&s, "postgres://khomun:sekret@127.0.0.1:1/khomundb", NULL),
                     KHM_EUNAVAIL);
    assert_null(s);
    const char *m = khm_err_last()->message;
    assert_non_null(strstr(m, "database unavailable"));
    assert_non_null(strstr(m, "khomundb"));
    assert_non_null(strstr(m, "127.0.0.1"));
    assert_null(strstr(m, "sekret"));
    /* a database that does not exist is unavailable too */
    char uri[1024];
    khm_test_pg_uri(uri, sizeof(uri), "khm_no_such_database");
    assert_int_equal(khm_store_open(&s, uri, NULL), KHM_EUNAVAIL);
    assert_non_null(strstr(khm_err_last()->message, "khm_no_such_database"));
    /* a malformed URI is invalid input, and the message does not echo it */
    assert_int_equal(khm_store_open(&s, "postgres://u:sekret@[::1/x", NULL), KHM_EINVALID);
    assert_null(strstr(khm_err_last()->message, "sekret"));
}

static void test_store_store_pg__killed_backend_reconnects(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_tx *tx;
    khm_agency ag;
    int64_t n = -1;

    /* idle pooled connection killed: the next read transaction reconnects cleanly */
    assert_true(kill_backends(e.name) >= 1);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    int rc = khm_store_agency_count(tx, &n);
    assert_true(rc == 0 || rc == KHM_EUNAVAIL);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);

    /* and the next write transaction too (BEGIN on the dead connection) */
    assert_true(kill_backends(e.name) >= 1);
    rc = khm_tx_begin(&tx, e.store, 1);
    assert_true(rc == 0 || rc == KHM_EUNAVAIL);
    if (rc == 0) {
        mk_agency(tx, &ag, "after-kill", "หลังตัด", NULL);
        assert_int_equal(khm_tx_commit(tx), 0);
    } else {
        assert_non_null(strstr(khm_err_last()->message, "database unavailable"));
        assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
        mk_agency(tx, &ag, "after-kill", "หลังตัด", NULL);
        assert_int_equal(khm_tx_commit(tx), 0);
    }

    /* killed in the middle of a transaction: that transaction fails as unavailable, the pool
     * drops the connection, and the next transaction works */
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_true(kill_backends(e.name) >= 1);
    memset(&ag, 0, sizeof(ag));
    khm_id_new(ag.id);
    ag.slug = "lost";
    ag.name_th = "หาย";
    assert_int_equal(khm_store_agency_insert(tx, &ag), KHM_EUNAVAIL);
    assert_non_null(strstr(khm_err_last()->message, "database unavailable"));
    assert_non_null(strstr(khm_err_last()->message, e.name));
    khm_tx_rollback(tx);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    assert_int_equal(n, 1); /* "after-kill" only */
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(khm_store_ping(e.store), 0);
    env_close(&e);
}

static void test_store_store_pg__placeholders_outside_literals(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_conn *c;
    khm_stmt *st;
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    const khm_store_driver *d = &khm_store__pg;
    assert_int_equal(d->connect(&c, e.uri, &o), 0);
    assert_int_equal(d->begin(c, 0), 0);
    /* one real parameter among question marks in a literal, an E'' literal, an identifier,
     * a dollar-quoted string and both kinds of comment */
    assert_int_equal(d->prepare(c,
                                "SELECT '?' AS \"what?\", CAST(? AS TEXT), 'it''s ?', E'\\'?', "
                                "$$a ? b$$, $x$?$x$ /* ? /* ? */ ? */ -- ?\n",
                                &st),
                     0);
    assert_int_equal(d->bind_text(st, 1, "ค่า?"), 0);
    assert_int_equal(d->step(st), 1);
    assert_string_equal(d->col_text(st, 0), "?");
    assert_string_equal(d->col_text(st, 1), "ค่า?");
    assert_string_equal(d->col_text(st, 2), "it's ?");
    assert_string_equal(d->col_text(st, 3), "'?");
    assert_string_equal(d->col_text(st, 4), "a ? b");
    assert_string_equal(d->col_text(st, 5), "?");
    assert_int_equal(d->step(st), 0);
    d->reset(st);
    d->finalize(st);

    /* more than nine parameters, NULLs and integers; statement reused after reset */
    assert_int_equal(d->prepare(c,
                                "SELECT CAST(? AS BIGINT) + ? + ? + ? + ? + ? + ? + ? + ? + ? + "
                                "?, CAST(? AS TEXT) IS NULL",
                                &st),
                     0);
    for (int round = 0; round < 2; round++) {
        for (int i = 1; i <= 11; i++)
            assert_int_equal(d->bind_int64(st, i, (int64_t)i * (round + 1)), 0);
        assert_int_equal(d->bind_null(st, 12), 0);
        assert_int_equal(d->step(st), 1);
        assert_true(d->col_int64(st, 0) == 66 * (round + 1));
        assert_int_equal(d->col_int64(st, 1), 1); /* boolean true */
        assert_int_equal(d->col_is_null(st, 0), 0);
        d->reset(st);
    }
    assert_int_equal(d->bind_int64(st, 13, 1), KHM_ERROR); /* out of range */
    d->finalize(st);
    assert_int_equal(d->commit(c), 0);
    d->disconnect(c);
    env_close(&e);
}

static void test_store_store_pg__revocation_on_another_server_applies_at_once(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_store *other; /* a second server on the same database */
    khm_authn *cache;
    khm_tx *tx;
    khm_agency ag;
    khm_user u;
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN], hdr[128];
    khm_principal p;
    uint64_t hits, misses;

    assert_int_equal(khm_store_open(&other, e.uri, NULL), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &ag, "a", "เอ", NULL);
    mk_user(tx, &u, "u", ag.id, KHM_ROLE_ADMIN);
    khm_token_input in = { u.id, "t", 0, NULL };
    assert_int_equal(khm_token_create(tx, &t, secret, &in, khm_time_now_ms(), e.arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    snprintf(hdr, sizeof(hdr), "Bearer %s", secret);

    assert_int_equal(khm_authn_new(&cache, e.store, 0, 0), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(khm_authn_bearer(cache, &p, hdr, khm_time_now_ms(), e.arena), 0);
    khm_authn_stats(cache, &hits, &misses);
    assert_int_equal(hits, 0); /* the epoch is not shared: never served from the cache */
    assert_int_equal(misses, 3);

    uint64_t epoch = khm_store_epoch(e.store);
    assert_int_equal(khm_tx_begin(&tx, other, 1), 0);
    assert_int_equal(khm_store_token_revoke(tx, t.id, khm_time_now_ms()), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_true(khm_store_epoch(e.store) == epoch); /* this server's epoch did not move … */
    assert_int_equal(khm_authn_bearer(cache, &p, hdr, khm_time_now_ms(), e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "token revoked"); /* … yet it is refused */
    khm_authn_free(cache);
    khm_store_close(other);
    env_close(&e);
}

/* khm_tx_batch_begin/end: writes are queued (pipeline mode) and sent in one round trip; a
 * statement that returns rows, or one not yet prepared, sends the queue first; a failing row
 * fails the batch and the transaction as it would unbatched; the connection stays usable. */
static void test_store_store_pg__batched_writes_fail_together(void **state)
{
    (void)state;
    pg_env e;
    env_open(&e);
    khm_tx *tx;
    khm_agency a1, a2, a3, dup;
    khm_user u;
    int64_t n = 0;

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_tx_batch_begin(tx), 0);
    mk_agency(tx, &a1, "b1", "หนึ่ง", NULL);
    mk_agency(tx, &a2, "b2", "สอง", NULL);
    mk_user(tx, &u, "batched", a1.id, KHM_ROLE_ANALYST); /* first use: prepared mid-batch */
    assert_int_equal(khm_store_agency_count(tx, &n), 0); /* a read sends the queue first */
    assert_int_equal(n, 2);
    mk_agency(tx, &a3, "b3", "สาม", NULL);
    assert_int_equal(khm_tx_batch_end(tx), 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_tx_batch_begin(tx), 0);
    mk_agency(tx, &a1, "b4", "สี่", NULL);
    memset(&dup, 0, sizeof(dup));
    khm_id_new(dup.id);
    dup.slug = "b2";
    dup.name_th = "ซ้ำ";
    assert_int_equal(khm_store_agency_insert(tx, &dup), 0); /* queued: fails at batch end */
    mk_agency(tx, &a2, "b5", "ห้า", NULL);
    assert_int_equal(khm_tx_batch_end(tx), KHM_EEXISTS); /* the database's message */
    assert_non_null(strstr(khm_err_last()->message, "duplicate key"));
    assert_int_equal(khm_tx_commit(tx), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "rolled back"));

    /* rolled back with writes still queued */
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_tx_batch_begin(tx), 0);
    mk_agency(tx, &a1, "b6", "หก", NULL);
    khm_tx_rollback(tx);

    /* nothing of the failed batches stored; the connection is fine */
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(khm_tx_commit(tx), 0);
    env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_store_pg__open_migrates_once),
              cmocka_unit_test(test_store_store_pg__servers_starting_together_migrate_once),
              cmocka_unit_test(test_store_store_pg__meta_and_agencies),
              cmocka_unit_test(test_store_store_pg__users_tokens_and_the_principal),
              cmocka_unit_test(test_store_store_pg__unique_and_foreign_key_errors),
              cmocka_unit_test(test_store_store_pg__batched_writes_fail_together),
              cmocka_unit_test(test_store_store_pg__unreachable_server_is_unavailable),
              cmocka_unit_test(test_store_store_pg__killed_backend_reconnects),
              cmocka_unit_test(test_store_store_pg__placeholders_outside_literals),
              cmocka_unit_test(test_store_store_pg__revocation_on_another_server_applies_at_once))
