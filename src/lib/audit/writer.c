/* The group-commit writer: request threads queue events and wait; one thread writes whatever
 * is queued in one transaction (one fsync for the batch), signs a checkpoint every N events
 * or T ms, then wakes the waiters with the batch's result. A waiter returns only after its
 * event is durable or known lost — never "probably written".
 *
 * Aggregates (khm_audit_writer_aggregate): high-volume reads are counted in memory per
 * identical event (every field but the time and the request id) and written as one event per
 * aggregate every aggregate_ms, at khm_audit_writer_flush() and when the writer stops. Each
 * request thread counts into a stripe of its own (its own lock: no two request threads wait
 * on each other, and one preempted while holding it stalls nobody but the writer); the writer
 * takes every stripe in turn and merges the identical events of different stripes into one. */
#include <khomun/audit.h>

#include "audit_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/log.h>
#include <khomun/time.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define FAIL_RING   256
#define AGG_HEADS   128 /* hash chains of the open aggregates, per stripe */
#define AGG_STRIPES 16  /* request threads take one each, round robin */
#define AGG_MAX                                                                 \
    4096 /* open aggregates per window (all stripes); past it the caller writes \
            events alone */

typedef struct item {
    khm_audit_event ev; /* strings point into blob */
    char *blob;
    uint64_t ticket;
    void (*done)(void *arg, int rc); /* optional completion callback */
    void *done_arg;
    struct item *next;
} item;

/* An open aggregate: the event (strings in blob; ts = the first one's) and how many. */
typedef struct agg {
    struct item *it; /* the first event, copied */
    uint64_t hash;
    int64_t count, last_ts;
    struct agg *next; /* in its hash chain; in the detached list when written */
} agg;

/* The open aggregates of the request threads that count into it; padded to whole cache lines
 * (the writer is allocated 16-byte aligned, so neighbours share at most the line at the edge). */
typedef struct {
    pthread_mutex_t mu;
    agg *heads[AGG_HEADS];
    char pad[64 - (sizeof(pthread_mutex_t) + AGG_HEADS * sizeof(agg *)) % 64];
} agg_stripe;

struct khm_audit_writer {
    khm_store *s;
    khm_keys keys;
    khm_audit_opts opts;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work; /* the writer waits for events */
    pthread_cond_t done; /* submitters wait for durability */
    item *head, *tail;
    uint64_t issued;  /* last ticket handed out */
    uint64_t settled; /* every ticket ≤ settled is written or failed */
    struct {
        uint64_t lo, hi;
        int rc;
    } fails[FAIL_RING];
    unsigned nfails; /* total failures recorded (index = nfails % FAIL_RING) */
    int stop;
    int since_cp;   /* events since the last checkpoint */
    int64_t cp_due; /* ms: checkpoint when events are pending past this time */
    /* aggregates: the stripes (request threads count into them, each stripe under its own
     * lock); agg_due, agg_busy and agg_gen under mu */
    agg_stripe stripes[AGG_STRIPES];
    atomic_int agg_n;      /* open aggregates, all stripes */
    agg *agg_retry;        /* aggregates whose write failed: written with the next ones (writer) */
    int agg_closed;        /* the writer is stopping: no new aggregates (set under every stripe's
                              lock, read under one) */
    int64_t agg_due;       /* ms: write the aggregates then; 0 = none open */
    int agg_busy;          /* the writer is writing aggregates */
    uint64_t agg_gen;      /* aggregate writes finished */
    atomic_int agg_failed; /* the last aggregate write failed: callers write events alone */
};

/* The stripe of the calling thread: handed out round robin at its first aggregate. */
static atomic_uint stripe_next;
static _Thread_local unsigned stripe_mine; /* stripe + 1; 0 = none yet */

static agg_stripe *my_stripe(khm_audit_writer *w)
{
    if (!stripe_mine)
        stripe_mine = atomic_fetch_add(&stripe_next, 1) % AGG_STRIPES + 1;
    return &w->stripes[stripe_mine - 1];
}

static char *dup_into(char **p, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = *p;
    memcpy(d, s, n);
    *p += n;
    return d;
}

