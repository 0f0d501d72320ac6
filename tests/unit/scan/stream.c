/* Tests for src/lib/scan/stream.c: scanning in bounded windows gives the same findings (values,
 * offsets into the input as stored, lines, rows, fields) as scanning the whole buffer; gzip input;
 * lines over the cap scanned in pieces; binary input skipped; format guessing; a read error and a
 * truncated gzip stream reported after scanning what could be read. */
#include "helpers.h"

#include <errno.h>
#include <zlib.h>

/* Reads a buffer a few bytes at a time (a pipe that delivers little at once). */
typedef struct {
    const char *p;
    size_t len, pos, step;
    int fail_at; /* return -1 once pos reaches this (0 = never) */
} trickle;

static long read_trickle(void *src, char *buf, size_t n)
{
    trickle *t = src;
    if (t->fail_at && t->pos >= (size_t)t->fail_at) {
        errno = EIO;
        return -1;
    }
    size_t k = t->len - t->pos;
    if (k > n)
        k = n;
    if (k > t->step)
        k = t->step;
    memcpy(buf, t->p + t->pos, k);
    t->pos += k;
    return (long)k;
}

static int scan_stream(const char *data, size_t len, const khm_scan_input *in, size_t step,
                       hits *hs, khm_scan_info *info, khm_profile *prof)
{
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    trickle t = { data, len, 0, step, 0 };
    memset(hs, 0, sizeof(*hs));
    int rc = khm_scan_stream(sc, st, read_trickle, &t, in, prof, hits_collect, hs, info);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return rc;
}

/* Thai prose with personal data on many lines: ~40 KB, so small windows cut it many times. */
static char *prose(size_t *len)
{
    khm_buf b = KHM_BUF_INIT(1 << 20);
    for (int k = 0; k < 400; k++)
        assert_int_equal(khm_buf_printf(&b,
                                        "บรรทัด %d ติดต่อคุณสมชาย โทร 081-234-%04d อีเมล "
                                        "user%d@example.com เลขบัตรประชาชน 3100600445635\n",
                                        k, k, k),
                         0);
    *len = b.len;
    return b.ptr;
}

static void test_scan_stream__windows_equal_whole_buffer(void **state)
{
    (void)state;
    size_t len;
    char *s = prose(&len);
    hits whole, part;
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    memset(&whole, 0, sizeof(whole));
    assert_int_equal(khm_scan_buf(sc, st, s, len, hits_collect, &whole), 1200);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    khm_scan_input in = { 0 };
    in.block = 1000; /* many windows, cut at line ends */
    in.cap = 4096;
    in.format = KHM_IN_TEXT;
    khm_scan_info info;
    assert_int_equal(scan_stream(s, len, &in, 333, &part, &info, NULL), 0);
    assert_int_equal(part.n, whole.n); /* hits keeps the first 256 of each */
    for (size_t k = 0; k < part.n; k++) {
        assert_string_equal(part.h[k].type, whole.h[k].type);
        assert_string_equal(part.h[k].value, whole.h[k].value);
        assert_int_equal(part.h[k].start, whole.h[k].start);
        assert_int_equal(part.h[k].end, whole.h[k].end);
        assert_int_equal(part.h[k].line, whole.h[k].line);
    }
    assert_int_equal(info.findings, 1200);
    assert_int_equal(info.bytes, len);
    assert_int_equal(info.scanned, len);
    assert_int_equal(info.rows, -1);
    assert_int_equal(info.split, 0);
    assert_int_equal(info.pdpa, KHM_PDPA_PERSONAL);
    assert_int_equal(info.types[khm_scan_detector_find("TH_TNIN")], 400);
    free(s);
}

