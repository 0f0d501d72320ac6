/* Tests for src/lib/pdpa/index.c: the in-memory consent check (PDPA s.19 consent, withdrawn at
 * once — thai-rules.md §1.5; s.24 other bases — §1.3). The answers (allow with the event behind
 * it, withdrawn, expired, none, the basis); a purpose resolved once answers as its code does;
 * khm_consent_check_many answers as one call per pair, khm_consent_check_batch as check_many by
 * code; readers never see a wrong answer while the index grows under them; a commit through another
 * store handle on the same file (another process) is seen by the next check; on PostgreSQL
 * (KHOMUN_TEST_PG), a commit through another handle is the next check's answer while eight threads
 * check at once and share the reads of the newest sequences. */
#include "unit_pg.h"

#include <khomun/consent.h>
#include <khomun/pdpa.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <unistd.h>

typedef struct {
    khm_test_env env;
    khm_purpose_rec pr[3]; /* e-newsletter (consent), tax-refund (s24(4)), survey (consent) */
    khm_pseudonymizer pz;
    const char *agency;
    int threads; /* other threads use the store through the index: check() leaves it alone */
} ixenv;

/* @p db: a PostgreSQL URI, or NULL for SQLite in the temporary directory */
static void ix_open_db(ixenv *x, const char *db)
{
    khm_tx *tx;
    static const char *const codes[3] = { "e-newsletter", "tax-refund", "survey" };
    memset(x, 0, sizeof(*x));
    if (db) {
        x->env.dir = khm_test_tmpdir();
        x->env.arena = khm_arena_new(0);
        khm_init_opts o = { x->env.dir, db, NULL, NULL, NULL, NULL };
        assert_int_equal(khm_setup_init(&x->env.init, &o, x->env.arena), 0);
        assert_int_equal(khm_store_open(&x->env.store, db, NULL), 0);
    } else {
        khm_test_env_open(&x->env);
    }
    x->agency = x->env.init.agency.id;
    assert_int_equal(khm_tx_begin(&tx, x->env.store, 1), 0);
    for (int i = 0; i < 3; i++) {
        khm_purpose_input in = { 0 };
        in.code = codes[i];
        in.name_th = "วัตถุประสงค์ทดสอบ";
        in.basis = i == 1 ? "s24(4)" : "consent";
        in.retention_days = 365;
        in.text_th = i == 1 ? NULL : "ข้าพเจ้ายินยอม";
        in.reconsent_required = -1;
        assert_int_equal(khm_purpose_create(tx, &x->pr[i], &in, x->agency, NULL, 1, x->env.arena),
                         0);
    }
    assert_int_equal(khm_tx_commit(tx), 0);
    unsigned char key[32];
    memset(key, 0x5a, sizeof(key));
    khm_pseudonymizer_init(&x->pz, key);
}

static void ix_open(ixenv *x)
{
    ix_open_db(x, NULL);
}

/* The token of synthetic subject @p n (any 64-bit number: an "other" identifier). */
static void token_of(ixenv *x, long n, unsigned char tok[32])
{
    char id[32];
    snprintf(id, sizeof(id), "subject-%ld", n);
    assert_int_equal(khm_consent_subject_token(&x->pz, KHM_SUBJECT_OTHER, id, "subject", tok), 0);
}

/* Grant (or withdraw) subject @p n for purpose @p p in @p tx; its id into @p id when not NULL. */
static void insert_event(ixenv *x, khm_tx *tx, int p, long n, int withdraw, int64_t expires_at,
                         char id[KHM_ID_LEN])
{
    unsigned char tok[32];
    khm_consent_event ev;
    memset(&ev, 0, sizeof(ev));
    token_of(x, n, tok);
    khm_id_new(ev.id);
    memcpy(ev.agency_id, x->agency, KHM_ID_LEN);
    memcpy(ev.purpose_id, x->pr[p].id, KHM_ID_LEN);
    khm_hex_encode(ev.subject, tok, 32);
    ev.subject_type = "other";
    ev.withdraw = withdraw;
    ev.given_at = ev.recorded_at = khm_time_now_ms();
    ev.expires_at = expires_at;
    ev.method = "electronic";
    ev.text_version = 1;
    ev.age = -1;
    ev.given_by = "subject";
    assert_int_equal(khm_store_consent_insert(tx, &ev), 0);
    if (id)
        memcpy(id, ev.id, KHM_ID_LEN);
}

