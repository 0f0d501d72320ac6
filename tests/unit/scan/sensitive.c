/* Tests for src/lib/scan/sensitive.c: the machinery of the PDPA s.26 types (thai-rules.md §1.4):
 * sorted lexicons and their prefix search, header matching and its per-thread cache, null cells,
 * prose cues with person checks and vetoes, and the mask of sensitive values. */
#include "helpers.h"

#include <khomun/buf.h>

static void test_scan_sensitive__lexicons_sorted(void **state)
{
    (void)state;
    size_t n = 0;
    for (const khm_sens_cat *const *c = khm_sens_cats; *c; c++, n++) {
        assert_true((*c)->sens > 0 && (*c)->sens < KHM_SENS_COUNT);
        assert_non_null((*c)->headers);
        assert_true((*c)->nvalues > 0);
        for (size_t k = 1; k < (*c)->nvalues; k++)
            if (strcmp((*c)->values[k - 1], (*c)->values[k]) >= 0)
                fail_msg("%s: '%s' before '%s' (sort the lexicon)", khm_sensitive_name((*c)->sens),
                         (*c)->values[k - 1], (*c)->values[k]);
        for (size_t k = 0; k < (*c)->nvalues; k++)
            for (const char *v = (*c)->values[k]; *v; v++)
                assert_false(*v >= 'A' && *v <= 'Z'); /* English in lower case */
        /* each category has its own detector, with its s.26 category and PDPA sensitive */
        int found = 0;
        for (size_t d = 0; d < khm_detector_count; d++)
            if (khm_detectors[d].sens == (*c)->sens) {
                assert_int_equal(khm_detectors[d].pdpa, KHM_PDPA_SENSITIVE);
                found++;
            }
        assert_int_equal(found, 1);
    }
    assert_int_equal(n, KHM_SENS_COUNT - 1);
}

static void test_scan_sensitive__lex_prefix(void **state)
{
    (void)state;
    static const char *const lex[] = { "ab", "abc", "hiv", "thai", "พุทธ", "พุทธศาสนา" };
    const size_t n = sizeof(lex) / sizeof(lex[0]);
#define LP(s) khm_sens_lex_prefix(lex, n, (const unsigned char *)(s), strlen(s))
    assert_int_equal(LP("abc"), 3);
    assert_int_equal(LP("ab d"), 2); /* the longest entry that is a prefix */
    assert_int_equal(LP("abcd"), 0); /* "abc", "ab" glued to a longer word */
    assert_int_equal(LP("ABC+"), 3);
    assert_int_equal(LP("HIV positive"), 3);
    assert_int_equal(LP("thailand"), 0); /* an English entry ends at a word end */
    assert_int_equal(LP("Thai,"), 4);
    assert_int_equal(LP("พุทธศาสนิกชน"), strlen("พุทธ")); /* Thai: no word ends */
    assert_int_equal(LP("พุทธศาสนา"), strlen("พุทธศาสนา"));
    assert_int_equal(LP("a"), 0);
    assert_int_equal(LP(""), 0);
    assert_int_equal(LP("zzz"), 0);
#undef LP
}

static void test_scan_sensitive__headers(void **state)
{
    (void)state;
#define H(c, s) khm_sens_header(&(c), (s), strlen(s))
    assert_true(H(khm_sens_religion, "ศาสนา"));
    assert_true(H(khm_sens_religion, "Religion"));
    assert_false(H(khm_sens_religion, "ศาสนสถาน")); /* a place of worship */
    assert_true(H(khm_sens_health, "blood_group"));
    assert_true(H(khm_sens_health, "bloodType"));
    assert_true(H(khm_sens_health, "รหัส ICD-10"));
    assert_false(H(khm_sens_health, "โรงพยาบาล"));
    assert_true(H(khm_sens_ethnicity, "เชื้อชาติ"));
    assert_false(H(khm_sens_ethnicity, "สัญชาติ")); /* nationality is not s.26 */
    assert_false(H(khm_sens_ethnicity, "nationality"));
    assert_false(H(khm_sens_ethnicity, "trace_id")); /* race as a whole word only */
    assert_true(H(khm_sens_trade_union, "union_membership"));
    /* the cache is keyed by the bytes: the same length with other bytes is asked again */
    char a[] = "ศาสนา", b[] = "อาชีพ";
    assert_int_equal(strlen(a), strlen(b));
    assert_true(H(khm_sens_religion, a));
    assert_false(H(khm_sens_religion, b));
    memcpy(a, b, sizeof(b)); /* same address, new text */
    assert_false(H(khm_sens_religion, a));
    assert_false(khm_sens_header(&khm_sens_religion, NULL, 0));
#undef H
}

