/* Fuzz the strict UTF-8 functions against each other and against an independent reference
 * (the well-formed byte sequences of Unicode Table 3-7): valid() agrees with the reference
 * and with a decode() walk, bad_at is the first undecodable offset, length() counts the decode
 * steps, width() is additive over them, and every decoded code point re-encodes to the same
 * bytes (so no overlong form or surrogate gets through). */
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed sequence at p (Table 3-7), or 0. */
static size_t ref_seq(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    if (c <= 0x7F)
        return 1;
    uint8_t lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c == 0xE0)
        len = 3, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        len = 3;
    else if (c == 0xED)
        len = 3, hi = 0x9F;
    else if (c == 0xF0)
        len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
        len = 4;
    else if (c == 0xF4)
        len = 4, hi = 0x8F;
    else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    size_t ref_bad = SIZE_MAX, steps = 0, width = 0, i = 0;
    int first_bad_seen = 0;

    while (i < size) {
        uint32_t cp = UINT32_MAX;
        size_t k = khm_utf8_decode(p + i, size - i, &cp);
        if (k != ref_seq(data + i, size - i))
            abort();
        if (k == 0) {
            if (!first_bad_seen)
                ref_bad = i, first_bad_seen = 1;
            if (khm_utf8_width(p + i, 1) != 1) /* an undecodable byte takes one column */
                abort();
            width++;
            i++;
        } else {
            char enc[4];
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                abort();
            if (khm_utf8_encode(cp, enc) != k || memcmp(enc, p + i, k) != 0)
                abort();
            if (khm_utf8_is_thai(cp) != (cp >= 0x0E00 && cp <= 0x0E7F))
                abort();
            size_t w = khm_utf8_width(p + i, k);
            if (w > 2 || khm_utf8_length(p + i, k) != 1)
                abort();
            width += w;
            i += k;
        }
        steps++;
    }

    size_t bad = SIZE_MAX;
    int valid = khm_utf8_valid(p, size, &bad);
    if (valid != !first_bad_seen)
        abort();
    if (!valid && bad != ref_bad)
        abort();
    if (khm_utf8_length(p, size) != steps)
        abort();
    if (khm_utf8_width(p, size) != width)
        abort();
    /* any prefix that ends before the first bad byte is valid too */
    if (!valid && ref_bad > 0 && !khm_utf8_valid(p, ref_bad, NULL))
        abort();
    return 0;
}
