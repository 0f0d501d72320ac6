/* Replies: JSON bodies, RFC 9457 problems built from the library's one error table, and the
 * small helpers handlers share (query parameters, pagination envelopes). */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/json.h>

#include <string.h>
#include <unistd.h>

static int set_resp(khm_req *r, unsigned status, struct MHD_Response *resp, const char *ctype)
{
    if (!resp)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if (r->resp)
        MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = status;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    return 0;
}

int khm_reply_bytes(khm_req *r, unsigned status, const char *ctype, const void *data, size_t len,
                    int persistent)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, (void *)(uintptr_t)data, persistent ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    return set_resp(r, status, resp, ctype);
}

int khm_reply_fd(khm_req *r, unsigned status, const char *ctype, int fd, uint64_t size)
{
    struct MHD_Response *resp = MHD_create_response_from_fd64(size, fd);
    if (!resp)
        close(fd);
    return set_resp(r, status, resp, ctype);
}

int khm_reply_json(khm_req *r, unsigned status, json_t *body)
{
    size_t len;
    if (!body)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    char *s = khm_json_dump(body, &len);
    json_decref(body);
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(len, s, free);
    if (!resp)
        free(s);
    return set_resp(r, status, resp, "application/json");
}

int khm_reply_header(khm_req *r, const char *name, const char *value)
{
    if (!r->resp || MHD_add_response_header(r->resp, name, value) != MHD_YES)
        return khm_err_set(KHM_ERROR, "cannot add header %s", name);
    return 0;
}

int khm_reply_problem(khm_req *r, int code, const char *detail)
{
    const khm_err_info *info = khm_err_info_get(code);
    json_t *p = json_object();
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    json_object_set_new(p, "type", json_string(info->type));
    json_object_set_new(p, "title", json_string(info->title));
    json_object_set_new(p, "title_th", json_string(info->title_th));
    json_object_set_new(p, "status", json_integer(info->http_status));
    json_object_set_new(p, "detail", json_string(detail && *detail ? detail : info->title));
    json_object_set_new(p, "instance", json_string(r->path ? r->path : "/"));
    json_object_set_new(p, "request_id", json_string(r->request_id));
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    if (code == KHM_EINVALID && nf > 0) {
        json_t *errs = json_array();
        for (size_t i = 0; i < nf; i++)
            json_array_append_new(errs,
                                  json_pack("{s:s, s:s, s:s}", "field", fe[i].field, "message",
                                            fe[i].message, "message_th", fe[i].message_th));
        json_object_set_new(p, "errors", errs);
    }
    size_t len;
    char *s = khm_json_dump(p, &len);
    json_decref(p);
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(len, s, free);
    if (!resp)
        free(s);
    int rc = set_resp(r, (unsigned)info->http_status, resp, "application/problem+json");
    if (rc == 0 && code == KHM_EAUTH)
        MHD_add_response_header(r->resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"khomun\"");
    return rc;
}

const char *khm_req_query(khm_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

int khm_req_page(khm_req *r, khm_page *out)
{
    return khm_page_parse(out, khm_req_query(r, "limit"), khm_req_query(r, "cursor"), r->arena);
}

/* Responses are built in memory; 64 MiB is far above any page of 500 records. */
#define REPLY_MAX (64u << 20)

int khm_reply_jw(khm_req *r, unsigned status, khm_jw *w, khm_buf *b)
{
    int rc = khm_jw_finish(w);
    if (rc < 0) {
        khm_buf_dispose(b);
        return rc;
    }
    size_t len;
    char *s = khm_buf_detach(b, &len);
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(len, s, free);
    if (!resp)
        free(s);
    return set_resp(r, status, resp, "application/json");
}

int khm_reply_record(khm_req *r, unsigned status, void (*write)(khm_jw *w, const void *rec),
                     const void *rec)
{
    khm_buf b = KHM_BUF_INIT(REPLY_MAX);
    khm_jw w;
    khm_buf_reserve(&b, 2048); /* one allocation for a typical record; grows if needed */
    khm_jw_init(&w, &b);
    write(&w, rec);
    return khm_reply_jw(r, status, &w, &b);
}

int khm_reply_page(khm_req *r, const void *items, size_t n, size_t size, const char *next_cursor,
                   void (*write)(khm_jw *w, const void *rec))
{
    khm_buf b = KHM_BUF_INIT(REPLY_MAX);
    khm_jw w;
    const char *base = items;
    khm_buf_reserve(&b, 512 * (n + 1));
    khm_jw_init(&w, &b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "items");
    khm_jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        write(&w, base + i * size);
    khm_jw_arr_end(&w);
    khm_jw_key(&w, "next_cursor");
    khm_jw_str(&w, next_cursor);
    khm_jw_obj_end(&w);
    return khm_reply_jw(r, 200, &w, &b);
}

int khm_reply_list(khm_req *r, const void *items, size_t n, size_t size, size_t id_off, int more,
                   void (*write)(khm_jw *w, const void *rec))
{
    const char *base = items;
    return khm_reply_page(
        r, items, n, size,
        more && n ? khm_page_cursor(base + (n - 1) * size + id_off, r->arena) : NULL, write);
}
