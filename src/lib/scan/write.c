/* The JSON records of a scan (docs/scan-output.md): finding, column, file, summary. Keys are a
 * contract: others may be added, none renamed. */
#include "scan_int.h"

#include <khomun/err.h>
#include <khomun/json.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *khm_scan_suggested_category(khm_pdpa p)
{
    return p == KHM_PDPA_NONE ? "ข้อมูลสาธารณะ" : "ข้อมูลส่วนบุคคล";
}

const char *khm_scan_suggested_classification(khm_pdpa p)
{
    return p == KHM_PDPA_SENSITIVE ? "ลับ"
           : p == KHM_PDPA_PERSONAL ? "ชั้นเผยแพร่ภายในองค์กร"
                                    : "เปิดเผย";
}

/* A score with two decimals, as a JSON number. */
static void jw_score(khm_jw *w, double s)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof(tmp), "%.2f", s);
    khm_jw_raw(w, tmp, (size_t)n);
}

/* The s.26 categories of a mask, as an array of lower-case names. */
static void jw_sensitive(khm_jw *w, unsigned mask)
{
    khm_jw_arr(w);
    for (unsigned k = 1; k < KHM_SENS_COUNT; k++)
        if (mask & (1u << k))
            khm_jw_str(w, khm_sensitive_name(k));
    khm_jw_arr_end(w);
}

static void jw_seconds(khm_jw *w, double s)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%.3f", s);
    khm_jw_raw(w, tmp, (size_t)n);
}

/* A string of n bytes (the value may hold anything, a NUL too: khm_jw_str wants a C string). */
static void jw_strn(khm_jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    khm_jw_raw(w, "\"", 1);
    int rc = khm_buf_json_escape(w->b, s, n);
    if (rc == 0)
        rc = khm_buf_putc(w->b, '"');
    if (rc && !w->err)
        w->err = rc;
}

/* ---- the finding record, the hot path of `khomun scan --format jsonl` ----
 * Written straight into reserved room (one reservation per record, for the worst case of every
 * escape), without the general JSON writer: profiling showed the record costing more than the
 * scan itself. The slow path below serves the rare record that does not fit the buffer's cap. */

static const unsigned char esc_tab[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,          1,          1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

static char *put_raw(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}
#define PUT_LIT(o, lit) put_raw((o), (lit), sizeof(lit) - 1)

/* s[0..n) for n <= 16 with two overlapping fixed-size moves: a memcpy of a variable length is
 * inlined as "rep movsq", whose start-up cost profiling found to be a third of the record's. */
static inline char *put_short(char *o, const char *s, size_t n)
{
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(o, &a, 8);
        memcpy(o + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(o, &a, 4);
        memcpy(o + n - 4, &b, 4);
    } else {
        for (size_t k = 0; k < n; k++)
            o[k] = s[k];
    }
    return o + n;
}

/* Any byte of a 64-bit word that JSON must escape: < 0x20, '"', '\\' or 0x7F (exact presence
 * test: the classic has-zero-byte trick on the word and on its XORs). */
static inline int word_needs_escape(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7F);
    uint64_t lt = (x - ones * 0x20) & ~x;
    uint64_t z = ((q - ones) & ~q) | ((b - ones) & ~b) | ((d - ones) & ~d);
    return ((lt | z) & highs) != 0;
}

/* The escape of byte c at o (c needs one): its end. */
static char *put_esc1(char *o, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '\\';
    switch (c) {
    case '"':
    case '\\':
        *o++ = (char)c;
        break;
    case '\n':
        *o++ = 'n';
        break;
    case '\r':
        *o++ = 'r';
        break;
    case '\t':
        *o++ = 't';
        break;
    default:
        o = PUT_LIT(o, "u00");
        *o++ = hex[c >> 4];
        *o++ = hex[c & 15];
    }
    return o;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* Bytes of a 16-byte block that need an escape, as a bit mask. */
static inline unsigned esc_mask16(__m128i x)
{
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  del = _mm_set1_epi8(0x7f), c1f = _mm_set1_epi8(0x1f);
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, c1f), x); /* x <= 0x1f */
    __m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
                             _mm_or_si128(_mm_cmpeq_epi8(x, del), ctl));
    return (unsigned)_mm_movemask_epi8(e);
}
#endif

/* s[0..n) as the inside of a JSON string (at most 6 n bytes; o has room for 6 n + 16). Sixteen
 * (SSE2) or eight bytes at a time are copied while none needs escaping (Thai text and ordinary
 * values: all of them), the last few by one block overlapping the bytes already copied when
 * those were copied as they are; o may receive up to 16 bytes past the result, overwritten
 * later. */
