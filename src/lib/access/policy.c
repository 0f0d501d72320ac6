/* The policy table: names of actions, resource kinds, data categories and lawful bases; the
 * loader that checks a JSON policy file (docs/policy.md) and compiles each rule into bit masks;
 * the index by action that khm_access_decide() walks; and the embedded default policy. A bad
 * file is refused whole, with one field error per problem naming the rule index and the field
 * ("rules[3].actions[1]"), in English and Thai. */
#include <khomun/policy.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/utf8.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_internal.h"

/* The default policy, as a C string literal generated from policy_default.json by
 * scripts/policy-default.sh (a unit test checks the two are the same bytes). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char default_json[] =
#include "policy_default.inc"
    ;
#pragma GCC diagnostic pop

/* clang-format off */
static const struct { const char *name, *label_th; } actions[KHM_ACTION__COUNT] = {
    [KHM_ACTION_READ_METADATA] = { "read-metadata", "อ่านคำอธิบายข้อมูล (เมทาดาทา)" },
    [KHM_ACTION_READ_DATA]     = { "read-data",     "อ่านข้อมูล" },
    [KHM_ACTION_WRITE]         = { "write",         "เขียนหรือแก้ไขข้อมูล" },
    [KHM_ACTION_CLASSIFY]      = { "classify",      "จัดระดับชั้นข้อมูล" },
    [KHM_ACTION_PUBLISH]       = { "publish",       "เผยแพร่ข้อมูล" },
    [KHM_ACTION_SHARE]         = { "share",         "แบ่งปันข้อมูล" },
    [KHM_ACTION_ADMINISTER]    = { "administer",    "บริหารจัดการระบบ" },
    [KHM_ACTION_AUDIT_READ]    = { "audit-read",    "อ่านบันทึกการตรวจสอบ" },
};

static const struct { const char *name, *label_th; } kinds[KHM_RES__COUNT] = {
    [KHM_RES_SYSTEM]  = { "system",  "ระบบ" },
    [KHM_RES_AGENCY]  = { "agency",  "หน่วยงาน" },
    [KHM_RES_USER]    = { "user",    "ผู้ใช้งาน" },
    [KHM_RES_TOKEN]   = { "token",   "โทเค็น" },
    [KHM_RES_DATASET] = { "dataset", "ชุดข้อมูล" },
    [KHM_RES_AUDIT]   = { "audit",   "บันทึกการตรวจสอบ" },
    [KHM_RES_POLICY]  = { "policy",  "นโยบายการเข้าถึงข้อมูล" },
    [KHM_RES_SCANNER] = { "scanner", "บริการตรวจหาข้อมูลส่วนบุคคล" },
    [KHM_RES_PURPOSE] = { "purpose", "วัตถุประสงค์การประมวลผลข้อมูลส่วนบุคคล" },
    [KHM_RES_CONSENT] = { "consent", "ความยินยอมของเจ้าของข้อมูลส่วนบุคคล" },
    [KHM_RES_ROPA]    = { "ropa",    "บันทึกรายการกิจกรรมการประมวลผล" },
    [KHM_RES_REQUEST] = { "request", "คำขอใช้สิทธิของเจ้าของข้อมูลส่วนบุคคล" },
    [KHM_RES_BREACH]  = { "breach",  "เหตุการละเมิดข้อมูลส่วนบุคคล" },
};

/* thai-rules.md §2.2 */
static const struct { const char *name, *label_th; } categories[KHM_CAT__COUNT] = {
    [KHM_CAT_PUBLIC]          = { "public",          "ข้อมูลสาธารณะ" },
    [KHM_CAT_INTERNAL]        = { "internal",        "ข้อมูลใช้ภายใน" },
    [KHM_CAT_PERSONAL]        = { "personal",        "ข้อมูลส่วนบุคคล" },
    [KHM_CAT_SECURITY]        = { "security",        "ข้อมูลความมั่นคง" },
    [KHM_CAT_OFFICIAL_SECRET] = { "official_secret", "ข้อมูลความลับทางราชการ" },
};

