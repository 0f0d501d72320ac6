/* Context: keywords near a candidate, or in its column header, raise its score. ASCII keywords
 * match case-insensitively as whole words ("tel" is not in "hotel"); Thai ones match anywhere,
 * since Thai is written without spaces between words. */
#include "scan_int.h"

#include <string.h>

static int ascii_word(const char *w)
{
    for (; *w; w++)
        if ((unsigned char)*w >= 0x80)
            return 0;
    return 1;
}

static int eq_fold(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char x = (unsigned char)a[k], y = (unsigned char)b[k];
        if (x >= 'A' && x <= 'Z')
            x |= 0x20;
        if (x != y)
            return 0;
    }
    return 1;
}

int khm_context_has(const char *const *words, const char *s, size_t n)
{
    for (; words && *words; words++) {
        const char *w = *words;
        size_t wl = strlen(w);
        if (wl > n)
            continue;
        if (!ascii_word(w)) {
            if (memmem(s, n, w, wl))
                return 1;
            continue;
        }
        for (size_t k = 0; k + wl <= n; k++) {
            if (!eq_fold(s + k, w, wl))
                continue;
            if (k > 0 && khm_isalpha((unsigned char)s[k - 1]))
                continue;
            if (k + wl < n && khm_isalpha((unsigned char)s[k + wl]))
                continue;
            return 1;
        }
    }
    return 0;
}
