/* Tests for src/lib/scan/decode.c: encoding names, TIS-620 and UTF-16 to UTF-8 with exact
 * offset maps, UTF-8 validation counts, invalid input, the same output and maps whatever the
 * block splits, and detection of real samples. */
#include "helpers.h"

/* "นางสาวสมหญิง ใจดี เลขประจำตัวประชาชน 1-2345-67890-12-1" in UTF-8 and TIS-620 */
static const char thai_utf8[] = "นางสาวสมหญิง ใจดี เลขประจำตัวประชาชน 1-2345-67890-12-1";
static const unsigned char thai_tis[] =
    "\xb9\xd2\xa7\xca\xd2\xc7\xca\xc1\xcb\xad\xd4\xa7\x20\xe3\xa8\xb4\xd5\x20\xe0\xc5\xa2\xbb"
    "\xc3\xd0\xa8\xd3\xb5\xd1\xc7\xbb\xc3\xd0\xaa\xd2\xaa\xb9\x20\x31\x2d\x32\x33\x34\x35\x2d"
    "\x36\x37\x38\x39\x30\x2d\x31\x32\x2d\x31";
#define THAI_TIS_LEN (sizeof(thai_tis) - 1)

typedef struct {
    char out[4096];
    uint64_t map[4096];
    size_t n;
    uint64_t invalid;
} decoded;

/* Decode in[0..n) (stream offsets from base) cut at the given split points, then finish. */
static void decode_split(khm_enc enc, const unsigned char *in, size_t n, uint64_t base,
                         const size_t *cuts, size_t ncuts, decoded *d)
{
    khm_decoder dec;
    size_t pos = 0;
    khm_decoder_init(&dec, enc);
    d->n = 0;
    for (size_t c = 0; c <= ncuts; c++) {
        size_t end = c < ncuts ? cuts[c] : n;
        assert_true(end >= pos && end <= n);
        size_t bound = khm_decode_bound(&dec, end - pos);
        assert_true(d->n + bound <= sizeof(d->out));
        size_t w = khm_decode(&dec, in + pos, end - pos, base + pos, d->out + d->n, d->map + d->n);
        assert_true(w <= bound);
        /* consumed input ends at in_off + n - ncarry */
        if (w && enc != KHM_ENC_UTF8)
            assert_true(d->map[d->n + w - 1] < base + end - dec.ncarry);
        d->n += w;
        pos = end;
    }
    size_t fb = khm_decode_bound(&dec, 0);
    size_t w = khm_decode_finish(&dec, d->out + d->n, d->map + d->n);
    assert_true(w <= fb);
    d->n += w;
    d->invalid = dec.invalid;
    for (size_t k = 1; k < d->n; k++)
        assert_true(d->map[k] >= d->map[k - 1]);
    for (size_t k = 0; k < d->n; k++)
        assert_true(d->map[k] >= base && d->map[k] < base + n);
}

static void decode_all(khm_enc enc, const unsigned char *in, size_t n, uint64_t base, decoded *d)
{
    decode_split(enc, in, n, base, NULL, 0, d);
}

/* Whole, one byte at a time, every single cut and random cuts: the same output and map. */
static void check_splits(khm_enc enc, const unsigned char *in, size_t n)
{
    static decoded whole, part;
    size_t cuts[4096];
    decode_all(enc, in, n, 7, &whole);
    for (size_t k = 0; k < n; k++)
        cuts[k] = k + 1;
    decode_split(enc, in, n, 7, cuts, n, &part);
    assert_int_equal(part.n, whole.n);
    assert_memory_equal(part.out, whole.out, whole.n);
    assert_memory_equal(part.map, whole.map, whole.n * sizeof(uint64_t));
    assert_int_equal(part.invalid, whole.invalid);
    for (size_t c = 0; c <= n; c++) {
        cuts[0] = c;
        decode_split(enc, in, n, 7, cuts, 1, &part);
        assert_int_equal(part.n, whole.n);
        assert_memory_equal(part.out, whole.out, whole.n);
        assert_memory_equal(part.map, whole.map, whole.n * sizeof(uint64_t));
        assert_int_equal(part.invalid, whole.invalid);
    }
    uint32_t seed = 12345;
    for (int round = 0; round < 200; round++) {
        size_t nc = 0, pos = 0;
        while (nc < 64) {
            seed = seed * 1103515245u + 12345u;
            pos += (seed >> 16) % 7;
            if (pos > n)
                break;
            cuts[nc++] = pos;
        }
        decode_split(enc, in, n, 7, cuts, nc, &part);
        assert_int_equal(part.n, whole.n);
        assert_memory_equal(part.out, whole.out, whole.n);
        assert_memory_equal(part.map, whole.map, whole.n * sizeof(uint64_t));
        assert_int_equal(part.invalid, whole.invalid);
    }
}

