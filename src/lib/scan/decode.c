/* Input decoders: UTF-8 (validated and passed through), UTF-16LE/BE and TIS-620 (with the
 * Windows-874 additions) to UTF-8, in blocks of any size, with a map from each output byte back
 * to the input offset that produced it, so findings in decoded text keep exact file offsets.
 *
 * A code unit cut at the end of a block waits in the decoder's carry for the next block. Every
 * decoder makes the same decisions whatever the split: the carry is stitched to the head of the
 * next block and decoded with the same one-code-point step the main loops fall back to. */
#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define REPL 0xFFFDu

const char *khm_enc_name(khm_enc e)
{
    switch (e) {
    case KHM_ENC_AUTO:
        return "auto";
    case KHM_ENC_UTF16LE:
        return "utf-16le";
    case KHM_ENC_UTF16BE:
        return "utf-16be";
    case KHM_ENC_TIS620:
        return "tis-620";
    default:
        return "utf-8";
    }
}

int khm_enc_parse(const char *s, khm_enc *out)
{
    static const struct {
        const char *name;
        khm_enc enc;
    } names[] = {
        { "auto", KHM_ENC_AUTO },          { "utf-8", KHM_ENC_UTF8 },
        { "utf8", KHM_ENC_UTF8 },          { "utf-16le", KHM_ENC_UTF16LE },
        { "utf16le", KHM_ENC_UTF16LE },    { "utf-16be", KHM_ENC_UTF16BE },
        { "utf16be", KHM_ENC_UTF16BE },    { "tis-620", KHM_ENC_TIS620 },
        { "tis620", KHM_ENC_TIS620 },      { "cp874", KHM_ENC_TIS620 },
        { "windows-874", KHM_ENC_TIS620 }, { "iso-8859-11", KHM_ENC_TIS620 },
    };
    if (s)
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
            if (strcasecmp(s, names[k].name) == 0) {
                *out = names[k].enc;
                return 0;
            }
    char shown[40]; /* the name as given, printable ASCII only: it goes into messages */
    size_t j = 0;
    for (; s && s[j] && j < sizeof(shown) - 1; j++)
        shown[j] = (s[j] >= 0x20 && s[j] < 0x7F) ? s[j] : '?';
    shown[j] = 0;
    return khm_err_field("encoding",
                         "ไม่รู้จักการเข้ารหัสนี้ (ใช้ได้: auto, utf-8, utf-16le, utf-16be, "
                         "tis-620, cp874)",
                         "unknown encoding '%s' (allowed: auto, utf-8, utf-16le, utf-16be, "
                         "tis-620, cp874, windows-874)",
                         shown);
}

/* ---- one code point at a time ------------------------------------------------------------ */

/* UTF-8: length of the sequence at p[0..n) (Unicode Table 3-7). An ill-formed sequence is its
 * maximal well-formed prefix (at least one byte), *bad = 1. 0 when p ends inside a sequence that
 * is well-formed so far and more input may follow (!end). */
static inline size_t step8(const unsigned char *p, size_t n, int end, int *bad)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t len;
    *bad = 0;
    if (c < 0x80)
        return 1;
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
    else {
        *bad = 1;
        return 1;
    }
    for (size_t j = 1; j < len; j++) {
        if (j >= n) {
            if (!end)
                return 0;
            *bad = 1;
            return j;
        }
        unsigned b = p[j];
        if (j == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            *bad = 1;
            return j;
        }
    }
    return len;
}

