/* Tests for src/lib/base/hash.c: SHA-256 vectors, hex and unpadded base64url codecs, and
 * constant-time comparison. */
#include "unit.h"

static void sha_hex(const char *in, size_t n, char out[2 * KHM_SHA256_LEN + 1])
{
    uint8_t d[KHM_SHA256_LEN];
    khm_sha256(d, in, n);
    khm_hex_encode(out, d, sizeof(d));
}

static void test_base_hash__sha256_vectors(void **state)
{
    (void)state;
    char h[2 * KHM_SHA256_LEN + 1];
    /* FIPS 180-2 appendix B.1 and B.2 */
    sha_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *b2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha_hex(b2, strlen(b2), h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha_hex("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* UTF-8 bytes of Thai text (Python hashlib.sha256("ข้อมูล".encode())) */
    sha_hex("ข้อมูล", strlen("ข้อมูล"), h);
    assert_string_equal(h, "b1b4a7069b28c8a67d98fbd26c274809d415a920804e6b4918e0ca7c487bb664");
    /* only the n bytes given count */
    sha_hex("abcdef", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_base_hash__hex_round_trip(void **state)
{
    (void)state;
    const uint8_t in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
    char hex[2 * sizeof(in) + 1];
    khm_hex_encode(hex, in, sizeof(in));
    assert_string_equal(hex, "00017f80abcdefff");
    uint8_t out[sizeof(in)];
    assert_int_equal(khm_hex_decode(out, sizeof(out), hex, strlen(hex)), 0);
    assert_memory_equal(out, in, sizeof(in));
    /* upper case is accepted on input */
    assert_int_equal(khm_hex_decode(out, sizeof(out), "00017F80ABCDEFFF", 16), 0);
    assert_memory_equal(out, in, sizeof(in));
    char empty[1] = { 'x' };
    khm_hex_encode(empty, in, 0);
    assert_string_equal(empty, "");
    assert_int_equal(khm_hex_decode(out, 0, "", 0), 0);
}

static void test_base_hash__hex_rejects_bad_input(void **state)
{
    (void)state;
    uint8_t out[4] = { 9, 9, 9, 9 };
    khm_err_clear();
    assert_int_equal(khm_hex_decode(out, 4, "0011223g", 8), KHM_EINVALID);
    assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "g0112233", 8), KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "00 11223", 8), KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "0x112233", 8), KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "001122:3", 8), KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "0011\xe0\xb8\x81", 7), KHM_EINVALID); /* ก */
    /* wrong length: short, odd, long */
    assert_int_equal(khm_hex_decode(out, 4, "001122", 6), KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "0011223", 7), KHM_EINVALID);
    assert_int_equal(khm_hex_decode(out, 4, "0011223344", 10), KHM_EINVALID);
    assert_non_null(strstr(khm_err_last()->message, "8"));
}

/* Every byte value in each digit position: exactly 0-9, a-f and A-F are digits (the decoder
 * reads a table; a wrong row or a shifted entry fails here). */
static void test_base_hash__hex_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        int want = c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
        char hi[2] = { (char)c, '7' }, lo[2] = { '7', (char)c };
        uint8_t out = 0;
        if (want < 0) {
            assert_int_equal(khm_hex_decode(&out, 1, hi, 2), KHM_EINVALID);
            assert_int_equal(khm_hex_decode(&out, 1, lo, 2), KHM_EINVALID);
            continue;
        }
        assert_int_equal(khm_hex_decode(&out, 1, hi, 2), 0);
        assert_int_equal(out, want << 4 | 7);
        assert_int_equal(khm_hex_decode(&out, 1, lo, 2), 0);
        assert_int_equal(out, 0x70 | want);
    }
}

static void check_b64(const char *in, const char *want)
{
    char out[64];
    size_t n = strlen(in);
    assert_true(KHM_B64URL_LEN(n) <= sizeof(out));
    assert_int_equal(khm_b64url_encode(out, KHM_B64URL_LEN(n), (const uint8_t *)in, n),
                     strlen(want));
    assert_string_equal(out, want);
    uint8_t back[64];
    assert_int_equal(khm_b64url_decode(back, sizeof(back), want, strlen(want)), (int)n);
    assert_memory_equal(back, in, n);
}

