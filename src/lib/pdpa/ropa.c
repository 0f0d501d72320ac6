/* The record of processing activities of PDPA s.39 (thai-rules.md §1.8): validation of an
 * activity's eight items and what links them (purposes, datasets, recipients with the s.28/s.29
 * mechanism of a cross-border transfer, §1.11; the security checklist of §1.12 mapped to NIST
 * CSF 2.0, §5.2), refusals written into the record (item 7), the completeness check per
 * activity and per agency (with the s.41 DPO gap), and the CSV/JSON export. The items are kept
 * as one canonical JSON object per activity (the store's body column); what the API returns is
 * built from it. */
#include <khomun/ropa.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/rand.h>
#include <khomun/scan.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the eight items (s.39 para 1, thai-rules.md §1.8) ---- */

static const struct {
    const char *key, *th, *en, *section;
} items[KHM_ROPA_ITEM__COUNT] = {
    { "personal_data", "ข้อมูลส่วนบุคคลที่มีการเก็บรวบรวม", "personal data collected", "PDPA s.39(1)" },
    { "purposes", "วัตถุประสงค์ของการเก็บรวบรวมข้อมูลส่วนบุคคลแต่ละประเภท",
      "purpose of collection for each type", "PDPA s.39(2)" },
    { "controller", "ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล", "details of the controller", "PDPA s.39(3)" },
    { "retention_period", "ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล", "retention period", "PDPA s.39(4)" },
    { "access",
      "สิทธิและวิธีการเข้าถึงข้อมูลส่วนบุคคล รวมทั้งเงื่อนไขเกี่ยวกับบุคคลที่มีสิทธิเข้าถึง "
      "และเงื่อนไขในการเข้าถึง",
      "rights and methods of access, incl. who may access and the conditions of access",
      "PDPA s.39(5)" },
    { "exempt_uses", "การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม",
      "use or disclosure under s.27 para 3 (exempt from consent)", "PDPA s.39(6)" },
    { "refusals", "การปฏิเสธคำขอหรือการคัดค้านตาม ม.30 ว.3, ม.31 ว.3, ม.32 ว.3 และ ม.36 ว.1",
      "refusals of requests or objections under s.30, 31, 32 and 36", "PDPA s.39(7)" },
    { "security", "คำอธิบายเกี่ยวกับมาตรการรักษาความมั่นคงปลอดภัยตามมาตรา 37(1)",
      "description of the security measures under s.37(1)", "PDPA s.39(8)" },
};

const char *khm_ropa_item_label_th(int i)
{
    return i >= 0 && i < KHM_ROPA_ITEM__COUNT ? items[i].th : NULL;
}

const char *khm_ropa_item_label_en(int i)
{
    return i >= 0 && i < KHM_ROPA_ITEM__COUNT ? items[i].en : NULL;
}

const char *khm_ropa_item_key(int i)
{
    return i >= 0 && i < KHM_ROPA_ITEM__COUNT ? items[i].key : NULL;
}

const char *khm_ropa_item_section(int i)
{
    return i >= 0 && i < KHM_ROPA_ITEM__COUNT ? items[i].section : NULL;
}

/* ---- the security checklist: thai-rules.md §1.12 (the minimum measures of the MDES B.E. 2563
 * notification and the PDPC draft for exempt controllers), each with the NIST CSF 2.0
 * categories of §5.2 it falls under. ISO/IEC 27001 controls are not mapped: the reference does
 * not cover them. ---- */

static const khm_ropa_measure measures[] = {
    { "access-control", "การควบคุมการเข้าถึงข้อมูลและอุปกรณ์", "access control to data and equipment",
      "PR.AA", "Protect" },
    { "access-rights", "การกำหนดสิทธิในการเข้าถึงข้อมูล", "defined access rights and authorisation",
      "PR.AA", "Protect" },
    { "user-access-management", "การบริหารจัดการการเข้าถึงของผู้ใช้งาน", "user access management", "PR.AA",
      "Protect" },
    { "user-responsibilities", "การกำหนดหน้าที่ความรับผิดชอบของผู้ใช้งาน", "user responsibilities", "GV.RR",
      "Govern" },
    { "audit-trail", "การจัดให้มีวิธีการตรวจสอบย้อนหลังเกี่ยวกับการเข้าถึง เปลี่ยนแปลง ลบ หรือถ่ายโอนข้อมูล",
      "audit trail of access, change, deletion and transfer", "PR.PS, DE.CM", "Detect" },
    { "authentication", "การพิสูจน์และยืนยันตัวตน", "identity proofing and authentication", "PR.AA",
      "Protect" },
    { "need-to-know", "การให้สิทธิเข้าถึงเท่าที่จำเป็น", "need-to-know (least privilege)", "PR.AA",
      "Protect" },
    { "awareness", "การสร้างความตระหนักรู้ด้านการคุ้มครองข้อมูลส่วนบุคคล", "awareness and training", "PR.AT",
      "Protect" },
    { "pseudonymisation", "การแฝงข้อมูล", "pseudonymisation", "PR.DS", "Protect" },
    { "encryption", "การเข้ารหัสข้อมูล", "encryption at rest and in transit", "PR.DS", "Protect" },
};
#define NMEASURES (sizeof(measures) / sizeof(measures[0]))

const khm_ropa_measure *khm_ropa_measure_get(size_t i)
{
    return i < NMEASURES ? &measures[i] : NULL;
}

static const khm_ropa_measure *measure_find(const char *code)
{
    for (size_t i = 0; i < NMEASURES; i++)
        if (strcmp(measures[i].code, code) == 0)
            return &measures[i];
    return NULL;
}

/* ---- recipients and cross-border transfers (thai-rules.md §1.11) ---- */

static const char *const recipient_types[] = { "government", "private",
                                               "processor",  "international_organisation",
                                               "individual", "other" };
/* s.28: adequacy or one of its exceptions; s.29: certified BCR or appropriate safeguards */
static const char *const mechanisms[] = { "adequacy", "s28_exception", "bcr", "safeguards" };
static const char *const mechanism_th[] = {
    "ประเทศปลายทางมีมาตรฐานการคุ้มครองข้อมูลที่เพียงพอ (มาตรา 28)",
    "ข้อยกเว้นตามมาตรา 28",
    "นโยบายการคุ้มครองข้อมูลในเครือกิจการที่ได้รับการรับรอง (มาตรา 29 วรรคหนึ่ง)",
    "มาตรการคุ้มครองที่เหมาะสม (มาตรา 29 วรรคสาม)",
};
static const char *const s28_exceptions[] = {
    "law", "consent", "contract", "data_subject_contract", "vital_interest", "public_interest"
};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return (int)i;
    return -1;
}
#define IN(s, list) in_list((s), (list), sizeof(list) / sizeof((list)[0]))

/* ---- refused requests (item 7): the sections s.39(7) names, and s.33/s.34 besides ---- */

static const struct {
    const char *type, *section;
} request_types[] = {
    { "access", "PDPA s.30" },    { "portability", "PDPA s.31" },
    { "objection", "PDPA s.32" }, { "rectification", "PDPA s.36" },
    { "erasure", "PDPA s.33" },   { "restriction", "PDPA s.34" },
};

const char *khm_ropa_request_section(const char *t)
{
    for (size_t i = 0; t && i < sizeof(request_types) / sizeof(request_types[0]); i++)
        if (strcmp(t, request_types[i].type) == 0)
            return request_types[i].section;
    return NULL;
}

/* ---- validation ---- */