/* UTF-8 to UTF-16 (with BOM), the reference encoder of these tests. */
static size_t to_utf16(const char *s, int be, unsigned char *out)
{
    size_t n = strlen(s), i = 0, w = 0;
    out[w++] = be ? 0xFE : 0xFF;
    out[w++] = be ? 0xFF : 0xFE;
    while (i < n) {
        uint32_t cp;
        size_t k = khm_utf8_decode(s + i, n - i, &cp);
        assert_true(k > 0);
        i += k;
        uint32_t u[2];
        size_t nu = 1;
        if (cp >= 0x10000) {
            u[0] = 0xD800 + ((cp - 0x10000) >> 10);
            u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        } else {
            u[0] = cp;
        }
        for (size_t j = 0; j < nu; j++) {
            out[w++] = (unsigned char)(be ? u[j] >> 8 : u[j] & 0xFF);
            out[w++] = (unsigned char)(be ? u[j] & 0xFF : u[j] >> 8);
        }
    }
    return w;
}

static void test_scan_decode__names(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        khm_enc e;
    } ok[] = { { "auto", KHM_ENC_AUTO },         { "UTF-8", KHM_ENC_UTF8 },
               { "utf8", KHM_ENC_UTF8 },         { "utf-16le", KHM_ENC_UTF16LE },
               { "UTF-16BE", KHM_ENC_UTF16BE },  { "tis-620", KHM_ENC_TIS620 },
               { "TIS620", KHM_ENC_TIS620 },     { "cp874", KHM_ENC_TIS620 },
               { "Windows-874", KHM_ENC_TIS620 } };
    for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
        khm_enc e = KHM_ENC_UTF8;
        assert_int_equal(khm_enc_parse(ok[k].s, &e), 0);
        assert_int_equal(e, ok[k].e);
    }
    assert_string_equal(khm_enc_name(KHM_ENC_UTF8), "utf-8");
    assert_string_equal(khm_enc_name(KHM_ENC_UTF16LE), "utf-16le");
    assert_string_equal(khm_enc_name(KHM_ENC_UTF16BE), "utf-16be");
    assert_string_equal(khm_enc_name(KHM_ENC_TIS620), "tis-620");
    for (khm_enc e = KHM_ENC_UTF8; e <= KHM_ENC_TIS620; e++) {
        khm_enc back;
        assert_int_equal(khm_enc_parse(khm_enc_name(e), &back), 0);
        assert_int_equal(back, e);
    }
    khm_err_clear();
    khm_enc e = KHM_ENC_TIS620;
    assert_int_equal(khm_enc_parse("latin1\x01", &e), KHM_EINVALID);
    assert_int_equal(e, KHM_ENC_TIS620);
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    assert_int_equal(nf, 1);
    assert_string_equal(fe[0].field, "encoding");
    assert_non_null(strstr(fe[0].message, "'latin1?'"));
    assert_non_null(strstr(fe[0].message, "tis-620"));
    assert_true(strlen(fe[0].message_th) > 0);
    khm_err_clear();
    assert_int_equal(khm_enc_parse(NULL, &e), KHM_EINVALID);
    khm_err_clear();
}