static void test_scan_stream__csv_records_across_windows(void **state)
{
    (void)state;
    /* quoted cells with newlines and commas, so a window must not end inside quotes */
    khm_buf b = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_buf_puts(&b, "\xEF\xBB\xBFชื่อ,หมายเหตุ,โทรศัพท์\r\n"), 0);
    for (int k = 0; k < 300; k++)
        assert_int_equal(khm_buf_printf(&b,
                                        "คนที่ %d,\"บรรทัดแรก, มีจุลภาค\nบรรทัดสอง\",08%d-555-%04d\r\n",
                                        k, 1 + k % 9, k),
                         0);
    khm_scan_input in = { 0 };
    in.block = 512;
    in.cap = 4096;
    in.name = "people.csv";
    khm_scan_info info;
    khm_profile prof;
    hits hs;
    assert_int_equal(scan_stream(b.ptr, b.len, &in, 100, &hs, &info, &prof), 0);
    assert_int_equal(info.format, KHM_IN_CSV);
    assert_int_equal(info.rows, 300);
    assert_int_equal(info.findings, 300);
    assert_int_equal(prof.ncols, 3);
    assert_string_equal(prof.cols[2].field, "โทรศัพท์");
    assert_int_equal(khm_profile_dominant(&prof, 2), khm_scan_detector_find("PHONE_NUMBER"));
    assert_int_equal(prof.cols[2].matched[khm_scan_detector_find("PHONE_NUMBER")], 300);
    for (size_t k = 0; k < hs.n; k++) {
        assert_int_equal(hs.h[k].row, (int64_t)k);
        assert_string_equal(hs.h[k].field, "โทรศัพท์");
        assert_int_equal(hs.h[k].line, 3 + 2 * k); /* each record spans two lines */
        /* offsets are into the input as stored, BOM included */
        assert_memory_equal(b.ptr + hs.h[k].start, hs.h[k].value, strlen(hs.h[k].value));
    }
    khm_profile_dispose(&prof);
    khm_buf_dispose(&b);
}

static void test_scan_stream__gzip(void **state)
{
    (void)state;
    size_t len;
    char *s = prose(&len);
    uLongf zlen = compressBound(len) + 64;
    unsigned char *z = malloc(zlen);
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (unsigned char *)s;
    zs.avail_in = (uInt)len;
    zs.next_out = z;
    zs.avail_out = (uInt)zlen;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    zlen = zs.total_out;
    deflateEnd(&zs);
    khm_scan_input in = { 0 };
    in.block = 700;
    in.cap = 4096;
    khm_scan_info info;
    hits hs;
    assert_int_equal(scan_stream((char *)z, zlen, &in, 97, &hs, &info, NULL), 0);
    assert_true(info.gzip);
    assert_int_equal(info.findings, 1200);
    assert_int_equal(info.bytes, zlen);
    assert_int_equal(info.scanned, len);
    assert_int_equal(info.format, KHM_IN_TEXT); /* no extension, not tabular */
    /* offsets into the decompressed bytes */
    assert_memory_equal(s + hs.h[0].start, hs.h[0].value, strlen(hs.h[0].value));
    /* truncated: what was inflated is scanned, then the error */
    assert_int_equal(scan_stream((char *)z, zlen / 2, &in, 97, &hs, &info, NULL), KHM_EINVALID);
    assert_non_null(strstr(khm_err_last()->message, "truncated gzip"));
    assert_true(info.findings > 100 && info.findings < 1200);
    free(z);
    free(s);
}

static void test_scan_stream__long_line_in_pieces(void **state)
{
    (void)state;
    /* one 200 KB line of phone numbers with a 16 KB cap: scanned in pieces, all found */
    khm_buf b = KHM_BUF_INIT(1 << 20);
    for (int k = 0; k < 10000; k++)
        assert_int_equal(khm_buf_printf(&b, "โทร 081-234-%04d ", k), 0);
    khm_scan_input in = { 0 };
    in.block = 4096;
    in.cap = 16384;
    in.format = KHM_IN_TEXT;
    khm_scan_info info;
    hits hs;
    assert_int_equal(scan_stream(b.ptr, b.len, &in, 4096, &hs, &info, NULL), 0);
    assert_int_equal(info.findings, 10000);
    assert_int_equal(info.split, 1); /* one line, counted once */
    assert_int_equal(hs.h[255].line, 1);
    khm_buf_dispose(&b);
}