static const khm_json_field activity_fields[] = {
    { "code", KHM_JSON_STRING, 1, 64, "รหัสกิจกรรม", 0 },
    { "name_th", KHM_JSON_STRING, 1, 300, "ชื่อกิจกรรมการประมวลผล (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 300, "ชื่อกิจกรรมการประมวลผล (ภาษาอังกฤษ)", 1 },
    { "role", KHM_JSON_STRING, 0, 20, "บทบาท (ผู้ควบคุมหรือผู้ประมวลผลข้อมูลส่วนบุคคล)", 1 },
    { "personal_data", KHM_JSON_ARRAY, 0, 0, "ข้อมูลส่วนบุคคลที่มีการเก็บรวบรวม", 1 },
    { "personal_data_other", KHM_JSON_STRING, 0, 1000, "ข้อมูลส่วนบุคคลอื่นที่เก็บรวบรวม", 1 },
    { "data_subjects", KHM_JSON_ARRAY, 0, 0, "หมวดหมู่เจ้าของข้อมูลส่วนบุคคล", 1 },
    { "purposes", KHM_JSON_ARRAY, 0, 0, "วัตถุประสงค์", 1 },
    { "purpose_description", KHM_JSON_STRING, 0, 2000, "คำอธิบายวัตถุประสงค์", 1 },
    { "controller", KHM_JSON_OBJECT, 0, 0, "ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล", 1 },
    { "retention_period", KHM_JSON_STRING, 0, 500, "ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล", 1 },
    { "access_rights", KHM_JSON_STRING, 0, 2000, "สิทธิและวิธีการเข้าถึงข้อมูลส่วนบุคคล", 1 },
    { "access_conditions", KHM_JSON_STRING, 0, 2000, "เงื่อนไขเกี่ยวกับบุคคลที่มีสิทธิเข้าถึง", 1 },
    { "exempt_uses", KHM_JSON_ARRAY, 0, 0, "การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม", 1 },
    { "security_description", KHM_JSON_STRING, 0, 4000, "คำอธิบายมาตรการรักษาความมั่นคงปลอดภัย", 1 },
    { "security_measures", KHM_JSON_ARRAY, 0, 0, "มาตรการรักษาความมั่นคงปลอดภัย", 1 },
    { "recipients", KHM_JSON_ARRAY, 0, 0, "ผู้รับข้อมูล", 1 },
    { "datasets", KHM_JSON_ARRAY, 0, 0, "ชุดข้อมูลที่เกี่ยวข้อง", 1 },
    { NULL },
};

#define MAX_LIST 100 /* items of any list member of an activity */

static int given(const char *s)
{
    return s && *s;
}

static int text_ok(const char *s, size_t max)
{
    return *s && khm_utf8_is_text(s, strlen(s), max);
}

/* ^[a-z0-9][a-z0-9_.-]{0,63}$ — a purpose or activity code */
static int code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (i > 0 && (c == '-' || c == '_' || c == '.'))))
            return 0;
    }
    return 1;
}

/* The members of nested object @p o (at @p path, e.g. "recipients[2]") against @p fields:
 * strings only; unknown members, wrong types, missing required ones and over-long text are
 * field errors named "path.member". 1 when any was added. */
typedef struct {
    const char *name;
    int required;
    size_t max;
    const char *label_th;
} sub_field;

static int check_sub(const json_t *o, const char *path, const sub_field *f)
{
    char name[160];
    int bad = 0;
    const char *k;
    json_t *v;
    if (!json_is_object(o)) {
        return khm_err_field(path, "ต้องเป็นออบเจกต์ JSON", "must be an object");
    }
    json_object_foreach((json_t *)(uintptr_t)o, k, v)
    {
        const sub_field *x = f;
        while (x->name && strcmp(x->name, k) != 0)
            x++;
        snprintf(name, sizeof(name), "%s.%s", path, k);
        if (!x->name)
            bad = khm_err_field(name, "ไม่รู้จักฟิลด์นี้", "unknown member");
        else if (!json_is_string(v) && !json_is_null(v))
            bad = khm_err_field(name, x->label_th, "must be a string");
        else if (json_is_string(v) && json_string_length(v) &&
                 !text_ok(json_string_value(v), x->max))
            bad = khm_err_field(name, x->label_th,
                                "must be 1-%zu characters without control characters", x->max);
    }
    for (const sub_field *x = f; x->name; x++) {
        const char *s = json_string_value(json_object_get(o, x->name));
        if (x->required && !given(s)) {
            snprintf(name, sizeof(name), "%s.%s", path, x->name);
            bad = khm_err_field(name, x->label_th, "is required");
        }
    }
    return bad;
}

/* A string member of nested object @p o, or NULL when absent, null or "". */
static const char *sub_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return given(s) ? s : NULL;
}

static json_t *str_or_null(const char *s)
{
    return given(s) ? json_string(s) : json_null();
}

/* A list of strings (member @p key), each checked by @p ok (NULL: text ≤ @p max); duplicates
 * dropped. Fills @p out (a new array). 1 when a field error was added. */
static int string_list(const json_t *body, const char *key, size_t max, int (*ok)(const char *),
                       const char *msg_th, const char *msg_en, json_t *out)
{
    const json_t *arr = json_object_get(body, key);
    char name[96];
    int bad = 0;
    size_t i;
    json_t *v;
    if (!json_is_array(arr))
        return 0;
    if (json_array_size(arr) > MAX_LIST)
        return khm_err_field(key, "รายการมากเกินไป", "at most %d entries", MAX_LIST);
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        snprintf(name, sizeof(name), "%s[%zu]", key, i);
        if (!s || !(ok ? ok(s) : text_ok(s, max))) {
            bad = khm_err_field(name, msg_th, "%s", msg_en);
            continue;
        }
        int dup = 0;
        size_t j;
        json_t *w;
        json_array_foreach(out, j, w) dup |= strcmp(json_string_value(w), s) == 0;
        if (!dup)
            json_array_append_new(out, json_string(s));
    }
    return bad;
}

static int detector_ok(const char *s)
{
    return khm_scan_detector_find(s) >= 0;
}

static int measure_ok(const char *s)
{
    return measure_find(s) != NULL;
}

static int subject_ok(const char *s)
{
    return text_ok(s, 200);
}

/* The datasets (ids or names) as ids of datasets of @p agency_id: lookups first, since a
 * lookup that finds nothing clears the thread's error; the field errors after. */
static int resolve_datasets(khm_tx *tx, const json_t *body, const char *agency_id, json_t *out,
                            unsigned char *bad_at, khm_arena *a)
{
    const json_t *arr = json_object_get(body, "datasets");
    size_t i;
    json_t *v;
    if (!json_is_array(arr))
        return 0;
    json_array_foreach(arr, i, v)
    {
        khm_dataset d;
        const char *s = json_string_value(v);
        if (i >= MAX_LIST)
            break;
        bad_at[i] = 0;
        if (!s || !*s || strlen(s) > 100) {
            bad_at[i] = 1;
            continue;
        }
        int rc = khm_store_dataset_get(tx, &d, s, a);
        if (rc == KHM_ENOTFOUND) {
            khm_err_clear();
            bad_at[i] = 1;
            continue;
        }
        if (rc < 0)
            return rc;
        if (strcmp(d.agency_id, agency_id) != 0 || d.archived_at) {
            bad_at[i] = 2;
            continue;
        }
        int dup = 0;
        size_t j;
        json_t *w;
        json_array_foreach(out, j, w) dup |= strcmp(json_string_value(w), d.id) == 0;
        if (!dup)
            json_array_append_new(out, json_string(d.id));
    }
    return 0;
}

static const sub_field controller_fields[] = {
    { "name", 1, 300, "ชื่อผู้ควบคุมข้อมูลส่วนบุคคล" },
    { "address", 0, 500, "ที่อยู่" },
    { "phone", 0, 40, "โทรศัพท์" },
    { "email", 0, 254, "อีเมล" },
    { NULL },
};

static const sub_field exempt_fields[] = {
    { "description", 1, 1000, "การใช้หรือเปิดเผยโดยไม่ต้องขอความยินยอม" },
    { "legal_basis", 1, 300, "ฐานทางกฎหมาย (เช่น มาตรา 24(4) หรือ 24(6))" },
    { NULL },
};

static const sub_field recipient_fields[] = {
    { "name", 1, 300, "ชื่อผู้รับข้อมูล" },
    { "type", 0, 40, "ประเภทผู้รับข้อมูล" },
    { "country", 0, 2, "ประเทศ (รหัส ISO 3166-1 สองตัวอักษร)" },
    { "transfer_mechanism", 0, 40, "กลไกการส่งหรือโอนข้อมูลไปต่างประเทศ" },
    { "transfer_exception", 0, 40, "ข้อยกเว้นตามมาตรา 28" },
    { "safeguard", 0, 300, "มาตรการคุ้มครองที่เหมาะสม" },
    { NULL },
};

