/* Resources of datasets (resource.h): a file of the blob store or a link, its GD-Catalog
 * resource fields (thai-rules.md §3.4, the table of gdc_schema.c), the data map a scan of the
 * file leaves (per column or JSON field: type, share matched, score, PDPA category), and what
 * the scans make of the dataset: its personal / sensitive flags and, when they call for a
 * stricter classification than the current one, a "suggest" entry in its classification
 * history (issue 4: personal data → ข้อมูลส่วนบุคคล, at least ชั้นเผยแพร่ภายในองค์กร; sensitive
 * data → at least ลับ). The owner confirms with khm_dataset_confirm(). */
#include <khomun/resource.h>

#include <khomun/alloc.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/policy.h>
#include <khomun/quality.h>
#include <khomun/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- format ---------------------------------------------------------------------------- */

/* clang-format off */
static const struct { const char *ext, *format, *media; int scannable; } formats[] = {
    { "csv", "CSV", "text/csv", 1 },
    { "tsv", "TSV", "text/tab-separated-values", 1 },
    { "tab", "TSV", "text/tab-separated-values", 1 },
    { "json", "JSON", "application/json", 1 },
    { "jsonl", "JSONL", "application/x-ndjson", 1 },
    { "ndjson", "JSONL", "application/x-ndjson", 1 },
    { "geojson", "GeoJSON", "application/geo+json", 1 },
    { "txt", "TXT", "text/plain", 1 },
    { "xml", "XML", "application/xml", 1 },
    { "xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0 },
    { "xls", "XLS", "application/vnd.ms-excel", 0 },
    { "ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", 0 },
    { "docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0 },
    { "doc", "DOC", "application/msword", 0 },
    { "pdf", "PDF", "application/pdf", 0 },
    { "zip", "ZIP", "application/zip", 0 },
    { "shp", "SHP", "application/octet-stream", 0 },
    { "kml", "KML", "application/vnd.google-earth.kml+xml", 1 },
    { "html", "HTML", "text/html", 1 },
};
/* clang-format on */
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* The row of @p name's extension (before a ".gz"), or -1. */
static int by_ext(const char *name)
{
    char base[256];
    snprintf(base, sizeof(base), "%s", name ? name : "");
    size_t n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
        base[n - 3] = '\0';
    const char *dot = strrchr(base, '.');
    if (!dot || strchr(dot, '/'))
        return -1;
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcasecmp(dot + 1, formats[i].ext) == 0)
            return (int)i;
    return -1;
}

static int row_of(const char *format)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcmp(formats[i].format, format) == 0)
            return (int)i;
    return -1;
}

void khm_resource_guess_format(const char *name, const unsigned char *head, size_t n,
                               const char **format, const char **media_type)
{
    int e = by_ext(name), r;
    if (n >= 4 && memcmp(head, "%PDF", 4) == 0)
        r = row_of("PDF");
    else if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        r = e >= 0 && !formats[e].scannable ? e : row_of("ZIP");
    else if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        r = e >= 0 && !formats[e].scannable ? e : row_of("XLS");
    else if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
        *format = e >= 0 ? formats[e].format : "GZIP";
        *media_type = "application/gzip";
        return;
    } else if (e >= 0)
        r = e;
    else {
        size_t i = 0;
        while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
            i++;
        if (i + 3 <= n && memcmp(head + i, "\xEF\xBB\xBF", 3) == 0)
            i += 3;
        int binary = memchr(head, 0, n) != NULL;
        if (binary)
            r = -1;
        else if (i < n && (head[i] == '{' || head[i] == '['))
            r = row_of("JSON");
        else if (n && khm_csv_sniff((const char *)head, n))
            r = row_of("CSV");
        else
            r = n ? row_of("TXT") : -1;
    }
    *format = r >= 0 ? formats[r].format : "BIN";
    *media_type = r >= 0 ? formats[r].media : "application/octet-stream";
}

/* ---- scanning -------------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "health,religion" of a KHM_SENS_* mask, or NULL. */
static const char *sens_list(unsigned mask, khm_arena *a)
{
    char buf[256] = "";
    size_t n = 0;
    for (unsigned k = 1; k < KHM_SENS_COUNT; k++)
        if (mask & (1u << k))
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : "",
                                  khm_sensitive_name(k));
    return n ? khm_arena_strdup(a, buf) : NULL;
}

