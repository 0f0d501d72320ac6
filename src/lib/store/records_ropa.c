/* Typed calls for the record of processing activities (PDPA s.39, migration 6): activities with
 * their items as one JSON object, versioned like datasets, and the append-only refusals of each.
 * The validation and the meaning of the items are pdpa/ropa.c's. */
#include "store_internal.h"

#include <khomun/err.h>

#include <string.h>

#define D (tx->s->drv)

static int read_activity(khm_tx *tx, khm_stmt *st, void *item, khm_arena *ar)
{
    khm_ropa_row *r = item;
    memset(r, 0, sizeof(*r));
    khm_store__col_id(tx, st, 0, r->id);
    khm_store__col_id(tx, st, 1, r->agency_id);
    r->code = khm_store__col_dup(tx, st, 2, ar);
    r->name_th = khm_store__col_dup(tx, st, 3, ar);
    r->name_en = khm_store__col_dup(tx, st, 4, ar);
    r->role = khm_store__col_dup(tx, st, 5, ar);
    r->body = khm_store__col_dup(tx, st, 6, ar);
    r->version = D->col_int64(st, 7);
    khm_store__col_id(tx, st, 8, r->created_by);
    r->created_at = D->col_int64(st, 9);
    r->updated_at = D->col_int64(st, 10);
    r->deleted_at = D->col_int64(st, 11);
    if (!r->code || !r->name_th || !r->role || !r->body)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

static int read_refusal(khm_tx *tx, khm_stmt *st, void *item, khm_arena *ar)
{
    khm_ropa_refusal *f = item;
    memset(f, 0, sizeof(*f));
    khm_store__col_id(tx, st, 0, f->id);
    khm_store__col_id(tx, st, 1, f->activity_id);
    f->refused_at = D->col_int64(st, 2);
    f->request_type = khm_store__col_dup(tx, st, 3, ar);
    f->reason = khm_store__col_dup(tx, st, 4, ar);
    f->legal_ground = khm_store__col_dup(tx, st, 5, ar);
    f->request_ref = khm_store__col_dup(tx, st, 6, ar);
    khm_store__col_id(tx, st, 7, f->recorded_by);
    f->created_at = D->col_int64(st, 8);
    if (!f->request_type || !f->reason || !f->legal_ground)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_store_ropa_insert(khm_tx *tx, const khm_ropa_row *r)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_ROPA_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, r->id);
    D->bind_text(st, 2, r->agency_id);
    D->bind_text(st, 3, r->code);
    D->bind_text(st, 4, r->name_th);
    khm_store__bind_opt(tx, st, 5, r->name_en);
    D->bind_text(st, 6, r->role);
    D->bind_text(st, 7, r->body);
    D->bind_int64(st, 8, r->version);
    khm_store__bind_opt(tx, st, 9, r->created_by);
    D->bind_int64(st, 10, r->created_at);
    D->bind_int64(st, 11, r->updated_at);
    D->bind_null(st, 12);
    rc = khm_store__run(tx, st);
    if (rc == KHM_EEXISTS)
        return khm_err_set(
            KHM_EEXISTS, "the agency's record of processing already has an activity '%s'", r->code);
    return rc;
}

int khm_store_ropa_get(khm_tx *tx, khm_ropa_row *out, const char *id, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_ROPA_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id);
    if ((rc = khm_store__read_one(tx, st, read_activity, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no processing activity '%s'", id);
    return rc < 0 ? rc : 0;
}

/* Step a versioned UPDATE … RETURNING version: no row means another change came first. */
static int run_versioned(khm_tx *tx, khm_stmt *st, const char *id, int64_t version,
                         int64_t *new_version)
{
    int rc = D->step(st);
    if (rc == 1 && new_version)
        *new_version = D->col_int64(st, 0);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ESTALE,
                           "processing activity %s is no longer at version %lld (changed or "
                           "deleted meanwhile): reload it and apply the change again",
                           id, (long long)version);
    return rc < 0 ? rc : 0;
}

int khm_store_ropa_update(khm_tx *tx, const khm_ropa_row *r, int64_t version, int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_ROPA_UPDATE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, r->code);
    D->bind_text(st, 2, r->name_th);
    khm_store__bind_opt(tx, st, 3, r->name_en);
    D->bind_text(st, 4, r->role);
    D->bind_text(st, 5, r->body);
    D->bind_int64(st, 6, r->updated_at);
    D->bind_text(st, 7, r->id);
    D->bind_int64(st, 8, version);
    rc = run_versioned(tx, st, r->id, version, new_version);
    if (rc == KHM_EEXISTS)
        return khm_err_set(
            KHM_EEXISTS, "the agency's record of processing already has an activity '%s'", r->code);
    return rc;
}

int khm_store_ropa_delete(khm_tx *tx, const char *id, int64_t version, int64_t at,
                          int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_ROPA_DELETE, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, at);
    D->bind_int64(st, 2, at);
    D->bind_text(st, 3, id);
    D->bind_int64(st, 4, version);
    return run_versioned(tx, st, id, version, new_version);
}

int khm_store_ropa_list(khm_tx *tx, khm_ropa_row **out, size_t *n, int *more, const char *agency_id,
                        const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, agency_id ? KHM_Q_ROPA_LIST_AGENCY : KHM_Q_ROPA_LIST, &st);
    if (rc < 0)
        return rc;
    if (agency_id)
        D->bind_text(st, 1, agency_id);
    khm_store__bind_page(tx, st, agency_id ? 2 : 1, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_ropa_row), read_activity, (void **)out, n,
                                more, a);
}

int khm_store_ropa_refusal_insert(khm_tx *tx, const khm_ropa_refusal *f)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_ROPA_REFUSAL_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, f->id);
    D->bind_text(st, 2, f->activity_id);
    D->bind_int64(st, 3, f->refused_at);
    D->bind_text(st, 4, f->request_type);
    D->bind_text(st, 5, f->reason);
    D->bind_text(st, 6, f->legal_ground);
    khm_store__bind_opt(tx, st, 7, f->request_ref);
    khm_store__bind_opt(tx, st, 8, f->recorded_by);
    D->bind_int64(st, 9, f->created_at);
    return khm_store__run(tx, st);
}

int khm_store_ropa_refusal_list(khm_tx *tx, khm_ropa_refusal **out, size_t *n, int *more,
                                const char *activity_id, const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_ROPA_REFUSAL_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, activity_id);
    khm_store__bind_page(tx, st, 2, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_ropa_refusal), read_refusal, (void **)out,
                                n, more, a);
}
