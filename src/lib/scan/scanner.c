/* The scan loop: one pass over the bytes; at the start of each token whose first byte triggers
 * a detector (a digit, '+', '(', a letter, an '@', a ':'), try the detectors of that class,
 * keep the longest match (then the highest score), add context, report it, and jump past it.
 * Bytes that trigger nothing (spaces, punctuation) cost one table lookup. A Thai character
 * (E0 B8/B9 xx) costs a second lookup: only detectors that listed it as a possible first
 * character (a title, a month name, an address word) are tried there. Cell detectors run once
 * at the start of each CSV cell or JSON value that has a field name. */
#include "scan_int.h"

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KHM_CTX_SIMD 1 /* the context search 32 bytes at a time when the CPU has AVX2 */
#else
#define KHM_CTX_SIMD 0
#endif

#define KHM_MAX_DET  64
#define KHM_MAX_THAI 16   /* detectors that may start at one Thai character */
#define KHM_MAX_KW   1024 /* context words of all detectors */
#define KHM_TLUT_BAD 0xFF
/* context words are bucketed by their first two characters: Thai × Thai (or "other"), then
 * ASCII letter × letter (or "other") */
#define KHM_KW_THAI    (128 * 128)
#define KHM_KW_BUCKETS (KHM_KW_THAI + 26 * 27)

struct khm_scanner {
    unsigned short cls[256];             /* KHM_TRIG_* of each byte (KHM_TRIG_THAI on 0xE0) */
    size_t ndet[256];                    /* per first byte: number of detectors */
    unsigned char det[256][KHM_MAX_DET]; /* per first byte: detector indexes, table order */
    unsigned char nthai[128];            /* per Thai character U+0E00..U+0E7F */
    unsigned char thai[128][KHM_MAX_THAI];
    size_t ncell;
    unsigned char cell[KHM_MAX_DET];
    unsigned char on[KHM_MAX_DET]; /* detectors enabled (built-in and custom) */
    const khm_scan_config *cfg;    /* custom detectors, types khm_detector_count + k */
    size_t ntypes;
    /* at an ASCII digit c starting a run of r digits (31: 31 or more) followed by a byte of class
     * x (KHM_NEXT_*, from nx[]): the digit detectors whose gates (dfirst, druns, dflags, dnext)
     * let them match there, in table order; dgated 0: more than 16, use det[] */
    unsigned char dn[10][32][KHM_NEXT_CLASSES];
    unsigned char dl[10][32][KHM_NEXT_CLASSES][16];
    unsigned char nx[256];
    int dgated;
    /* after a Thai trigger character t: the second characters that may follow (Thai, ASCII);
     * any2[t]: no filter (a detector there has no prefixes, or one is a single character) */
    unsigned char any2[128];
    /* by tlut_key() of the second and third bytes of a character led by 0xE0: 0 a character no
     * detector starts at (skip it), KHM_TLUT_BAD not a well-formed sequence (skip one byte),
     * else the Thai trigger index + 1 */
    unsigned char tlut[65536];
    /* by tlut_key() of the same bytes: the index + 1 of any Thai character (U+0E00..U+0E7F),
     * 0 for anything else (the second character of second_ok()) */
    unsigned char tix[65536];
    uint64_t th2[128][2], as2[128][2];
    /* context words of the enabled detectors, listed per detector with their bucket (the first
     * two characters, kw_bucket()), and per detector the first characters they start with (Thai
     * U+0E00..U+0E7F, ASCII a-z), so that the window before a match is searched for one
     * detector's words only, touching its keywords only at a character one of them starts with */
    struct ctx_kw {
        const char *w;
        unsigned short bucket;
        unsigned char len;
    } kw[KHM_MAX_KW];
    unsigned short kw_at[KHM_MAX_DET + 1]; /* detector d: kw[kw_at[d] .. kw_at[d + 1]) */
    uint64_t kw_th[KHM_MAX_DET][2];        /* bit t: a Thai word of d starts with character t */
    uint32_t kw_as[KHM_MAX_DET];           /* bit c: an ASCII word of d starts with 'a' + c */
    /* the same as nibble tables for ctx_has_avx2(): Thai, per low nibble of t, bit t >> 4; ASCII,
     * per low nibble of the byte (either case), bit byte >> 4 */
    unsigned char kw_tn[KHM_MAX_DET][16], kw_an[KHM_MAX_DET][16];
    int simd; /* the CPU has AVX2 */
    double min_score;
};

/* The index into tlut of the two bytes at q: one 16-bit load (in the machine's byte order;
 * the table is built through this function too). */
static inline unsigned tlut_key(const unsigned char *q)
{
    uint16_t x;
    memcpy(&x, q, 2);
    return x;
}

/* Index 0..127 of the Thai character encoded at q[0..3) (E0 B8 80..E0 B9 BF), or -1. */
static inline int thai_index(const unsigned char *q)
{
    if (q[0] != 0xE0 || (q[1] & 0xFE) != 0xB8 || (q[2] & 0xC0) != 0x80)
        return -1;
    return ((q[1] - 0xB8) << 6) | (q[2] & 0x3F);
}

typedef struct {
    khm_scanner *sc;
    int det;
} prefix_ctx;

static void add_prefix(void *arg, const char *w, size_t n)
{
    prefix_ctx *pc = arg;
    khm_scanner *sc = pc->sc;
    const unsigned char *u = (const unsigned char *)w;
    int t = n >= 3 ? thai_index(u) : -1;
    if (t < 0)
        return; /* not a Thai anchor: the ASCII triggers filter those */
    int here = 0;
    for (size_t k = 0; k < sc->nthai[t]; k++)
        here |= sc->thai[t][k] == pc->det;
    if (!here)
        return;
    int t2 = n >= 6 ? thai_index(u + 3) : -1;
    if (t2 >= 0)
        sc->th2[t][t2 >> 6] |= (uint64_t)1 << (t2 & 63);
    else if (n >= 4 && u[3] < 0x80)
        sc->as2[t][u[3] >> 6] |= (uint64_t)1 << (u[3] & 63);
    else
        sc->any2[t] = 1;
}

