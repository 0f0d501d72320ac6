/* Agencies (หน่วยงาน): the organisations that own data, with what issue 4 adds — the ministry,
 * the parent agency (a department under its ministry; it must exist and never make a cycle),
 * the public contact, and the DPO (PDPA s.41: a user of the agency and the DPO's public contact).
 * An agency without a DPO, or without a contact, shows the gap wherever it is shown. Changes
 * name the version they apply to (ETag), as datasets do. */
#include <khomun/catalog.h>

#include <khomun/access.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/rand.h>
#include <khomun/utf8.h>

#include <stdio.h>
#include <string.h>

static const khm_json_field agency_fields[] = {
    { "slug", KHM_JSON_STRING, 1, 63, "รหัสหน่วยงาน", 0 },
    { "name_th", KHM_JSON_STRING, 1, 200, "ชื่อหน่วยงาน (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 200, "ชื่อหน่วยงาน (ภาษาอังกฤษ)", 1 },
    { "ministry", KHM_JSON_STRING, 0, 200, "กระทรวง", 1 },
    { "parent", KHM_JSON_STRING, 0, 64, "หน่วยงานต้นสังกัด", 1 },
    { "address", KHM_JSON_STRING, 0, 500, "ที่อยู่", 1 },
    { "phone", KHM_JSON_STRING, 0, 40, "โทรศัพท์", 1 },
    { "email", KHM_JSON_STRING, 0, 254, "อีเมล", 1 },
    { "website", KHM_JSON_STRING, 0, 300, "เว็บไซต์", 1 },
    { "dpo_user", KHM_JSON_STRING, 0, 64, "ผู้ใช้งานที่เป็นเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "dpo_name", KHM_JSON_STRING, 0, 200, "ชื่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "dpo_email", KHM_JSON_STRING, 0, 254, "อีเมลเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "dpo_phone", KHM_JSON_STRING, 0, 40, "โทรศัพท์เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "privacy_notice_url", KHM_JSON_STRING, 0, 300, "ประกาศความเป็นส่วนตัว", 1 },
    { NULL },
};

/* The same members for a change (PUT): the slug may be repeated but not changed. */
static const khm_json_field agency_update_fields[] = {
    { "slug", KHM_JSON_STRING, 0, 63, "รหัสหน่วยงาน", 0 },
    { "name_th", KHM_JSON_STRING, 1, 200, "ชื่อหน่วยงาน (ภาษาไทย)", 0 },
    { "name_en", KHM_JSON_STRING, 0, 200, "ชื่อหน่วยงาน (ภาษาอังกฤษ)", 1 },
    { "ministry", KHM_JSON_STRING, 0, 200, "กระทรวง", 1 },
    { "parent", KHM_JSON_STRING, 0, 64, "หน่วยงานต้นสังกัด", 1 },
    { "address", KHM_JSON_STRING, 0, 500, "ที่อยู่", 1 },
    { "phone", KHM_JSON_STRING, 0, 40, "โทรศัพท์", 1 },
    { "email", KHM_JSON_STRING, 0, 254, "อีเมล", 1 },
    { "website", KHM_JSON_STRING, 0, 300, "เว็บไซต์", 1 },
    { "dpo_user", KHM_JSON_STRING, 0, 64, "ผู้ใช้งานที่เป็นเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "dpo_name", KHM_JSON_STRING, 0, 200, "ชื่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "dpo_email", KHM_JSON_STRING, 0, 254, "อีเมลเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "dpo_phone", KHM_JSON_STRING, 0, 40, "โทรศัพท์เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", 1 },
    { "privacy_notice_url", KHM_JSON_STRING, 0, 300, "ประกาศความเป็นส่วนตัว", 1 },
    { NULL },
};

static void fill_input(khm_agency_input *in, const json_t *body)
{
    in->slug = khm_json_str(body, "slug");
    in->name_th = khm_json_str(body, "name_th");
    in->name_en = khm_json_str(body, "name_en");
    in->ministry = khm_json_str(body, "ministry");
    in->parent = khm_json_str(body, "parent");
    in->address = khm_json_str(body, "address");
    in->phone = khm_json_str(body, "phone");
    in->email = khm_json_str(body, "email");
    in->website = khm_json_str(body, "website");
    in->dpo_user = khm_json_str(body, "dpo_user");
    in->dpo_name = khm_json_str(body, "dpo_name");
    in->dpo_email = khm_json_str(body, "dpo_email");
    in->dpo_phone = khm_json_str(body, "dpo_phone");
    in->privacy_notice_url = khm_json_str(body, "privacy_notice_url");
}

int khm_agency_input_from_json(khm_agency_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, agency_fields);
    if (rc < 0)
        return rc;
    fill_input(in, body);
    return 0;
}

/* The body of a change: as for create, but the slug is optional (it cannot change). */
static int update_input_from_json(khm_agency_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, agency_update_fields);
    if (rc < 0)
        return rc;
    fill_input(in, body);
    return 0;
}

