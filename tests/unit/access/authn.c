/* Tests for src/lib/access/authn.c: the principal cache on the authentication hot path. It
 * must save the store lookups and still let a revocation, a disabled user or an expiry take
 * effect on the very next request — also when another process (here: another store handle on
 * the same database) made the change. */
#include "unit.h"

/* the store's internals, to make its epoch look private as on PostgreSQL */
#include "../../../src/lib/store/store_internal.h"

#include <pthread.h>
#include <sqlite3.h>

static char *issue(khm_test_env *e, const char *user, int64_t expires_in, khm_token *t)
{
    char secret[KHM_TOKEN_STR_LEN];
    khm_tx *tx;
    khm_token_input in = { user, "authn", expires_in, NULL };
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    assert_int_equal(khm_token_create(tx, t, secret, &in, khm_time_now_ms(), e->arena), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    return khm_arena_printf(e->arena, "Bearer %s", secret);
}

static int check(khm_authn *c, const char *hdr, int64_t now, khm_arena *a)
{
    khm_principal p;
    khm_err_clear();
    return khm_authn_bearer(c, &p, hdr, now, a);
}

static void revoke(khm_store *s, const char *id)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    assert_int_equal(khm_store_token_revoke(tx, id, khm_time_now_ms()), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
}

static void test_access_authn__second_request_is_a_hit(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    uint64_t hits, misses;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 16, 0), 0);
    char hdr[80];
    snprintf(hdr, sizeof(hdr), "Bearer %s", e.init.secret);
    int64_t now = khm_time_now_ms();

    khm_principal p;
    assert_int_equal(khm_authn_bearer(c, &p, hdr, now, e.arena), 0);
    assert_string_equal(p.user.name, "admin");
    assert_string_equal(p.agency.slug, "demo");
    assert_string_equal(p.agency.name_th, "หน่วยงานสาธิต");
    assert_true(p.scopes & (1ULL << KHM_SCOPE_TOKEN_WRITE));
    khm_principal q;
    assert_int_equal(khm_authn_bearer(c, &q, hdr, now + 1, e.arena), 0);
    assert_string_equal(q.user.name, "admin");
    assert_string_equal(q.user.display_name, "ผู้ดูแลระบบ");
    assert_null(q.user.email);
    assert_string_equal(q.token.id, p.token.id);
    assert_ptr_not_equal(q.user.name, p.user.name); /* copied into the arena, not shared */
    khm_authn_stats(c, &hits, &misses);
    assert_int_equal(misses, 1);
    assert_int_equal(hits, 1);
    khm_authn_free(c);
    khm_test_env_close(&e);
}

static void test_access_authn__revocation_applies_to_the_next_request(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    khm_token t;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 0, 0), 0);
    char *hdr = issue(&e, "admin", 0, &t);
    for (int i = 0; i < 3; i++)
        assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), 0);
    uint64_t before = khm_store_epoch(e.store);
    revoke(e.store, t.id);
    assert_true(khm_store_epoch(e.store) > before);
    assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "token revoked");
    khm_authn_free(c);
    khm_test_env_close(&e);
}

static void test_access_authn__change_by_another_process_is_seen(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    khm_token t;
    khm_store *other;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 0, 0), 0);
    char *hdr = issue(&e, "admin", 0, &t);
    assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), 0);
    assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), 0);
    /* a second handle maps the same epoch file, as `khomun token revoke` in a CLI process does */
    assert_int_equal(khm_store_open(&other, e.init.db_uri, NULL), 0);
    revoke(other, t.id);
    assert_int_equal(khm_store_epoch(e.store), khm_store_epoch(other));
    assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "token revoked");
    khm_store_close(other);
    khm_authn_free(c);
    khm_test_env_close(&e);
}

