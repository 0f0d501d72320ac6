/* Typed calls for agencies, users and tokens: bind, step, copy rows into the caller's arena.
 * Lists read one row more than asked for, to tell the caller whether another page follows. */
#include "store_internal.h"

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/segment.h>

#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

/* ---- row readers ---- */

/* The columns every agency query has (id … created_at); the details are left empty. */
static int read_agency(khm_tx *tx, khm_stmt *st, int c, khm_agency *a, khm_arena *ar)
{
    memset(a, 0, sizeof(*a));
    khm_store__col_id(tx, st, c, a->id);
    a->slug = khm_store__col_dup(tx, st, c + 1, ar);
    a->name_th = khm_store__col_dup(tx, st, c + 2, ar);
    a->name_en = khm_store__col_dup(tx, st, c + 3, ar);
    a->created_at = D->col_int64(st, c + 4);
    if (!a->slug || !a->name_th)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

/* AGENCY_COLS: the first five, then ministry … updated_at (migration 6). */
static int read_agency_full(khm_tx *tx, khm_stmt *st, int c, khm_agency *a, khm_arena *ar)
{
    int rc = read_agency(tx, st, c, a, ar);
    if (rc < 0)
        return rc;
    a->ministry = khm_store__col_dup(tx, st, c + 5, ar);
    khm_store__col_id(tx, st, c + 6, a->parent_id);
    a->address = khm_store__col_dup(tx, st, c + 7, ar);
    a->phone = khm_store__col_dup(tx, st, c + 8, ar);
    a->email = khm_store__col_dup(tx, st, c + 9, ar);
    a->website = khm_store__col_dup(tx, st, c + 10, ar);
    khm_store__col_id(tx, st, c + 11, a->dpo_user);
    a->dpo_name = khm_store__col_dup(tx, st, c + 12, ar);
    a->dpo_email = khm_store__col_dup(tx, st, c + 13, ar);
    a->dpo_phone = khm_store__col_dup(tx, st, c + 14, ar);
    a->version = D->col_int64(st, c + 15);
    a->updated_at = D->col_int64(st, c + 16);
    a->privacy_notice_url = khm_store__col_dup(tx, st, c + 17, ar); /* migration 10 */
    return 0;
}

static int read_user(khm_tx *tx, khm_stmt *st, int c, khm_user *u, khm_arena *ar)
{
    khm_store__col_id(tx, st, c, u->id);
    u->name = khm_store__col_dup(tx, st, c + 1, ar);
    u->display_name = khm_store__col_dup(tx, st, c + 2, ar);
    u->email = khm_store__col_dup(tx, st, c + 3, ar);
    khm_store__col_id(tx, st, c + 4, u->agency_id);
    const char *role = D->col_text(st, c + 5);
    if (!role || khm_role_parse(role, &u->role) < 0)
        return khm_err_set(KHM_ERROR, "user %s has an unknown role in the database", u->id);
    u->clearance = (int)D->col_int64(st, c + 6);
    u->disabled = D->col_int64(st, c + 7) != 0;
    u->created_at = D->col_int64(st, c + 8);
    if (!u->name)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

static int read_token(khm_tx *tx, khm_stmt *st, int c, khm_token *t, khm_arena *ar)
{
    khm_store__col_id(tx, st, c, t->id);
    khm_store__col_id(tx, st, c + 1, t->user_id);
    t->name = khm_store__col_dup(tx, st, c + 2, ar);
    const char *h = D->col_text(st, c + 3);
    snprintf(t->hash_hex, sizeof(t->hash_hex), "%s", h ? h : "");
    t->created_at = D->col_int64(st, c + 4);
    t->expires_at = D->col_int64(st, c + 5);
    t->revoked_at = D->col_int64(st, c + 6);
    if (!t->name)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

/* ---- agencies ---- */

/* ministry … dpo_phone (10 values) from @p first, in AGENCY_COLS order. */
static void bind_agency_details(khm_tx *tx, khm_stmt *st, int first, const khm_agency *a)
{
    khm_store__bind_opt(tx, st, first, a->ministry);
    khm_store__bind_opt(tx, st, first + 1, a->parent_id);
    khm_store__bind_opt(tx, st, first + 2, a->address);
    khm_store__bind_opt(tx, st, first + 3, a->phone);
    khm_store__bind_opt(tx, st, first + 4, a->email);
    khm_store__bind_opt(tx, st, first + 5, a->website);
    khm_store__bind_opt(tx, st, first + 6, a->dpo_user);
    khm_store__bind_opt(tx, st, first + 7, a->dpo_name);
    khm_store__bind_opt(tx, st, first + 8, a->dpo_email);
    khm_store__bind_opt(tx, st, first + 9, a->dpo_phone);
}

int khm_store_agency_update(khm_tx *tx, const khm_agency *a, int64_t version, int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AGENCY_UPDATE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, a->name_th);
    khm_store__bind_opt(tx, st, 2, a->name_en);
    bind_agency_details(tx, st, 3, a); /* 3 … 12 */
    D->bind_int64(st, 13, a->updated_at);
    khm_store__bind_opt(tx, st, 14, a->privacy_notice_url);
    D->bind_text(st, 15, a->id);
    D->bind_int64(st, 16, version);
    rc = D->step(st);
    if (rc == 1 && new_version)
        *new_version = D->col_int64(st, 0);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ESTALE,
                           "agency %s is no longer at version %lld (changed meanwhile): reload it "
                           "and apply the change again",
                           a->id, (long long)version);
    if (rc < 0)
        return rc;
    /* the search index holds agency names: the agency's datasets follow a rename */
    khm_arena *ar = khm_arena_new(0);
    khm_dataset_filter f = KHM_DATASET_FILTER_INIT;
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more = 1;
    if (!ar)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    f.agency_id = a->id;
    rc = 0;
    while (rc == 0 && more) {
        khm_dataset *items;
        size_t n;
        rc = khm_store_dataset_list(tx, &items, &n, &more, &f, &page, ar);
        for (size_t k = 0; rc == 0 && k < n; k++)
            rc = khm_store__search_index(tx, items[k].id);
        if (rc == 0 && n)
            page.after = khm_arena_strdup(ar, items[n - 1].id);
        if (!n)
            break;
    }
    khm_arena_free(ar);
    return rc;
}

int khm_store_agency_insert(khm_tx *tx, const khm_agency *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AGENCY_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, a->id);
    D->bind_text(st, 2, a->slug);
    D->bind_text(st, 3, a->name_th);
    D->bind_text(st, 4, a->name_en);
    D->bind_int64(st, 5, a->created_at);
    bind_agency_details(tx, st, 6, a);
    D->bind_int64(st, 16, a->version > 0 ? a->version : 1);
    if (a->updated_at)
        D->bind_int64(st, 17, a->updated_at);
    else
        D->bind_null(st, 17);
    khm_store__bind_opt(tx, st, 18, a->privacy_notice_url);
    rc = khm_store__run(tx, st);
    if (rc == KHM_EEXISTS)
        return khm_err_set(KHM_EEXISTS, "an agency with slug '%s' already exists", a->slug);
    return rc;
}

