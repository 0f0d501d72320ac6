/* The authentication cache: SHA-256(token) → the principal the store returned for it. Direct-
 * mapped (one entry per slot; a collision just replaces), with striped read-write locks: every
 * request of one token lands on the same slot, so hits take the lock shared and never wait on
 * each other (a mutex there made the request threads queue behind one another). Correctness
 * rests on the store's change epoch: read the epoch, then the store; keep both; trust the entry
 * only while the epoch is unchanged. Writers advance the epoch after they commit, so a reader
 * that loaded old rows can never keep them under a new epoch. Only valid principals are kept:
 * unknown, revoked and disabled tokens go to the store every time, and expiry is re-checked on
 * every hit. A store whose epoch is not shared across processes (PostgreSQL: other servers
 * write too) is never cached from: every request looks the token up.
 *
 * OPTIMIZATION: each thread also keeps the last principal it was given, under the same rules
 * (the entry's epoch and load time, the full hash compared): one agency system's token is most
 * of the traffic, and a hit there takes no lock and writes no line another core reads (the
 * shared lock's count and the hit counter bounced between the request threads on every
 * request). Hits are counted per thread group, summed by khm_authn_stats. */
#include <khomun/access.h>

#include "access_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define STRIPES 64

typedef struct {
    uint8_t key[KHM_SHA256_LEN]; /* SHA-256 of the token text */
    uint64_t epoch;              /* store epoch read before the entry was loaded */
    int64_t loaded_at;           /* ms; entries older than ttl_ms are reloaded */
    int used;
    khm_principal p; /* strings point into blob */
    char *blob;      /* owned */
} entry;

#define COUNTERS 8 /* hit counters, one cache line each; a thread uses one */

typedef struct {
    atomic_uint_fast64_t hits, misses;
    char pad[64 - 2 * sizeof(atomic_uint_fast64_t)];
} counter;

struct khm_authn {
    khm_store *store;
    size_t mask; /* slots - 1 */
    int64_t ttl_ms;
    uint64_t id; /* unique in the process: a thread's entry names the cache it came from */
    entry *slots;
    pthread_rwlock_t locks[STRIPES];
    _Alignas(64) counter counters[COUNTERS];
};

/* The thread's last principal: an entry of the cache with id @c owner. */
typedef struct {
    uint64_t owner; /* 0: empty */
    entry e;
} thread_entry;

static atomic_uint_fast64_t next_id = 1, next_thread = 0;
static pthread_key_t thread_key;
static int thread_key_ok;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static _Thread_local unsigned thread_counter = COUNTERS; /* COUNTERS: not chosen yet */

static void thread_entry_free(void *v)
{
    thread_entry *t = v;
    if (t)
        khm_free(t->e.blob);
    khm_free(t);
}

static void thread_key_make(void)
{
    thread_key_ok = pthread_key_create(&thread_key, thread_entry_free) == 0;
}

static counter *my_counter(khm_authn *c)
{
    if (thread_counter >= COUNTERS)
        thread_counter = (unsigned)(atomic_fetch_add(&next_thread, 1) % COUNTERS);
    return &c->counters[thread_counter];
}

/* The calling thread's entry (made on first use), or NULL when none can be had. */
static thread_entry *my_entry(void)
{
    pthread_once(&thread_once, thread_key_make);
    if (!thread_key_ok)
        return NULL;
    thread_entry *t = pthread_getspecific(thread_key);
    if (!t && (t = khm_calloc(1, sizeof(*t))) && pthread_setspecific(thread_key, t) != 0) {
        khm_free(t);
        t = NULL;
    }
    return t;
}

int khm_authn_new(khm_authn **out, khm_store *s, size_t slots, int64_t ttl_ms)
{
    size_t n = 1;
    slots = slots ? slots : 4096;
    while (n < slots && n < ((size_t)1 << 24))
        n <<= 1;
    khm_authn *c = khm_calloc(1, sizeof(*c));
    if (!c)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    c->slots = khm_calloc(n, sizeof(entry));
    if (!c->slots) {
        khm_free(c);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    c->store = s;
    c->mask = n - 1;
    c->ttl_ms = ttl_ms > 0 ? ttl_ms : 30000;
    c->id = atomic_fetch_add(&next_id, 1);
    for (int i = 0; i < STRIPES; i++)
        pthread_rwlock_init(&c->locks[i], NULL);
    *out = c;
    return 0;
}

void khm_authn_free(khm_authn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i <= c->mask; i++)
        khm_free(c->slots[i].blob);
    /* this thread's entry goes now (other threads' go when they end, or are replaced) */
    thread_entry *t = thread_key_ok ? pthread_getspecific(thread_key) : NULL;
    if (t && t->owner == c->id) {
        khm_free(t->e.blob);
        memset(t, 0, sizeof(*t));
    }
    for (int i = 0; i < STRIPES; i++)
        pthread_rwlock_destroy(&c->locks[i]);
    khm_free(c->slots);
    khm_free(c);
}

void khm_authn_stats(const khm_authn *c, uint64_t *hits, uint64_t *misses)
{
    *hits = *misses = 0;
    for (int i = 0; i < COUNTERS; i++) {
        *hits += atomic_load(&c->counters[i].hits);
        *misses += atomic_load(&c->counters[i].misses);
    }
}

/* The strings of a principal, in a fixed order, for copying in and out of a blob. */
#define NSTR 8
static void strings(khm_principal *p, const char **v[NSTR])
{
    v[0] = &p->user.name;
    v[1] = &p->user.display_name;
    v[2] = &p->user.email;
    v[3] = &p->agency.slug;
    v[4] = &p->agency.name_th;
    v[5] = &p->agency.name_en;
    v[6] = &p->token.name;
    v[7] = NULL;
}

