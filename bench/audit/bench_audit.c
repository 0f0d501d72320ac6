/* bench_audit — the audit trail's hot paths, each beside its baseline (built and run by
 * bench/audit/run.sh; not a test):
 *
 *   1. durable appends through khm_audit_writer (8 threads enqueue and wait on their tickets;
 *      group commit) beside bare SQLite inserts of the same rows into the same table with the
 *      same durability (WAL, synchronous=FULL) and the same transaction sizes;
 *   2. khm_audit_verify_store over the chain just written, in events/s;
 *   3. SHA-256 of one event (32-byte link + 250 bytes) with OpenSSL (khm_sha256_2, as the chain
 *      uses), with OpenSSL's EVP and an explicitly fetched digest, and with libsodium
 *      (crypto_hash_sha256), in events/s.
 *
 * The writer's commits are counted (sqlite3_step is wrapped): events per commit is how many
 * events one fsync carries (WAL + synchronous=FULL sync the log at every commit), and it sets
 * the bare run's transaction size.
 *
 *   bench_audit DIR [EVENTS_PER_THREAD [THREADS [WINDOW]]]
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <khomun/audit.h>
#include <khomun/khomun.h>

#include <dlfcn.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_audit"
#include "../bench_common.h"

/* ---- 1b. bare SQLite: the same table, the same rows, the same durability ---- */

