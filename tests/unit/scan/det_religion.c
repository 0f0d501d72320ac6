/* Tests for src/lib/scan/det_religion.c: RELIGION, religious and philosophical beliefs — PDPA s.26
 * sensitive data (thai-rules.md §1.4). Columns: a header naming the category and a value of it;
 * prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_religion__column(void **state)
{
    (void)state;
    assert_true(cell_finds("RELIGION", "ศาสนา", "พุทธ", 1, "พุทธ"));
    assert_true(cell_finds("RELIGION", "religion", "Muslim", 1, "Muslim"));
    assert_true(cell_finds("RELIGION", "ศาสนา", "ไม่นับถือศาสนา", 1, "ไม่นับถือศาสนา"));
    assert_true(cell_finds("RELIGION", "ศาสนา", "คริสต์ (คาทอลิก)", 1, "คริสต์ (คาทอลิก)"));
    assert_true(cell_finds("RELIGION", "ศาสนา", "-", 0, NULL));
    assert_true(cell_finds("RELIGION", "ศาสนา", "ไม่มี", 0, NULL));
    assert_true(cell_finds("RELIGION", "ศาสนสถาน", "วัดพระแก้ว", 0, NULL));
    assert_true(cell_finds("RELIGION", "ศาสนสถาน", "พุทธ", 0, NULL));
}

static void test_scan_det_religion__prose(void **state)
{
    (void)state;
    assert_true(finds_one("RELIGION", "นางสาวมาลี ศรีสุข นับถือศาสนาอิสลาม", "นับถือศาสนาอิสลาม"));
    assert_true(finds_one("RELIGION", "นายสมชาย ใจดี ศาสนาพุทธ", "ศาสนาพุทธ"));
    assert_true(finds_one("RELIGION", "เขาไม่นับถือศาสนาใด", "ไม่นับถือศาสนาใด"));
    assert_true(finds_one("RELIGION", "Aisha is a devout Muslim.", "a devout Muslim"));
    assert_true(finds_one("RELIGION", "Tom is a Buddhist.", "is a Buddhist"));
}

static void test_scan_det_religion__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("RELIGION", "วัดเป็นศาสนสถาน"));
    assert_true(finds_none("RELIGION", "ศาสนาพุทธเป็นศาสนาประจำชาติ"));
    assert_true(finds_none("RELIGION", "ประชากรร้อยละ 94 นับถือศาสนาพุทธ"));
    assert_true(finds_none("RELIGION", "เขาสนใจศึกษาศาสนาพุทธ"));
    assert_true(finds_none("RELIGION", "the religion of the region attracts tourists"));
    assert_true(finds_none("RELIGION", "this is a Catholic school"));
    assert_true(finds_none("RELIGION", "นายก ศาสนาพุทธ"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_religion__column),
              cmocka_unit_test(test_scan_det_religion__prose),
              cmocka_unit_test(test_scan_det_religion__not_the_word_alone))