static item *item_new(const khm_audit_event *ev)
{
    const char *const src[] = { ev->actor_user, ev->actor_agency, ev->token_id, ev->action,
                                ev->target,     ev->purpose,      ev->outcome,  ev->reasons,
                                ev->request_id, ev->client };
    size_t total = 0;
    for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
        total += src[i] ? strlen(src[i]) + 1 : 0;
    item *it = khm_calloc(1, sizeof(*it));
    char *blob = khm_malloc(total ? total : 1);
    if (!it || !blob) {
        khm_free(it);
        khm_free(blob);
        return NULL;
    }
    char *p = blob;
    it->blob = blob;
    it->ev = *ev;
    if (!it->ev.ts)
        it->ev.ts = khm_time_now_ms(); /* the time it happened, not the time it was written */
    it->ev.actor_user = dup_into(&p, ev->actor_user);
    it->ev.actor_agency = dup_into(&p, ev->actor_agency);
    it->ev.token_id = dup_into(&p, ev->token_id);
    it->ev.action = dup_into(&p, ev->action);
    it->ev.target = dup_into(&p, ev->target);
    it->ev.purpose = dup_into(&p, ev->purpose);
    it->ev.outcome = dup_into(&p, ev->outcome);
    it->ev.reasons = dup_into(&p, ev->reasons);
    it->ev.request_id = dup_into(&p, ev->request_id);
    it->ev.client = dup_into(&p, ev->client);
    return it;
}

static void item_free(item *it)
{
    if (it) {
        khm_free(it->blob);
        khm_free(it);
    }
}

/* ---- aggregates ---- */

static const char *agg_fields(const khm_audit_event *ev, int i)
{
    const char *f[] = { ev->actor_user, ev->actor_agency, ev->token_id, ev->action, ev->target,
                        ev->purpose,    ev->outcome,      ev->reasons,  ev->client };
    return i < (int)(sizeof(f) / sizeof(f[0])) ? f[i] : NULL;
}
#define AGG_NFIELDS 9

/* A hash of every field but ts and request_id, eight bytes at a time. */
static uint64_t agg_hash(const khm_audit_event *ev)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uint32_t)ev->status;
    for (int i = 0; i < AGG_NFIELDS; i++) {
        const char *s = agg_fields(ev, i);
        size_t n = s ? strlen(s) : 0;
        h = (h ^ (s ? n + 1 : 0)) * 0xff51afd7ed558ccdULL;
        for (; n >= 8; n -= 8, s += 8) {
            uint64_t v;
            memcpy(&v, s, 8);
            h = (h ^ v) * 0xc4ceb9fe1a85ec53ULL;
            h ^= h >> 29;
        }
        if (n) {
            uint64_t v = 0;
            memcpy(&v, s, n);
            h = (h ^ v) * 0xc4ceb9fe1a85ec53ULL;
            h ^= h >> 29;
        }
    }
    return h ^ (h >> 32);
}

static int agg_same(const khm_audit_event *a, const khm_audit_event *b)
{
    if (a->status != b->status)
        return 0;
    for (int i = 0; i < AGG_NFIELDS; i++) {
        const char *x = agg_fields(a, i), *y = agg_fields(b, i);
        if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
            return 0;
    }
    return 1;
}

static void agg_free_list(agg *a)
{
    while (a) {
        agg *n = a->next;
        item_free(a->it);
        khm_free(a);
        a = n;
    }
}

