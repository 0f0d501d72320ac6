/* Tests for src/lib/scan/det_political_opinion.c: POLITICAL_OPINION, party membership and political
 * leaning — PDPA s.26 sensitive data (thai-rules.md §1.4). Columns: a header naming the category
 * and a value of it; prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_political_opinion__column(void **state)
{
    (void)state;
    assert_true(cell_finds("POLITICAL_OPINION", "พรรคการเมือง", "พรรคเพื่อไทย", 1, "พรรคเพื่อไทย"));
    assert_true(
        cell_finds("POLITICAL_OPINION", "political_party", "Move Forward", 1, "Move Forward"));
    assert_true(cell_finds("POLITICAL_OPINION", "สังกัดพรรค", "ประชาธิปัตย์", 1, "ประชาธิปัตย์"));
    assert_true(
        cell_finds("POLITICAL_OPINION", "political leaning", "conservative", 1, "conservative"));
    assert_true(cell_finds("POLITICAL_OPINION", "พรรคการเมือง", "ไม่ระบุ", 0, NULL));
    assert_true(cell_finds("POLITICAL_OPINION", "party", "Pheu Thai", 0, NULL));
}

static void test_scan_det_political_opinion__prose(void **state)
{
    (void)state;
    assert_true(
        finds_one("POLITICAL_OPINION", "เขาเป็นสมาชิกพรรคเพื่อไทย มาหลายปี", "เป็นสมาชิกพรรคเพื่อไทย"));
    assert_true(finds_one("POLITICAL_OPINION", "นายเอ สังกัดพรรคภูมิใจไทย", "สังกัดพรรคภูมิใจไทย"));
    assert_true(finds_one("POLITICAL_OPINION", "She is a member of the Pheu Thai Party.",
                          "member of the Pheu Thai Party"));
}

static void test_scan_det_political_opinion__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("POLITICAL_OPINION", "พรรคการเมืองทุกพรรค ประชุมร่วมกัน"));
    assert_true(finds_none("POLITICAL_OPINION", "สมาชิกพรรคการเมืองต้องมีอายุ 18 ปี"));
    assert_true(finds_none("POLITICAL_OPINION", "the party starts at eight"));
    assert_true(finds_none("POLITICAL_OPINION", "a member of the audience"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_political_opinion__column),
              cmocka_unit_test(test_scan_det_political_opinion__prose),
              cmocka_unit_test(test_scan_det_political_opinion__not_the_word_alone))
