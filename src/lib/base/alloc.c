/* The one allocator: thin wrappers over malloc with a single hook for fault injection, so tests
 * can fail the N-th allocation and check that every caller cleans up and reports KHM_ENOMEM. */
#include <khomun/alloc.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_size_t fail_at; /* 0 = off; else fail when counter reaches it */
static atomic_size_t counter; /* allocations since the last khm_alloc_fail_after() */

static int should_fail(void)
{
    size_t c = atomic_fetch_add(&counter, 1) + 1;
    size_t f = atomic_load(&fail_at);
    return f != 0 && c >= f;
}

void *khm_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *khm_calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *khm_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void khm_free(void *p)
{
    free(p);
}

char *khm_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = khm_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

size_t khm_alloc_fail_after(size_t n)
{
    size_t prev = atomic_exchange(&counter, 0);
    atomic_store(&fail_at, n);
    return prev;
}
