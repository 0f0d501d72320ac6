/* EMAIL_ADDRESS: local@domain with an ASCII local part (letters, digits, . _ % + -) and a domain
 * of at least two labels ending in an alphabetic TLD. Found at the '@' and widened both ways. */
#include "scan_int.h"

static int local_char(unsigned c)
{
    return khm_isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

int khm_det_email(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                  khm_match *m)
{
    (void)cx;
    size_t s = i;
    while (s > lo && local_char(p[s - 1]))
        s--;
    while (s < i && (p[s] == '.' || p[s] == '-' || p[s] == '+')) /* not at the start */
        s++;
    if (s == i || p[i - 1] == '.')
        return 0;
    size_t j = i + 1, labels = 0, tld = 0, last_end = 0;
    while (j < len) {
        size_t l = j;
        while (j < len && (khm_isalnum(p[j]) || p[j] == '-'))
            j++;
        if (j == l || p[l] == '-' || p[j - 1] == '-')
            break;
        labels++;
        last_end = j;
        tld = 1;
        for (size_t t = l; t < j; t++)
            if (!khm_isalpha(p[t]))
                tld = 0;
        if (j - l < 2)
            tld = 0;
        if (j + 1 < len && p[j] == '.' && khm_isalnum(p[j + 1]))
            j++;
        else
            break;
    }
    if (labels < 2 || !tld)
        return 0;
    m->start = s;
    m->end = last_end;
    m->score = 0.9;
    return 1;
}
