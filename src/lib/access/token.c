/* API tokens: "khm_" + 32 random bytes in unpadded base64url. Only the SHA-256 of the whole
 * token text is stored; a lookup is by that hash, and the stored hash is compared again in
 * constant time before the token is trusted. Expiry and revocation are checked on every
 * request, so they take effect on the next one. */
#include <khomun/access.h>

#include "access_internal.h"

#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/json.h>
#include <khomun/rand.h>
#include <khomun/time.h>
#include <khomun/utf8.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SECRET_BYTES 32
#define B64_LEN      43 /* unpadded base64url of 32 bytes */

static void token_hash_hex(char out[65], const char *token, size_t n)
{
    uint8_t h[KHM_SHA256_LEN];
    khm_sha256(h, token, n);
    khm_hex_encode(out, h, sizeof(h));
}

static int b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

int khm_access__bearer_hash(const char *authz, uint8_t hash[32])
{
    if (!authz || !*authz)
        return khm_err_set(KHM_EAUTH, "missing bearer token");
    /* RFC 7235: the scheme is case-insensitive; one or more spaces before the credentials */
    if (strncasecmp(authz, "Bearer", 6) != 0 || authz[6] != ' ')
        return khm_err_set(KHM_EAUTH, "malformed bearer token");
    const char *tok = authz + 6;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
        n--;
    if (n != sizeof(KHM_TOKEN_PREFIX) - 1 + B64_LEN ||
        memcmp(tok, KHM_TOKEN_PREFIX, sizeof(KHM_TOKEN_PREFIX) - 1) != 0)
        return khm_err_set(KHM_EAUTH, "malformed bearer token");
    for (size_t i = sizeof(KHM_TOKEN_PREFIX) - 1; i < n; i++)
        if (!b64url_char(tok[i]))
            return khm_err_set(KHM_EAUTH, "malformed bearer token");
    khm_sha256(hash, tok, n);
    return 0;
}

int khm_access__parse_bearer(const char *authz, char hash_hex[65])
{
    uint8_t h[KHM_SHA256_LEN];
    int rc = khm_access__bearer_hash(authz, h);
    if (rc == 0)
        khm_hex_encode(hash_hex, h, sizeof(h));
    return rc;
}

int khm_access__lookup(khm_principal *out, khm_store *s, const char hash_hex[65], khm_arena *a)
{
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, s, 0);
    if (rc < 0)
        return khm_err_set(KHM_EUNAVAIL, "store unavailable: %s", khm_err_last()->message);
    rc = khm_store_token_principal(tx, hash_hex, &out->token, &out->user, &out->agency, a);
    khm_tx_rollback(tx); /* read-only: nothing to commit */
    if (rc == KHM_ENOTFOUND)
        return khm_err_set(KHM_EAUTH, "unknown token");
    if (rc < 0)
        return rc == KHM_ENOMEM
                   ? rc
                   : khm_err_set(KHM_EUNAVAIL, "store unavailable: %s", khm_err_last()->message);
    /* the index found it; confirm the bytes without a data-dependent early exit */
    if (!khm_ct_equal(hash_hex, out->token.hash_hex, 64))
        return khm_err_set(KHM_EAUTH, "unknown token");
    out->scopes = khm_role_scopes(out->user.role);
    return 0;
}

int khm_access__check(const khm_principal *p, int64_t now)
{
    if (p->token.revoked_at && p->token.revoked_at <= now)
        return khm_err_set(KHM_EAUTH, "token revoked");
    if (p->token.expires_at && p->token.expires_at <= now)
        return khm_err_set(KHM_EAUTH, "token expired");
    if (p->user.disabled)
        return khm_err_set(KHM_EAUTH, "user disabled");
    return 0;
}

int khm_auth_bearer(khm_principal *out, khm_store *s, const char *authz, int64_t now, khm_arena *a)
{
    char hash[65];
    int rc;
    if ((rc = khm_access__parse_bearer(authz, hash)) < 0 ||
        (rc = khm_access__lookup(out, s, hash, a)) < 0)
        return rc;
    return khm_access__check(out, now);
}

int khm_token_parse_duration(const char *s, int64_t *seconds)
{
    static const char *th = "อายุของโทเค็นไม่ถูกต้อง";
    if (!s || !*s)
        return khm_err_field("expires", th, "empty duration");
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || end == s || errno || v <= 0) /* no " 60", "+60" */
        return khm_err_field("expires", th, "'%s' is not a duration (e.g. 3600s, 90m, 12h, 30d)",
                             s);
    int64_t mul = 1;
    if (*end) {
        switch (*end) {
        case 's':
            mul = 1;
            break;
        case 'm':
            mul = 60;
            break;
        case 'h':
            mul = 3600;
            break;
        case 'd':
            mul = 86400;
            break;
        default:
            return khm_err_field("expires", th, "unknown unit in '%s' (use s, m, h or d)", s);
        }
        if (end[1] != '\0')
            return khm_err_field("expires", th, "trailing characters in '%s'", s);
    }
    if (v > KHM_TOKEN_MAX_TTL_S / mul || v * mul < KHM_TOKEN_MIN_TTL_S)
        return khm_err_field("expires", th, "must be between %lld seconds and 10 years",
                             (long long)KHM_TOKEN_MIN_TTL_S);
    *seconds = v * mul;
    return 0;
}

