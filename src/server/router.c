/* The router: match the route table, authenticate, check the route's scope, check and parse
 * the body, run the handler, turn any error into an RFC 9457 problem, add the common headers,
 * queue the reply and write one access-log line with the route's audit event. Handlers do
 * none of these themselves. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/log.h>
#include <khomun/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Match @p pat against @p path; {name} matches one non-empty segment. */
static int match(const char *pat, const char *path, khm_req *r)
{
    int np = 0;
    const char *params[KHM_MAX_PARAMS];
    size_t plen[KHM_MAX_PARAMS];
    while (*pat && *path) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            const char *end = strchr(path, '/');
            if (!end)
                end = path + strlen(path);
            if (end == path || np == KHM_MAX_PARAMS || !close)
                return 0;
            params[np] = path;
            plen[np++] = (size_t)(end - path);
            pat = close + 1;
            path = end;
        } else if (*pat++ != *path++) {
            return 0;
        }
    }
    if (*pat || *path)
        return 0;
    if (r) {
        for (int i = 0; i < np; i++)
            r->params[i] = khm_arena_strndup(r->arena, params[i], plen[i]);
        r->nparams = np;
    }
    return 1;
}

/* Per route, made once: the length of the pattern's literal prefix (up to its first '{') and
 * whether that prefix is the whole pattern. A path is then ruled out by its length and one
 * memcmp instead of a character walk through every row of the table (the consent check is
 * row ~100); the order of the table still decides, as before. */
typedef struct {
    size_t lit, len;
    int exact;
    uint64_t method; /* the method's first eight bytes, zero-padded: compared as one word */
} route_key;
static route_key *route_keys;
static pthread_once_t route_keys_once = PTHREAD_ONCE_INIT;

/* The rows without a parameter, by (method, path): one hash probe instead of a walk through
 * the table for the busiest routes (/healthz is row 1, the consent check row ~70). A row is
 * left out when an earlier row of its method would match its path: the order of the table
 * still decides. Slots hold the row + 1; 0 is empty. */
#define EXACT_SLOTS 256u
static uint16_t exact_slot[EXACT_SLOTS];
static int head_rows; /* the table has HEAD rows of its own */

static uint32_t exact_hash(uint64_t mw, const char *path, size_t n)
{
    uint64_t h = (mw ^ 0xcbf29ce484222325ULL) * 0x100000001b3ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)path[i]) * 0x100000001b3ULL;
    return (uint32_t)(h ^ (h >> 32));
}

/* Methods are short ("DELETE" is the longest): the eight bytes with the NUL say which. */
static uint64_t method_word(const char *m)
{
    char w[8] = { 0 };
    size_t n = strnlen(m, sizeof(w));
    if (n == sizeof(w))
        return 0; /* no route has such a method: never equal to a route's word */
    memcpy(w, m, n);
    uint64_t v;
    memcpy(&v, w, sizeof(v));
    return v;
}

static void route_keys_make(void)
{
    route_key *k = calloc(khm_route_count ? khm_route_count : 1, sizeof(*k));
    if (!k)
        return; /* the plain walk below still matches */
    for (size_t i = 0; i < khm_route_count; i++) {
        const char *pat = khm_route_table[i].pattern, *brace = strchr(pat, '{');
        k[i].len = strlen(pat);
        k[i].lit = brace ? (size_t)(brace - pat) : k[i].len;
        k[i].exact = !brace;
        k[i].method = method_word(khm_route_table[i].method);
        head_rows |= strcmp(khm_route_table[i].method, "HEAD") == 0;
    }
    /* at most half full, so that a probe ends; a table that outgrows it just walks */
    if (khm_route_count < EXACT_SLOTS / 2 && khm_route_count < UINT16_MAX)
        for (size_t i = 0; i < khm_route_count; i++) {
            const char *pat = khm_route_table[i].pattern;
            int shadowed = !k[i].exact || !k[i].method;
            for (size_t j = 0; j < i && !shadowed; j++)
                shadowed =
                    k[j].method == k[i].method && match(khm_route_table[j].pattern, pat, NULL);
            if (shadowed)
                continue;
            uint32_t s = exact_hash(k[i].method, pat, k[i].len) & (EXACT_SLOTS - 1);
            while (exact_slot[s])
                s = (s + 1) & (EXACT_SLOTS - 1);
            exact_slot[s] = (uint16_t)(i + 1);
        }
    route_keys = k;
}

