/* whoami: the caller's user, agency, token and scopes, as the router authenticated them. */
#include "server_internal.h"

static void write_principal(khm_jw *w, const void *rec)
{
    khm_principal_write_json(w, rec);
}

int khm_h_whoami(khm_req *r)
{
    return khm_reply_record(r, 200, write_principal, &r->who);
}
