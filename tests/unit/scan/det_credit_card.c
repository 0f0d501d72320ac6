/* Tests for src/lib/scan/det_credit_card.c: Luhn and issuer ranges. */
#include "helpers.h"

static void test_scan_det_credit_card__luhn(void **state)
{
    (void)state;
    assert_true(khm_luhn_check("4111111111111111", 16));
    assert_true(khm_luhn_check("79927398713", 11));
    assert_false(khm_luhn_check("4111111111111112", 16));
    assert_false(khm_luhn_check("", 0));
}

static void test_scan_det_credit_card__finds(void **state)
{
    (void)state;
    assert_true(finds_one("CREDIT_CARD", "4111111111111111", "4111111111111111"));
    assert_true(finds_one("CREDIT_CARD", "card 4111 1111 1111 1111.", "4111 1111 1111 1111"));
    assert_true(finds_one("CREDIT_CARD", "5555-5555-5555-4444", "5555-5555-5555-4444"));
    assert_true(finds_one("CREDIT_CARD", "3782 822463 10005", "3782 822463 10005")); /* Amex */
    assert_true(finds_one("CREDIT_CARD", "6011111111111117", "6011111111111117"));   /* Discover */
    assert_true(finds_one("CREDIT_CARD", "3530111333300000", "3530111333300000"));   /* JCB */
    assert_true(finds_one("CREDIT_CARD", "30569309025904", "30569309025904"));       /* Diners */
    assert_true(finds_one("CREDIT_CARD", "6212345678901232", "6212345678901232"));   /* UnionPay */
    assert_true(finds_one("CREDIT_CARD", "2221000000000009", "2221000000000009")); /* MC 2-series */
}

static void test_scan_det_credit_card__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("CREDIT_CARD", "4111111111111112"));     /* Luhn */
    assert_true(finds_none("CREDIT_CARD", "1234567812345670"));     /* Luhn ok, no issuer */
    assert_true(finds_none("CREDIT_CARD", "411111111111111"));      /* Visa with 15 digits */
    assert_true(finds_none("CREDIT_CARD", "4111 1111-1111 1111"));  /* mixed separators */
    assert_true(finds_none("CREDIT_CARD", "x4111111111111111"));    /* glued */
    assert_true(finds_none("CREDIT_CARD", "41111111111111110000")); /* 20 digits */
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_credit_card__luhn),
              cmocka_unit_test(test_scan_det_credit_card__finds),
              cmocka_unit_test(test_scan_det_credit_card__rejects))
