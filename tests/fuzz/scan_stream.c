/* Fuzz the streaming scanner (stream.c) end to end: the first bytes choose the input format, the
 * encoding, the block size and whether the rest is gzip-compressed (whole or cut short) before it
 * is scanned in small windows. Every finding must lie inside the input as stored (for gzip: the
 * decompressed bytes) with start < end, its value must mask, the totals must add up, and no
 * error may be anything but a documented one. Never crash, leak or read out of bounds. */
#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, what)                                                             \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "scan_stream: %s (%s)\n", what, khm_err_last()->message); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static khm_scanner *sc;

typedef struct {
    size_t len;
    int64_t n;
} ctx;

static int on_finding(const khm_finding *f, void *payload)
{
    ctx *c = payload;
    CHECK(f->start < f->end && f->end <= c->len && f->line > 0, "finding outside the input");
    khm_buf b = KHM_BUF_INIT(1 << 16);
    CHECK(khm_scan_mask(&b, f->type, f->value, f->value_len) == 0, "mask failed");
    CHECK(khm_scan_write_finding(&b, "f", f, 0) == 0, "write failed");
    khm_buf_dispose(&b);
    c->n++;
    return 0;
}

/* gzip of p[0..n) into a new buffer (*out, *outn); 0 on success. */
static int gzip_of(const uint8_t *p, size_t n, unsigned char **out, size_t *outn)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)n) + 32;
    unsigned char *b = malloc(cap);
    if (!b) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)p; /* zlib does not write through it */
    z.avail_in = (uInt)n;
    z.next_out = b;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outn = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(b);
        return -1;
    }
    *out = b;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    if (!sc && khm_scanner_new(&sc, NULL) < 0)
        abort();
    khm_scan_input in = { 0 };
    in.format = (khm_in_format)(data[0] % 6);
    in.encoding = (khm_enc)((data[0] / 6) % 5);
    in.block = 16 + data[1] * 4u;
    in.cap = 4096;
    in.name = (data[2] & 1) ? "x.csv" : (data[2] & 2) ? "x.jsonl" : "x";
    int gz = (data[2] >> 2) % 3; /* 0 plain, 1 gzip, 2 gzip cut short */
    const uint8_t *body = data + 3;
    size_t blen = size - 3;
    unsigned char *z = NULL;
    size_t zlen = 0;
    const char *p = (const char *)body;
    size_t plen = blen;
    if (gz && gzip_of(body, blen, &z, &zlen) == 0) {
        p = (const char *)z;
        plen = gz == 2 ? zlen / 2 : zlen;
    }
    khm_scan_state *st = khm_scan_state_new(sc);
    if (!st) {
        free(z);
        return 0;
    }
    ctx c = { z ? blen : plen, 0 };
    khm_profile prof;
    khm_scan_info info;
    int rc = khm_scan_mem(sc, st, p, plen, &in, &prof, on_finding, &c, &info);
    CHECK(rc == 0 || rc == KHM_EINVALID || rc == KHM_ENOMEM, "undocumented error");
    CHECK(rc != 0 || info.findings == c.n, "findings miscounted");
    CHECK(rc != 0 || info.binary || info.bytes == plen, "input not read to its end");
    CHECK(rc != 0 || info.binary || z || info.encoding != KHM_ENC_UTF8 || info.scanned <= plen,
          "scanned more than the input");
    for (size_t k = 0; k < prof.ncols; k++)
        CHECK(prof.cols[k].field != NULL, "a column without a name");
    khm_profile_dispose(&prof);
    khm_scan_state_free(st);
    free(z);
    khm_err_clear();
    return 0;
}
