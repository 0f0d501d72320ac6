/* Data-subject requests (PDPA s.30-36, s.19): list with the clocks' filters, register, read with
 * the history, transition, append a note. Validation, the workflow and the clocks are the
 * library's (request.h); the router has decided on the caller's agency (collections) or on the
 * request as stored (khm_resolve_request). The subject's identifier arrives in the body and only
 * its token leaves the library: nothing here logs the body. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/request.h>
#include <khomun/time.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const khm_dsr *r;
    const khm_dsr_event *history;
    size_t n;
    int64_t now;
} dsr_view;

static void write_view(khm_jw *w, const void *rec)
{
    const dsr_view *v = rec;
    khm_dsr_write_json(w, v->r, v->history, v->n, v->now);
}

static _Thread_local int64_t tl_now;

static void write_row(khm_jw *w, const void *rec)
{
    khm_dsr_write_json(w, rec, NULL, 0, tl_now);
}

/* Reply with the request and its history, read in @p tx. */
static int reply_request(khm_req *r, khm_tx *tx, unsigned status, const khm_dsr *d)
{
    khm_dsr_event *ev = NULL;
    size_t n = 0;
    char loc[160];
    int rc = khm_store_dsr_event_list(tx, &ev, &n, d->id, r->arena);
    if (rc < 0)
        return rc;
    dsr_view v = { d, ev, n, khm_time_now_ms() };
    r->audit_target = khm_arena_printf(r->arena, "request/%s", d->id);
    if ((rc = khm_reply_record(r, status, write_view, &v)) < 0)
        return rc;
    if (status == 201) {
        snprintf(loc, sizeof(loc), "/api/v1/requests/%s", d->id);
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    }
    return rc;
}

int khm_h_requests_create(khm_req *r)
{
    khm_dsr_input in;
    khm_dsr d;
    int rc;
    if ((rc = khm_dsr_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_dsr_create(r->tx, &d, &in, &r->srv->keys, r->who.agency.id, r->who.user.id,
                             khm_time_now_ms(), r->arena)) < 0)
        return rc;
    return reply_request(r, r->tx, 201, &d);
}

int khm_h_requests_get(khm_req *r)
{
    khm_dsr d;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    if ((rc = khm_store_dsr_get(tx, &d, r->params[0], r->arena)) == 0)
        rc = reply_request(r, tx, 200, &d);
    khm_tx_rollback(tx);
    return rc;
}

int khm_h_requests_list(khm_req *r)
{
    khm_page page;
    khm_dsr_filter f = { r->who.agency.id, -1, 0, 0, 0 };
    const char *status = khm_req_query(r, "status"), *overdue = khm_req_query(r, "overdue");
    const char *soon = khm_req_query(r, "due_soon"), *within = khm_req_query(r, "due_within");
    int64_t now = khm_time_now_ms(), window = (int64_t)KHM_DSR_DUE_SOON_DAYS * 86400000;
    int rc;

    if ((rc = khm_req_page(r, &page)) < 0)
        return rc;
    if (status && (f.status = khm_dsr_status_parse(status)) < 0)
        return khm_err_field("status",
                             "สถานะต้องเป็น received, verified, in_progress, fulfilled หรือ refused",
                             "unknown status '%s'", status);
    if (overdue && strcmp(overdue, "1") != 0 && strcmp(overdue, "true") != 0)
        return khm_err_field("overdue", "ใช้ overdue=1", "must be 1 or true");
    if (soon && strcmp(soon, "1") != 0 && strcmp(soon, "true") != 0)
        return khm_err_field("due_soon", "ใช้ due_soon=1", "must be 1 or true");
    if (within && khm_dsr_parse_window(within, &window, "due_within") < 0)
        return KHM_EINVALID;
    if (overdue && (soon || within))
        return khm_err_field("overdue", "ใช้ overdue กับ due_within พร้อมกันไม่ได้",
                             "overdue and due_soon/due_within exclude each other");
    if (overdue)
        khm_dsr_filter_overdue(&f, now);
    else if (soon || within) {
        khm_dsr_filter_due_soon(&f, now, 0);
        f.due_to = now + window;
    }
    khm_tx *tx;
    khm_dsr *items;
    size_t n;
    int more;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_dsr_list(tx, &items, &n, &more, &f, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    tl_now = now;
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_dsr, id), more, write_row);
}