/* One recipient (at @p path) into @p out (a new object); 1 when a field error was added. */
static int check_recipient(const json_t *r, const char *path, json_t *out)
{
    char name[160];
    int bad = check_sub(r, path, recipient_fields);
    if (!json_is_object(r))
        return 1;
    const char *type = sub_str(r, "type"), *country = sub_str(r, "country");
    const char *mech = sub_str(r, "transfer_mechanism"), *exc = sub_str(r, "transfer_exception");
    const char *safeguard = sub_str(r, "safeguard");
    if (!type)
        type = "government";
    if (!country)
        country = "TH";
    if (IN(type, recipient_types) < 0) {
        snprintf(name, sizeof(name), "%s.type", path);
        bad = khm_err_field(name,
                            "ประเภทผู้รับข้อมูลต้องเป็น government, private, processor, "
                            "international_organisation, individual หรือ other",
                            "must be one of government, private, processor, "
                            "international_organisation, individual, other");
    }
    if (strlen(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' ||
        country[1] > 'Z') {
        snprintf(name, sizeof(name), "%s.country", path);
        bad = khm_err_field(name, "ประเทศต้องเป็นรหัส ISO 3166-1 สองตัวอักษรพิมพ์ใหญ่ เช่น TH, SG",
                            "must be an ISO 3166-1 alpha-2 code in capitals, e.g. TH, SG");
    }
    int abroad = strcmp(country, "TH") != 0;
    snprintf(name, sizeof(name), "%s.transfer_mechanism", path);
    /* thai-rules.md §1.11: a transfer abroad needs adequacy or an s.28 exception (s.28), or
     * certified BCR or appropriate safeguards (s.29) */
    if (abroad && !mech)
        bad = khm_err_field(name,
                            "การส่งหรือโอนข้อมูลไปต่างประเทศต้องระบุกลไกตามมาตรา 28 หรือ 29 "
                            "(adequacy, s28_exception, bcr, safeguards)",
                            "a recipient outside Thailand needs the transfer mechanism of PDPA "
                            "s.28/s.29: adequacy, s28_exception, bcr or safeguards");
    else if (mech && IN(mech, mechanisms) < 0)
        bad = khm_err_field(name, "กลไกต้องเป็น adequacy, s28_exception, bcr หรือ safeguards",
                            "must be one of adequacy, s28_exception (PDPA s.28), bcr, safeguards "
                            "(s.29)");
    else if (!abroad && mech)
        bad = khm_err_field(name, "ผู้รับข้อมูลในประเทศไทยไม่ต้องระบุกลไกการโอนข้อมูลไปต่างประเทศ",
                            "only for a recipient outside Thailand (country other than TH)");
    snprintf(name, sizeof(name), "%s.transfer_exception", path);
    if (mech && strcmp(mech, "s28_exception") == 0 && (!exc || IN(exc, s28_exceptions) < 0))
        bad = khm_err_field(name,
                            "ต้องระบุข้อยกเว้นตามมาตรา 28: law, consent, contract, "
                            "data_subject_contract, vital_interest หรือ public_interest",
                            "the s.28 exception relied on is required: law, consent, contract, "
                            "data_subject_contract, vital_interest or public_interest");
    else if (exc && !(mech && strcmp(mech, "s28_exception") == 0))
        bad = khm_err_field(name, "ใช้เฉพาะกับกลไก s28_exception",
                            "only with transfer_mechanism s28_exception");
    snprintf(name, sizeof(name), "%s.safeguard", path);
    if (mech && strcmp(mech, "safeguards") == 0 && !safeguard)
        bad = khm_err_field(name, "ต้องระบุมาตรการคุ้มครองที่เหมาะสม เช่น ASEAN Model Contractual Clauses",
                            "name the appropriate safeguards (PDPA s.29), e.g. ASEAN Model "
                            "Contractual Clauses or EU SCCs");
    json_object_set_new(out, "name", str_or_null(sub_str(r, "name")));
    json_object_set_new(out, "type", json_string(type));
    json_object_set_new(out, "country", json_string(country));
    json_object_set_new(out, "transfer_mechanism", str_or_null(abroad ? mech : NULL));
    json_object_set_new(out, "transfer_exception", str_or_null(abroad ? exc : NULL));
    json_object_set_new(out, "safeguard", str_or_null(safeguard));
    return bad;
}

/* A list of objects (member @p key), each checked by @p one into a new object. */
static int object_list(const json_t *body, const char *key,
                       int (*one)(const json_t *, const char *, json_t *), json_t *out)
{
    const json_t *arr = json_object_get(body, key);
    char path[96];
    int bad = 0;
    size_t i;
    json_t *v;
    if (!json_is_array(arr))
        return 0;
    if (json_array_size(arr) > MAX_LIST)
        return khm_err_field(key, "รายการมากเกินไป", "at most %d entries", MAX_LIST);
    json_array_foreach(arr, i, v)
    {
        json_t *o = json_object();
        snprintf(path, sizeof(path), "%s[%zu]", key, i);
        bad |= one(v, path, o);
        json_array_append_new(out, o);
    }
    return bad;
}

static int check_exempt(const json_t *e, const char *path, json_t *out)
{
    int bad = check_sub(e, path, exempt_fields);
    json_object_set_new(out, "description", str_or_null(sub_str(e, "description")));
    json_object_set_new(out, "legal_basis", str_or_null(sub_str(e, "legal_basis")));
    return bad;
}

/* The validated, canonical activity from @p body: code, names, role into @p r (in @p a), the
 * items as r->body. KHM_EINVALID with every field error, or a store error. */
static int build(khm_tx *tx, khm_ropa_row *r, const json_t *body, const char *agency_id,
                 khm_arena *a)
{
    unsigned char ds_bad[MAX_LIST] = { 0 };
    json_t *b = NULL, *datasets = json_array();
    int bad = 0, rc;
    khm_err_clear();
    if (!datasets)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    /* the store first: a dataset that is not found clears the thread's error */
    if (json_is_object(body) &&
        (rc = resolve_datasets(tx, body, agency_id, datasets, ds_bad, a)) < 0) {
        json_decref(datasets);
        return rc;
    }
    khm_err_clear();
    if (khm_json_check(body, activity_fields) < 0) {
        json_decref(datasets);
        return KHM_EINVALID;
    }
    const char *code = khm_json_str(body, "code"), *name_th = khm_json_str(body, "name_th");
    const char *name_en = khm_json_str(body, "name_en"), *role = khm_json_str(body, "role");
    if (!code_ok(code))
        bad = khm_err_field("code",
                            "รหัสกิจกรรมต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข - _ หรือ . ยาวไม่เกิน 64 ตัว",
                            "must match ^[a-z0-9][a-z0-9_.-]{0,63}$");
    if (!text_ok(name_th, 300))
        bad = khm_err_field("name_th", "ชื่อกิจกรรมต้องยาว 1–300 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be 1-300 characters without control characters");
    if (given(name_en) && !text_ok(name_en, 300))
        bad = khm_err_field("name_en", "ชื่อภาษาอังกฤษต้องยาวไม่เกิน 300 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be 1-300 characters without control characters");
    if (!given(role))
        role = "controller";
    if (strcmp(role, "controller") != 0 && strcmp(role, "processor") != 0)
        bad = khm_err_field("role", "บทบาทต้องเป็น controller (ผู้ควบคุม) หรือ processor (ผู้ประมวลผล)",
                            "must be controller or processor (PDPA s.40)");
    b = json_object();
    json_t *pd = json_array(), *subjects = json_array(), *purposes = json_array();
    json_t *sec = json_array(), *recipients = json_array(), *exempt = NULL;
    if (!b || !pd || !subjects || !purposes || !sec || !recipients) {
        json_decref(b);
        json_decref(pd);
        json_decref(subjects);
        json_decref(purposes);
        json_decref(sec);
        json_decref(recipients);
        json_decref(datasets);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    bad |= string_list(body, "personal_data", 0, detector_ok,
                       "ชนิดข้อมูลต้องเป็นชื่อชนิดของเครื่องตรวจหาข้อมูลส่วนบุคคล เช่น TH_TNIN, PERSON, HEALTH",
                       "must be a type name of the scanner (docs/detectors/), e.g. TH_TNIN, "
                       "PERSON, HEALTH",
                       pd);
    bad |= string_list(body, "data_subjects", 200, subject_ok, "ต้องเป็นข้อความยาว 1–200 ตัวอักษร",
                       "must be text of 1-200 characters", subjects);
    bad |= string_list(body, "purposes", 64, code_ok,
                       "รหัสวัตถุประสงค์ต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข - _ หรือ .",
                       "must be a purpose code, ^[a-z0-9][a-z0-9_.-]{0,63}$", purposes);
    bad |= string_list(body, "security_measures", 0, measure_ok,
                       "มาตรการต้องเป็นรหัสในรายการตรวจสอบ (docs/api/ropa-create.md)",
                       "must be a code of the security checklist: access-control, access-rights, "
                       "user-access-management, user-responsibilities, audit-trail, "
                       "authentication, need-to-know, awareness, pseudonymisation, encryption",
                       sec);
    bad |= object_list(body, "recipients", check_recipient, recipients);
    if (json_is_array(json_object_get(body, "exempt_uses"))) {
        exempt = json_array();
        bad |= object_list(body, "exempt_uses", check_exempt, exempt);
    }
    const json_t *ctl = json_object_get(body, "controller");
    json_t *controller = json_null();
    if (json_is_object(ctl)) {
        bad |= check_sub(ctl, "controller", controller_fields);
        controller = json_pack("{s:o, s:o, s:o, s:o}", "name", str_or_null(sub_str(ctl, "name")),
                               "address", str_or_null(sub_str(ctl, "address")), "phone",
                               str_or_null(sub_str(ctl, "phone")), "email",
                               str_or_null(sub_str(ctl, "email")));
    } else if (strcmp(role, "processor") == 0) {
        /* s.40 and the processor-record notification (thai-rules.md §1.8): a processor records
         * the controller it acts for */
        bad =
            khm_err_field("controller", "ผู้ประมวลผลข้อมูลส่วนบุคคลต้องระบุผู้ควบคุมข้อมูลส่วนบุคคลที่ตนดำเนินการแทน",
                          "a processor's activity names the controller it acts for (PDPA "
                          "s.40): {\"name\", \"address\", \"phone\", \"email\"}");
    }
    const json_t *ds_in = json_object_get(body, "datasets");
    for (size_t i = 0; json_is_array(ds_in) && i < json_array_size(ds_in) && i < MAX_LIST; i++) {
        char name[32];
        snprintf(name, sizeof(name), "datasets[%zu]", i);
        if (ds_bad[i] == 1)
            bad = khm_err_field(name, "ไม่พบชุดข้อมูลนี้ในบัญชีข้อมูล", "unknown dataset '%s'",
                                json_string_value(json_array_get(ds_in, i))
                                    ? json_string_value(json_array_get(ds_in, i))
                                    : "?");
        else if (ds_bad[i] == 2)
            bad = khm_err_field(name, "ชุดข้อมูลต้องเป็นของหน่วยงานนี้และยังไม่ถูกจัดเก็บถาวร",
                                "the dataset is another agency's or archived");
    }
    if (json_is_array(ds_in) && json_array_size(ds_in) > MAX_LIST)
        bad = khm_err_field("datasets", "รายการมากเกินไป", "at most %d entries", MAX_LIST);

    json_object_set_new(b, "personal_data", pd);
    json_object_set_new(b, "personal_data_other",
                        str_or_null(khm_json_str(body, "personal_data_other")));
    json_object_set_new(b, "data_subjects", subjects);
    json_object_set_new(b, "purposes", purposes);
    json_object_set_new(b, "purpose_description",
                        str_or_null(khm_json_str(body, "purpose_description")));
    json_object_set_new(b, "controller", controller ? controller : json_null());
    json_object_set_new(b, "retention_period", str_or_null(khm_json_str(body, "retention_period")));
    json_object_set_new(b, "access_rights", str_or_null(khm_json_str(body, "access_rights")));
    json_object_set_new(b, "access_conditions",
                        str_or_null(khm_json_str(body, "access_conditions")));
    json_object_set_new(b, "exempt_uses", exempt ? exempt : json_null());
    json_object_set_new(b, "security_description",
                        str_or_null(khm_json_str(body, "security_description")));
    json_object_set_new(b, "security_measures", sec);
    json_object_set_new(b, "recipients", recipients);
    json_object_set_new(b, "datasets", datasets);
    if (bad) {
        json_decref(b);
        return KHM_EINVALID;
    }
    size_t n;
    char *s = khm_json_dump(b, &n);
    json_decref(b);
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    r->body = khm_arena_strdup(a, s);
    khm_free(s);
    r->code = khm_arena_strdup(a, code);
    r->name_th = khm_arena_strdup(a, name_th);
    r->name_en = given(name_en) ? khm_arena_strdup(a, name_en) : NULL;
    r->role = strcmp(role, "processor") == 0 ? "processor" : "controller";
    if (!r->body || !r->code || !r->name_th || (given(name_en) && !r->name_en))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_ropa_create(khm_tx *tx, khm_ropa_row *out, const json_t *body, const char *agency_id,
                    const char *actor, int64_t now, khm_arena *a)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->agency_id, sizeof(out->agency_id), "%s", agency_id);
    int rc = build(tx, out, body, agency_id, a);
    if (rc < 0)
        return rc;
    khm_id_new(out->id);
    out->version = 1;
    if (actor)
        snprintf(out->created_by, sizeof(out->created_by), "%s", actor);
    out->created_at = out->updated_at = now;
    return khm_store_ropa_insert(tx, out);
}

int khm_ropa_update(khm_tx *tx, khm_ropa_row *r, const json_t *body, int64_t version, int64_t now,
                    khm_arena *a)
{
    khm_ropa_row next = *r;
    int rc = build(tx, &next, body, r->agency_id, a);
    if (rc < 0)
        return rc;
    next.updated_at = now;
    int64_t nv;
    if ((rc = khm_store_ropa_update(tx, &next, version, &nv)) < 0)
        return rc;
    next.version = nv;
    *r = next;
    return 0;
}

int khm_ropa_delete(khm_tx *tx, khm_ropa_row *r, int64_t version, int64_t now)
{
    int64_t nv;
    int rc = khm_store_ropa_delete(tx, r->id, version, now, &nv);
    if (rc == 0) {
        r->version = nv;
        r->deleted_at = r->updated_at = now;
    }
    return rc;
}

static const khm_json_field refusal_fields[] = {
    { "refused_at", KHM_JSON_STRING, 1, 40, "วันเวลาที่ปฏิเสธคำขอ", 0 },
    { "request_type", KHM_JSON_STRING, 1, 40, "ประเภทคำขอ", 0 },
    { "reason", KHM_JSON_STRING, 1, 2000, "เหตุผลในการปฏิเสธ", 0 },
    { "legal_ground", KHM_JSON_STRING, 1, 500, "ฐานทางกฎหมายหรือคำสั่งศาลที่อ้างอิง", 0 },
    { "request_id", KHM_JSON_STRING, 0, 64, "รหัสคำขอของเจ้าของข้อมูลส่วนบุคคล", 1 },
    { NULL },
};

/* Clocks may differ a little between the caller and the server. */
#define FUTURE_SLACK_MS (5 * 60 * 1000)

int khm_ropa_refusal_add(khm_tx *tx, khm_ropa_refusal *out, const khm_ropa_row *r,
                         const json_t *body, const char *actor, int64_t now, khm_arena *a)
{
    int bad = 0;
    int64_t at = 0;
    khm_err_clear();
    memset(out, 0, sizeof(*out));
    if (r->deleted_at)
        return khm_err_set(KHM_ESTALE, "processing activity %s was deleted from the record", r->id);
    if (khm_json_check(body, refusal_fields) < 0)
        return KHM_EINVALID;
    const char *when = khm_json_str(body, "refused_at"), *type = khm_json_str(body, "request_type");
    const char *reason = khm_json_str(body, "reason"), *ground = khm_json_str(body, "legal_ground");
    const char *ref = khm_json_str(body, "request_id");
    if (khm_time_parse(&at, when, strlen(when)) < 0) {
        khm_err_clear();
        bad =
            khm_err_field("refused_at", "วันเวลาต้องอยู่ในรูปแบบ RFC 3339 เช่น 2025-01-31T09:00:00+07:00",
                          "must be an RFC 3339 time, e.g. 2025-01-31T09:00:00+07:00");
    } else if (at > now + FUTURE_SLACK_MS) {
        bad = khm_err_field("refused_at", "วันเวลาที่ปฏิเสธคำขอต้องไม่อยู่ในอนาคต",
                            "must not be in the future");
    }
    if (!khm_ropa_request_section(type))
        bad = khm_err_field("request_type",
                            "ประเภทคำขอต้องเป็น access, portability, objection, rectification, "
                            "erasure หรือ restriction",
                            "must be access (s.30), portability (s.31), objection (s.32), "
                            "rectification (s.36), erasure (s.33) or restriction (s.34)");
    if (!text_ok(reason, 2000))
        bad = khm_err_field("reason", "เหตุผลต้องยาว 1–2000 ตัวอักษร", "must be 1-2000 characters");
    if (!text_ok(ground, 500))
        bad = khm_err_field("legal_ground", "ต้องระบุกฎหมายหรือคำสั่งศาลที่อ้างอิง (ไม่เกิน 500 ตัวอักษร)",
                            "must name the law or court order relied on (1-500 characters)");
    if (given(ref) && !khm_id_valid(ref, strlen(ref)))
        bad = khm_err_field("request_id", "รหัสคำขอต้องเป็น UUID", "must be a request id (UUID)");
    if (bad)
        return KHM_EINVALID;
    khm_id_new(out->id);
    memcpy(out->activity_id, r->id, KHM_ID_LEN);
    out->refused_at = at;
    out->request_type = khm_arena_strdup(a, type);
    out->reason = khm_arena_strdup(a, reason);
    out->legal_ground = khm_arena_strdup(a, ground);
    out->request_ref = given(ref) ? khm_arena_strdup(a, ref) : NULL;
    if (actor)
        snprintf(out->recorded_by, sizeof(out->recorded_by), "%s", actor);
    out->created_at = now;
    if (!out->request_type || !out->reason || !out->legal_ground)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return khm_store_ropa_refusal_insert(tx, out);
}

/* ---- completeness ---- */

static int has_text(const json_t *o, const char *k)
{
    return given(json_string_value(json_object_get(o, k)));
}

static int has_items(const json_t *o, const char *k)
{
    return json_array_size(json_object_get(o, k)) > 0;
}

/* Item 3: the controller named in the activity, or (a controller's own activity) the agency:
 * a name and a way to reach it. */
static int controller_known(const json_t *b, const char *role, const khm_agency *ag)
{
    const json_t *c = json_object_get(b, "controller");
    if (json_is_object(c))
        return has_text(c, "name") &&
               (has_text(c, "address") || has_text(c, "phone") || has_text(c, "email"));
    if (strcmp(role, "controller") != 0 || !ag)
        return 0;
    return given(ag->name_th) && (given(ag->address) || given(ag->phone) || given(ag->email));
}

void khm_ropa_check_activity(const khm_ropa_row *r, const khm_agency *ag, khm_ropa_check *out)
{
    json_t *b = json_loads(r->body, 0, NULL);
    int ok[KHM_ROPA_ITEM__COUNT];
    ok[KHM_ROPA_ITEM_DATA] = has_items(b, "personal_data") || has_text(b, "personal_data_other");
    ok[KHM_ROPA_ITEM_PURPOSE] = has_items(b, "purposes");
    ok[KHM_ROPA_ITEM_CONTROLLER] = b && controller_known(b, r->role, ag);
    ok[KHM_ROPA_ITEM_RETENTION] = has_text(b, "retention_period");
    ok[KHM_ROPA_ITEM_ACCESS] = has_text(b, "access_rights") && has_text(b, "access_conditions");
    /* given as a list, even an empty one: "none" is an answer, absence is not */
    ok[KHM_ROPA_ITEM_EXEMPT_USE] = json_is_array(json_object_get(b, "exempt_uses"));
    /* the refusal log is kept by Khomun for every activity: an empty log means none refused */
    ok[KHM_ROPA_ITEM_REFUSALS] = b != NULL;
    ok[KHM_ROPA_ITEM_SECURITY] =
        has_text(b, "security_description") || has_items(b, "security_measures");
    json_decref(b);
    out->missing = 0;
    out->complete = 0;
    for (int i = 0; i < KHM_ROPA_ITEM__COUNT; i++) {
        if (ok[i])
            out->complete++;
        else
            out->missing |= 1u << i;
    }
    out->score = out->complete * 100 / KHM_ROPA_ITEM__COUNT;
}

/* The purpose codes of @p r (item 2) that are not purposes of its agency: a code the DPO wrote
 * in the record but never registered has no lawful basis on record (s.24, s.39(2)). */
static int unregistered_purposes(khm_tx *tx, const khm_ropa_row *r, khm_ropa_check *c, khm_arena *a)
{
    json_error_t je;
    json_t *b = r->body ? json_loads(r->body, 0, &je) : NULL;
    khm_buf t = KHM_BUF_INIT(1 << 16);
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(json_object_get(b, "purposes"), i, v)
    {
        khm_purpose_rec p;
        const char *code = json_string_value(v);
        if (!code)
            continue;
        rc = khm_store_purpose_get(tx, &p, r->agency_id, code, a);
        if (rc == 0 && !p.retired_at)
            continue;
        if (rc < 0 && rc != KHM_ENOTFOUND)
            break;
        khm_err_clear();
        rc = 0;
        if (t.len)
            khm_buf_puts(&t, ", ");
        khm_buf_puts(&t, code);
    }
    json_decref(b);
    c->unregistered = rc == 0 && t.len ? khm_arena_strdup(a, t.ptr) : NULL;
    khm_buf_dispose(&t);
    return rc;
}

int khm_ropa_report_build(khm_tx *tx, khm_ropa_report *out, const khm_agency *ag, khm_arena *a)
{
    size_t cap = 0;
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more = 1, rc = 0;
    memset(out, 0, sizeof(*out));
    out->agency = ag;
    out->has_dpo = khm_agency_has_dpo(ag);
    while (more) {
        khm_ropa_row *rows;
        size_t n;
        if ((rc = khm_store_ropa_list(tx, &rows, &n, &more, ag->id, &page, a)) < 0)
            return rc;
        if (out->n + n > cap) {
            size_t ncap = (out->n + n) * 2;
            khm_ropa_row *na = khm_arena_calloc(a, ncap, sizeof(*na));
            if (!na)
                return khm_err_set(KHM_ENOMEM, "out of memory");
            if (out->n)
                memcpy(na, out->activities, out->n * sizeof(*na));
            out->activities = na;
            cap = ncap;
        }
        if (n)
            memcpy(out->activities + out->n, rows, n * sizeof(*rows));
        out->n += n;
        if (!n)
            break;
        page.after = rows[n - 1].id;
    }
    out->checks = khm_arena_calloc(a, out->n ? out->n : 1, sizeof(*out->checks));
    if (!out->checks)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    long present = 0;
    for (size_t i = 0; i < out->n; i++) {
        khm_ropa_check_activity(&out->activities[i], ag, &out->checks[i]);
        present += out->checks[i].complete;
        rc = unregistered_purposes(tx, &out->activities[i], &out->checks[i], a);
        if (rc < 0)
            return rc;
    }
    /* no activity: the record of s.39 is empty, whatever else is done */
    out->score =
        out->n ? (int)((present + out->has_dpo) * 100 / (long)(KHM_ROPA_ITEM__COUNT * out->n + 1))
               : 0;
    return 0;
}

static void write_missing(khm_jw *w, unsigned missing)
{
    khm_jw_arr(w);
    for (int i = 0; i < KHM_ROPA_ITEM__COUNT; i++) {
        if (!(missing & (1u << i)))
            continue;
        khm_jw_obj(w);
        khm_jw_key(w, "item");
        khm_jw_int(w, i + 1);
        khm_jw_key(w, "key");
        khm_jw_str(w, items[i].key);
        khm_jw_key(w, "section");
        khm_jw_str(w, items[i].section);
        khm_jw_key(w, "label_th");
        khm_jw_str(w, items[i].th);
        khm_jw_key(w, "label_en");
        khm_jw_str(w, items[i].en);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
}

static void write_check(khm_jw *w, const khm_ropa_check *c)
{
    khm_jw_obj(w);
    khm_jw_key(w, "score");
    khm_jw_int(w, c->score);
    khm_jw_key(w, "items_present");
    khm_jw_int(w, c->complete);
    khm_jw_key(w, "missing");
    write_missing(w, c->missing);
    khm_jw_obj_end(w);
}

void khm_ropa_report_write_json(khm_jw *w, const khm_ropa_report *rep)
{
    khm_agency_gap g[4];
    size_t ng = khm_agency_gaps(rep->agency, g, 4);
    khm_jw_obj(w);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, rep->agency->id);
    khm_jw_key(w, "agency");
    khm_jw_str(w, rep->agency->slug);
    khm_jw_key(w, "score");
    khm_jw_int(w, rep->score);
    khm_jw_key(w, "dpo");
    khm_jw_bool(w, rep->has_dpo);
    khm_jw_key(w, "activities_total");
    khm_jw_int(w, (int64_t)rep->n);
    size_t complete = 0;
    for (size_t i = 0; i < rep->n; i++)
        complete += rep->checks[i].missing == 0;
    khm_jw_key(w, "activities_complete");
    khm_jw_int(w, (int64_t)complete);
    khm_jw_key(w, "gaps");
    khm_jw_arr(w);
    for (size_t i = 0; i < ng && i < 4; i++) {
        khm_jw_obj(w);
        khm_jw_key(w, "code");
        khm_jw_str(w, g[i].code);
        khm_jw_key(w, "section");
        khm_jw_str(w, g[i].section);
        khm_jw_key(w, "message");
        khm_jw_str(w, g[i].message);
        khm_jw_key(w, "message_th");
        khm_jw_str(w, g[i].message_th);
        khm_jw_obj_end(w);
    }
    if (rep->n == 0) {
        khm_jw_obj(w);
        khm_jw_key(w, "code");
        khm_jw_str(w, "no_activities");
        khm_jw_key(w, "section");
        khm_jw_str(w, "PDPA s.39");
        khm_jw_key(w, "message");
        khm_jw_str(w, "the record of processing has no activity");
        khm_jw_key(w, "message_th");
        khm_jw_str(w, "ยังไม่มีกิจกรรมการประมวลผลในบันทึกรายการ");
        khm_jw_obj_end(w);
    }
    for (size_t i = 0; i < rep->n; i++) {
        if (!rep->checks[i].unregistered)
            continue;
        khm_jw_obj(w);
        khm_jw_key(w, "code");
        khm_jw_str(w, "unregistered_purpose");
        khm_jw_key(w, "section");
        khm_jw_str(w, "PDPA s.39(2), s.24");
        khm_jw_key(w, "activity_id");
        khm_jw_str(w, rep->activities[i].id);
        khm_jw_key(w, "activity");
        khm_jw_str(w, rep->activities[i].code);
        khm_jw_key(w, "purposes");
        khm_jw_str(w, rep->checks[i].unregistered);
        khm_jw_key(w, "message");
        khm_jw_str(w, "purposes named in the activity are not registered purposes of the agency "
                      "(/api/v1/purposes): their lawful basis is not on record");
        khm_jw_key(w, "message_th");
        khm_jw_str(w, "วัตถุประสงค์ที่ระบุในกิจกรรมนี้ยังไม่ได้ลงทะเบียนเป็นวัตถุประสงค์ของหน่วยงาน "
                      "จึงยังไม่มีฐานทางกฎหมายในระบบ");
        khm_jw_obj_end(w);
    }
    for (size_t i = 0; i < rep->n; i++) {
        if (!rep->checks[i].missing)
            continue;
        khm_jw_obj(w);
        khm_jw_key(w, "code");
        khm_jw_str(w, "incomplete_activity");
        khm_jw_key(w, "section");
        khm_jw_str(w, "PDPA s.39");
        khm_jw_key(w, "activity_id");
        khm_jw_str(w, rep->activities[i].id);
        khm_jw_key(w, "activity");
        khm_jw_str(w, rep->activities[i].code);
        khm_jw_key(w, "message");
        khm_jw_str(w, "the activity lacks items of s.39");
        khm_jw_key(w, "message_th");
        khm_jw_str(w, "กิจกรรมนี้ยังบันทึกรายการตามมาตรา 39 ไม่ครบ");
        khm_jw_key(w, "missing");
        write_missing(w, rep->checks[i].missing);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_key(w, "activities");
    khm_jw_arr(w);
    for (size_t i = 0; i < rep->n; i++) {
        khm_jw_obj(w);
        khm_jw_key(w, "id");
        khm_jw_str(w, rep->activities[i].id);
        khm_jw_key(w, "code");
        khm_jw_str(w, rep->activities[i].code);
        khm_jw_key(w, "name_th");
        khm_jw_str(w, rep->activities[i].name_th);
        khm_jw_key(w, "completeness");
        write_check(w, &rep->checks[i]);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
}

/* ---- the record as JSON ---- */

int khm_ropa_etag(const khm_ropa_row *r, char *out, size_t n)
{
    return snprintf(out, n, "\"%lld\"", (long long)r->version);
}

int khm_ropa_parse_etag(const char *if_match, int64_t *version)
{
    long long v = 0;
    char tail;
    if (!if_match || !*if_match)
        return khm_err_set(KHM_EPRECOND, "send If-Match with the activity's ETag (from GET): "
                                         "changes apply to the version you saw");
    if (strncmp(if_match, "W/", 2) == 0)
        if_match += 2;
    if (sscanf(if_match, "\"%lld\"%c", &v, &tail) != 1 || v < 1)
        return khm_err_field("If-Match", "ค่า If-Match ต้องเป็น ETag ของกิจกรรม เช่น \"3\"",
                             "must be the activity's ETag, e.g. \"3\"");
    *version = v;
    return 0;
}

void khm_ropa_refusal_write_json(khm_jw *w, const khm_ropa_refusal *f)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, f->id);
    khm_jw_key(w, "activity_id");
    khm_jw_str(w, f->activity_id);
    khm_jw_key(w, "refused_at");
    khm_jw_time(w, f->refused_at);
    khm_jw_key(w, "request_type");
    khm_jw_str(w, f->request_type);
    khm_jw_key(w, "section");
    khm_jw_str(w, khm_ropa_request_section(f->request_type));
    khm_jw_key(w, "reason");
    khm_jw_str(w, f->reason);
    khm_jw_key(w, "legal_ground");
    khm_jw_str(w, f->legal_ground);
    khm_jw_key(w, "request_id");
    khm_jw_str(w, f->request_ref);
    khm_jw_key(w, "recorded_by");
    khm_jw_str(w, f->recorded_by[0] ? f->recorded_by : NULL);
    khm_jw_key(w, "recorded_at");
    khm_jw_time(w, f->created_at);
    khm_jw_obj_end(w);
}

/* The controller of item 3 as it applies: the activity's own, or its agency's (name, contact
 * and DPO) for a controller's activity. */
static void write_controller(khm_jw *w, const json_t *b, const khm_ropa_row *r,
                             const khm_agency *ag)
{
    const json_t *c = json_object_get(b, "controller");
    khm_jw_obj(w);
    khm_jw_key(w, "source");
    if (json_is_object(c)) {
        khm_jw_str(w, "activity");
        static const char *const keys[] = { "name", "address", "phone", "email" };
        for (size_t i = 0; i < 4; i++) {
            khm_jw_key(w, keys[i]);
            khm_jw_str(w, sub_str(c, keys[i]));
        }
    } else if (strcmp(r->role, "controller") == 0 && ag) {
        khm_jw_str(w, "agency");
        khm_jw_key(w, "name");
        khm_jw_str(w, ag->name_th);
        khm_jw_key(w, "address");
        khm_jw_str(w, ag->address);
        khm_jw_key(w, "phone");
        khm_jw_str(w, ag->phone);
        khm_jw_key(w, "email");
        khm_jw_str(w, ag->email);
    } else {
        khm_jw_null(w);
    }
    if (ag) {
        khm_jw_key(w, "dpo");
        if (khm_agency_has_dpo(ag)) {
            khm_jw_obj(w);
            khm_jw_key(w, "name");
            khm_jw_str(w, ag->dpo_name);
            khm_jw_key(w, "email");
            khm_jw_str(w, ag->dpo_email);
            khm_jw_key(w, "phone");
            khm_jw_str(w, ag->dpo_phone);
            khm_jw_obj_end(w);
        } else {
            khm_jw_null(w);
        }
    }
    khm_jw_obj_end(w);
}

static void write_member(khm_jw *w, const json_t *b, const char *k)
{
    khm_jw_key(w, k);
    const json_t *v = json_object_get(b, k);
    char *s = v ? khm_json_dump(v, NULL) : NULL;
    if (s) {
        khm_jw_raw(w, s, strlen(s));
        khm_free(s);
    } else {
        khm_jw_null(w);
    }
}

void khm_ropa_write_json(khm_jw *w, const khm_ropa_row *r, const khm_ropa_refusal *refusals,
                         size_t nrefusals, const khm_agency *ag)
{
    static const char *const body_keys[] = {
        "personal_data",        "personal_data_other",
        "data_subjects",        "purposes",
        "purpose_description",  "controller",
        "retention_period",     "access_rights",
        "access_conditions",    "exempt_uses",
        "security_description", "security_measures",
        "recipients",           "datasets",
    };
    char etag[32];
    khm_ropa_check chk;
    json_t *b = json_loads(r->body, 0, NULL);
    khm_ropa_check_activity(r, ag, &chk);
    khm_ropa_etag(r, etag, sizeof(etag));
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, r->id);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, r->agency_id);
    khm_jw_key(w, "code");
    khm_jw_str(w, r->code);
    khm_jw_key(w, "name_th");
    khm_jw_str(w, r->name_th);
    khm_jw_key(w, "name_en");
    khm_jw_str(w, r->name_en);
    khm_jw_key(w, "role");
    khm_jw_str(w, r->role);
    for (size_t i = 0; i < sizeof(body_keys) / sizeof(body_keys[0]); i++)
        write_member(w, b, body_keys[i]);
    khm_jw_key(w, "controller_details");
    write_controller(w, b, r, ag);
    khm_jw_key(w, "security_checklist");
    khm_jw_arr(w);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(b, "security_measures"), i, v)
    {
        const khm_ropa_measure *m = measure_find(json_string_value(v));
        if (!m)
            continue;
        khm_jw_obj(w);
        khm_jw_key(w, "code");
        khm_jw_str(w, m->code);
        khm_jw_key(w, "label_th");
        khm_jw_str(w, m->label_th);
        khm_jw_key(w, "nist_csf");
        khm_jw_str(w, m->nist_csf);
        khm_jw_key(w, "function");
        khm_jw_str(w, m->function);
        khm_jw_obj_end(w);
    }
    khm_jw_arr_end(w);
    khm_jw_key(w, "refusals");
    khm_jw_arr(w);
    for (size_t k = 0; k < nrefusals; k++)
        khm_ropa_refusal_write_json(w, &refusals[k]);
    khm_jw_arr_end(w);
    khm_jw_key(w, "completeness");
    write_check(w, &chk);
    khm_jw_key(w, "version");
    khm_jw_int(w, r->version);
    khm_jw_key(w, "etag");
    khm_jw_str(w, etag);
    khm_jw_key(w, "created_by");
    khm_jw_str(w, r->created_by[0] ? r->created_by : NULL);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, r->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, r->updated_at);
    khm_jw_key(w, "deleted_at");
    khm_jw_time(w, r->deleted_at);
    khm_jw_obj_end(w);
    json_decref(b);
}

