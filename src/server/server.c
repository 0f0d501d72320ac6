/* `khomun serve`: libmicrohttpd with epoll and a thread pool (one thread per core by default).
 * Request bodies are accumulated into a capped buffer; a Content-Length over the cap is answered
 * 413 before any body is read. SIGINT/SIGTERM stop accepting, let in-flight requests finish
 * (up to a grace period), then close the store cleanly. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/log.h>
#include <khomun/setup.h>
#include <khomun/time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GRACE_MS 3000 /* in-flight requests get this long after SIGTERM */

/* Each connection's libmicrohttpd memory pool: the request line and headers (up to about 15 KB
 * together; more is answered 431 or 414), the reply's header block, the read buffer bodies
 * pass through. libmicrohttpd zeroes the pool after every request, and half of it when the
 * headers are read: at its default of 32 KiB that was 48 KiB of memset per request, the largest
 * single cost of a small request (/healthz), and the pools of 64 connections crowded the
 * caches. */
#define CONN_POOL (16 * 1024)

static atomic_int active;   /* requests between first call and completion */
static atomic_int stopping; /* set at SIGTERM: new requests are refused, none is parked */

/* Set as the request context by the URI-log callback when the raw path holds an escaped NUL:
 * MHD unescapes the path into a C string, which would silently cut "/x%00.html" to "/x". */
static char nul_in_path_mark;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    const char *q = strchr(uri, '?');
    size_t n = q ? (size_t)(q - uri) : strlen(uri);
    for (size_t i = 0; i + 2 < n; i++)
        if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
            return &nul_in_path_mark;
    return NULL;
}

