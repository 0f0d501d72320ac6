/**
 * @file khomun/policy.h
 * The policy decision point (PDP): may this principal do this action on this resource, for this
 * purpose? One function, khm_access_decide(), answers every access question of the server and
 * of agency systems (POST /api/v1/decide), from a table of rules that is data: a JSON policy
 * file (docs/policy.md), shipped as a default embedded in the binary and overridable per
 * deployment.
 *
 * Evaluation: deny by default; a matching "deny" rule wins over every "allow" rule. The rules
 * are indexed by action at load time and matched with bit masks, so a decision takes tens of
 * nanoseconds and never allocates. A loaded policy is immutable and may be shared by any number
 * of threads.
 */
#ifndef KHOMUN_POLICY_H
#define KHOMUN_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <khomun/access.h>
#include <khomun/json.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a principal wants to do (issue 6). Names are "read-metadata" … "audit-read". */
typedef enum {
    KHM_ACTION_READ_METADATA = 0, /**< see that a record exists and its description */
    KHM_ACTION_READ_DATA,         /**< read the data itself (a dataset's rows, a file) */
    KHM_ACTION_WRITE,             /**< create or change a record or its data */
    KHM_ACTION_CLASSIFY,          /**< set a dataset's category or classification level */
    KHM_ACTION_PUBLISH,           /**< make a dataset public (open data) */
    KHM_ACTION_SHARE,             /**< give another agency access */
    KHM_ACTION_ADMINISTER,        /**< manage agencies, users, tokens, the installation */
    KHM_ACTION_AUDIT_READ,        /**< read the audit trail */
    KHM_ACTION__COUNT
} khm_action;

/** What kind of thing a resource is. Names are "system" … "breach". */
typedef enum {
    KHM_RES_SYSTEM = 0, /**< the installation: health, version, settings */
    KHM_RES_AGENCY,     /**< an agency record (หน่วยงาน) */
    KHM_RES_USER,       /**< a user record */
    KHM_RES_TOKEN,      /**< an API token record */
    KHM_RES_DATASET,    /**< a catalog dataset (ชุดข้อมูล) and its resources */
    KHM_RES_AUDIT,      /**< the audit trail */
    KHM_RES_POLICY,     /**< the access policy itself (deciding for another user) */
    KHM_RES_SCANNER,    /**< the personal-data scanner, scanning data sent to it */
    KHM_RES_PURPOSE,    /**< a processing purpose with its lawful basis (PDPA s.24, s.26) */
    KHM_RES_CONSENT,    /**< consent records of data subjects (PDPA s.19) and the consent check */
    KHM_RES_ROPA,       /**< the record of processing activities (PDPA s.39) */
    KHM_RES_REQUEST,    /**< a data-subject request (PDPA s.30-36) */
    KHM_RES_BREACH,     /**< a personal-data breach (PDPA s.37(4)) */
    KHM_RES__COUNT
} khm_resource_kind;

/** Data categories of the government data-governance framework (thai-rules.md §2.2). */
typedef enum {
    KHM_CAT_PUBLIC = 0, /**< "public": ข้อมูลสาธารณะ */
    KHM_CAT_INTERNAL,   /**< "internal": ข้อมูลใช้ภายใน */
    KHM_CAT_PERSONAL,   /**< "personal": ข้อมูลส่วนบุคคล */
    KHM_CAT_SECURITY,   /**< "security": ข้อมูลความมั่นคง */
    KHM_CAT_OFFICIAL_SECRET, /**< "official_secret": ข้อมูลความลับทางราชการ */
    KHM_CAT__COUNT
} khm_category;

/** Lawful bases for personal data (PDPA s.24, thai-rules.md §1.3). */
typedef enum {
    KHM_BASIS_NONE = 0, /**< "none": no lawful basis given */
    KHM_BASIS_CONSENT,  /**< "consent" (s.19) */
    KHM_BASIS_S24_1,    /**< "s24(1)": archives, research, statistics */
    KHM_BASIS_S24_2,    /**< "s24(2)": danger to life, body or health */
    KHM_BASIS_S24_3,    /**< "s24(3)": contract */
    KHM_BASIS_S24_4,    /**< "s24(4)": public task / official authority */
    KHM_BASIS_S24_5,    /**< "s24(5)": legitimate interests */
    KHM_BASIS_S24_6,    /**< "s24(6)": legal obligation */
    KHM_BASIS__COUNT
} khm_lawful_basis;

