/* Tests for src/lib/scan/det_th_juristic_id.c: the Thai juristic person (company) number. */
#include "helpers.h"

static void test_scan_det_th_juristic_id__finds(void **state)
{
    (void)state;
    assert_true(finds_one("TH_JURISTIC_ID", "0105550123451", "0105550123451"));
    assert_true(finds_one("TH_JURISTIC_ID", "0-1055-50123-45-1", "0-1055-50123-45-1"));
    assert_true(finds_one("TH_JURISTIC_ID", "บริษัท 0 1055 36012 34 6 จำกัด", "0 1055 36012 34 6"));
    assert_true(finds_one("TH_JURISTIC_ID", "0-10-5-550-12345-1", "0-10-5-550-12345-1"));
    assert_true(finds_one("TH_JURISTIC_ID", "(tax id 0107560001237).", "0107560001237"));
}

static void test_scan_det_th_juristic_id__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("TH_JURISTIC_ID", "0105536000315"));        /* bad check digit */
    assert_true(finds_none("TH_JURISTIC_ID", "0-1055-50123-45-2"));    /* bad check digit */
    assert_true(finds_none("TH_JURISTIC_ID", "1234567890121"));        /* a person's number */
    assert_true(finds_none("TH_JURISTIC_ID", "01055501234510"));       /* 14 digits */
    assert_true(finds_none("TH_JURISTIC_ID", "A0105550123451"));       /* glued to a word */
    assert_true(finds_none("TH_JURISTIC_ID", "0-1055 50123-45-1"));    /* mixed separators */
    assert_true(finds_none("TH_JURISTIC_ID", "3.0105550123451"));      /* a decimal */
    assert_true(finds_none("TH_JURISTIC_ID", "0-105-550-12345-1"));    /* neither grouping */
    assert_true(finds_none("TH_JURISTIC_ID", "0-10-5-550-12345-1-2")); /* longer chain */
}

static void test_scan_det_th_juristic_id__not_a_person(void **state)
{
    (void)state;
    hits hs;
    int d = khm_scan_detector_find("TH_JURISTIC_ID");
    assert_true(d >= 0);
    assert_int_equal(khm_detectors[d].pdpa, KHM_PDPA_NONE);
    assert_int_equal(scan_text(NULL, "0105550123451", &hs), 1);
    assert_string_equal(hs.h[0].type, "TH_JURISTIC_ID");
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_th_juristic_id__finds),
              cmocka_unit_test(test_scan_det_th_juristic_id__rejects),
              cmocka_unit_test(test_scan_det_th_juristic_id__not_a_person))
