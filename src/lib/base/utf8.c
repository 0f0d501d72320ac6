/* Strict UTF-8 (RFC 3629): rejects overlong forms, surrogates, code points past U+10FFFF and
 * truncated sequences. Validation has an ASCII fast path, since most input is ASCII. */
#include <khomun/utf8.h>

#include <string.h>

size_t khm_utf8_decode(const char *p, size_t n, uint32_t *out)
{
    const unsigned char *s = (const unsigned char *)p;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *out = c;
        return 1;
    }
    size_t len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *out = cp;
    return len;
}

/* OPTIMIZATION: the length of the valid sequence at s[0..n), or 0 — the checks of
 * khm_utf8_decode on the lead and second bytes, without building the code point (validation
 * and counting call this for every non-ASCII character; Thai text is all 3-byte sequences). */
static inline size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0; /* overlong, past U+10FFFF */
        return 4;
    }
    return 0;
}

/* OPTIMIZATION: past the ASCII bytes from @p i, 8 at a time (the rest is found by seq_len). */
static size_t ascii_run(const char *p, size_t i, size_t n)
{
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    return i;
}

int khm_utf8_valid(const char *p, size_t n, size_t *bad_at)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        i = ascii_run(p, i, n);
        if (i >= n)
            break;
        size_t k = seq_len(s + i, n - i);
        if (k == 0) {
            if (bad_at)
                *bad_at = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

void khm_utf8_scrub(char *s)
{
    size_t n = strlen(s), bad;
    while (!khm_utf8_valid(s, n, &bad))
        s[bad] = '?';
}

size_t khm_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

size_t khm_utf8_length(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t count = 0, i = 0;
    while (i < n) {
        size_t j = ascii_run(p, i, n);
        count += j - i;
        i = j;
        if (i >= n)
            break;
        size_t k = seq_len(s + i, n - i); /* an invalid byte counts as one character */
        i += k ? k : 1;
        count++;
    }
    return count;
}

static int zero_width(uint32_t cp)
{
    return cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E) ||
           (cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B || cp == 0x200D;
}

static int wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t khm_utf8_width(const char *p, size_t n)
{
    size_t w = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = khm_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            w++;
            i++;
            continue;
        }
        i += k;
        if (!zero_width(cp))
            w += wide(cp) ? 2 : 1;
    }
    return w;
}

int khm_utf8_is_text(const char *p, size_t n, size_t max)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return 0;
    return khm_utf8_valid(p, n, NULL) && khm_utf8_length(p, n) <= max;
}

int khm_utf8_is_thai(uint32_t cp)
{
    return cp >= 0x0E00 && cp <= 0x0E7F;
}
