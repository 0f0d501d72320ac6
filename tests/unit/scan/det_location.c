/* Tests for src/lib/scan/det_location.c: Thai postal addresses, checked against the gazetteer
 * (data/gazetteer/SOURCE.md). */
#include "helpers.h"

static size_t scan_cell(const char *header, const char *cell, hits *hs)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s\n\"%s\"\n", header, cell);
    khm_scanner *sc = scanner_for("LOCATION");
    khm_scan_state *st = khm_scan_state_new(sc);
    memset(hs, 0, sizeof(*hs));
    assert_true(khm_scan_csv(sc, st, buf, strlen(buf), ',', NULL, hits_collect, hs) >= 0);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return hs->n;
}

static void test_scan_det_location__addresses(void **state)
{
    (void)state;
    /* house number to postcode */
    assert_true(finds_one("LOCATION", "บ้านเลขที่ 99/1 หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 11120 ครับ",
                          "99/1 หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 11120"));
    assert_true(finds_one("LOCATION", "123 ถนนพหลโยธิน แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400",
                          "123 ถนนพหลโยธิน แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400"));
    /* full words, soi with a number, a village, Bangkok abbreviated */
    assert_true(finds_one("LOCATION", "ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200",
                          "ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200"));
    assert_true(finds_one("LOCATION", "45 หมู่ที่ 2 ต.สุเทพ อ.เมืองเชียงใหม่ 50200",
                          "45 หมู่ที่ 2 ต.สุเทพ อ.เมืองเชียงใหม่ 50200"));
    assert_true(finds_one("LOCATION", "88/8 ซอยสุขุมวิท 21 แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110",
                          "88/8 ซอยสุขุมวิท 21 แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110"));
    assert_true(finds_one("LOCATION", "7 หมู่บ้านสุขใจ ต.บางพูด อ.ปากเกร็ด นนทบุรี 11120",
                          "7 หมู่บ้านสุขใจ ต.บางพูด อ.ปากเกร็ด นนทบุรี 11120"));
    /* อ.เมือง: the capital district of the province */
    assert_true(finds_one("LOCATION", "12 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200",
                          "12 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200"));
    /* no spaces between the parts */
    assert_true(finds_one("LOCATION", "5/2ม.3ต.บางพูดอ.ปากเกร็ดจ.นนทบุรี11120",
                          "5/2ม.3ต.บางพูดอ.ปากเกร็ดจ.นนทบุรี11120"));
    /* no house number: from the first part; found from the postcode back */
    assert_true(finds_one("LOCATION", "อยู่ หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 11120",
                          "หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 11120"));
    assert_true(finds_one("LOCATION", "แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400",
                          "แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400"));
    /* no postcode: to the province */
    assert_true(
        finds_one("LOCATION", "99 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี โทร", "99 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี"));
}

static void test_scan_det_location__rejects(void **state)
{
    (void)state;
    /* a wrong postcode, a district of another province, an unknown sub-district */
    assert_true(finds_none("LOCATION", "99/1 หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 10400"));
    assert_true(finds_none("LOCATION", "12 ถนนราชดำเนิน อ.ปากเกร็ด จ.เชียงใหม่ 50000"));
    assert_true(finds_none("LOCATION", "99/1 หมู่ 4 ต.ไม่มีจริง อ.ปากเกร็ด จ.นนทบุรี 11120"));
    assert_true(finds_none("LOCATION", "แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 50200"));
    /* not addresses */
    assert_true(finds_none("LOCATION", "ถนนสายนี้ยาวมาก ซอยนี้เปลี่ยว"));
    assert_true(finds_none("LOCATION", "รหัสไปรษณีย์ 10400"));
    assert_true(finds_none("LOCATION", "ปี 2564 จำนวน 12345 บาท ISO 27001"));
    assert_true(finds_none("LOCATION", "99/1 หมู่ 4"));                /* no place */
    assert_true(finds_none("LOCATION", "มี 3 ต.บางพูด"));              /* one place part */
    assert_true(finds_none("LOCATION", "ห้อง 12 ชั้น 9 กรุงเทพมหานคร")); /* no parts */
}

static void test_scan_det_location__context(void **state)
{
    (void)state;
    hits hs;
    /* one place part and a street: reported with context, not without */
    assert_true(finds_one("LOCATION", "ที่อยู่ 5 ถนนพหลโยธิน เขตพญาไท", "5 ถนนพหลโยธิน เขตพญาไท"));
    assert_int_equal(scan_text("LOCATION", "เลข 5 ถนนพหลโยธิน เขตพญาไท", &hs), 0);
    /* a wrong postcode stays under the threshold even with context */
    assert_true(finds_none("LOCATION", "ที่อยู่ 99/1 หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 10400"));
}

static void test_scan_det_location__columns(void **state)
{
    (void)state;
    hits hs;
    assert_int_equal(scan_cell("ที่อยู่", "ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี", &hs), 1);
    assert_string_equal(hs.h[0].value, "ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี");
    assert_int_equal(scan_cell("address", "99/1 หมู่ 4 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี 11120", &hs), 1);
    assert_int_equal(scan_cell("ที่อยู่", "ต.บางพูด อ.เมืองเชียงใหม่ จ.นนทบุรี", &hs), 0);
    assert_int_equal(scan_cell("หมายเหตุ", "ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี", &hs), 0);
    assert_true(khm_location_header("ที่อยู่ปัจจุบัน", strlen("ที่อยู่ปัจจุบัน")));
    assert_true(khm_location_header("home_address", strlen("home_address")));
    assert_false(khm_location_header("email address", strlen("email address")));
    assert_false(khm_location_header("ที่อยู่อีเมล", strlen("ที่อยู่อีเมล")));
    assert_false(khm_location_header("IP address", strlen("IP address")));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_location__addresses),
              cmocka_unit_test(test_scan_det_location__rejects),
              cmocka_unit_test(test_scan_det_location__context),
              cmocka_unit_test(test_scan_det_location__columns))