/* ---- export ---- */

int khm_ropa_format_parse(const char *s, khm_ropa_format *out)
{
    if (!s || strcmp(s, "json") == 0)
        *out = KHM_ROPA_EXPORT_JSON;
    else if (strcmp(s, "csv") == 0)
        *out = KHM_ROPA_EXPORT_CSV;
    else
        return khm_err_field("format", "รูปแบบต้องเป็น csv หรือ json", "must be csv or json");
    return 0;
}

/* All refusals of an activity, in @p a. */
static int all_refusals(khm_tx *tx, const char *activity_id, khm_ropa_refusal **out, size_t *n,
                        khm_arena *a)
{
    khm_page page = { NULL, KHM_PAGE_MAX };
    int more = 1, rc;
    khm_ropa_refusal *acc = NULL;
    size_t cnt = 0;
    while (more) {
        khm_ropa_refusal *part;
        size_t got;
        if ((rc = khm_store_ropa_refusal_list(tx, &part, &got, &more, activity_id, &page, a)) < 0)
            return rc;
        if (!acc && !more) {
            acc = part;
            cnt = got;
            break;
        }
        khm_ropa_refusal *na = khm_arena_calloc(a, cnt + got + 1, sizeof(*na));
        if (!na)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        if (cnt)
            memcpy(na, acc, cnt * sizeof(*na));
        if (got)
            memcpy(na + cnt, part, got * sizeof(*na));
        acc = na;
        cnt += got;
        if (!got)
            break;
        page.after = part[got - 1].id;
    }
    *out = acc;
    *n = cnt;
    return 0;
}

