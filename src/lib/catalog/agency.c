/* Agencies (หน่วยงาน): the organisations that own data. Later work adds the ministry, the
 * parent agency, contacts and the DPO (issue 4). */
#include <khomun/catalog.h>

#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/rand.h>
#include <khomun/utf8.h>

#include <string.h>

static const khm_json_field agency_fields[] = {
    { "slug", KHM_JSON_STRING, 1, 63, "รหัสหน่วยงาน", 0 },
    { "name_th", KHM_JSON_STRING, 1, 200, "ชื่อหน่วยงาน (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 200, "ชื่อหน่วยงาน (ภาษาอังกฤษ)", 1 },
    { NULL },
};

int khm_agency_input_from_json(khm_agency_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, agency_fields);
    if (rc < 0)
        return rc;
    in->slug = khm_json_str(body, "slug");
    in->name_th = khm_json_str(body, "name_th");
    in->name_en = khm_json_str(body, "name_en");
    return 0;
}

/* ^[a-z0-9][a-z0-9-]{1,62}$ */
static int slug_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-')))
            return 0;
    }
    return 1;
}

/* 1..max code points of valid UTF-8 with no control characters. */
static int text_ok(const char *s, size_t max)
{
    return *s && khm_utf8_is_text(s, strlen(s), max);
}

int khm_agency_create(khm_tx *tx, khm_agency *out, const khm_agency_input *in, int64_t now)
{
    int bad = 0;
    khm_err_clear();
    if (!in->slug || !*in->slug)
        bad = khm_err_field("slug", "ต้องระบุรหัสหน่วยงาน", "is required");
    else if (!slug_ok(in->slug))
        bad = khm_err_field("slug", "รหัสหน่วยงานต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข หรือ - ยาว 2–63 ตัว",
                            "must match ^[a-z0-9][a-z0-9-]{1,62}$");
    if (!in->name_th || !*in->name_th)
        bad = khm_err_field("name_th", "ต้องระบุชื่อหน่วยงาน (ภาษาไทย)", "is required");
    else if (!text_ok(in->name_th, 200))
        bad = khm_err_field("name_th", "ชื่อหน่วยงาน (ภาษาไทย) ต้องยาว 1–200 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be 1-200 characters without control characters");
    if (in->name_en && *in->name_en && !text_ok(in->name_en, 200))
        bad = khm_err_field("name_en", "ชื่อหน่วยงาน (ภาษาอังกฤษ) ต้องยาวไม่เกิน 200 ตัวอักษร",
                            "must be 1-200 characters without control characters");
    if (bad)
        return KHM_EINVALID;
    memset(out, 0, sizeof(*out));
    khm_id_new(out->id);
    out->slug = in->slug;
    out->name_th = in->name_th;
    out->name_en = in->name_en && *in->name_en ? in->name_en : NULL;
    out->created_at = now;
    return khm_store_agency_insert(tx, out);
}

void khm_agency_write_json(khm_jw *w, const khm_agency *a)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, a->id);
    khm_jw_key(w, "slug");
    khm_jw_str(w, a->slug);
    khm_jw_key(w, "name_th");
    khm_jw_str(w, a->name_th);
    khm_jw_key(w, "name_en");
    khm_jw_str(w, a->name_en);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, a->created_at);
    khm_jw_obj_end(w);
}

static void write_agency(khm_jw *w, const void *rec)
{
    khm_agency_write_json(w, rec);
}

json_t *khm_agency_to_json(const khm_agency *a)
{
    return khm_jw_to_jansson(write_agency, a);
}