static char *put_esc(char *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: the last bytes written are u[i - run .. i) as they are */
#if defined(__SSE2__)
    while (i + 16 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        unsigned m = esc_mask16(x);
        _mm_storeu_si128((__m128i *)(void *)o, x);
        if (!m) {
            o += 16;
            i += 16;
            run += 16;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctz(m); /* the bytes before the first escape stay */
        o = put_esc1(o + k, u[i + k]);
        i += k + 1;
        run = 0;
    }
    if (i < n && n >= 16 && run >= 16 - (n - i)) { /* the tail: one overlapping block */
        size_t back = 16 - (n - i);
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + n - 16));
        if (!esc_mask16(x)) {
            _mm_storeu_si128((__m128i *)(void *)(o - back), x);
            return o + (n - i);
        }
    }
#endif
    while (i + 8 <= n) {
        uint64_t x;
        memcpy(&x, u + i, 8);
        if (word_needs_escape(x))
            break;
        memcpy(o, &x, 8);
        o += 8;
        i += 8;
        run += 8;
    }
    if (i < n && n >= 8 && run >= 8 - (n - i)) { /* the tail: one overlapping word */
        size_t back = 8 - (n - i);
        uint64_t x;
        memcpy(&x, u + n - 8, 8);
        if (!word_needs_escape(x)) {
            memcpy(o - back, &x, 8);
            return o + (n - i);
        }
    }
    for (; i < n; i++) {
        unsigned char c = u[i];
        if (esc_tab[c])
            o = put_esc1(o, c);
        else
            *o++ = (char)c;
    }
    return o;
}

/* v < 10^8 in decimal, without a loop: its eight digits (leading zeros included) are made in one
 * 64-bit word (two 4-digit halves, split into pairs, split into digits, by multiplications by
 * reciprocals exact for these ranges), then shifted so that the first significant digit comes
 * first; o gets 8 bytes (those past the number are overwritten later). Little-endian. */
static inline char *put_u27(char *o, uint32_t v)
{
    uint64_t x = (uint64_t)(v / 10000) | (uint64_t)(v % 10000) << 32; /* 32-bit lanes < 10^4 */
    uint64_t y = ((x * 10486) >> 20) & 0x0000007F0000007Full;         /* each lane / 100 */
    uint64_t z = y | (x - y * 100) << 16;                             /* 16-bit lanes < 100 */
    uint64_t t = ((z * 103) >> 10) & 0x000F000F000F000Full;           /* each lane / 10 */
    uint64_t d = t | (z - t * 10) << 8; /* bytes: the digits 0-9, the first one lowest */
    /* the leading zeros are the low zero bytes (one digit stays for 0) */
    unsigned zeros = d ? (unsigned)__builtin_ctzll(d) / 8 : 7, n = 8 - zeros;
    uint64_t w = (d | 0x3030303030303030ull) >> (8 * zeros);
    memcpy(o, &w, 8);
    return o + n;
}

static __attribute__((noinline)) char *put_u64_slow(char *o, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *o++ = tmp[--n];
    return o;
}

static inline __attribute__((always_inline)) char *put_u64(char *o, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (v < 100000000)
        return put_u27(o, (uint32_t)v);
#endif
    return put_u64_slow(o, v);
}

/* 0.00–1.00 with two decimals, as "%.2f" prints the scores (which are never exact ties) */
static char *put_score(char *o, double s)
{
    if (!(s >= 0) || s > 1) { /* NaN or out of range: the slow formatter's answer */
        int n = snprintf(o, 16, "%.2f", s);
        return o + (n > 0 ? n : 0);
    }
    unsigned v = (unsigned)(s * 100 + 0.5);
    *o++ = (char)('0' + v / 100);
    *o++ = '.';
    *o++ = (char)('0' + v / 10 % 10);
    *o++ = (char)('0' + v % 10);
    return o;
}

/* put_esc() of a value shorter than 16 bytes in a buffer readable for 16 (the masked value on
 * the stack): one block, its bytes past n left out of the test and overwritten later. */
static inline char *put_esc_short16(char *o, const char *s, size_t n)
{
#if defined(__SSE2__)
    if (n < 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
        if (!(esc_mask16(x) & ((1u << n) - 1))) {
            _mm_storeu_si128((__m128i *)(void *)o, x);
            return o + n;
        }
    }
#endif
    return put_esc(o, s, n);
}

