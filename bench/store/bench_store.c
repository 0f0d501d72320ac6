/* bench_store — the store's write paths through the library, on one backend (built and run by
 * bench/store/run.sh, once on SQLite and once on PostgreSQL; not a test):
 *
 *   0. one store round trip (khm_store_ping, a trivial query), in µs: the least any statement
 *      costs — a function call on SQLite, a network round trip on PostgreSQL;
 *   1. agencies (catalog rows) created per second: khm_agency_create, AGENCIES rows in write
 *      transactions of BATCH (1000) rows each — the catalog import of issue 7 until the catalog
 *      of issue 4 exists;
 *   1b. catalog datasets imported per second: khm_catalog_import (the `khomun catalog import`
 *      path: GD-Catalog validation, the category/level rules, the dataset row, its history entry
 *      and its Thai full-text index entry), DATASETS datasets in files of BATCH each, one write
 *      transaction per file;
 *   2. durable audit appends per second through khm_audit_writer: THREADS threads each enqueue
 *      EVENTS events and wait on their last ticket every WINDOW events (as bench/audit does).
 *
 * Commits are counted on both backends (sqlite3_step and PQexec are wrapped: the library is
 * linked into this program, so these definitions are the ones it calls), so the output says how
 * many events one durable commit carried.
 *
 *   bench_store URI [AGENCIES [BATCH [EVENTS_PER_THREAD [THREADS [WINDOW [DATASETS]]]]]]
 *
 * URI is a file path (SQLite, created) or postgres://… (an existing, empty database).
 * Prints human lines and one "RESULT key=value …" line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <khomun/audit.h>
#include <khomun/catalog.h>
#include <khomun/khomun.h>

#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- counting commits on either backend ---- */

#define BENCH_NAME "bench_store"
#include "../bench_common.h"

PGresult *PQexec(PGconn *conn, const char *query)
{
    static PGresult *(*real)(PGconn *, const char *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "PQexec");
    if (query && strncmp(query, "COMMIT", 6) == 0)
        atomic_fetch_add(&commits, 1);
    return real(conn, query);
}

/* ---- 1b. catalog import ---- */

static int to_buf(const char *p, size_t n, void *payload)
{
    return khm_buf_put(payload, p, n);
}

/* DATASETS datasets of agency @p agency, BATCH per catalog file and transaction. */
static double catalog(khm_store *s, const char *agency, long total, long batch)
{
    khm_buf doc = KHM_BUF_INIT(1u << 30);
    double t0 = now_s();
    for (long n = 0; n < total;) {
        khm_buf_reset(&doc);
        khm_buf_puts(&doc, "{\"khomun_catalog\":1,\"datasets\":[");
        for (long k = 0; k < batch && n < total; k++, n++)
            khm_buf_printf(
                &doc,
                "%s{\"name\":\"bench-ds-%07ld\",\"title_en\":\"Budget plan %ld\",\"metadata\":{"
                "\"data_type\":\"ข้อมูลสถิติ\",\"title\":\"แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ชุดที่ %ld\","
                "\"maintainer\":\"กองยุทธศาสตร์และแผนงาน\",\"maintainer_email\":\"data@example.go."
                "th\","
                "\"tag_string\":[\"งบประมาณ\",\"budget\"],\"notes\":\"ข้อมูลแผนงบประมาณรายจ่ายประจำปี "
                "จำแนกตามหน่วยงานและแผนงาน\",\"objective\":[\"พันธกิจหน่วยงาน\"],"
                "\"update_frequency_unit\":\"ปี\",\"geo_coverage\":\"ประเทศ\","
                "\"data_source\":\"กองยุทธศาสตร์และแผนงาน\",\"data_format\":[\"CSV\"],"
                "\"data_category\":\"ข้อมูลสาธารณะ\",\"license_id\":\"Open Data Common\"}}",
                k ? "," : "", n, n, n);
        khm_buf_puts(&doc, "]}");
        khm_tx *tx;
        khm_catalog_import_stats st;
        if (khm_tx_begin(&tx, s, 1) < 0)
            die("begin");
        if (khm_catalog_import(tx, doc.ptr, doc.len, KHM_CATALOG_JSON, agency, NULL,
                               khm_time_now_ms(), &st) < 0) {
            khm_tx_rollback(tx);
            die("khm_catalog_import");
        }
        if (khm_tx_commit(tx) < 0)
            die("commit");
    }
    double rate = (double)total / (now_s() - t0);
    /* every dataset is there: an export counts them */
    khm_tx *tx;
    size_t got = 0;
    khm_buf_reset(&doc);
    if (khm_tx_begin(&tx, s, 0) < 0 ||
        khm_catalog_export(tx, KHM_CATALOG_JSON, NULL, 0, to_buf, &doc, &got) < 0)
        die("export");
    khm_tx_rollback(tx);
    if ((long)got != total) {
        fprintf(stderr, "bench_store: %ld datasets imported, %zu exported\n", total, got);
        exit(1);
    }
    khm_buf_dispose(&doc);
    return rate;
}