static void test_access_authn__disabled_user_and_expiry_on_a_hit(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    khm_token t;
    khm_tx *tx;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 0, 60 * 60 * 1000), 0);
    char *hdr = issue(&e, "admin", 120, &t);
    int64_t now = khm_time_now_ms();
    assert_int_equal(check(c, hdr, now, e.arena), 0);
    /* expiry is checked against `now` on every hit, not only when loading */
    assert_int_equal(check(c, hdr, t.expires_at, e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "token expired");
    assert_int_equal(check(c, hdr, now + 1, e.arena), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_user_set_disabled(tx, e.init.admin.id, 1), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(check(c, hdr, now + 2, e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "user disabled");
    khm_authn_free(c);
    khm_test_env_close(&e);
}

static void test_access_authn__entries_expire_after_the_ttl(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    uint64_t hits, misses;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 0, 1000), 0);
    char hdr[80];
    snprintf(hdr, sizeof(hdr), "Bearer %s", e.init.secret);
    int64_t now = khm_time_now_ms();
    assert_int_equal(check(c, hdr, now, e.arena), 0);
    assert_int_equal(check(c, hdr, now + 999, e.arena), 0);
    assert_int_equal(check(c, hdr, now + 1000, e.arena), 0);
    assert_int_equal(check(c, hdr, now - 5, e.arena), 0); /* a clock stepping back reloads too */
    khm_authn_stats(c, &hits, &misses);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 3);
    khm_authn_free(c);
    khm_test_env_close(&e);
}

static void test_access_authn__bad_headers_and_unknown_tokens_are_never_cached(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    uint64_t hits, misses;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 0, 0), 0);
    int64_t now = khm_time_now_ms();
    assert_int_equal(check(c, NULL, now, e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "missing bearer token");
    assert_int_equal(check(c, "Basic abc", now, e.arena), KHM_EAUTH);
    assert_string_equal(khm_err_last()->message, "malformed bearer token");
    const char *unknown = "Bearer khm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    for (int i = 0; i < 3; i++) {
        assert_int_equal(check(c, unknown, now, e.arena), KHM_EAUTH);
        assert_string_equal(khm_err_last()->message, "unknown token");
    }
    khm_authn_stats(c, &hits, &misses);
    assert_int_equal(hits, 0);
    assert_int_equal(misses, 3); /* every unknown token went to the store */
    khm_authn_free(c);
    khm_test_env_close(&e);
}

struct worker {
    khm_authn *c;
    const char *hdr;
    int failures;
};

static void *hammer(void *arg)
{
    struct worker *w = arg;
    khm_arena *a = khm_arena_new(0);
    for (int i = 0; i < 2000; i++) {
        khm_principal p;
        if (khm_authn_bearer(w->c, &p, w->hdr, khm_time_now_ms(), a) != 0 ||
            strcmp(p.user.name, "admin") != 0)
            w->failures++;
    }
    khm_arena_free(a);
    return NULL;
}

static void test_access_authn__threads_share_the_cache(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    pthread_t th[4];
    struct worker w[4];
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c, e.store, 8, 0), 0);
    char hdr[80];
    snprintf(hdr, sizeof(hdr), "Bearer %s", e.init.secret);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){ c, hdr, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    uint64_t hits, misses;
    khm_authn_stats(c, &hits, &misses);
    assert_int_equal(hits + misses, 8000);
    assert_true(hits > 7000);
    khm_authn_free(c);
    khm_test_env_close(&e);
}

/* A change the epoch never hears of: what another server on a PostgreSQL database does. */
static void revoke_behind_the_epoch(const char *db_path, const char *token_id)
{
    sqlite3 *db;
    char sql[160];
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    snprintf(sql, sizeof(sql), "UPDATE api_token SET revoked_at = 1 WHERE id = '%s'", token_id);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
}