/* Grant (or withdraw) subjects from..to-1 for purpose @p p in one transaction of @p s. */
static void record(ixenv *x, khm_store *s, int p, long from, long to, int withdraw,
                   int64_t expires_at, char last_id[KHM_ID_LEN])
{
    khm_tx *tx;
    assert_int_equal(khm_tx_begin(&tx, s, 1), 0);
    for (long n = from; n < to; n++)
        insert_event(x, tx, p, n, withdraw, expires_at, last_id);
    assert_int_equal(khm_tx_commit(tx), 0);
}

static khm_consent_verdict check(khm_consent_index *ix, ixenv *x, const char *purpose, long n,
                                 int64_t now)
{
    unsigned char tok[32];
    khm_consent_verdict v;
    token_of(x, n, tok);
    assert_int_equal(khm_consent_check(ix, x->agency, purpose, tok, now, &v), 0);
    if (x->threads)
        return v;
    /* the same answer without the index, from the pair's records (khomun consent check) */
    khm_tx *tx;
    khm_purpose_rec pr;
    khm_consent_verdict sv;
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_tx_begin(&tx, x->env.store, 0), 0);
    assert_int_equal(khm_consent_purpose_read(tx, x->agency, purpose, &pr, a), 0);
    assert_int_equal(khm_consent_check_store(tx, &pr, tok, now, &sv), 0);
    khm_tx_rollback(tx);
    khm_arena_free(a);
    assert_int_equal(sv.allow, v.allow);
    assert_int_equal(sv.reason, v.reason);
    assert_int_equal(sv.basis, v.basis);
    assert_int_equal(sv.s26_exception, v.s26_exception);
    assert_string_equal(sv.consent_id, v.consent_id);
    assert_int_equal(sv.expires_at, v.expires_at);
    assert_int_equal(sv.text_version, v.text_version);
    return v;
}

/* §1.5 (s.19): granted → allowed with the event behind it; withdrawn → denied at the next
 * check; expired; nobody recorded; §1.3 (s.24): another basis needs no record. */
static void test_pdpa_index__answers(void **state)
{
    (void)state;
    ixenv x;
    khm_consent_index *ix;
    char granted[KHM_ID_LEN], withdrawn[KHM_ID_LEN];
    int64_t now = khm_time_now_ms();
    ix_open(&x);
    record(&x, x.env.store, 0, 1, 2, 0, 0, granted);
    record(&x, x.env.store, 0, 2, 3, 0, 0, NULL);
    record(&x, x.env.store, 0, 2, 3, 1, 0, withdrawn);
    record(&x, x.env.store, 2, 3, 4, 0, now + 60000, NULL);
    assert_int_equal(khm_consent_index_new(&ix, x.env.store), 0);
    assert_int_equal(khm_consent_index_size(ix), 3);

    khm_consent_verdict v = check(ix, &x, "e-newsletter", 1, now);
    assert_true(v.allow);
    assert_int_equal(v.reason, KHM_CHECK_CONSENT);
    assert_string_equal(v.consent_id, granted);
    assert_int_equal(v.text_version, 1);
    v = check(ix, &x, x.pr[0].id, 1, now); /* by id too */
    assert_true(v.allow);
    v = check(ix, &x, "e-newsletter", 2, now);
    assert_false(v.allow);
    assert_int_equal(v.reason, KHM_CHECK_WITHDRAWN);
    assert_string_equal(v.consent_id, withdrawn);
    v = check(ix, &x, "e-newsletter", 99, now);
    assert_false(v.allow);
    assert_int_equal(v.reason, KHM_CHECK_NO_CONSENT);
    assert_string_equal(v.consent_id, "");
    v = check(ix, &x, "survey", 3, now);
    assert_true(v.allow);
    assert_int_equal(v.expires_at, now + 60000);
    v = check(ix, &x, "survey", 3, now + 60000);
    assert_false(v.allow);
    assert_int_equal(v.reason, KHM_CHECK_EXPIRED);
    v = check(ix, &x, "tax-refund", 99, now);
    assert_true(v.allow);
    assert_int_equal(v.reason, KHM_CHECK_BASIS);
    assert_int_equal(v.basis, KHM_BASIS_S24_4);

    /* a withdrawal committed now is the next check's answer (s.19 para 5) */
    record(&x, x.env.store, 0, 1, 2, 1, 0, NULL);
    assert_int_equal(check(ix, &x, "e-newsletter", 1, now).reason, KHM_CHECK_WITHDRAWN);

    /* an unknown purpose, or another agency's: a field error naming "purpose" */
    unsigned char tok[32];
    token_of(&x, 1, tok);
    assert_int_equal(khm_consent_check(ix, x.agency, "nope", tok, now, &v), KHM_EINVALID);
    size_t nf;
    assert_string_equal(khm_err_fields(&nf)[0].field, "purpose");
    assert_int_equal(
        khm_consent_check(ix, "01a21d8b-96a5-7026-be69-c4cd1d2dc6a1", "e-newsletter", tok, now, &v),
        KHM_EINVALID);
    /* the same from the store: an unknown purpose, another agency's, none */
    khm_tx *tx;
    khm_purpose_rec pr;
    assert_int_equal(khm_tx_begin(&tx, x.env.store, 0), 0);
    assert_int_equal(khm_consent_purpose_read(tx, x.agency, "nope", &pr, x.env.arena),
                     KHM_EINVALID);
    assert_string_equal(khm_err_fields(&nf)[0].field, "purpose");
    assert_int_equal(khm_consent_purpose_read(tx, "01a21d8b-96a5-7026-be69-c4cd1d2dc6a1",
                                              "e-newsletter", &pr, x.env.arena),
                     KHM_EINVALID);
    assert_int_equal(khm_consent_purpose_read(tx, x.agency, NULL, &pr, x.env.arena), KHM_EINVALID);
    khm_tx_rollback(tx);
    khm_consent_index_free(ix);
    khm_test_env_close(&x.env);
}

