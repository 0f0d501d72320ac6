/* Tests for src/lib/scan/det_th_license_plate.c: Thai vehicle plates, found by looking back from
 * the number over the letters; address parts and prose are not plates. */
#include "helpers.h"

static void test_scan_det_th_license_plate__forms(void **state)
{
    (void)state;
    assert_true(finds_one("TH_LICENSE_PLATE", "รถเก๋ง 1กข 1234 สีขาว", "1กข 1234"));
    assert_true(finds_one("TH_LICENSE_PLATE", "1กข-1234", "1กข-1234"));
    assert_true(finds_one("TH_LICENSE_PLATE", "กข 1234", "กข 1234"));
    assert_true(finds_one("TH_LICENSE_PLATE", "(1กข1234)", "1กข1234"));
    assert_true(finds_one("TH_LICENSE_PLATE", "ทะเบียนรถ ฒก 56", "ฒก 56"));
    assert_true(finds_one("TH_LICENSE_PLATE", "ป้ายทะเบียน ก 1234", "ก 1234"));
    assert_true(finds_one("TH_LICENSE_PLATE", "ทะเบียน1กข 1234", "1กข 1234"));
    assert_true(finds_one("TH_LICENSE_PLATE", "license plate: กข 12", "กข 12"));
}

static void test_scan_det_th_license_plate__province(void **state)
{
    (void)state;
    assert_true(finds_one("TH_LICENSE_PLATE", "1กข 1234 กรุงเทพมหานคร", "1กข 1234 กรุงเทพมหานคร"));
    assert_true(finds_one("TH_LICENSE_PLATE", "กข 1234 เชียงใหม่ ครับ", "กข 1234 เชียงใหม่"));
    assert_true(finds_one("TH_LICENSE_PLATE", "ฒก 56 กรุงเทพฯ", "ฒก 56 กรุงเทพฯ"));
    assert_true(finds_one("TH_LICENSE_PLATE", "บข 987 นครศรีธรรมราช.", "บข 987 นครศรีธรรมราช"));
    /* a province name that runs on into a longer word is not one */
    assert_true(finds_one("TH_LICENSE_PLATE", "1กข 1234 ตากแดด", "1กข 1234"));
}

static void test_scan_det_th_license_plate__context_needed(void **state)
{
    (void)state;
    /* short numbers after two letters occur in prose: reported only with context */
    assert_true(finds_none("TH_LICENSE_PLATE", "ฒก 56"));
    assert_true(finds_none("TH_LICENSE_PLATE", "ก 1234"));
    assert_true(finds_none("TH_LICENSE_PLATE", "คน 1234 คน"));
}

static void test_scan_det_th_license_plate__rejects(void **state)
{
    (void)state;
    static const char *const none[] = {
        "ข้อ 12",     "ม. 5",          "หมู่ 4",          "ซอย 7",        "ครั้งที่ 3",
        "บาท 500",   "คน 12",         "มีคน 12 คน",     "รวม 3 รายการ", "ปี 2567",
        "กข 12345",  "กข 0812345678", "กข 0123",       "กข 12.50",     "กข 12:30",
        "กขค 1234",  "xกข 1234",      "ก.ค. 67",       "15 มี.ค. 2567", "เลขที่ 9123456789012",
        "12กข 1234", "ถนนกข 1234",    "ทะเบียนเลขที่ 99",
    };
    for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++)
        if (!finds_none("TH_LICENSE_PLATE", none[k]))
            fail_msg("'%s' is not a plate", none[k]);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_th_license_plate__forms),
              cmocka_unit_test(test_scan_det_th_license_plate__province),
              cmocka_unit_test(test_scan_det_th_license_plate__context_needed),
              cmocka_unit_test(test_scan_det_th_license_plate__rejects))