static int rd_agency(khm_tx *tx, khm_stmt *st, void *p, khm_arena *a)
{
    return read_agency_full(tx, st, 0, p, a);
}

int khm_store_agency_get(khm_tx *tx, khm_agency *out, const char *id_or_slug, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AGENCY_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id_or_slug);
    D->bind_text(st, 2, id_or_slug);
    if ((rc = khm_store__read_one(tx, st, rd_agency, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no agency '%s'", id_or_slug);
    return rc < 0 ? rc : 0;
}

int khm_store_agency_list(khm_tx *tx, khm_agency **out, size_t *n, int *more, const khm_page *page,
                          khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AGENCY_LIST, &st);
    if (rc < 0)
        return rc;
    khm_store__bind_page(tx, st, 1, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_agency), rd_agency, (void **)out, n, more,
                                a);
}

int khm_store_agency_count(khm_tx *tx, int64_t *out)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AGENCY_COUNT, &st);
    if (rc < 0)
        return rc;
    rc = D->step(st);
    if (rc == 1) {
        *out = D->col_int64(st, 0);
        rc = 0;
    }
    D->reset(st);
    return rc;
}

/* ---- users ---- */

int khm_store_user_insert(khm_tx *tx, const khm_user *u)
{
    khm_stmt *st;
    const char *role = khm_role_name(u->role);
    if (!role)
        return khm_err_set(KHM_EINVALID, "invalid role %d", u->role);
    int rc = khm_store__stmt(tx, KHM_Q_USER_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, u->id);
    D->bind_text(st, 2, u->name);
    D->bind_text(st, 3, u->display_name);
    D->bind_text(st, 4, u->email);
    D->bind_text(st, 5, u->agency_id);
    D->bind_text(st, 6, role);
    D->bind_int64(st, 7, u->clearance);
    D->bind_int64(st, 8, u->disabled ? 1 : 0);
    D->bind_int64(st, 9, u->created_at);
    rc = khm_store__run(tx, st);
    if (rc == KHM_EEXISTS)
        return khm_err_set(KHM_EEXISTS, "a user named '%s' already exists", u->name);
    return rc;
}

