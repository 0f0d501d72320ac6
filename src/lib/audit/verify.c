/* Verification and export of the audit chain. One verifier serves both sources (the live store
 * and an export file): it checks that positions are contiguous, that each event's hash is the
 * hash of its content after its predecessor, and that each checkpoint is signed by the given
 * key and matches the event it covers. Memory stays bounded: checkpoints (one per N events) are
 * loaded first and matched while the events stream past. */
#include <khomun/audit.h>

#include "audit_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/hash.h>
#include <khomun/json.h>
#include <khomun/time.h>

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const unsigned char *pk;
    khm_audit_report *rep;
    khm_buf scratch;
    int64_t expect_seq;               /* next position */
    char prev[65];                    /* hash the next event must name as its predecessor */
    uint8_t prev_raw[KHM_SHA256_LEN]; /* the same, as bytes (saves decoding it per event) */
    int have_raw;
    char prev2[65]; /* the one before (to tell an insertion) */
    khm_audit_checkpoint_row *cps;
    size_t ncps, capcps, next_cp;
    int started;
    /* an event whose link names neither of the two before it: the next event tells why */
    int pending;
    int64_t pending_seq;
    char pending_hash[65], pending_link[65];
    int64_t to;         /* last event checked (0 = the head); later checkpoints are ignored */
    int64_t anchor_seq; /* the first event links to this one, whose hash is prev (0 = none) */
    int64_t anchor_cp;  /* the archive anchor: the checkpoint that must sign it */
    int anchor_archive; /* the anchor is the store's archive anchor: a checkpoint must sign it */
    int anchor_signed;  /* a checkpoint signed by the key covers the anchor */
    int anchor_done;    /* the anchor's checkpoints were checked */
    int lost_anchor;    /* store from event 1 without an archive: tell a removed anchor */
} verifier;

__attribute__((format(printf, 4, 5))) static int bad(verifier *v, const char *kind, int64_t seq,
                                                     const char *fmt, ...)
{
    va_list ap;
    khm_audit_report *r = v->rep;
    if (!r->ok)
        return 1; /* keep the first problem */
    r->ok = 0;
    r->kind = kind;
    r->bad_seq = seq;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof(r->message), fmt, ap);
    va_end(ap);
    return 1;
}

static int add_cp(const khm_audit_checkpoint_row *c, void *p)
{
    verifier *v = p;
    if (v->to > 0 && c->event_seq > v->to)
        return 0; /* past the range checked */
    if (v->ncps == v->capcps) {
        size_t cap = v->capcps ? v->capcps * 2 : 64;
        void *n = khm_realloc(v->cps, cap * sizeof(*v->cps));
        if (!n)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        v->cps = n;
        v->capcps = cap;
    }
    v->cps[v->ncps++] = *c;
    return 0;
}

/* Signature and key of one checkpoint; 1 when it holds. */
static int cp_signed(verifier *v, const khm_audit_checkpoint_row *c)
{
    unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
    char msg[256];
    if (khm_hex_decode(sig, sizeof(sig), c->signature, strlen(c->signature)) < 0 ||
        khm_hex_decode(pk, sizeof(pk), c->public_key, strlen(c->public_key)) < 0) {
        khm_err_clear();
        return 0;
    }
    if (sodium_memcmp(pk, v->pk, sizeof(pk)) != 0)
        return 0; /* signed by another key: not ours, whatever the signature says */
    size_t n = khm_audit_checkpoint_message(msg, sizeof(msg), c);
    return crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, v->pk) == 0;
}

/* The checkpoints at the anchor (before the first event): each must be signed and name the
 * anchor's hash; an archive anchor must be signed by its own checkpoint. 1 at a problem. */
