/* assets.h — the static files embedded at build time by scripts/embed.c: the landing page and
 * its assets, the OpenAPI document, and the CLI help pages ("help:<command>"). */
#ifndef KHM_SERVER_ASSETS_H
#define KHM_SERVER_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path;         /* "/index.html", "/assets/app.css", "help:init" */
    const char *content_type; /* "text/css; charset=utf-8" */
    const unsigned char *data;
    size_t len;
    const char *etag; /* quoted content hash */
} khm_asset;

/* Terminated by a row with path NULL. */
extern const khm_asset khm_assets[];

#endif
