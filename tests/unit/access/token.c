/* Tests for src/lib/access/token.c: token creation (format, stored hash, secret never stored),
 * bearer authentication with each of its exact messages, lifetime parsing and input checks. */
#include "unit.h"

#include <sys/stat.h>

static const char *first_field(void)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    return n ? f[0].field : "";
}

static int b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* Create a token for @p user in its own committed write transaction. */
static int create(khm_test_env *e, khm_token *t, char secret[KHM_TOKEN_STR_LEN], const char *user,
                  const char *name, int64_t expires_in, const char *expires_at, int64_t now)
{
    khm_tx *tx;
    khm_token_input in = { user, name, expires_in, expires_at };
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    khm_err_clear();
    int rc = khm_token_create(tx, t, secret, &in, now, e->arena);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

static int auth(khm_test_env *e, const char *header, int64_t now)
{
    khm_principal p;
    memset(&p, 0, sizeof(p));
    khm_err_clear();
    return khm_auth_bearer(&p, e->store, header, now, e->arena);
}

static char *bearer(khm_test_env *e, const char *secret)
{
    return khm_arena_printf(e->arena, "Bearer %s", secret);
}

static void assert_auth_fails(khm_test_env *e, const char *header, int64_t now, const char *msg)
{
    int rc = auth(e, header, now);
    if (rc != KHM_EAUTH)
        fail_msg("header '%s': got %d, want KHM_EAUTH", header ? header : "(null)", rc);
    assert_string_equal(khm_err_last()->message, msg);
}

/* Bytes of a file, NUL-terminated, or NULL when it does not exist. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    *n = 0;
    if (!f)
        return NULL;
    struct stat st;
    assert_int_equal(fstat(fileno(f), &st), 0);
    char *p = malloc((size_t)st.st_size + 1);
    assert_non_null(p);
    *n = fread(p, 1, (size_t)st.st_size, f);
    p[*n] = '\0';
    fclose(f);
    return p;
}

static int contains(const char *hay, size_t n, const char *needle)
{
    return hay && memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void test_access_token__create_format_and_stored_hash(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_token t, got;
    char secret[KHM_TOKEN_STR_LEN];
    int64_t now = khm_time_now_ms();
    assert_int_equal(create(&e, &t, secret, "admin", NULL, 0, NULL, now), 0);

    assert_int_equal(strlen(secret), 4 + 43);
    assert_memory_equal(secret, "khm_", 4);
    for (size_t i = 4; i < strlen(secret); i++)
        assert_true(b64url_char(secret[i]));
    uint8_t h[KHM_SHA256_LEN];
    char hex[65];
    khm_sha256(h, secret, strlen(secret));
    khm_hex_encode(hex, h, sizeof(h));
    assert_string_equal(t.hash_hex, hex);
    assert_string_equal(t.name, "api"); /* default label */
    assert_string_equal(t.user_id, e.init.admin.id);
    assert_true(t.created_at == now);
    assert_true(t.expires_at == 0);

    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_token_get(tx, &got, t.id, e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.hash_hex, hex);

    /* two tokens never share a secret */
    khm_token t2;
    char secret2[KHM_TOKEN_STR_LEN];
    assert_int_equal(create(&e, &t2, secret2, e.init.admin.id, "second", 0, NULL, now), 0);
    assert_string_not_equal(secret, secret2);
    khm_test_env_close(&e);
}