static int scan_fd(const khm_scanner *sc, int fd, const char *name, const char *format,
                   khm_resource_scan *out, khm_arena *a)
{
    khm_scan_input in = { 0 };
    khm_scan_info info;
    khm_profile prof = { 0 };
    double t0 = now_s();
    int r = format ? row_of(format) : -1;
    memset(out, 0, sizeof(*out));
    out->rows = -1;
    if (format && strcmp(format, "GZIP") != 0 && (r < 0 || !formats[r].scannable)) {
        out->status = "unsupported";
        return 0;
    }
    in.name = name;
    khm_scan_state *st = khm_scan_state_new(sc);
    if (!st)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = khm_scan_fd(sc, st, fd, &in, &prof, NULL, NULL, &info);
    khm_scan_state_free(st);
    out->seconds = now_s() - t0;
    if (rc == KHM_ENOMEM) {
        khm_profile_dispose(&prof);
        return rc;
    }
    if (rc < 0 || info.binary) {
        out->status = info.binary ? "unsupported" : "failed";
        out->error = rc < 0 ? khm_arena_strdup(a, khm_err_last()->message) : NULL;
        khm_err_clear();
        khm_profile_dispose(&prof);
        return 0;
    }
    out->status = "scanned";
    out->rows = info.rows;
    out->personal = info.pdpa >= KHM_PDPA_PERSONAL;
    out->sensitive = info.pdpa >= KHM_PDPA_SENSITIVE;
    size_t nc = prof.ncols < KHM_DATAMAP_MAX_COLS ? prof.ncols : KHM_DATAMAP_MAX_COLS;
    out->cols = nc ? khm_arena_calloc(a, nc, sizeof(*out->cols)) : NULL;
    if (nc && !out->cols) {
        khm_profile_dispose(&prof);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < nc; k++) {
        const khm_column *c = &prof.cols[k];
        khm_resource_column *o = &out->cols[k];
        int d = khm_profile_dominant(&prof, k);
        khm_pdpa pd = d >= 0 ? khm_scanner_type_pdpa(sc, (size_t)d) : KHM_PDPA_NONE;
        o->idx = (int)k;
        o->field = khm_arena_strdup(a, c->field ? c->field : "");
        o->type = d >= 0 ? khm_scanner_type_name(sc, (size_t)d) : NULL;
        o->rows = c->rows;
        o->matched = d >= 0 ? c->matched[d] : 0;
        o->share = d >= 0 && c->rows ? (double)c->matched[d] / (double)c->rows : 0.0;
        o->score = d >= 0 && c->matched[d] ? c->score_sum[d] / (double)c->matched[d] : 0.0;
        o->pdpa = (int)(c->pdpa > pd ? c->pdpa : pd);
        o->sensitive = sens_list(c->sensitive, a);
    }
    out->ncols = nc;
    /* what was found, most frequent first: the findings, and (the personal types) the
     * suggestion's reason */
    char found[512] = "";
    size_t fl = 0, ntypes = khm_scanner_type_count(sc), nf = 0;
    if (ntypes > KHM_SCAN_MAX_TYPES)
        ntypes = KHM_SCAN_MAX_TYPES;
    for (size_t d = 0; d < ntypes; d++)
        nf += info.types[d] > 0;
    out->findings = nf ? khm_arena_calloc(a, nf, sizeof(*out->findings)) : NULL;
    if (nf && !out->findings) {
        khm_profile_dispose(&prof);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    int taken[KHM_SCAN_MAX_TYPES] = { 0 };
    for (;;) {
        size_t best = ntypes;
        for (size_t d = 0; d < ntypes; d++)
            if (info.types[d] > 0 && !taken[d] &&
                (best == ntypes || info.types[d] > info.types[best]))
                best = d;
        if (best == ntypes)
            break;
        taken[best] = 1;
        khm_pdpa pd = khm_scanner_type_pdpa(sc, best);
        khm_resource_finding *f = &out->findings[out->nfindings++];
        f->type = khm_arena_strdup(a, khm_scanner_type_name(sc, best));
        if (!f->type) {
            khm_profile_dispose(&prof);
            return khm_err_set(KHM_ENOMEM, "out of memory");
        }
        f->count = info.types[best];
        f->pdpa = (int)pd;
        if (pd != KHM_PDPA_NONE && fl < sizeof(found) - 1)
            fl += (size_t)snprintf(found + fl, sizeof(found) - fl, "%s%s", fl ? ", " : "", f->type);
    }
    if (fl >= sizeof(found))
        fl = sizeof(found) - 1;
    out->found = fl ? khm_arena_strdup(a, found) : NULL;
    khm_profile_dispose(&prof);
    return 0;
}

int khm_resource_scan_fd(const khm_scanner *sc, int fd, const char *name, const char *format,
                         khm_resource_scan *out, khm_arena *a)
{
    int rc = scan_fd(sc, fd, name, format, out, a);
    if (rc < 0)
        return rc;
    /* the quality profile reads the file again (pread from its start) */
    khm_quality *q = khm_arena_calloc(a, 1, sizeof(*q));
    if (!q)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if ((rc = khm_quality_profile_fd(fd, name, format, q, a)) < 0)
        return rc;
    out->quality = q;
    return 0;
}

/* ---- create, scan, delete -------------------------------------------------------------- */

/* The URL's path extension's format, or "URL". */
static const char *link_format(const char *url)
{
    char path[512];
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    snprintf(path, sizeof(path), "%s", p ? p : "");
    path[strcspn(path, "?#")] = '\0';
    int r = by_ext(path);
    return r >= 0 ? formats[r].format : "URL";
}

static int set_str(json_t *o, const char *key, const char *v)
{
    return json_object_set_new(o, key, json_string(v)) == 0
               ? 0
               : khm_err_set(KHM_ENOMEM, "out of memory");
}

int khm_resource_create(khm_tx *tx, khm_resource_rec *out, khm_dataset *d,
                        const khm_resource_input *in, khm_blob_writer *blob,
                        const khm_resource_scan *scan, const char *actor, int64_t now, khm_arena *a)
{
    const char *format = NULL, *media = in->media_type;
    int rc = 0, bad = 0;
    char sha[KHM_SHA256_HEX_LEN] = "";
    uint64_t size = 0;
    memset(out, 0, sizeof(*out));
    khm_err_clear();
    if (d->archived_at)
        return khm_err_set(KHM_ESTALE, "dataset %s is archived: it takes no new resources", d->id);
    if (in->fields && !json_is_object(in->fields))
        return khm_err_field("fields", "ข้อมูลทรัพยากรต้องเป็นออบเจ็กต์ JSON",
                             "the resource's GD-Catalog fields must be a JSON object");
    json_t *f = in->fields ? json_deep_copy(in->fields) : json_object();
    if (!f)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    const char *given_format = json_string_value(json_object_get(f, "format"));
    if (blob) {
        if ((rc = khm_blob_finish(blob, NULL, sha, &size)) < 0)
            goto out;
        unsigned char head[4096];
        ssize_t n = 0;
        int fd = open(khm_blob_temp_path(blob), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            n = read(fd, head, sizeof(head));
            close(fd);
        }
        const char *gmedia;
        khm_resource_guess_format(json_string_value(json_object_get(f, "name")), head,
                                  n > 0 ? (size_t)n : 0, &format, &gmedia);
        if (!media || !*media || strncmp(media, "application/x-www-form", 22) == 0)
            media = gmedia;
    } else {
        const char *url = json_string_value(json_object_get(f, "url"));
        format = url ? link_format(url) : "URL";
        media = NULL;
    }
    if (given_format && *given_format)
        format = given_format;
    else if ((rc = set_str(f, "format", format)) < 0)
        goto out;
    /* the field table decides (it starts from no error) */
    int dtype = -1;
    if (d->data_type && khm_gdc_data_type_parse(d->data_type, &dtype) < 0)
        dtype = -1; /* (the error is cleared by the validation below) */
    if (khm_gdc_resource_validate(f, dtype, blob ? KHM_GDC_RES_UPLOAD : 0, NULL) < 0)
        bad = 1;
    if (blob) {
        const char *url = json_string_value(json_object_get(f, "url"));
        if (url && *url)
            bad = khm_err_field("url", "ทรัพยากรที่อัปโหลดเป็นไฟล์ไม่มี URL (ส่งไฟล์หรือลิงก์อย่างใดอย่างหนึ่ง)",
                                "a file upload has no url: send the file, or a link with no body");
    }
    if (bad) {
        rc = KHM_EINVALID;
        goto out;
    }
    khm_id_new(out->id);
    memcpy(out->dataset_id, d->id, KHM_ID_LEN);
    memcpy(out->agency_id, d->agency_id, KHM_ID_LEN);
    out->name = khm_arena_strdup(a, json_string_value(json_object_get(f, "name")));
    out->format = khm_arena_strdup(a, format);
    out->media_type = media ? khm_arena_strdup(a, media) : NULL;
    out->size = blob ? (int64_t)size : -1;
    memcpy(out->sha256, sha, sizeof(sha));
    out->url = blob ? NULL : khm_arena_strdup(a, json_string_value(json_object_get(f, "url")));
    char *fj = khm_json_dump(f, NULL);
    out->fields = fj ? khm_arena_strdup(a, fj) : NULL;
    khm_free(fj);
    out->scan_status = blob ? "pending" : "none";
    out->rows = -1;
    if (actor)
        snprintf(out->created_by, sizeof(out->created_by), "%s", actor);
    out->created_at = out->updated_at = now;
    if (!out->name || !out->format || !out->fields) {
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = khm_store_resource_insert(tx, out)) < 0)
        goto out;
    if (blob && scan && (rc = khm_resource_apply_scan(tx, d, out, scan, actor, now)) < 0)
        goto out;
    /* last: the blob goes in place inside the transaction (and under the blob lock the insert
     * took); should the commit fail after this, the blob is garbage a later upload reuses */
    if (blob)
        rc = khm_blob_commit(blob, NULL);
out:
    json_decref(f);
    return rc;
}