/* A purpose resolved once answers as its code does; khm_consent_check_many answers as one call
 * per pair, in order, for any mix of purposes and subjects. */
static void test_pdpa_index__resolved_purpose_and_many(void **state)
{
    (void)state;
    ixenv x;
    khm_consent_index *ix;
    int64_t now = khm_time_now_ms();
    ix_open(&x);
    record(&x, x.env.store, 0, 0, 500, 0, 0, NULL);
    record(&x, x.env.store, 0, 0, 500, 1, 0, NULL); /* then withdrawn ... */
    record(&x, x.env.store, 0, 0, 250, 0, 0, NULL); /* ... and the first half given again */
    record(&x, x.env.store, 2, 200, 700, 0, 0, NULL);
    assert_int_equal(khm_consent_index_new(&ix, x.env.store), 0);
    khm_consent_purpose p[3];
    static const char *const codes[3] = { "e-newsletter", "tax-refund", "survey" };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(khm_consent_index_purpose(ix, x.agency, codes[i], &p[i]), 0);
        assert_int_equal(p[i].basis, i == 1 ? KHM_BASIS_S24_4 : KHM_BASIS_CONSENT);
    }
    enum { N = 1000 };
    khm_consent_purpose *ps = calloc(N, sizeof(*ps));
    unsigned char(*toks)[32] = calloc(N, 32);
    khm_consent_verdict *many = calloc(N, sizeof(*many)), one;
    int counts[KHM_CHECK__COUNT] = { 0 };
    for (int i = 0; i < N; i++) {
        ps[i] = p[(i * 7) % 3];
        token_of(&x, (i * 37) % 800, toks[i]);
    }
    assert_int_equal(khm_consent_check_many(ix, N, ps, (const unsigned char(*)[32])toks, now, many),
                     0);
    for (int i = 0; i < N; i++) {
        if (i % 2) /* as the check route does: the entry fetched first, the answer the same */
            khm_consent_prefetch(ix, &ps[i], toks[i]);
        assert_int_equal(khm_consent_check_purpose(ix, &ps[i], toks[i], now, &one), 0);
        assert_int_equal(many[i].allow, one.allow);
        assert_int_equal(many[i].reason, one.reason);
        assert_string_equal(many[i].consent_id, one.consent_id);
        khm_consent_verdict by_code;
        assert_int_equal(
            khm_consent_check(ix, x.agency, codes[(i * 7) % 3], toks[i], now, &by_code), 0);
        assert_int_equal(by_code.reason, one.reason);
        assert_string_equal(by_code.consent_id, one.consent_id);
        counts[one.reason]++;
    }
    /* every kind of answer was in the mix */
    assert_true(counts[KHM_CHECK_CONSENT] > 0 && counts[KHM_CHECK_WITHDRAWN] > 0 &&
                counts[KHM_CHECK_NO_CONSENT] > 0 && counts[KHM_CHECK_BASIS] > 0);
    /* by code, as the batch route asks: the same answers; one unknown code answers none and
     * says which */
    const char **names = calloc(N, sizeof(*names));
    khm_consent_purpose *scratch = calloc(N, sizeof(*scratch));
    khm_consent_verdict *batch = calloc(N, sizeof(*batch));
    size_t at = 0;
    for (int i = 0; i < N; i++)
        names[i] = codes[(i * 7) % 3];
    assert_int_equal(khm_consent_check_batch(ix, x.agency, N, names,
                                             (const unsigned char(*)[32])toks, now, scratch, batch,
                                             &at),
                     0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(batch[i].allow, many[i].allow);
        assert_int_equal(batch[i].reason, many[i].reason);
        assert_string_equal(batch[i].consent_id, many[i].consent_id);
        assert_int_equal(scratch[i].slot, ps[i].slot);
    }
    names[617] = "no-such-purpose";
    memset(batch, 0x5a, N * sizeof(*batch));
    assert_int_equal(khm_consent_check_batch(ix, x.agency, N, names,
                                             (const unsigned char(*)[32])toks, now, scratch, batch,
                                             &at),
                     KHM_EINVALID);
    assert_int_equal(at, 617);
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    assert_true(nf >= 1);
    assert_string_equal(fe[0].field, "purpose");
    assert_int_equal(((unsigned char *)batch)[0], 0x5a); /* nothing answered */
    khm_err_clear();
    free(names);
    free(scratch);
    free(batch);
    /* a slot the index does not have */
    khm_consent_purpose bad = { 1000000, KHM_BASIS_CONSENT };
    khm_consent_prefetch(ix, &bad, toks[0]); /* a hint only: harmless */
    assert_int_equal(khm_consent_check_purpose(ix, &bad, toks[0], now, &one), KHM_EINVALID);
    free(ps);
    free(toks);
    free(many);
    khm_consent_index_free(ix);
    khm_test_env_close(&x.env);
}

