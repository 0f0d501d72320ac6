/* Masking of reported values: enough left to recognise a value one already knows, not enough
 * to learn it. National IDs and company numbers keep the 1st, 2nd–5th and last digits
 * (1-2345-XXXXX-XX-1), phones the first two and last four digits (08X-XXX-5678), e-mail the first
 * letter and the domain, IPv6 the first two groups, URLs the scheme and host. Dates keep the
 * year as written (2024-XX-XX, XX/XX/2567), passports their letters and last two digits, bank
 * accounts their last four digits, plates their letters and province (digits masked). Sensitive
 * data (PDPA s.26) keeps nothing: the whole value becomes its type in brackets ("[RELIGION]",
 * "[HEALTH]"), since even a part of "เบาหวาน (E11.9)" or "O Rh+" tells the secret. */
#include "scan_int.h"

#include <string.h>

static size_t digits_of(const char *v, size_t n, char *d, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++)
        if (khm_isdigit((unsigned char)v[i]))
            d[k++] = v[i];
    return k;
}

static int mask_phone(khm_buf *out, const char *v, size_t n)
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
        return khm_buf_puts(out, "XXX");
    char s[32];
    size_t o = 0;
    for (size_t i = 0; i < m; i++) {
        if (i == 3 || (i == m - 4 && m >= 9))
            s[o++] = '-';
        s[o++] = (i < 2 || i >= m - 4) ? nat[i] : 'X';
    }
    return khm_buf_put(out, s, o);
}

/* Every ASCII digit but the last @p keep as X; letters, separators and Thai text as written. */
static int mask_digits(khm_buf *out, const char *v, size_t n, size_t keep)
{
    size_t k = 0, seen = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        k += khm_isdigit((unsigned char)v[i]);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int digit = khm_isdigit((unsigned char)v[i]);
        rc = khm_buf_putc(out, digit && seen++ + keep < k ? 'X' : v[i]);
    }
    return rc;
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

static int rule_of(const char *type)
{
    for (size_t d = 0; d < khm_detector_count; d++)
        if (khm_detectors[d].name == type) { /* the usual case: a finding's own type */
            static _Atomic signed char cache[64];
            signed char r = d < 64 ? cache[d] : 0;
            if (r > 0)
                return r - 1;
            int rule = rule_of_name(type);
            if (d < 64)
                cache[d] = (signed char)(rule + 1);
            return rule;
        }
    return rule_of_name(type);
}

/* out += a[0..an) b[0..bn) c[0..cn) */
static int put3(khm_buf *out, const char *a, size_t an, const char *b, size_t bn, const char *c,
                size_t cn)
{
    int rc = khm_buf_put(out, a, an);
    if (rc == 0)
        rc = khm_buf_put(out, b, bn);
    return rc == 0 ? khm_buf_put(out, c, cn) : rc;
}

int khm_scan_mask(khm_buf *out, const char *type, const char *v, size_t n)
{
    char d[40] = { 0 };
    int rule = rule_of(type);
    if (rule == M_SENSITIVE)
        return put3(out, "[", 1, type, strlen(type), "]", 1);
    if (rule == M_ID) {
        if (digits_of(v, n, d, sizeof(d)) != 13)
            return khm_buf_puts(out, "X-XXXX-XXXXX-XX-X");
        char s[17] = { d[0], '-', d[1], d[2], d[3], d[4], '-', 'X',  'X',
                       'X',  'X', 'X',  '-',  'X',  'X',  '-', d[12] };
        return khm_buf_put(out, s, sizeof(s));
    }
    if (rule == M_PHONE)
        return mask_phone(out, v, n);
    if (rule == M_EMAIL) {
        const char *at = memchr(v, '@', n);
        if (!at || at == v)
            return khm_buf_puts(out, "****");
        return put3(out, v, 1, "****", 4, at, n - (size_t)(at - v));
    }
    if (rule == M_CARD) {
        size_t k = digits_of(v, n, d, sizeof(d));
        int rc = 0;
        for (size_t i = 0; i + 4 < k && rc == 0; i++)
            rc = khm_buf_putc(out, 'X');
        return rc ? rc : khm_buf_put(out, d + (k > 4 ? k - 4 : 0), k > 4 ? 4 : k);
    }
    if (rule == M_IP && memchr(v, ':', n)) { /* IPv6: the first two groups */
        size_t colons = 0, i = 0;
        for (; i < n && colons < 2; i++)
            if (v[i] == ':')
                colons++;
        return put3(out, v, i, "XXXX", 4, "", 0);
    }
    if (rule == M_URL) { /* scheme and host, not the path */
        const char *h = n > 3 ? memchr(v, '/', n) : NULL;
        size_t i = h && h + 2 < v + n ? (size_t)(h - v) + 2 : n;
        while (i < n && v[i] != '/' && v[i] != '?' && v[i] != '#')
            i++;
        return put3(out, v, i, "/XXXX", i < n ? 5 : 0, "", 0);
    }
    if (rule == M_IP) {
        size_t dots = 0, i = 0;
        for (; i < n && dots < 2; i++)
            if (v[i] == '.')
                dots++;
        return put3(out, v, i, "X.X", 3, "", 0);
    }
    if (rule == M_IBAN) {
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof(d); i++)
            if (v[i] != ' ')
                d[k++] = v[i];
        int rc = khm_buf_put(out, d, k < 4 ? k : 4);
        for (size_t i = 4; i + 4 < k && rc == 0; i++)
            rc = khm_buf_putc(out, 'X');
        return rc ? rc : khm_buf_put(out, d + (k > 8 ? k - 4 : k), k > 8 ? 4 : 0);
    }
    if (rule == M_DATE) { /* the year only: day, month and time masked */
        size_t off, yl;
        if (!khm_date_year_span(v, n, &off, &yl))
            return khm_buf_puts(out, "XX/XX");
        if (off == 0)
            return put3(out, v, yl, "-XX-XX", 6, "", 0);
        return put3(out, "XX/XX/", 6, v + off, yl, "", 0);
    }
    if (rule == M_PASSPORT)
        return mask_digits(out, v, n, 2);
    if (rule == M_BANK)
        return mask_digits(out, v, n, 4);
    if (rule == M_PLATE)
        return mask_digits(out, v, n, 0);
    /* unknown type: nothing of it */
    for (size_t i = 0; i < n && i < 8; i++) {
        int rc = khm_buf_putc(out, 'X');
        if (rc)
            return rc;
    }
    return 0;
}