static int check_anchor(verifier *v)
{
    int found = 0;
    if (v->anchor_done)
        return 0;
    v->anchor_done = 1;
    if (v->anchor_seq <= 0)
        return 0;
    v->rep->anchor_seq = v->anchor_seq;
    v->rep->head_seq = v->anchor_seq; /* until an event follows */
    memcpy(v->rep->head_hash, v->prev, sizeof(v->rep->head_hash));
    while (v->next_cp < v->ncps && v->cps[v->next_cp].event_seq <= v->anchor_seq) {
        khm_audit_checkpoint_row *c = &v->cps[v->next_cp++];
        if (c->event_seq < v->anchor_seq)
            continue;
        if (!cp_signed(v, c))
            return bad(v, "forged-checkpoint", c->seq,
                       "checkpoint %lld (at event %lld) is not signed by this installation's key",
                       (long long)c->seq, (long long)c->event_seq);
        if (strcmp(c->event_hash, v->prev) != 0)
            return bad(v, "anchor", v->anchor_seq,
                       "the anchor at event %lld, which the chain continues from, does not match "
                       "checkpoint %lld: it signed another hash for that event",
                       (long long)v->anchor_seq, (long long)c->seq);
        if (!v->anchor_archive || c->seq == v->anchor_cp)
            found = 1;
        v->rep->checkpoints++;
        v->rep->last_checkpoint = c->event_seq;
    }
    v->anchor_signed = found;
    if (!found && v->anchor_archive)
        return bad(v, "anchor", v->anchor_seq,
                   "the archive anchor at event %lld is not signed: its checkpoint %lld is gone",
                   (long long)v->anchor_seq, (long long)v->anchor_cp);
    return 0;
}

/* The first event comes after position 1 with no archive anchor. When what is left looks like
 * an archive — a signed checkpoint covers the event it links to, and none covers an earlier
 * one (an archive deletes those) — the anchor was removed: 1. Otherwise a deletion is reported
 * by the caller. */
static int lost_anchor(verifier *v, const khm_audit_row *first)
{
    const khm_audit_checkpoint_row *at = NULL;
    for (size_t i = 0; i < v->ncps; i++) {
        const khm_audit_checkpoint_row *c = &v->cps[i];
        if (c->event_seq < first->seq - 1)
            return 0;
        if (c->event_seq == first->seq - 1 && strcmp(c->event_hash, first->prev_hash) == 0 &&
            cp_signed(v, c))
            at = c;
    }
    if (!at)
        return 0;
    return bad(v, "anchor", at->event_seq,
               "events 1 to %lld are not in the store and no archive anchor accounts for them: "
               "the archive anchor was removed (or the events deleted)",
               (long long)at->event_seq);
}

/* Event k (pending) did not link to event k-1, whose hash is v->prev; @p next is event k+1. */
static int resolve_pending(verifier *v, const khm_audit_row *next)
{
    long long k = (long long)v->pending_seq;
    if (strcmp(next->prev_hash, v->prev) == 0 && strcmp(v->pending_link, next->hash) == 0)
        return bad(v, "reordered", v->pending_seq, "events %lld and %lld were swapped", k, k + 1);
    if (strcmp(next->prev_hash, v->prev) == 0)
        return bad(v, "inserted", v->pending_seq,
                   "event %lld was inserted: event %lld links to the event before it", k, k + 1);
    if (strcmp(next->prev_hash, v->pending_hash) == 0)
        return bad(v, "deleted", v->pending_seq,
                   "an event before position %lld was deleted and the rest renumbered: event "
                   "%lld links to an event that is not in the chain",
                   k, k);
    return bad(v, "reordered", v->pending_seq,
               "event %lld does not follow event %lld (events reordered, or an event before it "
               "was removed and the rest renumbered)",
               k, k - 1);
}