/** Exceptions to explicit consent for sensitive data (PDPA s.26, thai-rules.md §1.4). */
typedef enum {
    KHM_S26_NONE = 0, /**< "none" */
    KHM_S26_1,        /**< "s26(1)": vital interests, subject cannot consent */
    KHM_S26_2,        /**< "s26(2)": foundations, associations, not-for-profits */
    KHM_S26_3,        /**< "s26(3)": made public with the subject's explicit consent */
    KHM_S26_4,        /**< "s26(4)": legal claims */
    KHM_S26_5,        /**< "s26(5)": compliance with a law for the purposes (a)–(e) */
    KHM_S26__COUNT
} khm_s26_exception;

/** "read-metadata" …; NULL when out of range. */
const char *khm_action_name(int action);
/** Thai label, e.g. "อ่านข้อมูล"; NULL when out of range. */
const char *khm_action_label_th(int action);
/** Parse an action name; KHM_EINVALID (field "action", lists the names) when unknown. */
int khm_action_parse(const char *s, int *out);

/** "system" …; NULL when out of range. */
const char *khm_resource_kind_name(int kind);
/** Thai label, e.g. "ชุดข้อมูล". */
const char *khm_resource_kind_label_th(int kind);
/** Parse a kind name; KHM_EINVALID (field "kind"). */
int khm_resource_kind_parse(const char *s, int *out);

/** "public", "internal", "personal", "security", "official_secret"; NULL when out of range. */
const char *khm_category_name(int category);
/** "ข้อมูลสาธารณะ" … "ข้อมูลความลับทางราชการ" (thai-rules.md §2.2). */
const char *khm_category_label_th(int category);
/** Parse an English key or the exact Thai label; KHM_EINVALID (field "category"). */
int khm_category_parse(const char *s, int *out);

/** "none", "consent", "s24(1)" … "s24(6)". */
const char *khm_basis_name(int basis);
/** Thai short name (thai-rules.md §1.3), e.g. "ฐานภารกิจของรัฐ / ประโยชน์สาธารณะ". */
const char *khm_basis_label_th(int basis);
/** Parse "consent", "s24(4)", or an alias ("research", "vital_interest", "contract",
 *  "public_task", "legitimate_interest", "legal_obligation"); KHM_EINVALID (field "basis"). */
int khm_basis_parse(const char *s, int *out);

/** "none", "s26(1)" … "s26(5)". */
const char *khm_s26_name(int exception);
/** Parse "none" or "s26(1)" … "s26(5)"; KHM_EINVALID (field "s26_exception"). */
int khm_s26_parse(const char *s, int *out);

/**
 * The thing acted on. Strings are borrowed for the duration of the call.
 * Build one per request: for a collection (a list route) leave id NULL.
 */
typedef struct {
    int kind;                    /**< khm_resource_kind */
    const char *id;              /**< record id, or NULL for a collection */
    const char *owner_agency_id; /**< agency that owns it, or NULL (installation-wide) */
    const char *owner_user_id;   /**< KHM_RES_TOKEN: the token's user; else NULL */
    int level;                   /**< khm_level, or -1 unknown (level conditions then fail) */
    int category;                /**< khm_category, or -1 none/unknown */
    int personal;                /**< 0/1: holds personal data (PDPA) */
    int sensitive;               /**< 0/1: holds s.26 sensitive data (implies personal) */
} khm_resource;

/** A resource with no owner, level or category (-1), not personal. */
#define KHM_RESOURCE_INIT(kind_)                \
    {                                           \
        (kind_), NULL, NULL, NULL, -1, -1, 0, 0 \
    }

