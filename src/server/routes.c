/* The route table: every HTTP route, the scope it needs and the audit event it writes. The
 * router (router.c) authenticates, checks the scope, runs the handler and logs the outcome, so
 * no handler does any of these itself. Adding a route: one row here, one handler, one page in
 * docs/api/<doc>.md and one operation in docs/openapi.json (tests/unit/server/routes.c checks). */
#include "server_internal.h"

/* clang-format off */
const khm_route khm_route_table[] = {
    { "GET",    "/healthz",                   khm_h_healthz,         KHM_SCOPE_PUBLIC,       "health.check",   "healthz",        KHM_ROUTE_NOAUDIT },
    { "GET",    "/readyz",                    khm_h_readyz,          KHM_SCOPE_PUBLIC,       "health.ready",   "readyz",         KHM_ROUTE_NOAUDIT },
    { "GET",    "/api/v1/version",            khm_h_version,         KHM_SCOPE_PUBLIC,       "system.version", "version",        KHM_ROUTE_NOAUDIT },
    { "GET",    "/api/v1/openapi.json",       khm_h_openapi,         KHM_SCOPE_PUBLIC,       "system.openapi", "openapi",        KHM_ROUTE_NOAUDIT },
    { "GET",    "/api/v1/whoami",             khm_h_whoami,          KHM_SCOPE_SELF,         "auth.whoami",    "whoami",         0 },
    { "POST",   "/api/v1/decide",             khm_h_decide,          KHM_SCOPE_SELF,         "decision.evaluate", "decide",      KHM_ROUTE_BODY },
    { "GET",    "/api/v1/agencies",           khm_h_agencies_list,   KHM_SCOPE_AGENCY_READ,  "agency.list",    "agencies-list",  0 },
    { "POST",   "/api/v1/agencies",           khm_h_agencies_create, KHM_SCOPE_AGENCY_WRITE, "agency.create",  "agencies-create", KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/agencies/{id}",      khm_h_agencies_get,    KHM_SCOPE_AGENCY_READ,  "agency.read",    "agencies-get",   0 },
    { "GET",    "/api/v1/users",              khm_h_users_list,      KHM_SCOPE_USER_READ,    "user.list",      "users-list",     0 },
    { "POST",   "/api/v1/users",              khm_h_users_create,    KHM_SCOPE_USER_WRITE,   "user.create",    "users-create",   KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/users/{id}",         khm_h_users_get,       KHM_SCOPE_USER_READ,    "user.read",      "users-get",      0 },
    { "POST",   "/api/v1/users/{id}/disable", khm_h_users_disable,   KHM_SCOPE_USER_WRITE,   "user.disable",   "users-disable",  KHM_ROUTE_WRITE },
    { "POST",   "/api/v1/users/{id}/enable",  khm_h_users_enable,    KHM_SCOPE_USER_WRITE,   "user.enable",    "users-enable",   KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/tokens",             khm_h_tokens_list,     KHM_SCOPE_TOKEN_READ,   "token.list",     "tokens-list",    0 },
    { "POST",   "/api/v1/tokens",             khm_h_tokens_create,   KHM_SCOPE_TOKEN_WRITE,  "token.create",   "tokens-create",  KHM_ROUTE_BODY | KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/tokens/{id}",        khm_h_tokens_get,      KHM_SCOPE_TOKEN_READ,   "token.read",     "tokens-get",     0 },
    { "DELETE", "/api/v1/tokens/{id}",        khm_h_tokens_revoke,   KHM_SCOPE_TOKEN_WRITE,  "token.revoke",   "tokens-revoke",  KHM_ROUTE_WRITE },
    { "GET",    "/api/v1/audit",              khm_h_audit_list,      KHM_SCOPE_AUDIT_READ,   "audit.list",     "audit-list",     0 },
    { "GET",    "/api/v1/audit/verify",       khm_h_audit_verify,    KHM_SCOPE_AUDIT_READ,   "audit.verify",   "audit-verify",   0 },
    { "GET",    "/",                          khm_h_ui_index,        KHM_SCOPE_PUBLIC,       "ui.index",       "ui-index",       KHM_ROUTE_NOAUDIT },
    { "GET",    "/assets/{path}",             khm_h_ui_asset,        KHM_SCOPE_PUBLIC,       "ui.asset",       "ui-assets",      KHM_ROUTE_NOAUDIT },
};
/* clang-format on */

const size_t khm_route_count = sizeof(khm_route_table) / sizeof(khm_route_table[0]);

const khm_route_info *khm_server_routes(size_t *n)
{
    static khm_route_info info[sizeof(khm_route_table) / sizeof(khm_route_table[0])];
    static int ready;
    if (!ready) { /* filled once; the table is constant */
        for (size_t i = 0; i < khm_route_count; i++) {
            info[i].method = khm_route_table[i].method;
            info[i].pattern = khm_route_table[i].pattern;
            info[i].scope = khm_scope_name(khm_route_table[i].scope);
            info[i].event = khm_route_table[i].event;
            info[i].doc = khm_route_table[i].doc;
        }
        ready = 1;
    }
    *n = khm_route_count;
    return info;
}