typedef struct {
    khm_consent_index *ix;
    ixenv *x;
    khm_consent_purpose p;
    unsigned char tok[32];
    char want[KHM_ID_LEN];
    int stop; /* atomic */
    long checks, wrong;
} reader_arg;

static void *reader(void *arg)
{
    reader_arg *r = arg;
    khm_consent_verdict v;
    while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
        if (khm_consent_check_purpose(r->ix, &r->p, r->tok, khm_time_now_ms(), &v) < 0 ||
            !v.allow || strcmp(v.consent_id, r->want) != 0)
            r->wrong++;
        r->checks++;
    }
    return NULL;
}

/* @p n threads checking subject 0 for e-newsletter all the time; the answer must be @p want. */
static void start_readers(reader_arg *r, pthread_t *th, int n, khm_consent_index *ix, ixenv *x,
                          const char *want)
{
    for (int i = 0; i < n; i++) {
        memset(&r[i], 0, sizeof(r[i]));
        r[i].ix = ix;
        r[i].x = x;
        assert_int_equal(khm_consent_index_purpose(ix, x->agency, "e-newsletter", &r[i].p), 0);
        token_of(x, 0, r[i].tok);
        memcpy(r[i].want, want, KHM_ID_LEN);
        assert_int_equal(pthread_create(&th[i], NULL, reader, &r[i]), 0);
    }
}

/* Readers take no lock: two threads check one granted subject without pause while 60,000 more
 * are granted, committed in batches and applied by the readers' own syncs (every shard grows
 * under them); not one answer is wrong, and every new subject is then allowed. */
