/* The JSON records of a scan (docs/scan-output.md): finding, column, file, summary. Keys are a
 * contract: others may be added, none renamed. */
#include "scan_int.h"

#include <khomun/json.h>

#include <stdio.h>
#include <string.h>

const char *khm_scan_suggested_category(khm_pdpa p)
{
    return p == KHM_PDPA_NONE ? "ข้อมูลสาธารณะ" : "ข้อมูลส่วนบุคคล";
}

const char *khm_scan_suggested_classification(khm_pdpa p)
{
    return p == KHM_PDPA_SENSITIVE ? "ลับ"
           : p == KHM_PDPA_PERSONAL ? "ชั้นเผยแพร่ภายในองค์กร"
                                    : "เปิดเผย";
}

/* A score with two decimals, as a JSON number. */
static void jw_score(khm_jw *w, double s)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof(tmp), "%.2f", s);
    khm_jw_raw(w, tmp, (size_t)n);
}

/* The s.26 categories of a mask, as an array of lower-case names. */
static void jw_sensitive(khm_jw *w, unsigned mask)
{
    khm_jw_arr(w);
    for (unsigned k = 1; k < KHM_SENS_COUNT; k++)
        if (mask & (1u << k))
            khm_jw_str(w, khm_sensitive_name(k));
    khm_jw_arr_end(w);
}

static void jw_seconds(khm_jw *w, double s)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%.3f", s);
    khm_jw_raw(w, tmp, (size_t)n);
}

/* A string of n bytes (the value may hold anything, a NUL too: khm_jw_str wants a C string). */
static void jw_strn(khm_jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    khm_jw_raw(w, "\"", 1);
    int rc = khm_buf_json_escape(w->b, s, n);
    if (rc == 0)
        rc = khm_buf_putc(w->b, '"');
    if (rc && !w->err)
        w->err = rc;
}

int khm_scan_write_finding(khm_buf *b, const char *file, const khm_finding *f, int show_values)
{
    khm_jw w;
    khm_buf v = KHM_BUF_INIT(256);
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "finding");
    khm_jw_key(&w, "file");
    khm_jw_str(&w, file);
    khm_jw_key(&w, "type");
    khm_jw_str(&w, f->type);
    khm_jw_key(&w, "start");
    khm_jw_int(&w, (int64_t)f->start);
    khm_jw_key(&w, "end");
    khm_jw_int(&w, (int64_t)f->end);
    khm_jw_key(&w, "line");
    khm_jw_int(&w, (int64_t)f->line);
    khm_jw_key(&w, "row");
    if (f->row >= 0)
        khm_jw_int(&w, f->row);
    else
        khm_jw_null(&w);
    khm_jw_key(&w, "field");
    khm_jw_str(&w, f->field);
    khm_jw_key(&w, "score");
    jw_score(&w, f->score);
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(f->pdpa));
    if (f->sens) {
        khm_jw_key(&w, "sensitive");
        khm_jw_str(&w, khm_sensitive_name(f->sens));
    }
    if (f->subtype) {
        khm_jw_key(&w, "subtype");
        khm_jw_str(&w, f->subtype);
    }
    khm_jw_key(&w, "value");
    if (show_values) {
        jw_strn(&w, f->value, f->value_len);
    } else {
        int rc = khm_scan_mask(&v, f->type, f->value, f->value_len);
        if (rc && !w.err)
            w.err = rc;
        jw_strn(&w, v.ptr ? v.ptr : "", v.len);
    }
    khm_jw_obj_end(&w);
    khm_buf_dispose(&v);
    return khm_jw_finish(&w);
}

int khm_scan_write_column(khm_buf *b, const char *file, const khm_profile *p, size_t col)
{
    const khm_column *c = &p->cols[col];
    int d = khm_profile_dominant(p, col);
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "column");
    khm_jw_key(&w, "file");
    khm_jw_str(&w, file);
    khm_jw_key(&w, "index");
    khm_jw_int(&w, (int64_t)col);
    khm_jw_key(&w, "field");
    khm_jw_str(&w, c->field);
    khm_jw_key(&w, "type");
    khm_jw_str(&w, d >= 0 ? khm_detectors[d].name : NULL);
    khm_jw_key(&w, "rows");
    khm_jw_int(&w, c->rows);
    khm_jw_key(&w, "matched");
    khm_jw_int(&w, d >= 0 ? c->matched[d] : 0);
    khm_jw_key(&w, "share");
    jw_score(&w, d >= 0 && c->rows ? (double)c->matched[d] / (double)c->rows : 0.0);
    khm_jw_key(&w, "score");
    jw_score(&w, d >= 0 ? c->score_sum[d] / (double)c->matched[d] : 0.0);
    khm_pdpa pd = d >= 0 ? khm_detectors[d].pdpa : KHM_PDPA_NONE;
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(c->pdpa > pd ? c->pdpa : pd));
    khm_jw_key(&w, "sensitive");
    jw_sensitive(&w, c->sensitive);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

int khm_scan_write_file(khm_buf *b, const khm_scan_file_totals *t)
{
    khm_pdpa top = t->pdpa;
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "file");
    khm_jw_key(&w, "file");
    khm_jw_str(&w, t->file);
    khm_jw_key(&w, "format");
    khm_jw_str(&w, t->format);
    khm_jw_key(&w, "encoding");
    khm_jw_str(&w, t->encoding);
    khm_jw_key(&w, "bytes");
    khm_jw_int(&w, (int64_t)t->bytes);
    khm_jw_key(&w, "rows");
    if (t->rows >= 0)
        khm_jw_int(&w, t->rows);
    else
        khm_jw_null(&w);
    khm_jw_key(&w, "findings");
    khm_jw_int(&w, t->findings);
    khm_jw_key(&w, "types");
    khm_jw_obj(&w);
    for (size_t d = 0; d < khm_detector_count; d++) {
        if (!t->types || !t->types[d])
            continue;
        khm_jw_key(&w, khm_detectors[d].name);
        khm_jw_int(&w, t->types[d]);
        if (khm_detectors[d].pdpa > top)
            top = khm_detectors[d].pdpa;
    }
    khm_jw_obj_end(&w);
    khm_jw_key(&w, "pdpa");
    khm_jw_str(&w, khm_pdpa_name(top));
    khm_jw_key(&w, "sensitive");
    jw_sensitive(&w, t->sensitive);
    khm_jw_key(&w, "suggested_category");
    khm_jw_str(&w, khm_scan_suggested_category(top));
    khm_jw_key(&w, "suggested_classification");
    khm_jw_str(&w, khm_scan_suggested_classification(top));
    khm_jw_key(&w, "seconds");
    jw_seconds(&w, t->seconds);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}

int khm_scan_write_summary(khm_buf *b, int64_t files, uint64_t bytes, int64_t findings,
                           int64_t errors, double seconds)
{
    khm_jw w;
    khm_jw_init(&w, b);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "summary");
    khm_jw_key(&w, "files");
    khm_jw_int(&w, files);
    khm_jw_key(&w, "bytes");
    khm_jw_int(&w, (int64_t)bytes);
    khm_jw_key(&w, "findings");
    khm_jw_int(&w, findings);
    khm_jw_key(&w, "errors");
    khm_jw_int(&w, errors);
    khm_jw_key(&w, "seconds");
    jw_seconds(&w, seconds);
    khm_jw_obj_end(&w);
    return khm_jw_finish(&w);
}
