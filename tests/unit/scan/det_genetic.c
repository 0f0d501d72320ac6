/* Tests for src/lib/scan/det_genetic.c: GENETIC, genetic data — PDPA s.26 sensitive data
 * (thai-rules.md §1.4). Columns: a header naming the category and a value of it; prose: cues
 * that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_genetic__column(void **state)
{
    (void)state;
    assert_true(cell_finds("GENETIC", "ผลตรวจพันธุกรรม", "HLA-B*58:01", 1, "HLA-B*58:01"));
    assert_true(cell_finds("GENETIC", "genotype", "rs4149056 TC", 1, "rs4149056 TC"));
    assert_true(cell_finds("GENETIC", "DNA", "AGCTTAGCTA", 1, "AGCTTAGCTA"));
    assert_true(cell_finds("GENETIC", "ยีน", "BRCA1 กลายพันธุ์", 1, "BRCA1 กลายพันธุ์"));
    assert_true(cell_finds("GENETIC", "genotype", "-", 0, NULL));
    assert_true(cell_finds("GENETIC", "ผลตรวจพันธุกรรม", "รอผล", 0, NULL));
}

static void test_scan_det_genetic__prose(void **state)
{
    (void)state;
    assert_true(finds_one("GENETIC", "นายวิชัย ศักดิ์ดี เป็นพาหะธาลัสซีเมีย", "เป็นพาหะธาลัสซีเมีย"));
    assert_true(finds_one("GENETIC", "Ms. Chen carries a BRCA1 variant.", "BRCA1"));
}

static void test_scan_det_genetic__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("GENETIC", "โครงการตรวจคัดกรองพาหะธาลัสซีเมีย"));
    assert_true(finds_none("GENETIC", "BRCA1 is a tumour suppressor gene"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_genetic__column),
              cmocka_unit_test(test_scan_det_genetic__prose),
              cmocka_unit_test(test_scan_det_genetic__not_the_word_alone))