/* thai-rules.md §1.3: the statutory item is the key; the alias is the usual English name */
static const struct { const char *name, *alias, *label_th; } bases[KHM_BASIS__COUNT] = {
    [KHM_BASIS_NONE]    = { "none",    NULL,                  "ไม่มีฐานทางกฎหมาย" },
    [KHM_BASIS_CONSENT] = { "consent", NULL,                  "ฐานความยินยอม" },
    [KHM_BASIS_S24_1]   = { "s24(1)",  "research",            "ฐานจดหมายเหตุ/วิจัย/สถิติ" },
    [KHM_BASIS_S24_2]   = { "s24(2)",  "vital_interest",      "ฐานป้องกันหรือระงับอันตรายต่อชีวิต ร่างกาย สุขภาพ" },
    [KHM_BASIS_S24_3]   = { "s24(3)",  "contract",            "ฐานสัญญา" },
    [KHM_BASIS_S24_4]   = { "s24(4)",  "public_task",         "ฐานภารกิจของรัฐ / ประโยชน์สาธารณะ" },
    [KHM_BASIS_S24_5]   = { "s24(5)",  "legitimate_interest", "ฐานประโยชน์โดยชอบด้วยกฎหมาย" },
    [KHM_BASIS_S24_6]   = { "s24(6)",  "legal_obligation",    "ฐานการปฏิบัติตามกฎหมาย" },
};

/* thai-rules.md §1.4 */
static const char *const s26[KHM_S26__COUNT] = {
    [KHM_S26_NONE] = "none", [KHM_S26_1] = "s26(1)", [KHM_S26_2] = "s26(2)",
    [KHM_S26_3] = "s26(3)", [KHM_S26_4] = "s26(4)", [KHM_S26_5] = "s26(5)",
};
/* clang-format on */

const char *const khm_policy__fact_names[KHM_FACT__COUNT] = {
    "same_agency", "clearance_at_least_level", "personal",
    "sensitive",   "requires_purpose_basis",   "self",
};

#define ACTION_LIST \
    "read-metadata, read-data, write, classify, publish, share, administer, audit-read"
#define KIND_LIST "system, agency, user, token, dataset, audit, policy"
#define CAT_LIST  "public, internal, personal, security, official_secret"
#define ROLE_LIST \
    "admin, dpo, owner, steward, custodian, analyst, auditor, authenticated, anonymous"
#define LEVEL_LIST "public, internal, confidential, secret, top_secret"

const char *khm_action_name(int action)
{
    return action >= 0 && action < KHM_ACTION__COUNT ? actions[action].name : NULL;
}

const char *khm_action_label_th(int action)
{
    return action >= 0 && action < KHM_ACTION__COUNT ? actions[action].label_th : NULL;
}

int khm_action_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_ACTION__COUNT; i++)
        if (strcmp(s, actions[i].name) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field("action", "ไม่รู้จักการกระทำนี้ (" ACTION_LIST ")",
                         "unknown action '%s' (allowed: " ACTION_LIST ")", s ? s : "");
}

const char *khm_resource_kind_name(int kind)
{
    return kind >= 0 && kind < KHM_RES__COUNT ? kinds[kind].name : NULL;
}

const char *khm_resource_kind_label_th(int kind)
{
    return kind >= 0 && kind < KHM_RES__COUNT ? kinds[kind].label_th : NULL;
}

int khm_resource_kind_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_RES__COUNT; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field("kind", "ไม่รู้จักชนิดทรัพยากรนี้ (" KIND_LIST ")",
                         "unknown resource kind '%s' (allowed: " KIND_LIST ")", s ? s : "");
}

const char *khm_category_name(int category)
{
    return category >= 0 && category < KHM_CAT__COUNT ? categories[category].name : NULL;
}

const char *khm_category_label_th(int category)
{
    return category >= 0 && category < KHM_CAT__COUNT ? categories[category].label_th : NULL;
}

