/* Users: list (optionally by agency), create, get, disable and enable. Disabling a user makes
 * every token of theirs fail from the next request on (khm_auth_bearer checks it). */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/time.h>

#include <stddef.h>
#include <stdio.h>

static void write_user(khm_jw *w, const void *rec)
{
    khm_user_write_json(w, rec);
}

int khm_h_users_list(khm_req *r)
{
    khm_page page;
    khm_user *items;
    khm_agency ag;
    size_t n;
    int more, rc;
    khm_tx *tx;
    const char *agency = khm_req_query(r, "agency");
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    if (agency && (rc = khm_store_agency_get(tx, &ag, agency, r->arena)) < 0) {
        khm_tx_rollback(tx);
        if (rc == KHM_ENOTFOUND)
            return khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", agency);
        return rc;
    }
    rc = khm_store_user_list(tx, &items, &n, &more, agency ? ag.id : NULL, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_user, id), more, write_user);
}

int khm_h_users_create(khm_req *r)
{
    khm_user_input in;
    khm_user u;
    int rc;
    if ((rc = khm_user_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_user_create(r->tx, &u, &in, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    char loc[128];
    snprintf(loc, sizeof(loc), "/api/v1/users/%s", u.id);
    r->audit_target = khm_arena_printf(r->arena, "user/%s", u.id);
    if ((rc = khm_reply_record(r, 201, write_user, &u)) == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    return rc;
}

int khm_h_users_get(khm_req *r)
{
    khm_user u;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_user_get(tx, &u, r->params[0], r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_record(r, 200, write_user, &u);
}

static int set_disabled(khm_req *r, int disabled)
{
    khm_user u;
    int rc;
    if ((rc = khm_store_user_get(r->tx, &u, r->params[0], r->arena)) < 0 ||
        (rc = khm_store_user_set_disabled(r->tx, u.id, disabled)) < 0)
        return rc;
    u.disabled = disabled;
    r->audit_target = khm_arena_printf(r->arena, "user/%s", u.id);
    return khm_reply_record(r, 200, write_user, &u);
}

int khm_h_users_disable(khm_req *r)
{
    return set_disabled(r, 1);
}

int khm_h_users_enable(khm_req *r)
{
    return set_disabled(r, 0);
}
