/**
 * @file khomun/access.h
 * Users, roles, clearance levels, scopes and API tokens: who is calling and what they may do.
 *
 * Until the policy decision point arrives, a fixed role→scope map decides what a route allows;
 * the router asks khm_role_has_scope() before it calls any handler.
 */
#ifndef KHOMUN_ACCESS_H
#define KHOMUN_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <khomun/arena.h>
#include <khomun/json.h>
#include <khomun/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Roles (thai-rules.md §2.5 for the data-governance ones; PDPA s.41 for the DPO). */
typedef enum {
    KHM_ROLE_ADMIN = 0,
    KHM_ROLE_DPO,
    KHM_ROLE_OWNER,
    KHM_ROLE_STEWARD,
    KHM_ROLE_CUSTODIAN,
    KHM_ROLE_ANALYST,
    KHM_ROLE_AUDITOR,
    KHM_ROLE__COUNT
} khm_role;

/** Classification levels (thai-rules.md §2.3), ordered: a clearance ≥ level may read it. */
typedef enum {
    KHM_LEVEL_PUBLIC = 0, /**< เปิดเผย */
    KHM_LEVEL_INTERNAL,   /**< ชั้นเผยแพร่ภายในองค์กร */
    KHM_LEVEL_CONFIDENTIAL, /**< ลับ */
    KHM_LEVEL_SECRET,       /**< ลับมาก */
    KHM_LEVEL_TOP_SECRET,   /**< ลับที่สุด */
    KHM_LEVEL__COUNT
} khm_level;

/** Scopes a route may require. */
typedef enum {
    KHM_SCOPE_PUBLIC = 0, /**< no token needed */
    KHM_SCOPE_SELF,       /**< any authenticated user */
    KHM_SCOPE_AGENCY_READ,
    KHM_SCOPE_AGENCY_WRITE,
    KHM_SCOPE_USER_READ,
    KHM_SCOPE_USER_WRITE,
    KHM_SCOPE_TOKEN_READ,
    KHM_SCOPE_TOKEN_WRITE,
    KHM_SCOPE_AUDIT_READ, /**< the audit trail: admin, auditor, DPO (issue 6) */
    KHM_SCOPE__COUNT
} khm_scope;

/** "admin" … "auditor"; NULL when out of range. */
const char *khm_role_name(int role);
/** Thai label, e.g. "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล"; NULL when out of range. */
const char *khm_role_label_th(int role);
/** Parse a role name; KHM_EINVALID (message lists the allowed names) when unknown. */
int khm_role_parse(const char *s, int *out);

/** "public" … "top_secret". */
const char *khm_level_name(int level);
/** "เปิดเผย" … "ลับที่สุด". */
const char *khm_level_label_th(int level);
/** Parse an English key or the exact Thai label. */
int khm_level_parse(const char *s, int *out);

/** "public", "self", "agency:read", …; NULL when out of range. */
const char *khm_scope_name(int scope);
/** Bit set of the scopes @p role holds (bit i = scope i). */
uint64_t khm_role_scopes(int role);
/** 1 when @p role holds @p scope. */
int khm_role_has_scope(int role, int scope);

/** Who is calling: filled by khm_auth_bearer(). Strings live in the arena given to it. */
typedef struct {
    khm_user user;
    khm_agency agency;
    khm_token token;
    uint64_t scopes; /**< khm_role_scopes(user.role) */
} khm_principal;

/** "khm_" + 43 base64url characters + NUL. */
#define KHM_TOKEN_PREFIX  "khm_"
#define KHM_TOKEN_STR_LEN 48

/**
 * Authenticate an Authorization header value (@p authz may be NULL when absent).
 * @return 0, or KHM_EAUTH with one of the messages "missing bearer token", "malformed bearer
 *         token", "unknown token", "token expired", "token revoked", "user disabled";
 *         KHM_EUNAVAIL when the store cannot be read.
 */
int khm_auth_bearer(khm_principal *out, khm_store *s, const char *authz, int64_t now, khm_arena *a);

