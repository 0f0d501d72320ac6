/* Purposes: input, the PDPA rules on lawful bases (thai-rules.md §1.3 s.24, §1.4 s.26, §1.5
 * s.19), versioned consent texts, JSON. Storage is the store's (store/pdpa.c). */
#include <khomun/pdpa.h>

#include <khomun/alloc.h>
#include <khomun/buf.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/policy.h>
#include <khomun/rand.h>
#include <khomun/scan.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const khm_json_field purpose_fields[] = {
    { "code", KHM_JSON_STRING, 0, KHM_PURPOSE_CODE_MAX, "รหัสวัตถุประสงค์", 0 },
    { "name_th", KHM_JSON_STRING, 1, 300, "ชื่อวัตถุประสงค์ (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 300, "ชื่อวัตถุประสงค์ (ภาษาอังกฤษ)", 1 },
    { "description_th", KHM_JSON_STRING, 0, 4000, "คำอธิบาย (ภาษาไทย)", 1 },
    { "description_en", KHM_JSON_STRING, 0, 4000, "คำอธิบาย (ภาษาอังกฤษ)", 1 },
    { "basis", KHM_JSON_STRING, 1, 40, "ฐานทางกฎหมาย", 0 },
    { "s26_exception", KHM_JSON_STRING, 0, 20, "ข้อยกเว้นตามมาตรา 26", 1 },
    { "sensitive", KHM_JSON_ARRAY, 0, 0, "ข้อมูลอ่อนไหว (มาตรา 26)", 1 },
    { "categories", KHM_JSON_ARRAY, 0, 0, "ประเภทข้อมูลส่วนบุคคล", 1 },
    { "retention_days", KHM_JSON_INTEGER, 1, 0, "ระยะเวลาเก็บรักษา (วัน)", 0 },
    { "datasets", KHM_JSON_ARRAY, 0, 0, "ชุดข้อมูลที่เกี่ยวข้อง", 1 },
    { "consent_text_th", KHM_JSON_STRING, 0, 10000, "ข้อความขอความยินยอม (ภาษาไทย)", 1 },
    { "consent_text_en", KHM_JSON_STRING, 0, 10000, "ข้อความขอความยินยอม (ภาษาอังกฤษ)", 1 },
    { "reconsent_required", KHM_JSON_BOOLEAN, 0, 0, "ต้องขอความยินยอมใหม่", 0 },
    { "privacy_notice_url", KHM_JSON_STRING, 0, 300, "ประกาศความเป็นส่วนตัว", 1 },
    { NULL, 0, 0, 0, NULL, 0 },
};

int khm_purpose_input_from_json(khm_purpose_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    in->retention_days = -1;
    in->reconsent_required = -1;
    if (khm_json_check(body, purpose_fields) < 0)
        return KHM_EINVALID;
    in->code = khm_json_str(body, "code");
    in->name_th = khm_json_str(body, "name_th");
    in->name_en = khm_json_str(body, "name_en");
    in->description_th = khm_json_str(body, "description_th");
    in->description_en = khm_json_str(body, "description_en");
    in->basis = khm_json_str(body, "basis");
    in->s26_exception = khm_json_str(body, "s26_exception");
    in->sensitive = json_object_get(body, "sensitive");
    in->categories = json_object_get(body, "categories");
    in->datasets = json_object_get(body, "datasets");
    in->text_th = khm_json_str(body, "consent_text_th");
    in->text_en = khm_json_str(body, "consent_text_en");
    in->privacy_notice_url = khm_json_str(body, "privacy_notice_url");
    json_t *r = json_object_get(body, "retention_days");
    if (json_is_integer(r))
        in->retention_days = json_integer_value(r);
    json_t *rc = json_object_get(body, "reconsent_required");
    if (json_is_boolean(rc))
        in->reconsent_required = json_is_true(rc);
    return 0;
}

int khm_sensitive_parse(const char *name)
{
    for (unsigned k = 1; name && k < KHM_SENS_COUNT; k++)
        if (strcasecmp(name, khm_sensitive_name(k)) == 0)
            return (int)k;
    return -1;
}

static int code_ok(const char *c)
{
    size_t n = c ? strlen(c) : 0;
    if (n < 2 || n > KHM_PURPOSE_CODE_MAX ||
        !(islower((unsigned char)c[0]) || isdigit((unsigned char)c[0])))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!islower((unsigned char)c[i]) && !isdigit((unsigned char)c[i]) && !strchr("._-", c[i]))
            return 0;
    return 1;
}

