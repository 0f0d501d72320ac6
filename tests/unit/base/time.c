/* Tests for src/lib/base/time.c: RFC 3339 out and in (strict), civil-date arithmetic, Buddhist-era
 * years and Thai dates in Bangkok time, and the KHOMUN_FAKE_NOW_OFFSET clock shift. */
#include "unit.h"

#include <time.h>
#include <unistd.h>

/* KHOMUN_FAKE_NOW_OFFSET is read once per process, so it is checked in a fresh copy of this
 * binary: with KHM_UNIT_NOW_PROBE set, this runs before main() and prints the clock skew. */
__attribute__((constructor)) static void now_probe(void)
{
    if (!getenv("KHM_UNIT_NOW_PROBE"))
        return;
    struct timespec ts;
    int64_t fake = khm_time_now_ms();
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t real = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    printf("%lld\n", (long long)(fake - real));
    fflush(stdout);
    _exit(0);
}

static char *fmt(int64_t ms)
{
    static char out[KHM_TIME_RFC3339_LEN];
    memset(out, 'X', sizeof(out));
    khm_time_format(out, ms);
    return out;
}

static void test_base_time__format_known_instants(void **state)
{
    (void)state;
    assert_string_equal(fmt(0), "1970-01-01T00:00:00.000Z");
    assert_string_equal(fmt(1), "1970-01-01T00:00:00.001Z");
    /* 1766832197123 = 20449 days + 38597123 ms = 2025-12-27 10:43:17.123 */
    assert_int_equal(khm_time_days_from_civil(2025, 12, 27), 1766832197123LL / 86400000);
    assert_int_equal(1766832197123LL % 86400000, ((10 * 60 + 43) * 60 + 17) * 1000LL + 123);
    assert_string_equal(fmt(1766832197123LL), "2025-12-27T10:43:17.123Z");
    assert_string_equal(fmt(951782400000LL), "2000-02-29T00:00:00.000Z"); /* leap day */
    assert_string_equal(fmt(1577132400000LL), "2019-12-23T20:20:00.000Z");
    assert_string_equal(fmt(253402300799999LL), "9999-12-31T23:59:59.999Z");
    assert_int_equal(strlen(fmt(1766832197123LL)), KHM_TIME_RFC3339_LEN - 1);
}

static void test_base_time__format_before_1970(void **state)
{
    (void)state;
    assert_string_equal(fmt(-1), "1969-12-31T23:59:59.999Z");
    assert_string_equal(fmt(-1000), "1969-12-31T23:59:59.000Z");
    assert_string_equal(fmt(-86400000), "1969-12-31T00:00:00.000Z");
    assert_string_equal(fmt(-86400001), "1969-12-30T23:59:59.999Z");
    /* 1932-06-24, the Siamese revolution: days_from_civil = -13705 */
    assert_int_equal(khm_time_days_from_civil(1932, 6, 24), -13705);
    assert_string_equal(fmt(-13705LL * 86400000 + 6 * 3600000), "1932-06-24T06:00:00.000Z");
    assert_string_equal(fmt(khm_time_days_from_civil(0, 1, 1) * 86400000),
                        "0000-01-01T00:00:00.000Z");
}

static void test_base_time__format_clamps_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(fmt(253402300800000LL), "9999-12-31T23:59:59.999Z"); /* year 10000 */
    assert_string_equal(fmt(INT64_MAX / 2), "9999-12-31T23:59:59.999Z");
    assert_string_equal(fmt(khm_time_days_from_civil(0, 1, 1) * 86400000 - 1),
                        "0000-01-01T00:00:00.000Z");
    assert_string_equal(fmt(INT64_MIN / 2), "0000-01-01T00:00:00.000Z");
}

