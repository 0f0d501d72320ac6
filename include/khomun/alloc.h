/**
 * @file khomun/alloc.h
 * The one allocator of libkhomun, with a fault-injection hook for tests.
 */
#ifndef KHOMUN_ALLOC_H
#define KHOMUN_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** malloc that may be made to fail by khm_alloc_fail_after(); NULL on failure. */
void *khm_malloc(size_t n);
/** calloc counterpart of khm_malloc(); checks n * size for overflow. */
void *khm_calloc(size_t n, size_t size);
/** realloc counterpart of khm_malloc(). */
void *khm_realloc(void *p, size_t n);
/** free; accepts NULL. */
void khm_free(void *p);
/** strdup through khm_malloc; NULL on failure or NULL input. */
char *khm_strdup(const char *s);

/**
 * Test hook: make the @p n-th allocation from now fail (1 = the next one) and every one after
 * it until reset; 0 turns failure injection off. Returns the number of allocations since the
 * previous call.
 */
size_t khm_alloc_fail_after(size_t n);

#ifdef __cplusplus
}
#endif
#endif