static void test_pdpa_index__readers_while_it_grows(void **state)
{
    (void)state;
    ixenv x;
    pthread_t th[2];
    reader_arg r[2];
    ix_open(&x);
    x.threads = 1;
    char id[KHM_ID_LEN];
    record(&x, x.env.store, 0, 0, 1, 0, 0, id);
    khm_consent_index *ix;
    assert_int_equal(khm_consent_index_new(&ix, x.env.store), 0);
    start_readers(r, th, 2, ix, &x, id);
    for (long b = 1; b < 60001; b += 2000)
        record(&x, x.env.store, 0, b, b + 2000, 0, 0, NULL);
    unsigned char tok[32];
    khm_consent_verdict v;
    token_of(&x, 60000, tok);
    for (int i = 0; i < 2000; i++) { /* until a reader's sync applied the last batch */
        assert_int_equal(khm_consent_check_purpose(ix, &r[0].p, tok, khm_time_now_ms(), &v), 0);
        if (v.allow)
            break;
    }
    for (int i = 0; i < 2; i++) {
        __atomic_store_n(&r[i].stop, 1, __ATOMIC_RELEASE);
        pthread_join(th[i], NULL);
        assert_true(r[i].checks > 0);
        assert_int_equal(r[i].wrong, 0);
    }
    assert_int_equal(khm_consent_index_size(ix), 60001);
    for (long n = 0; n < 60001; n += 97)
        assert_true(check(ix, &x, "e-newsletter", n, khm_time_now_ms()).allow);
    khm_consent_index_free(ix);
    khm_test_env_close(&x.env);
}

/* An index built at once over a large store (tables sized from the event count, events applied
 * through the queue that fetches their entries ahead): a pair's withdrawal right behind its grant,
 * and a grant again right behind that, are applied in order (the latest wins, s.19 para 5), and
 * every answer is the one the pair's own records give. */
static void test_pdpa_index__built_at_once_in_order(void **state)
{
    (void)state;
    ixenv x;
    khm_tx *tx;
    enum { N = 40000 };
    static char last[N][KHM_ID_LEN];
    ix_open(&x);
    assert_int_equal(khm_tx_begin(&tx, x.env.store, 1), 0);
    long events = 0, pairs = 0;
    for (long n = 0; n < N; n++) {
        insert_event(&x, tx, 0, n, 0, 0, last[n]), events++, pairs++;
        if (n % 3 == 0)
            insert_event(&x, tx, 0, n, 1, 0, last[n]), events++;
        if (n % 15 == 0)
            insert_event(&x, tx, 0, n, 0, 0, last[n]), events++;
        if (n % 4 == 0)
            insert_event(&x, tx, 2, n, 0, 0, NULL), events++, pairs++;
    }
    assert_int_equal(khm_tx_commit(tx), 0);
    assert_true(events > 64 * 1024); /* more than the first tables hold: sized from the count */
    khm_consent_index *ix;
    assert_int_equal(khm_consent_index_new(&ix, x.env.store), 0);
    assert_int_equal(khm_consent_index_size(ix), pairs);
    int64_t now = khm_time_now_ms();
    for (long n = 0; n < N; n++) {
        khm_consent_verdict v;
        unsigned char tok[32];
        token_of(&x, n, tok);
        assert_int_equal(khm_consent_check(ix, x.agency, "e-newsletter", tok, now, &v), 0);
        assert_int_equal(v.allow, n % 3 != 0 || n % 15 == 0);
        assert_int_equal(v.reason, v.allow ? KHM_CHECK_CONSENT : KHM_CHECK_WITHDRAWN);
        assert_string_equal(v.consent_id, last[n]);
        assert_int_equal(khm_consent_check(ix, x.agency, "survey", tok, now, &v), 0);
        assert_int_equal(v.allow, n % 4 == 0);
    }
    for (long n = 0; n < N; n += 89) /* the same as the records give, one pair at a time */
        check(ix, &x, "e-newsletter", n, now);
    khm_consent_index_free(ix);
    khm_test_env_close(&x.env);
}

/* khm_consent_index_start: built on its own thread, ready once built, with the answers
 * khm_consent_index_new gives; before that, khm_consent_check_from_store answers the same
 * (s.19: a withdrawal counts at once either way) and names an unknown purpose's position;
 * freeing an index still building (held back) stops the build. */
