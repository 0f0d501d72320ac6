/**
 * @file khomun/hash.h
 * SHA-256, hex and base64url encodings, constant-time comparison.
 */
#ifndef KHOMUN_HASH_H
#define KHOMUN_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KHM_SHA256_LEN 32

/** SHA-256 of @p p[0..n) (OpenSSL: SHA-NI where the CPU has it). */
void khm_sha256(uint8_t out[KHM_SHA256_LEN], const void *p, size_t n);

/** SHA-256 of @p a[0..na) followed by @p b[0..nb), without copying them together. */
void khm_sha256_2(uint8_t out[KHM_SHA256_LEN], const void *a, size_t na, const void *b, size_t nb);

/** Lower-case hex of @p n bytes into @p out (2n+1 bytes, NUL-terminated). */
void khm_hex_encode(char *out, const uint8_t *p, size_t n);

/** Decode 2n hex digits into @p out (n bytes). 0, or KHM_EINVALID. */
int khm_hex_decode(uint8_t *out, size_t n, const char *hex, size_t hex_len);

/** Bytes needed for the unpadded base64url text of @p n bytes (with NUL). */
#define KHM_B64URL_LEN(n) ((((n) + 2) / 3) * 4 + 1)

/** Unpadded base64url of @p n bytes into @p out; returns the text length. */
size_t khm_b64url_encode(char *out, size_t cap, const uint8_t *p, size_t n);

/** Decode unpadded base64url; returns bytes written or a negative KHM_E* code. */
int khm_b64url_decode(uint8_t *out, size_t cap, const char *s, size_t n);

/** 1 when the @p n bytes at @p a and @p b are equal; time does not depend on the contents. */
int khm_ct_equal(const void *a, const void *b, size_t n);

#ifdef __cplusplus
}
#endif
#endif
