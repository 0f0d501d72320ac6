/* Roles, clearance levels and scopes, with the role→scope map that decides routes until the
 * policy decision point (issue 6) replaces it. Thai labels: thai-rules.md §2.5 (roles), §2.3
 * (levels), §1.2 (DPO = เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล). */
#include <khomun/access.h>

#include <khomun/err.h>

#include <string.h>

#define BIT(s) (1ULL << (s))
#define ADMIN_ONLY                                                                         \
    (BIT(KHM_SCOPE_AGENCY_READ) | BIT(KHM_SCOPE_AGENCY_WRITE) | BIT(KHM_SCOPE_USER_READ) | \
     BIT(KHM_SCOPE_USER_WRITE) | BIT(KHM_SCOPE_TOKEN_READ) | BIT(KHM_SCOPE_TOKEN_WRITE))
#define EVERYONE (BIT(KHM_SCOPE_PUBLIC) | BIT(KHM_SCOPE_SELF))
#define AUDIT    BIT(KHM_SCOPE_AUDIT_READ)

/* clang-format off */
static const struct {
    const char *name;
    const char *label_th;
    uint64_t scopes;
} roles[KHM_ROLE__COUNT] = {
    [KHM_ROLE_ADMIN]     = { "admin",     "ผู้ดูแลระบบ",                         EVERYONE | ADMIN_ONLY | AUDIT },
    [KHM_ROLE_DPO]       = { "dpo",       "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",        EVERYONE | AUDIT },
    [KHM_ROLE_OWNER]     = { "owner",     "เจ้าของข้อมูล",                        EVERYONE },
    [KHM_ROLE_STEWARD]   = { "steward",   "บริกรข้อมูล",                         EVERYONE },
    [KHM_ROLE_CUSTODIAN] = { "custodian", "ผู้ดูแลข้อมูล",                        EVERYONE },
    [KHM_ROLE_ANALYST]   = { "analyst",   "นักวิเคราะห์ข้อมูล",                     EVERYONE },
    [KHM_ROLE_AUDITOR]   = { "auditor",   "ผู้ตรวจสอบ",                          EVERYONE | AUDIT },
};

static const struct {
    const char *name;
    const char *label_th;
} levels[KHM_LEVEL__COUNT] = {
    [KHM_LEVEL_PUBLIC]       = { "public",       "เปิดเผย" },
    [KHM_LEVEL_INTERNAL]     = { "internal",     "ชั้นเผยแพร่ภายในองค์กร" },
    [KHM_LEVEL_CONFIDENTIAL] = { "confidential", "ลับ" },
    [KHM_LEVEL_SECRET]       = { "secret",       "ลับมาก" },
    [KHM_LEVEL_TOP_SECRET]   = { "top_secret",   "ลับที่สุด" },
};

static const char *const scopes[KHM_SCOPE__COUNT] = {
    [KHM_SCOPE_PUBLIC]       = "public",
    [KHM_SCOPE_SELF]         = "self",
    [KHM_SCOPE_AGENCY_READ]  = "agency:read",
    [KHM_SCOPE_AGENCY_WRITE] = "agency:write",
    [KHM_SCOPE_USER_READ]    = "user:read",
    [KHM_SCOPE_USER_WRITE]   = "user:write",
    [KHM_SCOPE_TOKEN_READ]   = "token:read",
    [KHM_SCOPE_TOKEN_WRITE]  = "token:write",
    [KHM_SCOPE_AUDIT_READ]   = "audit:read",
};
/* clang-format on */

const char *khm_role_name(int role)
{
    return role >= 0 && role < KHM_ROLE__COUNT ? roles[role].name : NULL;
}

const char *khm_role_label_th(int role)
{
    return role >= 0 && role < KHM_ROLE__COUNT ? roles[role].label_th : NULL;
}

int khm_role_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_ROLE__COUNT; i++)
        if (strcmp(s, roles[i].name) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field("role",
                         "บทบาทไม่ถูกต้อง (admin, dpo, owner, steward, custodian, analyst, auditor)",
                         "unknown role '%s' (allowed: admin, dpo, owner, steward, custodian, "
                         "analyst, auditor)",
                         s ? s : "");
}

const char *khm_level_name(int level)
{
    return level >= 0 && level < KHM_LEVEL__COUNT ? levels[level].name : NULL;
}

const char *khm_level_label_th(int level)
{
    return level >= 0 && level < KHM_LEVEL__COUNT ? levels[level].label_th : NULL;
}

int khm_level_parse(const char *s, int *out)
{
    for (int i = 0; s && i < KHM_LEVEL__COUNT; i++)
        if (strcmp(s, levels[i].name) == 0 || strcmp(s, levels[i].label_th) == 0) {
            *out = i;
            return 0;
        }
    return khm_err_field("clearance",
                         "ระดับชั้นความลับไม่ถูกต้อง (เปิดเผย, ชั้นเผยแพร่ภายในองค์กร, ลับ, ลับมาก, "
                         "ลับที่สุด)",
                         "unknown level '%s' (allowed: public, internal, confidential, secret, "
                         "top_secret)",
                         s ? s : "");
}

const char *khm_scope_name(int scope)
{
    return scope >= 0 && scope < KHM_SCOPE__COUNT ? scopes[scope] : NULL;
}

uint64_t khm_role_scopes(int role)
{
    return role >= 0 && role < KHM_ROLE__COUNT ? roles[role].scopes : 0;
}

int khm_role_has_scope(int role, int scope)
{
    if (scope < 0 || scope >= KHM_SCOPE__COUNT)
        return 0;
    return (khm_role_scopes(role) & BIT(scope)) != 0;
}
