/* Typed calls for the breach register and its append-only action list (migration 6). The rules
 * are in src/lib/pdpa/breach.c. */
#include "store_internal.h"

#include <khomun/breach.h>
#include <khomun/err.h>

#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

static int read_breach(khm_tx *tx, khm_stmt *st, void *item, khm_arena *a)
{
    khm_breach *b = item;
    memset(b, 0, sizeof(*b));
    khm_store__col_id(tx, st, 0, b->id);
    khm_store__col_id(tx, st, 1, b->agency_id);
    b->aware_at = D->col_int64(st, 2);
    b->reported_by = khm_store__col_dup(tx, st, 3, a);
    b->cia = (int)D->col_int64(st, 4);
    b->description = khm_store__col_dup(tx, st, 5, a);
    b->datasets = khm_store__col_dup(tx, st, 6, a);
    b->subject_count = D->col_is_null(st, 7) ? -1 : D->col_int64(st, 7);
    b->risk = khm_breach_risk_parse(D->col_text(st, 8));
    b->office_due_at = D->col_int64(st, 9);
    b->office_notified_at = D->col_int64(st, 10);
    b->late_reason = khm_store__col_dup(tx, st, 11, a);
    b->subjects_required = D->col_int64(st, 12) != 0;
    b->subjects_notified_at = D->col_int64(st, 13);
    b->subjects_method = khm_store__col_dup(tx, st, 14, a);
    b->closed_at = D->col_int64(st, 15);
    b->close_reason = khm_store__col_dup(tx, st, 16, a);
    b->version = D->col_int64(st, 17);
    b->created_at = D->col_int64(st, 18);
    b->updated_at = D->col_int64(st, 19);
    if (b->risk < 0)
        return khm_err_set(KHM_ERROR, "breach %s has an unknown risk in the database", b->id);
    if (!b->description || !b->datasets)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

/* The columns from aware_at to updated_at, at @p first (insert and update share them). */
static void bind_body(khm_tx *tx, khm_stmt *st, int first, const khm_breach *b)
{
    D->bind_int64(st, first, b->aware_at);
    D->bind_int64(st, first + 1, b->cia);
    D->bind_text(st, first + 2, b->description);
    D->bind_text(st, first + 3, b->datasets);
    if (b->subject_count >= 0)
        D->bind_int64(st, first + 4, b->subject_count);
    else
        D->bind_null(st, first + 4);
    D->bind_text(st, first + 5, khm_breach_risk_name(b->risk));
    D->bind_int64(st, first + 6, b->office_due_at);
    khm_store__bind_opt_int(tx, st, first + 7, b->office_notified_at);
    khm_store__bind_opt(tx, st, first + 8, b->late_reason);
    D->bind_int64(st, first + 9, b->subjects_required ? 1 : 0);
    khm_store__bind_opt_int(tx, st, first + 10, b->subjects_notified_at);
    khm_store__bind_opt(tx, st, first + 11, b->subjects_method);
    khm_store__bind_opt_int(tx, st, first + 12, b->closed_at);
    khm_store__bind_opt(tx, st, first + 13, b->close_reason);
}

int khm_store_breach_insert(khm_tx *tx, const khm_breach *b)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_BREACH_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, b->id);
    D->bind_text(st, 2, b->agency_id);
    D->bind_int64(st, 3, b->aware_at);
    khm_store__bind_opt(tx, st, 4, b->reported_by);
    /* columns 5.. follow BREACH_COLS: cia, description, datasets, … close_reason */
    D->bind_int64(st, 5, b->cia);
    D->bind_text(st, 6, b->description);
    D->bind_text(st, 7, b->datasets);
    if (b->subject_count >= 0)
        D->bind_int64(st, 8, b->subject_count);
    else
        D->bind_null(st, 8);
    D->bind_text(st, 9, khm_breach_risk_name(b->risk));
    D->bind_int64(st, 10, b->office_due_at);
    khm_store__bind_opt_int(tx, st, 11, b->office_notified_at);
    khm_store__bind_opt(tx, st, 12, b->late_reason);
    D->bind_int64(st, 13, b->subjects_required ? 1 : 0);
    khm_store__bind_opt_int(tx, st, 14, b->subjects_notified_at);
    khm_store__bind_opt(tx, st, 15, b->subjects_method);
    khm_store__bind_opt_int(tx, st, 16, b->closed_at);
    khm_store__bind_opt(tx, st, 17, b->close_reason);
    D->bind_int64(st, 18, b->version);
    D->bind_int64(st, 19, b->created_at);
    D->bind_int64(st, 20, b->updated_at);
    return khm_store__run(tx, st);
}

int khm_store_breach_get(khm_tx *tx, khm_breach *out, const char *id, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_BREACH_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id);
    if ((rc = khm_store__read_one(tx, st, read_breach, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no breach '%s'", id);
    return rc < 0 ? rc : 0;
}

int khm_store_breach_update(khm_tx *tx, const khm_breach *b, int64_t version, int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_BREACH_UPDATE, &st);
    if (rc < 0)
        return rc;
    bind_body(tx, st, 1, b);
    D->bind_int64(st, 15, b->updated_at);
    D->bind_text(st, 16, b->id);
    D->bind_int64(st, 17, version);
    rc = D->step(st);
    if (rc == 1 && new_version)
        *new_version = D->col_int64(st, 0);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ESTALE,
                           "breach %s is no longer at version %lld (changed meanwhile): reload "
                           "it and apply the change again",
                           b->id, (long long)version);
    return rc < 0 ? rc : 0;
}

int khm_store_breach_list(khm_tx *tx, khm_breach **out, size_t *n, int *more, const char *agency_id,
                          int open_only, const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_BREACH_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, agency_id);
    D->bind_int64(st, 2, open_only ? 1 : 0);
    khm_store__bind_page(tx, st, 3, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_breach), read_breach, (void **)out, n,
                                more, a);
}

int khm_store_breach_action_insert(khm_tx *tx, const khm_breach_action *e)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_BREACH_ACTION_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, e->id);
    D->bind_text(st, 2, e->breach_id);
    D->bind_int64(st, 3, e->ts);
    khm_store__bind_opt(tx, st, 4, e->actor);
    D->bind_text(st, 5, e->kind);
    khm_store__bind_opt(tx, st, 6, e->text);
    return khm_store__run(tx, st);
}

int khm_store_breach_action_list(khm_tx *tx, khm_breach_action **out, size_t *n,
                                 const char *breach_id, khm_arena *a)
{
    khm_stmt *st;
    size_t count = 0;
    int rc = khm_store__stmt(tx, KHM_Q_BREACH_ACTION_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, breach_id);
    khm_breach_action *items = khm_arena_calloc(a, 501, sizeof(*items));
    rc = items ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    while (rc == 0 && count < 500 && (rc = D->step(st)) == 1) {
        khm_breach_action *e = &items[count++];
        khm_store__col_id(tx, st, 0, e->id);
        khm_store__col_id(tx, st, 1, e->breach_id);
        e->ts = D->col_int64(st, 2);
        e->actor = khm_store__col_dup(tx, st, 3, a);
        e->kind = khm_store__col_dup(tx, st, 4, a);
        e->text = khm_store__col_dup(tx, st, 5, a);
        rc = e->kind ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    }
    D->reset(st);
    if (rc < 0)
        return rc;
    *out = items;
    *n = count;
    return 0;
}