static inline unsigned unit16(const unsigned char *p, int be)
{
    return be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/* UTF-16: one code point from p[0..n): bytes consumed and *cp (U+FFFD with *bad = 1 for an
 * unpaired surrogate, or an odd byte at the end), or 0 when more input is needed (!end). */
static inline size_t step16(const unsigned char *p, size_t n, int be, int end, uint32_t *cp,
                            int *bad)
{
    *bad = 0;
    if (n < 2) {
        if (!end || n == 0)
            return 0;
        *cp = REPL, *bad = 1;
        return 1;
    }
    unsigned u = unit16(p, be);
    if (u < 0xD800 || u > 0xDFFF) {
        *cp = u;
        return 2;
    }
    if (u >= 0xDC00) { /* a low surrogate first */
        *cp = REPL, *bad = 1;
        return 2;
    }
    if (n < 4) {
        if (!end)
            return 0;
        *cp = REPL, *bad = 1;
        return 2;
    }
    unsigned v = unit16(p + 2, be);
    if (v < 0xDC00 || v > 0xDFFF) {
        *cp = REPL, *bad = 1;
        return 2;
    }
    *cp = 0x10000u + ((u - 0xD800u) << 10) + (v - 0xDC00u);
    return 4;
}

/* TIS-620 byte to a code point, or REPL. 0xA1–0xFB are U+0E01–U+0E5B except 0xDB–0xDE, which
 * TIS-620 leaves unassigned; 0x80–0xA0 hold the Windows-874 (and ISO 8859-11) additions. */
static inline uint32_t tis_cp(unsigned b)
{
    if (b < 0x80)
        return b;
    if (b >= 0xA1 && b <= 0xFB && (b < 0xDB || b > 0xDE))
        return 0x0E00u + (b - 0xA0u);
    switch (b) {
    case 0x80:
        return 0x20AC; /* € */
    case 0x85:
        return 0x2026; /* … */
    case 0x91:
        return 0x2018;
    case 0x92:
        return 0x2019;
    case 0x93:
        return 0x201C;
    case 0x94:
        return 0x201D;
    case 0x95:
        return 0x2022; /* • */
    case 0x96:
        return 0x2013; /* – */
    case 0x97:
        return 0x2014; /* — */
    case 0xA0:
        return 0x00A0; /* no-break space */
    default:
        return REPL;
    }
}

/* Append cp as UTF-8 at out + w, each byte mapped to off; returns the new w. */
static inline size_t emit(uint32_t cp, char *out, uint64_t *map, size_t w, uint64_t off)
{
    unsigned char *o = (unsigned char *)out + w;
    size_t k;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        k = 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        o[0] = (unsigned char)(0xF0 | cp >> 18);
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    if (map)
        for (size_t j = 0; j < k; j++)
            map[w + j] = off;
    return w + k;
}

/* ---- decoders ---------------------------------------------------------------------------- */

void khm_decoder_init(khm_decoder *d, khm_enc enc)
{
    memset(d, 0, sizeof(*d));
    d->enc = enc == KHM_ENC_AUTO ? KHM_ENC_UTF8 : enc;
}

size_t khm_decode_bound(const khm_decoder *d, size_t n)
{
    size_t t = n + d->ncarry;
    switch (d->enc) {
    case KHM_ENC_UTF16LE:
    case KHM_ENC_UTF16BE:
        return t / 2 * 3 + 3; /* a BMP unit gives ≤ 3 bytes; a pair 4 for 4; a lone byte 3 */
    case KHM_ENC_TIS620:
        return 3 * t;
    default:
        return n;
    }
}

static void keep(khm_decoder *d, const unsigned char *p, size_t n, uint64_t off)
{
    memmove(d->carry, p, n); /* p may point into d->carry's stitch copy */
    d->ncarry = n;
    d->carry_off = off;
}

/* Stitch the carry to the head of in: tmp = carry + in[0..4). Decodes the code points that start
 * in the carry; returns how far into in they reach (*done = 1 when in ran out first and the
 * rest is carried again). */
static size_t stitch(khm_decoder *d, const unsigned char *in, size_t n, uint64_t in_off, char *out,
                     uint64_t *map, size_t *w, int *done)
{
    unsigned char tmp[8];
    size_t nc = d->ncarry, take = n < 4 ? n : 4, t = 0;
    memcpy(tmp, d->carry, nc);
    memcpy(tmp + nc, in, take);
    size_t tn = nc + take;
    uint64_t base = d->carry_off;
    *done = 0;
    while (t < nc) {
        int bad;
        size_t k;
        if (d->enc == KHM_ENC_UTF8) {
            k = step8(tmp + t, tn - t, 0, &bad);
        } else {
            uint32_t cp = 0;
            k = step16(tmp + t, tn - t, d->enc == KHM_ENC_UTF16BE, 0, &cp, &bad);
            if (k)
                *w = emit(cp, out, map, *w, base + t);
        }
        if (k == 0) { /* only when all of in is in tmp */
            keep(d, tmp + t, tn - t, base + t);
            (void)in_off;
            *done = 1;
            return n;
        }
        d->invalid += (uint64_t)bad;
        t += k;
    }
    d->ncarry = 0;
    return t - nc;
}

/* ---- UTF-8 validation, 32 bytes at a time (AVX2, chosen at run time) ----------------------
 * The lookup algorithm of Keiser and Lemire ("Validating UTF-8 in less than one instruction per
 * byte", Software: Practice and Experience 51(5), 2021; as in simdjson): three 16-entry tables
 * indexed by the nibbles of each byte and of the byte before it give the error classes the pair
 * may be in, their AND is nonzero exactly on an ill-formed pair, and the bytes two and three
 * after a 3- and 4-byte lead must be continuations. Used only to skip what is valid: the first
 * block with an error, and an unfinished character at the end, are left to the scalar loop, so
 * the counts of ill-formed sequences stay those of step8(). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KHM_UTF8_SIMD 1

/* The end of in[..e) moved back before a character that is not finished by e (in[..e) is valid
 * as far as it goes). */
static size_t utf8_boundary(const unsigned char *in, size_t e)
{
    if (in[e - 1] >= 0xC0)
        return e - 1;
    if (in[e - 2] >= 0xE0 && (in[e - 1] & 0xC0) == 0x80)
        return e - 2;
    if (in[e - 3] >= 0xF0 && (in[e - 2] & 0xC0) == 0x80 && (in[e - 1] & 0xC0) == 0x80)
        return e - 3;
    return e;
}

/* The end j >= i of the valid UTF-8 from i (a character boundary) in in[i..n), found by whole
 * 32-byte blocks; j is a character boundary. */
__attribute__((target("avx2"))) static size_t utf8_valid_avx2(const unsigned char *in, size_t i,
                                                              size_t n)
{
    enum {
        TOO_SHORT = 1 << 0,  /* 11______ 0_______ or 11______ 11______ */
        TOO_LONG = 1 << 1,   /* 0_______ 10______ */
        OVERLONG_3 = 1 << 2, /* 11100000 100_____ */
        TOO_LARGE = 1 << 3,  /* 11110100 1001____ and above */
        SURROGATE = 1 << 4,  /* 11101101 101_____ */
        OVERLONG_2 = 1 << 5, /* 1100000_ 10______ */
        TOO_LARGE_1000 = 1 << 6,
        OVERLONG_4 = 1 << 6, /* 11110000 1000____ */
        TWO_CONTS = 1 << 7,  /* 10______ 10______ */
        CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
    };
#define T16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)
    const __m256i byte_1_high =
        T16(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
            (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS,
            TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
            (char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
    const __m256i byte_1_low =
        T16((char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2),
            (char)CARRY, (char)CARRY, (char)(CARRY | TOO_LARGE),
            (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
            (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
            (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
            (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
            (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
            (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000));
    const __m256i byte_2_high =
        T16(TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE), TOO_SHORT, TOO_SHORT,
            TOO_SHORT, TOO_SHORT);
#undef T16
    const __m256i nib = _mm256_set1_epi8(0x0F), hi = _mm256_set1_epi8((char)0x80);
    const __m256i third = _mm256_set1_epi8((char)(0xE0 - 0x80)),
                  fourth = _mm256_set1_epi8((char)(0xF0 - 0x80));
    __m256i prev = _mm256_setzero_si256();
    size_t safe = i;
    for (size_t k = i; k + 32 <= n; k += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(in + k));
        __m256i carry = _mm256_permute2x128_si256(prev, x, 0x21); /* prev's high, x's low */
        __m256i prev1 = _mm256_alignr_epi8(x, carry, 15), prev2 = _mm256_alignr_epi8(x, carry, 14),
                prev3 = _mm256_alignr_epi8(x, carry, 13);
        __m256i sc = _mm256_and_si256(
            _mm256_and_si256(_mm256_shuffle_epi8(
                                 byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nib)),
                             _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, nib))),
            _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib)));
        __m256i must23 = _mm256_and_si256(
            _mm256_or_si256(_mm256_subs_epu8(prev2, third), _mm256_subs_epu8(prev3, fourth)), hi);
        __m256i err = _mm256_xor_si256(must23, sc);
        if (!_mm256_testz_si256(err, err))
            break;
        prev = x;
        safe = utf8_boundary(in, k + 32);
    }
    return safe;
}

static int utf8_simd(void)
{
    static int have = -1; /* a benign race: every thread computes the same answer */
    if (have < 0)
        have = __builtin_cpu_supports("avx2") ? 1 : 0;
    return have;
}
#endif

static size_t dec_utf8(khm_decoder *d, const unsigned char *in, size_t n, uint64_t in_off,
                       char *out, uint64_t *map)
{
    if (out && (const unsigned char *)out != in && n)
        memcpy(out, in, n);
    if (map)
        for (size_t k = 0; k < n; k++)
            map[k] = in_off + k;
    size_t i = 0;
    if (d->ncarry) {
        size_t w = 0;
        int done;
        i = stitch(d, in, n, in_off, NULL, NULL, &w, &done);
        if (done)
            return n;
    }
#ifdef KHM_UTF8_SIMD
    int simd = n - i >= 64 && utf8_simd();
#endif
    for (;;) {
#ifdef KHM_UTF8_SIMD
        if (simd && n - i >= 64)
            i = utf8_valid_avx2(in, i, n);
#endif
        while (i + 16 <= n) { /* ASCII runs, 16 bytes at a time */
            uint64_t a, b;
            memcpy(&a, in + i, 8);
            memcpy(&b, in + i + 8, 8);
            if ((a | b) & 0x8080808080808080ull)
                break;
            i += 16;
        }
        while (i < n && in[i] < 0x80)
            i++;
        if (i >= n)
            break;
        /* a run of multi-byte sequences: Thai is E0 B8..B9 xx, eight characters (24 bytes,
         * where the 3-byte period meets the 8-byte word) checked with three loads */
        while (i + 24 <= n && in[i] == 0xE0) {
            /* little-endian masks/values of bytes 0-7, 8-15, 16-23 of "E0 B8|B9 80..BF" × 8 */
            static const uint64_t m0 = 0xFEFFC0FEFFC0FEFFull, v0 = 0xB8E080B8E080B8E0ull;
            static const uint64_t m1 = 0xFFC0FEFFC0FEFFC0ull, v1 = 0xE080B8E080B8E080ull;
            static const uint64_t m2 = 0xC0FEFFC0FEFFC0FEull, v2 = 0x80B8E080B8E080B8ull;
            uint64_t a, b, c;
            memcpy(&a, in + i, 8);
            memcpy(&b, in + i + 8, 8);
            memcpy(&c, in + i + 16, 8);
            if (((a & m0) ^ v0) | ((b & m1) ^ v1) | ((c & m2) ^ v2))
                break;
            i += 24;
        }
        while (i < n && in[i] >= 0x80) {
            if (in[i] == 0xE0 && i + 3 <= n && (in[i + 1] & 0xFE) == 0xB8 &&
                (in[i + 2] & 0xC0) == 0x80) {
                i += 3;
                continue;
            }
            int bad;
            size_t k = step8(in + i, n - i, 0, &bad);
            if (k == 0) {
                keep(d, in + i, n - i, in_off + i);
                return n;
            }
            d->invalid += (uint64_t)bad;
            i += k;
        }
    }
    return n;
}

static size_t dec_utf16(khm_decoder *d, const unsigned char *in, size_t n, uint64_t in_off,
                        char *out, uint64_t *map)
{
    int be = d->enc == KHM_ENC_UTF16BE;
    size_t w = 0, i = 0;
    if (d->ncarry) {
        int done;
        i = stitch(d, in, n, in_off, out, map, &w, &done);
        if (done)
            return w;
    }
    unsigned char *o = (unsigned char *)out;
    const int hb = be ? 0 : 1; /* index of the high byte of a unit */
    while (i + 2 <= n) {
        if (i + 8 <= n && (in[i + hb] | in[i + 2 + hb] | in[i + 4 + hb] | in[i + 6 + hb]) == 0 &&
            ((in[i + 1 - hb] | in[i + 3 - hb] | in[i + 5 - hb] | in[i + 7 - hb]) & 0x80) == 0) {
            o[w] = in[i + 1 - hb];
            o[w + 1] = in[i + 3 - hb];
            o[w + 2] = in[i + 5 - hb];
            o[w + 3] = in[i + 7 - hb];
            if (map) {
                uint64_t off = in_off + i;
                map[w] = off;
                map[w + 1] = off + 2;
                map[w + 2] = off + 4;
                map[w + 3] = off + 6;
            }
            w += 4;
            i += 8;
            continue;
        }
        unsigned u = unit16(in + i, be);
        if (u < 0xD800 || u > 0xDFFF) {
            w = emit(u, out, map, w, in_off + i);
            i += 2;
            continue;
        }
        uint32_t cp = 0;
        int bad;
        size_t k = step16(in + i, n - i, be, 0, &cp, &bad);
        if (k == 0)
            break;
        d->invalid += (uint64_t)bad;
        w = emit(cp, out, map, w, in_off + i);
        i += k;
    }
    if (i < n)
        keep(d, in + i, n - i, in_off + i);
    return w;
}

static size_t dec_tis620(khm_decoder *d, const unsigned char *in, size_t n, uint64_t in_off,
                         char *out, uint64_t *map)
{
    unsigned char *o = (unsigned char *)out;
    size_t w = 0, i = 0;
    while (i < n) {
        unsigned b = in[i];
        if (b < 0x80) {
            uint64_t v;
            if (i + 8 <= n && (memcpy(&v, in + i, 8), (v & 0x8080808080808080ull) == 0)) {
                memcpy(o + w, in + i, 8);
                if (map)
                    for (size_t k = 0; k < 8; k++)
                        map[w + k] = in_off + i + k;
                w += 8;
                i += 8;
                continue;
            }
            o[w] = (unsigned char)b;
            if (map)
                map[w] = in_off + i;
            w++;
        } else if (b >= 0xA1 && b <= 0xFB && (b < 0xDB || b > 0xDE)) {
            unsigned t = b - 0xA0u; /* U+0E00 + t: E0 B8|B9 xx */
            o[w] = 0xE0;
            o[w + 1] = (unsigned char)(0xB8 + (t >> 6));
            o[w + 2] = (unsigned char)(0x80 | (t & 0x3F));
            if (map) {
                uint64_t off = in_off + i;
                map[w] = off;
                map[w + 1] = off;
                map[w + 2] = off;
            }
            w += 3;
        } else {
            uint32_t cp = tis_cp(b);
            d->invalid += cp == REPL;
            w = emit(cp, out, map, w, in_off + i);
        }
        i++;
    }
    return w;
}

size_t khm_decode(khm_decoder *d, const unsigned char *in, size_t n, uint64_t in_off, char *out,
                  uint64_t *map)
{
    switch (d->enc) {
    case KHM_ENC_UTF16LE:
    case KHM_ENC_UTF16BE:
        return dec_utf16(d, in, n, in_off, out, map);
    case KHM_ENC_TIS620:
        return dec_tis620(d, in, n, in_off, out, map);
    default:
        return dec_utf8(d, in, n, in_off, out, map);
    }
}

size_t khm_decode_finish(khm_decoder *d, char *out, uint64_t *map)
{
    size_t w = 0, t = 0, nc = d->ncarry;
    if (!nc)
        return 0;
    if (d->enc == KHM_ENC_UTF16LE || d->enc == KHM_ENC_UTF16BE) {
        while (t < nc) {
            uint32_t cp = 0;
            int bad;
            size_t k = step16(d->carry + t, nc - t, d->enc == KHM_ENC_UTF16BE, 1, &cp, &bad);
            d->invalid += (uint64_t)bad;
            w = emit(cp, out, map, w, d->carry_off + t);
            t += k;
        }
    } else {
        d->invalid++; /* UTF-8: a sequence cut by the end; its bytes were passed through */
    }
    d->ncarry = 0;
    return w;
}

/* ---- detection --------------------------------------------------------------------------- */

/* UTF-16 without a BOM: nearly every unit is text whose high byte is 0x00 (ASCII, Latin-1),
 * 0x0E (Thai) or 0x20 (punctuation). Text in a byte encoding never looks like that. */
static int looks_utf16(const unsigned char *p, size_t n, int be)
{
    size_t units = n / 2, text = 0, zero = 0;
    if (units < 4)
        return 0;
    for (size_t k = 0; k < units; k++) {
        unsigned hi = p[2 * k + (be ? 0 : 1)], lo = p[2 * k + (be ? 1 : 0)];
        if (hi == 0) {
            zero++;
            text +=
                lo == '\t' || lo == '\n' || lo == '\r' || (lo >= 0x20 && lo < 0x7F) || lo >= 0xA0;
        } else if (hi == 0x0E) {
            text += lo >= 0x01 && lo <= 0x5B;
        } else if (hi == 0x20) {
            text += lo <= 0x6F;
        }
    }
    return text * 20 >= units * 19 && (zero > 0 || text == units);
}

static int valid_utf8_sample(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int bad;
        size_t k = step8(p + i, n - i, 0, &bad);
        if (k == 0) /* cut by the end of the sample */
            return 1;
        if (bad)
            return 0;
        i += k;
    }
    return 1;
}

static inline int tis_thai(unsigned b)
{
    return (b >= 0xA1 && b <= 0xDA) || (b >= 0xDF && b <= 0xFB);
}

static inline int tis_mark(unsigned b) /* above/below vowels, tone marks: follow a letter */
{
    return b == 0xD1 || (b >= 0xD4 && b <= 0xDA) || (b >= 0xE7 && b <= 0xEE);
}

/* Thai in TIS-620: the high bytes are Thai code points (or Windows-874 punctuation), many of
 * them consonants, and combining marks follow consonants; few control bytes. */
static int looks_tis620(const unsigned char *p, size_t n)
{
    size_t high = 0, thai = 0, punct = 0, cons = 0, marks = 0, stray = 0, ctrl = 0;
    unsigned prev = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned b = p[i];
        if (b < 0x80) {
            ctrl += b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f';
        } else {
            high++;
            if (tis_thai(b)) {
                thai++;
                cons += b <= 0xCE;
                if (tis_mark(b)) {
                    marks++;
                    stray += !((prev >= 0xA1 && prev <= 0xCE) || tis_mark(prev));
                }
            } else if (tis_cp(b) != REPL) {
                punct++;
            }
        }
        prev = b;
    }
    return high > 0 && (thai + punct) * 10 >= high * 9 && cons * 10 >= thai * 3 &&
           stray * 10 <= marks && ctrl * 100 <= n;
}

khm_enc khm_enc_detect(const unsigned char *p, size_t n, size_t *bom_len)
{
    size_t bom = 0;
    khm_enc e;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        e = KHM_ENC_UTF8, bom = 3;
    else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        e = KHM_ENC_UTF16LE, bom = 2;
    else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        e = KHM_ENC_UTF16BE, bom = 2;
    else if (looks_utf16(p, n, 0))
        e = KHM_ENC_UTF16LE;
    else if (looks_utf16(p, n, 1))
        e = KHM_ENC_UTF16BE;
    else if (valid_utf8_sample(p, n))
        e = KHM_ENC_UTF8;
    else if (looks_tis620(p, n))
        e = KHM_ENC_TIS620;
    else
        e = KHM_ENC_UTF8;
    if (bom_len)
        *bom_len = bom;
    return e;
}