int khm_agency_update_input_from_json(khm_agency_input *in, const json_t *body)
{
    return update_input_from_json(in, body);
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

static int given(const char *s)
{
    return s && *s;
}

/* A phone number as people write it ("0 2141 6747", "+66 2 141 6747 ต่อ 123"): text of at most
 * 40 characters with at least three digits. */
static int phone_ok(const char *s)
{
    int digits = 0;
    for (const char *p = s; *p; p++)
        digits += *p >= '0' && *p <= '9';
    return text_ok(s, 40) && digits >= 3;
}

/* local@domain.tld: one '@', no spaces or control characters, a dot in the domain. */
static int email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    size_t n = strlen(s);
    if (!at || at == s || strchr(at + 1, '@') || n > 254)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return 0;
    const char *dot = strrchr(at, '.');
    return dot && dot > at + 1 && dot[1];
}

int khm_url_ok(const char *s)
{
    size_t skip = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !s[skip] || strlen(s) > 300)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

/* What the store says about the parent and the DPO user, looked up before any field error is
 * added (a lookup that finds nothing clears the thread's error, field errors included). */
typedef struct {
    int parent_state; /* 0 none given, 1 found, 2 unknown, 3 itself, 4 cycle */
    char parent_id[KHM_ID_LEN];
    int dpo_state; /* 0 none given, 1 found, 2 unknown or another agency's, 3 new agency */
    char dpo_user[KHM_ID_LEN];
} lookups;

static int look_up(khm_tx *tx, lookups *l, const khm_agency_input *in, const char *self,
                   khm_arena *a)
{
    int rc;
    memset(l, 0, sizeof(*l));
    if (given(in->parent)) {
        khm_agency p;
        rc = khm_store_agency_get(tx, &p, in->parent, a);
        if (rc == KHM_ENOTFOUND) {
            khm_err_clear();
            l->parent_state = 2;
        } else if (rc < 0) {
            return rc;
        } else if (*self && strcmp(p.id, self) == 0) {
            l->parent_state = 3;
        } else {
            /* walk up from the parent: reaching this agency would close a cycle */
            khm_agency up = p;
            int depth = 0;
            l->parent_state = 1;
            while (*self && up.parent_id[0]) {
                if (strcmp(up.parent_id, self) == 0 || ++depth > 64) {
                    l->parent_state = 4;
                    break;
                }
                char next[KHM_ID_LEN];
                memcpy(next, up.parent_id, KHM_ID_LEN);
                if ((rc = khm_store_agency_get(tx, &up, next, a)) == KHM_ENOTFOUND) {
                    khm_err_clear();
                    break;
                }
                if (rc < 0)
                    return rc;
            }
            memcpy(l->parent_id, p.id, KHM_ID_LEN);
        }
    }
    if (given(in->dpo_user)) {
        khm_user u;
        if (!*self) {
            l->dpo_state = 3;
        } else if ((rc = khm_store_user_get(tx, &u, in->dpo_user, a)) == KHM_ENOTFOUND) {
            khm_err_clear();
            l->dpo_state = 2;
        } else if (rc < 0) {
            return rc;
        } else {
            l->dpo_state = strcmp(u.agency_id, self) == 0 ? 1 : 2;
            memcpy(l->dpo_user, u.id, KHM_ID_LEN);
        }
    }
    return 0;
}

/* Check the members besides slug and names with what look_up() found; copy ids into @p out
 * (parent, DPO user) and point its text at @p in. Adds field errors; 1 when any was added. */
