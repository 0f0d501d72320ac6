/* Tests for src/lib/store/page.c: list query parameters (limit 1..500, opaque cursor). */
#include "unit.h"

static void assert_field(const char *field)
{
    size_t n = 0;
    const khm_field_error *f = khm_err_fields(&n);
    assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].field, field);
    assert_true(strlen(f[0].message_th) > 0);
}

static void test_store_page__limit_defaults_and_bounds(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    khm_page p;
    assert_int_equal(khm_page_parse(&p, NULL, NULL, a), 0);
    assert_int_equal(p.limit, KHM_PAGE_DEFAULT);
    assert_null(p.after);
    assert_int_equal(khm_page_parse(&p, "1", NULL, a), 0);
    assert_int_equal(p.limit, 1);
    assert_int_equal(khm_page_parse(&p, "500", NULL, a), 0);
    assert_int_equal(p.limit, 500);
    assert_int_equal(khm_page_parse(&p, "37", NULL, a), 0);
    assert_int_equal(p.limit, 37);
    khm_arena_free(a);
}

static void test_store_page__limit_rejects_bad_values(void **state)
{
    (void)state;
    static const char *const bad[] = { "0",   "501", "abc", "-1",
                                       "1.5", "",    "5x",  "99999999999999999999999" };
    khm_arena *a = khm_arena_new(0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_page p;
        khm_err_clear();
        if (khm_page_parse(&p, bad[i], NULL, a) != KHM_EINVALID)
            fail_msg("limit '%s' was accepted", bad[i]);
        assert_field("limit");
    }
    khm_arena_free(a);
}

static void test_store_page__cursor_round_trip(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    char id[KHM_ID_LEN];
    khm_id_new(id);
    char *c = khm_page_cursor(id, a);
    assert_non_null(c);
    assert_int_equal(strlen(c), 48); /* 36 bytes, unpadded base64url */
    assert_null(strchr(c, '='));
    assert_null(strstr(c, id)); /* opaque, not the id itself */
    khm_page p;
    assert_int_equal(khm_page_parse(&p, "10", c, a), 0);
    assert_string_equal(p.after, id);
    assert_int_equal(p.limit, 10);
    khm_arena_free(a);
}

static void test_store_page__bad_cursors_name_field_cursor(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    char notid[64], longc[200];
    /* base64url of 36 bytes that are not a UUID */
    khm_b64url_encode(notid, sizeof(notid), (const uint8_t *)"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                      36);
    memset(longc, 'A', sizeof(longc) - 1);
    longc[sizeof(longc) - 1] = '\0';
    char upper[KHM_ID_LEN], upc[64];
    khm_id_new(upper);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    khm_b64url_encode(upc, sizeof(upc), (const uint8_t *)upper, 36);
    const char *bad[] = { "", "abc", "!!!!", notid, longc, upc, "MDE5M2I2YjItN2MxZS03YTNi" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_page p;
        khm_err_clear();
        if (khm_page_parse(&p, NULL, bad[i], a) != KHM_EINVALID)
            fail_msg("cursor '%s' was accepted", bad[i]);
        assert_field("cursor");
    }
    khm_arena_free(a);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_page__limit_defaults_and_bounds),
              cmocka_unit_test(test_store_page__limit_rejects_bad_values),
              cmocka_unit_test(test_store_page__cursor_round_trip),
              cmocka_unit_test(test_store_page__bad_cursors_name_field_cursor))
