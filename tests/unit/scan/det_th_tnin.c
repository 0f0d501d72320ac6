/* Tests for src/lib/scan/det_th_tnin.c: the Thai national ID number. */
#include "helpers.h"

static void test_scan_det_th_tnin__check_digit(void **state)
{
    (void)state;
    /* thai-rules.md §4.1 */
    assert_true(khm_th_tnin_check("3100600445635"));
    assert_true(khm_th_tnin_check("1234545678781"));
    assert_true(khm_th_tnin_check("1234567890121"));
    assert_false(khm_th_tnin_check("7100600445635")); /* expects 8 */
    assert_true(khm_th_tnin_check("7100600445638"));
    assert_false(khm_th_tnin_check("1234567890122"));
    assert_false(khm_th_tnin_check("12345678901a1"));
}

static void test_scan_det_th_tnin__plain_and_grouped(void **state)
{
    (void)state;
    assert_true(finds_one("TH_TNIN", "1234567890121", "1234567890121"));
    assert_true(finds_one("TH_TNIN", "id 3100600445635.", "3100600445635"));
    assert_true(finds_one("TH_TNIN", "1-2345-67890-12-1", "1-2345-67890-12-1"));
    assert_true(finds_one("TH_TNIN", "เลขบัตร 3 1006 00445 63 5 ครับ", "3 1006 00445 63 5"));
    assert_true(finds_one("TH_TNIN", "(3-1006-00445-63-5)", "3-1006-00445-63-5"));
    assert_true(finds_one("TH_TNIN", "เลขประจำตัวประชาชน1101700123456", "1101700123456"));
}

static void test_scan_det_th_tnin__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("TH_TNIN", "1234567890122"));       /* bad check digit */
    assert_true(finds_none("TH_TNIN", "1-2345-67890-12-2"));   /* bad check digit, grouped */
    assert_true(finds_none("TH_TNIN", "0105536000315"));       /* leading 0: a company */
    assert_true(finds_none("TH_TNIN", "9234567890125"));       /* leading 9 */
    assert_true(finds_none("TH_TNIN", "12345678901210"));      /* 14 digits */
    assert_true(finds_none("TH_TNIN", "123456789012"));        /* 12 digits */
    assert_true(finds_none("TH_TNIN", "A1234567890121"));      /* glued to a word */
    assert_true(finds_none("TH_TNIN", "1234567890121B"));      /* glued to a word */
    assert_true(finds_none("TH_TNIN", "1-2345-67890-12-1-5")); /* longer group chain */
    assert_true(finds_none("TH_TNIN", "1-2345 67890-12-1"));   /* mixed separators */
    assert_true(finds_none("TH_TNIN", "12-345-67890-12-1"));   /* wrong grouping */
    assert_true(finds_none("TH_TNIN", "3.1234567890121"));     /* a decimal */
    assert_true(finds_none("TH_TNIN", "ts=1700000000002"));    /* ms timestamp, no context */
}

static void test_scan_det_th_tnin__timestamp_with_context(void **state)
{
    (void)state;
    /* a valid ID in the millisecond-time range is reported when context says it is an ID */
    assert_true(finds_one("TH_TNIN", "เลขประจำตัวประชาชน 1700000000002", "1700000000002"));
    hits hs;
    assert_int_equal(scan_text("TH_TNIN", "1-7000-00000-00-2", &hs), 1); /* grouped: an ID */
}

static void test_scan_det_th_tnin__offsets_and_score(void **state)
{
    (void)state;
    hits hs;
    assert_int_equal(scan_text("TH_TNIN", "เลขบัตรประชาชน 1-2345-67890-12-1\nx 1234567890121", &hs),
                     2);
    assert_int_equal(hs.h[0].start, strlen("เลขบัตรประชาชน "));
    assert_int_equal(hs.h[0].end, hs.h[0].start + 17);
    assert_int_equal(hs.h[0].line, 1);
    assert_true(hs.h[0].score > 0.98);
    assert_int_equal(hs.h[1].line, 2);
    assert_true(hs.h[1].score < hs.h[0].score);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_th_tnin__check_digit),
              cmocka_unit_test(test_scan_det_th_tnin__plain_and_grouped),
              cmocka_unit_test(test_scan_det_th_tnin__rejects),
              cmocka_unit_test(test_scan_det_th_tnin__timestamp_with_context),
              cmocka_unit_test(test_scan_det_th_tnin__offsets_and_score))