static void test_access_token__secret_never_in_database_file(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    assert_int_equal(create(&e, &t, secret, "admin", "leak-check", 0, NULL, khm_time_now_ms()), 0);
    char init_secret[KHM_TOKEN_STR_LEN];
    memcpy(init_secret, e.init.secret, sizeof(init_secret));
    char *db = khm_arena_strdup(e.arena, e.init.db_uri);
    char *wal = khm_arena_printf(e.arena, "%s-wal", db);

    /* while open (rows may sit in the WAL) and after close (checkpointed into the file) */
    for (int pass = 0; pass < 2; pass++) {
        size_t n1, n2;
        char *a = slurp(db, &n1), *b = slurp(wal, &n2);
        assert_non_null(a);
        assert_true(contains(a, n1, t.hash_hex) || contains(b, n2, t.hash_hex)); /* sanity */
        const char *secrets[] = { secret, init_secret, secret + 4, init_secret + 4 };
        for (size_t i = 0; i < 4; i++) {
            assert_false(contains(a, n1, secrets[i]));
            assert_false(contains(b, n2, secrets[i]));
        }
        free(a);
        free(b);
        if (pass == 0) {
            khm_store_close(e.store);
            e.store = NULL;
        }
    }
    khm_test_env_close(&e);
}

static void test_access_token__bearer_accepts_valid(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_principal p;
    int64_t now = khm_time_now_ms();
    const char *s = e.init.secret;
    const char *ok[] = {
        bearer(&e, s),
        khm_arena_printf(e.arena, "bearer %s", s),
        khm_arena_printf(e.arena, "BEARER   %s  ", s),
        khm_arena_printf(e.arena, "Bearer %s\t", s),
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        memset(&p, 0, sizeof(p));
        if (khm_auth_bearer(&p, e.store, ok[i], now, e.arena) != 0)
            fail_msg("'%s' refused: %s", ok[i], khm_err_last()->message);
        assert_string_equal(p.user.name, "admin");
        assert_string_equal(p.agency.slug, "demo");
        assert_string_equal(p.token.id, e.init.token.id);
        assert_true(p.scopes == khm_role_scopes(KHM_ROLE_ADMIN));
    }
    khm_test_env_close(&e);
}

static void test_access_token__bearer_malformed_and_missing(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int64_t now = khm_time_now_ms();
    char badchar[64];
    snprintf(badchar, sizeof(badchar), "Bearer %s", e.init.secret);
    badchar[7 + 10] = '!';
    char plus[64];
    snprintf(plus, sizeof(plus), "Bearer %s", e.init.secret);
    plus[7 + 20] = '+'; /* standard base64, not base64url */
    char longer[80];
    snprintf(longer, sizeof(longer), "Bearer %sA", e.init.secret);
    char noprefix[80];
    snprintf(noprefix, sizeof(noprefix), "Bearer xyz_%s", e.init.secret + 4);
    char tabsep[64];
    snprintf(tabsep, sizeof(tabsep), "Bearer\t%s", e.init.secret);

    assert_auth_fails(&e, NULL, now, "missing bearer token");
    assert_auth_fails(&e, "", now, "missing bearer token");
    const char *malformed[] = { "Basic x", "Bearer", "Bearer ", "Bearer khm_short", "Bearerkhm_x",
                                badchar,   plus,     longer,    noprefix,           tabsep };
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
        assert_auth_fails(&e, malformed[i], now, "malformed bearer token");
    khm_test_env_close(&e);
}

static void test_access_token__bearer_unknown_expired_revoked_disabled(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    int64_t now = khm_time_now_ms();
    khm_tx *tx;

    /* well-formed but never issued */
    assert_auth_fails(&e, "Bearer khm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", now,
                      "unknown token");

    /* expired: valid until now + 1 h, relative to the `now` argument */
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    assert_int_equal(create(&e, &t, secret, "admin", "short", 3600, NULL, now), 0);
    assert_true(t.expires_at == now + 3600 * 1000);
    assert_int_equal(auth(&e, bearer(&e, secret), now + 3600 * 1000 - 1), 0);
    assert_auth_fails(&e, bearer(&e, secret), now + 3600 * 1000, "token expired");
    assert_auth_fails(&e, bearer(&e, secret), now + 86400 * 1000, "token expired");

    /* revoked, effective from its time on */
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_token_revoke(tx, e.init.token.id, now + 10), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_int_equal(auth(&e, bearer(&e, e.init.secret), now + 9), 0);
    assert_auth_fails(&e, bearer(&e, e.init.secret), now + 10, "token revoked");

    /* disabled user, with a token that is otherwise fine */
    khm_token t2;
    char secret2[KHM_TOKEN_STR_LEN];
    assert_int_equal(create(&e, &t2, secret2, "admin", "other", 0, NULL, now), 0);
    assert_int_equal(auth(&e, bearer(&e, secret2), now), 0);
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_user_set_disabled(tx, e.init.admin.id, 1), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_auth_fails(&e, bearer(&e, secret2), now, "user disabled");
    khm_test_env_close(&e);
}

