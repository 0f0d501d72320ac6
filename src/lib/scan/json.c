/* A streaming JSON / JSON Lines reader for the scanner: every scalar value with its field path
 * ("$.items[].phone") and its offsets in the caller's buffer, never copied.
 *
 * The state between calls is a small pushdown automaton (what is expected next, the container
 * stack, the path) resumed at a token boundary: a token not complete in the buffer is left
 * unconsumed for the next call. The only token ever consumed in pieces is a string too long for
 * the caller's buffer (ST_STR_CONT / ST_KEY_CONT), cut where no escape is split. */
#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
    ST_VALUE,     /* a value (top level, after ':' or after ',' in an array) */
    ST_AFTER_TOP, /* a top-level value ended */
    ST_OBJ_FIRST, /* after '{': a key or '}' */
    ST_OBJ_KEY,   /* after ',' in an object: a key */
    ST_COLON,     /* after a key */
    ST_OBJ_NEXT,  /* after a member: ',' or '}' */
    ST_ARR_FIRST, /* after '[': a value or ']' */
    ST_ARR_NEXT,  /* after an element: ',' or ']' */
    ST_SKIP_LINE, /* JSON Lines: the rest of a bad line */
    ST_STR_CONT,  /* inside a string value cut into pieces */
    ST_KEY_CONT,  /* inside a key cut into pieces */
    ST_DEAD       /* JSON: after a syntax error */
};

struct khm_jsonr {
    int lines;
    int st;
    int depth;
    unsigned char type[KHM_JSONR_MAX_DEPTH]; /* '{' or '[' */
    uint16_t cplen[KHM_JSONR_MAX_DEPTH];     /* path length of each open container */
    size_t plen;
    uint64_t base; /* absolute input offset of byte 0 of the current buffer */
    int64_t line;  /* newlines consumed */
    int64_t nrec;  /* JSON: complete top-level values */
    int64_t bad, first_bad;
    char path[KHM_JSONR_MAX_PATH + 1];
};

static const char *const expected_of[] = {
    [ST_VALUE] = "a value",
    [ST_AFTER_TOP] = "the end of the line",
    [ST_OBJ_FIRST] = "a key or '}'",
    [ST_OBJ_KEY] = "a key (a string)",
    [ST_COLON] = "':'",
    [ST_OBJ_NEXT] = "',' or '}'",
    [ST_ARR_FIRST] = "a value or ']'",
    [ST_ARR_NEXT] = "',' or ']'",
    [ST_SKIP_LINE] = "a new line",
    [ST_STR_CONT] = "the end of the string",
    [ST_KEY_CONT] = "the end of the key",
    [ST_DEAD] = "nothing",
};

static void reset_top(khm_jsonr *r)
{
    r->st = ST_VALUE;
    r->depth = 0;
    r->plen = 1;
    r->path[0] = '$';
    r->path[1] = 0;
}

int khm_jsonr_new(khm_jsonr **out, int lines)
{
    khm_jsonr *r = khm_calloc(1, sizeof(*r));
    *out = NULL;
    if (!r)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    r->lines = lines != 0;
    reset_top(r);
    *out = r;
    return 0;
}

void khm_jsonr_free(khm_jsonr *r)
{
    khm_free(r);
}

int64_t khm_jsonr_bad_lines(const khm_jsonr *r)
{
    return r->bad;
}

int64_t khm_jsonr_first_bad_line(const khm_jsonr *r)
{
    return r->first_bad;
}

/* ---- unescaping -------------------------------------------------------------------------- */