static void test_scan_decode__tis620(void **state)
{
    (void)state;
    static decoded d;
    decode_all(KHM_ENC_TIS620, thai_tis, THAI_TIS_LEN, 1000, &d);
    assert_int_equal(d.n, strlen(thai_utf8));
    assert_memory_equal(d.out, thai_utf8, d.n);
    assert_int_equal(d.invalid, 0);
    /* every byte maps to the TIS-620 byte of its character */
    size_t k = 0;
    for (size_t j = 0; j < THAI_TIS_LEN; j++) {
        size_t len = thai_tis[j] < 0x80 ? 1 : 3;
        for (size_t b = 0; b < len; b++)
            assert_int_equal(d.map[k + b], 1000 + j);
        k += len;
    }
    assert_int_equal(k, d.n);
    /* the ID number: its digits are where they are in the file */
    const char *id = strstr(d.out, "1-2345");
    assert_non_null(id);
    assert_int_equal(d.map[id - d.out], 1000 + 37);
    assert_int_equal(thai_tis[37], '1');

    /* unassigned bytes, Windows-874 additions */
    const unsigned char odd[] = "\xdb\xde\xfc\xff\x81\x80\x85\xa0\xa1\xfb";
    decode_all(KHM_ENC_TIS620, odd, sizeof(odd) - 1, 0, &d);
    const char want[] = "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                        "€…\xC2\xA0ก๛";
    assert_int_equal(d.n, strlen(want));
    assert_memory_equal(d.out, want, d.n);
    assert_int_equal(d.invalid, 5);
    assert_int_equal(d.map[15], 5); /* € from byte 5 */
    check_splits(KHM_ENC_TIS620, thai_tis, THAI_TIS_LEN);
    check_splits(KHM_ENC_TIS620, odd, sizeof(odd) - 1);
}

static void test_scan_decode__utf16(void **state)
{
    (void)state;
    static unsigned char u16[1024];
    static decoded d;
    const char *text = "ชื่อ: สมหญิง 😀 tel 081-234-5678\r\n";
    for (int be = 0; be <= 1; be++) {
        size_t n = to_utf16(text, be, u16), bom = 0;
        khm_enc e = khm_enc_detect(u16, n, &bom);
        assert_int_equal(e, be ? KHM_ENC_UTF16BE : KHM_ENC_UTF16LE);
        assert_int_equal(bom, 2);
        decode_all(e, u16 + bom, n - bom, bom, &d);
        assert_int_equal(d.n, strlen(text));
        assert_memory_equal(d.out, text, d.n);
        assert_int_equal(d.invalid, 0);
        assert_int_equal(d.map[0], 2); /* ช, the first unit after the BOM */
        assert_int_equal(d.map[3], 4);
        const char *emoji = strstr(d.out, "😀");
        size_t ek = (size_t)(emoji - d.out);
        /* the surrogate pair: 4 output bytes mapped to the high surrogate, then the space */
        assert_int_equal(d.map[ek], d.map[ek + 3]);
        assert_int_equal(d.map[ek + 4], d.map[ek] + 4);
        const char *tel = strstr(d.out, "081");
        size_t tk = (size_t)(tel - d.out);
        assert_int_equal(u16[d.map[tk] + (be ? 1 : 0)], '0');
        check_splits(e, u16 + 2, n - 2);
    }

    /* unpaired surrogates, odd trailing byte */
    const unsigned char bad_le[] = { 0x00, 0xD8, 'A',  0,    0x00, 0xDC, 'B', 0,
                                     0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 'C' };
    decode_all(KHM_ENC_UTF16LE, bad_le, sizeof(bad_le), 0, &d);
    const char want[] = "\xEF\xBF\xBD"
                        "A\xEF\xBF\xBD"
                        "B😀\xEF\xBF\xBD\xEF\xBF\xBD";
    assert_int_equal(d.n, strlen(want));
    assert_memory_equal(d.out, want, d.n);
    assert_int_equal(d.invalid, 4);
    assert_int_equal(d.map[d.n - 4], 12); /* the high surrogate at the end */
    assert_int_equal(d.map[d.n - 1], 14); /* the odd byte */
    check_splits(KHM_ENC_UTF16LE, bad_le, sizeof(bad_le));
    check_splits(KHM_ENC_UTF16BE, bad_le, sizeof(bad_le));
    /* a high surrogate alone at the end */
    const unsigned char hi_end[] = { 'x', 0, 0x3D, 0xD8 };
    decode_all(KHM_ENC_UTF16LE, hi_end, sizeof(hi_end), 0, &d);
    assert_int_equal(d.n, 4);
    assert_memory_equal(d.out, "x\xEF\xBF\xBD", 4);
    assert_int_equal(d.invalid, 1);
    assert_int_equal(d.map[1], 2);
}

