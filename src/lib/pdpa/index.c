/* The consent index: the answer to "may agency A process subject S's data for purpose P?" in
 * memory, with no allocation, no lock and no query per check.
 *
 * Purposes: an immutable snapshot (array + two open-addressing maps: by agency/code and by
 * id), replaced whole when a purpose changes and read with one acquire load; replaced
 * snapshots are kept until the index is freed (purposes change rarely).
 * Consents: 64 shards, each an open-addressing (linear probing) table keyed by (subject token,
 * purpose slot) holding the latest state of the pair (granted or withdrawn, the event id,
 * expiry, text version, explicit) in one 64-byte, cache-line-aligned entry; tables of 2 MiB or
 * more ask for transparent huge pages (a random probe then costs one cache miss, not a page
 * walk too). Entries are never deleted (a withdrawal is a state), so there are no tombstones;
 * a shard doubles at 3/4 load.
 * Readers take no lock: each shard has a sequence counter (a seqlock) that the one writer — the
 * sync, under sync_lock — makes odd while it changes the shard; a reader copies the entry and
 * retries if the counter moved. A table replaced by a bigger one is freed at once while the
 * index is being built (no reader yet), else kept until the index is freed (readers may still
 * be probing it; growing after the build is rare).
 * Consistency: khm_consent_index_sync() compares the store's consent change counter
 * (khm_store_consent_counter: advanced by every commit of this process, and by other processes
 * through the SQLite mapping before their commit returns) with the one it last applied, and
 * when it moved reads the purposes and consent events past the last sequences applied. On
 * PostgreSQL the listener's NOTIFY may arrive after another server already answered for the
 * change, so there each sync needs the newest sequences from a read (one statement) that
 * started after the sync began, and compares them with those applied: a check never answers
 * from before a change committed before it began. That read is shared (sread.h): a check
 * that finds a read in flight starts the next (at most KHM_HEADS_DEPTH in flight), and the
 * checks that arrive after that one started wait for a later one, which serves them all — one
 * statement per round of concurrent checks, not one per check. */
#include <khomun/consent.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/log.h>
#include <khomun/policy.h>
#include <khomun/time.h>

#include "sread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* Reads of the newest sequences in flight at most (sread.h): 1 = a check that finds one in
 * flight waits for the next; 2 = it starts the next at once, and the checks after it share the
 * third. 2: with 64 worker threads on the 2-core machine depth 1 halved one server's checks/s
 * (one serial chain of reads, each waiting for its thread to be scheduled), depth 2 did not,
 * at about half the reads of no sharing (docs/operations/scale-out.md). */
#ifndef KHM_HEADS_DEPTH
#define KHM_HEADS_DEPTH 2
#endif

#define NSHARDS    64
#define SYNC_BATCH 10000

typedef struct {
    char id[KHM_ID_LEN];
    char agency[KHM_ID_LEN];
    char code[72];
    int basis, s26;
    unsigned sensitive;
    int min_version;
    int retired;
} ixp;

typedef struct snapshot {
    size_t n, cap; /* purposes; map size is 2*cap (power of two) */
    ixp *items;
    uint32_t *by_code, *by_id; /* slot + 1, 0 empty */
    uint32_t mask;
    struct snapshot *older; /* retired snapshots, freed with the index */
} snapshot;

enum { ST_GRANTED = 1, ST_WITHDRAWN = 2 };
enum { F_EXPLICIT = 4 };
#define KEY_PURPOSE 0xFFFFFFu /* the low 24 bits of ixe.key: purpose slot + 1; 0 = empty */
#define KEY_SHIFT   24        /* state and flags above */

/* One (subject, purpose) pair: one cache line. */
typedef struct {
    uint8_t token[32];
    uint8_t id[16]; /* the event's UUID */
    int64_t expires_at;
    uint32_t key; /* purpose slot + 1 | (state | flags) << KEY_SHIFT */
    uint32_t text_version;
} ixe;
_Static_assert(sizeof(ixe) == 64, "an index entry is one cache line");

typedef struct table {
    uint32_t cap;        /* power of two */
    struct table *older; /* replaced tables (kept while readers may probe them) */
    ixe *slots;          /* 64-byte aligned */
    size_t bytes;        /* of slots */
} table;

typedef struct {
    uint32_t seq; /* atomic: odd while the writer changes this shard */
    uint32_t n;   /* entries (writer only) */
    table *t;     /* atomic; NULL while empty */
    char pad[64 - 2 * sizeof(uint32_t) - sizeof(table *)];
} shard;
_Static_assert(sizeof(shard) == 64, "a shard header is one cache line");

struct khm_consent_index {
    khm_store *store;
    snapshot *snap; /* atomic */
    shard shards[NSHARDS];
    pthread_mutex_t sync_lock;
    uint64_t seen;                    /* atomic: the counter value applied */
    int64_t purpose_chg, consent_seq; /* applied; written under sync_lock (atomic stores) */
    khm_sread heads;                  /* the shared read of the newest sequences (PostgreSQL) */
    int64_t stale_ms;                 /* atomic: the staleness bound given (0: strict) */
    size_t pairs;                     /* atomic */
    int published;                    /* khm_consent_index_new() returned: readers may be probing */
    int ready;                        /* atomic: 1 built, 0 building, < 0 the build's error */
    int cancel;                       /* atomic: khm_consent_index_free() during the build */
    pthread_t builder;                /* khm_consent_index_start()'s thread */
    int has_builder;
    int64_t delay_ms;    /* KHOMUN_CONSENT_INDEX_DELAY_MS (tests) */
    char build_err[256]; /* the failed build's message (ready < 0) */
    int shared_counter;  /* the store's counter moves at every commit anywhere, before it returns
                            (SQLite); else (PostgreSQL) each sync reads the newest sequences */
};

