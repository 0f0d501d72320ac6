/* Data quality of resources and datasets (quality.h; issue 4, product.md C13, docs/quality.md).
 * A file is read once in bounded memory — pread (or a buffer), gzip inflated, the encoding found
 * and decoded to UTF-8 by the scanner's decoder, records cut by the scanner's CSV reader or JSON
 * reader — and each cell is classified (empty, integer, decimal, date and whether that day exists,
 * 13-digit national ID and its check digit, Thai phone, e-mail). After the pass each column takes
 * the type most of its values have, and the values that are not of it (or fail its checksum, or
 * name a day that does not exist) are its invalid ones. Repeated rows and repeated identifiers
 * are found with a bounded set of 64-bit hashes. The counts become the dimensions and the score,
 * and every problem a note in Thai and English naming the column and the first lines. */
#include <khomun/quality.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/scan.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---- types ------------------------------------------------------------------------------ */

static const char *const qtype_names[KHM_QT__COUNT] = {
    "empty", "text", "integer", "decimal", "date", "national_id", "phone", "email",
};
static const char *const qtype_names_th[KHM_QT__COUNT] = {
    "ว่าง", "ข้อความ", "จำนวนเต็ม", "ตัวเลข", "วันที่", "เลขประจำตัวประชาชน", "หมายเลขโทรศัพท์", "อีเมล",
};

const char *khm_qtype_name(khm_qtype t)
{
    return (unsigned)t < KHM_QT__COUNT ? qtype_names[t] : "text";
}

const char *khm_qtype_name_th(khm_qtype t)
{
    return (unsigned)t < KHM_QT__COUNT ? qtype_names_th[t] : "ข้อความ";
}

/* ---- one value -------------------------------------------------------------------------- */

#define VALUE_MAX 320 /* longer values are text */

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trim white space (and U+00A0) from both ends of s[0..*n); the new start. */
static const char *trim(const char *s, size_t *n)
{
    size_t a = 0, b = *n;
    for (;;) {
        if (a < b && is_space((unsigned char)s[a]))
            a++;
        else if (a + 1 < b && (unsigned char)s[a] == 0xC2 && (unsigned char)s[a + 1] == 0xA0)
            a += 2;
        else
            break;
    }
    for (;;) {
        if (b > a && is_space((unsigned char)s[b - 1]))
            b--;
        else if (b >= a + 2 && (unsigned char)s[b - 2] == 0xC2 && (unsigned char)s[b - 1] == 0xA0)
            b -= 2;
        else
            break;
    }
    *n = b - a;
    return s + a;
}

/* Copy s[0..n) into out with the Thai digits ๐–๙ (U+0E50–U+0E59) as ASCII; its length, or
 * (size_t)-1 when it does not fit. */
static size_t ascii_digits(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (o + 1 >= cap)
            return (size_t)-1;
        if (c == 0xE0 && i + 2 < n && (unsigned char)s[i + 1] == 0xB9 &&
            (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            out[o++] = (char)('0' + ((unsigned char)s[i + 2] - 0x90));
            i += 3;
        } else {
            out[o++] = (char)c;
            i++;
        }
    }
    out[o] = '\0';
    return o;
}

/* "-", "N/A", "n/a", "NULL", "null" */
static int null_marker(const char *s, size_t n)
{
    return (n == 1 && s[0] == '-') ||
           (n == 3 && (memcmp(s, "N/A", 3) == 0 || memcmp(s, "n/a", 3) == 0)) ||
           (n == 4 && (memcmp(s, "NULL", 4) == 0 || memcmp(s, "null", 4) == 0));
}

/* Digits at s[*i…): how many (at most @p max + 1 are read), value in *v. */
static size_t digits(const char *s, size_t n, size_t *i, size_t max, long *v)
{
    size_t k = 0;
    long x = 0;
    while (*i < n && is_digit((unsigned char)s[*i]) && k <= max) {
        x = x * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    *v = x;
    return k;
}

/* Digits, or 1–3 digits and groups of three after commas ("1,234,567"): *i past them; 0 when
 * there is no digit. A comma that starts no group is left for the caller to refuse. */
static int int_part(const char *s, size_t n, size_t *i)
{
    size_t k = 0;
    while (*i < n && is_digit((unsigned char)s[*i])) {
        (*i)++;
        k++;
    }
    if (k == 0)
        return 0;
    if (k <= 3) {
        size_t j = *i;
        while (j + 4 <= n && s[j] == ',' && is_digit((unsigned char)s[j + 1]) &&
               is_digit((unsigned char)s[j + 2]) && is_digit((unsigned char)s[j + 3]) &&
               (j + 4 == n || !is_digit((unsigned char)s[j + 4])))
            j += 4;
        *i = j;
    }
    return 1;
}

/* KHM_QV_INTEGER | KHM_QV_DECIMAL of s, or 0. */
static unsigned number_kind(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    int ip = int_part(s, n, &i);
    if (i == n)
        return ip ? KHM_QV_INTEGER | KHM_QV_DECIMAL : 0;
    if (s[i] != '.')
        return 0;
    i++;
    size_t f = 0;
    while (i < n && is_digit((unsigned char)s[i])) {
        i++;
        f++;
    }
    return f && i == n ? KHM_QV_DECIMAL : 0;
}

static int leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int day_exists(long ce, long m, long d)
{
    static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (ce < 1000 || ce > 2999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= dim[m - 1] + (m == 2 && leap(ce));
}

/* A date's year as written: four digits (era: 0 unknown, 1 B.E., 2 C.E.) or two. */
static int date_ok(long y, size_t ylen, int era, long m, long d)
{
    if (ylen == 2) /* 25yy B.E. or 20yy C.E. */
        return day_exists(1957 + y, m, d) || day_exists(2000 + y, m, d);
    long ce = era == 1 || (era == 0 && y >= 2400) ? y - KHM_BE_OFFSET : y;
    return day_exists(ce, m, d);
}

/* The time after a date: HH:MM[:SS][.fff][Z|±hh[:]mm]. 1 fine, 0 out of range, -1 not a time. */
static int time_part(const char *s, size_t n, size_t i)
{
    long h, mi, sec = 0, zh, zm;
    if (digits(s, n, &i, 2, &h) != 2 || i >= n || s[i] != ':')
        return -1;
    i++;
    if (digits(s, n, &i, 2, &mi) != 2)
        return -1;
    if (i < n && s[i] == ':') {
        i++;
        if (digits(s, n, &i, 2, &sec) != 2)
            return -1;
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            i++;
            size_t f = 0;
            while (i < n && is_digit((unsigned char)s[i])) {
                i++;
                f++;
            }
            if (!f)
                return -1;
        }
    }
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        i++;
        if (digits(s, n, &i, 2, &zh) != 2)
            return -1;
        if (i < n && s[i] == ':')
            i++;
        if (digits(s, n, &i, 2, &zm) != 2)
            return -1;
        if (zh > 14 || zm > 59)
            return 0;
    } else if (n - i >= strlen("น.") && memcmp(s + i, "น.", strlen("น.")) == 0) {
        i += strlen("น."); /* "10:30 น." */
    }
    if (i != n)
        return -1;
    return h <= 23 && mi <= 59 && sec <= 60 ? 1 : 0;
}

/* The rest after a date at s[i…): nothing, or 'T'/' ' and a time. As time_part(). */
static int after_date(const char *s, size_t n, size_t i)
{
    if (i == n)
        return 1;
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return -1;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && (s[i] == 'T' || s[i] == 't'))
        i++;
    /* "เวลา 10:30" */
    if (n - i > strlen("เวลา") && memcmp(s + i, "เวลา", strlen("เวลา")) == 0) {
        i += strlen("เวลา");
        while (i < n && s[i] == ' ')
            i++;
    }
    return time_part(s, n, i);
}

/* "12 ก.พ. 2567": the month token at s[*i…) (full or abbreviated Thai name), 1–12 or 0. */
static int thai_month(const char *s, size_t n, size_t *i)
{
    size_t end = *i;
    while (end < n && s[end] != ' ')
        end++;
    for (int abbr = 0; abbr < 2; abbr++)
        for (int m = 1; m <= 12; m++) {
            const char *name = khm_time_month_th(m, abbr);
            size_t k = name ? strlen(name) : 0;
            /* the token is the name, or the name directly followed by the year's digits */
            if (k && k <= n - *i && memcmp(s + *i, name, k) == 0 &&
                (*i + k == end || is_digit((unsigned char)s[*i + k]) || s[*i + k] == ' ')) {
                *i += k;
                return m;
            }
        }
    return 0;
}

static int thai_date(const char *s, size_t n)
{
    size_t i = 0;
    long d, y, m;
    int era = 0;
    if (digits(s, n, &i, 2, &d) < 1 || d == 0 || i > 2)
        return -1;
    while (i < n && s[i] == ' ')
        i++;
    if (!(m = thai_month(s, n, &i)))
        return -1;
    while (i < n && s[i] == ' ')
        i++;
    size_t el = strlen("พ.ศ."); /* as long as "ค.ศ." */
    if (n - i >= el && memcmp(s + i, "พ.ศ.", el) == 0) {
        era = 1;
        i += el;
    } else if (n - i >= el && memcmp(s + i, "ค.ศ.", el) == 0) {
        era = 2;
        i += el;
    }
    while (i < n && s[i] == ' ')
        i++;
    size_t yl = digits(s, n, &i, 4, &y);
    if (yl != 4 && yl != 2)
        return -1;
    int t = after_date(s, n, i);
    if (t < 0)
        return -1;
    return t && date_ok(y, yl, era, m, d);
}

