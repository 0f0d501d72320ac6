/* Data-subject discovery (issue 5, PDPA s.30): which of an agency's registered files hold a
 * person's national ID, e-mail or phone. The files of the agency's datasets are scanned with the
 * scanner restricted to the identifier's type; each finding is normalised as the request's subject
 * was and compared, so every written form of the identifier matches. The identifier stays in this
 * function's stack and is wiped; the result names files, counts and columns only. */
#include <khomun/buf.h>
#include <khomun/catalog.h>
#include <khomun/consent.h>
#include <khomun/err.h>
#include <khomun/request.h>
#include <khomun/resource.h>
#include <khomun/scan.h>
#include <khomun/time.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* the detector that finds each kind of identifier */
static const char *const det_of[KHM_SUBJECT_SCANNABLE] = {
    [KHM_SUBJECT_TNIN] = "TH_TNIN",
    [KHM_SUBJECT_EMAIL] = "EMAIL_ADDRESS",
    [KHM_SUBJECT_PHONE] = "PHONE_NUMBER",
};

#define MAX_FIELDS 8

typedef struct {
    int kind;
    const char *target; /* normalised */
    int64_t matches, first_line, first_row;
    const char *fields[MAX_FIELDS];
    size_t nfields;
    khm_arena *a;
} match_ctx;

static int on_finding(const khm_finding *f, void *payload)
{
    match_ctx *m = payload;
    char v[KHM_SUBJECT_CANON_LEN], norm[KHM_SUBJECT_CANON_LEN];
    if (f->value_len >= sizeof(v))
        return 0;
    memcpy(v, f->value, f->value_len);
    v[f->value_len] = '\0';
    int same =
        khm_subject_normalise(norm, sizeof(norm), m->kind, v) == 0 && strcmp(norm, m->target) == 0;
    sodium_memzero(v, sizeof(v));
    sodium_memzero(norm, sizeof(norm));
    if (!same)
        return 0;
    if (m->matches++ == 0) {
        m->first_line = (int64_t)f->line;
        m->first_row = f->row;
    }
    if (f->field && m->nfields < MAX_FIELDS) {
        size_t i;
        for (i = 0; i < m->nfields && strcmp(m->fields[i], f->field) != 0; i++)
            ;
        if (i == m->nfields)
            m->fields[m->nfields++] = khm_arena_strdup(m->a, f->field);
    }
    return 0;
}

