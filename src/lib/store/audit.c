/* Typed calls for the audit trail's tables. The chain itself (canonical form, hashes,
 * checkpoints, verification) is the audit module's; this file only moves rows. */
#include "store_internal.h"

#include <khomun/err.h>

#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

static void copy_hex(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0; /* not snprintf: twice per row on verify */
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Fill @p r from the current row (columns in AUDIT_COLS order); strings are borrowed. */
static void read_row(khm_tx *tx, khm_stmt *st, khm_audit_row *r)
{
    r->seq = D->col_int64(st, 0);
    khm_store__col_id(tx, st, 1, r->id);
    r->ts = D->col_int64(st, 2);
    r->actor_user = D->col_text(st, 3);
    r->actor_agency = D->col_text(st, 4);
    r->token_id = D->col_text(st, 5);
    r->action = D->col_text(st, 6);
    r->target = D->col_text(st, 7);
    r->purpose = D->col_text(st, 8);
    r->outcome = D->col_text(st, 9);
    r->status = (int)D->col_int64(st, 10);
    r->reasons = D->col_text(st, 11);
    r->request_id = D->col_text(st, 12);
    r->client = D->col_text(st, 13);
    copy_hex(r->prev_hash, sizeof(r->prev_hash), D->col_text(st, 14));
    copy_hex(r->hash, sizeof(r->hash), D->col_text(st, 15));
    if (!r->action)
        r->action = "";
    if (!r->outcome)
        r->outcome = "";
}

static void read_cp(khm_tx *tx, khm_stmt *st, khm_audit_checkpoint_row *c)
{
    c->seq = D->col_int64(st, 0);
    c->event_seq = D->col_int64(st, 1);
    copy_hex(c->event_hash, sizeof(c->event_hash), D->col_text(st, 2));
    c->ts = D->col_int64(st, 3);
    copy_hex(c->signature, sizeof(c->signature), D->col_text(st, 4));
    copy_hex(c->public_key, sizeof(c->public_key), D->col_text(st, 5));
}

int khm_store_audit_head(khm_tx *tx, int64_t *seq, char hash[65])
{
    khm_stmt *st;
    /* the head is read to append after it: other servers on the database (PostgreSQL) wait
     * until this transaction ends, so the chain stays one chain (SQLite: no-op) */
    int rc = khm_store__lock(tx, KHM_LOCK_AUDIT);
    if (rc == 0)
        rc = khm_store__stmt(tx, KHM_Q_AUDIT_HEAD, &st);
    if (rc < 0)
        return rc;
    rc = D->step(st);
    if (rc == 1) {
        *seq = D->col_int64(st, 0);
        copy_hex(hash, 65, D->col_text(st, 1));
        rc = 0;
    } else if (rc == 0) {
        *seq = 0;
        memset(hash, '0', 64);
        hash[64] = '\0';
    }
    D->reset(st);
    if (rc == 0 && *seq == 0) {
        /* no events: every one may have been archived, and the chain goes on after the anchor */
        khm_audit_archive_row a;
        rc = khm_store_audit_archive_last(tx, &a, NULL);
        if (rc == 0) {
            *seq = a.event_seq;
            memcpy(hash, a.event_hash, 65);
        } else if (rc == KHM_ENOTFOUND) {
            khm_err_clear();
            rc = 0;
        }
    }
    return rc;
}

int khm_store_audit_insert(khm_tx *tx, const khm_audit_row *r)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, r->seq);
    D->bind_text(st, 2, r->id);
    D->bind_int64(st, 3, r->ts);
    D->bind_text(st, 4, r->actor_user);
    D->bind_text(st, 5, r->actor_agency);
    D->bind_text(st, 6, r->token_id);
    D->bind_text(st, 7, r->action);
    D->bind_text(st, 8, r->target);
    D->bind_text(st, 9, r->purpose);
    D->bind_text(st, 10, r->outcome);
    D->bind_int64(st, 11, r->status);
    D->bind_text(st, 12, r->reasons);
    D->bind_text(st, 13, r->request_id);
    D->bind_text(st, 14, r->client);
    D->bind_text(st, 15, r->prev_hash);
    D->bind_text(st, 16, r->hash);
    return khm_store__run(tx, st);
}

int khm_store_audit_each(khm_tx *tx, int64_t from, int64_t to,
                         int (*fn)(const khm_audit_row *r, void *payload), void *payload)
{
    khm_stmt *st;
    khm_audit_row r;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_SCAN, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, from);
    D->bind_int64(st, 2, to > 0 ? to : INT64_MAX);
    while ((rc = D->step(st)) == 1) {
        read_row(tx, st, &r);
        if ((rc = fn(&r, payload)) != 0)
            break;
    }
    D->reset(st);
    return rc;
}

int khm_store_audit_count(khm_tx *tx, int64_t *count, int64_t *max_seq)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_COUNT, &st);
    if (rc < 0)
        return rc;
    if ((rc = D->step(st)) == 1) {
        *count = D->col_int64(st, 0);
        *max_seq = D->col_int64(st, 1);
        rc = 0;
    }
    D->reset(st);
    return rc;
}

int khm_store_audit_checkpoint_insert(khm_tx *tx, const khm_audit_checkpoint_row *c)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_CP_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, c->seq);
    D->bind_int64(st, 2, c->event_seq);
    D->bind_text(st, 3, c->event_hash);
    D->bind_int64(st, 4, c->ts);
    D->bind_text(st, 5, c->signature);
    D->bind_text(st, 6, c->public_key);
    return khm_store__run(tx, st);
}