/* One CSV field and its separator (the line's end after the last). */
static int csv_field(khm_buf *b, const char *s, int last)
{
    s = s ? s : "";
    int rc = khm_buf_csv_cell(b, s, strlen(s));
    return rc ? rc : khm_buf_puts(b, last ? "\r\n" : ",");
}

/* The strings of array member @p k joined with "; ". */
static void join_strings(khm_buf *t, const json_t *b, const char *k)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(b, k), i, v)
    {
        if (i)
            khm_buf_puts(t, "; ");
        khm_buf_puts(t, json_string_value(v) ? json_string_value(v) : "");
    }
}

static void put_labelled(khm_buf *t, const char *label, const char *v, int *first)
{
    if (!given(v))
        return;
    if (!*first)
        khm_buf_puts(t, "; ");
    khm_buf_printf(t, "%s%s", label, v);
    *first = 0;
}

/* The CSV row of one activity; @p t is scratch. */
static int csv_row(khm_buf *out, khm_buf *t, const khm_agency *ag, const khm_ropa_row *r,
                   const khm_ropa_refusal *ref, size_t nref, khm_tx *tx, khm_arena *a)
{
    json_t *b = json_loads(r->body, 0, NULL);
    khm_ropa_check chk;
    int rc = 0, first;
    size_t i;
    json_t *v;
    char tm[KHM_TIME_RFC3339_LEN];
    if (!b)
        return khm_err_set(KHM_ERROR, "activity %s: stored items are not JSON", r->id);
    khm_ropa_check_activity(r, ag, &chk);
#define CELL(last)                                           \
    do {                                                     \
        if (rc == 0)                                         \
            rc = csv_field(out, t->ptr ? t->ptr : "", last); \
        khm_buf_reset(t);                                    \
    } while (0)
    khm_buf_reset(t);
    khm_buf_puts(t, ag->slug);
    CELL(0);
    khm_buf_puts(t, r->code);
    CELL(0);
    khm_buf_puts(t, r->name_th);
    CELL(0);
    khm_buf_puts(t,
                 strcmp(r->role, "processor") == 0 ? "ผู้ประมวลผลข้อมูลส่วนบุคคล" : "ผู้ควบคุมข้อมูลส่วนบุคคล");
    CELL(0);
    /* (1) */
    join_strings(t, b, "personal_data");
    if (has_text(b, "personal_data_other")) {
        if (t->len)
            khm_buf_puts(t, "; ");
        khm_buf_puts(t, json_string_value(json_object_get(b, "personal_data_other")));
    }
    CELL(0);
    /* (2) */
    join_strings(t, b, "purposes");
    if (has_text(b, "purpose_description")) {
        if (t->len)
            khm_buf_puts(t, " — ");
        khm_buf_puts(t, json_string_value(json_object_get(b, "purpose_description")));
    }
    CELL(0);
    /* (3) */
    first = 1;
    const json_t *c = json_object_get(b, "controller");
    if (json_is_object(c)) {
        put_labelled(t, "", sub_str(c, "name"), &first);
        put_labelled(t, "ที่อยู่ ", sub_str(c, "address"), &first);
        put_labelled(t, "โทร ", sub_str(c, "phone"), &first);
        put_labelled(t, "อีเมล ", sub_str(c, "email"), &first);
    } else if (strcmp(r->role, "controller") == 0) {
        put_labelled(t, "", ag->name_th, &first);
        put_labelled(t, "ที่อยู่ ", ag->address, &first);
        put_labelled(t, "โทร ", ag->phone, &first);
        put_labelled(t, "อีเมล ", ag->email, &first);
    }
    if (khm_agency_has_dpo(ag)) {
        put_labelled(t, "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล ", ag->dpo_name, &first);
        put_labelled(t, "อีเมล ", ag->dpo_email, &first);
        put_labelled(t, "โทร ", ag->dpo_phone, &first);
    }
    CELL(0);
    /* (4) */
    khm_buf_puts(t, has_text(b, "retention_period")
                        ? json_string_value(json_object_get(b, "retention_period"))
                        : "");
    CELL(0);
    /* (5) */
    first = 1;
    put_labelled(t, "", json_string_value(json_object_get(b, "access_rights")), &first);
    put_labelled(t, "เงื่อนไข: ", json_string_value(json_object_get(b, "access_conditions")), &first);
    CELL(0);
    /* (6) */
    const json_t *ex = json_object_get(b, "exempt_uses");
    if (json_is_array(ex) && json_array_size(ex) == 0)
        khm_buf_puts(t, "ไม่มี");
    json_array_foreach(ex, i, v)
    {
        if (i)
            khm_buf_puts(t, "; ");
        khm_buf_printf(t, "%s (%s)", sub_str(v, "description") ? sub_str(v, "description") : "",
                       sub_str(v, "legal_basis") ? sub_str(v, "legal_basis") : "");
    }
    CELL(0);
    /* (7) */
    if (!nref)
        khm_buf_puts(t, "ไม่มี");
    for (size_t k = 0; k < nref; k++) {
        khm_time_format(tm, ref[k].refused_at);
        khm_buf_printf(t, "%s%.10s %s (%s): %s — %s", k ? "; " : "", tm, ref[k].request_type,
                       khm_ropa_request_section(ref[k].request_type)
                           ? khm_ropa_request_section(ref[k].request_type)
                           : "?",
                       ref[k].reason, ref[k].legal_ground);
    }
    CELL(0);
    /* (8) */
    first = 1;
    put_labelled(t, "", json_string_value(json_object_get(b, "security_description")), &first);
    json_array_foreach(json_object_get(b, "security_measures"), i, v)
    {
        const khm_ropa_measure *m = measure_find(json_string_value(v));
        if (m) {
            khm_buf_printf(t, "%s%s [NIST CSF %s]", first ? "" : "; ", m->label_th, m->nist_csf);
            first = 0;
        }
    }
    CELL(0);
    /* the rest: data subjects, recipients, transfers abroad, datasets, completeness, change */
    join_strings(t, b, "data_subjects");
    CELL(0);
    json_array_foreach(json_object_get(b, "recipients"), i, v)
    {
        khm_buf_printf(t, "%s%s (%s, %s)", i ? "; " : "", sub_str(v, "name"),
                       sub_str(v, "type") ? sub_str(v, "type") : "",
                       sub_str(v, "country") ? sub_str(v, "country") : "");
    }
    CELL(0);
    first = 1;
    json_array_foreach(json_object_get(b, "recipients"), i, v)
    {
        const char *mech = sub_str(v, "transfer_mechanism");
        int m = mech ? IN(mech, mechanisms) : -1;
        if (m < 0)
            continue;
        khm_buf_printf(t, "%s%s → %s: %s", first ? "" : "; ", sub_str(v, "name"),
                       sub_str(v, "country"), mechanism_th[m]);
        if (sub_str(v, "transfer_exception"))
            khm_buf_printf(t, " (%s)", sub_str(v, "transfer_exception"));
        if (sub_str(v, "safeguard"))
            khm_buf_printf(t, " (%s)", sub_str(v, "safeguard"));
        first = 0;
    }
    CELL(0);
    json_array_foreach(json_object_get(b, "datasets"), i, v)
    {
        khm_dataset d;
        const char *id = json_string_value(v);
        int g = id ? khm_store_dataset_get(tx, &d, id, a) : KHM_ENOTFOUND;
        if (g == KHM_ENOTFOUND)
            khm_err_clear();
        khm_buf_printf(t, "%s%s", i ? "; " : "", g == 0 ? d.slug : (id ? id : "?"));
    }
    CELL(0);
    khm_buf_printf(t, "%d", chk.score);
    CELL(0);
    khm_time_format(tm, r->updated_at);
    khm_buf_puts(t, tm);
    CELL(1);
#undef CELL
    json_decref(b);
    return rc;
}