int khm_purpose_validate(const khm_purpose_rec *p)
{
    int bad = 0;
    if (!code_ok(p->code))
        bad |= khm_err_field("code", "รหัสต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข . _ - ยาว 2–64 ตัว",
                             "must be 2-64 lower-case letters, digits, '.', '_' or '-', starting "
                             "with a letter or digit") < 0;
    if (p->basis <= KHM_BASIS_NONE || p->basis >= KHM_BASIS__COUNT)
        bad |= khm_err_field("basis", "ต้องระบุฐานทางกฎหมาย (มาตรา 19 หรือมาตรา 24)",
                             "a purpose needs a lawful basis: consent (s.19) or one of s24(1) … "
                             "s24(6) (PDPA s.24)") < 0;
    if (p->sensitive && p->basis != KHM_BASIS_CONSENT && p->basis > KHM_BASIS_NONE &&
        p->s26_exception == KHM_S26_NONE)
        bad |= khm_err_field("s26_exception",
                             "ข้อมูลอ่อนไหวต้องได้รับความยินยอมโดยชัดแจ้ง หรือมีข้อยกเว้นตามมาตรา 26",
                             "sensitive data (s.26) on basis %s needs an s.26 exception "
                             "(s26(1) … s26(5)) or the consent basis with explicit consent "
                             "(PDPA s.26)",
                             khm_basis_name(p->basis)) < 0;
    if (!p->sensitive && p->s26_exception != KHM_S26_NONE)
        bad |= khm_err_field("s26_exception", "ข้อยกเว้นตามมาตรา 26 ใช้กับข้อมูลอ่อนไหวเท่านั้น",
                             "an s.26 exception applies only to sensitive data: list the s.26 "
                             "categories in 'sensitive' or remove the exception (PDPA s.26)") < 0;
    if (p->basis == KHM_BASIS_CONSENT && (!p->text_th || !*p->text_th))
        bad |=
            khm_err_field("consent_text_th", "ฐานความยินยอมต้องมีข้อความขอความยินยอมภาษาไทย",
                          "a purpose on the consent basis needs the consent text the subject "
                          "is shown, in Thai (PDPA s.19: inform the purpose, plain language)") < 0;
    if (p->retention_days < 1 || p->retention_days > KHM_RETENTION_MAX_DAYS)
        bad |= khm_err_field("retention_days", "ระยะเวลาเก็บรักษาต้องเป็น 1–36500 วัน",
                             "must be 1 to %d days (PDPA s.23, s.39: the retention period)",
                             KHM_RETENTION_MAX_DAYS) < 0;
    if (p->privacy_notice_url && !khm_url_ok(p->privacy_notice_url))
        bad |= khm_err_field(
                   "privacy_notice_url",
                   "ประกาศความเป็นส่วนตัวต้องเป็น URL ที่ขึ้นต้นด้วย http:// หรือ https:// ยาวไม่เกิน 300 ไบต์",
                   "must be an http:// or https:// URL of at most 300 bytes (the "
                   "purpose's privacy notice, PDPA s.23)") < 0;
    return bad ? KHM_EINVALID : 0;
}

/* A JSON array of strings from @p arr (NULL = []), each 1..200 bytes; in @p a. */
static const char *string_array(const json_t *arr, const char *field, khm_arena *a, int *bad)
{
    size_t i;
    json_t *v;
    if (!arr || json_is_null(arr))
        return "[]";
    json_array_foreach(arr, i, v)
    {
        size_t n = json_is_string(v) ? json_string_length(v) : 0;
        if (n < 1 || n > 200) {
            *bad |= khm_err_field(field, "ต้องเป็นรายการข้อความ",
                                  "must be an array of non-empty "
                                  "strings (at most 200 bytes each)") < 0;
            return NULL;
        }
    }
    size_t len;
    char *s = khm_json_dump(arr, &len);
    const char *out = s ? khm_arena_strdup(a, s) : NULL;
    khm_free(s);
    return out;
}

/* The s.26 categories of @p arr as a mask. */
static unsigned sensitive_mask(const json_t *arr, int *bad)
{
    size_t i;
    json_t *v;
    unsigned m = 0;
    json_array_foreach(arr, i, v)
    {
        int k = khm_sensitive_parse(json_string_value(v));
        if (k < 0) {
            *bad |= khm_err_field("sensitive", "หมวดข้อมูลอ่อนไหวไม่ถูกต้อง",
                                  "unknown s.26 category '%s' (allowed: ETHNICITY, "
                                  "POLITICAL_OPINION, RELIGION, SEXUAL_BEHAVIOR, CRIMINAL_RECORD, "
                                  "HEALTH, DISABILITY, TRADE_UNION, GENETIC, BIOMETRIC)",
                                  json_is_string(v) ? json_string_value(v) : "?") < 0;
            return 0;
        }
        m |= 1u << k;
    }
    return m;
}

