/* gazetteer.h — Thailand's provinces, districts and sub-districts with their postcodes
 * (data/gazetteer/th-subdistricts.tsv, embedded at build time), for the LOCATION detector. The
 * index is built at first use (pthread_once); then every call is read-only and thread-safe, and
 * none allocates. Not installed. */
#ifndef KHM_SCAN_GAZETTEER_H
#define KHM_SCAN_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of names. */
enum { KHM_GZ_PROVINCE = 0, KHM_GZ_DISTRICT = 1, KHM_GZ_SUBDISTRICT = 2, KHM_GZ_KINDS = 3 };

/* A district id that stands for "the Mueang (capital) district of the province" (อ.เมือง). */
#define KHM_GZ_MUEANG (-2)

/* A name of kind k that is a prefix of some text: its length in bytes and its id. */
typedef struct {
    size_t len;
    int id;
} khm_gz_hit;

/* Number of rows (sub-district, postcode pairs); 0 when the index could not be built. */
size_t khm_gz_rows(void);
/* Number of distinct names of kind @p kind. */
size_t khm_gz_names(int kind);
/* Name @p id of kind @p kind (not NUL-terminated; *len set), or NULL. */
const char *khm_gz_name(int kind, int id, size_t *len);
/* Id of the name s[0..n) of kind @p kind, or -1. */
int khm_gz_find(int kind, const char *s, size_t n);
/*
 * Names of kind @p kind that are prefixes of s[0..n), ending at a UTF-8 character boundary,
 * longest first: up to @p max of them in out[]; returns how many.
 */
size_t khm_gz_prefixes(int kind, const unsigned char *s, size_t n, khm_gz_hit *out, size_t max);
/*
 * 1 when some row agrees with every given part: province, district (or KHM_GZ_MUEANG) and
 * sub-district ids, -1 for a part not given; postcode 0 for none given.
 */
int khm_gz_consistent(int prov, int dist, int sub, uint32_t postcode);
/* 1 when some row has @p postcode. */
int khm_gz_postcode_known(uint32_t postcode);

#endif
