/* Tests for src/lib/scan/det_disability.c: DISABILITY, disability and its kind — PDPA s.26
 * sensitive data (thai-rules.md §1.4). Columns: a header naming the category and a value of it;
 * prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_disability__column(void **state)
{
    (void)state;
    assert_true(cell_finds("DISABILITY", "ความพิการ", "ทางการเห็น", 1, "ทางการเห็น"));
    assert_true(cell_finds("DISABILITY", "ประเภทความพิการ", "ทางการเคลื่อนไหวหรือทางร่างกาย", 1,
                           "ทางการเคลื่อนไหวหรือทางร่างกาย"));
    assert_true(
        cell_finds("DISABILITY", "disability", "hearing impairment", 1, "hearing impairment"));
    assert_true(cell_finds("DISABILITY", "disabled", "yes", 1, "yes"));
    assert_true(cell_finds("DISABILITY", "ความพิการ", "ไม่มี", 0, NULL));
    assert_true(cell_finds("DISABILITY", "ความพิการ", "-", 0, NULL));
    assert_true(cell_finds("DISABILITY", "disability", "no", 0, NULL));
}

static void test_scan_det_disability__prose(void **state)
{
    (void)state;
    assert_true(finds_one("DISABILITY", "นายแดง มีสุข ผู้พิการทางการเห็น", "ผู้พิการทางการเห็น"));
    assert_true(finds_one("DISABILITY", "ลูกจ้างรายนี้เป็นผู้พิการทางการได้ยิน", "เป็นผู้พิการทางการได้ยิน"));
}

static void test_scan_det_disability__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("DISABILITY", "อาคารมีทางลาดสำหรับผู้พิการทางการเคลื่อนไหว"));
    assert_true(finds_none("DISABILITY", "สิทธิของคนพิการ"));
    assert_true(finds_none("DISABILITY", "ผู้พิการทางการเห็นทุกคนได้รับเบี้ยยังชีพ"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_disability__column),
              cmocka_unit_test(test_scan_det_disability__prose),
              cmocka_unit_test(test_scan_det_disability__not_the_word_alone))
