/* Tests for src/lib/store/audit.c: the typed calls of the audit tables — the head of an empty
 * and a filled chain, insert / each / count, checkpoint insert / last / each, and the listing
 * with each filter, the time bounds and cursor paging (newest first). Rows are written as
 * given: hashing is the audit module's business, not the store's. */
#include "unit.h"

typedef struct {
    char *dir;
    char path[4200];
    khm_store *s;
    khm_arena *a;
} env;

static void env_open(env *e)
{
    memset(e, 0, sizeof(*e));
    e->dir = khm_test_tmpdir();
    snprintf(e->path, sizeof(e->path), "%s.db", e->dir);
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    o.create = 1;
    assert_int_equal(khm_store_open(&e->s, e->path, &o), 0);
    e->a = khm_arena_new(0);
}

static void env_close(env *e)
{
    khm_store_close(e->s);
    khm_arena_free(e->a);
    khm_test_rmtree(e->dir);
    free(e->dir);
}

static void hex_fill(char out[65], int64_t n)
{
    snprintf(out, 65, "%064llx", (long long)n);
}

/* Event n: actors alternate u1/u2, targets t<n%3>, actions a.<n%2>, ts 1000·n. */
static void mk_row(khm_audit_row *r, int64_t n, char *target, size_t cap)
{
    memset(r, 0, sizeof(*r));
    r->seq = n;
    khm_id_new(r->id);
    r->ts = 1000 * n;
    r->actor_user = n % 2 ? "u1" : "u2";
    r->actor_agency = n % 2 ? "ag1" : NULL;
    r->token_id = NULL;
    r->action = n % 2 ? "a.odd" : "a.even";
    snprintf(target, cap, "t%lld", (long long)(n % 3));
    r->target = target;
    r->purpose = n == 1 ? "research" : NULL;
    r->outcome = "success";
    r->status = 200 + (int)n;
    r->reasons = n == 2 ? "เหตุผล \"ทดสอบ\"" : NULL;
    r->request_id = "req";
    r->client = "127.0.0.1";
    hex_fill(r->prev_hash, n - 1);
    hex_fill(r->hash, n);
}

static void fill(env *e, int n)
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, e->s, 1), 0);
    for (int i = 1; i <= n; i++) {
        khm_audit_row r;
        char target[16];
        mk_row(&r, i, target, sizeof(target));
        assert_int_equal(khm_store_audit_insert(tx, &r), 0);
    }
    assert_int_equal(khm_tx_commit(tx), 0);
}

static void test_store_audit__head_of_an_empty_chain_is_zero(void **state)
{
    (void)state;
    env e;
    khm_tx *tx;
    int64_t seq = -1, count = -1, max = -1;
    char hash[65];
    env_open(&e);
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    assert_int_equal(khm_store_audit_head(tx, &seq, hash), 0);
    assert_int_equal(seq, 0);
    assert_int_equal(strlen(hash), 64);
    assert_int_equal(strspn(hash, "0"), 64);
    assert_int_equal(khm_store_audit_count(tx, &count, &max), 0);
    assert_int_equal(count, 0);
    assert_int_equal(max, 0);
    khm_audit_checkpoint_row c;
    assert_int_equal(khm_store_audit_checkpoint_last(tx, &c), KHM_ENOTFOUND);
    khm_tx_rollback(tx);
    env_close(&e);
}

typedef struct {
    int64_t seqs[64];
    char reasons[64][64];
    int n, stop_at;
} seen;

static int on_row(const khm_audit_row *r, void *p)
{
    seen *s = p;
    s->seqs[s->n] = r->seq;
    snprintf(s->reasons[s->n], sizeof(s->reasons[0]), "%s", r->reasons ? r->reasons : "(null)");
    s->n++;
    return s->stop_at && s->n == s->stop_at ? 1 : 0;
}

