/* TH_PASSPORT: Thai passport numbers (หนังสือเดินทาง). No authoritative format is published;
 * observed numbers are one or two Latin capitals and seven digits (AA1234567, A1234567), older
 * ones one letter and six digits (thai-rules.md §4.3). So many product and reference codes look
 * the same that a candidate scores under the threshold on its own: it is reported only with a
 * passport word before it or in the column header. */
#include "scan_int.h"

static inline int is_upper(unsigned c)
{
    return c - 'A' < 26;
}

int khm_det_th_passport(const unsigned char *p, size_t lo, size_t len, size_t i,
                        const khm_det_ctx *cx, khm_match *m)
{
    (void)cx;
    size_t j = i, letters, digits;
    if (i > lo && khm_isword(p[i - 1]))
        return 0;
    while (j < len && j - i < 3 && is_upper(p[j]))
        j++;
    letters = j - i;
    if (letters < 1 || letters > 2)
        return 0;
    while (j < len && j - i - letters < 8 && khm_isdigit(p[j]))
        j++;
    digits = j - i - letters;
    if (digits == 8 || (j < len && khm_isword(p[j])))
        return 0;
    if (!(digits == 7 || (digits == 6 && letters == 1)))
        return 0;
    /* "A1234567-2": part of a longer reference */
    if (j + 1 < len && (p[j] == '-' || p[j] == '/' || p[j] == '.') && khm_isalnum(p[j + 1]))
        return 0;
    m->start = i;
    m->end = j;
    m->score = letters == 2 ? 0.4 : digits == 7 ? 0.35 : 0.3;
    return 1;
}