/* Store @p scan as @p r's scan status and data map, and its quality profile (the dataset's score
 * is not refreshed here). @p r is updated in place. */
static int store_scan(khm_tx *tx, khm_resource_rec *r, const khm_resource_scan *scan, int64_t now)
{
    int rc;
    r->scan_status = scan->status;
    r->scan_error = scan->error;
    r->scanned_at = now;
    r->rows = scan->rows;
    r->personal = scan->personal;
    r->sensitive = scan->sensitive;
    r->updated_at = now;
    if ((rc = khm_store_resource_set_scan(tx, r)) < 0 ||
        (rc = khm_store_resource_columns_set(tx, r->id, scan->cols, scan->ncols)) < 0)
        return rc;
    return scan->quality ? khm_quality_save(tx, r, scan->quality, now) : 0;
}

/* Bring @p d's personal / sensitive flags to what its resources' latest scans found. */
static int sync_flags(khm_tx *tx, khm_dataset *d, int64_t now)
{
    int rc, personal, sensitive;
    int64_t nv;
    if ((rc = khm_store_resource_flags(tx, d->id, &personal, &sensitive)) < 0)
        return rc;
    if (personal == d->personal && sensitive == d->sensitive)
        return 0;
    d->personal = personal;
    d->sensitive = sensitive;
    d->updated_at = now;
    if ((rc = khm_store_dataset_classify(tx, d, d->version, &nv)) < 0)
        return rc;
    d->version = nv;
    return 0;
}