static void test_access_token__parse_duration(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t secs;
    } ok[] = {
        { "3600s", 3600 },      { "90m", 5400 },  { "12h", 43200 },
        { "30d", 2592000 },     { "3600", 3600 }, { "60", 60 },
        { "3650d", 315360000 }, { "1m", 60 },     { "315360000", 315360000 },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int64_t v = 0;
        if (khm_token_parse_duration(ok[i].s, &v) != 0)
            fail_msg("'%s' refused: %s", ok[i].s, khm_err_last()->message);
        assert_true(v == ok[i].secs);
    }
    static const char *const bad[] = { "59s", "59",   "11y", "4000d", "315360001",
                                       "5x",  "1h2",  "-5",  "0",     "",
                                       "h",   "1.5h", "1hh", "3651d", "99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t v = -7;
        khm_err_clear();
        if (khm_token_parse_duration(bad[i], &v) != KHM_EINVALID)
            fail_msg("'%s' accepted", bad[i]);
        assert_true(v == -7);
        assert_string_equal(first_field(), "expires");
    }
    int64_t v;
    khm_err_clear();
    assert_int_equal(khm_token_parse_duration(NULL, &v), KHM_EINVALID);
    /* 11 years in days */
    khm_err_clear();
    assert_int_equal(khm_token_parse_duration("4015d", &v), KHM_EINVALID);
}

static void test_access_token__create_expiry_rules(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    int64_t now = 1800000000000; /* 2027-01-15T08:00:00Z */

    assert_int_equal(create(&e, &t, secret, "admin", NULL, 3600, "2027-02-01T00:00:00Z", now),
                     KHM_EINVALID);
    assert_string_equal(first_field(), "expires_at");
    assert_int_equal(create(&e, &t, secret, "admin", NULL, 0, "2020-01-01T00:00:00Z", now),
                     KHM_EINVALID);
    assert_string_equal(first_field(), "expires_at");
    assert_int_equal(create(&e, &t, secret, "admin", NULL, 0, "2027-01-15T08:00:30Z", now),
                     KHM_EINVALID); /* under a minute away */
    assert_string_equal(first_field(), "expires_at");
    assert_int_equal(create(&e, &t, secret, "admin", NULL, 0, "2040-01-01T00:00:00Z", now),
                     KHM_EINVALID); /* over 10 years */
    assert_int_equal(create(&e, &t, secret, "admin", NULL, 0, "tomorrow", now), KHM_EINVALID);
    assert_string_equal(first_field(), "expires_at");
    assert_int_equal(create(&e, &t, secret, "admin", NULL, 59, NULL, now), KHM_EINVALID);
    assert_string_equal(first_field(), "expires_in");

    assert_int_equal(create(&e, &t, secret, "admin", NULL, 0, "2027-02-01T07:00:00+07:00", now), 0);
    assert_true(t.expires_at == 1800000000000 + (16 * 86400 + 16 * 3600) * INT64_C(1000));
    khm_test_env_close(&e);
}