int khm_dsr_discover(khm_tx *tx, const char *data_dir, const char *agency_id, int kind,
                     const char *value, khm_discovery *out, khm_arena *a)
{
    char target[KHM_SUBJECT_CANON_LEN];
    khm_scanner *sc = NULL;
    khm_scan_state *st = NULL;
    int rc;
    int64_t t0 = khm_time_now_ms();
    memset(out, 0, sizeof(*out));
    if (kind < 0 || kind >= KHM_SUBJECT_SCANNABLE ||
        khm_subject_normalise(target, sizeof(target), kind, value) < 0)
        return khm_err_field("subject", "ตัวระบุเจ้าของข้อมูลไม่ถูกต้องตามชนิดที่ระบุ",
                             "is not a valid identifier of its kind");
    const char *types[] = { det_of[kind], NULL };
    khm_scan_opts so;
    memset(&so, 0, sizeof(so));
    so.types = types;
    if ((rc = khm_scanner_new(&sc, &so)) < 0)
        goto out;
    if (!(st = khm_scan_state_new(sc))) {
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
        goto out;
    }
    size_t cap = 16;
    out->hits = khm_arena_calloc(a, cap, sizeof(*out->hits));
    khm_page page = { NULL, KHM_PAGE_MAX };
    char last[KHM_ID_LEN];
    for (int more = 1; more && out->hits;) {
        khm_resource_rec *rs;
        size_t n;
        if ((rc = khm_store_resource_list_agency(tx, &rs, &n, &more, agency_id, &page, a)) < 0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            int fd;
            uint64_t size;
            if (!rs[i].sha256[0])
                continue; /* a link: no bytes here */
            if (khm_blob_open(data_dir, rs[i].sha256, &fd, &size) < 0) {
                khm_err_clear(); /* a missing blob is reported by the resource itself */
                continue;
            }
            match_ctx m = { kind, target, 0, 0, 0, { 0 }, 0, a };
            khm_scan_input in;
            khm_scan_info info;
            memset(&in, 0, sizeof(in));
            in.name = rs[i].name;
            rc = khm_scan_fd(sc, st, fd, &in, NULL, on_finding, &m, &info);
            close(fd);
            out->files++;
            out->bytes += info.bytes;
            if (rc < 0 && rc != KHM_EINVALID) /* a damaged file still gives what it had */
                goto out;
            khm_err_clear();
            rc = 0;
            if (!m.matches)
                continue;
            if (out->n == cap) {
                khm_discovery_hit *nh = khm_arena_calloc(a, cap * 2, sizeof(*nh));
                if (!nh) {
                    rc = khm_err_set(KHM_ENOMEM, "out of memory");
                    goto out;
                }
                memcpy(nh, out->hits, cap * sizeof(*nh));
                out->hits = nh;
                cap *= 2;
            }
            khm_discovery_hit *h = &out->hits[out->n++];
            memcpy(h->resource_id, rs[i].id, KHM_ID_LEN);
            memcpy(h->dataset_id, rs[i].dataset_id, KHM_ID_LEN);
            h->name = rs[i].name;
            h->matches = m.matches;
            h->first_line = m.first_line;
            h->first_row = m.first_row;
            if (m.nfields) {
                khm_buf b = KHM_BUF_INIT(4096);
                for (size_t k = 0; k < m.nfields; k++) {
                    if (k)
                        khm_buf_puts(&b, ", ");
                    khm_buf_puts(&b, m.fields[k]);
                }
                h->fields = b.ptr ? khm_arena_strdup(a, b.ptr) : NULL;
                khm_buf_dispose(&b);
            }
        }
        if (n) {
            memcpy(last, rs[n - 1].id, KHM_ID_LEN);
            page.after = last;
        }
    }
    if (!out->hits)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
out:
    sodium_memzero(target, sizeof(target));
    khm_scan_state_free(st);
    khm_scanner_free(sc);
    out->elapsed_ms = khm_time_now_ms() - t0;
    return rc;
}