static int slow_finding(khm_buf *b, const char *file, const khm_finding *f, int show_values);

#define KHM_FAST_VALUE 512 /* values up to this long are masked on the stack */

/* The record of finding f; the file's JSON form is fj[0..fjl) when fj is set, else it is
 * escaped here. */
static inline __attribute__((always_inline)) int write_finding(khm_buf *b, const char *file,
                                                               const char *fj, size_t fjl,
                                                               const khm_finding *f,
                                                               int show_values)
{
    static const char *const pdpa_lit[] = { "none\"", "personal\"", "sensitive\"" };
    static const unsigned char pdpa_len[] = { 5, 9, 10 };
    const char *v = f->value;
    size_t vn = f->value_len;
    char masked[KHM_FAST_VALUE + KHM_MASK_SLACK];
    if ((unsigned)f->pdpa > KHM_PDPA_SENSITIVE)
        return slow_finding(b, file, f, show_values);
    if (!show_values) { /* masked on the stack */
        if (vn >= KHM_FAST_VALUE)
            return slow_finding(b, file, f, show_values);
        memset(masked, 0, 16); /* put_esc_short16() reads 16 bytes: all of them defined */
        vn = khm_scan_mask_to(masked, f->det, f->type, f->value, f->value_len);
        v = masked;
    }
    size_t fl = fj ? fjl : file ? strlen(file) : 0, hl = f->field ? strlen(f->field) : 0;
    size_t tl = strlen(f->type), sl = f->subtype ? strlen(f->subtype) : 0;
    size_t need = 320 + 6 * (fl + hl + vn + tl + sl);
    if (khm_buf_reserve(b, need) < 0) {
        khm_err_clear();
        return slow_finding(b, file, f, show_values);
    }
    char *o = b->ptr + b->len;
    o = PUT_LIT(o, "{\"kind\":\"finding\",\"file\":");
    if (fj) {
        o = put_raw(o, fj, fjl);
    } else if (file) {
        *o++ = '"';
        o = put_esc(o, file, fl);
        *o++ = '"';
    } else {
        o = PUT_LIT(o, "null");
    }
    o = PUT_LIT(o, ",\"type\":\"");
    if (f->det >= 0 && (size_t)f->det < khm_detector_count && khm_detectors[f->det].name == f->type)
        o = tl <= 16 ? put_short(o, f->type, tl) : put_raw(o, f->type, tl); /* A-Z and '_' */
    else
        o = put_esc(o, f->type, tl);
    o = PUT_LIT(o, "\",\"start\":");
    o = put_u64(o, f->start);
    o = PUT_LIT(o, ",\"end\":");
    o = put_u64(o, f->end);
    o = PUT_LIT(o, ",\"line\":");
    o = put_u64(o, f->line);
    o = PUT_LIT(o, ",\"row\":");
    o = f->row >= 0 ? put_u64(o, (uint64_t)f->row) : PUT_LIT(o, "null");
    o = PUT_LIT(o, ",\"field\":");
    if (f->field) {
        *o++ = '"';
        o = put_esc(o, f->field, hl);
        *o++ = '"';
    } else {
        o = PUT_LIT(o, "null");
    }
    o = PUT_LIT(o, ",\"score\":");
    o = put_score(o, f->score);
    o = PUT_LIT(o, ",\"pdpa\":\"");
    o = put_short(o, pdpa_lit[f->pdpa], pdpa_len[f->pdpa]);
    if (f->sens) {
        const char *sn = khm_sensitive_name(f->sens);
        o = PUT_LIT(o, ",\"sensitive\":");
        if (sn) {
            *o++ = '"';
            o = put_raw(o, sn, strlen(sn));
            *o++ = '"';
        } else {
            o = PUT_LIT(o, "null");
        }
    }
    if (f->subtype) {
        o = PUT_LIT(o, ",\"subtype\":\"");
        o = put_esc(o, f->subtype, sl);
        *o++ = '"';
    }
    o = PUT_LIT(o, ",\"value\":\"");
    o = show_values ? put_esc(o, v, vn) : put_esc_short16(o, v, vn);
    o = PUT_LIT(o, "\"}");
    b->len = (size_t)(o - b->ptr);
    b->ptr[b->len] = '\0';
    return 0;
}

int khm_scan_write_finding(khm_buf *b, const char *file, const khm_finding *f, int show_values)
{
    return write_finding(b, file, NULL, 0, f, show_values);
}

