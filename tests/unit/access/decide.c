/* Tests for src/lib/access/decide.c: the decision point with the shipped default policy. Every
 * default rule has allow and deny cases in the table below, grouped under a comment that cites
 * the rule's source (issue 6 or thai-rules.md), and a test walks the default policy so a new
 * rule cannot go untested. Then: deny overrides allow, default deny and its explanation, the
 * anonymous caller, guards, the sharing-agreement hook, no allocation per decision (also under
 * threads), and the JSON input and output of POST /api/v1/decide. */
#include "unit.h"

#include <khomun/policy.h>

#include <pthread.h>
#include <stdatomic.h>

#include "policy_internal.h"

#define AG_A "0193b6b2-7a00-7c11-9d2e-4f5a6b7c8d9e"
#define AG_B "0193b6b2-7a00-7c11-9d2e-00000000000b"

/* principals: role, clearance, agency */
enum {
    ANON = -1,
    ANALYST_A,        /* analyst, internal, A */
    ANALYST_A_SECRET, /* analyst, secret, A */
    ANALYST_B,        /* analyst, internal, B */
    PUBLIC_A,         /* analyst, public clearance, A */
    OWNER_A,          /* owner, top_secret, A */
    OWNER_B,          /* owner, top_secret, B */
    STEWARD_A,        /* steward, confidential, A */
    CUSTODIAN_A,      /* custodian, internal, A */
    DPO_A,            /* dpo, internal, A */
    DPO_B,            /* dpo, internal, B */
    ADMIN_A,          /* admin, internal, A */
    ADMIN_B,          /* admin, internal, B */
    AUDITOR_A,        /* auditor, top_secret, A */
    NPRINC
};
static khm_principal princ[NPRINC];

static void make(int i, int role, int clearance, const char *agency)
{
    memset(&princ[i], 0, sizeof(princ[i]));
    snprintf(princ[i].user.id, sizeof(princ[i].user.id), "user-%02d", i);
    snprintf(princ[i].token.id, sizeof(princ[i].token.id), "token-%02d", i);
    snprintf(princ[i].agency.id, sizeof(princ[i].agency.id), "%s", agency);
    snprintf(princ[i].user.agency_id, sizeof(princ[i].user.agency_id), "%s", agency);
    memcpy(princ[i].token.user_id, princ[i].user.id, sizeof(princ[i].user.id));
    princ[i].user.name = "test";
    princ[i].user.role = role;
    princ[i].user.clearance = clearance;
}

static void make_all(void)
{
    make(ANALYST_A, KHM_ROLE_ANALYST, KHM_LEVEL_INTERNAL, AG_A);
    make(ANALYST_A_SECRET, KHM_ROLE_ANALYST, KHM_LEVEL_SECRET, AG_A);
    make(ANALYST_B, KHM_ROLE_ANALYST, KHM_LEVEL_INTERNAL, AG_B);
    make(PUBLIC_A, KHM_ROLE_ANALYST, KHM_LEVEL_PUBLIC, AG_A);
    make(OWNER_A, KHM_ROLE_OWNER, KHM_LEVEL_TOP_SECRET, AG_A);
    make(OWNER_B, KHM_ROLE_OWNER, KHM_LEVEL_TOP_SECRET, AG_B);
    make(STEWARD_A, KHM_ROLE_STEWARD, KHM_LEVEL_CONFIDENTIAL, AG_A);
    make(CUSTODIAN_A, KHM_ROLE_CUSTODIAN, KHM_LEVEL_INTERNAL, AG_A);
    make(DPO_A, KHM_ROLE_DPO, KHM_LEVEL_INTERNAL, AG_A);
    make(DPO_B, KHM_ROLE_DPO, KHM_LEVEL_INTERNAL, AG_B);
    make(ADMIN_A, KHM_ROLE_ADMIN, KHM_LEVEL_INTERNAL, AG_A);
    make(ADMIN_B, KHM_ROLE_ADMIN, KHM_LEVEL_INTERNAL, AG_B);
    make(AUDITOR_A, KHM_ROLE_AUDITOR, KHM_LEVEL_TOP_SECRET, AG_A);
}

/* purposes */
enum { NOP = -1, P_S24_4, P_NO_BASIS, P_S24_4_S26_5, P_EXPLICIT, NPURPOSE };
static const khm_purpose purposes[NPURPOSE] = {
    [P_S24_4] = { "tax-refund", KHM_BASIS_S24_4, KHM_S26_NONE, 0 },
    [P_NO_BASIS] = { "marketing", KHM_BASIS_NONE, KHM_S26_NONE, 0 },
    [P_S24_4_S26_5] = { "disease-control", KHM_BASIS_S24_4, KHM_S26_5, 0 },
    [P_EXPLICIT] = { "study", KHM_BASIS_CONSENT, KHM_S26_NONE, 1 },
};

/* resources: kind, id, owner agency, owner user, level, category, personal, sensitive */
#define DS(lvl, owner)                                      \
    {                                                       \
        KHM_RES_DATASET, "ds-1", owner, NULL, lvl, -1, 0, 0 \
    }
#define DSP(lvl, owner)                                                   \
    {                                                                     \
        KHM_RES_DATASET, "ds-2", owner, NULL, lvl, KHM_CAT_PERSONAL, 1, 0 \
    }
#define DSS(lvl, owner)                                                   \
    {                                                                     \
        KHM_RES_DATASET, "ds-3", owner, NULL, lvl, KHM_CAT_PERSONAL, 1, 1 \
    }
#define RES(kind, id, owner, owner_user)          \
    {                                             \
        kind, id, owner, owner_user, -1, -1, 0, 0 \
    }
#define L_PUB KHM_LEVEL_PUBLIC
#define L_INT KHM_LEVEL_INTERNAL
#define L_CON KHM_LEVEL_CONFIDENTIAL
#define L_SEC KHM_LEVEL_SECRET
#define L_TOP KHM_LEVEL_TOP_SECRET

#define RMETA KHM_ACTION_READ_METADATA
#define RDATA KHM_ACTION_READ_DATA
#define DD    KHM_RULE_DEFAULT_DENY

typedef struct {
    const char *tests; /* the default rule this case is about */
    int who;           /* principal, or ANON */
    int action;
    khm_resource res;
    int purpose; /* index, or NOP */
    int agree;   /* 1: the sharing-agreement hook answers yes */
    int allow;
    const char *rule; /* the deciding rule expected */
    const char *miss; /* default deny: the nearest rule's failed condition (NULL: unchecked) */
} dcase;