/* khm_quality_date_check() of a trimmed value with ASCII digits. */
static int date_check(const char *s, size_t n)
{
    size_t i = 0, la, lb, lc;
    long a, b, c;
    if (n < 6)
        return -1;
    if (!is_digit((unsigned char)s[0]))
        return -1;
    la = digits(s, n, &i, 4, &a);
    if (i < n && s[i] == ' ')
        return thai_date(s, n);
    if (i >= n || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
        return la <= 2 ? thai_date(s, n) : -1;
    char sep = s[i++];
    lb = digits(s, n, &i, 2, &b);
    if (i >= n || s[i] != sep || lb < 1 || lb > 2)
        return -1;
    i++;
    lc = digits(s, n, &i, 4, &c);
    if (la == 4 && sep != '.' && (lc == 1 || lc == 2)) { /* Y-M-D */
        int tp = after_date(s, n, i);
        if (tp < 0)
            return -1;
        return tp && date_ok(a, 4, 0, b, c);
    }
    if ((la == 1 || la == 2) && (lc == 4 || lc == 2)) { /* D/M/Y */
        int tp = after_date(s, n, i);
        if (tp < 0)
            return -1;
        return tp && date_ok(c, lc, 0, b, a);
    }
    return -1;
}

int khm_quality_date_check(const char *s0, size_t n0)
{
    char buf[VALUE_MAX];
    const char *t = trim(s0, &n0);
    size_t n = ascii_digits(t, n0, buf, sizeof(buf));
    return n == (size_t)-1 ? -1 : date_check(buf, n);
}

/* 13 digits grouped by '-' or ' ' (at most four separators, none at either end). */
static int tnin_digits(const char *s, size_t n, char out[13])
{
    size_t k = 0, seps = 0;
    if (n < 13 || n > 17 || !is_digit((unsigned char)s[0]) || !is_digit((unsigned char)s[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit((unsigned char)s[i])) {
            if (k == 13)
                return 0;
            out[k++] = s[i];
        } else if ((s[i] == '-' || s[i] == ' ') && is_digit((unsigned char)s[i - 1])) {
            seps++;
        } else {
            return 0;
        }
    }
    return k == 13 && seps <= 4;
}

/* KHM_QV_PHONE (| _OK) of a Thai phone number: digits with ' ', '-', '.', '(' ')' between,
 * 0 or +66 first. */
static unsigned phone_kind(const char *s, size_t n)
{
    char d[16];
    size_t k = 0, i = 0;
    if (n >= 3 && s[0] == '+') {
        if (s[1] != '6' || s[2] != '6')
            return 0;
        d[k++] = '0';
        i = 3;
    }
    for (; i < n; i++) {
        char c = s[i];
        if (is_digit((unsigned char)c)) {
            if (k == sizeof(d) - 1)
                return 0;
            d[k++] = c;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return 0;
        }
    }
    if (k < 9 || k > 10 || d[0] != '0')
        return 0;
    /* ^0(?:[689]\d{8}|[2-57]\d{7})$ (thai-rules.md §4.2) */
    int ok = (k == 10 && (d[1] == '6' || d[1] == '8' || d[1] == '9')) ||
             (k == 9 && d[1] >= '2' && d[1] <= '7' && d[1] != '6');
    return KHM_QV_PHONE | (ok ? KHM_QV_PHONE_OK : 0);
}

static int email_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || memchr(at + 1, '@', n - (size_t)(at - s) - 1))
        return 0;
    size_t ll = (size_t)(at - s), dl = n - ll - 1;
    if (ll < 1 || ll > 64 || dl < 3 || dl > 253 || s[0] == '.' || at[-1] == '.')
        return 0;
    for (size_t i = 0; i < ll; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
              strchr(".!#$%&'*+/=?^_`{|}~-", c)) ||
            (c == '.' && s[i + 1] == '.'))
            return 0;
    }
    const char *d = at + 1;
    size_t labels = 0, len = 0, last_alpha = 0;
    for (size_t i = 0; i <= dl; i++) {
        unsigned char c = i < dl ? (unsigned char)d[i] : '.';
        if (c == '.') {
            if (len == 0 || d[i - 1] == '-')
                return 0;
            labels++;
            last_alpha = 1;
            for (size_t k = i - len; k < i; k++)
                if (is_digit((unsigned char)d[k]) || d[k] == '-')
                    last_alpha = 0;
            len = 0;
        } else if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
                   (c == '-' && len > 0)) {
            len++;
        } else {
            return 0;
        }
    }
    return labels >= 2 && last_alpha;
}

unsigned khm_quality_value(const char *s0, size_t n0)
{
    char buf[VALUE_MAX];
    const char *t = trim(s0, &n0);
    if (n0 == 0 || null_marker(t, n0))
        return KHM_QV_EMPTY;
    /* what does not start as a number, a date, an ID or a phone can only be an e-mail */
    unsigned char c0 = (unsigned char)t[0];
    int thai_digit = n0 >= 3 && c0 == 0xE0 && (unsigned char)t[1] == 0xB9 &&
                     (unsigned char)t[2] >= 0x90 && (unsigned char)t[2] <= 0x99;
    if (!is_digit(c0) && !thai_digit && c0 != '+' && c0 != '-' && c0 != '.' && c0 != '(' &&
        !memchr(t, '@', n0))
        return 0;
    size_t n = n0;
    const char *s = t;
    if (memchr(t, 0xE0, n0)) { /* Thai digits (or Thai text) */
        if ((n = ascii_digits(t, n0, buf, sizeof(buf))) == (size_t)-1)
            return 0;
        s = buf;
    } else if (n0 >= VALUE_MAX) {
        return 0;
    }
    unsigned m = number_kind(s, n);
    char id[13];
    if (tnin_digits(s, n, id))
        m |= KHM_QV_TNIN | (khm_th_tnin_check(id) ? 0 : KHM_QV_TNIN_BAD);
    m |= phone_kind(s, n);
    if (memchr(s, '@', n))
        m |= KHM_QV_EMAIL | (email_ok(s, n) ? KHM_QV_EMAIL_OK : 0);
    if (!(m & (KHM_QV_DECIMAL | KHM_QV_EMAIL | KHM_QV_TNIN))) {
        int dc = date_check(s, n);
        if (dc >= 0)
            m |= KHM_QV_DATE | (dc ? 0 : KHM_QV_DATE_BAD);
    }
    return m;
}

/* ---- repeats: a bounded set of 64-bit hashes --------------------------------------------- */

typedef struct {
    uint64_t *slot; /* 0 = free */
    size_t cap;     /* power of two */
    size_t used;
} hset;

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h ? h : 1;
}

/* A 64-bit hash of p[0..n) continued from h, eight bytes at a time (not for adversaries: a
 * crafted collision could only count a false repeat). */
static uint64_t hbytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t v;
    h ^= (uint64_t)n * 0x9e3779b97f4a7c15ULL;
    while (n >= 8) {
        memcpy(&v, b, 8);
        h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        b += 8;
        n -= 8;
    }
    v = 0;
    memcpy(&v, b, n);
    h = (h ^ v ^ ((uint64_t)n << 59)) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    return h;
}

#define H0 0xcbf29ce484222325ULL

/* 1: new (remembered), 0: seen before, -1: the set is full and it was not there (not checked),
 * KHM_ENOMEM. */
