/* Tests for src/lib/scan/write.c: the JSON records, key for key as in docs/scan-output.md. */
#include "helpers.h"

static void test_scan_write__finding(void **state)
{
    (void)state;
    const char *v = "1-2345-67890-12-1";
    khm_finding f = { 0,  "TH_TNIN", KHM_PDPA_PERSONAL,   10,   27, 17,
                      16, 2,         "เลขประจำตัวประชาชน", 0.99, v,  strlen(v) };
    khm_buf b = KHM_BUF_INIT(4096);
    assert_int_equal(khm_scan_write_finding(&b, "a.csv", &f, 0), 0);
    assert_string_equal(b.ptr, "{\"kind\":\"finding\",\"file\":\"a.csv\",\"type\":\"TH_TNIN\","
                               "\"start\":10,\"end\":27,\"line\":17,\"row\":16,"
                               "\"field\":\"เลขประจำตัวประชาชน\",\"score\":0.99,"
                               "\"pdpa\":\"personal\",\"value\":\"1-2345-XXXXX-XX-1\"}");
    khm_buf_reset(&b);
    f.row = -1;
    f.field = NULL;
    assert_int_equal(khm_scan_write_finding(&b, "t.txt", &f, 1), 0);
    assert_non_null(strstr(b.ptr, "\"row\":null,\"field\":null"));
    assert_non_null(strstr(b.ptr, "\"value\":\"1-2345-67890-12-1\""));
    khm_buf_dispose(&b);
}

/* Offsets, lines and rows as "%llu" prints them, across every number of digits (the writer
 * makes up to eight digits without a loop), and escapes in file names, fields and values the
 * way RFC 8259 asks, at every position of a 16-byte block. */
static void test_scan_write__numbers_escapes(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(1 << 16);
    khm_finding f = { 0, "TH_TNIN", KHM_PDPA_PERSONAL, 0, 0, 0, 0, 2, NULL, 0.8, "x", 1 };
    char want[160];
    uint64_t vals[400];
    size_t nv = 0;
    for (uint64_t p = 1; p <= 10000000000000ull; p *= 10) { /* 10^k - 1, 10^k, 10^k + 1 */
        vals[nv++] = p - 1;
        vals[nv++] = p;
        vals[nv++] = p + 1;
    }
    for (uint32_t seed = 7; nv < sizeof(vals) / sizeof(vals[0]);) {
        seed = seed * 1103515245u + 12345u;
        vals[nv++] = seed % 100000000u;
    }
    vals[0] = 0;
    for (size_t k = 0; k < nv; k++) {
        f.start = (size_t)vals[k];
        f.end = (size_t)vals[k] + 7;
        f.line = vals[k] * 3 + 1;
        f.row = (int64_t)(vals[k] / 2);
        khm_buf_reset(&b);
        assert_int_equal(khm_scan_write_finding(&b, "n.txt", &f, 1), 0);
        snprintf(want, sizeof(want), "\"start\":%llu,\"end\":%llu,\"line\":%llu,\"row\":%llu,",
                 (unsigned long long)f.start, (unsigned long long)f.end, (unsigned long long)f.line,
                 (unsigned long long)f.row);
        assert_non_null(strstr(b.ptr, want));
    }
    /* a quote, a backslash, a newline and a control byte at each position of 40 bytes */
    static const char specials[] = { '"', '\\', '\n', 0x01 };
    static const char *const escaped[] = { "\\\"", "\\\\", "\\n", "\\u0001" };
    for (size_t sp = 0; sp < 4; sp++)
        for (size_t at = 0; at < 40; at++) {
            char v[41], exp[64];
            memset(v, 'a', 40);
            v[40] = 0;
            v[at] = specials[sp];
            f.value = v;
            f.value_len = 40;
            f.field = v;
            khm_buf_reset(&b);
            assert_int_equal(khm_scan_write_finding(&b, v, &f, 1), 0);
            snprintf(exp, sizeof(exp), "%.*s%s%.*s", (int)at, v, escaped[sp], (int)(39 - at),
                     v + at + 1);
            char key[96];
            snprintf(key, sizeof(key), "\"file\":\"%s\"", exp);
            assert_non_null(strstr(b.ptr, key));
            snprintf(key, sizeof(key), "\"field\":\"%s\"", exp);
            assert_non_null(strstr(b.ptr, key));
            snprintf(key, sizeof(key), "\"value\":\"%s\"}", exp);
            assert_non_null(strstr(b.ptr, key));
            json_error_t je;
            json_t *doc = json_loads(b.ptr, 0, &je);
            assert_non_null(doc);
            assert_string_equal(json_string_value(json_object_get(doc, "value")), v);
            json_decref(doc);
        }
    khm_buf_dispose(&b);
}

