/* Word segmentation for search (segment.h): Thai runs are cut by libthai, Latin letters and
 * digits form words, the rest separates. Offsets are always into the caller's UTF-8 and on
 * character boundaries; nothing is allocated except inside libthai.
 *
 * One libthai engine (ThBrk: the dictionary trie, 0.6 MB, 3.5 ms to load) is loaded once and
 * shared by all threads without a lock: since 0.1.25 th_brk_find_breaks() keeps its search state
 * in a per-call environment and only reads the engine, and libthai documents that the break
 * functions may run in parallel on an engine made under a lock (pthread_once here). valgrind's
 * helgrind and drd report nothing on threads segmenting at once (helgrind's only complaint is
 * the pthread_once hand-over itself, which it does not model). Measured on two cores, libthai
 * alone: the shared engine and an engine per thread both scale 1.9x; a mutex around the shared
 * one makes two threads slower than one (0.8x).
 *
 * Speed (one core, 2019 news prose, 10 MB): about 20 MB/s; a catalog-like mix of prose, addresses
 * and place names: about 37 MB/s. Nearly all of it is libthai's search and its mallocs.
 *
 * OPTIMIZATION: catalog text repeats its Thai runs — agency and unit names, the Thai labels of
 * choices (ข้อมูลสาธารณะ, พันธกิจหน่วยงาน), boilerplate sentences — so the breaks of short runs
 * (up to RUN_MAX characters) are remembered per thread in a small direct-mapped table; a run
 * found there is cut exactly as libthai cut it before, without calling it. bench/catalog:
 * the import of 100,000 datasets segments about a third as fast without it. */
#include <khomun/segment.h>

#include <khomun/err.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <thai/thbrk.h>

/* Thai characters handed to libthai at once. A longer run (no space for a thousand characters)
 * is cut at the last word break libthai finds in each chunk and segmentation resumes there, so
 * only a word straddling that point can come out differently from an unlimited run. */
#define CHUNK 1024

enum { SEP, WORD, THAI };

static pthread_once_t brk_once = PTHREAD_ONCE_INIT;
static ThBrk *brk_shared; /* never freed: lives as long as the process */

static void brk_load(void)
{
    brk_shared = th_brk_new(NULL); /* $LIBTHAI_DICTDIR/thbrk.tri or /usr/share/libthai */
}

static ThBrk *brk_get(void)
{
    pthread_once(&brk_once, brk_load);
    return brk_shared;
}

/* The class of the character at p[i] and its length in *len (1 for an invalid byte, which
 * separates words like punctuation). */
static int class_at(const unsigned char *p, size_t n, size_t i, size_t *len)
{
    unsigned char c = p[i];
    if (c < 0x80) {
        *len = 1;
        return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') ? WORD : SEP;
    }
    /* OPTIMIZATION: Thai (U+0E00–U+0E7F) is E0 B8..B9 xx, checked without a full decode */
    if (c == 0xE0 && i + 2 < n && (p[i + 1] == 0xB8 || p[i + 1] == 0xB9) &&
        (p[i + 2] & 0xC0) == 0x80) {
        uint32_t cp = ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
        *len = 3;
        if (cp >= 0xE50 && cp <= 0xE59) /* Thai digits ๐–๙ */
            return WORD;
        if ((cp >= 0xE01 && cp <= 0xE3A && cp != 0xE2F) || /* not ฯ */
            (cp >= 0xE40 && cp <= 0xE4E && cp != 0xE46))   /* not ๆ */
            return THAI;
        return SEP; /* ฿ ๏ ๚ ๛ and unassigned code points */
    }
    /* Latin-1 Supplement letters and Latin Extended-A/B: C3 80 .. C9 8F, not × (C3 97) ÷ (C3 B7) */
    if (c >= 0xC3 && c <= 0xC9 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
        *len = 2;
        if ((c == 0xC3 && (p[i + 1] == 0x97 || p[i + 1] == 0xB7)) || (c == 0xC9 && p[i + 1] > 0x8F))
            return SEP;
        return WORD;
    }
    /* anything else: skip one whole valid sequence, or one invalid byte */
    size_t k = 1;
    if (c >= 0xC2 && c <= 0xF4) {
        size_t want = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        while (k < want && i + k < n && (p[i + k] & 0xC0) == 0x80)
            k++;
        if (k < want)
            k = 1;
    }
    *len = k;
    return SEP;
}

/* Report [s, e) unless it is too long to index. */
static int emit(size_t s, size_t e, khm_seg_fn cb, void *payload)
{
    if (e - s > KHM_SEG_TOKEN_MAX)
        return 0;
    return cb(s, e, payload);
}

/* ---- the per-thread cache of short runs' breaks ---- */

#define RUN_MAX     48   /* characters: longer runs are always given to libthai */
#define CACHE_SLOTS 4096 /* a power of two: about 420 KB per thread that segments */

typedef struct {
    uint8_t len;           /* characters of the run; 0 = empty slot */
    uint8_t nb;            /* breaks inside it */
    uint8_t brk[RUN_MAX];  /* their character offsets, increasing */
    thchar_t run[RUN_MAX]; /* the run in TIS-620 */
} run_slot;

static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static int cache_ok;

static void cache_key_make(void)
{
    cache_ok = pthread_key_create(&cache_key, free) == 0;
}

/* This thread's table, or NULL (no memory: segment without it). */
static run_slot *cache_get(void)
{
    pthread_once(&cache_once, cache_key_make);
    if (!cache_ok)
        return NULL;
    run_slot *c = pthread_getspecific(cache_key);
    if (!c && (c = calloc(CACHE_SLOTS, sizeof(*c))) != NULL && pthread_setspecific(cache_key, c)) {
        free(c);
        c = NULL;
    }
    return c;
}