/* Eight bytes at a time: the purpose lookup runs once per check. */
static uint64_t mix_str(uint64_t h, const char *s)
{
    size_t n = strlen(s);
    for (; n >= 8; n -= 8, s += 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 32;
    }
    uint64_t v = 0;
    memcpy(&v, s, n);
    h = (h ^ v ^ ((uint64_t)n << 56)) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static uint64_t str_hash(const char *a, const char *b)
{
    uint64_t h = mix_str(0x243F6A8885A308D3ULL, a);
    return b ? mix_str(h ^ 0x13198A2E03707344ULL, b) : h;
}

/* ---- purposes ---- */

static void snap_free(snapshot *s)
{
    while (s) {
        snapshot *o = s->older;
        khm_free(s->items);
        khm_free(s->by_code);
        khm_free(s->by_id);
        khm_free(s);
        s = o;
    }
}

static int snap_find(const snapshot *s, const char *agency, const char *key)
{
    if (!s || !s->n)
        return -1;
    uint32_t i = agency ? (uint32_t)str_hash(agency, key) & s->mask : 0;
    for (; agency;) {
        uint32_t v = s->by_code[i];
        if (!v)
            break;
        const ixp *p = &s->items[v - 1];
        if (strcmp(p->code, key) == 0 && strcmp(p->agency, agency) == 0)
            return (int)(v - 1);
        i = (i + 1) & s->mask;
    }
    i = (uint32_t)str_hash(key, NULL) & s->mask;
    for (;;) {
        uint32_t v = s->by_id[i];
        if (!v)
            return -1;
        const ixp *p = &s->items[v - 1];
        if (strcmp(p->id, key) == 0 && (!agency || strcmp(p->agency, agency) == 0))
            return (int)(v - 1);
        if (strcmp(p->id, key) == 0)
            return -1; /* another agency's purpose */
        i = (i + 1) & s->mask;
    }
}

static int snap_index(snapshot *s)
{
    uint32_t size = 16;
    while (size < 2 * s->cap)
        size <<= 1;
    s->mask = size - 1;
    s->by_code = khm_calloc(size, sizeof(uint32_t));
    s->by_id = khm_calloc(size, sizeof(uint32_t));
    if (!s->by_code || !s->by_id)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t k = 0; k < s->n; k++) {
        uint32_t i = (uint32_t)str_hash(s->items[k].agency, s->items[k].code) & s->mask;
        while (s->by_code[i])
            i = (i + 1) & s->mask;
        s->by_code[i] = (uint32_t)k + 1;
        i = (uint32_t)str_hash(s->items[k].id, NULL) & s->mask;
        while (s->by_id[i])
            i = (i + 1) & s->mask;
        s->by_id[i] = (uint32_t)k + 1;
    }
    return 0;
}

/* A purpose change collected during a sync. */
typedef struct {
    snapshot *next; /* being built: a copy of the current one plus the changes */
    int64_t max_chg;
    size_t rows;
    int rc;
} purpose_sync;

/* What a check needs of purpose @p p. */
static void purpose_attrs(ixp *x, const khm_purpose_rec *p)
{
    memset(x, 0, sizeof(*x));
    snprintf(x->id, sizeof(x->id), "%s", p->id);
    snprintf(x->agency, sizeof(x->agency), "%s", p->agency_id);
    snprintf(x->code, sizeof(x->code), "%s", p->code);
    x->basis = p->basis;
    x->s26 = p->s26_exception;
    x->sensitive = p->sensitive;
    x->min_version = p->min_version;
    x->retired = p->retired_at != 0;
}

static int on_purpose(const khm_purpose_rec *p, void *payload)
{
    purpose_sync *ps = payload;
    snapshot *s = ps->next;
    ps->rows++;
    if (p->chg > ps->max_chg)
        ps->max_chg = p->chg;
    int k = -1;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].id, p->id) == 0) {
            k = (int)i;
            break;
        }
    if (k < 0) {
        if (s->n >= KEY_PURPOSE)
            return ps->rc = khm_err_set(KHM_ELIMIT, "more than %u purposes", KEY_PURPOSE - 1);
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            ixp *items = khm_realloc(s->items, cap * sizeof(*items));
            if (!items)
                return ps->rc = khm_err_set(KHM_ENOMEM, "out of memory");
            s->items = items;
            s->cap = cap;
        }
        k = (int)s->n++;
    }
    purpose_attrs(&s->items[k], p);
    return 0;
}

/* ---- consents ---- */

static uint64_t entry_hash(const uint8_t token[32], uint32_t purpose)
{
    uint64_t h;
    memcpy(&h, token, sizeof(h)); /* an HMAC output: uniform already */
    return h ^ ((uint64_t)purpose * 0x9E3779B97F4A7C15ULL);
}

