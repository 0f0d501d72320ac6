/* Tokens: list (optionally by user), create (the secret is in this one response only), get,
 * revoke. Revocation is idempotent and takes effect on the next request. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/rand.h>
#include <khomun/time.h>

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct created {
    const khm_token *t;
    const char *secret;
};

static void write_token(khm_jw *w, const void *rec)
{
    khm_token_write_json(w, rec, NULL);
}

/* The create response carries the secret, in this one response only. */
static void write_created(khm_jw *w, const void *rec)
{
    const struct created *c = rec;
    khm_token_write_json(w, c->t, c->secret);
}

int khm_h_tokens_list(khm_req *r)
{
    khm_page page;
    khm_token *items;
    khm_user u;
    size_t n;
    int more, rc;
    khm_tx *tx;
    const char *user = khm_req_query(r, "user");
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    if (user && (rc = khm_store_user_get(tx, &u, user, r->arena)) < 0) {
        khm_tx_rollback(tx);
        if (rc == KHM_ENOTFOUND)
            return khm_err_field("user", "ไม่พบผู้ใช้นี้", "unknown user '%s'", user);
        return rc;
    }
    rc = khm_store_token_list(tx, &items, &n, &more, user ? u.id : NULL, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_token, id), more, write_token);
}

int khm_h_tokens_create(khm_req *r)
{
    khm_token_input in;
    khm_token t;
    char secret[KHM_TOKEN_STR_LEN];
    int rc;
    if ((rc = khm_token_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_token_create(r->tx, &t, secret, &in, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    struct created c = { &t, secret };
    rc = khm_reply_record(r, 201, write_created, &c);
    sodium_memzero(secret, sizeof(secret));
    char loc[128];
    snprintf(loc, sizeof(loc), "/api/v1/tokens/%s", t.id);
    r->audit_target = khm_arena_printf(r->arena, "token/%s", t.id);
    if (rc == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    return rc;
}

int khm_h_tokens_get(khm_req *r)
{
    khm_token t;
    khm_tx *tx;
    int rc;
    if (!khm_id_valid(r->params[0], strlen(r->params[0])))
        return khm_err_set(KHM_ENOTFOUND, "no token '%s'", r->params[0]);
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_token_get(tx, &t, r->params[0], r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_record(r, 200, write_token, &t);
}

int khm_h_tokens_revoke(khm_req *r)
{
    khm_token t;
    int rc;
    if (!khm_id_valid(r->params[0], strlen(r->params[0])))
        return khm_err_set(KHM_ENOTFOUND, "no token '%s'", r->params[0]);
    if ((rc = khm_store_token_revoke(r->tx, r->params[0], khm_time_now_ms())) < 0 ||
        (rc = khm_store_token_get(r->tx, &t, r->params[0], r->arena)) < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "token/%s", t.id);
    return khm_reply_record(r, 200, write_token, &t);
}