static int on_event(const khm_audit_row *row, void *p)
{
    verifier *v = p;
    khm_audit_row r = *row;
    if (!v->rep->ok)
        return 1;
    if (v->pending)
        return resolve_pending(v, row);
    if (!v->started) {
        v->started = 1;
        if (v->prev[0] == '\0') /* no anchor given: trust the first event's link */
            memcpy(v->prev, row->prev_hash, sizeof(v->prev));
        if (check_anchor(v))
            return 1;
        if (v->lost_anchor && row->seq > v->expect_seq && lost_anchor(v, row))
            return 1;
    }
    if (row->seq != v->expect_seq) {
        if (row->seq > v->expect_seq)
            return bad(v, "deleted", v->expect_seq,
                       "event %lld is missing (the chain jumps from %lld to %lld)",
                       (long long)v->expect_seq, (long long)v->expect_seq - 1, (long long)row->seq);
        return bad(v, "inserted", row->seq, "event position %lld appears twice",
                   (long long)row->seq);
    }
    uint8_t h[KHM_SHA256_LEN], decoded[KHM_SHA256_LEN];
    const uint8_t *link = v->prev_raw;
    if (!v->have_raw || strcmp(row->prev_hash, v->prev) != 0) {
        if (khm_hex_decode(decoded, sizeof(decoded), row->prev_hash, strlen(row->prev_hash)) < 0)
            return bad(v, "malformed", row->seq, "event %lld: its previous hash is not hex",
                       (long long)row->seq);
        link = decoded;
    }
    if (khm_audit__hash(h, &r, link, &v->scratch) < 0)
        return bad(v, "malformed", row->seq, "event %lld cannot be hashed: %s", (long long)row->seq,
                   khm_err_last()->message);
    khm_hex_encode(r.hash, h, sizeof(h));
    if (strcmp(r.hash, row->hash) != 0)
        return bad(v, "modified", row->seq,
                   "event %lld was modified: its content does not hash to the stored hash",
                   (long long)row->seq);
    if (strcmp(row->prev_hash, v->prev) != 0) {
        if (v->prev2[0] && strcmp(row->prev_hash, v->prev2) == 0)
            return bad(v, "inserted", row->seq - 1,
                       "event %lld was inserted: event %lld links to the event before it",
                       (long long)row->seq - 1, (long long)row->seq);
        /* swapped, inserted or a deletion renumbered over: the next event's link tells */
        v->pending = 1;
        v->pending_seq = row->seq;
        memcpy(v->pending_hash, row->hash, sizeof(v->pending_hash));
        memcpy(v->pending_link, row->prev_hash, sizeof(v->pending_link));
        v->expect_seq++;
        return 0;
    }
    /* checkpoints covering this position */
    while (v->next_cp < v->ncps && v->cps[v->next_cp].event_seq <= row->seq) {
        khm_audit_checkpoint_row *c = &v->cps[v->next_cp++];
        if (c->event_seq < row->seq)
            continue; /* before where we started */
        if (!cp_signed(v, c))
            return bad(v, "forged-checkpoint", c->seq,
                       "checkpoint %lld (at event %lld) is not signed by this installation's key",
                       (long long)c->seq, (long long)c->event_seq);
        if (strcmp(c->event_hash, row->hash) != 0)
            return bad(v, "checkpoint-mismatch", row->seq,
                       "checkpoint %lld signed a different event %lld: the chain up to it was "
                       "rewritten",
                       (long long)c->seq, (long long)row->seq);
        v->rep->checkpoints++;
        v->rep->last_checkpoint = c->event_seq;
    }
    memcpy(v->prev2, v->prev, sizeof(v->prev2));
    memcpy(v->prev, row->hash, sizeof(v->prev));
    memcpy(v->prev_raw, h, sizeof(h));
    v->have_raw = 1;
    v->rep->events++;
    v->rep->head_seq = row->seq;
    memcpy(v->rep->head_hash, row->hash, sizeof(v->rep->head_hash));
    v->expect_seq++;
    return 0;
}

static void verifier_init(verifier *v, const unsigned char pk[32], khm_audit_report *out)
{
    memset(v, 0, sizeof(*v));
    memset(out, 0, sizeof(*out));
    out->ok = 1;
    v->pk = pk;
    v->rep = out;
    khm_buf_init(&v->scratch, 1 << 20);
}