/* The entry of (token, purpose) in @p t, or the empty one where it would go. */
static ixe *probe(const table *t, const uint8_t token[32], uint32_t purpose, uint64_t h)
{
    uint32_t mask = t->cap - 1, i = (uint32_t)h & mask;
    for (;;) {
        ixe *e = &t->slots[i];
        uint32_t p = e->key & KEY_PURPOSE;
        if (!p || (p == purpose && memcmp(e->token, token, 32) == 0))
            return e;
        i = (i + 1) & mask;
    }
}

static void table_free(table *t)
{
    while (t) {
        table *o = t->older;
        if (t->bytes >= (2u << 20))
            munmap(t->slots, t->bytes);
        else
            free(t->slots);
        khm_free(t);
        t = o;
    }
}

/* A zeroed table of @p cap entries; 2 MiB or more: mapped, huge pages asked for. */
static table *table_new(uint32_t cap)
{
    table *t = khm_calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->cap = cap;
    t->bytes = (size_t)cap * sizeof(ixe);
    if (t->bytes >= (2u << 20)) {
        void *p = mmap(NULL, t->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        t->slots = p == MAP_FAILED ? NULL : p;
#ifdef MADV_HUGEPAGE
        if (t->slots)
            madvise(t->slots, t->bytes, MADV_HUGEPAGE); /* a hint: fine if refused */
#endif
    } else {
        void *p = NULL;
        if (posix_memalign(&p, 64, t->bytes) == 0)
            memset(p, 0, t->bytes);
        t->slots = p;
    }
    if (!t->slots) {
        khm_free(t);
        return NULL;
    }
    return t;
}

/* Double @p sh's table (the writer, inside the shard's odd sequence). */
static int shard_grow(khm_consent_index *ix, shard *sh)
{
    table *old = sh->t;
    table *t = table_new(old ? old->cap * 2 : 1024);
    if (!t)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (uint32_t i = 0; old && i < old->cap; i++) {
        ixe *e = &old->slots[i];
        uint32_t p = e->key & KEY_PURPOSE;
        if (p)
            *probe(t, e->token, p, entry_hash(e->token, p)) = *e;
    }
    __atomic_store_n(&sh->t, t, __ATOMIC_RELEASE);
    if (old && ix->published) {
        t->older = old; /* a reader may still be in it */
    } else if (old) {
        old->older = NULL;
        table_free(old);
    }
    return 0;
}

static int uuid_bin(const char *s, uint8_t out[16])
{
    char hex[33];
    size_t k = 0;
    for (; *s && k < 32; s++)
        if (*s != '-')
            hex[k++] = *s;
    return khm_hex_decode(out, 16, hex, k);
}

/* Two hex digits per byte from a table: the check formats the event id of every answer. */
static const char hex_pairs[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

static void uuid_str(const uint8_t b[16], char out[KHM_ID_LEN])
{
    /* 8-4-4-4-12 */
    static const uint8_t at[16] = { 0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34 };
    for (int i = 0; i < 16; i++)
        memcpy(out + at[i], hex_pairs + 2 * b[i], 2);
    out[8] = out[13] = out[18] = out[23] = '-';
    out[36] = '\0';
}

/* An event as the index folds it, decoded: the strings of khm_consent_event are borrowed for
 * one callback, and events wait a little in a queue (below) before they are applied. */
typedef struct {
    uint8_t token[32];
    uint8_t id[16];
    uint64_t h;
    int64_t expires_at;
    uint32_t pur;
    uint32_t text_version;
    uint8_t withdraw, explicit_consent;
} pending;

/* Pending events: while one is applied, the table entries of the next QUEUE are being fetched
 * (a random write into a table of hundreds of MiB costs a cache miss; in order, one after the
 * other, they were most of the index build). Events of one pair stay in seq order. */
#define QUEUE 16

typedef struct {
    khm_consent_index *ix;
    const snapshot *s;
    int stopped;
    int rc;
    size_t head, n; /* ring of QUEUE */
    pending q[QUEUE];
} event_sync;

/* Event @p ev of the pair (slot @p pur) on its entry @p v: a grant sets the text version,
 * expiry and explicit flag; a withdrawal keeps those of the grant it ends. */
static void fold_event(ixe *v, uint32_t pur, const pending *ev)
{
    uint32_t state = ev->withdraw ? ST_WITHDRAWN : ST_GRANTED;
    uint32_t flags = (v->key >> KEY_SHIFT) & F_EXPLICIT;
    if (!ev->withdraw) {
        v->text_version = ev->text_version;
        v->expires_at = ev->expires_at;
        flags = ev->explicit_consent ? F_EXPLICIT : 0;
    }
    v->key = pur | (state | flags) << KEY_SHIFT;
    memcpy(v->id, ev->id, sizeof(v->id));
}

/* What @p ev sets on its pair's entry, into @p out; < 0 when its id is not a UUID. */
static int event_fields(const khm_consent_event *ev, pending *out)
{
    out->expires_at = ev->expires_at;
    out->text_version = (uint32_t)ev->text_version;
    out->withdraw = ev->withdraw != 0;
    out->explicit_consent = ev->explicit_consent != 0;
    return uuid_bin(ev->id, out->id);
}

/* @p ev decoded into @p out against snapshot @p s: 1 when its purpose is not in @p s (one
 * committed after the purposes were read: stop, sync again), -1 when it is not one the index
 * keeps (a subject that is not a token: skipped), else 0. */
static int decode_event(const snapshot *s, const khm_consent_event *ev, pending *out)
{
    int k = snap_find(s, NULL, ev->purpose_id);
    if (k < 0)
        return 1;
    if (khm_hex_decode(out->token, 32, ev->subject, strlen(ev->subject)) < 0 ||
        event_fields(ev, out) < 0) {
        khm_err_clear();
        return -1;
    }
    out->pur = (uint32_t)k + 1;
    out->h = entry_hash(out->token, out->pur);
    return 0;
}

/* Apply one decoded event (in seq order: the latest state wins). */
static int apply_event(khm_consent_index *ix, const pending *ev)
{
    shard *sh = &ix->shards[ev->h >> 58];
    /* the seqlock's writer side: odd while the shard changes */
    uint32_t seq = sh->seq;
    __atomic_store_n(&sh->seq, seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    int rc = 0;
    if ((!sh->t || (sh->n + 1) * 4 > sh->t->cap * 3) && (rc = shard_grow(ix, sh)) < 0) {
        __atomic_store_n(&sh->seq, seq + 2, __ATOMIC_RELEASE);
        return rc;
    }
    ixe *e = probe(sh->t, ev->token, ev->pur, ev->h);
    ixe v = *e;
    if (!(v.key & KEY_PURPOSE)) {
        memcpy(v.token, ev->token, 32);
        sh->n++;
        __atomic_add_fetch(&ix->pairs, 1, __ATOMIC_RELAXED);
    }
    fold_event(&v, ev->pur, ev);
    *e = v;
    __atomic_store_n(&sh->seq, seq + 2, __ATOMIC_RELEASE);
    return 0;
}

/* Apply the queued events down to @p keep of them. */
static int drain(event_sync *es, size_t keep)
{
    while (es->n > keep) {
        int rc = apply_event(es->ix, &es->q[es->head]);
        es->head = (es->head + 1) % QUEUE;
        es->n--;
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int on_event(const khm_consent_event *ev, void *payload)
{
    event_sync *es = payload;
    int rc = drain(es, QUEUE - 1);
    if (rc < 0) {
        es->rc = rc;
        es->stopped = 1;
        return rc;
    }
    pending *p = &es->q[(es->head + es->n) % QUEUE];
    int r = decode_event(es->s, ev, p);
    if (r < 0)
        return 0; /* not a token: skip */
    if (r > 0) {
        es->stopped = 1;
        return 1;
    }
    const table *t = es->ix->shards[p->h >> 58].t;
    if (t)
        __builtin_prefetch(&t->slots[(uint32_t)p->h & (t->cap - 1)], 1);
    es->n++;
    return 0;
}

/* Read what changed; the caller holds sync_lock. */
static int sync_locked(khm_consent_index *ix, uint64_t counter)
{
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, ix->store, 0);
    if (rc < 0)
        return rc;
    snapshot *cur = __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE);
    purpose_sync ps = { NULL, 0, 0, 0 };
    snapshot *next = khm_calloc(1, sizeof(*next));
    if (!next) {
        khm_tx_rollback(tx);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    if (cur && cur->n) {
        next->items = khm_malloc(cur->cap * sizeof(ixp));
        if (!next->items) {
            khm_free(next);
            khm_tx_rollback(tx);
            return khm_err_set(KHM_ENOMEM, "out of memory");
        }
        memcpy(next->items, cur->items, cur->n * sizeof(ixp));
        next->n = cur->n;
        next->cap = cur->cap;
    }
    ps.next = next;
    ps.max_chg = ix->purpose_chg;
    /* purposes first: the events name them; a new snapshot only when one changed */
    rc = khm_store_purpose_since(tx, ix->purpose_chg, on_purpose, &ps);
    if (rc == 0)
        rc = ps.rc;
    if (rc == 0 && ps.rows && (rc = snap_index(next)) == 0) {
        next->older = cur;
        __atomic_store_n(&ix->snap, next, __ATOMIC_RELEASE);
        __atomic_store_n(&ix->purpose_chg, ps.max_chg, __ATOMIC_RELEASE);
        next = NULL;
    }
    snap_free(next);
    event_sync es = { .ix = ix, .s = __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE) };
    while (rc == 0) {
        int64_t last = ix->consent_seq;
        if (__atomic_load_n(&ix->cancel, __ATOMIC_ACQUIRE)) {
            rc = khm_err_set(KHM_ERROR, "the consent index build was stopped");
            break;
        }
        rc = khm_store_consent_fold_since(tx, ix->consent_seq, SYNC_BATCH, &last, on_event, &es);
        if (rc == 0 && es.rc == 0)
            es.rc = drain(&es, 0); /* the queue's events are taken (last) */
        if (rc < 0)
            break;
        if (es.rc < 0) {
            rc = es.rc;
            break;
        }
        int64_t got = last - ix->consent_seq;
        __atomic_store_n(&ix->consent_seq, last, __ATOMIC_RELEASE);
        if (es.stopped || got < SYNC_BATCH)
            break;
    }
    khm_tx_rollback(tx);
    if (rc == 0 && !es.stopped)
        __atomic_store_n(&ix->seen, counter, __ATOMIC_RELEASE);
    return rc;
}

/* The shared read: the newest consent sequence and purpose change (one statement). */
static int read_heads(void *arg, int64_t out[2])
{
    khm_consent_index *ix = arg;
    khm_tx *tx;
    int rc = khm_tx_begin(&tx, ix->store, 0);
    if (rc < 0)
        return rc;
    rc = khm_store_consent_heads(tx, &out[0], &out[1]);
    khm_tx_rollback(tx);
    return rc;
}

int khm_consent_index_sync(khm_consent_index *ix)
{
    uint64_t c = khm_store_consent_counter(ix->store);
    if (!ix->shared_counter) {
        /* PostgreSQL: a NOTIFY reaches this server some time after the commit, so the counter
         * may not have moved yet for a change another server already answered for; a read of
         * the newest sequences started after this call says whether anything committed before
         * it is missing. Concurrent syncs share that read (sread.h). */
        int64_t h[2];
        int rc = khm_sread_get(&ix->heads, read_heads, ix, h);
        if (rc < 0)
            return rc;
        if (h[0] <= __atomic_load_n(&ix->consent_seq, __ATOMIC_ACQUIRE) &&
            h[1] <= __atomic_load_n(&ix->purpose_chg, __ATOMIC_ACQUIRE) &&
            (!__atomic_load_n(&ix->stale_ms, __ATOMIC_RELAXED) ||
             c == __atomic_load_n(&ix->seen, __ATOMIC_ACQUIRE)))
            return 0;
        pthread_mutex_lock(&ix->sync_lock);
        if (h[0] > ix->consent_seq || h[1] > ix->purpose_chg ||
            c != __atomic_load_n(&ix->seen, __ATOMIC_ACQUIRE))
            rc = sync_locked(ix, c);
        pthread_mutex_unlock(&ix->sync_lock);
        return rc;
    }
    if (c == __atomic_load_n(&ix->seen, __ATOMIC_ACQUIRE))
        return 0;
    pthread_mutex_lock(&ix->sync_lock);
    c = khm_store_consent_counter(ix->store);
    int rc = 0;
    if (c != __atomic_load_n(&ix->seen, __ATOMIC_ACQUIRE))
        rc = sync_locked(ix, c);
    pthread_mutex_unlock(&ix->sync_lock);
    return rc;
}

void khm_consent_index_set_staleness(khm_consent_index *ix, int64_t ms)
{
    __atomic_store_n(&ix->stale_ms, ms > 0 ? ms : 0, __ATOMIC_RELAXED);
    khm_sread_set_staleness(&ix->heads, ms);
}

void khm_consent_index_stats(khm_consent_index *ix, uint64_t *syncs, uint64_t *reads)
{
    khm_sread_stats(&ix->heads, syncs, reads, NULL);
}

/* Before the first sync: tables for @p events pairs at most (a pair has one event or more), when
 * that is more than the first tables hold, so that the build does not double each table
 * several times (each doubling zeroes a new table and moves every entry, a cache miss each).
 * Most pairs hold one or two events (a grant, perhaps its withdrawal): the tables are then
 * those the doublings would have reached. */
static int presize(khm_consent_index *ix, int64_t events)
{
    uint64_t per = (uint64_t)events / NSHARDS + 1;
    uint32_t cap = 1024;
    if (per * 4 <= (uint64_t)cap * 3)
        return 0;
    while ((uint64_t)cap * 3 < per * 4 && cap < (1u << 30))
        cap *= 2;
    for (int i = 0; i < NSHARDS; i++)
        if (!(ix->shards[i].t = table_new(cap)))
            return khm_err_set(KHM_ENOMEM, "out of memory for the consent index (%lld events)",
                               (long long)events);
    return 0;
}

static khm_consent_index *index_alloc(khm_store *s)
{
    khm_consent_index *ix = khm_calloc(1, sizeof(*ix));
    if (!ix)
        return NULL;
    ix->store = s;
    ix->shared_counter = khm_store_epoch_shared(s);
    pthread_mutex_init(&ix->sync_lock, NULL);
    khm_sread_init(&ix->heads, KHM_HEADS_DEPTH);
    return ix;
}

/* The first sync: every purpose and every event (no reader has the index yet). */
static int index_build(khm_consent_index *ix)
{
    int rc = khm_store_consent_watch(ix->store);
    if (rc == 0) {
        uint64_t c = khm_store_consent_counter(ix->store);
        ix->seen = c + 1; /* anything but c: the first sync reads everything */
        int64_t heads[2];
        if ((rc = read_heads(ix, heads)) == 0)
            rc = presize(ix, heads[0]);
        pthread_mutex_lock(&ix->sync_lock);
        if (rc == 0)
            rc = sync_locked(ix, c);
        pthread_mutex_unlock(&ix->sync_lock);
    }
    if (rc == 0)
        ix->published = 1; /* (before ready is stored: readers come after) */
    return rc;
}

int khm_consent_index_new(khm_consent_index **out, khm_store *s)
{
    *out = NULL;
    khm_consent_index *ix = index_alloc(s);
    if (!ix)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = index_build(ix);
    if (rc < 0) {
        khm_consent_index_free(ix);
        return rc;
    }
    ix->ready = 1;
    *out = ix;
    return 0;
}

static void *builder(void *arg)
{
    khm_consent_index *ix = arg;
    int64_t t0 = khm_time_now_ms(), until = t0 + ix->delay_ms;
    while (khm_time_now_ms() < until && !__atomic_load_n(&ix->cancel, __ATOMIC_ACQUIRE))
        nanosleep(&(struct timespec){ 0, 10 * 1000000L }, NULL);
    int rc = __atomic_load_n(&ix->cancel, __ATOMIC_ACQUIRE)
                 ? khm_err_set(KHM_ERROR, "the consent index build was stopped")
                 : index_build(ix);
    if (rc < 0) {
        snprintf(ix->build_err, sizeof(ix->build_err), "%s", khm_err_last()->message);
        if (!__atomic_load_n(&ix->cancel, __ATOMIC_ACQUIRE))
            khm_log(KHM_LOG_ERROR, "the consent index could not be built: %s", ix->build_err);
    } else {
        khm_log(KHM_LOG_INFO, "consent index ready: %zu (subject, purpose) pairs in %.1f s",
                khm_consent_index_size(ix), (double)(khm_time_now_ms() - t0) / 1000.0);
    }
    __atomic_store_n(&ix->ready, rc < 0 ? rc : 1, __ATOMIC_RELEASE);
    return NULL;
}

int khm_consent_index_start(khm_consent_index **out, khm_store *s)
{
    *out = NULL;
    khm_consent_index *ix = index_alloc(s);
    if (!ix)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    const char *d = getenv("KHOMUN_CONSENT_INDEX_DELAY_MS"); /* read here: not in a thread */
    ix->delay_ms = d ? atoll(d) : 0;
    int err = pthread_create(&ix->builder, NULL, builder, ix);
    if (err) {
        khm_consent_index_free(ix);
        return khm_err_set(KHM_ERROR, "cannot start the consent index build: %s", strerror(err));
    }
    ix->has_builder = 1;
    *out = ix;
    return 0;
}

int khm_consent_index_ready(khm_consent_index *ix)
{
    int r = __atomic_load_n(&ix->ready, __ATOMIC_ACQUIRE);
    if (r < 0)
        return khm_err_set(r, "the consent index could not be built: %s", ix->build_err);
    return r;
}

void khm_consent_index_free(khm_consent_index *ix)
{
    if (!ix)
        return;
    if (ix->has_builder) {
        __atomic_store_n(&ix->cancel, 1, __ATOMIC_RELEASE);
        pthread_join(ix->builder, NULL);
    }
    for (int i = 0; i < NSHARDS; i++)
        table_free(ix->shards[i].t);
    snap_free(ix->snap);
    pthread_mutex_destroy(&ix->sync_lock);
    khm_sread_destroy(&ix->heads);
    khm_free(ix);
}

size_t khm_consent_index_size(khm_consent_index *ix)
{
    return __atomic_load_n(&ix->pairs, __ATOMIC_RELAXED);
}

/* ---- the check ---- */

static const struct {
    const char *name, *en, *th;
} reasons[KHM_CHECK__COUNT] = {
    { "basis", "allowed on the purpose's lawful basis, which is not consent (PDPA s.24)",
      "อนุญาตตามฐานทางกฎหมายของวัตถุประสงค์ ซึ่งไม่ใช่ฐานความยินยอม (มาตรา 24)" },
    { "consent", "allowed: the subject's consent is given and in force (PDPA s.19)",
      "อนุญาต: เจ้าของข้อมูลให้ความยินยอมและยังมีผลอยู่ (มาตรา 19)" },
    { "no_consent", "no consent of this subject to this purpose is recorded (PDPA s.19)",
      "ไม่พบความยินยอมของเจ้าของข้อมูลสำหรับวัตถุประสงค์นี้ (มาตรา 19)" },
    { "withdrawn", "the subject withdrew their consent (PDPA s.19 para 5)",
      "เจ้าของข้อมูลถอนความยินยอมแล้ว (มาตรา 19 วรรคห้า)" },
    { "expired", "the consent has expired", "ความยินยอมหมดอายุแล้ว" },
    { "reconsent_required",
      "the consent was given under an older consent text; the purpose now requires consent to "
      "its new text",
      "ความยินยอมให้ไว้กับข้อความฉบับเก่า ต้องขอความยินยอมตามข้อความฉบับใหม่" },
    { "not_explicit", "the purpose uses sensitive data and the consent is not explicit (PDPA s.26)",
      "วัตถุประสงค์ใช้ข้อมูลอ่อนไหว แต่ความยินยอมไม่ได้ให้โดยชัดแจ้ง (มาตรา 26)" },
    { "purpose_retired", "the purpose is retired", "วัตถุประสงค์นี้เลิกใช้แล้ว" },
};

const char *khm_check_reason_name(int r)
{
    return r >= 0 && r < KHM_CHECK__COUNT ? reasons[r].name : NULL;
}

const char *khm_check_reason_text(int r)
{
    return r >= 0 && r < KHM_CHECK__COUNT ? reasons[r].en : NULL;
}

const char *khm_check_reason_th(int r)
{
    return r >= 0 && r < KHM_CHECK__COUNT ? reasons[r].th : NULL;
}

static int unknown_purpose(const char *purpose)
{
    return khm_err_field("purpose", "ไม่พบวัตถุประสงค์นี้ในหน่วยงาน",
                         "no purpose '%.64s' in this agency (give its code or id)",
                         purpose ? purpose : "");
}

/* @p purpose (code or id) of @p agency_id in @p s, without a sync. */
static int resolve(const snapshot *s, const char *agency_id, const char *purpose,
                   khm_consent_purpose *out)
{
    int k = purpose ? snap_find(s, agency_id, purpose) : -1;
    if (k < 0)
        return unknown_purpose(purpose);
    out->slot = (uint32_t)k;
    out->basis = s->items[k].basis;
    return 0;
}

int khm_consent_index_purpose(khm_consent_index *ix, const char *agency_id, const char *purpose,
                              khm_consent_purpose *out)
{
    int rc = khm_consent_index_sync(ix);
    return rc < 0 ? rc
                  : resolve(__atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE), agency_id, purpose, out);
}

static int check_one(khm_consent_index *ix, const snapshot *s, const khm_consent_purpose *purpose,
                     const unsigned char token[32], int64_t now, khm_consent_verdict *out);

int khm_consent_check(khm_consent_index *ix, const char *agency_id, const char *purpose,
                      const unsigned char token[32], int64_t now, khm_consent_verdict *out)
{
    khm_consent_purpose p;
    int rc = khm_consent_index_sync(ix);
    if (rc < 0)
        return rc;
    const snapshot *s = __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE);
    if ((rc = resolve(s, agency_id, purpose, &p)) < 0)
        return rc;
    return check_one(ix, s, &p, token, now, out);
}

/* The answer that purpose @p p gives whoever the subject is: 1 (a retired purpose: deny; a
 * basis other than consent: allow), or 0 with @p out started for decide_consent. */
static int decide_purpose(const ixp *p, khm_consent_verdict *out)
{
    out->allow = 0;
    out->basis = p->basis;
    out->s26_exception = p->s26;
    out->consent_id[0] = '\0';
    out->expires_at = 0;
    out->text_version = 0;
    if (p->retired) {
        out->reason = KHM_CHECK_RETIRED;
        return 1;
    }
    if (p->basis != KHM_BASIS_CONSENT) {
        out->allow = 1;
        out->reason = KHM_CHECK_BASIS;
        return 1;
    }
    return 0;
}

/* The answer for a purpose on the consent basis from the pair's entry @p e (key 0: no event). */
static void decide_consent(const ixp *p, const ixe *e, int64_t now, khm_consent_verdict *out)
{
    if (!(e->key & KEY_PURPOSE)) {
        out->reason = KHM_CHECK_NO_CONSENT;
        return;
    }
    uuid_str(e->id, out->consent_id);
    out->expires_at = e->expires_at;
    out->text_version = (int)e->text_version;
    uint32_t state = e->key >> KEY_SHIFT;
    if (state & ST_WITHDRAWN)
        out->reason = KHM_CHECK_WITHDRAWN;
    else if (e->expires_at && now >= e->expires_at)
        out->reason = KHM_CHECK_EXPIRED;
    else if ((int)e->text_version < p->min_version)
        out->reason = KHM_CHECK_RECONSENT;
    else if (p->sensitive && !(state & F_EXPLICIT))
        out->reason = KHM_CHECK_NOT_EXPLICIT;
    else {
        out->allow = 1;
        out->reason = KHM_CHECK_CONSENT;
    }
}

/* The answer for (@p purpose, @p token) from snapshot @p s, the index synced. */
static int check_one(khm_consent_index *ix, const snapshot *s, const khm_consent_purpose *purpose,
                     const unsigned char token[32], int64_t now, khm_consent_verdict *out)
{
    if (!s || purpose->slot >= s->n) /* not a slot of this index */
        return unknown_purpose("");
    const ixp *p = &s->items[purpose->slot];
    if (decide_purpose(p, out))
        return 0;
    uint32_t pur = purpose->slot + 1;
    uint64_t h = entry_hash(token, pur);
    shard *sh = &ix->shards[h >> 58];
    ixe e;
    uint32_t s1, s2;
    do { /* the seqlock's reader side: copy the entry, retry if the writer was at work */
        while ((s1 = __atomic_load_n(&sh->seq, __ATOMIC_ACQUIRE)) & 1)
            ;
        const table *t = __atomic_load_n(&sh->t, __ATOMIC_ACQUIRE);
        if (t)
            memcpy(&e, probe(t, token, pur, h), sizeof(e));
        else
            e.key = 0;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        s2 = __atomic_load_n(&sh->seq, __ATOMIC_RELAXED);
    } while (s1 != s2);
    decide_consent(p, &e, now, out);
    return 0;
}

int khm_consent_check_purpose(khm_consent_index *ix, const khm_consent_purpose *purpose,
                              const unsigned char token[32], int64_t now, khm_consent_verdict *out)
{
    int rc = khm_consent_index_sync(ix);
    return rc < 0 ? rc : khm_consent_check_synced(ix, purpose, token, now, out);
}

int khm_consent_check_synced(khm_consent_index *ix, const khm_consent_purpose *purpose,
                             const unsigned char token[32], int64_t now, khm_consent_verdict *out)
{
    return check_one(ix, __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE), purpose, token, now, out);
}

