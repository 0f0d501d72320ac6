/* Tests for src/server/routes.c: walk the route table (style.md §2.7, §2.10). Every row is
 * unique, names a scope and an audit event, and has its page docs/api/<doc>.md and its
 * operation in docs/openapi.json, with matching details; every page and every operation has a
 * row. Run from the repository root. */
#include "unit.h"

#include "server_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <khomun/server.h>

#define API_DOCS "docs/api"
#define OPENAPI  "docs/openapi.json"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    assert_non_null(p);
    size_t r;
    while ((r = fread(p + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            cap *= 2;
            p = realloc(p, cap);
            assert_non_null(p);
        }
    }
    p[n] = '\0';
    fclose(f);
    return p;
}

/* The value of front-matter key @p key ("Route") in @p doc, copied into @p out; 0 if absent.
 * Front matter is the block between the first two lines that are exactly "---". */
static int front_matter(const char *doc, const char *key, char *out, size_t cap)
{
    if (strncmp(doc, "---\n", 4) != 0)
        return 0;
    const char *end = strstr(doc + 4, "\n---\n");
    if (!end)
        return 0;
    size_t klen = strlen(key);
    for (const char *line = doc + 4; line < end;) {
        const char *nl = strchr(line, '\n');
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            const char *v = line + klen + 1;
            while (*v == ' ')
                v++;
            size_t n = (size_t)(nl - v);
            while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
                n--;
            snprintf(out, cap, "%.*s", (int)n, v);
            return 1;
        }
        line = nl + 1;
    }
    return 0;
}

static int event_ok(const char *e)
{
    /* area.verb: lower-case letters and '_' on each side of one dot */
    const char *dot = strchr(e, '.');
    if (!dot || dot == e || !dot[1] || strchr(dot + 1, '.'))
        return 0;
    for (const char *p = e; *p; p++)
        if (p != dot && !(islower((unsigned char)*p) || *p == '_'))
            return 0;
    return 1;
}

static void test_server_routes__rows_unique_and_complete(void **state)
{
    (void)state;
    size_t n = 0;
    const khm_route_info *r = khm_server_routes(&n);
    assert_non_null(r);
    assert_true(n > 0);
    assert_int_equal(n, khm_route_count);
    static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].method);
        assert_non_null(r[i].pattern);
        int known = 0;
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
            known |= strcmp(r[i].method, methods[m]) == 0;
        if (!known)
            fail_msg("row %zu: method '%s'", i, r[i].method);
        assert_true(r[i].pattern[0] == '/');
        if (!r[i].scope)
            fail_msg("%s %s: scope out of range", r[i].method, r[i].pattern);
        if (!r[i].event || !event_ok(r[i].event))
            fail_msg("%s %s: audit event '%s' is not area.verb", r[i].method, r[i].pattern,
                     r[i].event ? r[i].event : "(null)");
        if (!r[i].doc || !*r[i].doc)
            fail_msg("%s %s: no doc page named", r[i].method, r[i].pattern);
        if (!khm_route_table[i].fn)
            fail_msg("%s %s: no handler", r[i].method, r[i].pattern);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(r[i].method, r[j].method) == 0 && strcmp(r[i].pattern, r[j].pattern) == 0)
                fail_msg("%s %s appears twice", r[i].method, r[i].pattern);
            if (strcmp(r[i].doc, r[j].doc) == 0)
                fail_msg("doc page '%s' is used by two rows", r[i].doc);
            if (strcmp(r[i].event, r[j].event) == 0)
                fail_msg("audit event '%s' is used by two rows", r[i].event);
        }
    }
}

static void test_server_routes__every_row_has_matching_page(void **state)
{
    (void)state;
    size_t n = 0;
    const khm_route_info *r = khm_server_routes(&n);
    for (size_t i = 0; i < n; i++) {
        char path[512], v[512], want[512];
        snprintf(path, sizeof(path), "%s/%s.md", API_DOCS, r[i].doc);
        char *doc = slurp(path);
        if (!doc)
            fail_msg("%s %s: page %s is missing", r[i].method, r[i].pattern, path);
        snprintf(want, sizeof(want), "%s %s", r[i].method, r[i].pattern);
        if (!front_matter(doc, "Route", v, sizeof(v)) || strcmp(v, want) != 0)
            fail_msg("%s: 'Route: %s' expected", path, want);
        if (!front_matter(doc, "Scope", v, sizeof(v)) || strcmp(v, r[i].scope) != 0)
            fail_msg("%s: 'Scope: %s' expected", path, r[i].scope);
        if (!front_matter(doc, "Audit-event", v, sizeof(v)) || strcmp(v, r[i].event) != 0)
            fail_msg("%s: 'Audit-event: %s' expected", path, r[i].event);
        free(doc);
    }
}

static void test_server_routes__every_page_has_row(void **state)
{
    (void)state;
    size_t n = 0, pages = 0;
    const khm_route_info *r = khm_server_routes(&n);
    DIR *d = opendir(API_DOCS);
    if (!d)
        fail_msg("cannot open %s (run from the repository root)", API_DOCS);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 ||
            strcmp(e->d_name, "README.md") == 0)
            continue;
        pages++;
        int found = 0;
        for (size_t i = 0; i < n && !found; i++)
            found = strlen(r[i].doc) == len - 3 && strncmp(r[i].doc, e->d_name, len - 3) == 0;
        if (!found)
            fail_msg("%s/%s has no row in the route table", API_DOCS, e->d_name);
    }
    closedir(d);
    assert_int_equal(pages, n);
}

