/* Static files embedded in the binary: the landing page, its assets and the OpenAPI document.
 * Only names in the embedded table can be served, so no path ever reaches the file system;
 * names with "..", slashes or a leading dot are refused before the lookup anyway. */
#include "server_internal.h"

#include "assets.h"

#include <khomun/err.h>

#include <string.h>

const void *khm_asset_find(const char *path)
{
    for (const khm_asset *a = khm_assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return a;
    return NULL;
}

int khm_asset_get(const char *path, const void **data, size_t *len)
{
    const khm_asset *a = khm_asset_find(path);
    if (!a)
        return khm_err_set(KHM_ENOTFOUND, "nothing embedded at '%s'", path);
    *data = a->data;
    *len = a->len;
    return 0;
}

static int serve(khm_req *r, const khm_asset *a)
{
    const char *inm =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    int rc;
    if (inm && strcmp(inm, a->etag) == 0)
        rc = khm_reply_bytes(r, 304, a->content_type, "", 0, 1);
    else
        rc = khm_reply_bytes(r, 200, a->content_type, a->data, a->len, 1);
    if (rc == 0) {
        khm_reply_header(r, MHD_HTTP_HEADER_ETAG, a->etag);
        khm_reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    }
    return rc;
}

int khm_h_openapi(khm_req *r)
{
    const khm_asset *a = khm_asset_find("/api/v1/openapi.json");
    if (!a)
        return khm_err_set(KHM_ENOTFOUND, "this build has no OpenAPI document");
    return serve(r, a);
}

int khm_h_ui_index(khm_req *r)
{
    const khm_asset *a = khm_asset_find("/index.html");
    if (!a)
        return khm_err_set(KHM_ENOTFOUND, "this build has no web UI");
    return serve(r, a);
}

int khm_h_ui_asset(khm_req *r)
{
    const char *name = r->params[0];
    char path[256];
    if (!name || name[0] == '.' || strstr(name, "..") || strchr(name, '/') || strchr(name, '\\') ||
        strlen(name) > 200)
        return khm_err_set(KHM_ENOTFOUND, "no such asset");
    snprintf(path, sizeof(path), "/assets/%s", name);
    const khm_asset *a = khm_asset_find(path);
    if (!a)
        return khm_err_set(KHM_ENOTFOUND, "no such asset");
    return serve(r, a);
}
