/* server_internal.h — what the server's files share: the request context, the route table
 * row, and the reply helpers. The server parses, routes and serializes; all domain logic is
 * in libkhomun behind <khomun/…> headers. */
#ifndef KHM_SERVER_INTERNAL_H
#define KHM_SERVER_INTERNAL_H

#include <khomun/access.h>
#include <khomun/arena.h>
#include <khomun/audit.h>
#include <khomun/buf.h>
#include <khomun/consent.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/rand.h>
#include <khomun/resource.h>
#include <khomun/scan.h>
#include <khomun/server.h>
#include <khomun/store.h>

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>

#define KHM_MAX_PARAMS 4
#define KHM_PZ_CACHE   64 /* agencies whose pseudonymiser the server keeps */

typedef struct khm_srv {
    khm_store *store;
    khm_authn *authn;            /* principal cache for the bearer check on every route */
    khm_audit_writer *audit;     /* group-commit writer for events outside a write transaction */
    khm_keys keys;               /* the installation's keys (audit checkpoints); wiped at stop */
    khm_policy *policy;          /* the access policy in force; swapped atomically on reload */
    khm_scanner *scanner;        /* the personal-data scanner, compiled once (POST /api/v1/scan) */
    khm_consent_index *consents; /* the consent check's index (consent.h), synced per check */
    /* the agencies' pseudonymisers (a key derivation and two hash blocks each: once per agency,
     * not per request): an entry is written once, then published by raising npz (atomic), and
     * read without a lock; wiped at stop. Past KHM_PZ_CACHE agencies they are made per call. */
    struct {
        char agency[KHM_ID_LEN];
        khm_pseudonymizer pz;
    } pz[KHM_PZ_CACHE];
    int npz;
    pthread_mutex_t pz_lock;
    khm_policy *retired[64]; /* replaced policies: requests may still hold them; freed at stop */
    int nretired;
    khm_server_opts opts;
    struct MHD_Daemon *daemon;
} khm_srv;

typedef struct khm_req khm_req;
typedef int (*khm_handler)(khm_req *r);

/* Route flags. */
enum {
    KHM_ROUTE_BODY = 1 << 0,    /* takes a JSON body: Content-Type checked, parsed into r->json */
    KHM_ROUTE_WRITE = 1 << 1,   /* changes data: the router opens r->tx (write), appends the
                                   audit event in it and commits; the handler never commits */
    KHM_ROUTE_NOAUDIT = 1 << 2, /* probes and static files: no data, no audit event (the
                                   access-log line remains) */
    KHM_ROUTE_PUBLIC = 1 << 3,  /* no token needed: decided for an anonymous caller */
    KHM_ROUTE_OPTAUTH = 1 << 4, /* a token is optional: without one, decided for an anonymous
                                   caller (e.g. public datasets); a token sent must be good */
    KHM_ROUTE_STREAM = 1 << 5,  /* the body is a file streamed to the blob store as it arrives
                                   (r->upload), capped by --max-upload, not --max-body; the
                                   caller is authenticated and decided on before any byte of it
                                   is read */
    KHM_ROUTE_AUDIT_AGGREGATE = 1 << 6, /* high-volume read (the consent check): a success is
                                   counted into an aggregated audit event per caller, purpose,
                                   answer and client, written every second, and answered at once
                                   (khm_audit_writer_aggregate; docs/audit.md, Aggregated
                                   events); failures and refusals stay individual events */
};

/* One row of the route table (routes.c). */
typedef struct {
    const char *method;  /* "GET", "POST", "DELETE" */
    const char *pattern; /* "/api/v1/agencies/{id}"; {name} matches one path segment */
    khm_handler fn;
    int action;                                    /* khm_action the route performs (policy.h) */
    int kind;                                      /* khm_resource_kind it acts on */
    int (*resolve)(khm_req *r, khm_resource *res); /* fills what the path names; NULL = none */
    const char *event;                             /* audit event name, logged with the outcome */
    const char *doc;                               /* docs/api/<doc>.md */
    int flags;
    int (*prepare)(khm_req *r); /* slow work after the decision and before the write
                                   transaction opens (scanning an upload); NULL = none */
} khm_route;

extern const khm_route khm_route_table[];
extern const size_t khm_route_count;

