/* Masking of reported values: enough left to recognise a value one already knows, not enough
 * to learn it. National IDs and company numbers keep the 1st, 2nd–5th and last digits
 * (1-2345-XXXXX-XX-1), phones the first two and last four digits (08X-XXX-5678), e-mail the first
 * letter and the domain, IPv6 the first two groups, URLs the scheme and host. Dates keep the
 * year as written (2024-XX-XX, XX/XX/2567), passports their letters and last two digits, bank
 * accounts their last four digits, plates their letters and province (digits masked). Sensitive
 * data (PDPA s.26) keeps nothing: the whole value becomes its type in brackets ("[RELIGION]",
 * "[HEALTH]"), since even a part of "เบาหวาน (E11.9)" or "O Rh+" tells the secret. */
#include "scan_int.h"

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <string.h>

static size_t digits_of(const char *v, size_t n, char *d, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++)
        if (khm_isdigit((unsigned char)v[i]))
            d[k++] = v[i];
    return k;
}

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

static char *mask_phone(char *o, const char *v, size_t n)
{
    char d[24], nat[24];
    size_t k = digits_of(v, n, d, sizeof(d)), m = 0;
    size_t from = 0;
    if (n && v[0] == '+') { /* +66 8…: national form with the trunk 0 */
        nat[m++] = '0';
        from = 2;
        if (k > 2 && d[2] == '0') /* +66 (0)81… */
            from = 3;
    }
    for (size_t i = from; i < k && m < sizeof(nat); i++)
        nat[m++] = d[i];
    if (m < 6)
        return put(o, "XXX", 3);
    for (size_t i = 0; i < m; i++) {
        if (i == 3 || (i == m - 4 && m >= 9))
            *o++ = '-';
        *o++ = (i < 2 || i >= m - 4) ? nat[i] : 'X';
    }
    return o;
}

/* Every ASCII digit but the last @p keep as X; letters, separators and Thai text as written. */
static char *mask_digits(char *o, const char *v, size_t n, size_t keep)
{
    size_t k = 0, seen = 0;
    for (size_t i = 0; i < n; i++)
        k += khm_isdigit((unsigned char)v[i]);
    for (size_t i = 0; i < n; i++) {
        int digit = khm_isdigit((unsigned char)v[i]);
        *o++ = digit && seen++ + keep < k ? 'X' : v[i];
    }
    return o;
}

/* The masking rule of each type, found once: the hot path compares the finding's type pointer
 * with the table's names (findings carry those very pointers), then switches — no strcmp chain
 * and no printf per finding (profiling: they cost more than the scan of a CSV cell). */
enum {
    M_DEFAULT,
    M_SENSITIVE,
    M_ID,
    M_PHONE,
    M_EMAIL,
    M_CARD,
    M_IP,
    M_URL,
    M_IBAN,
    M_DATE,
    M_PASSPORT,
    M_BANK,
    M_PLATE
};

static int rule_of_name(const char *type)
{
    static const struct {
        const char *name;
        int rule;
    } rules[] = {
        { "TH_TNIN", M_ID },
        { "TH_JURISTIC_ID", M_ID },
        { "PHONE_NUMBER", M_PHONE },
        { "EMAIL_ADDRESS", M_EMAIL },
        { "CREDIT_CARD", M_CARD },
        { "IP_ADDRESS", M_IP },
        { "URL", M_URL },
        { "IBAN_CODE", M_IBAN },
        { "DATE_TIME", M_DATE },
        { "TH_PASSPORT", M_PASSPORT },
        { "TH_BANK_ACCOUNT", M_BANK },
        { "TH_LICENSE_PLATE", M_PLATE },
    };
    int det = khm_scan_detector_find(type);
    if (det >= 0 && khm_detectors[det].pdpa == KHM_PDPA_SENSITIVE)
        return M_SENSITIVE;
    for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++)
        if (strcmp(rules[k].name, type) == 0)
            return rules[k].rule;
    return M_DEFAULT;
}

/* The rule of built-in detector @p d, cached (the table is constant). */
static int rule_of_det(size_t d)
{
    static _Atomic signed char cache[64];
    signed char r = d < 64 ? cache[d] : 0;
    if (r > 0)
        return r - 1;
    int rule = rule_of_name(khm_detectors[d].name);
    if (d < 64)
        cache[d] = (signed char)(rule + 1);
    return rule;
}

static int rule_of(const char *type)
{
    for (size_t d = 0; d < khm_detector_count; d++)
        if (khm_detectors[d].name == type) /* the usual case: a finding's own type */
            return rule_of_det(d);
    return rule_of_name(type);
}

/* The masked form of v[0..n) by @p rule into o (room for n + KHM_MASK_SLACK bytes): its end. */
/* TH_TNIN and TH_JURISTIC_ID as the detectors write them (13 digits, or grouped 1-4-5-2-1 with
 * one separator): the first five and the last digit kept; 0 when v is in another form. */
