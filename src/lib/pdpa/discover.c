/* Data-subject discovery (issue 5, PDPA s.30): which of an agency's registered files hold a
 * person's national ID, e-mail or phone. The files of the agency's datasets are scanned with the
 * scanner restricted to the identifier's type; each finding is normalised as the request's subject
 * was and compared, so every written form of the identifier matches. The files are shared by a
 * worker per core (this thread and threads of its own), each taking the next file. The identifier
 * stays in this function's stack and is wiped; the result names files, counts and columns only. */
#include <khomun/buf.h>
#include <khomun/catalog.h>
#include <khomun/consent.h>
#include <khomun/err.h>
#include <khomun/request.h>
#include <khomun/resource.h>
#include <khomun/scan.h>
#include <khomun/time.h>

#include <pthread.h>
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

/* What one file gave (a worker writes its own slots only). */
typedef struct {
    int scanned;
    uint64_t bytes;
    int64_t matches, first_line, first_row;
    char *fields; /* ", "-joined, in the worker's arena */
} file_result;

/* The files of one discovery, shared by its workers: each takes the next file not yet taken
 * (the files differ in size: one long file does not hold back the others). */
typedef struct {
    const khm_scanner *sc;
    const char *data_dir;
    int kind;
    const char *target;
    const khm_resource_rec *rs;
    size_t n;
    size_t next; /* atomic */
    file_result *res;
    pthread_mutex_t lock; /* the first error, below */
    int rc;
    char err[256];
} discovery_job;

typedef struct {
    discovery_job *job;
    khm_arena *a; /* the worker's: arenas are not shared between threads */
    pthread_t th;
    int started;
} discovery_worker;

static void job_fail(discovery_job *j, int rc)
{
    pthread_mutex_lock(&j->lock);
    if (!j->rc) {
        j->rc = rc;
        snprintf(j->err, sizeof(j->err), "%s", khm_err_last()->message);
    }
    pthread_mutex_unlock(&j->lock);
}

