/* Tests for src/lib/audit/writer.c: the group-commit writer. A submit returns only once the event
 * is durable (another store handle on the same file sees it); many queued events are settled
 * by waiting on the last ticket; callbacks report 0; concurrent submitters end as one
 * contiguous valid chain; checkpoints come every N events, after T ms, and at free — also for
 * events appended by write transactions outside the writer; and when the store cannot take the
 * events, every waiter gets an error, never 0. Aggregates: identical events (but for the time and
 * the request id) from many threads become one event with their count, written after the window,
 * at flush and at free; a failed write makes callers write their events alone. */
#include "unit.h"

#include <khomun/audit.h>

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

typedef struct {
    char *dir;
    char path[4200];
    khm_store *s;
    khm_keys keys;
} wenv;

static void env_open(wenv *e)
{
    memset(e, 0, sizeof(*e));
    e->dir = khm_test_tmpdir();
    snprintf(e->path, sizeof(e->path), "%s.db", e->dir);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&e->s, e->path, &o), 0);
    crypto_sign_keypair(e->keys.sign_pk, e->keys.sign_sk);
}

static void env_close(wenv *e)
{
    khm_store_close(e->s);
    khm_test_rmtree(e->dir);
    free(e->dir);
}

static khm_audit_event event(const char *actor, const char *target)
{
    khm_audit_event ev = { 0 };
    ev.actor_user = actor;
    ev.action = "auth.whoami";
    ev.target = target;
    ev.outcome = "success";
    ev.status = 200;
    ev.request_id = "r";
    ev.client = "127.0.0.1";
    return ev;
}

/* Events stored, as another process would see them: a separate store handle. */
static int64_t count_elsewhere(const char *path)
{
    khm_store *s2;
    khm_tx *tx;
    int64_t n = -1, max = -1;
    assert_int_equal(khm_store_open(&s2, path, NULL), 0);
    assert_int_equal(khm_tx_begin(&tx, s2, 0), 0);
    assert_int_equal(khm_store_audit_count(tx, &n, &max), 0);
    khm_tx_rollback(tx);
    khm_store_close(s2);
    assert_int_equal(n, max); /* contiguous from 1 */
    return n;
}

/* The newest checkpoint's event_seq, or 0 */
static int64_t last_cp(khm_store *s)
{
    khm_tx *tx;
    khm_audit_checkpoint_row c;
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    int rc = khm_store_audit_checkpoint_last(tx, &c);
    khm_tx_rollback(tx);
    if (rc == KHM_ENOTFOUND)
        return 0;
    assert_int_equal(rc, 0);
    return c.event_seq;
}

static khm_audit_writer *writer(wenv *e, int every, int ms)
{
    khm_audit_writer *w;
    khm_audit_opts o = KHM_AUDIT_OPTS_INIT;
    o.checkpoint_every = every;
    o.checkpoint_ms = ms;
    assert_int_equal(khm_audit_writer_new(&w, e->s, &e->keys, &o), 0);
    return w;
}

static void test_audit_writer__submit_returns_once_durable(void **state)
{
    (void)state;
    wenv e;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 0, 60000);
    for (int i = 1; i <= 3; i++) {
        khm_audit_event ev = event("u1", "/api/v1/whoami");
        assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
        assert_int_equal(count_elsewhere(e.path), i);
    }
    khm_audit_writer_free(w);
    env_close(&e);
}

static void test_audit_writer__enqueue_many_and_wait_on_the_last_ticket(void **state)
{
    (void)state;
    wenv e;
    uint64_t t, prev = 0;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 0, 60000);
    for (int i = 0; i < 5000; i++) {
        char target[32];
        snprintf(target, sizeof(target), "agency/%d", i); /* copied at enqueue */
        khm_audit_event ev = event("u1", target);
        assert_int_equal(khm_audit_writer_enqueue(w, &ev, &t), 0);
        assert_true(t > prev); /* tickets increase */
        prev = t;
    }
    assert_int_equal(khm_audit_writer_wait(w, t), 0);
    assert_int_equal(count_elsewhere(e.path), 5000);
    /* waiting again on a settled ticket returns at once */
    assert_int_equal(khm_audit_writer_wait(w, 1), 0);
    khm_audit_writer_flush(w);
    khm_audit_report rep;
    khm_audit_writer_free(w);
    assert_int_equal(khm_audit_verify_store(e.s, e.keys.sign_pk, 1, &rep), 0);
    assert_true(rep.ok);
    assert_int_equal(rep.events, 5000);
    env_close(&e);
}

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int calls, rc;
    int64_t seen; /* events visible from another handle when the callback ran */
    const char *path;
} cb_state;

