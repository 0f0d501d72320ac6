/* A shared read ("group commit" for reads): many threads need a value read from the database
 * that is no older than their own arrival, and one read serves all who wait for it.
 *
 * khm_sread_get() returns the result of a read that STARTED after the call began (strict): a
 * caller that arrives while a read is in flight does not take that read's result (it may have
 * started before the caller's change committed) but waits for the next one, and whoever waits
 * when a read ends is served by the next one together — one read per "round", however many
 * callers arrive during the round. The waiting is on a condition variable (no busy wait); the
 * read itself runs on the thread that starts it, outside the lock.
 *
 * With a staleness bound (khm_sread_set_staleness, > 0), the last successful read's result is
 * also taken when that read started at most the bound ago (monotonic clock): fewer reads, and
 * an answer up to that old. 0 (the default) is strict. Internal to src/lib/pdpa. */
#ifndef KHM_PDPA_SREAD_H
#define KHM_PDPA_SREAD_H

#include <pthread.h>
#include <stdint.h>

/* The read: fills out[0], out[1]; < 0 with khm_err set on failure. */
typedef int (*khm_sread_fn)(void *arg, int64_t out[2]);

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    uint64_t started; /* reads started (the one in flight included) */
    uint64_t done;    /* reads finished; the last one's outcome below */
    int running;      /* a read is in flight (it is read number `started`) */
    int waiting;      /* callers blocked on cv */
    int64_t val[2];   /* the last finished read's result */
    int rc, err_code; /* its outcome; on failure its error (khm_err_last) */
    char err[256];    /* message */
    int64_t done_t0;  /* monotonic ns when the last successful read started; 0 none */
    int64_t stale_ns; /* staleness bound; 0 strict */
    uint64_t calls;   /* khm_sread_get calls (under lock) */
    uint64_t reads;   /* reads run (under lock) */
} khm_sread;

void khm_sread_init(khm_sread *s);
void khm_sread_destroy(khm_sread *s);

/* A staleness bound in milliseconds (0: strict). Set before concurrent use or any time after. */
void khm_sread_set_staleness(khm_sread *s, int64_t ms);

/* The result of a read of @p fn(@p arg) started after this call began (or within the staleness
 * bound): 0 and @p out filled, or the read's error (its code and message, set on this thread). */
int khm_sread_get(khm_sread *s, khm_sread_fn fn, void *arg, int64_t out[2]);

/* Counters: calls served and reads run since init; callers blocked now. Any may be NULL. */
void khm_sread_stats(khm_sread *s, uint64_t *calls, uint64_t *reads, int *waiting);

#endif