static int export_agency(khm_tx *tx, khm_buf *out, khm_buf *t, khm_jw *w, khm_ropa_format f,
                         const khm_agency *ag, khm_arena *a)
{
    khm_ropa_report rep;
    int rc = khm_ropa_report_build(tx, &rep, ag, a);
    if (rc < 0)
        return rc;
    if (f == KHM_ROPA_EXPORT_JSON) {
        khm_jw_obj(w);
        khm_jw_key(w, "agency");
        khm_agency_write_json(w, ag);
        khm_jw_key(w, "completeness");
        khm_ropa_report_write_json(w, &rep);
        khm_jw_key(w, "activities");
        khm_jw_arr(w);
    }
    for (size_t i = 0; rc == 0 && i < rep.n; i++) {
        khm_ropa_refusal *ref = NULL;
        size_t nref = 0;
        if ((rc = all_refusals(tx, rep.activities[i].id, &ref, &nref, a)) < 0)
            break;
        if (f == KHM_ROPA_EXPORT_JSON)
            khm_ropa_write_json(w, &rep.activities[i], ref, nref, ag);
        else
            rc = csv_row(out, t, ag, &rep.activities[i], ref, nref, tx, a);
    }
    if (f == KHM_ROPA_EXPORT_JSON) {
        khm_jw_arr_end(w);
        khm_jw_obj_end(w);
    }
    return rc;
}

