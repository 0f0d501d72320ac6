/* Resources of datasets and the data map (resource.h): upload (the body streamed into the blob
 * store as it arrives, KHM_ROUTE_STREAM; scanned before the write transaction when it is at most
 * KHM_SCAN_ON_UPLOAD_MAX), a link (?url=, no body), list, get (with its data map), download
 * (streamed from the file; read-data on the dataset, so personal data needs a purpose), delete,
 * scan on demand (one resource, or every file of the dataset), and the dataset's whole data map.
 * The router has authenticated and decided on the dataset as stored (routes.c,
 * khm_resolve_dataset); these handlers name the resource in the audit event
 * ("dataset/<id>/resource/<rid>"). */
#include "server_internal.h"

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/log.h>
#include <khomun/time.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What prepare() leaves for the handler. */
typedef struct {
    json_t *fields; /* the GD-Catalog resource fields from the query string */
    khm_resource_scan scan;
    int scanned;
    khm_dataset_scan all; /* POST …/datasets/{id}/scan: every file read */
    char trash[4200];     /* delete: the blob moved aside */
    char sha256[KHM_SHA256_HEX_LEN];
} prepared;

static void prepared_free(void *p)
{
    prepared *pp = p;
    json_decref(pp->fields);
}

static prepared *prep(khm_req *r)
{
    if (r->prepared)
        return r->prepared;
    prepared *p = khm_arena_calloc(r->arena, 1, sizeof(*p));
    if (p && khm_arena_on_free(r->arena, prepared_free, p) < 0)
        return NULL;
    r->prepared = p;
    return p;
}

static void target(khm_req *r, const char *dataset_id, const char *rid)
{
    r->audit_target = rid ? khm_arena_printf(r->arena, "dataset/%s/resource/%s", dataset_id, rid)
                          : khm_arena_printf(r->arena, "dataset/%s", dataset_id);
}

/* The dataset and (when @p rid) its resource named by the path, in @p tx. */
static int load(khm_req *r, khm_tx *tx, khm_dataset *d, khm_resource_rec *rec)
{
    int rc = khm_store_dataset_get(tx, d, r->params[0], r->arena);
    if (rc == 0)
        target(r, d->id, rec ? r->params[1] : NULL);
    if (rc == 0 && rec)
        rc = khm_store_resource_get(tx, rec, d->id, r->params[1], r->arena);
    return rc;
}

/* ---- upload ---------------------------------------------------------------------------- */

/* Query parameters that are not GD-Catalog fields. */
static int reserved(const char *key)
{
    return strcmp(key, "sha256") == 0;
}

typedef struct {
    json_t *obj;
    int rc;
} qctx;

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    qctx *q = cls;
    json_t *v = NULL;
    (void)kind;
    if (!key || reserved(key) || q->rc < 0)
        return MHD_YES;
    const khm_gdc_field *f = khm_gdc_resource_field_find(key);
    khm_span cell = { value ? value : "", value ? strlen(value) : 0 };
    if (f) {
        if (khm_gdc_field_from_csv(&v, f, cell, "") < 0)
            q->rc = KHM_EINVALID;
    } else {
        v = json_string(value ? value : ""); /* unknown: the field table names it */
    }
    if (v)
        json_object_set_new(q->obj, key, v);
    return MHD_YES;
}

