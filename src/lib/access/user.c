/* Users: validation and creation. A user belongs to exactly one agency, holds one role and a
 * clearance level (the highest classification it may read; thai-rules.md §2.3). Every field
 * error names the field, in English and Thai, and nothing is written when any field is bad. */
#include <khomun/access.h>

#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/json.h>
#include <khomun/rand.h>
#include <khomun/utf8.h>

#include <string.h>

static const khm_json_field user_fields[] = {
    { "name", KHM_JSON_STRING, 1, 63, "ชื่อผู้ใช้", 0 },
    { "display_name", KHM_JSON_STRING, 0, 200, "ชื่อที่แสดง", 1 },
    { "email", KHM_JSON_STRING, 0, 254, "อีเมล", 1 },
    { "agency", KHM_JSON_STRING, 1, 100, "หน่วยงาน", 0 },
    { "role", KHM_JSON_STRING, 0, 20, "บทบาท", 0 }, /* presence: khm_user_create, with the list */
    { "clearance", KHM_JSON_STRING, 0, 40, "ระดับสิทธิ์การเข้าถึงชั้นความลับ", 1 },
    { NULL },
};

int khm_user_input_from_json(khm_user_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, user_fields);
    if (rc < 0)
        return rc;
    in->name = khm_json_str(body, "name");
    in->display_name = khm_json_str(body, "display_name");
    in->email = khm_json_str(body, "email");
    in->agency = khm_json_str(body, "agency");
    in->role = khm_json_str(body, "role");
    in->clearance = khm_json_str(body, "clearance");
    return 0;
}

/* ^[a-z0-9][a-z0-9._-]{1,62}$ */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!(alnum || (i > 0 && (c == '.' || c == '_' || c == '-'))))
            return 0;
    }
    return 1;
}

/* One '@', something on each side, no spaces or control characters; ≤ 254 bytes. */
static int email_ok(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n > 254 || !at || at == s || at[1] == '\0' || strchr(at + 1, '@'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return 0;
    return khm_utf8_valid(s, n, NULL);
}

int khm_user_create(khm_tx *tx, khm_user *out, const khm_user_input *in, int64_t now, khm_arena *a)
{
    khm_agency agency;
    int role = -1, clearance = KHM_LEVEL_INTERNAL, bad = 0, rc;

    /* look the agency up first: the store's not-found error would replace field errors */
    int agency_found = 0;
    if (in->agency && *in->agency) {
        rc = khm_store_agency_get(tx, &agency, in->agency, a);
        if (rc < 0 && rc != KHM_ENOTFOUND)
            return rc;
        agency_found = rc == 0;
    }
    khm_err_clear();
    if (!in->name || !*in->name)
        bad = khm_err_field("name", "ต้องระบุชื่อผู้ใช้", "is required");
    else if (!name_ok(in->name))
        bad = khm_err_field("name", "ชื่อผู้ใช้ต้องเป็นตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข . _ - ยาว 2–63 ตัว",
                            "must match ^[a-z0-9][a-z0-9._-]{1,62}$");
    if (in->display_name && !khm_utf8_is_text(in->display_name, strlen(in->display_name), 200))
        bad = khm_err_field("display_name", "ชื่อที่แสดงต้องยาวไม่เกิน 200 ตัวอักษร ไม่มีอักขระควบคุม",
                            "must be at most 200 characters, without control characters");
    if (in->email && *in->email && !email_ok(in->email))
        bad = khm_err_field("email", "อีเมลไม่ถูกต้อง", "is not an e-mail address");
    if (!in->role || !*in->role)
        bad = khm_err_field("role",
                            "ต้องระบุบทบาท (admin, dpo, owner, steward, custodian, analyst, auditor)",
                            "is required: one of admin, dpo, owner, steward, custodian, analyst, "
                            "auditor");
    else if (khm_role_parse(in->role, &role) < 0) /* adds the field error itself */
        bad = KHM_EINVALID;
    if (in->clearance && khm_level_parse(in->clearance, &clearance) < 0)
        bad = KHM_EINVALID;
    if (!in->agency || !*in->agency)
        bad = khm_err_field("agency", "ต้องระบุหน่วยงาน", "is required");
    else if (!agency_found)
        bad = khm_err_field("agency", "ไม่พบหน่วยงานนี้", "unknown agency '%s'", in->agency);
    if (bad)
        return KHM_EINVALID;
    memset(out, 0, sizeof(*out));
    khm_id_new(out->id);
    out->name = khm_arena_strdup(a, in->name);
    out->display_name =
        in->display_name && *in->display_name ? khm_arena_strdup(a, in->display_name) : NULL;
    out->email = in->email && *in->email ? khm_arena_strdup(a, in->email) : NULL;
    memcpy(out->agency_id, agency.id, KHM_ID_LEN);
    out->role = role;
    out->clearance = clearance;
    out->created_at = now;
    if (!out->name)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return khm_store_user_insert(tx, out);
}

void khm_user_write_json(khm_jw *w, const khm_user *u)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, u->id);
    khm_jw_key(w, "name");
    khm_jw_str(w, u->name ? u->name : "");
    khm_jw_key(w, "display_name");
    khm_jw_str(w, u->display_name);
    khm_jw_key(w, "email");
    khm_jw_str(w, u->email);
    khm_jw_key(w, "agency_id");
    khm_jw_str(w, u->agency_id);
    khm_jw_key(w, "role");
    khm_jw_str(w, khm_role_name(u->role));
    khm_jw_key(w, "clearance");
    khm_jw_str(w, khm_level_name(u->clearance));
    khm_jw_key(w, "disabled");
    khm_jw_bool(w, u->disabled);
    khm_jw_key(w, "created_at");
    khm_jw_time(w, u->created_at);
    khm_jw_obj_end(w);
}

static void write_user(khm_jw *w, const void *rec)
{
    khm_user_write_json(w, rec);
}

json_t *khm_user_to_json(const khm_user *u)
{
    return khm_jw_to_jansson(write_user, u);
}

void khm_principal_write_json(khm_jw *w, const khm_principal *p)
{
    khm_jw_obj(w);
    khm_jw_key(w, "user");
    khm_user_write_json(w, &p->user);
    khm_jw_key(w, "agency");
    khm_agency_write_brief_json(w, &p->agency); /* the principal's agency has no details */
    khm_jw_key(w, "token");
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, p->token.id);
    khm_jw_key(w, "name");
    khm_jw_str(w, p->token.name);
    khm_jw_key(w, "expires_at");
    khm_jw_time(w, p->token.expires_at);
    khm_jw_obj_end(w);
    khm_jw_key(w, "scopes");
    khm_jw_arr(w);
    for (int s = KHM_SCOPE_SELF; s < KHM_SCOPE__COUNT; s++)
        if (p->scopes & (1ULL << s))
            khm_jw_str(w, khm_scope_name(s));
    khm_jw_arr_end(w);
    khm_jw_obj_end(w);
}