static double bare_sqlite(const char *src_db, const char *dir, long total, long batch, long *syncs)
{
    char path[4200];
    sqlite3 *src, *db;
    sqlite3_stmt *st;
    snprintf(path, sizeof(path), "%s/bare.db", dir);
    /* the schema of audit_event exactly as the store created it, indexes included */
    if (sqlite3_open(src_db, &src) != SQLITE_OK ||
        sqlite3_prepare_v2(src,
                           "SELECT sql FROM sqlite_master WHERE tbl_name = 'audit_event' AND sql "
                           "IS NOT NULL ORDER BY type DESC",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_audit: cannot read the schema of %s\n", src_db);
        exit(1);
    }
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL,
                     NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_audit: cannot open %s\n", path);
        exit(1);
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        if (sqlite3_exec(db, (const char *)sqlite3_column_text(st, 0), NULL, NULL, NULL) !=
            SQLITE_OK) {
            fprintf(stderr, "bench_audit: schema: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
    sqlite3_finalize(st);
    sqlite3_close(src);

    /* rows as the writer stores them: fresh id and time, 64-hex-digit hashes */
    khm_audit_event ev = sample_event();
    char id[KHM_ID_LEN], hash[65], prev[65];
    memset(hash, 'a', 64);
    memset(prev, 'b', 64);
    hash[64] = prev[64] = '\0';
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO audit_event (seq, id, ts, actor_user, actor_agency, "
                           "token_id, action, target, purpose, outcome, status, reasons, "
                           "request_id, client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_audit: prepare: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    double t0 = now_s();
    long txs = 0;
    for (long seq = 1; seq <= total;) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        txs++;
        for (long i = 0; i < batch && seq <= total; i++, seq++) {
            khm_id_new(id);
            hash[seq % 64] = (char)('0' + seq % 10); /* distinct enough, same size */
            sqlite3_bind_int64(st, 1, seq);
            sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, khm_time_now_ms());
            sqlite3_bind_text(st, 4, ev.actor_user, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, ev.actor_agency, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, ev.token_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, ev.action, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 8, ev.target, -1, SQLITE_STATIC);
            sqlite3_bind_null(st, 9);
            sqlite3_bind_text(st, 10, ev.outcome, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 11, ev.status);
            sqlite3_bind_null(st, 12);
            sqlite3_bind_text(st, 13, ev.request_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 14, ev.client, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 15, prev, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 16, hash, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                fprintf(stderr, "bench_audit: insert: %s\n", sqlite3_errmsg(db));
                exit(1);
            }
            sqlite3_reset(st);
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "bench_audit: commit: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
    }
    double dt = now_s() - t0;
    *syncs = txs;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return (double)total / dt;
}

/* ---- 3. SHA-256 ---- */

static double sha_openssl(const uint8_t *ev, size_t n, long iters, uint8_t out[32])
{
    uint8_t prev[32] = { 0 };
    double t0 = now_s();
    for (long i = 0; i < iters; i++) {
        khm_sha256_2(out, prev, 32, ev, n);
        memcpy(prev, out, 32); /* chained, as the verifier does */
    }
    return (double)iters / (now_s() - t0);
}

/* EVP with an explicitly fetched SHA256: what khm_sha256_2 costs without OpenSSL 3's implicit
 * fetch (a lock and a lookup per EVP_DigestInit_ex when the md comes from EVP_sha256()) */
static double sha_evp_fetched(const uint8_t *ev, size_t n, long iters, uint8_t out[32])
{
    uint8_t prev[32] = { 0 };
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!md || !ctx) {
        fprintf(stderr, "bench_audit: EVP_MD_fetch failed\n");
        exit(1);
    }
    double t0 = now_s();
    for (long i = 0; i < iters; i++) {
        EVP_DigestInit_ex(ctx, md, NULL);
        EVP_DigestUpdate(ctx, prev, 32);
        EVP_DigestUpdate(ctx, ev, n);
        EVP_DigestFinal_ex(ctx, out, NULL);
        memcpy(prev, out, 32);
    }
    double r = (double)iters / (now_s() - t0);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return r;
}

static double sha_sodium(const uint8_t *ev, size_t n, long iters, uint8_t out[32])
{
    uint8_t prev[32] = { 0 };
    crypto_hash_sha256_state st;
    double t0 = now_s();
    for (long i = 0; i < iters; i++) {
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, prev, 32);
        crypto_hash_sha256_update(&st, ev, n);
        crypto_hash_sha256_final(&st, out);
        memcpy(prev, out, 32);
    }
    return (double)iters / (now_s() - t0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_audit DIR [EVENTS_PER_THREAD [THREADS [WINDOW]]]\n");
        return 2;
    }
    const char *dir = argv[1];
    long per_thread = argc > 2 ? atol(argv[2]) : 40000;
    int nthreads = argc > 3 ? atoi(argv[3]) : 8;
    long window = argc > 4 ? atol(argv[4]) : 512;
    if (per_thread < 1 || nthreads < 1 || nthreads > 64 || window < 1) {
        fprintf(stderr, "bench_audit: bad arguments\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    khm_log_set_level(KHM_LOG_WARN);

    char dbpath[4200];
    snprintf(dbpath, sizeof(dbpath), "%s/audit.db", dir);
    khm_store *s;
    khm_store_opts so = KHM_STORE_OPTS_INIT;
    so.create = 1;
    if (khm_store_open(&s, dbpath, &so) < 0)
        die("store");
    khm_keys keys;
    memset(&keys, 0, sizeof(keys));
    crypto_sign_keypair(keys.sign_pk, keys.sign_sk);

    /* the canonical size of the sample event */
    khm_buf cb = KHM_BUF_INIT(1 << 16);
    khm_audit_row row;
    khm_audit_event sev = sample_event();
    memset(&row, 0, sizeof(row));
    khm_id_new(row.id);
    row.ts = khm_time_now_ms();
    row.actor_user = sev.actor_user;
    row.actor_agency = sev.actor_agency;
    row.token_id = sev.token_id;
    row.action = sev.action;
    row.target = sev.target;
    row.outcome = sev.outcome;
    row.status = sev.status;
    row.request_id = sev.request_id;
    row.client = sev.client;
    khm_audit_canonical(&cb, &row);
    size_t canon = cb.len;
    khm_buf_dispose(&cb);

    /* 1a. writer */
    long total = per_thread * nthreads, w_syncs;
    double writer_rate = writer_load(s, &keys, per_thread, nthreads, window, &w_syncs);
    long batch = w_syncs > 0 ? (total + w_syncs - 1) / w_syncs : total;

    /* 1b. bare SQLite, transactions of the writer's average batch */
    long b_syncs;
    double bare_rate = bare_sqlite(dbpath, dir, total, batch, &b_syncs);

    /* 2. verify */
    khm_audit_report rep;
    double t0 = now_s();
    if (khm_audit_verify_store(s, keys.sign_pk, 1, &rep) < 0)
        die("verify");
    double vdt = now_s() - t0;
    if (!rep.ok) {
        fprintf(stderr, "bench_audit: the chain does not verify: %s\n", rep.message);
        return 1;
    }
    double verify_rate = (double)rep.events / vdt;
    khm_store_close(s);

    /* 3. SHA-256 of a 250-byte event after a 32-byte link */
    uint8_t ev[250], o1[32], o2[32], o3[32];
    for (size_t i = 0; i < sizeof(ev); i++)
        ev[i] = (uint8_t)('a' + i % 26);
    long iters = 2000000;
    double r_ssl = sha_openssl(ev, sizeof(ev), iters, o1);
    double r_na = sha_sodium(ev, sizeof(ev), iters, o2);
    double r_fetched = sha_evp_fetched(ev, sizeof(ev), iters, o3);
    if (memcmp(o1, o2, 32) != 0 || memcmp(o1, o3, 32) != 0) {
        fprintf(stderr, "bench_audit: OpenSSL and libsodium disagree\n");
        return 1;
    }

    printf("bench/audit: event canonical form         %9zu bytes\n", canon);
    printf("bench/audit: durable appends (writer)      %9.0f events/s  (%d threads, window %ld, "
           "%ld events, %ld commits, %ld events/commit)\n",
           writer_rate, nthreads, window, total, w_syncs, batch);
    printf("bench/audit: bare SQLite inserts           %9.0f events/s  (same table and rows, "
           "WAL, synchronous=FULL, %ld per transaction, %ld commits)\n",
           bare_rate, batch, b_syncs);
    printf("bench/audit: ratio writer/bare             %9.2f\n", writer_rate / bare_rate);
    printf("bench/audit: verify                        %9.0f events/s  (%lld events, %lld "
           "checkpoints)\n",
           verify_rate, (long long)rep.events, (long long)rep.checkpoints);
    printf("bench/audit: SHA-256 OpenSSL (khm_sha256_2) %9.0f events/s  (%.0f MB/s)\n", r_ssl,
           r_ssl * 282 / 1e6);
    printf("bench/audit: SHA-256 OpenSSL EVP, fetched   %9.0f events/s  (%.0f MB/s; "
           "EVP_MD_fetch once instead of EVP_sha256())\n",
           r_fetched, r_fetched * 282 / 1e6);
    printf("bench/audit: SHA-256 libsodium             %9.0f events/s  (%.0f MB/s)\n", r_na,
           r_na * 282 / 1e6);
    printf("RESULT writer=%.0f bare=%.0f verify=%.0f sha_openssl=%.0f sha_sodium=%.0f batch=%ld "
           "sha_fetched=%.0f\n",
           writer_rate, bare_rate, verify_rate, r_ssl, r_na, batch, r_fetched);
    return 0;
}
