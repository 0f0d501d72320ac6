/* whoami: the caller's user, agency, token and scopes, as the router authenticated them. */
#include "server_internal.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/json.h>

int khm_h_whoami(khm_req *r)
{
    const khm_principal *w = &r->who;
    json_t *scopes = json_array();
    for (int s = KHM_SCOPE_SELF; s < KHM_SCOPE__COUNT; s++)
        if (w->scopes & (1ULL << s))
            json_array_append_new(scopes, json_string(khm_scope_name(s)));
    json_t *user = khm_user_to_json(&w->user);
    return khm_reply_json(r, 200,
                          json_pack("{s:o, s:o, s:{s:s, s:s, s:o}, s:o}", "user", user, "agency",
                                    khm_agency_to_json(&w->agency), "token", "id", w->token.id,
                                    "name", w->token.name, "expires_at",
                                    khm_json_time(w->token.expires_at), "scopes", scopes));
}
