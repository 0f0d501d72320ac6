/* Fuzz the catalog import (khm_catalog_import: the CSV and JSON forms, read ahead on a second
 * thread past 64 KB) against a real data directory made once in a temporary directory. Any bytes
 * must give 0 or KHM_EINVALID (KHM_ENOMEM aside), every problem named by a field with valid UTF-8
 * in both languages (they go into problem+json and onto a terminal), and a rolled-back import
 * must leave the catalog as it was: empty.
 *
 * Byte 0 picks the form: 0 CSV, 1 JSON, 2 and up auto (as `khomun catalog import` guesses). The
 * rest is the file. */
#include <khomun/arena.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/setup.h>
#include <khomun/store.h>
#include <khomun/utf8.h>

#include "fuzz_data.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    khm_arena *a = khm_arena_new(0);
    khm_init_result res;
    fuzz_data_open(&res, a);
    khm_arena_free(a);
    return 0;
}

/* the live datasets of the store, counted (a page of one: 0 or 1 is enough) */
static size_t datasets(void)
{
    khm_tx *tx;
    khm_dataset *ds;
    size_t n = 0;
    int more = 0;
    khm_arena *a = khm_arena_new(0);
    khm_page page = { NULL, 1 };
    if (!a || khm_tx_begin(&tx, store, 0) < 0)
        die("begin");
    if (khm_store_dataset_list(tx, &ds, &n, &more, NULL, &page, a) < 0)
        die("list");
    khm_tx_rollback(tx);
    khm_arena_free(a);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int format = data[0] == 0   ? KHM_CATALOG_CSV
                 : data[0] == 1 ? KHM_CATALOG_JSON
                                : KHM_CATALOG_AUTO;
    khm_tx *tx;
    khm_catalog_import_stats st;
    if (khm_tx_begin(&tx, store, 1) < 0)
        die("begin");
    int rc = khm_catalog_import(tx, (const char *)data + 1, size - 1, format, "demo", "cli:fuzz",
                                1700000000000, &st);
    if (rc != 0 && rc != KHM_EINVALID && rc != KHM_ENOMEM && rc != KHM_ELIMIT) {
        fprintf(stderr, "catalog_import: unexpected %d: %s\n", rc, khm_err_last()->message);
        abort();
    }
    if (rc == KHM_EINVALID) {
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        if (nf == 0) {
            fprintf(stderr, "catalog_import: KHM_EINVALID without a field: %s\n",
                    khm_err_last()->message);
            abort(); /* a bad file names where */
        }
        for (size_t i = 0; i < nf; i++)
            if (!fe[i].field || !khm_utf8_valid(fe[i].message, strlen(fe[i].message), NULL) ||
                !khm_utf8_valid(fe[i].message_th, strlen(fe[i].message_th), NULL)) {
                fprintf(stderr, "catalog_import: not UTF-8: %s: %s (%s)\n", fe[i].field,
                        fe[i].message, fe[i].message_th);
                abort();
            }
    }
    if (rc == 0 && st.created + st.updated + st.unchanged > (size_t)size)
        abort(); /* more datasets than bytes */
    khm_tx_rollback(tx);
    if (datasets() != 0)
        abort(); /* the rollback kept something */
    return 0;
}