int khm_scan_name_set(khm_scan_name *n, const char *file)
{
    n->file = file;
    khm_buf_reset(&n->json);
    if (!file)
        return khm_buf_puts(&n->json, "null");
    size_t fl = strlen(file);
    int rc = khm_buf_reserve(&n->json, 6 * fl + 24); /* put_esc() may write 16 bytes past */
    if (rc < 0)
        return rc; /* json stays empty: khm_scan_write_finding_named() escapes the name */
    char *o = n->json.ptr;
    *o++ = '"';
    o = put_esc(o, file, fl);
    *o++ = '"';
    n->json.len = (size_t)(o - n->json.ptr);
    n->json.ptr[n->json.len] = '\0';
    return 0;
}

int khm_scan_write_finding_named(khm_buf *b, const khm_scan_name *n, const khm_finding *f,
                                 int show_values)
{
    if (!n->json.len) /* not set */
        return write_finding(b, n->file, NULL, 0, f, show_values);
    return write_finding(b, n->file, n->json.ptr, n->json.len, f, show_values);
}

static int slow_finding(khm_buf *b, const char *file, const khm_finding *f, int show_values)
{
    khm_jw w;
    khm_buf v = KHM_BUF_INIT(256);
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "finding");
    khm_jw_key(&w, "file");
    khm_jw_str(&w, file);
    khm_jw_key(&w, "type");
    khm_jw_str(&w, f->type);
    khm_jw_key(&w, "start");
    khm_jw_int(&w, (int64_t)f->start);
    khm_jw_key(&w, "end");
    khm_jw_int(&w, (int64_t)f->end);
    khm_jw_key(&w, "line");
    khm_jw_int(&w, (int64_t)f->line);
    khm_jw_key(&w, "row");
    if (f->row >= 0)
        khm_jw_int(&w, f->row);
    else
        khm_jw_null(&w);
    khm_jw_key(&w, "field");
    khm_jw_str(&w, f->field);
    khm_jw_key(&w, "score");
    jw_score(&w, f->score);
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(f->pdpa));
    if (f->sens) {
        khm_jw_key(&w, "sensitive");
        khm_jw_str(&w, khm_sensitive_name(f->sens));
    }
    if (f->subtype) {
        khm_jw_key(&w, "subtype");
        khm_jw_str(&w, f->subtype);
    }
    khm_jw_key(&w, "value");
    if (show_values) {
        jw_strn(&w, f->value, f->value_len);
    } else {
        int rc = khm_scan_mask(&v, f->type, f->value, f->value_len);
        if (rc && !w.err)
            w.err = rc;
        jw_strn(&w, v.ptr ? v.ptr : "", v.len);
    }
    khm_jw_obj_end(&w);
    khm_buf_dispose(&v);
    return khm_jw_finish(&w);
}

int khm_scan_write_column(khm_buf *b, const char *file, const khm_profile *p, size_t col)
{
    const khm_column *c = &p->cols[col];
    int d = khm_profile_dominant(p, col);
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "column");
    khm_jw_key(&w, "file");
    khm_jw_str(&w, file);
    khm_jw_key(&w, "index");
    khm_jw_int(&w, (int64_t)col);
    khm_jw_key(&w, "field");
    khm_jw_str(&w, c->field);
    khm_jw_key(&w, "type");
    khm_jw_str(&w, d >= 0 ? khm_scanner_type_name(p->scanner, (size_t)d) : NULL);
    khm_jw_key(&w, "rows");
    khm_jw_int(&w, c->rows);
    khm_jw_key(&w, "matched");
    khm_jw_int(&w, d >= 0 ? c->matched[d] : 0);
    khm_jw_key(&w, "share");
    jw_score(&w, d >= 0 && c->rows ? (double)c->matched[d] / (double)c->rows : 0.0);
    khm_jw_key(&w, "score");
    jw_score(&w, d >= 0 ? c->score_sum[d] / (double)c->matched[d] : 0.0);
    khm_pdpa pd = d >= 0 ? khm_scanner_type_pdpa(p->scanner, (size_t)d) : KHM_PDPA_NONE;
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(c->pdpa > pd ? c->pdpa : pd));
    khm_jw_key(&w, "sensitive");
    jw_sensitive(&w, c->sensitive);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

