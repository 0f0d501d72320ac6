/* Fuzz the custom-detector file loader (custom.c): arbitrary bytes as a --config file must load
 * or fail with KHM_EINVALID and field errors — never crash or leak; a file that loads must
 * compile into a scanner that scans a fixed Thai/English text with every finding in bounds. */
#include <khomun/err.h>
#include <khomun/scan.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char TEXT[] = "รหัสพนักงาน EMP-123456 โทร 081-234-5678 คดีที่ 1/2566 "
                           "4111 1111 1111 1111 REF3100600445635 a@b.co\n";

static int on_finding(const khm_finding *f, void *payload)
{
    (void)payload;
    if (f->start >= f->end || f->end > sizeof(TEXT) - 1 || !f->type)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    khm_scan_config *c = NULL;
    int rc = khm_scan_config_load(&c, (const char *)data, size);
    if (rc < 0) {
        size_t n = 0;
        if (c || (rc != KHM_EINVALID && rc != KHM_ENOMEM && rc != KHM_ELIMIT))
            abort();
        khm_err_fields(&n);
        khm_err_clear();
        return 0;
    }
    khm_scan_opts o = { 0 };
    o.config = c;
    khm_scanner *sc = NULL;
    if (khm_scanner_new(&sc, &o) == 0) {
        khm_scan_state *st = khm_scan_state_new(sc);
        if (st)
            khm_scan_buf(sc, st, TEXT, sizeof(TEXT) - 1, on_finding, NULL);
        khm_scan_state_free(st);
        khm_scanner_free(sc);
    }
    khm_scan_config_free(c);
    khm_err_clear();
    return 0;
}
