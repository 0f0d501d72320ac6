/* IP_ADDRESS: dotted-quad IPv4, four octets 0–255 without leading zeros, not part of a longer
 * dotted number (versions like 1.2.3.4.5). IPv6 is not detected yet. */
#include "scan_int.h"

int khm_det_ip_address(const unsigned char *p, size_t lo, size_t len, size_t i, khm_match *m)
{
    size_t j = i;
    if (!khm_num_left_ok(p, lo, i))
        return 0;
    if (i > lo && p[i - 1] == '.')
        return 0;
    for (int o = 0; o < 4; o++) {
        if (o) {
            if (j >= len || p[j] != '.')
                return 0;
            j++;
        }
        size_t s = j;
        unsigned v = 0;
        while (j < len && khm_isdigit(p[j]) && j - s < 4)
            v = v * 10 + (p[j++] - '0');
        if (j == s || j - s > 3 || v > 255 || (j - s > 1 && p[s] == '0'))
            return 0;
    }
    if (j < len && (khm_isword(p[j]) || (p[j] == '.' && j + 1 < len && khm_isalnum(p[j + 1]))))
        return 0;
    m->start = i;
    m->end = j;
    m->score = 0.7;
    return 1;
}