static int is_operation(const char *key)
{
    static const char *const ops[] = { "get",     "put",  "post",  "delete",
                                       "options", "head", "patch", "trace" };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(key, ops[i]) == 0)
            return 1;
    return 0;
}

static void test_server_routes__openapi_matches_table(void **state)
{
    (void)state;
    size_t n = 0;
    const khm_route_info *r = khm_server_routes(&n);
    json_error_t err;
    json_t *api = json_load_file(OPENAPI, 0, &err);
    if (!api)
        fail_msg("%s: %s (line %d)", OPENAPI, err.text, err.line);
    json_t *paths = json_object_get(api, "paths");
    assert_true(json_is_object(paths));

    for (size_t i = 0; i < n; i++) {
        char m[16];
        size_t k;
        for (k = 0; r[i].method[k] && k < sizeof(m) - 1; k++)
            m[k] = (char)tolower((unsigned char)r[i].method[k]);
        m[k] = '\0';
        json_t *op = json_object_get(json_object_get(paths, r[i].pattern), m);
        if (!json_is_object(op))
            fail_msg("%s: no operation %s %s", OPENAPI, m, r[i].pattern);
        const char *scope = json_string_value(json_object_get(op, "x-khomun-scope"));
        const char *event = json_string_value(json_object_get(op, "x-khomun-event"));
        if (!scope || strcmp(scope, r[i].scope) != 0)
            fail_msg("%s %s %s: x-khomun-scope '%s', table says '%s'", OPENAPI, m, r[i].pattern,
                     scope ? scope : "(none)", r[i].scope);
        if (!event || strcmp(event, r[i].event) != 0)
            fail_msg("%s %s %s: x-khomun-event '%s', table says '%s'", OPENAPI, m, r[i].pattern,
                     event ? event : "(none)", r[i].event);
    }

    /* and nothing in the document that the server does not route */
    const char *pattern;
    json_t *item;
    json_object_foreach(paths, pattern, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            if (!is_operation(method))
                continue;
            int found = 0;
            for (size_t i = 0; i < n && !found; i++)
                found = strcmp(r[i].pattern, pattern) == 0 && strcasecmp(r[i].method, method) == 0;
            if (!found)
                fail_msg("%s: operation %s %s has no row in the route table", OPENAPI, method,
                         pattern);
        }
    }
    json_decref(api);
}

/* The reference for khm_router_match(): the first row of @p method whose pattern matches
 * @p path ({name} is one non-empty segment), walking the table in order. */
static const khm_route *first_row(const char *method, const char *path)
{
    for (size_t i = 0; i < khm_route_count; i++) {
        const char *pat = khm_route_table[i].pattern, *p = path;
        if (strcmp(khm_route_table[i].method, method) != 0)
            continue;
        while (*pat && *p) {
            if (*pat == '{') {
                const char *seg = p;
                while (*p && *p != '/')
                    p++;
                if (p == seg)
                    break;
                pat = strchr(pat, '}') + 1;
            } else if (*pat++ != *p++) {
                pat = "!";
                break;
            }
        }
        if (!*pat && !*p)
            return &khm_route_table[i];
    }
    return NULL;
}

/* Every row's path (parameters filled in) finds the row the table's order gives, for its
 * method and, for GET rows, HEAD; a path or method the table lacks finds none. */
static void test_server_routes__match_follows_table_order(void **state)
{
    (void)state;
    khm_req r;
    char allow[64];
    for (size_t i = 0; i < khm_route_count; i++) {
        char path[256];
        size_t n = 0;
        for (const char *pat = khm_route_table[i].pattern; *pat && n < sizeof(path) - 8;) {
            if (*pat == '{') {
                memcpy(path + n, "v-1", 3);
                n += 3;
                pat = strchr(pat, '}') + 1;
            } else
                path[n++] = *pat++;
        }
        path[n] = '\0';
        const char *methods[] = { khm_route_table[i].method, "HEAD" };
        for (size_t m = 0; m < 2; m++) {
            if (m == 1 && strcmp(khm_route_table[i].method, "GET") != 0)
                continue;
            memset(&r, 0, sizeof(r));
            r.arena = khm_arena_new(0);
            assert_non_null(r.arena);
            r.method = methods[m];
            r.path = path;
            const khm_route *want = first_row(methods[m], path);
            if (!want && m == 1)
                want = first_row("GET", path);
            const khm_route *got = khm_router_match(&r, allow, sizeof(allow));
            if (got != want)
                fail_msg("%s %s: row %s %s, want %s %s", methods[m], path, got ? got->method : "-",
                         got ? got->pattern : "-", want ? want->method : "-",
                         want ? want->pattern : "-");
            khm_arena_free(r.arena);
        }
    }
    const char *none[][2] = { { "GET", "/healthz/" },
                              { "GET", "/healthzz" },
                              { "GET", "/" },
                              { "PATCH", "/healthz" },
                              { "GET", "/api/v1/consents/check/x" },
                              { "GETTINGLONG", "/healthz" } };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        memset(&r, 0, sizeof(r));
        r.arena = khm_arena_new(0);
        assert_non_null(r.arena);
        r.method = none[i][0];
        r.path = none[i][1];
        assert_ptr_equal(khm_router_match(&r, allow, sizeof(allow)),
                         first_row(none[i][0], none[i][1]));
        khm_arena_free(r.arena);
    }
}

KHM_UNIT_MAIN(cmocka_unit_test(test_server_routes__rows_unique_and_complete),
              cmocka_unit_test(test_server_routes__every_row_has_matching_page),
              cmocka_unit_test(test_server_routes__every_page_has_row),
              cmocka_unit_test(test_server_routes__openapi_matches_table),
              cmocka_unit_test(test_server_routes__match_follows_table_order))