static char *mask_id_fast(char *o, const char *v, size_t n)
{
    const unsigned char *u = (const unsigned char *)v;
    if (n == 13) {
        for (size_t k = 0; k < 13; k++)
            if (!khm_isdigit(u[k]))
                return NULL;
    } else if (n == 17) {
        for (size_t k = 0; k < 17; k++)
            if ((k == 1 || k == 6 || k == 12 || k == 15) == khm_isdigit(u[k]))
                return NULL;
    } else {
        return NULL;
    }
    size_t g = n == 17; /* the grouped form: one separator before digits 2-5 */
    char s[17] = { v[0], '-', v[1 + g], v[2 + g], v[3 + g], v[4 + g], '-', 'X',     'X',
                   'X',  'X', 'X',      '-',      'X',      'X',      '-', v[n - 1] };
    return put(o, s, sizeof(s));
}

static char *mask_into(char *o, int rule, const char *type, const char *v, size_t n)
{
    if (rule == M_DEFAULT) /* names, addresses, custom types: nothing of it */
        return put(o, "XXXXXXXX", n < 8 ? n : 8);
    if (rule == M_ID) {
        char *e = mask_id_fast(o, v, n);
        if (e)
            return e;
    }
    char d[40] = { 0 };
    if (rule == M_SENSITIVE) { /* a built-in type's name: short */
        *o++ = '[';
        o = put(o, type, strlen(type));
        *o++ = ']';
        return o;
    }
    if (rule == M_ID) {
        if (digits_of(v, n, d, sizeof(d)) != 13)
            return put(o, "X-XXXX-XXXXX-XX-X", 17);
        char s[17] = { d[0], '-', d[1], d[2], d[3], d[4], '-', 'X',  'X',
                       'X',  'X', 'X',  '-',  'X',  'X',  '-', d[12] };
        return put(o, s, sizeof(s));
    }
    if (rule == M_PHONE)
        return mask_phone(o, v, n);
    if (rule == M_EMAIL) {
        const char *at = memchr(v, '@', n);
        if (!at || at == v)
            return put(o, "****", 4);
        *o++ = v[0];
        o = put(o, "****", 4);
        return put(o, at, n - (size_t)(at - v));
    }
    if (rule == M_CARD) {
        size_t k = digits_of(v, n, d, sizeof(d));
        for (size_t i = 0; i + 4 < k; i++)
            *o++ = 'X';
        return put(o, d + (k > 4 ? k - 4 : 0), k > 4 ? 4 : k);
    }
    if (rule == M_IP && memchr(v, ':', n)) { /* IPv6: the first two groups */
        size_t colons = 0, i = 0;
        for (; i < n && colons < 2; i++)
            if (v[i] == ':')
                colons++;
        o = put(o, v, i);
        return put(o, "XXXX", 4);
    }
    if (rule == M_URL) { /* scheme and host, not the path */
        const char *h = n > 3 ? memchr(v, '/', n) : NULL;
        size_t i = h && h + 2 < v + n ? (size_t)(h - v) + 2 : n;
        while (i < n && v[i] != '/' && v[i] != '?' && v[i] != '#')
            i++;
        o = put(o, v, i);
        return put(o, "/XXXX", i < n ? 5 : 0);
    }
    if (rule == M_IP) {
        size_t dots = 0, i = 0;
        for (; i < n && dots < 2; i++)
            if (v[i] == '.')
                dots++;
        o = put(o, v, i);
        return put(o, "X.X", 3);
    }
    if (rule == M_IBAN) {
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof(d); i++)
            if (v[i] != ' ')
                d[k++] = v[i];
        o = put(o, d, k < 4 ? k : 4);
        for (size_t i = 4; i + 4 < k; i++)
            *o++ = 'X';
        return put(o, d + (k > 8 ? k - 4 : k), k > 8 ? 4 : 0);
    }
    if (rule == M_DATE) { /* the year only: day, month and time masked */
        size_t off, yl;
        if (!khm_date_year_span(v, n, &off, &yl))
            return put(o, "XX/XX", 5);
        if (off == 0)
            return put(put(o, v, yl), "-XX-XX", 6);
        return put(put(o, "XX/XX/", 6), v + off, yl);
    }
    if (rule == M_PASSPORT)
        return mask_digits(o, v, n, 2);
    if (rule == M_BANK)
        return mask_digits(o, v, n, 4);
    if (rule == M_PLATE)
        return mask_digits(o, v, n, 0);
    /* unknown type: nothing of it */
    for (size_t i = 0; i < n && i < 8; i++)
        *o++ = 'X';
    return o;
}

size_t khm_scan_mask_to(char *out, int det, const char *type, const char *v, size_t n)
{
    int rule = det >= 0 && (size_t)det < khm_detector_count && khm_detectors[det].name == type
                   ? rule_of_det((size_t)det)
                   : rule_of(type);
    return (size_t)(mask_into(out, rule, type, v, n) - out);
}

int khm_scan_mask(khm_buf *out, const char *type, const char *v, size_t n)
{
    char tmp[1024];
    char *t = n + KHM_MASK_SLACK <= sizeof(tmp) ? tmp : khm_malloc(n + KHM_MASK_SLACK);
    if (!t)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = khm_buf_put(out, t, khm_scan_mask_to(t, -1, type, v, n));
    if (t != tmp)
        khm_free(t);
    return rc;
}
