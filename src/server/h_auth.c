/* whoami: the caller's user, agency, token and scopes, as the router authenticated them. */
#include "server_internal.h"

int khm_h_whoami(khm_req *r)
{
    khm_buf b = KHM_BUF_INIT(1 << 16);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_principal_write_json(&w, &r->who);
    return khm_reply_jw(r, 200, &w, &b);
}