/* After the last event: checkpoints past the head mean the tail was cut off. */
static void verifier_finish(verifier *v)
{
    if (v->rep->ok && !v->started)
        check_anchor(v); /* no event after the anchor */
    if (v->pending && v->rep->ok)
        bad(v, "reordered", v->pending_seq,
            "event %lld does not follow event %lld (events reordered, or an event before it was "
            "removed and the rest renumbered)",
            (long long)v->pending_seq, (long long)v->pending_seq - 1);
    for (; v->rep->ok && v->next_cp < v->ncps; v->next_cp++) {
        khm_audit_checkpoint_row *c = &v->cps[v->next_cp];
        if (!cp_signed(v, c)) {
            bad(v, "forged-checkpoint", c->seq,
                "checkpoint %lld (at event %lld) is not signed by this installation's key",
                (long long)c->seq, (long long)c->event_seq);
            break;
        }
        bad(v, "truncated", v->rep->head_seq + 1,
            "the chain was truncated: checkpoint %lld signed event %lld but the chain ends at %lld",
            (long long)c->seq, (long long)c->event_seq, (long long)v->rep->head_seq);
    }
    if (v->rep->ok) {
        char after[96] = "";
        if (v->anchor_seq)
            snprintf(after, sizeof(after), " after %sanchor %lld%s",
                     v->anchor_archive ? "archive " : "", (long long)v->anchor_seq,
                     v->anchor_signed ? "" : " (not covered by a checkpoint)");
        snprintf(v->rep->message, sizeof(v->rep->message),
                 "%lld events and %lld checkpoints verified%s; head %lld, last checkpoint at %lld",
                 (long long)v->rep->events, (long long)v->rep->checkpoints, after,
                 (long long)v->rep->head_seq, (long long)v->rep->last_checkpoint);
    }
    khm_buf_dispose(&v->scratch);
    khm_free(v->cps);
}

/* Anchor for verifying from the middle: the predecessor's stored hash. */
static int anchor(const khm_audit_row *r, void *p)
{
    memcpy(p, r->hash, 65);
    return 1;
}

/* ---- reading and checking side by side ----
 * Reading a row from the store and hashing it each take about half the time of verification
 * (bench/audit), so a reader thread copies rows into batches while the calling thread checks
 * them, in order, with the same on_event(). The transaction passes to the reader and back:
 * never used by two threads at once. */

#define PIPE_ROWS  512
#define PIPE_SLOTS 4
#define PIPE_NSTR  10

typedef struct {
    khm_audit_row rows[PIPE_ROWS];
    size_t off[PIPE_ROWS][PIPE_NSTR]; /* string offsets into text while filling; SIZE_MAX = NULL */
    khm_buf text;
    int n;
} pipe_batch;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pipe_batch *b;          /* PIPE_SLOTS batches, used in turn */
    unsigned filled, taken; /* batches published by the reader / released by the checker */
    int done, stop, rc;
    int err_code;
    char err[256]; /* the reader's error message (errors are per thread) */
    khm_tx *tx;
    int64_t from, to;
} pipe_state;

static const char **row_str(khm_audit_row *r, int i)
{
    const char **f[PIPE_NSTR] = { &r->actor_user, &r->actor_agency, &r->token_id, &r->action,
                                  &r->target,     &r->purpose,      &r->outcome,  &r->reasons,
                                  &r->request_id, &r->client };
    return f[i];
}

/* The batch being filled is complete: point its strings into its text, hand it over. */
static int pipe_publish(pipe_state *ps)
{
    pipe_batch *b = &ps->b[ps->filled % PIPE_SLOTS];
    for (int i = 0; i < b->n; i++)
        for (int k = 0; k < PIPE_NSTR; k++)
            *row_str(&b->rows[i], k) = b->off[i][k] == SIZE_MAX ? NULL : b->text.ptr + b->off[i][k];
    pthread_mutex_lock(&ps->mu);
    ps->filled++;
    pthread_cond_broadcast(&ps->cv);
    while (!ps->stop && ps->filled - ps->taken == PIPE_SLOTS)
        pthread_cond_wait(&ps->cv, &ps->mu); /* every slot is waiting to be checked */
    int stop = ps->stop;
    pthread_mutex_unlock(&ps->mu);
    if (!stop) {
        b = &ps->b[ps->filled % PIPE_SLOTS];
        b->n = 0;
        khm_buf_reset(&b->text);
    }
    return stop;
}