int khm_ropa_export(khm_tx *tx, khm_buf *out, khm_ropa_format format, const char *agency_id,
                    int64_t now, khm_arena *a)
{
    khm_buf t = KHM_BUF_INIT(1u << 20);
    khm_jw w;
    int rc = 0;
    char tm[KHM_TIME_RFC3339_LEN];
    if (format == KHM_ROPA_EXPORT_CSV) {
        /* the BOM tells Excel the file is UTF-8 (Thai would be mojibake otherwise) */
        rc = khm_buf_puts(out, "\xEF\xBB\xBF");
        const char *head[] = { "หน่วยงาน", "รหัสกิจกรรม", "กิจกรรมการประมวลผล", "บทบาท" };
        for (size_t i = 0; rc == 0 && i < 4; i++)
            rc = csv_field(out, head[i], 0);
        for (int i = 0; rc == 0 && i < KHM_ROPA_ITEM__COUNT; i++)
            rc = csv_field(out, items[i].th, 0);
        const char *tail[] = { "หมวดหมู่เจ้าของข้อมูลส่วนบุคคล",
                               "ผู้รับข้อมูล",
                               "การส่งหรือโอนข้อมูลไปต่างประเทศ (มาตรา 28–29)",
                               "ชุดข้อมูลที่เกี่ยวข้อง",
                               "ความครบถ้วน (ร้อยละ)",
                               "ปรับปรุงล่าสุด" };
        for (size_t i = 0; rc == 0 && i < 6; i++)
            rc = csv_field(out, tail[i], i == 5);
    } else {
        khm_jw_init(&w, out);
        khm_jw_obj(&w);
        khm_jw_key(&w, "format");
        khm_jw_str(&w, "khomun.ropa/1");
        khm_time_format(tm, now);
        khm_jw_key(&w, "generated_at");
        khm_jw_str(&w, tm);
        khm_jw_key(&w, "agencies");
        khm_jw_arr(&w);
    }
    if (rc == 0 && agency_id) {
        khm_agency ag;
        if ((rc = khm_store_agency_get(tx, &ag, agency_id, a)) == 0)
            rc = export_agency(tx, out, &t, &w, format, &ag, a);
    } else if (rc == 0) {
        khm_page page = { NULL, KHM_PAGE_MAX };
        int more = 1;
        while (rc == 0 && more) {
            khm_agency *ags;
            size_t n;
            if ((rc = khm_store_agency_list(tx, &ags, &n, &more, &page, a)) < 0)
                break;
            for (size_t i = 0; rc == 0 && i < n; i++)
                rc = export_agency(tx, out, &t, &w, format, &ags[i], a);
            if (!n)
                break;
            page.after = ags[n - 1].id;
        }
    }
    if (rc == 0 && format == KHM_ROPA_EXPORT_JSON) {
        khm_jw_arr_end(&w);
        khm_jw_obj_end(&w);
        rc = khm_jw_finish(&w);
    }
    khm_buf_dispose(&t);
    return rc;
}
