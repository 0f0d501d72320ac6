/* Data-subject discovery (issue 5, PDPA s.30): which of an agency's registered files hold a
 * person's national ID, e-mail or phone. The files of the agency's datasets are scanned with the
 * scanner restricted to the identifier's type; each finding is normalised as the request's subject
 * was and compared, so every written form of the identifier matches. The identifier stays in this
 * function's stack and is wiped; the result names files, counts and columns only. */
#include <khomun/buf.h>
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
static const char *const det_of[KHM_SUBJ__COUNT] = {
    [KHM_SUBJ_NATIONAL_ID] = "TH_TNIN",
    [KHM_SUBJ_EMAIL] = "EMAIL_ADDRESS",
    [KHM_SUBJ_PHONE] = "PHONE_NUMBER",
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
    char v[256], norm[256];
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
    char target[256];
    khm_scanner *sc = NULL;
    khm_scan_state *st = NULL;
    int rc;
    int64_t t0 = khm_time_now_ms();
    memset(out, 0, sizeof(*out));
    if (kind < 0 || kind >= KHM_SUBJ__COUNT ||
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