int khm_category_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_CAT__COUNT; i++)
        if (strcmp(s, categories[i].name) == 0 || strcmp(s, categories[i].label_th) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field("category",
                         "หมวดหมู่ข้อมูลไม่ถูกต้อง (ข้อมูลสาธารณะ, ข้อมูลใช้ภายใน, ข้อมูลส่วนบุคคล, "
                         "ข้อมูลความมั่นคง, ข้อมูลความลับทางราชการ)",
                         "unknown data category '%s' (allowed: " CAT_LIST ")", s ? s : "");
}

const char *khm_basis_name(int basis)
{
    return basis >= 0 && basis < KHM_BASIS__COUNT ? bases[basis].name : NULL;
}

const char *khm_basis_label_th(int basis)
{
    return basis >= 0 && basis < KHM_BASIS__COUNT ? bases[basis].label_th : NULL;
}

int khm_basis_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_BASIS__COUNT; i++)
        if (strcmp(s, bases[i].name) == 0 || (bases[i].alias && strcmp(s, bases[i].alias) == 0)) {
            *out = i;
            return 0;
        }
    return khm_err_field("basis", "ฐานทางกฎหมายไม่ถูกต้อง (consent, s24(1) … s24(6), none)",
                         "unknown lawful basis '%s' (allowed: none, consent, s24(1) … s24(6), or "
                         "research, vital_interest, contract, public_task, legitimate_interest, "
                         "legal_obligation)",
                         s ? s : "");
}

const char *khm_s26_name(int exception)
{
    return exception >= 0 && exception < KHM_S26__COUNT ? s26[exception] : NULL;
}

int khm_s26_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_S26__COUNT; i++)
        if (strcmp(s, s26[i]) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field("s26_exception", "ข้อยกเว้นตามมาตรา 26 ไม่ถูกต้อง (none, s26(1) … s26(5))",
                         "unknown s.26 exception '%s' (allowed: none, s26(1) … s26(5))",
                         s ? s : "");
}

const char *khm_policy_default_json(size_t *n)
{
    if (n)
        *n = sizeof(default_json) - 1;
    return default_json;
}

/* ---- the loader ---- */

/* A field error at "rules[i].member[j]" (j < 0: no element index). */
__attribute__((format(printf, 5, 6))) static void bad(long i, const char *member, long j,
                                                      const char *th, const char *fmt, ...)
{
    char field[64], msg[256];
    va_list ap;
    if (i < 0)
        snprintf(field, sizeof(field), "%s", member);
    else if (j < 0)
        snprintf(field, sizeof(field), "rules[%ld].%s", i, member);
    else
        snprintf(field, sizeof(field), "rules[%ld].%s[%ld]", i, member, j);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    khm_err_field(field, th, "%s", msg);
}

enum mtype {
    M_ID,
    M_EFFECT,
    M_ACTIONS,
    M_ROLES,
    M_KINDS,
    M_CATEGORY,
    M_LEVEL,
    M_FACT,
    M_AGREE,
    M_TEXT
};