static void test_access_authn__epoch_not_shared_bypasses_the_cache(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c;
    khm_token t;
    uint64_t hits, misses;
    khm_test_env_open(&e);
    assert_int_equal(khm_store_epoch_shared(e.store), 1); /* SQLite maps it beside the file */
    e.store->epoch_shared = 0;                            /* as khm_store__pg reports */
    assert_int_equal(khm_store_epoch_shared(e.store), 0);
    assert_int_equal(khm_authn_new(&c, e.store, 0, 60 * 60 * 1000), 0);
    char *hdr = issue(&e, "admin", 0, &t);
    for (int i = 0; i < 3; i++)
        assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), 0);
    khm_authn_stats(c, &hits, &misses);
    assert_int_equal(hits, 0); /* every request went to the store … */
    assert_int_equal(misses, 3);

    uint64_t epoch = khm_store_epoch(e.store);
    revoke_behind_the_epoch(e.init.db_uri, t.id);
    assert_true(khm_store_epoch(e.store) == epoch);
    assert_int_equal(check(c, hdr, khm_time_now_ms(), e.arena), KHM_EAUTH); /* … so this holds */
    assert_string_equal(khm_err_last()->message, "token revoked");
    khm_authn_stats(c, &hits, &misses);
    assert_int_equal(hits, 0);
    assert_int_equal(misses, 4);

    /* the same change with the shared epoch in use would be served stale from the cache: this
     * is what the bypass is for */
    e.store->epoch_shared = 1;
    khm_token t2;
    char *hdr2 = issue(&e, "admin", 0, &t2);
    assert_int_equal(check(c, hdr2, khm_time_now_ms(), e.arena), 0);
    revoke_behind_the_epoch(e.init.db_uri, t2.id);
    assert_int_equal(check(c, hdr2, khm_time_now_ms(), e.arena), 0);
    khm_authn_free(c);
    khm_test_env_close(&e);
}

/* A thread's own entry belongs to one cache: a second cache on the same thread starts empty
 * (its first request goes to the store), and freeing a cache leaves the other's working. */
static void test_access_authn__thread_entry_names_its_cache(void **state)
{
    (void)state;
    khm_test_env e;
    khm_authn *c1, *c2;
    uint64_t hits, misses;
    khm_principal p;
    khm_test_env_open(&e);
    assert_int_equal(khm_authn_new(&c1, e.store, 16, 0), 0);
    assert_int_equal(khm_authn_new(&c2, e.store, 16, 0), 0);
    char hdr[80];
    snprintf(hdr, sizeof(hdr), "Bearer %s", e.init.secret);
    int64_t now = khm_time_now_ms();
    assert_int_equal(khm_authn_bearer(c1, &p, hdr, now, e.arena), 0);
    assert_int_equal(khm_authn_bearer(c1, &p, hdr, now, e.arena), 0);
    assert_int_equal(khm_authn_bearer(c2, &p, hdr, now, e.arena), 0);
    khm_authn_stats(c2, &hits, &misses);
    assert_int_equal(hits, 0);
    assert_int_equal(misses, 1);
    khm_authn_free(c2);
    assert_int_equal(khm_authn_bearer(c1, &p, hdr, now + 1, e.arena), 0);
    assert_string_equal(p.user.name, "admin");
    khm_authn_stats(c1, &hits, &misses);
    assert_int_equal(hits, 2);
    assert_int_equal(misses, 1);
    khm_authn_free(c1);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_access_authn__second_request_is_a_hit),
              cmocka_unit_test(test_access_authn__revocation_applies_to_the_next_request),
              cmocka_unit_test(test_access_authn__change_by_another_process_is_seen),
              cmocka_unit_test(test_access_authn__disabled_user_and_expiry_on_a_hit),
              cmocka_unit_test(test_access_authn__entries_expire_after_the_ttl),
              cmocka_unit_test(test_access_authn__bad_headers_and_unknown_tokens_are_never_cached),
              cmocka_unit_test(test_access_authn__threads_share_the_cache),
              cmocka_unit_test(test_access_authn__thread_entry_names_its_cache),
              cmocka_unit_test(test_access_authn__epoch_not_shared_bypasses_the_cache))