/**
 * Why the data is processed: the hook for the PDPA purposes of issue 5. Today the caller
 * asserts the basis; once purposes are registered, the caller passes the registered purpose's
 * basis and consent state.
 */
typedef struct {
    const char *code;     /**< purpose code, e.g. "tax-refund"; may be NULL */
    int basis;            /**< khm_lawful_basis */
    int s26_exception;    /**< khm_s26_exception (sensitive data) */
    int explicit_consent; /**< 0/1: explicit consent of the subject (s.26 para 1) */
} khm_purpose;

/**
 * The sharing-agreement hook for cross-agency access (issue 6; the agreements capability does
 * not exist yet). Called only by a rule with "agreement": true, after all its other conditions
 * hold. Return 1 when an agreement in force covers @p who's agency for @p action on @p res.
 * With no hook set the answer is 0 ("no agreement"). Must be thread-safe and must not allocate
 * on the hot path.
 */
typedef int (*khm_agreement_fn)(const khm_principal *who, int action, const khm_resource *res,
                                const khm_purpose *purpose, void *payload);

/** A loaded, indexed policy. Immutable once loaded; share it between threads freely. */
typedef struct khm_policy khm_policy;

/** The outcome of one decision. Every string is borrowed from the policy (or static): valid
 *  until khm_policy_free(). */
typedef struct {
    int allow;                  /**< 1 allow, 0 deny */
    const char *rule;           /**< id of the deciding rule, or "default-deny" (or a guard:
                                     "user-disabled", "token-revoked", "invalid-input") */
    int rule_index;             /**< index in the file's "rules", -1 for the others */
    const char *reason;         /**< short English reason */
    const char *reason_th;      /**< the same in Thai */
    const char *miss_rule;      /**< default deny: nearest allow rule (its action, role and
                                     kind matched) or NULL */
    const char *miss_condition; /**< …and the first condition it failed, e.g. "same_agency" */
    const char *miss_reason;    /**< English text for that condition */
    const char *miss_reason_th; /**< Thai text for that condition */
    const char *policy_version; /**< khm_policy_version() of the deciding policy */
} khm_decision;

/** Built-in rule ids of decisions no rule of the file made. */
#define KHM_RULE_DEFAULT_DENY "default-deny"

/** Largest policy file and rule count accepted. */
#define KHM_POLICY_MAX_BYTES (1024 * 1024)
#define KHM_POLICY_MAX_RULES 4096

/**
 * Load and index the shipped default policy (src/lib/access/policy_default.json, embedded).
 * @param[out] out  new policy; free with khm_policy_free()
 * @return 0, or KHM_ENOMEM.
 */
int khm_policy_default(khm_policy **out);

/**
 * Load and index a policy file (format: docs/policy.md).
 * @param[out] out  new policy; free with khm_policy_free()
 * @return 0; KHM_EIO when the file cannot be read; KHM_ELIMIT over KHM_POLICY_MAX_BYTES;
 *         KHM_EINVALID with one field error per problem, each naming the place, e.g.
 *         "rules[3].actions[1]": "unknown action 'reed' (allowed: …)" with a Thai message.
 */
int khm_policy_load_file(khm_policy **out, const char *path);

/** As khm_policy_load_file(), from @p n bytes of JSON in memory. */
int khm_policy_load_json(khm_policy **out, const char *json, size_t n);

/** Free a policy. Accepts NULL. */
void khm_policy_free(khm_policy *p);

/**
 * "VERSION+sha256:HASH16": the file's "version" and the first 16 hex digits of the SHA-256 of
 * the file's bytes, so a logged decision names exactly the policy that made it.
 * Valid until khm_policy_free().
 */
const char *khm_policy_version(const khm_policy *p);

/** The full SHA-256 (64 hex digits) of the policy file's bytes. */
const char *khm_policy_hash(const khm_policy *p);

/** Number of rules in the file. */
size_t khm_policy_rule_count(const khm_policy *p);

/** The embedded default policy file, NUL-terminated; @p n (may be NULL) receives its length. */
const char *khm_policy_default_json(size_t *n);

