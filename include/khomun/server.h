/**
 * @file khomun/server.h
 * `khomun serve`: the HTTP server over libkhomun (libmicrohttpd, epoll, a thread pool).
 */
#ifndef KHOMUN_SERVER_H
#define KHOMUN_SERVER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Server options; start from KHM_SERVER_OPTS_INIT. */
typedef struct {
    const char *listen;   /**< "HOST:PORT" ("127.0.0.1:8080"); port 0 picks a free one */
    int threads;          /**< worker threads (0 = number of cores) */
    const char *data_dir; /**< data directory */
    const char *db_uri;   /**< NULL = DIR/khomun.db */
    size_t max_body;      /**< request body cap in bytes (0 = 1 MiB) */
    const char *policy;   /**< access policy file (JSON, docs/policy.md); NULL = the default;
                               reloaded when the file changes or on SIGHUP */
    unsigned long long max_upload; /**< resource upload cap in bytes, streamed to disk (0 =
                                        KHM_UPLOAD_MAX_DEFAULT of resource.h, 1 GiB) */
    int audit_window_ms;      /**< how long successes of aggregated routes (the consent check) are
                                   counted before their aggregated audit event is written (0 = 1000;
                                   docs/audit.md, Aggregated events) */
    int consent_staleness_ms; /**< PostgreSQL: how old the newest-sequences read behind a
                                   consent check may be (0 = strict: a read started after the
                                   check; docs/operations/scale-out.md); no effect on SQLite */
} khm_server_opts;

#define KHM_SERVER_OPTS_INIT                                       \
    {                                                              \
        "127.0.0.1:8080", 0, "khomun-data", NULL, 0, NULL, 0, 0, 0 \
    }

/**
 * Check @p opts without touching anything (the listen address parses, …), so a front-end can
 * refuse bad options before it creates files. 0 or KHM_EINVALID naming the option.
 */
int khm_server_check(const khm_server_opts *opts);

/**
 * Serve until SIGINT or SIGTERM, then finish in-flight requests and close the store.
 * Prints "khomun: listening on http://HOST:PORT" on stderr once ready.
 * @return 0 after a clean shutdown; a KHM_E* code when it could not start.
 */
int khm_server_run(const khm_server_opts *opts);

/**
 * A file embedded in the binary at build time: "/index.html", "/assets/app.css",
 * "/api/v1/openapi.json", or "help:<command>" (docs/cli/<command>.md).
 * @return 0 with @p data / @p len borrowed for the process lifetime, or KHM_ENOTFOUND.
 */
int khm_asset_get(const char *path, const void **data, size_t *len);

/** One row of the route table, as tests and docs see it. */
typedef struct {
    const char *method;  /**< "GET", "POST", … */
    const char *pattern; /**< "/api/v1/agencies/{id}" */
    const char *scope;   /**< scope name */
    const char *event;   /**< audit event name */
    const char *doc;     /**< page docs/api/<doc>.md */
} khm_route_info;

/** The route table; *@p n receives the number of rows. */
const khm_route_info *khm_server_routes(size_t *n);

#ifdef __cplusplus
}
#endif
#endif
