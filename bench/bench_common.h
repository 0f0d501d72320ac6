/* bench_common.h — what the C benchmarks share: a commit counter (the store's statements run
 * through sqlite3_step, and the library is linked into the program, so this definition is the
 * one it calls), a clock, the typical API audit event and the audit-writer load of 8 producers.
 * Define BENCH_NAME before including it. Benchmarks only; not part of libkhomun. */
#ifndef KHM_BENCH_COMMON_H
#define KHM_BENCH_COMMON_H

#include <khomun/audit.h>
#include <khomun/err.h>

#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_long commits;

int sqlite3_step(sqlite3_stmt *st)
{
    static int (*real)(sqlite3_stmt *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "sqlite3_step");
    const char *sql = sqlite3_sql(st);
    if (sql && strncmp(sql, "COMMIT", 6) == 0)
        atomic_fetch_add(&commits, 1);
    return real(st);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", BENCH_NAME, what, khm_err_last()->message);
    exit(1);
}

/* A typical API event: a user, their agency and token, a request id, a path, no reasons. */
static khm_audit_event sample_event(void)
{
    khm_audit_event ev = { 0 };
    ev.actor_user = "01a21caf-9026-70eb-8d67-70b5edfc39f4";
    ev.actor_agency = "01a21caf-9026-70ea-a4e1-a6add2bd5b49";
    ev.token_id = "01a21caf-9026-70ec-9c1e-2f3a4b5c6d7e";
    ev.action = "auth.whoami";
    ev.target = "/api/v1/whoami";
    ev.outcome = "success";
    ev.status = 200;
    ev.request_id = "01a21cb0-77aa-7b1c-9d2e-3f4a5b6c7d8e";
    ev.client = "127.0.0.1";
    return ev;
}

/* One producer thread: enqueue events, wait for durability every `window` (requests in
 * flight), and for the last one. */
typedef struct {
    khm_audit_writer *w;
    long events, window;
    int rc;
} producer;

static void *produce(void *p)
{
    producer *k = p;
    khm_audit_event ev = sample_event();
    uint64_t t = 0;
    for (long i = 0; i < k->events && k->rc == 0; i++) {
        k->rc = khm_audit_writer_enqueue(k->w, &ev, &t);
        if (k->rc == 0 && (i + 1) % k->window == 0)
            k->rc = khm_audit_writer_wait(k->w, t);
    }
    if (k->rc == 0)
        k->rc = khm_audit_writer_wait(k->w, t);
    return NULL;
}

/* Run @p nthreads producers of @p per_thread events each against a new writer on @p s; return
 * events/s and the number of commits it took in *@p ncommits. */
static double writer_load(khm_store *s, const khm_keys *keys, long per_thread, int nthreads,
                          long window, long *ncommits)
{
    khm_audit_writer *w;
    khm_audit_opts ao = KHM_AUDIT_OPTS_INIT;
    pthread_t th[64];
    producer pr[64];
    if (nthreads > 64)
        nthreads = 64;
    if (khm_audit_writer_new(&w, s, keys, &ao) < 0)
        die("writer");
    long c0 = atomic_load(&commits);
    double t0 = now_s();
    for (int i = 0; i < nthreads; i++) {
        pr[i] = (producer){ w, per_thread, window, 0 };
        pthread_create(&th[i], NULL, produce, &pr[i]);
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        if (pr[i].rc < 0)
            die("append");
    }
    double dt = now_s() - t0;
    *ncommits = atomic_load(&commits) - c0;
    khm_audit_writer_free(w);
    return (double)(per_thread * nthreads) / dt;
}

#endif
