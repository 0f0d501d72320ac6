/* POST /api/v1/decide: the policy decision point for agency systems, OPA-style — an input
 * (action, resource, purpose, optionally the user to decide for) in, the decision with its rule,
 * reasons and policy version out. A deny is an answer (200), not an error. The decision itself
 * is khm_access_decide(), the same function that decides for the routes. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/policy.h>

#include <string.h>

/* "user": decide for someone else — only where the policy lets the caller (rule
 * decide-for-others: admin, auditor); naming oneself needs no permission. */
static int load_subject(khm_req *r, const char *user, khm_principal *out)
{
    khm_decision d;
    khm_resource pol = KHM_RESOURCE_INIT(KHM_RES_POLICY);
    khm_tx *tx;
    int rc;
    if (strcmp(user, r->who.user.id) == 0 || strcmp(user, r->who.user.name) == 0) {
        *out = r->who;
        return 0;
    }
    if ((rc = khm_access_decide(r->policy, &r->who, KHM_ACTION_READ_METADATA, &pol, NULL, &d)) < 0)
        return rc;
    if (!d.allow)
        return khm_err_set(KHM_EDENIED,
                           "deciding for another user is not allowed for the role '%s' (%s)",
                           khm_role_name(r->who.user.role), d.reason);
    memset(out, 0, sizeof(*out));
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_user_get(tx, &out->user, user, r->arena);
    if (rc == 0)
        rc = khm_store_agency_get(tx, &out->agency, out->user.agency_id, r->arena);
    khm_tx_rollback(tx);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return khm_err_field("input.user", "ไม่พบผู้ใช้งานนี้", "unknown user '%s'", user);
    }
    out->scopes = khm_role_scopes(out->user.role);
    return rc;
}

/* The resource's owner agency may be named by id or slug; the decision compares ids. */
static int resolve_owner(khm_req *r, const khm_principal *who, khm_resource *res)
{
    const char *o = res->owner_agency_id;
    khm_agency ag;
    khm_tx *tx;
    int rc;
    if (!o || (who && (strcmp(o, who->agency.id) == 0)))
        return 0;
    if (who && who->agency.slug && strcmp(o, who->agency.slug) == 0) {
        res->owner_agency_id = who->agency.id;
        return 0;
    }
    if ((rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    rc = khm_store_agency_get(tx, &ag, o, r->arena);
    khm_tx_rollback(tx);
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return khm_err_field("input.resource.owner_agency", "ไม่พบหน่วยงานนี้",
                             "unknown agency '%s' (give its id or slug)", o);
    }
    if (rc < 0)
        return rc;
    res->owner_agency_id = khm_arena_strdup(r->arena, ag.id);
    return res->owner_agency_id ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_h_decide(khm_req *r)
{
    khm_decide_input in;
    khm_principal subject;
    const khm_principal *who = &r->who;
    khm_decision d;
    int rc;
    if ((rc = khm_decide_input_from_json(&in, r->json)) < 0)
        return rc;
    if (in.anonymous) {
        who = NULL;
    } else if (in.user) {
        if ((rc = load_subject(r, in.user, &subject)) < 0)
            return rc;
        who = &subject;
    }
    if ((rc = resolve_owner(r, who, &in.res)) < 0 ||
        (rc = khm_access_decide(r->policy, who, in.action, &in.res,
                                in.has_purpose ? &in.purpose : NULL, &d)) < 0)
        return rc;

    r->audit_target = khm_arena_printf(r->arena, "decide/%s/%s%s%s", khm_action_name(in.action),
                                       khm_resource_kind_name(in.res.kind), in.res.id ? "/" : "",
                                       in.res.id ? in.res.id : "");
    r->audit_reasons =
        khm_arena_printf(r->arena, "%s by %s for %s (policy %s)", d.allow ? "allow" : "deny",
                         d.rule, who ? who->user.id : "anonymous", d.policy_version);

    khm_buf b = KHM_BUF_INIT(64 * 1024);
    khm_jw w;
    khm_buf_reserve(&b, 1024);
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "result");
    khm_decision_write_json(&w, &d);
    khm_jw_obj_end(&w);
    return khm_reply_jw(r, 200, &w, &b);
}