/* clang-format off */
static const struct {
    const char *name;
    int type;
    int arg;      /* M_FACT: the KHM_FACT_* bit; M_LEVEL: 0 min, 1 max; M_TEXT: which text */
    int required;
    const char *label_th;
} members[] = {
    { "id",                       M_ID,       0,                    1, "รหัสกฎ" },
    { "effect",                   M_EFFECT,   0,                    1, "ผลของกฎ (allow หรือ deny)" },
    { "actions",                  M_ACTIONS,  0,                    1, "การกระทำ" },
    { "roles",                    M_ROLES,    0,                    0, "บทบาท" },
    { "kinds",                    M_KINDS,    0,                    0, "ชนิดทรัพยากร" },
    { "category",                 M_CATEGORY, 0,                    0, "หมวดหมู่ข้อมูล" },
    { "min_level",                M_LEVEL,    0,                    0, "ระดับชั้นข้อมูลต่ำสุด" },
    { "max_level",                M_LEVEL,    1,                    0, "ระดับชั้นข้อมูลสูงสุด" },
    { "same_agency",              M_FACT,     KHM_FACT_SAME_AGENCY, 0, "หน่วยงานเดียวกัน" },
    { "clearance_at_least_level", M_FACT,     KHM_FACT_CLEARANCE,   0, "ระดับชั้นความลับที่ได้รับอนุญาต" },
    { "personal",                 M_FACT,     KHM_FACT_PERSONAL,    0, "ข้อมูลส่วนบุคคล" },
    { "sensitive",                M_FACT,     KHM_FACT_SENSITIVE,   0, "ข้อมูลส่วนบุคคลที่มีความอ่อนไหว" },
    { "requires_purpose_basis",   M_FACT,     KHM_FACT_PURPOSE,     0, "วัตถุประสงค์และฐานทางกฎหมาย" },
    { "self",                     M_FACT,     KHM_FACT_SELF,        0, "ข้อมูลของผู้ขอเอง" },
    { "agreement",                M_AGREE,    0,                    0, "ข้อตกลงการแบ่งปันข้อมูล" },
    { "source",                   M_TEXT,     0,                    1, "แหล่งที่มาของกฎ" },
    { "reason",                   M_TEXT,     1,                    1, "เหตุผล (ภาษาอังกฤษ)" },
    { "reason_th",                M_TEXT,     2,                    1, "เหตุผล (ภาษาไทย)" },
};
/* clang-format on */
#define NMEMBERS (sizeof(members) / sizeof(members[0]))
#define MEMBER_LIST                                                                            \
    "id, effect, actions, roles, kinds, category, min_level, max_level, same_agency, "         \
    "clearance_at_least_level, personal, sensitive, requires_purpose_basis, self, agreement, " \
    "source, reason, reason_th"

static const char *const reserved_ids[] = { KHM_RULE_DEFAULT_DENY, "user-disabled", "token-revoked",
                                            "invalid-input" };

/* ^[a-z0-9][a-z0-9._-]{0,63}$ */
static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '-' || s[0] == '.' || s[0] == '_')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
            return 0;
    }
    return 1;
}

/* Walk a string array member; @p each parses one element into a bit. Returns the mask, or 0
 * after reporting the problem(s). A plain string is accepted where @p one_ok. */
static unsigned names_mask(long i, const char *member, const json_t *v, int one_ok,
                           int (*each)(const char *s, unsigned *bit), const char *what,
                           const char *what_th, const char *list)
{
    unsigned mask = 0;
    int errors = 0;
    char th[256];
    if (one_ok && json_is_string(v)) {
        unsigned bit;
        if (each(json_string_value(v), &bit) < 0) {
            snprintf(th, sizeof(th), "ไม่รู้จัก%sนี้ (%s)", what_th, list);
            bad(i, member, -1, th, "unknown %s '%s' (allowed: %s)", what, json_string_value(v),
                list);
            return 0;
        }
        return bit;
    }
    if (!json_is_array(v)) {
        snprintf(th, sizeof(th), "%sต้องเป็นรายการข้อความ", what_th);
        bad(i, member, -1, th, "must be an array of strings%s", one_ok ? " or a string" : "");
        return 0;
    }
    if (json_array_size(v) == 0) {
        snprintf(th, sizeof(th), "%sต้องไม่เป็นรายการว่าง (ไม่ระบุเพื่อให้ตรงกับทุกค่า)", what_th);
        bad(i, member, -1, th, "must not be empty (leave the member out to match any %s)", what);
        return 0;
    }
    for (size_t j = 0; j < json_array_size(v); j++) {
        const json_t *e = json_array_get(v, j);
        unsigned bit;
        if (!json_is_string(e)) {
            snprintf(th, sizeof(th), "%sต้องเป็นข้อความ", what_th);
            bad(i, member, (long)j, th, "must be a string");
            errors++;
        } else if (each(json_string_value(e), &bit) < 0) {
            snprintf(th, sizeof(th), "ไม่รู้จัก%sนี้ (%s)", what_th, list);
            bad(i, member, (long)j, th, "unknown %s '%s' (allowed: %s)", what, json_string_value(e),
                list);
            errors++;
        } else {
            mask |= bit;
        }
    }
    return errors ? 0 : mask;
}