static void test_scan_sensitive__null_cells(void **state)
{
    (void)state;
#define V(c, s) khm_sens_value(&(c), (const unsigned char *)(s), strlen(s))
    assert_true(V(khm_sens_religion, "พุทธ"));
    assert_true(V(khm_sens_religion, "  Buddhist "));
    assert_true(V(khm_sens_religion, "ไม่นับถือศาสนา"));
    assert_true(V(khm_sens_religion, "No religion"));
    const char *nulls[] = { "", "-", "ไม่มี", "ไม่ระบุ", "none", "N/A", "NULL", " - " };
    for (size_t k = 0; k < sizeof(nulls) / sizeof(nulls[0]); k++)
        assert_false(V(khm_sens_religion, nulls[k]));
    assert_false(V(khm_sens_health, "ไม่มีโรคประจำตัว")); /* a denial */
    assert_false(V(khm_sens_health, "ปกติ"));
    assert_true(V(khm_sens_trade_union, "yes")); /* membership flag */
    assert_false(V(khm_sens_religion, "yes"));   /* not for a religion */
    assert_false(V(khm_sens_trade_union, "ไม่เป็นสมาชิก"));
#undef V
}

static void test_scan_sensitive__mask(void **state)
{
    (void)state;
    khm_buf b = KHM_BUF_INIT(64);
    assert_int_equal(khm_scan_mask(&b, "HEALTH", "เบาหวาน (E11.9)", strlen("เบาหวาน (E11.9)")), 0);
    assert_string_equal(b.ptr, "[HEALTH]");
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_mask(&b, "RELIGION", "Buddhist", 8), 0);
    assert_string_equal(b.ptr, "[RELIGION]");
    khm_buf_reset(&b);
    assert_int_equal(khm_scan_mask(&b, "PHONE_NUMBER", "0812345678", 10), 0);
    assert_string_equal(b.ptr, "08X-XXX-5678"); /* others unchanged */
    khm_buf_dispose(&b);
}

