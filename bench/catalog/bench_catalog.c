/* bench_catalog — the catalog at scale, through the library, on one backend (built and run by
 * bench/catalog/run.sh; not a test):
 *
 *   1. import: DATASETS datasets (gen.h: Thai and English GD-Catalog metadata from real Thai
 *      words) through khm_catalog_import — the `khomun catalog import` path: validation by the
 *      field table, the category/level rules, the dataset row, its history entry, its search-index
 *      entry (libthai segmentation) — in files of BATCH datasets, all in ONE write transaction;
 *      the rate counts the import calls and the commit, not making the files;
 *   2. search and listing latency, p50/p95/p99 over REPS calls per class, each call in its own
 *      read transaction as the API handler runs it (GET /api/v1/datasets: khm_store_dataset_find
 *      of a page and one row more): Thai searches, English searches, searches with a filter,
 *      searches with tag / personal data / another order, filtered listings, listings with tag /
 *      personal data / orders; beside the baseline, one dataset read by id
 *      (khm_store_dataset_get, the API's GET /api/v1/datasets/{id}). The p95 of this thread's
 *      CPU time is printed beside (all the work on SQLite; the client's share on PostgreSQL).
 *      On PostgreSQL the tables are ANALYZEd after the import first, as autovacuum would.
 *
 * DATASETS 0 skips the import and times the queries of a database imported before.
 *
 *   bench_catalog URI [DATASETS [BATCH [REPS [LIMIT]]]]
 *
 * URI: a file path (SQLite; created, or an existing `khomun init` database) or postgres://….
 * Prints human lines and one "RESULT key=value …" line; writes the queries it timed to
 * $BENCH_QUERIES (one "class<TAB>query string" a line) for the HTTP part of run.sh.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <khomun/catalog.h>
#include <khomun/khomun.h>

#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* user + system CPU seconds of this (single-threaded) process: on a loaded machine the CPU
 * rate says what the code costs, the wall rate what a user would have waited */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_catalog: %s: %s\n", what, khm_err_last()->message);
    size_t nf;
    const khm_field_error *fe = khm_err_fields(&nf);
    for (size_t i = 0; i < nf && i < 5; i++)
        fprintf(stderr, "  %s: %s\n", fe[i].field, fe[i].message);
    exit(1);
}

/* ---- 1. import ---- */

static void make_agencies(khm_store *s)
{
    khm_tx *tx;
    if (khm_tx_begin(&tx, s, 1) < 0)
        die("begin");
    for (size_t i = 0; i < N_AGENCIES; i++) {
        khm_agency_input in = { AGENCIES[i].slug, AGENCIES[i].th, AGENCIES[i].en };
        khm_agency out;
        if (khm_agency_create(tx, &out, &in, khm_time_now_ms()) < 0) {
            khm_tx_rollback(tx);
            die("khm_agency_create");
        }
    }
    if (khm_tx_commit(tx) < 0)
        die("commit");
}

static double import(khm_store *s, long total, long batch, double *commit_s, double *cpu_rate)
{
    khm_buf doc = KHM_BUF_INIT(1u << 30);
    rng r = { 0x9E3779B97F4A7C15ull };
    double spent = 0, cpu = 0;
    khm_tx *tx;
    if (khm_tx_begin(&tx, s, 1) < 0)
        die("begin");
    for (long n = 0; n < total;) {
        khm_buf_reset(&doc);
        khm_buf_puts(&doc, "{\"khomun_catalog\":1,\"datasets\":[");
        for (long k = 0; k < batch && n < total; k++, n++) {
            gen_row g;
            gen_draw(&r, &g);
            if (k)
                khm_buf_putc(&doc, ',');
            gen_dataset_json(&doc, n, &g);
        }
        khm_buf_puts(&doc, "]}");
        khm_catalog_import_stats st;
        double t0 = now_s(), c0 = cpu_s();
        if (khm_catalog_import(tx, doc.ptr, doc.len, KHM_CATALOG_JSON, NULL, NULL,
                               khm_time_now_ms(), &st) < 0) {
            khm_tx_rollback(tx);
            die("khm_catalog_import");
        }
        spent += now_s() - t0;
        cpu += cpu_s() - c0;
    }
    double t0 = now_s(), c0 = cpu_s();
    if (khm_tx_commit(tx) < 0)
        die("commit");
    *commit_s = now_s() - t0;
    spent += *commit_s;
    cpu += cpu_s() - c0;
    *cpu_rate = (double)total / cpu;
    khm_buf_dispose(&doc);
    return (double)total / spent;
}