static void test_base_hash__b64url_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10, without the padding */
    check_b64("", "");
    check_b64("f", "Zg");
    check_b64("fo", "Zm8");
    check_b64("foo", "Zm9v");
    check_b64("foob", "Zm9vYg");
    check_b64("fooba", "Zm9vYmE");
    check_b64("foobar", "Zm9vYmFy");
    check_b64("ก", "4LiB");
    /* the URL-safe alphabet: - and _ instead of + and / */
    const uint8_t b[] = { 0xfb, 0xff, 0xbf };
    char out[8];
    assert_int_equal(khm_b64url_encode(out, sizeof(out), b, 3), 4);
    assert_string_equal(out, "-_-_");
}

static void test_base_hash__b64url_round_trip(void **state)
{
    (void)state;
    for (size_t n = 0; n <= 70; n++) {
        uint8_t in[70], back[70];
        char text[KHM_B64URL_LEN(70)];
        khm_rand_bytes(in, n);
        size_t len = khm_b64url_encode(text, KHM_B64URL_LEN(n), in, n);
        assert_int_equal(len, strlen(text));
        assert_int_equal(len, (4 * n + 2) / 3); /* unpadded length */
        assert_null(strchr(text, '='));
        assert_int_equal(khm_b64url_decode(back, n, text, len), (int)n);
        assert_memory_equal(back, in, n);
    }
}

static void test_base_hash__b64url_rejects(void **state)
{
    (void)state;
    uint8_t out[32];
    const char *bad[] = {
        "Zg==",            /* padding */
        "Zm8=",            /* padding */
        "Zm9v+",           /* standard alphabet */
        "Zm9v/w", "Zm 9v", /* space */
        "Zm9v\n", "Z",     /* a length no encoding produces */
        "Zm9vY",  "Zh",    /* non-zero trailing bits: not canonical */
        "ก",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_err_clear();
        assert_int_equal(khm_b64url_decode(out, sizeof(out), bad[i], strlen(bad[i])), KHM_EINVALID);
        assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    }
    /* only n bytes are read: a valid prefix of a longer string decodes */
    assert_int_equal(khm_b64url_decode(out, sizeof(out), "Zm9v====", 4), 3);
    /* output too small */
    assert_true(khm_b64url_decode(out, 2, "Zm9v", 4) < 0);
    /* encoder refuses a too-small buffer instead of overflowing */
    char small[4] = "xyz";
    assert_int_equal(khm_b64url_encode(small, sizeof(small), (const uint8_t *)"foo", 3), 0);
}

static void test_base_hash__ct_equal(void **state)
{
    (void)state;
    uint8_t a[32], b[32];
    khm_rand_bytes(a, sizeof(a));
    memcpy(b, a, sizeof(a));
    assert_true(khm_ct_equal(a, b, sizeof(a)));
    b[0] ^= 1;
    assert_false(khm_ct_equal(a, b, sizeof(a)));
    b[0] ^= 1;
    b[31] ^= 0x80;
    assert_false(khm_ct_equal(a, b, sizeof(a)));
    assert_true(khm_ct_equal(a, b, 31)); /* only n bytes compared */
    assert_true(khm_ct_equal("x", "y", 0));
    assert_int_equal(khm_ct_equal("ข้อมูล", "ข้อมูล", strlen("ข้อมูล")), 1);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_hash__sha256_vectors),
              cmocka_unit_test(test_base_hash__hex_round_trip),
              cmocka_unit_test(test_base_hash__hex_rejects_bad_input),
              cmocka_unit_test(test_base_hash__hex_every_byte),
              cmocka_unit_test(test_base_hash__b64url_vectors),
              cmocka_unit_test(test_base_hash__b64url_round_trip),
              cmocka_unit_test(test_base_hash__b64url_rejects),
              cmocka_unit_test(test_base_hash__ct_equal))