/**
 * Set the sharing-agreement hook (see khm_agreement_fn); NULL restores "no agreement". Call
 * before the policy is shared between threads.
 */
void khm_policy_set_agreement_hook(khm_policy *p, khm_agreement_fn fn, void *payload);

/**
 * Decide whether @p who may do @p action on @p res.
 * @param who      the caller; NULL = anonymous (no token)
 * @param purpose  why (for personal data); may be NULL
 * @param[out] out the decision and its reasons
 * @return 0 (the answer is in out->allow, allow or deny), or KHM_EINVALID for an action or
 *         resource kind out of range (then out->allow is 0 and out->rule "invalid-input").
 *         Never allocates.
 */
int khm_access_decide(const khm_policy *p, const khm_principal *who, int action,
                      const khm_resource *res, const khm_purpose *purpose, khm_decision *out);

/** A class of resources of one kind, as a listing's filter narrows it. */
typedef struct {
    unsigned levels; /**< the levels it may hold: bit l for khm_level l, bit KHM_LEVEL__COUNT for
                          unknown (-1); KHM_RESOURCE_LEVELS_ANY for all of them */
    int category;    /**< khm_category; -1 any (none included) */
    int personal;    /**< 1: holds personal or sensitive data (or is of the personal category);
                          0: does not; -1 either */
} khm_resource_class;

/** Every level, unknown included. */
#define KHM_RESOURCE_LEVELS_ANY ((1u << (KHM_LEVEL__COUNT + 1)) - 1u)

/** What khm_access_class_allowed() says of the resources of one owner in a class. */
enum {
    KHM_CLASS_NONE = 0, /**< every one is denied (or the class is empty) */
    KHM_CLASS_SOME = 1, /**< some may be allowed, some denied (or: no conclusion) */
    KHM_CLASS_ALL = 2,  /**< every one is allowed */
};

/**
 * Which owners' resources of @p kind in @p cls could @p who be allowed to @p action, without a
 * purpose? khm_access_decide() itself is asked on one resource per combination of the facts a
 * decision depends on (level, category — none included when any —, personal, sensitive) within
 * @p cls: owned by the caller's agency (@p own) and by another agency (@p other), each
 * KHM_CLASS_NONE, _SOME or _ALL — so a listing may leave out, before reading them, the rows the
 * per-row decision would deny all the same (it still decides on every row it reads), and knows
 * when some of the rows it reads may be denied. With a sharing-agreement hook set, whose answer
 * depends on the resource itself, both are KHM_CLASS_SOME (no conclusion). Anonymous (@p who
 * NULL): own is KHM_CLASS_NONE.
 * @return 0, or KHM_EINVALID for an action, kind or class out of range (both then
 *         KHM_CLASS_SOME). Never allocates.
 */
int khm_access_class_allowed(const khm_policy *p, const khm_principal *who, int action, int kind,
                             const khm_resource_class *cls, int *own, int *other);

/** The input of POST /api/v1/decide, parsed. Strings are borrowed from the JSON body. */
typedef struct {
    int action;          /**< khm_action */
    khm_resource res;    /**< owner_agency_id holds the request's "owner_agency" (an id or
                              a slug, resolved by the caller) */
    khm_purpose purpose; /**< valid when has_purpose */
    int has_purpose;     /**< 0/1 */
    const char *user;    /**< "user": decide for this user (id or name), or NULL = the caller */
    int anonymous;       /**< 1: decide for an anonymous caller */
} khm_decide_input;

/**
 * Parse {"input": {"action", "resource": {...}, "purpose": {...}, "user", "anonymous"}}.
 * @return 0 or KHM_EINVALID with one field error per problem, named by path
 *         ("input.resource.level").
 */
int khm_decide_input_from_json(khm_decide_input *out, const json_t *body);

/** Write {"allow", "rule", "reasons": [{"rule", "condition"?, "message", "message_th"}],
 *  "policy_version"}. */
void khm_decision_write_json(khm_jw *w, const khm_decision *d);

#ifdef __cplusplus
}
#endif
#endif
