/* bench/consent: consent records and the consent check (issue 5, "Speed — bench/consent").
 * Not a test. In a data directory fresh from `khomun init` (its SQLite store, its keys, its
 * first agency "demo"), so that `khomun serve` can answer checks on the same records after:
 *   grants/s durable   SUBJECTS × 5 purposes of consent events, khm_store_consent_insert in
 *                      write transactions of BATCH events (each commit durable: WAL, synchronous
 *                      as the store sets it), tokens made with the agency's pseudonymiser
 *                      (khm_keys_agency_pseudonym: the server derives the same tokens); subject
 *                      n is the national ID "1" + n in 11 digits + its check digit
 *   index build s      khm_consent_index_new over all of them
 *   checks/s           khm_consent_check_purpose on random (subject, purpose) pairs, token
 *                      precomputed, purpose resolved once, 1 and 2 threads (and per CPU
 *                      second); khm_consent_check_many, 64 pairs a call (their tokens copied
 *                      from the array, in the time measured); khm_consent_check with the
 *                      purpose's code each time; and that
 *                      with the HMAC of the national ID per check (what a server request does)
 * Prints key=value lines (run.sh formats them). */
#include <khomun/consent.h>
#include <khomun/khomun.h>
#include <khomun/pdpa.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_consent: %s: %s\n", what, khm_err_last()->message);
    exit(1);
}

/* A synthetic national ID with a valid check digit from @p n. */
static void tnin(long n, char out[14])
{
    snprintf(out, 14, "1%011ld", n % 100000000000L);
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (out[i] - '0') * (13 - i);
    out[12] = (char)('0' + (11 - sum % 11) % 10);
    out[13] = '\0';
}

static const char *codes[5] = { "tax-refund", "e-newsletter", "health", "survey", "sms" };
static khm_consent_index *ix;
static unsigned char (*tokens)[32];
static long nsub;
static khm_pseudonymizer pz;
static char agency_id[KHM_ID_LEN];
static long iters;
static khm_consent_purpose refs[5]; /* the purposes, resolved once */
static int by_code;                 /* 1: khm_consent_check with the code each time */

/* Random (subject, purpose) pairs. A server's check has the token it just computed in cache;
 * here it comes from a 32 MB array, so the next one is prefetched a few checks ahead: the
 * figure is the check's, not this array's. */
#define AHEAD 4
static void *checker(void *arg)
{
    unsigned long long x = (unsigned long long)(uintptr_t)arg * 2654435761u + 1, allowed = 0;
    unsigned long long next[AHEAD];
    khm_consent_verdict v;
    int64_t now = khm_time_now_ms();
    for (int k = 0; k < AHEAD; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        next[k] = x;
    }
    for (long i = 0; i < iters; i++) {
        unsigned long long y = next[i % AHEAD];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        next[i % AHEAD] = x;
        __builtin_prefetch(tokens[x % (unsigned long long)nsub]);
        long s = (long)(y % (unsigned long long)nsub);
        int p = 1 + (int)((y >> 40) % 4);
        if ((by_code ? khm_consent_check(ix, agency_id, codes[p], tokens[s], now, &v)
                     : khm_consent_check_purpose(ix, &refs[p], tokens[s], now, &v)) < 0)
            die("check");
        allowed += (unsigned long long)v.allow;
    }
    return (void *)(uintptr_t)allowed;
}

/* The same pairs through khm_consent_check_many, BATCH at a time. */
#define BATCH 64
static void *checker_many(void *arg)
{
    unsigned long long x = (unsigned long long)(uintptr_t)arg * 2654435761u + 1, allowed = 0;
    khm_consent_purpose ps[BATCH];
    unsigned char toks[BATCH][32];
    khm_consent_verdict v[BATCH];
    int64_t now = khm_time_now_ms();
    for (long i = 0; i < iters; i += BATCH) {
        for (int k = 0; k < BATCH; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            ps[k] = refs[1 + (x >> 40) % 4];
            memcpy(toks[k], tokens[x % (unsigned long long)nsub], 32);
        }
        if (khm_consent_check_many(ix, BATCH, ps, (const unsigned char(*)[32])toks, now, v) < 0)
            die("check");
        for (int k = 0; k < BATCH; k++)
            allowed += (unsigned long long)v[k].allow;
    }
    return (void *)(uintptr_t)allowed;
}

static void *checker_hmac(void *arg)
{
    unsigned long long x = (unsigned long long)(uintptr_t)arg * 2654435761u + 1;
    khm_consent_verdict v;
    int64_t now = khm_time_now_ms();
    unsigned char tok[32];
    char id[14];
    for (long i = 0; i < iters; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        tnin((long)(x % (unsigned long long)nsub), id);
        if (khm_consent_subject_token(&pz, KHM_SUBJECT_TNIN, id, "subject", tok) < 0 ||
            khm_consent_check(ix, agency_id, codes[1 + (x >> 40) % 4], tok, now, &v) < 0)
            die("check");
    }
    return NULL;
}

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* checks/s of @p threads threads, wall clock; *@p per_cpu_s: checks per CPU second (what a
 * shared, loaded machine still measures fairly) */
