/* Tests for src/lib/base/buf.c: the hard cap (exact, and contents unchanged on failure),
 * appends, JSON escaping and ownership transfer. */
#include "unit.h"

static int reset_alloc(void **state)
{
    (void)state;
    khm_alloc_fail_after(0);
    return 0;
}

static void test_base_buf__cap_is_exact(void **state)
{
    (void)state;
    khm_buf b;
    khm_buf_init(&b, 10);
    assert_int_equal(khm_buf_put(&b, "0123456789", 10), 0); /* exactly max: fine */
    assert_int_equal(b.len, 10);
    khm_err_clear();
    assert_int_equal(khm_buf_putc(&b, 'x'), KHM_ELIMIT); /* one byte more: refused */
    assert_int_equal(khm_err_last()->code, KHM_ELIMIT);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.ptr, "0123456789");
    assert_int_equal(khm_buf_put(&b, "", 0), 0); /* nothing more is still fine */
    assert_true(b.cap <= 11);                    /* never allocates past max + NUL */
    khm_buf_dispose(&b);

    /* Thai: three 3-byte letters fill a 9-byte cap; a fourth does not fit and changes nothing */
    khm_buf t = KHM_BUF_INIT(9);
    assert_int_equal(khm_buf_puts(&t, "กข"), 0);
    assert_int_equal(khm_buf_puts(&t, "คง"), KHM_ELIMIT);
    assert_string_equal(t.ptr, "กข");
    assert_int_equal(khm_buf_puts(&t, "ค"), 0);
    assert_string_equal(t.ptr, "กขค");
    assert_int_equal(khm_buf_puts(&t, "ง"), KHM_ELIMIT);
    assert_int_equal(t.len, 9);
    assert_string_equal(t.ptr, "กขค");
    assert_int_equal(khm_buf_reserve(&t, (size_t)-1), KHM_ELIMIT); /* no wrap-around */
    khm_buf_dispose(&t);
}

static void test_base_buf__max_size_t_means_no_cap(void **state)
{
    (void)state;
    /* max + 1 must not wrap to 0 and shrink the allocation below what is written */
    khm_buf b = KHM_BUF_INIT((size_t)-1);
    for (int i = 0; i < 50; i++)
        assert_int_equal(khm_buf_puts(&b, "ข้อมูลเปิดภาครัฐ"), 0);
    assert_int_equal(b.len, 50 * strlen("ข้อมูลเปิดภาครัฐ"));
    assert_true(b.cap > b.len);
    assert_memory_equal(b.ptr + b.len - strlen("ภาครัฐ"), "ภาครัฐ", strlen("ภาครัฐ"));
    khm_buf_dispose(&b);
}

static void test_base_buf__partial_fill_then_overflow(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(10);
    assert_int_equal(khm_buf_puts(&b, "abcdefg"), 0);
    assert_int_equal(khm_buf_puts(&b, "hijk"), KHM_ELIMIT);
    assert_int_equal(khm_buf_printf(&b, "%d", 1234), KHM_ELIMIT);
    assert_int_equal(b.len, 7);
    assert_string_equal(b.ptr, "abcdefg");
    assert_int_equal(khm_buf_printf(&b, "%d", 123), 0);
    assert_string_equal(b.ptr, "abcdefg123");
    khm_buf_dispose(&b);
}

static void test_base_buf__grows_and_stays_terminated(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    for (int i = 0; i < 100000; i++) {
        assert_int_equal(khm_buf_putc(&b, (char)('a' + i % 26)), 0);
        assert_int_equal(b.ptr[b.len], '\0');
    }
    assert_int_equal(b.len, 100000);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.ptr[i], 'a' + i % 26);
    assert_true(b.cap > b.len);
    khm_buf_dispose(&b);
}

