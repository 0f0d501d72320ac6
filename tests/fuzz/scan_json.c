/* Fuzz the streaming JSON reader: byte 0 bit 0 picks JSON Lines, the other bits and byte 1 seed
 * the block sizes and the buffer capacity; the rest is the input. Fed whole and in random
 * blocks with a buffer that holds the whole input, the values (absolute offsets, paths, kinds,
 * records), the outcome and the bad-line counts must be the same. Fed through a small buffer
 * (64–319 bytes), every value must lie inside its call's buffer, a piece never exceed the
 * buffer, and the reader must always make progress on a full buffer. Paths start with '$' and
 * fit KHM_JSONR_MAX_PATH; unescaping a string never grows it and maps inside it. */
#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *buf;
    size_t len, cap;
    uint64_t base;
    uint64_t hash, count;
    int64_t last_record;
} ctx;

static void mix(uint64_t *h, uint64_t v)
{
    *h = (*h ^ v) * 0x100000001b3ull;
}

static int on_value(const khm_json_value *v, void *payload)
{
    ctx *c = payload;
    if (v->start > v->end || v->end > c->len || v->end - v->start > c->cap)
        abort();
    if (!v->path || v->path[0] != '$' || v->path_len > KHM_JSONR_MAX_PATH ||
        strlen(v->path) != v->path_len)
        abort();
    if (v->kind < KHM_JV_STRING || v->kind > KHM_JV_LITERAL || v->partial < 0 || v->partial > 2)
        abort();
    if (v->record < c->last_record)
        abort();
    c->last_record = v->record;
    if (v->kind == KHM_JV_STRING) {
        size_t n = v->end - v->start;
        char *out = malloc(n + 1);
        uint32_t *map = malloc((n + 1) * sizeof(uint32_t));
        if (!out || !map)
            abort();
        size_t w = khm_json_unescape(c->buf + v->start, n, out, map);
        if (w > n)
            abort();
        for (size_t k = 0; k < w; k++)
            if (map[k] >= n || (k && map[k] < map[k - 1]))
                abort();
        if (!v->escaped && (w != n || memcmp(out, c->buf + v->start, n) != 0))
            abort();
        free(out);
        free(map);
    }
    mix(&c->hash, c->base + v->start);
    mix(&c->hash, c->base + v->end);
    mix(&c->hash, (uint64_t)v->kind << 8 | (uint64_t)v->partial << 4 | (uint64_t)v->escaped);
    mix(&c->hash, (uint64_t)v->record);
    for (size_t k = 0; k < v->path_len; k++)
        mix(&c->hash, (unsigned char)v->path[k]);
    c->count++;
    return 0;
}

typedef struct {
    int rc;
    uint64_t hash, count;
    int64_t bad, first_bad;
} outcome;

static void run(int lines, const char *in, size_t n, size_t cap, uint32_t seed, outcome *o)
{
    khm_jsonr *r;
    if (khm_jsonr_new(&r, lines) < 0)
        abort();
    char *buf = malloc(cap);
    if (!buf)
        abort();
    ctx c = { buf, 0, cap, 0, 0xcbf29ce484222325ull, 0, -1 };
    size_t kept = 0, pos = 0;
    o->rc = 0;
    for (;;) {
        size_t add = cap - kept;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            size_t k = (seed >> 16) % 97;
            add = k < add ? k : add;
        }
        if (add > n - pos)
            add = n - pos;
        memcpy(buf + kept, in + pos, add);
        kept += add;
        pos += add;
        int final = pos == n;
        c.len = kept;
        int64_t used = khm_jsonr_feed(r, buf, kept, cap, final, on_value, &c);
        if (used < 0) {
            if (lines || khm_err_last()->code != KHM_EINVALID)
                abort();
            o->rc = -1;
            break;
        }
        if ((size_t)used > kept)
            abort();
        if (final && (size_t)used != kept)
            abort(); /* the end of input consumes everything */
        if (used == 0 && kept == cap)
            abort(); /* no progress on a full buffer */
        memmove(buf, buf + used, kept - (size_t)used);
        kept -= (size_t)used;
        c.base += (uint64_t)used;
        if (final)
            break;
    }
    o->hash = c.hash;
    o->count = c.count;
    o->bad = khm_jsonr_bad_lines(r);
    o->first_bad = khm_jsonr_first_bad_line(r);
    if (!lines && (o->bad || o->first_bad))
        abort();
    if (o->bad && (o->first_bad < 1 || o->first_bad > (int64_t)n + 1))
        abort();
    khm_jsonr_free(r);
    free(buf);
    khm_err_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int lines = data[0] & 1;
    uint32_t seed = ((uint32_t)data[0] << 8 | data[1]) | 1u;
    const char *in = (const char *)data + 2;
    size_t n = size - 2;

    outcome whole, split, small;
    run(lines, in, n, n + 1, 0, &whole);
    run(lines, in, n, n + 1, seed, &split);
    if (whole.rc != split.rc || whole.hash != split.hash || whole.count != split.count ||
        whole.bad != split.bad || whole.first_bad != split.first_bad)
        abort();
    run(lines, in, n, 64 + data[1], seed * 3u, &small);
    return 0;
}