static int each_action(const char *s, unsigned *bit)
{
    for (int k = 0; k < KHM_ACTION__COUNT; k++)
        if (strcmp(s, actions[k].name) == 0)
            return (*bit = 1u << k), 0;
    return -1;
}

static int each_kind(const char *s, unsigned *bit)
{
    for (int k = 0; k < KHM_RES__COUNT; k++)
        if (strcmp(s, kinds[k].name) == 0)
            return (*bit = 1u << k), 0;
    return -1;
}

static int each_category(const char *s, unsigned *bit)
{
    for (int k = 0; k < KHM_CAT__COUNT; k++)
        if (strcmp(s, categories[k].name) == 0 || strcmp(s, categories[k].label_th) == 0)
            return (*bit = 1u << k), 0;
    return -1;
}

static int each_role(const char *s, unsigned *bit)
{
    if (strcmp(s, "authenticated") == 0)
        return (*bit = KHM_POLICY__ALL_ROLES), 0;
    if (strcmp(s, "anonymous") == 0)
        return (*bit = KHM_POLICY__ANON_BIT), 0;
    for (int k = 0; k < KHM_ROLE__COUNT; k++)
        if (strcmp(s, khm_role_name(k)) == 0)
            return (*bit = 1u << k), 0;
    return -1;
}

static int level_of(const char *s)
{
    for (int k = 0; k < KHM_LEVEL__COUNT; k++)
        if (strcmp(s, khm_level_name(k)) == 0 || strcmp(s, khm_level_label_th(k)) == 0)
            return k;
    return -1;
}