static void test_scan_decode__utf8(void **state)
{
    (void)state;
    static decoded d;
    decode_all(KHM_ENC_UTF8, (const unsigned char *)thai_utf8, strlen(thai_utf8), 5, &d);
    assert_int_equal(d.n, strlen(thai_utf8));
    assert_memory_equal(d.out, thai_utf8, d.n);
    assert_int_equal(d.invalid, 0);
    for (size_t k = 0; k < d.n; k++)
        assert_int_equal(d.map[k], 5 + k);
    check_splits(KHM_ENC_UTF8, (const unsigned char *)thai_utf8, strlen(thai_utf8));

    /* maximal ill-formed subparts: C0 | 80 | E0 B8 (then A) | ED (A0 is a surrogate) | A0 |
     * F4 90 | FF | a cut E0 B8 at the end */
    const unsigned char bad[] = "ok\xC0\x80\xE0\xB8"
                                "A\xED\xA0"
                                "z\xF4\x90\xFF ก\xE0\xB8";
    decode_all(KHM_ENC_UTF8, bad, sizeof(bad) - 1, 0, &d);
    assert_int_equal(d.n, sizeof(bad) - 1);
    assert_memory_equal(d.out, bad, d.n);
    assert_int_equal(d.invalid, 9);
    check_splits(KHM_ENC_UTF8, bad, sizeof(bad) - 1);

    /* long Thai runs take the 24-byte fast path: one broken byte at every position of a run of
     * 40 characters is still counted once, and a cut character at the end is carried */
    {
        unsigned char run[121];
        for (size_t k = 0; k < 40; k++)
            memcpy(run + 3 * k, "\xE0\xB8\x81", 3); /* ก × 40 */
        run[120] = 'x';
        decode_all(KHM_ENC_UTF8, run, sizeof(run), 0, &d);
        assert_int_equal(d.invalid, 0);
        for (size_t at = 0; at < 120; at++) {
            unsigned char bad_run[121];
            memcpy(bad_run, run, sizeof(run));
            bad_run[at] =
                at % 3 == 0 ? 0xF8 : (unsigned char)'A'; /* never a lead / a continuation missing */
            decode_all(KHM_ENC_UTF8, bad_run, sizeof(bad_run), 0, &d);
            assert_true(d.invalid >= 1);
            assert_memory_equal(d.out, bad_run, sizeof(bad_run));
        }
        check_splits(KHM_ENC_UTF8, run, sizeof(run));
    }

    /* in place, and without a map */
    char buf[64];
    khm_decoder dec;
    memcpy(buf, "สวัสดี\xE0", 19);
    khm_decoder_init(&dec, KHM_ENC_AUTO);
    assert_int_equal(dec.enc, KHM_ENC_UTF8);
    assert_int_equal(khm_decode(&dec, (unsigned char *)buf, 19, 0, buf, NULL), 19);
    assert_memory_equal(buf, "สวัสดี\xE0", 19);
    assert_int_equal(dec.invalid, 0);
    assert_int_equal(dec.ncarry, 1);
    assert_int_equal(khm_decode_finish(&dec, buf, NULL), 0);
    assert_int_equal(dec.invalid, 1);
    /* no map for other encodings either */
    khm_decoder_init(&dec, KHM_ENC_TIS620);
    assert_int_equal(khm_decode(&dec, thai_tis, 3, 0, buf, NULL), 9);
    assert_memory_equal(buf, "นาง", 9);
}

/* Long UTF-8 (Thai, ASCII, 2- and 4-byte characters) with random damage: decoded whole (where
 * 32-byte blocks are validated at once when the CPU can) it counts the same ill-formed
 * sequences as decoded one byte at a time (the one-code-point path), wherever the damage falls
 * relative to the blocks. */
static void test_scan_decode__utf8_blocks(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "ประชาชน", " ", "1-2345-67890-12-1", "é", "😀", "นางสาว", "\n", "abc", ",", "๑๒"
    };
    static unsigned char buf[2000];
    static decoded whole, part;
    static size_t cuts[2000];
    uint32_t seed = 2566;
    for (int round = 0; round < 300; round++) {
        size_t n = 0;
        for (;;) {
            seed = seed * 1103515245u + 12345u;
            const char *pc = pieces[(seed >> 16) % 10];
            size_t l = strlen(pc);
            if (n + l > sizeof(buf))
                break;
            memcpy(buf + n, pc, l);
            n += l;
        }
        int damage = round % 4; /* none, one, a few, many bytes changed */
        int count = damage == 0 ? 0 : damage == 1 ? 1 : damage == 2 ? 4 : 60;
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            static const unsigned char vals[] = { 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED,
                                                  0xF0, 0xF4, 0xF5, 0xFF, 'A',  0xB8 };
            buf[at] = vals[(seed >> 20) % sizeof(vals)];
        }
        decode_all(KHM_ENC_UTF8, buf, n, 0, &whole);
        for (size_t k = 0; k < n; k++)
            cuts[k] = k + 1;
        decode_split(KHM_ENC_UTF8, buf, n, 0, cuts, n, &part);
        assert_int_equal(whole.n, n);
        assert_memory_equal(whole.out, buf, n);
        assert_int_equal(part.invalid, whole.invalid);
        if (damage == 0)
            assert_int_equal(whole.invalid, 0);
        else if (damage == 3)
            assert_true(whole.invalid > 0);
    }
}

