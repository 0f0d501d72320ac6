/* access_internal.h — shared by the access module's files: the steps of bearer
 * authentication, which the uncached khm_auth_bearer() and the cache (authn.c) both use. */
#ifndef KHM_ACCESS_INTERNAL_H
#define KHM_ACCESS_INTERNAL_H

#include <khomun/access.h>

#include <stdint.h>

/* Check the header's shape and hash the token: 0 or KHM_EAUTH. */
int khm_access__parse_bearer(const char *authz, char hash_hex[65]);
/* The same, the hash as 32 bytes (the authentication cache's key: no hex round trip). */
int khm_access__bearer_hash(const char *authz, uint8_t hash[32]);

/* The token with that hash, its user and agency, from the store (scopes filled). */
int khm_access__lookup(khm_principal *out, khm_store *s, const char hash_hex[65], khm_arena *a);

/* Revoked, expired or disabled at @p now → KHM_EAUTH naming which. */
int khm_access__check(const khm_principal *p, int64_t now);

#endif