/* A "suggest" entry in @p d's classification history giving @p reason, when the classification
 * its scans suggest differs from the current one. */
static int suggest_entry(khm_tx *tx, const khm_dataset *d, const char *actor, int64_t now,
                         const char *reason)
{
    int c, l;
    if (!khm_dataset_suggest(d, &c, &l))
        return 0;
    khm_dataset_class e;
    memset(&e, 0, sizeof(e));
    khm_id_new(e.id);
    memcpy(e.dataset_id, d->id, KHM_ID_LEN);
    e.ts = now;
    if (actor)
        snprintf(e.actor_user, sizeof(e.actor_user), "%s", actor);
    e.kind = "suggest";
    e.from_category = d->category;
    e.from_level = d->level;
    e.to_category = c;
    e.to_level = l;
    e.cia = d->cia;
    e.reason = reason;
    return khm_store_dataset_class_insert(tx, &e);
}

int khm_resource_apply_scan(khm_tx *tx, khm_dataset *d, khm_resource_rec *r,
                            const khm_resource_scan *scan, const char *actor, int64_t now)
{
    int rc;
    if ((rc = store_scan(tx, r, scan, now)) < 0 || (rc = sync_flags(tx, d, now)) < 0)
        return rc;
    if (scan->personal || scan->sensitive) {
        char reason[900];
        snprintf(reason, sizeof(reason),
                 "การตรวจทรัพยากร '%.200s' พบข้อมูลส่วนบุคคล%s / scan of resource %s found %s "
                 "data: %.400s",
                 r->name, scan->sensitive ? "ที่มีความอ่อนไหว (มาตรา 26)" : "", r->id,
                 scan->sensitive ? "sensitive (PDPA s.26)" : "personal",
                 scan->found ? scan->found : "-");
        if ((rc = suggest_entry(tx, d, actor, now, reason)) < 0)
            return rc;
    }
    return scan->quality ? khm_quality_refresh(tx, d, now) : 0;
}

int khm_resource_list_all(khm_tx *tx, khm_resource_rec **out, size_t *n, const char *dataset_id,
                          khm_arena *a)
{
    khm_resource_rec *all = NULL;
    size_t have = 0, cap = 0;
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more = 1, rc = 0;
    *out = NULL;
    *n = 0;
    while (more) {
        khm_resource_rec *items;
        size_t k;
        if ((rc = khm_store_resource_list(tx, &items, &k, &more, dataset_id, &page, a)) < 0)
            return rc;
        if (have + k > cap) {
            size_t nc = (have + k) * 2;
            khm_resource_rec *bigger = khm_arena_calloc(a, nc, sizeof(*bigger));
            if (!bigger)
                return khm_err_set(KHM_ENOMEM, "out of memory");
            if (have)
                memcpy(bigger, all, have * sizeof(*all));
            all = bigger;
            cap = nc;
        }
        if (k)
            memcpy(all + have, items, k * sizeof(*items));
        have += k;
        if (!k)
            break;
        page.after = items[k - 1].id;
    }
    *out = all;
    *n = have;
    return 0;
}

/* ---- scanning a whole dataset ---------------------------------------------------------- */

