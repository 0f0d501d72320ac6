/**
 * @file khomun/subject.h
 * Data-subject identifiers, one way for the whole PDPA side: consent records, data-subject
 * requests and discovery validate an identifier, bring it to one canonical form and turn it into
 * the same pseudonymous token, so a request's subject is found among the consent records by its
 * token alone (PDPA s.30, thai-rules.md §1.6) and the clear identifier is never stored.
 *
 * Token: HMAC-SHA-256 keyed with the agency's pseudonym key (khm_keys_agency_pseudonym, setup.h)
 * over "<type>:<normalised identifier>", e.g. "tnin:1101000000009", "email:somchai@example.go.th",
 * "phone:0812345678". Tokens of two agencies differ for the same person.
 */
#ifndef KHOMUN_SUBJECT_H
#define KHOMUN_SUBJECT_H

#include <khomun/setup.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of subject identifier. The first three are what the scanner can find in files. */
typedef enum {
    KHM_SUBJECT_TNIN = 0, /**< "tnin" (alias "national_id"): Thai national ID, 13 digits with
                               its mod-11 check digit; dashes and spaces dropped */
    KHM_SUBJECT_EMAIL,    /**< "email": one '@', a dotted domain, compared in lower case */
    KHM_SUBJECT_PHONE,    /**< "phone": a Thai number 0XXXXXXXX(X); +66 / 66 is the leading 0 */
    KHM_SUBJECT_OTHER,    /**< "other": any other identifier, as given (trimmed) */
    KHM_SUBJECT__COUNT
} khm_subject_type;

/** Identifier types the scanner detects (discovery and requests take only these). */
#define KHM_SUBJECT_SCANNABLE KHM_SUBJECT_OTHER

/** Longest identifier accepted, in bytes (after trimming). */
#define KHM_SUBJECT_ID_MAX 256
/** Room for khm_subject_canonical()'s output: "<type>:" + the identifier + NUL. */
#define KHM_SUBJECT_CANON_LEN (KHM_SUBJECT_ID_MAX + 16)
/** Bytes of a subject token in hex: 64 digits and the NUL. */
#define KHM_SUBJECT_TOKEN_LEN 65

/** "tnin", "email", "phone", "other"; NULL out of range. */
const char *khm_subject_type_name(int type);
/** Parse a subject type ("national_id" is accepted for "tnin"); KHM_EINVALID naming @p field. */
int khm_subject_type_parse(const char *s, const char *field, int *out);

/**
 * "<type>:<normalised>" of identifier @p id in @p buf (≥ KHM_SUBJECT_CANON_LEN bytes).
 * @return its length; KHM_EINVALID naming @p field in Thai and English when @p id is not an
 *         identifier of @p type (the message never quotes it: it is the personal data itself).
 */
int khm_subject_canonical(char *buf, size_t cap, int type, const char *id, const char *field);

/** The normalised identifier alone (no "<type>:") in @p out (≥ KHM_SUBJECT_CANON_LEN bytes):
 *  0, or -1 when @p value is not an identifier of @p type. Sets no error: for comparing what a
 *  scan found. */
int khm_subject_normalise(char *out, size_t cap, int type, const char *value);

/** HMAC-SHA-256 with one agency's key, pads absorbed once: no allocation per token. */
typedef struct {
    uint64_t state[2][16]; /**< inner and outer hash states (opaque) */
} khm_pseudonymizer;

/** Prepare @p p for @p key (32 bytes: khm_keys_agency_pseudonym()). */
void khm_pseudonymizer_init(khm_pseudonymizer *p, const unsigned char key[32]);

/** HMAC-SHA-256 of @p n bytes at @p msg with @p p's key. */
void khm_pseudonymizer_mac(const khm_pseudonymizer *p, const void *msg, size_t n,
                           unsigned char out[32]);

/**
 * The token of the subject @p identifier of @p type: khm_subject_canonical(), then its HMAC.
 * KHM_EINVALID naming @p field.
 */
int khm_consent_subject_token(const khm_pseudonymizer *p, int type, const char *identifier,
                              const char *field, unsigned char out[32]);

/** The same token in hex, keyed for agency @p agency_id from @p keys. KHM_EINVALID naming
 *  @p field. */
int khm_subject_token(char out[KHM_SUBJECT_TOKEN_LEN], const khm_keys *keys, const char *agency_id,
                      int type, const char *value, const char *field);

#ifdef __cplusplus
}
#endif

#endif