static void on_done(void *arg, int rc)
{
    cb_state *c = arg;
    int64_t n = c->path ? count_elsewhere(c->path) : -1; /* durable before the callback */
    pthread_mutex_lock(&c->mu);
    c->calls++;
    c->rc = rc;
    c->seen = n;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void cb_wait(cb_state *c, int calls)
{
    pthread_mutex_lock(&c->mu);
    while (c->calls < calls)
        pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

static void test_audit_writer__enqueue_cb_calls_back_with_0_after_durable(void **state)
{
    (void)state;
    wenv e;
    cb_state c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -99, 0, NULL };
    env_open(&e);
    c.path = e.path;
    khm_audit_writer *w = writer(&e, 0, 60000);
    khm_audit_event ev = event("u1", "/x");
    assert_int_equal(khm_audit_writer_enqueue_cb(w, &ev, on_done, &c), 0);
    cb_wait(&c, 1);
    assert_int_equal(c.rc, 0);
    assert_int_equal(c.seen, 1);
    assert_int_equal(c.calls, 1);
    khm_audit_writer_free(w);
    assert_int_equal(c.calls, 1); /* once */
    env_close(&e);
}

typedef struct {
    khm_audit_writer *w;
    int id, n, rc;
} worker;

static void *work(void *p)
{
    worker *k = p;
    char actor[24];
    uint64_t t = 0;
    snprintf(actor, sizeof(actor), "thread-%d", k->id);
    for (int i = 0; i < k->n && k->rc == 0; i++) {
        khm_audit_event ev = event(actor, "/api/v1/whoami");
        if (i % 500 == 499)
            k->rc = khm_audit_writer_submit(k->w, &ev); /* some wait one by one */
        else
            k->rc = khm_audit_writer_enqueue(k->w, &ev, &t);
    }
    if (k->rc == 0)
        k->rc = khm_audit_writer_wait(k->w, t);
    return NULL;
}

static void test_audit_writer__eight_threads_make_one_contiguous_valid_chain(void **state)
{
    (void)state;
    wenv e;
    pthread_t th[8];
    worker k[8];
    env_open(&e);
    khm_audit_writer *w = writer(&e, 1000, 60000);
    for (int i = 0; i < 8; i++) {
        k[i] = (worker){ w, i, 2000, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, work, &k[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(k[i].rc, 0);
    }
    assert_int_equal(count_elsewhere(e.path), 16000);
    khm_audit_writer_free(w);

    khm_audit_report rep;
    assert_int_equal(khm_audit_verify_store(e.s, e.keys.sign_pk, 1, &rep), 0);
    assert_true(rep.ok);
    assert_null(rep.kind);
    assert_int_equal(rep.events, 16000);
    assert_int_equal(rep.head_seq, 16000);
    assert_int_equal(rep.last_checkpoint, 16000); /* signed at free */
    assert_true(rep.checkpoints >= 2); /* one per batch that reaches 1000 since the last */
    /* every thread's events are all there */
    khm_tx *tx;
    khm_arena *a = khm_arena_new(0);
    for (int i = 0; i < 8; i++) {
        char actor[24];
        snprintf(actor, sizeof(actor), "thread-%d", i);
        khm_audit_filter f = { 0 };
        f.actor_user = actor;
        f.limit = 500;
        size_t total = 0, n;
        int more = 1;
        khm_audit_row *rows;
        while (more) {
            assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
            assert_int_equal(khm_store_audit_list(tx, &rows, &n, &more, &f, a), 0);
            khm_tx_rollback(tx);
            total += n;
            if (n)
                f.before_seq = rows[n - 1].seq;
        }
        assert_int_equal(total, 2000);
    }
    khm_arena_free(a);
    env_close(&e);
}

static void test_audit_writer__checkpoint_every_n_events_and_at_free(void **state)
{
    (void)state;
    wenv e;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 10, 60000);
    for (int i = 1; i <= 9; i++) {
        khm_audit_event ev = event("u1", NULL);
        assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
    }
    assert_int_equal(last_cp(e.s), 0);
    khm_audit_event ev = event("u1", NULL);
    assert_int_equal(khm_audit_writer_submit(w, &ev), 0); /* the 10th */
    assert_int_equal(last_cp(e.s), 10);
    for (int i = 0; i < 3; i++)
        assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
    assert_int_equal(last_cp(e.s), 10);
    /* free writes what is queued and signs the head */
    for (int i = 0; i < 50; i++)
        assert_int_equal(khm_audit_writer_enqueue(w, &ev, NULL), 0);
    khm_audit_writer_free(w);
    assert_int_equal(count_elsewhere(e.path), 63);
    assert_int_equal(last_cp(e.s), 63);
    /* a new writer on a covered head adds no checkpoint at free */
    w = writer(&e, 10, 60000);
    khm_audit_writer_free(w);
    khm_tx *tx;
    khm_audit_checkpoint_row c;
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    assert_int_equal(khm_store_audit_checkpoint_last(tx, &c), 0);
    khm_tx_rollback(tx);
    assert_int_equal(c.event_seq, 63);
    int64_t cps = c.seq;
    khm_audit_report rep;
    assert_int_equal(khm_audit_verify_store(e.s, e.keys.sign_pk, 1, &rep), 0);
    assert_true(rep.ok);
    assert_int_equal(rep.checkpoints, cps);
    env_close(&e);
}

static void test_audit_writer__checkpoint_after_checkpoint_ms_when_quiet(void **state)
{
    (void)state;
    wenv e;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 1000, 100);
    khm_audit_event ev = event("u1", NULL);
    assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
    assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
    for (int i = 0; i < 100 && last_cp(e.s) != 2; i++)
        usleep(20 * 1000);
    assert_int_equal(last_cp(e.s), 2);
    khm_audit_writer_free(w);
    env_close(&e);
}

/* Write routes append in their own transaction (khm_audit_append), not through the writer: the
 * writer must still sign that head, on its timer and at free. */
static void test_audit_writer__signs_events_appended_by_write_transactions(void **state)
{
    (void)state;
    wenv e;
    khm_tx *tx;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 1000, 100);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_event ev = event("u1", "agency/1");
    ev.action = "agency.create";
    assert_int_equal(khm_audit_append(tx, &ev, NULL), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    for (int i = 0; i < 100 && last_cp(e.s) != 1; i++)
        usleep(20 * 1000);
    assert_int_equal(last_cp(e.s), 1); /* on the timer */
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    assert_int_equal(khm_audit_append(tx, &ev, NULL), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_audit_writer_free(w);
    assert_int_equal(last_cp(e.s), 2); /* at free */

    /* the same at free alone (a long timer) */
    w = writer(&e, 1000, 60000);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    assert_int_equal(khm_audit_append(tx, &ev, NULL), 0);
    assert_int_equal(khm_tx_commit(tx), 0);
    khm_audit_writer_free(w);
    assert_int_equal(last_cp(e.s), 3);
    env_close(&e);
}

static void test_audit_writer__noted_appends_count_towards_checkpoint_every(void **state)
{
    (void)state;
    wenv e;
    khm_tx *tx;
    env_open(&e);
    /* every 3 events, and a timer far away: only the count can trigger the checkpoint */
    khm_audit_writer *w = writer(&e, 3, 600000);
    khm_audit_event ev = event("u1", "agency/1");
    ev.action = "agency.create";
    for (int i = 0; i < 3; i++) {
        assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
        assert_int_equal(khm_audit_append(tx, &ev, NULL), 0);
        assert_int_equal(khm_tx_commit(tx), 0);
        khm_audit_writer_note(w, 1);
    }
    for (int i = 0; i < 100 && last_cp(e.s) != 3; i++)
        usleep(20 * 1000);
    assert_int_equal(last_cp(e.s), 3);
    khm_audit_writer_free(w);
    env_close(&e);
}

static void test_audit_writer__an_event_without_action_is_refused_alone(void **state)
{
    (void)state;
    wenv e;
    uint64_t t1, t2;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 0, 60000);
    khm_audit_event good = event("u1", NULL), bad = good;
    assert_int_equal(khm_audit_writer_enqueue(w, &good, &t1), 0);
    bad.action = "";
    assert_int_equal(khm_audit_writer_enqueue(w, &bad, NULL), KHM_EINVALID);
    bad.action = NULL;
    assert_int_equal(khm_audit_writer_submit(w, &bad), KHM_EINVALID);
    bad = good;
    bad.outcome = "";
    assert_int_equal(khm_audit_writer_enqueue(w, &bad, NULL), KHM_EINVALID);
    assert_int_equal(khm_audit_writer_enqueue(w, &good, &t2), 0);
    /* the refused ones did not take the good ones down with them */
    assert_int_equal(khm_audit_writer_wait(w, t1), 0);
    assert_int_equal(khm_audit_writer_wait(w, t2), 0);
    khm_audit_writer_free(w);
    assert_int_equal(count_elsewhere(e.path), 2);
    env_close(&e);
}

static void drop_audit_table(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE audit_event", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_audit_writer__store_failure_is_an_error_never_0(void **state)
{
    (void)state;
    wenv e;
    cb_state c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL };
    uint64_t t = 0;
    env_open(&e);
    khm_audit_writer *w = writer(&e, 0, 60000);
    khm_audit_event ev = event("u1", NULL);
    assert_int_equal(khm_audit_writer_submit(w, &ev), 0);
    drop_audit_table(e.path);

    khm_err_clear();
    int rc = khm_audit_writer_submit(w, &ev);
    assert_true(rc < 0);
    assert_true(strlen(khm_err_last()->message) > 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(khm_audit_writer_enqueue(w, &ev, &t), 0);
    assert_true(khm_audit_writer_wait(w, t) < 0);
    assert_true(khm_audit_writer_wait(w, t - 50) < 0);
    /* a callback hears of the loss too */
    c.path = NULL;
    assert_int_equal(khm_audit_writer_enqueue_cb(w, &ev, on_done, &c), 0);
    khm_audit_writer_free(w);
    assert_int_equal(c.calls, 1);
    assert_true(c.rc < 0);
    /* the event written before the failure was durable and stays a success */
    env_close(&e);
}

/* ---- aggregates ---- */

typedef struct {
    int n;
    char reasons[8][256];
    char actor[8][16];
    int has_request_id;
} agg_rows;

static int collect_agg(const khm_audit_row *r, void *payload)
{
    agg_rows *a = payload;
    if (a->n < 8) {
        snprintf(a->reasons[a->n], sizeof(a->reasons[0]), "%s", r->reasons ? r->reasons : "");
        snprintf(a->actor[a->n], sizeof(a->actor[0]), "%s", r->actor_user ? r->actor_user : "");
    }
    a->has_request_id |= r->request_id != NULL;
    a->n++;
    return 0;
}

static agg_rows stored_rows(khm_store *s)
{
    agg_rows a;
    khm_tx *tx;
    memset(&a, 0, sizeof(a));
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    assert_int_equal(khm_store_audit_each(tx, 1, 0, collect_agg, &a), 0);
    khm_tx_rollback(tx);
    return a;
}

static khm_audit_writer *agg_writer(wenv *e, int window_ms)
{
    khm_audit_writer *w;
    khm_audit_opts o = KHM_AUDIT_OPTS_INIT;
    o.checkpoint_ms = 60000;
    o.aggregate_ms = window_ms;
    assert_int_equal(khm_audit_writer_new(&w, e->s, &e->keys, &o), 0);
    return w;
}

typedef struct {
    khm_audit_writer *w;
    int n;
} agg_job;

static void *aggregate_many(void *arg)
{
    agg_job *j = arg;
    for (int i = 0; i < j->n; i++) {
        char rid[32];
        snprintf(rid, sizeof(rid), "r-%d", i); /* differs: not part of the aggregate */
        khm_audit_event ev = event(i % 2 ? "u2" : "u1", "/api/v1/consents/check");
        ev.request_id = rid;
        ev.reasons = "allowed by rule consent-check (policy 1); answer: allow (consent)";
        assert_int_equal(khm_audit_writer_aggregate(j->w, &ev), 0);
    }
    return NULL;
}

static void test_audit_writer__aggregate_counts_identical_events_from_threads(void **state)
{
    (void)state;
    wenv e;
    pthread_t th[4];
    agg_job job;
    env_open(&e);
    khm_audit_writer *w = agg_writer(&e, 3600000); /* only the flush writes */
    job.w = w;
    job.n = 1000;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, aggregate_many, &job), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(count_elsewhere(e.path), 0); /* in memory until the window ends */
    khm_audit_writer_flush(w);
    assert_int_equal(count_elsewhere(e.path), 2); /* durable when flush returns */
    agg_rows a = stored_rows(e.s);
    assert_int_equal(a.n, 2);
    assert_false(a.has_request_id);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(strncmp(a.reasons[i], "aggregate: 2000 events from 20", 30), 0);
        assert_non_null(strstr(a.reasons[i], "Z; allowed by rule consent-check (policy 1); answer: "
                                             "allow (consent)"));
    }
    assert_true((strcmp(a.actor[0], "u1") == 0) != (strcmp(a.actor[1], "u1") == 0));
    /* a new window after the flush */
    job.n = 3;
    aggregate_many(&job);
    khm_audit_writer_free(w);
    a = stored_rows(e.s);
    assert_int_equal(a.n, 4);
    assert_int_equal(strncmp(a.reasons[2], "aggregate: ", 11), 0);
    assert_true(strncmp(a.reasons[2], "aggregate: 2 events", 19) == 0 ||
                strncmp(a.reasons[2], "aggregate: 1 events", 19) == 0);
    khm_audit_report rep;
    assert_int_equal(khm_audit_verify_store(e.s, e.keys.sign_pk, 1, &rep), 0);
    assert_true(rep.ok);
    assert_int_equal(rep.last_checkpoint, 4); /* signed at free */
    env_close(&e);
}

