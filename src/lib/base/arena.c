/* Arenas for request- and run-scoped memory (nginx ngx_pool_t, h2o h2o_mem_pool_t): bump
 * allocation in blocks, cleanups run last-first at free. With KHM_ARENA_DEBUG every allocation
 * is its own malloc so ASan/valgrind see overflows. */
#include <khomun/arena.h>

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ALIGN 16

struct block {
    struct block *next;
    size_t cap;  /* usable bytes in data[] */
    size_t used; /* bytes handed out */
    _Alignas(ALIGN) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *payload;
};

struct khm_arena {
    struct block *head; /* current block first */
    struct cleanup *cleanups;
    size_t block_size;
    size_t used; /* total bytes handed out */
};

khm_arena *khm_arena_new(size_t block_size)
{
    khm_arena *a = khm_calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->block_size = block_size ? block_size : 16 * 1024;
    return a;
}

void khm_arena_free(khm_arena *a)
{
    if (!a)
        return;
    while (a->cleanups) {
        struct cleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->payload);
    }
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        khm_free(b);
        b = next;
    }
    khm_free(a);
}

void *khm_arena_alloc(khm_arena *a, size_t n)
{
    if (!a)
        return NULL;
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        return NULL;
    size_t rounded = (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
#ifdef KHM_ARENA_DEBUG
    /* every allocation is its own exact-size block, never bumped into */
    struct block *d = khm_malloc(sizeof(struct block) + n);
    if (!d)
        return NULL;
    d->cap = n;
    d->used = n;
    d->next = a->head;
    a->head = d;
    a->used += n;
    (void)rounded;
    return d->data;
#else
    struct block *b = a->head;
    if (!b || b->cap - b->used < rounded) {
        size_t cap = rounded > a->block_size ? rounded : a->block_size;
        struct block *nb = khm_malloc(sizeof(struct block) + cap);
        if (!nb)
            return NULL;
        nb->cap = cap;
        nb->used = 0;
        if (b && rounded > a->block_size) {
            /* a big one-off: keep the current block as the bump target */
            nb->next = b->next;
            b->next = nb;
            nb->used = rounded;
            a->used += n;
            return nb->data;
        }
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    a->used += n;
    return p;
#endif
}

void *khm_arena_calloc(khm_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = khm_arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *khm_arena_strndup(khm_arena *a, const char *p, size_t n)
{
    char *d = khm_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

char *khm_arena_strdup(khm_arena *a, const char *s)
{
    return s ? khm_arena_strndup(a, s, strlen(s)) : NULL;
}

char *khm_arena_vprintf(khm_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *d = khm_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *khm_arena_printf(khm_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = khm_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

int khm_arena_on_free(khm_arena *a, void (*fn)(void *payload), void *payload)
{
    struct cleanup *c = khm_arena_alloc(a, sizeof(*c));
    if (!c) {
        fn(payload);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    c->fn = fn;
    c->payload = payload;
    c->next = a->cleanups;
    a->cleanups = c;
    return 0;
}

size_t khm_arena_used(const khm_arena *a)
{
    return a ? a->used : 0;
}