/* 1 when a Thai-triggered match may start at p[i] (character t) given what follows. */
static inline int second_ok(const khm_scanner *sc, int t, const unsigned char *p, size_t i,
                            size_t hi)
{
    if (sc->any2[t])
        return 1;
    unsigned t2;
    if (i + 6 <= hi && p[i + 3] == 0xE0 && (t2 = sc->tix[tlut_key(p + i + 4)]) != 0) {
        t2--; /* thai_index(p + i + 3), from one 16-bit load and a table */
        return (int)((sc->th2[t][t2 >> 6] >> (t2 & 63)) & 1);
    }
    if (i + 3 < hi && p[i + 3] < 0x80)
        return (int)((sc->as2[t][p[i + 3] >> 6] >> (p[i + 3] & 63)) & 1);
    return 0;
}

#define KHM_CUSTOM_MATCHES 4096 /* custom matches kept per region */
#define KHM_CUSTOM_BOOST   0.2  /* a custom detector's context words nearby add this */

struct khm_scan_state {
    const char *buf; /* buffer the line counter refers to */
    size_t line_pos;
    uint64_t line;
    /* the first newline at or after line_pos, or SIZE_MAX when there is none before nl_lim */
    size_t nl, nl_lim;
    void *scratch;        /* vectorscan scratch of the custom detectors, or NULL */
    khm_custom_match *cm; /* the custom matches of the region being scanned */
};

/* Bucket of the text (or word) at w[0..n): its first two characters, or -1 when it starts
 * with neither a Thai character nor an ASCII letter. */
static inline int kw_bucket(const unsigned char *w, size_t n)
{
    if (n >= 3 && w[0] == 0xE0) {
        int t = thai_index(w);
        if (t < 0)
            return -1;
        int t2 = n >= 6 ? thai_index(w + 3) : -1;
        return t * 128 + (t2 < 0 ? 127 : t2);
    }
    unsigned c = w[0] | 0x20u;
    if (n >= 1 && c >= 'a' && c <= 'z' && khm_isalpha(w[0])) {
        unsigned c2 = n >= 2 && khm_isalpha(w[1]) ? (w[1] | 0x20u) - 'a' : 26;
        return KHM_KW_THAI + (int)((c - 'a') * 27 + c2);
    }
    return -1;
}

static void ctx_index(khm_scanner *sc)
{
    size_t n = 0;
    for (size_t d = 0; d < khm_detector_count && d < KHM_MAX_DET; d++) {
        sc->kw_at[d] = (unsigned short)n;
        if (!sc->on[d] || !khm_detectors[d].context)
            continue;
        for (const char *const *w = khm_detectors[d].context; *w && n < KHM_MAX_KW; w++) {
            const unsigned char *u = (const unsigned char *)*w;
            size_t len = strlen(*w);
            int b = kw_bucket(u, len);
            if (b < 0 || len > 255)
                continue;
            sc->kw[n].w = *w;
            sc->kw[n].bucket = (unsigned short)b;
            sc->kw[n].len = (unsigned char)len;
            n++;
            if (b < KHM_KW_THAI) {
                int t = b / 128;
                sc->kw_th[d][t >> 6] |= (uint64_t)1 << (t & 63);
                sc->kw_tn[d][t & 15] |= (unsigned char)(1u << (t >> 4));
            } else {
                unsigned c = u[0] | 0x20u;
                sc->kw_as[d] |= 1u << (c - 'a');
                sc->kw_an[d][c & 15] |= (unsigned char)(1u << (c >> 4));
                sc->kw_an[d][c & 15] |= (unsigned char)(1u << ((c - 0x20) >> 4));
            }
        }
    }
    for (size_t d = khm_detector_count < KHM_MAX_DET ? khm_detector_count : KHM_MAX_DET;
         d <= KHM_MAX_DET; d++)
        sc->kw_at[d] = (unsigned short)n;
}

static inline int fold_eq(const unsigned char *s, const char *w, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned x = s[k];
        if (x >= 'A' && x <= 'Z')
            x |= 0x20;
        if (x != (unsigned char)w[k])
            return 0;
    }
    return 1;
}

/* 1 when a Thai context word of detector @p d starts at s[k] (a Thai character listed in kw_th),
 * within s[0..n). */
static inline int ctx_thai_at(const khm_scanner *sc, int d, const unsigned char *s, size_t n,
                              size_t k)
{
    const struct ctx_kw *k0 = &sc->kw[sc->kw_at[d]], *k1 = &sc->kw[sc->kw_at[d + 1]];
    int bk = kw_bucket(s + k, n - k);
    for (const struct ctx_kw *q = k0; q < k1; q++)
        if (q->bucket == bk && k + q->len <= n && memcmp(s + k, q->w, q->len) == 0)
            return 1;
    return 0;
}

/* 1 when an ASCII context word of detector @p d starts at s[k] (the start of a word) and ends
 * one, within s[0..n). */
static inline int ctx_ascii_at(const khm_scanner *sc, int d, const unsigned char *s, size_t n,
                               size_t k)
{
    const struct ctx_kw *k0 = &sc->kw[sc->kw_at[d]], *k1 = &sc->kw[sc->kw_at[d + 1]];
    int bk = kw_bucket(s + k, n - k);
    for (const struct ctx_kw *q = k0; q < k1; q++)
        if (q->bucket == bk && k + q->len <= n && fold_eq(s + k, q->w, q->len) &&
            (k + q->len == n || !khm_isalpha(s[k + q->len])))
            return 1;
    return 0;
}

