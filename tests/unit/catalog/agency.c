/* Tests for src/lib/catalog/agency.c: agency validation (slug, Thai and English names),
 * duplicates, JSON input and output. */
#include "unit.h"

static int has_field(const char *name)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].field, name) == 0)
            return 1;
    return 0;
}

static size_t field_count(void)
{
    size_t n = 0;
    khm_err_fields(&n);
    return n;
}

static int create(khm_test_env *e, khm_agency *ag, const char *slug, const char *th, const char *en)
{
    khm_tx *tx;
    khm_agency_input in = { slug, th, en };
    assert_int_equal(khm_tx_begin(&tx, e->store, 1), 0);
    int rc = khm_agency_create(tx, ag, &in, 1700000000000);
    if (rc == 0)
        assert_int_equal(khm_tx_commit(tx), 0);
    else
        khm_tx_rollback(tx);
    return rc;
}

/* @p n copies of the 3-byte character @p ch. */
static char *repeat3(khm_arena *a, const char *ch, size_t n)
{
    char *s = khm_arena_alloc(a, n * 3 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * 3, ch, 3);
    s[n * 3] = '\0';
    return s;
}

static void test_catalog_agency__create_and_read_back(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_agency ag, got;
    const char *th = "สำนักงานสถิติแห่งชาติ";
    assert_int_equal(create(&e, &ag, "nso", th, "National Statistical Office"), 0);
    assert_true(khm_id_valid(ag.id, 36));
    assert_true(ag.created_at == 1700000000000);
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_get(tx, &got, "nso", e.arena), 0);
    khm_tx_rollback(tx);
    assert_string_equal(got.id, ag.id);
    assert_string_equal(got.name_th, th);
    assert_string_equal(got.name_en, "National Statistical Office");
    /* an empty English name is stored as absent */
    assert_int_equal(create(&e, &ag, "no-en", "ไม่มีชื่ออังกฤษ", ""), 0);
    assert_null(ag.name_en);
    khm_test_env_close(&e);
}

static void test_catalog_agency__slug_rules(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_agency ag;
    char s63[64], s64[65];
    memset(s63, 'a', 63);
    s63[63] = '\0';
    memset(s64, 'a', 64);
    s64[64] = '\0';
    const char *ok[] = { "ab", "a-b", "0a", "a--", "moph-2", s63 };
    const char *bad[] = { "a", "-ab", "Ab", "a_b", "a.b", "a b", "กข", s64, "ab\n" };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (create(&e, &ag, ok[i], "ชื่อ", NULL) != 0)
            fail_msg("slug '%s' refused: %s", ok[i], khm_err_last()->message);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (create(&e, &ag, bad[i], "ชื่อ", NULL) != KHM_EINVALID)
            fail_msg("slug '%s' accepted", bad[i]);
        assert_int_equal(field_count(), 1);
        assert_true(has_field("slug"));
    }
    assert_int_equal(create(&e, &ag, "", "ชื่อ", NULL), KHM_EINVALID);
    assert_true(has_field("slug"));
    assert_int_equal(create(&e, &ag, NULL, "ชื่อ", NULL), KHM_EINVALID);
    assert_true(has_field("slug"));
    khm_test_env_close(&e);
}