void khm_consent_prefetch(khm_consent_index *ix, const khm_consent_purpose *purpose,
                          const unsigned char token[32])
{
    uint32_t pur = purpose->slot + 1;
    uint64_t h = entry_hash(token, pur);
    const table *t = __atomic_load_n(&ix->shards[h >> 58].t, __ATOMIC_ACQUIRE);
    if (t)
        __builtin_prefetch(&t->slots[(uint32_t)h & (t->cap - 1)]);
}

/* Pairs whose entries are fetched at once: about the misses one core keeps in flight. */
#define AHEAD 8

/* check_one for n pairs of snapshot @p s (synced), the table entry of pair i + AHEAD fetched
 * while pair i is answered: the random reads of the table overlap instead of following one
 * another. */
static int check_run(khm_consent_index *ix, const snapshot *s, size_t n,
                     const khm_consent_purpose *purposes, const unsigned char (*tokens)[32],
                     int64_t now, khm_consent_verdict *out)
{
    int rc;
    for (size_t i = 0; i < n + AHEAD; i++) {
        if (i < n)
            khm_consent_prefetch(ix, &purposes[i], tokens[i]);
        if (i >= AHEAD && (rc = check_one(ix, s, &purposes[i - AHEAD], tokens[i - AHEAD], now,
                                          &out[i - AHEAD])) < 0)
            return rc;
    }
    return 0;
}