static int rd_user(khm_tx *tx, khm_stmt *st, void *p, khm_arena *a)
{
    return read_user(tx, st, 0, p, a);
}

int khm_store_user_get(khm_tx *tx, khm_user *out, const char *id_or_name, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_USER_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id_or_name);
    D->bind_text(st, 2, id_or_name);
    if ((rc = khm_store__read_one(tx, st, rd_user, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no user '%s'", id_or_name);
    return rc < 0 ? rc : 0;
}

int khm_store_user_list(khm_tx *tx, khm_user **out, size_t *n, int *more, const char *agency_id,
                        const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, agency_id ? KHM_Q_USER_LIST_AGENCY : KHM_Q_USER_LIST, &st);
    if (rc < 0)
        return rc;
    if (agency_id)
        D->bind_text(st, 1, agency_id);
    khm_store__bind_page(tx, st, agency_id ? 2 : 1, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_user), rd_user, (void **)out, n, more, a);
}

int khm_store_user_set_disabled(khm_tx *tx, const char *id, int disabled)
{
    khm_stmt *st;
    khm_tx_touch_epoch(tx); /* every token of this user changes meaning */
    int rc = khm_store__stmt(tx, KHM_Q_USER_SET_DISABLED, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, disabled ? 1 : 0);
    D->bind_text(st, 2, id);
    rc = D->step(st);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ENOTFOUND, "no user '%s'", id);
    return rc < 0 ? rc : 0;
}

/* ---- tokens ---- */

int khm_store_token_insert(khm_tx *tx, const khm_token *t)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_TOKEN_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, t->id);
    D->bind_text(st, 2, t->user_id);
    D->bind_text(st, 3, t->name);
    D->bind_text(st, 4, t->hash_hex);
    D->bind_int64(st, 5, t->created_at);
    if (t->expires_at)
        D->bind_int64(st, 6, t->expires_at);
    else
        D->bind_null(st, 6);
    if (t->revoked_at)
        D->bind_int64(st, 7, t->revoked_at);
    else
        D->bind_null(st, 7);
    return khm_store__run(tx, st);
}

static int rd_token(khm_tx *tx, khm_stmt *st, void *p, khm_arena *a)
{
    return read_token(tx, st, 0, p, a);
}

