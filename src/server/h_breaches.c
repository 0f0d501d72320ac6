/* The breach register (PDPA s.37(4)): list (open ones with the time left to notify the Office,
 * computed at read time), report, read with the actions, change with optimistic concurrency
 * (ETag / If-Match, as datasets), add an action, record the Office's and the subjects'
 * notification, close. The rules are the library's (breach.h); the router decided on the
 * caller's agency (collections) or on the breach as stored (khm_resolve_breach).
 *
 * One thing the route table cannot say: "write" on a breach covers both reporting it and managing
 * it, and the default policy gives staff "write" so that anyone who handles data can report a
 * breach the hour it is found (rule breach-report-by-staff). Changing the assessment, recording
 * notifications and closing are the DPO's (s.41-42): when the route's decision was made by that
 * rule, those handlers refuse (403, naming the rule). docs/policy.md. */
#include "server_internal.h"

#include <khomun/breach.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define STAFF_RULE "breach-report-by-staff"

typedef struct {
    const khm_breach *b;
    const khm_breach_action *actions;
    size_t n;
    int64_t now;
} breach_view;

static void write_view(khm_jw *w, const void *rec)
{
    const breach_view *v = rec;
    khm_breach_write_json(w, v->b, v->actions, v->n, v->now);
}

static _Thread_local int64_t tl_now;

static void write_row(khm_jw *w, const void *rec)
{
    khm_breach_write_json(w, rec, NULL, 0, tl_now);
}

static int reply_breach(khm_req *r, khm_tx *tx, unsigned status, const khm_breach *b)
{
    khm_breach_action *acts = NULL;
    size_t n = 0;
    char etag[32], loc[160];
    int rc = khm_store_breach_action_list(tx, &acts, &n, b->id, r->arena);
    if (rc < 0)
        return rc;
    breach_view v = { b, acts, n, khm_time_now_ms() };
    khm_breach_etag(b, etag, sizeof(etag));
    r->audit_target = khm_arena_printf(r->arena, "breach/%s", b->id);
    if ((rc = khm_reply_record(r, status, write_view, &v)) < 0 ||
        (rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag)) < 0)
        return rc;
    if (status == 201) {
        snprintf(loc, sizeof(loc), "/api/v1/breaches/%s", b->id);
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    }
    return rc;
}

/* Managing a breach is refused to callers whose only grant is the reporting rule. */
static int manager_only(khm_req *r, const char *what)
{
    if (r->decision.rule && strcmp(r->decision.rule, STAFF_RULE) == 0)
        return khm_err_set(KHM_EDENIED,
                           "write breach is not allowed for the role '%s': %s is the DPO's; staff "
                           "may report a breach and add actions only (rule %s, policy %s)",
                           khm_role_name(r->who.user.role), what, STAFF_RULE,
                           r->decision.policy_version);
    return 0;
}

int khm_h_breaches_create(khm_req *r)
{
    khm_breach_input in;
    khm_breach b;
    int rc;
    if ((rc = khm_breach_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_breach_create(r->tx, &b, &in, r->who.agency.id, r->who.user.id, khm_time_now_ms(),
                                r->arena)) < 0)
        return rc;
    return reply_breach(r, r->tx, 201, &b);
}

int khm_h_breaches_get(khm_req *r)
{
    khm_breach b;
    khm_tx *tx;
    int rc;
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    if ((rc = khm_store_breach_get(tx, &b, r->params[0], r->arena)) == 0)
        rc = reply_breach(r, tx, 200, &b);
    khm_tx_rollback(tx);
    return rc;
}

int khm_h_breaches_list(khm_req *r)
{
    khm_page page;
    const char *open = khm_req_query(r, "open");
    int rc, more;
    khm_tx *tx;
    khm_breach *items;
    size_t n;
    if ((rc = khm_req_page(r, &page)) < 0)
        return rc;
    if (open && strcmp(open, "1") != 0 && strcmp(open, "true") != 0)
        return khm_err_field("open", "ใช้ open=1", "must be 1 or true");
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_breach_list(tx, &items, &n, &more, r->who.agency.id, open != NULL, &page,
                               r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    tl_now = khm_time_now_ms();
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_breach, id), more, write_row);
}