#if KHM_CTX_SIMD
/* ctx_has() over a window of n <= 64 bytes with 66 readable: the characters a word of @p d may
 * start at, found 32 bytes at a time (AVX2), then checked one by one; -1 when the window holds a
 * 0xE0 byte that does not start a whole Thai character (the byte loop's skips then decide). */
__attribute__((target("avx2"))) static int ctx_has_avx2(const khm_scanner *sc, int d,
                                                        const unsigned char *s, size_t n)
{
    const __m256i rowbit =
        _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16,
                         32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i tth =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)sc->kw_tn[d]));
    const __m256i tas =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)sc->kw_an[d]));
    const __m256i nib = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    uint64_t lead = 0, whole = 0, thai = 0, alpha = 0, ascii = 0;
    for (int h = 0; h < 2; h++) {
        const unsigned char *q = s + 32 * h;
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)q),
                x1 = _mm256_loadu_si256((const __m256i *)(const void *)(q + 1)),
                x2 = _mm256_loadu_si256((const __m256i *)(const void *)(q + 2));
        __m256i e0 = _mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xE0));
        __m256i ok =
            _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(x1, _mm256_set1_epi8((char)0xFE)),
                                               _mm256_set1_epi8((char)0xB8)),
                             _mm256_cmpeq_epi8(_mm256_and_si256(x2, _mm256_set1_epi8((char)0xC0)),
                                               _mm256_set1_epi8((char)0x80)));
        __m256i row =
            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(x2, 4), _mm256_set1_epi8(3)),
                            _mm256_slli_epi16(_mm256_and_si256(x1, _mm256_set1_epi8(1)), 2));
        __m256i th = _mm256_and_si256(_mm256_shuffle_epi8(tth, _mm256_and_si256(x2, nib)),
                                      _mm256_shuffle_epi8(rowbit, row));
        __m256i y = _mm256_or_si256(x, _mm256_set1_epi8(0x20));
        __m256i al = _mm256_and_si256(_mm256_cmpgt_epi8(y, _mm256_set1_epi8('a' - 1)),
                                      _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), y));
        __m256i as = _mm256_and_si256(
            _mm256_shuffle_epi8(tas, _mm256_and_si256(x, nib)),
            _mm256_shuffle_epi8(rowbit, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib)));
        unsigned sh = 32u * (unsigned)h;
        lead |= (uint64_t)(uint32_t)_mm256_movemask_epi8(e0) << sh;
        whole |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_and_si256(e0, ok)) << sh;
        thai |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(_mm256_cmpeq_epi8(th, zero)) << sh;
        alpha |= (uint64_t)(uint32_t)_mm256_movemask_epi8(al) << sh;
        ascii |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(_mm256_cmpeq_epi8(as, zero)) << sh;
    }
    uint64_t in = n >= 64 ? ~0ull : ((uint64_t)1 << n) - 1;
    if ((lead & ~whole & in) || (lead & in & ~(in >> 2)))
        return -1; /* a broken or cut Thai character: the byte loop's skips matter */
    uint64_t cand = (whole & thai & (in >> 2)) | (alpha & ~(alpha << 1) & ascii & in);
    while (cand) {
        size_t k = (size_t)__builtin_ctzll(cand);
        cand &= cand - 1;
        if (s[k] == 0xE0 ? ctx_thai_at(sc, d, s, n, k) : ctx_ascii_at(sc, d, s, n, k))
            return 1;
    }
    return 0;
}
#endif

/* 1 when a context word of detector @p d occurs in s[0..n): Thai words anywhere (Thai has no
 * spaces), ASCII words case-insensitively as whole words (as khm_context_has()). A word counts
 * where the text's first two characters put it in the word's bucket (kw_bucket()). @p avail:
 * bytes readable from s (at least n). */
static int ctx_has(const khm_scanner *sc, int d, const unsigned char *s, size_t n, size_t avail)
{
    const uint64_t *th = sc->kw_th[d];
    uint32_t as = sc->kw_as[d];
    if (sc->kw_at[d] == sc->kw_at[d + 1])
        return 0;
#if KHM_CTX_SIMD
    if (sc->simd && n <= 64 && avail >= 66) {
        int r = ctx_has_avx2(sc, d, s, n);
        if (r >= 0)
            return r;
    }
#else
    (void)avail;
#endif
    for (size_t k = 0; k < n; k++) {
        unsigned b = s[k];
        if (b == 0xE0) {
            int t;
            if (k + 3 <= n && (t = thai_index(s + k)) >= 0 && ((th[t >> 6] >> (t & 63)) & 1) &&
                ctx_thai_at(sc, d, s, n, k))
                return 1;
            k += 2;
        } else if (khm_isalpha(b) && (k == 0 || !khm_isalpha(s[k - 1])) &&
                   ((as >> ((b | 0x20u) - 'a')) & 1) && ctx_ascii_at(sc, d, s, n, k)) {
            return 1;
        }
    }
    return 0;
}