/* The parameterless row of method word @p mw for @p path (see exact_slot), or -1. */
static long exact_row(uint64_t mw, const char *path, size_t plen)
{
    if (!route_keys || !mw)
        return -1;
    for (uint32_t s = exact_hash(mw, path, plen) & (EXACT_SLOTS - 1); exact_slot[s];
         s = (s + 1) & (EXACT_SLOTS - 1)) {
        size_t i = exact_slot[s] - 1u;
        if (route_keys[i].method == mw && route_keys[i].len == plen &&
            memcmp(khm_route_table[i].pattern, path, plen) == 0)
            return (long)i;
    }
    return -1;
}

/* Whether row @p i is for the method of word @p mw (strcmp without the keys). */
static int same_method(size_t i, uint64_t mw, const char *m)
{
    if (route_keys)
        return mw && route_keys[i].method == mw;
    return strcmp(khm_route_table[i].method, m) == 0;
}

/* match() for row @p i of the table against @p path of @p plen bytes. */
static int match_row(size_t i, const char *path, size_t plen, khm_req *r)
{
    const char *pat = khm_route_table[i].pattern;
    if (route_keys) {
        const route_key *k = &route_keys[i];
        if (k->exact) {
            if (plen != k->len || memcmp(pat, path, plen) != 0)
                return 0;
            if (r)
                r->nparams = 0;
            return 1;
        }
        if (plen <= k->lit || memcmp(pat, path, k->lit) != 0)
            return 0;
        return match(pat + k->lit, path + k->lit, r);
    }
    return match(pat, path, r);
}

const khm_route *khm_router_match(khm_req *r, char *allow, size_t allow_cap)
{
    size_t plen = strlen(r->path);
    allow[0] = '\0';
    pthread_once(&route_keys_once, route_keys_make);
    uint64_t mw = method_word(r->method), get = method_word("GET");
    long x = exact_row(mw, r->path, plen);
    if (x < 0 && !head_rows && strcmp(r->method, "HEAD") == 0)
        x = exact_row(get, r->path, plen); /* HEAD is GET's (below), when no row is HEAD's */
    if (x >= 0) {
        r->nparams = 0;
        return &khm_route_table[x];
    }
    for (size_t i = 0; i < khm_route_count; i++) {
        if (same_method(i, mw, r->method) && match_row(i, r->path, plen, r))
            return &khm_route_table[i];
    }
    /* HEAD is answered as GET by MHD (without the body) */
    if (strcmp(r->method, "HEAD") == 0) {
        for (size_t i = 0; i < khm_route_count; i++) {
            if (same_method(i, get, "GET") && match_row(i, r->path, plen, r))
                return &khm_route_table[i];
        }
    }
    /* no route: the methods the path has (405 with Allow), or none (404) */
    for (size_t i = 0; i < khm_route_count; i++) {
        const khm_route *rt = &khm_route_table[i];
        if (!same_method(i, mw, r->method) && match_row(i, r->path, plen, NULL) &&
            !strstr(allow, rt->method)) {
            size_t l = strlen(allow);
            snprintf(allow + l, allow_cap - l, "%s%s", l ? ", " : "", rt->method);
        }
    }
    return NULL;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void client_addr(khm_req *r, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "?");
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET && cap >= INET_ADDRSTRLEN) {
        /* dotted quad by hand: inet_ntop formats through sprintf, on every audited request */
        const unsigned char *a =
            (const unsigned char *)&((const struct sockaddr_in *)(const void *)ci->client_addr)
                ->sin_addr;
        char *p = out;
        for (int i = 0; i < 4; i++) {
            unsigned v = a[i];
            if (v >= 100)
                *p++ = (char)('0' + v / 100);
            if (v >= 10)
                *p++ = (char)('0' + v / 10 % 10);
            *p++ = (char)('0' + v % 10);
            *p++ = i < 3 ? '.' : '\0';
        }
    } else if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  out, (socklen_t)cap);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
                  (socklen_t)cap);
}

