/* Typed calls for data-subject requests and their history (migration 6): bind, step, copy rows
 * into the caller's arena. The rules are in src/lib/pdpa/request.c. */
#include "store_internal.h"

#include <khomun/err.h>
#include <khomun/request.h>

#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

static int read_dsr(khm_tx *tx, khm_stmt *st, void *item, khm_arena *a)
{
    khm_dsr *r = item;
    memset(r, 0, sizeof(*r));
    khm_store__col_id(tx, st, 0, r->id);
    khm_store__col_id(tx, st, 1, r->agency_id);
    const char *type = D->col_text(st, 2);
    r->type = khm_dsr_type_parse(type);
    r->channel = khm_store__col_dup(tx, st, 3, a);
    const char *kind = D->col_text(st, 4);
    khm_dsr_subject_kind_parse(kind, NULL, &r->subject_kind); /* stored by us: valid */
    const char *subj = D->col_text(st, 5);
    snprintf(r->subject, sizeof(r->subject), "%s", subj ? subj : "");
    r->contact = khm_store__col_dup(tx, st, 6, a);
    r->received_at = D->col_int64(st, 7);
    r->due_at = D->col_int64(st, 8);
    r->status = khm_dsr_status_parse(D->col_text(st, 9));
    r->verification = khm_store__col_dup(tx, st, 10, a);
    r->verify_method = khm_store__col_dup(tx, st, 11, a);
    khm_store__col_id(tx, st, 12, r->assignee);
    r->refusal_reason = khm_store__col_dup(tx, st, 13, a);
    r->refusal_ground = khm_store__col_dup(tx, st, 14, a);
    r->package = khm_store__col_dup(tx, st, 15, a);
    r->version = D->col_int64(st, 16);
    r->created_by = khm_store__col_dup(tx, st, 17, a);
    r->created_at = D->col_int64(st, 18);
    r->updated_at = D->col_int64(st, 19);
    r->closed_at = D->col_int64(st, 20);
    if (r->type < 0 || r->status < 0)
        return khm_err_set(KHM_ERROR, "request %s has an unknown type or status in the database",
                           r->id);
    if (!r->channel || !r->verification)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_store_dsr_insert(khm_tx *tx, const khm_dsr *r)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, r->id);
    D->bind_text(st, 2, r->agency_id);
    D->bind_text(st, 3, khm_dsr_rule_of(r->type)->name);
    D->bind_text(st, 4, r->channel);
    D->bind_text(st, 5, khm_dsr_subject_kind_name(r->subject_kind));
    D->bind_text(st, 6, r->subject);
    khm_store__bind_opt(tx, st, 7, r->contact);
    D->bind_int64(st, 8, r->received_at);
    D->bind_int64(st, 9, r->due_at);
    D->bind_text(st, 10, khm_dsr_status_name(r->status));
    D->bind_text(st, 11, r->verification);
    khm_store__bind_opt(tx, st, 12, r->verify_method);
    khm_store__bind_opt(tx, st, 13, r->assignee);
    khm_store__bind_opt(tx, st, 14, r->refusal_reason);
    khm_store__bind_opt(tx, st, 15, r->refusal_ground);
    khm_store__bind_opt(tx, st, 16, r->package);
    D->bind_int64(st, 17, r->version);
    khm_store__bind_opt(tx, st, 18, r->created_by);
    D->bind_int64(st, 19, r->created_at);
    D->bind_int64(st, 20, r->updated_at);
    khm_store__bind_opt_int(tx, st, 21, r->closed_at);
    return khm_store__run(tx, st);
}

int khm_store_dsr_get(khm_tx *tx, khm_dsr *out, const char *id, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id);
    if ((rc = khm_store__read_one(tx, st, read_dsr, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no data-subject request '%s'", id);
    return rc < 0 ? rc : 0;
}

int khm_store_dsr_update(khm_tx *tx, const khm_dsr *r, int64_t version, int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_UPDATE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, khm_dsr_status_name(r->status));
    D->bind_text(st, 2, r->verification);
    khm_store__bind_opt(tx, st, 3, r->verify_method);
    khm_store__bind_opt(tx, st, 4, r->assignee);
    khm_store__bind_opt(tx, st, 5, r->refusal_reason);
    khm_store__bind_opt(tx, st, 6, r->refusal_ground);
    khm_store__bind_opt_int(tx, st, 7, r->closed_at);
    D->bind_int64(st, 8, r->updated_at);
    D->bind_text(st, 9, r->id);
    D->bind_int64(st, 10, version);
    rc = D->step(st);
    if (rc == 1 && new_version)
        *new_version = D->col_int64(st, 0);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ESTALE, "request %s is no longer at version %lld: reload it", r->id,
                           (long long)version);
    return rc < 0 ? rc : 0;
}

int khm_store_dsr_list(khm_tx *tx, khm_dsr **out, size_t *n, int *more, const khm_dsr_filter *f,
                       const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_LIST, &st);
    if (rc < 0)
        return rc;
    const char *status = f->status >= 0 ? khm_dsr_status_name(f->status) : NULL;
    D->bind_text(st, 1, f->agency_id);
    khm_store__bind_opt(tx, st, 2, status);
    khm_store__bind_opt(tx, st, 3, status);
    D->bind_int64(st, 4, f->open_only ? 1 : 0);
    D->bind_int64(st, 5, f->due_from ? f->due_from : INT64_MIN);
    D->bind_int64(st, 6, f->due_to ? f->due_to : INT64_MAX);
    khm_store__bind_page(tx, st, 7, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_dsr), read_dsr, (void **)out, n, more, a);
}

int khm_store_dsr_event_insert(khm_tx *tx, const khm_dsr_event *e)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_EVENT_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, e->id);
    D->bind_text(st, 2, e->request_id);
    D->bind_int64(st, 3, e->ts);
    khm_store__bind_opt(tx, st, 4, e->actor);
    D->bind_text(st, 5, e->kind);
    khm_store__bind_opt(tx, st, 6, e->from_status);
    khm_store__bind_opt(tx, st, 7, e->to_status);
    khm_store__bind_opt(tx, st, 8, e->text);
    return khm_store__run(tx, st);
}

int khm_store_dsr_event_list(khm_tx *tx, khm_dsr_event **out, size_t *n, const char *request_id,
                             khm_arena *a)
{
    khm_stmt *st;
    size_t count = 0;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_EVENT_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, request_id);
    khm_dsr_event *items = khm_arena_calloc(a, 501, sizeof(*items));
    rc = items ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    while (rc == 0 && count < 500 && (rc = D->step(st)) == 1) {
        khm_dsr_event *e = &items[count++];
        khm_store__col_id(tx, st, 0, e->id);
        khm_store__col_id(tx, st, 1, e->request_id);
        e->ts = D->col_int64(st, 2);
        e->actor = khm_store__col_dup(tx, st, 3, a);
        e->kind = khm_store__col_dup(tx, st, 4, a);
        e->from_status = khm_store__col_dup(tx, st, 5, a);
        e->to_status = khm_store__col_dup(tx, st, 6, a);
        e->text = khm_store__col_dup(tx, st, 7, a);
        rc = e->kind ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    }
    D->reset(st);
    if (rc < 0)
        return rc;
    *out = items;
    *n = count;
    return 0;
}

int khm_store_dsr_set_package(khm_tx *tx, const char *id, const char *package, int64_t now)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DSR_SET_PACKAGE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, package);
    D->bind_int64(st, 2, now);
    D->bind_text(st, 3, id);
    rc = D->step(st);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ENOTFOUND, "no request %s", id);
    return rc < 0 ? rc : 0;
}
