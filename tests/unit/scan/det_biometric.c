/* Tests for src/lib/scan/det_biometric.c: BIOMETRIC, fingerprint, iris and face templates (column
 * only) — PDPA s.26 sensitive data (thai-rules.md §1.4). Columns: a header naming the category and
 * a value of it; prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_biometric__column(void **state)
{
    (void)state;
    assert_true(cell_finds("BIOMETRIC", "fingerprint_template",
                           "pU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x", 1,
                           "pU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x"));
    assert_true(cell_finds("BIOMETRIC", "ลายนิ้วมือ", "fp/000123.wsq", 1, "fp/000123.wsq"));
    assert_true(cell_finds("BIOMETRIC", "face_embedding",
                           "\"[0.12, -0.03, 0.5, 0.7, -0.1, 0.2, 0.33, 0.9, 0.01]\"", 1,
                           "[0.12, -0.03, 0.5, 0.7, -0.1, 0.2, 0.33, 0.9, 0.01]"));
    assert_true(cell_finds("BIOMETRIC", "ลายนิ้วมือ", "-", 0, NULL));
    assert_true(cell_finds("BIOMETRIC", "ใบหน้า", "สวย", 0, NULL));
    assert_true(cell_finds("BIOMETRIC", "checksum",
                           "pU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x", 0, NULL));
}

static void test_scan_det_biometric__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("BIOMETRIC", "เก็บลายนิ้วมือของพนักงานทุกคน"));
    assert_true(finds_none("BIOMETRIC", "fingerprint scanners are cheap"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_biometric__column),
              cmocka_unit_test(test_scan_det_biometric__not_the_word_alone))