static void access_log(khm_req *r)
{
    if (khm_log_get_level() > KHM_LOG_INFO)
        return;
    char fields[2048], addr[64];
    khm_buf b = KHM_BUF_INIT(sizeof(fields) - 1);
    b.ptr = fields; /* stack buffer: never reallocated, the cap keeps us inside it */
    b.cap = sizeof(fields);
    client_addr(r, addr, sizeof(addr));
    int rc = khm_buf_printf(&b, "\"request_id\":\"%s\",\"method\":\"%s\",\"path\":\"",
                            r->request_id, r->method);
    if (rc == 0)
        rc = khm_buf_json_escape(&b, r->path, strnlen(r->path, 512));
    if (rc == 0)
        rc = khm_buf_printf(&b, "\",\"status\":%u,\"event\":\"%s\"", r->status, r->event);
    if (rc == 0 && r->authed)
        rc = khm_buf_printf(&b, ",\"user_id\":\"%s\",\"agency_id\":\"%s\",\"token_id\":\"%s\"",
                            r->who.user.id, r->who.agency.id, r->who.token.id);
    if (rc == 0)
        rc = khm_buf_printf(&b, ",\"duration_us\":%lld,\"client\":\"%s\"",
                            (long long)(now_us() - r->start_us), addr);
    khm_log_json(r->status >= 500 ? KHM_LOG_ERROR : KHM_LOG_INFO, "request", rc == 0 ? fields : "");
}

static void send_reply(khm_req *r)
{
    struct MHD_Response *resp = r->resp;
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'");
    if (!MHD_get_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_queue_response(r->conn, r->status, resp);
    MHD_destroy_response(resp);
    r->resp = NULL;
    access_log(r);
}

/* Turn the last error into the reply. Internal errors keep their details in the log only. */
static void fail(khm_req *r, int code)
{
    char detail[512];
    const khm_err_info *info = khm_err_info_get(code);
    if (info->http_status >= 500 && code != KHM_EUNAVAIL) {
        char fields[700];
        khm_buf b = KHM_BUF_INIT(sizeof(fields) - 1);
        b.ptr = fields;
        b.cap = sizeof(fields);
        if (khm_buf_printf(&b, "\"request_id\":\"%s\",\"error\":\"", r->request_id) == 0 &&
            khm_buf_json_escape(&b, khm_err_last()->message, strlen(khm_err_last()->message)) ==
                0 &&
            khm_buf_putc(&b, '"') == 0)
            khm_log_json(KHM_LOG_ERROR, "internal error", fields);
        snprintf(detail, sizeof(detail), "internal error (request %s; see the server log)",
                 r->request_id);
    } else {
        snprintf(detail, sizeof(detail), "%s", khm_err_last()->message);
    }
    r->audit_reasons = khm_arena_strdup(r->arena, detail);
    if (khm_reply_problem(r, code, detail) < 0) {
        static const char oom[] = "{\"type\":\"urn:khomun:problem:internal\",\"status\":500}";
        khm_reply_bytes(r, 500, "application/problem+json", oom, sizeof(oom) - 1, 1);
    }
}

/* application/json, optionally with parameters; anything else is 415. */
static int json_content_type(const char *ct)
{
    static const char want[] = "application/json";
    if (!ct || strncasecmp(ct, want, sizeof(want) - 1) != 0)
        return 0;
    char c = ct[sizeof(want) - 1];
    return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

/* The request's audit event: who did what to which target, and how it ended. */
static void build_event(khm_req *r, khm_audit_event *ev, char *client, size_t cap)
{
    memset(ev, 0, sizeof(*ev));
    client_addr(r, client, cap);
    if (r->authed) {
        ev->actor_user = r->who.user.id;
        ev->actor_agency = r->who.agency.id;
        ev->token_id = r->who.token.id;
    }
    ev->action = r->event;
    ev->target = r->audit_target ? r->audit_target : r->path;
    ev->purpose = r->has_purpose ? r->purpose.code : NULL;
    ev->status = (int)r->status;
    ev->outcome = khm_audit_outcome(ev->status);
    ev->reasons = r->audit_reasons;
    if (!ev->reasons && r->decision.rule) {
        /* "allowed by rule R (policy V)[; detail]", without printf: on every audited request */
        const char *part[] = { "allowed by rule ",
                               r->decision.rule,
                               " (policy ",
                               r->decision.policy_version,
                               ")",
                               r->audit_detail ? "; " : "",
                               r->audit_detail ? r->audit_detail : "" };
        size_t len[sizeof(part) / sizeof(part[0])], total = 1;
        for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++)
            total += len[i] = strlen(part[i]);
        char *p = khm_arena_alloc(r->arena, total);
        if (p) {
            char *q = p;
            for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
                memcpy(q, part[i], len[i]);
                q += len[i];
            }
            *q = '\0';
        }
        ev->reasons = p;
    }
    ev->request_id = r->request_id;
    ev->client = client;
}

