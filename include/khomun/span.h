/**
 * @file khomun/span.h
 * Borrowed byte ranges (ptr, len) that are never assumed to be NUL-terminated.
 */
#ifndef KHOMUN_SPAN_H
#define KHOMUN_SPAN_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A borrowed range of bytes. */
typedef struct {
    const char *ptr; /**< first byte; may be NULL when len is 0 */
    size_t len;      /**< bytes */
} khm_span;

/** A span over a string literal. */
#define KHM_SPAN_LIT(s) ((khm_span){ (s), sizeof(s) - 1 })

/** A span over a NUL-terminated string (NULL gives an empty span). */
static inline khm_span khm_span_cstr(const char *s)
{
    khm_span sp = { s, s ? strlen(s) : 0 };
    return sp;
}

/** 1 when the spans hold the same bytes. */
static inline int khm_span_eq(khm_span a, khm_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/** 1 when @p a equals the NUL-terminated @p s. */
static inline int khm_span_eq_cstr(khm_span a, const char *s)
{
    return khm_span_eq(a, khm_span_cstr(s));
}

/** 1 when @p a starts with @p prefix. */
static inline int khm_span_starts(khm_span a, khm_span prefix)
{
    return a.len >= prefix.len && (prefix.len == 0 || memcmp(a.ptr, prefix.ptr, prefix.len) == 0);
}

#ifdef __cplusplus
}
#endif
#endif