static void test_base_buf__printf_appends(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(4096);
    assert_int_equal(khm_buf_printf(&b, "%s=%d", "ปี", 2569), 0);
    assert_int_equal(khm_buf_putc(&b, ';'), 0);
    assert_int_equal(khm_buf_printf(&b, "%s", ""), 0);
    assert_int_equal(khm_buf_printf(&b, " %05.2f %x", 3.14159, 255u), 0);
    assert_string_equal(b.ptr, "ปี=2569; 03.14 ff");
    assert_int_equal(b.len, strlen("ปี=2569; 03.14 ff"));
    /* longer than the first allocation */
    assert_int_equal(khm_buf_printf(&b, "%0300d", 1), 0);
    assert_int_equal(b.len, strlen("ปี=2569; 03.14 ff") + 300);
    assert_int_equal(b.ptr[b.len - 1], '1');
    assert_int_equal(b.ptr[b.len], '\0');
    khm_buf_dispose(&b);
}

/* Escape, then check both the exact text and that jansson reads back the original bytes. */
static void check_escape(const char *in, size_t n, const char *want)
{
    khm_buf b = KHM_BUF_INIT(4096);
    assert_int_equal(khm_buf_puts(&b, "\""), 0);
    assert_int_equal(khm_buf_json_escape(&b, in, n), 0);
    assert_int_equal(khm_buf_puts(&b, "\""), 0);
    assert_int_equal(b.len, strlen(want) + 2);
    assert_memory_equal(b.ptr + 1, want, strlen(want));
    json_error_t e;
    json_t *v = json_loadb(b.ptr, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    assert_non_null(v);
    assert_int_equal(json_string_length(v), n);
    assert_memory_equal(json_string_value(v), in, n);
    json_decref(v);
    khm_buf_dispose(&b);
}

static void test_base_buf__json_escape(void **state)
{
    (void)state;
    check_escape("plain", 5, "plain");
    check_escape("", 0, "");
    check_escape("say \"hi\"", 8, "say \\\"hi\\\"");
    check_escape("C:\\data\\", 8, "C:\\\\data\\\\");
    check_escape("a\nb\rc\td", 7, "a\\nb\\rc\\td");
    check_escape("\x01\x08\x0c\x1f", 4, "\\u0001\\u0008\\u000c\\u001f");
    check_escape("del\x7f", 4, "del\\u007f");
    check_escape("nul\0x", 5, "nul\\u0000x"); /* the length, not a NUL, ends the input */
    check_escape("/ and space ok", 14, "/ and space ok");
    /* Thai passes through unescaped, including next to escapes */
    check_escape("ชื่อ \"สมชาย\"\nนามสกุล ใจดี", strlen("ชื่อ \"สมชาย\"\nนามสกุล ใจดี"),
                 "ชื่อ \\\"สมชาย\\\"\\nนามสกุล ใจดี");
}

/* The escaper (and khm_json_plain_span) scans eight bytes at a time: every byte value at every
 * offset of a 24-byte run (inside a word, at a word's edge, in the tail) among Thai UTF-8 and
 * ASCII must come out as the byte-by-byte rule says. */
static void test_base_buf__json_escape_every_byte_every_offset(void **state)
{
    (void)state;
    static const char fill[] = "ก้อนabcdeข\xe0\xb8\x82xyz12345678";
    char in[24], want[24 * 6 + 1];
    for (int c = 0; c < 256; c++) {
        for (size_t at = 0; at < sizeof(in); at++) {
            memcpy(in, fill, sizeof(in));
            in[at] = (char)c;
            size_t w = 0;
            for (size_t i = 0; i < sizeof(in); i++) {
                unsigned char x = (unsigned char)in[i];
                if (x == '"' || x == '\\') {
                    want[w++] = '\\';
                    want[w++] = (char)x;
                } else if (x == '\n' || x == '\r' || x == '\t') {
                    want[w++] = '\\';
                    want[w++] = x == '\n' ? 'n' : x == '\r' ? 'r' : 't';
                } else if (x < 0x20 || x == 0x7f) {
                    w += (size_t)snprintf(want + w, 7, "\\u%04x", x);
                } else {
                    want[w++] = (char)x;
                }
            }
            want[w] = '\0';
            int bad = c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
            assert_int_equal(khm_json_plain_span(in, sizeof(in)), bad ? at : sizeof(in));
            assert_int_equal(khm_json_plain_span(in, at), at);
            khm_buf b = KHM_BUF_INIT(4096);
            assert_int_equal(khm_buf_json_escape(&b, in, sizeof(in)), 0);
            assert_int_equal(b.len, w);
            assert_memory_equal(b.ptr, want, w);
            khm_buf_dispose(&b);
        }
    }
}

static void test_base_buf__json_escape_respects_cap(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(5);
    assert_int_equal(khm_buf_json_escape(&b, "ab\x01", 3), KHM_ELIMIT); /* needs 8 bytes */
    assert_true(b.len <= 5);
    khm_buf_dispose(&b);
}

static void test_base_buf__reset_dispose_detach(void **state)
{
    (void)state;
    khm_buf b;
    khm_buf_init(&b, 100);
    assert_null(b.ptr);
    assert_int_equal(khm_buf_puts(&b, "ข้อมูล"), 0);
    size_t cap = b.cap;
    char *mem = b.ptr;
    khm_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    assert_int_equal(b.cap, cap); /* memory kept */
    assert_ptr_equal(b.ptr, mem);
    assert_int_equal(khm_buf_puts(&b, "abc"), 0);
    assert_string_equal(b.ptr, "abc");

    khm_buf_dispose(&b);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100); /* reusable with the same cap */
    assert_int_equal(khm_buf_puts(&b, "ใหม่"), 0);
    assert_string_equal(b.ptr, "ใหม่");

    size_t len = 0;
    char *owned = khm_buf_detach(&b, &len);
    assert_string_equal(owned, "ใหม่");
    assert_int_equal(len, strlen("ใหม่"));
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    khm_free(owned);

    /* detaching an empty buffer still gives an owned "" */
    char *e = khm_buf_detach(&b, &len);
    assert_non_null(e);
    assert_string_equal(e, "");
    assert_int_equal(len, 0);
    khm_free(e);
    khm_buf_reset(&b); /* reset of a never-used buffer is harmless */
    khm_buf_dispose(&b);
}