static int auditable(const khm_req *r)
{
    return !(r->route && (r->route->flags & KHM_ROUTE_NOAUDIT) && r->status < 400);
}

/* Called by the audit writer's thread: the parked request's event is durable (or lost). */
static void audit_settled(void *arg, int rc)
{
    khm_req *r = arg;
    r->audit_rc = rc;
    MHD_resume_connection(r->conn);
}

/* Answer once the audit event is durable: park the connection (the worker thread goes on
 * serving others) and let the writer resume it. The reply is sent by khm_router_resumed().
 * A success on a KHM_ROUTE_AUDIT_AGGREGATE route is counted into its aggregate (target: the
 * route, not the record) and answered at once; when the writer cannot count it, it is an
 * event of its own like any other. */
static void reply_after_audit(khm_req *r)
{
    khm_audit_event ev;
    char client[64];
    if (r->audited || !auditable(r)) {
        send_reply(r);
        return;
    }
    build_event(r, &ev, client, sizeof(client));
    if (r->route && (r->route->flags & KHM_ROUTE_AUDIT_AGGREGATE) && r->status < 400) {
        const char *target = ev.target;
        ev.target = r->route->pattern;
        if (khm_audit_writer_aggregate(r->srv->audit, &ev) == 0) {
            send_reply(r);
            return;
        }
        khm_err_clear();
        ev.target = target;
    }
    r->parked = 1;
    MHD_suspend_connection(r->conn);
    if (khm_audit_writer_enqueue_cb(r->srv->audit, &ev, audit_settled, r) < 0) {
        r->parked = 0;
        MHD_resume_connection(r->conn);
        r->audit_rc = KHM_EUNAVAIL;
        khm_router_resumed(r);
    }
}

void khm_router_resumed(khm_req *r)
{
    r->parked = 0;
    if (r->audit_rc < 0) {
        /* the audit could not be written: the request fails, whatever it did (PDPA s.37) */
        khm_err_set(KHM_EUNAVAIL, "the audit trail cannot be written; the request is refused");
        r->audit_reasons = NULL;
        fail(r, KHM_EUNAVAIL);
    }
    send_reply(r);
}

void khm_router_early(khm_req *r, int code, const char *detail, const char *allow)
{
    khm_audit_event ev;
    char client[64];
    khm_err_clear();
    if (!r->event)
        r->event = r->route ? r->route->event : "http.error";
    r->audit_reasons = detail;
    if (khm_reply_problem(r, code, detail) < 0) {
        static const char oom[] = "{\"type\":\"urn:khomun:problem:internal\",\"status\":500}";
        khm_reply_bytes(r, 500, "application/problem+json", oom, sizeof(oom) - 1, 1);
    }
    if (allow && *allow)
        MHD_add_response_header(r->resp, MHD_HTTP_HEADER_ALLOW, allow);
    /* refused before the body was read (no route, no such method, too large): the event is
     * queued, not awaited — MHD cannot park a connection whose body is still arriving */
    build_event(r, &ev, client, sizeof(client));
    if (khm_audit_writer_enqueue(r->srv->audit, &ev, NULL) < 0)
        khm_log(KHM_LOG_ERROR, "audit: could not queue the event of request %s", r->request_id);
    send_reply(r);
}

/* Why the data is read (PDPA s.24, s.26): X-Khomun-Purpose (a purpose code),
 * X-Khomun-Purpose-Basis (consent, s24(1) … s24(6) or an alias), X-Khomun-S26-Exception
 * (s26(1) … s26(5)), X-Khomun-Explicit-Consent (true/false), or the query parameters purpose,
 * purpose_basis, s26_exception, explicit_consent. Only read-data routes read them. */