static int pipe_row(const khm_audit_row *r, void *p)
{
    pipe_state *ps = p;
    pipe_batch *b = &ps->b[ps->filled % PIPE_SLOTS];
    khm_audit_row *d = &b->rows[b->n];
    *d = *r;
    for (int k = 0; k < PIPE_NSTR; k++) {
        const char *s = *row_str(d, k);
        b->off[b->n][k] = SIZE_MAX;
        if (s) {
            b->off[b->n][k] = b->text.len;
            int rc = khm_buf_put(&b->text, s, strlen(s) + 1);
            if (rc < 0)
                return rc;
        }
    }
    if (++b->n == PIPE_ROWS)
        return pipe_publish(ps);
    return 0;
}

static void *pipe_reader(void *p)
{
    pipe_state *ps = p;
    int rc = khm_store_audit_each(ps->tx, ps->from, ps->to, pipe_row, ps);
    if (rc == 0 && ps->b[ps->filled % PIPE_SLOTS].n > 0)
        rc = pipe_publish(ps);
    pthread_mutex_lock(&ps->mu);
    ps->rc = rc < 0 ? rc : 0;
    if (rc < 0) {
        ps->err_code = khm_err_last()->code;
        snprintf(ps->err, sizeof(ps->err), "%s", khm_err_last()->message);
    }
    ps->done = 1;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
    return NULL;
}

/* on_event for every event from @p from to v->to; 1 when it stopped at a problem, or an error. */
static int check_events(khm_tx *tx, int64_t from, verifier *v)
{
    pipe_state ps;
    pthread_t th;
    memset(&ps, 0, sizeof(ps));
    ps.tx = tx;
    ps.from = from;
    ps.to = v->to;
    ps.b = khm_calloc(PIPE_SLOTS, sizeof(*ps.b));
    if (!ps.b)
        return khm_store_audit_each(tx, from, v->to, on_event, v); /* one thread will do */
    for (int i = 0; i < PIPE_SLOTS; i++)
        khm_buf_init(&ps.b[i].text, (size_t)1 << 30);
    pthread_mutex_init(&ps.mu, NULL);
    pthread_cond_init(&ps.cv, NULL);
    int rc = 0;
    if (pthread_create(&th, NULL, pipe_reader, &ps) != 0) {
        rc = khm_store_audit_each(tx, from, v->to, on_event, v);
    } else {
        pthread_mutex_lock(&ps.mu);
        for (;;) {
            while (ps.taken == ps.filled && !ps.done)
                pthread_cond_wait(&ps.cv, &ps.mu);
            if (ps.taken == ps.filled)
                break; /* done, all checked */
            pipe_batch *b = &ps.b[ps.taken % PIPE_SLOTS];
            pthread_mutex_unlock(&ps.mu);
            for (int i = 0; rc == 0 && i < b->n; i++)
                rc = on_event(&b->rows[i], v);
            pthread_mutex_lock(&ps.mu);
            ps.taken++;
            if (rc != 0)
                ps.stop = 1; /* a problem is found: the reader may stop */
            pthread_cond_broadcast(&ps.cv);
            if (rc != 0)
                break;
        }
        pthread_mutex_unlock(&ps.mu);
        pthread_join(th, NULL);
        if (rc == 0 && ps.rc < 0)
            rc = khm_err_set(ps.err_code, "%s", ps.err);
    }
    for (int i = 0; i < PIPE_SLOTS; i++)
        khm_buf_dispose(&ps.b[i].text);
    khm_free(ps.b);
    pthread_mutex_destroy(&ps.mu);
    pthread_cond_destroy(&ps.cv);
    return rc;
}