int khm_consent_check_many(khm_consent_index *ix, size_t n, const khm_consent_purpose *purposes,
                           const unsigned char (*tokens)[32], int64_t now, khm_consent_verdict *out)
{
    int rc = khm_consent_index_sync(ix);
    if (rc < 0)
        return rc;
    return check_run(ix, __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE), n, purposes, tokens, now,
                     out);
}

int khm_consent_check_batch(khm_consent_index *ix, const char *agency_id, size_t n,
                            const char *const *purposes, const unsigned char (*tokens)[32],
                            int64_t now, khm_consent_purpose *scratch, khm_consent_verdict *out,
                            size_t *bad)
{
    int rc = khm_consent_index_sync(ix);
    if (rc < 0)
        return rc;
    const snapshot *s = __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < n; i++)
        if ((rc = resolve(s, agency_id, purposes[i], &scratch[i])) < 0) {
            if (bad)
                *bad = i;
            return rc;
        }
    return check_run(ix, s, n, scratch, tokens, now, out);
}

/* ---- one check without an index (from the store) ---- */

int khm_consent_purpose_read(khm_tx *tx, const char *agency_id, const char *purpose,
                             khm_purpose_rec *out, khm_arena *a)
{
    int rc =
        purpose && *purpose ? khm_store_purpose_get(tx, out, agency_id, purpose, a) : KHM_ENOTFOUND;
    if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        return unknown_purpose(purpose);
    }
    return rc;
}