static double run_checks(void *(*fn)(void *), int threads, double *per_cpu_s)
{
    pthread_t th[8];
    double t0 = now_s(), c0 = cpu_s();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, fn, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    if (per_cpu_s)
        *per_cpu_s = (double)iters * threads / (cpu_s() - c0);
    return (double)iters * threads / (now_s() - t0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_consent DATADIR [SUBJECTS] [BATCH] [CHECKS]\n");
        return 2;
    }
    nsub = argc > 2 ? atol(argv[2]) : 1000000;
    long batch = argc > 3 ? atol(argv[3]) : 10000;
    iters = argc > 4 ? atol(argv[4]) : 5000000;
    khm_store *s;
    khm_store_opts o = KHM_STORE_OPTS_INIT;
    khm_arena *a = khm_arena_new(0);
    khm_keys keys;
    if (khm_keys_load(&keys, argv[1]) < 0)
        die("keys");
    /* BENCH_DB: the database the directory was initialised on (postgres://…); default the
     * directory's SQLite file */
    const char *db = getenv("BENCH_DB") && *getenv("BENCH_DB") ? getenv("BENCH_DB")
                                                               : khm_datadir_db_path(argv[1], a);
    if (khm_store_open(&s, db, &o) < 0)
        die("open");
    khm_tx *tx;
    khm_agency ag;
    khm_purpose_rec pr[5];
    if (khm_tx_begin(&tx, s, 1) < 0 || khm_store_agency_get(tx, &ag, "demo", a) < 0)
        die("agency");
    memcpy(agency_id, ag.id, KHM_ID_LEN);
    /* BENCH_REUSE=1: the directory holds the records of an earlier run (same SUBJECTS): only
     * the checks are measured again */
    int reuse = getenv("BENCH_REUSE") && strcmp(getenv("BENCH_REUSE"), "1") == 0;
    for (int i = 0; i < 5 && !reuse; i++) {
        khm_purpose_input in = { 0 };
        in.code = codes[i];
        in.name_th = "วัตถุประสงค์";
        in.basis = i == 0 ? "s24(4)" : "consent";
        in.retention_days = 365;
        in.text_th = i == 0 ? NULL : "ข้าพเจ้ายินยอม";
        in.reconsent_required = -1;
        if (khm_purpose_create(tx, &pr[i], &in, ag.id, NULL, 1, a) < 0)
            die("purpose");
    }
    if (khm_tx_commit(tx) < 0)
        die("commit");
    unsigned char key[32];
    khm_keys_agency_pseudonym(&keys, ag.id, key);
    khm_pseudonymizer_init(&pz, key);
    khm_keys_wipe(&keys);
    tokens = malloc((size_t)nsub * 32);
    /* the grants: 5 purposes per subject (the first on s24(4) gets a consent event too, as a
     * grant counts the same for the store) */
    double t0 = now_s();
    long events = 0;
    int64_t now = khm_time_now_ms();
    for (long i = 0; reuse && i < nsub; i++) {
        char id[14];
        tnin(i, id);
        if (khm_consent_subject_token(&pz, KHM_SUBJECT_TNIN, id, "subject", tokens[i]) < 0)
            die("token");
    }
    for (long i = 0; i < nsub && !reuse;) {
        if (khm_tx_begin(&tx, s, 1) < 0 || khm_tx_batch_begin(tx) < 0)
            die("begin");
        for (long k = 0; k < batch / 5 && i < nsub; k++, i++) {
            char id[14];
            tnin(i, id);
            if (khm_consent_subject_token(&pz, KHM_SUBJECT_TNIN, id, "subject", tokens[i]) < 0)
                die("token");
            for (int p = 0; p < 5; p++) {
                khm_consent_event ev;
                memset(&ev, 0, sizeof(ev));
                khm_id_new(ev.id);
                memcpy(ev.agency_id, ag.id, KHM_ID_LEN);
                memcpy(ev.purpose_id, pr[p].id, KHM_ID_LEN);
                khm_hex_encode(ev.subject, tokens[i], 32);
                ev.subject_type = "tnin";
                ev.withdraw = p == 4 && i % 10 == 0;
                ev.given_at = ev.recorded_at = now;
                ev.method = "electronic";
                ev.text_version = 1;
                ev.age = -1;
                ev.given_by = "subject";
                if (khm_store_consent_insert(tx, &ev) < 0)
                    die("insert");
                events++;
            }
        }
        if (khm_tx_batch_end(tx) < 0 || khm_tx_commit(tx) < 0)
            die("commit");
    }
    double grant_s = now_s() - t0;
    if (!reuse)
        printf("events=%ld\ngrant_seconds=%.2f\ngrants_per_s=%.0f\n", events, grant_s,
               events / grant_s);
    t0 = now_s();
    if (khm_consent_index_new(&ix, s) < 0)
        die("index");
    printf("index_build_seconds=%.2f\nindex_pairs=%zu\n", now_s() - t0, khm_consent_index_size(ix));
    for (int p = 0; p < 5; p++)
        if (khm_consent_index_purpose(ix, agency_id, codes[p], &refs[p]) < 0)
            die("purpose");
    double cpu1, cpu2;
    printf("checks_per_s_1thread=%.0f\n", run_checks(checker, 1, &cpu1));
    printf("checks_per_cpu_s_1thread=%.0f\n", cpu1);
    printf("checks_per_s_2threads=%.0f\n", run_checks(checker, 2, &cpu2));
    printf("checks_per_cpu_s_2threads=%.0f\n", cpu2);
    printf("checks_many_per_s_1thread=%.0f\n", run_checks(checker_many, 1, &cpu1));
    printf("checks_many_per_cpu_s_1thread=%.0f\n", cpu1);
    printf("checks_many_per_s_2threads=%.0f\n", run_checks(checker_many, 2, NULL));
    by_code = 1;
    printf("checks_by_code_per_s_1thread=%.0f\n", run_checks(checker, 1, &cpu1));
    iters /= 4;
    printf("checks_hmac_per_s_1thread=%.0f\n", run_checks(checker_hmac, 1, NULL));
    printf("checks_hmac_per_s_2threads=%.0f\n", run_checks(checker_hmac, 2, NULL));
    khm_consent_index_free(ix);
    khm_store_close(s);
    khm_arena_free(a);
    free(tokens);
    return 0;
}
