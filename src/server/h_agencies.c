/* Agencies: list, create, get, update (ETag / If-Match). Validation and storage are the library's
 * (catalog.h). */
#include "server_internal.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stddef.h>
#include <stdio.h>

static void write_agency(khm_jw *w, const void *rec)
{
    khm_agency_write_json(w, rec);
}

int khm_h_agencies_list(khm_req *r)
{
    khm_page page;
    khm_agency *items;
    size_t n;
    int more, rc;
    khm_tx *tx;
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_agency_list(tx, &items, &n, &more, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_agency, id), more,
                          write_agency);
}

int khm_h_agencies_create(khm_req *r)
{
    khm_agency_input in;
    khm_agency ag;
    int rc;
    if ((rc = khm_agency_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_agency_create(r->tx, &ag, &in, khm_time_now_ms())) < 0)
        return rc;
    char loc[128];
    snprintf(loc, sizeof(loc), "/api/v1/agencies/%s", ag.id);
    r->audit_target = khm_arena_printf(r->arena, "agency/%s", ag.id);
    if ((rc = khm_reply_record(r, 201, write_agency, &ag)) == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    return rc;
}

int khm_h_agencies_get(khm_req *r)
{
    khm_agency ag;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_agency_get(tx, &ag, r->params[0], r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    char etag[32];
    khm_agency_etag(&ag, etag, sizeof(etag));
    if ((rc = khm_reply_record(r, 200, write_agency, &ag)) == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag);
    return rc;
}

/* PUT /api/v1/agencies/{id}: names, ministry, parent, contact and DPO, with If-Match. */
int khm_h_agencies_update(khm_req *r)
{
    khm_agency_input in;
    khm_agency ag;
    int64_t version;
    int rc;
    char etag[32];
    if ((rc = khm_agency_parse_etag(
             MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH),
             &version)) < 0 ||
        (rc = khm_agency_update_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_store_agency_get(r->tx, &ag, r->params[0], r->arena)) < 0 ||
        (rc = khm_agency_update(r->tx, &ag, &in, version, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "agency/%s", ag.id);
    khm_agency_etag(&ag, etag, sizeof(etag));
    if ((rc = khm_reply_record(r, 200, write_agency, &ag)) == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag);
    return rc;
}
