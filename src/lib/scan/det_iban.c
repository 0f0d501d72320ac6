/* IBAN_CODE: ISO 13616: two letters, two check digits, 11–30 letters or digits, written plain or
 * in groups of four separated by single spaces; valid when the mod-97 remainder is 1. */
#include "scan_int.h"

/* s[0..n) is the IBAN without spaces, upper case. */
int khm_iban_check(const char *s, size_t n)
{
    if (n < 15 || n > 34)
        return 0;
    unsigned r = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[(k + 4) % n];
        if (khm_isdigit(c))
            r = (r * 10 + (c - '0')) % 97;
        else if (c >= 'A' && c <= 'Z')
            r = (r * 100 + (c - 'A' + 10)) % 97;
        else
            return 0;
    }
    return r == 1;
}

static int upper_or_digit(unsigned c)
{
    return khm_isdigit(c) || (c >= 'A' && c <= 'Z');
}

int khm_det_iban(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                 khm_match *m)
{
    (void)cx;
    char s[35];
    size_t n = 0, j = i;
    if (i > lo && khm_isword(p[i - 1]))
        return 0;
    if (i + 4 > len || !(p[i] >= 'A' && p[i] <= 'Z') || !(p[i + 1] >= 'A' && p[i + 1] <= 'Z') ||
        !khm_isdigit(p[i + 2]) || !khm_isdigit(p[i + 3]))
        return 0;
    for (; n < 4; n++)
        s[n] = (char)p[j++];
    if (j < len && p[j] == ' ') {
        /* grouped: " XXXX" groups, the last one 1–4 long */
        while (j + 1 < len && p[j] == ' ' && upper_or_digit(p[j + 1])) {
            size_t g = 0;
            j++;
            while (j < len && upper_or_digit(p[j]) && g < 4 && n < 34) {
                s[n++] = (char)p[j++];
                g++;
            }
            if (g < 4)
                break;
        }
    } else {
        while (j < len && upper_or_digit(p[j]) && n < 34)
            s[n++] = (char)p[j++];
    }
    if (j < len && khm_isword(p[j]))
        return 0;
    if (!khm_iban_check(s, n))
        return 0;
    m->start = i;
    m->end = j;
    m->score = 0.9;
    return 1;
}
