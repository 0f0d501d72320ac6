/* Tests for src/lib/scan/det_date_time.c: dates in ISO, day-first, Thai and English month forms,
 * Thai digits; Buddhist-era years and leap years; dates of birth; hard negatives. */
#include "helpers.h"

/* The first DATE_TIME finding of @p s scanned as text, with its subtype and PDPA category. */
typedef struct {
    char value[160];
    const char *subtype;
    khm_pdpa pdpa;
    int n;
} date_hit;

static int on_date(const khm_finding *f, void *payload)
{
    date_hit *h = payload;
    if (h->n++ == 0) {
        snprintf(h->value, sizeof(h->value), "%.*s", (int)f->value_len, f->value);
        h->subtype = f->subtype;
        h->pdpa = f->pdpa;
    }
    return 0;
}

static date_hit scan_date(const char *s)
{
    date_hit h = { { 0 }, NULL, KHM_PDPA_NONE, 0 };
    khm_scanner *sc = scanner_for("DATE_TIME");
    khm_scan_state *st = khm_scan_state_new(sc);
    assert_non_null(st);
    assert_true(khm_scan_buf(sc, st, s, strlen(s), on_date, &h) >= 0);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    return h;
}

static void test_scan_det_date_time__buddhist_era(void **state)
{
    (void)state;
    /* Thai official dates use the Buddhist era, พ.ศ. = ค.ศ. + 543 */
    assert_int_equal(khm_date_ce_year(2567, 4, KHM_ERA_NONE), 2024);
    assert_int_equal(khm_date_ce_year(2543, 4, KHM_ERA_NONE), 2000);
    assert_int_equal(khm_date_ce_year(2400, 4, KHM_ERA_NONE), 1857);
    assert_int_equal(khm_date_ce_year(2700, 4, KHM_ERA_NONE), 2157);
    assert_int_equal(khm_date_ce_year(2024, 4, KHM_ERA_NONE), 2024);
    assert_int_equal(khm_date_ce_year(1990, 4, KHM_ERA_NONE), 1990);
    assert_int_equal(khm_date_ce_year(2567, 4, KHM_ERA_BE), 2024);
    assert_int_equal(khm_date_ce_year(2024, 4, KHM_ERA_BE), -1); /* not a BE year */
    assert_int_equal(khm_date_ce_year(2567, 4, KHM_ERA_CE), -1); /* CE 2567: out of range */
    assert_int_equal(khm_date_ce_year(2300, 4, KHM_ERA_NONE), -1);
    assert_int_equal(khm_date_ce_year(1700, 4, KHM_ERA_NONE), -1);
    /* two digits: BE 25yy in Thai text, CE otherwise */
    assert_int_equal(khm_date_ce_year(67, 2, KHM_ERA_THAI), 2024);
    assert_int_equal(khm_date_ce_year(30, 2, KHM_ERA_THAI), 1987);
    assert_int_equal(khm_date_ce_year(24, 2, KHM_ERA_NONE), 2024);
    assert_int_equal(khm_date_ce_year(90, 2, KHM_ERA_NONE), 1990);
    assert_int_equal(khm_date_ce_year(123, 3, KHM_ERA_NONE), -1);
}