void khm_discovery_write_json(khm_jw *w, const khm_discovery *d)
{
    khm_jw_obj(w);
    khm_jw_key(w, "files_scanned");
    khm_jw_int(w, (int64_t)d->files);
    khm_jw_key(w, "bytes");
    khm_jw_int(w, (int64_t)d->bytes);
    khm_jw_key(w, "elapsed_ms");
    khm_jw_int(w, d->elapsed_ms);
    khm_jw_key(w, "resources");
    khm_jw_arr(w);
    for (size_t i = 0; i < d->n; i++) {
        const khm_discovery_hit *h = &d->hits[i];
        khm_jw_obj(w);
        khm_jw_key(w, "resource_id");
        khm_jw_str(w, h->resource_id);
        khm_jw_key(w, "dataset_id");
        khm_jw_str(w, h->dataset_id);
        khm_jw_key(w, "name");
        khm_jw_str(w, h->name);
        khm_jw_key(w, "matches");
        khm_jw_int(w, h->matches);
        khm_jw_key(w, "first_line");
        khm_jw_int(w, h->first_line);
        khm_jw_key(w, "first_row");
        if (h->first_row >= 0)
            khm_jw_int(w, h->first_row);
        else
            khm_jw_null(w);
        khm_jw_key(w, "fields");
        khm_jw_str(w, h->fields);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
}

/* ---- the access package ---- */

/* Every consent event of the request's subject (oldest first), each with its purpose. */
static int write_consents(khm_tx *tx, khm_jw *w, const khm_dsr *d, khm_arena *a)
{
    khm_page page = { NULL, KHM_PAGE_MAX };
    size_t total = 0;
    int more = 1, rc = 0;
    char last[KHM_ID_LEN];
    khm_jw_key(w, "consents");
    khm_jw_arr(w);
    while (more && total < KHM_DSR_PACKAGE_CONSENTS_MAX) {
        khm_consent_event *ev;
        size_t n;
        if ((rc = khm_store_consent_history(tx, &ev, &n, &more, d->agency_id, d->subject, &page,
                                            a)) < 0)
            return rc;
        for (size_t i = 0; i < n && total < KHM_DSR_PACKAGE_CONSENTS_MAX; i++, total++) {
            khm_purpose_rec p;
            int found = khm_store_purpose_get(tx, &p, d->agency_id, ev[i].purpose_id, a) == 0;
            if (!found)
                khm_err_clear(); /* a purpose is never deleted; say so if it ever is */
            khm_jw_obj(w);
            khm_jw_key(w, "purpose");
            khm_jw_obj(w);
            khm_jw_key(w, "id");
            khm_jw_str(w, ev[i].purpose_id);
            khm_jw_key(w, "code");
            khm_jw_str(w, found ? p.code : NULL);
            khm_jw_key(w, "name_th");
            khm_jw_str(w, found ? p.name_th : NULL);
            khm_jw_key(w, "name_en");
            khm_jw_str(w, found ? p.name_en : NULL);
            khm_jw_obj_end(w);
            khm_jw_key(w, "event");
            khm_consent_event_write_json(w, &ev[i]);
            khm_jw_obj_end(w);
        }
        if (!n)
            break;
        memcpy(last, ev[n - 1].id, KHM_ID_LEN);
        page.after = last;
    }
    khm_jw_arr_end(w);
    khm_jw_key(w, "consents_more");
    khm_jw_bool(w, more && total >= KHM_DSR_PACKAGE_CONSENTS_MAX);
    return 0;
}

int khm_dsr_package_build(khm_tx *tx, khm_buf *out, const khm_dsr *d, const khm_discovery *disc,
                          int64_t now, khm_arena *a)
{
    khm_agency ag;
    khm_jw w;
    int rc = khm_store_agency_get(tx, &ag, d->agency_id, a);
    if (rc < 0)
        return rc;
    khm_jw_init(&w, out);
    khm_jw_obj(&w);
    khm_jw_key(&w, "format");
    khm_jw_str(&w, "khomun.access-package/1");
    khm_jw_key(&w, "generated_at");
    khm_jw_time(&w, now);
    khm_jw_key(&w, "request");
    khm_jw_obj(&w);
    khm_jw_key(&w, "id");
    khm_jw_str(&w, d->id);
    khm_jw_key(&w, "type");
    khm_jw_str(&w, khm_dsr_rule_of(d->type)->name);
    khm_jw_key(&w, "received_at");
    khm_jw_time(&w, d->received_at);
    khm_jw_key(&w, "due_at");
    khm_jw_time(&w, d->due_at);
    khm_jw_key(&w, "subject_kind");
    khm_jw_str(&w, khm_dsr_subject_kind_name(d->subject_kind));
    khm_jw_key(&w, "subject_token");
    khm_jw_str(&w, d->subject);
    khm_jw_obj_end(&w);
    khm_jw_key(&w, "controller");
    khm_agency_write_json(&w, &ag);
    khm_jw_key(&w, "discovery");
    khm_discovery_write_json(&w, disc);
    if ((rc = write_consents(tx, &w, d, a)) < 0)
        return rc;
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

/* The row's cells; the last ends the line. */
static int csv_row(khm_buf *b, const char *const *cells, size_t n)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *s = cells[i] ? cells[i] : "";
        if ((rc = khm_buf_csv_cell(b, s, strlen(s))) == 0)
            rc = khm_buf_puts(b, i + 1 == n ? "\r\n" : ",");
    }
    return rc;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int khm_dsr_package_csv(khm_buf *out, const char *package, size_t n)
{
    json_error_t je;
    json_t *doc = json_loadb(package, n, 0, &je);
    const char *fmt = jstr(doc, "format");
    if (!doc || !fmt || strcmp(fmt, "khomun.access-package/1") != 0) {
        json_decref(doc);
        return khm_err_set(KHM_EINVALID, "not an access package (khomun.access-package/1)");
    }
    static const char *const head[] = {
        "ประเภท (kind)",       "รหัส (id)",           "ชื่อ (name)",
        "รายละเอียด (details)", "จำนวนที่พบ (matches)", "วันเวลา (time)",
    };
    int rc = khm_buf_puts(out, "\xEF\xBB\xBF"); /* Excel reads Thai as UTF-8 only with it */
    if (rc == 0)
        rc = csv_row(out, head, 6);
    const json_t *req = json_object_get(doc, "request");
    const char *rrow[] = { "คำขอ (request)",
                           jstr(req, "id"),
                           jstr(req, "type"),
                           jstr(req, "subject_kind"),
                           NULL,
                           jstr(req, "received_at") };
    if (rc == 0)
        rc = csv_row(out, rrow, 6);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(doc, "discovery"), "resources"), i, v)
    {
        char matches[32];
        snprintf(matches, sizeof(matches), "%lld",
                 (long long)json_integer_value(json_object_get(v, "matches")));
        const char *row[] = { "ไฟล์ (resource)", jstr(v, "resource_id"),
                              jstr(v, "name"),  jstr(v, "fields"),
                              matches,          NULL };
        if (rc == 0)
            rc = csv_row(out, row, 6);
    }
    json_array_foreach(json_object_get(doc, "consents"), i, v)
    {
        const json_t *p = json_object_get(v, "purpose"), *e = json_object_get(v, "event");
        const char *act = jstr(e, "action");
        char name[600], details[200];
        snprintf(name, sizeof(name), "%s%s%s", jstr(p, "code") ? jstr(p, "code") : "",
                 jstr(p, "name_th") ? " — " : "", jstr(p, "name_th") ? jstr(p, "name_th") : "");
        snprintf(details, sizeof(details), "%s, %s, text v%lld",
                 act && strcmp(act, "withdraw") == 0 ? "ถอนความยินยอม (withdraw)"
                                                     : "ให้ความยินยอม (grant)",
                 jstr(e, "method") ? jstr(e, "method") : "",
                 (long long)json_integer_value(json_object_get(e, "text_version")));
        const char *row[] = { "ความยินยอม (consent)", jstr(e, "id"), name, details, NULL,
                              jstr(e, "given_at") };
        if (rc == 0)
            rc = csv_row(out, row, 6);
    }
    json_decref(doc);
    return rc;
}