static const struct {
    const char *name;
    size_t len;
    enum MHD_ValueKind kind;
} purpose_names[8] = {
    { "X-Khomun-Purpose", 16, MHD_HEADER_KIND },
    { "X-Khomun-Purpose-Basis", 22, MHD_HEADER_KIND },
    { "X-Khomun-S26-Exception", 22, MHD_HEADER_KIND },
    { "X-Khomun-Explicit-Consent", 25, MHD_HEADER_KIND },
    { "purpose", 7, MHD_GET_ARGUMENT_KIND },
    { "purpose_basis", 13, MHD_GET_ARGUMENT_KIND },
    { "s26_exception", 13, MHD_GET_ARGUMENT_KIND },
    { "explicit_consent", 16, MHD_GET_ARGUMENT_KIND },
};

typedef struct {
    const char *v[8]; /* of purpose_names */
    unsigned found;
} purpose_scan;

/* OPTIMIZATION: one walk over the request's headers and arguments instead of eight lookups
 * (each a walk): as MHD_lookup_connection_value, the first of each name (ASCII case-insensitive,
 * the whole name) gives the value, NULL included. */
static enum MHD_Result purpose_scan_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                        size_t key_size, const char *value, size_t value_size)
{
    purpose_scan *ps = cls;
    (void)value_size;
    for (unsigned i = 0; i < 8; i++)
        if (!(ps->found & (1u << i)) && purpose_names[i].kind == kind &&
            purpose_names[i].len == key_size &&
            strncasecmp(key, purpose_names[i].name, key_size) == 0) {
            ps->found |= 1u << i;
            ps->v[i] = value;
            break;
        }
    return MHD_YES;
}

static int parse_purpose(khm_req *r)
{
    purpose_scan ps = { { NULL }, 0 };
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND | MHD_GET_ARGUMENT_KIND, purpose_scan_one,
                                &ps);
    /* the header, else the query parameter */
    const char *code = ps.v[0] ? ps.v[0] : ps.v[4];
    const char *basis = ps.v[1] ? ps.v[1] : ps.v[5];
    const char *s26 = ps.v[2] ? ps.v[2] : ps.v[6];
    const char *consent = ps.v[3] ? ps.v[3] : ps.v[7];
    int bad = 0;
    khm_err_clear();
    if (!code && !basis && !s26 && !consent)
        return 0;
    memset(&r->purpose, 0, sizeof(r->purpose));
    r->has_purpose = 1;
    if (code && (!*code || strlen(code) > 100))
        bad = khm_err_field("purpose", "รหัสวัตถุประสงค์ยาว 1–100 ตัวอักษร",
                            "the purpose code must be 1-100 characters");
    r->purpose.code = code;
    if (basis && khm_basis_parse(basis, &r->purpose.basis) < 0)
        bad = 1; /* (named "basis") */
    if (s26 && khm_s26_parse(s26, &r->purpose.s26_exception) < 0)
        bad = 1;
    if (consent) {
        if (strcmp(consent, "true") == 0 || strcmp(consent, "1") == 0)
            r->purpose.explicit_consent = 1;
        else if (strcmp(consent, "false") != 0 && strcmp(consent, "0") != 0)
            bad = khm_err_field("explicit_consent", "ต้องเป็น true หรือ false",
                                "must be true or false, not '%s'", consent);
    }
    return bad ? KHM_EINVALID : 0;
}

