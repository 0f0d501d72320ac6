/* The record of processing activities (PDPA s.39): the caller's agency's activities (list,
 * create, get, update and delete with ETag / If-Match), refusals written into an activity, the
 * completeness report and the CSV/JSON export. Validation, the items, the report and the export
 * are the library's (ropa.h); the router has decided on the caller's agency (collections,
 * khm_resolve_own_agency) or on the activity's agency (khm_resolve_ropa). */
#include "server_internal.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/ropa.h>
#include <khomun/time.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* An activity with what its JSON record shows: refusals and the agency (item 3, the DPO). */
typedef struct {
    const khm_ropa_row *row;
    khm_ropa_refusal *refusals;
    size_t nrefusals;
    const khm_agency *agency;
} full_activity;

static void write_full(khm_jw *w, const void *rec)
{
    const full_activity *f = rec;
    khm_ropa_write_json(w, f->row, f->refusals, f->nrefusals, f->agency);
}

static void write_refusal(khm_jw *w, const void *rec)
{
    khm_ropa_refusal_write_json(w, rec);
}

/* The first page (up to the largest) of an activity's refusals: a record shows them all up to
 * KHM_PAGE_MAX; the export has every one. */
static int refusals_of(khm_tx *tx, const char *id, khm_ropa_refusal **out, size_t *n, khm_arena *a)
{
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more;
    return khm_store_ropa_refusal_list(tx, out, n, &more, id, &page, a);
}

/* Reply with an activity (its refusals and agency read in @p tx), its ETag and, for 201, its
 * Location. */
static int reply_activity(khm_req *r, khm_tx *tx, unsigned status, const khm_ropa_row *row)
{
    khm_agency ag;
    full_activity f = { row, NULL, 0, &ag };
    char etag[32], loc[128];
    int rc;
    if ((rc = khm_store_agency_get(tx, &ag, row->agency_id, r->arena)) < 0 ||
        (rc = refusals_of(tx, row->id, &f.refusals, &f.nrefusals, r->arena)) < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "ropa/%s", row->id);
    khm_ropa_etag(row, etag, sizeof(etag));
    if ((rc = khm_reply_record(r, status, write_full, &f)) < 0 ||
        (rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag)) < 0)
        return rc;
    if (status == 201) {
        snprintf(loc, sizeof(loc), "/api/v1/ropa/%s", row->id);
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    }
    return rc;
}

int khm_h_ropa_list(khm_req *r)
{
    khm_page page;
    khm_ropa_row *items;
    khm_agency ag;
    size_t n;
    int more, rc;
    khm_tx *tx;
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_agency_get(tx, &ag, r->who.agency.id, r->arena);
    if (rc == 0)
        rc = khm_store_ropa_list(tx, &items, &n, &more, r->who.agency.id, &page, r->arena);
    full_activity *full = rc == 0 ? khm_arena_calloc(r->arena, n ? n : 1, sizeof(*full)) : NULL;
    if (rc == 0 && !full)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        full[i].row = &items[i];
        full[i].agency = &ag;
        rc = refusals_of(tx, items[i].id, &full[i].refusals, &full[i].nrefusals, r->arena);
    }
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    /* the cursor is the last activity's id: full_activity holds a pointer to the row, so the
     * list is written from the rows' own array (same order) */
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "items");
    khm_jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        write_full(&w, &full[i]);
    khm_jw_arr_end(&w);
    khm_jw_key(&w, "next_cursor");
    khm_jw_str(&w, more && n ? khm_page_cursor(items[n - 1].id, r->arena) : NULL);
    khm_jw_obj_end(&w);
    return khm_reply_jw(r, 200, &w, &b);
}

int khm_h_ropa_create(khm_req *r)
{
    khm_ropa_row row;
    int rc = khm_ropa_create(r->tx, &row, r->json, r->who.agency.id, r->who.user.id,
                             khm_time_now_ms(), r->arena);
    if (rc < 0)
        return rc;
    return reply_activity(r, r->tx, 201, &row);
}