/* Check and compile rule @p i; returns the number of problems reported. */
static int compile_rule(khm_policy *p, long i, const json_t *obj, khm_policy__rule *r,
                        unsigned *actions_out)
{
    int errors = 0;
    const char *key;
    json_t *v;
    char th[256];
    int seen[NMEMBERS] = { 0 };

    memset(r, 0, sizeof(*r));
    r->roles = KHM_POLICY__ANY_ROLE;
    r->kinds = KHM_POLICY__ANY_KIND;
    r->levels = KHM_POLICY__ANY_LEVEL;
    r->cats = KHM_POLICY__ANY_CAT;
    r->agreement = -1;
    r->min_level = r->max_level = -1;
    r->index = (int)i;
    *actions_out = 0;
    if (!json_is_object(obj)) {
        char field[32];
        snprintf(field, sizeof(field), "rules[%ld]", i);
        khm_err_field(field, "กฎต้องเป็นออบเจกต์ JSON", "each rule must be a JSON object");
        return 1;
    }
    /* jansson's iteration API is not const-correct; the object is only read */
    json_object_foreach((json_t *)(uintptr_t)obj, key, v)
    {
        size_t m = 0;
        while (m < NMEMBERS && strcmp(members[m].name, key) != 0)
            m++;
        if (m == NMEMBERS) {
            bad(i, key, -1, "ไม่รู้จักฟิลด์นี้ (" MEMBER_LIST ")",
                "unknown field (allowed: " MEMBER_LIST ")");
            errors++;
            continue;
        }
        seen[m] = 1;
        int type = members[m].type;
        int want_string = type == M_ID || type == M_EFFECT || type == M_LEVEL || type == M_TEXT;
        int want_bool = type == M_FACT || type == M_AGREE;
        if ((want_string && !json_is_string(v)) || (want_bool && !json_is_boolean(v))) {
            snprintf(th, sizeof(th), "%sต้องเป็น%s", members[m].label_th,
                     want_bool ? "ค่าความจริง (true หรือ false)" : "ข้อความ");
            bad(i, key, -1, th, "must be %s", want_bool ? "a boolean" : "a string");
            errors++;
            continue;
        }
        const char *s = json_string_value(v);
        unsigned mask;
        switch (type) {
        case M_ID:
            if (!id_ok(s)) {
                bad(i, key, -1, "รหัสกฎต้องเป็นอักษร a-z ตัวเลข และ - . _ ไม่เกิน 64 ตัว",
                    "'%s' is not a rule id (1-64 of a-z, 0-9, '-', '.', '_'; starting with a "
                    "letter or digit)",
                    s);
                errors++;
                break;
            }
            for (size_t k = 0; k < sizeof(reserved_ids) / sizeof(reserved_ids[0]); k++)
                if (strcmp(s, reserved_ids[k]) == 0) {
                    bad(i, key, -1, "รหัสกฎนี้สงวนไว้ใช้ภายในระบบ",
                        "'%s' is reserved for decisions no rule makes", s);
                    errors++;
                    s = NULL;
                    break;
                }
            for (long k = 0; s && k < i; k++)
                if (p->rules[k].id && strcmp(p->rules[k].id, s) == 0) {
                    snprintf(th, sizeof(th), "รหัสกฎซ้ำกับกฎลำดับที่ %ld", k);
                    bad(i, key, -1, th, "duplicate rule id '%s' (also rules[%ld].id)", s, k);
                    errors++;
                    s = NULL;
                }
            if (s && !(r->id = khm_arena_strdup(p->arena, s)))
                return -1;
            break;
        case M_EFFECT:
            if (strcmp(s, "allow") == 0) {
                r->deny = 0;
            } else if (strcmp(s, "deny") == 0) {
                r->deny = 1;
            } else {
                bad(i, key, -1, "ผลของกฎต้องเป็น allow หรือ deny",
                    "must be \"allow\" or \"deny\" (got '%s')", s);
                errors++;
            }
            break;
        case M_ACTIONS:
            mask = names_mask(i, key, v, 0, each_action, "action", "การกระทำ", ACTION_LIST);
            if (!mask)
                errors++;
            *actions_out = mask;
            break;
        case M_ROLES:
            mask = names_mask(i, key, v, 0, each_role, "role", "บทบาท", ROLE_LIST);
            if (!mask)
                errors++;
            r->roles = (uint16_t)mask;
            break;
        case M_KINDS:
            mask = names_mask(i, key, v, 0, each_kind, "resource kind", "ชนิดทรัพยากร", KIND_LIST);
            if (!mask)
                errors++;
            r->kinds = (uint16_t)mask;
            break;
        case M_CATEGORY:
            mask = names_mask(i, key, v, 1, each_category, "data category", "หมวดหมู่ข้อมูล", CAT_LIST);
            if (!mask)
                errors++;
            r->cats = (uint8_t)mask;
            break;
        case M_LEVEL: {
            int l = level_of(s);
            if (l < 0) {
                bad(i, key, -1, "ระดับชั้นข้อมูลไม่ถูกต้อง (เปิดเผย, ชั้นเผยแพร่ภายในองค์กร, ลับ, ลับมาก, ลับที่สุด)",
                    "unknown level '%s' (allowed: " LEVEL_LIST ")", s);
                errors++;
            } else if (members[m].arg) {
                r->max_level = (int8_t)l;
            } else {
                r->min_level = (int8_t)l;
            }
            break;
        }
        case M_FACT:
            r->mask |= (uint8_t)members[m].arg;
            if (json_is_true(v))
                r->want |= (uint8_t)members[m].arg;
            break;
        case M_AGREE:
            r->agreement = json_is_true(v) ? 1 : 0;
            break;
        case M_TEXT: {
            size_t len = strlen(s), cps = khm_utf8_length(s, len);
            if (cps == 0 || cps > 500) {
                snprintf(th, sizeof(th), "%sต้องมีความยาว 1–500 ตัวอักษร", members[m].label_th);
                bad(i, key, -1, th, "must be 1-500 characters (got %zu)", cps);
                errors++;
                break;
            }
            const char *copy = khm_arena_strdup(p->arena, s);
            if (!copy)
                return -1;
            if (members[m].arg == 0)
                r->source = copy;
            else if (members[m].arg == 1)
                r->reason = copy;
            else
                r->reason_th = copy;
            break;
        }
        }
    }
    for (size_t m = 0; m < NMEMBERS; m++)
        if (members[m].required && !seen[m]) {
            snprintf(th, sizeof(th), "ต้องระบุ%s", members[m].label_th);
            bad(i, members[m].name, -1, th, "is required");
            errors++;
        }
    if (r->min_level >= 0 && r->max_level >= 0 && r->min_level > r->max_level) {
        bad(i, "max_level", -1, "ระดับชั้นข้อมูลสูงสุดต้องไม่ต่ำกว่าระดับต่ำสุด",
            "'%s' is below min_level '%s': the rule could never match",
            khm_level_name(r->max_level), khm_level_name(r->min_level));
        errors++;
    }
    if (r->min_level >= 0 || r->max_level >= 0) {
        int lo = r->min_level >= 0 ? r->min_level : 0;
        int hi = r->max_level >= 0 ? r->max_level : KHM_LEVEL__COUNT - 1;
        r->levels = 0; /* an unknown level never satisfies a level condition */
        for (int l = lo; l <= hi; l++)
            r->levels |= (uint8_t)(1u << l);
    }
    return errors;
}

