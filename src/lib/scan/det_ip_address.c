/* IP_ADDRESS: dotted-quad IPv4, four octets 0–255 without leading zeros, not part of a longer
 * dotted number (versions like 1.2.3.4.5); and IPv6 (RFC 4291 §2.2): eight groups of 1–4 hex
 * digits, or fewer with one "::" standing for the missing ones, the last 32 bits optionally
 * as a dotted quad (::ffff:192.0.2.1). Not glued to a word, a dot or a colon. */
#include "scan_int.h"

/* A dotted quad at j: its end in *e, or 0. */
static int v4_at(const unsigned char *p, size_t len, size_t j, size_t *e)
{
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
    *e = j;
    return 1;
}

static int ishex(unsigned c)
{
    return khm_isdigit(c) || (c | 0x20) - 'a' < 6;
}

static int det_v4(const unsigned char *p, size_t lo, size_t len, size_t i, khm_match *m)
{
    size_t j;
    if (!khm_isdigit(p[i]) || !khm_num_left_ok(p, lo, i))
        return 0;
    if (i > lo && p[i - 1] == '.')
        return 0;
    if (!v4_at(p, len, i, &j))
        return 0;
    if (j < len && (khm_isword(p[j]) || (p[j] == '.' && j + 1 < len && khm_isalnum(p[j + 1]))))
        return 0;
    m->start = i;
    m->end = j;
    m->score = 0.7;
    return 1;
}

static int det_v6(const unsigned char *p, size_t lo, size_t len, size_t i, khm_match *m)
{
    size_t j = i, ng = 0;
    int dbl = 0;
    if (i > lo && (khm_isword(p[i - 1]) || p[i - 1] == '.' || p[i - 1] == ':'))
        return 0;
    if (p[j] == ':') {
        if (j + 1 >= len || p[j + 1] != ':')
            return 0;
        dbl = 1;
        j += 2;
    }
    while (j < len) {
        size_t s = j;
        while (j < len && ishex(p[j]) && j - s < 5)
            j++;
        if (j == s) {
            if (!dbl || p[j - 1] != ':') /* only right after "::" may a group be absent */
                return 0;
            break;
        }
        size_t e;
        if (j < len && p[j] == '.' && v4_at(p, len, s, &e)) { /* embedded IPv4: the last 32 bits */
            ng += 2;
            j = e;
            break;
        }
        if (j - s > 4 || (j < len && (khm_isword(p[j]))))
            return 0;
        ng++;
        if (j + 1 < len && p[j] == ':' && p[j + 1] == ':') {
            if (dbl)
                return 0; /* a second "::" */
            dbl = 1;
            j += 2;
        } else if (j + 1 < len && p[j] == ':' && ishex(p[j + 1])) {
            j++;
        } else {
            break;
        }
    }
    if (ng == 0 || ng > 8 || (dbl ? ng > 7 : ng != 8))
        return 0;
    if (j < len && (khm_isword(p[j]) || (p[j] == '.' && j + 1 < len && khm_isalnum(p[j + 1])) ||
                    (p[j] == ':' && j + 1 < len && p[j + 1] == ':')))
        return 0;
    m->start = i;
    m->end = j;
    m->score = 0.7;
    return 1;
}

int khm_det_ip_address(const unsigned char *p, size_t lo, size_t len, size_t i,
                       const khm_det_ctx *cx, khm_match *m)
{
    (void)cx;
    khm_match m6 = *m; /* the subtype and category the scanner set, kept when v6 wins */
    if (p[i] != ':') { /* cheap rejection first: a first group of 1-4 hex digits, then '.' or ':' */
        size_t j = i;
        while (j < len && j - i < 5 && ishex(p[j]))
            j++;
        if (j - i > 4 || j >= len || (p[j] != '.' && p[j] != ':'))
            return 0;
    }
    int v4 = det_v4(p, lo, len, i, m),
        v6 = ishex(p[i]) || p[i] == ':' ? det_v6(p, lo, len, i, &m6) : 0;
    if (v6 && (!v4 || m6.end > m->end)) {
        *m = m6;
        return 1;
    }
    return v4;
}