int khm_h_resources_upload_prepare(khm_req *r)
{
    prepared *p = prep(r);
    char sha[KHM_SHA256_HEX_LEN];
    uint64_t size;
    int rc;
    if (!p || !(p->fields = json_object()))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    qctx q = { p->fields, 0 };
    khm_err_clear();
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_param, &q);
    if (q.rc < 0)
        return q.rc;
    if (json_object_get(p->fields, "url")) { /* a link: no bytes */
        if (khm_blob_written(r->upload) > 0)
            return khm_err_field("url", "ส่งไฟล์หรือลิงก์อย่างใดอย่างหนึ่ง",
                                 "a link has no body: send the file, or ?url= with no body");
        khm_blob_free(r->upload);
        r->upload = NULL;
        return 0;
    }
    const char *want = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Khomun-SHA256");
    if (!want)
        want = khm_req_query(r, "sha256");
    if ((rc = khm_blob_finish(r->upload, want, sha, &size)) < 0)
        return rc;
    if (size > KHM_SCAN_ON_UPLOAD_MAX)
        return 0; /* scanned on demand: POST …/scan */
    const char *format = json_string_value(json_object_get(p->fields, "format")), *media;
    if (!format) {
        unsigned char head[4096];
        ssize_t n = 0;
        int fd = open(khm_blob_temp_path(r->upload), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            n = read(fd, head, sizeof(head));
            close(fd);
        }
        khm_resource_guess_format(json_string_value(json_object_get(p->fields, "name")), head,
                                  n > 0 ? (size_t)n : 0, &format, &media);
    }
    int fd = open(khm_blob_temp_path(r->upload), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return khm_err_set(KHM_EIO, "cannot read the upload back");
    rc = khm_resource_scan_fd(r->srv->scanner, fd,
                              json_string_value(json_object_get(p->fields, "name")), format,
                              &p->scan, r->arena);
    close(fd);
    p->scanned = rc == 0;
    return rc;
}

static void write_res(khm_jw *w, const void *rec)
{
    khm_resource_write_json(w, rec, NULL, 0);
}

/* The record with its data map, and the Location of a new one. */
static int reply_resource(khm_req *r, unsigned status, const khm_resource_rec *rec,
                          const khm_resource_column *cols, size_t ncols)
{
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    char loc[160];
    int rc;
    khm_jw_init(&w, &b);
    static const khm_resource_column none; /* "columns": [] when there is no data map */
    khm_resource_write_json(&w, rec, cols ? cols : &none, cols ? ncols : 0);
    if ((rc = khm_reply_jw(r, status, &w, &b)) < 0)
        return rc;
    if (status == 201) {
        snprintf(loc, sizeof(loc), "/api/v1/datasets/%s/resources/%s", rec->dataset_id, rec->id);
        rc = khm_reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
    }
    return rc;
}

int khm_h_resources_upload(khm_req *r)
{
    prepared *p = prep(r);
    khm_dataset d;
    khm_resource_rec rec;
    int rc;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    const char *ct =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    khm_resource_input in = { NULL, NULL, NULL, ct, p->fields };
    if ((rc = load(r, r->tx, &d, NULL)) < 0 ||
        (rc = khm_resource_create(r->tx, &rec, &d, &in, r->upload, p->scanned ? &p->scan : NULL,
                                  r->who.user.id, khm_time_now_ms(), r->arena)) < 0)
        return rc;
    target(r, d.id, rec.id);
    return reply_resource(r, 201, &rec, p->scanned ? p->scan.cols : NULL,
                          p->scanned ? p->scan.ncols : 0);
}

/* ---- read ------------------------------------------------------------------------------ */

