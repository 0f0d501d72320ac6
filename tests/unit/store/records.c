/* Tests for src/lib/store/records.c: typed calls for agencies, users and tokens: insert, get,
 * cursor pages with `more`, revoke, disable and the one-query principal lookup. */
#include "unit.h"

/* tone and vowel marks and Thai digits, stored and read back byte for byte */
#define THAI_NAME "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล ๒๕๖๒"

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
    u->email = NULL;
    memcpy(u->agency_id, agency_id, KHM_ID_LEN);
    u->role = role;
    u->clearance = KHM_LEVEL_SECRET;
    u->created_at = 1700000000456;
    assert_int_equal(khm_store_user_insert(tx, u), 0);
}

static void mk_token(khm_tx *tx, khm_token *t, const char *user_id, const char *name, char fill)
{
    memset(t, 0, sizeof(*t));
    khm_id_new(t->id);
    memcpy(t->user_id, user_id, KHM_ID_LEN);
    t->name = name;
    memset(t->hash_hex, fill, 64);
    t->hash_hex[64] = '\0';
    t->created_at = 1000;
    t->expires_at = 0;
    assert_int_equal(khm_store_token_insert(tx, t), 0);
}

static void test_store_records__agency_insert_get_by_id_and_slug(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency ag, got;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &ag, "pdpc", THAI_NAME, NULL);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &got, ag.id, e.arena), 0);
    assert_string_equal(got.id, ag.id);
    assert_string_equal(got.slug, "pdpc");
    assert_memory_equal(got.name_th, THAI_NAME, sizeof(THAI_NAME)); /* byte-exact, with NUL */
    assert_null(got.name_en);
    assert_true(got.created_at == 1700000000123);
    memset(&got, 0, sizeof(got));
    assert_int_equal(khm_store_agency_get(tx, &got, "pdpc", e.arena), 0);
    assert_string_equal(got.id, ag.id);
    assert_int_equal(khm_store_agency_get(tx, &got, "nope", e.arena), KHM_ENOTFOUND);
    assert_non_null(strstr(khm_err_last()->message, "nope"));
    int64_t n = 0;
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    assert_int_equal(n, 2); /* with init's "demo" */
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_records__agency_list_pages_with_more(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency ag;
    char slug[16];
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    for (int i = 0; i < 5; i++) {
        snprintf(slug, sizeof(slug), "ag-%d", i);
        mk_agency(tx, &ag, khm_arena_strdup(e.arena, slug), "หน่วยงาน", "Agency");
    }
    assert_int_equal(khm_tx_commit(tx), 0);

    /* 6 rows in pages of 3: exactly full last page has more == 0 */
    khm_page p = { NULL, 3 };
    khm_agency *items;
    size_t n;
    int more;
    char seen[6][KHM_ID_LEN];
    size_t total = 0;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_list(tx, &items, &n, &more, &p, e.arena), 0);
    assert_int_equal(n, 3);
    assert_int_equal(more, 1);
    for (size_t i = 0; i < n; i++)
        memcpy(seen[total++], items[i].id, KHM_ID_LEN);
    p.after = items[n - 1].id;
    assert_int_equal(khm_store_agency_list(tx, &items, &n, &more, &p, e.arena), 0);
    assert_int_equal(n, 3);
    assert_int_equal(more, 0);
    for (size_t i = 0; i < n; i++)
        memcpy(seen[total++], items[i].id, KHM_ID_LEN);
    for (size_t i = 1; i < total; i++)
        assert_true(strcmp(seen[i - 1], seen[i]) < 0); /* ordered by id, no repeats */
    assert_string_equal(items[n - 1].slug, "ag-4");
    assert_string_equal(items[n - 1].name_en, "Agency");

    /* pages of 4: 4 + more, then 2 */
    p.after = NULL;
    p.limit = 4;
    assert_int_equal(khm_store_agency_list(tx, &items, &n, &more, &p, e.arena), 0);
    assert_int_equal(n, 4);
    assert_int_equal(more, 1);
    p.after = items[3].id;
    assert_int_equal(khm_store_agency_list(tx, &items, &n, &more, &p, e.arena), 0);
    assert_int_equal(n, 2);
    assert_int_equal(more, 0);
    /* past the end: empty page */
    p.after = items[1].id;
    assert_int_equal(khm_store_agency_list(tx, &items, &n, &more, &p, e.arena), 0);
    assert_int_equal(n, 0);
    assert_int_equal(more, 0);
    /* NULL page = default limit */
    assert_int_equal(khm_store_agency_list(tx, &items, &n, &more, NULL, e.arena), 0);
    assert_int_equal(n, 6);
    assert_int_equal(more, 0);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_records__user_insert_get_list_by_agency(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency a1, a2;
    khm_user u1, u2, u3, got;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &a1, "one", "หนึ่ง", NULL);
    mk_agency(tx, &a2, "two", "สอง", NULL);
    mk_user(tx, &u1, "u.one", a1.id, KHM_ROLE_DPO);
    mk_user(tx, &u2, "u.two", a1.id, KHM_ROLE_AUDITOR);
    mk_user(tx, &u3, "u.three", a2.id, KHM_ROLE_OWNER);
    /* a duplicate name is KHM_EEXISTS naming it */
    khm_user dup = u3;
    khm_id_new(dup.id);
    assert_int_equal(khm_store_user_insert(tx, &dup), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "u.three"));
    /* an out-of-range role is refused before the database */
    dup.name = "bad.role";
    dup.role = KHM_ROLE__COUNT;
    assert_int_equal(khm_store_user_insert(tx, &dup), KHM_EINVALID);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, u2.id, e.arena), 0);
    assert_string_equal(got.name, "u.two");
    assert_string_equal(got.display_name, "สมหญิง ทดสอบ");
    assert_null(got.email);
    assert_string_equal(got.agency_id, a1.id);
    assert_int_equal(got.role, KHM_ROLE_AUDITOR);
    assert_int_equal(got.clearance, KHM_LEVEL_SECRET);
    assert_int_equal(got.disabled, 0);
    assert_true(got.created_at == 1700000000456);
    assert_int_equal(khm_store_user_get(tx, &got, "u.one", e.arena), 0);
    assert_string_equal(got.id, u1.id);
    assert_int_equal(khm_store_user_get(tx, &got, "nobody", e.arena), KHM_ENOTFOUND);

    khm_user *items;
    size_t n;
    int more;
    khm_page p = { NULL, 1 };
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, a1.id, &p, e.arena), 0);
    assert_int_equal(n, 1);
    assert_int_equal(more, 1);
    assert_string_equal(items[0].id, u1.id);
    p.after = items[0].id;
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, a1.id, &p, e.arena), 0);
    assert_int_equal(n, 1);
    assert_int_equal(more, 0);
    assert_string_equal(items[0].id, u2.id);
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, a2.id, NULL, e.arena), 0);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].name, "u.three");
    assert_int_equal(khm_store_user_list(tx, &items, &n, &more, NULL, NULL, e.arena), 0);
    assert_int_equal(n, 4); /* with init's admin */
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_records__user_set_disabled(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_user got;
    const char *id = e.init.admin.id;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_user_set_disabled(tx, id, 1), 0);
    assert_int_equal(khm_store_user_get(tx, &got, id, e.arena), 0);
    assert_int_equal(got.disabled, 1);
    assert_int_equal(khm_store_user_set_disabled(tx, id, 1), 0); /* idempotent */
    assert_int_equal(khm_store_user_set_disabled(tx, id, 0), 0);
    assert_int_equal(khm_store_user_get(tx, &got, id, e.arena), 0);
    assert_int_equal(got.disabled, 0);
    char unknown[KHM_ID_LEN];
    khm_id_new(unknown);
    assert_int_equal(khm_store_user_set_disabled(tx, unknown, 1), KHM_ENOTFOUND);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_test_env_close(&e);
}

