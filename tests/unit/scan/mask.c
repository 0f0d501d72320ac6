/* Tests for src/lib/scan/mask.c: masked forms of every type. */
#include "helpers.h"

static void expect_mask(const char *type, const char *v, const char *want)
{
    khm_buf b = KHM_BUF_INIT(256);
    assert_int_equal(khm_scan_mask(&b, type, v, strlen(v)), 0);
    assert_string_equal(b.ptr, want);
    khm_buf_dispose(&b);
}

static void test_scan_mask__types(void **state)
{
    (void)state;
    expect_mask("TH_TNIN", "1234567890121", "1-2345-XXXXX-XX-1");
    expect_mask("TH_TNIN", "1-2345-67890-12-1", "1-2345-XXXXX-XX-1");
    expect_mask("TH_TNIN", "1 2345 67890 12 1", "1-2345-XXXXX-XX-1");
    expect_mask("TH_TNIN", "12345678901234567", "X-XXXX-XXXXX-XX-X"); /* 17 digits: no ID */
    expect_mask("TH_TNIN", "1-2345-6789-012-1", "1-2345-XXXXX-XX-1"); /* other groups */
    expect_mask("TH_JURISTIC_ID", "0-10-5-550-12345-1", "0-1055-XXXXX-XX-1");
    expect_mask("PHONE_NUMBER", "0812345678", "08X-XXX-5678");
    expect_mask("PHONE_NUMBER", "081-234-5678", "08X-XXX-5678");
    expect_mask("PHONE_NUMBER", "+66 81 234 5678", "08X-XXX-5678");
    expect_mask("PHONE_NUMBER", "+66 (0)81 234 5678", "08X-XXX-5678");
    expect_mask("PHONE_NUMBER", "02-123-4567", "02X-XX-4567");
    expect_mask("EMAIL_ADDRESS", "somchai@example.com", "s****@example.com");
    expect_mask("CREDIT_CARD", "4111 1111 1111 1111", "XXXXXXXXXXXX1111");
    expect_mask("IP_ADDRESS", "192.168.1.20", "192.168.X.X");
    expect_mask("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "GB82XXXXXXXXXXXXXX5432");
    expect_mask("TH_JURISTIC_ID", "0-1055-50123-45-1", "0-1055-XXXXX-XX-1");
    expect_mask("IP_ADDRESS", "2001:db8::1", "2001:db8:XXXX");
    expect_mask("IP_ADDRESS", "::1", "::XXXX");
    expect_mask("URL", "https://example.com/a?b=c", "https://example.com/XXXX");
    expect_mask("URL", "https://example.com", "https://example.com");
    expect_mask("URL", "http://example.com?q=1", "http://example.com/XXXX");
    expect_mask("OTHER", "secret", "XXXXXX");
}

/* dates keep the year as written; passports, accounts and plates their letters */
static void test_scan_mask__dates_and_ids(void **state)
{
    (void)state;
    expect_mask("DATE_TIME", "2024-03-15", "2024-XX-XX");
    expect_mask("DATE_TIME", "2024-03-15T08:30:00+07:00", "2024-XX-XX");
    expect_mask("DATE_TIME", "15/03/2567", "XX/XX/2567");
    expect_mask("DATE_TIME", "15-3-67", "XX/XX/67");
    expect_mask("DATE_TIME", "15/03/67 08:30", "XX/XX/67");
    expect_mask("DATE_TIME", "15 มีนาคม 2567", "XX/XX/2567");
    expect_mask("DATE_TIME", "1 ม.ค. 67", "XX/XX/67");
    expect_mask("DATE_TIME", "March 15, 2024", "XX/XX/2024");
    expect_mask("DATE_TIME", "๑๕ มีนาคม ๒๕๖๗", "XX/XX/๒๕๖๗");
    expect_mask("DATE_TIME", "15 มีนาคม", "XX/XX");
    expect_mask("TH_PASSPORT", "AA1234567", "AAXXXXX67");
    expect_mask("TH_BANK_ACCOUNT", "123-4-56789-0", "XXX-X-XX789-0");
    expect_mask("TH_BANK_ACCOUNT", "020123456789", "XXXXXXXX6789");
    expect_mask("TH_LICENSE_PLATE", "1กข 1234 กรุงเทพมหานคร", "Xกข XXXX กรุงเทพมหานคร");
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_mask__types),
              cmocka_unit_test(test_scan_mask__dates_and_ids))
