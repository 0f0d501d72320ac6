/**
 * @file khomun/json.h
 * Strict JSON input over jansson: invalid UTF-8, duplicate keys, trailing data, NUL escapes,
 * excessive depth and oversize documents are rejected with a validation error naming "body".
 * And a declarative object checker that names the field at fault in English and Thai.
 */
#ifndef KHOMUN_JSON_H
#define KHOMUN_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Default limits: 1 MiB, depth 64. */
#define KHM_JSON_MAX_BYTES (1024 * 1024)
#define KHM_JSON_MAX_DEPTH 64

/**
 * Parse one JSON document from @p p[0..n).
 * @param[out] out  new reference; release with json_decref()
 * @param max_bytes 0 = KHM_JSON_MAX_BYTES;  @param max_depth 0 = KHM_JSON_MAX_DEPTH
 * @return 0, KHM_EINVALID (field "body", with line/column), or KHM_ELIMIT (over max_bytes).
 */
int khm_json_parse(json_t **out, const char *p, size_t n, size_t max_bytes, int max_depth);

/** Kinds a field may have. */
typedef enum {
    KHM_JSON_STRING = 1,
    KHM_JSON_INTEGER,
    KHM_JSON_BOOLEAN,
    KHM_JSON_OBJECT,
    KHM_JSON_ARRAY,
    KHM_JSON_NUMBER
} khm_json_kind;

/** One allowed member of an object (a row of a field table; end the table with {NULL}). */
typedef struct {
    const char *name;     /**< member name */
    khm_json_kind kind;   /**< required kind */
    int required;         /**< 1 when it must be present (and, for strings, non-empty) */
    size_t max_len;       /**< strings: max code points (0 = 10000); ignored otherwise */
    const char *label_th; /**< Thai label used in messages, e.g. "ชื่อหน่วยงาน (ภาษาไทย)" */
    int nullable;         /**< 1 when JSON null is accepted for an optional member */
} khm_json_field;

/**
 * Check that @p obj is an object whose members are all in @p fields, of the right kind and
 * length, with every required one present. Adds one field error per problem (unknown member,
 * wrong type, missing, too long, empty).
 * @return 0 or KHM_EINVALID.
 */
int khm_json_check(const json_t *obj, const khm_json_field *fields);

/** String member or NULL when absent/null (borrowed from @p obj). */
const char *khm_json_str(const json_t *obj, const char *key);

/** Serialize compactly (UTF-8, no escapes for non-ASCII); free with khm_free(). NULL on OOM. */
char *khm_json_dump(const json_t *v, size_t *len);

/** json_string() that returns json_null() for NULL. */
json_t *khm_json_str_or_null(const char *s);

/** RFC 3339 time string, or json null when @p ms is 0. */
json_t *khm_json_time(int64_t ms);

#ifdef __cplusplus
}
#endif
#endif