/* The archive anchor's own signature (khm_audit_archive_message); 1 when it holds. */
static int archive_signed(verifier *v, const khm_audit_archive_row *a)
{
    unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
    char msg[256];
    if (khm_hex_decode(sig, sizeof(sig), a->signature, strlen(a->signature)) < 0 ||
        khm_hex_decode(pk, sizeof(pk), a->public_key, strlen(a->public_key)) < 0) {
        khm_err_clear();
        return 0;
    }
    if (sodium_memcmp(pk, v->pk, sizeof(pk)) != 0)
        return 0;
    size_t n = khm_audit_archive_message(msg, sizeof(msg), a);
    return crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, v->pk) == 0;
}

int khm_audit__verify_range(khm_store *s, const unsigned char pk[32], int64_t from, int64_t to,
                            khm_audit_report *out)
{
    verifier v;
    khm_tx *tx;
    khm_audit_archive_row arc;
    int rc;
    if (from < 1)
        from = 1;
    verifier_init(&v, pk, out);
    v.to = to;
    if ((rc = khm_tx_begin(&tx, s, 0)) < 0) {
        verifier_finish(&v);
        return rc;
    }
    if ((rc = khm_store_audit_archive_last(tx, &arc, NULL)) == KHM_ENOTFOUND)
        khm_err_clear();
    else if (rc < 0)
        goto done;
    if (rc == 0 && from <= arc.event_seq + 1) {
        /* the events before are archived: the chain starts after the anchor, which the
         * checkpoint it names must sign, and the anchor itself is signed */
        from = arc.event_seq + 1;
        v.anchor_seq = arc.event_seq;
        v.anchor_cp = arc.checkpoint_seq;
        v.anchor_archive = 1;
        memcpy(v.prev, arc.event_hash, sizeof(v.prev));
        if (!archive_signed(&v, &arc)) {
            v.rep->anchor_seq = arc.event_seq;
            bad(&v, "anchor", arc.event_seq,
                "the archive anchor at event %lld is not signed by this installation's key",
                (long long)arc.event_seq);
            rc = 0;
            goto done;
        }
    } else if (from == 1) {
        memset(v.prev, '0', 64);
        v.prev[64] = '\0';
        v.lost_anchor = 1;
    } else if ((rc = khm_store_audit_each(tx, from - 1, from - 1, anchor, v.prev)) < 0) {
        goto done;
    } else if (v.prev[0]) {
        v.anchor_seq = from - 1; /* its stored hash, signed if a checkpoint covers it */
    }
    v.expect_seq = from;
    rc = khm_store_audit_checkpoint_each(tx, v.anchor_seq ? v.anchor_seq : from, add_cp, &v);
    if (rc == 0)
        rc = check_events(tx, from, &v);
    if (rc > 0)
        rc = 0; /* stopped at the first problem: reported, not an error */
done:
    khm_tx_rollback(tx);
    verifier_finish(&v);
    return rc;
}

int khm_audit_verify_store(khm_store *s, const unsigned char pk[32], int64_t from,
                           khm_audit_report *out)
{
    return khm_audit__verify_range(s, pk, from, 0, out);
}

/* ---- export ---- */

typedef struct {
    FILE *out;
    khm_buf line;
    int rc;
    int64_t to; /* last event exported, 0 = the head */
} exporter;

static int export_cp(const khm_audit_checkpoint_row *c, void *p)
{
    exporter *e = p;
    khm_jw w;
    if (e->to > 0 && c->event_seq > e->to)
        return 0; /* covers events not in the export: it would read as a cut-off tail */
    khm_buf_reset(&e->line);
    khm_jw_init(&w, &e->line);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "checkpoint");
    khm_jw_key(&w, "seq");
    khm_jw_int(&w, c->seq);
    khm_jw_key(&w, "event_seq");
    khm_jw_int(&w, c->event_seq);
    khm_jw_key(&w, "event_hash");
    khm_jw_str(&w, c->event_hash);
    khm_jw_key(&w, "ts");
    khm_jw_int(&w, c->ts);
    khm_jw_key(&w, "signature");
    khm_jw_str(&w, c->signature);
    khm_jw_key(&w, "public_key");
    khm_jw_str(&w, c->public_key);
    khm_jw_obj_end(&w);
    if ((e->rc = khm_jw_finish(&w)) < 0)
        return e->rc;
    fprintf(e->out, "%s\n", e->line.ptr);
    return 0;
}

