/* The consent index: the answer to "may agency A process subject S's data for purpose P?" in
 * memory, with no allocation and no query per check.
 *
 * Purposes: an immutable snapshot (array + two open-addressing maps: by agency/code and by
 * id), replaced whole when a purpose changes and read with one acquire load; replaced
 * snapshots are kept until the index is freed (purposes change rarely).
 * Consents: 64 shards, each an open-addressing (linear probing) table keyed by (subject token,
 * purpose slot) under its own rwlock, holding the latest state of the pair (granted or
 * withdrawn, the event id, expiry, text version, explicit). Entries are never deleted (a
 * withdrawal is a state), so there are no tombstones; a shard doubles at 3/4 load.
 * Consistency: khm_consent_index_sync() compares the store's consent change counter
 * (khm_store_consent_counter: advanced by every commit of this process, by other processes
 * through the SQLite mapping, or by the PostgreSQL listener) with the one it last applied, and
 * when it moved reads the purposes and consent events past the last sequences applied. */
#include <khomun/consent.h>

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/policy.h>
#include <khomun/time.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

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

enum { ST_EMPTY = 0, ST_GRANTED = 1, ST_WITHDRAWN = 2 };
enum { F_EXPLICIT = 1 };

typedef struct {
    uint8_t token[32];
    uint32_t purpose; /* slot + 1; 0 = empty entry */
    uint32_t text_version;
    int64_t expires_at;
    uint8_t id[16]; /* the event's UUID */
    uint8_t state, flags;
} ixe;

typedef struct {
    pthread_rwlock_t lock;
    ixe *slots;
    uint32_t cap, n;
    char pad[64];
} shard;

struct khm_consent_index {
    khm_store *store;
    snapshot *snap; /* atomic */
    shard shards[NSHARDS];
    pthread_mutex_t sync_lock;
    uint64_t seen; /* atomic: the counter value applied */
    int64_t purpose_chg, consent_seq;
    size_t pairs; /* atomic */
};

static uint64_t str_hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ULL;
    h = (h ^ '/') * 1099511628211ULL;
    for (; b && *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ULL;
    return h ^ (h >> 29);
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
    ixp *x = &s->items[k];
    memset(x, 0, sizeof(*x));
    snprintf(x->id, sizeof(x->id), "%s", p->id);
    snprintf(x->agency, sizeof(x->agency), "%s", p->agency_id);
    snprintf(x->code, sizeof(x->code), "%s", p->code);
    x->basis = p->basis;
    x->s26 = p->s26_exception;
    x->sensitive = p->sensitive;
    x->min_version = p->min_version;
    x->retired = p->retired_at != 0;
    return 0;
}

/* ---- consents ---- */

static uint64_t entry_hash(const uint8_t token[32], uint32_t purpose)
{
    uint64_t h;
    memcpy(&h, token, sizeof(h)); /* an HMAC output: uniform already */
    return h ^ ((uint64_t)purpose * 0x9E3779B97F4A7C15ULL);
}

static ixe *probe(ixe *slots, uint32_t cap, const uint8_t token[32], uint32_t purpose, uint64_t h)
{
    uint32_t i = (uint32_t)h & (cap - 1);
    for (;;) {
        ixe *e = &slots[i];
        if (!e->purpose || (e->purpose == purpose && memcmp(e->token, token, 32) == 0))
            return e;
        i = (i + 1) & (cap - 1);
    }
}

static int shard_grow(shard *sh)
{
    uint32_t cap = sh->cap ? sh->cap * 2 : 1024;
    ixe *slots = khm_calloc(cap, sizeof(ixe));
    if (!slots)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < sh->cap; i++) {
        ixe *e = &sh->slots[i];
        if (e->purpose)
            *probe(slots, cap, e->token, e->purpose, entry_hash(e->token, e->purpose)) = *e;
    }
    khm_free(sh->slots);
    sh->slots = slots;
    sh->cap = cap;
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

static void uuid_str(const uint8_t b[16], char out[KHM_ID_LEN])
{
    static const char hx[] = "0123456789abcdef";
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hx[b[i] >> 4];
        out[k++] = hx[b[i] & 15];
    }
    out[k] = '\0';
}

/* Apply one event (events come in seq order: the latest state wins). */
static int apply_event(khm_consent_index *ix, const snapshot *s, const khm_consent_event *ev)
{
    uint8_t token[32];
    int k = snap_find(s, NULL, ev->purpose_id);
    if (k < 0)
        return 1; /* a purpose committed after the purposes were read: stop, sync again */
    if (khm_hex_decode(token, 32, ev->subject, strlen(ev->subject)) < 0) {
        khm_err_clear();
        return 0; /* not a token: skip */
    }
    uint32_t pur = (uint32_t)k + 1;
    uint64_t h = entry_hash(token, pur);
    shard *sh = &ix->shards[h >> 58];
    pthread_rwlock_wrlock(&sh->lock);
    if ((sh->n + 1) * 4 > sh->cap * 3 && shard_grow(sh) < 0) {
        pthread_rwlock_unlock(&sh->lock);
        return KHM_ENOMEM;
    }
    ixe *e = probe(sh->slots, sh->cap, token, pur, h);
    if (!e->purpose) {
        memcpy(e->token, token, 32);
        e->purpose = pur;
        sh->n++;
        __atomic_add_fetch(&ix->pairs, 1, __ATOMIC_RELAXED);
    }
    e->state = ev->withdraw ? ST_WITHDRAWN : ST_GRANTED;
    if (!ev->withdraw) {
        e->text_version = (uint32_t)ev->text_version;
        e->expires_at = ev->expires_at;
        e->flags = ev->explicit_consent ? F_EXPLICIT : 0;
    }
    uuid_bin(ev->id, e->id);
    pthread_rwlock_unlock(&sh->lock);
    return 0;
}

