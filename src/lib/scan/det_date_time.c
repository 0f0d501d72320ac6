/* DATE_TIME: calendar dates, with an optional time of day. ISO 8601 (2024-03-15,
 * 2024-03-15T08:30:00+07:00, "2024-03-15 08:30"), day first with / - . (15/03/2567, 15-3-67,
 * 15.03.2024), Thai month names full and abbreviated after the day (15 มีนาคม 2567,
 * 1 ม.ค. 67, 15 มี.ค. พ.ศ. 2567), English month names (15 March 2024, 15-Mar-2024,
 * March 15, 2024), in ASCII or Thai digits (๑๕ มีนาคม ๒๕๖๗).
 *
 * Years from 2400 to 2700 are Buddhist-era (พ.ศ.) years, CE = BE − 543; two-digit years are BE
 * after a Thai month name or in Thai text, CE otherwise. The day must exist in its month, 29
 * February only in a leap year of the CE calendar. A date is not personal data by itself (PDPA
 * none); after a date-of-birth keyword (วันเกิด, DOB …, or in the column header) it is reported
 * with subtype "date_of_birth" and PDPA category personal. */
#include "scan_int.h"

#include <string.h>

/* One digit at p[j]: ASCII 0-9 (1 byte) or Thai ๐-๙ (E0 B9 90..99, 3 bytes); its value, or -1. */
static inline int dig(const unsigned char *p, size_t len, size_t j, size_t *w)
{
    if (j < len && khm_isdigit(p[j])) {
        *w = 1;
        return p[j] - '0';
    }
    if (j + 2 < len && p[j] == 0xE0 && p[j + 1] == 0xB9 && p[j + 2] >= 0x90 && p[j + 2] <= 0x99) {
        *w = 3;
        return p[j + 2] - 0x90;
    }
    return -1;
}

/* 1 when a Thai digit ends just before @p j. */
static inline int thai_digit_before(const unsigned char *p, size_t lo, size_t j)
{
    return j >= lo + 3 && p[j - 3] == 0xE0 && p[j - 2] == 0xB9 && p[j - 1] >= 0x90 &&
           p[j - 1] <= 0x99;
}

/* A digit run at p[j..): its digit count (counting stops at 5), value, end; *thai when a
 * digit was Thai. */
