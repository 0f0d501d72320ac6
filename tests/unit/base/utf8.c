/* Tests for src/lib/base/utf8.c: strict RFC 3629 validation, decoding and Thai-aware width. */
#include "unit.h"

static void test_base_utf8__accepts_thai_and_ascii(void **state)
{
    (void)state;
    const char *s = "งบประมาณ budget 2564";
    assert_true(khm_utf8_valid(s, strlen(s), NULL));
    assert_int_equal(khm_utf8_length(s, strlen(s)), 20);
}

static void test_base_utf8__rejects_overlong_surrogate_and_truncated(void **state)
{
    (void)state;
    size_t bad = 99;
    assert_false(khm_utf8_valid("ab\xC0\xAF", 4, &bad)); /* overlong '/' */
    assert_int_equal(bad, 2);
    assert_false(khm_utf8_valid("\xED\xA0\x80", 3, &bad)); /* U+D800 surrogate */
    assert_int_equal(bad, 0);
    assert_false(khm_utf8_valid("\xE0\xB8", 2, &bad));          /* truncated ก */
    assert_false(khm_utf8_valid("\xF4\x90\x80\x80", 4, &bad));  /* > U+10FFFF */
    assert_false(khm_utf8_valid("12345678\xC3\x28", 10, &bad)); /* past the ASCII fast path */
    assert_int_equal(bad, 8);
}

static void test_base_utf8__decode_encode_round_trip(void **state)
{
    (void)state;
    uint32_t cps[] = { 0x41, 0xE01, 0x0E4C, 0x20AC, 0x1F600, 0x10FFFF };
    for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
        char b[4];
        uint32_t back = 0;
        size_t n = khm_utf8_encode(cps[i], b);
        assert_true(n >= 1 && n <= 4);
        assert_int_equal(khm_utf8_decode(b, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char b[4];
    assert_int_equal(khm_utf8_encode(0xD800, b), 0);
    assert_int_equal(khm_utf8_encode(0x110000, b), 0);
}

static void test_base_utf8__width_ignores_thai_combining_marks(void **state)
{
    (void)state;
    /* นี่ = น + ี (U+0E35, above vowel) + ่ (U+0E48, tone mark): one column each base only */
    assert_int_equal(khm_utf8_width("นี่", strlen("นี่")), 1);
    assert_int_equal(khm_utf8_width("พัฒนพันธ์ชัย", strlen("พัฒนพันธ์ชัย")), 8);
    assert_int_equal(khm_utf8_width("abc", 3), 3);
    assert_true(khm_utf8_is_thai(0x0E01));
    assert_false(khm_utf8_is_thai(0x41));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_utf8__accepts_thai_and_ascii),
              cmocka_unit_test(test_base_utf8__rejects_overlong_surrogate_and_truncated),
              cmocka_unit_test(test_base_utf8__decode_encode_round_trip),
              cmocka_unit_test(test_base_utf8__width_ignores_thai_combining_marks))
