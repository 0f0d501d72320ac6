/* Tests for src/lib/scan/det_sexual_behavior.c: SEXUAL_BEHAVIOR, sexual behaviour and orientation;
 * sex and gender are not — PDPA s.26 sensitive data (thai-rules.md §1.4). Columns: a header naming
 * the category and a value of it; prose: cues that state a person's attribute, never the word
 * alone. */
#include "helpers.h"

static void test_scan_det_sexual_behavior__column(void **state)
{
    (void)state;
    assert_true(cell_finds("SEXUAL_BEHAVIOR", "รสนิยมทางเพศ", "รักร่วมเพศ", 1, "รักร่วมเพศ"));
    assert_true(cell_finds("SEXUAL_BEHAVIOR", "sexual_orientation", "bisexual", 1, "bisexual"));
    assert_true(cell_finds("SEXUAL_BEHAVIOR", "พฤติกรรมทางเพศ", "ชายรักชาย", 1, "ชายรักชาย"));
    assert_true(cell_finds("SEXUAL_BEHAVIOR", "เพศ", "ชาย", 0, NULL));
    assert_true(cell_finds("SEXUAL_BEHAVIOR", "gender", "female", 0, NULL));
    assert_true(cell_finds("SEXUAL_BEHAVIOR", "รสนิยมทางเพศ", "-", 0, NULL));
}

static void test_scan_det_sexual_behavior__prose(void **state)
{
    (void)state;
    assert_true(
        finds_one("SEXUAL_BEHAVIOR", "นายเอกชัย รสนิยมทางเพศ: รักร่วมเพศ", "รสนิยมทางเพศ: รักร่วมเพศ"));
    assert_true(finds_one("SEXUAL_BEHAVIOR", "นายเอ มีเพศสัมพันธ์กับคู่นอนหลายคน", "มีเพศสัมพันธ์"));
    assert_true(finds_one("SEXUAL_BEHAVIOR", "Somchai is gay.", "is gay"));
}

static void test_scan_det_sexual_behavior__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("SEXUAL_BEHAVIOR", "การมีเพศสัมพันธ์ที่ปลอดภัย"));
    assert_true(finds_none("SEXUAL_BEHAVIOR", "แบบฟอร์มมีช่อง เพศ ชาย หญิง"));
    assert_true(finds_none("SEXUAL_BEHAVIOR", "the gay nineties were lively"));
    assert_true(finds_none("SEXUAL_BEHAVIOR", "ความหลากหลายทางเพศ"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_sexual_behavior__column),
              cmocka_unit_test(test_scan_det_sexual_behavior__prose),
              cmocka_unit_test(test_scan_det_sexual_behavior__not_the_word_alone))
