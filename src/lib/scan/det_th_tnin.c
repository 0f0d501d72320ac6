/* TH_TNIN: the Thai national ID number (เลขประจำตัวประชาชน), 13 digits, plain or grouped
 * 1-4-5-2-1 with dashes or spaces (thai-rules.md §4.1). The 13th digit is a mod-11 check digit
 * over the first twelve; a first digit of 0 (juristic persons) or 9 is not a person's number. */
#include "scan_int.h"

#include <string.h>

int khm_th_tnin_check(const char d[13])
{
    int sum = 0;
    for (int i = 0; i < 12; i++) {
        if (!khm_isdigit((unsigned char)d[i]))
            return 0;
        sum += (d[i] - '0') * (13 - i);
    }
    return khm_isdigit((unsigned char)d[12]) && (11 - sum % 11) % 10 == d[12] - '0';
}

int khm_tnin_valid(const char digits[13])
{
    return khm_th_tnin_check(digits);
}

/* A plain 13-digit number in the range of millisecond Unix times of 2014–2033 looks like a
 * timestamp: without context it scores below the default threshold. */
static int looks_like_ms_time(const char d[13])
{
    return d[0] == '1' && d[1] >= '4' && d[1] <= '9';
}

int khm_det_th_tnin(const unsigned char *p, size_t lo, size_t len, size_t i, const khm_det_ctx *cx,
                    khm_match *m)
{
    (void)cx;
    static const unsigned char groups[] = { 1, 4, 5, 2, 1 };
    char d[13];
    size_t k, j = i;
    /* cheap rejections first: a first digit of 0 or 9, a run of digits of any length but 13 or 1 */
    if (p[i] == '0' || p[i] == '9')
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
        /* 1-2345-67890-12-1: the same separator between all five groups */
        unsigned char sep = p[j];
        for (size_t g = 1; g < 5; g++) {
            if (j >= len || p[j] != sep)
                return 0;
            j++;
            for (size_t n = 0; n < groups[g]; n++, j++) {
                if (j >= len || !khm_isdigit(p[j]))
                    return 0;
                d[k++] = (char)p[j];
            }
        }
        grouped = 1;
    }
    if (k != 13 || (j < len && khm_isdigit(p[j])) || !khm_num_right_ok(p, len, j))
        return 0;
    if (d[0] == '0' || d[0] == '9' || !khm_th_tnin_check(d))
        return 0;
    m->start = i;
    m->end = j;
    m->score = grouped ? 0.9 : looks_like_ms_time(d) ? 0.4 : 0.8;
    return 1;
}