static void test_audit_writer__aggregate_written_when_the_window_ends(void **state)
{
    (void)state;
    wenv e;
    env_open(&e);
    khm_audit_writer *w = agg_writer(&e, 100);
    khm_audit_event ev = event("u1", "/api/v1/consents/check");
    for (int i = 0; i < 3; i++)
        assert_int_equal(khm_audit_writer_aggregate(w, &ev), 0);
    int64_t n = 0;
    for (int i = 0; i < 200 && (n = count_elsewhere(e.path)) == 0; i++)
        usleep(10 * 1000);
    assert_int_equal(n, 1);
    agg_rows a = stored_rows(e.s);
    assert_int_equal(strncmp(a.reasons[0], "aggregate: 3 events from ", 25), 0);
    assert_null(strchr(a.reasons[0], ';')); /* no reasons of its own: nothing after the count */
    khm_audit_writer_free(w);
    env_close(&e);
}

static void test_audit_writer__aggregate_open_aggregates_are_capped(void **state)
{
    (void)state;
    wenv e;
    env_open(&e);
    khm_audit_writer *w = agg_writer(&e, 3600000);
    char target[32];
    for (int i = 0; i < 4096; i++) {
        snprintf(target, sizeof(target), "t/%d", i);
        khm_audit_event ev = event("u1", target);
        assert_int_equal(khm_audit_writer_aggregate(w, &ev), 0);
    }
    khm_audit_event ev = event("u1", "t/new");
    assert_int_equal(khm_audit_writer_aggregate(w, &ev), KHM_ELIMIT);
    ev.target = "t/7"; /* an open one still counts */
    assert_int_equal(khm_audit_writer_aggregate(w, &ev), 0);
    ev.action = "";
    assert_int_equal(khm_audit_writer_aggregate(w, &ev), KHM_EINVALID);
    khm_audit_writer_flush(w);
    assert_int_equal(count_elsewhere(e.path), 4096);
    ev = event("u1", "t/new"); /* a new window */
    assert_int_equal(khm_audit_writer_aggregate(w, &ev), 0);
    khm_audit_writer_free(w);
    assert_int_equal(count_elsewhere(e.path), 4097);
    env_close(&e);
}