static int hex4(const unsigned char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    if (n < 4)
        return 0;
    for (int k = 0; k < 4; k++) {
        unsigned c = s[k], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

static size_t utf8_put(uint32_t cp, unsigned char o[4])
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Unescape s[0..n) into out, writing at most cap bytes (stopping before an escape or byte that
 * would not fit). Every escape is at least as long as what it produces, so cap = n never
 * stops. */
static size_t unescape(const unsigned char *s, size_t n, char *out, size_t cap, uint32_t *map)
{
    size_t i = 0, w = 0;
    while (i < n) {
        const unsigned char *bs = memchr(s + i, '\\', n - i);
        size_t run = (bs ? (size_t)(bs - s) : n) - i;
        if (run > cap - w)
            run = cap - w;
        memcpy(out + w, s + i, run);
        if (map)
            for (size_t k = 0; k < run; k++)
                map[w + k] = (uint32_t)(i + k);
        w += run;
        i += run;
        if (i >= n || w >= cap)
            break;
        /* s[i] is a backslash */
        unsigned char o[4];
        size_t len = 2, k = 1;
        uint32_t cp;
        switch (i + 1 < n ? s[i + 1] : 0) {
        case '"':
        case '\\':
        case '/':
            o[0] = s[i + 1];
            break;
        case 'b':
            o[0] = '\b';
            break;
        case 'f':
            o[0] = '\f';
            break;
        case 'n':
            o[0] = '\n';
            break;
        case 'r':
            o[0] = '\r';
            break;
        case 't':
            o[0] = '\t';
            break;
        case 'u':
            if (!hex4(s + i + 2, n - i - 2, &cp)) {
                o[0] = '\\', len = 1; /* malformed: copied as written */
                break;
            }
            len = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u' && hex4(s + i + 8, 4, &lo) &&
                    lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
                    len = 12;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            k = utf8_put(cp, o);
            break;
        default:
            o[0] = '\\', len = 1;
            break;
        }
        if (k > cap - w)
            break;
        memcpy(out + w, o, k);
        if (map)
            for (size_t j = 0; j < k; j++)
                map[w + j] = (uint32_t)i;
        w += k;
        i += len;
    }
    return w;
}

size_t khm_json_unescape(const char *s, size_t n, char *out, uint32_t *map)
{
    return unescape((const unsigned char *)s, n, out, n, map);
}

/* ---- the path ---------------------------------------------------------------------------- */

/* Drop a UTF-8 sequence cut in half at the end of p[lo..k). */
static size_t utf8_trim(const unsigned char *p, size_t lo, size_t k)
{
    for (size_t j = 1; j <= 3 && j <= k - lo; j++) {
        unsigned b = p[k - j];
        if ((b & 0xC0) == 0x80)
            continue;
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return need > j ? k - j : k;
    }
    return k;
}

static void path_append(khm_jsonr *r, const char *s, size_t n, int esc)
{
    size_t room = KHM_JSONR_MAX_PATH - r->plen, w;
    if (esc) {
        w = unescape((const unsigned char *)s, n, r->path + r->plen, room, NULL);
        for (size_t k = r->plen; k < r->plen + w; k++) /* "\u0000" and the like */
            if ((unsigned char)r->path[k] < 0x20)
                r->path[k] = '?';
    } else {
        w = n < room ? n : room;
        memcpy(r->path + r->plen, s, w);
    }
    if (w == room) /* maybe cut */
        w = utf8_trim((const unsigned char *)r->path, r->plen, r->plen + w) - r->plen;
    r->plen += w;
    r->path[r->plen] = 0;
}

/* ---- tokens ------------------------------------------------------------------------------ */

/* Scan string content from i. 1: the closing quote is at *q. 0: the buffer ends first; *safe is
 * the furthest a piece may reach (before an escape the buffer cuts). -1: a control character
 * or a bad escape at *q. *esc is set when a backslash is seen. */
static int scan_str(const unsigned char *p, size_t i, size_t len, size_t *q, size_t *safe, int *esc)
{
    for (;;) {
#ifdef __SSE2__
        const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\'),
                      c1f = _mm_set1_epi8(0x1F);
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bsl)),
                                     _mm_cmpeq_epi8(_mm_max_epu8(v, c1f), c1f));
            unsigned mask = (unsigned)_mm_movemask_epi8(m);
            if (mask) {
                i += (size_t)__builtin_ctz(mask);
                break;
            }
            i += 16;
        }
