/**
 * @file khomun/arena.h
 * Request- and run-scoped memory: many allocations, one free, cleanups run LIFO.
 *
 * Build with -DKHM_ARENA_DEBUG to pass every allocation through to malloc so that ASan and
 * valgrind see each overflow.
 */
#ifndef KHOMUN_ARENA_H
#define KHOMUN_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct khm_arena khm_arena;

/**
 * New arena whose blocks are at least @p block_size bytes (0 = 16 KiB).
 * @return the arena, or NULL when out of memory; free with khm_arena_free().
 */
khm_arena *khm_arena_new(size_t block_size);

/** Run cleanups (last registered first), then release all memory. Accepts NULL. */
void khm_arena_free(khm_arena *a);

/** @p n bytes aligned to 16, valid until khm_arena_free(); NULL when out of memory. */
void *khm_arena_alloc(khm_arena *a, size_t n);

/** Zeroed allocation of @p n * @p size bytes (overflow-checked). */
void *khm_arena_calloc(khm_arena *a, size_t n, size_t size);

/** Copy of @p s (NULL gives NULL). */
char *khm_arena_strdup(khm_arena *a, const char *s);

/** NUL-terminated copy of @p n bytes at @p p. */
char *khm_arena_strndup(khm_arena *a, const char *p, size_t n);

/** printf into the arena. */
char *khm_arena_printf(khm_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** vprintf into the arena. */
char *khm_arena_vprintf(khm_arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/**
 * Register @p fn(@p payload) to run at khm_arena_free() (like ngx_pool_cleanup_add).
 * @return 0, or KHM_ENOMEM (then @p fn is called at once, so nothing leaks).
 */
int khm_arena_on_free(khm_arena *a, void (*fn)(void *payload), void *payload);

/** Bytes handed out so far (for tests and limits). */
size_t khm_arena_used(const khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