static int check_details(khm_agency *out, const khm_agency_input *in, const lookups *l)
{
    int bad = 0;
    if (given(in->ministry) && !text_ok(in->ministry, 200))
        bad = khm_err_field("ministry", "ชื่อกระทรวงต้องยาวไม่เกิน 200 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be 1-200 characters without control characters");
    if (given(in->address) && !text_ok(in->address, 500))
        bad = khm_err_field("address", "ที่อยู่ต้องยาวไม่เกิน 500 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be 1-500 characters without control characters");
    if (given(in->phone) && !phone_ok(in->phone))
        bad = khm_err_field("phone", "หมายเลขโทรศัพท์ต้องมีตัวเลขอย่างน้อย 3 ตัว ยาวไม่เกิน 40 ตัวอักษร",
                            "must be a phone number: at most 40 characters with at least 3 digits");
    if (given(in->email) && !email_ok(in->email))
        bad = khm_err_field("email", "อีเมลไม่ถูกต้อง (เช่น saraban@agency.go.th)",
                            "must be an e-mail address such as saraban@agency.go.th");
    if (given(in->website) && !khm_url_ok(in->website))
        bad = khm_err_field("website", "เว็บไซต์ต้องขึ้นต้นด้วย http:// หรือ https://",
                            "must be an http:// or https:// URL of at most 300 bytes");
    if (given(in->privacy_notice_url) && !khm_url_ok(in->privacy_notice_url))
        bad = khm_err_field(
            "privacy_notice_url",
            "ประกาศความเป็นส่วนตัวต้องเป็น URL ที่ขึ้นต้นด้วย http:// หรือ https:// ยาวไม่เกิน 300 ไบต์",
            "must be an http:// or https:// URL of at most 300 bytes (the privacy "
            "notice consent receipts name, PDPA s.23)");
    out->privacy_notice_url = given(in->privacy_notice_url) ? in->privacy_notice_url : NULL;
    out->ministry = given(in->ministry) ? in->ministry : NULL;
    out->address = given(in->address) ? in->address : NULL;
    out->phone = given(in->phone) ? in->phone : NULL;
    out->email = given(in->email) ? in->email : NULL;
    out->website = given(in->website) ? in->website : NULL;

    out->parent_id[0] = '\0';
    if (l->parent_state == 2)
        bad = khm_err_field("parent", "ไม่พบหน่วยงานต้นสังกัดนี้",
                            "unknown agency '%s' (give its id or slug)", in->parent);
    else if (l->parent_state == 3)
        bad = khm_err_field("parent", "หน่วยงานเป็นต้นสังกัดของตัวเองไม่ได้",
                            "an agency cannot be its own parent");
    else if (l->parent_state == 4)
        bad = khm_err_field("parent", "หน่วยงานต้นสังกัดนี้อยู่ภายใต้หน่วยงานนี้เอง (วนซ้ำ)",
                            "'%s' is under this agency already: the parent chain would make a "
                            "cycle",
                            in->parent);
    else if (l->parent_state == 1)
        memcpy(out->parent_id, l->parent_id, KHM_ID_LEN);

    /* the DPO (PDPA s.41): a user of this agency and/or a public contact */
    out->dpo_user[0] = '\0';
    if (l->dpo_state == 3)
        bad = khm_err_field("dpo_user",
                            "หน่วยงานใหม่ยังไม่มีผู้ใช้งาน: เพิ่มผู้ใช้งานก่อนแล้วจึงกำหนดเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
                            "a new agency has no users yet: add the user, then set the DPO with "
                            "a change of the agency");
    else if (l->dpo_state == 2)
        bad = khm_err_field("dpo_user", "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลต้องเป็นผู้ใช้งานของหน่วยงานนี้",
                            "'%s' is not a user of this agency", in->dpo_user);
    else if (l->dpo_state == 1)
        memcpy(out->dpo_user, l->dpo_user, KHM_ID_LEN);
    int any_dpo =
        given(in->dpo_user) || given(in->dpo_name) || given(in->dpo_email) || given(in->dpo_phone);
    if (given(in->dpo_name) && !text_ok(in->dpo_name, 200))
        bad = khm_err_field("dpo_name", "ชื่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลต้องยาวไม่เกิน 200 ตัวอักษร",
                            "must be 1-200 characters without control characters");
    else if (any_dpo && !given(in->dpo_name))
        bad = khm_err_field("dpo_name", "ต้องระบุชื่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลที่เปิดเผยต่อสาธารณะ",
                            "the DPO's public name is required when a DPO is given (PDPA s.41)");
    if (given(in->dpo_email) && !email_ok(in->dpo_email))
        bad = khm_err_field("dpo_email", "อีเมลเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลไม่ถูกต้อง",
                            "must be an e-mail address such as dpo@agency.go.th");
    if (given(in->dpo_phone) && !phone_ok(in->dpo_phone))
        bad = khm_err_field("dpo_phone", "หมายเลขโทรศัพท์ต้องมีตัวเลขอย่างน้อย 3 ตัว ยาวไม่เกิน 40 ตัวอักษร",
                            "must be a phone number: at most 40 characters with at least 3 digits");
    if (any_dpo && !given(in->dpo_email) && !given(in->dpo_phone))
        bad = khm_err_field("dpo_email", "ต้องระบุอีเมลหรือโทรศัพท์ของเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
                            "the DPO needs a public e-mail or phone (dpo_email or dpo_phone): "
                            "data subjects contact the DPO (PDPA s.41-42)");
    out->dpo_name = given(in->dpo_name) ? in->dpo_name : NULL;
    out->dpo_email = given(in->dpo_email) ? in->dpo_email : NULL;
    out->dpo_phone = given(in->dpo_phone) ? in->dpo_phone : NULL;
    return bad ? 1 : 0;
}