static int hset_add(hset *s, uint64_t h)
{
    h = mix(h);
    if (s->cap == 0 || (s->used + 1) * 2 > s->cap) {
        if (s->used >= KHM_QUALITY_MAX_HASHES) {
            for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
                if (s->slot[i] == h)
                    return 0;
                if (!s->slot[i])
                    return -1;
            }
        }
        size_t ncap = s->cap ? s->cap * 2 : 4096;
        uint64_t *ns = khm_calloc(ncap, sizeof(*ns));
        if (!ns)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        for (size_t k = 0; k < s->cap; k++)
            if (s->slot[k]) {
                size_t i = s->slot[k] & (ncap - 1);
                while (ns[i])
                    i = (i + 1) & (ncap - 1);
                ns[i] = s->slot[k];
            }
        khm_free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t i = h & (s->cap - 1);
    while (s->slot[i]) {
        if (s->slot[i] == h)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    if (s->used >= KHM_QUALITY_MAX_HASHES)
        return -1;
    s->slot[i] = h;
    s->used++;
    return 1;
}

/* ---- the profile --------------------------------------------------------------------------- */

typedef struct {
    int64_t v[KHM_QUALITY_EXAMPLES];
    size_t n;
} exlist;

static void ex_add(exlist *e, int64_t at)
{
    if (e->n < KHM_QUALITY_EXAMPLES && (e->n == 0 || e->v[e->n - 1] != at))
        e->v[e->n++] = at;
}

/* What each value of a column was (counts) and where the first misfits were. */
enum { F_INT, F_DEC, F_DATE, F_TNIN, F_PHONE, F_PHONE_OK, F_EMAIL, F_EMAIL_OK, F__N };
static const unsigned flag_bit[F__N] = {
    KHM_QV_INTEGER, KHM_QV_DECIMAL,  KHM_QV_DATE,  KHM_QV_TNIN,
    KHM_QV_PHONE,   KHM_QV_PHONE_OK, KHM_QV_EMAIL, KHM_QV_EMAIL_OK,
};

typedef struct {
    char *field;       /* as shown: valid UTF-8 */
    char *key;         /* JSON: the path as read (what values are matched by) */
    int idlike;        /* the header names an identifier */
    int key_cand;      /* -1 undecided (no value yet), 0, 1 */
    int64_t present;   /* rows with a non-empty value */
    int64_t values;    /* non-empty values (JSON: several per row in arrays) */
    int64_t last_row;  /* the last row counted in present */
    int64_t seen_row;  /* JSON: the last row with any value (null too) */
    int64_t n[F__N];   /* values with each flag */
    exlist miss[F__N]; /* where values lacked it */
    int64_t date_bad, tnin_bad;
    exlist date_bad_at, tnin_bad_at;
    int64_t dups;
    exlist dup_at;
} colstat;

/* A key value of the current row, checked once the row is known not to be a repeat. */
typedef struct {
    size_t col;
    uint64_t h;
} pending_key;

typedef struct {
    khm_quality *q;
    khm_arena *a;
    int err;
    colstat *cols;
    size_t ncols, capcols;
    hset set;
    /* the current row */
    int64_t row; /* 0-based index of the row in progress, counted in q->rows at its end */
    int64_t at;  /* its position: line (CSV, JSON Lines) or 1-based row (JSON) */
    uint64_t rh; /* its running hash */
    int in_row;
    pending_key *keys;
    size_t nkeys, capkeys;
    exlist dup_rows_at;
    /* CSV */
    char delim;
    int header; /* the next record is the header */
    int64_t line;
    khm_csv_cell *cells; /* the record in progress */
    size_t capcells;
    char *scratch; /* unescaped quoted cells */
    size_t scratch_cap;
    /* JSON */
    int json_doc;         /* one document: rows are the elements of a top-level array */
    int64_t json_rec;     /* record of the row in progress */
    const char *json_buf; /* the buffer of the khm_jsonr_feed() call in progress */
    int32_t *path_slot;   /* open addressing: column index + 1 */
    size_t path_cap;
    char *ubuf; /* unescaped strings */
    size_t ubuf_cap;
} prof;

static int pfail(prof *p, int rc)
{
    if (!p->err)
        p->err = rc;
    return rc;
}

/* s[0..n) as valid UTF-8 (a bad byte or a control character as '?'), cut at @p max bytes
 * (whole characters), into out (≥ max + 1 bytes). */
static void utf8_clean(const char *t, size_t n, char *out, size_t max)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < max;) {
        size_t bad = 0;
        size_t left = n - i < 4 ? n - i : 4;
        unsigned char c = (unsigned char)t[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (len > left || !khm_utf8_valid(t + i, len, &bad) || c < 0x20) {
            out[o++] = '?';
            i++;
            continue;
        }
        if (o + len > max)
            break;
        memcpy(out + o, t + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
}

/* Column names are shown and stored: valid UTF-8, at most 200 bytes. */
static char *field_name(prof *p, const char *s, size_t n)
{
    char buf[256];
    const char *t = trim(s, &n);
    utf8_clean(t, n, buf, 200);
    char *r = khm_arena_strdup(p->a, buf);
    if (!r)
        pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
    return r;
}

static int idlike_header(const char *f)
{
    size_t n = strlen(f);
    static const char *const th[] = { "รหัส", "เลขประจำตัว" };
    if (strcasecmp(f, "id") == 0 || strcasecmp(f, "uuid") == 0)
        return 1;
    if (n > 3 && (strcasecmp(f + n - 3, "_id") == 0 || strcasecmp(f + n - 3, " id") == 0 ||
                  strcasecmp(f + n - 3, "-id") == 0))
        return 1;
    for (size_t k = 0; k < sizeof(th) / sizeof(th[0]); k++)
        if (strncmp(f, th[k], strlen(th[k])) == 0)
            return 1;
    return 0;
}

/* Column @p k (added up to it with "column N" names); NULL past KHM_QUALITY_MAX_COLS. */
static colstat *col_at(prof *p, size_t k)
{
    if (k >= KHM_QUALITY_MAX_COLS)
        return NULL;
    while (p->ncols <= k) {
        if (p->ncols == p->capcols) {
            size_t nc = p->capcols ? p->capcols * 2 : 16;
            colstat *c = khm_realloc(p->cols, nc * sizeof(*c));
            if (!c) {
                pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
                return NULL;
            }
            p->cols = c;
            p->capcols = nc;
        }
        colstat *c = &p->cols[p->ncols];
        memset(c, 0, sizeof(*c));
        c->key_cand = -1;
        c->last_row = c->seen_row = -1;
        char name[32];
        snprintf(name, sizeof(name), "column %zu", p->ncols + 1);
        c->field = khm_arena_strdup(p->a, name);
        if (!c->field) {
            pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
            return NULL;
        }
        p->ncols++;
    }
    return &p->cols[k];
}

static void row_begin(prof *p, int64_t at)
{
    p->in_row = 1;
    p->at = at;
    p->rh = H0;
    p->nkeys = 0;
}

/* One value of column @p k of the current row (@p s as it is to be checked; a JSON literal
 * true/false is text, null empty). */
static void row_value(prof *p, size_t k, const char *s, size_t n, int literal)
{
    p->rh = hbytes(p->rh + k, s, n); /* the column and the length are in it */
    colstat *c = col_at(p, k);
    if (!c) {
        if (k >= KHM_QUALITY_MAX_COLS &&
            (int64_t)(k + 1 - KHM_QUALITY_MAX_COLS) > p->q->extra_columns)
            p->q->extra_columns = (int64_t)(k + 1 - KHM_QUALITY_MAX_COLS);
        return;
    }
    unsigned m = literal == 2 ? KHM_QV_EMPTY : literal == 1 ? 0 : khm_quality_value(s, n);
    if (m & KHM_QV_EMPTY)
        return;
    c->values++;
    if (c->last_row != p->row) {
        c->last_row = p->row;
        c->present++;
    }
    for (int f = 0; f < F__N; f++) {
        if (m & flag_bit[f])
            c->n[f]++;
        else
            ex_add(&c->miss[f], p->at);
    }
    if (m & KHM_QV_DATE_BAD) {
        c->date_bad++;
        ex_add(&c->date_bad_at, p->at);
    }
    if (m & KHM_QV_TNIN_BAD) {
        c->tnin_bad++;
        ex_add(&c->tnin_bad_at, p->at);
    }
    if (c->key_cand < 0)
        c->key_cand = c->idlike || (m & KHM_QV_TNIN);
    if (c->key_cand) {
        /* an identifier's value: a national ID by its digits, anything else as trimmed */
        char id[13];
        size_t tn = n;
        const char *t = trim(s, &tn);
        uint64_t h = 0x9e3779b97f4a7c15ULL * (k + 1);
        if ((m & KHM_QV_TNIN) && tnin_digits(t, tn, id))
            h = hbytes(h, id, 13);
        else
            h = hbytes(h, t, tn);
        if (p->nkeys == p->capkeys) {
            size_t nc = p->capkeys ? p->capkeys * 2 : 8;
            pending_key *nk = khm_realloc(p->keys, nc * sizeof(*nk));
            if (!nk) {
                pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
                return;
            }
            p->keys = nk;
            p->capkeys = nc;
        }
        p->keys[p->nkeys++] = (pending_key){ k, h };
    }
}

static void row_end(prof *p)
{
    if (!p->in_row)
        return;
    p->in_row = 0;
    p->q->rows++;
    int r = hset_add(&p->set, p->rh);
    if (r == KHM_ENOMEM) {
        pfail(p, r);
        return;
    }
    if (r < 0)
        p->q->unchecked_rows++;
    if (r == 0) { /* an exact repeat: its identifiers are the earlier row's, not counted again */
        p->q->duplicate_rows++;
        ex_add(&p->dup_rows_at, p->at);
    } else {
        for (size_t i = 0; i < p->nkeys; i++) {
            int kr = hset_add(&p->set, p->keys[i].h);
            if (kr == KHM_ENOMEM) {
                pfail(p, kr);
                return;
            }
            if (kr == 0) {
                colstat *c = &p->cols[p->keys[i].col];
                c->dups++;
                ex_add(&c->dup_at, p->at);
            }
        }
    }
    p->row++;
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* The value of a cell: in place, or unescaped ("" → ") into the scratch buffer. */
static const char *cell_value(prof *p, const char *win, const khm_csv_cell *c, size_t *n)
{
    const char *s = win + c->start;
    *n = c->end - c->start;
    if (!c->quoted || !memchr(s, '"', *n))
        return s;
    if (*n > p->scratch_cap) {
        char *ns = khm_realloc(p->scratch, *n);
        if (!ns) {
            pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
            *n = 0;
            return s;
        }
        p->scratch = ns;
        p->scratch_cap = *n;
    }
    size_t o = 0;
    for (size_t i = 0; i < *n; i++) {
        p->scratch[o++] = s[i];
        if (s[i] == '"' && i + 1 < *n && s[i + 1] == '"')
            i++;
    }
    *n = o;
    return p->scratch;
}

static int64_t count_lines(const char *s, size_t n)
{
    int64_t k = 0;
    for (const char *q = s, *end = s + n; (q = memchr(q, '\n', (size_t)(end - q))); q++)
        k++;
    return k;
}

/* The complete records of win[0..len) (all of them when @p final); bytes consumed. The cells of
 * the record in progress are kept (the first KHM_QUALITY_MAX_COLS; the rest only hashed) until
 * its end shows it complete. */
static size_t csv_feed(prof *p, const char *win, size_t len, int final)
{
    khm_csv r;
    khm_csv_cell c;
    khm_csv_init(&r, win, len, p->delim);
    size_t rec = r.pos, done = r.pos;
    size_t ncells = 0, extra = 0;
    uint64_t extra_h = H0;
    int blank = 1;
    while (!p->err && khm_csv_next(&r, &c)) {
        if (c.end > c.start)
            blank = 0;
        if (ncells < KHM_QUALITY_MAX_COLS) {
            if (ncells == p->capcells) {
                size_t nc = p->capcells ? p->capcells * 2 : 32;
                khm_csv_cell *ncl = khm_realloc(p->cells, nc * sizeof(*ncl));
                if (!ncl) {
                    pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
                    break;
                }
                p->cells = ncl;
                p->capcells = nc;
            }
            p->cells[ncells++] = c;
        } else {
            extra_h = hbytes(extra_h, win + c.start, c.end - c.start);
            extra++;
        }
        if (!c.last)
            continue;
        size_t end = r.pos;
        int complete = final || (end >= 1 && (win[end - 1] == '\n' || win[end - 1] == '\r') &&
                                 end - 1 >= c.end && !(win[end - 1] == '\r' && end == len));
        if (!complete)
            break;
        int64_t at = p->line;
        p->line += count_lines(win + rec, end - rec) + (end > rec && win[end - 1] == '\r');
        if (ncells == 1 && blank) {
            p->q->blank_lines++;
        } else if (p->header) {
            p->header = 0;
            for (size_t k = 0; k < ncells; k++) {
                colstat *col = col_at(p, k);
                if (!col)
                    break;
                size_t vn;
                const char *v = cell_value(p, win, &p->cells[k], &vn);
                char *f = field_name(p, v, vn);
                if (f && *f)
                    col->field = f;
                col->idlike = idlike_header(col->field);
            }
        } else {
            row_begin(p, at);
            for (size_t k = 0; k < ncells && !p->err; k++) {
                size_t vn;
                const char *v = cell_value(p, win, &p->cells[k], &vn);
                row_value(p, k, v, vn, 0);
            }
            if (extra) {
                p->rh ^= extra_h;
                if ((int64_t)extra > p->q->extra_columns)
                    p->q->extra_columns = (int64_t)extra;
            }
            row_end(p);
        }
        rec = done = end;
        ncells = extra = 0;
        extra_h = H0;
        blank = 1;
        if (r.done)
            break;
    }
    return final ? len : done;
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* The column of a JSON field path (added when new), or SIZE_MAX past the column cap. */
static size_t path_col(prof *p, const char *path, size_t n)
{
    if (!p->path_slot) {
        p->path_cap = 4096; /* a power of two, ≥ 4 × KHM_QUALITY_MAX_COLS */
        p->path_slot = khm_calloc(p->path_cap, sizeof(*p->path_slot));
        if (!p->path_slot) {
            pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
            return SIZE_MAX;
        }
    }
    size_t i = (size_t)(mix(hbytes(H0, path, n)) & (p->path_cap - 1));
    for (;;) {
        int32_t v = p->path_slot[i];
        if (!v)
            break;
        const char *f = p->cols[v - 1].key;
        if (strlen(f) == n && memcmp(f, path, n) == 0)
            return (size_t)(v - 1);
        i = (i + 1) & (p->path_cap - 1);
    }
    if (p->ncols >= KHM_QUALITY_MAX_COLS) {
        p->q->extra_columns++;
        return SIZE_MAX;
    }
    size_t k = p->ncols;
    colstat *c = col_at(p, k);
    if (!c)
        return SIZE_MAX;
    if (!(c->key = khm_arena_strndup(p->a, path, n)) || !(c->field = field_name(p, path, n))) {
        pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
        return SIZE_MAX;
    }
    /* the last segment names it: "$.items[].person_id" → "person_id" */
    const char *last = c->field + strlen(c->field);
    while (last > c->field && last[-1] != '.' && last[-1] != '$' && last[-1] != ']')
        last--;
    c->idlike = idlike_header(last);
    p->path_slot[i] = (int32_t)(k + 1);
    return k;
}

static int json_value(const khm_json_value *v, void *payload)
{
    prof *p = payload;
    if (p->err)
        return 1;
    size_t k = path_col(p, v->path, v->path_len);
    if (p->err)
        return 1;
    /* rows: a record each (JSON Lines, concatenated values); in one document, the elements of
     * a top-level array: a field seen twice in the row in progress starts the next element */
    int again = k != SIZE_MAX && p->in_row && p->cols[k].seen_row == p->row && p->json_doc &&
                strncmp(v->path, "$[]", 3) == 0 && !strstr(v->path + 3, "[]");
    if (!p->in_row || v->record != p->json_rec || again) {
        row_end(p);
        p->json_rec = v->record;
        row_begin(p, p->json_doc ? p->row + 1 : v->record + 1);
    }
    const char *s = p->json_buf + v->start;
    size_t n = v->end - v->start;
    if (v->partial == 1) { /* a piece of a long string: only its bytes count, as text */
        p->rh = hbytes(p->rh, s, n);
        return 0;
    }
    if (k == SIZE_MAX) {
        p->rh = hbytes(p->rh, s, n);
        return 0;
    }
    p->cols[k].seen_row = p->row;
    int literal = 0;
    if (v->kind == KHM_JV_LITERAL)
        literal = n && s[0] == 'n' ? 2 : 1;
    else if (v->partial == 2)
        literal = 1;
    else if (v->kind == KHM_JV_STRING && v->escaped) {
        if (n > p->ubuf_cap) {
            char *nb = khm_realloc(p->ubuf, n);
            if (!nb) {
                pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
                return 1;
            }
            p->ubuf = nb;
            p->ubuf_cap = n;
        }
        n = khm_json_unescape(s, n, p->ubuf, NULL);
        s = p->ubuf;
    }
    row_value(p, k, s, n, literal);
    return p->err ? 1 : 0;
}

/* ---- reading ----------------------------------------------------------------------------- */

#define BLOCK  ((size_t)256 << 10)
#define SAMPLE ((size_t)64 << 10)
#define WCAP   (KHM_QUALITY_MAX_RECORD + 3 * BLOCK + 64)

typedef struct {
    int fd;
    const char *mem; /* or a buffer */
    size_t mem_len;
    uint64_t off; /* next byte as stored */
    int gz, gz_end, truncated;
    z_stream z;
    unsigned char *zin;
} src;

static long raw_read(src *s, unsigned char *dst, size_t n)
{
    if (s->mem) {
        size_t left = s->mem_len - (size_t)s->off;
        if (n > left)
            n = left;
        memcpy(dst, s->mem + s->off, n);
        s->off += n;
        return (long)n;
    }
    ssize_t got;
    do
        got = pread(s->fd, dst, n, (off_t)s->off);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return khm_err_set(KHM_EIO, "read failed: %s", strerror(errno));
    s->off += (uint64_t)got;
    return (long)got;
}

/* Up to n bytes after gzip; 0 at the end, < 0 an error. */
static long plain_read(src *s, unsigned char *dst, size_t n)
{
    if (!s->gz)
        return raw_read(s, dst, n);
    s->z.next_out = dst;
    s->z.avail_out = (uInt)n;
    while (s->z.avail_out == n) {
        if (s->z.avail_in == 0) {
            long got = raw_read(s, s->zin, BLOCK);
            if (got < 0)
                return got;
            if (got == 0) {
                s->truncated = !s->gz_end;
                break;
            }
            s->z.next_in = s->zin;
            s->z.avail_in = (uInt)got;
        }
        if (s->gz_end) { /* another member follows */
            if (inflateReset(&s->z) != Z_OK)
                return khm_err_set(KHM_EINVALID, "bad gzip member");
            s->gz_end = 0;
        }
        int zr = inflate(&s->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            s->gz_end = 1;
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            return khm_err_set(KHM_EINVALID, "bad gzip data: %s",
                               s->z.msg ? s->z.msg : "inflate failed");
    }
    return (long)(n - s->z.avail_out);
}

/* What the file is, from its GD-Catalog format and name; the content decides the rest. */
enum { K_NONE, K_SNIFF, K_CSV, K_TSV, K_JSON, K_JSONL };

static int kind_of_ext(const char *name)
{
    char base[256];
    snprintf(base, sizeof(base), "%s", name ? name : "");
    size_t n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
        base[n - 3] = '\0';
    const char *dot = strrchr(base, '.');
    if (!dot)
        return K_SNIFF;
    static const struct {
        const char *ext;
        int kind;
    } ext[] = { { "csv", K_CSV },   { "tsv", K_TSV },      { "tab", K_TSV },
                { "json", K_JSON }, { "jsonl", K_JSONL },  { "ndjson", K_JSONL },
                { "txt", K_SNIFF }, { "geojson", K_NONE }, { "xml", K_NONE },
                { "kml", K_NONE },  { "html", K_NONE } };
    for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
        if (strcasecmp(dot + 1, ext[k].ext) == 0)
            return ext[k].kind;
    return K_SNIFF;
}

static int kind_of(const char *format, const char *name)
{
    static const struct {
        const char *format;
        int kind;
    } fm[] = { { "CSV", K_CSV },
               { "TSV", K_TSV },
               { "JSON", K_JSON },
               { "JSONL", K_JSONL },
               { "TXT", K_SNIFF } };
    static const char *const none[] = { "GeoJSON", "XML",  "KML", "HTML", "PDF", "XLSX", "XLS",
                                        "ODS",     "DOCX", "DOC", "ZIP",  "SHP", "BIN",  "URL" };
    if (format && *format) {
        for (size_t k = 0; k < sizeof(fm) / sizeof(fm[0]); k++)
            if (strcasecmp(format, fm[k].format) == 0)
                return fm[k].kind;
        for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++)
            if (strcasecmp(format, none[k]) == 0)
                return K_NONE;
    }
    return kind_of_ext(name); /* "GZIP", unknown formats: by the name, then the content */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void finish(prof *p);

static int profile(src *s, const char *name, const char *format, khm_quality *q, khm_arena *a)
{
    double t0 = now_s();
    prof p;
    memset(q, 0, sizeof(*q));
    memset(&p, 0, sizeof(p));
    q->completeness = q->validity = q->uniqueness = -1;
    q->score = -1;
    p.q = q;
    p.a = a;
    int kind = kind_of(format, name), rc = 0, eof = 0;
    char *win = NULL;
    unsigned char *raw = NULL;
    khm_jsonr *jr = NULL;
    khm_decoder dec;
    size_t wlen = 0;
    uint64_t in_off = 0;
    if (kind == K_NONE) {
        q->status = "unsupported";
        return 0;
    }
    unsigned char magic[2] = { 0, 0 };
    long m = raw_read(s, magic, 2);
    s->off = 0;
    if (m == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        if (!(s->zin = khm_malloc(BLOCK)))
            return khm_err_set(KHM_ENOMEM, "out of memory");
        if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {
            khm_free(s->zin);
            return khm_err_set(KHM_ENOMEM, "out of memory");
        }
        s->gz = 1;
    }
    win = khm_malloc(WCAP);
    raw = khm_malloc(BLOCK > SAMPLE ? BLOCK : SAMPLE);
    if (!win || !raw) {
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
        goto out;
    }
    /* the first bytes: encoding (BOM, UTF-8, TIS-620, UTF-16), then the format */
    size_t got = 0;
    while (got < SAMPLE) {
        long g = plain_read(s, raw + got, SAMPLE - got);
        if (g < 0) {
            rc = (int)g;
            goto read_failed;
        }
        if (g == 0) {
            eof = 1;
            break;
        }
        got += (size_t)g;
    }
    size_t bom = 0;
    khm_enc enc = khm_enc_detect(raw, got, &bom);
    if ((enc == KHM_ENC_UTF8 || enc == KHM_ENC_TIS620) && memchr(raw, 0, got < 8192 ? got : 8192)) {
        q->status = "unsupported"; /* binary */
        goto out;
    }
    q->encoding = khm_enc_name(enc);
    khm_decoder_init(&dec, enc);
    wlen = khm_decode(&dec, raw + bom, got - bom, bom, win, NULL);
    in_off = got;
    if (eof)
        wlen += khm_decode_finish(&dec, win + wlen, NULL);
    int sniffed = kind == K_SNIFF;
    if (sniffed) {
        size_t i = 0;
        while (i < wlen && is_space((unsigned char)win[i]))
            i++;
        kind = i < wlen && (win[i] == '{' || win[i] == '[') ? K_JSON : K_CSV;
    }
    size_t head = wlen < SAMPLE ? wlen : SAMPLE;
    if (kind == K_CSV || kind == K_TSV) {
        char d = khm_csv_sniff(win, head);
        if (!d && sniffed) {
            q->status = "unsupported"; /* text that is not a table */
            goto out;
        }
        p.delim = kind == K_TSV ? '\t' : d ? d : ',';
        p.header = khm_csv_has_header(win, head, p.delim);
        p.line = 1;
        q->format = kind == K_TSV || p.delim == '\t' ? "tsv" : "csv";
    } else {
        if ((rc = khm_jsonr_new(&jr, kind == K_JSONL)) < 0)
            goto out;
        p.json_doc = kind == K_JSON;
        p.json_rec = -1;
        q->format = kind == K_JSONL ? "jsonl" : "json";
    }
    for (;;) {
        if (!eof) {
            long g = plain_read(s, raw, BLOCK);
            if (g < 0) {
                rc = (int)g;
                goto read_failed;
            }
            if (g == 0) {
                eof = 1;
                wlen += khm_decode_finish(&dec, win + wlen, NULL);
            } else {
                wlen += khm_decode(&dec, raw, (size_t)g, in_off, win + wlen, NULL);
                in_off += (uint64_t)g;
            }
        }
        size_t used;
        if (jr) {
            p.json_buf = win;
            int64_t u = khm_jsonr_feed(jr, win, wlen, KHM_QUALITY_MAX_RECORD, eof, json_value, &p);
            if (u < 0 && !p.err) {
                rc = KHM_EINVALID;
                goto read_failed;
            }
            used = u < 0 ? 0 : (size_t)u;
        } else {
            used = csv_feed(&p, win, wlen, eof);
        }
        if (p.err) {
            rc = p.err;
            goto out;
        }
        memmove(win, win + used, wlen - used);
        wlen -= used;
        if (eof)
            break;
        if (wlen >= KHM_QUALITY_MAX_RECORD) {
            rc = khm_err_set(KHM_ELIMIT, "the record at line %lld is longer than %zu MiB",
                             (long long)p.line, KHM_QUALITY_MAX_RECORD >> 20);
            goto read_failed;
        }
    }
    row_end(&p);
    if (p.err) {
        rc = p.err;
        goto out;
    }
    if (s->truncated) {
        rc = khm_err_set(KHM_EINVALID, "truncated gzip input: the compressed stream ends before "
                                       "its end marker");
        goto read_failed;
    }
    q->status = "profiled";
    q->encoding_errors = dec.invalid;
    if (jr && kind == K_JSONL)
        q->bad_lines = khm_jsonr_bad_lines(jr);
    finish(&p);
    rc = p.err;
    goto out;
read_failed:
    if (rc == KHM_ENOMEM)
        goto out;
    q->status = "failed";
    {
        char msg[512];
        const char *em = khm_err_last()->message;
        utf8_clean(em, strlen(em), msg, sizeof(msg) - 1); /* a JSON path as read may be in it */
        q->error = khm_arena_strdup(a, msg);
    }
    khm_err_clear();
    rc = 0;
out:
    khm_jsonr_free(jr);
    if (s->gz) {
        inflateEnd(&s->z);
        s->gz = 0;
    }
    khm_free(s->zin);
    khm_free(win);
    khm_free(raw);
    khm_free(p.cols);
    khm_free(p.keys);
    khm_free(p.cells);
    khm_free(p.scratch);
    khm_free(p.ubuf);
    khm_free(p.path_slot);
    khm_free(p.set.slot);
    q->seconds = now_s() - t0;
    if (!q->status)
        q->status = "failed";
    return rc;
}

int khm_quality_profile_fd(int fd, const char *name, const char *format, khm_quality *out,
                           khm_arena *a)
{
    src s;
    memset(&s, 0, sizeof(s));
    s.fd = fd;
    return profile(&s, name, format, out, a);
}

int khm_quality_profile_mem(const char *buf, size_t len, const char *name, const char *format,
                            khm_quality *out, khm_arena *a)
{
    src s;
    memset(&s, 0, sizeof(s));
    s.fd = -1;
    s.mem = buf ? buf : "";
    s.mem_len = buf ? len : 0;
    return profile(&s, name, format, out, a);
}

/* ---- scores and notes -------------------------------------------------------------------- */

static double round1(double v)
{
    return floor(v * 10.0 + 0.5) / 10.0;
}

double khm_quality_ratio(int64_t bad, int64_t total)
{
    if (total <= 0)
        return -1;
    if (bad < 0)
        bad = 0;
    if (bad > total)
        bad = total;
    return round1(100.0 * (double)(total - bad) / (double)total);
}

static const int weights[4] = { KHM_QUALITY_W_COMPLETENESS, KHM_QUALITY_W_VALIDITY,
                                KHM_QUALITY_W_UNIQUENESS, KHM_QUALITY_W_TIMELINESS };
static const char *const dim_names[4] = { "completeness", "validity", "uniqueness", "timeliness" };
static const char *const dim_names_th[4] = { "ความครบถ้วน", "ความถูกต้อง", "ความไม่ซ้ำซ้อน",
                                             "ความทันสมัย" };

int khm_quality_weighted(const double dims[4])
{
    double sum = 0, w = 0;
    for (int i = 0; i < 4; i++)
        if (dims[i] >= 0) {
            sum += weights[i] * dims[i];
            w += weights[i];
        }
    return w > 0 ? (int)floor(sum / w + 0.5) : -1;
}

/* 1,234,567 */
static const char *num(char out[32], int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)(v < 0 ? -v : v));
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        out[o++] = tmp[i];
        if ((n - i - 1) % 3 == 0 && i < n - 1)
            out[o++] = ',';
    }
    out[o] = '\0';
    return out;
}

/* "บรรทัด 4, 9, …" / "lines 4, 9, …" */
static const char *where(char *out, size_t cap, const int64_t *at, size_t n, int64_t total,
                         const char *unit, int th)
{
    size_t o = 0;
    int rows = unit && strcmp(unit, "row") == 0;
    o += (size_t)snprintf(out, cap, "%s",
                          th ? (rows ? "แถว " : "บรรทัด ")
                             : (rows ? (n > 1 ? "rows " : "row ") : (n > 1 ? "lines " : "line ")));
    for (size_t i = 0; i < n && o < cap; i++) {
        char b[32];
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? ", " : "", num(b, at[i]));
    }
    if (total > (int64_t)n && o < cap)
        snprintf(out + o, cap - o, ", …");
    return out;
}

typedef struct {
    khm_quality_note *v;
    int *rank;
    size_t n, cap;
    khm_arena *a;
    int err;
} notes;

/* One note, its messages already written. */
static void note(notes *ns, const char *dim, const char *code, const char *field, int64_t count,
                 const char *th, const char *en)
{
    if (ns->err)
        return;
    if (ns->n == ns->cap) {
        size_t nc = ns->cap ? ns->cap * 2 : 16;
        khm_quality_note *nv = khm_arena_calloc(ns->a, nc, sizeof(*nv));
        int *nr = khm_arena_calloc(ns->a, nc, sizeof(*nr));
        if (!nv || !nr) {
            ns->err = khm_err_set(KHM_ENOMEM, "out of memory");
            return;
        }
        if (ns->n) {
            memcpy(nv, ns->v, ns->n * sizeof(*nv));
            memcpy(nr, ns->rank, ns->n * sizeof(*nr));
        }
        ns->v = nv;
        ns->rank = nr;
        ns->cap = nc;
    }
    khm_quality_note *x = &ns->v[ns->n];
    x->dimension = dim;
    x->code = code;
    x->field = field;
    x->count = count;
    x->message_th = khm_arena_strdup(ns->a, th);
    x->message = khm_arena_strdup(ns->a, en);
    if (!x->message_th || !x->message) {
        ns->err = khm_err_set(KHM_ENOMEM, "out of memory");
        return;
    }
    ns->rank[ns->n] = (int)ns->n;
    ns->n++;
}

#define MSG           1024
#define FMT(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

static int dim_rank(const char *d)
{
    static const char *const order[] = { "score",      "completeness", "validity",
                                         "uniqueness", "timeliness",   "reading" };
    for (int i = 0; i < 6; i++)
        if (strcmp(d, order[i]) == 0)
            return i;
    return 6;
}

static int note_cmp(const void *x, const void *y, void *arg)
{
    const notes *ns = arg;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int da = dim_rank(ns->v[a].dimension), db = dim_rank(ns->v[b].dimension);
    if (da != db)
        return da - db;
    if (ns->v[a].count != ns->v[b].count)
        return ns->v[a].count > ns->v[b].count ? -1 : 1;
    return ns->rank[a] - ns->rank[b];
}

#define MAX_NOTES 100

/* Worst first within each dimension; at most MAX_NOTES (the last says how many were left). */
static int notes_done(notes *ns, khm_quality_note **out, size_t *n)
{
    if (ns->err)
        return ns->err;
    size_t *idx = ns->n ? khm_arena_calloc(ns->a, ns->n, sizeof(*idx)) : NULL;
    khm_quality_note *v = ns->n ? khm_arena_calloc(ns->a, ns->n + 1, sizeof(*v)) : NULL;
    if (ns->n && (!idx || !v))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; i < ns->n; i++)
        idx[i] = i;
    if (ns->n)
        qsort_r(idx, ns->n, sizeof(*idx), note_cmp, ns);
    size_t keep = ns->n > MAX_NOTES ? MAX_NOTES - 1 : ns->n;
    for (size_t i = 0; i < keep; i++)
        v[i] = ns->v[idx[i]];
    *out = v;
    *n = keep;
    if (keep < ns->n) {
        char b[32], th[128], en[128];
        notes tail = { v, ns->rank, keep, ns->n + 1, ns->a, 0 };
        num(b, (int64_t)(ns->n - keep));
        FMT(th, "และอีก %s รายการ", b);
        FMT(en, "and %s more", b);
        note(&tail, "reading", "more", NULL, (int64_t)(ns->n - keep), th, en);
        if (tail.err)
            return tail.err;
        *n = tail.n;
    }
    return 0;
}

/* The first KHM_QUALITY_EXAMPLES positions of two ascending lists together. */
static size_t merge_at(int64_t out[KHM_QUALITY_EXAMPLES], const exlist *x, const exlist *y)
{
    size_t i = 0, j = 0, n = 0;
    while (n < KHM_QUALITY_EXAMPLES && (i < x->n || j < y->n)) {
        int64_t v = j >= y->n || (i < x->n && x->v[i] <= y->v[j]) ? x->v[i++] : y->v[j++];
        if (n == 0 || out[n - 1] != v)
            out[n++] = v;
    }
    return n;
}

static int typed(const colstat *c, int f)
{
    return c->values > 0 && c->n[f] * 100 >= c->values * KHM_QUALITY_TYPE_SHARE;
}

/* What the type's values must be called in a note. */
static const char *const what_th[KHM_QT__COUNT] = {
    "",           "", "จำนวนเต็ม", "ตัวเลข", "วันที่", "เลขประจำตัวประชาชน 13 หลัก", "หมายเลขโทรศัพท์ที่ถูกต้อง",
    "อีเมลที่ถูกต้อง",
};
static const char *const what_en[KHM_QT__COUNT] = {
    "",
    "",
    "an integer",
    "a number",
    "a date",
    "a 13-digit national ID",
    "a valid phone number",
    "a valid e-mail address",
};

static void column_notes(notes *ns, const khm_quality *q, const khm_quality_column *c,
                         const colstat *cs)
{
    char b1[32], b2[32], wt[256], we[256], th[MSG], en[MSG];
    const char *u = q->at_unit;
    if (c->empty > 0) {
        double pc = 100.0 * (double)c->empty / (double)c->cells;
        num(b1, c->empty);
        num(b2, c->cells);
        FMT(th, "คอลัมน์ '%s' ว่าง %.1f%% (%s จาก %s แถว)", c->field, pc, b1, b2);
        FMT(en, "column '%s' is %.1f%% empty (%s of %s rows)", c->field, pc, b1, b2);
        note(ns, "completeness", "empty_cells", c->field, c->empty, th, en);
    }
    if (c->bad_check > 0) {
        num(b1, c->bad_check);
        where(wt, sizeof(wt), cs->tnin_bad_at.v, cs->tnin_bad_at.n, c->bad_check, u, 1);
        where(we, sizeof(we), cs->tnin_bad_at.v, cs->tnin_bad_at.n, c->bad_check, u, 0);
        FMT(th, "คอลัมน์ '%s': เลขประจำตัวประชาชน %s ค่ามีเลขตรวจสอบ (หลักที่ 13) ไม่ถูกต้อง (%s)", c->field,
            b1, wt);
        FMT(en, "column '%s': %s national ID(s) with a wrong check digit (%s)", c->field, b1, we);
        note(ns, "validity", "bad_check_digit", c->field, c->bad_check, th, en);
    }
    if (c->bad_date > 0) {
        num(b1, c->bad_date);
        where(wt, sizeof(wt), cs->date_bad_at.v, cs->date_bad_at.n, c->bad_date, u, 1);
        where(we, sizeof(we), cs->date_bad_at.v, cs->date_bad_at.n, c->bad_date, u, 0);
        FMT(th, "คอลัมน์ '%s': วันที่ที่ไม่มีอยู่จริง %s ค่า เช่น 31 ก.พ. หรือ 29 ก.พ. ของปีที่ไม่ใช่ปีอธิกสุรทิน (%s)",
            c->field, b1, wt);
        FMT(en,
            "column '%s': %s date(s) that do not exist, such as 31 February or 29 February of a "
            "common year (%s)",
            c->field, b1, we);
        note(ns, "validity", "impossible_date", c->field, c->bad_date, th, en);
    }
    if (c->bad_format > 0) {
        int f = c->type == KHM_QT_NATIONAL_ID ? F_TNIN
                : c->type == KHM_QT_PHONE     ? F_PHONE_OK
                : c->type == KHM_QT_EMAIL     ? F_EMAIL_OK
                : c->type == KHM_QT_DATE      ? F_DATE
                : c->type == KHM_QT_INTEGER   ? F_INT
                                              : F_DEC;
        const exlist *miss = &cs->miss[f];
        num(b1, c->bad_format);
        where(wt, sizeof(wt), miss->v, miss->n, c->bad_format, u, 1);
        where(we, sizeof(we), miss->v, miss->n, c->bad_format, u, 0);
        FMT(th, "คอลัมน์ '%s' (%s): %s ค่าไม่ใช่%s (%s)", c->field, khm_qtype_name_th(c->type), b1,
            what_th[c->type], wt);
        FMT(en, "column '%s' (%s): %s value(s) not %s (%s)", c->field, khm_qtype_name(c->type), b1,
            what_en[c->type], we);
        note(ns, "validity", "wrong_type", c->field, c->bad_format, th, en);
    }
    if (c->key && c->duplicates > 0) {
        num(b1, c->duplicates);
        where(wt, sizeof(wt), c->dup_lines, c->ndup_lines, c->duplicates, u, 1);
        where(we, sizeof(we), c->dup_lines, c->ndup_lines, c->duplicates, u, 0);
        FMT(th, "คอลัมน์ '%s' ระบุตัวแถว แต่มีค่าซ้ำกับแถวก่อนหน้า %s ค่า (%s)", c->field, b1, wt);
        FMT(en, "column '%s' identifies rows but %s value(s) repeat an earlier row's (%s)",
            c->field, b1, we);
        note(ns, "uniqueness", "duplicate_keys", c->field, c->duplicates, th, en);
    }
}

static void finish(prof *p)
{
    khm_quality *q = p->q;
    char b1[32], b2[32], th[MSG], en[MSG];
    notes ns = { NULL, NULL, 0, 0, p->a, 0 };
    q->at_unit = p->json_doc ? "row" : "line";
    q->ncols = p->ncols;
    q->cols = p->ncols ? khm_arena_calloc(p->a, p->ncols, sizeof(*q->cols)) : NULL;
    if (p->ncols && !q->cols) {
        pfail(p, khm_err_set(KHM_ENOMEM, "out of memory"));
        return;
    }
    for (size_t k = 0; k < p->ncols; k++) {
        const colstat *cs = &p->cols[k];
        khm_quality_column *c = &q->cols[k];
        int64_t ne = cs->values;
        c->field = cs->field;
        c->cells = q->rows;
        c->empty = q->rows - cs->present;
        if (ne == 0) {
            c->type = KHM_QT_EMPTY;
        } else if (typed(cs, F_TNIN)) {
            c->type = KHM_QT_NATIONAL_ID;
            c->bad_format = ne - cs->n[F_TNIN];
            c->bad_check = cs->tnin_bad;
            c->ninvalid_lines = merge_at(c->invalid_lines, &cs->miss[F_TNIN], &cs->tnin_bad_at);
        } else if (typed(cs, F_PHONE)) {
            c->type = KHM_QT_PHONE;
            c->bad_format = ne - cs->n[F_PHONE_OK];
            c->ninvalid_lines =
                merge_at(c->invalid_lines, &cs->miss[F_PHONE_OK], &cs->miss[F_PHONE_OK]);
        } else if (typed(cs, F_EMAIL)) {
            c->type = KHM_QT_EMAIL;
            c->bad_format = ne - cs->n[F_EMAIL_OK];
            c->ninvalid_lines =
                merge_at(c->invalid_lines, &cs->miss[F_EMAIL_OK], &cs->miss[F_EMAIL_OK]);
        } else if (typed(cs, F_DATE)) {
            c->type = KHM_QT_DATE;
            c->bad_format = ne - cs->n[F_DATE];
            c->bad_date = cs->date_bad;
            c->ninvalid_lines = merge_at(c->invalid_lines, &cs->miss[F_DATE], &cs->date_bad_at);
        } else if (typed(cs, F_DEC)) {
            int integer = cs->n[F_INT] == cs->n[F_DEC];
            c->type = integer ? KHM_QT_INTEGER : KHM_QT_DECIMAL;
            c->bad_format = ne - cs->n[F_DEC];
            const exlist *m = &cs->miss[integer ? F_INT : F_DEC];
            c->ninvalid_lines = merge_at(c->invalid_lines, m, m);
        } else {
            c->type = KHM_QT_TEXT;
        }
        c->invalid = c->bad_format + c->bad_check + c->bad_date;
        if (c->type != KHM_QT_TEXT && c->type != KHM_QT_EMPTY)
            q->checked += ne;
        q->invalid += c->invalid;
        q->empty += c->empty;
        /* an identifier: its values are to be unique unless they repeat so much that the
         * column is a reference to something else (a person seen on many visits) */
        if (cs->key_cand == 1 && (c->type == KHM_QT_NATIONAL_ID || cs->idlike) &&
            cs->dups * 100 <= ne * KHM_QUALITY_KEY_REPEAT_MAX) {
            c->key = 1;
            c->duplicates = cs->dups;
            c->ndup_lines = merge_at(c->dup_lines, &cs->dup_at, &cs->dup_at);
            if (c->duplicates > q->duplicate_keys)
                q->duplicate_keys = c->duplicates;
        }
    }
    q->cells = q->rows * (int64_t)q->ncols;
    q->ndup_row_lines = merge_at(q->dup_row_lines, &p->dup_rows_at, &p->dup_rows_at);
    q->completeness = khm_quality_ratio(q->empty, q->cells);
    q->validity = khm_quality_ratio(q->invalid, q->checked);
    q->uniqueness = khm_quality_ratio(q->duplicate_rows + q->duplicate_keys, q->rows);
    double dims[4] = { q->completeness, q->validity, q->uniqueness, -1 };
    q->score = khm_quality_weighted(dims);

    for (size_t k = 0; k < q->ncols; k++)
        column_notes(&ns, q, &q->cols[k], &p->cols[k]);
    if (q->duplicate_rows > 0) {
        char wt[256], we[256];
        num(b1, q->duplicate_rows);
        where(wt, sizeof(wt), q->dup_row_lines, q->ndup_row_lines, q->duplicate_rows, q->at_unit,
              1);
        where(we, sizeof(we), q->dup_row_lines, q->ndup_row_lines, q->duplicate_rows, q->at_unit,
              0);
        FMT(th, "มี %s แถวที่ซ้ำกับแถวก่อนหน้าทุกช่อง (%s)", b1, wt);
        FMT(en, "%s row(s) repeat an earlier row exactly (%s)", b1, we);
        note(&ns, "uniqueness", "duplicate_rows", NULL, q->duplicate_rows, th, en);
    }
    if (q->rows == 0) {
        note(&ns, "reading", "no_rows", NULL, 0, "ไฟล์ไม่มีแถวข้อมูล จึงยังประเมินคุณภาพไม่ได้",
             "the file has no data rows: there is nothing to judge");
    }
    if (q->encoding_errors > 0) {
        num(b1, (int64_t)q->encoding_errors);
        FMT(th, "พบลำดับไบต์ที่ไม่ถูกต้องตามการเข้ารหัส %s จำนวน %s แห่ง", q->encoding, b1);
        FMT(en, "%s invalid %s sequence(s)", b1, q->encoding);
        note(&ns, "reading", "encoding_errors", NULL, (int64_t)q->encoding_errors, th, en);
    }
    if (q->bad_lines > 0) {
        num(b1, q->bad_lines);
        FMT(th, "ข้ามบรรทัดที่ไม่ใช่ JSON %s บรรทัด", b1);
        FMT(en, "%s line(s) that are not JSON were skipped", b1);
        note(&ns, "reading", "bad_lines", NULL, q->bad_lines, th, en);
    }
    if (q->unchecked_rows > 0) {
        num(b1, q->unchecked_rows);
        num(b2, (int64_t)KHM_QUALITY_MAX_HASHES);
        FMT(th, "%s แถวท้ายไฟล์ไม่ได้ตรวจหาแถวซ้ำ (เกินขีดจำกัด %s ค่าที่จำได้)", b1, b2);
        FMT(en,
            "%s row(s) at the end were not checked for repeats (over the bound of %s "
            "remembered values)",
            b1, b2);
        note(&ns, "reading", "unchecked_rows", NULL, q->unchecked_rows, th, en);
    }
    if (q->extra_columns > 0) {
        num(b1, q->extra_columns);
        num(b2, KHM_QUALITY_MAX_COLS);
        FMT(th, "ไม่ได้ประเมิน %s คอลัมน์ที่เกิน %s คอลัมน์แรก", b1, b2);
        FMT(en, "%s column(s) past the first %s were not profiled", b1, b2);
        note(&ns, "reading", "extra_columns", NULL, q->extra_columns, th, en);
    }
    int rc = notes_done(&ns, &q->notes, &q->nnotes);
    if (rc < 0)
        pfail(p, rc);
}

/* ---- timeliness -------------------------------------------------------------------------- */

#define DAY_MS 86400000.0

static const struct {
    const char *unit;
    const char *en;
    double days;
} units[] = {
    { "ปี", "year", 365 },
    { "ครึ่งปี", "half-year", 183 },
    { "ไตรมาส", "quarter", 92 },
    { "เดือน", "month", 31 },
    { "สัปดาห์", "week", 7 },
    { "วัน", "day", 1 },
    { "วันทำการ", "business day", 3 },
    { "ชั่วโมง", "hour", 1.0 / 24 },
    { "นาที", "minute", 1.0 / 1440 },
};

void khm_quality_timeliness_eval(const char *metadata, int64_t last_resource, int64_t created_at,
                                 int64_t now, khm_quality_timeliness *out)
{
    memset(out, 0, sizeof(*out));
    out->score = -1;
    out->interval = 1;
    json_t *m = metadata ? json_loads(metadata, 0, NULL) : NULL;
    const char *unit = json_string_value(json_object_get(m, "update_frequency_unit"));
    json_t *iv = json_object_get(m, "update_frequency_interval");
    const char *lud = json_string_value(json_object_get(m, "last_updated_date"));
    if (json_is_integer(iv) && json_integer_value(iv) > 0)
        out->interval = json_integer_value(iv);
    else if (json_is_string(iv) && atoll(json_string_value(iv)) > 0)
        out->interval = atoll(json_string_value(iv));
    /* the last update: the newest upload, or the date the metadata declares if newer */
    int64_t meta_ms = 0;
    int y, mo, d;
    if (lud && strlen(lud) == 10 && sscanf(lud, "%4d-%2d-%2d", &y, &mo, &d) == 3 &&
        day_exists(y, mo, d))
        meta_ms = khm_time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400000LL -
                  7 * 3600000LL; /* 00:00 in Bangkok */
    out->last_update = last_resource;
    out->last_update_source = last_resource ? "resource" : NULL;
    if (meta_ms > out->last_update) {
        out->last_update = meta_ms;
        out->last_update_source = "metadata";
    }
    if (!out->last_update) {
        out->last_update = created_at;
        out->last_update_source = "dataset";
    }
    if (unit)
        for (size_t k = 0; k < sizeof(units) / sizeof(units[0]) + 4; k++) {
            static const char *const special[] = { "ไม่ทราบ", "อื่นๆ", "ตามเวลาจริง",
                                                   "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล" };
            static const char *const codes[] = { "unknown_frequency", "other_frequency",
                                                 "real_time", "static" };
            size_t nu = sizeof(units) / sizeof(units[0]);
            if (k < nu && strcmp(unit, units[k].unit) == 0) {
                out->unit = units[k].unit;
                out->period_days = units[k].days / (double)out->interval;
                break;
            }
            if (k >= nu && strcmp(unit, special[k - nu]) == 0) {
                out->unit = special[k - nu];
                out->code = codes[k - nu];
                break;
            }
        }
    json_decref(m);
    if (!out->unit) {
        out->code = "no_frequency";
        return;
    }
    if (out->code) {
        if (strcmp(out->code, "static") == 0)
            out->score = 100;
        return;
    }
    double period_ms = out->period_days * DAY_MS;
    out->due_at = out->last_update + (int64_t)period_ms;
    double late = (double)(now - out->due_at);
    if (late <= 0) {
        out->code = "on_time";
        out->score = 100;
        return;
    }
    out->code = "overdue";
    out->overdue_days = round1(late / DAY_MS);
    double s = 100.0 * (1.0 - late / period_ms);
    out->score = s > 0 ? round1(s) : 0;
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* One decimal, or null for -1 (not measured). */
static void jw_score(khm_jw *w, double v)
{
    char tmp[32];
    if (v < 0) {
        khm_jw_null(w);
        return;
    }
    int n = snprintf(tmp, sizeof(tmp), "%.1f", v);
    khm_jw_raw(w, tmp, (size_t)n);
}

static void jw_positions(khm_jw *w, const int64_t *v, size_t n)
{
    khm_jw_arr(w);
    for (size_t i = 0; i < n; i++)
        khm_jw_int(w, v[i]);
    khm_jw_arr_end(w);
}

static void jw_notes(khm_jw *w, const khm_quality_note *v, size_t n)
{
    khm_jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        khm_jw_obj(w);
        khm_jw_key(w, "dimension");
        khm_jw_str(w, v[i].dimension);
        khm_jw_key(w, "code");
        khm_jw_str(w, v[i].code);
        khm_jw_key(w, "column");
        khm_jw_str(w, v[i].field);
        khm_jw_key(w, "count");
        khm_jw_int(w, v[i].count);
        khm_jw_key(w, "message_th");
        khm_jw_str(w, v[i].message_th);
        khm_jw_key(w, "message");
        khm_jw_str(w, v[i].message);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
}

static void jw_dims(khm_jw *w, double c, int64_t empty, int64_t cells, double v, int64_t invalid,
                    int64_t checked, double u, int64_t dup_rows, int64_t dup_keys, int64_t rows)
{
    khm_jw_key(w, "completeness");
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    jw_score(w, c);
    khm_jw_key(w, "weight");
    khm_jw_int(w, KHM_QUALITY_W_COMPLETENESS);
    khm_jw_key(w, "empty");
    khm_jw_int(w, empty);
    khm_jw_key(w, "cells");
    khm_jw_int(w, cells);
    khm_jw_obj_end(w);
    khm_jw_key(w, "validity");
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    jw_score(w, v);
    khm_jw_key(w, "weight");
    khm_jw_int(w, KHM_QUALITY_W_VALIDITY);
    khm_jw_key(w, "invalid");
    khm_jw_int(w, invalid);
    khm_jw_key(w, "checked");
    khm_jw_int(w, checked);
    khm_jw_obj_end(w);
    khm_jw_key(w, "uniqueness");
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    jw_score(w, u);
    khm_jw_key(w, "weight");
    khm_jw_int(w, KHM_QUALITY_W_UNIQUENESS);
    khm_jw_key(w, "duplicate_rows");
    khm_jw_int(w, dup_rows);
    khm_jw_key(w, "duplicate_keys");
    khm_jw_int(w, dup_keys);
    khm_jw_key(w, "rows");
    khm_jw_int(w, rows);
    khm_jw_obj_end(w);
}

void khm_quality_write_json(khm_jw *w, const khm_quality *q, const char *resource_id,
                            const char *name, int64_t computed_at)
{
    khm_jw_obj(w);
    khm_jw_key(w, "resource_id");
    khm_jw_str(w, resource_id);
    khm_jw_key(w, "name");
    khm_jw_str(w, name);
    khm_jw_key(w, "computed_at");
    khm_jw_time(w, computed_at);
    khm_jw_key(w, "status");
    khm_jw_str(w, q->status);
    khm_jw_key(w, "error");
    khm_jw_str(w, q->error);
    khm_jw_key(w, "format");
    khm_jw_str(w, q->format);
    khm_jw_key(w, "encoding");
    khm_jw_str(w, q->encoding);
    khm_jw_key(w, "rows");
    khm_jw_int(w, q->rows);
    khm_jw_key(w, "score");
    if (q->score >= 0)
        khm_jw_int(w, q->score);
    else
        khm_jw_null(w);
    khm_jw_key(w, "dimensions");
    khm_jw_obj(w);
    jw_dims(w, q->completeness, q->empty, q->cells, q->validity, q->invalid, q->checked,
            q->uniqueness, q->duplicate_rows, q->duplicate_keys, q->rows);
    khm_jw_obj_end(w);
    khm_jw_key(w, "positions");
    khm_jw_str(w, q->at_unit);
    khm_jw_key(w, "columns");
    khm_jw_arr(w);
    for (size_t k = 0; k < q->ncols; k++) {
        const khm_quality_column *c = &q->cols[k];
        khm_jw_obj(w);
        khm_jw_key(w, "index");
        khm_jw_int(w, (int64_t)k);
        khm_jw_key(w, "field");
        khm_jw_str(w, c->field);
        khm_jw_key(w, "type");
        khm_jw_str(w, khm_qtype_name(c->type));
        khm_jw_key(w, "cells");
        khm_jw_int(w, c->cells);
        khm_jw_key(w, "empty");
        khm_jw_int(w, c->empty);
        khm_jw_key(w, "invalid");
        khm_jw_int(w, c->invalid);
        khm_jw_key(w, "bad_format");
        khm_jw_int(w, c->bad_format);
        khm_jw_key(w, "bad_check_digit");
        khm_jw_int(w, c->bad_check);
        khm_jw_key(w, "impossible_dates");
        khm_jw_int(w, c->bad_date);
        khm_jw_key(w, "invalid_at");
        jw_positions(w, c->invalid_lines, c->ninvalid_lines);
        khm_jw_key(w, "key");
        khm_jw_bool(w, c->key);
        khm_jw_key(w, "duplicates");
        khm_jw_int(w, c->duplicates);
        khm_jw_key(w, "duplicate_at");
        jw_positions(w, c->dup_lines, c->ndup_lines);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_key(w, "duplicate_rows_at");
    jw_positions(w, q->dup_row_lines, q->ndup_row_lines);
    khm_jw_key(w, "explanations");
    jw_notes(w, q->notes, q->nnotes);
    khm_jw_key(w, "limits");
    khm_jw_obj(w);
    khm_jw_key(w, "unchecked_rows");
    khm_jw_int(w, q->unchecked_rows);
    khm_jw_key(w, "extra_columns");
    khm_jw_int(w, q->extra_columns);
    khm_jw_key(w, "encoding_errors");
    khm_jw_int(w, (int64_t)q->encoding_errors);
    khm_jw_key(w, "bad_lines");
    khm_jw_int(w, q->bad_lines);
    khm_jw_key(w, "blank_lines");
    khm_jw_int(w, q->blank_lines);
    khm_jw_obj_end(w);
    khm_jw_obj_end(w);
}

/* ---- datasets ---------------------------------------------------------------------------- */

static const char *unit_en(const char *unit)
{
    for (size_t k = 0; unit && k < sizeof(units) / sizeof(units[0]); k++)
        if (strcmp(unit, units[k].unit) == 0)
            return units[k].en;
    return unit ? unit : "";
}

/* "ทุก 31 วัน" / "every 31 days": the period, in days or hours. */
static void period_text(char *th, char *en, size_t cap, double days)
{
    if (days >= 1) {
        snprintf(th, cap, "ทุก %.4g วัน", days);
        snprintf(en, cap, "every %.4g day%s", days, days == 1 ? "" : "s");
    } else {
        snprintf(th, cap, "ทุก %.4g ชั่วโมง", days * 24);
        snprintf(en, cap, "every %.4g hour%s", days * 24, days * 24 == 1 ? "" : "s");
    }
}

static void timeliness_notes(notes *ns, const khm_quality_timeliness *t)
{
    char th[MSG], en[MSG], lt[96], le[16], dt[96], de[16], pt[64], pe[64];
    const char *code = t->code;
    khm_time_format_th(lt, sizeof(lt), t->last_update);
    char iso[KHM_TIME_RFC3339_LEN];
    khm_time_format(iso, t->last_update);
    snprintf(le, sizeof(le), "%.10s", iso);
    if (strcmp(code, "no_frequency") == 0) {
        note(ns, "timeliness", code, NULL, 0,
             "ไม่ได้ประเมินความทันสมัย: ชุดข้อมูลไม่ได้ระบุความถี่ของการปรับปรุงข้อมูล (update_frequency_unit)",
             "timeliness not assessed: the dataset declares no update frequency "
             "(update_frequency_unit)");
        return;
    }
    if (strcmp(code, "unknown_frequency") == 0 || strcmp(code, "other_frequency") == 0 ||
        strcmp(code, "real_time") == 0) {
        FMT(th, "ไม่ได้ประเมินความทันสมัย: ความถี่ของการปรับปรุงข้อมูลคือ '%s' ซึ่งไม่มีรอบที่วัดได้%s", t->unit,
            strcmp(code, "real_time") == 0 ? " (ข้อมูลตามเวลาจริงประเมินที่ระบบต้นทาง)" : "");
        FMT(en,
            "timeliness not assessed: the declared update frequency is '%s', which has no "
            "measurable period%s",
            t->unit,
            strcmp(code, "real_time") == 0 ? " (real-time data is judged at its source)" : "");
        note(ns, "timeliness", code, NULL, 0, th, en);
        return;
    }
    if (strcmp(code, "static") == 0) {
        note(ns, "timeliness", code, NULL, 0,
             "ความทันสมัย 100: ชุดข้อมูลระบุว่าไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
             "timeliness 100: the dataset declares it is never updated after collection");
        return;
    }
    period_text(pt, pe, sizeof(pt), t->period_days);
    khm_time_format_th(dt, sizeof(dt), t->due_at);
    khm_time_format(iso, t->due_at);
    snprintf(de, sizeof(de), "%.10s", iso);
    const char *src_th = strcmp(t->last_update_source, "resource") == 0 ? "อัปโหลดทรัพยากรล่าสุด"
                         : strcmp(t->last_update_source, "metadata") == 0
                             ? "วันที่ปรับปรุงข้อมูลล่าสุดในเมทาดาตา"
                             : "วันที่ลงทะเบียนชุดข้อมูล";
    const char *src_en = strcmp(t->last_update_source, "resource") == 0 ? "the newest upload"
                         : strcmp(t->last_update_source, "metadata") == 0
                             ? "the metadata's last_updated_date"
                             : "the dataset's registration";
    if (strcmp(code, "on_time") == 0) {
        FMT(th, "ความทันสมัย 100: ปรับปรุงล่าสุด %s (%s) ความถี่ที่ระบุคือ%s %lld ครั้ง (%s) ครบกำหนดครั้งถัดไป %s",
            lt, src_th, t->unit, (long long)t->interval, pt, dt);
        FMT(en,
            "timeliness 100: last updated %s (%s); declared frequency %lld per %s (%s); next due "
            "%s",
            le, src_en, (long long)t->interval, unit_en(t->unit), pe, de);
    } else {
        FMT(th,
            "ความทันสมัย %.1f: เกินกำหนดปรับปรุง %.1f วัน ปรับปรุงล่าสุด %s (%s) ความถี่ที่ระบุคือ%s %lld ครั้ง (%s) "
            "ครบกำหนดเมื่อ %s",
            t->score, t->overdue_days, lt, src_th, t->unit, (long long)t->interval, pt, dt);
        FMT(en,
            "timeliness %.1f: %.1f days overdue; last updated %s (%s); declared frequency %lld per "
            "%s (%s); due %s",
            t->score, t->overdue_days, le, src_en, (long long)t->interval, unit_en(t->unit), pe,
            de);
    }
    note(ns, "timeliness", code, NULL, 0, th, en);
}

int khm_quality_dataset_eval(khm_tx *tx, const khm_dataset *d, int64_t now,
                             khm_quality_summary *out, khm_arena *a)
{
    int64_t last = 0;
    char b1[32], b2[32], b3[32], th[MSG], en[MSG];
    memset(out, 0, sizeof(*out));
    int rc = khm_store_quality_files(tx, d->id, &out->files, &last);
    if (rc == 0)
        rc = khm_store_quality_list(tx, d->id, &out->recs, &out->nrecs, a);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < out->nrecs; i++) {
        const khm_quality_rec *r = &out->recs[i];
        if (strcmp(r->status, "profiled") != 0)
            continue;
        out->profiled++;
        out->rows += r->rows;
        out->cells += r->cells;
        out->empty += r->empty;
        out->checked += r->checked;
        out->invalid += r->invalid;
        out->duplicate_rows += r->duplicate_rows;
        out->duplicate_keys += r->duplicate_keys;
    }
    out->completeness = khm_quality_ratio(out->empty, out->cells);
    out->validity = khm_quality_ratio(out->invalid, out->checked);
    out->uniqueness = khm_quality_ratio(out->duplicate_rows + out->duplicate_keys, out->rows);
    khm_quality_timeliness_eval(d->metadata, last, d->created_at, now, &out->timeliness);
    double dims[4] = { out->completeness, out->validity, out->uniqueness, out->timeliness.score };
    out->score = out->profiled ? khm_quality_weighted(dims) : -1;

    notes ns = { NULL, NULL, 0, 0, a, 0 };
    if (out->score >= 0) {
        char pt[256] = "", pe[256] = "";
        size_t ot = 0, oe = 0;
        int wsum = 0;
        for (int i = 0; i < 4; i++)
            if (dims[i] >= 0) {
                ot += (size_t)snprintf(pt + ot, sizeof(pt) - ot, "%s%d×%.1f", ot ? " + " : "",
                                       weights[i], dims[i]);
                oe += (size_t)snprintf(pe + oe, sizeof(pe) - oe, "%s%d×%.1f (%s)", oe ? " + " : "",
                                       weights[i], dims[i], dim_names[i]);
                wsum += weights[i];
            }
        FMT(th, "คะแนนคุณภาพ %d = (%s) / %d", out->score, pt, wsum);
        FMT(en, "quality score %d = (%s) / %d", out->score, pe, wsum);
        note(&ns, "score", "score", NULL, out->score, th, en);
    } else {
        note(&ns, "score", "no_data", NULL, 0,
             "ยังไม่มีคะแนน: ไม่มีไฟล์ข้อมูลแบบตาราง (CSV, TSV, JSON) ที่ประเมินแล้ว",
             "no score yet: no tabular file (CSV, TSV, JSON) has been profiled");
    }
    if (out->completeness >= 0) {
        FMT(th, "%s %.1f: ช่องว่าง %s จาก %s ช่อง", dim_names_th[0], out->completeness,
            num(b1, out->empty), num(b2, out->cells));
        FMT(en, "completeness %.1f: %s of %s cells empty", out->completeness, b1, b2);
        note(&ns, "completeness", "summary", NULL, out->empty, th, en);
    }
    if (out->validity >= 0) {
        FMT(th, "%s %.1f: ค่าไม่ถูกต้อง %s จาก %s ค่าที่ตรวจชนิดได้", dim_names_th[1], out->validity,
            num(b1, out->invalid), num(b2, out->checked));
        FMT(en, "validity %.1f: %s of %s checked values invalid", out->validity, b1, b2);
        note(&ns, "validity", "summary", NULL, out->invalid, th, en);
    } else if (out->profiled) {
        note(&ns, "validity", "nothing_to_check", NULL, 0,
             "ไม่ได้ประเมินความถูกต้อง: ไม่มีคอลัมน์ที่ตรวจชนิดข้อมูลได้ (ทุกคอลัมน์เป็นข้อความ)",
             "validity not assessed: no column has a checkable type (all are text)");
    }
    if (out->uniqueness >= 0) {
        FMT(th, "%s %.1f: แถวซ้ำ %s แถว รหัสซ้ำ %s ค่า จาก %s แถว", dim_names_th[2], out->uniqueness,
            num(b1, out->duplicate_rows), num(b2, out->duplicate_keys), num(b3, out->rows));
        FMT(en, "uniqueness %.1f: %s repeated row(s) and %s repeated identifier(s) in %s rows",
            out->uniqueness, b1, b2, b3);
        note(&ns, "uniqueness", "summary", NULL, out->duplicate_rows + out->duplicate_keys, th, en);
    }
    timeliness_notes(&ns, &out->timeliness);
    if (out->files > (int64_t)out->nrecs) {
        num(b1, out->files - (int64_t)out->nrecs);
        FMT(th,
            "ยังไม่ได้ประเมิน %s ไฟล์ (ใหญ่เกินกว่าจะตรวจตอนอัปโหลด หรืออัปโหลดก่อนมีการประเมินคุณภาพ): "
            "POST /api/v1/datasets/{id}/quality เพื่อประเมิน",
            b1);
        FMT(en,
            "%s file(s) not profiled yet (too large to profile on upload, or uploaded before "
            "quality was measured): POST /api/v1/datasets/{id}/quality profiles them",
            b1);
        note(&ns, "reading", "pending", NULL, out->files - (int64_t)out->nrecs, th, en);
    }
    return notes_done(&ns, &out->notes, &out->nnotes);
}

int khm_quality_refresh(khm_tx *tx, khm_dataset *d, int64_t now)
{
    khm_quality_summary s;
    khm_arena *a = khm_arena_new(0);
    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = khm_quality_dataset_eval(tx, d, now, &s, a);
    if (rc == 0)
        rc = khm_store_dataset_set_quality(tx, d->id, s.score, now);
    if (rc == 0) {
        d->quality_score = s.score;
        d->quality_at = now;
    }
    khm_arena_free(a);
    return rc;
}

int khm_quality_save(khm_tx *tx, const khm_resource_rec *r, const khm_quality *q, int64_t now)
{
    int rc;
    {
        khm_buf b = KHM_BUF_INIT((size_t)16 << 20);
        khm_jw w;
        khm_jw_init(&w, &b);
        khm_quality_write_json(&w, q, r->id, r->name, now);
        khm_buf_putc(&b, '\0');
        if ((rc = khm_jw_finish(&w)) == 0 && b.ptr) {
            khm_quality_rec rec;
            memset(&rec, 0, sizeof(rec));
            memcpy(rec.resource_id, r->id, KHM_ID_LEN);
            memcpy(rec.dataset_id, r->dataset_id, KHM_ID_LEN);
            rec.status = q->status;
            rec.computed_at = now;
            rec.rows = q->rows;
            rec.cells = q->cells;
            rec.empty = q->empty;
            rec.checked = q->checked;
            rec.invalid = q->invalid;
            rec.duplicate_rows = q->duplicate_rows;
            rec.duplicate_keys = q->duplicate_keys;
            rec.score = q->score;
            rec.report = b.ptr;
            rc = khm_store_quality_put(tx, &rec);
        } else if (rc == 0) {
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
        }
        khm_buf_dispose(&b);
    }
    return rc;
}

int khm_quality_store(khm_tx *tx, khm_dataset *d, const khm_resource_rec *r, const khm_quality *q,
                      int64_t now)
{
    int rc = q ? khm_quality_save(tx, r, q, now) : 0;
    return rc < 0 ? rc : khm_quality_refresh(tx, d, now);
}

int khm_quality_profile_files(khm_quality_item **out, size_t *nout, const char *data_dir,
                              const khm_resource_rec *files, size_t n, khm_arena *a)
{
    size_t k = 0;
    *out = NULL;
    *nout = 0;
    khm_quality_item *items = n ? khm_arena_calloc(a, n, sizeof(*items)) : NULL;
    if (n && !items)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int fd = -1, rc;
        if (!files[i].sha256[0])
            continue; /* a link: no bytes */
        khm_quality *q = khm_arena_calloc(a, 1, sizeof(*q));
        if (!q)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        if ((rc = khm_blob_open(data_dir, files[i].sha256, &fd, NULL)) < 0) {
            if (rc != KHM_ENOTFOUND)
                return rc;
            /* a row without its bytes: kept as a failed profile, the others go on */
            khm_err_clear();
            q->status = "failed";
            q->error = "the resource's file is missing from the store";
            q->completeness = q->validity = q->uniqueness = -1;
            q->score = -1;
        } else {
            rc = khm_quality_profile_fd(fd, files[i].name, files[i].format, q, a);
            close(fd);
            if (rc < 0)
                return rc;
        }
        memcpy(items[k].resource_id, files[i].id, KHM_ID_LEN);
        items[k++].q = q;
    }
    *out = items;
    *nout = k;
    return 0;
}

int khm_quality_save_files(khm_tx *tx, khm_dataset *d, const khm_quality_item *items, size_t n,
                           int64_t now, khm_arena *a)
{
    khm_resource_rec rec;
    int rc;
    for (size_t i = 0; i < n; i++) {
        rc = khm_store_resource_get(tx, &rec, d->id, items[i].resource_id, a);
        if (rc == KHM_ENOTFOUND) { /* deleted since it was read */
            khm_err_clear();
            continue;
        }
        if (rc < 0 || (rc = khm_quality_save(tx, &rec, items[i].q, now)) < 0)
            return rc;
    }
    return khm_quality_refresh(tx, d, now);
}

static void jw_timeliness(khm_jw *w, const khm_quality_timeliness *t)
{
    char tmp[32];
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    jw_score(w, t->score);
    khm_jw_key(w, "weight");
    khm_jw_int(w, KHM_QUALITY_W_TIMELINESS);
    khm_jw_key(w, "status");
    khm_jw_str(w, t->code);
    khm_jw_key(w, "frequency");
    khm_jw_obj(w);
    khm_jw_key(w, "unit");
    khm_jw_str(w, t->unit);
    khm_jw_key(w, "interval");
    khm_jw_int(w, t->interval);
    khm_jw_key(w, "period_days");
    if (t->period_days > 0) {
        int n = snprintf(tmp, sizeof(tmp), "%.4f", t->period_days);
        khm_jw_raw(w, tmp, (size_t)n);
    } else {
        khm_jw_null(w);
    }
    khm_jw_obj_end(w);
    khm_jw_key(w, "last_update");
    khm_jw_time(w, t->last_update);
    khm_jw_key(w, "last_update_source");
    khm_jw_str(w, t->last_update_source);
    khm_jw_key(w, "due_at");
    khm_jw_time(w, t->due_at);
    khm_jw_key(w, "overdue_days");
    jw_score(w, t->overdue_days);
    khm_jw_obj_end(w);
}

int khm_quality_write_report(khm_tx *tx, khm_jw *w, const khm_dataset *d, int64_t now, khm_arena *a)
{
    khm_quality_summary s;
    int rc = khm_quality_dataset_eval(tx, d, now, &s, a);
    if (rc < 0)
        return rc;
    khm_jw_obj(w);
    khm_jw_key(w, "dataset_id");
    khm_jw_str(w, d->id);
    khm_jw_key(w, "score");
    if (s.score >= 0)
        khm_jw_int(w, s.score);
    else
        khm_jw_null(w);
    khm_jw_key(w, "evaluated_at");
    khm_jw_time(w, now);
    khm_jw_key(w, "stored");
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    if (d->quality_at && d->quality_score >= 0)
        khm_jw_int(w, d->quality_score);
    else
        khm_jw_null(w);
    khm_jw_key(w, "computed_at");
    khm_jw_time(w, d->quality_at);
    khm_jw_obj_end(w);
    khm_jw_key(w, "formula");
    khm_jw_str(w, "score = (30×completeness + 30×validity + 20×uniqueness + 20×timeliness) / 100; "
                  "a dimension that cannot be measured is left out and the others' weights "
                  "scaled up (docs/quality.md)");
    khm_jw_key(w, "dimensions");
    khm_jw_obj(w);
    jw_dims(w, s.completeness, s.empty, s.cells, s.validity, s.invalid, s.checked, s.uniqueness,
            s.duplicate_rows, s.duplicate_keys, s.rows);
    khm_jw_key(w, "timeliness");
    jw_timeliness(w, &s.timeliness);
    khm_jw_obj_end(w);
    khm_jw_key(w, "files");
    khm_jw_int(w, s.files);
    khm_jw_key(w, "profiled");
    khm_jw_int(w, s.profiled);
    khm_jw_key(w, "explanations");
    jw_notes(w, s.notes, s.nnotes);
    khm_jw_key(w, "resources");
    khm_jw_arr(w);
    /* every file, in id order, with its stored profile or as pending */
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more = 1;
    while (rc == 0 && more) {
        khm_resource_rec *items;
        size_t n;
        if ((rc = khm_store_resource_list(tx, &items, &n, &more, d->id, &page, a)) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            const khm_resource_rec *r = &items[i];
            if (!r->sha256[0])
                continue;
            size_t qi = 0;
            while (qi < s.nrecs && strcmp(s.recs[qi].resource_id, r->id) != 0)
                qi++;
            if (qi < s.nrecs) {
                khm_jw_raw(w, s.recs[qi].report, strlen(s.recs[qi].report));
                continue;
            }
            khm_jw_obj(w);
            khm_jw_key(w, "resource_id");
            khm_jw_str(w, r->id);
            khm_jw_key(w, "name");
            khm_jw_str(w, r->name);
            khm_jw_key(w, "computed_at");
            khm_jw_null(w);
            khm_jw_key(w, "status");
            khm_jw_str(w, "pending");
            khm_jw_key(w, "score");
            khm_jw_null(w);
            khm_jw_obj_end(w);
        }
        if (n)
            page.after = items[n - 1].id;
    }
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
    return rc;
}