static void test_catalog_agency__thai_name_rules(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_agency ag;
    /* 200 code points (600 bytes) is fine; 201 is not: code points, not bytes */
    assert_int_equal(create(&e, &ag, "long-ok", repeat3(e.arena, "ก", 200), NULL), 0);
    assert_int_equal(create(&e, &ag, "long-bad", repeat3(e.arena, "ก", 201), NULL), KHM_EINVALID);
    assert_true(has_field("name_th"));
    assert_int_equal(create(&e, &ag, "no-name", NULL, NULL), KHM_EINVALID);
    assert_true(has_field("name_th"));
    assert_int_equal(create(&e, &ag, "no-name", "", NULL), KHM_EINVALID);
    assert_true(has_field("name_th"));
    const char *ctl[] = { "ชื่อ\nหน่วยงาน", "ชื่อ\tหน่วยงาน", "\x7f", "ชื่อ\x01", "bad\xC0\xAF" };
    for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
        assert_int_equal(create(&e, &ag, "ctl", ctl[i], NULL), KHM_EINVALID);
        assert_int_equal(field_count(), 1);
        assert_true(has_field("name_th"));
    }
    assert_int_equal(create(&e, &ag, "en-bad", "ชื่อ", "Line\nBreak"), KHM_EINVALID);
    assert_int_equal(field_count(), 1);
    assert_true(has_field("name_en"));
    char en201[202];
    memset(en201, 'x', 201);
    en201[201] = '\0';
    assert_int_equal(create(&e, &ag, "en-bad", "ชื่อ", en201), KHM_EINVALID);
    assert_true(has_field("name_en"));
    /* several bad fields at once */
    assert_int_equal(create(&e, &ag, "X", "", "a\x01"), KHM_EINVALID);
    assert_int_equal(field_count(), 3);
    khm_test_env_close(&e);
}

static void test_catalog_agency__duplicate_slug_is_eexists(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_agency ag;
    assert_int_equal(create(&e, &ag, "demo", "อีกหน่วยงาน", NULL), KHM_EEXISTS);
    assert_non_null(strstr(khm_err_last()->message, "demo"));
    int64_t n = 0;
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_agency_count(tx, &n), 0);
    khm_tx_rollback(tx);
    assert_int_equal(n, 1);
    khm_test_env_close(&e);
}

static void test_catalog_agency__to_json_key_set(void **state)
{
    (void)state;
    static const char *const keys[] = { "id", "slug", "name_th", "name_en", "created_at" };
    khm_agency ag;
    memset(&ag, 0, sizeof(ag));
    khm_id_new(ag.id);
    ag.slug = "dga";
    ag.name_th = "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)";
    ag.created_at = 1700000000000;
    json_t *j = khm_agency_to_json(&ag);
    assert_non_null(j);
    assert_int_equal(json_object_size(j), 5);
    for (size_t i = 0; i < 5; i++)
        if (!json_object_get(j, keys[i]))
            fail_msg("key '%s' missing", keys[i]);
    assert_true(json_is_null(json_object_get(j, "name_en")));
    assert_string_equal(json_string_value(json_object_get(j, "name_th")), ag.name_th);
    assert_string_equal(json_string_value(json_object_get(j, "id")), ag.id);
    assert_string_equal(json_string_value(json_object_get(j, "created_at")),
                        "2023-11-14T22:13:20.000Z");
    json_decref(j);
    ag.name_en = "DGA";
    j = khm_agency_to_json(&ag);
    assert_string_equal(json_string_value(json_object_get(j, "name_en")), "DGA");
    json_decref(j);
}

static void test_catalog_agency__input_from_json(void **state)
{
    (void)state;
    khm_agency_input in;
    json_t *b = json_pack("{s:s, s:s, s:n}", "slug", "nso", "name_th", "สสช.", "name_en");
    assert_int_equal(khm_agency_input_from_json(&in, b), 0);
    assert_string_equal(in.slug, "nso");
    assert_string_equal(in.name_th, "สสช.");
    assert_null(in.name_en);
    json_decref(b);
    b = json_pack("{s:s, s:i}", "slug", "nso", "name_th", 3);
    khm_err_clear();
    assert_int_equal(khm_agency_input_from_json(&in, b), KHM_EINVALID);
    assert_true(has_field("name_th"));
    json_decref(b);
    b = json_pack("{s:s}", "name_th", "x");
    khm_err_clear();
    assert_int_equal(khm_agency_input_from_json(&in, b), KHM_EINVALID);
    assert_true(has_field("slug"));
    json_decref(b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_catalog_agency__create_and_read_back),
              cmocka_unit_test(test_catalog_agency__slug_rules),
              cmocka_unit_test(test_catalog_agency__thai_name_rules),
              cmocka_unit_test(test_catalog_agency__duplicate_slug_is_eexists),
              cmocka_unit_test(test_catalog_agency__to_json_key_set),
              cmocka_unit_test(test_catalog_agency__input_from_json))
