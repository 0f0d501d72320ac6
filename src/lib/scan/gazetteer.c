/* The address gazetteer: data/gazetteer/th-subdistricts.tsv (province, district, sub-district,
 * postcode; data/gazetteer/SOURCE.md) is embedded as one string by the build. At first use
 * (pthread_once) one pass over it fills static tables: the rows, the distinct names of each kind
 * with an open-addressing hash each, and the rows grouped by sub-district, district, province and
 * postcode. A lookup hashes a name or the prefixes of a text and then reads at most the rows of
 * one sub-district, district or postcode: tens, never the 7,477 of the whole table. */
#include "gazetteer.h"

#include <pthread.h>
#include <string.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char gz_text[] =
#include "gazetteer.inc"
    ;
#pragma GCC diagnostic pop

#define GZ_MAX_ROWS  8192
#define GZ_MAX_NAMES 8192
#define GZ_SLOTS     16384 /* a power of two, at least twice the names of a kind */
#define GZ_PRE_BITS  (1u << 20)
#define GZ_END_BITS  (1u << 18)

typedef struct {
    uint32_t off;
    uint16_t len;
} gz_str;

typedef struct {
    uint16_t prov, dist, sub;
    uint32_t post;
} gz_row;

typedef struct {
    gz_str name[GZ_MAX_NAMES];
    size_t n;
    uint16_t slot[GZ_SLOTS]; /* id + 1, 0 empty */
    size_t minlen, maxlen;
    uint16_t start[GZ_MAX_NAMES + 1]; /* rows of name id: by[start[id] .. start[id + 1]) */
    uint16_t by[GZ_MAX_ROWS];
    /* the hashes of every name's prefixes (at character ends), as bits: a text whose prefix is
     * not here starts no name, so khm_gz_prefixes() stops after a character or two */
    uint64_t pre[GZ_PRE_BITS / 64];
    /* the hashes of the whole names, as bits: khm_gz_prefixes() looks up only where one ends */
    uint64_t end[GZ_END_BITS / 64];
} gz_kind;

static struct {
    gz_row rows[GZ_MAX_ROWS];
    size_t nrows;
    gz_kind k[KHM_GZ_KINDS];
    uint16_t by_post[GZ_MAX_ROWS];      /* row indexes sorted by postcode */
    unsigned char mueang[GZ_MAX_NAMES]; /* district id: the capital district of its province */
} gz;

static pthread_once_t gz_once = PTHREAD_ONCE_INIT;

static uint32_t fnv_step(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}

static uint32_t fnv(const unsigned char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = fnv_step(h, s[i]);
    return h;
}

static int lookup(const gz_kind *k, const unsigned char *s, size_t n, uint32_t h)
{
    for (uint32_t j = h & (GZ_SLOTS - 1);; j = (j + 1) & (GZ_SLOTS - 1)) {
        unsigned id = k->slot[j];
        if (!id)
            return -1;
        const gz_str *e = &k->name[id - 1];
        if (e->len == n && memcmp(gz_text + e->off, s, n) == 0)
            return (int)id - 1;
    }
}

/* Id of a name, added when new; -1 when the table is full. */
static int intern(gz_kind *k, size_t off, size_t n)
{
    const unsigned char *s = (const unsigned char *)gz_text + off;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { /* the hash, and the bits of the prefixes at character ends */
        h = fnv_step(h, s[i]);
        if (i + 1 == n || (s[i + 1] & 0xC0) != 0x80)
            k->pre[(h & (GZ_PRE_BITS - 1)) >> 6] |= (uint64_t)1 << (h & 63);
    }
    int id = lookup(k, s, n, h);
    if (id >= 0)
        return id;
    if (k->n == GZ_MAX_NAMES || n == 0 || n > 0xFFFF)
        return -1;
    uint32_t j = h & (GZ_SLOTS - 1);
    while (k->slot[j])
        j = (j + 1) & (GZ_SLOTS - 1);
    k->name[k->n].off = (uint32_t)off;
    k->name[k->n].len = (uint16_t)n;
    k->slot[j] = (uint16_t)(k->n + 1);
    if (!k->minlen || n < k->minlen)
        k->minlen = n;
    if (n > k->maxlen)
        k->maxlen = n;
    k->end[(h & (GZ_END_BITS - 1)) >> 6] |= (uint64_t)1 << (h & 63);
    return (int)k->n++;
}