/* The length of @p s cut to at most @p max bytes on a character boundary (UTF-8). */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static void item_set(khm_dataset_scan_item *it, const char *status, const char *code,
                     const char *reason, const char *reason_th)
{
    it->status = status;
    it->code = code;
    it->reason = reason;
    it->reason_th = reason_th;
}

/* Count the items' statuses into @p s. */
static void tally(khm_dataset_scan *s)
{
    s->scanned = s->skipped = s->failed = 0;
    for (size_t i = 0; i < s->n; i++) {
        const char *st = s->items[i].status;
        if (strcmp(st, "scanned") == 0)
            s->scanned++;
        else if (strcmp(st, "skipped") == 0)
            s->skipped++;
        else
            s->failed++;
    }
}

static int dataset_live(const khm_dataset *d)
{
    if (!d->archived_at)
        return 0;
    return khm_err_field("dataset", "ชุดข้อมูลนี้ถูกเก็บถาวรแล้ว จึงไม่ตรวจทรัพยากรซ้ำ",
                         "dataset %s is archived: its resources are not scanned again", d->id);
}

int khm_dataset_scan_plan(khm_tx *tx, khm_dataset *d, const char *dataset, uint64_t max_bytes,
                          khm_dataset_scan *out, khm_arena *a)
{
    khm_resource_rec *recs;
    size_t n;
    int rc;
    memset(out, 0, sizeof(*out));
    out->max_bytes = max_bytes;
    if ((rc = khm_store_dataset_get(tx, d, dataset, a)) < 0 || (rc = dataset_live(d)) < 0 ||
        (rc = khm_resource_list_all(tx, &recs, &n, d->id, a)) < 0)
        return rc;
    memcpy(out->dataset_id, d->id, KHM_ID_LEN);
    out->items = n ? khm_arena_calloc(a, n, sizeof(*out->items)) : NULL;
    if (n && !out->items)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        khm_dataset_scan_item *it = &out->items[i];
        it->rec = recs[i];
        if (!recs[i].sha256[0])
            item_set(it, "skipped", "link", "a link: there is no file to scan",
                     "เป็นลิงก์ ไม่มีไฟล์ให้ตรวจ");
        else if (max_bytes && recs[i].size >= 0 && (uint64_t)recs[i].size > max_bytes)
            item_set(it, "skipped", "too_large",
                     khm_arena_printf(a,
                                      "%lld bytes, over the %llu-byte cap of a dataset scan: "
                                      "scan it alone (POST …/resources/%s/scan)",
                                      (long long)recs[i].size, (unsigned long long)max_bytes,
                                      recs[i].id),
                     khm_arena_printf(a,
                                      "ไฟล์ขนาด %lld ไบต์ เกินเพดาน %llu ไบต์ของการตรวจทั้งชุดข้อมูล "
                                      "ให้ตรวจทีละทรัพยากร",
                                      (long long)recs[i].size, (unsigned long long)max_bytes));
        else
            item_set(it, "pending", NULL, NULL, NULL);
    }
    out->n = n;
    tally(out);
    return 0;
}

int khm_dataset_scan_run(khm_dataset_scan *s, const khm_scanner *sc, const char *data_dir,
                         khm_arena *a)
{
    for (size_t i = 0; i < s->n; i++) {
        khm_dataset_scan_item *it = &s->items[i];
        int fd = -1;
        if (strcmp(it->status, "pending") != 0)
            continue;
        double t0 = now_s();
        int rc = khm_blob_open(data_dir, it->rec.sha256, &fd, NULL);
        if (rc == KHM_ENOMEM)
            return rc;
        if (rc < 0) {
            /* a row without its bytes: stored as a failed scan, the others go on */
            int missing = rc == KHM_ENOTFOUND;
            const char *why = missing ? "the resource's file is missing from the store"
                                      : khm_arena_strdup(a, khm_err_last()->message);
            khm_err_clear();
            memset(&it->scan, 0, sizeof(it->scan));
            it->scan.status = "failed";
            it->scan.error = why;
            it->scan.rows = -1;
            it->ran = 1;
            item_set(it, "failed", missing ? "missing" : "unreadable", why,
                     missing ? "ไม่พบไฟล์ของทรัพยากรในที่เก็บ" : "อ่านไฟล์ของทรัพยากรไม่ได้");
            it->ms = (now_s() - t0) * 1000.0;
            continue;
        }
        rc = khm_resource_scan_fd(sc, fd, it->rec.name, it->rec.format, &it->scan, a);
        close(fd);
        if (rc < 0)
            return rc;
        it->ran = 1;
        it->ms = (now_s() - t0) * 1000.0;
        s->bytes += it->rec.size > 0 ? it->rec.size : 0;
        if (strcmp(it->scan.status, "scanned") == 0)
            item_set(it, "scanned", NULL, NULL, NULL);
        else if (strcmp(it->scan.status, "unsupported") == 0)
            item_set(it, "skipped", "unsupported",
                     khm_arena_printf(a, "the scanner does not read %s files",
                                      it->rec.format ? it->rec.format : "these"),
                     khm_arena_printf(a, "เครื่องตรวจไม่อ่านไฟล์รูปแบบ %s",
                                      it->rec.format ? it->rec.format : "นี้"));
        else
            item_set(it, "failed", "unreadable",
                     it->scan.error ? it->scan.error : "the scanner could not read the file",
                     "เครื่องตรวจอ่านไฟล์นี้ไม่ได้");
    }
    s->ms = 0;
    for (size_t i = 0; i < s->n; i++)
        s->ms += s->items[i].ms;
    tally(s);
    return 0;
}