static void test_scan_stream__binary_empty_read_error(void **state)
{
    (void)state;
    khm_scan_info info;
    hits hs;
    khm_scan_input in = { 0 };
    static const char bin[] = "PK\3\4\0\0\0 0812345678";
    assert_int_equal(scan_stream(bin, sizeof(bin) - 1, &in, 64, &hs, &info, NULL), 0);
    assert_true(info.binary);
    assert_int_equal(hs.n, 0);
    assert_int_equal(scan_stream("", 0, &in, 64, &hs, &info, NULL), 0);
    assert_false(info.binary);
    assert_int_equal(info.findings, 0);
    assert_int_equal(info.bytes, 0);
    /* a read error: KHM_EIO naming the cause, after what was read */
    size_t len;
    char *s = prose(&len);
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    trickle t = { s, len, 0, 512, 20000 };
    in.block = 1024;
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(khm_scan_stream(sc, st, read_trickle, &t, &in, NULL, hits_collect, &hs, &info),
                     KHM_EIO);
    assert_non_null(strstr(khm_err_last()->message, "read failed"));
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    free(s);
}

static void test_scan_stream__format_guess_and_names(void **state)
{
    (void)state;
    khm_in_format f;
    assert_int_equal(khm_in_format_parse("JSONL", &f), 0);
    assert_int_equal(f, KHM_IN_JSONL);
    assert_int_equal(khm_in_format_parse("ndjson", &f), 0);
    assert_int_equal(f, KHM_IN_JSONL);
    assert_int_equal(khm_in_format_parse("xml", &f), KHM_EINVALID);
    size_t n;
    assert_string_equal(khm_err_fields(&n)[0].field, "input-format");
    assert_string_equal(khm_in_format_name(KHM_IN_TSV), "tsv");
    /* guessing: extension (also under .gz), then content */
    struct {
        const char *name, *data;
        khm_in_format want;
    } cases[] = {
        { "a.csv", "x\n", KHM_IN_CSV },
        { "a.tsv.gz", "x\n", KHM_IN_TSV },
        { "a.txt", "a,b\nc,d\n", KHM_IN_TEXT },
        { "a.md", "[1]\n", KHM_IN_JSON },
        { "-", "a,b\nc,d\n", KHM_IN_CSV },
        { "-", "a\tb\nc\td\n", KHM_IN_TSV },
        { "-", "{\"a\":1}\n{\"a\":2}\n", KHM_IN_JSONL },
        { "data.json", "{\"a\":1}\n{\"a\":2}\n", KHM_IN_JSONL },
        { "-", "just some text, here.\n", KHM_IN_TEXT },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        khm_scan_input in = { 0 };
        in.name = cases[k].name;
        khm_scan_info info;
        hits hs;
        scan_stream(cases[k].data, strlen(cases[k].data), &in, 64, &hs, &info, NULL);
        if (info.format != cases[k].want)
            fail_msg("%s '%s': format %s, want %s", cases[k].name, cases[k].data,
                     khm_in_format_name(info.format), khm_in_format_name(cases[k].want));
    }
}

/* JSON Lines: values with their field path and record; \\u escapes decoded for the detectors,
 * offsets pointing at the escapes as stored; a bad line skipped and counted. */
static void test_scan_stream__json_lines(void **state)
{
    (void)state;
    /* "เลขประจำตัวประชาชน" as Python's json.dumps writes it, then the ID */
    static const char data[] =
        "{\"person\":{\"name\":\"x\",\"phone\":\"081-234-5678\"},\"tags\":[\"a@example.com\"]}\n"
        "{\"note\":\"\\u0e42\\u0e17\\u0e23 0812345678\"}\n"
        "{not json}\n"
        "{\"person\":{\"phone\":\"02 123 4567\"}}\n";
    khm_scan_input in = { 0 };
    in.block = 16;
    in.name = "x.jsonl";
    khm_scan_info info;
    khm_profile prof;
    hits hs;
    assert_int_equal(scan_stream(data, sizeof(data) - 1, &in, 7, &hs, &info, &prof), 0);
    assert_int_equal(info.format, KHM_IN_JSONL);
    assert_int_equal(info.bad_lines, 1);
    assert_int_equal(info.first_bad_line, 3);
    assert_int_equal(hs.n, 4);
    assert_string_equal(hs.h[0].field, "$.person.phone");
    assert_int_equal(hs.h[0].row, 0);
    assert_string_equal(hs.h[1].field, "$.tags[]");
    assert_string_equal(hs.h[1].type, "EMAIL_ADDRESS");
    /* the escaped note: the scanner saw "โทร 0812345678" (context), the offsets are the file's */
    assert_string_equal(hs.h[2].field, "$.note");
    assert_string_equal(hs.h[2].value, "0812345678");
    assert_int_equal(hs.h[2].row, 1);
    assert_int_equal(hs.h[2].line, 2);
    assert_memory_equal(data + hs.h[2].start, "0812345678", 10);
    assert_int_equal(hs.h[3].row, 3);
    assert_int_equal(hs.h[3].line, 4);
    /* the profile: one column per path */
    int phone = khm_scan_detector_find("PHONE_NUMBER");
    size_t c = 0;
    while (c < prof.ncols && strcmp(prof.cols[c].field, "$.person.phone") != 0)
        c++;
    assert_true(c < prof.ncols);
    assert_int_equal(prof.cols[c].matched[phone], 2);
    khm_profile_dispose(&prof);
    /* a JSON document with a syntax error: KHM_EINVALID saying where */
    static const char bad[] = "{\"a\": [\"0812345678\", }";
    in.name = "y.json";
    assert_int_equal(scan_stream(bad, sizeof(bad) - 1, &in, 64, &hs, &info, NULL), KHM_EINVALID);
    assert_non_null(strstr(khm_err_last()->message, "invalid JSON"));
}

