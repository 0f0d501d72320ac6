/* Tests for src/lib/pdpa/sread.c: the shared read behind the strict consent check on
 * PostgreSQL (a withdrawal committed before a check began is that check's answer on every
 * server — PDPA s.19 para 5, thai-rules.md §1.5). A call that arrives while a read is in flight
 * does not take that read's result but waits for the next one; everyone waiting when a read
 * ends shares the next one (one read, not one per call); a lone call runs its own read; a
 * failed read gives its error to every caller it serves and the next call reads again; the
 * staleness bound serves a recent enough result without a read. */
#include "unit.h"

#include "sread.h"

#include <pthread.h>
#include <time.h>

/* A read that blocks until the test releases it: read n (the n-th to start, n < 64) returns
 * {n, 10 n}. */
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t c;
    int started, fail;
    uint64_t released; /* bit n: read n may end */
} gate;

static int gated_read(void *arg, int64_t out[2])
{
    gate *g = arg;
    pthread_mutex_lock(&g->m);
    int n = ++g->started;
    pthread_cond_broadcast(&g->c);
    while (!(g->released & (1ULL << n)))
        pthread_cond_wait(&g->c, &g->m);
    int fail = g->fail;
    pthread_mutex_unlock(&g->m);
    if (fail)
        return khm_err_set(KHM_EUNAVAIL, "database unavailable: read %d refused", n);
    out[0] = n;
    out[1] = 10 * n;
    return 0;
}

static void gate_init(gate *g)
{
    memset(g, 0, sizeof(*g));
    pthread_mutex_init(&g->m, NULL);
    pthread_cond_init(&g->c, NULL);
}

/* Let reads @p from..@p to end. */
static void gate_release_range(gate *g, int from, int to)
{
    pthread_mutex_lock(&g->m);
    for (int n = from; n <= to && n < 64; n++)
        g->released |= 1ULL << n;
    pthread_cond_broadcast(&g->c);
    pthread_mutex_unlock(&g->m);
}

static void gate_release(gate *g, int upto)
{
    gate_release_range(g, 1, upto);
}

/* Wait (at most 10 s) until read @p n has started. */
static void gate_wait_started(gate *g, int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&g->m);
    int rc = 0;
    while (g->started < n && rc == 0)
        rc = pthread_cond_timedwait(&g->c, &g->m, &until);
    int started = g->started;
    pthread_mutex_unlock(&g->m);
    assert_true(started >= n);
}