static void test_store_audit__insert_each_count_and_head(void **state)
{
    (void)state;
    env e;
    khm_tx *tx;
    env_open(&e);
    fill(&e, 10);
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    int64_t seq, count, max;
    char hash[65], want[65];
    assert_int_equal(khm_store_audit_head(tx, &seq, hash), 0);
    assert_int_equal(seq, 10);
    hex_fill(want, 10);
    assert_string_equal(hash, want);
    assert_int_equal(khm_store_audit_count(tx, &count, &max), 0);
    assert_int_equal(count, 10);
    assert_int_equal(max, 10);

    /* all, in order, every field back as written */
    seen s = { 0 };
    assert_int_equal(khm_store_audit_each(tx, 1, 0, on_row, &s), 0);
    assert_int_equal(s.n, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(s.seqs[i], i + 1);
    assert_string_equal(s.reasons[1], "เหตุผล \"ทดสอบ\"");
    assert_string_equal(s.reasons[0], "(null)");

    /* a range, and a stop from the callback (its value is returned) */
    memset(&s, 0, sizeof(s));
    assert_int_equal(khm_store_audit_each(tx, 4, 6, on_row, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.seqs[0], 4);
    assert_int_equal(s.seqs[2], 6);
    memset(&s, 0, sizeof(s));
    s.stop_at = 2;
    assert_int_equal(khm_store_audit_each(tx, 1, 0, on_row, &s), 1);
    assert_int_equal(s.n, 2);
    memset(&s, 0, sizeof(s));
    assert_int_equal(khm_store_audit_each(tx, 11, 0, on_row, &s), 0);
    assert_int_equal(s.n, 0);
    khm_tx_rollback(tx);

    /* a position is unique */
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    khm_audit_row r;
    char target[16];
    mk_row(&r, 5, target, sizeof(target));
    assert_int_equal(khm_store_audit_insert(tx, &r), KHM_EEXISTS);
    khm_tx_rollback(tx);

    /* one row read back field by field */
    khm_audit_row got;
    memset(&got, 0, sizeof(got));
    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    khm_audit_filter f = { 0 };
    khm_audit_row *rows;
    size_t n;
    int more;
    f.before_seq = 2;
    f.limit = 1;
    assert_int_equal(khm_store_audit_list(tx, &rows, &n, &more, &f, e.a), 0);
    khm_tx_rollback(tx);
    assert_int_equal(n, 1);
    mk_row(&r, 1, target, sizeof(target));
    got = rows[0];
    assert_int_equal(got.seq, 1);
    assert_int_equal(got.ts, 1000);
    assert_string_equal(got.actor_user, "u1");
    assert_string_equal(got.actor_agency, "ag1");
    assert_null(got.token_id);
    assert_string_equal(got.action, "a.odd");
    assert_string_equal(got.target, "t1");
    assert_string_equal(got.purpose, "research");
    assert_string_equal(got.outcome, "success");
    assert_int_equal(got.status, 201);
    assert_null(got.reasons);
    assert_string_equal(got.request_id, "req");
    assert_string_equal(got.client, "127.0.0.1");
    assert_string_equal(got.prev_hash, r.prev_hash);
    assert_string_equal(got.hash, r.hash);
    assert_true(khm_id_valid(got.id, 36));
    assert_false(more);
    env_close(&e);
}

typedef struct {
    khm_audit_checkpoint_row c[8];
    int n;
} cps;

static int on_cp(const khm_audit_checkpoint_row *c, void *p)
{
    cps *s = p;
    s->c[s->n++] = *c;
    return 0;
}

static void test_store_audit__checkpoint_insert_last_each(void **state)
{
    (void)state;
    env e;
    khm_tx *tx;
    env_open(&e);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    for (int i = 1; i <= 3; i++) {
        khm_audit_checkpoint_row c;
        memset(&c, 0, sizeof(c));
        c.seq = i;
        c.event_seq = 10 * i;
        hex_fill(c.event_hash, 10 * i);
        c.ts = 5000 + i;
        memset(c.signature, 'a' + i, 128);
        memset(c.public_key, 'p', 64);
        assert_int_equal(khm_store_audit_checkpoint_insert(tx, &c), 0);
    }
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.s, 0), 0);
    khm_audit_checkpoint_row last;
    assert_int_equal(khm_store_audit_checkpoint_last(tx, &last), 0);
    assert_int_equal(last.seq, 3);
    assert_int_equal(last.event_seq, 30);
    assert_int_equal(last.ts, 5003);
    assert_int_equal(strlen(last.signature), 128);
    assert_int_equal(strspn(last.signature, "d"), 128);
    assert_int_equal(strspn(last.public_key, "p"), 64);
    char want[65];
    hex_fill(want, 30);
    assert_string_equal(last.event_hash, want);

    cps s = { 0 };
    assert_int_equal(khm_store_audit_checkpoint_each(tx, 1, on_cp, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.c[0].seq, 1);
    assert_int_equal(s.c[2].seq, 3);
    /* from: only checkpoints covering event_seq ≥ from */
    memset(&s, 0, sizeof(s));
    assert_int_equal(khm_store_audit_checkpoint_each(tx, 11, on_cp, &s), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.c[0].event_seq, 20);
    memset(&s, 0, sizeof(s));
    assert_int_equal(khm_store_audit_checkpoint_each(tx, 20, on_cp, &s), 0);
    assert_int_equal(s.n, 2);
    memset(&s, 0, sizeof(s));
    assert_int_equal(khm_store_audit_checkpoint_each(tx, 31, on_cp, &s), 0);
    assert_int_equal(s.n, 0);
    khm_tx_rollback(tx);
    env_close(&e);
}

/* seqs of a listing with filter @p f, into @p out; returns the count */
static size_t list(env *e, khm_audit_filter *f, int64_t *out, int *more)
{
    khm_tx *tx;
    khm_audit_row *rows;
    size_t n;
    assert_int_equal(khm_tx_begin(&tx, e->s, 0), 0);
    assert_int_equal(khm_store_audit_list(tx, &rows, &n, more, f, e->a), 0);
    khm_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        out[i] = rows[i].seq;
    return n;
}

static void test_store_audit__list_filters(void **state)
{
    (void)state;
    env e;
    int64_t s[64];
    int more;
    env_open(&e);
    fill(&e, 12);

    khm_audit_filter f = { 0 };
    assert_int_equal(list(&e, &f, s, &more), 12); /* default limit 100 */
    assert_int_equal(s[0], 12);                   /* newest first */
    assert_int_equal(s[11], 1);
    assert_false(more);

    memset(&f, 0, sizeof(f));
    f.actor_user = "u2";
    assert_int_equal(list(&e, &f, s, &more), 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(s[i] % 2, 0);

    memset(&f, 0, sizeof(f));
    f.target = "t0";
    assert_int_equal(list(&e, &f, s, &more), 4); /* 3, 6, 9, 12 */
    assert_int_equal(s[0], 12);
    assert_int_equal(s[3], 3);

    memset(&f, 0, sizeof(f));
    f.action = "a.odd";
    assert_int_equal(list(&e, &f, s, &more), 6);
    assert_int_equal(s[0], 11);

    memset(&f, 0, sizeof(f));
    f.action = "a.odd";
    f.target = "t0";
    f.actor_user = "u1";
    assert_int_equal(list(&e, &f, s, &more), 2); /* 9, 3 */
    assert_int_equal(s[0], 9);
    assert_int_equal(s[1], 3);

    memset(&f, 0, sizeof(f));
    f.actor_user = "nobody";
    assert_int_equal(list(&e, &f, s, &more), 0);

    /* since inclusive, until exclusive */
    memset(&f, 0, sizeof(f));
    f.since = 4000;
    f.until = 7000;
    assert_int_equal(list(&e, &f, s, &more), 3); /* 6, 5, 4 */
    assert_int_equal(s[0], 6);
    assert_int_equal(s[2], 4);
    memset(&f, 0, sizeof(f));
    f.since = 11000;
    assert_int_equal(list(&e, &f, s, &more), 2);
    memset(&f, 0, sizeof(f));
    f.until = 2000;
    assert_int_equal(list(&e, &f, s, &more), 1);
    assert_int_equal(s[0], 1);
    env_close(&e);
}

static void test_store_audit__list_pages_with_before_seq(void **state)
{
    (void)state;
    env e;
    int64_t s[64], all[64];
    int more, pages = 0;
    size_t got = 0;
    env_open(&e);
    fill(&e, 12);
    khm_audit_filter f = { 0 };
    f.limit = 5;
    for (;;) {
        size_t n = list(&e, &f, s, &more);
        pages++;
        assert_true(n <= 5);
        memcpy(all + got, s, n * sizeof(s[0]));
        got += n;
        if (!more)
            break;
        assert_int_equal(n, 5);
        f.before_seq = s[n - 1];
    }
    assert_int_equal(pages, 3);
    assert_int_equal(got, 12);
    for (size_t i = 0; i < 12; i++)
        assert_int_equal(all[i], 12 - (int64_t)i);

    /* exactly one full page: no `more` */
    memset(&f, 0, sizeof(f));
    f.limit = 12;
    assert_int_equal(list(&e, &f, s, &more), 12);
    assert_false(more);
    f.limit = 11;
    assert_int_equal(list(&e, &f, s, &more), 11);
    assert_true(more);

    /* paging with a filter */
    memset(&f, 0, sizeof(f));
    f.action = "a.even";
    f.limit = 4;
    assert_int_equal(list(&e, &f, s, &more), 4);
    assert_true(more);
    assert_int_equal(s[3], 6);
    f.before_seq = 6;
    assert_int_equal(list(&e, &f, s, &more), 2);
    assert_false(more);
    assert_int_equal(s[0], 4);
    assert_int_equal(s[1], 2);

    /* a limit over 500 is held to 500 */
    memset(&f, 0, sizeof(f));
    f.limit = 100000;
    assert_int_equal(list(&e, &f, s, &more), 12);
    env_close(&e);
}

static void mk_cp(khm_audit_checkpoint_row *c, int64_t seq, int64_t event_seq)
{
    memset(c, 0, sizeof(*c));
    c->seq = seq;
    c->event_seq = event_seq;
    hex_fill(c->event_hash, event_seq);
    c->ts = 1000 * seq;
    memset(c->signature, 'a', 128);
    memset(c->public_key, 'b', 64);
}

static void test_store_audit__checkpoint_at_archive_and_prune(void **state)
{
    (void)state;
    env e;
    khm_tx *tx;
    khm_audit_checkpoint_row c;
    khm_audit_archive_row a, got;
    int64_t seq, count, max;
    char hash[65], want[65];
    env_open(&e);
    fill(&e, 10);
    assert_int_equal(khm_tx_begin(&tx, e.s, 1), 0);
    static const int64_t at[] = { 3, 6, 9 };
    for (int i = 0; i < 3; i++) {
        mk_cp(&c, i + 1, at[i]);
        assert_int_equal(khm_store_audit_checkpoint_insert(tx, &c), 0);
    }
    /* the newest checkpoint at or before a position */
    assert_int_equal(khm_store_audit_checkpoint_at(tx, 2, &c), KHM_ENOTFOUND);
    assert_int_equal(khm_store_audit_checkpoint_at(tx, 3, &c), 0);
    assert_int_equal(c.seq, 1);
    assert_int_equal(khm_store_audit_checkpoint_at(tx, 8, &c), 0);
    assert_int_equal(c.seq, 2);
    assert_int_equal(c.event_seq, 6);
    assert_int_equal(khm_store_audit_checkpoint_at(tx, 100, &c), 0);
    assert_int_equal(c.event_seq, 9);
    /* no archive yet */
    khm_err_clear();
    assert_int_equal(khm_store_audit_archive_last(tx, &got, NULL), KHM_ENOTFOUND);
    /* prune through 6: events 1..6 and the checkpoint at 3 go, the one at 6 stays */
    assert_int_equal(khm_store_audit_prune(tx, 6), 0);
    assert_int_equal(khm_store_audit_count(tx, &count, &max), 0);
    assert_int_equal(count, 4);
    assert_int_equal(max, 10);
    assert_int_equal(khm_store_audit_checkpoint_at(tx, 5, &c), KHM_ENOTFOUND);
    assert_int_equal(khm_store_audit_checkpoint_at(tx, 6, &c), 0);
    assert_int_equal(c.seq, 2);
    /* archives: the newest one is returned, its file only with an arena */
    memset(&a, 0, sizeof(a));
    a.seq = 1;
    a.first_seq = 1;
    a.event_seq = 6;
    hex_fill(a.event_hash, 6);
    a.checkpoint_seq = 2;
    a.ts = 1234;
    a.file = "/srv/archive/ไฟล์-1.jsonl";
    memset(a.signature, 'c', 128);
    memset(a.public_key, 'd', 64);
    assert_int_equal(khm_store_audit_archive_insert(tx, &a), 0);
    assert_int_equal(khm_store_audit_archive_insert(tx, &a), KHM_EEXISTS);
    assert_int_equal(khm_store_audit_archive_last(tx, &got, e.a), 0);
    assert_int_equal(got.seq, 1);
    assert_int_equal(got.first_seq, 1);
    assert_int_equal(got.event_seq, 6);
    assert_string_equal(got.event_hash, a.event_hash);
    assert_int_equal(got.checkpoint_seq, 2);
    assert_int_equal(got.ts, 1234);
    assert_string_equal(got.file, a.file);
    assert_string_equal(got.signature, a.signature);
    assert_string_equal(got.public_key, a.public_key);
    assert_int_equal(khm_store_audit_archive_last(tx, &got, NULL), 0);
    assert_null(got.file);
    /* every event archived: the head is the anchor, so the chain goes on from it */
    assert_int_equal(khm_store_audit_prune(tx, 10), 0);
    a.seq = 2;
    a.first_seq = 7;
    a.event_seq = 10;
    hex_fill(a.event_hash, 10);
    a.checkpoint_seq = 4;
    assert_int_equal(khm_store_audit_archive_insert(tx, &a), 0);
    assert_int_equal(khm_store_audit_head(tx, &seq, hash), 0);
    assert_int_equal(seq, 10);
    hex_fill(want, 10);
    assert_string_equal(hash, want);
    assert_int_equal(khm_tx_commit(tx), 0);
    env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_audit__head_of_an_empty_chain_is_zero),
              cmocka_unit_test(test_store_audit__checkpoint_at_archive_and_prune),
              cmocka_unit_test(test_store_audit__insert_each_count_and_head),
              cmocka_unit_test(test_store_audit__checkpoint_insert_last_each),
              cmocka_unit_test(test_store_audit__list_filters),
              cmocka_unit_test(test_store_audit__list_pages_with_before_seq))
