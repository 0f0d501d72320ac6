/* A shared read: one read of the database serves every caller that waits for it (sread.h). */
#include "sread.h"

#include <khomun/err.h>

#include <stdio.h>
#include <time.h>

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void khm_sread_init(khm_sread *s, int depth)
{
    *s = (khm_sread){ 0 };
    s->depth = depth < 1 ? 1 : depth;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cv, NULL);
}

void khm_sread_destroy(khm_sread *s)
{
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->lock);
}

void khm_sread_set_staleness(khm_sread *s, int64_t ms)
{
    pthread_mutex_lock(&s->lock);
    s->stale_ns = ms > 0 ? ms * 1000000 : 0;
    pthread_mutex_unlock(&s->lock);
}

int khm_sread_get(khm_sread *s, khm_sread_fn fn, void *arg, int64_t out[2])
{
    pthread_mutex_lock(&s->lock);
    s->calls++;
    if (s->stale_ns && s->best && mono_ns() - s->best_t0 <= s->stale_ns) {
        out[0] = s->val[0];
        out[1] = s->val[1];
        pthread_mutex_unlock(&s->lock);
        return 0;
    }
    /* the reads started so far may have started before this call: only a later one counts */
    const uint64_t ticket = s->started;
    int rc;
    for (;;) {
        if (s->best > ticket) {
            out[0] = s->val[0];
            out[1] = s->val[1];
            rc = 0;
            break;
        }
        if (s->failed > ticket) { /* the read started for this call failed */
            rc = khm_err_set(s->err_code, "%s", s->err);
            break;
        }
        if (s->started > ticket || s->inflight >= s->depth) {
            /* a read that started after this call is in flight: it will serve it; or no room
             * for another read yet: one will start when a read ends */
            s->waiting++;
            pthread_cond_wait(&s->cv, &s->lock);
            s->waiting--;
            continue;
        }
        /* none started since this call arrived, and room for one: run it; every caller that
         * arrives from now on waits for it or a later one */
        uint64_t n = ++s->started;
        s->inflight++;
        int64_t t0 = mono_ns();
        pthread_mutex_unlock(&s->lock);
        int64_t v[2] = { 0, 0 };
        int r = fn(arg, v);
        const khm_error *e = r < 0 ? khm_err_last() : NULL;
        pthread_mutex_lock(&s->lock);
        s->inflight--;
        s->reads++;
        if (r >= 0 && n > s->best) {
            s->best = n;
            s->val[0] = v[0];
            s->val[1] = v[1];
            s->best_t0 = t0;
        } else if (r < 0 && n > s->failed) {
            s->failed = n;
            s->err_code = e && e->code ? e->code : r;
            snprintf(s->err, sizeof(s->err), "%s", e && e->message ? e->message : "read failed");
        }
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void khm_sread_stats(khm_sread *s, uint64_t *calls, uint64_t *reads, int *waiting)
{
    pthread_mutex_lock(&s->lock);
    if (calls)
        *calls = s->calls;
    if (reads)
        *reads = s->reads;
    if (waiting)
        *waiting = s->waiting;
    pthread_mutex_unlock(&s->lock);
}
