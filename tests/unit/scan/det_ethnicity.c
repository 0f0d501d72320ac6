/* Tests for src/lib/scan/det_ethnicity.c: ETHNICITY, race and ethnic origin; nationality (สัญชาติ) is
 * not s.26 — PDPA s.26 sensitive data (thai-rules.md §1.4). Columns: a header naming the category
 * and a value of it; prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_ethnicity__column(void **state)
{
    (void)state;
    assert_true(cell_finds("ETHNICITY", "เชื้อชาติ", "กะเหรี่ยง", 1, "กะเหรี่ยง"));
    assert_true(cell_finds("ETHNICITY", "ethnicity", "Hmong", 1, "Hmong"));
    assert_true(cell_finds("ETHNICITY", "Race", "White", 1, "White"));
    assert_true(cell_finds("ETHNICITY", "ชาติพันธุ์", "ชาวมอแกน", 1, "ชาวมอแกน"));
    assert_true(cell_finds("ETHNICITY", "สัญชาติ", "ไทย", 0, NULL));
    assert_true(cell_finds("ETHNICITY", "nationality", "Thai", 0, NULL));
    assert_true(cell_finds("ETHNICITY", "เชื้อชาติ", "-", 0, NULL));
    assert_true(cell_finds("ETHNICITY", "เชื้อชาติ", "ไม่ระบุ", 0, NULL));
}

static void test_scan_det_ethnicity__prose(void **state)
{
    (void)state;
    assert_true(finds_one("ETHNICITY", "นายจ่อ หม่อง ชาติพันธุ์กะเหรี่ยง สัญชาติเมียนมา", "ชาติพันธุ์กะเหรี่ยง"));
    assert_true(finds_one("ETHNICITY", "นายวิชัย มีเชื้อสายจีน", "มีเชื้อสายจีน"));
    assert_true(finds_one("ETHNICITY", "เชื้อชาติ ไทย สัญชาติ ไทย", "เชื้อชาติ ไทย"));
    assert_true(finds_one("ETHNICITY", "Somchai is an ethnic Karen.", "is an ethnic Karen"));
}

static void test_scan_det_ethnicity__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("ETHNICITY", "สัญชาติไทย"));
    assert_true(finds_none("ETHNICITY", "กลุ่มชาติพันธุ์ในภาคเหนือมีความหลากหลาย"));
    assert_true(finds_none("ETHNICITY", "ไม่แบ่งแยกเชื้อชาติ ศาสนา"));
    assert_true(finds_none("ETHNICITY", "ประชากรส่วนใหญ่มีเชื้อสายจีน"));
    assert_true(finds_none("ETHNICITY", "Chinese food is popular."));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_ethnicity__column),
              cmocka_unit_test(test_scan_det_ethnicity__prose),
              cmocka_unit_test(test_scan_det_ethnicity__not_the_word_alone))
