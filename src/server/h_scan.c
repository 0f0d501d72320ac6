/* POST /api/v1/scan: scan the request body for personal data and answer with the JSON document
 * of docs/scan-output.md (the same records as `khomun scan --format json`). The body is data,
 * not JSON to parse: any Content-Type; its size is capped by --max-body. Query parameters:
 * format (auto, csv, tsv, json, jsonl, text), encoding (auto, utf-8, utf-16le, utf-16be,
 * tis-620), name (a file name: its extension helps guess the format; shown in the records),
 * show_values (true/false). The scanner is compiled once when the server starts. */
#include "server_internal.h"

#include <khomun/err.h>
#include <khomun/scan.h>

#include <string.h>

static int parse_bool(const char *v, int *out)
{
    if (!v || strcmp(v, "false") == 0 || strcmp(v, "0") == 0) {
        *out = 0;
        return 0;
    }
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = 1;
        return 0;
    }
    return khm_err_field("show_values", "ต้องเป็น true หรือ false",
                         "show_values must be true or false, not '%s'", v);
}

int khm_h_scan(khm_req *r)
{
    khm_scan_input in = { 0 };
    const char *format = khm_req_query(r, "format"), *encoding = khm_req_query(r, "encoding");
    const char *name = khm_req_query(r, "name");
    int show = 0, rc;
    if (format && khm_in_format_parse(format, &in.format) < 0) {
        khm_err_clear();
        return khm_err_field("format", "รูปแบบข้อมูลไม่ถูกต้อง (auto, csv, tsv, json, jsonl, text)",
                             "format must be auto, csv, tsv, json, jsonl or text, not '%s'",
                             format);
    }
    if (encoding && khm_enc_parse(encoding, &in.encoding) < 0)
        return KHM_EINVALID;
    if ((rc = parse_bool(khm_req_query(r, "show_values"), &show)) < 0)
        return rc;
    if (name && (strlen(name) > 255 || !*name))
        return khm_err_field("name", "ชื่อไฟล์ยาวเกินไปหรือว่าง", "name must be 1 to 255 bytes");
    in.name = name ? name : "-";
    khm_scan_state *st = khm_scan_state_new(r->srv->scanner);
    if (!st)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    khm_buf out = KHM_BUF_INIT((size_t)64 << 20);
    rc = khm_scan_document(&out, r->srv->scanner, st, in.name, r->body.ptr ? r->body.ptr : "",
                           r->body.len, &in, show);
    khm_scan_state_free(st);
    if (rc == KHM_EINVALID) { /* bad gzip or JSON: name the body */
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", khm_err_last()->message);
        khm_err_clear();
        rc = khm_err_field("body", "ข้อมูลที่ส่งมาอ่านไม่ได้", "%s", msg);
    }
    if (rc == 0)
        rc = khm_reply_bytes(r, 200, "application/json", out.ptr, out.len, 0);
    khm_buf_dispose(&out);
    return rc;
}