/* khm_scan_write_finding_named() writes what khm_scan_write_finding() writes, byte for byte:
 * names of every length up to 40 with a quote, a backslash, a newline, a control byte or DEL at
 * each position, Thai names, no name, masked and shown values, the slow path of a long value,
 * and a name whose JSON form did not fit its buffer (then escaped per record). */
static void test_scan_write__named(void **state)
{
    (void)state;
    khm_buf want = KHM_BUF_INIT(1 << 16), got = KHM_BUF_INIT(1 << 16);
    khm_scan_name n;
    khm_buf_init(&n.json, 1 << 10);
    const char *v = "0812345678";
    khm_finding f = { 1, "PHONE_NUMBER", KHM_PDPA_PERSONAL, 5, 15, 3, 2, 1, "โทรศัพท์", 0.9,
                      v, strlen(v) };
    f.det = khm_scan_detector_find("PHONE_NUMBER");
    static const char specials[] = { '"', '\\', '\n', 0x01, 0x7f, 'x' };
    size_t cases = 0;
    for (size_t len = 0; len <= 40; len++)
        for (size_t sp = 0; sp < sizeof(specials); sp++)
            for (size_t at = 0; at < len || (len == 0 && at == 0); at++) {
                char name[41];
                memset(name, 'a', len);
                name[len] = 0;
                if (len)
                    name[at] = specials[sp];
                assert_int_equal(khm_scan_name_set(&n, name), 0);
                for (int show = 0; show < 2; show++) {
                    khm_buf_reset(&want);
                    khm_buf_reset(&got);
                    assert_int_equal(khm_scan_write_finding(&want, name, &f, show), 0);
                    assert_int_equal(khm_scan_write_finding_named(&got, &n, &f, show), 0);
                    assert_string_equal(got.ptr, want.ptr);
                    cases++;
                }
            }
    assert_true(cases > 1000);
    static const char *const thai[] = { "ข้อมูล/ลูกค้า.csv", "/tmp/รายชื่อ \"ผู้ป่วย\".jsonl", NULL };
    char big[700];
    memset(big, '9', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(khm_scan_name_set(&n, thai[k]), 0);
        for (int longv = 0; longv < 2; longv++) {
            f.value = longv ? big : v; /* 699 bytes: the slow path */
            f.value_len = strlen(f.value);
            khm_buf_reset(&want);
            khm_buf_reset(&got);
            assert_int_equal(khm_scan_write_finding(&want, thai[k], &f, 0), 0);
            assert_int_equal(khm_scan_write_finding_named(&got, &n, &f, 0), 0);
            assert_string_equal(got.ptr, want.ptr);
        }
    }
    f.value = v;
    f.value_len = strlen(v);
    /* a name too long for the json buffer's cap: refused, and the records stay right */
    char longname[400];
    memset(longname, 'z', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    khm_buf_dispose(&n.json);
    khm_buf_init(&n.json, 64);
    assert_int_equal(khm_scan_name_set(&n, longname), KHM_ELIMIT);
    khm_err_clear();
    khm_buf_reset(&want);
    khm_buf_reset(&got);
    assert_int_equal(khm_scan_write_finding(&want, longname, &f, 0), 0);
    assert_int_equal(khm_scan_write_finding_named(&got, &n, &f, 0), 0);
    assert_string_equal(got.ptr, want.ptr);
    khm_buf_dispose(&n.json);
    khm_buf_dispose(&want);
    khm_buf_dispose(&got);
}

/* Masked values under 16 bytes are escaped one 16-byte block at a time: an e-mail's masked
 * form keeps its first byte and its domain, so a quote, a backslash, a newline, a control byte
 * or DEL there, at every position and length up to 15, must come out escaped, and read back
 * (jansson) as khm_scan_mask()'s bytes. */
static void test_scan_write__masked_short_escapes(void **state)
{
    (void)state;
    static const char specials[] = { '"', '\\', '\n', 0x01, 0x7f, 'q' };
    khm_buf b = KHM_BUF_INIT(1 << 16), m = KHM_BUF_INIT(1024);
    khm_finding f = { 0, "EMAIL_ADDRESS", KHM_PDPA_PERSONAL, 0, 0, 1, -1, -1, NULL, 0.9, NULL, 0 };
    f.det = khm_scan_detector_find("EMAIL_ADDRESS");
    size_t checked = 0;
    for (size_t n = 2; n <= 12; n++) /* masked: 4 more bytes, 6..16 */
        for (size_t sp = 0; sp < sizeof(specials); sp++)
            for (size_t at = 0; at < n; at++) {
                char v[16];
                memset(v, 'd', n);
                v[1] = '@';
                if (at != 1)
                    v[at] = specials[sp];
                f.value = v;
                f.value_len = n;
                khm_buf_reset(&b);
                khm_buf_reset(&m);
                assert_int_equal(khm_scan_write_finding(&b, "m.txt", &f, 0), 0);
                assert_int_equal(khm_scan_mask(&m, "EMAIL_ADDRESS", v, n), 0);
                json_error_t je;
                json_t *doc = json_loads(b.ptr, 0, &je);
                assert_non_null(doc);
                json_t *jv = json_object_get(doc, "value");
                assert_int_equal(json_string_length(jv), m.len);
                assert_memory_equal(json_string_value(jv), m.ptr, m.len);
                json_decref(doc);
                checked++;
            }
    assert_true(checked > 300);
    khm_buf_dispose(&b);
    khm_buf_dispose(&m);
}

static void test_scan_write__column_file_summary(void **state)
{
    (void)state;
    const char *s = "เลขประจำตัวประชาชน\n1234567890121\nx\n";
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    khm_profile p;
    assert_int_equal(khm_scan_csv(sc, st, s, strlen(s), ',', &p, NULL, NULL), 1);
    khm_buf b = KHM_BUF_INIT(4096);
    assert_int_equal(khm_scan_write_column(&b, "a.csv", &p, 0), 0);
    assert_string_equal(b.ptr, "{\"kind\":\"column\",\"file\":\"a.csv\",\"index\":0,"
                               "\"field\":\"เลขประจำตัวประชาชน\",\"type\":\"TH_TNIN\",\"rows\":2,"
                               "\"matched\":1,\"share\":0.50,\"score\":0.95,\"pdpa\":\"personal\","
                               "\"sensitive\":[]}");
    khm_scan_info t;
    memset(&t, 0, sizeof(t));
    t.format = KHM_IN_CSV;
    t.encoding = KHM_ENC_UTF8;
    t.bytes = 42;
    t.rows = 2;
    t.findings = 1;
    t.types[0] = 1;
    t.pdpa = KHM_PDPA_PERSONAL;
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_file(&b, "a.csv", &t, 0.0125), 0);
    assert_string_equal(b.ptr, "{\"kind\":\"file\",\"file\":\"a.csv\",\"format\":\"csv\","
                               "\"encoding\":\"utf-8\",\"gzip\":false,\"bytes\":42,\"rows\":2,"
                               "\"findings\":1,"
                               "\"types\":{\"TH_TNIN\":1},\"pdpa\":\"personal\",\"sensitive\":[],"
                               "\"suggested_category\":\"ข้อมูลส่วนบุคคล\","
                               "\"suggested_classification\":\"ชั้นเผยแพร่ภายในองค์กร\","
                               "\"seconds\":0.013}");
    /* s.26 data: the categories, and ลับ (thai-rules.md §1.4, §2.3) */
    t.pdpa = KHM_PDPA_SENSITIVE;
    t.sensitive = (1u << KHM_SENS_HEALTH) | (1u << KHM_SENS_RELIGION);
    t.split = 2;
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_file(&b, "a.csv", &t, 0.0125), 0);
    assert_non_null(strstr(b.ptr, "\"pdpa\":\"sensitive\",\"sensitive\":[\"religion\",\"health\"],"
                                  "\"suggested_category\":\"ข้อมูลส่วนบุคคล\","
                                  "\"suggested_classification\":\"ลับ\""));
    assert_non_null(strstr(b.ptr, "\"split\":2,"));
    t.types[0] = 0;
    t.findings = 0;
    t.pdpa = KHM_PDPA_NONE;
    t.sensitive = 0;
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_file(&b, "a.csv", &t, 0.0125), 0);
    assert_non_null(strstr(b.ptr, "\"pdpa\":\"none\""));
    assert_non_null(strstr(b.ptr, "\"suggested_category\":\"ข้อมูลสาธารณะ\","
                                  "\"suggested_classification\":\"เปิดเผย\""));
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_summary(&b, 3, 370368, 10368, 0, 0.03), 0);
    assert_string_equal(b.ptr, "{\"kind\":\"summary\",\"files\":3,\"bytes\":370368,"
                               "\"findings\":10368,\"errors\":0,\"seconds\":0.030}");
    assert_string_equal(khm_scan_suggested_classification(KHM_PDPA_SENSITIVE), "ลับ");
    khm_buf_dispose(&b);
    khm_profile_dispose(&p);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