#endif
        while (i < len && p[i] != '"' && p[i] != '\\' && p[i] >= 0x20)
            i++;
        if (i >= len) {
            *safe = len;
            return 0;
        }
        unsigned c = p[i];
        if (c == '"') {
            *q = i;
            return 1;
        }
        if (c < 0x20) {
            *q = i;
            return -1;
        }
        *esc = 1; /* a backslash */
        if (i + 1 >= len) {
            *safe = i;
            return 0;
        }
        c = p[i + 1];
        if (c == 'u') {
            for (size_t k = 2; k < 6; k++) {
                if (i + k >= len) {
                    *safe = i;
                    return 0;
                }
                unsigned h = p[i + k] | 0x20;
                if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f'))) {
                    *q = i + k;
                    return -1;
                }
            }
            i += 6;
        } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
                   c == 'r' || c == 't') {
            i += 2;
        } else {
            *q = i + 1;
            return -1;
        }
    }
}

static int valid_number(const unsigned char *s, size_t n)
{
    size_t i = 0;
#define DIGIT(k) ((k) < n && s[k] >= '0' && s[k] <= '9')
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (DIGIT(i))
        while (DIGIT(i))
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        if (!DIGIT(i + 1))
            return 0;
        i++;
        while (DIGIT(i))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!DIGIT(i))
            return 0;
        while (DIGIT(i))
            i++;
    }
#undef DIGIT
    return i == n;
}

static inline int word_byte(unsigned c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '.' ||
           c == '+' || c == '-';
}

/* Where to end a piece of a long string whose content starts at cs and may reach safe: after
 * a space in the last 256 bytes, else at a UTF-8 boundary. */
static size_t choose_cut(const unsigned char *p, size_t cs, size_t safe)
{
    size_t lo = safe - cs > 256 ? safe - 256 : cs;
    for (size_t k = safe; k > lo; k--)
        if (p[k - 1] == ' ' || p[k - 1] == '\t')
            return k;
    size_t k = utf8_trim(p, cs, safe);
    return k > cs ? k : safe;
}

/* ---- the reader -------------------------------------------------------------------------- */

static void count_bad_line(khm_jsonr *r)
{
    r->bad++;
    if (!r->first_bad)
        r->first_bad = r->line + 1;
}

/* A syntax error at buf offset at. JSON: the error, and the reader is dead (-1). JSON Lines:
 * count the line and skip it (0). */
static int fail(khm_jsonr *r, size_t at, const char *what)
{
    if (r->lines) {
        count_bad_line(r);
        r->st = ST_SKIP_LINE;
        r->depth = 0;
        r->plen = 1;
        r->path[1] = 0;
        return 0;
    }
    unsigned long long off = (unsigned long long)(r->base + at);
    long long line = (long long)r->line + 1;
    r->st = ST_DEAD;
    khm_err_set(KHM_EINVALID, "invalid JSON at line %lld, byte offset %llu (%s): %s", line, off,
                r->path, what);
    khm_err_field(r->path, "รูปแบบ JSON ไม่ถูกต้อง", "line %lld, byte offset %llu: %s", line, off,
                  what);
    return -1;
}

static int report(khm_jsonr *r, khm_json_cb cb, void *payload, size_t start, size_t end,
                  khm_jv_kind kind, int esc, int partial)
{
    if (!cb)
        return 0;
    khm_json_value v;
    v.path = r->path;
    v.path_len = r->plen;
    v.start = start;
    v.end = end;
    v.kind = kind;
    v.escaped = esc;
    v.record = r->lines ? r->line : r->nrec;
    v.partial = partial;
    return cb(&v, payload);
}

static void after_value(khm_jsonr *r)
{
    if (r->depth == 0) {
        r->st = ST_AFTER_TOP;
        r->nrec++;
    } else {
        r->st = r->type[r->depth - 1] == '{' ? ST_OBJ_NEXT : ST_ARR_NEXT;
    }
}

static void close_container(khm_jsonr *r)
{
    r->depth--;
    r->plen = r->cplen[r->depth];
    r->path[r->plen] = 0;
    after_value(r);
}