static size_t num(const unsigned char *p, size_t len, size_t j, int *val, size_t *end, int *thai)
{
    size_t n = 0, w = 0;
    int v = 0, d;
    while (n < 5 && (d = dig(p, len, j, &w)) >= 0) {
        v = v * 10 + d;
        n++;
        j += w;
        if (w == 3)
            *thai = 1;
    }
    *val = v;
    *end = j;
    return n;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int khm_date_valid(int y, int mo, int d)
{
    static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (mo < 1 || mo > 12 || d < 1)
        return 0;
    if (mo == 2 && d == 29)
        return y <= 0 || is_leap(y); /* unknown year: 29 February may exist */
    return d <= mdays[mo - 1];
}

int khm_date_ce_year(int y, size_t ndigits, int era)
{
    if (ndigits == 2) {
        if (era == KHM_ERA_CE)
            return y <= 50 ? 2000 + y : 1900 + y;
        if (era == KHM_ERA_BE || era == KHM_ERA_THAI)
            return 2500 + y - 543;
        return y <= 50 ? 2000 + y : 1900 + y;
    }
    if (ndigits != 4)
        return -1;
    if (era == KHM_ERA_BE)
        return y >= 2400 && y <= 2700 ? y - 543 : -1;
    if (y >= 2400 && y <= 2700 && era != KHM_ERA_CE)
        return y - 543;
    return y >= 1800 && y <= 2200 ? y : -1;
}

/* Month names: full, then abbreviations (without the final dot, which is optional). */
static const struct {
    const char *s;
    unsigned char n, mon;
} th_months[] = {
#define M(s, mon)             \
    {                         \
        s, sizeof(s) - 1, mon \
    }
    M("มกราคม", 1),    M("กุมภาพันธ์", 2), M("มีนาคม", 3),  M("เมษายน", 4), M("พฤษภาคม", 5),
    M("มิถุนายน", 6),    M("กรกฎาคม", 7), M("สิงหาคม", 8), M("กันยายน", 9), M("ตุลาคม", 10),
    M("พฤศจิกายน", 11), M("ธันวาคม", 12), M("ม.ค", 1),    M("ก.พ", 2),    M("มี.ค", 3),
    M("เม.ย", 4),      M("พ.ค", 5),     M("มิ.ย", 6),    M("ก.ค", 7),    M("ส.ค", 8),
    M("ก.ย", 9),       M("ต.ค", 10),    M("พ.ย", 11),   M("ธ.ค", 12),
#undef M
};
/* English month names: every full name starts with its three-letter abbreviation. */
static const char en_names[12][10] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

/* A Thai month name at p[j..): its number and end, or 0. */
static int th_month(const unsigned char *p, size_t len, size_t j, size_t *end)
{
    if (j + 6 > len || p[j] != 0xE0)
        return 0;
    for (size_t k = 0; k < sizeof(th_months) / sizeof(th_months[0]); k++) {
        size_t n = th_months[k].n;
        if ((unsigned char)th_months[k].s[2] != p[j + 2] || j + n > len ||
            memcmp(p + j, th_months[k].s, n) != 0)
            continue;
        j += n;
        if (k >= 12 && j < len && p[j] == '.') /* the abbreviation's final dot */
            j++;
        /* an abbreviation glued to a Thai letter is a longer one ("ก.พ.ร." is an agency); a
         * full name may run on ("มีนาคมนี้") */
        if (k >= 12 && j + 2 < len && p[j] == 0xE0 &&
            !(p[j + 1] == 0xB9 && p[j + 2] >= 0x90 && p[j + 2] <= 0x99))
            return 0;
        *end = j;
        return th_months[k].mon;
    }
    return 0;
}

/* An English month name (any case) at p[j..), full or abbreviated ("Sept" too), not followed
 * by a letter; a dot may end an abbreviation. Its number and end, or 0. The first letter
 * rejects most words, three letters name the month. */
static int en_month(const unsigned char *p, size_t len, size_t j, size_t *end)
{
    if (j + 3 > len)
        return 0;
    unsigned a = p[j] | 0x20u, b = p[j + 1] | 0x20u, c = p[j + 2] | 0x20u;
    int mo = 0;
    switch (a) {
    case 'j':
        mo = b == 'a' && c == 'n' ? 1 : b == 'u' && c == 'n' ? 6 : b == 'u' && c == 'l' ? 7 : 0;
        break;
    case 'f':
        mo = b == 'e' && c == 'b' ? 2 : 0;
        break;
    case 'm':
        mo = b == 'a' && c == 'r' ? 3 : b == 'a' && c == 'y' ? 5 : 0;
        break;
    case 'a':
        mo = b == 'p' && c == 'r' ? 4 : b == 'u' && c == 'g' ? 8 : 0;
        break;
    case 's':
        mo = b == 'e' && c == 'p' ? 9 : 0;
        break;
    case 'o':
        mo = b == 'c' && c == 't' ? 10 : 0;
        break;
    case 'n':
        mo = b == 'o' && c == 'v' ? 11 : 0;
        break;
    case 'd':
        mo = b == 'e' && c == 'c' ? 12 : 0;
        break;
    default:
        return 0;
    }
    if (!mo)
        return 0;
    const char *name = en_names[mo - 1];
    size_t k = 3;
    while (name[k] && j + k < len && (p[j + k] | 0x20u) == (unsigned char)name[k])
        k++;
    if (name[k]) { /* not the full name: the abbreviation, or "Sept" */
        k = mo == 9 && j + 3 < len && (p[j + 3] | 0x20u) == 't' ? 4 : 3;
        if (j + k < len && p[j + k] == '.')
            k++;
    }
    if (j + k < len && khm_isalpha(p[j + k]))
        return 0;
    *end = j + k;
    return mo;
}

static size_t skip_spaces(const unsigned char *p, size_t len, size_t j, size_t max)
{
    for (size_t k = 0; k < max && j < len && p[j] == ' '; k++)
        j++;
    return j;
}

/* An era marker: "พ.ศ." or "ค.ศ." (final dot optional), "B.E.", "BE", "A.D.", "AD", "C.E.",
 * "CE". KHM_ERA_BE or KHM_ERA_CE and its end, or 0. */
static int era_at(const unsigned char *p, size_t len, size_t j, size_t *end)
{
    static const struct {
        const char *s;
        size_t n;
        int era;
    } eras[] = {
#define E(s, era) { s, sizeof(s) - 1, era }
        E("พ.ศ", KHM_ERA_BE),  E("ค.ศ", KHM_ERA_CE), E("B.E.", KHM_ERA_BE), E("BE", KHM_ERA_BE),
        E("A.D.", KHM_ERA_CE), E("AD", KHM_ERA_CE),  E("C.E.", KHM_ERA_CE), E("CE", KHM_ERA_CE),
#undef E
    };
    if (j >= len || (p[j] != 0xE0 && p[j] != 'B' && p[j] != 'A' && p[j] != 'C'))
        return 0;
    for (size_t k = 0; k < sizeof(eras) / sizeof(eras[0]); k++) {
        size_t n = eras[k].n;
        if (j + n > len || memcmp(p + j, eras[k].s, n) != 0)
            continue;
        if (k >= 2 && j + n < len && khm_isalnum(p[j + n]))
            continue;
        j += n;
        if (k < 2 && j < len && p[j] == '.')
            j++;
        *end = j;
        return eras[k].era;
    }
    return 0;
}

/* 1 when a date or time may end at e: no word byte or digit after it, and no ".digit",
 * ",digit", "/digit", ":digit" or "<sep>digit" (a longer number, version or range). */
static int right_ok(const unsigned char *p, size_t len, size_t e, unsigned sep)
{
    size_t w;
    if (e >= len)
        return 1;
    if (khm_isword(p[e]) || dig(p, len, e, &w) >= 0)
        return 0;
    if ((p[e] == '.' || p[e] == ',' || p[e] == '/' || p[e] == ':' || p[e] == sep) &&
        dig(p, len, e + 1, &w) >= 0)
        return 0;
    return 1;
}

/* HH:MM[:SS[.fff]] at p[j..), then with @p zone a zone (Z, +07:00, +0700). Its end, or j. */
static size_t time_at(const unsigned char *p, size_t len, size_t j, int zone)
{
    int h, mi, s, thai = 0;
    size_t e;
    if (num(p, len, j, &h, &e, &thai) != 2 || h > 23 || e >= len || p[e] != ':')
        return j;
    if (num(p, len, e + 1, &mi, &e, &thai) != 2 || mi > 59)
        return j;
    if (e + 1 < len && p[e] == ':') {
        size_t e2;
        if (num(p, len, e + 1, &s, &e2, &thai) == 2 && s <= 60) {
            e = e2;
            if (e + 1 < len && p[e] == '.' && khm_isdigit(p[e + 1]))
                for (e++; e < len && khm_isdigit(p[e]); e++)
                    ;
        }
    }
    if (zone && e < len) {
        if (p[e] == 'Z') {
            e++;
        } else if (p[e] == '+' || p[e] == '-') {
            int zh, zm;
            size_t z, z2, nz = num(p, len, e + 1, &zh, &z, &thai);
            if (nz == 4 && zh <= 1400) { /* +0700 */
                e = z;
            } else if (nz == 2 && zh <= 14) { /* +07, +07:00 */
                e = z;
                if (z + 1 < len && p[z] == ':' && num(p, len, z + 1, &zm, &z2, &thai) == 2)
                    e = z2;
            }
        }
    }
    return right_ok(p, len, e, ':') ? e : j;
}

/* An optional time after a date ending at @p e: "T08:30" (ISO), " 08:30", ", 08:30". */
static size_t with_time(const unsigned char *p, size_t len, size_t e, int iso)
{
    if (e + 1 >= len)
        return e;
    if ((p[e] == 'T' && iso) || p[e] == ' ') {
        size_t t = time_at(p, len, e + 1, iso);
        return t > e + 1 ? t : e;
    }
    if (p[e] == ',' && e + 2 < len && p[e + 1] == ' ') {
        size_t t = time_at(p, len, e + 2, iso);
        return t > e + 2 ? t : e;
    }
    return e;
}

static const char *const dob_words[] = {
    "วันเกิด",     "เกิดวันที่",   "วัน/เดือน/ปีเกิด",  "วันเดือนปีเกิด", "ว/ด/ป เกิด",     "ว/ด/ปเกิด",
    "ปีเกิด",      "เกิดเมื่อ",   "dob",           "d.o.b",      "date of birth", "birth date",
    "birthdate", "birthday", "date_of_birth", "birth_date", "born",          NULL,
};

/* The text that may qualify a date at @p start: back to @p lo, at most KHM_CONTEXT_WINDOW bytes,
 * and not past the last digit before it (an earlier value's words are its own). */
static size_t window_start(const unsigned char *p, size_t lo, size_t start)
{
    size_t w = start - lo > KHM_CONTEXT_WINDOW ? start - KHM_CONTEXT_WINDOW : lo;
    for (size_t k = start; k > w; k--) {
        unsigned c = p[k - 1];
        if (khm_isdigit(c) || (c - 0x90u < 10 && thai_digit_before(p, lo, k)))
            return k;
    }
    return w;
}

/* memmem(s, n, "เกิด", 12): found by its third character ิ (E0 B8 B4, rarer than the others),
 * whose last byte no other Thai character has. */
static int has_koet(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, *q = u + 8;
    if (n < 12)
        return 0;
    for (const unsigned char *end = u + n - 3; q < end && (q = memchr(q, 0xB4, (size_t)(end - q)));
         q++)
        if (memcmp(q - 8, "เกิด", 12) == 0)
            return 1;
    return 0;
}

/* Every birth word holds "เกิด" or a 'b': text without either needs no closer look. */
static int may_say_birth(const char *s, size_t n)
{
    return memchr(s, 'b', n) || memchr(s, 'B', n) || has_koet(s, n);
}

/* 1 when the window before @p start, or the field, says date of birth. */
static int is_dob(const unsigned char *p, size_t lo, size_t start, const khm_det_ctx *cx)
{
    size_t w = window_start(p, lo, start), e = start;
    const char *s = (const char *)p + w;
    if (cx && cx->field && may_say_birth(cx->field, cx->field_len) &&
        khm_context_has(dob_words, cx->field, cx->field_len))
        return 1;
    if (!may_say_birth(s, start - w))
        return 0;
    if (khm_context_has(dob_words, s, start - w))
        return 1;
    /* "เกิด 15 มี.ค. 2530": the verb right before the date (not "เกิดเหตุ 15 …") */
    while (e > w && (p[e - 1] == ' ' || p[e - 1] == ':'))
        e--;
    return e - w >= 12 && memcmp(p + e - 12, "เกิด", 12) == 0;
}

/* 1 when the text before @p start or the field is Thai (two-digit years are then BE). */
static int thai_text(const unsigned char *p, size_t lo, size_t start, const khm_det_ctx *cx)
{
    size_t w = start - lo > KHM_CONTEXT_WINDOW ? start - KHM_CONTEXT_WINDOW : lo;
    if (memchr(p + w, 0xE0, start - w))
        return 1;
    return cx && cx->field && memchr(cx->field, 0xE0, cx->field_len) != NULL;
}

/* A year after a month name at p[j..): spaces, an optional ',' and era, then 4 digits (or 2
 * with @p two_ok). Sets *y (CE) and returns its end, or j when there is none. */
static size_t year_after(const unsigned char *p, size_t len, size_t j, int two_ok, int thai_era,
                         int *y)
{
    size_t e = j, ee;
    int era = 0, v, thai = 0;
    if (e < len && p[e] == ',')
        e++;
    e = skip_spaces(p, len, e, 3);
    if ((era = era_at(p, len, e, &ee)) != 0)
        e = skip_spaces(p, len, ee, 3);
    size_t n = num(p, len, e, &v, &ee, &thai);
    if (ee == j || (n != 4 && !(n == 2 && two_ok)))
        return j;
    if (n == 2 && !era)
        era = thai_era;
    if ((*y = khm_date_ce_year(v, n, era)) < 0)
        return j;
    return ee;
}

/* 1 when a month name (Thai, or English in any case) may start at p[j]: its first character. */
static int may_start_month(const unsigned char *p, size_t len, size_t j)
{
    if (j + 3 > len)
        return 0;
    if (p[j] == 0xE0) {
        switch ((p[j + 1] << 8) | p[j + 2]) {
        case 0xB8A1: /* ม */
        case 0xB881: /* ก */
        case 0xB980: /* เ */
        case 0xB89E: /* พ */
        case 0xB8AA: /* ส */
        case 0xB895: /* ต */
        case 0xB898: /* ธ */
            return 1;
        default:
            return 0;
        }
    }
    switch (p[j] | 0x20) {
    case 'j':
    case 'f':
    case 'm':
    case 'a':
    case 's':
    case 'o':
    case 'n':
    case 'd':
        return 1;
    default:
        return 0;
    }
}

/* The date at i, past the cheap rejections of khm_det_date_time(). Out of line, so that a
 * rejected candidate costs no stack frame for it. */
__attribute__((noinline)) static int date_at(const unsigned char *p, size_t lo, size_t len,
                                             size_t i, const khm_det_ctx *cx, khm_match *m)
{
    int a, b, c, thai = 0, y = -1, mo = 0, d = 0;
    size_t e, e2, e3, na;
    double score;
    unsigned sep = 0, lsep = 0;

    /* remember a separator after a digit on the left */
    if (i > lo) {
        unsigned q = p[i - 1];
        if ((q == '.' || q == ',' || q == '-' || q == '/' || q == ':') && i - 1 > lo &&
            (khm_isdigit(p[i - 2]) || thai_digit_before(p, lo, i - 1)))
            lsep = q;
    }

    if (p[i] < 0x80 && khm_isalpha(p[i])) { /* "March 15, 2024" */
        switch (p[i]) {
        case 'J':
        case 'F':
        case 'M':
        case 'A':
        case 'S':
        case 'O':
        case 'N':
        case 'D':
            break;
        default:
            return 0;
        }
        if (!(mo = en_month(p, len, i, &e)) || e >= len || p[e] != ' ')
            return 0;
        e = skip_spaces(p, len, e, 2);
        if ((na = num(p, len, e, &d, &e2, &thai)) < 1 || na > 2)
            return 0;
        if (e2 + 1 < len &&
            ((p[e2] | 0x20) == 's' || (p[e2] | 0x20) == 'n' || (p[e2] | 0x20) == 'r' ||
             (p[e2] | 0x20) == 't') &&
            khm_isalpha(p[e2 + 1]) && (e2 + 2 >= len || !khm_isalpha(p[e2 + 2])))
            e2 += 2; /* 1st, 2nd, 3rd, 15th */
        if ((e3 = year_after(p, len, e2, 0, 0, &y)) == e2 || !khm_date_valid(y, mo, d))
            return 0;
        e = with_time(p, len, e3, 0);
        if (!right_ok(p, len, e, 0))
            return 0;
        score = 0.85;
        goto found;
    }

    if ((na = num(p, len, i, &a, &e, &thai)) == 0 || na == 3 || na > 4)
        return 0;

    if (na == 4) { /* year first: 2024-03-15, 2567-03-15, 2024/03/15 */
        if (e + 1 >= len || (p[e] != '-' && p[e] != '/'))
            return 0;
        sep = p[e];
        size_t nb = num(p, len, e + 1, &b, &e2, &thai);
        if (nb < 1 || nb > 2 || e2 >= len || p[e2] != sep)
            return 0;
        size_t nc = num(p, len, e2 + 1, &c, &e3, &thai);
        if (nc < 1 || nc > 2)
            return 0;
        if ((y = khm_date_ce_year(a, 4, 0)) < 0 || !khm_date_valid(y, b, c))
            return 0;
        mo = b;
        e = with_time(p, len, e3, 1);
        if (!right_ok(p, len, e, sep) || lsep)
            return 0;
        score = e > e3 ? 0.9 : 0.85;
        goto found;
    }

    d = a;
    if (e < len && (p[e] == '/' || p[e] == '-' || p[e] == '.')) { /* 15/03/2567, 15-3-67 */
        sep = p[e];
        size_t nb = num(p, len, e + 1, &b, &e2, &thai);
        if (nb >= 1 && nb <= 2 && e2 < len && p[e2] == sep) {
            size_t nc = num(p, len, e2 + 1, &c, &e3, &thai);
            if (sep == '.' && (na != 2 || nb != 2)) /* 1.2.24 is a version, 01.02.2024 a date */
                return 0;
            if (nc != 2 && nc != 4)
                return 0;
            int era = nc == 2 && (thai || thai_text(p, lo, i, cx)) ? KHM_ERA_THAI : 0;
            if ((y = khm_date_ce_year(c, nc, era)) < 0 || !khm_date_valid(y, b, d))
                return 0;
            mo = b;
            e = with_time(p, len, e3, 0);
            if (!right_ok(p, len, e, sep) || lsep == sep || lsep == '.' || lsep == ',')
                return 0;
            score = nc == 4 ? 0.8 : 0.6;
            goto found;
        }
        if (sep != '-' && sep != '/')
            return 0;
        /* 15-Mar-2024, 15/Mar/2024: an English month between */
        if (!(mo = en_month(p, len, e + 1, &e2)) || e2 >= len || p[e2] != sep)
            return 0;
        int v;
        size_t ny = num(p, len, e2 + 1, &v, &e3, &thai);
        if (ny != 4 || (y = khm_date_ce_year(v, 4, 0)) < 0 || !khm_date_valid(y, mo, d))
            return 0;
        e = e3;
        if (!right_ok(p, len, e, sep) || lsep == sep)
            return 0;
        score = 0.8;
        goto found;
    }

    /* the day, then a month name: 15 มีนาคม 2567, 1 ม.ค. 67, 15 March 2024, 15th Mar 2024 */
    e2 = e;
    if (e2 + 2 < len && khm_isalpha(p[e2]) && khm_isalpha(p[e2 + 1]) && !khm_isalpha(p[e2 + 2])) {
        unsigned s0 = p[e2] | 0x20, s1 = p[e2 + 1] | 0x20;
        if ((s0 == 's' && s1 == 't') || (s0 == 'n' && s1 == 'd') || (s0 == 'r' && s1 == 'd') ||
            (s0 == 't' && s1 == 'h'))
            e2 += 2;
    }
    e2 = skip_spaces(p, len, e2, 3);
    if (e2 < len && p[e2] == 0xE0 && (mo = th_month(p, len, e2, &e3)) != 0) {
        size_t ey = year_after(p, len, e3, 1, KHM_ERA_THAI, &y); /* after a Thai month: BE */
        if (ey > e3 && right_ok(p, len, ey, 0)) {
            if (!khm_date_valid(y, mo, d))
                return 0;
            e = with_time(p, len, ey, 0);
            score = 0.9;
        } else { /* no year: "15 มีนาคม" */
            y = -1;
            if (!khm_date_valid(0, mo, d) || !right_ok(p, len, e3, 0))
                return 0;
            e = e3;
            score = 0.7;
        }
        goto found;
    }
    if (e2 > e && e2 < len && khm_isalpha(p[e2]) && (mo = en_month(p, len, e2, &e3)) != 0) {
        size_t ey = year_after(p, len, e3, 0, 0, &y);
        if (ey == e3 || !khm_date_valid(y, mo, d))
            return 0;
        e = with_time(p, len, ey, 0);
        if (!right_ok(p, len, e, 0))
            return 0;
        score = 0.85;
        goto found;
    }
    return 0;

found:
    m->start = i;
    m->end = e;
    m->score = score;
    if (is_dob(p, lo, i, cx)) {
        m->subtype = "date_of_birth";
        m->pdpa = KHM_PDPA_PERSONAL;
    }
    return 1;
}

int khm_det_date_time(const unsigned char *p, size_t lo, size_t len, size_t i,
                      const khm_det_ctx *cx, khm_match *m)
{
    /* the left edge: no word byte or digit before */
    if (i > lo && (khm_isword(p[i - 1]) || thai_digit_before(p, lo, i)))
        return 0;
    if (khm_isdigit(p[i])) { /* cheap rejection: what follows a run of ASCII digits */
        size_t j = i;
        while (j < len && j - i < 5 && khm_isdigit(p[j]))
            j++;
        unsigned z = j < len ? p[j] : 0;
        /* a Thai byte after it (a Thai digit or month) is left to the full parse */
        if (z < 0x80 &&
            (j - i == 3 || j - i > 4 ||
             (j - i == 4 ? z != '-' && z != '/'
                         : z != '/' && z != '-' && z != '.' && z != ' ' && !khm_isalpha(z))))
            return 0;
        if (z == ' ' && j - i <= 2) { /* the day, spaces: a month name must follow */
            size_t k = skip_spaces(p, len, j, 3);
            if (!may_start_month(p, len, k))
                return 0;
        }
    }
    return date_at(p, lo, len, i, cx, m);
}

/* The year of a reported date as written (for masking): the first 4-digit run, else the third
 * number (15/03/67), else the second after a month name (1 ม.ค. 67). 1 and its span, or 0. */
int khm_date_year_span(const char *v, size_t n, size_t *off, size_t *ylen)
{
    const unsigned char *p = (const unsigned char *)v;
    size_t runs = 0, j = 0, w, s2 = 0, l2 = 0, s3 = 0, l3 = 0;
    int letters = 0;
    while (j < n) {
        if (dig(p, n, j, &w) < 0) {
            letters |= p[j] >= 0x80 || khm_isalpha(p[j]);
            j++;
            continue;
        }
        int val, thai = 0;
        size_t e, nd = num(p, n, j, &val, &e, &thai);
        runs++;
        if (nd == 4) {
            *off = j;
            *ylen = e - j;
            return 1;
        }
        if (runs == 2) {
            s2 = j;
            l2 = e - j;
        } else if (runs == 3) {
            s3 = j;
            l3 = e - j;
        }
        j = e;
    }
    if (runs >= 3 && !letters) {
        *off = s3;
        *ylen = l3;
        return 1;
    }
    if (runs >= 2 && letters) {
        *off = s2;
        *ylen = l2;
        return 1;
    }
    return 0;
}
