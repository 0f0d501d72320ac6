/* Data quality of a dataset (quality.h; docs/api/datasets-quality*.md): GET reports the score
 * with its parts explained — the files' stored profiles pooled, timeliness evaluated now — and
 * writes nothing; POST profiles every file of the dataset again (prepare: the files are read
 * before the write transaction, with no size cap, like POST …/scan) and stores the profiles and
 * the dataset's score, then reports as GET does. The router has decided on the dataset as
 * stored (routes.c, khm_resolve_dataset). */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/quality.h>
#include <khomun/resource.h>
#include <khomun/time.h>

/* The report of @p d at @p now, in @p tx. */
static int reply_report(khm_req *r, khm_tx *tx, const khm_dataset *d, int64_t now)
{
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    int rc = khm_quality_write_report(tx, &w, d, now, r->arena);
    if (rc < 0) {
        khm_buf_dispose(&b);
        return rc;
    }
    return khm_reply_jw(r, 200, &w, &b);
}

int khm_h_datasets_quality(khm_req *r)
{
    khm_dataset d;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    if ((rc = khm_store_dataset_get(tx, &d, r->params[0], r->arena)) == 0) {
        r->audit_target = khm_arena_printf(r->arena, "dataset/%s", d.id);
        rc = reply_report(r, tx, &d, khm_time_now_ms());
    }
    khm_tx_rollback(tx);
    return rc;
}

/* What prepare leaves: each file resource with its new profile. */
typedef struct {
    khm_quality_item *items;
    size_t n;
} prepared;

int khm_h_datasets_quality_compute_prepare(khm_req *r)
{
    khm_dataset d;
    khm_tx *tx;
    khm_resource_rec *files = NULL;
    size_t nfiles = 0;
    prepared *p = khm_arena_calloc(r->arena, 1, sizeof(*p));
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    r->prepared = p;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    /* the files as they are now (a read transaction), then read outside it */
    if ((rc = khm_store_dataset_get(tx, &d, r->params[0], r->arena)) == 0)
        rc = khm_resource_list_all(tx, &files, &nfiles, d.id, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_quality_profile_files(&p->items, &p->n, r->srv->opts.data_dir, files, nfiles,
                                     r->arena);
}

int khm_h_datasets_quality_compute(khm_req *r)
{
    const prepared *p = r->prepared;
    khm_dataset d;
    int64_t now = khm_time_now_ms();
    int rc;
    if (!p)
        return khm_err_set(KHM_ERROR, "quality not prepared");
    if ((rc = khm_store_dataset_get(r->tx, &d, r->params[0], r->arena)) < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "dataset/%s", d.id);
    if ((rc = khm_quality_save_files(r->tx, &d, p->items, p->n, now, r->arena)) < 0)
        return rc;
    return reply_report(r, r->tx, &d, now);
}
