/* TH_JURISTIC_ID: the Thai juristic person number (เลขทะเบียนนิติบุคคล, also the company's tax
 * ID), 13 digits starting with 0, plain or grouped 1-4-5-2-1 (as the national ID) or 1-2-1-3-5-1
 * (as the Department of Business Development writes it) with dashes or spaces, with the national
 * ID's mod-11 check digit (thai-rules.md §4.1). It names a company, not a person: its
 * PDPA category is none. TH_TNIN rejects a leading 0, so the two never match the same number. */
#include "scan_int.h"

#include <string.h>

/* The grouped digits after the first one, following @p groups (n of them) separated by @p sep
 * each, into d[1..13); the end in *e, or 0. */
static int grouped_at(const unsigned char *p, size_t len, size_t j, unsigned char sep,
                      const unsigned char *groups, size_t n, char d[13], size_t *e)
{
    size_t k = 1;
    for (size_t g = 0; g < n; g++) {
        if (j >= len || p[j] != sep)
            return 0;
        j++;
        for (size_t c = 0; c < groups[g]; c++, j++) {
            if (j >= len || !khm_isdigit(p[j]))
                return 0;
            d[k++] = (char)p[j];
        }
    }
    *e = j;
    return k == 13;
}

int khm_det_th_juristic_id(const unsigned char *p, size_t lo, size_t len, size_t i,
                           const khm_det_ctx *cx, khm_match *m)
{
    (void)cx;
    static const unsigned char person[] = { 4, 5, 2, 1 }, dbd[] = { 2, 1, 3, 5, 1 };
    char d[13];
    size_t k, j = i;
    /* cheap rejections first: a first digit but 0, a run of digits of any length but 13 or 1 */
    if (p[i] != '0')
        return 0;
    if (i + 1 < len && khm_isdigit(p[i + 1]) && (i + 13 > len || !khm_isdigit(p[i + 12])))
        return 0; /* two digits or more: 13 */
    while (j < len && j - i < 14 && khm_isdigit(p[j]))
        j++;
    k = j - i;
    if ((k != 13 && k != 1) || !khm_num_left_ok(p, lo, i))
        return 0;
    memcpy(d, p + i, k);
    int grouped = 0;
    if (k == 1 && j < len && (p[j] == '-' || p[j] == ' ')) {
        /* 0-1055-50123-45-1 or 0-10-5-550-12345-1: one separator between all groups */
        size_t e;
        if (grouped_at(p, len, j, p[j], person, sizeof(person), d, &e) ||
            grouped_at(p, len, j, p[j], dbd, sizeof(dbd), d, &e)) {
            j = e;
            k = 13;
            grouped = 1;
        } else {
            return 0;
        }
    }
    if (k != 13 || (j < len && khm_isdigit(p[j])) || !khm_num_right_ok(p, len, j))
        return 0;
    if (!khm_th_tnin_check(d))
        return 0;
    m->start = i;
    m->end = j;
    m->score = grouped ? 0.85 : 0.7;
    return 1;
}