static int export_event(const khm_audit_row *r, void *p)
{
    exporter *e = p;
    khm_jw w;
    khm_buf_reset(&e->line);
    khm_jw_init(&w, &e->line);
    khm_jw_obj(&w);
    khm_jw_key(&w, "kind");
    khm_jw_str(&w, "event");
    khm_jw_key(&w, "event");
    khm_audit_row_write_json(&w, r);
    khm_jw_obj_end(&w);
    if ((e->rc = khm_jw_finish(&w)) < 0)
        return e->rc;
    fprintf(e->out, "%s\n", e->line.ptr);
    return 0;
}

int khm_audit_export(khm_store *s, FILE *out, const unsigned char pk[32], int64_t from, int64_t to)
{
    exporter e = { out, KHM_BUF_INIT(1 << 20), 0, to };
    khm_tx *tx;
    khm_audit_archive_row arc = { 0 };
    char pkhex[65], prev[65] = "";
    int64_t anchor_seq = 0;
    int rc = khm_tx_begin(&tx, s, 0);
    if (rc < 0)
        return rc;
    if (from < 1)
        from = 1;
    /* archived events are no longer here: start after the archive anchor */
    if ((rc = khm_store_audit_archive_last(tx, &arc, NULL)) == 0 && from <= arc.event_seq) {
        from = arc.event_seq + 1;
    } else if (rc == KHM_ENOTFOUND) {
        khm_err_clear();
        rc = 0;
    }
    if (rc == 0 && from > 1) {
        /* the predecessor's hash anchors a partial export */
        if (arc.seq > 0 && from == arc.event_seq + 1)
            memcpy(prev, arc.event_hash, sizeof(prev));
        else if ((rc = khm_store_audit_each(tx, from - 1, from - 1, anchor, prev)) > 0)
            rc = 0;
        if (prev[0])
            anchor_seq = from - 1;
    }
    if (rc < 0) {
        khm_tx_rollback(tx);
        khm_buf_dispose(&e.line);
        return rc;
    }
    khm_hex_encode(pkhex, pk, 32);
    fprintf(out,
            "{\"kind\":\"khomun-audit-export\",\"version\":1,\"from\":%lld,\"to\":%lld,"
            "\"public_key\":\"%s\"}\n",
            (long long)from, (long long)to, pkhex);
    /* with the checkpoint at the anchor, if there is one: it signs the anchor's hash */
    rc = khm_store_audit_checkpoint_each(tx, anchor_seq ? anchor_seq : from, export_cp, &e);
    if (rc == 0 && anchor_seq)
        fprintf(out, "{\"kind\":\"anchor\",\"seq\":%lld,\"hash\":\"%s\"}\n", (long long)anchor_seq,
                prev);
    if (rc == 0)
        rc = khm_store_audit_each(tx, from, to, export_event, &e);
    khm_tx_rollback(tx);
    khm_buf_dispose(&e.line);
    if (rc == 0 && fflush(out) != 0)
        rc = khm_err_set(KHM_EIO, "cannot write the export");
    return rc;
}