struct khm_req {
    khm_srv *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const khm_route *route; /* NULL when no route matched */
    const char *params[KHM_MAX_PARAMS];
    int nparams;
    khm_buf body;  /* capped at opts.max_body */
    int too_large; /* body went past the cap */
    json_t *json;  /* parsed body for KHM_ROUTE_BODY routes */
    khm_principal who;
    int authed;
    khm_tx *tx;                /* write routes: the transaction the handler writes in */
    const char *audit_target;  /* what the request acted on ("agency/<id>"); default: path */
    const char *audit_reasons; /* why it failed or was denied (the problem's detail) */
    const char *audit_detail;  /* what the caller was told ("answer: allow (consent)"), after
                                  the reasons */
    khm_decision decision;     /* the policy decision point's answer for this route */
    const khm_policy *policy;  /* the policy in force when the request arrived */
    int audited;               /* the event is written (in the write transaction) */
    int parked;                /* suspended until the audit writer says the event is durable */
    int audit_rc;              /* the writer's result for a parked request */
    khm_arena *arena;          /* request lifetime */
    int admitted;              /* authenticated and decided already (KHM_ROUTE_STREAM) */
    khm_blob_writer *upload;   /* KHM_ROUTE_STREAM: the body as a blob being written */
    int upload_rc;             /* the blob writer's error while the body arrived, or 0 */
    khm_purpose purpose;       /* why (read-data on personal data): X-Khomun-Purpose-* headers */
    int has_purpose;
    void *prepared; /* what the route's prepare() left for its handler */
    /* called once the write transaction ended (committed 1, rolled back 0), e.g. to remove or
     * restore a deleted resource's blob */
    void (*after_tx)(khm_req *r, int committed);
    char request_id[65];
    int64_t start_us;
    /* the reply */
    struct MHD_Response *resp;
    unsigned status;
    const char *event; /* event logged (route's, or http.*) */
};

/* Resolvers: what the path names, for the decision (routes.c). */
int khm_resolve_agency(khm_req *r, khm_resource *res);
int khm_resolve_user(khm_req *r, khm_resource *res);
int khm_resolve_self(khm_req *r, khm_resource *res);
int khm_resolve_own_agency(khm_req *r, khm_resource *res);
int khm_resolve_token(khm_req *r, khm_resource *res);
int khm_resolve_dataset(khm_req *r, khm_resource *res);
int khm_resolve_dataset_new(khm_req *r, khm_resource *res);
int khm_resolve_request(khm_req *r, khm_resource *res);
int khm_resolve_breach(khm_req *r, khm_resource *res);
int khm_resolve_ropa(khm_req *r, khm_resource *res);

/* Authenticate the caller, resolve the route's resource and decide (the purpose from the
 * request included); 0 when allowed, else the error to reply with (router.c). */
int khm_router_admit(khm_req *r);
/* Refuse a request before its body is read, with the last error (router.c). */
void khm_router_refuse(khm_req *r, int rc);
int khm_resolve_purpose(khm_req *r, khm_resource *res);

/* Router (router.c): match, authenticate, decide, run the handler, reply, log. */
const khm_route *khm_router_match(khm_req *r, char *allow, size_t allow_cap);
void khm_router_finish(khm_req *r);
void khm_router_resumed(khm_req *r); /* the audit event of a parked request is settled */
void khm_router_early(khm_req *r, int code, const char *detail, const char *allow);

/* Replies (reply.c). Each creates r->resp and sets r->status; they return 0 or KHM_ENOMEM. */
int khm_reply_json(khm_req *r, unsigned status, json_t *body); /* consumes body */
/* Reply with what @p w wrote into @p b (takes the buffer's memory). */
int khm_reply_jw(khm_req *r, unsigned status, khm_jw *w, khm_buf *b);
/* Reply with one record written by @p write. */
int khm_reply_record(khm_req *r, unsigned status, void (*write)(khm_jw *w, const void *rec),
                     const void *rec);
/* Reply {"items": [...], "next_cursor": …} for @p n records of @p size bytes each; each record
 * holds its id at byte offset @p id_off and is written by @p write. */
int khm_reply_list(khm_req *r, const void *items, size_t n, size_t size, size_t id_off, int more,
                   void (*write)(khm_jw *w, const void *rec));
/* The same with the next page's cursor given (NULL: the last page), for ordered listings. */
int khm_reply_page(khm_req *r, const void *items, size_t n, size_t size, const char *next_cursor,
                   void (*write)(khm_jw *w, const void *rec));
int khm_reply_bytes(khm_req *r, unsigned status, const char *ctype, const void *data, size_t len,
                    int persistent);
int khm_reply_problem(khm_req *r, int code, const char *detail);
/* Stream @p size bytes of the file @p fd (MHD reads it as it sends, and closes it; closed here
 * on failure too). */
