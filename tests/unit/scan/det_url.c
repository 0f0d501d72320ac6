/* Tests for src/lib/scan/det_url.c: http and https URLs. */
#include "helpers.h"

static void test_scan_det_url__finds(void **state)
{
    (void)state;
    assert_true(finds_one("URL", "https://example.com", "https://example.com"));
    assert_true(finds_one("URL", "see http://www.example.go.th/a/b?x=1&y=2#top.",
                          "http://www.example.go.th/a/b?x=1&y=2#top"));
    assert_true(finds_one("URL", "HTTPS://Example.COM:8443/p", "HTTPS://Example.COM:8443/p"));
    assert_true(finds_one("URL", "ดูที่https://example.co.th/pageครับ", "https://example.co.th/page"));
    assert_true(
        finds_one("URL", "(http://example.com/wiki/A_(b))", "http://example.com/wiki/A_(b)"));
    assert_true(finds_one("URL", "(see http://example.com/x)", "http://example.com/x"));
    assert_true(finds_one("URL", "http://localhost:8080/api, ok", "http://localhost:8080/api"));
    assert_true(finds_one("URL", "<https://example.org/a>", "https://example.org/a"));
}

static void test_scan_det_url__rejects(void **state)
{
    (void)state;
    assert_true(finds_none("URL", "ftp://example.com/file"));
    assert_true(finds_none("URL", "http://"));
    assert_true(finds_none("URL", "http://example"));
    assert_true(finds_none("URL", "http://192.168.1.20/admin")); /* left to IP_ADDRESS */
    assert_true(finds_none("URL", "http://user@example.com/"));  /* user@host */
    assert_true(finds_none("URL", "xhttp://example.com"));
    assert_true(finds_none("URL", "http:/example.com"));
    assert_true(finds_none("URL", "example.com/page"));
}

static void test_scan_det_url__email_stays_visible(void **state)
{
    (void)state;
    hits hs;
    assert_int_equal(scan_text(NULL, "https://example.com/c?to=somchai@example.co.th", &hs), 2);
    assert_string_equal(hs.h[0].type, "URL");
    assert_string_equal(hs.h[0].value, "https://example.com/c?to=");
    assert_string_equal(hs.h[1].type, "EMAIL_ADDRESS");
    assert_string_equal(hs.h[1].value, "somchai@example.co.th");
    assert_int_equal(scan_text(NULL, "http://203.150.0.7:8080/x", &hs), 1);
    assert_string_equal(hs.h[0].type, "IP_ADDRESS");
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_url__finds),
              cmocka_unit_test(test_scan_det_url__rejects),
              cmocka_unit_test(test_scan_det_url__email_stays_visible))