static void test_base_buf__oom_leaves_buffer_unchanged(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_buf_puts(&b, "ก"), 0);
    khm_alloc_fail_after(1);
    char big[200];
    memset(big, 'x', sizeof(big));
    assert_int_equal(khm_buf_put(&b, big, sizeof(big)), KHM_ENOMEM);
    assert_int_equal(khm_buf_printf(&b, "%0200d", 0), KHM_ENOMEM);
    assert_int_equal(khm_err_last()->code, KHM_ENOMEM);
    khm_alloc_fail_after(0);
    assert_string_equal(b.ptr, "ก");
    assert_int_equal(b.len, 3);
    assert_int_equal(khm_buf_put(&b, big, sizeof(big)), 0);
    assert_int_equal(b.len, 203);
    khm_buf_dispose(&b);

    khm_buf e = KHM_BUF_INIT(10);
    khm_alloc_fail_after(1);
    assert_int_equal(khm_buf_putc(&e, 'a'), KHM_ENOMEM);
    assert_null(khm_buf_detach(&e, NULL));
    khm_alloc_fail_after(0);
    assert_null(e.ptr);
    assert_int_equal(e.len, 0);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_buf__cap_is_exact),
              cmocka_unit_test(test_base_buf__max_size_t_means_no_cap),
              cmocka_unit_test(test_base_buf__partial_fill_then_overflow),
              cmocka_unit_test(test_base_buf__grows_and_stays_terminated),
              cmocka_unit_test(test_base_buf__printf_appends),
              cmocka_unit_test(test_base_buf__json_escape),
              cmocka_unit_test(test_base_buf__json_escape_every_byte_every_offset),
              cmocka_unit_test(test_base_buf__json_escape_respects_cap),
              cmocka_unit_test(test_base_buf__reset_dispose_detach),
              cmocka_unit_test_teardown(test_base_buf__oom_leaves_buffer_unchanged, reset_alloc))