/* The datasets: each named by id or slug, in the purpose's agency; stored as ids. */
static const char *dataset_ids(khm_tx *tx, const json_t *arr, const char *agency_id, khm_arena *a,
                               int *bad, int *rc)
{
    size_t i;
    json_t *v;
    json_t *ids = json_array();
    if (!ids) {
        *rc = khm_err_set(KHM_ENOMEM, "out of memory");
        return NULL;
    }
    json_array_foreach(arr, i, v)
    {
        khm_dataset d;
        const char *name = json_string_value(v);
        int r = name ? khm_store_dataset_get(tx, &d, name, a) : KHM_ENOTFOUND;
        if (r == KHM_ENOTFOUND ||
            (r == 0 && (strcmp(d.agency_id, agency_id) != 0 || d.archived_at))) {
            khm_err_clear();
            *bad |= khm_err_field("datasets", "ไม่พบชุดข้อมูลนี้ในหน่วยงาน",
                                  "no live dataset '%s' in this agency", name ? name : "?") < 0;
            break;
        }
        if (r < 0) {
            *rc = r;
            break;
        }
        json_array_append_new(ids, json_string(d.id));
    }
    size_t len;
    char *s = khm_json_dump(ids, &len);
    json_decref(ids);
    const char *out = s ? khm_arena_strdup(a, s) : NULL;
    khm_free(s);
    return out;
}

/* Apply @p in to @p p (everything but id, agency, code and the text versions). */
static int apply(khm_tx *tx, khm_purpose_rec *p, const khm_purpose_input *in, khm_arena *a)
{
    int bad = 0, rc = 0;
    p->name_th = in->name_th;
    p->name_en = in->name_en;
    p->description_th = in->description_th;
    p->description_en = in->description_en;
    p->privacy_notice_url =
        in->privacy_notice_url && *in->privacy_notice_url ? in->privacy_notice_url : NULL;
    if (khm_basis_parse(in->basis, &p->basis) < 0)
        bad = 1;
    p->s26_exception = KHM_S26_NONE;
    if (in->s26_exception && khm_s26_parse(in->s26_exception, &p->s26_exception) < 0)
        bad = 1;
    p->sensitive = in->sensitive ? sensitive_mask(in->sensitive, &bad) : 0;
    p->categories = string_array(in->categories, "categories", a, &bad);
    p->retention_days = in->retention_days < 0 || in->retention_days > KHM_RETENTION_MAX_DAYS
                            ? 0
                            : (int)in->retention_days;
    p->datasets = in->datasets && json_array_size(in->datasets)
                      ? dataset_ids(tx, in->datasets, p->agency_id, a, &bad, &rc)
                      : "[]";
    if (rc < 0)
        return rc;
    if (!bad && (!p->categories || !p->datasets))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if (khm_purpose_validate(p) < 0 || bad)
        return KHM_EINVALID;
    return 0;
}

