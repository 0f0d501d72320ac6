/* Tests for src/lib/scan/det_ip_address.c: IPv4 and IPv6 edge cases. */
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

static void test_scan_det_ip_address__v6_finds(void **state)
{
    (void)state;
    assert_true(finds_one("IP_ADDRESS", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                          "2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
    assert_true(finds_one("IP_ADDRESS", "from 2001:db8::1.", "2001:db8::1"));
    assert_true(finds_one("IP_ADDRESS", "fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"));
    assert_true(finds_one("IP_ADDRESS", "FE80::1", "FE80::1"));
    assert_true(finds_one("IP_ADDRESS", "::1", "::1"));
    assert_true(finds_one("IP_ADDRESS", "2001:db8::", "2001:db8::"));
    assert_true(finds_one("IP_ADDRESS", "::ffff:192.0.2.128", "::ffff:192.0.2.128"));
    assert_true(finds_one("IP_ADDRESS", "[2001:db8::7]:443", "2001:db8::7"));
    assert_true(finds_one("IP_ADDRESS", "ไอพี2001:db8:0:0:1:0:0:1ครับ", "2001:db8:0:0:1:0:0:1"));
}

static void test_scan_det_ip_address__v6_rejects(void **state)
{
    (void)state;
    assert_true(finds_none("IP_ADDRESS", "2001:db8::1::2"));         /* two "::" */
    assert_true(finds_none("IP_ADDRESS", "2001:db8a1:0:0:0:0:0:1")); /* 5 hex digits */
    assert_true(finds_none("IP_ADDRESS", "1:2:3:4:5:6:7:8:9"));      /* 9 groups */
    assert_true(finds_none("IP_ADDRESS", "1:2:3:4::5:6:7:8"));       /* :: for no group */
    assert_true(finds_none("IP_ADDRESS", "1:2:3:4:5:6:7"));          /* 7 groups, no :: */
    assert_true(finds_none("IP_ADDRESS", "08:30:15"));               /* a time */
    assert_true(finds_none("IP_ADDRESS", "00:1a:2b:3c:4d:5e"));      /* a MAC address */
    assert_true(finds_none("IP_ADDRESS", "std::vector"));
    assert_true(finds_none("IP_ADDRESS", "Foo::bar"));
    assert_true(finds_none("IP_ADDRESS", "::"));
    assert_true(finds_none("IP_ADDRESS", "::ffff:192.0.2.256"));
    assert_true(finds_none("IP_ADDRESS", "2001:db8::g"));
}

static int keep_category(const khm_finding *f, void *payload)
{
    khm_finding *out = payload;
    *out = *f;
    return 0;
}

/* An IPv6 finding carries IP_ADDRESS's own category (personal) and no subtype: the detector's
 * IPv6 match starts from what the scanner set, not from uninitialised memory. */
static void test_scan_det_ip_address__v6_category(void **state)
{
    (void)state;
    static const char *const texts[] = { "gateway fe80::1ff:fe23:4567:890a here",
                                         "host 2001:db8:85a3::8a2e:370:7334",
                                         "mapped ::ffff:192.0.2.128 ok", "10.0.0.1 and ::1" };
    const char *types[] = { "IP_ADDRESS", NULL };
    khm_scan_opts o = { 0 };
    khm_scanner *sc = NULL;
    o.types = types;
    assert_int_equal(khm_scanner_new(&sc, &o), 0);
    khm_scan_state *st = khm_scan_state_new(sc);
    for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
        khm_finding f;
        memset(&f, 0x5A, sizeof(f)); /* anything but what the scanner reports */
        assert_true(khm_scan_buf(sc, st, texts[k], strlen(texts[k]), keep_category, &f) >= 1);
        assert_int_equal(f.pdpa, KHM_PDPA_PERSONAL);
        assert_null(f.subtype);
        assert_int_equal(f.sens, 0);
    }
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_ip_address__finds),
              cmocka_unit_test(test_scan_det_ip_address__v6_category),
              cmocka_unit_test(test_scan_det_ip_address__rejects),
              cmocka_unit_test(test_scan_det_ip_address__v6_finds),
              cmocka_unit_test(test_scan_det_ip_address__v6_rejects))