static const khm_json_field token_fields[] = {
    { "user", KHM_JSON_STRING, 1, 100, "ผู้ใช้", 0 },
    { "name", KHM_JSON_STRING, 0, 100, "ชื่อโทเค็น", 1 },
    { "expires_in", KHM_JSON_INTEGER, 0, 0, "อายุของโทเค็น (วินาที)", 1 },
    { "expires_at", KHM_JSON_STRING, 0, 40, "วันหมดอายุของโทเค็น", 1 },
    { NULL },
};

int khm_token_input_from_json(khm_token_input *in, const json_t *body)
{
    memset(in, 0, sizeof(*in));
    int rc = khm_json_check(body, token_fields);
    if (rc < 0)
        return rc;
    in->user = khm_json_str(body, "user");
    in->name = khm_json_str(body, "name");
    in->expires_at = khm_json_str(body, "expires_at");
    json_t *ei = json_object_get(body, "expires_in");
    if (json_is_integer(ei)) {
        json_int_t v = json_integer_value(ei);
        if (v < KHM_TOKEN_MIN_TTL_S || v > KHM_TOKEN_MAX_TTL_S)
            return khm_err_field("expires_in", "อายุของโทเค็นต้องอยู่ระหว่าง 60 วินาทีถึง 10 ปี",
                                 "must be between 60 and 315360000 seconds");
        in->expires_in_s = v;
    }
    return 0;
}

int khm_token_create(khm_tx *tx, khm_token *out, char secret[KHM_TOKEN_STR_LEN],
                     const khm_token_input *in, int64_t now, khm_arena *a)
{
    khm_user user;
    int64_t expires_at = 0;
    int rc;

    khm_err_clear(); /* field errors below must not join those of an earlier call */
    if (in->expires_in_s && in->expires_at)
        return khm_err_field("expires_at", "ระบุได้อย่างใดอย่างหนึ่ง: expires_in หรือ expires_at",
                             "give expires_in or expires_at, not both");
    if (in->expires_in_s) {
        if (in->expires_in_s < KHM_TOKEN_MIN_TTL_S || in->expires_in_s > KHM_TOKEN_MAX_TTL_S)
            return khm_err_field("expires_in", "อายุของโทเค็นต้องอยู่ระหว่าง 60 วินาทีถึง 10 ปี",
                                 "must be between 60 and 315360000 seconds");
        expires_at = now + in->expires_in_s * 1000;
    } else if (in->expires_at) {
        if (khm_time_parse(&expires_at, in->expires_at, strlen(in->expires_at)) < 0)
            return khm_err_field("expires_at", "วันหมดอายุต้องอยู่ในรูปแบบ RFC 3339", "%s",
                                 khm_err_last()->message);
        if (expires_at <= now + KHM_TOKEN_MIN_TTL_S * 1000 ||
            expires_at > now + KHM_TOKEN_MAX_TTL_S * 1000)
            return khm_err_field("expires_at", "วันหมดอายุต้องอยู่ในอนาคต (อย่างน้อย 60 วินาที)",
                                 "must be at least 60 seconds and at most 10 years in the future");
    }
    const char *name = in->name ? in->name : "api";
    size_t name_len = khm_utf8_length(name, strlen(name));
    if (name_len == 0 || name_len > 100)
        return khm_err_field("name", "ชื่อโทเค็นต้องมี 1–100 ตัวอักษร", "must be 1-100 characters");
    if (!in->user || !*in->user)
        return khm_err_field("user", "ต้องระบุผู้ใช้", "is required");
    rc = khm_store_user_get(tx, &user, in->user, a);
    if (rc == KHM_ENOTFOUND)
        return khm_err_field("user", "ไม่พบผู้ใช้นี้", "unknown user '%s'", in->user);
    if (rc < 0)
        return rc;

    uint8_t raw[SECRET_BYTES];
    khm_rand_bytes(raw, sizeof(raw));
    memcpy(secret, KHM_TOKEN_PREFIX, sizeof(KHM_TOKEN_PREFIX) - 1);
    khm_b64url_encode(secret + sizeof(KHM_TOKEN_PREFIX) - 1,
                      KHM_TOKEN_STR_LEN - (sizeof(KHM_TOKEN_PREFIX) - 1), raw, sizeof(raw));
    memset(raw, 0, sizeof(raw));

    memset(out, 0, sizeof(*out));
    khm_id_new(out->id);
    memcpy(out->user_id, user.id, KHM_ID_LEN);
    out->name = khm_arena_strdup(a, name);
    token_hash_hex(out->hash_hex, secret, strlen(secret));
    out->created_at = now;
    out->expires_at = expires_at;
    if (!out->name)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return khm_store_token_insert(tx, out);
}

void khm_token_write_json(khm_jw *w, const khm_token *t, const char *secret)
{
    khm_jw_obj(w);
    khm_jw_key(w, "id");
    khm_jw_str(w, t->id);
    khm_jw_key(w, "user_id");
    khm_jw_str(w, t->user_id);
    khm_jw_key(w, "name");
    khm_jw_str(w, t->name ? t->name : "");
    khm_jw_key(w, "created_at");
    khm_jw_time(w, t->created_at);
    khm_jw_key(w, "expires_at");
    khm_jw_time(w, t->expires_at);
    khm_jw_key(w, "revoked_at");
    khm_jw_time(w, t->revoked_at);
    if (secret) {
        khm_jw_key(w, "token");
        khm_jw_str(w, secret);
    }
    khm_jw_obj_end(w);
}

static void write_token(khm_jw *w, const void *rec)
{
    khm_token_write_json(w, rec, NULL);
}

json_t *khm_token_to_json(const khm_token *t)
{
    return khm_jw_to_jansson(write_token, t);
}