/* The digit detectors of each (first digit, run length, next byte class), from their gates. */
static void digit_gates(khm_scanner *sc)
{
    for (unsigned z = 0; z < 256; z++)
        sc->nx[z] = (unsigned char)khm_next_class(z);
    sc->dgated = sc->ndet['0'] <= 16;
    for (unsigned c = 0; c < 10 && sc->dgated; c++)
        for (unsigned r = 1; r < 32; r++)
            for (unsigned x = 0; x < KHM_NEXT_CLASSES; x++) {
                unsigned b = '0' + c;
                for (size_t k = 0; k < sc->ndet[b]; k++) {
                    const khm_detector *dt = &khm_detectors[sc->det[b][k]];
                    int ok = (!dt->dfirst || ((dt->dfirst >> c) & 1)) &&
                             (!dt->druns || ((dt->druns >> r) & 1) ||
                              ((dt->dflags & KHM_DGATE_SEP1) && r == 1 && x == KHM_NEXT_SEP) ||
                              ((dt->dflags & KHM_DGATE_HIGH) && x == KHM_NEXT_HIGH)) &&
                             (!dt->dnext || r == 31 || ((dt->dnext >> x) & 1));
                    if (ok)
                        sc->dl[c][r][x][sc->dn[c][r][x]++] = sc->det[b][k];
                }
            }
}

int khm_scanner_new(khm_scanner **out, const khm_scan_opts *opts)
{
    unsigned char on[KHM_MAX_DET] = { 0 };
    const khm_scan_config *cfg = opts ? opts->config : NULL;
    size_t ntypes = khm_detector_count + (cfg ? cfg->n : 0);
    *out = NULL;
    if (ntypes > KHM_MAX_DET || ntypes > KHM_SCAN_MAX_TYPES)
        return khm_err_field("config", "มีตัวตรวจจับมากเกินไป", "at most %d detectors in all",
                             KHM_SCAN_MAX_TYPES);
    if (opts && opts->types) {
        for (const char *const *t = opts->types; *t; t++) {
            int d = khm_scan_detector_find(*t);
            for (size_t k = 0; d < 0 && cfg && k < cfg->n; k++)
                if (strcmp(cfg->dets[k].name, *t) == 0)
                    d = (int)(khm_detector_count + k);
            if (d < 0)
                return khm_err_field("types", "ไม่รู้จักชนิดข้อมูลนี้", "unknown detector '%s'", *t);
            on[d] = 1;
        }
    } else {
        memset(on, 1, sizeof(on));
    }
    khm_scanner *sc = khm_calloc(1, sizeof(*sc));
    if (!sc)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    sc->cfg = cfg;
    sc->ntypes = ntypes;
    for (unsigned c = '0'; c <= '9'; c++)
        sc->cls[c] = KHM_TRIG_DIGIT;
    sc->cls['+'] = sc->cls['('] = KHM_TRIG_PLUS;
    sc->cls['@'] = KHM_TRIG_AT;
    for (unsigned c = 'A'; c <= 'Z'; c++)
        sc->cls[c] = KHM_TRIG_UPPER;
    for (unsigned c = 'a'; c <= 'z'; c++)
        sc->cls[c] = KHM_TRIG_LOWER;
    /* a byte may be in several classes: its detectors are those of every class it is in */
    for (unsigned c = 'a'; c <= 'f'; c++) {
        sc->cls[c] |= KHM_TRIG_HEX;
        sc->cls[c - 'a' + 'A'] |= KHM_TRIG_HEX;
    }
    sc->cls['h'] |= KHM_TRIG_H;
    sc->cls['H'] |= KHM_TRIG_H;
    sc->cls[':'] = KHM_TRIG_COLON;
    sc->cls[0xE0] = KHM_TRIG_THAI;
    /* per byte: the detectors of its classes; a detector with an `ascii` list is tried at a
     * letter only when the list holds that letter (either case) */
    for (unsigned b = 1; b < 256; b++)
        for (size_t d = 0; d < khm_detector_count && d < KHM_MAX_DET; d++) {
            const char *a = khm_detectors[d].ascii;
            if (!on[d] || !(khm_detectors[d].trig & sc->cls[b] & (KHM_TRIG_SETS - 1)))
                continue;
            if (a && khm_isalpha(b) && !strchr(a, (int)(b | 0x20)))
                continue;
            sc->det[b][sc->ndet[b]++] = (unsigned char)d;
        }
    digit_gates(sc);
    for (size_t d = 0; d < khm_detector_count && d < KHM_MAX_DET; d++) {
        const khm_detector *dt = &khm_detectors[d];
        if (on[d] && (dt->trig & KHM_TRIG_CELL))
            sc->cell[sc->ncell++] = (unsigned char)d;
        if (!on[d] || !(dt->trig & KHM_TRIG_THAI) || !dt->thai)
            continue;
        for (const unsigned char *q = (const unsigned char *)dt->thai; q[0] && q[1] && q[2];
             q += 3) {
            int t = thai_index(q);
            if (t < 0 || sc->nthai[t] == KHM_MAX_THAI)
                continue;
            int dup = 0;
            for (size_t k = 0; k < sc->nthai[t]; k++)
                dup |= sc->thai[t][k] == d;
            if (!dup)
                sc->thai[t][sc->nthai[t]++] = (unsigned char)d;
        }
    }
    memcpy(sc->on, on, sizeof(sc->on));
    ctx_index(sc);
    for (unsigned b1 = 0; b1 < 256; b1++)
        for (unsigned b2 = 0; b2 < 256; b2++) {
            unsigned char v = 0;
            if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80)
                v = KHM_TLUT_BAD;
            else if ((b1 & 0xFE) == 0xB8) {
                int t = (int)(((b1 - 0xB8) << 6) | (b2 & 0x3F));
                v = sc->nthai[t] ? (unsigned char)(t + 1) : 0;
                const unsigned char q[2] = { (unsigned char)b1, (unsigned char)b2 };
                sc->tix[tlut_key(q)] = (unsigned char)(t + 1);
            }
            const unsigned char q[2] = { (unsigned char)b1, (unsigned char)b2 };
            sc->tlut[tlut_key(q)] = v;
        }
    for (size_t d = 0; d < khm_detector_count && d < KHM_MAX_DET; d++) {
        const khm_detector *dt = &khm_detectors[d];
        if (!on[d] || !(dt->trig & KHM_TRIG_THAI) || !dt->thai)
            continue;
        if (!dt->prefixes) { /* no filter where it triggers */
            for (int t = 0; t < 128; t++)
                for (size_t k = 0; k < sc->nthai[t]; k++)
                    if (sc->thai[t][k] == d)
                        sc->any2[t] = 1;
            continue;
        }
        prefix_ctx pc = { sc, (int)d };
        dt->prefixes(dt, add_prefix, &pc);
    }
