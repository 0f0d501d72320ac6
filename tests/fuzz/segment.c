/* Fuzz the search segmentation (khm_segment, khm_segment_join, khm_segment_fold) and the query
 * helper khm_fts_query over arbitrary bytes. Tokens lie inside the input in increasing order
 * without overlap, start on a character (never a continuation byte), are valid UTF-8 of one
 * class (all Thai letters, or all letters/digits), no longer than KHM_SEG_TOKEN_MAX, and come
 * out the same on a second run. The joined form is the folded tokens separated by single
 * spaces; for text without Thai it is a fixed point. A query expression is only quoted words
 * separated by single spaces with an optional final `*`, so FTS5 can never see user syntax; a
 * refused query names the field "q". */
#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/segment.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    size_t n;
    size_t last;
    size_t count;
    int has_thai;
    khm_buf join; /* the folded tokens joined by spaces, rebuilt here independently */
} acc;

static int is_thai_letter(uint32_t cp)
{
    return (cp >= 0xE01 && cp <= 0xE3A && cp != 0xE2F) ||
           (cp >= 0xE40 && cp <= 0xE4E && cp != 0xE46);
}

static int is_word_char(uint32_t cp)
{
    return (cp < 0x80 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10)) ||
           (cp >= 0xE50 && cp <= 0xE59) || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

static int on_token(size_t s, size_t e, void *payload)
{
    acc *a = payload;
    if (s >= e || e > a->n || s < a->last || e - s > KHM_SEG_TOKEN_MAX)
        abort();
    if (((unsigned char)a->p[s] & 0xC0) == 0x80)
        abort();
    /* one class throughout */
    int thai = -1;
    for (size_t i = s; i < e;) {
        uint32_t cp;
        size_t k = khm_utf8_decode(a->p + i, e - i, &cp);
        if (k == 0)
            abort();
        int t = is_thai_letter(cp);
        if (!t && !is_word_char(cp))
            abort();
        if (thai >= 0 && t != thai)
            abort();
        thai = t;
        i += k;
    }
    a->has_thai |= thai == 1;
    char tok[KHM_SEG_TOKEN_MAX];
    size_t n = khm_segment_fold(a->p + s, e - s, tok);
    if (n == 0 || n > e - s || !khm_utf8_valid(tok, n, NULL))
        abort();
    if ((a->count && khm_buf_putc(&a->join, ' ') < 0) || khm_buf_put(&a->join, tok, n) < 0)
        abort();
    a->last = e;
    a->count++;
    return 0;
}

static void segment(const char *p, size_t n, acc *a)
{
    memset(a, 0, sizeof(*a));
    a->p = p;
    a->n = n;
    khm_buf_init(&a->join, (size_t)-1);
    if (khm_buf_put(&a->join, "", 0) < 0)
        abort();
    if (khm_segment(p, n, on_token, a) != 0)
        abort();
}

/* `"w" "w" … "w"` with an optional `*`, every w a non-empty run without quotes or spaces. */
static int expression_ok(const char *m)
{
    size_t words = 0;
    while (*m) {
        if (words && *m++ != ' ')
            return 0;
        if (*m++ != '"')
            return 0;
        size_t k = strcspn(m, "\" ");
        if (k == 0 || m[k] != '"')
            return 0;
        m += k + 1;
        words++;
        if (*m == '*')
            return m[1] == '\0' && words > 0;
    }
    return words > 0 && words <= KHM_FTS_QUERY_MAX_WORDS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size heap copy, so ASan sees any read past the end */
    char *p = malloc(size + 1);
    if (!p)
        abort();
    if (size)
        memcpy(p, data, size);
    acc a, b;
    segment(p, size, &a);
    segment(p, size, &b);
    if (a.count != b.count || strcmp(a.join.ptr, b.join.ptr) != 0)
        abort();

    khm_buf j = KHM_BUF_INIT((size_t)-1);
    if (khm_segment_join(p, size, &j) != 0 || !j.ptr || strcmp(j.ptr, a.join.ptr) != 0)
        abort();
    if (!a.has_thai) { /* without Thai the joined form segments to itself */
        khm_buf j2 = KHM_BUF_INIT((size_t)-1);
        if (khm_segment_join(j.ptr, j.len, &j2) != 0 || strcmp(j2.ptr, j.ptr) != 0)
            abort();
        khm_buf_dispose(&j2);
    }
    khm_buf_dispose(&j);

    /* the same bytes typed as a query (up to the first NUL) */
    p[size] = '\0';
    khm_buf m = KHM_BUF_INIT(1 << 16);
    int rc = khm_fts_query(p, &m);
    if (rc == 0) {
        if (!expression_ok(m.ptr))
            abort();
    } else {
        size_t nf = 0;
        const khm_field_error *f = khm_err_fields(&nf);
        if (rc != KHM_EINVALID || nf != 1 || strcmp(f[0].field, "q") != 0 || !*f[0].message_th)
            abort();
    }
    khm_buf_dispose(&m);
    khm_buf_dispose(&a.join);
    khm_buf_dispose(&b.join);
    khm_err_clear();
    free(p);
    return 0;
}
