/* Tests for src/lib/scan/det_iban.c: ISO 13616 mod-97. */
#include "helpers.h"

static void test_scan_det_iban__check(void **state)
{
    (void)state;
    assert_true(khm_iban_check("GB82WEST12345698765432", 22));
    assert_true(khm_iban_check("DE89370400440532013000", 22));
    assert_false(khm_iban_check("GB83WEST12345698765432", 22));
    assert_false(khm_iban_check("GB82", 4));
    assert_false(khm_iban_check("gb82WEST12345698765432", 22));
}

static void test_scan_det_iban__finds(void **state)
{
    (void)state;
    assert_true(finds_one("IBAN_CODE", "GB82WEST12345698765432", "GB82WEST12345698765432"));
    assert_true(finds_one("IBAN_CODE", "IBAN: GB82 WEST 1234 5698 7654 32.",
                          "GB82 WEST 1234 5698 7654 32"));
    assert_true(
        finds_one("IBAN_CODE", "FR1420041010050500013M02606", "FR1420041010050500013M02606"));
    assert_true(
        finds_one("IBAN_CODE", "บัญชี DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"));
}

static void test_scan_det_iban__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("IBAN_CODE", "GB83WEST12345698765432"));
    assert_true(finds_none("IBAN_CODE", "xGB82WEST12345698765432"));
    assert_true(finds_none("IBAN_CODE", "GB82WEST12345698765432x"));
    assert_true(finds_none("IBAN_CODE", "GB82 WEST"));
    assert_true(finds_none("IBAN_CODE", "ABCD"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_iban__check),
              cmocka_unit_test(test_scan_det_iban__finds),
              cmocka_unit_test(test_scan_det_iban__rejects))