#if KHM_CTX_SIMD
    sc->simd = __builtin_cpu_supports("avx2");
#endif
    sc->min_score = opts && opts->min_score > 0 ? opts->min_score : 0.5;
    *out = sc;
    return 0;
}

void khm_scanner_free(khm_scanner *sc)
{
    khm_free(sc);
}

khm_scan_state *khm_scan_state_new(const khm_scanner *sc)
{
    khm_scan_state *st = khm_calloc(1, sizeof(khm_scan_state));
    if (st)
        st->nl = SIZE_MAX;
    if (st && sc && sc->cfg && sc->cfg->db &&
        (!(st->scratch = khm_custom_scratch_new(sc->cfg)) ||
         !(st->cm = khm_malloc(KHM_CUSTOM_MATCHES * sizeof(*st->cm))))) {
        khm_scan_state_free(st);
        return NULL;
    }
    return st;
}

void khm_scan_state_free(khm_scan_state *st)
{
    if (!st)
        return;
    khm_custom_scratch_free(st->scratch);
    khm_free(st->cm);
    khm_free(st);
}

size_t khm_scanner_type_count(const khm_scanner *sc)
{
    return sc ? sc->ntypes : khm_detector_count;
}

const char *khm_scanner_type_name(const khm_scanner *sc, size_t d)
{
    if (d < khm_detector_count)
        return khm_detectors[d].name;
    return sc && sc->cfg && d < sc->ntypes ? sc->cfg->dets[d - khm_detector_count].name : NULL;
}

unsigned khm_scanner_type_sens(const khm_scanner *sc, size_t d)
{
    if (d < khm_detector_count)
        return khm_detectors[d].sens;
    return sc && sc->cfg && d < sc->ntypes ? sc->cfg->dets[d - khm_detector_count].sens : 0;
}

const char *khm_scanner_type_summary(const khm_scanner *sc, size_t d)
{
    if (d < khm_detector_count)
        return khm_detectors[d].summary;
    if (!sc || !sc->cfg || d >= sc->ntypes)
        return NULL;
    const khm_custom_det *cd = &sc->cfg->dets[d - khm_detector_count];
    return cd->description && *cd->description ? cd->description : cd->pattern;
}

khm_pdpa khm_scanner_type_pdpa(const khm_scanner *sc, size_t d)
{
    if (d < khm_detector_count)
        return khm_detectors[d].pdpa;
    return sc && sc->cfg && d < sc->ntypes ? sc->cfg->dets[d - khm_detector_count].pdpa
                                           : KHM_PDPA_NONE;
}

void khm_scan_state_reset(khm_scan_state *st, const char *win)
{
    st->buf = win;
    st->line_pos = 0;
    st->line = 1;
    st->nl = SIZE_MAX;
    st->nl_lim = 0;
}

/* 1-based line of window offset @p off; offsets must not decrease between calls on one window.
 * The window's bytes up to @p lim (>= off: its length when known) may be searched ahead, and
 * the next newline found is kept (nl), so that the findings of one line search nothing. */
static uint64_t line_of(khm_scan_state *st, size_t off, size_t lim)
{
    if (off < st->line_pos)
        return st->line;
    for (;;) {
        size_t from;
        if (st->nl != SIZE_MAX) {
            if (st->nl >= off)
                break;
            st->line++; /* the newline at nl is before off */
            from = st->line_pos = st->nl + 1;
        } else if (st->nl_lim >= off) {
            break; /* no newline in [line_pos, nl_lim) */
        } else {
            from = st->nl_lim > st->line_pos ? st->nl_lim : st->line_pos;
        }
        const char *q = from < lim ? memchr(st->buf + from, '\n', lim - from) : NULL;
        st->nl = q ? (size_t)(q - st->buf) : SIZE_MAX;
        st->nl_lim = lim;
    }
    st->line_pos = off;
    return st->line;
}

void khm_scan_state_shift(khm_scan_state *st, size_t cut)
{
    line_of(st, cut, cut);
    st->line_pos = 0;
    st->nl = SIZE_MAX; /* the bytes move */
    st->nl_lim = 0;
}

void khm_colplan_init(const khm_scanner *sc, khm_colplan *cp, const char *f, size_t n)
{
    memset(cp, 0, sizeof(*cp));
    for (size_t d = 0; d < khm_detector_count && d < KHM_PLAN_MAX; d++) {
        const khm_detector *dt = &khm_detectors[d];
        if (!sc->on[d])
            continue;
        if (khm_context_has(dt->context, f, n))
            cp->ctx |= (uint64_t)1 << d;
        if ((dt->trig & KHM_TRIG_CELL) && (!dt->header || dt->header(dt, f, n)))
            cp->cell[cp->ncell++] = (unsigned char)d;
    }
}

/* The score of match @p m of detector @p d with its context: the boost when a context word of
 * the detector is in the field's name or in the window before the match; capped at 0.99. */