int khm_h_resources_list(khm_req *r)
{
    khm_dataset d;
    khm_resource_rec *items = NULL;
    khm_page page;
    size_t n = 0;
    int more = 0, rc;
    khm_tx *tx;
    if ((rc = khm_req_page(r, &page)) < 0 || (rc = khm_tx_begin(&tx, r->srv->store, 0)) < 0)
        return rc;
    if ((rc = load(r, tx, &d, NULL)) == 0)
        rc = khm_store_resource_list(tx, &items, &n, &more, d.id, &page, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return khm_reply_list(r, items, n, sizeof(*items), offsetof(khm_resource_rec, id), more,
                          write_res);
}

int khm_h_resources_get(khm_req *r)
{
    khm_dataset d;
    khm_resource_rec rec;
    khm_resource_column *cols = NULL;
    size_t n = 0;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    if ((rc = load(r, tx, &d, &rec)) == 0)
        rc = khm_store_resource_columns(tx, rec.id, &cols, &n, r->arena);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    return reply_resource(r, 200, &rec, cols, n);
}

int khm_h_datamap(khm_req *r)
{
    khm_dataset d;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    if ((rc = load(r, tx, &d, NULL)) == 0) {
        khm_jw_obj(&w);
        khm_jw_key(&w, "dataset_id");
        khm_jw_str(&w, d.id);
        khm_jw_key(&w, "personal_data");
        khm_jw_bool(&w, d.personal);
        khm_jw_key(&w, "sensitive_data");
        khm_jw_bool(&w, d.sensitive);
        khm_jw_key(&w, "resources");
        khm_jw_arr(&w);
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = 1;
        while (rc == 0 && more) {
            khm_resource_rec *items;
            size_t n;
            if ((rc = khm_store_resource_list(tx, &items, &n, &more, d.id, &page, r->arena)) < 0)
                break;
            for (size_t i = 0; rc == 0 && i < n; i++) {
                khm_resource_column *cols;
                size_t nc;
                if ((rc = khm_store_resource_columns(tx, items[i].id, &cols, &nc, r->arena)) == 0)
                    khm_resource_write_json(&w, &items[i], cols, nc);
            }
            if (n)
                page.after = items[n - 1].id;
        }
        khm_jw_arr_end(&w);
        khm_jw_obj_end(&w);
    }
    khm_tx_rollback(tx);
    if (rc < 0) {
        khm_buf_dispose(&b);
        return rc;
    }
    return khm_reply_jw(r, 200, &w, &b);
}

/* RFC 8187 filename*: UTF-8, percent-encoded but for the attr-chars. */
static const char *disposition(khm_req *r, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    khm_buf b = KHM_BUF_INIT(8192);
    khm_buf_puts(&b, "attachment; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p))
            khm_buf_putc(&b, (char)*p);
        else {
            khm_buf_putc(&b, '%');
            khm_buf_putc(&b, hex[*p >> 4]);
            khm_buf_putc(&b, hex[*p & 15]);
        }
    }
    khm_buf_putc(&b, '\0');
    const char *s = b.ptr ? khm_arena_strdup(r->arena, b.ptr) : "attachment";
    khm_buf_dispose(&b);
    return s;
}

int khm_h_resources_download(khm_req *r)
{
    khm_dataset d;
    khm_resource_rec rec;
    khm_tx *tx;
    int fd = -1;
    uint64_t size = 0;
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = load(r, tx, &d, &rec);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    if (!rec.sha256[0])
        return khm_err_set(KHM_ENOTFOUND, "resource %s is a link with no file: its url is %s",
                           rec.id, rec.url ? rec.url : "-");
    if ((rc = khm_blob_open(r->srv->opts.data_dir, rec.sha256, &fd, &size)) < 0) {
        if (rc == KHM_ENOTFOUND) { /* a row without its bytes: the server's fault */
            khm_log(KHM_LOG_ERROR, "resource %s: blob %s is missing from the store", rec.id,
                    rec.sha256);
            rc = khm_err_set(KHM_EIO, "the resource's file is missing from the store");
        }
        return rc;
    }
    if ((rc = khm_reply_fd(r, 200, rec.media_type ? rec.media_type : "application/octet-stream", fd,
                           size)) < 0)
        return rc;
    char etag[70];
    snprintf(etag, sizeof(etag), "\"%s\"", rec.sha256);
    if ((rc = khm_reply_header(r, "Content-Disposition", disposition(r, rec.name))) == 0 &&
        (rc = khm_reply_header(r, MHD_HTTP_HEADER_ETAG, etag)) == 0)
        rc = khm_reply_header(r, "X-Khomun-SHA256", rec.sha256);
    return rc;
}

/* ---- delete and scan ------------------------------------------------------------------- */

static void delete_done(khm_req *r, int committed)
{
    prepared *p = r->prepared;
    if (p)
        khm_resource_trash_finish(p->trash, r->srv->opts.data_dir, p->sha256, committed);
}

int khm_h_resources_delete(khm_req *r)
{
    prepared *p = prep(r);
    khm_dataset d;
    khm_resource_rec rec;
    int rc;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if ((rc = load(r, r->tx, &d, &rec)) < 0)
        return rc;
    memcpy(p->sha256, rec.sha256, sizeof(p->sha256));
    r->after_tx = delete_done;
    if ((rc = khm_resource_delete(r->tx, &d, &rec, r->srv->opts.data_dir, r->who.user.id,
                                  khm_time_now_ms(), p->trash, sizeof(p->trash))) < 0)
        return rc;
    return reply_resource(r, 200, &rec, NULL, 0);
}

int khm_h_resources_scan_prepare(khm_req *r)
{
    prepared *p = prep(r);
    khm_dataset d;
    khm_resource_rec rec;
    khm_tx *tx;
    int fd = -1;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = load(r, tx, &d, &rec);
    khm_tx_rollback(tx);
    if (rc < 0)
        return rc;
    if (!rec.sha256[0])
        return khm_err_field("resource", "ทรัพยากรนี้เป็นลิงก์ ไม่มีไฟล์ให้ตรวจ",
                             "resource %s is a link: there is no file to scan", rec.id);
    if ((rc = khm_blob_open(r->srv->opts.data_dir, rec.sha256, &fd, NULL)) < 0)
        return rc;
    rc = khm_resource_scan_fd(r->srv->scanner, fd, rec.name, rec.format, &p->scan, r->arena);
    close(fd);
    p->scanned = rc == 0;
    return rc;
}

int khm_h_resources_scan(khm_req *r)
{
    prepared *p = prep(r);
    khm_dataset d;
    khm_resource_rec rec;
    int rc;
    if (!p || !p->scanned)
        return khm_err_set(KHM_ERROR, "scan not prepared");
    if ((rc = load(r, r->tx, &d, &rec)) < 0 ||
        (rc = khm_resource_apply_scan(r->tx, &d, &rec, &p->scan, r->who.user.id,
                                      khm_time_now_ms())) < 0)
        return rc;
    return reply_resource(r, 200, &rec, p->scan.cols, p->scan.ncols);
}

/* POST /api/v1/datasets/{id}/scan: the files are read here, after the decision and outside the
 * write transaction (a scan of many files must not hold the store's writer), each up to
 * KHM_SCAN_ON_UPLOAD_MAX like an upload; a larger one is skipped (scan it alone). */
int khm_h_datasets_scan_prepare(khm_req *r)
{
    prepared *p = prep(r);
    khm_dataset d;
    khm_tx *tx;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = khm_tx_begin(&tx, r->srv->store, 0);
    if (rc < 0)
        return rc;
    rc = khm_dataset_scan_plan(tx, &d, r->params[0], KHM_SCAN_ON_UPLOAD_MAX, &p->all, r->arena);
    khm_tx_rollback(tx);
    if (rc == 0)
        target(r, d.id, NULL);
    if (rc < 0 ||
        (rc = khm_dataset_scan_run(&p->all, r->srv->scanner, r->srv->opts.data_dir, r->arena)) < 0)
        return rc;
    p->scanned = 1;
    return 0;
}

int khm_h_datasets_scan(khm_req *r)
{
    prepared *p = prep(r);
    khm_dataset d;
    int rc;
    if (!p || !p->scanned)
        return khm_err_set(KHM_ERROR, "scan not prepared");
    if ((rc = khm_dataset_scan_apply(r->tx, &d, &p->all, r->who.user.id, khm_time_now_ms(),
                                     r->arena)) < 0)
        return rc;
    target(r, d.id, NULL);
    khm_buf b = KHM_BUF_INIT((size_t)64 << 20);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_dataset_scan_write_json(&w, &d, &p->all);
    return khm_reply_jw(r, 200, &w, &b);
}
