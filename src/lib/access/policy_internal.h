/* policy_internal.h — the compiled form of a policy, shared by the loader (policy.c) and the
 * evaluator (decide.c). A rule becomes bit masks: one bit per role, kind, level and category,
 * and one bit per boolean condition ("fact") with the value it needs, so matching a rule is a
 * handful of AND/compare operations on one cache line. */
#ifndef KHM_POLICY_INTERNAL_H
#define KHM_POLICY_INTERNAL_H

#include <khomun/policy.h>

#include <stdint.h>

/* Extra bits beyond the enums: an anonymous caller, an unknown level, no category. */
#define KHM_POLICY__ANON_BIT  (1u << KHM_ROLE__COUNT)
#define KHM_POLICY__ALL_ROLES ((1u << KHM_ROLE__COUNT) - 1u) /* "authenticated" */
#define KHM_POLICY__LEVEL_UNK (1u << KHM_LEVEL__COUNT)
#define KHM_POLICY__CAT_NONE  (1u << KHM_CAT__COUNT)
#define KHM_POLICY__ANY_LEVEL ((1u << (KHM_LEVEL__COUNT + 1)) - 1u)
#define KHM_POLICY__ANY_CAT   ((1u << (KHM_CAT__COUNT + 1)) - 1u)
#define KHM_POLICY__ANY_KIND  ((1u << KHM_RES__COUNT) - 1u)
#define KHM_POLICY__ANY_ROLE  (KHM_POLICY__ALL_ROLES | KHM_POLICY__ANON_BIT)

/* Facts about one request, computed once per decision (only those some rule of the action
 * tests). The agreement is not a fact: it calls out, so it is asked last and only when needed. */
enum {
    KHM_FACT_SAME_AGENCY = 1 << 0, /* caller's agency == resource's owner agency */
    KHM_FACT_CLEARANCE = 1 << 1,   /* caller's clearance >= resource level (level known) */
    KHM_FACT_PERSONAL = 1 << 2,    /* personal or sensitive data */
    KHM_FACT_SENSITIVE = 1 << 3,   /* s.26 data */
    KHM_FACT_PURPOSE = 1 << 4,     /* the purpose satisfies the personal/sensitive rules */
    KHM_FACT_SELF = 1 << 5,        /* the caller's own user or token */
    KHM_FACT__COUNT = 6
};

/* Condition names in the file, in the order the near-miss explanation checks them. */
extern const char *const khm_policy__fact_names[KHM_FACT__COUNT];

typedef struct {
    uint16_t roles;   /* KHM_POLICY__ANY_ROLE bits */
    uint16_t kinds;   /* 1 << khm_resource_kind */
    uint8_t levels;   /* 1 << khm_level, plus KHM_POLICY__LEVEL_UNK */
    uint8_t cats;     /* 1 << khm_category, plus KHM_POLICY__CAT_NONE */
    uint8_t mask;     /* KHM_FACT_* bits the rule tests */
    uint8_t want;     /* and their required values (want ⊆ mask) */
    int8_t agreement; /* -1 not tested, 0 must be absent, 1 must be present */
    int8_t min_level; /* -1 none; kept for the near-miss explanation */
    int8_t max_level; /* -1 none */
    uint8_t deny;     /* 1: effect "deny" */
    int index;        /* position in the file's "rules" */
    const char *id;   /* strings live in the policy's arena */
    const char *reason;
    const char *reason_th;
    const char *source;
} khm_policy__rule;

struct khm_policy {
    khm_policy__rule *rules; /* file order, n of them */
    size_t n;
    /* per action: the rules naming it, deny rules first, each group in file order (copies,
     * so a decision walks one contiguous array) */
    khm_policy__rule *by_action[KHM_ACTION__COUNT];
    uint16_t n_deny[KHM_ACTION__COUNT];
    uint16_t n_rules[KHM_ACTION__COUNT];
    uint8_t needs[KHM_ACTION__COUNT]; /* union of the masks: facts worth computing */
    const char *version;              /* "VERSION+sha256:HASH16" */
    const char *file_version;         /* the file's "version" */
    char hash[65];                    /* SHA-256 of the file bytes, hex */
    khm_agreement_fn agreement;       /* NULL: "no agreement" */
    void *agreement_payload;
    khm_arena *arena; /* owns every string and array above */
};

#endif