static double with_context(const khm_scanner *sc, int d, const khm_match *m, const unsigned char *p,
                           size_t lo, size_t hi, const khm_region *rc)
{
    const khm_detector *dt = &khm_detectors[d];
    double s = m->score;
    int in_field = rc->plan ? (int)((rc->plan->ctx >> d) & 1)
                            : rc->field && khm_context_has(dt->context, rc->field, rc->field_len);
    if (!in_field) {
        size_t w = m->start - lo > KHM_CONTEXT_WINDOW ? m->start - KHM_CONTEXT_WINDOW : lo;
        in_field = ctx_has(sc, d, p + w, m->start - w, hi - w);
    }
    if (in_field)
        s += dt->boost;
    return s > 0.99 ? 0.99 : s;
}

static void profile_hit(khm_profile *prof, const khm_finding *f, int64_t row)
{
    int64_t col = f->col;
    int det = f->det;
    double score = f->score;
    if (!prof || col < 0 || (size_t)col >= prof->ncols)
        return;
    khm_column *c = &prof->cols[col];
    if (f->pdpa > c->pdpa)
        c->pdpa = f->pdpa;
    if (f->sens)
        c->sensitive |= 1u << f->sens;
    if (c->last_hit[det] == row)
        return;
    c->last_hit[det] = row;
    c->matched[det]++;
    c->score_sum[det] += score;
}

/* Try detectors dets[0..n) at i; keep the longest match, then the highest score. Inlined into
 * scan_core()'s three calls: the call itself (arguments, saved registers, the match on the
 * stack) was 3 % of a scan's instructions. */
static inline __attribute__((always_inline)) int
try_dets(const khm_scanner *sc, const unsigned char *p, size_t lo, size_t hi, size_t i,
         size_t last_end, const unsigned char *dets, size_t n, const khm_det_ctx *cx,
         double min_score, const khm_region *rc, khm_match *best, double *best_score)
{
    int best_det = -1;
    khm_match m;
    for (size_t k = 0; k < n; k++) {
        int d = dets[k];
        m.subtype = NULL;
        m.pdpa = -1;
        if (!khm_detectors[d].fn(p, lo, hi, i, cx, &m) || m.start < last_end || m.end <= m.start ||
            m.end > hi)
            continue;
        /* a shorter match than the best so far loses whatever its score: no context search */
        if (best_det >= 0 && m.end < best->end)
            continue;
        double s = with_context(sc, d, &m, p, lo, hi, rc);
        if (s < min_score)
            continue;
        if (best_det < 0 || m.end > best->end || (m.end == best->end && s > *best_score)) {
            *best = m;
            *best_score = s;
            best_det = d;
        }
    }
    return best_det;
}

/* Report a match; 1 when the callback stopped the scan. Offsets go from the scanned buffer to
 * the window (through the unescape map of a JSON string) and from the window to the input as
 * stored (through the decoder's map, or by adding the window's base). Inlined, as try_dets(). */
static inline __attribute__((always_inline)) int report(const khm_scanner *sc, khm_scan_state *st,
                                                        const char *buf, khm_region *rc, int d,
                                                        const khm_match *m, double score)
{
    const char *type;
    khm_pdpa pd;
    unsigned sens;
    if ((size_t)d < khm_detector_count) {
        type = khm_detectors[d].name;
        pd = khm_detectors[d].pdpa;
        sens = khm_detectors[d].sens;
    } else {
        const khm_custom_det *cd = &sc->cfg->dets[(size_t)d - khm_detector_count];
        type = cd->name;
        pd = cd->pdpa;
        sens = cd->sens;
    }
    size_t ws = m->start, we = m->end;
    if (rc->umap) {
        ws = rc->uoff + rc->umap[m->start];
        we = rc->uoff + rc->umap[m->end];
    }
    if (ws < rc->emit_lo || ws >= rc->emit_hi)
        return 0;
    rc->emit_end = we;
    khm_finding f;
    f.det = d;
    f.type = type;
    f.pdpa = m->pdpa >= 0 ? (khm_pdpa)m->pdpa : pd;
    f.start = (size_t)(rc->map ? rc->map[ws] : rc->base + ws);
    f.end = (size_t)(rc->map ? rc->map[we] : rc->base + we);
    f.line = line_of(st, ws, rc->wlen > ws ? rc->wlen : ws);
    f.row = rc->row;
    f.col = rc->col;
    f.field = rc->field;
    f.score = score;
    f.value = buf + m->start;
    f.value_len = m->end - m->start;
    f.subtype = m->subtype;
    f.sens = f.pdpa == KHM_PDPA_SENSITIVE ? sens : 0;
    rc->count++;
    profile_hit(rc->prof, &f, rc->cell_id >= 0 ? rc->cell_id : f.row);
    if (rc->cb && rc->cb(&f, rc->payload)) {
        rc->stopped = 1;
        return 1;
    }
    return 0;
}

/* The built-in detectors over p[lo..hi), tried at positions in [from, to) (matches may run past
 * to, and look back to lo); *le: where the last reported match ended. */