int khm_dataset_scan_apply(khm_tx *tx, khm_dataset *d, khm_dataset_scan *s, const char *actor,
                           int64_t now, khm_arena *a)
{
    int rc, personal = 0, sensitive = 0;
    khm_buf names = KHM_BUF_INIT(4096), types = KHM_BUF_INIT(4096);
    if ((rc = khm_store_dataset_get(tx, d, s->dataset_id, a)) < 0 || (rc = dataset_live(d)) < 0)
        return rc;
    s->at = now;
    for (size_t i = 0; i < s->n && rc == 0; i++) {
        khm_dataset_scan_item *it = &s->items[i];
        khm_resource_rec cur;
        if (!it->ran)
            continue;
        rc = khm_store_resource_get(tx, &cur, d->id, it->rec.id, a);
        if (rc == KHM_ENOTFOUND) { /* deleted while its file was read */
            khm_err_clear();
            rc = 0;
            it->ran = 0;
            item_set(it, "skipped", "deleted", "deleted while the dataset was being scanned",
                     "ถูกลบระหว่างการตรวจชุดข้อมูล");
            continue;
        }
        if (rc < 0 || (rc = store_scan(tx, &cur, &it->scan, now)) < 0)
            break;
        it->rec = cur;
        if (it->scan.personal || it->scan.sensitive) {
            personal = 1;
            sensitive |= it->scan.sensitive;
            /* the suggestion's reason: which files (the first ones), what was found */
            if (names.len < 300)
                rc = khm_buf_printf(&names, "%s'%.*s'", names.len ? ", " : "",
                                    (int)utf8_cut(cur.name, 80), cur.name);
            else if (names.len < 310)
                rc = khm_buf_puts(&names, ", …");
            if (rc == 0 && it->scan.found && types.len < 300)
                rc = khm_buf_printf(&types, "%s%.*s", types.len ? "; " : "",
                                    (int)utf8_cut(it->scan.found, 200), it->scan.found);
        }
    }
    tally(s);
    if (rc == 0)
        rc = sync_flags(tx, d, now);
    if (rc == 0 && personal) {
        khm_buf reason = KHM_BUF_INIT(4096);
        rc = khm_buf_printf(&reason,
                            "การตรวจชุดข้อมูลพบข้อมูลส่วนบุคคล%s ใน %s / dataset scan found %s data "
                            "in %s: %s",
                            sensitive ? "ที่มีความอ่อนไหว (มาตรา 26)" : "", names.ptr,
                            sensitive ? "sensitive (PDPA s.26)" : "personal", names.ptr,
                            types.ptr ? types.ptr : "-");
        if (rc == 0)
            rc = suggest_entry(tx, d, actor, now, reason.ptr);
        khm_buf_dispose(&reason);
    }
    if (rc == 0)
        rc = khm_quality_refresh(tx, d, now);
    khm_buf_dispose(&names);
    khm_buf_dispose(&types);
    return rc;
}