static void test_scan_decode__detect(void **state)
{
    (void)state;
    size_t bom = 9;
    const char *ascii = "id,name,email\n1,Somchai,somchai@example.com\n";
    assert_int_equal(khm_enc_detect((const unsigned char *)ascii, strlen(ascii), &bom),
                     KHM_ENC_UTF8);
    assert_int_equal(bom, 0);
    assert_int_equal(khm_enc_detect((const unsigned char *)"", 0, &bom), KHM_ENC_UTF8);
    assert_int_equal(khm_enc_detect((const unsigned char *)thai_utf8, strlen(thai_utf8), NULL),
                     KHM_ENC_UTF8);
    /* a sample cut inside a character is still UTF-8 */
    assert_int_equal(khm_enc_detect((const unsigned char *)thai_utf8, 4, NULL), KHM_ENC_UTF8);
    assert_int_equal(khm_enc_detect((const unsigned char *)"\xEF\xBB\xBFok", 5, &bom),
                     KHM_ENC_UTF8);
    assert_int_equal(bom, 3);
    assert_int_equal(khm_enc_detect(thai_tis, THAI_TIS_LEN, &bom), KHM_ENC_TIS620);
    assert_int_equal(bom, 0);
    /* a TIS-620 CSV */
    const unsigned char csv[] =
        "\xaa\xd7\xe8\xcd,\xe0\xba\xcd\xc3\xec\xe2\xb7\xc3\n" /* ชื่อ,เบอร์โทร */
        "\xca\xc1\xaa\xd2\xc2,081-234-5678\n";                /* สมชาย */
    assert_int_equal(khm_enc_detect(csv, sizeof(csv) - 1, NULL), KHM_ENC_TIS620);
    /* random binary is not TIS-620 */
    unsigned char bin[4096];
    uint32_t seed = 99;
    for (int round = 0; round < 50; round++) {
        for (size_t k = 0; k < sizeof(bin); k++) {
            seed = seed * 1103515245u + 12345u;
            bin[k] = (unsigned char)(seed >> 16);
        }
        size_t n = 64 + (seed >> 8) % (sizeof(bin) - 64);
        assert_int_not_equal(khm_enc_detect(bin, n, NULL), KHM_ENC_TIS620);
        /* nor is binary whose high bytes all fall in the Thai range */
        for (size_t k = 0; k < n; k++)
            if (bin[k] >= 0x80)
                bin[k] = (unsigned char)(0xA1 + bin[k] % 0x3A);
        assert_int_not_equal(khm_enc_detect(bin, n, NULL), KHM_ENC_TIS620);
    }
    /* UTF-8 Thai with one corrupt byte is not TIS-620 */
    char broken[256];
    snprintf(broken, sizeof(broken), "%s", thai_utf8);
    broken[10] = '\xFF';
    assert_int_equal(khm_enc_detect((unsigned char *)broken, strlen(broken), NULL), KHM_ENC_UTF8);
    /* UTF-16 without a BOM */
    static unsigned char u16[512];
    size_t n = to_utf16("ชื่อ สมหญิง", 0, u16);
    assert_int_equal(khm_enc_detect(u16 + 2, n - 2, &bom), KHM_ENC_UTF16LE);
    assert_int_equal(bom, 0);
    n = to_utf16("name,phone\n", 1, u16);
    assert_int_equal(khm_enc_detect(u16 + 2, n - 2, &bom), KHM_ENC_UTF16BE);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_decode__names), cmocka_unit_test(test_scan_decode__tis620),
              cmocka_unit_test(test_scan_decode__utf16), cmocka_unit_test(test_scan_decode__utf8),
              cmocka_unit_test(test_scan_decode__utf8_blocks),
              cmocka_unit_test(test_scan_decode__detect))