int khm_store_token_get(khm_tx *tx, khm_token *out, const char *id, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_TOKEN_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id);
    if ((rc = khm_store__read_one(tx, st, rd_token, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no token '%s'", id);
    return rc < 0 ? rc : 0;
}

int khm_store_token_list(khm_tx *tx, khm_token **out, size_t *n, int *more, const char *user_id,
                         const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, user_id ? KHM_Q_TOKEN_LIST_USER : KHM_Q_TOKEN_LIST, &st);
    if (rc < 0)
        return rc;
    if (user_id)
        D->bind_text(st, 1, user_id);
    khm_store__bind_page(tx, st, user_id ? 2 : 1, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_token), rd_token, (void **)out, n, more,
                                a);
}

int khm_store_token_revoke(khm_tx *tx, const char *id, int64_t at)
{
    khm_stmt *st;
    khm_tx_touch_epoch(tx); /* caches of authenticated tokens must drop it */
    int rc = khm_store__stmt(tx, KHM_Q_TOKEN_REVOKE, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, at);
    D->bind_text(st, 2, id);
    rc = D->step(st);
    D->reset(st);
    if (rc == 0)
        return khm_err_set(KHM_ENOTFOUND, "no token '%s'", id);
    return rc < 0 ? rc : 0;
}

int khm_store_token_principal(khm_tx *tx, const char *hash_hex, khm_token *tok, khm_user *user,
                              khm_agency *agency, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_TOKEN_PRINCIPAL, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, hash_hex);
    rc = D->step(st);
    if (rc == 1) {
        if ((rc = read_token(tx, st, 0, tok, a)) == 0 && (rc = read_user(tx, st, 7, user, a)) == 0)
            rc = read_agency(tx, st, 16, agency, a);
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ENOTFOUND, "unknown token");
    }
    D->reset(st);
    return rc;
}

/* ---- datasets ---- */

#include <khomun/policy.h>

static int parse_or_none(const char *s, int (*parse)(const char *, int *), int *out)
{
    *out = -1;
    if (!s)
        return 0;
    return parse(s, out) < 0 ? khm_err_set(KHM_ERROR, "stored value '%s' is not known", s) : 0;
}