int khm_dsr_discover_request(khm_tx *tx, const khm_keys *keys, const char *data_dir,
                             const khm_dsr *d, const char *kind, const char *subject, int64_t now,
                             khm_buf *package, khm_arena *a)
{
    char token[KHM_SUBJECT_TOKEN_LEN];
    khm_discovery disc;
    int k = d->subject_kind, rc;
    if ((kind && (rc = khm_dsr_subject_kind_parse(kind, "subject_kind", &k)) < 0) ||
        (rc = khm_subject_token(token, keys, d->agency_id, k, subject, "subject")) < 0)
        return rc;
    int same = k == d->subject_kind && sodium_memcmp(token, d->subject, sizeof(token) - 1) == 0;
    sodium_memzero(token, sizeof(token));
    if (!same)
        return khm_err_field("subject", "ตัวระบุนี้ไม่ใช่ของเจ้าของข้อมูลที่ยื่นคำขอนี้",
                             "is not the identifier of this request's subject");
    if ((rc = khm_dsr_discover(tx, data_dir, d->agency_id, k, subject, &disc, a)) < 0 ||
        (rc = khm_dsr_package_build(tx, package, d, &disc, now, a)) < 0)
        return rc;
    return khm_store_dsr_set_package(tx, d->id, package->ptr, now);
}

int khm_dsr_package_render(khm_buf *out, const char *package, size_t n, const char *format,
                           const char *field, int *csv)
{
    *csv = format && strcmp(format, "csv") == 0;
    if (format && !*csv && strcmp(format, "json") != 0)
        return khm_err_field(field, "รูปแบบต้องเป็น json หรือ csv", "must be json or csv");
    if (!package)
        return 0; /* the format alone checked */
    if (*csv)
        return khm_dsr_package_csv(out, package, n);
    return khm_buf_put(out, package, n) < 0 ? khm_err_set(KHM_ENOMEM, "out of memory") : 0;
}
