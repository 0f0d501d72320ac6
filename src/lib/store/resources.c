/* Typed calls for dataset resources and their data map (resource.h; migration 6). Inserts and
 * deletes take the blob lock first (KHM_LOCK_BLOB): a resource row and the blob file it names
 * change together, also across servers on one PostgreSQL database. */
#include "store_internal.h"

#include <khomun/err.h>
#include <khomun/quality.h>
#include <khomun/resource.h>
#include <khomun/scan.h>

#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

static int read_resource(khm_tx *tx, khm_stmt *st, void *item, khm_arena *a)
{
    khm_resource_rec *r = item;
    const char *sha;
    khm_store__col_id(tx, st, 0, r->id);
    khm_store__col_id(tx, st, 1, r->dataset_id);
    khm_store__col_id(tx, st, 2, r->agency_id);
    r->name = khm_store__col_dup(tx, st, 3, a);
    r->format = khm_store__col_dup(tx, st, 4, a);
    r->media_type = khm_store__col_dup(tx, st, 5, a);
    r->size = D->col_is_null(st, 6) ? -1 : D->col_int64(st, 6);
    sha = D->col_text(st, 7);
    snprintf(r->sha256, sizeof(r->sha256), "%s", sha ? sha : "");
    r->url = khm_store__col_dup(tx, st, 8, a);
    r->fields = khm_store__col_dup(tx, st, 9, a);
    r->scan_status = khm_store__col_dup(tx, st, 10, a);
    r->scan_error = khm_store__col_dup(tx, st, 11, a);
    r->scanned_at = D->col_int64(st, 12);
    r->rows = D->col_is_null(st, 13) ? -1 : D->col_int64(st, 13);
    r->personal = D->col_int64(st, 14) != 0;
    r->sensitive = D->col_int64(st, 15) != 0;
    khm_store__col_id(tx, st, 16, r->created_by);
    r->created_at = D->col_int64(st, 17);
    r->updated_at = D->col_int64(st, 18);
    if (!r->name || !r->format || !r->fields || !r->scan_status)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_store_resource_insert(khm_tx *tx, const khm_resource_rec *r)
{
    khm_stmt *st;
    int rc = khm_store__lock(tx, KHM_LOCK_BLOB);
    if (rc < 0 || (rc = khm_store__stmt(tx, KHM_Q_RESOURCE_INSERT, &st)) < 0)
        return rc;
    D->bind_text(st, 1, r->id);
    D->bind_text(st, 2, r->dataset_id);
    D->bind_text(st, 3, r->agency_id);
    D->bind_text(st, 4, r->name);
    D->bind_text(st, 5, r->format);
    khm_store__bind_opt(tx, st, 6, r->media_type);
    if (r->size >= 0)
        D->bind_int64(st, 7, r->size);
    else
        D->bind_null(st, 7);
    khm_store__bind_opt(tx, st, 8, r->sha256);
    khm_store__bind_opt(tx, st, 9, r->url);
    D->bind_text(st, 10, r->fields);
    D->bind_text(st, 11, r->scan_status);
    khm_store__bind_opt(tx, st, 12, r->scan_error);
    khm_store__bind_opt_int(tx, st, 13, r->scanned_at);
    if (r->rows >= 0)
        D->bind_int64(st, 14, r->rows);
    else
        D->bind_null(st, 14);
    D->bind_int64(st, 15, r->personal);
    D->bind_int64(st, 16, r->sensitive);
    khm_store__bind_opt(tx, st, 17, r->created_by);
    D->bind_int64(st, 18, r->created_at);
    D->bind_int64(st, 19, r->updated_at);
    return khm_store__run(tx, st);
}

int khm_store_resource_get(khm_tx *tx, khm_resource_rec *out, const char *dataset_id,
                           const char *id, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_RESOURCE_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, dataset_id);
    D->bind_text(st, 2, id);
    if ((rc = khm_store__read_one(tx, st, read_resource, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "dataset %s has no resource '%s'", dataset_id, id);
    return rc < 0 ? rc : 0;
}

static int list(khm_tx *tx, khm_qid q, const char *key, khm_resource_rec **out, size_t *n,
                int *more, const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, q, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, key);
    khm_store__bind_page(tx, st, 2, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_resource_rec), read_resource, (void **)out,
                                n, more, a);
}

int khm_store_resource_list(khm_tx *tx, khm_resource_rec **out, size_t *n, int *more,
                            const char *dataset_id, const khm_page *page, khm_arena *a)
{
    return list(tx, KHM_Q_RESOURCE_LIST, dataset_id, out, n, more, page, a);
}

int khm_store_resource_list_agency(khm_tx *tx, khm_resource_rec **out, size_t *n, int *more,
                                   const char *agency_id, const khm_page *page, khm_arena *a)
{
    return list(tx, KHM_Q_RESOURCE_LIST_AGENCY, agency_id, out, n, more, page, a);
}