int khm_scan_write_file(khm_buf *b, const char *file, const khm_scan_info *t, double seconds)
{
    khm_pdpa top = t->pdpa;
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "file");
    khm_jw_key(&w, "file");
    khm_jw_str(&w, file);
    khm_jw_key(&w, "format");
    khm_jw_str(&w, khm_in_format_name(t->format));
    khm_jw_key(&w, "encoding");
    khm_jw_str(&w, t->encoding ? khm_enc_name(t->encoding) : "utf-8");
    khm_jw_key(&w, "gzip");
    khm_jw_bool(&w, t->gzip);
    khm_jw_key(&w, "bytes");
    khm_jw_int(&w, (int64_t)t->bytes);
    khm_jw_key(&w, "rows");
    if (t->rows >= 0)
        khm_jw_int(&w, t->rows);
    else
        khm_jw_null(&w);
    khm_jw_key(&w, "findings");
    khm_jw_int(&w, t->findings);
    khm_jw_key(&w, "types");
    khm_jw_obj(&w);
    for (size_t d = 0; d < khm_scanner_type_count(t->scanner) && d < KHM_SCAN_MAX_TYPES; d++) {
        if (!t->types[d])
            continue;
        khm_jw_key(&w, khm_scanner_type_name(t->scanner, d));
        khm_jw_int(&w, t->types[d]);
    }
    khm_jw_obj_end(&w);
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(top));
    khm_jw_key(&w, "sensitive");
    jw_sensitive(&w, t->sensitive);
    khm_jw_key(&w, "suggested_category");
    khm_jw_str(&w, khm_scan_suggested_category(top));
    khm_jw_key(&w, "suggested_classification");
    khm_jw_str(&w, khm_scan_suggested_classification(top));
    if (t->invalid) {
        khm_jw_key(&w, "invalid_sequences");
        khm_jw_int(&w, (int64_t)t->invalid);
    }
    if (t->split) {
        khm_jw_key(&w, "split");
        khm_jw_int(&w, t->split);
    }
    if (t->bad_lines) {
        khm_jw_key(&w, "bad_lines");
        khm_jw_int(&w, t->bad_lines);
    }
    khm_jw_key(&w, "seconds");
    jw_seconds(&w, seconds);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

int khm_scan_write_summary(khm_buf *b, int64_t files, uint64_t bytes, int64_t findings,
                           int64_t errors, double seconds)
{
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "summary");
    khm_jw_key(&w, "files");
    khm_jw_int(&w, files);
    khm_jw_key(&w, "bytes");
    khm_jw_int(&w, (int64_t)bytes);
    khm_jw_key(&w, "findings");
    khm_jw_int(&w, findings);
    khm_jw_key(&w, "errors");
    khm_jw_int(&w, errors);
    khm_jw_key(&w, "seconds");
    jw_seconds(&w, seconds);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

/* ---- SARIF 2.1.0 ---------------------------------------------------------------------- */

int khm_scan_write_sarif_head(khm_buf *b, const char *version, const khm_scanner *sc)
{
    khm_jw w;
    int rc = khm_buf_puts(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                             "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":");
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "name");
    khm_jw_str(&w, "khomun");
    khm_jw_key(&w, "version");
    khm_jw_str(&w, version);
    khm_jw_key(&w, "informationUri");
    khm_jw_str(&w, "https://github.com/khomun/khomun/tree/main/docs/detectors");
    khm_jw_key(&w, "rules");
    khm_jw_arr(&w);
    for (size_t d = 0; d < khm_scanner_type_count(sc); d++) {
        const khm_detector *dt = d < khm_detector_count ? &khm_detectors[d] : NULL;
        khm_pdpa pd = khm_scanner_type_pdpa(sc, d);
        unsigned sens = dt ? dt->sens : khm_scanner_type_sens(sc, d);
        khm_jw_obj(&w);
        khm_jw_key(&w, "id");
        khm_jw_str(&w, khm_scanner_type_name(sc, d));
        khm_jw_key(&w, "name");
        khm_jw_str(&w, khm_scanner_type_name(sc, d));
        khm_jw_key(&w, "shortDescription");
        khm_jw_obj(&w);
        khm_jw_key(&w, "text");
        khm_jw_str(&w, dt ? dt->summary : khm_scanner_type_summary(sc, d));
        khm_jw_obj_end(&w);
        khm_jw_key(&w, "defaultConfiguration");
        khm_jw_obj(&w);
        khm_jw_key(&w, "level");
        khm_jw_str(&w, pd == KHM_PDPA_SENSITIVE  ? "error"
                       : pd == KHM_PDPA_PERSONAL ? "warning"
                                                 : "note");
        khm_jw_obj_end(&w);
        khm_jw_key(&w, "properties");
        khm_jw_obj(&w);
        khm_jw_key(&w, "pdpa");
        khm_jw_str(&w, khm_pdpa_name(pd));
        if (sens) {
            khm_jw_key(&w, "sensitive");
            khm_jw_str(&w, khm_sensitive_name(sens));
        }
        if (!dt) {
            khm_jw_key(&w, "custom");
            khm_jw_bool(&w, 1);
        }
        khm_jw_obj_end(&w);
        khm_jw_obj_end(&w);
    }
    khm_jw_arr_end(&w);
    khm_jw_obj_end(&w);
    if (rc == 0)
        rc = khm_jw_finish(&w);
    if (rc == 0)
        rc = khm_buf_puts(b, "},\"columnKind\":\"utf16CodeUnits\",\"results\":[");
    return rc;
}

