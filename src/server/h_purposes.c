/* Purposes of the caller's agency: list, create, get, update (ETag / If-Match). Validation,
 * the PDPA rules and storage are the library's (pdpa.h); the router decided on the caller's
 * agency (collection) or on the purpose as stored (khm_resolve_purpose). */
#include "server_internal.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/pdpa.h>
#include <khomun/time.h>

#include <stddef.h>
#include <stdio.h>

static void write_purpose(khm_jw *w, const void *rec)
{
    khm_purpose_write_json(w, rec);
}

static int reply_purpose(khm_req *r, unsigned status, const khm_purpose_rec *p)
{
    char etag[32], loc[160];
    int rc;
    khm_purpose_etag(p, etag, sizeof(etag));
    r->audit_target = khm_arena_printf(r->arena, "purpose/%s", p->id);
    if ((rc = khm_reply_record(r, status, write_purpose, p)) < 0 ||
        (rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag)) < 0)
        return rc;
    if (status == 201) {
        snprintf(loc, sizeof(loc), "/api/v1/purposes/%s", p->id);
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    }
    return rc;
}

int khm_h_purposes_list(khm_req *r)
{
    khm_page page;
    khm_tx *tx;
    khm_purpose_rec *items;
    size_t n;
    int more, rc;
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_purpose_list(tx, &items, &n, &more, r->who.agency.id, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_purpose_rec, id), more,
                          write_purpose);
}

int khm_h_purposes_create(khm_req *r)
{
    khm_purpose_input in;
    khm_purpose_rec p;
    int rc;
    if ((rc = khm_purpose_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_purpose_create(r->tx, &p, &in, r->who.agency.id, r->who.user.id,
                                 khm_time_now_ms(), r->arena)) < 0)
        return rc;
    return reply_purpose(r, 201, &p);
}

int khm_h_purposes_get(khm_req *r)
{
    khm_purpose_rec p;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = khm_store_purpose_get(tx, &p, r->who.agency.id, r->params[0], r->arena);
    khm_tx_rollback(tx);
    return rc < 0 ? rc : reply_purpose(r, 200, &p);
}

int khm_h_purposes_update(khm_req *r)
{
    khm_purpose_input in;
    khm_purpose_rec p;
    int64_t version;
    int rc;
    if ((rc = khm_dataset_parse_etag(
             MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH),
             &version)) < 0 ||
        (rc = khm_purpose_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_store_purpose_get(r->tx, &p, r->who.agency.id, r->params[0], r->arena)) < 0 ||
        (rc = khm_purpose_update(r->tx, &p, &in, version, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    return reply_purpose(r, 200, &p);
}

/* DELETE /api/v1/purposes/{id} (If-Match): retire the purpose; it stays on record. */
int khm_h_purposes_retire(khm_req *r)
{
    khm_purpose_rec p;
    int64_t version;
    int rc;
    if ((rc = khm_dataset_parse_etag(
             MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH),
             &version)) < 0 ||
        (rc = khm_store_purpose_get(r->tx, &p, r->who.agency.id, r->params[0], r->arena)) < 0 ||
        (rc = khm_purpose_retire(r->tx, &p, version, khm_time_now_ms())) < 0)
        return rc;
    return reply_purpose(r, 200, &p);
}