/**
 * A cache of authenticated principals for the request hot path. An entry is used only while
 * the store's change epoch (khm_store_epoch) is the one read before the entry was loaded and it
 * is younger than the TTL, so a revocation or a disabled user — in this process or another —
 * takes effect on the very next request. Expiry is checked against `now` on every hit.
 * Thread-safe (striped locks).
 */
typedef struct khm_authn khm_authn;

/** @param slots entries kept (rounded up to a power of two; 0 = 4096); @param ttl_ms (0 = 30 s) */
int khm_authn_new(khm_authn **out, khm_store *s, size_t slots, int64_t ttl_ms);
/** Free the cache. Accepts NULL. */
void khm_authn_free(khm_authn *c);
/** khm_auth_bearer() through the cache; the principal's strings are copied into @p a. */
int khm_authn_bearer(khm_authn *c, khm_principal *out, const char *authz, int64_t now,
                     khm_arena *a);
/** Hits and misses so far (for tests and metrics). */
void khm_authn_stats(const khm_authn *c, uint64_t *hits, uint64_t *misses);

/** Maximum token lifetime: 10 years. */
#define KHM_TOKEN_MAX_TTL_S 315360000LL
/** Minimum token lifetime: 60 s. */
#define KHM_TOKEN_MIN_TTL_S 60LL

/**
 * Parse a lifetime such as "3600s", "90m", "12h", "30d" or a bare number of seconds.
 * Within [KHM_TOKEN_MIN_TTL_S, KHM_TOKEN_MAX_TTL_S]. 0 or KHM_EINVALID (field "expires").
 */
int khm_token_parse_duration(const char *s, int64_t *seconds);

/** What a caller may ask for when creating a token. */
typedef struct {
    const char *user;       /**< user id or name (required) */
    const char *name;       /**< label; NULL = "api" */
    int64_t expires_in_s;   /**< 0 = not given */
    const char *expires_at; /**< RFC 3339, or NULL */
} khm_token_input;

/** Fill @p in from a JSON body ({user, name, expires_in, expires_at}). 0 or KHM_EINVALID. */
int khm_token_input_from_json(khm_token_input *in, const json_t *body);

/**
 * Validate @p in and create a token for it.
 * @param[out] out     the stored record (strings in @p a)
 * @param[out] secret  the token text, shown once; never stored
 */
int khm_token_create(khm_tx *tx, khm_token *out, char secret[KHM_TOKEN_STR_LEN],
                     const khm_token_input *in, int64_t now, khm_arena *a);

/** What a caller may give when creating a user (all strings; validated by khm_user_create). */
typedef struct {
    const char *name;
    const char *display_name;
    const char *email;
    const char *agency; /**< agency id or slug */
    const char *role;
    const char *clearance; /**< NULL = "internal" */
} khm_user_input;

/** Fill @p in from a JSON body. 0 or KHM_EINVALID naming unknown/mistyped fields. */
int khm_user_input_from_json(khm_user_input *in, const json_t *body);

/** Validate and insert; KHM_EINVALID naming each bad field, KHM_EEXISTS for a taken name. */
int khm_user_create(khm_tx *tx, khm_user *out, const khm_user_input *in, int64_t now, khm_arena *a);

/** Write a user record as a JSON object (the one serializer). */
void khm_user_write_json(khm_jw *w, const khm_user *u);
/** Write a token record as a JSON object, without the secret; @p secret, when not NULL, is
 *  added as "token" (the create response, shown once). */
void khm_token_write_json(khm_jw *w, const khm_token *t, const char *secret);
/** Write the caller's identity: {user, agency, token, scopes} (GET /api/v1/whoami). */
void khm_principal_write_json(khm_jw *w, const khm_principal *p);

/** The user record as a jansson value (new reference). */
json_t *khm_user_to_json(const khm_user *u);
/** The token record as a jansson value, without the secret (new reference). */
json_t *khm_token_to_json(const khm_token *t);

#ifdef __cplusplus
}
#endif
#endif