static void test_pdpa_index__built_in_the_background(void **state)
{
    (void)state;
    ixenv x;
    char granted[KHM_ID_LEN];
    ix_open(&x);
    record(&x, x.env.store, 0, 0, 3000, 0, 0, NULL);
    record(&x, x.env.store, 0, 0, 1000, 1, 0, NULL);
    record(&x, x.env.store, 2, 7, 8, 0, 0, granted);
    int64_t now = khm_time_now_ms();

    /* from the store, before any index: the same answers as an index gives (check() compares
     * an index's answer with the pair's records one at a time; this is the batch form) */
    const char *purposes[4] = { "e-newsletter", "e-newsletter", "survey", "tax-refund" };
    unsigned char toks[4][32];
    long subjects[4] = { 5, 2000, 7, 9999 };
    for (int i = 0; i < 4; i++)
        token_of(&x, subjects[i], toks[i]);
    khm_consent_verdict v[4];
    size_t bad = 99;
    assert_int_equal(khm_consent_check_from_store(x.env.store, x.agency, 4, purposes,
                                                  (const unsigned char(*)[32])toks, now, v, &bad,
                                                  x.env.arena),
                     0);
    assert_int_equal(v[0].reason, KHM_CHECK_WITHDRAWN);
    assert_int_equal(v[1].reason, KHM_CHECK_CONSENT);
    assert_true(v[1].allow);
    assert_int_equal(v[2].reason, KHM_CHECK_CONSENT);
    assert_string_equal(v[2].consent_id, granted);
    assert_int_equal(v[3].reason, KHM_CHECK_BASIS);
    purposes[2] = "nope";
    assert_int_equal(khm_consent_check_from_store(x.env.store, x.agency, 4, purposes,
                                                  (const unsigned char(*)[32])toks, now, v, &bad,
                                                  x.env.arena),
                     KHM_EINVALID);
    assert_int_equal(bad, 2);
    size_t nf;
    assert_string_equal(khm_err_fields(&nf)[0].field, "purpose");
    purposes[2] = "survey";

    khm_consent_index *ix;
    assert_int_equal(khm_consent_index_start(&ix, x.env.store), 0);
    int ready = 0;
    for (int i = 0; i < 3000 && (ready = khm_consent_index_ready(ix)) == 0; i++)
        usleep(2000);
    assert_int_equal(ready, 1);
    assert_int_equal(khm_consent_index_size(ix), 3001);
    khm_consent_purpose scratch[4];
    khm_consent_verdict w[4];
    assert_int_equal(khm_consent_check_batch(ix, x.agency, 4, purposes,
                                             (const unsigned char(*)[32])toks, now, scratch, w,
                                             &bad),
                     0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(w[i].allow, v[i].allow);
        assert_int_equal(w[i].reason, v[i].reason);
        assert_string_equal(w[i].consent_id, v[i].consent_id);
    }
    for (long n = 0; n < 3000; n += 37)
        check(ix, &x, "e-newsletter", n, now);
    khm_consent_index_free(ix);

    /* held back: not ready; freed while building, at once */
    setenv("KHOMUN_CONSENT_INDEX_DELAY_MS", "600000", 1);
    assert_int_equal(khm_consent_index_start(&ix, x.env.store), 0);
    unsetenv("KHOMUN_CONSENT_INDEX_DELAY_MS");
    usleep(20000);
    assert_int_equal(khm_consent_index_ready(ix), 0);
    int64_t t0 = khm_time_now_ms();
    khm_consent_index_free(ix);
    assert_true(khm_time_now_ms() - t0 < 2000);
    khm_test_env_close(&x.env);
}

/* Another process on the same database file: its commit is the next check's answer (the shared
 * consent counter beside the file). */
static void test_pdpa_index__another_handle_is_seen_at_once(void **state)
{
    (void)state;
    ixenv x;
    khm_store *other;
    khm_consent_index *ix;
    ix_open(&x);
    assert_int_equal(khm_consent_index_new(&ix, x.env.store), 0);
    assert_int_equal(khm_store_open(&other, x.env.init.db_uri, NULL), 0);
    assert_int_equal(check(ix, &x, "survey", 5, khm_time_now_ms()).reason, KHM_CHECK_NO_CONSENT);
    record(&x, other, 2, 5, 6, 0, 0, NULL);
    assert_true(check(ix, &x, "survey", 5, khm_time_now_ms()).allow);
    record(&x, other, 2, 5, 6, 1, 0, NULL);
    assert_int_equal(check(ix, &x, "survey", 5, khm_time_now_ms()).reason, KHM_CHECK_WITHDRAWN);
    khm_store_close(other);
    khm_consent_index_free(ix);
    khm_test_env_close(&x.env);
}

