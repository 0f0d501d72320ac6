/* Tests for src/lib/scan/det_trade_union.c: TRADE_UNION, trade union membership — PDPA s.26
 * sensitive data (thai-rules.md §1.4). Columns: a header naming the category and a value of it;
 * prose: cues that state a person's attribute, never the word alone. */
#include "helpers.h"

static void test_scan_det_trade_union__column(void **state)
{
    (void)state;
    assert_true(cell_finds("TRADE_UNION", "สหภาพแรงงาน", "เป็นสมาชิก", 1, "เป็นสมาชิก"));
    assert_true(cell_finds("TRADE_UNION", "union_membership", "yes", 1, "yes"));
    assert_true(cell_finds("TRADE_UNION", "สหภาพแรงงาน", "สหภาพแรงงานรถไฟแห่งประเทศไทย", 1,
                           "สหภาพแรงงานรถไฟแห่งประเทศไทย"));
    assert_true(cell_finds("TRADE_UNION", "สหภาพแรงงาน", "ไม่เป็นสมาชิก", 0, NULL));
    assert_true(cell_finds("TRADE_UNION", "union_membership", "no", 0, NULL));
    assert_true(cell_finds("TRADE_UNION", "สหภาพแรงงาน", "-", 0, NULL));
}

static void test_scan_det_trade_union__prose(void **state)
{
    (void)state;
    assert_true(finds_one("TRADE_UNION", "นางบุญมี เป็นสมาชิกสหภาพแรงงานรัฐวิสาหกิจการไฟฟ้า ตั้งแต่ปี 2555",
                          "เป็นสมาชิกสหภาพแรงงานรัฐวิสาหกิจการไฟฟ้า"));
    assert_true(finds_one("TRADE_UNION", "Aisha is a member of the State Railway Workers' Union.",
                          "member of the State Railway Workers' Union"));
}

static void test_scan_det_trade_union__not_the_word_alone(void **state)
{
    (void)state;
    assert_true(finds_none("TRADE_UNION", "สหภาพยุโรปออกกฎใหม่"));
    assert_true(finds_none("TRADE_UNION", "Thailand is not a member of the European Union"));
    assert_true(finds_none("TRADE_UNION", "the union of two sets"));
    assert_true(finds_none("TRADE_UNION", "สมาชิกสหภาพแรงงานจำนวนมากประท้วง"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_trade_union__column),
              cmocka_unit_test(test_scan_det_trade_union__prose),
              cmocka_unit_test(test_scan_det_trade_union__not_the_word_alone))
