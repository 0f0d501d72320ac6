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
    int64_t types[32] = { 0 };
    types[0] = 1;
    khm_scan_file_totals t = { "a.csv", "csv", "utf-8", 42, 2, 1, types, 0.0125 };
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_file(&b, &t), 0);
    assert_string_equal(b.ptr, "{\"kind\":\"file\",\"file\":\"a.csv\",\"format\":\"csv\","
                               "\"encoding\":\"utf-8\",\"bytes\":42,\"rows\":2,\"findings\":1,"
                               "\"types\":{\"TH_TNIN\":1},\"pdpa\":\"personal\",\"sensitive\":[],"
                               "\"suggested_category\":\"ข้อมูลส่วนบุคคล\","
                               "\"suggested_classification\":\"ชั้นเผยแพร่ภายในองค์กร\","
                               "\"seconds\":0.013}");
    types[0] = 0;
    t.findings = 0;
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_write_file(&b, &t), 0);
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

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_write__finding),
              cmocka_unit_test(test_scan_write__column_file_summary))