/* ---- 1b. the floor: the least a searchable catalog writes, on bare SQLite ----
 *
 * The baseline beside the import (SQLite only): the same datasets, read back from the store —
 * each one's row (id, name, agency, title, English title, data type, category, level, metadata,
 * times) and its search entry's text (title, tags, agency names, the rest) — written to a fresh
 * file with the store's settings (WAL, synchronous=FULL, the bulk import's page cache and FTS5
 * pending-terms size) in ONE transaction by prepared statements: the row under its two unique
 * keys, the entry, and one FTS5 index of it with SQLite's own unicode61 tokenizer. No
 * validation, no history, tags, sort or filter indexes, no second (head) index, no Thai
 * segmentation (unicode61 keeps a run of Thai letters as one token: fewer tokens than the
 * store's index holds). What one SQLite writer does for that on this machine is the ceiling of
 * any import into one SQLite file. */
static void floor_fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_catalog: floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

/* the floor's file and its WAL and shared-memory files, gone */
static void floor_unlink(const char *path)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        char f[4200];
        snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
        unlink(f);
    }
}

static double import_floor(const char *src_path, long total, int kept, double *commit_s)
{
    sqlite3 *src, *db;
    sqlite3_stmt *rd, *ins_d, *ins_s, *ins_f, *ins_h = NULL, *ins_t = NULL;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s.floor", src_path) >= (int)sizeof(path))
        floor_fail(NULL, "path too long");
    floor_unlink(path);
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        floor_fail(src, "open the store");
    if (sqlite3_prepare_v2(src,
                           "SELECT d.id, d.slug, d.agency_id, d.title, d.title_en, d.data_type, "
                           "d.category, d.level, d.metadata, d.created_at, d.updated_at, s.title, "
                           "s.tags, s.agency, s.body FROM dataset d JOIN dataset_search s ON "
                           "s.dataset_id = d.id ORDER BY s.n LIMIT ?",
                           -1, &rd, NULL) != SQLITE_OK)
        floor_fail(src, "read");
    sqlite3_bind_int64(rd, 1, total);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                     "PRAGMA cache_size = -65536; "
                     "CREATE TABLE dataset (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, "
                     "agency_id TEXT NOT NULL, title TEXT NOT NULL, title_en TEXT, data_type TEXT "
                     "NOT NULL, category TEXT, level TEXT, metadata TEXT NOT NULL, created_at "
                     "BIGINT NOT NULL, updated_at BIGINT NOT NULL); "
                     "CREATE TABLE dataset_search (n INTEGER PRIMARY KEY, title TEXT NOT NULL, "
                     "tags TEXT NOT NULL, agency TEXT NOT NULL, body TEXT NOT NULL); "
                     "CREATE VIRTUAL TABLE dataset_fts USING fts5 (title, tags, agency, body, "
                     "content='dataset_search', content_rowid='n'); "
                     "INSERT INTO dataset_fts (dataset_fts, rank) VALUES ('hashsize', 67108864);"
                     "CREATE TABLE dataset_class (id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, "
                     "ts BIGINT NOT NULL, kind TEXT NOT NULL, to_category TEXT, to_level TEXT); "
                     "CREATE TABLE dataset_tag (tag TEXT NOT NULL, dataset_id TEXT NOT NULL, "
                     "PRIMARY KEY (tag, dataset_id)) WITHOUT ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK)
        floor_fail(db, "create");
    if (kept &&
        (sqlite3_prepare_v2(db, "INSERT INTO dataset_class VALUES (?, ?, ?, 'create', ?, ?)", -1,
                            &ins_h, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO dataset_tag VALUES (?, ?)", -1, &ins_t,
                            NULL) != SQLITE_OK))
        floor_fail(db, "prepare");
    if (sqlite3_prepare_v2(db, "INSERT INTO dataset VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
                           &ins_d, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO dataset_search VALUES (?, ?, ?, ?, ?)", -1, &ins_s,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO dataset_fts (rowid, title, tags, agency, body) VALUES (?, "
                           "?, ?, ?, ?)",
                           -1, &ins_f, NULL) != SQLITE_OK)
        floor_fail(db, "prepare");
    /* the rows in memory first: reading them is not the floor's work */
    size_t cap = (size_t)total, n = 0;
    char **cells = calloc(cap * 15, sizeof(char *));
    sqlite3_int64 *times = calloc(cap * 2, sizeof(sqlite3_int64));
    if (!cells || !times)
        floor_fail(NULL, "out of memory");
    while (n < cap && sqlite3_step(rd) == SQLITE_ROW) {
        for (int c = 0; c < 15; c++) {
            const unsigned char *v = sqlite3_column_text(rd, c);
            cells[n * 15 + c] = v ? strdup((const char *)v) : NULL;
        }
        times[n * 2] = sqlite3_column_int64(rd, 9);
        times[n * 2 + 1] = sqlite3_column_int64(rd, 10);
        n++;
    }
    sqlite3_finalize(rd);
    sqlite3_close(src);
    double t0 = now_s();
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        floor_fail(db, "begin");
    for (size_t i = 0; i < n; i++) {
        char **c = cells + i * 15;
        for (int k = 0; k < 9; k++)
            sqlite3_bind_text(ins_d, k + 1, c[k], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_d, 10, times[i * 2]);
        sqlite3_bind_int64(ins_d, 11, times[i * 2 + 1]);
        sqlite3_bind_int64(ins_s, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_int64(ins_f, 1, (sqlite3_int64)i + 1);
        for (int k = 0; k < 4; k++) {
            sqlite3_bind_text(ins_s, k + 2, c[11 + k], -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_f, k + 2, c[11 + k], -1, SQLITE_STATIC);
        }
        if (sqlite3_step(ins_d) != SQLITE_DONE || sqlite3_step(ins_s) != SQLITE_DONE ||
            sqlite3_step(ins_f) != SQLITE_DONE)
            floor_fail(db, "insert");
        sqlite3_reset(ins_d);
        sqlite3_reset(ins_s);
        sqlite3_reset(ins_f);
        if (!kept)
            continue;
        /* the history entry (the id a made-up one as long as a UUID), the tags (one a line) */
        char hid[40];
        snprintf(hid, sizeof(hid), "%s-h", c[0]);
        sqlite3_bind_text(ins_h, 1, hid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_h, 2, c[0], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_h, 3, times[i * 2]);
        sqlite3_bind_text(ins_h, 4, c[6], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_h, 5, c[7], -1, SQLITE_STATIC);
        if (sqlite3_step(ins_h) != SQLITE_DONE)
            floor_fail(db, "insert");
        sqlite3_reset(ins_h);
        for (const char *t = c[12]; t && *t;) {
            size_t len = strcspn(t, "\n");
            sqlite3_bind_text(ins_t, 1, t, (int)len, SQLITE_STATIC);
            sqlite3_bind_text(ins_t, 2, c[0], -1, SQLITE_STATIC);
            if (sqlite3_step(ins_t) != SQLITE_DONE)
                floor_fail(db, "insert");
            sqlite3_reset(ins_t);
            t += len + (t[len] == '\n');
        }
    }
    double t1 = now_s();
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        floor_fail(db, "commit");
    double t2 = now_s();
    *commit_s = t2 - t1;
    sqlite3_finalize(ins_d);
    sqlite3_finalize(ins_s);
    sqlite3_finalize(ins_f);
    sqlite3_finalize(ins_h);
    sqlite3_finalize(ins_t);
    sqlite3_close(db);
    for (size_t i = 0; i < n * 15; i++)
        free(cells[i]);
    free(cells);
    free(times);
    floor_unlink(path);
    if ((long)n != total)
        floor_fail(NULL, "the store holds fewer datasets than were imported");
    return (double)n / (t2 - t0);
}

/* ---- 2. queries ---- */

typedef struct {
    const char *q;       /* words, or NULL for a listing */
    const char *agency;  /* slug */
    int category, level; /* -1 any */
    const char *data_type;
    const char *http; /* the same as an API query string */
    const char *tag;
    int personal;     /* -1 any */
    const char *sort; /* NULL: the default */
} query;

#define ANY -1, -1, NULL

static const query THAI[] = {
    { "งบประมาณ", NULL, -1, -1, NULL, "q=งบประมาณ", NULL, -1, NULL },
    { "โรงพยาบาล", NULL, -1, -1, NULL, "q=โรงพยาบาล", NULL, -1, NULL },
    { "ผู้ป่วยโรคติดต่อ", NULL, -1, -1, NULL, "q=ผู้ป่วยโรคติดต่อ", NULL, -1, NULL },
    { "เชียงใหม่", NULL, -1, -1, NULL, "q=เชียงใหม่", NULL, -1, NULL },
    { "สถิตินักเรียน", NULL, -1, -1, NULL, "q=สถิตินักเรียน", NULL, -1, NULL },
    { "ยางพารา ภาคใต้", NULL, -1, -1, NULL, "q=ยางพารา ภาคใต้", NULL, -1, NULL },
    { "ฝุ่นละออง", NULL, -1, -1, NULL, "q=ฝุ่นละออง", NULL, -1, NULL },
    { "แผนงานบูรณาการรัฐบาลดิจิทัล", NULL, -1, -1, NULL, "q=แผนงานบูรณาการรัฐบาลดิจิทัล", NULL, -1, NULL },
    { "ความมั่นคงปลอดภัยไซเบอร์", NULL, -1, -1, NULL, "q=ความมั่นคงปลอดภัยไซเบอร์", NULL, -1, NULL },
    { "เบี้ยยังชีพผู้สูงอายุ", NULL, -1, -1, NULL, "q=เบี้ยยังชีพผู้สูงอายุ", NULL, -1, NULL },
    { "สำนักงานสถิติแห่งชาติ", NULL, -1, -1, NULL, "q=สำนักงานสถิติแห่งชาติ", NULL, -1, NULL },
    { "การท่องเที่ยว ภูเก็ต", NULL, -1, -1, NULL, "q=การท่องเที่ยว ภูเก็ต", NULL, -1, NULL },
    { "งบ", NULL, -1, -1, NULL, "q=งบ", NULL, -1, NULL },
    { "ทะเบียนราษฎร", NULL, -1, -1, NULL, "q=ทะเบียนราษฎร", NULL, -1, NULL },
};
static const query ENGLISH[] = {
    { "budget", NULL, -1, -1, NULL, "q=budget", NULL, -1, NULL },
    { "hospitals", NULL, -1, -1, NULL, "q=hospitals", NULL, -1, NULL },
    { "population statistics", NULL, -1, -1, NULL, "q=population statistics", NULL, -1, NULL },
    { "Chiang Mai", NULL, -1, -1, NULL, "q=Chiang Mai", NULL, -1, NULL },
    { "rubber", NULL, -1, -1, NULL, "q=rubber", NULL, -1, NULL },
    { "air quality", NULL, -1, -1, NULL, "q=air quality", NULL, -1, NULL },
    { "tourism phuket", NULL, -1, -1, NULL, "q=tourism phuket", NULL, -1, NULL },
    { "annual report", NULL, -1, -1, NULL, "q=annual report", NULL, -1, NULL },
    { "budg", NULL, -1, -1, NULL, "q=budg", NULL, -1, NULL },
    { "cybersecurity", NULL, -1, -1, NULL, "q=cybersecurity", NULL, -1, NULL },
    { "National Statistical Office", NULL, -1, -1, NULL, "q=National Statistical Office", NULL, -1,
      NULL },
    { "elderly", NULL, -1, -1, NULL, "q=elderly", NULL, -1, NULL },
};
static const query SEARCH_FILTERED[] = {
    { "งบประมาณ", "bb", -1, -1, NULL, "q=งบประมาณ&agency=bb", NULL, -1, NULL },
    { "budget", NULL, KHM_CAT_PUBLIC, -1, NULL, "q=budget&category=public", NULL, -1, NULL },
    { "โรงพยาบาล", "moph", -1, -1, NULL, "q=โรงพยาบาล&agency=moph", NULL, -1, NULL },
    { "ประชากร", NULL, KHM_CAT_INTERNAL, -1, NULL, "q=ประชากร&category=internal", NULL, -1, NULL },
    { "students", NULL, -1, -1, "ข้อมูลสถิติ", "q=students&data_type=statistical", NULL, -1, NULL },
};
/* (issue 4's filters and orders added with them) */
static const query SEARCH_MORE[] = {
    { "ผู้ป่วย", NULL, -1, -1, NULL, "q=ผู้ป่วย&personal=1", NULL, 1, NULL },
    { "เชียงใหม่", NULL, -1, -1, NULL, "q=เชียงใหม่&tag=ข้าว", "ข้าว", -1, NULL },
    { "งบประมาณ", NULL, -1, -1, NULL, "q=งบประมาณ&sort=-updated", NULL, -1, "-updated" },
    { "tax", NULL, -1, -1, NULL, "q=tax&sort=title", NULL, -1, "title" },
};
static const query LISTINGS[] = {
    { NULL, NULL, ANY, "", NULL, -1, NULL },
    { NULL, "nso", ANY, "agency=nso", NULL, -1, NULL },
    { NULL, NULL, KHM_CAT_PUBLIC, -1, NULL, "category=public", NULL, -1, NULL },
    { NULL, NULL, KHM_CAT_PERSONAL, -1, NULL, "category=personal", NULL, -1, NULL },
    { NULL, "ddc", KHM_CAT_INTERNAL, -1, NULL, "agency=ddc&category=internal", NULL, -1, NULL },
    { NULL, NULL, -1, KHM_LEVEL_CONFIDENTIAL, "ข้อมูลสถิติ", "level=confidential&data_type=statistical",
      NULL, -1, NULL },
};
static const query LISTINGS_MORE[] = {
    { NULL, NULL, ANY, "tag=ยางพารา", "ยางพารา", -1, NULL },
    { NULL, NULL, ANY, "tag=budget&personal=1", "budget", 1, NULL },
    { NULL, NULL, ANY, "personal=1&sort=-updated", NULL, 1, "-updated" },
    { NULL, "rd", ANY, "agency=rd&sort=title", NULL, -1, "title" },
    { NULL, NULL, ANY, "sort=-name", NULL, -1, "-name" },
    { NULL, NULL, ANY, "sort=-updated", NULL, -1, "-updated" },
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    double p50, p95, p99, mean; /* ms */
    double rows;                /* mean rows returned */
    double cpu95;               /* p95 of this thread's CPU time, ms */
} stats;

/* this thread's CPU time: what a call costs here whatever else the machine runs (on SQLite all
 * of it; on PostgreSQL the client's share only) */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static stats summarize(double *t, long n, double rows, double *cpu)
{
    stats s;
    double sum = 0;
    qsort(cpu, (size_t)n, sizeof(double), cmp_double);
    s.cpu95 = cpu[(long)ceil(0.95 * (double)n) - 1] * 1e3;
    qsort(t, (size_t)n, sizeof(double), cmp_double);
    for (long i = 0; i < n; i++)
        sum += t[i];
    /* nearest rank */
    s.p50 = t[(long)ceil(0.50 * (double)n) - 1] * 1e3;
    s.p95 = t[(long)ceil(0.95 * (double)n) - 1] * 1e3;
    s.p99 = t[(long)ceil(0.99 * (double)n) - 1] * 1e3;
    s.mean = sum / (double)n * 1e3;
    s.rows = rows / (double)n;
    return s;
}

static const char *agency_ids[N_AGENCIES];

static const char *agency_id(khm_store *s, const char *slug, khm_arena *a)
{
    for (size_t i = 0; i < N_AGENCIES; i++)
        if (strcmp(AGENCIES[i].slug, slug) == 0) {
            if (!agency_ids[i]) {
                khm_tx *tx;
                khm_agency ag;
                if (khm_tx_begin(&tx, s, 0) < 0 || khm_store_agency_get(tx, &ag, slug, a) < 0)
                    die("agency");
                khm_tx_rollback(tx);
                agency_ids[i] = strdup(ag.id); /* (the arena goes with the call) */
            }
            return agency_ids[i];
        }
    return NULL;
}

/* One call as the API handler makes it (GET /api/v1/datasets, h_datasets.c): a read
 * transaction, khm_store_dataset_find of a page and one row more, rollback. */
static size_t run_query(khm_store *s, const query *q, size_t limit, khm_arena *a)
{
    khm_tx *tx;
    khm_dataset *items;
    const char **keys;
    size_t n = 0;
    int more;
    khm_dataset_query dq = { q->q, KHM_DATASET_FILTER_INIT, 0, NULL, NULL, limit + 1 };
    dq.filter.agency_id = q->agency ? agency_id(s, q->agency, a) : NULL;
    dq.filter.category = q->category;
    dq.filter.level = q->level;
    dq.filter.data_type = q->data_type;
    dq.filter.tag = q->tag;
    dq.filter.personal = q->personal;
    if (khm_dataset_sort_parse(q->sort, q->q != NULL, &dq.sort) < 0)
        die(q->http);
    if (khm_tx_begin(&tx, s, 0) < 0)
        die("begin");
    int rc = khm_store_dataset_find(tx, &dq, &items, &keys, &n, &more, a);
    khm_tx_rollback(tx);
    if (rc < 0)
        die(q->http);
    return n;
}

static stats time_class(khm_store *s, const query *qs, size_t nq, long reps, size_t limit,
                        FILE *qfile, const char *cls)
{
    double *t = calloc((size_t)reps, sizeof(double)), *c = calloc((size_t)reps, sizeof(double));
    double rows = 0;
    khm_arena *a = khm_arena_new(1 << 20);
    for (size_t i = 0; i < nq; i++) { /* warm: every statement prepared, pages cached */
        run_query(s, &qs[i], limit, a);
        if (qfile)
            fprintf(qfile, "%s\t%s\n", cls, qs[i].http);
    }
    for (long i = 0; i < reps; i++) {
        khm_arena_free(a); /* a request's arena, as the server gives each request */
        a = khm_arena_new(1 << 20);
        double t0 = now_s(), c0 = thread_cpu_s();
        rows += (double)run_query(s, &qs[(size_t)i % nq], limit, a);
        t[i] = now_s() - t0;
        c[i] = thread_cpu_s() - c0;
    }
    if (getenv("BENCH_VERBOSE")) { /* each query's median, to see which are slow */
        for (size_t i = 0; i < nq; i++) {
            double qt[15];
            size_t got = 0;
            for (int k = 0; k < 15; k++) {
                khm_arena_free(a);
                a = khm_arena_new(1 << 20);
                double t0 = now_s();
                got = run_query(s, &qs[i], limit, a);
                qt[k] = now_s() - t0;
            }
            qsort(qt, 15, sizeof(double), cmp_double);
            fprintf(stderr, "bench/catalog:   %-28s %8.3f ms  %zu rows  %s\n", cls, qt[7] * 1e3,
                    got, qs[i].http);
        }
    }
    stats st = summarize(t, reps, rows, c);
    free(t);
    free(c);
    khm_arena_free(a);
    return st;
}

/* the baseline: one dataset by id, as GET /api/v1/datasets/{id} reads it */
static stats time_get(khm_store *s, long reps)
{
    enum { IDS = 1000 };
    static char ids[IDS][KHM_ID_LEN];
    size_t nid = 0;
    khm_arena *a = khm_arena_new(1 << 20);
    khm_tx *tx;
    khm_dataset *items;
    size_t n;
    int more;
    khm_page page = { NULL, 500 };
    if (khm_tx_begin(&tx, s, 0) < 0)
        die("begin");
    while (nid < IDS) {
        if (khm_store_dataset_list(tx, &items, &n, &more, NULL, &page, a) < 0)
            die("list");
        for (size_t i = 0; i < n && nid < IDS; i += 7)
            memcpy(ids[nid++], items[i].id, KHM_ID_LEN);
        if (!more || !n)
            break;
        page.after = khm_arena_strdup(a, items[n - 1].id);
    }
    khm_tx_rollback(tx);
    double *t = calloc((size_t)reps, sizeof(double)), *c = calloc((size_t)reps, sizeof(double));
    for (long i = 0; i < reps; i++) {
        khm_dataset d;
        khm_arena_free(a);
        a = khm_arena_new(1 << 20);
        double t0 = now_s(), c0 = thread_cpu_s();
        if (khm_tx_begin(&tx, s, 0) < 0 || khm_store_dataset_get(tx, &d, ids[i % (long)nid], a) < 0)
            die("get");
        khm_tx_rollback(tx);
        t[i] = now_s() - t0;
        c[i] = thread_cpu_s() - c0;
    }
    stats st = summarize(t, reps, (double)reps, c);
    free(t);
    free(c);
    khm_arena_free(a);
    return st;
}

static void line(const char *label, stats s, const char *extra)
{
    printf("bench/catalog: %-31s p50 %7.3f  p95 %7.3f  p99 %7.3f ms  (CPU p95 %.3f ms, %.0f "
           "rows)%s\n",
           label, s.p50, s.p95, s.p99, s.cpu95, s.rows, extra);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_catalog URI [DATASETS [BATCH [REPS [LIMIT]]]]\n");
        return 2;
    }
    const char *uri = argv[1];
    long total = argc > 2 ? atol(argv[2]) : 100000;
    long batch = argc > 3 ? atol(argv[3]) : 5000;
    long reps = argc > 4 ? atol(argv[4]) : 500;
    long limit = argc > 5 ? atol(argv[5]) : KHM_PAGE_DEFAULT;
    if (total < 0 || batch < 1 || reps < 10 || limit < 1 || limit > KHM_PAGE_MAX) {
        fprintf(stderr, "bench_catalog: bad arguments\n");
        return 2;
    }
    khm_log_set_level(KHM_LOG_WARN);
    khm_store *s;
    khm_store_opts so = KHM_STORE_OPTS_INIT;
    so.create = 1;
    if (khm_store_open(&s, uri, &so) < 0)
        die("store");
    const char *backend = khm_store_backend(s);

    double commit_s = 0, cpu_rate = 0, rate = 0, floor_rate = 0, kept_rate = 0, t0 = now_s(), wall;
    if (total == 0) { /* DATASETS=0: time the queries of a database imported before */
        printf("bench/catalog: %s: no import, the queries on the datasets already there\n",
               backend);
        goto queries;
    }
    make_agencies(s);
    rate = import(s, total, batch, &commit_s, &cpu_rate);
    wall = now_s() - t0;
    printf("bench/catalog: %s: imported %ld datasets in one transaction (files of %ld): "
           "%.0f datasets/s (%.0f per CPU second; import calls + commit; commit %.2f s; with "
           "generating the files %.1f s)\n",
           backend, total, batch, rate, cpu_rate, commit_s, wall);

    if (strncmp(uri, "postgres", 8) != 0) {
        const char *path = strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
        double floor_commit = 0, kept_commit = 0;
        floor_rate = import_floor(path, total, 0, &floor_commit);
        kept_rate = import_floor(path, total, 1, &kept_commit);
        printf("bench/catalog: %s: the floor, bare SQLite (the same rows and search text, one "
               "FTS5 index, unicode61; no validation, history, tags or other indexes): %.0f "
               "datasets/s (commit %.2f s); import / floor = %.2f\n",
               backend, floor_rate, floor_commit, rate / floor_rate);
        printf("bench/catalog: %s: the floor with a history row and the tag rows (each under its "
               "primary key alone): %.0f datasets/s (commit %.2f s); import / that = %.2f\n",
               backend, kept_rate, kept_commit, rate / kept_rate);
    }
    if (strncmp(uri, "postgres", 8) == 0) {
        /* the planner's statistics of the tables the import filled: what autovacuum's ANALYZE
         * gives within a minute of the commit (before it, PostgreSQL plans from stale sizes) */
        PGconn *pc = PQconnectdb(uri);
        PGresult *pr = PQstatus(pc) == CONNECTION_OK ? PQexec(pc, "ANALYZE") : NULL;
        if (PQresultStatus(pr) != PGRES_COMMAND_OK) {
            fprintf(stderr, "bench_catalog: ANALYZE: %s", PQerrorMessage(pc));
            exit(1);
        }
        PQclear(pr);
        PQfinish(pc);
        printf("bench/catalog: %s: ANALYZE after the import (as autovacuum does within a minute)\n",
               backend);
    }
queries:;
    const char *qpath = getenv("BENCH_QUERIES");
    FILE *qf = qpath && *qpath ? fopen(qpath, "w") : NULL;
    stats get = time_get(s, reps);
    stats th = time_class(s, THAI, sizeof(THAI) / sizeof(THAI[0]), reps, (size_t)limit, qf, "thai");
    stats en = time_class(s, ENGLISH, sizeof(ENGLISH) / sizeof(ENGLISH[0]), reps, (size_t)limit, qf,
                          "english");
    stats sf = time_class(s, SEARCH_FILTERED, sizeof(SEARCH_FILTERED) / sizeof(SEARCH_FILTERED[0]),
                          reps, (size_t)limit, qf, "search_filtered");
    stats sm = time_class(s, SEARCH_MORE, sizeof(SEARCH_MORE) / sizeof(SEARCH_MORE[0]), reps,
                          (size_t)limit, qf, "search_more");
    stats li = time_class(s, LISTINGS, sizeof(LISTINGS) / sizeof(LISTINGS[0]), reps, (size_t)limit,
                          qf, "listing");
    stats lm = time_class(s, LISTINGS_MORE, sizeof(LISTINGS_MORE) / sizeof(LISTINGS_MORE[0]), reps,
                          (size_t)limit, qf, "listing_more");
    if (qf)
        fclose(qf);
    printf("bench/catalog: %s: latency over %ld calls per class, page of %ld, one read "
           "transaction per call\n",
           backend, reps, limit);
    line("get by id (baseline)", get, "");
    line("search, Thai", th, "");
    line("search, English", en, "");
    line("search with a filter", sf, "");
    line("search: tag, personal, sorted", sm, "");
    line("listing with filters", li, "");
    line("listing: tag, personal, sorted", lm, "");
    khm_store_close(s);
    printf(
        "RESULT backend=%s datasets=%ld import_per_s=%.0f import_per_cpu_s=%.0f floor_per_s=%.0f "
        "floor_kept_per_s=%.0f "
        "thai_cpu95=%.3f "
        "en_cpu95=%.3f sf_cpu95=%.3f get_p50=%.3f "
        "get_p95=%.3f "
        "get_p99=%.3f thai_p50=%.3f thai_p95=%.3f thai_p99=%.3f en_p50=%.3f en_p95=%.3f "
        "en_p99=%.3f sf_p50=%.3f sf_p95=%.3f sf_p99=%.3f sm_p50=%.3f sm_p95=%.3f sm_p99=%.3f "
        "list_p50=%.3f list_p95=%.3f list_p99=%.3f lm_p50=%.3f lm_p95=%.3f lm_p99=%.3f\n",
        backend, total, rate, cpu_rate, floor_rate, kept_rate, th.cpu95, en.cpu95, sf.cpu95,
        get.p50, get.p95, get.p99, th.p50, th.p95, th.p99, en.p50, en.p95, en.p99, sf.p50, sf.p95,
        sf.p99, sm.p50, sm.p95, sm.p99, li.p50, li.p95, li.p99, lm.p50, lm.p95, lm.p99);
    return 0;
}