/* Slug (create only) and names; adds field errors, returns 1 when any. */
static int check_names(const khm_agency_input *in, int with_slug)
{
    int bad = 0;
    if (with_slug) {
        if (!in->slug || !*in->slug)
            bad = khm_err_field("slug", "ต้องระบุรหัสหน่วยงาน", "is required");
        else if (!slug_ok(in->slug))
            bad = khm_err_field("slug",
                                "รหัสหน่วยงานต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข หรือ - ยาว 2–63 ตัว",
                                "must match ^[a-z0-9][a-z0-9-]{1,62}$");
    }
    if (!in->name_th || !*in->name_th)
        bad = khm_err_field("name_th", "ต้องระบุชื่อหน่วยงาน (ภาษาไทย)", "is required");
    else if (!text_ok(in->name_th, 200))
        bad = khm_err_field("name_th", "ชื่อหน่วยงาน (ภาษาไทย) ต้องยาว 1–200 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be 1-200 characters without control characters");
    if (in->name_en && *in->name_en && !text_ok(in->name_en, 200))
        bad = khm_err_field("name_en", "ชื่อหน่วยงาน (ภาษาอังกฤษ) ต้องยาวไม่เกิน 200 ตัวอักษร",
                            "must be 1-200 characters without control characters");
    return bad;
}

int khm_agency_create(khm_tx *tx, khm_agency *out, const khm_agency_input *in, int64_t now)
{
    khm_err_clear();
    memset(out, 0, sizeof(*out));
    khm_arena *a = khm_arena_new(0); /* lookups only: what is kept is copied into @p out */
    if (!a)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    lookups l;
    int rc = look_up(tx, &l, in, "", a);
    khm_arena_free(a);
    if (rc < 0)
        return rc;
    int bad = check_names(in, 1);
    if (check_details(out, in, &l) || bad)
        return KHM_EINVALID;
    khm_id_new(out->id);
    out->slug = in->slug;
    out->name_th = in->name_th;
    out->name_en = in->name_en && *in->name_en ? in->name_en : NULL;
    out->created_at = now;
    out->version = 1;
    return khm_store_agency_insert(tx, out);
}

int khm_agency_update(khm_tx *tx, khm_agency *ag, const khm_agency_input *in, int64_t version,
                      int64_t now, khm_arena *a)
{
    khm_agency next = *ag;
    lookups l;
    khm_err_clear();
    int rc = look_up(tx, &l, in, ag->id, a);
    if (rc < 0)
        return rc;
    int bad = check_names(in, 0);
    if (in->slug && strcmp(in->slug, ag->slug) != 0)
        bad = khm_err_field("slug", "เปลี่ยนรหัสหน่วยงานไม่ได้",
                            "cannot be changed (it is the agency's address)");
    if (check_details(&next, in, &l) || bad)
        return KHM_EINVALID;
    next.name_th = in->name_th;
    next.name_en = in->name_en && *in->name_en ? in->name_en : NULL;
    next.updated_at = now;
    int64_t nv;
    if ((rc = khm_store_agency_update(tx, &next, version, &nv)) < 0)
        return rc;
    next.version = nv;
    *ag = next;
    return 0;
}