typedef struct {
    khm_consent_index *ix;
    const snapshot *s;
    int stopped;
    int rc;
} event_sync;

static int on_event(const khm_consent_event *ev, void *payload)
{
    event_sync *es = payload;
    int r = apply_event(es->ix, es->s, ev);
    if (r < 0)
        es->rc = r;
    if (r != 0)
        es->stopped = 1;
    return r;
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
        ix->purpose_chg = ps.max_chg;
        next = NULL;
    }
    snap_free(next);
    event_sync es = { ix, __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE), 0, 0 };
    while (rc == 0) {
        int64_t last = ix->consent_seq;
        if ((rc = khm_store_consent_since(tx, ix->consent_seq, SYNC_BATCH, &last, on_event, &es)) <
            0)
            break;
        if (es.rc < 0) {
            rc = es.rc;
            break;
        }
        int64_t got = last - ix->consent_seq;
        ix->consent_seq = last;
        if (es.stopped || got < SYNC_BATCH)
            break;
    }
    khm_tx_rollback(tx);
    if (rc == 0 && !es.stopped)
        __atomic_store_n(&ix->seen, counter, __ATOMIC_RELEASE);
    return rc;
}

int khm_consent_index_sync(khm_consent_index *ix)
{
    uint64_t c = khm_store_consent_counter(ix->store);
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

int khm_consent_index_new(khm_consent_index **out, khm_store *s)
{
    *out = NULL;
    khm_consent_index *ix = khm_calloc(1, sizeof(*ix));
    if (!ix)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    ix->store = s;
    pthread_mutex_init(&ix->sync_lock, NULL);
    for (int i = 0; i < NSHARDS; i++)
        pthread_rwlock_init(&ix->shards[i].lock, NULL);
    int rc = khm_store_consent_watch(s);
    if (rc == 0) {
        uint64_t c = khm_store_consent_counter(s);
        ix->seen = c + 1; /* anything but c: the first sync reads everything */
        pthread_mutex_lock(&ix->sync_lock);
        rc = sync_locked(ix, c);
        pthread_mutex_unlock(&ix->sync_lock);
    }
    if (rc < 0) {
        khm_consent_index_free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

void khm_consent_index_free(khm_consent_index *ix)
{
    if (!ix)
        return;
    for (int i = 0; i < NSHARDS; i++) {
        khm_free(ix->shards[i].slots);
        pthread_rwlock_destroy(&ix->shards[i].lock);
    }
    snap_free(ix->snap);
    pthread_mutex_destroy(&ix->sync_lock);
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

int khm_consent_index_purpose(khm_consent_index *ix, const char *agency_id, const char *purpose,
                              int *basis)
{
    int rc = khm_consent_index_sync(ix);
    if (rc < 0)
        return rc;
    const snapshot *s = __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE);
    int k = purpose ? snap_find(s, agency_id, purpose) : -1;
    if (k < 0)
        return unknown_purpose(purpose);
    *basis = s->items[k].basis;
    return 0;
}

int khm_consent_check(khm_consent_index *ix, const char *agency_id, const char *purpose,
                      const unsigned char token[32], int64_t now, khm_consent_verdict *out)
{
    int rc = khm_consent_index_sync(ix);
    if (rc < 0)
        return rc;
    const snapshot *s = __atomic_load_n(&ix->snap, __ATOMIC_ACQUIRE);
    int k = purpose ? snap_find(s, agency_id, purpose) : -1;
    if (k < 0)
        return unknown_purpose(purpose);
    const ixp *p = &s->items[k];
    out->allow = 0;
    out->basis = p->basis;
    out->s26_exception = p->s26;
    out->consent_id[0] = '\0';
    out->expires_at = 0;
    out->text_version = 0;
    if (p->retired) {
        out->reason = KHM_CHECK_RETIRED;
        return 0;
    }
    if (p->basis != KHM_BASIS_CONSENT) {
        out->allow = 1;
        out->reason = KHM_CHECK_BASIS;
        return 0;
    }
    uint32_t pur = (uint32_t)k + 1;
    uint64_t h = entry_hash(token, pur);
    shard *sh = &ix->shards[h >> 58];
    ixe e = { { 0 }, 0, 0, 0, { 0 }, 0, 0 };
    pthread_rwlock_rdlock(&sh->lock);
    if (sh->cap)
        e = *probe(sh->slots, sh->cap, token, pur, h);
    pthread_rwlock_unlock(&sh->lock);
    if (!e.purpose) {
        out->reason = KHM_CHECK_NO_CONSENT;
        return 0;
    }
    uuid_str(e.id, out->consent_id);
    out->expires_at = e.expires_at;
    out->text_version = (int)e.text_version;
    if (e.state == ST_WITHDRAWN)
        out->reason = KHM_CHECK_WITHDRAWN;
    else if (e.expires_at && now >= e.expires_at)
        out->reason = KHM_CHECK_EXPIRED;
    else if ((int)e.text_version < p->min_version)
        out->reason = KHM_CHECK_RECONSENT;
    else if (p->sensitive && !(e.flags & F_EXPLICIT))
        out->reason = KHM_CHECK_NOT_EXPLICIT;
    else {
        out->allow = 1;
        out->reason = KHM_CHECK_CONSENT;
    }
    return 0;
}
