/* TH_BANK_ACCOUNT: Thai bank account numbers (เลขที่บัญชี). There is no national format
 * (thai-rules.md §4.4): most banks use 10 digits, written xxx-x-xxxxx-x; the Government Savings
 * Bank and the BAAC use 12. Any 10- or 12-digit number could be one, so a candidate scores
 * under the threshold on its own and is reported only with an account word before it or in the
 * column header. Numbers that other detectors own are left to them: a plain 10-digit Thai mobile
 * number (06/08/09…) is a phone number even next to the word บัญชี, 13 digits are an ID, 13-19
 * a card; the longest match wins in the scanner, and this detector never reads past a number's
 * end, so a longer number is never cut into an account. */
#include "scan_int.h"

int khm_det_th_bank_account(const unsigned char *p, size_t lo, size_t len, size_t i,
                            const khm_det_ctx *cx, khm_match *m)
{
    (void)cx;
    unsigned char g[6];
    size_t ng = 0, total = 0, j = i;
    unsigned sep = 0;
    /* cheap rejection first: the first group has 3 or 4 digits, a whole number 10 or 12 */
    while (j < len && j - i < 13 && khm_isdigit(p[j]))
        j++;
    if ((j - i != 3 && j - i != 4 && j - i != 10 && j - i != 12) || !khm_num_left_ok(p, lo, i))
        return 0;
    if (j - i < 10 && !(j + 1 < len && (p[j] == '-' || p[j] == ' ') && khm_isdigit(p[j + 1])))
        return 0; /* a first group of 3 or 4 digits: more groups follow */
    j = i;
    if (i >= lo + 2 && p[i - 1] == ' ' && khm_isdigit(p[i - 2])) /* a later group of a number */
        return 0;
    for (;;) {
        size_t s = j;
        while (j < len && j - s < 13 && khm_isdigit(p[j]))
            j++;
        if (j == s || ng == sizeof(g))
            return 0;
        g[ng++] = (unsigned char)(j - s);
        total += j - s;
        if (total > 12)
            return 0;
        if (j + 1 < len && (p[j] == '-' || p[j] == ' ') && khm_isdigit(p[j + 1]) &&
            (!sep || p[j] == sep)) {
            sep = p[j];
            j++;
            continue;
        }
        break;
    }
    if (j < len && khm_isdigit(p[j]))
        return 0;
    if (!khm_num_right_ok(p, len, j))
        return 0;
    int grouped = 0;
    if (ng == 1) {
        if (total != 10 && total != 12)
            return 0;
        if (total == 10 && p[i] == '0' && (p[i + 1] == '6' || p[i + 1] == '8' || p[i + 1] == '9'))
            return 0; /* a mobile number: PHONE_NUMBER's */
    } else if (ng == 4 && g[0] == 3 && g[1] == 1 && g[2] == 5 && (g[3] == 1 || g[3] == 3)) {
        grouped = 1; /* 123-4-56789-0; 12 digits 020-1-23456-789 */
    } else if (ng == 3 && g[0] == 4 && g[1] == 4 && g[2] == 4) {
        grouped = 1; /* 0201-2345-6789 */
    } else {
        return 0;
    }
    m->start = i;
    m->end = j;
    m->score = grouped ? 0.45 : 0.3;
    return 1;
}