/* Copy @p src into @p dst with every string in one block (@p a, or khm_malloc when a is NULL). */
static int copy_principal(khm_principal *dst, const khm_principal *src, khm_arena *a,
                          char **blob_out)
{
    const char **sv[NSTR], **dv[NSTR];
    size_t total = 0;
    *dst = *src;
    strings((khm_principal *)(uintptr_t)src, sv);
    strings(dst, dv);
    for (int i = 0; sv[i]; i++)
        total += *sv[i] ? strlen(*sv[i]) + 1 : 0;
    char *blob = a ? khm_arena_alloc(a, total ? total : 1) : khm_malloc(total ? total : 1);
    if (!blob)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    char *p = blob;
    for (int i = 0; sv[i]; i++) {
        if (!*sv[i]) {
            *dv[i] = NULL;
            continue;
        }
        size_t n = strlen(*sv[i]) + 1;
        memcpy(p, *sv[i], n);
        *dv[i] = p;
        p += n;
    }
    if (blob_out)
        *blob_out = blob;
    return 0;
}

/* Whether @p e holds the principal of @p key and may still be trusted (same store epoch, not
 * older than the TTL). */
static int fresh(const khm_authn *c, const entry *e, const uint8_t key[KHM_SHA256_LEN],
                 uint64_t epoch, int64_t now)
{
    return e->used && e->epoch == epoch && now - e->loaded_at < c->ttl_ms && now >= e->loaded_at &&
           khm_ct_equal(e->key, key, KHM_SHA256_LEN);
}

/* Make @p p (loaded at @p loaded_at under @p epoch) the thread's entry; on failure the thread
 * just has none. */
static void keep_thread(const khm_authn *c, thread_entry *t, const uint8_t key[KHM_SHA256_LEN],
                        uint64_t epoch, int64_t loaded_at, const khm_principal *p)
{
    khm_principal copy;
    char *blob;
    khm_free(t->e.blob);
    memset(t, 0, sizeof(*t));
    if (copy_principal(&copy, p, NULL, &blob) < 0) {
        khm_err_clear();
        return;
    }
    memcpy(t->e.key, key, KHM_SHA256_LEN);
    t->e.epoch = epoch;
    t->e.loaded_at = loaded_at;
    t->e.p = copy;
    t->e.blob = blob;
    t->e.used = 1;
    t->owner = c->id;
}

int khm_authn_bearer(khm_authn *c, khm_principal *out, const char *authz, int64_t now, khm_arena *a)
{
    char hash[65];
    uint8_t key[KHM_SHA256_LEN];
    int rc;

    if ((rc = khm_access__bearer_hash(authz, key)) < 0)
        return rc;
    size_t slot =
        ((size_t)key[0] | (size_t)key[1] << 8 | (size_t)key[2] << 16 | (size_t)key[3] << 24) &
        c->mask;
    pthread_rwlock_t *lock = &c->locks[slot % STRIPES];
    uint64_t epoch = khm_store_epoch(c->store);
    counter *n = my_counter(c);

    /* an epoch other servers do not advance (PostgreSQL) cannot vouch for an entry: go to the
     * store every time, so a revocation on any server applies to the very next request */
    if (!khm_store_epoch_shared(c->store)) {
        atomic_fetch_add_explicit(&n->misses, 1, memory_order_relaxed);
        khm_hex_encode(hash, key, sizeof(key));
        if ((rc = khm_access__lookup(out, c->store, hash, a)) < 0)
            return rc;
        return khm_access__check(out, now);
    }

    /* the thread's own entry first, then the shared one */
    thread_entry *t = my_entry();
    if (t && t->owner == c->id && fresh(c, &t->e, key, epoch, now)) {
        atomic_fetch_add_explicit(&n->hits, 1, memory_order_relaxed);
        rc = copy_principal(out, &t->e.p, a, NULL);
        return rc < 0 ? rc : khm_access__check(out, now);
    }
    pthread_rwlock_rdlock(lock);
    entry *e = &c->slots[slot];
    int hit = fresh(c, e, key, epoch, now);
    int64_t loaded_at = e->loaded_at;
    if (hit)
        rc = copy_principal(out, &e->p, a, NULL);
    pthread_rwlock_unlock(lock);
    if (hit) {
        atomic_fetch_add_explicit(&n->hits, 1, memory_order_relaxed);
        if (rc == 0 && t)
            keep_thread(c, t, key, epoch, loaded_at, out);
        return rc < 0 ? rc : khm_access__check(out, now);
    }

    atomic_fetch_add_explicit(&n->misses, 1, memory_order_relaxed);
    khm_hex_encode(hash, key, sizeof(key));
    if ((rc = khm_access__lookup(out, c->store, hash, a)) < 0 ||
        (rc = khm_access__check(out, now)) < 0)
        return rc;
    /* keep a private copy; a failure to cache is not a failure to authenticate */
    khm_principal copy;
    char *blob;
    if (copy_principal(&copy, out, NULL, &blob) == 0) {
        pthread_rwlock_wrlock(lock);
        khm_free(e->blob);
        memcpy(e->key, key, sizeof(key));
        e->epoch = epoch;
        e->loaded_at = now;
        e->p = copy;
        e->blob = blob;
        e->used = 1;
        pthread_rwlock_unlock(lock);
        if (t)
            keep_thread(c, t, key, epoch, now, out);
    } else {
        khm_err_clear();
    }
    return 0;
}