/* SARIF 2.1.0: one document; a rule per detector; a result per finding with its location. */
static void test_scan_write__sarif(void **state)
{
    (void)state;
    khm_finding f = { 0 };
    f.det = khm_scan_detector_find("TH_TNIN");
    f.type = "TH_TNIN";
    f.pdpa = KHM_PDPA_PERSONAL;
    f.start = 10;
    f.end = 27;
    f.line = 3;
    f.row = 1;
    f.field = "เลขประจำตัวประชาชน";
    f.score = 0.95;
    f.value = "1-2345-67890-12-1";
    f.value_len = 17;
    khm_buf b = KHM_BUF_INIT(1 << 20);
    assert_int_equal(khm_scan_write_sarif_head(&b, "0.1.0", NULL), 0);
    assert_int_equal(khm_scan_write_sarif_result(&b, "a.csv", &f, 0), 0);
    assert_int_equal(khm_buf_putc(&b, ','), 0);
    assert_int_equal(khm_scan_write_sarif_result(&b, "a.csv", &f, 1), 0);
    assert_int_equal(khm_scan_write_sarif_tail(&b, 1), 0);
    json_error_t e;
    json_t *doc = json_loadb(b.ptr, b.len, 0, &e);
    if (!doc)
        fail_msg("not JSON: %s at %d: %s", e.text, e.position, b.ptr);
    assert_string_equal(json_string_value(json_object_get(doc, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
    json_t *rules =
        json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    assert_int_equal(json_array_size(rules), khm_scan_detector_count());
    json_t *res = json_object_get(run, "results");
    assert_int_equal(json_array_size(res), 2);
    json_t *r0 = json_array_get(res, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "ruleId")), "TH_TNIN");
    assert_string_equal(json_string_value(json_object_get(r0, "level")), "warning");
    json_t *loc =
        json_object_get(json_array_get(json_object_get(r0, "locations"), 0), "physicalLocation");
    json_t *reg = json_object_get(loc, "region");
    assert_int_equal(json_integer_value(json_object_get(reg, "startLine")), 3);
    assert_int_equal(json_integer_value(json_object_get(reg, "byteOffset")), 10);
    assert_int_equal(json_integer_value(json_object_get(reg, "byteLength")), 17);
    const char *msg = json_string_value(json_object_get(json_object_get(r0, "message"), "text"));
    assert_non_null(strstr(msg, "1-2345-XXXXX-XX-1")); /* masked by default */
    assert_null(strstr(msg, "67890"));
    msg = json_string_value(
        json_object_get(json_object_get(json_array_get(res, 1), "message"), "text"));
    assert_non_null(strstr(msg, "1-2345-67890-12-1"));
    json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
    assert_true(json_is_true(json_object_get(inv, "executionSuccessful")));
    json_decref(doc);
    khm_buf_dispose(&b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_write__finding), cmocka_unit_test(test_scan_write__sarif),
              cmocka_unit_test(test_scan_write__numbers_escapes),
              cmocka_unit_test(test_scan_write__named),
              cmocka_unit_test(test_scan_write__masked_short_escapes),
              cmocka_unit_test(test_scan_write__column_file_summary))