/* A column of mixed values: findings, the column's type and its sensitive categories. */
static void test_scan_sensitive__profile(void **state)
{
    (void)state;
    const char *csv = "ชื่อ,ศาสนา,กรุ๊ปเลือด,สัญชาติ\n"
                      "นาย ก,พุทธ,O,ไทย\n"
                      "นาง ข,-,AB+,ไทย\n"
                      "นาย ค,อิสลาม,ไม่ทราบ,ลาว\n";
    khm_scanner *sc = scanner_for(NULL);
    khm_scan_state *st = khm_scan_state_new(sc);
    khm_profile p;
    hits hs;
    memset(&hs, 0, sizeof(hs));
    /* 3 PERSON in the name column, 2 RELIGION, 2 HEALTH (blood groups) */
    assert_int_equal(khm_scan_csv(sc, st, csv, strlen(csv), 0, &p, hits_collect, &hs), 7);
    int rel = khm_scan_detector_find("RELIGION"), hea = khm_scan_detector_find("HEALTH");
    assert_int_equal(khm_profile_dominant(&p, 1), rel);
    assert_int_equal(khm_profile_dominant(&p, 2), hea);
    assert_int_equal(khm_profile_dominant(&p, 3), -1); /* nationality */
    assert_int_equal(p.cols[1].pdpa, KHM_PDPA_SENSITIVE);
    assert_int_equal(p.cols[1].sensitive, 1u << KHM_SENS_RELIGION);
    assert_int_equal(p.cols[2].sensitive, 1u << KHM_SENS_HEALTH);
    assert_int_equal(p.cols[3].sensitive, 0);
    khm_profile_dispose(&p);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

/* Only the listed first letters trigger an ASCII-triggered sensitive detector (scanner.c). */
static void test_scan_sensitive__ascii_filter(void **state)
{
    (void)state;
    assert_true(finds_one("HEALTH", "Mr. Lee was diagnosed with asthma.", "diagnosed with asthma"));
    assert_true(finds_one("HEALTH", "Diagnosed with asthma.", "Diagnosed with asthma"));
    assert_true(finds_none("HEALTH", "xdiagnosed with asthma."));
}

/* Prose cue of c anchored at the first occurrence of `at` in s (lo 0): 1 and [start, end). */
static int cue_at(const khm_sens_cat *c, const char *s, const char *at, size_t *start, size_t *end)
{
    const char *a = strstr(s, at);
    assert_non_null(a);
    khm_match m = { 0 };
    int r = khm_sens_match(c, (const unsigned char *)s, 0, strlen(s), (size_t)(a - s), NULL, &m);
    *start = m.start;
    *end = m.end;
    return r;
}

/* The cues are indexed by their anchor's first two characters (sensitive.c): the first cue of
 * the table that matches still wins, English is case-folded, one-character and empty anchors
 * are tried at every trigger, and words near either end of the buffer are compared whole. A
 * category that is not in khm_sens_cats (a copy) is matched cue by cue, alike. */
static void test_scan_sensitive__cue_index(void **state)
{
    (void)state;
    size_t s, e;
    /* two cues with the fwd ภาพแรงงาน: the longer back (listed first) wins */
    const char *tu = "นายเอกเป็นสมาชิกสหภาพแรงงาน";
    assert_true(cue_at(&khm_sens_trade_union, tu, "ภาพ", &s, &e));
    assert_int_equal(s, strstr(tu, "เป็นสมาชิก") - tu);
    assert_int_equal(e, strlen(tu));
    /* an empty anchor (religion: "is a " then a value), case-folded back and value */
    const char *rel = "Ann Is A Buddhist.";
    assert_true(cue_at(&khm_sens_religion, rel, "Buddhist", &s, &e));
    assert_int_equal(s, 4);
    assert_int_equal(e, strlen(rel) - 1);
    assert_false(cue_at(&khm_sens_religion, "This a Buddhist.", "Buddhist", &s, &e));
    /* English anchors case-folded past their eighth byte */
    const char *hiv = "ผลเลือด HIV POSITIVE";
    assert_false(cue_at(&khm_sens_health, hiv, "HIV", &s, &e));
    const char *cr = "He HAS A CRIMINAL RECORD.";
    assert_true(cue_at(&khm_sens_criminal_record, cr, "CRIMINAL", &s, &e));
    assert_int_equal(s, 3);
    assert_int_equal(e, strlen(cr) - 1);
    /* a one-character anchor (ษ) at the very end of the buffer */
    const char *ct = "เคยต้องโทษ";
    assert_true(cue_at(&khm_sens_criminal_record, ct, "ษ", &s, &e));
    assert_int_equal(s, 0);
    assert_int_equal(e, strlen(ct));
    /* fewer than eight bytes before the trigger; the back starts the buffer */
    const char *eth = "เชื้อชาติไทย";
    assert_true(cue_at(&khm_sens_ethnicity, eth, "ชื้อ", &s, &e));
    assert_int_equal(s, 0);
    assert_int_equal(e, strlen(eth));
    assert_false(cue_at(&khm_sens_ethnicity, "ชื้อชาติไทย", "ชื้อ", &s, &e)); /* no เ before */
    /* text shorter than the anchor, or than two characters */
    assert_false(cue_at(&khm_sens_trade_union, "สมาชิกสหภาพแรงงา", "ภาพ", &s, &e));
    assert_false(cue_at(&khm_sens_sexual_behavior, "รสนิยมทางเพศ", "ศ", &s, &e));
    /* a copy of a category, not in khm_sens_cats: the same findings */
    khm_sens_cat copy = khm_sens_trade_union;
    assert_true(cue_at(&copy, tu, "ภาพ", &s, &e));
    assert_int_equal(s, strstr(tu, "เป็นสมาชิก") - tu);
    khm_sens_cat rcopy = khm_sens_religion;
    assert_true(cue_at(&rcopy, rel, "Buddhist", &s, &e));
    assert_int_equal(s, 4);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_sensitive__lexicons_sorted),
              cmocka_unit_test(test_scan_sensitive__lex_prefix),
              cmocka_unit_test(test_scan_sensitive__headers),
              cmocka_unit_test(test_scan_sensitive__null_cells),
              cmocka_unit_test(test_scan_sensitive__mask),
              cmocka_unit_test(test_scan_sensitive__profile),
              cmocka_unit_test(test_scan_sensitive__ascii_filter),
              cmocka_unit_test(test_scan_sensitive__cue_index))