static void wait_idle(int ms)
{
    for (int waited = 0; atomic_load(&active) > 0 && waited < ms; waited += 5) {
        struct timespec ts = { 0, 5 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A client may choose its request id: 1–64 of [A-Za-z0-9._-]; otherwise we make a UUIDv7. */
static void set_request_id(khm_req *r)
{
    const char *id = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Request-Id");
    size_t n = id ? strlen(id) : 0;
    int ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++) {
        char c = id[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    }
    if (ok)
        memcpy(r->request_id, id, n + 1);
    else
        khm_id_new(r->request_id);
}

static void req_free(khm_req *r)
{
    if (!r)
        return;
    if (r->resp)
        MHD_destroy_response(r->resp);
    json_decref(r->json);
    khm_blob_free(r->upload); /* an upload not stored: its temporary file goes */
    khm_buf_dispose(&r->body);
    khm_arena_free(r->arena);
    free(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    if (*con_cls && *con_cls != &nul_in_path_mark) {
        req_free(*con_cls);
        *con_cls = NULL;
        atomic_fetch_sub(&active, 1);
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    khm_srv *srv = cls;
    int nul_in_path = *con_cls == &nul_in_path_mark;
    khm_req *r = nul_in_path ? NULL : *con_cls;
    (void)version;

    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        r->arena = khm_arena_new(8192);
        if (!r->arena) {
            free(r);
            return MHD_NO;
        }
        atomic_fetch_add(&active, 1);
        *con_cls = r;
        r->srv = srv;
        r->policy = __atomic_load_n(&srv->policy, __ATOMIC_ACQUIRE);
        r->conn = conn;
        r->method = method;
        r->path = url;
        r->start_us = mono_us();
        khm_buf_init(&r->body, srv->opts.max_body);
        set_request_id(r);

        if (atomic_load(&stopping))
            /* a new request on a kept-alive connection after SIGTERM: close the connection
             * (the client retries elsewhere) rather than park it, so that shutdown can wait
             * for the parked ones to drain; on_completed frees r */
            return MHD_NO;
        char allow[64] = "";
        r->route = nul_in_path ? NULL : khm_router_match(r, allow, sizeof(allow));
        if (!r->route) {
            r->event = allow[0] ? "http.method_not_allowed" : "http.not_found";
            if (allow[0])
                khm_router_early(r, KHM_EMETHOD, "method not allowed on this path", allow);
            else
                khm_router_early(r, KHM_ENOTFOUND, "no such route", NULL);
            r->status = r->status ? r->status : 404;
            return MHD_YES;
        }
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        int stream = (r->route->flags & KHM_ROUTE_STREAM) != 0;
        unsigned long long cap = stream ? srv->opts.max_upload : srv->opts.max_body;
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(cl, &end, 10);
            if (errno || *end || v > cap) {
                char d[160];
                snprintf(d, sizeof(d), "%s is over the %llu-byte limit%s",
                         stream ? "the upload" : "request body", cap,
                         stream ? " (khomun serve --max-upload); nothing was stored" : "");
                khm_router_early(r, KHM_ELIMIT, d, NULL);
                return MHD_YES;
            }
        }
        if (stream) {
            /* an upload: decide on the caller before reading a byte of it, then stream it to
             * a temporary file of the blob store as it arrives (never whole in memory) */
            int rc = khm_router_admit(r);
            if (rc == 0)
                rc = khm_blob_begin(&r->upload, srv->opts.data_dir, srv->opts.max_upload);
            if (rc < 0)
                khm_router_refuse(r, rc);
        }
        return MHD_YES;
    }
    if (r->parked) { /* resumed: the audit writer settled this request's event */
        khm_router_resumed(r);
        return MHD_YES;
    }
    if (r->status) { /* answered early: drop whatever body still arrives */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size && r->upload) {
        if (!r->too_large && !r->upload_rc) {
            int rc = khm_blob_write(r->upload, upload_data, *upload_data_size);
            if (rc == KHM_ELIMIT) /* the temporary file is gone; the rest is drained */
                r->too_large = 1;
            else if (rc < 0) {
                khm_log(KHM_LOG_ERROR, "request %s: %s", r->request_id, khm_err_last()->message);
                r->upload_rc = rc;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->too_large && khm_buf_put(&r->body, upload_data, *upload_data_size) < 0) {
            r->too_large = 1;
            khm_buf_dispose(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    khm_router_finish(r);
    return MHD_YES;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[1024];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    khm_log(KHM_LOG_WARN, "http: %s", msg);
}

/* "HOST:PORT", "[V6]:PORT" or ":PORT" → socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, int *v6)
{
    char host[256];
    const char *colon;
    memset(ss, 0, sizeof(*ss));
    *v6 = 0;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
            return khm_err_field("listen", "รูปแบบที่อยู่ไม่ถูกต้อง (HOST:PORT)", "'%s' is not [IPV6]:PORT",
                                 s);
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        colon = close + 1;
        *v6 = 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof(host))
            return khm_err_field("listen", "รูปแบบที่อยู่ไม่ถูกต้อง (HOST:PORT)", "'%s' is not HOST:PORT",
                                 s);
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    }
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port < 0 || port > 65535)
        return khm_err_field("listen", "หมายเลขพอร์ตไม่ถูกต้อง", "bad port in '%s'", s);
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            return khm_err_field("listen", "ที่อยู่ IPv6 ไม่ถูกต้อง", "bad IPv6 address '%s'", host);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (!host[0] || strcmp(host, "0.0.0.0") == 0)
            a->sin_addr.s_addr = htonl(INADDR_ANY);
        else if (strcmp(host, "localhost") == 0)
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return khm_err_field("listen", "ที่อยู่ IPv4 ไม่ถูกต้อง",
                                 "bad IPv4 address '%s' (use a numeric address)", host);
    }
    return 0;
}

static int load_policy(khm_srv *srv, khm_policy **out)
{
    int rc =
        srv->opts.policy ? khm_policy_load_file(out, srv->opts.policy) : khm_policy_default(out);
    if (rc == 0)
        khm_log(KHM_LOG_INFO, "access policy %s in force", khm_policy_version(*out));
    return rc;
}

/* A new policy takes effect at once for new requests; requests already running finish under
 * the one they started with (kept until the server stops). A bad file changes nothing. */
static void reload_policy(khm_srv *srv)
{
    khm_policy *p;
    khm_audit_event ev = { 0 };
    ev.actor_user = "system";
    ev.action = "policy.reload";
    ev.target = srv->opts.policy ? srv->opts.policy : "default";
    ev.client = "server";
    if (srv->nretired == (int)(sizeof(srv->retired) / sizeof(srv->retired[0])) ||
        load_policy(srv, &p) < 0) {
        if (srv->nretired == (int)(sizeof(srv->retired) / sizeof(srv->retired[0])))
            khm_err_set(KHM_ELIMIT, "too many policy reloads without a restart");
        khm_log(KHM_LOG_ERROR, "policy not reloaded, the old one stays in force: %s",
                khm_err_last()->message);
        ev.outcome = "failure";
        ev.status = 400;
        ev.reasons = khm_err_last()->message;
        khm_audit_writer_submit(srv->audit, &ev);
        return;
    }
    srv->retired[srv->nretired++] = srv->policy;
    __atomic_store_n(&srv->policy, p, __ATOMIC_RELEASE);
    char why[128];
    snprintf(why, sizeof(why), "policy %s in force", khm_policy_version(p));
    ev.outcome = "success";
    ev.status = 200;
    ev.reasons = why;
    khm_audit_writer_submit(srv->audit, &ev);
}

int khm_server_check(const khm_server_opts *opts)
{
    struct sockaddr_storage ss;
    int v6, rc = parse_listen(opts->listen ? opts->listen : "", &ss, &v6);
    if (rc == 0 && opts->policy) { /* a bad policy file stops the start, not a request later */
        khm_policy *p;
        if ((rc = khm_policy_load_file(&p, opts->policy)) == 0)
            khm_policy_free(p);
    }
    return rc;
}

int khm_server_run(const khm_server_opts *opts)
{
    khm_srv srv;
    struct sockaddr_storage ss;
    int v6, rc, sig;
    sigset_t set;
    khm_arena *a = khm_arena_new(0);

    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    memset(&srv, 0, sizeof(srv));
    pthread_mutex_init(&srv.pz_lock, NULL);
    srv.opts = *opts;
    if (!srv.opts.max_body)
        srv.opts.max_body = 1024 * 1024;
    if (!srv.opts.max_upload)
        srv.opts.max_upload = KHM_UPLOAD_MAX_DEFAULT;
    if (srv.opts.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        srv.opts.threads = n > 0 ? (int)n : 1;
    }
    if ((rc = parse_listen(srv.opts.listen, &ss, &v6)) < 0)
        goto out;
    if ((rc = khm_datadir_check(srv.opts.data_dir)) < 0)
        goto out;
    if ((rc = khm_keys_load(&srv.keys, srv.opts.data_dir)) < 0)
        goto out;
    const char *db = srv.opts.db_uri ? srv.opts.db_uri : khm_datadir_db_path(srv.opts.data_dir, a);
    khm_store_opts so = KHM_STORE_OPTS_INIT;
    so.pool_size = srv.opts.threads * 2;
    khm_audit_opts ao = KHM_AUDIT_OPTS_INIT;
    ao.aggregate_ms = srv.opts.audit_window_ms;
    if ((rc = khm_store_open(&srv.store, db, &so)) < 0 ||
        (rc = khm_authn_new(&srv.authn, srv.store, 0, 0)) < 0 ||
        (rc = khm_audit_writer_new(&srv.audit, srv.store, &srv.keys, &ao)) < 0 ||
        (rc = load_policy(&srv, &srv.policy)) < 0 ||
        (rc = khm_scanner_new(&srv.scanner, NULL)) < 0 ||
        (rc = khm_consent_index_start(&srv.consents, srv.store)) < 0)
        goto out;
    if (srv.opts.consent_staleness_ms > 0 && !khm_store_epoch_shared(srv.store)) {
        khm_consent_index_set_staleness(srv.consents, srv.opts.consent_staleness_ms);
        khm_log(KHM_LOG_WARN,
                "consent checks may answer from up to %d ms before a change another server "
                "committed (--consent-staleness-ms)",
                srv.opts.consent_staleness_ms);
    }

    /* block the stop signals in every thread; this one waits for them with sigwait() */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | MHD_USE_TURBO | (v6 ? MHD_USE_IPv6 : 0);
    srv.daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)srv.opts.threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        1u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_POOL, MHD_OPTION_END);
    if (!srv.daemon) {
        rc = khm_err_set(KHM_EIO, "cannot listen on %s: %s", srv.opts.listen, strerror(errno));
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : 0;
    char host[64] = "127.0.0.1";
    if (v6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
    fprintf(stderr, "khomun: listening on http://%s%s%s:%u (%d threads, %s store, schema %d)\n",
            v6 ? "[" : "", host, v6 ? "]" : "", port, srv.opts.threads,
            khm_store_backend(srv.store), khm_store_schema_version(srv.store));
    fflush(stderr);

    /* wait for a stop signal; meanwhile reload the policy on SIGHUP or when its file changes */
    struct stat pst = { 0 };
    if (srv.opts.policy)
        stat(srv.opts.policy, &pst);
    for (;;) {
        struct timespec tick = { 1, 0 };
        sig = sigtimedwait(&set, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        int changed = sig == SIGHUP;
        struct stat now;
        if (srv.opts.policy && stat(srv.opts.policy, &now) == 0 &&
            (now.st_mtim.tv_sec != pst.st_mtim.tv_sec ||
             now.st_mtim.tv_nsec != pst.st_mtim.tv_nsec || now.st_size != pst.st_size ||
             now.st_ino != pst.st_ino)) {
            pst = now;
            changed = 1;
        }
        if (changed)
            reload_policy(&srv);
    }
    khm_log(KHM_LOG_INFO, "stopping on signal %d: finishing in-flight requests", sig);
    atomic_store(&stopping, 1);
    MHD_socket ls = MHD_quiesce_daemon(srv.daemon);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    /* in-flight requests finish; idle keep-alive connections are closed by the stop below */
    wait_idle(GRACE_MS);
    /* parked requests are resumed by the writer: let it settle them, then let MHD finish them
     * (MHD must not be stopped while a connection is still suspended) */
    khm_audit_writer_flush(srv.audit);
    wait_idle(GRACE_MS);
    MHD_stop_daemon(srv.daemon);
    khm_audit_writer_free(srv.audit); /* writes what is queued and signs the final head */
    khm_authn_free(srv.authn);
    khm_consent_index_free(srv.consents);
    srv.consents = NULL;
    khm_store_close(srv.store);
    srv.store = NULL;
    srv.authn = NULL;
    srv.audit = NULL;
    khm_log(KHM_LOG_INFO, "stopped cleanly");
    rc = 0;
out:
    khm_policy_free(srv.policy); /* after MHD stopped: no handler uses it any more */
    khm_scanner_free(srv.scanner);
    for (int i = 0; i < srv.nretired; i++)
        khm_policy_free(srv.retired[i]);
    khm_audit_writer_free(srv.audit);
    khm_keys_wipe(&srv.keys);
    sodium_memzero(srv.pz, sizeof(srv.pz));
    pthread_mutex_destroy(&srv.pz_lock);
    khm_authn_free(srv.authn);
    khm_consent_index_free(srv.consents);
    if (rc < 0 && srv.store)
        khm_store_close(srv.store);
    khm_arena_free(a);
    return rc;
}