/* ---- 1. agencies ---- */

static double agencies(khm_store *s, long total, long batch, long *txs)
{
    char slug[64], th[128], en[64];
    khm_agency_input in = { slug, th, en };
    khm_agency out;
    long n = 0;
    *txs = 0;
    double t0 = now_s();
    while (n < total) {
        khm_tx *tx;
        if (khm_tx_begin(&tx, s, 1) < 0)
            die("begin");
        for (long i = 0; i < batch && n < total; i++, n++) {
            snprintf(slug, sizeof(slug), "bench-agency-%07ld", n);
            snprintf(th, sizeof(th), "หน่วยงานทดสอบที่ %ld", n);
            snprintf(en, sizeof(en), "Bench agency %ld", n);
            if (khm_agency_create(tx, &out, &in, khm_time_now_ms()) < 0) {
                khm_tx_rollback(tx);
                die("khm_agency_create");
            }
        }
        if (khm_tx_commit(tx) < 0)
            die("commit");
        (*txs)++;
    }
    return (double)total / (now_s() - t0);
}

/* ---- 2. the audit writer ---- */

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_store URI [AGENCIES [BATCH [EVENTS_PER_THREAD [THREADS "
                        "[WINDOW [DATASETS]]]]]]\n");
        return 2;
    }
    const char *uri = argv[1];
    long n_agencies = argc > 2 ? atol(argv[2]) : 20000;
    long batch = argc > 3 ? atol(argv[3]) : 1000;
    long per_thread = argc > 4 ? atol(argv[4]) : 10000;
    int nthreads = argc > 5 ? atoi(argv[5]) : 8;
    long window = argc > 6 ? atol(argv[6]) : 512;
    long n_datasets = argc > 7 ? atol(argv[7]) : 20000;
    if (n_datasets < 1 || n_agencies < 1 || batch < 1 || per_thread < 1 || nthreads < 1 ||
        nthreads > 64 || window < 1) {
        fprintf(stderr, "bench_store: bad arguments\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    khm_log_set_level(KHM_LOG_WARN);

    khm_store *s;
    khm_store_opts so = KHM_STORE_OPTS_INIT;
    so.create = 1;
    if (khm_store_open(&s, uri, &so) < 0)
        die("store");
    const char *backend = khm_store_backend(s);

    /* 0. one round trip: khm_store_ping (a trivial query) — what every statement pays at least */
    for (int i = 0; i < 200; i++)
        if (khm_store_ping(s) < 0)
            die("ping");
    long pings = 5000;
    double p0 = now_s();
    for (long i = 0; i < pings; i++)
        khm_store_ping(s);
    double ping_us = (now_s() - p0) / (double)pings * 1e6;

    /* 1. agencies */
    long a_txs;
    double a_rate = agencies(s, n_agencies, batch, &a_txs);

    /* 1b. the catalog import */
    double c_rate = catalog(s, "bench-agency-0000000", n_datasets, batch);

    /* 2. audit writer */
    khm_keys keys;
    memset(&keys, 0, sizeof(keys));
    crypto_sign_keypair(keys.sign_pk, keys.sign_sk);
    long total = per_thread * nthreads, w_commits;
    double audit_rate = writer_load(s, &keys, per_thread, nthreads, window, &w_commits);
    long per_commit = w_commits > 0 ? (total + w_commits - 1) / w_commits : total;

    /* the chain the writer left must hold */
    khm_audit_report rep;
    if (khm_audit_verify_store(s, keys.sign_pk, 1, &rep) < 0)
        die("verify");
    if (!rep.ok || rep.events != total) {
        fprintf(stderr, "bench_store: %s: the chain does not verify (%lld events): %s\n", backend,
                (long long)rep.events, rep.message);
        return 1;
    }
    khm_store_close(s);

    printf("RESULT backend=%s agencies=%ld agency_txs=%ld agencies_per_s=%.0f events=%ld "
           "threads=%d window=%ld audit_per_s=%.0f audit_commits=%ld events_per_commit=%ld "
           "sqlite_version=%s ping_us=%.2f datasets=%ld datasets_per_s=%.0f\n",
           backend, n_agencies, a_txs, a_rate, total, nthreads, window, audit_rate, w_commits,
           per_commit, sqlite3_libversion(), ping_us, n_datasets, c_rate);
    return 0;
}
