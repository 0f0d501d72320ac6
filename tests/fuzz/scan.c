/* Fuzz the scanner over arbitrary bytes, as text and as CSV with a comma and a tab: the CSV
 * reader's cells must stay inside the buffer and come in order; every finding must lie inside
 * the buffer with start < end; masking a finding's value must not fail. Never crash or leak. */
#include <khomun/buf.h>
#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static khm_scanner *sc;

typedef struct {
    size_t len;
} ctx;

static int on_finding(const khm_finding *f, void *payload)
{
    const ctx *c = payload;
    if (f->start >= f->end || f->end > c->len || f->value_len != f->end - f->start)
        abort();
    khm_buf b = KHM_BUF_INIT(1 << 16);
    if (khm_scan_mask(&b, f->type, f->value, f->value_len) < 0)
        abort();
    khm_buf_dispose(&b);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    ctx c = { size };
    if (!sc && khm_scanner_new(&sc, NULL) < 0)
        abort();
    khm_scan_state *st = khm_scan_state_new(sc);
    if (!st)
        return 0;
    khm_scan_buf(sc, st, buf, size, on_finding, &c);

    /* the CSV reader alone: cells in order and inside the buffer */
    static const char delims[] = { ',', '\t' };
    for (size_t d = 0; d < sizeof(delims); d++) {
        khm_csv r;
        khm_csv_cell cell;
        int64_t last_row = -1;
        khm_csv_init(&r, buf, size, delims[d]);
        while (khm_csv_next(&r, &cell) > 0) {
            if (cell.start > cell.end || cell.end > size || cell.row < last_row)
                abort();
            last_row = cell.row;
        }
        khm_csv_has_header(buf, size, delims[d]);
        khm_scan_csv(sc, st, buf, size, delims[d], NULL, on_finding, &c);
    }
    khm_scan_state_free(st);
    khm_err_clear();
    return 0;
}
