/* Tests for src/lib/scan/det_email.c. */
#include "helpers.h"

static void test_scan_det_email__finds(void **state)
{
    (void)state;
    assert_true(finds_one("EMAIL_ADDRESS", "somchai@example.com", "somchai@example.com"));
    assert_true(finds_one("EMAIL_ADDRESS", "อีเมล:sri.s+x@mail.go.th.", "sri.s+x@mail.go.th"));
    assert_true(finds_one("EMAIL_ADDRESS", "<a_b-c@sub.dom-ain.co.th>", "a_b-c@sub.dom-ain.co.th"));
    assert_true(
        finds_one("EMAIL_ADDRESS", "ติดต่อJohn.Smith@Example.ORG ครับ", "John.Smith@Example.ORG"));
    assert_true(
        finds_one("EMAIL_ADDRESS", "0812345678@sms.example.com", "0812345678@sms.example.com"));
}

static void test_scan_det_email__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("EMAIL_ADDRESS", "user@localhost"));
    assert_true(finds_none("EMAIL_ADDRESS", "@example.com"));
    assert_true(finds_none("EMAIL_ADDRESS", "user@.com"));
    assert_true(finds_none("EMAIL_ADDRESS", "user.@example.com"));
    assert_true(finds_none("EMAIL_ADDRESS", "user@example.c"));
    assert_true(finds_none("EMAIL_ADDRESS", "user@example.123"));
    assert_true(finds_none("EMAIL_ADDRESS", "@@"));
    assert_true(finds_none("EMAIL_ADDRESS", "a@-b.com"));
}

static void test_scan_det_email__offsets(void **state)
{
    (void)state;
    hits hs;
    assert_int_equal(scan_text(NULL, "a x@y.io b", &hs), 1);
    assert_int_equal(hs.h[0].start, 2);
    assert_int_equal(hs.h[0].end, 8);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_email__finds),
              cmocka_unit_test(test_scan_det_email__rejects),
              cmocka_unit_test(test_scan_det_email__offsets))
