/* Tests for src/lib/scan/det_th_bank_account.c: Thai bank accounts (thai-rules.md §4.4: no
 * national format; 10 digits common, 12 at GSB and BAAC), only with context, and never a number
 * that the phone, ID or card detectors own. */
#include "helpers.h"

static void test_scan_det_th_bank_account__with_context(void **state)
{
    (void)state;
    assert_true(finds_one("TH_BANK_ACCOUNT", "เลขที่บัญชี 123-4-56789-0", "123-4-56789-0"));
    assert_true(finds_one("TH_BANK_ACCOUNT", "โอนเข้าบัญชี 1234567890 ครับ", "1234567890"));
    assert_true(finds_one("TH_BANK_ACCOUNT", "เลขบัญชี 020123456789", "020123456789"));
    assert_true(finds_one("TH_BANK_ACCOUNT", "บัญชีธนาคาร 0201-2345-6789", "0201-2345-6789"));
    assert_true(finds_one("TH_BANK_ACCOUNT", "บัญชี ธ.ก.ส. 020-1-23456-789", "020-1-23456-789"));
    assert_true(finds_one("TH_BANK_ACCOUNT", "Bank account: 123 4 56789 0.", "123 4 56789 0"));
    assert_true(finds_one("TH_BANK_ACCOUNT", "acct 4021234567", "4021234567"));
    /* a landline has 9 digits: a 10-digit number from 02 is no phone */
    assert_true(finds_one("TH_BANK_ACCOUNT", "account no 0212345678", "0212345678"));
}

static void test_scan_det_th_bank_account__without_context(void **state)
{
    (void)state;
    assert_true(finds_none("TH_BANK_ACCOUNT", "1234567890"));
    assert_true(finds_none("TH_BANK_ACCOUNT", "ref 123-4-56789-0"));
    assert_true(finds_none("TH_BANK_ACCOUNT", "020123456789"));
}

static void test_scan_det_th_bank_account__not_others(void **state)
{
    (void)state;
    hits hs;
    /* a mobile number next to the word บัญชี stays a phone number */
    assert_true(finds_none("TH_BANK_ACCOUNT", "เจ้าของบัญชี 0812345678"));
    assert_int_equal(scan_text(NULL, "เจ้าของบัญชี 0812345678", &hs), 1);
    assert_string_equal(hs.h[0].type, "PHONE_NUMBER");
    assert_int_equal(scan_text(NULL, "บัญชี โทร 081-234-5678", &hs), 1);
    assert_string_equal(hs.h[0].type, "PHONE_NUMBER");
    /* a national ID and a card are longer: no account inside them */
    assert_int_equal(scan_text(NULL, "บัญชี 1-2345-67890-12-1", &hs), 1);
    assert_string_equal(hs.h[0].type, "TH_TNIN");
    assert_int_equal(scan_text(NULL, "บัญชี 1234567890121", &hs), 1);
    assert_string_equal(hs.h[0].type, "TH_TNIN");
    assert_int_equal(scan_text(NULL, "บัญชีบัตร 4111 1111 1111 1111", &hs), 1);
    assert_string_equal(hs.h[0].type, "CREDIT_CARD");
    static const char *const none[] = {
        "บัญชี 4111 1111 1111 1112", /* a card number failing Luhn: not an account either */
        "บัญชี 12345678901",         /* 11 digits */
        "บัญชี 1234567890123",       /* 13 digits, bad check digit */
        "บัญชี 12-34-56789-0",       "บัญชี 123-45-6789-0", "บัญชี 1234567890.50",
        "บัญชี x1234567890",         "บัญชี 1234-5678-90",
    };
    for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++)
        if (!finds_none("TH_BANK_ACCOUNT", none[k]))
            fail_msg("'%s' is not an account number", none[k]);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_th_bank_account__with_context),
              cmocka_unit_test(test_scan_det_th_bank_account__without_context),
              cmocka_unit_test(test_scan_det_th_bank_account__not_others))
