/* Tests for src/lib/scan/det_health.c: HEALTH, diagnoses, ICD-10, medications, blood groups, test
 * results — PDPA s.26 sensitive data (thai-rules.md §1.4). Columns: a header naming the category
 * and a value of it; prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_health__column(void **state)
{
    (void)state;
    assert_true(cell_finds("HEALTH", "โรคประจำตัว", "เบาหวาน", 1, "เบาหวาน"));
    assert_true(cell_finds("HEALTH", "diagnosis", "Type 2 diabetes", 1, "Type 2 diabetes"));
    assert_true(cell_finds("HEALTH", "รหัส ICD-10", "E11.9", 1, "E11.9"));
    assert_true(cell_finds("HEALTH", "icd10", "I10", 1, "I10"));
    assert_true(cell_finds("HEALTH", "กรุ๊ปเลือด", "AB+", 1, "AB+"));
    assert_true(cell_finds("HEALTH", "blood_type", "O Rh-", 1, "O Rh-"));
    assert_true(cell_finds("HEALTH", "ยาที่ใช้", "Metformin 500 mg", 1, "Metformin 500 mg"));
    assert_true(cell_finds("HEALTH", "medication", "Xyzzy 20 mg", 1, "Xyzzy 20 mg"));
    assert_true(cell_finds("HEALTH", "โรคประจำตัว", "ไม่มี", 0, NULL));
    assert_true(cell_finds("HEALTH", "โรคประจำตัว", "-", 0, NULL));
    assert_true(cell_finds("HEALTH", "โรคประจำตัว", "ไม่มีโรคประจำตัว", 0, NULL));
    assert_true(cell_finds("HEALTH", "กรุ๊ปเลือด", "ABC", 0, NULL));
    assert_true(cell_finds("HEALTH", "health", "OK", 0, NULL));
    assert_true(cell_finds("HEALTH", "โรงพยาบาล", "ศิริราช", 0, NULL));
}

static void test_scan_det_health__prose(void **state)
{
    (void)state;
    assert_true(finds_one("HEALTH", "นายสมชาย ใจดี ป่วยเป็นโรคเบาหวาน มาพบแพทย์", "ป่วยเป็นโรคเบาหวาน"));
    assert_true(finds_one("HEALTH", "นายอนันต์ ได้รับการวินิจฉัยว่าเป็นโรคซึมเศร้า เมื่อต้นปี",
                          "ได้รับการวินิจฉัยว่าเป็นโรคซึมเศร้า"));
    assert_true(finds_one("HEALTH", "นางสาวมาลี กรุ๊ปเลือด O", "กรุ๊ปเลือด O"));
    assert_true(finds_one("HEALTH", "ผลเลือด HIV บวก", "ผลเลือด HIV บวก"));
    assert_true(finds_one("HEALTH", "Mr. Smith, blood type AB+, is here.", "blood type AB+"));
    assert_true(finds_one("HEALTH", "He was diagnosed with diabetes.", "diagnosed with diabetes"));
}

static void test_scan_det_health__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("HEALTH", "กระทรวงสาธารณสุข"));
    assert_true(finds_none("HEALTH", "ไปตรวจที่โรงพยาบาล"));
    assert_true(finds_none("HEALTH", "ผู้ที่เป็นโรคเบาหวานควรออกกำลังกาย"));
    assert_true(finds_none("HEALTH", "การเป็นโรคอ้วนเพิ่มความเสี่ยง"));
    assert_true(finds_none("HEALTH", "run a health check of the server"));
    assert_true(finds_none("HEALTH", "Blood type O is the most common"));
    assert_true(finds_none("HEALTH", "ผู้ที่มีกรุ๊ปเลือด O บริจาคได้"));
    assert_true(finds_none("HEALTH", "HIV is a virus"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_health__column),
              cmocka_unit_test(test_scan_det_health__prose),
              cmocka_unit_test(test_scan_det_health__not_the_word_alone))
