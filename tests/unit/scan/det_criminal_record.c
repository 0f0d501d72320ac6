/* Tests for src/lib/scan/det_criminal_record.c: CRIMINAL_RECORD, criminal records; the law's own
 * words are not one — PDPA s.26 sensitive data (thai-rules.md §1.4). Columns: a header naming the
 * category and a value of it; prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_criminal_record__column(void **state)
{
    (void)state;
    assert_true(cell_finds("CRIMINAL_RECORD", "ประวัติอาชญากรรม", "คดีลักทรัพย์ รอลงอาญา 2 ปี", 1,
                           "คดีลักทรัพย์ รอลงอาญา 2 ปี"));
    assert_true(cell_finds("CRIMINAL_RECORD", "criminal_record", "drunk driving 2019", 1,
                           "drunk driving 2019"));
    assert_true(cell_finds("CRIMINAL_RECORD", "ประวัติอาชญากรรม", "มี", 1, "มี"));
    assert_true(cell_finds("CRIMINAL_RECORD", "ประวัติอาชญากรรม", "ไม่มี", 0, NULL));
    assert_true(cell_finds("CRIMINAL_RECORD", "criminal_record", "none", 0, NULL));
    assert_true(cell_finds("CRIMINAL_RECORD", "ประวัติอาชญากรรม", "ผ่านการตรวจสอบ", 0, NULL));
}

static void test_scan_det_criminal_record__prose(void **state)
{
    (void)state;
    assert_true(
        finds_one("CRIMINAL_RECORD", "นายดำ ขำคม ต้องคำพิพากษาให้จำคุก 2 ปี", "ต้องคำพิพากษาให้จำคุก"));
    assert_true(finds_one("CRIMINAL_RECORD", "นายแดง เคยต้องโทษจำคุกในคดียาเสพติด", "เคยต้องโทษจำคุก"));
    assert_true(finds_one("CRIMINAL_RECORD", "นายเขียว มีประวัติอาชญากรรม", "มีประวัติอาชญากรรม"));
    assert_true(
        finds_one("CRIMINAL_RECORD", "Mr. Baker has a criminal record.", "has a criminal record"));
    assert_true(finds_one("CRIMINAL_RECORD", "Ms. Park was convicted of fraud in 2015.",
                          "convicted of fraud"));
}

static void test_scan_det_criminal_record__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("CRIMINAL_RECORD", "ผู้สมัครต้องไม่เคยต้องคำพิพากษาให้จำคุก"));
    assert_true(finds_none("CRIMINAL_RECORD", "ผู้กระทำความผิดมีโทษจำคุกไม่เกินหนึ่งปี"));
    assert_true(finds_none("CRIMINAL_RECORD", "ต้องผ่านการตรวจสอบประวัติอาชญากรรม"));
    assert_true(finds_none("CRIMINAL_RECORD", "ไม่มีประวัติอาชญากรรม"));
    assert_true(finds_none("CRIMINAL_RECORD", "ขอโทษครับ"));
    assert_true(finds_none("CRIMINAL_RECORD", "applicants with a criminal record may apply"));
    assert_true(finds_none("CRIMINAL_RECORD", "he was never convicted"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_criminal_record__column),
              cmocka_unit_test(test_scan_det_criminal_record__prose),
              cmocka_unit_test(test_scan_det_criminal_record__not_the_word_alone))
