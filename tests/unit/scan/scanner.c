/* Tests for src/lib/scan/scanner.c: options, the scan loop (overlaps, lines, stopping), and CSV
 * scanning with rows, fields, header context and exact offsets. */
#include "helpers.h"

static void test_scan_scanner__options(void **state)
{
    (void)state;
    khm_scanner *sc = NULL;
    const char *bad[] = { "NOPE", NULL };
    khm_scan_opts o = { bad, 0 };
    assert_int_equal(khm_scanner_new(&sc, &o), KHM_EINVALID);
    assert_null(sc);
    const char *only[] = { "EMAIL_ADDRESS", NULL };
    o.types = only;
    assert_int_equal(khm_scanner_new(&sc, &o), 0);
    khm_scan_state *st = khm_scan_state_new(sc);
    hits hs = { 0 };
    const char *s = "a@b.co 0812345678";
    assert_int_equal(khm_scan_buf(sc, st, s, strlen(s), hits_collect, &hs), 1);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    /* a higher threshold drops weaker findings */
    o.types = NULL;
    o.min_score = 0.95;
    assert_int_equal(khm_scanner_new(&sc, &o), 0);
    st = khm_scan_state_new(sc);
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(khm_scan_buf(sc, st, s, strlen(s), hits_collect, &hs), 0);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

static void test_scan_scanner__mixed_text(void **state)
{
    (void)state;
    hits hs;
    const char *s = "นายสมชาย ใจดี เลขประจำตัวประชาชน 1-2345-67890-12-1\n"
                    "โทร 081-234-5678 อีเมล somchai@example.com\n"
                    "\n"
                    "card 4111 1111 1111 1111 from 192.168.1.20, IBAN GB82WEST12345698765432\n";
    assert_int_equal(scan_text(NULL, s, &hs), 7);
    const char *types[] = { "PERSON",      "TH_TNIN",    "PHONE_NUMBER", "EMAIL_ADDRESS",
                            "CREDIT_CARD", "IP_ADDRESS", "IBAN_CODE" };
    const uint64_t lines[] = { 1, 1, 2, 2, 4, 4, 4 };
    for (size_t k = 0; k < 7; k++) {
        assert_string_equal(hs.h[k].type, types[k]);
        assert_int_equal(hs.h[k].line, lines[k]);
        assert_int_equal(hs.h[k].row, -1);
        assert_memory_equal(s + hs.h[k].start, hs.h[k].value, hs.h[k].end - hs.h[k].start);
    }
}

static void test_scan_scanner__ties_and_overlaps(void **state)
{
    (void)state;
    hits hs;
    /* 13 digits valid as both a Thai ID and a Visa number: the ID wins (higher score) */
    assert_int_equal(scan_text(NULL, "4111111111119", &hs), 1);
    assert_true(khm_th_tnin_check("4111111111119") == 0 || strcmp(hs.h[0].type, "TH_TNIN") == 0);
    /* a number inside a word is nothing */
    assert_int_equal(scan_text(NULL, "ABC0812345678DEF x1234567890121", &hs), 0);
    /* nothing in Thai prose or empty input */
    assert_int_equal(scan_text(NULL, "ข้อมูลสาธารณะ ไม่มีข้อมูลส่วนบุคคล", &hs), 0);
    assert_int_equal(scan_text(NULL, "", &hs), 0);
}

static int stop_at_first(const khm_finding *f, void *payload)
{
    (void)f;
    (*(int *)payload)++;
    return 1;
}

static void test_scan_scanner__stop(void **state)
{
    (void)state;
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    int calls = 0;
    const char *s = "a@b.co c@d.co";
    assert_true(khm_scan_buf(sc, st, s, strlen(s), stop_at_first, &calls) < 0);
    assert_int_equal(calls, 1);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

static void test_scan_scanner__csv(void **state)
{
    (void)state;
    const char *s = "ชื่อ,เลขประจำตัวประชาชน,โทรศัพท์\n"
                    "\"นาย ก\",1-2345-67890-12-1,021234567\n"
                    "\"นาง\nข\",3100600445635,\"08 1234 5678\"\n"
                    "ค,1234567890122\n";
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    hits hs = { 0 };
    khm_profile prof;
    assert_int_equal(khm_scan_csv(sc, st, s, strlen(s), 0, &prof, hits_collect, &hs), 5);
    /* the name column: "นาย ก" is a name; "นาง\nข" (two lines) and "ค" (one letter) are not */
    assert_string_equal(hs.h[0].type, "PERSON");
    assert_string_equal(hs.h[0].value, "นาย ก");
    memmove(&hs.h[0], &hs.h[1], (hs.n - 1) * sizeof(hs.h[0]));
    hs.n--;
    assert_string_equal(hs.h[0].type, "TH_TNIN");
    assert_int_equal(hs.h[0].row, 0);
    assert_int_equal(hs.h[0].col, 1);
    assert_string_equal(hs.h[0].field, "เลขประจำตัวประชาชน");
    assert_int_equal(hs.h[0].line, 2);
    /* a bare 9-digit landline is reported because the header says phone */
    assert_string_equal(hs.h[1].type, "PHONE_NUMBER");
    assert_string_equal(hs.h[1].value, "021234567");
    assert_int_equal(hs.h[2].row, 1);
    assert_int_equal(hs.h[2].line, 4); /* after the embedded newline */
    assert_string_equal(hs.h[3].value, "08 1234 5678");
    for (size_t k = 0; k < hs.n; k++)
        assert_memory_equal(s + hs.h[k].start, hs.h[k].value, hs.h[k].end - hs.h[k].start);
    assert_int_equal(prof.rows, 3);
    assert_int_equal(prof.ncols, 3);
    assert_string_equal(prof.cols[1].field, "เลขประจำตัวประชาชน");
    assert_int_equal(prof.cols[1].rows, 3);
    assert_int_equal(prof.cols[1].matched[khm_scan_detector_find("TH_TNIN")], 2);
    assert_int_equal(khm_profile_dominant(&prof, 1), khm_scan_detector_find("TH_TNIN"));
    assert_int_equal(khm_profile_dominant(&prof, 0), khm_scan_detector_find("PERSON"));
    khm_profile_dispose(&prof);
    /* no header: fields are NULL, columns are named by number */
    memset(&hs, 0, sizeof(hs));
    const char *n = "x,0812345678\ny,0898765432\n";
    assert_int_equal(khm_scan_csv(sc, st, n, strlen(n), ',', &prof, hits_collect, &hs), 2);
    assert_int_equal(hs.h[0].row, 0);
    assert_int_equal(hs.h[1].row, 1);
    assert_string_equal(hs.h[0].field, "");
    khm_profile_dispose(&prof);
    memset(&hs, 0, sizeof(hs));
    const char *n2 = "1,0812345678\n2,0898765432\n";
    assert_int_equal(khm_scan_csv(sc, st, n2, strlen(n2), ',', &prof, hits_collect, &hs), 2);
    assert_string_equal(prof.cols[1].field, "column 2");
    khm_profile_dispose(&prof);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_scanner__options),
              cmocka_unit_test(test_scan_scanner__mixed_text),
              cmocka_unit_test(test_scan_scanner__ties_and_overlaps),
              cmocka_unit_test(test_scan_scanner__stop), cmocka_unit_test(test_scan_scanner__csv))