int khm_router_admit(khm_req *r)
{
    const khm_route *rt = r->route;
    int rc;
    if (r->admitted)
        return 0;
    if (!(rt->flags & KHM_ROUTE_PUBLIC)) {
        const char *authz =
            MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        /* optional authentication: without a token the request is decided for an anonymous
         * caller (public datasets); a token that is sent must be good */
        if (authz || !(rt->flags & KHM_ROUTE_OPTAUTH)) {
            if ((rc = khm_authn_bearer(r->srv->authn, &r->who, authz, khm_time_now_ms(),
                                       r->arena)) < 0)
                return rc;
            r->authed = 1;
        }
    }
    if (rt->action == KHM_ACTION_READ_DATA && (rc = parse_purpose(r)) < 0)
        return rc;
    /* one place decides: the policy decision point, for every route (issue 6) */
    khm_resource res = KHM_RESOURCE_INIT(rt->kind);
    if (rt->resolve && (rc = rt->resolve(r, &res)) < 0)
        return rc;
    if ((rc = khm_access_decide(r->policy, r->authed ? &r->who : NULL, rt->action, &res,
                                r->has_purpose ? &r->purpose : NULL, &r->decision)) < 0)
        return rc;
    if (!r->decision.allow)
        return khm_err_set(KHM_EDENIED,
                           "%s %s is not allowed for the role '%s': %s (rule %s, policy %s)",
                           khm_action_name(rt->action), khm_resource_kind_name(rt->kind),
                           r->authed ? khm_role_name(r->who.user.role) : "anonymous",
                           r->decision.reason, r->decision.rule, r->decision.policy_version);
    r->admitted = 1;
    return 0;
}

void khm_router_refuse(khm_req *r, int rc)
{
    char detail[512];
    const khm_err_info *info = khm_err_info_get(rc);
    if (info->http_status >= 500 && rc != KHM_EUNAVAIL)
        snprintf(detail, sizeof(detail), "internal error (request %s; see the server log)",
                 r->request_id);
    else
        snprintf(detail, sizeof(detail), "%s", khm_err_last()->message);
    if (info->http_status >= 500)
        khm_log(KHM_LOG_ERROR, "request %s: %s", r->request_id, khm_err_last()->message);
    r->event = r->route ? r->route->event : "http.error";
    khm_router_early(r, rc, khm_arena_strdup(r->arena, detail), NULL);
}

void khm_router_finish(khm_req *r)
{
    const khm_route *rt = r->route;
    int rc;
    khm_err_clear();
    r->event = rt->event;
    if (r->too_large) {
        if (rt->flags & KHM_ROUTE_STREAM)
            rc = khm_err_set(KHM_ELIMIT,
                             "the upload is over the %llu-byte limit (khomun serve --max-upload); "
                             "nothing was stored",
                             (unsigned long long)r->srv->opts.max_upload);
        else
            rc = khm_err_set(KHM_ELIMIT, "request body is over the %zu-byte limit", r->body.max);
        goto out;
    }
    if ((rc = khm_router_admit(r)) < 0)
        goto out;
    if (r->upload_rc < 0) {
        rc = khm_err_set(r->upload_rc, "the upload could not be stored (see the server log)");
        goto out;
    }
    if (rt->flags & KHM_ROUTE_BODY) {
        const char *ct =
            MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!json_content_type(ct)) {
            rc = khm_err_set(KHM_EMEDIA, "send the body as Content-Type: application/json (got %s)",
                             ct ? ct : "none");
            goto out;
        }
        if ((rc = khm_json_parse(&r->json, r->body.ptr ? r->body.ptr : "", r->body.len, r->body.max,
                                 0)) < 0)
            goto out;
    }
    if (rt->prepare && (rc = rt->prepare(r)) < 0)
        goto out;
    if ((rt->flags & KHM_ROUTE_WRITE) && (rc = khm_tx_begin(&r->tx, r->srv->store, 1)) < 0)
        goto out;
    rc = rt->fn(r);
    if (r->tx) {
        int committed = 0;
        /* the change and its audit event commit together, or neither does */
        if (rc == 0 && r->resp) {
            khm_audit_event ev;
            char client[64];
            build_event(r, &ev, client, sizeof(client));
            if ((rc = khm_audit_append(r->tx, &ev, NULL)) == 0)
                rc = khm_tx_commit(r->tx);
            else
                khm_tx_rollback(r->tx);
            r->audited = rc == 0;
            committed = rc == 0;
            if (rc == 0) /* counts towards the writer's "checkpoint every N events" */
                khm_audit_writer_note(r->srv->audit, 1);
        } else {
            khm_tx_rollback(r->tx);
        }
        r->tx = NULL;
        if (r->after_tx)
            r->after_tx(r, committed);
    }
out:
    if (rc < 0)
        fail(r, rc);
    else if (!r->resp) {
        khm_err_set(KHM_ERROR, "handler for %s %s made no reply", rt->method, rt->pattern);
        fail(r, KHM_ERROR);
    }
    reply_after_audit(r);
}
