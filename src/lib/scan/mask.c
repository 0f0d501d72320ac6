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

int khm_scan_mask(khm_buf *out, const char *type, const char *v, size_t n)
{
    char d[40] = { 0 };
    int det = khm_scan_detector_find(type);
    if (det >= 0 && khm_detectors[det].pdpa == KHM_PDPA_SENSITIVE)
        return khm_buf_printf(out, "[%s]", type);
    if (strcmp(type, "TH_TNIN") == 0 || strcmp(type, "TH_JURISTIC_ID") == 0) {
        if (digits_of(v, n, d, sizeof(d)) != 13)
            return khm_buf_puts(out, "X-XXXX-XXXXX-XX-X");
        return khm_buf_printf(out, "%c-%.4s-XXXXX-XX-%c", d[0], d + 1, d[12]);
    }
    if (strcmp(type, "PHONE_NUMBER") == 0)
        return mask_phone(out, v, n);
    if (strcmp(type, "EMAIL_ADDRESS") == 0) {
        const char *at = memchr(v, '@', n);
        if (!at || at == v)
            return khm_buf_puts(out, "****");
        return khm_buf_printf(out, "%c****%.*s", v[0], (int)(n - (size_t)(at - v)), at);
    }
    if (strcmp(type, "CREDIT_CARD") == 0) {
        size_t k = digits_of(v, n, d, sizeof(d));
        int rc = 0;
        for (size_t i = 0; i + 4 < k && rc == 0; i++)
            rc = khm_buf_putc(out, 'X');
        return rc ? rc : khm_buf_put(out, d + (k > 4 ? k - 4 : 0), k > 4 ? 4 : k);
    }
    if (strcmp(type, "IP_ADDRESS") == 0 && memchr(v, ':', n)) { /* IPv6: the first two groups */
        size_t colons = 0, i = 0;
        for (; i < n && colons < 2; i++)
            if (v[i] == ':')
                colons++;
        return khm_buf_printf(out, "%.*sXXXX", (int)i, v);
    }
    if (strcmp(type, "URL") == 0) { /* scheme and host, not the path */
        const char *h = n > 3 ? memchr(v, '/', n) : NULL;
        size_t i = h && h + 2 < v + n ? (size_t)(h - v) + 2 : n;
        while (i < n && v[i] != '/' && v[i] != '?' && v[i] != '#')
            i++;
        return khm_buf_printf(out, "%.*s%s", (int)i, v, i < n ? "/XXXX" : "");
    }
    if (strcmp(type, "IP_ADDRESS") == 0) {
        size_t dots = 0, i = 0;
        for (; i < n && dots < 2; i++)
            if (v[i] == '.')
                dots++;
        return khm_buf_printf(out, "%.*sX.X", (int)i, v);
    }
    if (strcmp(type, "IBAN_CODE") == 0) {
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof(d); i++)
            if (v[i] != ' ')
                d[k++] = v[i];
        int rc = khm_buf_put(out, d, k < 4 ? k : 4);
        for (size_t i = 4; i + 4 < k && rc == 0; i++)
            rc = khm_buf_putc(out, 'X');
        return rc ? rc : khm_buf_put(out, d + (k > 8 ? k - 4 : k), k > 8 ? 4 : 0);
    }
    if (strcmp(type, "DATE_TIME") == 0) { /* the year only: day, month and time masked */
        size_t off, yl;
        if (!khm_date_year_span(v, n, &off, &yl))
            return khm_buf_puts(out, "XX/XX");
        if (off == 0)
            return khm_buf_printf(out, "%.*s-XX-XX", (int)yl, v);
        return khm_buf_printf(out, "XX/XX/%.*s", (int)yl, v + off);
    }
    if (strcmp(type, "TH_PASSPORT") == 0)
        return mask_digits(out, v, n, 2);
    if (strcmp(type, "TH_BANK_ACCOUNT") == 0)
        return mask_digits(out, v, n, 4);
    if (strcmp(type, "TH_LICENSE_PLATE") == 0)
        return mask_digits(out, v, n, 0);
    /* unknown type: nothing of it */
    for (size_t i = 0; i < n && i < 8; i++) {
        int rc = khm_buf_putc(out, 'X');
        if (rc)
            return rc;
    }
    return 0;
}
