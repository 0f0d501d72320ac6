/* Tests for src/lib/scan/det_th_passport.c: Thai passport numbers, reported only with context
 * (thai-rules.md §4.3: no published format; 1-2 letters and 7 digits observed). */
#include "helpers.h"

static void test_scan_det_th_passport__with_context(void **state)
{
    (void)state;
    assert_true(finds_one("TH_PASSPORT", "หนังสือเดินทาง AA1234567", "AA1234567"));
    assert_true(finds_one("TH_PASSPORT", "เลขหนังสือเดินทาง: A1234567 ครับ", "A1234567"));
    assert_true(finds_one("TH_PASSPORT", "พาสปอร์ตหมายเลข AB7654321", "AB7654321"));
    assert_true(finds_one("TH_PASSPORT", "Passport No. AA1234567.", "AA1234567"));
    assert_true(finds_one("TH_PASSPORT", "passport_no=P123456", "P123456")); /* older, 6 digits */
    hits hs;
    assert_int_equal(scan_text("TH_PASSPORT", "passport AA1234567", &hs), 1);
    assert_true(hs.h[0].score >= 0.5);
}

static void test_scan_det_th_passport__without_context(void **state)
{
    (void)state;
    /* the same shapes are product codes, tickets, references: under the threshold */
    assert_true(finds_none("TH_PASSPORT", "AA1234567"));
    assert_true(finds_none("TH_PASSPORT", "รหัสสินค้า A1234567"));
    assert_true(finds_none("TH_PASSPORT", "ticket AB7654321 issued"));
    khm_match m = { 0 };
    const char *s = "AA1234567";
    assert_true(khm_det_th_passport((const unsigned char *)s, 0, strlen(s), 0, NULL, &m));
    assert_true(m.score < 0.5);
}

static void test_scan_det_th_passport__rejects(void **state)
{
    (void)state;
    static const char *const none[] = {
        "passport AAA1234567", /* three letters */
        "passport AA12345678", /* eight digits */
        "passport AA123456",   /* two letters, six digits */
        "passport A12345",     /* too short */
        "passport aa1234567",  /* lower case */
        "passport XAA1234567", "passport AA1234567B", "passport AA1234567-2",
        "passport_AA1234567",  "passport A1234567.5",
    };
    for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++)
        if (!finds_none("TH_PASSPORT", none[k]))
            fail_msg("'%s' is not a passport number", none[k]);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_th_passport__with_context),
              cmocka_unit_test(test_scan_det_th_passport__without_context),
              cmocka_unit_test(test_scan_det_th_passport__rejects))