int khm_h_ropa_get(khm_req *r)
{
    khm_ropa_row row;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_ropa_get(tx, &row, r->params[0], r->arena);
    if (rc == 0)
        rc = reply_activity(r, tx, 200, &row);
    khm_tx_rollback(tx);
    return rc;
}

static int if_match(khm_req *r, int64_t *version)
{
    return khm_ropa_parse_etag(
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH), version);
}

int khm_h_ropa_update(khm_req *r)
{
    khm_ropa_row row;
    int64_t version;
    int rc;
    if ((rc = if_match(r, &version)) < 0 ||
        (rc = khm_store_ropa_get(r->tx, &row, r->params[0], r->arena)) < 0 ||
        (rc = khm_ropa_update(r->tx, &row, r->json, version, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    return reply_activity(r, r->tx, 200, &row);
}

int khm_h_ropa_delete(khm_req *r)
{
    khm_ropa_row row;
    int64_t version;
    int rc;
    if ((rc = if_match(r, &version)) < 0 ||
        (rc = khm_store_ropa_get(r->tx, &row, r->params[0], r->arena)) < 0 ||
        (rc = khm_ropa_delete(r->tx, &row, version, khm_time_now_ms())) < 0)
        return rc;
    return reply_activity(r, r->tx, 200, &row);
}

int khm_h_ropa_refusal_add(khm_req *r)
{
    khm_ropa_row row;
    khm_ropa_refusal f;
    char loc[128];
    int rc;
    if ((rc = khm_store_ropa_get(r->tx, &row, r->params[0], r->arena)) < 0 ||
        (rc = khm_ropa_refusal_add(r->tx, &f, &row, r->json, r->who.user.id, khm_time_now_ms(),
                                   r->arena)) < 0)
        return rc;
    r->audit_target = khm_arena_printf(r->arena, "ropa/%s/refusal/%s", row.id, f.id);
    snprintf(loc, sizeof(loc), "/api/v1/ropa/%s", row.id);
    if ((rc = khm_reply_record(r, 201, write_refusal, &f)) == 0)
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    return rc;
}

static void write_report(khm_jw *w, const void *rec)
{
    khm_ropa_report_write_json(w, rec);
}

int khm_h_ropa_completeness(khm_req *r)
{
    khm_agency ag;
    khm_ropa_report rep;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_agency_get(tx, &ag, r->who.agency.id, r->arena);
    if (rc == 0)
        rc = khm_ropa_report_build(tx, &rep, &ag, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_record(r, 200, write_report, &rep);
}

/* Exports are built in memory: far above any agency's record of processing. */
#define EXPORT_MAX ((size_t)256 << 20)

int khm_h_ropa_export(khm_req *r)
{
    khm_ropa_format fmt;
    khm_tx *tx;
    khm_buf b = KHM_BUF_INIT(EXPORT_MAX);
    int rc;
    if ((rc = khm_ropa_format_parse(khm_req_query(r, "format"), &fmt)) < 0 ||
        (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_ropa_export(tx, &b, fmt, r->who.agency.id, khm_time_now_ms(), r->arena);
    khm_tx_rollback(tx);
    if (rc == 0)
        rc = khm_reply_bytes(
            r, 200, fmt == KHM_ROPA_EXPORT_CSV ? "text/csv; charset=utf-8" : "application/json",
            b.ptr ? b.ptr : "", b.len, 0);
    if (rc == 0) {
        const char *slug = r->who.agency.slug ? r->who.agency.slug : "agency";
        rc = khm_reply_header(r, "Content-Disposition",
                              khm_arena_printf(r->arena, "attachment; filename=\"ropa-%s.%s\"",
                                               slug, fmt == KHM_ROPA_EXPORT_CSV ? "csv" : "json"));
    }
    khm_buf_dispose(&b);
    return rc;
}
