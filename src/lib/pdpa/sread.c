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

void khm_sread_init(khm_sread *s)
{
    *s = (khm_sread){ 0 };
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
    if (s->stale_ns && s->done_t0 && s->rc == 0 && mono_ns() - s->done_t0 <= s->stale_ns) {
        out[0] = s->val[0];
        out[1] = s->val[1];
        pthread_mutex_unlock(&s->lock);
        return 0;
    }
    /* the read in flight (if any) may have started before this call: it does not count; the
     * next one to start does, whoever starts it */
    uint64_t target = s->started + 1;
    while (s->done < target) {
        if (s->running) {
            s->waiting++;
            pthread_cond_wait(&s->cv, &s->lock);
            s->waiting--;
            continue;
        }
        /* none in flight and ours not done: started == target - 1, so the next read is ours
         * to run; every caller that arrives until it ends waits for the one after */
        s->started++;
        s->running = 1;
        int64_t t0 = mono_ns();
        pthread_mutex_unlock(&s->lock);
        int64_t v[2] = { 0, 0 };
        int rc = fn(arg, v);
        const khm_error *e = rc < 0 ? khm_err_last() : NULL;
        pthread_mutex_lock(&s->lock);
        s->reads++;
        s->rc = rc < 0 ? rc : 0;
        if (rc < 0) {
            s->err_code = e && e->code ? e->code : rc;
            snprintf(s->err, sizeof(s->err), "%s", e && e->message ? e->message : "read failed");
        } else {
            s->val[0] = v[0];
            s->val[1] = v[1];
            s->done_t0 = t0;
        }
        s->done = s->started;
        s->running = 0;
        pthread_cond_broadcast(&s->cv);
    }
    int rc = s->rc;
    if (rc == 0) {
        out[0] = s->val[0];
        out[1] = s->val[1];
    } else {
        rc = khm_err_set(s->err_code, "%s", s->err);
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
