/* Fuzz the input decoders: byte 0 picks the encoding, byte 1 seeds the block splits, the rest is
 * the stream. Decoded whole and in random blocks (at absolute offsets from 1000), the output,
 * the map and the invalid count must be the same; every map entry lies inside the input and
 * maps never decrease; output fits khm_decode_bound(); decoded UTF-16 and TIS-620 are valid
 * UTF-8 and UTF-8 passes through unchanged. Detection and name parsing must not crash. */
#include <khomun/err.h>
#include <khomun/scan.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 1000u

typedef struct {
    char *out;
    uint64_t *map;
    size_t n;
    uint64_t invalid;
} result;

static void run(khm_enc enc, const uint8_t *in, size_t n, uint32_t seed, int use_map, result *r)
{
    khm_decoder d;
    khm_decoder_init(&d, enc);
    size_t cap = 3 * n + 16;
    r->out = malloc(cap);
    r->map = malloc(cap * sizeof(uint64_t));
    r->n = 0;
    if (!r->out || !r->map)
        abort();
    size_t pos = 0;
    while (pos < n) {
        size_t len = n - pos;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            size_t k = (seed >> 16) % 9;
            len = k < len ? k : len;
        }
        size_t bound = khm_decode_bound(&d, len);
        uint64_t *m = use_map ? r->map + r->n : NULL;
        size_t w = khm_decode(&d, in + pos, len, BASE + pos, r->out + r->n, m);
        if (w > bound || d.ncarry > 4 || r->n + w > cap)
            abort();
        if (use_map && w && enc != KHM_ENC_UTF8 && m[w - 1] >= BASE + pos + len - d.ncarry)
            abort(); /* output only from consumed input */
        r->n += w;
        pos += len;
    }
    size_t bound = khm_decode_bound(&d, 0);
    size_t w = khm_decode_finish(&d, r->out + r->n, use_map ? r->map + r->n : NULL);
    if (w > bound || d.ncarry != 0)
        abort();
    r->n += w;
    r->invalid = d.invalid;
    if (use_map)
        for (size_t k = 0; k < r->n; k++)
            if (r->map[k] < BASE || r->map[k] >= BASE + n || (k && r->map[k] < r->map[k - 1]))
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const khm_enc encs[] = { KHM_ENC_UTF8, KHM_ENC_UTF16LE, KHM_ENC_UTF16BE,
                                    KHM_ENC_TIS620 };
    khm_enc enc = encs[data[0] % 4];
    uint32_t seed = data[1] | 1u;
    const uint8_t *in = data + 2;
    size_t n = size - 2;

    result whole, split, nomap;
    run(enc, in, n, 0, 1, &whole);
    run(enc, in, n, seed, 1, &split);
    run(enc, in, n, seed * 7u, 0, &nomap);
    if (split.n != whole.n || memcmp(split.out, whole.out, whole.n) != 0 ||
        memcmp(split.map, whole.map, whole.n * sizeof(uint64_t)) != 0 ||
        split.invalid != whole.invalid)
        abort();
    if (nomap.n != whole.n || memcmp(nomap.out, whole.out, whole.n) != 0 ||
        nomap.invalid != whole.invalid)
        abort();
    if (enc == KHM_ENC_UTF8) {
        if (whole.n != n || memcmp(whole.out, in, n) != 0)
            abort();
        for (size_t k = 0; k < n; k++)
            if (whole.map[k] != BASE + k)
                abort();
        if ((whole.invalid == 0) != khm_utf8_valid((const char *)in, n, NULL))
            abort();
    } else if (!khm_utf8_valid(whole.out, whole.n, NULL)) {
        abort();
    }
    free(whole.out), free(whole.map), free(split.out), free(split.map), free(nomap.out),
        free(nomap.map);

    size_t bom = 99;
    khm_enc e = khm_enc_detect(data, size, &bom);
    if (bom > 3 || e == KHM_ENC_AUTO || bom > size)
        abort();
    char name[16];
    size_t k = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
    memcpy(name, data, k);
    name[k] = 0;
    khm_enc parsed;
    if (khm_enc_parse(name, &parsed) < 0) {
        size_t nf;
        khm_err_fields(&nf);
        if (khm_err_last()->code != KHM_EINVALID || nf < 1)
            abort();
    }
    khm_err_clear();
    return 0;
}