static void test_store_records__token_insert_get_list_by_user(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_user u;
    khm_token t1, t2, t3, got;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_user(tx, &u, "second", e.init.agency.id, KHM_ROLE_ANALYST);
    mk_token(tx, &t1, u.id, "ci", 'a');
    mk_token(tx, &t2, u.id, "โทเค็นสำหรับรายงาน", 'b');
    memset(&t3, 0, sizeof(t3));
    khm_id_new(t3.id);
    memcpy(t3.user_id, e.init.admin.id, KHM_ID_LEN);
    t3.name = "expiring";
    memset(t3.hash_hex, 'c', 64);
    t3.created_at = 5;
    t3.expires_at = 99999;
    t3.revoked_at = 77;
    assert_int_equal(khm_store_token_insert(tx, &t3), 0);
    /* same hash twice: unique */
    khm_token dup = t1;
    khm_id_new(dup.id);
    assert_int_equal(khm_store_token_insert(tx, &dup), KHM_EEXISTS);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_token_get(tx, &got, t2.id, e.arena), 0);
    assert_string_equal(got.user_id, u.id);
    assert_string_equal(got.name, "โทเค็นสำหรับรายงาน");
    assert_string_equal(got.hash_hex, t2.hash_hex);
    assert_true(got.created_at == 1000);
    assert_true(got.expires_at == 0);
    assert_true(got.revoked_at == 0);
    assert_int_equal(khm_store_token_get(tx, &got, t3.id, e.arena), 0);
    assert_true(got.expires_at == 99999);
    assert_true(got.revoked_at == 77);
    assert_int_equal(khm_store_token_get(tx, &got, "nope", e.arena), KHM_ENOTFOUND);

    khm_token *items;
    size_t n;
    int more;
    assert_int_equal(khm_store_token_list(tx, &items, &n, &more, u.id, NULL, e.arena), 0);
    assert_int_equal(n, 2);
    assert_int_equal(more, 0);
    assert_string_equal(items[0].id, t1.id);
    assert_string_equal(items[1].id, t2.id);
    khm_page p = { NULL, 2 };
    assert_int_equal(khm_store_token_list(tx, &items, &n, &more, NULL, &p, e.arena), 0);
    assert_int_equal(n, 2);
    assert_int_equal(more, 1); /* init's token, t1, t2, t3 */
    assert_int_equal(khm_store_token_list(tx, &items, &n, &more, e.init.admin.id, NULL, e.arena),
                     0);
    assert_int_equal(n, 2);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_records__token_revoke_once(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_token got;
    const char *id = e.init.token.id;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_token_revoke(tx, id, 1111), 0);
    assert_int_equal(khm_store_token_revoke(tx, id, 2222), 0); /* keeps the first time */
    assert_int_equal(khm_store_token_get(tx, &got, id, e.arena), 0);
    assert_true(got.revoked_at == 1111);
    char unknown[KHM_ID_LEN];
    khm_id_new(unknown);
    assert_int_equal(khm_store_token_revoke(tx, unknown, 1), KHM_ENOTFOUND);
    assert_non_null(strstr(khm_err_last()->message, unknown));
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_test_env_close(&e);
}

