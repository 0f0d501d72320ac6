/**
 * @file khomun/rand.h
 * Random bytes (libsodium's CSPRNG) and time-sortable identifiers (UUIDv7, RFC 9562).
 */
#ifndef KHOMUN_RAND_H
#define KHOMUN_RAND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of a UUID string including the NUL. */
#define KHM_ID_LEN 37

/** Fill @p out with @p n cryptographically random bytes. */
void khm_rand_bytes(void *out, size_t n);

/**
 * A new UUIDv7 "0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e": 48-bit ms timestamp, then random bits,
 * monotonic within a process (ids made in the same millisecond still sort in creation order).
 */
void khm_id_new(char out[KHM_ID_LEN]);

/** 1 when @p s[0..n) is a canonical lower-case UUID string. */
int khm_id_valid(const char *s, size_t n);

/** Milliseconds encoded in a UUIDv7 string, or -1 when it is not one. */
int64_t khm_id_time_ms(const char *s);

#ifdef __cplusplus
}
#endif
#endif