static void test_audit_writer__aggregate_write_failure_makes_callers_write_alone(void **state)
{
    (void)state;
    wenv e;
    env_open(&e);
    khm_audit_writer *w = agg_writer(&e, 3600000);
    khm_audit_event ev = event("u1", "/api/v1/consents/check");
    assert_int_equal(khm_audit_writer_aggregate(w, &ev), 0);
    drop_audit_table(e.path);
    khm_audit_writer_flush(w); /* the write fails */
    assert_int_equal(khm_audit_writer_aggregate(w, &ev), KHM_EUNAVAIL);
    /* and the event written alone fails too: the caller refuses the request */
    assert_true(khm_audit_writer_submit(w, &ev) < 0);
    khm_audit_writer_free(w);
    env_close(&e);
}

KHM_UNIT_MAIN(
    cmocka_unit_test(test_audit_writer__submit_returns_once_durable),
    cmocka_unit_test(test_audit_writer__noted_appends_count_towards_checkpoint_every),
    cmocka_unit_test(test_audit_writer__enqueue_many_and_wait_on_the_last_ticket),
    cmocka_unit_test(test_audit_writer__enqueue_cb_calls_back_with_0_after_durable),
    cmocka_unit_test(test_audit_writer__eight_threads_make_one_contiguous_valid_chain),
    cmocka_unit_test(test_audit_writer__checkpoint_every_n_events_and_at_free),
    cmocka_unit_test(test_audit_writer__checkpoint_after_checkpoint_ms_when_quiet),
    cmocka_unit_test(test_audit_writer__signs_events_appended_by_write_transactions),
    cmocka_unit_test(test_audit_writer__an_event_without_action_is_refused_alone),
    cmocka_unit_test(test_audit_writer__store_failure_is_an_error_never_0),
    cmocka_unit_test(test_audit_writer__aggregate_counts_identical_events_from_threads),
    cmocka_unit_test(test_audit_writer__aggregate_written_when_the_window_ends),
    cmocka_unit_test(test_audit_writer__aggregate_open_aggregates_are_capped),
    cmocka_unit_test(test_audit_writer__aggregate_write_failure_makes_callers_write_alone))
