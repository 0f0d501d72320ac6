/* Typed calls for data quality (quality.h; migration 11): the latest profile of each file
 * resource, the dataset's file count and newest upload (timeliness), and the dataset's stored
 * score, which changes no version: quality is derived, not metadata. */
#include "store_internal.h"

#include <khomun/err.h>
#include <khomun/quality.h>

#include <string.h>

#define D (tx->s->drv)

int khm_store_quality_put(khm_tx *tx, const khm_quality_rec *q)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_QUALITY_PUT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, q->resource_id);
    D->bind_text(st, 2, q->dataset_id);
    D->bind_text(st, 3, q->status);
    D->bind_int64(st, 4, q->computed_at);
    D->bind_int64(st, 5, q->rows);
    D->bind_int64(st, 6, q->cells);
    D->bind_int64(st, 7, q->empty);
    D->bind_int64(st, 8, q->checked);
    D->bind_int64(st, 9, q->invalid);
    D->bind_int64(st, 10, q->duplicate_rows);
    D->bind_int64(st, 11, q->duplicate_keys);
    if (q->score >= 0)
        D->bind_int64(st, 12, q->score);
    else
        D->bind_null(st, 12);
    D->bind_text(st, 13, q->report);
    return khm_store__run(tx, st);
}

int khm_store_quality_delete(khm_tx *tx, const char *resource_id)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_QUALITY_DELETE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, resource_id);
    return khm_store__run(tx, st);
}

static int read_quality(khm_tx *tx, khm_stmt *st, void *item, khm_arena *a)
{
    khm_quality_rec *q = item;
    khm_store__col_id(tx, st, 0, q->resource_id);
    khm_store__col_id(tx, st, 1, q->dataset_id);
    q->status = khm_store__col_dup(tx, st, 2, a);
    q->computed_at = D->col_int64(st, 3);
    q->rows = D->col_int64(st, 4);
    q->cells = D->col_int64(st, 5);
    q->empty = D->col_int64(st, 6);
    q->checked = D->col_int64(st, 7);
    q->invalid = D->col_int64(st, 8);
    q->duplicate_rows = D->col_int64(st, 9);
    q->duplicate_keys = D->col_int64(st, 10);
    q->score = D->col_is_null(st, 11) ? -1 : (int)D->col_int64(st, 11);
    q->report = khm_store__col_dup(tx, st, 12, a);
    return q->status && q->report ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_store_quality_list(khm_tx *tx, const char *dataset_id, khm_quality_rec **out, size_t *n,
                           khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_QUALITY_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, dataset_id);
    return khm_store__read_all(tx, st, sizeof(**out), 8, read_quality, (void **)out, n, a);
}

int khm_store_quality_files(khm_tx *tx, const char *dataset_id, int64_t *files,
                            int64_t *last_upload)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_QUALITY_FILES, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, dataset_id);
    *files = *last_upload = 0;
    rc = D->step(st);
    if (rc == 1) {
        *files = D->col_int64(st, 0);
        *last_upload = D->col_int64(st, 1);
        rc = 0;
    }
    D->reset(st);
    return rc;
}

int khm_store_dataset_set_quality(khm_tx *tx, const char *id, int score, int64_t at)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_SET_QUALITY, &st);
    if (rc < 0)
        return rc;
    if (score >= 0)
        D->bind_int64(st, 1, score);
    else
        D->bind_null(st, 1);
    D->bind_int64(st, 2, at);
    D->bind_text(st, 3, id);
    return khm_store__run(tx, st);
}