static int same(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

int khm_purpose_create(khm_tx *tx, khm_purpose_rec *out, const khm_purpose_input *in,
                       const char *agency_id, const char *actor, int64_t now, khm_arena *a)
{
    int rc;
    khm_purpose_rec p;
    memset(&p, 0, sizeof(p));
    khm_id_new(p.id);
    snprintf(p.agency_id, sizeof(p.agency_id), "%s", agency_id);
    snprintf(p.created_by, sizeof(p.created_by), "%s", actor ? actor : "");
    p.code = in->code;
    p.text_th = in->text_th;
    p.text_en = in->text_en;
    if ((rc = apply(tx, &p, in, a)) < 0)
        return rc;
    if (p.text_th && *p.text_th) {
        p.text_version = 1;
        p.min_version = 1;
    }
    p.version = 1;
    p.created_at = p.updated_at = now;
    if ((rc = khm_store_purpose_insert(tx, &p)) < 0)
        return rc;
    if (p.text_version &&
        (rc = khm_store_purpose_text_insert(tx, p.id, 1, p.text_th, p.text_en, 1, now)) < 0)
        return rc;
    *out = p;
    return 0;
}

int khm_purpose_update(khm_tx *tx, khm_purpose_rec *p, const khm_purpose_input *in, int64_t version,
                       int64_t now, khm_arena *a)
{
    int rc;
    if (in->code && strcmp(in->code, p->code) != 0)
        return khm_err_field("code", "รหัสวัตถุประสงค์เปลี่ยนไม่ได้",
                             "the code of a purpose cannot change (it is '%s')", p->code);
    khm_purpose_rec n = *p;
    n.text_th = in->text_th;
    n.text_en = in->text_en;
    if ((rc = apply(tx, &n, in, a)) < 0)
        return rc;
    int changed = !same(n.text_th, p->text_th) || !same(n.text_en, p->text_en);
    if (changed && n.text_th && *n.text_th) {
        /* a new text version; unless the DPO says the change is editorial, it does not extend
         * the consents given under older texts (they must be given again) */
        n.text_version = p->text_version + 1;
        if (in->reconsent_required != 0 || !p->min_version)
            n.min_version = n.text_version;
    } else if (changed) {
        n.text_th = p->text_th; /* a text cannot be removed: keep the last one */
        n.text_en = p->text_en;
    }
    n.updated_at = now;
    int64_t nv;
    if ((rc = khm_store_purpose_update(tx, &n, version, &nv)) < 0)
        return rc;
    n.version = nv;
    if (n.text_version != p->text_version &&
        (rc = khm_store_purpose_text_insert(tx, n.id, n.text_version, n.text_th, n.text_en,
                                            n.min_version == n.text_version, now)) < 0)
        return rc;
    *p = n;
    return 0;
}

int khm_purpose_retire(khm_tx *tx, khm_purpose_rec *p, int64_t version, int64_t now)
{
    if (p->retired_at)
        return khm_err_set(KHM_EEXISTS, "purpose '%s' is already retired (เลิกใช้วัตถุประสงค์นี้แล้ว)",
                           p->code);
    khm_purpose_rec n = *p;
    int64_t nv;
    n.retired_at = n.updated_at = now;
    int rc = khm_store_purpose_update(tx, &n, version, &nv);
    if (rc < 0)
        return rc;
    n.version = nv;
    *p = n;
    return 0;
}

void khm_purpose_etag(const khm_purpose_rec *p, char *out, size_t cap)
{
    snprintf(out, cap, "\"%lld\"", (long long)p->version);
}

void khm_purpose_write_json(khm_jw *w, const khm_purpose_rec *p)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, p->id);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, p->agency_id);
    khm_jw_key(w, "code");
    khm_jw_str(w, p->code);
    khm_jw_key(w, "name_th");
    khm_jw_str(w, p->name_th);
    khm_jw_key(w, "name_en");
    khm_jw_str(w, p->name_en);
    khm_jw_key(w, "description_th");
    khm_jw_str(w, p->description_th);
    khm_jw_key(w, "description_en");
    khm_jw_str(w, p->description_en);
    khm_jw_key(w, "basis");
    khm_jw_str(w, khm_basis_name(p->basis));
    khm_jw_key(w, "basis_th");
    khm_jw_str(w, khm_basis_label_th(p->basis));
    khm_jw_key(w, "s26_exception");
    khm_jw_str(w, khm_s26_name(p->s26_exception));
    khm_jw_key(w, "sensitive");
    khm_jw_arr(w);
    for (unsigned k = 1; k < KHM_SENS_COUNT; k++)
        if (p->sensitive & (1u << k)) {
            char up[32];
            const char *nm = khm_sensitive_name(k);
            size_t i = 0;
            for (; nm[i] && i < sizeof(up) - 1; i++)
                up[i] = (char)toupper((unsigned char)nm[i]);
            up[i] = '\0';
            khm_jw_str(w, up);
        }
    khm_jw_arr_end(w);
    khm_jw_key(w, "categories");
    khm_jw_raw(w, p->categories, strlen(p->categories));
    khm_jw_key(w, "retention_days");
    khm_jw_int(w, p->retention_days);
    khm_jw_key(w, "datasets");
    khm_jw_raw(w, p->datasets, strlen(p->datasets));
    khm_jw_key(w, "privacy_notice_url");
    khm_jw_str(w, p->privacy_notice_url);
    khm_jw_key(w, "consent_text");
    if (p->text_version) {
        khm_jw_obj(w);
        khm_jw_key(w, "version");
        khm_jw_int(w, p->text_version);
        khm_jw_key(w, "min_version");
        khm_jw_int(w, p->min_version);
        khm_jw_key(w, "th");
        khm_jw_str(w, p->text_th);
        khm_jw_key(w, "en");
        khm_jw_str(w, p->text_en);
        khm_jw_obj_end(w);
    } else {
        khm_jw_null(w);
    }
    khm_jw_key(w, "version");
    khm_jw_int(w, p->version);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, p->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, p->updated_at);
    khm_jw_key(w, "retired_at");
    if (p->retired_at)
        khm_jw_time(w, p->retired_at);
    else
        khm_jw_null(w);
    khm_jw_obj_end(w);
}
