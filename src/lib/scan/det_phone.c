/* PHONE_NUMBER: Thai numbers (thai-rules.md §4.2). Mobile 0[689] + 8 digits, landline 0[2-57]
 * + 7 digits; written with +66 (then no trunk 0, or "(0)"), with the area code in parentheses,
 * and with spaces, dashes or dots between groups; "0 2141 6747" (the trunk 0 apart, as Thai
 * government letterheads write it) too. */
#include "scan_int.h"

/* Digits of the national number with trunk 0, from its second digit: 10 mobile, 9 fixed. */
static size_t need_for(char d1)
{
    if (d1 == '6' || d1 == '8' || d1 == '9')
        return 10;
    if ((d1 >= '2' && d1 <= '5') || d1 == '7')
        return 9;
    return 0;
}

static int is_sep(unsigned c)
{
    return c == ' ' || c == '-' || c == '.';
}

int khm_det_phone(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                  khm_match *m)
{
    (void)cx;
    char d[12];
    size_t k = 0, j = i;
    int intl = 0, formatted = 0;
    if ((khm_isdigit(p[i]) && p[i] != '0') || !khm_num_left_ok(p, lo, i)) /* trunk 0 first */
        return 0;
    if (p[j] == '+') {
        if (j + 2 >= len || p[j + 1] != '6' || p[j + 2] != '6')
            return 0;
        intl = 1;
        j += 3;
        if (j < len && is_sep(p[j]))
            j++;
        if (j + 2 < len && p[j] == '(' && p[j + 1] == '0' && p[j + 2] == ')') {
            j += 3; /* +66 (0)81 … */
            if (j < len && is_sep(p[j]))
                j++;
        }
        d[k++] = '0';
    } else if (p[j] == '(') {
        /* (02) 123 4567, (053) 123 456 */
        j++;
        while (j < len && khm_isdigit(p[j]) && k < 3)
            d[k++] = (char)p[j++];
        if (k < 2 || j >= len || p[j] != ')' || d[0] != '0')
            return 0;
        j++;
        if (j < len && is_sep(p[j]))
            j++;
        formatted = 1;
    }
    size_t need = k >= 2 ? need_for(d[1]) : 0;
    if (k >= 2 && !need)
        return 0;
    while (j < len) {
        if (khm_isdigit(p[j])) {
            if (k == 12)
                return 0;
            d[k++] = (char)p[j++];
            if (k == 2 && !(need = need_for(d[1])))
                return 0;
            if (need && k == need)
                break;
        } else if ((k >= 2 || (k == 1 && p[j] == ' ' && !intl)) && is_sep(p[j]) && j + 1 < len &&
                   khm_isdigit(p[j + 1]) && !is_sep(p[j - 1])) {
            /* "0 2141 6747": the trunk 0 set apart is how Thai government letters write it */
            formatted = 1;
            j++;
        } else {
            break;
        }
    }
    if (!need || k != need || d[0] != '0')
        return 0;
    if (j < len && khm_isdigit(p[j]))
        return 0;
    if (!khm_num_right_ok(p, len, j))
        return 0;
    m->start = i;
    m->end = j;
    if (intl)
        m->score = 0.85;
    else if (need == 10)
        m->score = formatted ? 0.8 : 0.7;
    else
        m->score = formatted ? 0.6 : 0.4; /* a bare 9-digit number needs context */
    return 1;
}