void khm_dataset_scan_write_json(khm_jw *w, const khm_dataset *d, const khm_dataset_scan *s)
{
    char ms[32];
    khm_jw_obj(w);
    khm_jw_key(w, "dataset_id");
    khm_jw_str(w, d->id);
    khm_jw_key(w, "name");
    khm_jw_str(w, d->slug);
    khm_jw_key(w, "scanned_at");
    khm_jw_time(w, s->at);
    khm_jw_key(w, "max_bytes");
    if (s->max_bytes)
        khm_jw_int(w, (int64_t)s->max_bytes);
    else
        khm_jw_null(w);
    khm_jw_key(w, "summary");
    khm_jw_obj(w);
    khm_jw_key(w, "resources");
    khm_jw_int(w, (int64_t)s->n);
    khm_jw_key(w, "scanned");
    khm_jw_int(w, (int64_t)s->scanned);
    khm_jw_key(w, "skipped");
    khm_jw_int(w, (int64_t)s->skipped);
    khm_jw_key(w, "failed");
    khm_jw_int(w, (int64_t)s->failed);
    khm_jw_key(w, "bytes");
    khm_jw_int(w, s->bytes);
    khm_jw_key(w, "ms");
    khm_jw_raw(w, ms, (size_t)snprintf(ms, sizeof(ms), "%.3f", s->ms));
    khm_jw_obj_end(w);
    khm_jw_key(w, "resources");
    khm_jw_arr(w);
    for (size_t i = 0; i < s->n; i++) {
        const khm_dataset_scan_item *it = &s->items[i];
        const khm_resource_scan *sc = it->ran ? &it->scan : NULL;
        khm_jw_obj(w);
        khm_jw_key(w, "id");
        khm_jw_str(w, it->rec.id);
        khm_jw_key(w, "name");
        khm_jw_str(w, it->rec.name);
        khm_jw_key(w, "format");
        khm_jw_str(w, it->rec.format);
        khm_jw_key(w, "kind");
        khm_jw_str(w, it->rec.sha256[0] ? "file" : "link");
        khm_jw_key(w, "status");
        khm_jw_str(w, it->status);
        khm_jw_key(w, "code");
        khm_jw_str(w, it->code);
        khm_jw_key(w, "reason");
        khm_jw_str(w, it->reason);
        khm_jw_key(w, "reason_th");
        khm_jw_str(w, it->reason_th);
        khm_jw_key(w, "bytes");
        if (it->rec.size >= 0)
            khm_jw_int(w, it->rec.size);
        else
            khm_jw_null(w);
        khm_jw_key(w, "ms");
        if (sc)
            khm_jw_raw(w, ms, (size_t)snprintf(ms, sizeof(ms), "%.3f", it->ms));
        else
            khm_jw_null(w);
        khm_jw_key(w, "rows");
        if (sc && sc->rows >= 0)
            khm_jw_int(w, sc->rows);
        else
            khm_jw_null(w);
        khm_jw_key(w, "columns");
        if (sc && strcmp(sc->status, "scanned") == 0)
            khm_jw_int(w, (int64_t)sc->ncols);
        else
            khm_jw_null(w);
        khm_jw_key(w, "personal_data");
        khm_jw_bool(w, sc && sc->personal);
        khm_jw_key(w, "sensitive_data");
        khm_jw_bool(w, sc && sc->sensitive);
        khm_jw_key(w, "findings");
        khm_jw_arr(w);
        for (size_t k = 0; sc && k < sc->nfindings; k++) {
            khm_jw_obj(w);
            khm_jw_key(w, "type");
            khm_jw_str(w, sc->findings[k].type);
            khm_jw_key(w, "count");
            khm_jw_int(w, sc->findings[k].count);
            khm_jw_key(w, "pdpa");
            khm_jw_str(w, khm_pdpa_name((khm_pdpa)sc->findings[k].pdpa));
            khm_jw_obj_end(w);
        }
        khm_jw_arr_end(w);
        khm_jw_key(w, "quality_score");
        if (sc && sc->quality && sc->quality->score >= 0)
            khm_jw_int(w, sc->quality->score);
        else
            khm_jw_null(w);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_key(w, "personal_data");
    khm_jw_bool(w, d->personal);
    khm_jw_key(w, "sensitive_data");
    khm_jw_bool(w, d->sensitive);
    khm_jw_key(w, "classification");
    khm_jw_obj(w);
    khm_dataset_class_fields_write_json(w, d->category, d->level);
    khm_jw_key(w, "confirmed");
    khm_jw_bool(w, d->confirmed);
    khm_jw_obj_end(w);
    khm_dataset_suggestion_write_json(w, d);
    khm_jw_key(w, "quality");
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    if (d->quality_at && d->quality_score >= 0)
        khm_jw_int(w, d->quality_score);
    else
        khm_jw_null(w);
    khm_jw_key(w, "computed_at");
    khm_jw_time(w, d->quality_at);
    khm_jw_obj_end(w);
    khm_jw_obj_end(w);
}

int khm_resource_delete(khm_tx *tx, khm_dataset *d, const khm_resource_rec *r, const char *data_dir,
                        const char *actor, int64_t now, char *trash, size_t trash_cap)
{
    int rc, personal, sensitive;
    int64_t refs = 0;
    (void)actor;
    trash[0] = '\0';
    if ((rc = khm_store_resource_delete(tx, r->id)) < 0)
        return rc;
    if (r->sha256[0] && (rc = khm_store_resource_blob_refs(tx, r->sha256, &refs)) < 0)
        return rc;
    if (r->sha256[0] && refs == 0) {
        /* the last reference: move the bytes aside (PDPA: a deleted file does not stay) */
        char path[4096];
        if ((rc = khm_blob_path(data_dir, r->sha256, path, sizeof(path))) < 0)
            return rc;
        int n = snprintf(trash, trash_cap, "%s/resources/tmp/%s.%s.deleted", data_dir, r->sha256,
                         r->id);
        if (n < 0 || (size_t)n >= trash_cap)
            return khm_err_set(KHM_ELIMIT, "path too long");
        if (rename(path, trash) != 0) {
            trash[0] = '\0';
            if (errno != ENOENT)
                return khm_err_set(KHM_EIO, "cannot remove %s: %s", path, strerror(errno));
        }
    }
    if ((rc = khm_store_resource_flags(tx, d->id, &personal, &sensitive)) < 0)
        return rc;
    if (personal != d->personal || sensitive != d->sensitive) {
        int64_t nv;
        d->personal = personal;
        d->sensitive = sensitive;
        d->updated_at = now;
        if ((rc = khm_store_dataset_classify(tx, d, d->version, &nv)) < 0)
            return rc;
        d->version = nv;
    }
    return khm_quality_refresh(tx, d, now); /* its profile went with it */
}

void khm_resource_trash_finish(const char *trash, const char *data_dir, const char *sha256,
                               int committed)
{
    char path[4096];
    if (!trash || !*trash)
        return;
    if (committed) {
        unlink(trash);
        return;
    }
    if (khm_blob_path(data_dir, sha256, path, sizeof(path)) == 0 && rename(trash, path) == 0)
        return;
    khm_err_clear();
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void jw_milli(khm_jw *w, double v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%.3f", v);
    khm_jw_raw(w, tmp, (size_t)n);
}

void khm_resource_column_write_json(khm_jw *w, const khm_resource_column *c)
{
    khm_jw_obj(w);
    khm_jw_key(w, "index");
    khm_jw_int(w, c->idx);
    khm_jw_key(w, "field");
    khm_jw_str(w, c->field);
    khm_jw_key(w, "type");
    khm_jw_str(w, c->type);
    khm_jw_key(w, "rows");
    khm_jw_int(w, c->rows);
    khm_jw_key(w, "matched");
    khm_jw_int(w, c->matched);
    khm_jw_key(w, "share");
    jw_milli(w, c->share);
    khm_jw_key(w, "score");
    jw_milli(w, c->score);
    khm_jw_key(w, "pdpa");
    khm_jw_str(w, khm_pdpa_name((khm_pdpa)c->pdpa));
    khm_jw_key(w, "sensitive");
    khm_jw_arr(w);
    for (const char *p = c->sensitive; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char one[64];
        snprintf(one, sizeof(one), "%.*s", (int)n, p);
        khm_jw_str(w, one);
        p = e ? e + 1 : p + n;
    }
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
}

void khm_resource_write_json(khm_jw *w, const khm_resource_rec *r, const khm_resource_column *cols,
                             size_t ncols)
{
    char dl[160];
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, r->id);
    khm_jw_key(w, "dataset_id");
    khm_jw_str(w, r->dataset_id);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, r->agency_id);
    khm_jw_key(w, "name");
    khm_jw_str(w, r->name);
    khm_jw_key(w, "format");
    khm_jw_str(w, r->format);
    khm_jw_key(w, "media_type");
    khm_jw_str(w, r->media_type);
    khm_jw_key(w, "size");
    if (r->size >= 0)
        khm_jw_int(w, r->size);
    else
        khm_jw_null(w);
    khm_jw_key(w, "sha256");
    khm_jw_str(w, r->sha256[0] ? r->sha256 : NULL);
    khm_jw_key(w, "url");
    khm_jw_str(w, r->url);
    khm_jw_key(w, "download_url");
    snprintf(dl, sizeof(dl), "/api/v1/datasets/%s/resources/%s/download", r->dataset_id, r->id);
    khm_jw_str(w, r->sha256[0] ? dl : NULL);
    khm_jw_key(w, "fields");
    khm_jw_raw(w, r->fields, strlen(r->fields));
    khm_jw_key(w, "scan");
    khm_jw_obj(w);
    khm_jw_key(w, "status");
    khm_jw_str(w, r->scan_status);
    khm_jw_key(w, "error");
    khm_jw_str(w, r->scan_error);
    khm_jw_key(w, "scanned_at");
    khm_jw_time(w, r->scanned_at);
    khm_jw_key(w, "rows");
    if (r->rows >= 0)
        khm_jw_int(w, r->rows);
    else
        khm_jw_null(w);
    khm_jw_key(w, "personal_data");
    khm_jw_bool(w, r->personal);
    khm_jw_key(w, "sensitive_data");
    khm_jw_bool(w, r->sensitive);
    khm_jw_obj_end(w);
    khm_jw_key(w, "created_by");
    khm_jw_str(w, r->created_by[0] ? r->created_by : NULL);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, r->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, r->updated_at);
    if (cols) {
        khm_jw_key(w, "columns");
        khm_jw_arr(w);
        for (size_t i = 0; i < ncols; i++)
            khm_resource_column_write_json(w, &cols[i]);
        khm_jw_arr_end(w);
    }
    khm_jw_obj_end(w);
}
