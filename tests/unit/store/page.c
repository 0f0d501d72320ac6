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

/* keyed cursors: the order, a sort key (Thai, a number, empty) and the id come back as made */
static void test_store_page__keyed_cursor_round_trip(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    char id[KHM_ID_LEN];
    khm_id_new(id);
    const char *keys[] = { "แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ประจำปีงบประมาณ พ.ศ. 2564", "-2074633000000",
                           "", "line\nbreak" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char *c = khm_page_cursor_keyed("-title", keys[i], id, a);
        assert_non_null(c);
        assert_null(strchr(c, '='));
        assert_null(strchr(c, '+'));
        assert_null(strchr(c, '/'));
        const char *key, *got;
        assert_int_equal(khm_page_parse_keyed(c, "-title", &key, &got, a), 0);
        assert_string_equal(key, keys[i]);
        assert_string_equal(got, id);
    }
    khm_arena_free(a);
}

/* a cursor of another order, a plain id cursor, garbage, a bad id or key: 400 naming cursor */
static void test_store_page__keyed_cursor_refused(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    char id[KHM_ID_LEN], raw[128], c[256];
    khm_id_new(id);
    const char *title = khm_page_cursor_keyed("title", "ก", id, a);
    const char *plain = khm_page_cursor(id, a);
    const char *key, *got;
    /* title's cursor for -title, name, titl (a prefix of the order) */
    const char *orders[] = { "-title", "name", "titl", "title\n" };
    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        khm_err_clear();
        assert_int_equal(khm_page_parse_keyed(title, orders[i], &key, &got, a), KHM_EINVALID);
        assert_field("cursor");
    }
    const char *bad[] = { plain, "", "!!!!", "dGl0bGU" /* "title" */ };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_err_clear();
        if (khm_page_parse_keyed(bad[i], "title", &key, &got, a) != KHM_EINVALID)
            fail_msg("cursor '%s' was accepted", bad[i]);
        assert_field("cursor");
    }
    /* made by hand: no id, a bad id, invalid UTF-8 in the key, a NUL in the key */
    for (int i = 0; i < 4; i++) {
        int n = 0;
        if (i == 0)
            n = snprintf(raw, sizeof(raw), "title\nk\n");
        else if (i == 1)
            n = snprintf(raw, sizeof(raw), "title\nk\nnot-an-id");
        else if (i == 2)
            n = snprintf(raw, sizeof(raw), "title\n\xff\xfe\n%s", id);
        else {
            n = snprintf(raw, sizeof(raw), "title\nk_\n%s", id);
            raw[7] = '\0'; /* the key "k_" with a NUL for its "_" */
        }
        khm_b64url_encode(c, sizeof(c), (const uint8_t *)raw, (size_t)n);
        khm_err_clear();
        if (khm_page_parse_keyed(c, "title", &key, &got, a) != KHM_EINVALID)
            fail_msg("hand-made cursor %d was accepted", i);
        assert_field("cursor");
    }
    /* too long to be one */
    char *huge = malloc(20000);
    memset(huge, 'A', 19999);
    huge[19999] = '\0';
    assert_int_equal(khm_page_parse_keyed(huge, "title", &key, &got, a), KHM_EINVALID);
    free(huge);
    khm_arena_free(a);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_page__limit_defaults_and_bounds),
              cmocka_unit_test(test_store_page__limit_rejects_bad_values),
              cmocka_unit_test(test_store_page__cursor_round_trip),
              cmocka_unit_test(test_store_page__bad_cursors_name_field_cursor),
              cmocka_unit_test(test_store_page__keyed_cursor_round_trip),
              cmocka_unit_test(test_store_page__keyed_cursor_refused))