static void test_scan_det_date_time__leap_years(void **state)
{
    (void)state;
    assert_true(khm_date_valid(2024, 2, 29));
    assert_false(khm_date_valid(2023, 2, 29));
    assert_false(khm_date_valid(1900, 2, 29)); /* a century, not divisible by 400 */
    assert_true(khm_date_valid(2000, 2, 29));
    assert_true(khm_date_valid(0, 2, 29)); /* unknown year */
    assert_false(khm_date_valid(2024, 2, 30));
    assert_false(khm_date_valid(2024, 4, 31));
    assert_true(khm_date_valid(2024, 12, 31));
    assert_false(khm_date_valid(2024, 13, 1));
    assert_false(khm_date_valid(2024, 1, 0));
    /* the leap year is that of the CE year: BE 2567 = 2024 is one, BE 2566 = 2023 is not */
    assert_true(finds_one("DATE_TIME", "29/02/2567", "29/02/2567"));
    assert_true(finds_none("DATE_TIME", "29/02/2566"));
    assert_true(finds_one("DATE_TIME", "29 กุมภาพันธ์ 2543", "29 กุมภาพันธ์ 2543")); /* 2000 */
    assert_true(finds_none("DATE_TIME", "29 ก.พ. 2443"));                      /* 1900 */
    /* two-digit years: BE in Thai text (67 = 2567 = 2024), CE otherwise (23 = 2023) */
    assert_true(finds_one("DATE_TIME", "วันที่ 29/02/67", "29/02/67"));
    assert_true(finds_none("DATE_TIME", "วันที่ 29/02/66"));
    assert_true(finds_one("DATE_TIME", "on 29/02/24", "29/02/24"));
    assert_true(finds_none("DATE_TIME", "on 29/02/23"));
    assert_true(finds_one("DATE_TIME", "29 ก.พ. 67", "29 ก.พ. 67"));
    assert_true(finds_none("DATE_TIME", "29 ก.พ. 66"));
}

static void test_scan_det_date_time__iso(void **state)
{
    (void)state;
    assert_true(finds_one("DATE_TIME", "2024-03-15", "2024-03-15"));
    assert_true(
        finds_one("DATE_TIME", "at 2024-03-15T08:30:00+07:00.", "2024-03-15T08:30:00+07:00"));
    assert_true(finds_one("DATE_TIME", "2024-03-15T08:30:00.123Z", "2024-03-15T08:30:00.123Z"));
    assert_true(finds_one("DATE_TIME", "2024-03-15 08:30 น.", "2024-03-15 08:30"));
    assert_true(finds_one("DATE_TIME", "2024-03-15T01:02:03+0700", "2024-03-15T01:02:03+0700"));
    assert_true(finds_one("DATE_TIME", "2567-03-15", "2567-03-15")); /* BE in ISO order */
    assert_true(finds_one("DATE_TIME", "2024/03/15", "2024/03/15"));
    assert_true(finds_one("DATE_TIME", "๒๕๖๗-๐๓-๑๕", "๒๕๖๗-๐๓-๑๕"));
    /* a bad time is left out, the date stays */
    assert_true(finds_one("DATE_TIME", "2024-03-15 25:00", "2024-03-15"));
}

static void test_scan_det_date_time__day_first(void **state)
{
    (void)state;
    assert_true(finds_one("DATE_TIME", "15/03/2024", "15/03/2024"));
    assert_true(finds_one("DATE_TIME", "วันที่ 15/03/2567 เวลา 10.30 น.", "15/03/2567"));
    assert_true(finds_one("DATE_TIME", "15-3-67", "15-3-67"));
    assert_true(finds_one("DATE_TIME", "15.03.2024", "15.03.2024"));
    assert_true(finds_one("DATE_TIME", "1/3/2567", "1/3/2567"));
    assert_true(finds_one("DATE_TIME", "15/03/2567 08:30:15", "15/03/2567 08:30:15"));
    assert_true(finds_one("DATE_TIME", "๑๕/๐๓/๒๕๖๗", "๑๕/๐๓/๒๕๖๗"));
    assert_true(finds_one("DATE_TIME", "15-Mar-2024", "15-Mar-2024"));
    hits hs;
    /* a range of two dates */
    assert_int_equal(scan_text("DATE_TIME", "15/03/2567-20/03/2567", &hs), 2);
    assert_string_equal(hs.h[1].value, "20/03/2567");
}