/* Write @p batch in one transaction; returns 0 or the error (nothing of it is then stored). */
static int write_batch(khm_audit_writer *w, item *batch, int n, int force_cp)
{
    khm_tx *tx;
    khm_buf scratch = KHM_BUF_INIT(1 << 20), text = KHM_BUF_INIT(1 << 20);
    int64_t seq;
    char head[65];
    int rc = khm_tx_begin(&tx, w->s, 1);
    if (rc < 0)
        return rc;
    rc = khm_store_audit_head(tx, &seq, head);
    /* the inserts go to the database together (one round trip on PostgreSQL); a failure of
     * any of them is reported by khm_tx_batch_end() and fails the batch */
    int batched = rc == 0 && n > 1 && (rc = khm_tx_batch_begin(tx)) == 0;
    for (item *it = batch; rc == 0 && it; it = it->next) {
        khm_audit_row r;
        if ((rc = khm_audit__make_row(&r, &it->ev, ++seq, head, &scratch, &text)) == 0 &&
            (rc = khm_store_audit_insert(tx, &r)) == 0)
            memcpy(head, r.hash, sizeof(head));
    }
    if (batched) {
        int end = khm_tx_batch_end(tx);
        if (rc == 0)
            rc = end;
    }
    /* since_cp and cp_due are shared with khm_audit_writer_note(): read and write them locked */
    pthread_mutex_lock(&w->mu);
    int want_cp =
        force_cp || w->since_cp + n >= w->opts.checkpoint_every || khm_time_now_ms() >= w->cp_due;
    pthread_mutex_unlock(&w->mu);
    if (rc == 0 && want_cp)
        rc = khm_audit_checkpoint(tx, &w->keys, NULL); /* no-op when the head is covered */
    if (rc == 0)
        rc = khm_tx_commit(tx);
    else
        khm_tx_rollback(tx);
    khm_buf_dispose(&scratch);
    khm_buf_dispose(&text);
    pthread_mutex_lock(&w->mu);
    if (rc == 0) {
        w->since_cp = want_cp ? 0 : w->since_cp + n;
        if (want_cp)
            w->cp_due = khm_time_now_ms() + w->opts.checkpoint_ms;
    } else {
        w->cp_due = khm_time_now_ms() + w->opts.checkpoint_ms; /* retry later, not in a loop */
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* Write the open aggregates (and those a failed write left) in one transaction, one event each:
 * the first one's time, no request id, reasons "aggregate: N events from T1 to T2; <reasons>".
 * Called by the writer thread without mu. */
static int agg_write(khm_audit_writer *w)
{
    /* take every stripe's aggregates, one stripe locked at a time; the same event counted in
     * two stripes (two threads) becomes one aggregate: counts summed, first and last time */
    agg *merged[AGG_HEADS] = { 0 };
    for (int k = 0; k < AGG_STRIPES; k++) {
        agg_stripe *st = &w->stripes[k];
        agg *taken = NULL;
        int n = 0;
        pthread_mutex_lock(&st->mu);
        for (int i = 0; i < AGG_HEADS; i++) {
            agg *a = st->heads[i];
            while (a) {
                agg *next = a->next;
                a->next = taken;
                taken = a;
                a = next;
                n++;
            }
            st->heads[i] = NULL;
        }
        pthread_mutex_unlock(&st->mu);
        if (n)
            atomic_fetch_sub(&w->agg_n, n);
        while (taken) {
            agg *a = taken, *m;
            taken = a->next;
            agg **head = &merged[a->hash % AGG_HEADS];
            for (m = *head; m && !(m->hash == a->hash && agg_same(&m->it->ev, &a->it->ev));
                 m = m->next)
                ;
            if (m) {
                m->count += a->count;
                if (a->it->ev.ts < m->it->ev.ts)
                    m->it->ev.ts = a->it->ev.ts;
                if (a->last_ts > m->last_ts)
                    m->last_ts = a->last_ts;
                a->next = NULL;
                agg_free_list(a);
            } else {
                a->next = *head;
                *head = a;
            }
        }
    }
    agg *list = w->agg_retry;
    w->agg_retry = NULL;
    for (int i = 0; i < AGG_HEADS; i++) {
        agg *a = merged[i];
        while (a) {
            agg *next = a->next;
            a->next = list;
            list = a;
            a = next;
        }
    }
    if (!list)
        return 0;
    item *batch = NULL, **tail = &batch;
    int n = 0, rc = 0;
    for (agg *a = list; a; a = a->next) {
        khm_audit_event ev = a->it->ev;
        char first[KHM_TIME_RFC3339_LEN], last[KHM_TIME_RFC3339_LEN];
        khm_time_format(first, ev.ts);
        khm_time_format(last, a->last_ts);
        size_t cap = 96 + 2 * KHM_TIME_RFC3339_LEN + (ev.reasons ? strlen(ev.reasons) : 0);
        char *reasons = khm_malloc(cap);
        if (!reasons) {
            rc = khm_err_set(KHM_ENOMEM, "out of memory writing aggregated audit events");
            break;
        }
        snprintf(reasons, cap, "aggregate: %lld events from %s to %s%s%s", (long long)a->count,
                 first, last, ev.reasons ? "; " : "", ev.reasons ? ev.reasons : "");
        ev.reasons = reasons;
        ev.request_id = NULL;
        item *it = item_new(&ev);
        khm_free(reasons);
        if (!it) {
            rc = khm_err_set(KHM_ENOMEM, "out of memory writing aggregated audit events");
            break;
        }
        *tail = it;
        tail = &it->next;
        n++;
    }
    if (rc == 0)
        rc = write_batch(w, batch, n, 0);
    while (batch) {
        item *next = batch->next;
        item_free(batch);
        batch = next;
    }
    atomic_store(&w->agg_failed, rc < 0);
    if (rc < 0) { /* keep them (with their counts) for the next write */
        agg *end = list;
        while (end->next)
            end = end->next;
        end->next = w->agg_retry;
        w->agg_retry = list;
        list = NULL;
    }
    agg_free_list(list);
    return rc < 0 ? rc : n;
}

static void *writer_main(void *arg)
{
    khm_audit_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        int64_t now = khm_time_now_ms();
        while (!w->head && !w->stop && !(w->agg_due && now >= w->agg_due)) {
            /* wake up every checkpoint_ms to sign a quiet head — also when only write
             * transactions (khm_audit_append) moved it, which this thread does not see — and
             * when the aggregates are due */
            int64_t due = w->agg_due && w->agg_due < w->cp_due ? w->agg_due : w->cp_due;
            int64_t wait_ms = due - now;
            if (wait_ms <= 0)
                break;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += wait_ms / 1000;
            ts.tv_nsec += (wait_ms % 1000) * 1000000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&w->work, &w->mu, &ts);
            now = khm_time_now_ms();
        }
        if (w->agg_due && (w->stop || now >= w->agg_due)) {
            w->agg_due = 0;
            w->agg_busy = 1;
            pthread_mutex_unlock(&w->mu);
            int rc = agg_write(w);
            if (rc < 0)
                khm_log(KHM_LOG_ERROR, "audit: could not write the aggregated events: %s",
                        khm_err_last()->message);
            pthread_mutex_lock(&w->mu);
            w->agg_busy = 0;
            w->agg_gen++;
            if (rc < 0 && !w->stop) /* retry after a window, not in a loop */
                w->agg_due = khm_time_now_ms() + w->opts.aggregate_ms;
            /* counted into a stripe already taken while the others were: that window is open
             * though its first event saw other aggregates still open */
            if (!w->agg_due && atomic_load(&w->agg_n) > 0)
                w->agg_due = khm_time_now_ms() + w->opts.aggregate_ms;
            pthread_cond_broadcast(&w->done);
            continue;
        }
        if (!w->head && w->stop) {
            /* sign the final head before stopping (a no-op when a checkpoint covers it) */
            pthread_mutex_unlock(&w->mu);
            if (write_batch(w, NULL, 0, 1) < 0)
                khm_log(KHM_LOG_ERROR, "audit: final checkpoint failed: %s",
                        khm_err_last()->message);
            pthread_mutex_lock(&w->mu);
            break;
        }
        /* take up to max_batch events */
        item *batch = w->head, *last = NULL;
        int n = 0;
        for (item *it = w->head; it && n < w->opts.max_batch; it = it->next) {
            last = it;
            n++;
        }
        if (last) {
            w->head = last->next;
            if (!w->head)
                w->tail = NULL;
            last->next = NULL;
        } else {
            batch = NULL;
        }
        pthread_mutex_unlock(&w->mu);

        /* no batch: the timer fired; checkpoint the head unless it is covered already */
        int rc = write_batch(w, batch, n, !batch);
        if (rc < 0 && batch)
            khm_log(KHM_LOG_ERROR, "audit: could not write %d event(s): %s", n,
                    khm_err_last()->message);
        else if (rc < 0)
            khm_log(KHM_LOG_ERROR, "audit: checkpoint failed: %s", khm_err_last()->message);

        pthread_mutex_lock(&w->mu);
        if (batch) {
            if (rc < 0) {
                unsigned k = w->nfails++ % FAIL_RING;
                w->fails[k].lo = batch->ticket;
                w->fails[k].hi = last->ticket;
                w->fails[k].rc = rc;
            }
            w->settled = last->ticket;
            pthread_cond_broadcast(&w->done);
        }
        pthread_mutex_unlock(&w->mu);
        while (batch) {
            item *next = batch->next;
            if (batch->done)
                batch->done(batch->done_arg, rc < 0 ? rc : 0);
            item_free(batch);
            batch = next;
        }
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int khm_audit_writer_new(khm_audit_writer **out, khm_store *s, const khm_keys *keys,
                         const khm_audit_opts *opts)
{
    khm_audit_writer *w = khm_calloc(1, sizeof(*w));
    if (!w)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    w->s = s;
    w->keys = *keys;
    if (opts)
        w->opts = *opts;
    if (w->opts.checkpoint_every <= 0)
        w->opts.checkpoint_every = 1000;
    if (w->opts.checkpoint_ms <= 0)
        w->opts.checkpoint_ms = 5000;
    if (w->opts.max_batch <= 0)
        w->opts.max_batch = 4096;
    if (w->opts.aggregate_ms <= 0)
        w->opts.aggregate_ms = 1000;
    w->cp_due = khm_time_now_ms() + w->opts.checkpoint_ms;
    pthread_mutex_init(&w->mu, NULL);
    for (int i = 0; i < AGG_STRIPES; i++)
        pthread_mutex_init(&w->stripes[i].mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    int e = pthread_create(&w->thread, NULL, writer_main, w);
    if (e != 0) {
        khm_keys_wipe(&w->keys);
        khm_free(w);
        return khm_err_set(KHM_ERROR, "cannot start the audit writer: %s", strerror(e));
    }
    *out = w;
    return 0;
}

static int enqueue(khm_audit_writer *w, const khm_audit_event *ev, uint64_t *ticket,
                   void (*done)(void *, int), void *arg)
{
    /* checked here, as khm_audit__make_row will: one bad event in a batch would fail it all */
    if (!ev->action || !*ev->action || !ev->outcome || !*ev->outcome)
        return khm_err_set(KHM_EINVALID, "an audit event needs an action and an outcome");
    item *it = item_new(ev);
    if (!it)
        return khm_err_set(KHM_ENOMEM, "out of memory queueing an audit event");
    it->done = done;
    it->done_arg = arg;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        item_free(it);
        return khm_err_set(KHM_EUNAVAIL, "the audit writer is stopping");
    }
    it->ticket = ++w->issued;
    if (w->tail)
        w->tail->next = it;
    else
        w->head = it;
    w->tail = it;
    if (ticket)
        *ticket = it->ticket;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

int khm_audit_writer_enqueue(khm_audit_writer *w, const khm_audit_event *ev, uint64_t *ticket)
{
    return enqueue(w, ev, ticket, NULL, NULL);
}

int khm_audit_writer_enqueue_cb(khm_audit_writer *w, const khm_audit_event *ev,
                                void (*done)(void *arg, int rc), void *arg)
{
    return enqueue(w, ev, NULL, done, arg);
}

int khm_audit_writer_wait(khm_audit_writer *w, uint64_t ticket)
{
    int rc = 0;
    pthread_mutex_lock(&w->mu);
    while (w->settled < ticket)
        pthread_cond_wait(&w->done, &w->mu);
    unsigned from = w->nfails > FAIL_RING ? w->nfails - FAIL_RING : 0;
    for (unsigned i = from; i < w->nfails; i++) {
        unsigned k = i % FAIL_RING;
        if (ticket >= w->fails[k].lo && ticket <= w->fails[k].hi)
            rc = w->fails[k].rc;
    }
    pthread_mutex_unlock(&w->mu);
    if (rc < 0)
        return khm_err_set(rc == KHM_ENOMEM ? KHM_ENOMEM : KHM_EUNAVAIL,
                           "the audit event could not be written, so the request fails");
    return 0;
}

int khm_audit_writer_submit(khm_audit_writer *w, const khm_audit_event *ev)
{
    uint64_t t;
    int rc = khm_audit_writer_enqueue(w, ev, &t);
    return rc < 0 ? rc : khm_audit_writer_wait(w, t);
}

void khm_audit_writer_note(khm_audit_writer *w, int n)
{
    pthread_mutex_lock(&w->mu);
    w->since_cp += n;
    if (w->since_cp >= w->opts.checkpoint_every) {
        w->cp_due = 0; /* due now: the writer wakes and signs the head */
        pthread_cond_signal(&w->work);
    }
    pthread_mutex_unlock(&w->mu);
}

int khm_audit_writer_aggregate(khm_audit_writer *w, const khm_audit_event *ev)
{
    if (!ev->action || !*ev->action || !ev->outcome || !*ev->outcome)
        return khm_err_set(KHM_EINVALID, "an audit event needs an action and an outcome");
    int64_t ts = ev->ts ? ev->ts : khm_time_now_ms();
    uint64_t h = agg_hash(ev);
    agg_stripe *st = my_stripe(w);
    agg **head = &st->heads[h % AGG_HEADS], *a;
    int first = 0, rc = 0;
    pthread_mutex_lock(&st->mu);
    if (w->agg_closed || atomic_load_explicit(&w->agg_failed, memory_order_relaxed)) {
        rc = khm_err_set(KHM_EUNAVAIL, w->agg_closed ? "the audit writer is stopping"
                                                     : "the aggregated audit events could not "
                                                       "be written");
    } else {
        for (a = *head; a && !(a->hash == h && agg_same(&a->it->ev, ev)); a = a->next)
            ;
        if (a) {
            a->count++;
            if (ts > a->last_ts)
                a->last_ts = ts;
            if (ts < a->it->ev.ts)
                a->it->ev.ts = ts;
        } else {
            int n = atomic_fetch_add(&w->agg_n, 1);
            if (n >= AGG_MAX) {
                atomic_fetch_sub(&w->agg_n, 1);
                rc = khm_err_set(KHM_ELIMIT, "%d aggregates are open: write the event alone",
                                 AGG_MAX);
            } else if (!(a = khm_calloc(1, sizeof(*a))) || !(a->it = item_new(ev))) {
                khm_free(a);
                atomic_fetch_sub(&w->agg_n, 1);
                rc = khm_err_set(KHM_ENOMEM, "out of memory counting an audit event");
            } else {
                a->it->ev.ts = ts;
                a->hash = h;
                a->count = 1;
                a->last_ts = ts;
                a->next = *head;
                *head = a;
                first = n == 0;
            }
        }
    }
    pthread_mutex_unlock(&st->mu);
    if (first) { /* the window opens: the writer writes it aggregate_ms from now */
        pthread_mutex_lock(&w->mu);
        if (!w->agg_due) {
            w->agg_due = khm_time_now_ms() + w->opts.aggregate_ms;
            pthread_cond_signal(&w->work);
        }
        pthread_mutex_unlock(&w->mu);
    }
    return rc;
}

void khm_audit_writer_flush(khm_audit_writer *w)
{
    pthread_mutex_lock(&w->mu);
    uint64_t last = w->issued;
    while (w->settled < last)
        pthread_cond_wait(&w->done, &w->mu);
    /* the aggregates counted so far: wait for a write under way, then have them written now */
    uint64_t g = w->agg_gen;
    if (w->agg_busy)
        while (w->agg_gen == g)
            pthread_cond_wait(&w->done, &w->mu);
    if (w->agg_due && !w->stop) {
        g = w->agg_gen;
        w->agg_due = 1; /* due now */
        pthread_cond_signal(&w->work);
        while (w->agg_gen == g)
            pthread_cond_wait(&w->done, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
}

void khm_audit_writer_free(khm_audit_writer *w)
{
    if (!w)
        return;
    /* under every stripe's lock: an aggregate counted before is in its stripe when the writer
     * takes them for the last time, none is counted after */
    for (int i = 0; i < AGG_STRIPES; i++)
        pthread_mutex_lock(&w->stripes[i].mu);
    w->agg_closed = 1;
    for (int i = AGG_STRIPES - 1; i >= 0; i--)
        pthread_mutex_unlock(&w->stripes[i].mu);
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    /* what a failed write left (logged by the writer) */
    for (int k = 0; k < AGG_STRIPES; k++)
        for (int i = 0; i < AGG_HEADS; i++)
            agg_free_list(w->stripes[k].heads[i]);
    if (w->agg_retry) {
        int64_t lost = 0;
        for (agg *a = w->agg_retry; a; a = a->next)
            lost += a->count;
        khm_log(KHM_LOG_ERROR, "audit: %lld aggregated events could not be written at stop",
                (long long)lost);
    }
    agg_free_list(w->agg_retry);
    pthread_mutex_destroy(&w->mu);
    for (int i = 0; i < AGG_STRIPES; i++)
        pthread_mutex_destroy(&w->stripes[i].mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    khm_keys_wipe(&w->keys);
    khm_free(w);
}