/* TIS-620 and UTF-16: detected, decoded for the detectors, offsets into the bytes as stored. */
static void test_scan_stream__legacy_encodings(void **state)
{
    (void)state;
    /* "นาย โทร 081-234-5678" in TIS-620: น=0xB9 า=0xD2 ย=0xC2, โ=0xE2 ท=0xB7 ร=0xC3 */
    static const char tis[] = "\xB9\xD2\xC2 \xE2\xB7\xC3 081-234-5678\n"
                              "\xB9\xD2\xC2 \xE2\xB7\xC3 02-123-4567\n";
    khm_scan_input in = { 0 };
    in.format = KHM_IN_TEXT;
    khm_scan_info info;
    hits hs;
    assert_int_equal(scan_stream(tis, sizeof(tis) - 1, &in, 5, &hs, &info, NULL), 0);
    assert_int_equal(info.encoding, KHM_ENC_TIS620);
    assert_int_equal(hs.n, 2);
    assert_int_equal(hs.h[0].start, 8);
    assert_int_equal(hs.h[0].end, 20);
    assert_memory_equal(tis + hs.h[1].start, "02-123-4567", 11);
    assert_int_equal(hs.h[1].line, 2);
    /* UTF-16LE with a BOM: "Tel 0812345678" */
    static const char u16[] = "\xFF\xFET\0e\0l\0 \0"
                              "0\0"
                              "8\0"
                              "1\0"
                              "2\0"
                              "3\0"
                              "4\0"
                              "5\0"
                              "6\0"
                              "7\0"
                              "8\0\n\0";
    assert_int_equal(scan_stream(u16, sizeof(u16) - 1, &in, 3, &hs, &info, NULL), 0);
    assert_int_equal(info.encoding, KHM_ENC_UTF16LE);
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.h[0].value, "0812345678");
    assert_int_equal(hs.h[0].start, 10); /* BOM + "Tel " = 2 + 8 bytes */
    assert_int_equal(hs.h[0].end, 30);
    /* invalid UTF-8 in the middle of UTF-8: counted, scanned around */
    static const char mixed[] = "โทร 081-234-5678 \xFF\xFE ok\n"
                                "อีเมล a@example.com\n";
    assert_int_equal(scan_stream(mixed, sizeof(mixed) - 1, &in, 64, &hs, &info, NULL), 0);
    assert_int_equal(info.encoding, KHM_ENC_UTF8);
    assert_true(info.invalid >= 1);
    assert_int_equal(hs.n, 2);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_stream__windows_equal_whole_buffer),
              cmocka_unit_test(test_scan_stream__json_lines),
              cmocka_unit_test(test_scan_stream__legacy_encodings),
              cmocka_unit_test(test_scan_stream__csv_records_across_windows),
              cmocka_unit_test(test_scan_stream__gzip),
              cmocka_unit_test(test_scan_stream__long_line_in_pieces),
              cmocka_unit_test(test_scan_stream__binary_empty_read_error),
              cmocka_unit_test(test_scan_stream__format_guess_and_names))