/* ---- PostgreSQL (KHOMUN_TEST_PG) ---- */

/* Another server on the same PostgreSQL database (a second store handle, whose commits reach
 * this one only by NOTIFY, later): with eight threads checking all the time, each grant and
 * withdrawal committed there is still the very next check's answer here (§1.5, s.19 para 5),
 * and the threads share the reads of the newest sequences (fewer reads than syncs). */
static void test_pdpa_index__postgres_strict_with_shared_reads(void **state)
{
    (void)state;
    if (!khm_test_pg())
        skip();
    char name[64], uri[1024];
    khm_test_pg_create(name, uri, "khm_unit_index", NULL);

    ixenv x;
    enum { READERS = 8 };
    pthread_t th[READERS];
    reader_arg r[READERS];
    khm_store *other;
    khm_consent_index *ix;
    char id[KHM_ID_LEN];
    ix_open_db(&x, uri);
    x.threads = 1;
    record(&x, x.env.store, 0, 0, 1, 0, 0, id);
    assert_int_equal(khm_consent_index_new(&ix, x.env.store), 0);
    assert_int_equal(khm_store_open(&other, uri, NULL), 0);
    start_readers(r, th, READERS, ix, &x, id);
    for (int round = 0; round < 20; round++) {
        record(&x, other, 2, 5, 6, 0, 0, NULL);
        assert_true(check(ix, &x, "survey", 5, khm_time_now_ms()).allow);
        record(&x, other, 2, 5, 6, 1, 0, NULL);
        assert_int_equal(check(ix, &x, "survey", 5, khm_time_now_ms()).reason, KHM_CHECK_WITHDRAWN);
    }
    for (int i = 0; i < READERS; i++) {
        __atomic_store_n(&r[i].stop, 1, __ATOMIC_RELEASE);
        pthread_join(th[i], NULL);
        assert_true(r[i].checks > 0);
        assert_int_equal(r[i].wrong, 0);
    }
    /* the threads stopped: the store's answer (khomun consent check) is the index's, on
     * PostgreSQL too */
    x.threads = 0;
    assert_int_equal(check(ix, &x, "survey", 5, khm_time_now_ms()).reason, KHM_CHECK_WITHDRAWN);
    assert_true(check(ix, &x, "e-newsletter", 0, khm_time_now_ms()).allow);
    assert_int_equal(check(ix, &x, "e-newsletter", 7, khm_time_now_ms()).reason,
                     KHM_CHECK_NO_CONSENT);
    /* the check route's way: resolve (one sync: one read of the newest sequences), then
     * answer without a second; a grant committed on the other server just before is the
     * answer */
    uint64_t syncs0, reads0, syncs1, reads1;
    khm_consent_purpose sp;
    khm_consent_verdict sv;
    unsigned char stok[32];
    record(&x, other, 2, 9, 10, 0, 0, NULL);
    token_of(&x, 9, stok);
    khm_consent_index_stats(ix, &syncs0, &reads0);
    assert_int_equal(khm_consent_index_purpose(ix, x.agency, "survey", &sp), 0);
    assert_int_equal(khm_consent_check_synced(ix, &sp, stok, khm_time_now_ms(), &sv), 0);
    khm_consent_index_stats(ix, &syncs1, &reads1);
    assert_true(sv.allow);
    assert_int_equal(syncs1 - syncs0, 1);
    assert_int_equal(reads1 - reads0, 1);
    uint64_t syncs = 0, reads = 0;
    khm_consent_index_stats(ix, &syncs, &reads);
    assert_true(reads > 0);
    assert_true(reads < syncs);
    khm_store_close(other);
    khm_consent_index_free(ix);
    khm_test_env_close(&x.env);
    khm_test_pg_drop(name);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_pdpa_index__answers),
              cmocka_unit_test(test_pdpa_index__resolved_purpose_and_many),
              cmocka_unit_test(test_pdpa_index__readers_while_it_grows),
              cmocka_unit_test(test_pdpa_index__built_at_once_in_order),
              cmocka_unit_test(test_pdpa_index__built_in_the_background),
              cmocka_unit_test(test_pdpa_index__another_handle_is_seen_at_once),
              cmocka_unit_test(test_pdpa_index__postgres_strict_with_shared_reads))