static run_slot *cache_slot(run_slot *c, const thchar_t *tis, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t j = 0; j < len; j++)
        h = (h ^ tis[j]) * 16777619u;
    return &c[h & (CACHE_SLOTS - 1)];
}

/* Segment the run of m Thai characters (3 bytes each in UTF-8) at byte offset s. */
static int thai_run(ThBrk *brk, const unsigned char *p, size_t s, size_t m, khm_seg_fn cb,
                    void *payload)
{
    thchar_t tis[CHUNK + 1];
    int pos[CHUNK];
    size_t done = 0;
    while (done < m) {
        size_t len = m - done < CHUNK ? m - done : CHUNK;
        const unsigned char *u = p + s + 3 * done;
        /* U+0E01..U+0E5B → TIS-620 0xA1..0xFB: the Thai block shifted by 0xD60 */
        for (size_t j = 0; j < len; j++)
            tis[j] = (thchar_t)(0xA0 + ((((unsigned)u[3 * j + 1] & 0x3F) << 6) |
                                        ((unsigned)u[3 * j + 2] & 0x3F)));
        tis[len] = 0;
        /* a short run (then the whole rest of it: len == m - done) may be in the cache */
        run_slot *c = len <= RUN_MAX ? cache_get() : NULL, *e = NULL;
        size_t nb = 0;
        if (c) {
            e = cache_slot(c, tis, len);
            if (e->len == len && memcmp(e->run, tis, len) == 0) {
                for (nb = 0; nb < e->nb; nb++)
                    pos[nb] = e->brk[nb];
            } else {
                e->len = 0; /* filled below */
                c = NULL;
            }
        }
        if (!c) {
            /* small: libthai allocates pos_sz per path */
            int k = th_brk_find_breaks(brk, tis, pos, len);
            /* keep the breaks that make sense (strictly increasing, inside the chunk) */
            size_t prev = 0;
            for (int b = 0; b < k; b++) {
                if (pos[b] > 0 && (size_t)pos[b] > prev && (size_t)pos[b] < len)
                    pos[nb++] = pos[b], prev = (size_t)pos[b];
            }
            if (e) {
                memcpy(e->run, tis, len);
                for (size_t b = 0; b < nb; b++)
                    e->brk[b] = (uint8_t)pos[b];
                e->nb = (uint8_t)nb;
                e->len = (uint8_t)len;
            }
        }
        size_t stop = len;
        if (done + len < m && nb > 0)
            stop = (size_t)pos[--nb]; /* resume at the last break: the rest may go on */
        size_t from = 0;
        for (size_t b = 0; b <= nb; b++) {
            size_t to = b < nb ? (size_t)pos[b] : stop;
            int rc = emit(s + 3 * (done + from), s + 3 * (done + to), cb, payload);
            if (rc)
                return rc;
            from = to;
        }
        done += stop;
    }
    return 0;
}

int khm_segment(const char *utf8, size_t n, khm_seg_fn cb, void *payload)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t i = 0, len;
    while (i < n) {
        int c = class_at(p, n, i, &len);
        if (c == SEP) {
            i += len;
            continue;
        }
        size_t start = i;
        do
            i += len;
        while (i < n && class_at(p, n, i, &len) == c);
        int rc;
        if (c == WORD) {
            rc = emit(start, i, cb, payload);
        } else {
            ThBrk *brk = brk_get();
            if (!brk)
                return khm_err_set(KHM_EUNAVAIL,
                                   "Thai word segmentation: the libthai dictionary cannot be "
                                   "loaded (install libthai-data, or set LIBTHAI_DICTDIR)");
            rc = thai_run(brk, p, start, (i - start) / 3, cb, payload);
        }
        if (rc)
            return rc;
    }
    return 0;
}

size_t khm_segment_fold(const char *tok, size_t n, char *out)
{
    const unsigned char *p = (const unsigned char *)tok;
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z') {
            out[o++] = (char)(c + 0x20);
            i++;
        } else if (c == 0xE0 && i + 2 < n && p[i + 1] == 0xB9 && p[i + 2] >= 0x90 &&
                   p[i + 2] <= 0x99) { /* ๐–๙ */
            out[o++] = (char)('0' + (p[i + 2] - 0x90));
            i += 3;
        } else if (c == 0xC3 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9E &&
                   p[i + 1] != 0x97) { /* À..Þ but not × */
            out[o++] = (char)c;
            out[o++] = (char)(p[i + 1] + 0x20);
            i += 2;
        } else {
            out[o++] = (char)c;
            i++;
        }
    }
    return o;
}

typedef struct {
    const char *text;
    khm_buf *out;
    int first;
    int rc;
} join_ctx;

static int join_token(size_t s, size_t e, void *payload)
{
    join_ctx *j = payload;
    char tok[KHM_SEG_TOKEN_MAX];
    size_t n = khm_segment_fold(j->text + s, e - s, tok);
    if ((!j->first && (j->rc = khm_buf_putc(j->out, ' ')) < 0) ||
        (j->rc = khm_buf_put(j->out, tok, n)) < 0)
        return 1;
    j->first = 0;
    return 0;
}

int khm_segment_join(const char *utf8, size_t n, khm_buf *out)
{
    join_ctx j = { utf8, out, 1, 0 };
    /* an empty result still leaves a NUL-terminated buffer */
    int rc = khm_buf_put(out, "", 0);
    if (rc < 0)
        return rc;
    rc = khm_segment(utf8, n, join_token, &j);
    return rc == 1 ? j.rc : rc;
}