/* Group the rows by name id of kind @p kind (a counting sort). */
static void group(gz_kind *k, int kind)
{
    static uint16_t fill[GZ_MAX_NAMES + 1];
    memset(fill, 0, sizeof(fill));
    for (size_t r = 0; r < gz.nrows; r++) {
        const gz_row *w = &gz.rows[r];
        fill[(kind == KHM_GZ_PROVINCE   ? w->prov
              : kind == KHM_GZ_DISTRICT ? w->dist
                                        : w->sub) +
             1]++;
    }
    for (size_t i = 1; i <= k->n; i++)
        fill[i] += fill[i - 1];
    memcpy(k->start, fill, (k->n + 1) * sizeof(fill[0]));
    for (size_t r = 0; r < gz.nrows; r++) {
        const gz_row *w = &gz.rows[r];
        unsigned id = kind == KHM_GZ_PROVINCE   ? w->prov
                      : kind == KHM_GZ_DISTRICT ? w->dist
                                                : w->sub;
        k->by[fill[id]++] = (uint16_t)r;
    }
}

/* by_post: the rows sorted by postcode, stable: a radix sort, 9 bits at a time. */
static void sort_by_post(void)
{
    static uint16_t tmp[GZ_MAX_ROWS];
    static size_t cnt[512];
    uint16_t *src = tmp, *dst = gz.by_post;
    uint32_t max = 0;
    for (size_t r = 0; r < gz.nrows; r++) {
        tmp[r] = (uint16_t)r;
        max = gz.rows[r].post > max ? gz.rows[r].post : max;
    }
    for (unsigned shift = 0; shift < 32 && (max >> shift); shift += 9) {
        memset(cnt, 0, sizeof(cnt));
        for (size_t r = 0; r < gz.nrows; r++)
            cnt[(gz.rows[src[r]].post >> shift) & 511]++;
        for (size_t b = 0, sum = 0; b < 512; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t r = 0; r < gz.nrows; r++)
            dst[cnt[(gz.rows[src[r]].post >> shift) & 511]++] = src[r];
        uint16_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != gz.by_post) /* the last pass wrote tmp */
        memcpy(gz.by_post, src, gz.nrows * sizeof(gz.by_post[0]));
}

static int name_is(int kind, int id, const char *pre, size_t np, int other, int okind)
{
    const gz_str *a = &gz.k[kind].name[id], *b = &gz.k[okind].name[other];
    return a->len == np + b->len && memcmp(gz_text + a->off, pre, np) == 0 &&
           memcmp(gz_text + a->off + np, gz_text + b->off, b->len) == 0;
}

static void build(void)
{
    size_t pos = 0, n = sizeof(gz_text) - 1;
    size_t prev_off[3] = { 0 }, prev_len[3] = { 0 }; /* the previous row's names */
    int prev_id[3] = { -1, -1, -1 };
    while (pos < n && gz.nrows < GZ_MAX_ROWS) {
        const char *nl = memchr(gz_text + pos, '\n', n - pos), *tab;
        size_t end = nl ? (size_t)(nl - gz_text) : n, f[5], nf = 1;
        f[0] = pos;
        while (nf < 5 && (tab = memchr(gz_text + f[nf - 1], '\t', end - f[nf - 1])))
            f[nf++] = (size_t)(tab - gz_text) + 1;
        if (nf == 4) {
            int id[3];
            for (int k = 0; k < 3; k++) {
                size_t len = f[k + 1] - 1 - f[k];
                /* rows come grouped by province and district: most names are the last row's */
                if (prev_id[k] >= 0 && len == prev_len[k] &&
                    memcmp(gz_text + f[k], gz_text + prev_off[k], len) == 0) {
                    id[k] = prev_id[k];
                    continue;
                }
                id[k] = prev_id[k] = intern(&gz.k[k], f[k], len);
                prev_off[k] = f[k];
                prev_len[k] = len;
            }
            uint32_t post = 0;
            for (size_t j = f[3]; j < end && j < f[3] + 5; j++)
                post = post * 10 + (uint32_t)(gz_text[j] - '0');
            if (id[0] >= 0 && id[1] >= 0 && id[2] >= 0) {
                gz_row *w = &gz.rows[gz.nrows++];
                w->prov = (uint16_t)id[0];
                w->dist = (uint16_t)id[1];
                w->sub = (uint16_t)id[2];
                w->post = end - f[3] == 5 ? post : 0;
            }
        }
        pos = end + 1;
    }
    for (int k = 0; k < KHM_GZ_KINDS; k++)
        group(&gz.k[k], k);
    sort_by_post();
    /* the capital district: "เมือง" + the province's name, or the province's own name
     * (พระนครศรีอยุธยา) */
    for (size_t r = 0; r < gz.nrows; r++) {
        const gz_row *w = &gz.rows[r];
        if (name_is(KHM_GZ_DISTRICT, w->dist, "เมือง", strlen("เมือง"), w->prov, KHM_GZ_PROVINCE) ||
            name_is(KHM_GZ_DISTRICT, w->dist, "", 0, w->prov, KHM_GZ_PROVINCE))
            gz.mueang[w->dist] = 1;
    }
}

