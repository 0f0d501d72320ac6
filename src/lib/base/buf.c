/* Growable byte buffer with a hard cap (curl dynbuf's mandatory `toobig`): the first defence
 * against hostile input. The contents are kept NUL-terminated after every append. */
#include <khomun/buf.h>

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void khm_buf_init(khm_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

int khm_buf_reserve(khm_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return khm_err_set(KHM_ELIMIT, "buffer cap of %zu bytes exceeded", b->max);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    if (cap - 1 > b->max) /* not cap > max + 1: max may be SIZE_MAX */
        cap = b->max + 1;
    char *p = khm_realloc(b->ptr, cap);
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int khm_buf_put(khm_buf *b, const void *p, size_t n)
{
    /* OPTIMIZATION: room already there (the common case) skips the cap arithmetic */
    if (!(b->ptr && n < b->cap - b->len && b->len + n <= b->max)) {
        int rc = khm_buf_reserve(b, n);
        if (rc < 0)
            return rc;
    }
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int khm_buf_puts(khm_buf *b, const char *s)
{
    return khm_buf_put(b, s, strlen(s));
}

int khm_buf_putc(khm_buf *b, char c)
{
    return khm_buf_put(b, &c, 1);
}

int khm_buf_printf(khm_buf *b, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        va_end(ap);
        return khm_err_set(KHM_ERROR, "format error");
    }
    int rc = khm_buf_reserve(b, (size_t)n);
    if (rc == 0) {
        vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
    return rc;
}

/* Bytes JSON needs escaped: control characters, DEL, '"' and '\\'. */
static const unsigned char needs_escape[256] = {
    1,         1,          1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x0f */
    1,         1,          1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10-0x1f */
    ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

/* Whether any of the eight bytes of @p v needs escaping (below 0x20, '"', '\\' or 0x7f): the
 * usual "has a zero byte" and "has a byte below n" word tests, exact as to whether one does. */
static inline __attribute__((always_inline)) int word_needs_escape(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\'), del = v ^ (ones * 0x7f);
    uint64_t hit =
        ((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del);
    return (hit & highs) != 0;
}

size_t khm_json_plain_span(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (uint64_t v; i + 8 <= n; i += 8) {
        memcpy(&v, u + i, 8);
        if (word_needs_escape(v))
            break;
    }
    while (i < n && !needs_escape[u[i]])
        i++;
    return i;
}

/* @p jansson 0: the API's escaping (needs_escape: '"', '\\', control characters and DEL; \n \r
 * \t, else \u00xx); 1: jansson's (json_dumps: '"', '\\' and control characters; \b \f \n \r \t,
 * else \u00XX), which khm_json_dump reproduces byte for byte. */
static int json_escape(khm_buf *b, const char *s, size_t n, int jansson)
{
    const char *hex = jansson ? "0123456789ABCDEF" : "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t start = 0, i = 0;
    int rc;
    while (i < n) {
        /* OPTIMIZATION: eight bytes at a time while none needs escaping (most text; a DEL
         * stops the jansson form here too and is then kept as it is, below) */
        uint64_t v;
        if (i + 8 <= n) {
            memcpy(&v, u + i, 8);
            if (!word_needs_escape(v)) {
                i += 8;
                continue;
            }
        }
        for (size_t end = i + 8 < n ? i + 8 : n; i < end; i++) {
            unsigned char c = u[i];
            if (!needs_escape[c] || (jansson && c == 0x7f))
                continue;
            char esc[6] = { '\\', 0, 0, 0, 0, 0 };
            size_t len = 2;
            switch (c) {
            case '"':
            case '\\':
                esc[1] = (char)c;
                break;
            case '\n':
                esc[1] = 'n';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            case '\t':
                esc[1] = 't';
                break;
            case '\b':
            case '\f':
                if (jansson) {
                    esc[1] = c == '\b' ? 'b' : 'f';
                    break;
                }
                /* fall through */
            default:
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                len = 6;
            }
            if ((rc = khm_buf_put(b, s + start, i - start)) < 0 ||
                (rc = khm_buf_put(b, esc, len)) < 0)
                return rc;
            start = i + 1;
        }
    }
    return khm_buf_put(b, s + start, n - start);
}

int khm_buf_json_escape(khm_buf *b, const char *s, size_t n)
{
    return json_escape(b, s, n, 0);
}

int khm_buf_json_escape_jansson(khm_buf *b, const char *s, size_t n)
{
    return json_escape(b, s, n, 1);
}

void khm_buf_reset(khm_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

void khm_buf_dispose(khm_buf *b)
{
    khm_free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *khm_buf_detach(khm_buf *b, size_t *len)
{
    char *p = b->ptr;
    if (len)
        *len = b->len;
    if (!p) {
        p = khm_malloc(1);
        if (p)
            p[0] = '\0';
    }
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

int khm_buf_csv_cell(khm_buf *b, const char *s, size_t n)
{
    int quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return khm_buf_put(b, s, n);
    int rc = khm_buf_putc(b, '"');
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = s[i] == '"' ? khm_buf_put(b, "\"\"", 2) : khm_buf_putc(b, s[i]);
    return rc ? rc : khm_buf_putc(b, '"');
}
