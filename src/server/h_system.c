/* Health, readiness, version: what load balancers and operators ask first. /healthz touches
 * nothing (the process answers); /readyz proves the store answers. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/version.h>

int khm_h_healthz(khm_req *r)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    return khm_reply_bytes(r, 200, "application/json", ok, sizeof(ok) - 1, 1);
}

int khm_h_readyz(khm_req *r)
{
    int rc = khm_store_ping(r->srv->store);
    int built = rc < 0 ? rc : khm_consent_index_ready(r->srv->consents); /* < 0: build failed */
    if (rc < 0 || built < 0)
        return rc < 0 ? rc : built;
    return khm_reply_json(
        r, 200,
        json_pack("{s:s, s:s, s:i, s:{s:s, s:I}}", "status", "ready", "backend",
                  khm_store_backend(r->srv->store), "schema_version",
                  khm_store_schema_version(r->srv->store), "consent_index", "state",
                  built ? "ready" : "building", "pairs",
                  (json_int_t)(built ? khm_consent_index_size(r->srv->consents) : 0)));
}

int khm_h_version(khm_req *r)
{
    return khm_reply_json(r, 200,
                          json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", "khomun", "version",
                                    KHM_VERSION, "api", KHM_API_VERSION, "backend",
                                    khm_store_backend(r->srv->store), "schema_version",
                                    khm_store_schema_version(r->srv->store)));
}
