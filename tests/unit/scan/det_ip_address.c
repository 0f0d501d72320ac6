/* Tests for src/lib/scan/det_ip_address.c: IPv4 edge cases. */
#include "helpers.h"

static void test_scan_det_ip_address__finds(void **state)
{
    (void)state;
    assert_true(finds_one("IP_ADDRESS", "192.168.1.20", "192.168.1.20"));
    assert_true(finds_one("IP_ADDRESS", "from 10.0.0.1.", "10.0.0.1"));
    assert_true(finds_one("IP_ADDRESS", "0.0.0.0", "0.0.0.0"));
    assert_true(finds_one("IP_ADDRESS", "255.255.255.255", "255.255.255.255"));
    assert_true(finds_one("IP_ADDRESS", "ip=203.150.0.7:8080", "203.150.0.7"));
    assert_true(finds_one("IP_ADDRESS", "ไอพี203.150.0.7", "203.150.0.7"));
}

static void test_scan_det_ip_address__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("IP_ADDRESS", "256.1.1.1"));
    assert_true(finds_none("IP_ADDRESS", "1.2.3"));
    assert_true(finds_none("IP_ADDRESS", "1.2.3.4.5")); /* a longer dotted number */
    assert_true(finds_none("IP_ADDRESS", "v1.2.3.4"));  /* a version */
    assert_true(finds_none("IP_ADDRESS", "01.2.3.4"));  /* leading zero */
    assert_true(finds_none("IP_ADDRESS", "1.2.3.1000"));
    assert_true(finds_none("IP_ADDRESS", "1..2.3"));
    assert_true(finds_none("IP_ADDRESS", "192.168.1.20a"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_ip_address__finds),
              cmocka_unit_test(test_scan_det_ip_address__rejects))