int khm_store__read_dataset(khm_tx *tx, khm_stmt *st, int c, khm_dataset *d, khm_arena *ar)
{
    khm_store__col_id(tx, st, c, d->id);
    d->slug = khm_store__col_dup(tx, st, c + 1, ar);
    khm_store__col_id(tx, st, c + 2, d->agency_id);
    d->title = khm_store__col_dup(tx, st, c + 3, ar);
    d->title_en = khm_store__col_dup(tx, st, c + 4, ar);
    d->data_type = khm_store__col_dup(tx, st, c + 5, ar);
    if (parse_or_none(D->col_text(st, c + 6), khm_category_parse, &d->category) < 0 ||
        parse_or_none(D->col_text(st, c + 7), khm_level_parse, &d->level) < 0)
        return KHM_ERROR;
    d->confirmed = D->col_int64(st, c + 8) != 0;
    d->cia = khm_store__col_dup(tx, st, c + 9, ar);
    d->personal = D->col_int64(st, c + 10) != 0;
    d->sensitive = D->col_int64(st, c + 11) != 0;
    d->metadata = khm_store__col_dup(tx, st, c + 12, ar);
    d->version = D->col_int64(st, c + 13);
    khm_store__col_id(tx, st, c + 14, d->owner_user);
    khm_store__col_id(tx, st, c + 15, d->created_by);
    d->created_at = D->col_int64(st, c + 16);
    d->updated_at = D->col_int64(st, c + 17);
    d->archived_at = D->col_int64(st, c + 18);
    d->quality_score = D->col_is_null(st, c + 19) ? -1 : (int)D->col_int64(st, c + 19);
    d->quality_at = D->col_int64(st, c + 20);
    if (!d->slug || !d->title || !d->data_type || !d->metadata)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

/* A category or level column: its name, or NULL for none (-1). */
_Static_assert(KHM_CAT__COUNT <= KHM_DATASET_FENCE_CATS, "a fence holds every category");

static const char *cat_col(int c)
{
    return c >= 0 ? khm_category_name(c) : NULL;
}

static const char *lev_col(int l)
{
    return l >= 0 ? khm_level_name(l) : NULL;
}

int khm_store_dataset_insert(khm_tx *tx, const khm_dataset *d)
{
    return khm_store_dataset_insert_parsed(tx, d, NULL);
}

int khm_store_dataset_insert_parsed(khm_tx *tx, const khm_dataset *d, const struct json_t *meta)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, d->id);
    D->bind_text(st, 2, d->slug);
    D->bind_text(st, 3, d->agency_id);
    D->bind_text(st, 4, d->title);
    khm_store__bind_opt(tx, st, 5, d->title_en);
    D->bind_text(st, 6, d->data_type);
    khm_store__bind_opt(tx, st, 7, cat_col(d->category));
    khm_store__bind_opt(tx, st, 8, lev_col(d->level));
    D->bind_int64(st, 9, d->confirmed);
    khm_store__bind_opt(tx, st, 10, d->cia);
    D->bind_int64(st, 11, d->personal);
    D->bind_int64(st, 12, d->sensitive);
    D->bind_text(st, 13, d->metadata);
    D->bind_int64(st, 14, d->version);
    khm_store__bind_opt(tx, st, 15, d->owner_user);
    khm_store__bind_opt(tx, st, 16, d->created_by);
    D->bind_int64(st, 17, d->created_at);
    D->bind_int64(st, 18, d->updated_at);
    if (d->archived_at)
        D->bind_int64(st, 19, d->archived_at);
    else
        D->bind_null(st, 19);
    rc = khm_store__run(tx, st);
    if (rc == KHM_EEXISTS)
        return khm_err_set(KHM_EEXISTS, "a dataset named '%s' already exists", d->slug);
    return rc < 0 ? rc : khm_store__search_index_new(tx, d, meta);
}

static int rd_dataset(khm_tx *tx, khm_stmt *st, void *p, khm_arena *a)
{
    return khm_store__read_dataset(tx, st, 0, p, a);
}

int khm_store_dataset_get(khm_tx *tx, khm_dataset *out, const char *id_or_slug, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id_or_slug);
    D->bind_text(st, 2, id_or_slug);
    if ((rc = khm_store__read_one(tx, st, rd_dataset, out, a)) == 0)
        return khm_err_set(KHM_ENOTFOUND, "no dataset '%s'", id_or_slug);
    return rc < 0 ? rc : 0;
}

int khm_store_dataset_names_taken(khm_tx *tx, const char *names,
                                  int (*fn)(const char *slug, void *payload), void *payload)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_TAKEN, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, names);
    while ((rc = D->step(st)) == 1) {
        const char *slug = D->col_text(st, 0);
        if (slug && (rc = fn(slug, payload)) != 0)
            break;
    }
    D->reset(st);
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
                           "dataset %s is no longer at version %lld (changed or archived "
                           "meanwhile): reload it and apply the change again",
                           id, (long long)version);
    return rc < 0 ? rc : 0;
}

int khm_store_dataset_update(khm_tx *tx, const khm_dataset *d, int64_t version,
                             int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_UPDATE, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, d->title);
    khm_store__bind_opt(tx, st, 2, d->title_en);
    D->bind_text(st, 3, d->data_type);
    D->bind_text(st, 4, d->metadata);
    khm_store__bind_opt(tx, st, 5, d->owner_user);
    khm_store__bind_opt(tx, st, 6, cat_col(d->category));
    khm_store__bind_opt(tx, st, 7, lev_col(d->level));
    D->bind_int64(st, 8, d->confirmed);
    D->bind_int64(st, 9, d->updated_at);
    D->bind_text(st, 10, d->id);
    D->bind_int64(st, 11, version);
    if ((rc = run_versioned(tx, st, d->id, version, new_version)) < 0)
        return rc;
    return khm_store__search_index(tx, d->id);
}