static int gate_started(gate *g)
{
    pthread_mutex_lock(&g->m);
    int n = g->started;
    pthread_mutex_unlock(&g->m);
    return n;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Wait (at most 10 s) until @p n callers block in khm_sread_get. */
static void wait_waiting(khm_sread *s, int n)
{
    int w = -1;
    for (int i = 0; i < 10000; i++) {
        khm_sread_stats(s, NULL, NULL, &w);
        if (w == n)
            break;
        sleep_ms(1);
    }
    assert_int_equal(w, n);
}

typedef struct {
    khm_sread *s;
    gate *g;
    int rc, code;
    int64_t out[2];
    char msg[128];
    int *returned; /* atomic: callers that came back */
} caller;

static void *call(void *arg)
{
    caller *c = arg;
    c->rc = khm_sread_get(c->s, gated_read, c->g, c->out);
    if (c->rc < 0) {
        c->code = khm_err_last()->code;
        snprintf(c->msg, sizeof(c->msg), "%s", khm_err_last()->message);
    }
    __atomic_add_fetch(c->returned, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

#define N 8

static void test_pdpa_sread__arrivals_wait_for_the_next_read_and_share_it(void **state)
{
    (void)state;
    khm_sread s;
    gate g;
    int returned = 0, first_back = 0;
    khm_sread_init(&s, 1);
    gate_init(&g);
    pthread_t ta, tb[N];
    caller a = { &s, &g, 0, 0, { 0, 0 }, "", &first_back }, b[N];

    /* A starts read 1 and is held inside it */
    assert_int_equal(pthread_create(&ta, NULL, call, &a), 0);
    gate_wait_started(&g, 1);
    /* N checks arrive while read 1 is in flight: all wait, none starts a read */
    for (int i = 0; i < N; i++) {
        b[i] = (caller){ &s, &g, 0, 0, { 0, 0 }, "", &returned };
        assert_int_equal(pthread_create(&tb[i], NULL, call, &b[i]), 0);
    }
    wait_waiting(&s, N);
    assert_int_equal(gate_started(&g), 1);

    /* read 1 ends: A has its answer; the others do not take it, one read 2 starts for them */
    gate_release(&g, 1);
    assert_int_equal(pthread_join(ta, NULL), 0);
    assert_int_equal(a.rc, 0);
    assert_int_equal(a.out[0], 1);
    assert_int_equal(a.out[1], 10);
    gate_wait_started(&g, 2);
    wait_waiting(&s, N - 1); /* the one running read 2 is not waiting */
    sleep_ms(20);
    assert_int_equal(__atomic_load_n(&returned, __ATOMIC_SEQ_CST), 0);
    assert_int_equal(gate_started(&g), 2);

    /* read 2 ends: every one of them is served by it, with no third read */
    gate_release(&g, 2);
    for (int i = 0; i < N; i++) {
        assert_int_equal(pthread_join(tb[i], NULL), 0);
        assert_int_equal(b[i].rc, 0);
        assert_int_equal(b[i].out[0], 2);
        assert_int_equal(b[i].out[1], 20);
    }
    uint64_t calls, reads;
    khm_sread_stats(&s, &calls, &reads, NULL);
    assert_int_equal(calls, N + 1);
    assert_int_equal(reads, 2);
    assert_int_equal(gate_started(&g), 2);
    khm_sread_destroy(&s);
}

/* Depth 2: a call that finds one read in flight starts the second at once (two threads never
 * wait for each other); the calls after it wait for a third, which they share; reads may end
 * out of order and the latest-started result is the one kept. */
static void test_pdpa_sread__depth_two_starts_the_second_at_once(void **state)
{
    (void)state;
    khm_sread s;
    gate g;
    int returned = 0, first_back = 0, second_back = 0;
    khm_sread_init(&s, 2);
    gate_init(&g);
    pthread_t ta, tb, tc[N];
    caller a = { &s, &g, 0, 0, { 0, 0 }, "", &first_back }, b = a, c[N];
    b.returned = &second_back;
    assert_int_equal(pthread_create(&ta, NULL, call, &a), 0);
    gate_wait_started(&g, 1);
    assert_int_equal(pthread_create(&tb, NULL, call, &b), 0);
    gate_wait_started(&g, 2); /* B did not wait for read 1 to end */
    for (int i = 0; i < N; i++) {
        c[i] = (caller){ &s, &g, 0, 0, { 0, 0 }, "", &returned };
        assert_int_equal(pthread_create(&tc[i], NULL, call, &c[i]), 0);
    }
    wait_waiting(&s, N); /* two reads in flight, both started before them: they wait */
    assert_int_equal(gate_started(&g), 2);
    /* read 2 ends (read 1 still in flight): B is served; one read 3 starts for the others */
    gate_release_range(&g, 2, 2);
    assert_int_equal(pthread_join(tb, NULL), 0);
    assert_int_equal(b.rc, 0);
    assert_int_equal(b.out[0], 2);
    gate_wait_started(&g, 3);
    sleep_ms(20);
    assert_int_equal(__atomic_load_n(&returned, __ATOMIC_SEQ_CST), 0);
    assert_int_equal(__atomic_load_n(&first_back, __ATOMIC_SEQ_CST), 0);
    gate_release(&g, 3); /* reads 1 and 3 end */
    for (int i = 0; i < N; i++) {
        assert_int_equal(pthread_join(tc[i], NULL), 0);
        assert_int_equal(c[i].rc, 0);
        assert_int_equal(c[i].out[0], 3);
    }
    assert_int_equal(pthread_join(ta, NULL), 0);
    assert_int_equal(a.rc, 0);
    /* read 2 ended before read 1: A gets the latest-started result when its own ends (2, or 3
     * if that ended first), never read 1's older one */
    assert_true(a.out[0] == 2 || a.out[0] == 3);
    assert_int_equal(a.out[1], 10 * a.out[0]);
    uint64_t calls, reads;
    khm_sread_stats(&s, &calls, &reads, NULL);
    assert_int_equal(calls, N + 2);
    assert_int_equal(reads, 3);
    khm_sread_destroy(&s);
}

static void test_pdpa_sread__a_lone_call_reads_every_time(void **state)
{
    (void)state;
    khm_sread s;
    gate g;
    khm_sread_init(&s, 1);
    gate_init(&g);
    gate_release(&g, 63);
    for (int i = 1; i <= 3; i++) {
        int64_t out[2];
        assert_int_equal(khm_sread_get(&s, gated_read, &g, out), 0);
        assert_int_equal(out[0], i); /* never the previous result: strict */
    }
    uint64_t calls, reads;
    khm_sread_stats(&s, &calls, &reads, NULL);
    assert_int_equal(calls, 3);
    assert_int_equal(reads, 3);
    khm_sread_destroy(&s);
}

static void test_pdpa_sread__a_failed_read_fails_its_callers_only(void **state)
{
    (void)state;
    khm_sread s;
    gate g;
    int returned = 0, first_back = 0;
    khm_sread_init(&s, 1);
    gate_init(&g);
    g.fail = 1;
    pthread_t ta, tb[N];
    caller a = { &s, &g, 0, 0, { 0, 0 }, "", &first_back }, b[N];
    assert_int_equal(pthread_create(&ta, NULL, call, &a), 0);
    gate_wait_started(&g, 1);
    for (int i = 0; i < N; i++) {
        b[i] = (caller){ &s, &g, 0, 0, { 0, 0 }, "", &returned };
        assert_int_equal(pthread_create(&tb[i], NULL, call, &b[i]), 0);
    }
    wait_waiting(&s, N);
    gate_release(&g, 2); /* reads 1 and 2 both fail */
    assert_int_equal(pthread_join(ta, NULL), 0);
    assert_int_equal(a.rc, KHM_EUNAVAIL);
    assert_string_equal(a.msg, "database unavailable: read 1 refused");
    for (int i = 0; i < N; i++) {
        assert_int_equal(pthread_join(tb[i], NULL), 0);
        assert_int_equal(b[i].rc, KHM_EUNAVAIL); /* each thread has the error set */
        assert_int_equal(b[i].code, KHM_EUNAVAIL);
        assert_string_equal(b[i].msg, "database unavailable: read 2 refused");
    }
    /* not sticky: the database is back, the next call reads and succeeds */
    pthread_mutex_lock(&g.m);
    g.fail = 0;
    pthread_mutex_unlock(&g.m);
    gate_release(&g, 3);
    int64_t out[2];
    assert_int_equal(khm_sread_get(&s, gated_read, &g, out), 0);
    assert_int_equal(out[0], 3);
    khm_sread_destroy(&s);
}

static void test_pdpa_sread__staleness_bound(void **state)
{
    (void)state;
    khm_sread s;
    gate g;
    int64_t out[2];
    uint64_t reads;
    khm_sread_init(&s, 1);
    gate_init(&g);
    gate_release(&g, 63);
    khm_sread_set_staleness(&s, 200);
    assert_int_equal(khm_sread_get(&s, gated_read, &g, out), 0);
    assert_int_equal(out[0], 1);
    /* within 200 ms: the same result, no read */
    assert_int_equal(khm_sread_get(&s, gated_read, &g, out), 0);
    assert_int_equal(out[0], 1);
    khm_sread_stats(&s, NULL, &reads, NULL);
    assert_int_equal(reads, 1);
    /* past it: a new read */
    sleep_ms(250);
    assert_int_equal(khm_sread_get(&s, gated_read, &g, out), 0);
    assert_int_equal(out[0], 2);
    /* back to strict: every call reads */
    khm_sread_set_staleness(&s, 0);
    assert_int_equal(khm_sread_get(&s, gated_read, &g, out), 0);
    assert_int_equal(out[0], 3);
    khm_sread_stats(&s, NULL, &reads, NULL);
    assert_int_equal(reads, 3);
    khm_sread_destroy(&s);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_sread__arrivals_wait_for_the_next_read_and_share_it),
              cmocka_unit_test(test_pdpa_sread__depth_two_starts_the_second_at_once),
              cmocka_unit_test(test_pdpa_sread__a_lone_call_reads_every_time),
              cmocka_unit_test(test_pdpa_sread__a_failed_read_fails_its_callers_only),
              cmocka_unit_test(test_pdpa_sread__staleness_bound))