/* ---- verifying an export ---- */

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int row_from_json(khm_audit_row *r, json_t *ev)
{
    json_t *actor = json_object_get(ev, "actor");
    const char *ts = jstr(ev, "ts");
    memset(r, 0, sizeof(*r));
    r->seq = json_integer_value(json_object_get(ev, "seq"));
    snprintf(r->id, sizeof(r->id), "%s", jstr(ev, "id") ? jstr(ev, "id") : "");
    if (!ts || khm_time_parse(&r->ts, ts, strlen(ts)) < 0 || !json_is_object(actor))
        return -1;
    r->actor_user = jstr(actor, "user");
    r->actor_agency = jstr(actor, "agency");
    r->token_id = jstr(actor, "token");
    r->action = jstr(ev, "action");
    r->target = jstr(ev, "target");
    r->purpose = jstr(ev, "purpose");
    r->outcome = jstr(ev, "outcome");
    r->status = (int)json_integer_value(json_object_get(ev, "status"));
    r->reasons = jstr(ev, "reasons");
    r->request_id = jstr(ev, "request_id");
    r->client = jstr(ev, "client");
    snprintf(r->prev_hash, sizeof(r->prev_hash), "%s",
             jstr(ev, "prev_hash") ? jstr(ev, "prev_hash") : "");
    snprintf(r->hash, sizeof(r->hash), "%s", jstr(ev, "hash") ? jstr(ev, "hash") : "");
    return r->action && r->outcome ? 0 : -1;
}

int khm_audit_verify_export(FILE *in, const unsigned char pk[32], khm_audit_report *out)
{
    verifier v;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int64_t lineno = 0, from = 1;
    int rc = 0, header = 0;
    verifier_init(&v, pk, out);
    memset(v.prev, '0', 64);
    v.prev[64] = '\0';
    while (out->ok && (n = getline(&line, &cap, in)) > 0) {
        lineno++;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &je);
        const char *kind = o ? jstr(o, "kind") : NULL;
        if (!kind) {
            bad(&v, "malformed", lineno, "line %lld is not an export record", (long long)lineno);
        } else if (!strcmp(kind, "khomun-audit-export")) {
            header = 1;
            from = json_integer_value(json_object_get(o, "from"));
            v.expect_seq = from > 0 ? from : 1;
        } else if (!strcmp(kind, "checkpoint")) {
            khm_audit_checkpoint_row c;
            memset(&c, 0, sizeof(c));
            c.seq = json_integer_value(json_object_get(o, "seq"));
            c.event_seq = json_integer_value(json_object_get(o, "event_seq"));
            c.ts = json_integer_value(json_object_get(o, "ts"));
            snprintf(c.event_hash, sizeof(c.event_hash), "%s",
                     jstr(o, "event_hash") ? jstr(o, "event_hash") : "");
            snprintf(c.signature, sizeof(c.signature), "%s",
                     jstr(o, "signature") ? jstr(o, "signature") : "");
            snprintf(c.public_key, sizeof(c.public_key), "%s",
                     jstr(o, "public_key") ? jstr(o, "public_key") : "");
            if ((rc = add_cp(&c, &v)) < 0) {
                json_decref(o);
                break;
            }
        } else if (!strcmp(kind, "anchor")) {
            /* the event before the first: trusted when a checkpoint in the file signs it */
            snprintf(v.prev, sizeof(v.prev), "%s", jstr(o, "hash") ? jstr(o, "hash") : "");
            v.anchor_seq = json_integer_value(json_object_get(o, "seq"));
            if (!header || v.started || v.anchor_seq != from - 1)
                bad(&v, "malformed", lineno,
                    "line %lld: the anchor is not the event before the first", (long long)lineno);
        } else if (!strcmp(kind, "event")) {
            khm_audit_row r;
            if (!header || row_from_json(&r, json_object_get(o, "event")) < 0)
                bad(&v, "malformed", lineno, "line %lld: not a complete event", (long long)lineno);
            else
                on_event(&r, &v);
        } else {
            bad(&v, "malformed", lineno, "line %lld: unknown record kind '%s'", (long long)lineno,
                kind);
        }
        json_decref(o);
    }
    free(line);
    if (rc == 0 && !header && out->ok)
        bad(&v, "malformed", 0, "not a khomun audit export (no header line)");
    verifier_finish(&v);
    return rc;
}
