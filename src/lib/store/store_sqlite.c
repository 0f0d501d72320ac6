/* The embedded backend: SQLite in WAL mode with foreign keys on, a busy timeout, and
 * synchronous=FULL (a commit is on disk before it returns: the audit trail acknowledges nothing
 * that is not durable, and its group commit keeps that affordable). Each connection is used by one
 * thread at a time (the pool hands it out), so the library is opened without its own mutexes.
 * sqlite3_errmsg() is copied at once: SQLite keeps errors per connection. */
#include "store_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { TX_BEGIN, TX_BEGIN_WRITE, TX_COMMIT, TX_ROLLBACK, TX_CACHE_WRITE, TX_CACHE_READ, TX__COUNT };

/* OPTIMIZATION: the page cache of a write transaction. With SQLite's default (2 MB), a large
 * write — a catalog import of 100,000 datasets in one transaction — spills dirty pages to the WAL
 * and reads them back all along (a fifth of the import's time, bench/catalog); 64 MB keeps the
 * pages it revisits. Writes are one at a time per process, so one connection at a time holds
 * it, and it goes back to the default when the transaction ends. */
/* The page size of a database this store creates (an existing one keeps its own: SQLite sets it
 * only before the first table). OPTIMIZATION: a dataset row is ~2 KB and its search entry ~1.7 KB,
 * one or two to SQLite's default 4 KB page; larger pages make shallower trees whose inserts touch
 * fewer pages and fewer WAL frames a commit. Interleaved runs, 4 KB / 8 KB / 16 KB:
 * bench/catalog import of 100,000 datasets 9,300-10,500 / 11,600-13,000 / 11,000-12,400 per s;
 * bench/consent grants (durable, 200,000 subjects) 90-95k / 79-98k / 120-121k per s; bench/audit
 * durable appends 134-140k at 4 KB, 156-160k at 16 KB. Reads pay a little for the larger pages:
 * a Thai search's p50 0.81 / 0.92 / 1.03 ms, a filtered listing's p95 1.09 / 1.32 / 1.65 ms
 * (bench/catalog, the same 100,000 datasets) — far inside the 10 ms target. */
#define PAGE_SIZE "16384"

#define CACHE_WRITE "PRAGMA cache_size = -65536"
#define CACHE_READ  "PRAGMA cache_size = -2000"

struct khm_conn {
    sqlite3 *db;
    sqlite3_stmt *tx[TX__COUNT];
    int write_cache; /* the write transaction's cache is set */
};

struct khm_stmt {
    sqlite3_stmt *st;
    khm_conn *c;
};

static int fail(sqlite3 *db, int src, const char *what)
{
    int ext = db ? sqlite3_extended_errcode(db) : src;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(src);
    int code;
    switch (ext & 0xFF) {
    case SQLITE_CONSTRAINT:
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            code = KHM_EEXISTS;
        else
            code = KHM_EINVALID;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
        code = KHM_EUNAVAIL;
        break;
    case SQLITE_NOMEM:
        code = KHM_ENOMEM;
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        code = KHM_EIO;
        break;
    default:
        code = KHM_ERROR;
    }
    return khm_err_set(code, "sqlite: %s: %s", what, msg);
}

static const char *path_of(const char *uri)
{
    return strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
}

static void sq_disconnect(khm_conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < TX__COUNT; i++)
        sqlite3_finalize(c->tx[i]);
    sqlite3_close_v2(c->db);
    khm_free(c);
}

static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

/* Process-wide SQLite settings, before the library initialises. Memory statistics are off:
 * they take one global mutex on every allocation, which every server thread then fights for. */
static void sq_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

static int sq_connect(khm_conn **out, const char *uri, const khm_store_opts *o)
{
    pthread_once(&sq_once, sq_configure);
    static const char *const tx_sql[TX__COUNT] = { "BEGIN",    "BEGIN IMMEDIATE", "COMMIT",
                                                   "ROLLBACK", CACHE_WRITE,       CACHE_READ };
    const char *path = path_of(uri);
    int flags = SQLITE_OPEN_NOMUTEX | (o->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
    *out = NULL;
    if (!o->create && access(path, F_OK) != 0)
        return khm_err_set(KHM_ENOTFOUND, "database %s does not exist", path);
    if (o->create && !o->readonly)
        flags |= SQLITE_OPEN_CREATE;
    khm_conn *c = khm_calloc(1, sizeof(*c));
    if (!c)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = fail(c->db, rc, path);
        sq_disconnect(c);
        return rc;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, o->busy_ms);
    char *err = NULL;
    const char *pragmas = o->readonly ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
                                      : "PRAGMA page_size = " PAGE_SIZE
                                        "; PRAGMA journal_mode = WAL; "
                                        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
    rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) {
        rc = fail(c->db, rc, path);
        sq_disconnect(c);
        return rc == KHM_ERROR
                   ? khm_err_set(KHM_EUNAVAIL, "%s is not a usable SQLite database", path)
                   : rc;
    }
    /* every connection can read and write full-text indexes that segment Thai */
    if ((rc = khm_store__fts_thai_register(c->db)) < 0) {
        sq_disconnect(c);
        return rc;
    }
    for (int i = 0; i < TX__COUNT; i++) {
        if (sqlite3_prepare_v3(c->db, tx_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->tx[i], NULL) !=
            SQLITE_OK) {
            rc = fail(c->db, 0, "prepare");
            sq_disconnect(c);
            return rc;
        }
    }
    *out = c;
    return 0;
}