/* Build the per-action index: deny rules first, then allow rules, each in file order. */
static int build_index(khm_policy *p, const unsigned *rule_actions)
{
    for (int a = 0; a < KHM_ACTION__COUNT; a++) {
        size_t n = 0;
        for (size_t k = 0; k < p->n; k++)
            n += (rule_actions[k] >> a) & 1u;
        p->by_action[a] = khm_arena_calloc(p->arena, n ? n : 1, sizeof(khm_policy__rule));
        if (!p->by_action[a])
            return -1;
        size_t j = 0;
        for (int pass = 1; pass >= 0; pass--) /* deny (1) first */
            for (size_t k = 0; k < p->n; k++)
                if (((rule_actions[k] >> a) & 1u) && p->rules[k].deny == pass) {
                    p->by_action[a][j++] = p->rules[k];
                    p->needs[a] |= p->rules[k].mask;
                    if (pass)
                        p->n_deny[a]++;
                }
        p->n_rules[a] = (uint16_t)j;
    }
    return 0;
}

static int check_version(const json_t *v)
{
    if (!v)
        return khm_err_field("version", "ต้องระบุรุ่นของนโยบาย", "is required");
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    int ok = s && n >= 1 && n <= 64;
    for (size_t k = 0; ok && k < n; k++) {
        char c = s[k];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == '_';
    }
    if (!ok)
        return khm_err_field("version", "รุ่นของนโยบายต้องเป็นข้อความ 1–64 ตัว (A-Z a-z 0-9 . - _)",
                             "must be a string of 1-64 of A-Z, a-z, 0-9, '.', '-', '_'");
    return 0;
}

