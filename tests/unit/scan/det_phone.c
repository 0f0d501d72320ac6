/* Tests for src/lib/scan/det_phone.c: Thai phone numbers in every common format. */
#include "helpers.h"

static void test_scan_det_phone__mobile(void **state)
{
    (void)state;
    assert_true(finds_one("PHONE_NUMBER", "0812345678", "0812345678"));
    assert_true(finds_one("PHONE_NUMBER", "โทร 081-234-5678", "081-234-5678"));
    assert_true(finds_one("PHONE_NUMBER", "081 234 5678.", "081 234 5678"));
    assert_true(finds_one("PHONE_NUMBER", "081.234.5678", "081.234.5678"));
    assert_true(finds_one("PHONE_NUMBER", "มือถือ 06-1234-5678", "06-1234-5678"));
    assert_true(finds_one("PHONE_NUMBER", "095 1234567", "095 1234567"));
    assert_true(finds_one("PHONE_NUMBER", "+66812345678", "+66812345678"));
    assert_true(finds_one("PHONE_NUMBER", "+66 81 234 5678", "+66 81 234 5678"));
    assert_true(finds_one("PHONE_NUMBER", "+66-81-234-5678", "+66-81-234-5678"));
    assert_true(finds_one("PHONE_NUMBER", "+66 (0)81 234 5678", "+66 (0)81 234 5678"));
}

static void test_scan_det_phone__landline(void **state)
{
    (void)state;
    assert_true(finds_one("PHONE_NUMBER", "02-123-4567", "02-123-4567"));
    assert_true(finds_one("PHONE_NUMBER", "02 123 4567", "02 123 4567"));
    assert_true(finds_one("PHONE_NUMBER", "(02) 123 4567", "(02) 123 4567"));
    assert_true(finds_one("PHONE_NUMBER", "(053) 123 456", "(053) 123 456"));
    assert_true(finds_one("PHONE_NUMBER", "053-123-456", "053-123-456"));
    assert_true(finds_one("PHONE_NUMBER", "+66 2 123 4567", "+66 2 123 4567"));
    assert_true(finds_one("PHONE_NUMBER", "โทรศัพท์ 021234567", "021234567")); /* context */
    assert_true(finds_none("PHONE_NUMBER", "021234567"));                    /* bare: too weak */
    /* the trunk 0 set apart, as government letterheads write it */
    assert_true(finds_one("PHONE_NUMBER", "โทร. 0 2141 6747", "0 2141 6747"));
    assert_true(finds_one("PHONE_NUMBER", "0 2590 1000", "0 2590 1000"));
}

static void test_scan_det_phone__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("PHONE_NUMBER", "08123456789"));     /* 11 digits */
    assert_true(finds_none("PHONE_NUMBER", "081234567"));       /* 9 digits, mobile prefix */
    assert_true(finds_none("PHONE_NUMBER", "0112345678"));      /* no such prefix */
    assert_true(finds_none("PHONE_NUMBER", "+1 812 345 6789")); /* not +66 */
    assert_true(finds_none("PHONE_NUMBER", "02-12-2567"));      /* a date */
    assert_true(finds_none("PHONE_NUMBER", "081-234-5678-9"));  /* longer */
    assert_true(finds_none("PHONE_NUMBER", "x0812345678"));     /* glued */
    assert_true(finds_none("PHONE_NUMBER", "1.0812345678"));    /* a decimal */
    assert_true(finds_none("PHONE_NUMBER", "081--234-5678"));   /* double separator */
    assert_true(finds_none("PHONE_NUMBER", "0 2141 674"));      /* a digit short */
    assert_true(finds_none("PHONE_NUMBER", "0 1234 5678"));     /* no such prefix */
}

static void test_scan_det_phone__lists(void **state)
{
    (void)state;
    hits hs;
    assert_int_equal(scan_text("PHONE_NUMBER", "0812345678, 0898765432 หรือ 02-987-6543", &hs), 3);
    assert_string_equal(hs.h[2].value, "02-987-6543");
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_phone__mobile),
              cmocka_unit_test(test_scan_det_phone__landline),
              cmocka_unit_test(test_scan_det_phone__rejects),
              cmocka_unit_test(test_scan_det_phone__lists))