int khm_agency_has_dpo(const khm_agency *a)
{
    return given(a->dpo_name) && (given(a->dpo_email) || given(a->dpo_phone));
}

size_t khm_agency_gaps(const khm_agency *a, khm_agency_gap *out, size_t cap)
{
    size_t n = 0;
    if (!khm_agency_has_dpo(a)) {
        if (n < cap)
            out[n] = (khm_agency_gap){ "no_dpo", "PDPA s.41",
                                       "no data protection officer (DPO) is designated with a "
                                       "public contact",
                                       "ยังไม่ได้แต่งตั้งเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล "
                                       "หรือไม่มีช่องทางติดต่อ" };
        n++;
    }
    if (!given(a->address) && !given(a->phone) && !given(a->email)) {
        if (n < cap)
            out[n] = (khm_agency_gap){ "no_contact", "PDPA s.39(3)",
                                       "no contact of the controller (address, phone or e-mail) "
                                       "for the record of processing",
                                       "ไม่มีข้อมูลติดต่อของผู้ควบคุมข้อมูลส่วนบุคคล "
                                       "(ที่อยู่ โทรศัพท์ หรืออีเมล)" };
        n++;
    }
    return n;
}

void khm_agency_gaps_write_json(khm_jw *w, const khm_agency *a)
{
    khm_agency_gap g[4];
    size_t n = khm_agency_gaps(a, g, 4);
    khm_jw_arr(w);
    for (size_t i = 0; i < n && i < 4; i++) {
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
    khm_jw_arr_end(w);
}

int khm_agency_etag(const khm_agency *a, char *out, size_t n)
{
    return snprintf(out, n, "\"%lld\"", (long long)(a->version > 0 ? a->version : 1));
}

int khm_agency_parse_etag(const char *if_match, int64_t *version)
{
    long long v = 0;
    char tail;
    if (!if_match || !*if_match)
        return khm_err_set(KHM_EPRECOND, "send If-Match with the agency's ETag (from GET): "
                                         "changes apply to the version you saw");
    if (strncmp(if_match, "W/", 2) == 0)
        if_match += 2;
    if (sscanf(if_match, "\"%lld\"%c", &v, &tail) != 1 || v < 1)
        return khm_err_field("If-Match", "ค่า If-Match ต้องเป็น ETag ของหน่วยงาน เช่น \"3\"",
                             "must be the agency's ETag, e.g. \"3\"");
    *version = v;
    return 0;
}

static void opt_str(khm_jw *w, const char *key, const char *v)
{
    khm_jw_key(w, key);
    khm_jw_str(w, given(v) ? v : NULL);
}

void khm_agency_write_json(khm_jw *w, const khm_agency *a)
{
    char etag[32];
    khm_agency_etag(a, etag, sizeof(etag));
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, a->id);
    khm_jw_key(w, "slug");
    khm_jw_str(w, a->slug);
    khm_jw_key(w, "name_th");
    khm_jw_str(w, a->name_th);
    khm_jw_key(w, "name_en");
    khm_jw_str(w, a->name_en);
    opt_str(w, "ministry", a->ministry);
    opt_str(w, "parent_id", a->parent_id);
    opt_str(w, "address", a->address);
    opt_str(w, "phone", a->phone);
    opt_str(w, "email", a->email);
    opt_str(w, "website", a->website);
    opt_str(w, "dpo_user_id", a->dpo_user);
    opt_str(w, "dpo_name", a->dpo_name);
    opt_str(w, "dpo_email", a->dpo_email);
    opt_str(w, "dpo_phone", a->dpo_phone);
    opt_str(w, "privacy_notice_url", a->privacy_notice_url);
    khm_jw_key(w, "gaps");
    khm_agency_gaps_write_json(w, a);
    khm_jw_key(w, "version");
    khm_jw_int(w, a->version > 0 ? a->version : 1);
    khm_jw_key(w, "etag");
    khm_jw_str(w, etag);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, a->created_at);
    khm_jw_key(w, "updated_at");
    khm_jw_time(w, a->updated_at);
    khm_jw_obj_end(w);
}

void khm_agency_write_brief_json(khm_jw *w, const khm_agency *a)
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