/* clang-format off */
static const dcase cases[] = {
    /* personal-data-needs-basis — issue 6 "personal data needs a purpose with a lawful basis";
     * thai-rules.md §1.3 (PDPA s.24), §1.4 (s.26: sensitive data needs an exception or explicit
     * consent). Deny rule: it overrides every allow rule. */
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSP(L_INT, AG_A), NOP, 0, 0, "personal-data-needs-basis", NULL },
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSP(L_INT, AG_A), P_NO_BASIS, 0, 0, "personal-data-needs-basis", NULL },
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSP(L_INT, AG_A), P_S24_4, 0, 1, "internal-staff-read", NULL },
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSP(L_INT, AG_A), P_EXPLICIT, 0, 1, "internal-staff-read", NULL },
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSS(L_INT, AG_A), P_S24_4, 0, 0, "personal-data-needs-basis", NULL },
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSS(L_INT, AG_A), P_S24_4_S26_5, 0, 1, "internal-staff-read", NULL },
    { "personal-data-needs-basis", ANALYST_A, RDATA, DSS(L_INT, AG_A), P_EXPLICIT, 0, 1, "internal-staff-read", NULL },
    /* sensitive implies personal, even with the personal flag left out */
    { "personal-data-needs-basis", ANALYST_A, RDATA, { KHM_RES_DATASET, "ds-4", AG_A, NULL, L_INT, -1, 0, 1 }, NOP, 0, 0, "personal-data-needs-basis", NULL },
    /* metadata is not the personal data itself */
    { "personal-data-needs-basis", ANALYST_A, RMETA, DSP(L_INT, AG_A), NOP, 0, 1, "internal-staff-read", NULL },
    { "personal-data-needs-basis", OWNER_A, KHM_ACTION_SHARE, DSP(L_INT, AG_A), NOP, 0, 0, "personal-data-needs-basis", NULL },

    /* public-data-read — issue 6 "public datasets readable by anyone"; thai-rules.md §2.3
     * (เปิดเผย: no access restriction) */
    { "public-data-read", ANON, RDATA, DS(L_PUB, AG_A), NOP, 0, 1, "public-data-read", NULL },
    { "public-data-read", ANALYST_B, RMETA, DS(L_PUB, AG_A), NOP, 0, 1, "public-data-read", NULL },
    { "public-data-read", ANON, RDATA, DS(L_INT, AG_A), NOP, 0, 0, DD, "max_level" },
    { "public-data-read", ANON, RDATA, DS(-1, AG_A), NOP, 0, 0, DD, "max_level" },
    { "public-data-read", ANON, KHM_ACTION_WRITE, DS(L_PUB, AG_A), NOP, 0, 0, DD, NULL },

    /* internal-staff-read — issue 6 "internal (ชั้นเผยแพร่ภายในองค์กร) by staff of the owner
     * agency"; thai-rules.md §2.3 (เฉพาะบุคคลภายในหน่วยงาน) */
    { "internal-staff-read", ANALYST_A, RDATA, DS(L_INT, AG_A), NOP, 0, 1, "internal-staff-read", NULL },
    { "internal-staff-read", AUDITOR_A, RMETA, DS(L_INT, AG_A), NOP, 0, 1, "internal-staff-read", NULL },
    { "internal-staff-read", ANALYST_B, RDATA, DS(L_INT, AG_A), NOP, 0, 0, DD, "agreement" },
    { "internal-staff-read", PUBLIC_A, RDATA, DS(L_INT, AG_A), NOP, 0, 0, DD, "clearance_at_least_level" },
    { "internal-staff-read", ANON, RDATA, DS(L_INT, AG_A), NOP, 0, 0, DD, NULL },
    { "internal-staff-read", ANALYST_A, RDATA, DS(L_INT, NULL), NOP, 0, 0, DD, NULL },

    /* classified-read — issue 6 "ลับ/ลับมาก/ลับที่สุด need a clearance at or above the level and
     * a role that may read data"; thai-rules.md §2.3, §2.4, §2.5 */
    { "classified-read", ANALYST_A_SECRET, RDATA, DS(L_CON, AG_A), NOP, 0, 1, "classified-read", NULL },
    { "classified-read", ANALYST_A_SECRET, RDATA, DS(L_SEC, AG_A), NOP, 0, 1, "classified-read", NULL },
    { "classified-read", OWNER_A, RDATA, DS(L_TOP, AG_A), NOP, 0, 1, "classified-read", NULL },
    { "classified-read", STEWARD_A, RMETA, DS(L_CON, AG_A), NOP, 0, 1, "classified-read", NULL },
    { "classified-read", ANALYST_A_SECRET, RDATA, DS(L_TOP, AG_A), NOP, 0, 0, DD, "clearance_at_least_level" },
    { "classified-read", CUSTODIAN_A, RDATA, DS(L_CON, AG_A), NOP, 0, 0, DD, "clearance_at_least_level" },
    { "classified-read", AUDITOR_A, RDATA, DS(L_CON, AG_A), NOP, 0, 0, DD, "max_level" },
    { "classified-read", ADMIN_A, RDATA, DS(L_CON, AG_A), NOP, 0, 0, DD, NULL },
    { "classified-read", DPO_A, RDATA, DS(L_CON, AG_A), NOP, 0, 0, DD, NULL },
    { "classified-read", OWNER_B, RDATA, DS(L_CON, AG_A), NOP, 0, 0, DD, "agreement" },
    { "classified-read", ANALYST_A_SECRET, RDATA, DS(-1, AG_A), NOP, 0, 0, DD, NULL },

    /* cross-agency-agreement — issue 6 "for cross-agency access a sharing agreement (keep the
     * hook)"; thai-rules.md §2.3 (มสพร. ม 1/2565). No hook: "no agreement". */
    { "cross-agency-agreement", ANALYST_B, RDATA, DS(L_INT, AG_A), NOP, 1, 1, "cross-agency-agreement", NULL },
    { "cross-agency-agreement", OWNER_B, RDATA, DS(L_SEC, AG_A), NOP, 1, 1, "cross-agency-agreement", NULL },
    { "cross-agency-agreement", ANALYST_B, RDATA, DS(L_INT, AG_A), NOP, 0, 0, DD, "agreement" },
    { "cross-agency-agreement", ANALYST_B, RDATA, DS(L_CON, AG_A), NOP, 1, 0, DD, "clearance_at_least_level" },
    { "cross-agency-agreement", ANALYST_A, RDATA, DS(L_CON, AG_A), NOP, 1, 0, DD, "clearance_at_least_level" },
    { "cross-agency-agreement", ANON, RDATA, DS(L_INT, AG_A), NOP, 1, 0, DD, NULL },
    { "cross-agency-agreement", ANALYST_B, RDATA, DSP(L_INT, AG_A), NOP, 1, 0, "personal-data-needs-basis", NULL },

    /* dpo-personal-metadata — issue 6 "a DPO reads personal-data metadata of their own agency";
     * thai-rules.md §1.9 (PDPA s.41-42) */
    { "dpo-personal-metadata", DPO_A, RMETA, DSP(L_CON, AG_A), NOP, 0, 1, "dpo-personal-metadata", NULL },
    { "dpo-personal-metadata", DPO_A, RMETA, DSS(L_SEC, AG_A), NOP, 0, 1, "dpo-personal-metadata", NULL },
    { "dpo-personal-metadata", DPO_B, RMETA, DSP(L_CON, AG_A), NOP, 0, 0, DD, "same_agency" },
    { "dpo-personal-metadata", DPO_A, RMETA, DS(L_CON, AG_A), NOP, 0, 0, DD, "personal" },
    { "dpo-personal-metadata", DPO_A, RDATA, DSP(L_CON, AG_A), P_S24_4, 0, 0, DD, NULL },

    /* classify-by-owner, classify-by-admin — issue 6 "classification changes only by the owner
     * or admin"; thai-rules.md §2.5 (the data owner is accountable) */
    { "classify-by-owner", OWNER_A, KHM_ACTION_CLASSIFY, DS(L_CON, AG_A), NOP, 0, 1, "classify-by-owner", NULL },
    { "classify-by-owner", OWNER_A, KHM_ACTION_CLASSIFY, DS(-1, AG_A), NOP, 0, 1, "classify-by-owner", NULL },
    { "classify-by-owner", OWNER_B, KHM_ACTION_CLASSIFY, DS(L_CON, AG_A), NOP, 0, 0, DD, "same_agency" },
    { "classify-by-owner", STEWARD_A, KHM_ACTION_CLASSIFY, DS(L_CON, AG_A), NOP, 0, 0, DD, NULL },
    { "classify-by-admin", ADMIN_B, KHM_ACTION_CLASSIFY, DS(L_SEC, AG_A), NOP, 0, 1, "classify-by-admin", NULL },
    { "classify-by-admin", ANON, KHM_ACTION_CLASSIFY, DS(L_PUB, AG_A), NOP, 0, 0, DD, NULL },
    { "classify-by-admin", AUDITOR_A, KHM_ACTION_CLASSIFY, DS(L_PUB, AG_A), NOP, 0, 0, DD, NULL },

    /* dataset-write — thai-rules.md §2.5 (owner, steward, custodian manage their agency's
     * data), §2.3 (not above one's clearance) */
    { "dataset-write", STEWARD_A, KHM_ACTION_WRITE, DS(L_CON, AG_A), NOP, 0, 1, "dataset-write", NULL },
    { "dataset-write", CUSTODIAN_A, KHM_ACTION_WRITE, DS(L_INT, AG_A), NOP, 0, 1, "dataset-write", NULL },
    { "dataset-write", CUSTODIAN_A, KHM_ACTION_WRITE, DS(L_CON, AG_A), NOP, 0, 0, DD, "clearance_at_least_level" },
    { "dataset-write", ANALYST_A, KHM_ACTION_WRITE, DS(L_INT, AG_A), NOP, 0, 0, DD, NULL },
    { "dataset-write", OWNER_B, KHM_ACTION_WRITE, DS(L_INT, AG_A), NOP, 0, 0, DD, "same_agency" },

    /* publish-by-owner — thai-rules.md §2.3 (only เปิดเผย is unrestricted), §2.5 */
    { "publish-by-owner", OWNER_A, KHM_ACTION_PUBLISH, DS(L_PUB, AG_A), NOP, 0, 1, "publish-by-owner", NULL },
    { "publish-by-owner", OWNER_A, KHM_ACTION_PUBLISH, DS(L_INT, AG_A), NOP, 0, 0, DD, "max_level" },
    { "publish-by-owner", OWNER_A, KHM_ACTION_PUBLISH, DSP(L_PUB, AG_A), NOP, 0, 0, "personal-data-needs-basis", NULL },
    { "publish-by-owner", STEWARD_A, KHM_ACTION_PUBLISH, DS(L_PUB, AG_A), NOP, 0, 0, DD, NULL },

    /* audit-read — issue 6 "audit reads only by auditor/admin/DPO"; thai-rules.md §1.12 */
    { "audit-read", AUDITOR_A, KHM_ACTION_AUDIT_READ, RES(KHM_RES_AUDIT, NULL, NULL, NULL), NOP, 0, 1, "audit-read", NULL },
    { "audit-read", ADMIN_B, KHM_ACTION_AUDIT_READ, RES(KHM_RES_AUDIT, NULL, NULL, NULL), NOP, 0, 1, "audit-read", NULL },
    { "audit-read", DPO_A, KHM_ACTION_AUDIT_READ, RES(KHM_RES_AUDIT, NULL, AG_A, NULL), NOP, 0, 1, "audit-read", NULL },
    { "audit-read", ANALYST_A, KHM_ACTION_AUDIT_READ, RES(KHM_RES_AUDIT, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "audit-read", OWNER_A, KHM_ACTION_AUDIT_READ, RES(KHM_RES_AUDIT, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "audit-read", ANON, KHM_ACTION_AUDIT_READ, RES(KHM_RES_AUDIT, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "audit-read", AUDITOR_A, RDATA, RES(KHM_RES_AUDIT, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },

    /* admin-administer — issue 6 "administer (agencies, users, tokens) only admin";
     * thai-rules.md §1.12 (user access management) */
    { "admin-administer", ADMIN_A, KHM_ACTION_ADMINISTER, RES(KHM_RES_USER, "user-99", AG_B, NULL), NOP, 0, 1, "admin-administer", NULL },
    { "admin-administer", ADMIN_B, KHM_ACTION_ADMINISTER, RES(KHM_RES_AGENCY, NULL, NULL, NULL), NOP, 0, 1, "admin-administer", NULL },
    { "admin-administer", ADMIN_A, RMETA, RES(KHM_RES_TOKEN, NULL, NULL, NULL), NOP, 0, 1, "admin-administer", NULL },
    { "admin-administer", OWNER_A, KHM_ACTION_ADMINISTER, RES(KHM_RES_USER, "user-99", AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "admin-administer", DPO_A, KHM_ACTION_ADMINISTER, RES(KHM_RES_TOKEN, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "admin-administer", ANON, KHM_ACTION_ADMINISTER, RES(KHM_RES_SYSTEM, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "admin-administer", AUDITOR_A, RMETA, RES(KHM_RES_USER, NULL, NULL, NULL), NOP, 0, 0, DD, "self" },
    { "admin-administer", ADMIN_A, KHM_ACTION_ADMINISTER, DS(L_PUB, AG_A), NOP, 0, 0, DD, NULL },

    /* self-read — issue 2 (GET /api/v1/whoami): one's own user and token records */
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_USER, "user-00", AG_A, NULL), NOP, 0, 1, "self-read", NULL },
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_TOKEN, "token-00", NULL, NULL), NOP, 0, 1, "self-read", NULL },
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_TOKEN, "token-77", NULL, "user-00"), NOP, 0, 1, "self-read", NULL },
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_TOKEN, NULL, NULL, "user-00"), NOP, 0, 1, "self-read", NULL },
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_USER, "user-01", AG_A, NULL), NOP, 0, 0, DD, "self" },
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_TOKEN, "token-01", NULL, "user-01"), NOP, 0, 0, DD, "self" },
    { "self-read", ANALYST_A, RMETA, RES(KHM_RES_USER, "", AG_A, NULL), NOP, 0, 0, DD, "self" },
    { "self-read", ANALYST_A, KHM_ACTION_ADMINISTER, RES(KHM_RES_USER, "user-00", AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "self-read", ANON, RMETA, RES(KHM_RES_USER, "user-00", AG_A, NULL), NOP, 0, 0, DD, NULL },

    /* own-agency-read — issue 2 (whoami shows the caller's agency) */
    { "own-agency-read", ANALYST_A, RMETA, RES(KHM_RES_AGENCY, AG_A, AG_A, NULL), NOP, 0, 1, "own-agency-read", NULL },
    { "own-agency-read", ANALYST_A, RMETA, RES(KHM_RES_AGENCY, AG_B, AG_B, NULL), NOP, 0, 0, DD, "same_agency" },
    { "own-agency-read", ANON, RMETA, RES(KHM_RES_AGENCY, AG_A, AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "own-agency-read", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_AGENCY, AG_A, AG_A, NULL), NOP, 0, 0, DD, NULL },

    /* system-public — issue 2: health, version, OpenAPI and the UI are public */
    { "system-public", ANON, RMETA, RES(KHM_RES_SYSTEM, NULL, NULL, NULL), NOP, 0, 1, "system-public", NULL },
    { "system-public", ANALYST_A, RMETA, RES(KHM_RES_SYSTEM, NULL, NULL, NULL), NOP, 0, 1, "system-public", NULL },
    { "system-public", ANON, KHM_ACTION_WRITE, RES(KHM_RES_SYSTEM, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "system-public", ANALYST_A, KHM_ACTION_ADMINISTER, RES(KHM_RES_SYSTEM, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },

    /* decide-for-others — issue 6 (POST /api/v1/decide): admin and auditor only */
    { "decide-for-others", ADMIN_A, RMETA, RES(KHM_RES_POLICY, NULL, NULL, NULL), NOP, 0, 1, "decide-for-others", NULL },
    { "decide-for-others", AUDITOR_A, RMETA, RES(KHM_RES_POLICY, NULL, NULL, NULL), NOP, 0, 1, "decide-for-others", NULL },
    { "decide-for-others", ANALYST_A, RMETA, RES(KHM_RES_POLICY, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "decide-for-others", DPO_A, RMETA, RES(KHM_RES_POLICY, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "decide-for-others", ANON, RMETA, RES(KHM_RES_POLICY, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },

    /* scanner-use — issue 3 (POST /api/v1/scan): data handlers, the DPO and admin; not the auditor */
    { "scanner-use", ANALYST_A, RDATA, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 1, "scanner-use", NULL },
    { "scanner-use", STEWARD_A, RDATA, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 1, "scanner-use", NULL },
    { "scanner-use", DPO_B, RDATA, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 1, "scanner-use", NULL },
    { "scanner-use", ADMIN_A, RDATA, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 1, "scanner-use", NULL },
    { "scanner-use", AUDITOR_A, RDATA, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "scanner-use", ANON, RDATA, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },
    { "scanner-use", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_SCANNER, NULL, NULL, NULL), NOP, 0, 0, DD, NULL },

    /* pdpa-staff-read-purposes — issue 5: staff read their own agency's purposes (thai-rules.md §1.3) */
    { "pdpa-staff-read-purposes", ANALYST_A, RMETA, RES(KHM_RES_PURPOSE, NULL, AG_A, NULL), NOP, 0, 1, "pdpa-staff-read-purposes", NULL },
    { "pdpa-staff-read-purposes", ANALYST_A, RMETA, RES(KHM_RES_PURPOSE, NULL, AG_B, NULL), NOP, 0, 0, DD, "same_agency" },
    { "pdpa-staff-read-purposes", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_PURPOSE, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "pdpa-staff-read-purposes", ANON, RMETA, RES(KHM_RES_PURPOSE, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },

    /* pdpa-dpo-manage — issue 5: the DPO and admin keep the PDPA records (s.41-42, s.39, s.30-36, s.37(4)) */
    { "pdpa-dpo-manage", DPO_A, KHM_ACTION_WRITE, RES(KHM_RES_PURPOSE, NULL, AG_A, NULL), NOP, 0, 1, "pdpa-dpo-manage", NULL },
    { "pdpa-dpo-manage", DPO_A, RMETA, RES(KHM_RES_ROPA, NULL, AG_A, NULL), NOP, 0, 1, "pdpa-dpo-manage", NULL },
    { "pdpa-dpo-manage", ADMIN_A, KHM_ACTION_WRITE, RES(KHM_RES_BREACH, "b-1", AG_A, NULL), NOP, 0, 1, "pdpa-dpo-manage", NULL },
    { "pdpa-dpo-manage", DPO_A, KHM_ACTION_WRITE, RES(KHM_RES_REQUEST, "r-1", AG_A, NULL), NOP, 0, 1, "pdpa-dpo-manage", NULL },
    { "pdpa-dpo-manage", DPO_B, KHM_ACTION_WRITE, RES(KHM_RES_REQUEST, "r-1", AG_A, NULL), NOP, 0, 0, DD, "same_agency" },
    { "pdpa-dpo-manage", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_ROPA, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },

    /* pdpa-auditor-read — issue 5: the auditor reads, never writes (s.37(1)) */
    { "pdpa-auditor-read", AUDITOR_A, RMETA, RES(KHM_RES_BREACH, NULL, AG_A, NULL), NOP, 0, 1, "pdpa-auditor-read", NULL },
    { "pdpa-auditor-read", AUDITOR_A, KHM_ACTION_WRITE, RES(KHM_RES_BREACH, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "pdpa-auditor-read", AUDITOR_A, RMETA, RES(KHM_RES_ROPA, NULL, AG_B, NULL), NOP, 0, 0, DD, "same_agency" },

    /* consent-record-by-systems — issue 5: custodians' systems record and read consent (s.19) */
    { "consent-record-by-systems", CUSTODIAN_A, KHM_ACTION_WRITE, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 1, "consent-record-by-systems", NULL },
    { "consent-record-by-systems", CUSTODIAN_A, RMETA, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 1, "consent-record-by-systems", NULL },
    { "consent-record-by-systems", CUSTODIAN_A, KHM_ACTION_WRITE, RES(KHM_RES_CONSENT, NULL, AG_B, NULL), NOP, 0, 0, DD, "same_agency" },
    { "consent-record-by-systems", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },

    /* consent-check — issue 5: data handlers check consent before use (s.19, s.24) */
    { "consent-check", ANALYST_A, RDATA, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 1, "consent-check", NULL },
    { "consent-check", STEWARD_A, RDATA, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 1, "consent-check", NULL },
    { "consent-check", ANALYST_A, RDATA, RES(KHM_RES_CONSENT, NULL, AG_B, NULL), NOP, 0, 0, DD, "same_agency" },
    { "consent-check", AUDITOR_A, RDATA, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "consent-check", ANON, RDATA, RES(KHM_RES_CONSENT, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },

    /* breach-report-by-staff — issue 5: whoever handles data reports a breach (s.37(4)) */
    { "breach-report-by-staff", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_BREACH, NULL, AG_A, NULL), NOP, 0, 1, "breach-report-by-staff", NULL },
    { "breach-report-by-staff", ANALYST_A, KHM_ACTION_WRITE, RES(KHM_RES_BREACH, NULL, AG_B, NULL), NOP, 0, 0, DD, "same_agency" },
    { "breach-report-by-staff", ANALYST_A, RMETA, RES(KHM_RES_BREACH, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },
    { "breach-report-by-staff", AUDITOR_A, KHM_ACTION_WRITE, RES(KHM_RES_BREACH, NULL, AG_A, NULL), NOP, 0, 0, DD, NULL },
};
/* clang-format on */
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static khm_policy *plain;  /* the default policy, no hook */
static khm_policy *hooked; /* the default policy, hook answering yes */
static atomic_int hook_calls;

static int agree_yes(const khm_principal *who, int action, const khm_resource *res,
                     const khm_purpose *purpose, void *payload)
{
    (void)who;
    (void)action;
    (void)res;
    (void)purpose;
    atomic_fetch_add(&hook_calls, 1);
    return payload == &hook_calls;
}

static void teardown(void)
{
    khm_policy_free(plain);
    khm_policy_free(hooked);
}

/* The principals and the two policies, made once for the whole file. */
static void setup(void)
{
    if (plain)
        return;
    make_all();
    assert_int_equal(khm_policy_default(&plain), 0);
    assert_int_equal(khm_policy_default(&hooked), 0);
    khm_policy_set_agreement_hook(hooked, agree_yes, &hook_calls);
    atexit(teardown);
}

static int decide_case(const dcase *c, khm_decision *d)
{
    return khm_access_decide(c->agree ? hooked : plain, c->who == ANON ? NULL : &princ[c->who],
                             c->action, &c->res, c->purpose == NOP ? NULL : &purposes[c->purpose],
                             d);
}

static void check_case(size_t i)
{
    const dcase *c = &cases[i];
    khm_decision d;
    memset(&d, 0xA5, sizeof(d)); /* every field must be written */
    assert_int_equal(decide_case(c, &d), 0);
    if (d.allow != c->allow || strcmp(d.rule, c->rule) != 0)
        fail_msg("case %zu (%s): got %s by %s (%s), want %s by %s", i, c->tests,
                 d.allow ? "allow" : "deny", d.rule, d.reason, c->allow ? "allow" : "deny",
                 c->rule);
    if (c->miss && (!d.miss_condition || strcmp(d.miss_condition, c->miss) != 0))
        fail_msg("case %zu (%s): nearest rule %s failed '%s', want '%s'", i, c->tests,
                 d.miss_rule ? d.miss_rule : "(none)",
                 d.miss_condition ? d.miss_condition : "(none)", c->miss);
    assert_non_null(d.reason);
    assert_non_null(d.reason_th);
    assert_true(d.reason_th[0] != '\0');
    assert_ptr_equal(d.policy_version, khm_policy_version(c->agree ? hooked : plain));
    if (strcmp(d.rule, DD) == 0) {
        assert_int_equal(d.rule_index, -1);
        if (d.miss_rule) {
            assert_non_null(d.miss_condition);
            assert_non_null(d.miss_reason);
            assert_non_null(d.miss_reason_th);
        }
    } else {
        assert_true(d.rule_index >= 0);
        assert_string_equal(plain->rules[d.rule_index].id, d.rule);
        assert_null(d.miss_rule);
    }
}

static void run_rule(const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < NCASES; i++)
        if (strcmp(cases[i].tests, id) == 0) {
            check_case(i);
            n++;
        }
    if (n == 0)
        fail_msg("no cases for rule %s", id);
}

/* One test per default rule, named after the rule and its source. */
#define RULE_TEST(fn, id)                              \
    static void test_access_decide__##fn(void **state) \
    {                                                  \
        (void)state;                                   \
        setup();                                       \
        run_rule(id);                                  \
    }
RULE_TEST(personal_data_needs_basis_pdpa_s24_s26, "personal-data-needs-basis")
RULE_TEST(public_data_read_issue6_thai_rules_2_3, "public-data-read")
RULE_TEST(internal_staff_read_issue6_thai_rules_2_3, "internal-staff-read")
RULE_TEST(classified_read_issue6_thai_rules_2_3_2_4, "classified-read")
RULE_TEST(cross_agency_agreement_hook_issue6, "cross-agency-agreement")
RULE_TEST(dpo_personal_metadata_issue6_pdpa_s41, "dpo-personal-metadata")
RULE_TEST(classify_by_owner_issue6_thai_rules_2_5, "classify-by-owner")
RULE_TEST(classify_by_admin_issue6, "classify-by-admin")
RULE_TEST(dataset_write_thai_rules_2_5, "dataset-write")
RULE_TEST(publish_by_owner_thai_rules_2_3, "publish-by-owner")
RULE_TEST(audit_read_issue6_thai_rules_1_12, "audit-read")
RULE_TEST(admin_administer_issue6_thai_rules_1_12, "admin-administer")
RULE_TEST(self_read_whoami_issue2, "self-read")
RULE_TEST(own_agency_read_issue2, "own-agency-read")
RULE_TEST(system_public_issue2, "system-public")
RULE_TEST(decide_for_others_issue6, "decide-for-others")

static void test_access_decide__every_default_rule_has_allow_and_deny_cases(void **state)
{
    (void)state;
    setup();
    for (size_t k = 0; k < plain->n; k++) {
        const char *id = plain->rules[k].id;
        int allow = 0, deny = 0, decides = 0;
        for (size_t i = 0; i < NCASES; i++) {
            if (strcmp(cases[i].tests, id) != 0)
                continue;
            allow |= cases[i].allow;
            deny |= !cases[i].allow;
            decides |= strcmp(cases[i].rule, id) == 0;
        }
        if (!allow || !deny || !decides)
            fail_msg("default rule %s needs cases that allow (%d), deny (%d) and that it decides "
                     "(%d) in tests/unit/access/decide.c",
                     id, allow, deny, decides);
    }
    for (size_t i = 0; i < NCASES; i++) { /* and no case names a rule that is gone */
        int found = 0;
        for (size_t k = 0; k < plain->n && !found; k++)
            found = strcmp(cases[i].tests, plain->rules[k].id) == 0;
        if (!found)
            fail_msg("case %zu tests '%s', which is not a default rule", i, cases[i].tests);
    }
}

static void test_access_decide__hook_asked_only_when_all_else_holds(void **state)
{
    (void)state;
    setup();
    khm_decision d;
    khm_resource same = DS(L_INT, AG_A), other = DS(L_INT, AG_A);
    atomic_store(&hook_calls, 0);
    /* same agency: the staff rule decides; the cross-agency rule's same_agency:false fails first */
    assert_int_equal(khm_access_decide(hooked, &princ[ANALYST_A], RDATA, &same, NULL, &d), 0);
    assert_string_equal(d.rule, "internal-staff-read");
    /* anonymous: no role matches; public data: decided before */
    other.level = L_PUB;
    assert_int_equal(khm_access_decide(hooked, NULL, RDATA, &other, NULL, &d), 0);
    assert_string_equal(d.rule, "public-data-read");
    assert_int_equal(atomic_load(&hook_calls), 0);
    /* another agency at internal: asked once */
    other.level = L_INT;
    assert_int_equal(khm_access_decide(hooked, &princ[ANALYST_B], RDATA, &other, NULL, &d), 0);
    assert_true(d.allow);
    assert_int_equal(atomic_load(&hook_calls), 1);
    /* the hook can also say no */
    khm_policy_set_agreement_hook(hooked, agree_yes, NULL);
    assert_int_equal(khm_access_decide(hooked, &princ[ANALYST_B], RDATA, &other, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.miss_condition, "agreement");
    khm_policy_set_agreement_hook(hooked, agree_yes, &hook_calls);
    /* NULL restores "no agreement" */
    khm_policy_set_agreement_hook(hooked, NULL, NULL);
    assert_int_equal(khm_access_decide(hooked, &princ[ANALYST_B], RDATA, &other, NULL, &d), 0);
    assert_false(d.allow);
    khm_policy_set_agreement_hook(hooked, agree_yes, &hook_calls);
}

static int load_str(khm_policy **p, const char *json)
{
    int rc = khm_policy_load_json(p, json, strlen(json));
    if (rc < 0) {
        size_t n;
        const khm_field_error *f = khm_err_fields(&n);
        fail_msg("policy refused: %s (%s)", khm_err_last()->message, n ? f[0].field : "");
    }
    return rc;
}

#define R(id, effect, extra)                                                          \
    "{\"id\": \"" id "\", \"effect\": \"" effect "\", \"actions\": [\"read-data\"], " \
    "\"source\": \"test\", \"reason\": \"" id "\", \"reason_th\": \"" id "\"" extra "}"

static void test_access_decide__deny_overrides_allow_in_any_order(void **state)
{
    (void)state;
    setup();
    khm_policy *p;
    khm_decision d;
    khm_resource res = DS(L_INT, AG_A);
    /* the allow rule comes first in the file, the deny rule wins */
    load_str(&p, "{\"version\": \"t\", \"rules\": [" R("all", "allow", "") ", " R(
                     "no-b", "deny",
                     ", \"same_agency\": false") ", " R("no-anon", "deny",
                                                        ", \"roles\": [\"anonymous\"]") "]}");
    assert_int_equal(khm_access_decide(p, &princ[ANALYST_A], RDATA, &res, NULL, &d), 0);
    assert_true(d.allow);
    assert_string_equal(d.rule, "all");
    assert_int_equal(d.rule_index, 0);
    assert_int_equal(khm_access_decide(p, &princ[ANALYST_B], RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.rule, "no-b");
    assert_int_equal(d.rule_index, 1);
    assert_string_equal(d.reason, "no-b");
    /* two deny rules match: the first in the file decides */
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.rule, "no-b");
    /* an action no rule names: default deny, with nothing near */
    assert_int_equal(khm_access_decide(p, &princ[ADMIN_A], KHM_ACTION_SHARE, &res, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.rule, DD);
    assert_int_equal(d.rule_index, -1);
    assert_null(d.miss_rule);
    assert_non_null(strstr(d.reason, "no rule allows"));
    assert_non_null(strstr(d.reason_th, "ปฏิเสธ"));
    khm_policy_free(p);
}

static void test_access_decide__default_deny_explains_the_nearest_rule(void **state)
{
    (void)state;
    setup();
    khm_decision d;
    /* an analyst of A with internal clearance reads secret data of A: classified-read is the
     * nearest (role, kind, level, agency hold), the clearance is what fails */
    khm_resource res = DS(L_SEC, AG_A);
    assert_int_equal(khm_access_decide(plain, &princ[ANALYST_A], RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.rule, DD);
    assert_string_equal(d.miss_rule, "classified-read");
    assert_string_equal(d.miss_condition, "clearance_at_least_level");
    assert_non_null(strstr(d.miss_reason, "clearance"));
    assert_non_null(strstr(d.miss_reason_th, "ระดับชั้นความลับ"));
    /* unknown level: named as the level condition that could not be checked */
    res.level = -1;
    res.owner_agency_id = AG_B;
    assert_int_equal(khm_access_decide(plain, NULL, RDATA, &res, NULL, &d), 0);
    assert_string_equal(d.miss_rule, "public-data-read");
    assert_string_equal(d.miss_condition, "max_level");
    assert_non_null(strstr(d.miss_reason, "unknown"));
}

static void test_access_decide__anonymous_principal(void **state)
{
    (void)state;
    setup();
    khm_policy *p;
    khm_decision d;
    khm_resource res = DS(L_PUB, AG_A);
    load_str(&p, "{\"version\": \"t\", \"rules\": [" R(
                     "staff", "allow",
                     ", \"roles\": [\"authenticated\"]") ", " R("guests", "allow",
                                                                ", \"roles\": [\"anonymous\"], "
                                                                "\"kinds\": [\"system\"]") "]}");
    /* "authenticated" is every role but not the anonymous caller */
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    for (int i = 0; i < NPRINC; i++) {
        assert_int_equal(khm_access_decide(p, &princ[i], RDATA, &res, NULL, &d), 0);
        assert_true(d.allow);
    }
    res.kind = KHM_RES_SYSTEM;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_true(d.allow);
    assert_string_equal(d.rule, "guests");
    /* anonymous has no agency, clearance or self */
    khm_policy_free(p);
    load_str(
        &p,
        "{\"version\": \"t\", \"rules\": [" R("a", "allow", ", \"same_agency\": true") ", " R(
            "b", "allow", ", \"clearance_at_least_level\": true") ", " R("c", "allow",
                                                                         ", \"self\": true") "]}");
    res.kind = KHM_RES_USER;
    res.id = "";
    res.level = L_PUB;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    /* an unknown role value matches nothing */
    khm_principal odd = princ[ADMIN_A];
    odd.user.role = 42;
    assert_int_equal(khm_access_decide(plain, &odd, RMETA, &res, NULL, &d), 0);
    assert_false(d.allow);
    khm_policy_free(p);
}

static void test_access_decide__category_and_level_conditions(void **state)
{
    (void)state;
    setup();
    khm_policy *p;
    khm_decision d;
    load_str(&p, "{\"version\": \"t\", \"rules\": [" R(
                     "sec", "allow",
                     ", \"category\": [\"security\", \"ข้อมูลความลับทางราชการ\"], "
                     "\"min_level\": \"confidential\", \"max_level\": \"secret\"") "]}");
    khm_resource res = DS(L_CON, AG_A);
    res.category = KHM_CAT_SECURITY;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_true(d.allow);
    res.category = KHM_CAT_OFFICIAL_SECRET;
    res.level = L_SEC;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_true(d.allow);
    res.level = L_TOP;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.miss_condition, "max_level");
    res.level = L_INT;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_string_equal(d.miss_condition, "min_level");
    res.level = L_CON;
    res.category = KHM_CAT_PERSONAL;
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.miss_condition, "category");
    res.category = -1; /* no category never satisfies a category condition */
    assert_int_equal(khm_access_decide(p, NULL, RDATA, &res, NULL, &d), 0);
    assert_false(d.allow);
    khm_policy_free(p);
}

static void test_access_decide__guards_and_invalid_input(void **state)
{
    (void)state;
    setup();
    khm_decision d;
    khm_resource pub = DS(L_PUB, AG_A);
    /* a disabled user or a revoked token decides nothing, not even public data */
    khm_principal x = princ[ADMIN_A];
    x.user.disabled = 1;
    assert_int_equal(khm_access_decide(plain, &x, RDATA, &pub, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.rule, "user-disabled");
    x = princ[ADMIN_A];
    x.token.revoked_at = 1;
    assert_int_equal(khm_access_decide(plain, &x, RDATA, &pub, NULL, &d), 0);
    assert_false(d.allow);
    assert_string_equal(d.rule, "token-revoked");
    assert_non_null(d.policy_version);
    /* out of range: an error, and still a deny */
    static const struct {
        int action, kind, level, category;
    } bad[] = {
        { -1, KHM_RES_DATASET, 0, -1 },
        { KHM_ACTION__COUNT, KHM_RES_DATASET, 0, -1 },
        { RDATA, -1, 0, -1 },
        { RDATA, KHM_RES__COUNT, 0, -1 },
        { RDATA, KHM_RES_DATASET, 5, -1 },
        { RDATA, KHM_RES_DATASET, -2, -1 },
        { RDATA, KHM_RES_DATASET, 0, 5 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        khm_resource r = DS(bad[i].level, AG_A);
        r.kind = bad[i].kind;
        r.category = bad[i].category;
        d.allow = 1;
        assert_int_equal(khm_access_decide(plain, NULL, bad[i].action, &r, NULL, &d), KHM_EINVALID);
        assert_false(d.allow);
        assert_string_equal(d.rule, "invalid-input");
    }
    assert_int_equal(khm_access_decide(plain, NULL, RDATA, NULL, NULL, &d), KHM_EINVALID);
    assert_int_equal(khm_access_decide(NULL, NULL, RDATA, &pub, NULL, &d), KHM_EINVALID);
    assert_false(d.allow);
}

/* OPTIMIZATION guard: a decision must never allocate (target >= 5M decisions/s). */
static void test_access_decide__no_allocation_per_decision(void **state)
{
    (void)state;
    setup();
    khm_decision d;
    khm_alloc_fail_after(1); /* the next allocation, and every one after, fails */
    for (int round = 0; round < 200; round++)
        for (size_t i = 0; i < NCASES; i++) {
            assert_int_equal(decide_case(&cases[i], &d), 0);
            assert_int_equal(d.allow, cases[i].allow);
        }
    size_t allocations = khm_alloc_fail_after(0);
    assert_int_equal(allocations, 0);
}

static void *thread_main(void *arg)
{
    int *bad = arg;
    khm_decision d;
    for (int round = 0; round < 300; round++)
        for (size_t i = 0; i < NCASES; i++)
            if (decide_case(&cases[i], &d) != 0 || d.allow != cases[i].allow ||
                strcmp(d.rule, cases[i].rule) != 0)
                (*bad)++;
    return NULL;
}

static void test_access_decide__threads_share_one_policy(void **state)
{
    (void)state;
    setup();
    pthread_t t[4];
    int bad[4] = { 0 };
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, &bad[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(bad[i], 0);
    }
}

/* ---- khm_access_class_allowed: what a listing may leave unread ---- */

#define LV(l) (1u << (l))

static void class_of(int who, unsigned levels, int category, int personal, int *own, int *other)
{
    khm_resource_class cls = { levels, category, personal };
    assert_int_equal(khm_access_class_allowed(plain, who == ANON ? NULL : &princ[who],
                                              KHM_ACTION_READ_METADATA, KHM_RES_DATASET, &cls, own,
                                              other),
                     0);
}

/* The listing's classes (thai-rules.md §2.3: a category holds the levels the catalog allows):
 * what the default policy's rules say each caller may see of them. */
static void test_access_decide__class_allowed_default_policy_thai_rules_2_3(void **state)
{
    (void)state;
    setup();
    int own, other;
    const unsigned personal_levels =
        LV(KHM_LEVEL_INTERNAL) | LV(KHM_LEVEL_CONFIDENTIAL) | LV(KHM_LEVEL_SECRET);
    /* public-data-read: ข้อมูลสาธารณะ (เปิดเผย) of any agency, for anyone */
    class_of(ANON, LV(KHM_LEVEL_PUBLIC), KHM_CAT_PUBLIC, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_NONE); /* no agency of one's own */
    assert_int_equal(other, KHM_CLASS_ALL);
    class_of(ANALYST_B, LV(KHM_LEVEL_PUBLIC), KHM_CAT_PUBLIC, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_ALL);
    assert_int_equal(other, KHM_CLASS_ALL);
    /* ข้อมูลส่วนบุคคล: the own agency's at the levels the clearance reaches (internal-staff-read,
     * classified-read); another agency's only under a sharing agreement, and there is no hook */
    class_of(ANALYST_A, personal_levels, KHM_CAT_PERSONAL, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_SOME); /* internal, not confidential or secret */
    assert_int_equal(other, KHM_CLASS_NONE);
    class_of(ANALYST_A_SECRET, personal_levels, KHM_CAT_PERSONAL, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_ALL);
    assert_int_equal(other, KHM_CLASS_NONE);
    class_of(ADMIN_A, personal_levels, KHM_CAT_PERSONAL, 1, &own, &other);
    assert_int_equal(own, KHM_CLASS_SOME); /* internal level, clearance internal */
    assert_int_equal(other, KHM_CLASS_NONE);
    class_of(DPO_B, personal_levels, KHM_CAT_PERSONAL, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_ALL); /* dpo-personal-metadata */
    assert_int_equal(other, KHM_CLASS_NONE);
    class_of(ANON, personal_levels, KHM_CAT_PERSONAL, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_NONE);
    assert_int_equal(other, KHM_CLASS_NONE);
    /* ลับ for a caller cleared for public only: nothing of anyone's */
    class_of(PUBLIC_A, LV(KHM_LEVEL_CONFIDENTIAL), -1, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_NONE);
    assert_int_equal(other, KHM_CLASS_NONE);
    /* any level: another agency's public datasets, and a scan may flag one as personal */
    class_of(ANALYST_A, KHM_RESOURCE_LEVELS_ANY, -1, 1, &own, &other);
    assert_int_equal(own, KHM_CLASS_SOME);
    assert_int_equal(other, KHM_CLASS_SOME);
    /* not personal, at internal: every one of the own agency's, none of another's */
    class_of(ANALYST_A, LV(KHM_LEVEL_INTERNAL), -1, 0, &own, &other);
    assert_int_equal(own, KHM_CLASS_ALL);
    assert_int_equal(other, KHM_CLASS_NONE);
    /* an empty class: nothing */
    class_of(OWNER_A, 0, -1, -1, &own, &other);
    assert_int_equal(own, KHM_CLASS_NONE);
    assert_int_equal(other, KHM_CLASS_NONE);
}

/* Against the per-row decision itself: for every caller, every class (each set of levels with
 * unknown, each category or any, each personal) is NONE, SOME or ALL exactly as none, some or
 * every dataset in it — of the own agency or another, flagged personal or sensitive or not — is
 * allowed by khm_access_decide(). Then: the hook gives no conclusion; bad input is refused. */
static void test_access_decide__class_allowed_matches_every_row_decision(void **state)
{
    (void)state;
    setup();
    for (int who = ANON; who < NPRINC; who++)
        for (unsigned levels = 0; levels <= KHM_RESOURCE_LEVELS_ANY; levels++)
            for (int cat = -1; cat < KHM_CAT__COUNT; cat++)
                for (int pers = -1; pers <= 1; pers++) {
                    int own, other, want[2] = { 0, 0 }, deny[2] = { 0, 0 };
                    class_of(who, levels, cat, pers, &own, &other);
                    for (int l = -1; l < KHM_LEVEL__COUNT; l++)
                        for (int c = -1; c < KHM_CAT__COUNT; c++)
                            for (int bits = 0; bits < 4; bits++)
                                for (int o = 0; o < 2; o++) {
                                    khm_resource r = KHM_RESOURCE_INIT(KHM_RES_DATASET);
                                    khm_decision d;
                                    int in_levels =
                                        levels & (l < 0 ? 1u << KHM_LEVEL__COUNT : 1u << l);
                                    r.personal = (bits & 1) || c == KHM_CAT_PERSONAL;
                                    r.sensitive = bits >> 1;
                                    int p = r.personal || r.sensitive;
                                    if (!in_levels || (cat >= 0 && c != cat) ||
                                        (pers >= 0 && p != pers) || (o == 0 && who == ANON))
                                        continue;
                                    r.level = l;
                                    r.category = c;
                                    r.owner_agency_id =
                                        o == 0 ? princ[who].agency.id
                                               : (strcmp(princ[who == ANON ? 0 : who].agency.id,
                                                         AG_A) == 0
                                                      ? AG_B
                                                      : AG_A);
                                    assert_int_equal(
                                        khm_access_decide(plain, who == ANON ? NULL : &princ[who],
                                                          KHM_ACTION_READ_METADATA, &r, NULL, &d),
                                        0);
                                    want[o] |= d.allow;
                                    deny[o] |= !d.allow;
                                }
                    for (int o = 0; o < 2; o++)
                        want[o] = !want[o]  ? KHM_CLASS_NONE
                                  : deny[o] ? KHM_CLASS_SOME
                                            : KHM_CLASS_ALL;
                    if (own != want[0] || other != want[1])
                        fail_msg("principal %d levels %#x category %d personal %d: got own %d "
                                 "other %d, the rows say %d %d",
                                 who, levels, cat, pers, own, other, want[0], want[1]);
                }
    /* a hook answers per dataset: no conclusion */
    khm_resource_class cls = { LV(KHM_LEVEL_SECRET), KHM_CAT_PERSONAL, 1 };
    int own = 0, other = 0;
    assert_int_equal(khm_access_class_allowed(hooked, &princ[ANALYST_A], KHM_ACTION_READ_METADATA,
                                              KHM_RES_DATASET, &cls, &own, &other),
                     0);
    assert_int_equal(own, KHM_CLASS_SOME);
    assert_int_equal(other, KHM_CLASS_SOME);
    /* out of range: refused, and no conclusion either */
    khm_resource_class bad[] = { { KHM_RESOURCE_LEVELS_ANY + 1, -1, -1 },
                                 { LV(0), KHM_CAT__COUNT, -1 },
                                 { LV(0), -2, -1 },
                                 { LV(0), -1, 2 } };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        own = other = 0;
        assert_int_equal(khm_access_class_allowed(plain, NULL, KHM_ACTION_READ_METADATA,
                                                  KHM_RES_DATASET, &bad[i], &own, &other),
                         KHM_EINVALID);
        assert_int_equal(own, KHM_CLASS_SOME);
        assert_int_equal(other, KHM_CLASS_SOME);
    }
    assert_int_equal(khm_access_class_allowed(plain, NULL, KHM_ACTION__COUNT, KHM_RES_DATASET, &cls,
                                              &own, &other),
                     KHM_EINVALID);
    assert_int_equal(
        khm_access_class_allowed(plain, NULL, KHM_ACTION_READ_METADATA, -1, &cls, &own, &other),
        KHM_EINVALID);
}

static json_t *parse(const char *s)
{
    json_error_t e;
    json_t *j = json_loads(s, 0, &e);
    if (!j)
        fail_msg("test JSON: %s", e.text);
    return j;
}

static const khm_field_error *field_error(const char *field)
{
    size_t n;
    const khm_field_error *f = khm_err_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].field, field) == 0)
            return &f[i];
    fail_msg("no field error '%s' (%s)", field, khm_err_last()->message);
    return NULL;
}

static void test_access_decide__input_from_json(void **state)
{
    (void)state;
    setup();
    khm_decide_input in;
    json_t *j =
        parse("{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\", "
              "\"id\": \"d1\", \"owner_agency\": \"nso\", \"level\": \"ลับ\", \"category\": "
              "\"personal\", \"sensitive\": true}, \"purpose\": {\"code\": \"p1\", "
              "\"basis\": \"public_task\", \"s26_exception\": \"s26(5)\", "
              "\"explicit_consent\": false}, \"user\": \"somchai\"}}");
    assert_int_equal(khm_decide_input_from_json(&in, j), 0);
    assert_int_equal(in.action, RDATA);
    assert_int_equal(in.res.kind, KHM_RES_DATASET);
    assert_string_equal(in.res.id, "d1");
    assert_string_equal(in.res.owner_agency_id, "nso");
    assert_null(in.res.owner_user_id);
    assert_int_equal(in.res.level, L_CON);
    assert_int_equal(in.res.category, KHM_CAT_PERSONAL);
    assert_int_equal(in.res.personal, 1); /* the category implies it */
    assert_int_equal(in.res.sensitive, 1);
    assert_int_equal(in.has_purpose, 1);
    assert_string_equal(in.purpose.code, "p1");
    assert_int_equal(in.purpose.basis, KHM_BASIS_S24_4);
    assert_int_equal(in.purpose.s26_exception, KHM_S26_5);
    assert_string_equal(in.user, "somchai");
    assert_int_equal(in.anonymous, 0);
    json_decref(j);

    /* the smallest input: a level left out is unknown (-1) */
    j = parse("{\"input\": {\"action\": \"administer\", \"resource\": {\"kind\": \"system\"}, "
              "\"purpose\": null, \"anonymous\": true}}");
    assert_int_equal(khm_decide_input_from_json(&in, j), 0);
    assert_int_equal(in.res.level, -1);
    assert_int_equal(in.res.category, -1);
    assert_int_equal(in.has_purpose, 0);
    assert_int_equal(in.anonymous, 1);
    json_decref(j);

    /* problems are named by their path */
    static const struct {
        const char *body, *field, *message;
    } bad[] = {
        { "[]", "body", "JSON object" },
        { "{}", "input", "is required" },
        { "{\"input\": {}, \"extra\": 1}", "body.extra", "unknown field" },
        { "{\"input\": 3}", "input", "JSON object" },
        { "{\"input\": {\"resource\": {\"kind\": \"dataset\"}}}", "input.action", "is required" },
        { "{\"input\": {\"action\": \"read\", \"resource\": {\"kind\": \"dataset\"}}}",
          "input.action", "unknown action 'read'" },
        { "{\"input\": {\"action\": \"read-data\"}}", "input.resource", "is required" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {}}}", "input.resource.kind",
          "is required" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"table\"}}}",
          "input.resource.kind", "unknown resource kind" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\", "
          "\"level\": \"ultra\"}}}",
          "input.resource.level", "unknown level 'ultra'" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\", "
          "\"personal\": \"yes\"}}}",
          "input.resource.personal", "must be a boolean" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\", "
          "\"colour\": 1}}}",
          "input.resource.colour", "unknown field" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\"}, "
          "\"purpose\": {\"basis\": \"whim\"}}}",
          "input.purpose.basis", "unknown lawful basis 'whim'" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\"}, "
          "\"purpose\": {\"s26_exception\": \"s26(9)\"}}}",
          "input.purpose.s26_exception", "unknown s.26 exception" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\"}, "
          "\"user\": \"x\", \"anonymous\": true}}",
          "input.anonymous", "excludes" },
        { "{\"input\": {\"action\": \"read-data\", \"resource\": {\"kind\": \"dataset\"}, "
          "\"user\": 7}}",
          "input.user", "must be a string" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        j = parse(bad[i].body);
        if (khm_decide_input_from_json(&in, j) != KHM_EINVALID)
            fail_msg("case %zu: accepted %s", i, bad[i].body);
        const khm_field_error *f = field_error(bad[i].field);
        if (!strstr(f->message, bad[i].message))
            fail_msg("case %zu: %s: '%s' lacks '%s'", i, f->field, f->message, bad[i].message);
        assert_true(f->message_th[0] != '\0');
        /* only path-named errors remain */
        size_t n;
        const khm_field_error *all = khm_err_fields(&n);
        for (size_t k = 0; k < n; k++)
            if (strcmp(all[k].field, "body") != 0 && strcmp(all[k].field, "input") != 0 &&
                !strchr(all[k].field, '.'))
                fail_msg("case %zu: short field name '%s' left", i, all[k].field);
        json_decref(j);
    }
}

static void test_access_decide__decision_json(void **state)
{
    (void)state;
    setup();
    khm_decision d;
    khm_resource res = DS(L_SEC, AG_A);
    assert_int_equal(khm_access_decide(plain, &princ[ANALYST_A], RDATA, &res, NULL, &d), 0);
    khm_buf b = KHM_BUF_INIT(1 << 16);
    khm_jw w;
    khm_jw_init(&w, &b);
    khm_decision_write_json(&w, &d);
    assert_int_equal(khm_jw_finish(&w), 0);
    json_error_t e;
    json_t *j = json_loadb(b.ptr, b.len, 0, &e);
    assert_non_null(j);
    assert_true(json_is_false(json_object_get(j, "allow")));
    assert_string_equal(json_string_value(json_object_get(j, "rule")), DD);
    assert_string_equal(json_string_value(json_object_get(j, "policy_version")),
                        khm_policy_version(plain));
    json_t *reasons = json_object_get(j, "reasons");
    assert_int_equal(json_array_size(reasons), 2);
    json_t *r0 = json_array_get(reasons, 0), *r1 = json_array_get(reasons, 1);
    assert_string_equal(json_string_value(json_object_get(r0, "rule")), DD);
    assert_null(json_object_get(r0, "condition"));
    assert_non_null(json_string_value(json_object_get(r0, "message_th")));
    assert_string_equal(json_string_value(json_object_get(r1, "rule")), "classified-read");
    assert_string_equal(json_string_value(json_object_get(r1, "condition")),
                        "clearance_at_least_level");
    json_decref(j);
    khm_buf_dispose(&b);
    /* an allow: one reason, the rule's */
    res.level = L_INT;
    assert_int_equal(khm_access_decide(plain, &princ[ANALYST_A], RDATA, &res, NULL, &d), 0);
    b = (khm_buf)KHM_BUF_INIT(1 << 16);
    khm_jw_init(&w, &b);
    khm_decision_write_json(&w, &d);
    assert_int_equal(khm_jw_finish(&w), 0);
    j = json_loadb(b.ptr, b.len, 0, &e);
    assert_true(json_is_true(json_object_get(j, "allow")));
    assert_int_equal(json_array_size(json_object_get(j, "reasons")), 1);
    json_decref(j);
    khm_buf_dispose(&b);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_access_decide__personal_data_needs_basis_pdpa_s24_s26),
              cmocka_unit_test(test_access_decide__public_data_read_issue6_thai_rules_2_3),
              cmocka_unit_test(test_access_decide__internal_staff_read_issue6_thai_rules_2_3),
              cmocka_unit_test(test_access_decide__classified_read_issue6_thai_rules_2_3_2_4),
              cmocka_unit_test(test_access_decide__cross_agency_agreement_hook_issue6),
              cmocka_unit_test(test_access_decide__dpo_personal_metadata_issue6_pdpa_s41),
              cmocka_unit_test(test_access_decide__classify_by_owner_issue6_thai_rules_2_5),
              cmocka_unit_test(test_access_decide__classify_by_admin_issue6),
              cmocka_unit_test(test_access_decide__dataset_write_thai_rules_2_5),
              cmocka_unit_test(test_access_decide__publish_by_owner_thai_rules_2_3),
              cmocka_unit_test(test_access_decide__audit_read_issue6_thai_rules_1_12),
              cmocka_unit_test(test_access_decide__admin_administer_issue6_thai_rules_1_12),
              cmocka_unit_test(test_access_decide__self_read_whoami_issue2),
              cmocka_unit_test(test_access_decide__own_agency_read_issue2),
              cmocka_unit_test(test_access_decide__system_public_issue2),
              cmocka_unit_test(test_access_decide__decide_for_others_issue6),
              cmocka_unit_test(test_access_decide__every_default_rule_has_allow_and_deny_cases),
              cmocka_unit_test(test_access_decide__hook_asked_only_when_all_else_holds),
              cmocka_unit_test(test_access_decide__deny_overrides_allow_in_any_order),
              cmocka_unit_test(test_access_decide__default_deny_explains_the_nearest_rule),
              cmocka_unit_test(test_access_decide__anonymous_principal),
              cmocka_unit_test(test_access_decide__category_and_level_conditions),
              cmocka_unit_test(test_access_decide__guards_and_invalid_input),
              cmocka_unit_test(test_access_decide__class_allowed_default_policy_thai_rules_2_3),
              cmocka_unit_test(test_access_decide__class_allowed_matches_every_row_decision),
              cmocka_unit_test(test_access_decide__no_allocation_per_decision),
              cmocka_unit_test(test_access_decide__threads_share_one_policy),
              cmocka_unit_test(test_access_decide__input_from_json),
              cmocka_unit_test(test_access_decide__decision_json))