static void scan_core(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t lo,
                      size_t hi, size_t from, size_t to, khm_region *rc, size_t *le)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t i = from, last_end = *le;
    khm_det_ctx cx = { rc->field, rc->field_len, 0 }, cellcx = { rc->field, rc->field_len, 1 };
    khm_colplan onthefly;
    khm_match best = { 0 };
    double best_score = 0;
    int best_det;
    const khm_colplan *plan = rc->plan;
    if (rc->field && !plan && sc->ncell) { /* a field without a plan: decide for this cell */
        khm_colplan_init(sc, &onthefly, rc->field, rc->field_len);
        plan = &onthefly;
    }
    if (from == lo && plan && plan->ncell && lo < hi &&
        (best_det = try_dets(sc, p, lo, hi, lo, lo, plan->cell, plan->ncell, &cellcx, sc->min_score,
                             rc, &best, &best_score)) >= 0) {
        if (report(sc, st, buf, rc, best_det, &best, best_score))
            return;
        i = last_end = best.end;
    }
    while (i < to) {
        unsigned cls = sc->cls[p[i]];
        if (!cls) {
            i++;
            continue;
        }
        if (cls == KHM_TRIG_THAI) {
            unsigned v = i + 3 <= hi ? sc->tlut[tlut_key(p + i + 1)] : KHM_TLUT_BAD;
            if (v == 0) { /* a character no detector starts at */
                i += 3;
                continue;
            }
            int t = v == KHM_TLUT_BAD ? -1 : (int)v - 1;
            if (t < 0 || !second_ok(sc, t, p, i, hi) ||
                (best_det = try_dets(sc, p, lo, hi, i, last_end, sc->thai[t], sc->nthai[t], &cx,
                                     sc->min_score, rc, &best, &best_score)) < 0) {
                i += t < 0 ? 1 : 3;
                continue;
            }
            if (report(sc, st, buf, rc, best_det, &best, best_score)) {
                *le = best.end;
                return;
            }
            i = last_end = best.end;
            continue;
        }
        int alnum = khm_isalnum(p[i]);
        if (alnum && i > lo && khm_isalnum(p[i - 1])) { /* inside a word or number */
            while (i < hi && khm_isalnum(p[i]))
                i++;
            continue;
        }
        const unsigned char *dets = sc->det[p[i]];
        size_t ndets = sc->ndet[p[i]];
        if (khm_isdigit(p[i]) && sc->dgated) { /* the detectors whose digit gates pass */
            size_t e = i + 1;
            while (e < hi && e - i < 31 && khm_isdigit(p[e]))
                e++;
            unsigned c = p[i] - '0', r = (unsigned)(e - i), x = e < hi ? sc->nx[p[e]] : 0;
            dets = sc->dl[c][r][x];
            ndets = sc->dn[c][r][x];
        }
        best_det = try_dets(sc, p, lo, hi, i, last_end, dets, ndets, &cx, sc->min_score, rc, &best,
                            &best_score);
        if (best_det < 0) {
            i++;
            if (alnum)
                while (i < hi && khm_isalnum(p[i]))
                    i++;
            continue;
        }
        if (report(sc, st, buf, rc, best_det, &best, best_score)) {
            *le = best.end;
            return;
        }
        i = last_end = best.end;
    }
    *le = last_end;
}

/* A custom detector's match: its score with context, reported when over the threshold.
 * -1 not reported, 0 reported, 1 reported and the callback stopped the scan. */
static int report_custom(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t lo,
                         khm_region *rc, const khm_custom_match *cm)
{
    const khm_custom_det *cd = &sc->cfg->dets[cm->id];
    size_t w = cm->start - lo > KHM_CONTEXT_WINDOW ? cm->start - KHM_CONTEXT_WINDOW : lo;
    khm_match m = { cm->start, cm->end, cd->score, NULL, -1 };
    double score = cd->score;
    if ((rc->field &&
         khm_context_has((const char *const *)cd->context, rc->field, rc->field_len)) ||
        khm_context_has((const char *const *)cd->context, buf + w, cm->start - w))
        score += KHM_CUSTOM_BOOST;
    if (score > 0.99)
        score = 0.99;
    if (score < sc->min_score || !sc->on[khm_detector_count + cm->id])
        return -1;
    return report(sc, st, buf, rc, (int)(khm_detector_count + cm->id), &m, score);
}

/* khm_scan_region() with custom detectors. Out of line: its frame costs the common case
 * nothing. */
static __attribute__((noinline)) void scan_region_custom(const khm_scanner *sc, khm_scan_state *st,
                                                         const char *buf, size_t lo, size_t hi,
                                                         khm_region *rc)
{
    size_t le = lo, n = 0;
    /* custom matches split the region: built-ins before each, then the custom one unless a
     * built-in match already covers its start */
    if (khm_custom_scan(sc->cfg, st->scratch, (const unsigned char *)buf, lo, hi, st->cm,
                        KHM_CUSTOM_MATCHES, &n) < 0)
        n = 0;
    size_t pos = lo;
    for (size_t k = 0; k <= n && !rc->stopped; k++) {
        size_t to = k < n ? st->cm[k].start : hi;
        if (to > pos)
            scan_core(sc, st, buf, lo, hi, pos, to, rc, &le);
        if (k == n || rc->stopped)
            break;
        if (st->cm[k].start >= le) {
            int r = report_custom(sc, st, buf, lo, rc, &st->cm[k]);
            if (r > 0)
                return;
            if (r == 0)
                le = st->cm[k].end;
        }
        pos = to > le ? to : le;
    }
}

void khm_scan_region(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t lo,
                     size_t hi, khm_region *rc)
{
    if (st->scratch) {
        scan_region_custom(sc, st, buf, lo, hi, rc);
        return;
    }
    size_t le = lo;
    scan_core(sc, st, buf, lo, hi, lo, hi, rc, &le);
}

int64_t khm_scan_buf(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t len,
                     khm_on_finding on_finding, void *payload)
{
    khm_region rc = { 0 };
    rc.row = rc.col = rc.cell_id = -1;
    rc.cb = on_finding;
    rc.payload = payload;
    rc.emit_hi = SIZE_MAX;
    rc.wlen = len;
    khm_scan_state_reset(st, buf);
    khm_scan_region(sc, st, buf, 0, len, &rc);
    return rc.stopped ? -1 : rc.count;
}

/* Copy a cell's text, turning "" into ". */
static char *cell_text(const char *buf, const khm_csv_cell *c)
{
    char *s = khm_malloc(c->end - c->start + 1);
    size_t n = 0;
    if (!s)
        return NULL;
    for (size_t k = c->start; k < c->end; k++) {
        s[n++] = buf[k];
        if (c->quoted && buf[k] == '"' && k + 1 < c->end && buf[k + 1] == '"')
            k++;
    }
    s[n] = '\0';
    return s;
}