static void test_scan_det_date_time__thai_months(void **state)
{
    (void)state;
    assert_true(finds_one("DATE_TIME", "15 มีนาคม 2567", "15 มีนาคม 2567"));
    assert_true(finds_one("DATE_TIME", "15 มี.ค. 2567", "15 มี.ค. 2567"));
    assert_true(finds_one("DATE_TIME", "วันที่ 1 ม.ค. 67 ครับ", "1 ม.ค. 67"));
    assert_true(finds_one("DATE_TIME", "๑๕ มีนาคม ๒๕๖๗", "๑๕ มีนาคม ๒๕๖๗"));
    assert_true(finds_one("DATE_TIME", "วันที่ ๕ มิ.ย. ๒๕๓๒", "๕ มิ.ย. ๒๕๓๒")); /* any Thai digit */
    assert_true(finds_one("DATE_TIME", "15 มีนาคม พ.ศ. 2567", "15 มีนาคม พ.ศ. 2567"));
    assert_true(finds_one("DATE_TIME", "15มีนาคม2567", "15มีนาคม2567"));
    assert_true(finds_one("DATE_TIME", "ณ วันที่ 15 มีนาคม", "15 มีนาคม")); /* no year */
    static const char *const months[] = {
        "มกราคม", "กุมภาพันธ์", "มีนาคม",    "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
        "กันยายน", "ตุลาคม",   "พฤศจิกายน", "ธันวาคม", "ม.ค.",    "ก.พ.",   "มี.ค.",    "เม.ย.",
        "พ.ค.",   "มิ.ย.",    "ก.ค.",     "ส.ค.",   "ก.ย.",    "ต.ค.",   "พ.ย.",    "ธ.ค.",
    };
    for (size_t k = 0; k < sizeof(months) / sizeof(months[0]); k++) {
        char s[192], want[128];
        snprintf(want, sizeof(want), "1 %s 2567", months[k]);
        snprintf(s, sizeof(s), "วันที่ %s นะ", want);
        if (!finds_one("DATE_TIME", s, want))
            fail_msg("month %s", months[k]);
    }
}

static void test_scan_det_date_time__english_months(void **state)
{
    (void)state;
    assert_true(finds_one("DATE_TIME", "on 15 March 2024.", "15 March 2024"));
    assert_true(finds_one("DATE_TIME", "on March 15, 2024.", "March 15, 2024"));
    assert_true(finds_one("DATE_TIME", "15 Mar 2024", "15 Mar 2024"));
    assert_true(finds_one("DATE_TIME", "15th March 2024", "15th March 2024"));
    assert_true(finds_one("DATE_TIME", "Sept. 1, 2024", "Sept. 1, 2024"));
    assert_true(finds_one("DATE_TIME", "1 December 2567 B.E.", "1 December 2567")); /* BE */
    assert_true(finds_none("DATE_TIME", "May 5 people come"));
    assert_true(finds_none("DATE_TIME", "15 may apply"));
    assert_true(finds_none("DATE_TIME", "February 30, 2024"));
    assert_true(finds_none("DATE_TIME", "Mario 15, 2024"));
}