int khm_h_breaches_update(khm_req *r)
{
    khm_breach_input in;
    khm_breach b;
    int64_t version;
    int rc;
    const char *im =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
    if ((rc = manager_only(r, "changing the assessment")) < 0 ||
        (rc = khm_breach_parse_etag(im, &version)) < 0 ||
        (rc = khm_breach_input_from_json(&in, r->json)) < 0 ||
        (rc = khm_store_breach_get(r->tx, &b, r->params[0], r->arena)) < 0 ||
        (rc = khm_breach_update(r->tx, &b, &in, version, r->who.user.id, khm_time_now_ms(),
                                r->arena)) < 0)
        return rc;
    return reply_breach(r, r->tx, 200, &b);
}

static const khm_json_field action_fields[] = {
    { "text", KHM_JSON_STRING, 1, 4000, "การดำเนินการ", 0 },
    { NULL },
};

int khm_h_breaches_action(khm_req *r)
{
    khm_breach b;
    int rc;
    if ((rc = khm_json_check(r->json, action_fields)) < 0 ||
        (rc = khm_store_breach_get(r->tx, &b, r->params[0], r->arena)) < 0 ||
        (rc = khm_breach_add_action(r->tx, &b, khm_json_str(r->json, "text"), r->who.user.id,
                                    khm_time_now_ms())) < 0)
        return rc;
    return reply_breach(r, r->tx, 201, &b);
}

static const khm_json_field office_fields[] = {
    { "notified_at", KHM_JSON_STRING, 0, 40, "วันเวลาที่แจ้งสำนักงาน", 1 },
    { "late_reason", KHM_JSON_STRING, 0, 2000, "เหตุผลที่แจ้งล่าช้า", 1 },
    { NULL },
};

int khm_h_breaches_notify_office(khm_req *r)
{
    khm_breach b;
    int rc;
    if ((rc = manager_only(r, "recording the Office's notification")) < 0 ||
        (rc = khm_json_check(r->json, office_fields)) < 0 ||
        (rc = khm_store_breach_get(r->tx, &b, r->params[0], r->arena)) < 0 ||
        (rc = khm_breach_notify_office(r->tx, &b, khm_json_str(r->json, "notified_at"),
                                       khm_json_str(r->json, "late_reason"), r->who.user.id,
                                       khm_time_now_ms())) < 0)
        return rc;
    return reply_breach(r, r->tx, 200, &b);
}

static const khm_json_field subjects_fields[] = {
    { "notified_at", KHM_JSON_STRING, 0, 40, "วันเวลาที่แจ้งเจ้าของข้อมูล", 1 },
    { "method", KHM_JSON_STRING, 1, 1000, "วิธีแจ้งเจ้าของข้อมูล", 0 },
    { NULL },
};

int khm_h_breaches_notify_subjects(khm_req *r)
{
    khm_breach b;
    int rc;
    if ((rc = manager_only(r, "recording the subjects' notification")) < 0 ||
        (rc = khm_json_check(r->json, subjects_fields)) < 0 ||
        (rc = khm_store_breach_get(r->tx, &b, r->params[0], r->arena)) < 0 ||
        (rc = khm_breach_notify_subjects(r->tx, &b, khm_json_str(r->json, "notified_at"),
                                         khm_json_str(r->json, "method"), r->who.user.id,
                                         khm_time_now_ms())) < 0)
        return rc;
    return reply_breach(r, r->tx, 200, &b);
}

static const khm_json_field close_fields[] = {
    { "closed_at", KHM_JSON_STRING, 0, 40, "วันเวลาที่ปิดเรื่อง", 1 },
    { "reason", KHM_JSON_STRING, 0, 2000, "เหตุผล", 1 },
    { NULL },
};

int khm_h_breaches_close(khm_req *r)
{
    khm_breach b;
    int rc;
    if ((rc = manager_only(r, "closing a breach")) < 0 ||
        (rc = khm_json_check(r->json, close_fields)) < 0 ||
        (rc = khm_store_breach_get(r->tx, &b, r->params[0], r->arena)) < 0 ||
        (rc = khm_breach_close(r->tx, &b, khm_json_str(r->json, "closed_at"),
                               khm_json_str(r->json, "reason"), r->who.user.id,
                               khm_time_now_ms())) < 0)
        return rc;
    return reply_breach(r, r->tx, 200, &b);
}