static int run_tx(khm_conn *c, int which, const char *what)
{
    int rc = sqlite3_step(c->tx[which]);
    sqlite3_reset(c->tx[which]);
    if (rc != SQLITE_DONE)
        return fail(c->db, rc, what);
    return 0;
}

static int sq_exec(khm_conn *c, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &err);
    sqlite3_free(err);
    return rc == SQLITE_OK ? 0 : fail(c->db, rc, "exec");
}

static int sq_begin(khm_conn *c, int write)
{
    int rc = run_tx(c, write ? TX_BEGIN_WRITE : TX_BEGIN, "begin");
    if (rc == 0 && write && (rc = run_tx(c, TX_CACHE_WRITE, "cache_size")) == 0)
        c->write_cache = 1;
    return rc;
}

/* After a write transaction: the connection's cache back to the default (its pages beyond it
 * are freed). */
static int cache_back(khm_conn *c, int rc)
{
    if (c->write_cache) {
        c->write_cache = 0;
        int rc2 = run_tx(c, TX_CACHE_READ, "cache_size");
        if (rc == 0)
            rc = rc2;
    }
    return rc;
}

static int sq_commit(khm_conn *c)
{
    return cache_back(c, run_tx(c, TX_COMMIT, "commit"));
}

static int sq_rollback(khm_conn *c)
{
    if (sqlite3_get_autocommit(c->db))
        return cache_back(c, 0); /* nothing open (SQLite may have rolled back on error) */
    return cache_back(c, run_tx(c, TX_ROLLBACK, "rollback"));
}

static int sq_prepare(khm_conn *c, const char *sql, khm_stmt **out)
{
    khm_stmt *s = khm_calloc(1, sizeof(*s));
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
        khm_free(s);
        return fail(c->db, 0, "prepare");
    }
    s->c = c;
    *out = s;
    return 0;
}

static void sq_finalize(khm_stmt *s)
{
    if (s) {
        sqlite3_finalize(s->st);
        khm_free(s);
    }
}

static int sq_bind_text(khm_stmt *s, int i, const char *v)
{
    int rc = v ? sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s->st, i);
    return rc == SQLITE_OK ? 0 : fail(s->c->db, rc, "bind");
}

static int sq_bind_text_static(khm_stmt *s, int i, const char *v)
{
    int rc = v ? sqlite3_bind_text(s->st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s->st, i);
    return rc == SQLITE_OK ? 0 : fail(s->c->db, rc, "bind");
}

static int sq_bind_int64(khm_stmt *s, int i, int64_t v)
{
    int rc = sqlite3_bind_int64(s->st, i, v);
    return rc == SQLITE_OK ? 0 : fail(s->c->db, rc, "bind");
}

static int sq_bind_null(khm_stmt *s, int i)
{
    int rc = sqlite3_bind_null(s->st, i);
    return rc == SQLITE_OK ? 0 : fail(s->c->db, rc, "bind");
}

static int sq_step(khm_stmt *s)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return fail(s->c->db, rc, "step");
}

static int64_t sq_last_rowid(khm_stmt *s)
{
    return sqlite3_last_insert_rowid(s->c->db);
}

static void sq_reset(khm_stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

static const char *sq_col_text(khm_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s->st, i);
}

static int64_t sq_col_int64(khm_stmt *s, int i)
{
    return sqlite3_column_int64(s->st, i);
}

static int sq_col_is_null(khm_stmt *s, int i)
{
    return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

/* The change epoch lives in DB-epoch beside the database (like -wal and -shm), mapped shared so
 * that the server sees a revocation committed by `khomun token revoke` in another process on
 * its very next request, with one atomic load and no query. */
static int sq_epoch_map(const char *uri, int readonly, uint64_t **out, size_t *len)
{
    char path[4096];
    const size_t map = 4096;
    int n = snprintf(path, sizeof(path), "%s-epoch", path_of(uri));
    if (n < 0 || (size_t)n >= sizeof(path))
        return khm_err_set(KHM_EINVALID, "database path too long");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 && readonly)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return khm_err_set(KHM_EIO, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size < map && !readonly &&
        ftruncate(fd, (off_t)map) != 0) {
        int e = errno;
        close(fd);
        return khm_err_set(KHM_EIO, "cannot size %s: %s", path, strerror(e));
    }
    void *p = mmap(NULL, map, readonly ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return khm_err_set(KHM_EIO, "cannot map %s: %s", path, strerror(errno));
    *out = p;
    *len = map;
    return 0;
}

const khm_store_driver khm_store__sqlite = {
    .name = "sqlite",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_text = sq_bind_text,
    .bind_text_static = sq_bind_text_static,
    .bind_int64 = sq_bind_int64,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .col_text = sq_col_text,
    .col_int64 = sq_col_int64,
    .last_rowid = sq_last_rowid,
    .col_is_null = sq_col_is_null,
    .epoch_map = sq_epoch_map,
};
