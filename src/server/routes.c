/* The route table: every HTTP route, what it does to what (the action and resource kind the
 * policy decision point decides on), and the audit event it writes. The router (router.c)
 * authenticates, asks khm_access_decide(), runs the handler and records the outcome, so no
 * handler does any of these itself. Adding a route: one row here, one handler, one page in
 * docs/api/<doc>.md and one operation in docs/openapi.json (tests/unit/server/routes.c checks). */
#include "server_internal.h"

#include <khomun/breach.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/request.h>
#include <khomun/ropa.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define RM  KHM_ACTION_READ_METADATA
#define ADM KHM_ACTION_ADMINISTER
#define AUD KHM_ACTION_AUDIT_READ
#define RD  KHM_ACTION_READ_DATA
#define WR  KHM_ACTION_WRITE
#define RP  KHM_RES_ROPA
#define CL  KHM_ACTION_CLASSIFY
#define DS  KHM_RES_DATASET
#define RQ  KHM_RES_REQUEST
#define BR  KHM_RES_BREACH
#define PUB (KHM_ROUTE_PUBLIC | KHM_ROUTE_NOAUDIT)
#define PUR KHM_RES_PURPOSE
#define CON KHM_RES_CONSENT

/* clang-format off */
const khm_route khm_route_table[] = {
    { "GET",    "/healthz",                   khm_h_healthz,         RM,  KHM_RES_SYSTEM, NULL,               "health.check",   "healthz",        PUB },
    { "GET",    "/readyz",                    khm_h_readyz,          RM,  KHM_RES_SYSTEM, NULL,               "health.ready",   "readyz",         PUB },
    { "GET",    "/api/v1/version",            khm_h_version,         RM,  KHM_RES_SYSTEM, NULL,               "system.version", "version",        PUB },
    { "GET",    "/api/v1/openapi.json",       khm_h_openapi,         RM,  KHM_RES_SYSTEM, NULL,               "system.openapi", "openapi",        PUB },
    { "GET",    "/api/v1/whoami",             khm_h_whoami,          RM,  KHM_RES_USER,   khm_resolve_self,   "auth.whoami",    "whoami",         0 },
    { "POST",   "/api/v1/decide",             khm_h_decide,          RM,  KHM_RES_USER,   khm_resolve_self,   "decision.evaluate", "decide",      KHM_ROUTE_BODY },
    { "GET",    "/api/v1/agencies",           khm_h_agencies_list,   RM,  KHM_RES_AGENCY, NULL,               "agency.list",    "agencies-list",  0 },
    { "POST",   "/api/v1/agencies",           khm_h_agencies_create, ADM, KHM_RES_AGENCY, NULL,               "agency.create",  "agencies-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/agencies/{id}",      khm_h_agencies_get,    RM,  KHM_RES_AGENCY, khm_resolve_agency, "agency.read",    "agencies-get",   0 },
    { "PUT",    "/api/v1/agencies/{id}",      khm_h_agencies_update, ADM, KHM_RES_AGENCY, khm_resolve_agency, "agency.update",  "agencies-update", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/users",              khm_h_users_list,      RM,  KHM_RES_USER,   NULL,               "user.list",      "users-list",     0 },
    { "POST",   "/api/v1/users",              khm_h_users_create,    ADM, KHM_RES_USER,   NULL,               "user.create",    "users-create",   KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/users/{id}",         khm_h_users_get,       RM,  KHM_RES_USER,   khm_resolve_user,   "user.read",      "users-get",      0 },
    { "POST",   "/api/v1/users/{id}/disable", khm_h_users_disable,   ADM, KHM_RES_USER,   khm_resolve_user,   "user.disable",   "users-disable",  KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/users/{id}/enable",  khm_h_users_enable,    ADM, KHM_RES_USER,   khm_resolve_user,   "user.enable",    "users-enable",   KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/tokens",             khm_h_tokens_list,     RM,  KHM_RES_TOKEN,  NULL,               "token.list",     "tokens-list",    0 },
    { "POST",   "/api/v1/tokens",             khm_h_tokens_create,   ADM, KHM_RES_TOKEN,  NULL,               "token.create",   "tokens-create",  KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/tokens/{id}",        khm_h_tokens_get,      RM,  KHM_RES_TOKEN,  khm_resolve_token,  "token.read",     "tokens-get",     0 },
    { "DELETE", "/api/v1/tokens/{id}",        khm_h_tokens_revoke,   ADM, KHM_RES_TOKEN,  khm_resolve_token,  "token.revoke",   "tokens-revoke",  KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/datasets",           khm_h_datasets_list,   RM,  KHM_RES_SYSTEM, NULL,               "dataset.list",   "datasets-list",  KHM_ROUTE_OPTAUTH },
    { "POST",   "/api/v1/datasets",           khm_h_datasets_create, WR,  DS,             khm_resolve_dataset_new, "dataset.create", "datasets-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/datasets/{id}",      khm_h_datasets_get,    RM,  DS,             khm_resolve_dataset, "dataset.read",  "datasets-get",   KHM_ROUTE_OPTAUTH },
    { "PUT",    "/api/v1/datasets/{id}",      khm_h_datasets_update, WR,  DS,             khm_resolve_dataset, "dataset.update", "datasets-update", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "DELETE", "/api/v1/datasets/{id}",      khm_h_datasets_archive, WR, DS,             khm_resolve_dataset, "dataset.archive", "datasets-archive", KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/datasets/{id}/classification", khm_h_datasets_classification, RM, DS, khm_resolve_dataset, "dataset.classification", "datasets-classification", KHM_ROUTE_OPTAUTH },
    { "POST",   "/api/v1/datasets/{id}/classification", khm_h_datasets_classify, CL, DS, khm_resolve_dataset, "dataset.classify", "datasets-classify", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/ropa",               khm_h_ropa_list,       RM,  RP,             khm_resolve_own_agency, "ropa.list", "ropa-list",    0 },
    { "POST",   "/api/v1/ropa",               khm_h_ropa_create,     WR,  RP,             khm_resolve_own_agency, "ropa.create", "ropa-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/ropa/completeness",  khm_h_ropa_completeness, RM, RP,            khm_resolve_own_agency, "ropa.completeness", "ropa-completeness", 0 },
    { "GET",    "/api/v1/ropa/export",        khm_h_ropa_export,     RM,  RP,             khm_resolve_own_agency, "ropa.export", "ropa-export", 0 },
    { "GET",    "/api/v1/ropa/{id}",          khm_h_ropa_get,        RM,  RP,             khm_resolve_ropa,   "ropa.read",      "ropa-get",       0 },
    { "PUT",    "/api/v1/ropa/{id}",          khm_h_ropa_update,     WR,  RP,             khm_resolve_ropa,   "ropa.update",    "ropa-update",    KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "DELETE", "/api/v1/ropa/{id}",          khm_h_ropa_delete,     WR,  RP,             khm_resolve_ropa,   "ropa.delete",    "ropa-delete",    KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/ropa/{id}/refusals", khm_h_ropa_refusal_add, WR, RP,             khm_resolve_ropa,   "ropa.refusal_add", "ropa-refusals-add", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/datasets/{id}/datamap", khm_h_datamap,     RM,  DS,             khm_resolve_dataset, "dataset.datamap", "datasets-datamap", KHM_ROUTE_OPTAUTH },
    { "GET",    "/api/v1/datasets/{id}/quality", khm_h_datasets_quality, RM, DS,         khm_resolve_dataset, "dataset.quality", "datasets-quality", KHM_ROUTE_OPTAUTH },
    { "POST",   "/api/v1/datasets/{id}/quality", khm_h_datasets_quality_compute, WR, DS, khm_resolve_dataset, "dataset.quality_compute", "datasets-quality-compute", KHM_ROUTE_WRITE, khm_h_datasets_quality_compute_prepare },
    { "GET",    "/api/v1/datasets/{id}/resources", khm_h_resources_list, RM, DS,         khm_resolve_dataset, "resource.list",  "resources-list", KHM_ROUTE_OPTAUTH },
    { "POST",   "/api/v1/datasets/{id}/resources", khm_h_resources_upload, WR, DS,       khm_resolve_dataset, "resource.upload", "resources-upload", KHM_ROUTE_STREAM | KHM_ROUTE_WRITE, khm_h_resources_upload_prepare },
    { "GET",    "/api/v1/datasets/{id}/resources/{rid}", khm_h_resources_get, RM, DS,    khm_resolve_dataset, "resource.read",  "resources-get",  KHM_ROUTE_OPTAUTH },
    { "DELETE", "/api/v1/datasets/{id}/resources/{rid}", khm_h_resources_delete, WR, DS, khm_resolve_dataset, "resource.delete", "resources-delete", KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/datasets/{id}/resources/{rid}/download", khm_h_resources_download, RD, DS, khm_resolve_dataset, "resource.download", "resources-download", KHM_ROUTE_OPTAUTH },
    { "POST",   "/api/v1/datasets/{id}/resources/{rid}/scan", khm_h_resources_scan, WR, DS, khm_resolve_dataset, "resource.scan", "resources-scan", KHM_ROUTE_WRITE, khm_h_resources_scan_prepare },
    { "POST",   "/api/v1/datasets/{id}/scan", khm_h_datasets_scan, WR, DS,              khm_resolve_dataset, "dataset.scan",   "datasets-scan",  KHM_ROUTE_WRITE, khm_h_datasets_scan_prepare },
    { "POST",   "/api/v1/scan",               khm_h_scan,            RD,  KHM_RES_SCANNER, NULL,              "scan.run",       "scan",           0 },
    { "GET",    "/api/v1/audit",              khm_h_audit_list,      AUD, KHM_RES_AUDIT,  NULL,               "audit.list",     "audit-list",     0 },
    { "GET",    "/api/v1/audit/verify",       khm_h_audit_verify,    AUD, KHM_RES_AUDIT,  NULL,               "audit.verify",   "audit-verify",   0 },
    { "GET",    "/api/v1/requests",           khm_h_requests_list,   RM,  RQ,             khm_resolve_own_agency, "request.list", "requests-list", 0 },
    { "POST",   "/api/v1/requests",           khm_h_requests_create, WR,  RQ,             khm_resolve_own_agency, "request.create", "requests-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/requests/{id}",      khm_h_requests_get,    RM,  RQ,             khm_resolve_request, "request.read",  "requests-get",   0 },
    { "POST",   "/api/v1/requests/{id}/transition", khm_h_requests_transition, WR, RQ,   khm_resolve_request, "request.transition", "requests-transition", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/requests/{id}/notes", khm_h_requests_note,  WR,  RQ,             khm_resolve_request, "request.note",  "requests-notes", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/requests/{id}/discover", khm_h_requests_discover, WR, RQ,        khm_resolve_request, "request.discover", "requests-discover", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/requests/{id}/package", khm_h_requests_package, RM, RQ,          khm_resolve_request, "request.package", "requests-package", 0 },
    { "GET",    "/api/v1/breaches",           khm_h_breaches_list,   RM,  BR,             khm_resolve_own_agency, "breach.list", "breaches-list",  0 },
    { "POST",   "/api/v1/breaches",           khm_h_breaches_create, WR,  BR,             khm_resolve_own_agency, "breach.report", "breaches-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/breaches/{id}",      khm_h_breaches_get,    RM,  BR,             khm_resolve_breach, "breach.read",    "breaches-get",   0 },
    { "PUT",    "/api/v1/breaches/{id}",      khm_h_breaches_update, WR,  BR,             khm_resolve_breach, "breach.update",  "breaches-update", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/breaches/{id}/actions", khm_h_breaches_action, WR, BR,           khm_resolve_breach, "breach.action",  "breaches-actions", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/breaches/{id}/notify-office", khm_h_breaches_notify_office, WR, BR, khm_resolve_breach, "breach.notify_office", "breaches-notify-office", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/breaches/{id}/notify-subjects", khm_h_breaches_notify_subjects, WR, BR, khm_resolve_breach, "breach.notify_subjects", "breaches-notify-subjects", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/breaches/{id}/close", khm_h_breaches_close, WR,  BR,             khm_resolve_breach, "breach.close",   "breaches-close", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/consents/receipts/verify", khm_h_receipts_verify, RM, KHM_RES_SYSTEM, NULL,     "consent.receipt_verify", "consents-receipts-verify", PUB | KHM_ROUTE_BODY },
    { "GET",    "/api/v1/purposes",           khm_h_purposes_list,   RM,  PUR,            khm_resolve_own_agency, "purpose.list", "purposes-list", 0 },
    { "POST",   "/api/v1/purposes",           khm_h_purposes_create, WR,  PUR,            khm_resolve_own_agency, "purpose.create", "purposes-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/purposes/{id}",      khm_h_purposes_get,    RM,  PUR,            khm_resolve_purpose, "purpose.read",  "purposes-get",   0 },
    { "PUT",    "/api/v1/purposes/{id}",      khm_h_purposes_update, WR,  PUR,            khm_resolve_purpose, "purpose.update", "purposes-update", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "DELETE", "/api/v1/purposes/{id}",      khm_h_purposes_retire, WR,  PUR,            khm_resolve_purpose, "purpose.retire", "purposes-retire", KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/consents",           khm_h_consents_history, RM, CON,            khm_resolve_own_agency, "consent.history", "consents-history", 0 },
    { "POST",   "/api/v1/consents",           khm_h_consents_grant,  WR,  CON,            khm_resolve_own_agency, "consent.grant", "consents-grant", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/consents/withdraw",  khm_h_consents_withdraw, WR, CON,           khm_resolve_own_agency, "consent.withdraw", "consents-withdraw", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/consents/check",     khm_h_consents_check,  RD,  CON,            khm_resolve_own_agency, "consent.check", "consents-check", KHM_ROUTE_AUDIT_AGGREGATE },
    { "POST",   "/api/v1/consents/check",     khm_h_consents_check_batch, RD, CON,        khm_resolve_own_agency, "consent.check_batch", "consents-check-batch", KHM_ROUTE_BODY },
    { "GET",    "/",                          khm_h_ui_index,        RM,  KHM_RES_SYSTEM, NULL,               "ui.index",       "ui-index",       PUB },
    { "GET",    "/assets/{path}",             khm_h_ui_asset,        RM,  KHM_RES_SYSTEM, NULL,               "ui.asset",       "ui-assets",      PUB },
};
/* clang-format on */

const size_t khm_route_count = sizeof(khm_route_table) / sizeof(khm_route_table[0]);

/* ---- resolvers: what the path names, for the decision ---- */

/* The record a path names, loaded in a read transaction by @p load (which fills @p res from it
 * and returns 0, KHM_ENOTFOUND or an error). Unknown → only the path's id, and whatever @p load
 * set before looking (no owner: the same-agency rules deny, so a 403 does not tell whether it
 * exists; the handler answers 404 to those the policy lets ask). */
static int resolve_loaded(khm_req *r, khm_resource *res,
                          int (*load)(khm_req *r, khm_tx *tx, khm_resource *res))
{
    khm_tx *tx;
    res->id = r->params[0];
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = load(r, tx, res);
    khm_tx_rollback(tx);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return 0;
    }
    return rc;
}

/* Copy @p id and @p agency_id into the request's arena as the resource's. */
static int owned_by(khm_req *r, khm_resource *res, const char *id, const char *agency_id)
{
    res->id = khm_arena_strdup(r->arena, id);
    res->owner_agency_id = khm_arena_strdup(r->arena, agency_id);
    return res->id && res->owner_agency_id ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

static int load_dataset(khm_req *r, khm_tx *tx, khm_resource *res)
{
    khm_dataset d;
    int rc = khm_store_dataset_get(tx, &d, r->params[0], r->arena);
    if (rc < 0)
        return rc;
    khm_dataset_resource(&d, res);
    return owned_by(r, res, d.id, d.agency_id);
}

/* A dataset by id or name as stored: its agency, level, category and personal data. Unknown →
 * only the path's id (level unknown: the level rules deny). */
int khm_resolve_dataset(khm_req *r, khm_resource *res)
{
    return resolve_loaded(r, res, load_dataset);
}

/* A dataset about to be created: in the caller's agency (or the one the body names), at the
 * level its metadata gives. The body is not validated yet: what cannot be read is decided as
 * the least restrictive level, and the handler decides again on the validated dataset. */
int khm_resolve_dataset_new(khm_req *r, khm_resource *res)
{
    json_t *body = r->body.ptr ? json_loadb(r->body.ptr, r->body.len, 0, NULL) : NULL;
    json_t *meta = json_object_get(body, "metadata");
    const char *agency = json_string_value(json_object_get(body, "agency"));
    int cat = khm_dataset_category_named(json_string_value(json_object_get(meta, "data_category")));
    int lev = khm_dataset_level_of(cat, khm_dataset_level_named(json_string_value(
                                            json_object_get(meta, "data_classification"))));
    res->category = cat;
    res->level = lev >= 0 ? lev : KHM_LEVEL_PUBLIC;
    res->personal = cat == KHM_CAT_PERSONAL;
    res->owner_agency_id = r->authed ? r->who.agency.id : NULL;
    if (agency && r->authed && strcmp(agency, r->who.agency.id) != 0 &&
        !(r->who.agency.slug && strcmp(agency, r->who.agency.slug) == 0)) {
        khm_agency ag;
        khm_tx *tx;
        if (khm_tx_begin(&tx, r->srv->store, 0) == 0) {
            if (khm_store_agency_get(tx, &ag, agency, r->arena) == 0)
                res->owner_agency_id = khm_arena_strdup(r->arena, ag.id);
            else
                res->owner_agency_id = agency; /* unknown: not the caller's either */
            khm_tx_rollback(tx);
        }
        khm_err_clear();
    }
    json_decref(body);
    return 0;
}

/* An agency by id or slug: its uuid is both the record and the owner. Unknown → left as the
 * path says (the handler answers 404 to those the policy lets ask). */
int khm_resolve_agency(khm_req *r, khm_resource *res)
{
    khm_agency ag;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = khm_store_agency_get(tx, &ag, r->params[0], r->arena);
    khm_tx_rollback(tx);
    if (rc == 0) {
        res->id = khm_arena_strdup(r->arena, ag.id);
        res->owner_agency_id = res->id;
    } else if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        res->id = r->params[0];
        rc = 0;
    }
    return rc;
}

/* A user: the caller when the path names them by id or name (decided before loading anything,
 * so a 403 does not tell whether another user exists). */
int khm_resolve_user(khm_req *r, khm_resource *res)
{
    const char *p = r->params[0];
    res->id = r->authed && (strcmp(p, r->who.user.id) == 0 || strcmp(p, r->who.user.name) == 0)
                  ? r->who.user.id
                  : p;
    return 0;
}

/* The caller's own user record (whoami, decide). */
int khm_resolve_self(khm_req *r, khm_resource *res)
{
    res->id = r->who.user.id;
    res->owner_agency_id = r->who.agency.id;
    return 0;
}

/* A collection of records every agency keeps for itself (purposes, consents, the record of
 * processing, data-subject requests, breaches): the caller's own agency's. No id. */
int khm_resolve_own_agency(khm_req *r, khm_resource *res)
{
    res->owner_agency_id = r->who.agency.id;
    return 0;
}

static int load_request(khm_req *r, khm_tx *tx, khm_resource *res)
{
    khm_dsr d;
    int rc = khm_store_dsr_get(tx, &d, r->params[0], r->arena);
    if (rc < 0)
        return rc;
    khm_dsr_resource(&d, res);
    return owned_by(r, res, d.id, d.agency_id);
}

/* A data-subject request as stored: its agency. */
int khm_resolve_request(khm_req *r, khm_resource *res)
{
    return resolve_loaded(r, res, load_request);
}

static int load_breach(khm_req *r, khm_tx *tx, khm_resource *res)
{
    khm_breach b;
    int rc = khm_store_breach_get(tx, &b, r->params[0], r->arena);
    if (rc < 0)
        return rc;
    khm_breach_resource(&b, res);
    return owned_by(r, res, b.id, b.agency_id);
}

/* A breach as stored: its agency. */
int khm_resolve_breach(khm_req *r, khm_resource *res)
{
    return resolve_loaded(r, res, load_breach);
}

static int load_purpose(khm_req *r, khm_tx *tx, khm_resource *res)
{
    khm_purpose_rec p;
    res->owner_agency_id = r->who.agency.id; /* found or not: decided as the caller's agency's */
    int rc = khm_store_purpose_get(tx, &p, r->who.agency.id, r->params[0], r->arena);
    if (rc < 0)
        return rc;
    res->id = khm_arena_strdup(r->arena, p.id);
    return res->id ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

/* A purpose of the caller's agency by id or code. Purposes are looked up only within the
 * caller's agency, so one of another agency is "none here" like an unknown one: decided as the
 * caller's agency's (the handler answers 404), which tells nothing about other agencies. */
int khm_resolve_purpose(khm_req *r, khm_resource *res)
{
    return resolve_loaded(r, res, load_purpose);
}

static int load_ropa(khm_req *r, khm_tx *tx, khm_resource *res)
{
    khm_ropa_row row;
    if (!khm_id_valid(res->id, strlen(res->id)))
        return KHM_ENOTFOUND;
    int rc = khm_store_ropa_get(tx, &row, res->id, r->arena);
    if (rc < 0)
        return rc;
    res->owner_agency_id = khm_arena_strdup(r->arena, row.agency_id);
    return res->owner_agency_id ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

/* A processing activity of the record (PDPA s.39): its agency. */
int khm_resolve_ropa(khm_req *r, khm_resource *res)
{
    return resolve_loaded(r, res, load_ropa);
}

/* A token and whose it is. */
int khm_resolve_token(khm_req *r, khm_resource *res)
{
    khm_token t;
    khm_tx *tx;
    res->id = r->params[0];
    if (!khm_id_valid(res->id, strlen(res->id)))
        return 0;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = khm_store_token_get(tx, &t, res->id, r->arena);
    khm_tx_rollback(tx);
    if (rc == 0)
        res->owner_user_id = khm_arena_strdup(r->arena, t.user_id);
    else if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        rc = 0;
    }
    return rc;
}

#define NROUTES (sizeof(khm_route_table) / sizeof(khm_route_table[0]))
static khm_route_info route_info[NROUTES];
static char route_scope[NROUTES][48]; /* "public" or "<action>:<kind>", e.g. "administer:agency" */
static pthread_once_t route_once = PTHREAD_ONCE_INIT;

static void fill_route_info(void)
{
    for (size_t i = 0; i < NROUTES; i++) {
        const khm_route *rt = &khm_route_table[i];
        if (rt->flags & KHM_ROUTE_PUBLIC)
            snprintf(route_scope[i], sizeof(route_scope[i]), "public");
        else
            snprintf(route_scope[i], sizeof(route_scope[i]), "%s:%s", khm_action_name(rt->action),
                     khm_resource_kind_name(rt->kind));
        route_info[i].method = rt->method;
        route_info[i].pattern = rt->pattern;
        route_info[i].scope = route_scope[i];
        route_info[i].event = rt->event;
        route_info[i].doc = rt->doc;
    }
}

const khm_route_info *khm_server_routes(size_t *n)
{
    pthread_once(&route_once, fill_route_info);
    *n = khm_route_count;
    return route_info;
}