static void init(void)
{
    pthread_once(&gz_once, build);
}

size_t khm_gz_rows(void)
{
    init();
    return gz.nrows;
}

size_t khm_gz_names(int kind)
{
    init();
    return kind >= 0 && kind < KHM_GZ_KINDS ? gz.k[kind].n : 0;
}

const char *khm_gz_name(int kind, int id, size_t *len)
{
    init();
    if (kind < 0 || kind >= KHM_GZ_KINDS || id < 0 || (size_t)id >= gz.k[kind].n)
        return NULL;
    *len = gz.k[kind].name[id].len;
    return gz_text + gz.k[kind].name[id].off;
}

int khm_gz_find(int kind, const char *s, size_t n)
{
    init();
    if (kind < 0 || kind >= KHM_GZ_KINDS || !n)
        return -1;
    return lookup(&gz.k[kind], (const unsigned char *)s, n, fnv((const unsigned char *)s, n));
}

size_t khm_gz_prefixes(int kind, const unsigned char *s, size_t n, khm_gz_hit *out, size_t max)
{
    init();
    if (kind < 0 || kind >= KHM_GZ_KINDS || !max)
        return 0;
    const gz_kind *k = &gz.k[kind];
    size_t got = 0, lim = n < k->maxlen ? n : k->maxlen;
    uint32_t h = 2166136261u;
    for (size_t j = 0; j < lim; j++) {
        if (s[j] == 0xE0 && j + 3 <= lim && (s[j + 1] & 0xC0) == 0x80 &&
            (s[j + 2] & 0xC0) == 0x80) {
            h = fnv_step(fnv_step(h, s[j]), s[j + 1]); /* a Thai character: no name ends inside */
            j += 2;
        }
        h = fnv_step(h, s[j]);
        size_t len = j + 1;
        if (len < n && (s[len] & 0xC0) == 0x80)
            continue;
        if (!((k->pre[(h & (GZ_PRE_BITS - 1)) >> 6] >> (h & 63)) & 1))
            break; /* no name starts so */
        if (len < k->minlen || !((k->end[(h & (GZ_END_BITS - 1)) >> 6] >> (h & 63)) & 1))
            continue;
        int id = lookup(k, s, len, h);
        if (id < 0)
            continue;
        if (got == max) { /* keep the longest: drop the shortest kept */
            memmove(out, out + 1, (max - 1) * sizeof(*out));
            got--;
        }
        out[got].len = len;
        out[got++].id = id;
    }
    for (size_t a = 0, b = got ? got - 1 : 0; a < b; a++, b--) { /* longest first */
        khm_gz_hit t = out[a];
        out[a] = out[b];
        out[b] = t;
    }
    return got;
}

static int row_ok(const gz_row *w, int prov, int dist, int sub, uint32_t post)
{
    if (prov >= 0 && w->prov != prov)
        return 0;
    if (dist >= 0 ? w->dist != dist : dist == KHM_GZ_MUEANG && !gz.mueang[w->dist])
        return 0;
    if (sub >= 0 && w->sub != sub)
        return 0;
    return !post || w->post == post;
}

/* First index in by_post of a row with postcode >= @p post. */
static size_t post_lower(uint32_t post)
{
    size_t a = 0, b = gz.nrows;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (gz.rows[gz.by_post[m]].post < post)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

int khm_gz_consistent(int prov, int dist, int sub, uint32_t postcode)
{
    init();
    const uint16_t *by;
    size_t a, b;
    if (prov >= (int)gz.k[KHM_GZ_PROVINCE].n || dist >= (int)gz.k[KHM_GZ_DISTRICT].n ||
        sub >= (int)gz.k[KHM_GZ_SUBDISTRICT].n)
        return 0;
    if (sub >= 0 || dist >= 0 || (prov >= 0 && !postcode)) {
        int kind = sub >= 0 ? KHM_GZ_SUBDISTRICT : dist >= 0 ? KHM_GZ_DISTRICT : KHM_GZ_PROVINCE;
        int id = sub >= 0 ? sub : dist >= 0 ? dist : prov;
        by = gz.k[kind].by;
        a = gz.k[kind].start[id];
        b = gz.k[kind].start[id + 1];
    } else if (postcode) {
        by = gz.by_post;
        a = post_lower(postcode);
        b = post_lower(postcode + 1);
    } else {
        return 0;
    }
    for (size_t r = a; r < b; r++)
        if (row_ok(&gz.rows[by[r]], prov, dist, sub, postcode))
            return 1;
    return 0;
}

int khm_gz_postcode_known(uint32_t postcode)
{
    init();
    size_t a = post_lower(postcode);
    return postcode && a < gz.nrows && gz.rows[gz.by_post[a]].post == postcode;
}
