/**
 * @file khomun/json.h
 * Strict JSON input over jansson: invalid UTF-8, duplicate keys, trailing data, NUL escapes,
 * excessive depth and oversize documents are rejected with a validation error naming "body".
 * And a declarative object checker that names the field at fault in English and Thai.
 */
#ifndef KHOMUN_JSON_H
#define KHOMUN_JSON_H

#include <jansson.h>
#include <khomun/buf.h>
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

/**
 * One JSON value at the start of @p buf (after whitespace), as json_loadb(buf, len,
 * JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY) gives it — the same values, members in the same
 * order, the last of a repeated key — and in *@p used the bytes it took (whitespace before it
 * included, none after). NULL when it is not a value this parser takes (invalid JSON, a number
 * with a fraction or exponent, an integer of more than 18 digits, \u0000, nesting deeper than
 * 256, no memory): then json_loadb says what it is. About four times as fast as jansson's
 * parser on a catalog file (it copies runs of a string at once, not a character at a time).
 */
json_t *khm_json_load_value(const char *buf, size_t len, size_t *used);

/** json_string() that returns json_null() for NULL. */
json_t *khm_json_str_or_null(const char *s);

/** RFC 3339 time string, or json null when @p ms is 0. */
json_t *khm_json_time(int64_t ms);

/*
 * A streaming JSON writer for hot responses (jansson's build-then-dump costs more than the rest
 * of an authenticated request). Writes compact UTF-8 into a capped khm_buf; commas are placed
 * for you. The first error sticks and is returned by khm_jw_finish().
 */
#define KHM_JW_MAX_DEPTH 32

typedef struct {
    khm_buf *b;
    int err;                           /**< first error (KHM_ELIMIT, KHM_ENOMEM) or 0 */
    int depth;                         /**< open objects/arrays */
    unsigned char n[KHM_JW_MAX_DEPTH]; /**< values written at each depth (0 or 1 is enough) */
    int after_key;                     /**< a key was just written: no comma before the value */
} khm_jw;

/** Start writing into @p b (appends to what is there). */
void khm_jw_init(khm_jw *w, khm_buf *b);
void khm_jw_obj(khm_jw *w);     /**< { */
void khm_jw_obj_end(khm_jw *w); /**< } */
void khm_jw_arr(khm_jw *w);     /**< [ */
void khm_jw_arr_end(khm_jw *w); /**< ] */
/** An object key (escaped). */
void khm_jw_key(khm_jw *w, const char *key);
/** A string value (escaped); NULL writes null. */
void khm_jw_str(khm_jw *w, const char *s);
void khm_jw_int(khm_jw *w, int64_t v);
void khm_jw_bool(khm_jw *w, int v);
void khm_jw_null(khm_jw *w);
/** RFC 3339 time, or null when @p ms is 0. */
void khm_jw_time(khm_jw *w, int64_t ms);
/** Already-serialized JSON @p json written as one value. */
void khm_jw_raw(khm_jw *w, const char *json, size_t n);
/**
 * Already-serialized members of the open object (@p json, @p n bytes: "\"a\":1,\"b\":\"x\"",
 * never empty), preceded by a comma when members came before: constant parts of a hot reply
 * written at once.
 */
void khm_jw_members(khm_jw *w, const char *json, size_t n);
/** 0, or the first error (the buffer then holds a truncated document). */
int khm_jw_finish(khm_jw *w);

/**
 * Run @p write(w, @p rec) into a scratch buffer and return the result as a jansson value (new
 * reference; NULL on error), for callers that need a json_t of a record.
 */
json_t *khm_jw_to_jansson(void (*write)(khm_jw *w, const void *rec), const void *rec);

#ifdef __cplusplus
}
#endif
#endif