int khm_store_dataset_classify(khm_tx *tx, const khm_dataset *d, int64_t version,
                               int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_CLASSIFY, &st);
    if (rc < 0)
        return rc;
    khm_store__bind_opt(tx, st, 1, cat_col(d->category));
    khm_store__bind_opt(tx, st, 2, lev_col(d->level));
    khm_store__bind_opt(tx, st, 3, d->cia);
    D->bind_int64(st, 4, d->confirmed);
    D->bind_int64(st, 5, d->personal);
    D->bind_int64(st, 6, d->sensitive);
    D->bind_int64(st, 7, d->updated_at);
    D->bind_text(st, 8, d->id);
    D->bind_int64(st, 9, version);
    if ((rc = run_versioned(tx, st, d->id, version, new_version)) < 0)
        return rc;
    return khm_store__search_index(tx, d->id); /* (no searched text changes today) */
}

int khm_store_dataset_archive(khm_tx *tx, const char *id, int64_t version, int64_t at,
                              int64_t *new_version)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_ARCHIVE, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, at);
    D->bind_int64(st, 2, at);
    D->bind_text(st, 3, id);
    D->bind_int64(st, 4, version);
    if ((rc = run_versioned(tx, st, id, version, new_version)) < 0)
        return rc;
    return khm_store__search_index(tx, id); /* archived: leaves the index */
}

int khm_store__bind_dataset_filter(khm_tx *tx, khm_stmt *st, int first, const khm_dataset_filter *f)
{
    const char *v[4] = { f->agency_id, cat_col(f->category), lev_col(f->level), f->data_type };
    char tag[KHM_TAG_FOLD_MAX];
    for (int k = 0; k < 4; k++) {
        if ((f->category >= 0 && k == 1 && !v[1]) || (f->level >= 0 && k == 2 && !v[2]))
            return khm_err_set(KHM_EINVALID, "filter value out of range");
        khm_store__bind_opt(tx, st, first + 2 * k, v[k]);
        khm_store__bind_opt(tx, st, first + 2 * k + 1, v[k]);
    }
    int has_tag = f->tag && *f->tag;
    if (has_tag && khm_store__tag_fold(f->tag, tag) < 0)
        return KHM_EINVALID;
    khm_store__bind_opt(tx, st, first + 13, has_tag ? tag : NULL);
    khm_store__bind_opt(tx, st, first + 14, has_tag ? tag : NULL);
    D->bind_int64(st, first + 8, f->personal < 0 ? -1 : f->personal != 0);
    D->bind_int64(st, first + 9, f->personal < 0 ? -1 : f->personal != 0);
    /* the fence: the (category, level) pairs another agency's rows may be read in, as
     * "|category/level|…" in the stored names (KHM_SQL_DATASET_FILTER matches a row's pair in
     * it; "_" in a name matches any character there: a wider fence, never a narrower one) */
    char pairs[512];
    size_t len = 0;
    pairs[0] = '\0';
    if (f->fence_agency) {
        pairs[len++] = '|';
        pairs[len] = '\0';
        for (int c = 0; c < KHM_CAT__COUNT && c < KHM_DATASET_FENCE_CATS; c++)
            for (int l = 0; l < KHM_LEVEL__COUNT; l++) {
                if (!(f->fence_levels[c] & (1u << l)))
                    continue;
                int w =
                    snprintf(pairs + len, sizeof(pairs) - len, "%s/%s|", cat_col(c), lev_col(l));
                if (w < 0 || (size_t)w >= sizeof(pairs) - len)
                    return khm_err_set(KHM_ERROR, "dataset filter: fence too long");
                len += (size_t)w;
            }
    }
    khm_store__bind_opt(tx, st, first + 10, f->fence_agency ? pairs : NULL);
    if (f->fence_agency)
        D->bind_text(st, first + 11, f->fence_agency);
    else
        D->bind_null(st, first + 11);
    khm_store__bind_opt(tx, st, first + 12, f->fence_agency ? pairs : NULL);
    return 0;
}