/* The first piece of a key: the path becomes the object's path + "." + the piece. */
static void key_start(khm_jsonr *r, const char *s, size_t n, int esc)
{
    r->plen = r->cplen[r->depth - 1];
    if (r->plen + 1 < KHM_JSONR_MAX_PATH) /* the dot, without path_append()'s cut test */
        r->path[r->plen++] = '.';
    else
        path_append(r, ".", 1, 0);
    path_append(r, s, n, esc);
}

int64_t khm_jsonr_feed(khm_jsonr *r, const char *buf, size_t len, size_t cap, int final,
                       khm_json_cb cb, void *payload)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t i = 0, tok;
    int stop = 0;

#define FAIL(at, what)                 \
    do {                               \
        if (fail(r, (at), (what)) < 0) \
            return -1;                 \
        i = (at);                      \
        goto next;                     \
    } while (0)

    if (r->st == ST_DEAD) {
        khm_err_set(KHM_EINVALID, "invalid JSON: the reader stopped at an earlier error");
        return -1;
    }
    while (!stop) {
next:
        if (r->st == ST_STR_CONT || r->st == ST_KEY_CONT) {
            int key = r->st == ST_KEY_CONT, esc = 0;
            size_t q = 0, safe = 0;
            int rc = scan_str(p, i, len, &q, &safe, &esc);
            if (rc < 0)
                FAIL(q, "a control character or bad escape in a string");
            if (rc > 0) {
                if (key) {
                    path_append(r, buf + i, q - i, esc);
                    r->st = ST_COLON;
                } else {
                    stop = report(r, cb, payload, i, q, KHM_JV_STRING, esc, 2);
                    after_value(r);
                }
                i = q + 1;
                continue;
            }
            if (final)
                FAIL(len, "the input ends inside a string");
            if (cap == 0 || len < cap)
                break; /* wait for more */
            size_t cut = choose_cut(p, i, safe);
            if (cut == i)
                FAIL(i, "a string escape longer than the buffer");
            if (key)
                path_append(r, buf + i, cut - i, esc);
            else
                stop = report(r, cb, payload, i, cut, KHM_JV_STRING, esc, 1);
            i = cut;
            break;
        }
        if (r->st == ST_SKIP_LINE) {
            if (i >= len)
                break;
            const unsigned char *nl = memchr(p + i, '\n', len - i);
            if (!nl) {
                i = len;
                break;
            }
            i = (size_t)(nl - p);
        }
        while (i < len) { /* whitespace */
            unsigned c = p[i];
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '\n') {
                if (r->lines) {
                    if (!(r->st == ST_AFTER_TOP || r->st == ST_SKIP_LINE ||
                          (r->st == ST_VALUE && r->depth == 0)))
                        count_bad_line(r); /* the line ended inside a value */
                    reset_top(r);
                }
                r->line++;
                i++;
            } else {
                break;
            }
        }
        if (i >= len)
            break;
        tok = i;
        unsigned c = p[i];
        switch (r->st) {
        case ST_AFTER_TOP:
            if (r->lines)
                FAIL(i, "expected the end of the line after a value");
            r->st = ST_VALUE; /* JSON: concatenated top-level values */
            /* fall through */
        case ST_VALUE:
        case ST_ARR_FIRST:
            if (c == '"') {
                size_t q = 0, safe = 0;
                int esc = 0, rc = scan_str(p, i + 1, len, &q, &safe, &esc);
                if (rc < 0)
                    FAIL(q, "a control character or bad escape in a string");
                if (rc > 0) {
                    stop = report(r, cb, payload, i + 1, q, KHM_JV_STRING, esc, 0);
                    after_value(r);
                    i = q + 1;
                    continue;
                }
                if (final)
                    FAIL(len, "the input ends inside a string");
                if (tok > 0 || cap == 0 || len < cap) {
                    i = tok;
                    goto done;
                }
                size_t cut = choose_cut(p, i + 1, safe);
                stop = report(r, cb, payload, i + 1, cut, KHM_JV_STRING, esc, 1);
                r->st = ST_STR_CONT;
                i = cut;
                goto done;
            }
            if (c == '{' || c == '[') {
                if (r->depth == KHM_JSONR_MAX_DEPTH)
                    FAIL(i, "nested deeper than 64 levels");
                r->type[r->depth] = (unsigned char)c;
                r->cplen[r->depth] = (uint16_t)r->plen;
                r->depth++;
                if (c == '[')
                    path_append(r, "[]", 2, 0);
                r->st = c == '{' ? ST_OBJ_FIRST : ST_ARR_FIRST;
                i++;
                continue;
            }
            if (c == ']' && r->st == ST_ARR_FIRST) {
                close_container(r);
                i++;
                continue;
            }
            if (word_byte(c)) {
                size_t e = i + 1;
                while (e < len && word_byte(p[e]))
                    e++;
                if (e == len && !final) {
                    if (tok > 0 || cap == 0 || len < cap) {
                        i = tok;
                        goto done;
                    }
                    FAIL(tok, "a number longer than the buffer");
                }
                size_t n = e - i;
                khm_jv_kind kind = KHM_JV_NUMBER;
                if ((n == 4 && (memcmp(p + i, "true", 4) == 0 || memcmp(p + i, "null", 4) == 0)) ||
                    (n == 5 && memcmp(p + i, "false", 5) == 0))
                    kind = KHM_JV_LITERAL;
                else if (!valid_number(p + i, n))
                    FAIL(i, c == '-' || (c >= '0' && c <= '9') ? "a malformed number"
                                                               : "expected a value");
                stop = report(r, cb, payload, i, e, kind, 0, 0);
                after_value(r);
                i = e;
                continue;
            }
            FAIL(i, r->st == ST_ARR_FIRST ? "expected a value or ']'" : "expected a value");
        case ST_OBJ_FIRST:
        case ST_OBJ_KEY:
            if (c == '}' && r->st == ST_OBJ_FIRST) {
                close_container(r);
                i++;
                continue;
            }
            if (c == '"') {
                size_t q = 0, safe = 0;
                int esc = 0, rc = scan_str(p, i + 1, len, &q, &safe, &esc);
                if (rc < 0)
                    FAIL(q, "a control character or bad escape in a key");
                if (rc > 0) {
                    key_start(r, buf + i + 1, q - i - 1, esc);
                    r->st = ST_COLON;
                    i = q + 1;
                    continue;
                }
                if (final)
                    FAIL(len, "the input ends inside a key");
                if (tok > 0 || cap == 0 || len < cap) {
                    i = tok;
                    goto done;
                }
                size_t cut = choose_cut(p, i + 1, safe);
                key_start(r, buf + i + 1, cut - i - 1, esc);
                r->st = ST_KEY_CONT;
                i = cut;
                goto done;
            }
            FAIL(i, r->st == ST_OBJ_FIRST ? "expected a key or '}'" : "expected a key (a string)");
        case ST_COLON:
            if (c != ':')
                FAIL(i, "expected ':' after a key");
            r->st = ST_VALUE;
            i++;
            continue;
        case ST_OBJ_NEXT:
            if (c == ',')
                r->st = ST_OBJ_KEY;
            else if (c == '}')
                close_container(r);
            else
                FAIL(i, "expected ',' or '}'");
            i++;
            continue;
        case ST_ARR_NEXT:
            if (c == ',')
                r->st = ST_VALUE;
            else if (c == ']')
                close_container(r);
            else
                FAIL(i, "expected ',' or ']'");
            i++;
            continue;
        default:
            FAIL(i, "unexpected state");
        }
    }
    if (!stop && i >= len && final &&
        !(r->st == ST_AFTER_TOP || r->st == ST_SKIP_LINE || (r->st == ST_VALUE && r->depth == 0))) {
        if (r->lines) {
            count_bad_line(r);
            reset_top(r);
        } else {
            char what[80];
            snprintf(what, sizeof(what), "the input ends: expected %s", expected_of[r->st]);
            fail(r, len, what);
            return -1;
        }
    }
done:
    r->base += i;
    return (int64_t)i;
#undef FAIL
}
