/* One scan as one JSON document (docs/scan-output.md), for POST /api/v1/scan: the findings,
 * the columns with a dominant type, the file record and the summary, from a buffer. */
#include "scan_int.h"

#include <khomun/err.h>

#include <time.h>

typedef struct {
    khm_buf *findings;
    const char *name;
    int show_values;
    int rc;
} doc_ctx;

static int on_doc_finding(const khm_finding *f, void *payload)
{
    doc_ctx *d = payload;
    if ((d->findings->len && khm_buf_putc(d->findings, ',')) ||
        khm_scan_write_finding(d->findings, d->name, f, d->show_values)) {
        d->rc = KHM_ELIMIT;
        return 1;
    }
    return 0;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int khm_scan_document(khm_buf *out, const khm_scanner *sc, khm_scan_state *st, const char *name,
                      const char *buf, size_t len, const khm_scan_input *in, int show_values)
{
    khm_buf findings = KHM_BUF_INIT(out->max);
    khm_buf rest = KHM_BUF_INIT(out->max);
    khm_profile prof;
    khm_scan_info info;
    const char *label = name ? name : "-";
    doc_ctx d = { &findings, label, show_values, 0 };
    double t0 = mono_s();
    int rc = khm_scan_mem(sc, st, buf, len, in, &prof, on_doc_finding, &d, &info);
    if (rc == 1)
        rc = khm_err_set(d.rc, "the scan result is too large");
    double secs = mono_s() - t0;
    if (rc == 0) {
        int err = khm_buf_puts(out, "{\"findings\":[");
        if (!err && findings.len)
            err = khm_buf_put(out, findings.ptr, findings.len);
        if (!err)
            err = khm_buf_puts(out, "],\"columns\":[");
        for (size_t c = 0; !err && c < prof.ncols; c++) {
            if (khm_profile_dominant(&prof, c) < 0)
                continue;
            if (rest.len)
                err = khm_buf_putc(&rest, ',');
            if (!err)
                err = khm_scan_write_column(&rest, label, &prof, c);
        }
        if (!err && rest.len)
            err = khm_buf_put(out, rest.ptr, rest.len);
        if (!err)
            err = khm_buf_puts(out, "],\"files\":[");
        if (!err && !info.binary)
            err = khm_scan_write_file(out, label, &info, secs);
        if (!err)
            err = khm_buf_puts(out, "],\"summary\":");
        if (!err)
            err = khm_scan_write_summary(out, info.binary ? 0 : 1, info.bytes, info.findings, 0,
                                         secs);
        if (!err)
            err = khm_buf_putc(out, '}');
        if (err)
            rc = khm_err_set(err, "the scan result is too large");
    }
    khm_profile_dispose(&prof);
    khm_buf_dispose(&findings);
    khm_buf_dispose(&rest);
    return rc;
}
