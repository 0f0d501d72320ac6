/* Time: ms since the Unix epoch, RFC 3339 UTC in and out, and Thai dates in the Buddhist era
 * (พ.ศ. = ค.ศ. + 543). Civil-date arithmetic is Howard Hinnant's days_from_civil, exact over
 * the whole int64 range we accept (years 0000–9999). */
#include <khomun/time.h>

#include <khomun/err.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t fake_offset_ms;
static pthread_once_t fake_once = PTHREAD_ONCE_INIT;

static void read_fake_offset(void)
{
    const char *s = getenv("KHOMUN_FAKE_NOW_OFFSET");
    if (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*end == '\0' && v > -315360000LL && v < 315360000LL)
            fake_offset_ms = (int64_t)v * 1000;
    }
}

int64_t khm_time_now_ms(void)
{
    struct timespec ts;
    pthread_once(&fake_once, read_fake_offset);
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + fake_offset_ms;
}

int64_t khm_time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void khm_time_format(char out[KHM_TIME_RFC3339_LEN], int64_t ms)
{
    int64_t days = floor_div(ms, 86400000);
    int64_t rem = ms - days * 86400000;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, KHM_TIME_RFC3339_LEN, "%s",
                 y < 0 ? "0000-01-01T00:00:00.000Z" : "9999-12-31T23:59:59.999Z");
        return;
    }
    unsigned hh = (unsigned)(rem / 3600000) % 24, mi = (unsigned)(rem / 60000 % 60);
    unsigned ss = (unsigned)(rem / 1000 % 60), mss = (unsigned)(rem % 1000);
    /* OPTIMIZATION: by hand; snprintf was a visible share of a JSON response */
    unsigned v[7] = { (unsigned)y, m % 13, d % 32, hh, mi, ss, mss };
    static const unsigned char width[7] = { 4, 2, 2, 2, 2, 2, 3 };
    static const char sep[7] = { '-', '-', 'T', ':', ':', '.', 'Z' };
    char *o = out;
    for (int i = 0; i < 7; i++) {
        for (int k = width[i] - 1; k >= 0; k--) {
            o[k] = (char)('0' + v[i] % 10);
            v[i] /= 10;
        }
        o += width[i];
        *o++ = sep[i];
    }
    *o = '\0';
}

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
    int v = 0;
    if (at + count > n)
        return -1;
    for (size_t i = 0; i < count; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int khm_time_parse(int64_t *out, const char *s, size_t n)
{
    int y, mo, d, h, mi, se;
    size_t i;
    if (digits(s, n, 0, 4, &y) || n < 19 || s[4] != '-' || digits(s, n, 5, 2, &mo) || s[7] != '-' ||
        digits(s, n, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        digits(s, n, 11, 2, &h) || s[13] != ':' || digits(s, n, 14, 2, &mi) || s[16] != ':' ||
        digits(s, n, 17, 2, &se))
        return khm_err_set(KHM_EINVALID, "not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SSZ)");
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
        return khm_err_set(KHM_EINVALID, "date-time out of range");
    if (se == 60)
        se = 59; /* leap second: clamp, as most systems do */
    int64_t ms = 0;
    i = 19;
    if (i < n && s[i] == '.') {
        size_t start = ++i;
        int scale = 100;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            ms += (s[i] - '0') * scale;
            scale /= 10;
            i++;
        }
        if (i == start)
            return khm_err_set(KHM_EINVALID, "empty fraction of a second");
    }
    int64_t off_min = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int oh, om;
        int sign = s[i] == '-' ? -1 : 1;
        if (digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
            digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59)
            return khm_err_set(KHM_EINVALID, "bad time-zone offset (use Z or ±HH:MM)");
        off_min = sign * (oh * 60 + om);
        i += 6;
    } else {
        return khm_err_set(KHM_EINVALID, "missing time-zone (use Z or ±HH:MM)");
    }
    if (i != n)
        return khm_err_set(KHM_EINVALID, "trailing characters after date-time");
    int64_t days = khm_time_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t t = ((days * 24 + h) * 60 + mi - off_min) * 60000 + (int64_t)se * 1000 + ms;
    /* an offset can move 0000-01-01 or 9999-12-31 out of the years khm_time_format prints
     * (0000-01-01T00:00:00.000Z = -62167219200000, 9999-12-31T23:59:59.999Z) */
    if (t < -62167219200000LL || t > 253402300799999LL)
        return khm_err_set(KHM_EINVALID, "date-time out of range");
    *out = t;
    return 0;
}

int khm_time_be_year(int ce)
{
    return ce + KHM_BE_OFFSET;
}

int khm_time_ce_year(int be)
{
    return be - KHM_BE_OFFSET;
}

static const char *const months_th[12] = {
    "มกราคม",  "กุมภาพันธ์", "มีนาคม",  "เมษายน", "พฤษภาคม",  "มิถุนายน",
    "กรกฎาคม", "สิงหาคม",  "กันยายน", "ตุลาคม",  "พฤศจิกายน", "ธันวาคม",
};
static const char *const months_th_abbr[12] = {
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
};

const char *khm_time_month_th(int m, int abbreviated)
{
    if (m < 1 || m > 12)
        return NULL;
    return abbreviated ? months_th_abbr[m - 1] : months_th[m - 1];
}

int khm_time_format_th(char *out, size_t cap, int64_t ms)
{
    int64_t local = ms + 7 * 3600000LL; /* Asia/Bangkok has no DST */
    int64_t y;
    unsigned m, d;
    civil_from_days(floor_div(local, 86400000), &y, &m, &d);
    int n = snprintf(out, cap, "%u %s %d", d, months_th[m - 1], khm_time_be_year((int)y));
    if (n < 0 || (size_t)n >= cap)
        return khm_err_set(KHM_ELIMIT, "buffer too small for a Thai date");
    return n;
}
