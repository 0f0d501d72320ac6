/* CREDIT_CARD: 13–19 digits, plain or in groups separated by one kind of space or dash, in a
 * major issuer range (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay), Luhn-valid. */
#include "scan_int.h"

int khm_luhn_check(const char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned v = (unsigned)(d[n - 1 - k] - '0');
        if (k & 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return n > 0 && sum % 10 == 0;
}

static int prefix(const char *d, size_t w)
{
    int v = 0;
    for (size_t k = 0; k < w; k++)
        v = v * 10 + (d[k] - '0');
    return v;
}

/* 1 when the issuer range allows @p n digits. */
static int iin_ok(const char *d, size_t n)
{
    int p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4);
    if (d[0] == '4')
        return n == 13 || n == 16 || n == 19; /* Visa */
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
        return n == 16; /* Mastercard */
    if (p2 == 34 || p2 == 37)
        return n == 15; /* American Express */
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649))
        return n >= 16 && n <= 19; /* Discover */
    if (p4 >= 3528 && p4 <= 3589)
        return n >= 16 && n <= 19; /* JCB */
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38)
        return n >= 14 && n <= 16; /* Diners Club */
    if (p2 == 62)
        return n >= 16 && n <= 19; /* UnionPay */
    return 0;
}

int khm_det_credit_card(const unsigned char *p, size_t lo, size_t len, size_t i,
                        const khm_det_ctx *cx, khm_match *m)
{
    (void)cx;
    char d[20];
    size_t k = 0, j = i;
    unsigned char sep = 0;
    /* cheap rejections first: every issuer range starts with 2-6, and a group has 4 digits */
    if (p[i] < '2' || p[i] > '6' || i + 4 > len || !khm_isdigit(p[i + 1]) ||
        !khm_isdigit(p[i + 2]) || !khm_isdigit(p[i + 3]) || !khm_num_left_ok(p, lo, i))
        return 0;
    while (j < len) {
        if (khm_isdigit(p[j])) {
            if (k == 19)
                return 0;
            d[k++] = (char)p[j++];
        } else if ((p[j] == ' ' || p[j] == '-') && (!sep || p[j] == sep) && j + 1 < len &&
                   khm_isdigit(p[j + 1]) && k >= 4) {
            sep = p[j++];
        } else {
            break;
        }
    }
    if (k < 13 || !khm_num_right_ok(p, len, j) || !iin_ok(d, k) || !khm_luhn_check(d, k))
        return 0;
    m->start = i;
    m->end = j;
    m->score = k == 13 ? 0.6 : 0.85;
    return 1;
}
