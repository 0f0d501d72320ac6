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

/* The reference: validity and length one khm_utf8_decode() at a time (what the fast paths of
 * khm_utf8_valid and khm_utf8_length must agree with). */
static int ref_valid(const char *p, size_t n, size_t *bad_at)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = khm_utf8_decode(p + i, n - i, &cp);
        if (!k) {
            *bad_at = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

static size_t ref_length(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; c++) {
        uint32_t cp;
        size_t k = khm_utf8_decode(p + i, n - i, &cp);
        i += k ? k : 1;
    }
    return c;
}

static void agree(const char *p, size_t n)
{
    size_t b1 = 0, b2 = 0;
    int v1 = khm_utf8_valid(p, n, &b1), v2 = ref_valid(p, n, &b2);
    assert_int_equal(v1, v2);
    if (!v1)
        assert_int_equal(b1, b2);
    assert_int_equal(khm_utf8_length(p, n), ref_length(p, n));
}

static void test_base_utf8__fast_paths_agree_with_decode(void **state)
{
    (void)state;
    char b[16];
    /* every lead byte with every second byte, the rest a continuation or not, truncated or
     * not, alone and after "ก" and 8 ASCII bytes (the word-at-a-time path) */
    static const unsigned char rest[] = { 0x80, 0xBF, 0x41, 0xC0 };
    for (unsigned c = 0; c < 256; c++)
        for (unsigned d = 0; d < 256; d++)
            for (size_t r = 0; r < sizeof(rest); r++)
                for (size_t len = 1; len <= 4; len++) {
                    unsigned char seq[4] = { (unsigned char)c, (unsigned char)d, rest[r], rest[r] };
                    agree((const char *)seq, len);
                    memcpy(b, "\xE0\xB8\x81", 3);
                    memcpy(b + 3, seq, len);
                    agree(b, 3 + len);
                    memcpy(b, "abcdefgh", 8);
                    memcpy(b + 8, seq, len);
                    b[8 + len] = 'z';
                    agree(b, 9 + len);
                }
    const char *thai = "สำนักงานสถิติแห่งชาติ National Statistical Office 2567 ๒๕๖๗";
    assert_int_equal(khm_utf8_length(thai, strlen(thai)), ref_length(thai, strlen(thai)));
}

/* A message quoting input cut byte by byte (jansson's error text) becomes valid UTF-8: the cut
 * character's bytes are '?', the whole characters around them stay. */
static void test_base_utf8__scrub(void **state)
{
    (void)state;
    char cut[] = "near '\xE0\xB8\x87\xE0\xB8' (ง then half of another)";
    khm_utf8_scrub(cut);
    assert_string_equal(cut,
                        "near '\xE0\xB8\x87?" /* (no trigraph) */ "?' (ง then half of another)");
    char latin[] = "caf\xE9 \xFF";
    khm_utf8_scrub(latin);
    assert_string_equal(latin, "caf? ?");
    char fine[] = "ข้อมูล ok";
    khm_utf8_scrub(fine);
    assert_string_equal(fine, "ข้อมูล ok");
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_utf8__accepts_thai_and_ascii),
              cmocka_unit_test(test_base_utf8__scrub),
              cmocka_unit_test(test_base_utf8__rejects_overlong_surrogate_and_truncated),
              cmocka_unit_test(test_base_utf8__decode_encode_round_trip),
              cmocka_unit_test(test_base_utf8__width_ignores_thai_combining_marks),
              cmocka_unit_test(test_base_utf8__fast_paths_agree_with_decode))