static void test_access_token__create_unknown_user_and_name_length(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    int64_t now = khm_time_now_ms();

    assert_int_equal(create(&e, &t, secret, "ghost", NULL, 0, NULL, now), KHM_EINVALID);
    assert_string_equal(first_field(), "user");
    assert_int_equal(create(&e, &t, secret, NULL, NULL, 0, NULL, now), KHM_EINVALID);
    assert_string_equal(first_field(), "user");
    assert_int_equal(create(&e, &t, secret, "", NULL, 0, NULL, now), KHM_EINVALID);
    assert_string_equal(first_field(), "user");

    char name[101 * 3 + 1];
    for (int i = 0; i < 101; i++)
        memcpy(name + i * 3, "ก", 3); /* U+0E01, three bytes */
    name[100 * 3] = '\0';
    assert_int_equal(create(&e, &t, secret, "admin", name, 0, NULL, now), 0);
    assert_string_equal(t.name, name);
    name[100 * 3] = "ก"[0];
    name[101 * 3] = '\0';
    assert_int_equal(create(&e, &t, secret, "admin", name, 0, NULL, now), KHM_EINVALID);
    assert_string_equal(first_field(), "name");
    assert_int_equal(create(&e, &t, secret, "admin", "", 0, NULL, now), KHM_EINVALID);
    assert_string_equal(first_field(), "name");
    khm_test_env_close(&e);
}

static void test_access_token__create_ignores_stale_field_errors(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    khm_token_input in = { "admin", "", 0, NULL };
    khm_tx *tx;
    /* a validation error left over from an earlier call on this thread */
    khm_err_field("slug", "", "left over");
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_token_create(tx, &t, secret, &in, khm_time_now_ms(), e.arena),
                     KHM_EINVALID);
    khm_tx_rollback(tx);
    size_t n;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, "name");
    khm_test_env_close(&e);
}

static void test_access_token__input_from_json_and_to_json(void **state)
{
    (void)state;
    khm_token_input in;
    json_t *b =
        json_pack("{s:s, s:s, s:I}", "user", "admin", "name", "ci", "expires_in", (json_int_t)3600);
    assert_int_equal(khm_token_input_from_json(&in, b), 0);
    assert_string_equal(in.user, "admin");
    assert_string_equal(in.name, "ci");
    assert_true(in.expires_in_s == 3600);
    assert_null(in.expires_at);
    json_decref(b);

    b = json_pack("{s:s, s:I}", "user", "admin", "expires_in", (json_int_t)10);
    khm_err_clear();
    assert_int_equal(khm_token_input_from_json(&in, b), KHM_EINVALID);
    assert_string_equal(first_field(), "expires_in");
    json_decref(b);
    b = json_pack("{s:s, s:s}", "user", "admin", "secret", "x");
    khm_err_clear();
    assert_int_equal(khm_token_input_from_json(&in, b), KHM_EINVALID);
    assert_string_equal(first_field(), "secret");
    json_decref(b);

    khm_token t;
    memset(&t, 0, sizeof(t));
    khm_id_new(t.id);
    khm_id_new(t.user_id);
    t.name = "ci";
    memset(t.hash_hex, 'a', 64);
    t.created_at = 1000;
    json_t *j = khm_token_to_json(&t);
    assert_non_null(j);
    assert_int_equal(json_object_size(j), 6);
    assert_null(json_object_get(j, "hash"));
    assert_null(json_object_get(j, "hash_hex"));
    assert_true(json_is_null(json_object_get(j, "expires_at")));
    assert_true(json_is_null(json_object_get(j, "revoked_at")));
    assert_string_equal(json_string_value(json_object_get(j, "created_at")),
                        "1970-01-01T00:00:01.000Z");
    json_decref(j);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_access_token__create_format_and_stored_hash),
              cmocka_unit_test(test_access_token__secret_never_in_database_file),
              cmocka_unit_test(test_access_token__bearer_accepts_valid),
              cmocka_unit_test(test_access_token__bearer_malformed_and_missing),
              cmocka_unit_test(test_access_token__bearer_unknown_expired_revoked_disabled),
              cmocka_unit_test(test_access_token__parse_duration),
              cmocka_unit_test(test_access_token__create_expiry_rules),
              cmocka_unit_test(test_access_token__create_unknown_user_and_name_length),
              cmocka_unit_test(test_access_token__create_ignores_stale_field_errors),
              cmocka_unit_test(test_access_token__input_from_json_and_to_json))
