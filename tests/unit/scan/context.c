/* Tests for src/lib/scan/context.c: keyword matching in Thai and English. */
#include "helpers.h"

static int has(const char *const *w, const char *s)
{
    return khm_context_has(w, s, strlen(s));
}

static void test_scan_context__words(void **state)
{
    (void)state;
    static const char *const w[] = { "tel", "โทร", "national id", NULL };
    assert_true(has(w, "Tel:"));
    assert_true(has(w, "phone/TEL"));
    assert_false(has(w, "hotel"));
    assert_false(has(w, "telephone"));
    assert_true(has(w, "กรุณาโทรกลับ"));
    assert_true(has(w, "เบอร์โทรศัพท์"));
    assert_true(has(w, "National ID no."));
    assert_false(has(w, ""));
    assert_false(khm_context_has(NULL, "tel", 3));
    assert_false(khm_context_has(w, "te", 2));
}

static void test_scan_context__raises_score(void **state)
{
    (void)state;
    hits a, b;
    assert_int_equal(scan_text("PHONE_NUMBER", "x 0812345678", &a), 1);
    assert_int_equal(scan_text("PHONE_NUMBER", "มือถือ 0812345678", &b), 1);
    assert_true(b.h[0].score > a.h[0].score);
    /* only the window before the candidate counts */
    char far[200];
    memset(far, ' ', sizeof(far));
    memcpy(far, "มือถือ", strlen("มือถือ"));
    snprintf(far + 120, sizeof(far) - 120, "0812345678");
    assert_int_equal(scan_text("PHONE_NUMBER", far, &b), 1);
    assert_true(b.h[0].score == a.h[0].score);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_context__words),
              cmocka_unit_test(test_scan_context__raises_score))