int khm_store_dataset_list(khm_tx *tx, khm_dataset **out, size_t *n, int *more,
                           const khm_dataset_filter *f, const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    const khm_dataset_filter none = KHM_DATASET_FILTER_INIT;
    if (!f)
        f = &none;
    const char *agency_id = f->agency_id && *f->agency_id ? f->agency_id : NULL;
    int filtered = f->category >= 0 || f->level >= 0 || (f->data_type && *f->data_type) ||
                   (f->tag && *f->tag) || f->personal >= 0;
    khm_qid q = filtered    ? KHM_Q_DATASET_LIST_FILTER
                : agency_id ? KHM_Q_DATASET_LIST_AGENCY
                            : KHM_Q_DATASET_LIST;
    int rc = khm_store__stmt(tx, q, &st), next = 1;
    if (rc < 0)
        return rc;
    if (filtered) {
        if ((rc = khm_store__bind_dataset_filter(tx, st, 1, f)) < 0) {
            D->reset(st);
            return rc;
        }
        next = 1 + KHM_SQL_DATASET_FILTER_PARAMS;
    } else if (agency_id) {
        D->bind_text(st, 1, agency_id);
        next = 2;
    }
    khm_store__bind_page(tx, st, next, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_dataset), rd_dataset, (void **)out, n,
                                more, a);
}

int khm_store_dataset_class_insert(khm_tx *tx, const khm_dataset_class *c)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_CLASS_INSERT, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, c->id);
    D->bind_text(st, 2, c->dataset_id);
    D->bind_int64(st, 3, c->ts);
    khm_store__bind_opt(tx, st, 4, c->actor_user);
    D->bind_text(st, 5, c->kind);
    khm_store__bind_opt(tx, st, 6, cat_col(c->from_category));
    khm_store__bind_opt(tx, st, 7, lev_col(c->from_level));
    khm_store__bind_opt(tx, st, 8, cat_col(c->to_category));
    khm_store__bind_opt(tx, st, 9, lev_col(c->to_level));
    khm_store__bind_opt(tx, st, 10, c->cia);
    khm_store__bind_opt(tx, st, 11, c->reason);
    return khm_store__run(tx, st);
}

static int rd_dataset_class(khm_tx *tx, khm_stmt *st, void *p, khm_arena *ar)
{
    khm_dataset_class *e = p;
    khm_store__col_id(tx, st, 0, e->id);
    khm_store__col_id(tx, st, 1, e->dataset_id);
    e->ts = D->col_int64(st, 2);
    khm_store__col_id(tx, st, 3, e->actor_user);
    e->kind = khm_store__col_dup(tx, st, 4, ar);
    if (parse_or_none(D->col_text(st, 5), khm_category_parse, &e->from_category) < 0 ||
        parse_or_none(D->col_text(st, 6), khm_level_parse, &e->from_level) < 0 ||
        parse_or_none(D->col_text(st, 7), khm_category_parse, &e->to_category) < 0 ||
        parse_or_none(D->col_text(st, 8), khm_level_parse, &e->to_level) < 0)
        return KHM_ERROR;
    e->cia = khm_store__col_dup(tx, st, 9, ar);
    e->reason = khm_store__col_dup(tx, st, 10, ar);
    return e->kind ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_store_dataset_class_list(khm_tx *tx, khm_dataset_class **out, size_t *n, int *more,
                                 const char *dataset_id, const khm_page *page, khm_arena *a)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_DATASET_CLASS_LIST, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, dataset_id);
    khm_store__bind_page(tx, st, 2, page);
    return khm_store__read_page(tx, st, page, sizeof(khm_dataset_class), rd_dataset_class,
                                (void **)out, n, more, a);
}