int khm_store_audit_checkpoint_last(khm_tx *tx, khm_audit_checkpoint_row *c)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_CP_LAST, &st);
    if (rc < 0)
        return rc;
    rc = D->step(st);
    if (rc == 1) {
        read_cp(tx, st, c);
        rc = 0;
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ENOTFOUND, "no audit checkpoint yet");
    }
    D->reset(st);
    return rc;
}

int khm_store_audit_checkpoint_each(khm_tx *tx, int64_t from,
                                    int (*fn)(const khm_audit_checkpoint_row *c, void *payload),
                                    void *payload)
{
    khm_stmt *st;
    khm_audit_checkpoint_row c;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_CP_SCAN, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, from);
    while ((rc = D->step(st)) == 1) {
        read_cp(tx, st, &c);
        if ((rc = fn(&c, payload)) != 0)
            break;
    }
    D->reset(st);
    return rc;
}

int khm_store_audit_checkpoint_at(khm_tx *tx, int64_t event_seq, khm_audit_checkpoint_row *c)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_CP_AT, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, event_seq);
    rc = D->step(st);
    if (rc == 1) {
        read_cp(tx, st, c);
        rc = 0;
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ENOTFOUND, "no audit checkpoint at or before event %lld",
                         (long long)event_seq);
    }
    D->reset(st);
    return rc;
}

int khm_store_audit_archive_last(khm_tx *tx, khm_audit_archive_row *out, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_ARCHIVE_LAST, &st);
    if (rc < 0)
        return rc;
    rc = D->step(st);
    if (rc == 1) {
        memset(out, 0, sizeof(*out));
        out->seq = D->col_int64(st, 0);
        out->first_seq = D->col_int64(st, 1);
        out->event_seq = D->col_int64(st, 2);
        copy_hex(out->event_hash, sizeof(out->event_hash), D->col_text(st, 3));
        out->checkpoint_seq = D->col_int64(st, 4);
        out->ts = D->col_int64(st, 5);
        out->file = a ? khm_store__col_dup(tx, st, 6, a) : NULL;
        copy_hex(out->signature, sizeof(out->signature), D->col_text(st, 7));
        copy_hex(out->public_key, sizeof(out->public_key), D->col_text(st, 8));
        rc = a && !out->file ? khm_err_set(KHM_ENOMEM, "out of memory") : 0;
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ENOTFOUND, "no audit archive");
    }
    D->reset(st);
    return rc;
}

int khm_store_audit_archive_insert(khm_tx *tx, const khm_audit_archive_row *r)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_ARCHIVE_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, r->seq);
    D->bind_int64(st, 2, r->first_seq);
    D->bind_int64(st, 3, r->event_seq);
    D->bind_text(st, 4, r->event_hash);
    D->bind_int64(st, 5, r->checkpoint_seq);
    D->bind_int64(st, 6, r->ts);
    D->bind_text(st, 7, r->file ? r->file : "");
    D->bind_text(st, 8, r->signature);
    D->bind_text(st, 9, r->public_key);
    return khm_store__run(tx, st);
}

int khm_store_audit_prune(khm_tx *tx, int64_t through)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_DELETE_THROUGH, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, through);
    if ((rc = khm_store__run(tx, st)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_AUDIT_CP_DELETE_BEFORE, &st)) < 0)
        return rc;
    D->bind_int64(st, 1, through);
    return khm_store__run(tx, st);
}

int khm_store_audit_list(khm_tx *tx, khm_audit_row **out, size_t *n, int *more,
                         const khm_audit_filter *f, khm_arena *a)
{
    khm_stmt *st;
    size_t limit = f->limit ? f->limit : 100;
    if (limit > 500)
        limit = 500;
    int rc = khm_store__stmt(tx, KHM_Q_AUDIT_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, f->before_seq > 0 ? f->before_seq : INT64_MAX);
    D->bind_text(st, 2, f->actor_user);
    D->bind_text(st, 3, f->actor_user);
    D->bind_text(st, 4, f->target);
    D->bind_text(st, 5, f->target);
    D->bind_text(st, 6, f->action);
    D->bind_text(st, 7, f->action);
    D->bind_int64(st, 8, f->since);
    D->bind_int64(st, 9, f->until > 0 ? f->until : INT64_MAX);
    D->bind_int64(st, 10, (int64_t)limit + 1);
    khm_audit_row *rows = khm_arena_calloc(a, limit, sizeof(*rows));
    size_t count = 0;
    *more = 0;
    if (!rows)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    while (rc >= 0 && (rc = D->step(st)) == 1) {
        if (count == limit) {
            *more = 1;
            rc = 0;
            break;
        }
        khm_audit_row *r = &rows[count++];
        read_row(tx, st, r);
        /* the row's strings die with the next step: copy them */
        const char **s[] = { &r->actor_user, &r->actor_agency, &r->token_id, &r->action,
                             &r->target,     &r->purpose,      &r->outcome,  &r->reasons,
                             &r->request_id, &r->client };
        for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
            *s[i] = *s[i] ? khm_arena_strdup(a, *s[i]) : NULL;
    }
    D->reset(st);
    if (rc < 0)
        return rc;
    *out = rows;
    *n = count;
    return 0;
}