static void test_base_time__days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(khm_time_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(khm_time_days_from_civil(1970, 1, 2), 1);
    assert_int_equal(khm_time_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(khm_time_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(khm_time_days_from_civil(2000, 2, 29), 11016);
    assert_int_equal(khm_time_days_from_civil(2024, 3, 1) - khm_time_days_from_civil(2024, 2, 28),
                     2);
    assert_int_equal(khm_time_days_from_civil(2025, 3, 1) - khm_time_days_from_civil(2025, 2, 28),
                     1);
    assert_int_equal(khm_time_days_from_civil(2100, 3, 1) - khm_time_days_from_civil(2100, 2, 28),
                     1);
}

static int64_t parse_ok(const char *s)
{
    int64_t v = 12345;
    khm_err_clear();
    int rc = khm_time_parse(&v, s, strlen(s));
    if (rc != 0)
        fail_msg("'%s' rejected: %s", s, khm_err_last()->message);
    return v;
}

static void parse_bad(const char *s)
{
    int64_t v = 12345;
    khm_err_clear();
    if (khm_time_parse(&v, s, strlen(s)) != KHM_EINVALID)
        fail_msg("'%s' accepted", s);
    assert_int_equal(v, 12345); /* untouched */
    assert_int_equal(khm_err_last()->code, KHM_EINVALID);
    assert_true(khm_err_last()->message[0] != '\0');
}

static void test_base_time__parse_utc_and_fractions(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_ok("2025-12-27T10:43:17.123Z"), 1766832197123LL);
    assert_int_equal(parse_ok("2025-12-27T10:43:17Z"), 1766832197000LL);
    assert_int_equal(parse_ok("2025-12-27T10:43:17.1Z"), 1766832197100LL);
    assert_int_equal(parse_ok("2025-12-27T10:43:17.12Z"), 1766832197120LL);
    assert_int_equal(parse_ok("2025-12-27T10:43:17.1239Z"), 1766832197123LL); /* truncated */
    assert_int_equal(parse_ok("2025-12-27T10:43:17.123456789Z"), 1766832197123LL);
    assert_int_equal(parse_ok("2025-12-27T10:43:17.999999999Z"), 1766832197999LL);
    assert_int_equal(parse_ok("2025-12-27T10:43:17.000000001Z"), 1766832197000LL);
    assert_int_equal(parse_ok("1969-12-31T23:59:59.999Z"), -1);
    assert_int_equal(parse_ok("1932-06-24T06:00:00Z"), -13705LL * 86400000 + 6 * 3600000);
    /* a leap second is clamped to :59 */
    assert_int_equal(parse_ok("2016-12-31T23:59:60Z"), parse_ok("2016-12-31T23:59:59Z"));
}

static void test_base_time__parse_offsets_and_separators(void **state)
{
    (void)state;
    int64_t utc = parse_ok("2019-12-24T03:00:00Z");
    assert_int_equal(parse_ok("2019-12-24T10:00:00+07:00"), utc); /* Bangkok */
    assert_int_equal(parse_ok("2019-12-24T10:00:00+07:00") + 7 * 3600000LL,
                     parse_ok("2019-12-24T10:00:00Z"));
    assert_int_equal(parse_ok("2019-12-23T20:00:00-07:00"), utc);
    assert_int_equal(parse_ok("2019-12-24T08:30:00+05:30"), utc);
    assert_int_equal(parse_ok("2019-12-24T03:00:00+00:00"), utc);
    assert_int_equal(parse_ok("2019-12-24T03:00:00-00:00"), utc);
    assert_int_equal(parse_ok("2019-12-24T10:00:00.5+07:00"), utc + 500);
    /* crossing midnight and the year */
    assert_int_equal(parse_ok("2020-01-01T06:59:59+07:00"), parse_ok("2019-12-31T23:59:59Z"));
    /* lower case t and z, and a space for T (RFC 3339 section 5.6 note) */
    assert_int_equal(parse_ok("2019-12-24t03:00:00z"), utc);
    assert_int_equal(parse_ok("2019-12-24 03:00:00Z"), utc);
    assert_int_equal(parse_ok("2019-12-24 10:00:00+07:00"), utc);
}

static void test_base_time__parse_leap_years(void **state)
{
    (void)state;
    parse_ok("2024-02-29T00:00:00Z");
    parse_ok("2000-02-29T00:00:00Z");
    parse_bad("2025-02-29T00:00:00Z");
    parse_bad("1900-02-29T00:00:00Z");
    parse_bad("2100-02-29T00:00:00Z");
    parse_bad("2024-02-30T00:00:00Z");
    parse_ok("2025-04-30T00:00:00Z");
    parse_bad("2025-04-31T00:00:00Z");
    parse_bad("2025-06-31T00:00:00Z");
    parse_ok("2025-12-31T00:00:00Z");
}

static void test_base_time__parse_rejects(void **state)
{
    (void)state;
    const char *bad[] = {
        "2019-12-24T10:00:00",        /* missing zone */
        "2019-12-24T10:00:00.123",    /* missing zone after a fraction */
        "2019-12-24",                 /* date only */
        "2019-12-24T10:00Z",          /* no seconds */
        "2019-13-01T00:00:00Z",       /* month 13 */
        "2019-00-01T00:00:00Z",       /* month 0 */
        "2019-12-00T00:00:00Z",       /* day 0 */
        "2019-12-32T00:00:00Z",       /* day 32 */
        "2019-12-24T24:00:00Z",       /* 24:00 */
        "2019-12-24T23:60:00Z",       /* minute 60 */
        "2019-12-24T23:59:61Z",       /* second 61 */
        "2019-12-24T10:00:00Zx",      /* trailing */
        "2019-12-24T10:00:00Z ",      /* trailing space */
        "2019-12-24T10:00:00+07:00Z", /* trailing after offset */
        "2019-12-24T10:00:00.Z",      /* empty fraction */
        "2019-12-24T10:00:00,5Z",     /* comma fraction */
        "2019-12-24T10:00:00+07",     /* short offset */
        "2019-12-24T10:00:00+0700",   /* offset without colon */
        "2019-12-24T10:00:00+7:00",   /* one-digit hour */
        "2019-12-24T10:00:00+24:00",  /* offset hour 24 */
        "2019-12-24T10:00:00+07:60",  /* offset minute 60 */
        "2019-12-24T10:00:00 +07:00", /* space before offset */
        "2019-12-24X10:00:00Z",       /* bad separator */
        "2019/12/24T10:00:00Z",       /* bad date separator */
        "2019-12-24T10.00.00Z",       /* bad time separator */
        "2019-1-24T10:00:00Z",        /* one-digit month */
        "19-12-24T10:00:00Z",         /* two-digit year */
        "+2019-12-24T10:00:00Z",      /* sign */
        "2019-12-24T1a:00:00Z",       /* non-digit */
        "๒๕๖๒-๑๒-๒๔T10:00:00Z",       /* Thai digits are not RFC 3339 digits */
        "24 ธันวาคม 2562",
        "garbage",
        "",
        "Z",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        parse_bad(bad[i]);
}

static void test_base_time__parse_reads_only_n_bytes(void **state)
{
    (void)state;
    const char *s = "2019-12-24T03:00:00Zjunk";
    int64_t v = 0;
    assert_int_equal(khm_time_parse(&v, s, 20), 0);
    assert_int_equal(v, parse_ok("2019-12-24T03:00:00Z"));
    /* cut inside the value: refused, and nothing read past n */
    assert_int_equal(khm_time_parse(&v, s, 19), KHM_EINVALID);
    assert_int_equal(khm_time_parse(&v, s, 10), KHM_EINVALID);
    assert_int_equal(khm_time_parse(&v, "2019-12-24T10:00:00+07:00", 24), KHM_EINVALID);
}

static void test_base_time__round_trip(void **state)
{
    (void)state;
    const int64_t lo = khm_time_days_from_civil(0, 1, 1) * 86400000;
    const int64_t hi = khm_time_days_from_civil(10000, 1, 1) * 86400000 - 1;
    int64_t edges[] = {
        0, 1, -1, 999, 1000, 86399999, 86400000, lo, hi, 951782400000LL, 1766832197123LL
    };
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        const char *s = fmt(edges[i]);
        assert_int_equal(parse_ok(s), edges[i]);
    }
    for (int i = 0; i < 20000; i++) {
        uint64_t r;
        khm_rand_bytes(&r, sizeof(r));
        int64_t ms = lo + (int64_t)(r % (uint64_t)(hi - lo + 1));
        char s[KHM_TIME_RFC3339_LEN];
        khm_time_format(s, ms);
        int64_t back = 0;
        if (khm_time_parse(&back, s, strlen(s)) != 0 || back != ms)
            fail_msg("%lld -> %s -> %lld", (long long)ms, s, (long long)back);
    }
}

static void test_base_time__buddhist_era(void **state)
{
    (void)state;
    assert_int_equal(khm_time_be_year(2019), 2562); /* PDPA B.E. 2562 */
    assert_int_equal(khm_time_ce_year(2564), 2021);
    assert_int_equal(khm_time_be_year(2026), 2569);
    assert_int_equal(khm_time_ce_year(2562), 2019);
    assert_int_equal(khm_time_ce_year(khm_time_be_year(1932)), 1932);
    assert_int_equal(KHM_BE_OFFSET, 543);
}

static void check_th(const char *rfc3339, const char *want)
{
    char out[64];
    memset(out, 'X', sizeof(out));
    int n = khm_time_format_th(out, sizeof(out), parse_ok(rfc3339));
    assert_string_equal(out, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_base_time__thai_date_in_bangkok_time(void **state)
{
    (void)state;
    check_th("2019-12-24T10:00:00+07:00", "24 ธันวาคม 2562"); /* the seed document */
    check_th("2019-12-24T16:59:59Z", "24 ธันวาคม 2562");
    check_th("2019-12-24T20:00:00Z", "25 ธันวาคม 2562"); /* already the 25th in Bangkok */
    check_th("2019-12-31T17:00:00Z", "1 มกราคม 2563");  /* new year in Bangkok first */
    check_th("2019-12-31T16:59:59.999Z", "31 ธันวาคม 2562");
    check_th("2026-11-27T10:23:17Z", "27 พฤศจิกายน 2569");
    check_th("2024-02-29T00:00:00+07:00", "29 กุมภาพันธ์ 2567");
    check_th("1970-01-01T00:00:00Z", "1 มกราคม 2513");
    check_th("1969-12-31T17:00:00Z", "1 มกราคม 2513");
    check_th("1969-12-31T16:59:59Z", "31 ธันวาคม 2512");
}

static void test_base_time__thai_date_buffer_too_small(void **state)
{
    (void)state;
    const char *want = "24 ธันวาคม 2562";
    size_t need = strlen(want) + 1;
    int64_t ms = parse_ok("2019-12-24T10:00:00+07:00");
    char out[64];
    assert_int_equal(khm_time_format_th(out, need, ms), (int)need - 1);
    assert_string_equal(out, want);
    khm_err_clear();
    assert_int_equal(khm_time_format_th(out, need - 1, ms), KHM_ELIMIT);
    assert_int_equal(khm_err_last()->code, KHM_ELIMIT);
    assert_int_equal(khm_time_format_th(out, 1, ms), KHM_ELIMIT);
}

static void test_base_time__month_names(void **state)
{
    (void)state;
    static const char *const full[12] = { "มกราคม",  "กุมภาพันธ์", "มีนาคม",    "เมษายน",
                                          "พฤษภาคม", "มิถุนายน",  "กรกฎาคม",  "สิงหาคม",
                                          "กันยายน",  "ตุลาคม",   "พฤศจิกายน", "ธันวาคม" };
    static const char *const abbr[12] = { "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                                          "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",  "พ.ย.", "ธ.ค." };
    for (int m = 1; m <= 12; m++) {
        assert_string_equal(khm_time_month_th(m, 0), full[m - 1]);
        assert_string_equal(khm_time_month_th(m, 1), abbr[m - 1]);
    }
    assert_null(khm_time_month_th(0, 0));
    assert_null(khm_time_month_th(13, 0));
    assert_null(khm_time_month_th(-1, 1));
    assert_null(khm_time_month_th(13, 1));
}

static void test_base_time__now_is_the_wall_clock(void **state)
{
    (void)state;
    /* Read the same clock around the call: time(NULL) is the kernel's coarse clock, which lags
     * CLOCK_REALTIME by up to a tick, so at a second's boundary it could still say the last
     * second after khm_time_now_ms had read the next one (a flaky failure under load). */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t before = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    int64_t now = khm_time_now_ms();
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t after = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (!getenv("KHOMUN_FAKE_NOW_OFFSET")) {
        assert_true(now >= before);
        assert_true(now <= after);
    }
    assert_true(khm_time_now_ms() >= now);
}

/* Run this binary again with KHOMUN_FAKE_NOW_OFFSET=@p value; the skew in ms it reports. */
static long long probe_offset(const char *value)
{
    char self[4096], cmd[4300];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    assert_true(n > 0);
    self[n] = '\0';
    snprintf(cmd, sizeof(cmd), "KHM_UNIT_NOW_PROBE=1 KHOMUN_FAKE_NOW_OFFSET='%s' '%s'", value,
             self);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    long long skew = 0;
    assert_int_equal(fscanf(p, "%lld", &skew), 1);
    assert_int_equal(pclose(p), 0);
    return skew;
}

static void test_base_time__fake_now_offset(void **state)
{
    (void)state;
    long long day = probe_offset("86400");
    assert_true(day >= 86400000 - 50 && day <= 86400000 + 50);
    long long back = probe_offset("-3600");
    assert_true(back >= -3600000 - 50 && back <= -3600000 + 50);
    /* malformed or out-of-range values are ignored */
    long long junk = probe_offset("12x");
    assert_true(junk >= -50 && junk <= 50);
    long long huge = probe_offset("400000000");
    assert_true(huge >= -50 && huge <= 50);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_time__format_known_instants),
              cmocka_unit_test(test_base_time__format_before_1970),
              cmocka_unit_test(test_base_time__format_clamps_out_of_range),
              cmocka_unit_test(test_base_time__days_from_civil),
              cmocka_unit_test(test_base_time__parse_utc_and_fractions),
              cmocka_unit_test(test_base_time__parse_offsets_and_separators),
              cmocka_unit_test(test_base_time__parse_leap_years),
              cmocka_unit_test(test_base_time__parse_rejects),
              cmocka_unit_test(test_base_time__parse_reads_only_n_bytes),
              cmocka_unit_test(test_base_time__round_trip),
              cmocka_unit_test(test_base_time__buddhist_era),
              cmocka_unit_test(test_base_time__thai_date_in_bangkok_time),
              cmocka_unit_test(test_base_time__thai_date_buffer_too_small),
              cmocka_unit_test(test_base_time__month_names),
              cmocka_unit_test(test_base_time__now_is_the_wall_clock),
              cmocka_unit_test(test_base_time__fake_now_offset))