static void test_scan_det_date_time__date_of_birth(void **state)
{
    (void)state;
    static const char *const dob[] = {
        "วันเกิด 15 มีนาคม 2530",    "เกิดวันที่ 15/03/2530",       "วัน/เดือน/ปีเกิด: 15-03-2530",
        "วันเดือนปีเกิด 15 มี.ค. 30",  "DOB: 1987-03-15",         "date of birth 15 March 1987",
        "Birth date: 15/03/1987", "birthday March 15, 1987", "เกิด 15 มี.ค. 2530",
    };
    for (size_t k = 0; k < sizeof(dob) / sizeof(dob[0]); k++) {
        date_hit h = scan_date(dob[k]);
        if (h.n != 1 || !h.subtype || strcmp(h.subtype, "date_of_birth") != 0 ||
            h.pdpa != KHM_PDPA_PERSONAL)
            fail_msg("'%s': %d findings, subtype %s", dob[k], h.n, h.subtype ? h.subtype : "-");
    }
    /* not a birth date: a plain date, an incident, or a date after another value */
    static const char *const plain[] = {
        "วันที่ 15 มีนาคม 2567",
        "เกิดเหตุ 15 มี.ค. 2567",
        "วันเกิด 1 ม.ค. 2530 สมัครวันที่ 5 ม.ค. 2567",
    };
    date_hit h = scan_date(plain[0]);
    assert_int_equal(h.n, 1);
    assert_null(h.subtype);
    assert_int_equal(h.pdpa, KHM_PDPA_NONE);
    h = scan_date(plain[1]);
    assert_int_equal(h.n, 1);
    assert_null(h.subtype);
    hits hs;
    assert_int_equal(scan_text("DATE_TIME", plain[2], &hs), 2);
    khm_match m = { 0 };
    const char *s = plain[2];
    size_t at = (size_t)(strstr(s, "5 ม.ค.") - s);
    m.pdpa = -1;
    assert_true(khm_det_date_time((const unsigned char *)s, 0, strlen(s), at, NULL, &m));
    assert_null(m.subtype);
    assert_int_equal(m.pdpa, -1);

    /* in a CSV, the column header says it */
    const char *csv = "ชื่อ,วันเกิด,วันที่สมัคร\nสมชาย,15/03/2530,01/02/2567\n";
    khm_scanner *sc = scanner_for("DATE_TIME");
    khm_scan_state *st = khm_scan_state_new(sc);
    date_hit c = { { 0 }, NULL, KHM_PDPA_NONE, 0 };
    khm_profile prof;
    assert_int_equal(khm_scan_csv(sc, st, csv, strlen(csv), ',', &prof, on_date, &c), 2);
    assert_string_equal(c.value, "15/03/2530");
    assert_non_null(c.subtype);
    assert_string_equal(c.subtype, "date_of_birth");
    assert_int_equal(prof.cols[1].pdpa, KHM_PDPA_PERSONAL);
    assert_int_equal(prof.cols[2].pdpa, KHM_PDPA_NONE);
    khm_profile_dispose(&prof);
    khm_scan_state_free(st);
    khm_scanner_free(sc);
}

static void test_scan_det_date_time__rejects(void **state)
{
    (void)state;
    static const char *const none[] = {
        "version 1.2.3",
        "v2.10.2024",
        "2.10.2024",
        "build 10.0.19045.2965",
        "192.168.1.20",
        "10.10.10.10",
        "0812345678",
        "081-234-5678",
        "02-123-4567",
        "1,234.50",
        "1/2",
        "score 10-15",
        "31/02/2567",
        "32/01/2024",
        "15/13/2024",
        "03/15/2024",
        "2024-02-30",
        "2024-13-01",
        "08:30",
        "เวลา 08.30-16.30 น.",
        "1700000000000",
        "15/03/256",
        "15/03/20245",
        "12.10.2024.1",
        "ก.พ.ร. 5",
        "5 ก.พ.ร.",
        "x15/03/2024",
        "15/03/2024x",
        "1/2/3",
        "3 คน 12 บาท",
        "15 มีนาคม256",
        "๑๒๓๔๕",
        "order 20240315 ok",
        "0.15.03.2024",
    };
    for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++)
        if (!finds_none("DATE_TIME", none[k]))
            fail_msg("'%s' is not a date", none[k]);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_scan_det_date_time__buddhist_era),
              cmocka_unit_test(test_scan_det_date_time__leap_years),
              cmocka_unit_test(test_scan_det_date_time__iso),
              cmocka_unit_test(test_scan_det_date_time__day_first),
              cmocka_unit_test(test_scan_det_date_time__thai_months),
              cmocka_unit_test(test_scan_det_date_time__english_months),
              cmocka_unit_test(test_scan_det_date_time__date_of_birth),
              cmocka_unit_test(test_scan_det_date_time__rejects))
