/* Data quality of a dataset (quality.h; docs/api/datasets-quality*.md): GET reports the score
 * with its parts explained — the files' stored profiles pooled, timeliness evaluated now — and
 * writes nothing; POST profiles every file of the dataset again (prepare: the files are read
 * before the write transaction, with no size cap, like POST …/scan) and stores the profiles and
 * the dataset's score, then reports as GET does. The router has decided on the dataset as
 * stored (routes.c, khm_resolve_dataset). */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/quality.h>
#include <khomun/time.h>

#include <string.h>
#include <unistd.h>

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
    char id[KHM_ID_LEN];
    khm_quality *q;
} profiled;

typedef struct {
    profiled *items;
    size_t n;
} prepared;

int khm_h_datasets_quality_compute_prepare(khm_req *r)
{
    khm_dataset d;
    khm_tx *tx;
    prepared *p = khm_arena_calloc(r->arena, 1, sizeof(*p));
    size_t cap = 0;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    r->prepared = p;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    /* the files as they are now (a read transaction), then read outside it */
    khm_resource_rec *files = NULL;
    size_t nfiles = 0;
    if ((rc = khm_store_dataset_get(tx, &d, r->params[0], r->arena)) == 0) {
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = 1;
        while (rc == 0 && more) {
            khm_resource_rec *items;
            size_t n;
            if ((rc = khm_store_resource_list(tx, &items, &n, &more, d.id, &page, r->arena)) < 0)
                break;
            if (nfiles + n > cap) {
                size_t nc = (nfiles + n) * 2;
                khm_resource_rec *bigger = khm_arena_calloc(r->arena, nc, sizeof(*bigger));
                if (!bigger) {
                    rc = khm_err_set(KHM_ENOMEM, "out of memory");
                    break;
                }
                if (nfiles)
                    memcpy(bigger, files, nfiles * sizeof(*files));
                files = bigger;
                cap = nc;
            }
            for (size_t i = 0; i < n; i++)
                if (items[i].sha256[0])
                    files[nfiles++] = items[i];
            if (n)
                page.after = items[n - 1].id;
        }
    }
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    p->items = nfiles ? khm_arena_calloc(r->arena, nfiles, sizeof(*p->items)) : NULL;
    if (nfiles && !p->items)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; i < nfiles; i++) {
        int fd = -1;
        khm_quality *q = khm_arena_calloc(r->arena, 1, sizeof(*q));
        if (!q)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        if ((rc = khm_blob_open(r->srv->opts.data_dir, files[i].sha256, &fd, NULL)) < 0) {
            if (rc != KHM_ENOTFOUND)
                return rc;
            /* a row without its bytes: kept as a failed profile, the others go on */
            khm_err_clear();
            memset(q, 0, sizeof(*q));
            q->status = "failed";
            q->error = "the resource's file is missing from the store";
            q->completeness = q->validity = q->uniqueness = -1;
            q->score = -1;
        } else {
            rc = khm_quality_profile_fd(fd, files[i].name, files[i].format, q, r->arena);
            close(fd);
            if (rc < 0)
                return rc;
        }
        memcpy(p->items[p->n].id, files[i].id, KHM_ID_LEN);
        p->items[p->n++].q = q;
    }
    return 0;
}

int khm_h_datasets_quality_compute(khm_req *r)
{
    const prepared *p = r->prepared;
    khm_dataset d;
    khm_resource_rec rec;
    int64_t now = khm_time_now_ms();
    int rc;
    if (!p)
        return khm_err_set(KHM_ERROR, "quality not prepared");
    if ((rc = khm_store_dataset_get(r->tx, &d, r->params[0], r->arena)) < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "dataset/%s", d.id);
    for (size_t i = 0; i < p->n; i++) {
        rc = khm_store_resource_get(r->tx, &rec, d.id, p->items[i].id, r->arena);
        if (rc == KHM_ENOTFOUND) { /* deleted since it was read */
            khm_err_clear();
            continue;
        }
        if (rc < 0 || (rc = khm_quality_save(r->tx, &rec, p->items[i].q, now)) < 0)
            return rc;
    }
    if ((rc = khm_quality_refresh(r->tx, &d, now)) < 0)
        return rc;
    return reply_report(r, r->tx, &d, now);
}
