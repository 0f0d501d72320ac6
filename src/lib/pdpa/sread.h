/* A shared read ("group commit" for reads): many threads need a value read from the database
 * that is no older than their own arrival, and one read serves all who wait for it.
 *
 * khm_sread_get() returns the result of a read that STARTED after the call began (strict): a
 * caller that arrives while a read is in flight does not take that read's result (it may have
 * started before the caller's change committed). It starts a read of its own if none started
 * since it arrived and fewer than `depth` reads are in flight; else it waits (a condition
 * variable, no busy wait) for a read that started after it arrived — so the callers that arrive
 * while the reads are busy are all served by the next one. With depth 1: exactly one read at a
 * time, one per "round" however many callers arrive during the round. With depth 2: a caller
 * that finds one read in flight starts the next at once (no wait for the first to end: a lone
 * pair of threads never waits for each other), and the callers after it share the third. The
 * read runs on the thread that starts it, outside the lock; reads may end out of order (the
 * result of the latest-started successful read is kept).
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
    int depth;        /* reads in flight at most (>= 1) */
    int inflight;     /* reads in flight now */
    int waiting;      /* callers blocked on cv */
    uint64_t started; /* reads started; read n is the n-th started */
    uint64_t best;    /* the latest-started read that succeeded (0: none) */
    uint64_t failed;  /* the latest-started read that failed (0: none) */
    int64_t val[2];   /* read `best`'s result */
    int64_t best_t0;  /* monotonic ns when read `best` started */
    int err_code;     /* read `failed`'s error (khm_err_last) */
    char err[256];    /* and its message */
    int64_t stale_ns; /* staleness bound; 0 strict */
    uint64_t calls;   /* khm_sread_get calls (under lock) */
    uint64_t reads;   /* reads run (under lock) */
} khm_sread;

/* @p depth: reads in flight at most (values below 1 are 1). */
void khm_sread_init(khm_sread *s, int depth);
void khm_sread_destroy(khm_sread *s);

/* A staleness bound in milliseconds (0: strict). Set before concurrent use or any time after. */
void khm_sread_set_staleness(khm_sread *s, int64_t ms);

/* The result of a read of @p fn(@p arg) started after this call began (or within the staleness
 * bound): 0 and @p out filled, or the read's error (its code and message, set on this thread). */
int khm_sread_get(khm_sread *s, khm_sread_fn fn, void *arg, int64_t out[2]);

/* Counters: calls served and reads run since init; callers blocked now. Any may be NULL. */
void khm_sread_stats(khm_sread *s, uint64_t *calls, uint64_t *reads, int *waiting);

#endif