int khm_store_resource_set_scan(khm_tx *tx, const khm_resource_rec *r)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_RESOURCE_SET_SCAN, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, r->scan_status);
    khm_store__bind_opt(tx, st, 2, r->scan_error);
    khm_store__bind_opt_int(tx, st, 3, r->scanned_at);
    if (r->rows >= 0)
        D->bind_int64(st, 4, r->rows);
    else
        D->bind_null(st, 4);
    D->bind_int64(st, 5, r->personal);
    D->bind_int64(st, 6, r->sensitive);
    D->bind_int64(st, 7, r->updated_at);
    D->bind_text(st, 8, r->id);
    rc = D->step(st);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ENOTFOUND, "no resource '%s'", r->id);
    return rc < 0 ? rc : 0;
}

int khm_store_resource_delete(khm_tx *tx, const char *id)
{
    khm_stmt *st;
    int rc = khm_store__lock(tx, KHM_LOCK_BLOB);
    if (rc < 0 || (rc = khm_store_quality_delete(tx, id)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_RESOURCE_COLUMNS_DELETE, &st)) < 0)
        return rc;
    D->bind_text(st, 1, id);
    if ((rc = khm_store__run(tx, st)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_RESOURCE_DELETE, &st)) < 0)
        return rc;
    D->bind_text(st, 1, id);
    rc = D->step(st);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ENOTFOUND, "no resource '%s'", id);
    return rc < 0 ? rc : 0;
}

int khm_store_resource_blob_refs(khm_tx *tx, const char *sha256, int64_t *count)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_RESOURCE_BLOB_REFS, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, sha256);
    rc = D->step(st);
    if (rc == 1) {
        *count = D->col_int64(st, 0);
        rc = 0;
    }
    D->reset(st);
    return rc;
}

int khm_store_resource_flags(khm_tx *tx, const char *dataset_id, int *personal, int *sensitive)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_RESOURCE_FLAGS, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, dataset_id);
    *personal = *sensitive = 0;
    rc = D->step(st);
    if (rc == 1) {
        *personal = D->col_int64(st, 0) != 0;
        *sensitive = D->col_int64(st, 1) != 0;
        rc = 0;
    }
    D->reset(st);
    return rc;
}

static int64_t milli(double v)
{
    return (int64_t)(v * 1000.0 + 0.5);
}

int khm_store_resource_columns_set(khm_tx *tx, const char *resource_id,
                                   const khm_resource_column *cols, size_t n)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_RESOURCE_COLUMNS_DELETE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, resource_id);
    if ((rc = khm_store__run(tx, st)) < 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < n && i < KHM_DATAMAP_MAX_COLS; i++) {
        const khm_resource_column *c = &cols[i];
        if ((rc = khm_store__stmt(tx, KHM_Q_RESOURCE_COLUMN_INSERT, &st)) < 0)
            break;
        D->bind_text(st, 1, resource_id);
        D->bind_int64(st, 2, c->idx);
        D->bind_text(st, 3, c->field ? c->field : "");
        khm_store__bind_opt(tx, st, 4, c->type);
        D->bind_int64(st, 5, c->rows);
        D->bind_int64(st, 6, c->matched);
        D->bind_int64(st, 7, milli(c->share));
        D->bind_int64(st, 8, milli(c->score));
        D->bind_text(st, 9, khm_pdpa_name((khm_pdpa)c->pdpa));
        khm_store__bind_opt(tx, st, 10, c->sensitive);
        rc = khm_store__run(tx, st);
    }
    return rc;
}

static int read_column(khm_tx *tx, khm_stmt *st, void *item, khm_arena *a)
{
    khm_resource_column *c = item;
    khm_store__col_id(tx, st, 0, c->resource_id);
    c->idx = (int)D->col_int64(st, 1);
    c->field = khm_store__col_dup(tx, st, 2, a);
    c->type = khm_store__col_dup(tx, st, 3, a);
    c->rows = D->col_int64(st, 4);
    c->matched = D->col_int64(st, 5);
    c->share = (double)D->col_int64(st, 6) / 1000.0;
    c->score = (double)D->col_int64(st, 7) / 1000.0;
    const char *p = D->col_text(st, 8);
    c->pdpa = p && strcmp(p, "sensitive") == 0  ? KHM_PDPA_SENSITIVE
              : p && strcmp(p, "personal") == 0 ? KHM_PDPA_PERSONAL
                                                : KHM_PDPA_NONE;
    c->sensitive = khm_store__col_dup(tx, st, 9, a);
    return c->field ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_store_resource_columns(khm_tx *tx, const char *resource_id, khm_resource_column **out,
                               size_t *n, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_RESOURCE_COLUMNS, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, resource_id);
    D->bind_int64(st, 2, KHM_DATAMAP_MAX_COLS);
    return khm_store__read_all(tx, st, sizeof(**out), 16, read_column, (void **)out, n, a);
}