int khm_reply_fd(khm_req *r, unsigned status, const char *ctype, int fd, uint64_t size);
int khm_reply_header(khm_req *r, const char *name, const char *value);

/* Helpers for handlers (reply.c). */
const char *khm_req_query(khm_req *r, const char *key);
int khm_req_page(khm_req *r, khm_page *out);

/* Handlers, one file per area. */
int khm_h_healthz(khm_req *r);
int khm_h_readyz(khm_req *r);
int khm_h_version(khm_req *r);
int khm_h_openapi(khm_req *r);
int khm_h_whoami(khm_req *r);
int khm_h_decide(khm_req *r);
int khm_h_scan(khm_req *r);
int khm_h_datasets_list(khm_req *r);
int khm_h_datasets_create(khm_req *r);
int khm_h_datasets_get(khm_req *r);
int khm_h_datasets_update(khm_req *r);
int khm_h_datasets_archive(khm_req *r);
int khm_h_datasets_classification(khm_req *r);
int khm_h_datasets_classify(khm_req *r);
int khm_h_datamap(khm_req *r);
int khm_h_datasets_quality(khm_req *r);
int khm_h_datasets_quality_compute(khm_req *r);
int khm_h_datasets_quality_compute_prepare(khm_req *r);
int khm_h_resources_list(khm_req *r);
int khm_h_resources_upload(khm_req *r);
int khm_h_resources_upload_prepare(khm_req *r);
int khm_h_resources_get(khm_req *r);
int khm_h_resources_download(khm_req *r);
int khm_h_resources_delete(khm_req *r);
int khm_h_resources_scan(khm_req *r);
int khm_h_resources_scan_prepare(khm_req *r);
int khm_h_datasets_scan(khm_req *r);
int khm_h_datasets_scan_prepare(khm_req *r);
int khm_h_agencies_list(khm_req *r);
int khm_h_agencies_create(khm_req *r);
int khm_h_agencies_get(khm_req *r);
int khm_h_agencies_update(khm_req *r);
int khm_h_ropa_list(khm_req *r);
int khm_h_ropa_create(khm_req *r);
int khm_h_ropa_get(khm_req *r);
int khm_h_ropa_update(khm_req *r);
int khm_h_ropa_delete(khm_req *r);
int khm_h_ropa_refusal_add(khm_req *r);
int khm_h_ropa_completeness(khm_req *r);
int khm_h_ropa_export(khm_req *r);
int khm_h_users_list(khm_req *r);
int khm_h_users_create(khm_req *r);
int khm_h_users_get(khm_req *r);
int khm_h_users_disable(khm_req *r);
int khm_h_users_enable(khm_req *r);
int khm_h_tokens_list(khm_req *r);
int khm_h_tokens_create(khm_req *r);
int khm_h_tokens_get(khm_req *r);
int khm_h_tokens_revoke(khm_req *r);
int khm_h_audit_list(khm_req *r);
int khm_h_audit_verify(khm_req *r);
int khm_h_requests_list(khm_req *r);
int khm_h_requests_create(khm_req *r);
int khm_h_requests_get(khm_req *r);
int khm_h_requests_transition(khm_req *r);
int khm_h_requests_note(khm_req *r);
int khm_h_requests_discover(khm_req *r);
int khm_h_requests_package(khm_req *r);
int khm_h_breaches_list(khm_req *r);
int khm_h_breaches_create(khm_req *r);
int khm_h_breaches_get(khm_req *r);
int khm_h_breaches_update(khm_req *r);
int khm_h_breaches_action(khm_req *r);
int khm_h_breaches_notify_office(khm_req *r);
int khm_h_breaches_notify_subjects(khm_req *r);
int khm_h_breaches_close(khm_req *r);
int khm_h_receipts_verify(khm_req *r);
int khm_h_purposes_list(khm_req *r);
int khm_h_purposes_create(khm_req *r);
int khm_h_purposes_get(khm_req *r);
int khm_h_purposes_update(khm_req *r);
int khm_h_purposes_retire(khm_req *r);
int khm_h_consents_grant(khm_req *r);
int khm_h_consents_withdraw(khm_req *r);
int khm_h_consents_history(khm_req *r);
int khm_h_consents_check(khm_req *r);
int khm_h_consents_check_batch(khm_req *r);
int khm_h_ui_index(khm_req *r);
int khm_h_ui_asset(khm_req *r);

/* Embedded assets lookup (h_static.c). */
const void *khm_asset_find(const char *path);

#endif