int khm_scan_write_sarif_result(khm_buf *b, const char *file, const khm_finding *f, int show_values)
{
    khm_jw w;
    khm_buf v = KHM_BUF_INIT(256), msg = KHM_BUF_INIT(1024);
    int rc = show_values ? khm_buf_put(&v, f->value, f->value_len)
                         : khm_scan_mask(&v, f->type, f->value, f->value_len);
    if (rc == 0)
        rc = khm_buf_printf(&msg, "%s (%s%s%s) found%s%s: %.*s", f->type, khm_pdpa_name(f->pdpa),
                            f->sens ? ", " : "", f->sens ? khm_sensitive_name(f->sens) : "",
                            f->field ? " in " : "", f->field ? f->field : "", (int)v.len,
                            v.ptr ? v.ptr : "");
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "ruleId");
    khm_jw_str(&w, f->type);
    khm_jw_key(&w, "ruleIndex");
    khm_jw_int(&w, f->det);
    khm_jw_key(&w, "level");
    khm_jw_str(&w, f->pdpa == KHM_PDPA_SENSITIVE  ? "error"
                   : f->pdpa == KHM_PDPA_PERSONAL ? "warning"
                                                  : "note");
    khm_jw_key(&w, "message");
    khm_jw_obj(&w);
    khm_jw_key(&w, "text");
    jw_strn(&w, msg.ptr ? msg.ptr : "", msg.len);
    khm_jw_obj_end(&w);
    khm_jw_key(&w, "locations");
    khm_jw_arr(&w);
    khm_jw_obj(&w);
    khm_jw_key(&w, "physicalLocation");
    khm_jw_obj(&w);
    khm_jw_key(&w, "artifactLocation");
    khm_jw_obj(&w);
    khm_jw_key(&w, "uri");
    khm_jw_str(&w, file);
    khm_jw_obj_end(&w);
    khm_jw_key(&w, "region");
    khm_jw_obj(&w);
    khm_jw_key(&w, "startLine");
    khm_jw_int(&w, (int64_t)f->line);
    khm_jw_key(&w, "byteOffset");
    khm_jw_int(&w, (int64_t)f->start);
    khm_jw_key(&w, "byteLength");
    khm_jw_int(&w, (int64_t)(f->end - f->start));
    khm_jw_obj_end(&w);
    khm_jw_obj_end(&w);
    khm_jw_obj_end(&w);
    khm_jw_arr_end(&w);
    khm_jw_key(&w, "properties");
    khm_jw_obj(&w);
    khm_jw_key(&w, "score");
    jw_score(&w, f->score);
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(f->pdpa));
    if (f->sens) {
        khm_jw_key(&w, "sensitive");
        khm_jw_str(&w, khm_sensitive_name(f->sens));
    }
    if (f->field) {
        khm_jw_key(&w, "field");
        khm_jw_str(&w, f->field);
    }
    if (f->row >= 0) {
        khm_jw_key(&w, "row");
        khm_jw_int(&w, f->row);
    }
    khm_jw_obj_end(&w);
    khm_jw_obj_end(&w);
    if (rc && !w.err)
        w.err = rc;
    khm_buf_dispose(&v);
    khm_buf_dispose(&msg);
    return khm_jw_finish(&w);
}

int khm_scan_write_sarif_tail(khm_buf *b, int ok)
{
    khm_jw w;
    int rc = khm_buf_puts(b, "],\"invocations\":[");
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "executionSuccessful");
    khm_jw_bool(&w, ok);
    khm_jw_obj_end(&w);
    if (rc == 0)
        rc = khm_jw_finish(&w);
    return rc ? rc : khm_buf_puts(b, "]}]}");
}