static void *discovery_work(void *arg)
{
    discovery_worker *w = arg;
    discovery_job *j = w->job;
    khm_scan_state *st = khm_scan_state_new(j->sc);
    if (!st) {
        job_fail(j, khm_err_set(KHM_ENOMEM, "out of memory"));
        return NULL;
    }
    for (size_t i; (i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->n;) {
        if (__atomic_load_n(&j->rc, __ATOMIC_RELAXED))
            break;
        int fd;
        uint64_t size;
        if (!j->rs[i].sha256[0])
            continue; /* a link: no bytes here */
        if (khm_blob_open(j->data_dir, j->rs[i].sha256, &fd, &size) < 0) {
            khm_err_clear(); /* a missing blob is reported by the resource itself */
            continue;
        }
        match_ctx m = { j->kind, j->target, 0, 0, 0, { 0 }, 0, w->a };
        khm_scan_input in;
        khm_scan_info info;
        memset(&in, 0, sizeof(in));
        in.name = j->rs[i].name;
        int rc = khm_scan_fd(j->sc, st, fd, &in, NULL, on_finding, &m, &info);
        close(fd);
        file_result *r = &j->res[i];
        r->scanned = 1;
        r->bytes = info.bytes;
        if (rc < 0 && rc != KHM_EINVALID) { /* a damaged file still gives what it had */
            job_fail(j, rc);
            break;
        }
        khm_err_clear();
        r->matches = m.matches;
        r->first_line = m.first_line;
        r->first_row = m.first_row;
        if (m.nfields) {
            khm_buf b = KHM_BUF_INIT(4096);
            for (size_t k = 0; k < m.nfields; k++) {
                if (k)
                    khm_buf_puts(&b, ", ");
                khm_buf_puts(&b, m.fields[k]);
            }
            r->fields = b.ptr ? khm_arena_strdup(w->a, b.ptr) : NULL;
            khm_buf_dispose(&b);
        }
    }
    khm_scan_state_free(st);
    return NULL;
}

/* Every resource of @p agency_id, all pages, into @p a. */
static int all_resources(khm_tx *tx, const char *agency_id, khm_resource_rec **out, size_t *n,
                         khm_arena *a)
{
    khm_page page = { NULL, KHM_PAGE_MAX };
    char last[KHM_ID_LEN];
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (int more = 1; more;) {
        khm_resource_rec *rs;
        size_t got;
        int rc = khm_store_resource_list_agency(tx, &rs, &got, &more, agency_id, &page, a);
        if (rc < 0)
            return rc;
        if (*n + got > cap) {
            size_t ncap = cap ? cap * 2 : 64;
            while (ncap < *n + got)
                ncap *= 2;
            khm_resource_rec *grown = khm_arena_calloc(a, ncap, sizeof(*grown));
            if (!grown)
                return khm_err_set(KHM_ENOMEM, "out of memory");
            if (*n)
                memcpy(grown, *out, *n * sizeof(*grown));
            *out = grown;
            cap = ncap;
        }
        if (got)
            memcpy(*out + *n, rs, got * sizeof(*rs));
        *n += got;
        if (got) {
            memcpy(last, rs[got - 1].id, KHM_ID_LEN);
            page.after = last;
        }
    }
    return 0;
}

/* Workers: one a core (at most MAX_WORKERS), no more than the files. */
#define MAX_WORKERS 8

int khm_dsr_discover(khm_tx *tx, const char *data_dir, const char *agency_id, int kind,
                     const char *value, khm_discovery *out, khm_arena *a)
{
    char target[KHM_SUBJECT_CANON_LEN];
    khm_scanner *sc = NULL;
    discovery_worker w[MAX_WORKERS];
    size_t nw = 0;
    int rc;
    int64_t t0 = khm_time_now_ms();
    memset(out, 0, sizeof(*out));
    memset(w, 0, sizeof(w));
    if (kind < 0 || kind >= KHM_SUBJECT_SCANNABLE ||
        khm_subject_normalise(target, sizeof(target), kind, value) < 0)
        return khm_err_field("subject", "ตัวระบุเจ้าของข้อมูลไม่ถูกต้องตามชนิดที่ระบุ",
                             "is not a valid identifier of its kind");
    discovery_job job = { 0 };
    pthread_mutex_init(&job.lock, NULL);
    const char *types[] = { det_of[kind], NULL };
    khm_scan_opts so;
    memset(&so, 0, sizeof(so));
    so.types = types;
    khm_resource_rec *rs = NULL;
    size_t n = 0;
    if ((rc = khm_scanner_new(&sc, &so)) < 0 || (rc = all_resources(tx, agency_id, &rs, &n, a)) < 0)
        goto out;
    job.sc = sc;
    job.data_dir = data_dir;
    job.kind = kind;
    job.target = target;
    job.rs = rs;
    job.n = n;
    if (n && !(job.res = khm_arena_calloc(a, n, sizeof(*job.res)))) {
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
        goto out;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS : (size_t)cores;
    if (want > n)
        want = n;
    for (nw = 0; nw < want; nw++) {
        w[nw].job = &job;
        if (!(w[nw].a = khm_arena_new(0))) {
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
            break;
        }
        /* the first worker is this thread (below); the others threads of their own */
        if (nw > 0 && pthread_create(&w[nw].th, NULL, discovery_work, &w[nw]) == 0)
            w[nw].started = 1;
    }
    if (rc < 0)
        __atomic_store_n(&job.rc, rc, __ATOMIC_RELAXED); /* stop the workers already started */
    else if (nw > 0)
        discovery_work(&w[0]);
    for (size_t k = 1; k < nw; k++)
        if (w[k].started)
            pthread_join(w[k].th, NULL);
    if (rc == 0 && job.rc)
        rc = khm_err_set(job.rc, "%s", job.err);
    if (rc < 0)
        goto out;
    /* the files that hold the subject, in the resources' order */
    size_t hits = 0;
    for (size_t i = 0; i < n; i++) {
        out->files += job.res[i].scanned;
        out->bytes += job.res[i].bytes;
        hits += job.res[i].matches > 0;
    }
    out->hits = khm_arena_calloc(a, hits ? hits : 1, sizeof(*out->hits));
    if (!out->hits) {
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const file_result *r = &job.res[i];
        if (!r->matches)
            continue;
        khm_discovery_hit *h = &out->hits[out->n++];
        memcpy(h->resource_id, rs[i].id, KHM_ID_LEN);
        memcpy(h->dataset_id, rs[i].dataset_id, KHM_ID_LEN);
        h->name = rs[i].name;
        h->matches = r->matches;
        h->first_line = r->first_line;
        h->first_row = r->first_row;
        h->fields = r->fields ? khm_arena_strdup(a, r->fields) : NULL;
    }
out:
    for (size_t k = 0; k < nw; k++)
        khm_arena_free(w[k].a);
    pthread_mutex_destroy(&job.lock);
    sodium_memzero(target, sizeof(target));
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