int khm_h_requests_transition(khm_req *r)
{
    khm_dsr_transition_input in;
    khm_dsr d;
    int rc;
    if ((rc = khm_dsr_transition_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_store_dsr_get(r->tx, &d, r->params[0], r->arena)) < 0 ||
        (rc = khm_dsr_transition(r->tx, &d, &in, r->who.user.id, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    return reply_request(r, r->tx, 200, &d);
}

static const khm_json_field note_fields[] = {
    { "text", KHM_JSON_STRING, 1, 4000, "บันทึก", 0 },
    { NULL },
};

int khm_h_requests_note(khm_req *r)
{
    khm_dsr d;
    int rc;
    if ((rc = khm_json_check(r->json, note_fields)) < 0 ||
        (rc = khm_store_dsr_get(r->tx, &d, r->params[0], r->arena)) < 0 ||
        (rc = khm_dsr_note(r->tx, &d, khm_json_str(r->json, "text"), r->who.user.id,
                           khm_time_now_ms())) < 0)
        return rc;
    return reply_request(r, r->tx, 201, &d);
}

static const khm_json_field discover_fields[] = {
    { "subject", KHM_JSON_STRING, 1, 320, "ตัวระบุเจ้าของข้อมูล", 0 },
    { "subject_kind", KHM_JSON_STRING, 0, 32, "ชนิดของตัวระบุ", 0 },
    { NULL },
};

/* POST /api/v1/requests/{id}/discover: the caller gives the subject's identifier again (only its
 * token is stored); it must be the request's subject. Every registered file of the agency is
 * scanned for it, and the result becomes the request's access package. */
int khm_h_requests_discover(khm_req *r)
{
    khm_dsr d;
    int rc;
    if ((rc = khm_json_check(r->json, discover_fields)) < 0 ||
        (rc = khm_store_dsr_get(r->tx, &d, r->params[0], r->arena)) < 0)
        return rc;
    khm_buf b = KHM_BUF_INIT(KHM_DSR_PACKAGE_MAX);
    if ((rc = khm_dsr_discover_request(
             r->tx, &r->srv->keys, r->srv->opts.data_dir, &d, khm_json_str(r->json, "subject_kind"),
             khm_json_str(r->json, "subject"), khm_time_now_ms(), &b, r->arena)) == 0)
        rc = khm_reply_bytes(r, 200, "application/json", b.ptr, b.len, 0);
    khm_buf_dispose(&b);
    return rc;
}

/* GET /api/v1/requests/{id}/package?format=json|csv: the access package the last discovery
 * kept, for the DPO to hand to the subject (s.30). */
int khm_h_requests_package(khm_req *r)
{
    khm_dsr d;
    khm_tx *tx;
    const char *fmt = khm_req_query(r, "format");
    int csv, rc;
    khm_buf b = KHM_BUF_INIT(KHM_DSR_PACKAGE_MAX);
    if ((rc = khm_dsr_package_render(&b, NULL, 0, fmt, "format", &csv)) < 0 ||
        (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_dsr_get(tx, &d, r->params[0], r->arena);
    khm_tx_rollback(tx);
    if (rc == 0 && !d.package)
        rc = khm_err_set(KHM_ENOTFOUND,
                         "request %s has no access package yet: run POST "
                         "/api/v1/requests/%s/discover first (ยังไม่มีชุดข้อมูลตอบคำขอ)",
                         d.id, d.id);
    if (rc == 0)
        rc = khm_dsr_package_render(&b, d.package, strlen(d.package), fmt, "format", &csv);
    if (rc == 0)
        rc = khm_reply_bytes(r, 200, csv ? "text/csv; charset=utf-8" : "application/json",
                             b.ptr ? b.ptr : "", b.len, 0);
    if (rc == 0)
        rc = khm_reply_header(r, "Content-Disposition",
                              khm_arena_printf(r->arena,
                                               "attachment; filename=\"access-package-%s.%s\"",
                                               d.id, csv ? "csv" : "json"));
    khm_buf_dispose(&b);
    return rc;
}