typedef struct {
    ixe e;
} pair_fold;

static int on_pair_event(const khm_consent_event *ev, void *payload)
{
    pair_fold *f = payload;
    pending p;
    if (event_fields(ev, &p) < 0)
        khm_err_clear(); /* as the index: an event without a UUID is skipped */
    else
        fold_event(&f->e, 1, &p);
    return 0;
}

int khm_consent_check_store(khm_tx *tx, const khm_purpose_rec *purpose,
                            const unsigned char token[32], int64_t now, khm_consent_verdict *out)
{
    ixp p;
    purpose_attrs(&p, purpose);
    if (decide_purpose(&p, out))
        return 0;
    pair_fold f;
    char subject[65];
    memset(&f, 0, sizeof(f));
    khm_hex_encode(subject, token, 32);
    int rc = khm_store_consent_pair(tx, purpose->id, subject, on_pair_event, &f);
    if (rc < 0)
        return rc;
    decide_consent(&p, &f.e, now, out);
    return 0;
}

int khm_consent_check_from_store(khm_store *s, const char *agency_id, size_t n,
                                 const char *const *purposes, const unsigned char (*tokens)[32],
                                 int64_t now, khm_consent_verdict *out, size_t *bad, khm_arena *a)
{
    khm_tx *tx = NULL;
    khm_purpose_rec pr;
    int rc = khm_tx_begin(&tx, s, 0);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        /* a batch names one purpose or a few: read it again only when it changes */
        if ((i == 0 || !purposes[i] || !purposes[i - 1] || strcmp(purposes[i], purposes[i - 1])) &&
            (rc = khm_consent_purpose_read(tx, agency_id, purposes[i], &pr, a)) < 0) {
            if (bad)
                *bad = i;
            break;
        }
        rc = khm_consent_check_store(tx, &pr, tokens[i], now, &out[i]);
    }
    if (tx)
        khm_tx_rollback(tx);
    return rc;
}