int khm_profile_grow(khm_profile *prof, size_t ncols)
{
    if (ncols <= prof->ncols)
        return 0;
    if (!prof->ndet)
        prof->ndet = khm_detector_count;
    khm_column *c = khm_realloc(prof->cols, ncols * sizeof(*c));
    if (!c)
        return -1;
    prof->cols = c;
    for (size_t k = prof->ncols; k < ncols; k++) {
        memset(&c[k], 0, sizeof(c[k]));
        c[k].matched = khm_calloc(prof->ndet, sizeof(int64_t));
        c[k].score_sum = khm_calloc(prof->ndet, sizeof(double));
        c[k].last_hit = khm_malloc(prof->ndet * sizeof(int64_t));
        prof->ncols = k + 1;
        if (!c[k].matched || !c[k].score_sum || !c[k].last_hit)
            return -1;
        for (size_t d = 0; d < prof->ndet; d++)
            c[k].last_hit[d] = -1;
    }
    return 0;
}

void khm_tab_init(khm_tab *t, char delim)
{
    memset(t, 0, sizeof(*t));
    t->delim = delim;
}

int khm_tab_window(const khm_scanner *sc, khm_scan_state *st, khm_tab *t, const char *win,
                   size_t len, khm_region *rc)
{
    khm_csv r;
    khm_csv_cell cell;
    int64_t first = 0, records = 0;
    if (!t->delim && !(t->delim = khm_csv_sniff(win, len)))
        t->delim = ',';
    if (!t->started) {
        t->started = 1;
        if (khm_csv_has_header(win, len, t->delim)) {
            khm_csv_init(&r, win, len, t->delim);
            while (khm_csv_next(&r, &cell)) {
                char **h = khm_realloc(t->hdr, (t->nhdr + 1) * sizeof(*h));
                if (h)
                    t->hdr = h;
                size_t *hl = h ? khm_realloc(t->hlen, (t->nhdr + 1) * sizeof(*hl)) : NULL;
                if (hl)
                    t->hlen = hl;
                khm_colplan *pl = hl ? khm_realloc(t->plans, (t->nhdr + 1) * sizeof(*pl)) : NULL;
                if (!pl)
                    return -1;
                t->plans = pl;
                if (!(h[t->nhdr] = cell_text(win, &cell)))
                    return -1;
                hl[t->nhdr] = strlen(h[t->nhdr]);
                khm_colplan_init(sc, &pl[t->nhdr], h[t->nhdr], hl[t->nhdr]);
                t->nhdr++;
                if (cell.last)
                    break;
            }
            first = 1;
        }
    }
    khm_csv_init(&r, win, len, t->delim);
    while (!rc->stopped && khm_csv_next(&r, &cell)) {
        records = cell.row + 1;
        if (cell.row < first)
            continue;
        int64_t row = t->rows + cell.row - first;
        if (row + 1 > t->nrows)
            t->nrows = row + 1;
        if (rc->prof && khm_profile_grow(rc->prof, cell.col + 1) < 0)
            return -1;
        if (cell.end == cell.start)
            continue;
        if (rc->prof)
            rc->prof->cols[cell.col].rows++;
        rc->row = row;
        rc->cell_id = -1;
        rc->col = (int64_t)cell.col;
        if (cell.col < t->nhdr) {
            rc->field = t->hdr[cell.col];
            rc->field_len = t->hlen[cell.col];
            rc->plan = &t->plans[cell.col];
        } else {
            rc->field = NULL;
            rc->field_len = 0;
            rc->plan = NULL;
        }
        khm_scan_region(sc, st, win, cell.start, cell.end, rc);
    }
    t->rows += records - first;
    return 0;
}

int khm_tab_finish(khm_tab *t, khm_profile *prof)
{
    int rc = 0;
    for (size_t k = 0; prof && k < prof->ncols; k++) {
        if (prof->cols[k].field)
            continue;
        if (k < t->nhdr) {
            prof->cols[k].field = t->hdr[k];
            t->hdr[k] = NULL;
        } else {
            char tmp[32];
            snprintf(tmp, sizeof(tmp), "column %zu", k + 1);
            if (!(prof->cols[k].field = khm_strdup(tmp)))
                rc = -1;
        }
    }
    if (prof)
        prof->rows = t->nrows;
    for (size_t k = 0; k < t->nhdr; k++)
        khm_free(t->hdr[k]);
    khm_free(t->hdr);
    khm_free(t->hlen);
    khm_free(t->plans);
    t->hdr = NULL;
    t->hlen = NULL;
    t->plans = NULL;
    t->nhdr = 0;
    return rc;
}

int64_t khm_scan_csv(const khm_scanner *sc, khm_scan_state *st, const char *buf, size_t len,
                     char delim, khm_profile *prof, khm_on_finding on_finding, void *payload)
{
    khm_profile local = { 0 };
    khm_tab t;
    khm_region rc = { 0 };
    if (!prof)
        prof = &local;
    memset(prof, 0, sizeof(*prof));
    prof->ndet = khm_scanner_type_count(sc);
    prof->scanner = sc;
    rc.row = rc.col = rc.cell_id = -1;
    rc.cb = on_finding;
    rc.payload = payload;
    rc.prof = prof;
    rc.emit_hi = SIZE_MAX;
    rc.wlen = len;
    khm_tab_init(&t, delim);
    khm_scan_state_reset(st, buf);
    int code = khm_tab_window(sc, st, &t, buf, len, &rc);
    if (khm_tab_finish(&t, prof) < 0)
        code = -1;
    if (prof == &local)
        khm_profile_dispose(&local);
    if (code < 0)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return rc.stopped ? -1 : rc.count;
}