static void test_store_records__token_principal_joins(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    khm_agency ag;
    khm_user u;
    khm_token t, tok;
    khm_user pu;
    khm_agency pa;
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    mk_agency(tx, &ag, "pdpc", THAI_NAME, "PDPC");
    mk_user(tx, &u, "p.user", ag.id, KHM_ROLE_STEWARD);
    mk_token(tx, &t, u.id, "p", 'd');
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_token_principal(tx, t.hash_hex, &tok, &pu, &pa, e.arena), 0);
    assert_string_equal(tok.id, t.id);
    assert_string_equal(tok.hash_hex, t.hash_hex);
    assert_string_equal(tok.name, "p");
    assert_string_equal(pu.id, u.id);
    assert_string_equal(pu.name, "p.user");
    assert_int_equal(pu.role, KHM_ROLE_STEWARD);
    assert_int_equal(pu.clearance, KHM_LEVEL_SECRET);
    assert_string_equal(pa.id, ag.id);
    assert_string_equal(pa.slug, "pdpc");
    assert_memory_equal(pa.name_th, THAI_NAME, sizeof(THAI_NAME));
    assert_string_equal(pa.name_en, "PDPC");
    char h[65];
    memset(h, 'e', 64);
    h[64] = '\0';
    assert_int_equal(khm_store_token_principal(tx, h, &tok, &pu, &pa, e.arena), KHM_ENOTFOUND);
    assert_string_equal(khm_err_last()->message, "unknown token");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_records__agency_insert_get_by_id_and_slug),
              cmocka_unit_test(test_store_records__agency_list_pages_with_more),
              cmocka_unit_test(test_store_records__user_insert_get_list_by_agency),
              cmocka_unit_test(test_store_records__user_set_disabled),
              cmocka_unit_test(test_store_records__token_insert_get_list_by_user),
              cmocka_unit_test(test_store_records__token_revoke_once),
              cmocka_unit_test(test_store_records__token_principal_joins))