static int load(khm_policy **out, const char *json, size_t n)
{
    json_t *root = NULL;
    khm_policy *p = NULL;
    unsigned *rule_actions = NULL;
    int rc, errors = 0;

    *out = NULL;
    khm_err_clear();
    if (n > KHM_POLICY_MAX_BYTES)
        return khm_err_set(KHM_ELIMIT, "the policy file is %zu bytes, over the %d-byte limit", n,
                           KHM_POLICY_MAX_BYTES);
    if ((rc = khm_json_parse(&root, json, n, KHM_POLICY_MAX_BYTES, 0)) < 0) {
        size_t nf;
        const khm_field_error *fe = khm_err_fields(&nf);
        if (rc == KHM_EINVALID && nf > 0) {
            char msg[256]; /* the parser names "body"; a policy file is not a request body */
            snprintf(msg, sizeof(msg), "%s", fe[0].message);
            khm_err_clear();
            return khm_err_field("policy", "ไฟล์นโยบายไม่ใช่ JSON ที่ถูกต้อง", "%s", msg);
        }
        return rc;
    }
    if (!json_is_object(root)) {
        rc = khm_err_field("policy", "ไฟล์นโยบายต้องเป็นออบเจกต์ JSON",
                           "the policy must be a JSON object {\"version\", \"rules\"}");
        goto out;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "version") != 0 && strcmp(key, "rules") != 0 &&
            strcmp(key, "description") != 0) {
            khm_err_field(key, "ไม่รู้จักฟิลด์นี้ (version, description, rules)",
                          "unknown field (allowed: version, description, rules)");
            errors++;
        }
    }
    if (check_version(json_object_get(root, "version")) < 0)
        errors++;
    v = json_object_get(root, "description");
    if (v && !json_is_string(v)) {
        khm_err_field("description", "คำอธิบายต้องเป็นข้อความ", "must be a string");
        errors++;
    }
    json_t *rules = json_object_get(root, "rules");
    if (!json_is_array(rules) || json_array_size(rules) == 0 ||
        json_array_size(rules) > KHM_POLICY_MAX_RULES) {
        khm_err_field("rules", "ต้องระบุรายการกฎ 1–4096 ข้อ", "must be an array of 1-%d rules",
                      KHM_POLICY_MAX_RULES);
        rc = KHM_EINVALID;
        goto out;
    }

    p = khm_calloc(1, sizeof(*p));
    if (!p || !(p->arena = khm_arena_new(0)))
        goto oom;
    p->n = json_array_size(rules);
    p->rules = khm_arena_calloc(p->arena, p->n, sizeof(*p->rules));
    rule_actions = khm_calloc(p->n, sizeof(*rule_actions));
    if (!p->rules || !rule_actions)
        goto oom;
    for (size_t k = 0; k < p->n; k++) {
        int e = compile_rule(p, (long)k, json_array_get(rules, k), &p->rules[k], &rule_actions[k]);
        if (e < 0)
            goto oom;
        errors += e;
    }
    if (errors) {
        rc = KHM_EINVALID;
        goto out;
    }
    if (build_index(p, rule_actions) < 0)
        goto oom;

    uint8_t h[KHM_SHA256_LEN];
    khm_sha256(h, json, n);
    khm_hex_encode(p->hash, h, sizeof(h));
    p->file_version =
        khm_arena_strdup(p->arena, json_string_value(json_object_get(root, "version")));
    p->version = p->file_version
                     ? khm_arena_printf(p->arena, "%s+sha256:%.16s", p->file_version, p->hash)
                     : NULL;
    if (!p->version)
        goto oom;
    *out = p;
    p = NULL;
    rc = 0;
    goto out;
oom:
    rc = khm_err_set(KHM_ENOMEM, "out of memory");
out:
    khm_free(rule_actions);
    khm_policy_free(p);
    json_decref(root);
    return rc;
}

int khm_policy_load_json(khm_policy **out, const char *json, size_t n)
{
    return load(out, json, n);
}

int khm_policy_default(khm_policy **out)
{
    return load(out, default_json, sizeof(default_json) - 1);
}

int khm_policy_load_file(khm_policy **out, const char *path)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return khm_err_set(KHM_EIO, "cannot open the policy file '%s': %s", path, strerror(errno));
    char *buf = khm_malloc(KHM_POLICY_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, KHM_POLICY_MAX_BYTES + 1, f);
    int rerr = ferror(f);
    fclose(f);
    int rc;
    if (rerr)
        rc = khm_err_set(KHM_EIO, "cannot read the policy file '%s'", path);
    else if (n > KHM_POLICY_MAX_BYTES)
        rc = khm_err_set(KHM_ELIMIT, "the policy file '%s' is over the %d-byte limit", path,
                         KHM_POLICY_MAX_BYTES);
    else
        rc = load(out, buf, n);
    khm_free(buf);
    return rc;
}

void khm_policy_free(khm_policy *p)
{
    if (!p)
        return;
    khm_arena_free(p->arena);
    khm_free(p);
}

const char *khm_policy_version(const khm_policy *p)
{
    return p->version;
}

const char *khm_policy_hash(const khm_policy *p)
{
    return p->hash;
}

size_t khm_policy_rule_count(const khm_policy *p)
{
    return p->n;
}

void khm_policy_set_agreement_hook(khm_policy *p, khm_agreement_fn fn, void *payload)
{
    p->agreement = fn;
    p->agreement_payload = payload;
}
