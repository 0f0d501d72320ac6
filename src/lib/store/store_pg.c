/* The scale-out backend: PostgreSQL over libpq, for several servers on one database.
 *
 * Statements: the portable SQL of queries.c with '?' rewritten to $1…$n (outside literals,
 * quoted identifiers, comments and dollar quotes), prepared once per connection (PQprepare, on
 * first use) and run with text-format parameters and results; step() walks the rows of the
 * PGresult, the first step executes. Parameter types are inferred by the server from the
 * statement, so a '?' must stand where its type is clear (a column, a CAST).
 *
 * Transactions: write transactions send BEGIN at once. Read transactions run in READ COMMITTED,
 * where every statement takes its own snapshot inside a transaction too, so their SELECTs run
 * on their own (one round trip instead of three); the first other statement in a read
 * transaction sends BEGIN first, so writes stay atomic even there. An error inside a
 * transaction aborts it (PostgreSQL semantics): commit then rolls back and reports the first
 * error, so callers must not "insert and catch the conflict" inside one transaction.
 *
 * Errors: SQLSTATE decides the code (23505 → KHM_EEXISTS, other 23xxx and 22xxx → KHM_EINVALID,
 * 08xxx / 57P0x / lost connection → KHM_EUNAVAIL with "database unavailable: …" naming the host
 * and database, never the password). Only the primary message is kept: DETAIL lines quote key
 * values (a token's hash, a name) and stay out of messages and logs.
 *
 * Batches: between batch_begin() and batch_end() (khm_tx_batch_begin(); they nest, the
 * outermost end counts), statements that return
 * no rows (INSERT, UPDATE, DELETE without RETURNING) are only queued in libpq's pipeline mode
 * (PQsendQueryPrepared) and their step() returns 0; batch_end() sends a sync and reads every
 * result, so N writes cost one round trip, and returns the first error, mapped as above. After
 * an error the server skips the rest of the queue and the transaction is aborted, so commit
 * reports it as for any other failed statement. Anything else (a SELECT, COMMIT, a lock, a
 * statement not yet prepared on this session) first drains the queue the same way.
 *
 * Reconnect: a connection found dead before the transaction did anything (BEGIN, or the first
 * statement of a read transaction) is reset once and the work retried; statements prepared on
 * the old session are prepared again (the connection counts generations). A connection lost
 * mid-transaction fails the transaction with KHM_EUNAVAIL; rollback() then reports it broken
 * and the pool drops it.
 *
 * The change epoch is a counter private to this process (an anonymous mapping): other servers
 * never advance it, so khm_store_epoch_shared() is 0 and the principal cache goes to the
 * database on every request. LISTEN/NOTIFY could drive a shared epoch later.
 *
 * The consent change counter (khm_store_consent_counter) does use LISTEN/NOTIFY: writers of
 * purposes and consents send pg_notify('khm_consent') in their transaction (delivered at
 * commit), and khm_store_consent_watch() starts a thread with a connection of its own that
 * LISTENs and advances the counter of this process for each batch of notifications. */
#include "store_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

/* advisory lock namespace: pg_advisory_xact_lock(KHM_PG_LOCK_CLASS, key) */
#define KHM_PG_LOCK_CLASS 0x6b686d /* "khm" */

struct khm_conn {
    PGconn *pg;
    unsigned gen;     /* bumped by every reconnect: prepared statements are per session */
    unsigned next_id; /* statement names k1, k2, … */
    int readonly;     /* session is default_transaction_read_only */
    int busy_ms;      /* lock_timeout */
    int write;        /* current transaction is a write transaction */
    int in_tx;        /* BEGIN was sent and the transaction is open */
    int did_work;     /* something ran in this transaction: no transparent retry any more */
    int abort_code;   /* first error inside the open transaction (0 = none) */
    int batch;        /* batch_begin()s not yet ended (they nest): queue writes */
    int piped;        /* in pipeline mode with statements queued */
    char abort_msg[256];
    char where[192]; /* "database D on H:P" for messages (never the password) */
};

typedef struct {
    const char *v; /* NULL = SQL NULL; points at own or num */
    char *own;     /* copied text */
    char num[24];  /* formatted integer */
} param;

struct khm_stmt {
    khm_conn *c;
    char name[16];
    char *sql;      /* rewritten with $n */
    int nparams;    /* highest placeholder number */
    int reads_only; /* a SELECT: runs without BEGIN in a read transaction */
    int no_rows;    /* INSERT, UPDATE or DELETE without RETURNING: may be queued in a batch */
    int queued;     /* sent in a batch, no result until reset */
    unsigned gen;   /* connection generation it is prepared in (0 = never) */
    param *p;
    const char **vals; /* nparams pointers handed to libpq */
    PGresult *res;     /* the executed result, NULL before the first step */
    int row, nrows;
    int err; /* an error of the execution, returned by further steps until reset */
};

/* ---- messages and error mapping ---- */

/* @p msg as one line without the trailing newline, into @p out. */
static void one_line(char *out, size_t cap, const char *msg)
{
    size_t n = 0;
    int space = 0;
    for (const char *p = msg ? msg : ""; *p && n + 1 < cap; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            space = 1;
            continue;
        }
        if (space && n > 0 && n + 2 < cap)
            out[n++] = ' ';
        space = 0;
        out[n++] = *p;
    }
    out[n] = '\0';
}

static int sqlstate_code(const char *st)
{
    if (!st || strlen(st) != 5)
        return KHM_ERROR;
    if (strcmp(st, "23505") == 0)
        return KHM_EEXISTS;
    if (strncmp(st, "23", 2) == 0 || strncmp(st, "22", 2) == 0)
        return KHM_EINVALID;
    if (strncmp(st, "08", 2) == 0 || strncmp(st, "57P", 3) == 0 || strcmp(st, "53300") == 0 ||
        strcmp(st, "3D000") == 0 || strncmp(st, "28", 2) == 0)
        return KHM_EUNAVAIL; /* connection, shutdown, too many connections, no db, auth */
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0 ||
        strcmp(st, "57014") == 0)
        return KHM_EUNAVAIL; /* serialization, deadlock, lock timeout, cancelled: try again */
    if (strcmp(st, "53200") == 0)
        return KHM_ENOMEM;
    if (strncmp(st, "53", 2) == 0 || strcmp(st, "25006") == 0)
        return KHM_EIO; /* disk full, read-only transaction */
    return KHM_ERROR;
}

/* Set khm_err from result @p r (or the connection's message when r is NULL) and return the
 * code. Remembers the first error of an open transaction for commit(). */
static int fail(khm_conn *c, const PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[512];
    one_line(msg, sizeof(msg), prim ? prim : PQerrorMessage(c->pg));
    if (!msg[0])
        snprintf(msg, sizeof(msg), "%s failed", what);
    int code = sqlstate_code(state);
    if (PQstatus(c->pg) != CONNECTION_OK)
        code = KHM_EUNAVAIL;
    int rc;
    if (code == KHM_EUNAVAIL && (PQstatus(c->pg) != CONNECTION_OK || !state ||
                                 strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))
        rc = khm_err_set(code, "database unavailable: %s: %s%s", c->where, msg,
                         strcmp(what, "commit") == 0 ? " (the commit's outcome is unknown)" : "");
    else
        rc = khm_err_set(code, "postgres: %s: %s", what, msg);
    if (c->in_tx && !c->abort_code) {
        c->abort_code = code;
        snprintf(c->abort_msg, sizeof(c->abort_msg), "%s", khm_err_last()->message);
    }
    return rc;
}

/* ---- placeholders ---- */

/* Rewrite '?' to $1…$n outside string literals ('…', E'…'), quoted identifiers, comments and
 * dollar-quoted strings. Returns a khm_malloc'd string; *n receives the count. */
static char *rewrite(const char *sql, int *n)
{
    size_t len = strlen(sql), q = 0;
    for (size_t i = 0; i < len; i++)
        q += sql[i] == '?';
    char *out = khm_malloc(len + q * 6 + 1);
    if (!out)
        return NULL;
    char *o = out;
    int count = 0;
    const char *p = sql;
    while (*p) {
        if (*p == '?') {
            o += sprintf(o, "$%d", ++count);
            p++;
        } else if (*p == '\'') { /* '…' with '' inside; E'…' also with backslash escapes */
            int esc = p > sql && (p[-1] == 'E' || p[-1] == 'e');
            *o++ = *p++;
            while (*p) {
                if (esc && *p == '\\' && p[1]) {
                    *o++ = *p++;
                    *o++ = *p++;
                    continue;
                }
                if (*p == '\'' && p[1] == '\'') {
                    *o++ = *p++;
                    *o++ = *p++;
                    continue;
                }
                if (*p == '\'') {
                    *o++ = *p++;
                    break;
                }
                *o++ = *p++;
            }
        } else if (*p == '"') {
            *o++ = *p++;
            while (*p && *p != '"')
                *o++ = *p++;
            if (*p)
                *o++ = *p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *o++ = *p++;
        } else if (p[0] == '/' && p[1] == '*') { /* nests in PostgreSQL */
            int depth = 0;
            do {
                if (p[0] == '/' && p[1] == '*') {
                    depth++;
                    *o++ = *p++;
                } else if (p[0] == '*' && p[1] == '/') {
                    depth--;
                    *o++ = *p++;
                }
                *o++ = *p++;
            } while (*p && depth > 0);
        } else if (*p == '$' && (p == sql || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                               (p[-1] >= 'A' && p[-1] <= 'Z') ||
                                               (p[-1] >= '0' && p[-1] <= '9')))) {
            /* $tag$ … $tag$ (tag may be empty); a $n parameter is copied as is */
            const char *t = p + 1;
            while (*t == '_' || (*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
                   (t > p + 1 && *t >= '0' && *t <= '9'))
                t++;
            if (*t != '$') {
                *o++ = *p++;
                continue;
            }
            size_t tl = (size_t)(t - p) + 1; /* "$tag$" */
            const char *end = NULL;
            for (const char *s = t + 1; *s; s++)
                if (strncmp(s, p, tl) == 0) {
                    end = s;
                    break;
                }
            size_t span = end ? (size_t)(end - p) + tl : strlen(p);
            memcpy(o, p, span);
            o += span;
            p += span;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *n = count;
    return out;
}

/* ---- connections ---- */

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICE / WARNING (e.g. "relation already exists, skipping") are not errors */
}

/* Session settings, after every (re)connect. plan_cache_mode: statements are prepared once per
 * session and live as long as it; PostgreSQL's generic plan, made after five executions from
 * the table sizes of that moment, stays — a lookup by id planned as a sequential scan while the
 * table was small scans the whole table for the life of the session (a catalog import of
 * 100,000 datasets in one transaction, whose rows no ANALYZE can see, went quadratic). A
 * custom plan per execution costs tens of microseconds, less than the round trip.
 * jit off: PostgreSQL compiles a query whose estimated cost passes jit_above_cost (100,000) with
 * LLVM before running it, and our listings' plans over a large catalog are estimated that high
 * (an index walk with a filter) — though they stop after a page: 130-145 ms of compiling for a
 * query that then ran in 60-200 ms (bench/catalog, 100,000 datasets, EXPLAIN ANALYZE). Every
 * statement here is short-lived; none gains from it. */
static int session_setup(khm_conn *c)
{
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SET lock_timeout = %d; SET plan_cache_mode = force_custom_plan; SET jit = off%s",
             c->busy_ms, c->readonly ? "; SET default_transaction_read_only = on" : "");
    PGresult *r = PQexec(c->pg, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(c, r, "connect");
    PQclear(r);
    return rc;
}

static void describe(khm_conn *c)
{
    const char *host = PQhost(c->pg), *port = PQport(c->pg), *db = PQdb(c->pg);
    snprintf(c->where, sizeof(c->where), "postgres database %s on %s%s%s", db && *db ? db : "?",
             host && *host ? host : "localhost", port && *port ? ":" : "",
             port && *port ? port : "");
}

static void pg_disconnect(khm_conn *c)
{
    if (!c)
        return;
    PQfinish(c->pg);
    khm_free(c);
}

static int pg_connect(khm_conn **out, const char *uri, const khm_store_opts *o)
{
    *out = NULL;
    char *perr = NULL;
    PQconninfoOption *parsed = PQconninfoParse(uri, &perr);
    if (!parsed) {
        PQfreemem(perr); /* the message may quote the URI, password included: not shown */
        return khm_err_set(KHM_EINVALID, "invalid PostgreSQL URI (see "
                                         "https://www.postgresql.org/docs/15/"
                                         "libpq-connect.html#LIBPQ-CONNSTRING)");
    }
    PQconninfoFree(parsed);
    khm_conn *c = khm_calloc(1, sizeof(*c));
    if (!c)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    /* defaults first, the URI may override them; the encoding last, it is not negotiable */
    const char *const kw[] = { "connect_timeout", "application_name", "dbname", "client_encoding",
                               NULL };
    const char *const val[] = { "10", "khomun", uri, "UTF8", NULL };
    c->pg = PQconnectdbParams(kw, val, 1);
    if (!c->pg) {
        khm_free(c);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    c->gen = 1;
    c->readonly = o->readonly;
    c->busy_ms = o->busy_ms > 0 ? o->busy_ms : 5000;
    describe(c);
    int rc = PQstatus(c->pg) == CONNECTION_OK ? 0 : fail(c, NULL, "connect");
    if (rc == 0) {
        PQsetNoticeProcessor(c->pg, quiet, NULL);
        rc = session_setup(c);
    }
    if (rc < 0) {
        pg_disconnect(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* Reset a dead connection; its prepared statements are gone with the old session. */
static int reconnect(khm_conn *c)
{
    PQreset(c->pg);
    c->gen++;
    if (PQstatus(c->pg) != CONNECTION_OK)
        return fail(c, NULL, "reconnect");
    return session_setup(c);
}

/* Run a parameterless command (BEGIN, COMMIT, …). */
static int simple(khm_conn *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : fail(c, r, what);
    PQclear(r);
    return rc;
}

/* Leave pipeline mode: send a sync, read every queued result and return the first error,
 * mapped as a step() error (@p quiet: only report it, without setting khm_err — for rollback,
 * whose caller is about to report its own error). */
static int drain(khm_conn *c, int quiet)
{
    if (!c->piped)
        return 0;
    c->piped = 0;
    int rc = 0;
    if (!PQpipelineSync(c->pg)) {
        rc = quiet ? KHM_EUNAVAIL : fail(c, NULL, "step");
    } else {
        for (int nulls = 0;;) {
            PGresult *r = PQgetResult(c->pg);
            if (!r) {
                /* one NULL ends each statement's results; two in a row: nothing more comes */
                if (++nulls > 1 || PQstatus(c->pg) != CONNECTION_OK) {
                    if (rc == 0)
                        rc = quiet ? KHM_EUNAVAIL : fail(c, NULL, "step");
                    break;
                }
                continue;
            }
            nulls = 0;
            ExecStatusType s = PQresultStatus(r);
            if (s == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                break;
            }
            if (rc == 0 && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK &&
                s != PGRES_PIPELINE_ABORTED)
                rc = quiet ? KHM_ERROR : fail(c, r, "step");
            PQclear(r);
        }
    }
    /* fails only with results left unread (a lost connection): the pool then drops it */
    if (!PQexitPipelineMode(c->pg) && rc == 0)
        rc = quiet ? KHM_EUNAVAIL : fail(c, NULL, "step");
    return rc;
}

static int pg_batch_begin(khm_conn *c)
{
    c->batch++;
    return 0;
}

/* Batches nest (an import's batch holds each dataset's): the outermost end sends the queue. */
static int pg_batch_end(khm_conn *c)
{
    if (c->batch > 0 && --c->batch > 0)
        return 0;
    c->batch = 0;
    return drain(c, 0);
}

static int send_begin(khm_conn *c)
{
    int rc = simple(c, "BEGIN", "begin");
    if (rc == 0)
        c->in_tx = 1;
    return rc;
}

static int pg_begin(khm_conn *c, int write)
{
    drain(c, 1);
    c->batch = 0;
    c->write = write;
    c->in_tx = 0;
    c->did_work = 0;
    c->abort_code = 0;
    c->abort_msg[0] = '\0';
    if (PQstatus(c->pg) != CONNECTION_OK && reconnect(c) < 0)
        return KHM_EUNAVAIL; /* message set by reconnect() */
    if (!write)
        return 0; /* BEGIN comes with the first statement that is not a SELECT */
    int rc = send_begin(c);
    if (rc < 0 && PQstatus(c->pg) != CONNECTION_OK) {
        /* the server dropped this idle connection (restart, failover, terminated backend):
         * nothing happened yet, so connect again and begin once more */
        if (reconnect(c) < 0)
            return KHM_EUNAVAIL;
        rc = send_begin(c);
    }
    c->did_work = 1;
    return rc;
}

static int pg_commit(khm_conn *c)
{
    c->batch = 0;
    int rc = drain(c, 0);
    if (rc < 0 && PQtransactionStatus(c->pg) != PQTRANS_INERROR)
        return rc; /* e.g. the connection is gone; an aborted transaction is reported below */
    if (!c->in_tx)
        return 0;
    if (PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
        int code = c->abort_code ? c->abort_code : KHM_ERROR;
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", c->abort_msg);
        simple(c, "ROLLBACK", "rollback");
        c->in_tx = 0;
        return khm_err_set(code, "transaction rolled back after an earlier error: %s", msg);
    }
    PGresult *r = PQexec(c->pg, "COMMIT");
    rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = fail(c, r, "commit");
    else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0)
        rc = khm_err_set(KHM_ERROR, "postgres: commit: the transaction was rolled back");
    PQclear(r);
    c->in_tx = 0;
    return rc;
}

static int pg_rollback(khm_conn *c)
{
    /* a failed rollback only tells the pool to drop the connection: it must not replace the
     * error the caller is about to report */
    c->batch = 0;
    if (PQstatus(c->pg) != CONNECTION_OK)
        return KHM_EUNAVAIL;
    if (drain(c, 1) == KHM_EUNAVAIL)
        return KHM_EUNAVAIL;
    if (!c->in_tx && PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        return 0;
    PGresult *r = PQexec(c->pg, "ROLLBACK");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    c->in_tx = 0;
    return ok ? 0 : KHM_EUNAVAIL;
}

/* In a read transaction, open the real one before anything that is not a SELECT. */
static int ensure_tx(khm_conn *c)
{
    if (c->in_tx)
        return 0;
    int rc = send_begin(c);
    if (rc == 0)
        c->did_work = 1;
    return rc;
}

static int pg_exec(khm_conn *c, const char *sql)
{
    int rc = drain(c, 0);
    if (rc == 0)
        rc = ensure_tx(c);
    if (rc < 0)
        return rc;
    /* DDL of the portable migrations (TEXT, BIGINT, INTEGER) needs no translation today; a
     * dialect rewrite would go here */
    return simple(c, sql, "exec");
}

static int pg_lock(khm_conn *c, int key)
{
    char sql[160];
    int rc = drain(c, 0);
    if (rc == 0)
        rc = ensure_tx(c);
    if (rc < 0)
        return rc;
    /* migrations may take long on a big database: wait for them without a timeout */
    snprintf(sql, sizeof(sql), "%sSELECT pg_advisory_xact_lock(%d, %d)",
             key == KHM_LOCK_SCHEMA ? "SET LOCAL lock_timeout = 0; " : "", KHM_PG_LOCK_CLASS, key);
    return simple(c, sql, "lock");
}

/* ---- statements ---- */

static int pg_prepare(khm_conn *c, const char *sql, khm_stmt **out)
{
    khm_stmt *st = khm_calloc(1, sizeof(*st));
    if (!st)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    st->c = c;
    st->sql = rewrite(sql, &st->nparams);
    if (st->nparams > 0) {
        st->p = khm_calloc((size_t)st->nparams, sizeof(*st->p));
        st->vals = khm_calloc((size_t)st->nparams, sizeof(*st->vals));
    }
    if (!st->sql || (st->nparams > 0 && (!st->p || !st->vals))) {
        khm_free(st->sql);
        khm_free(st->p);
        khm_free(st->vals);
        khm_free(st);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    const char *s = sql;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '(')
        s++;
    st->reads_only = strncasecmp(s, "SELECT", 6) == 0;
    st->no_rows = (strncasecmp(s, "INSERT", 6) == 0 || strncasecmp(s, "UPDATE", 6) == 0 ||
                   strncasecmp(s, "DELETE", 6) == 0) &&
                  !strcasestr(s, "RETURNING");
    snprintf(st->name, sizeof(st->name), "k%u", ++c->next_id);
    st->row = -1;
    *out = st; /* prepared on the server at its first step (and again after a reconnect) */
    return 0;
}

static void clear_params(khm_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        khm_free(st->p[i].own);
        st->p[i].own = NULL;
        st->p[i].v = NULL;
    }
}

static void pg_reset(khm_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->nrows = 0;
    st->err = 0;
    st->queued = 0;
    clear_params(st);
}

static void pg_finalize(khm_stmt *st)
{
    if (!st)
        return;
    pg_reset(st); /* the server forgets the statement with its session */
    khm_free(st->sql);
    khm_free(st->p);
    khm_free(st->vals);
    khm_free(st);
}

static param *slot_of(khm_stmt *st, int i)
{
    if (i < 1 || i > st->nparams) {
        khm_err_set(KHM_ERROR, "postgres: bind: parameter %d out of range (1..%d)", i, st->nparams);
        return NULL;
    }
    param *p = &st->p[i - 1];
    khm_free(p->own);
    p->own = NULL;
    p->v = NULL;
    return p;
}

static int pg_bind_text(khm_stmt *st, int i, const char *v)
{
    param *p = slot_of(st, i);
    if (!p)
        return KHM_ERROR;
    if (v) {
        if (!(p->own = khm_strdup(v)))
            return khm_err_set(KHM_ENOMEM, "out of memory");
        p->v = p->own;
    }
    return 0;
}

static int pg_bind_int64(khm_stmt *st, int i, int64_t v)
{
    param *p = slot_of(st, i);
    if (!p)
        return KHM_ERROR;
    snprintf(p->num, sizeof(p->num), "%" PRId64, v);
    p->v = p->num;
    return 0;
}

static int pg_bind_null(khm_stmt *st, int i)
{
    return slot_of(st, i) ? 0 : KHM_ERROR;
}

/* Prepare @p st on this session unless it is (not in pipeline mode). */
static int prepare_now(khm_stmt *st)
{
    khm_conn *c = st->c;
    if (st->gen == c->gen)
        return 0;
    PGresult *r = PQprepare(c->pg, st->name, st->sql, 0, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(c, r, "prepare");
    PQclear(r);
    if (rc == 0)
        st->gen = c->gen;
    return rc;
}

/* Queue @p st in the batch (pipeline mode); its result is read by drain(). */
static int queue(khm_stmt *st)
{
    khm_conn *c = st->c;
    int rc;
    if (st->gen != c->gen && ((rc = drain(c, 0)) < 0 || (rc = prepare_now(st)) < 0))
        return rc; /* prepared outside the pipeline: once per statement and session */
    if (!c->piped) {
        if (!PQenterPipelineMode(c->pg))
            return fail(c, NULL, "step");
        c->piped = 1;
    }
    for (int i = 0; i < st->nparams; i++)
        st->vals[i] = st->p[i].v;
    if (!PQsendQueryPrepared(c->pg, st->name, st->nparams, st->vals, NULL, NULL, 0))
        return fail(c, NULL, "step");
    return 0;
}

/* Prepare (when this session has not) and execute; the result lands in st->res. */
static int execute_once(khm_stmt *st)
{
    khm_conn *c = st->c;
    int rc;
    if ((rc = drain(c, 0)) < 0)
        return rc;
    if (!st->reads_only || c->write) {
        if ((rc = ensure_tx(c)) < 0)
            return rc;
    }
    if ((rc = prepare_now(st)) < 0)
        return rc;
    for (int i = 0; i < st->nparams; i++)
        st->vals[i] = st->p[i].v;
    PGresult *r = PQexecPrepared(c->pg, st->name, st->nparams, st->vals, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        rc = fail(c, r, "step");
        PQclear(r);
        return rc;
    }
    st->res = r;
    st->nrows = s == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    return 0;
}

static int pg_step(khm_stmt *st)
{
    if (st->err)
        return st->err;
    if (st->queued)
        return 0;
    if (!st->res && st->c->batch && st->no_rows && st->c->in_tx) {
        int rc = queue(st);
        st->c->did_work = 1;
        if (rc < 0)
            return st->err = rc;
        st->queued = 1;
        return 0;
    }
    if (!st->res) {
        khm_conn *c = st->c;
        int fresh = !c->did_work && !c->in_tx;
        int rc = execute_once(st);
        if (rc < 0 && fresh && PQstatus(c->pg) != CONNECTION_OK) {
            /* the first statement of a read transaction found the connection dead: nothing
             * happened yet, so connect again and run it once more */
            if ((rc = reconnect(c)) == 0)
                rc = execute_once(st);
        }
        c->did_work = 1;
        if (rc < 0) {
            st->err = rc;
            return rc;
        }
        st->row = 0;
        return st->nrows > 0;
    }
    if (st->row < st->nrows)
        st->row++;
    return st->row < st->nrows;
}

static int valid_cell(khm_stmt *st, int i)
{
    return st->res && st->row >= 0 && st->row < st->nrows && i >= 0 && i < PQnfields(st->res);
}

static const char *pg_col_text(khm_stmt *st, int i)
{
    if (!valid_cell(st, i) || PQgetisnull(st->res, st->row, i))
        return NULL;
    return PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int64(khm_stmt *st, int i)
{
    const char *v = pg_col_text(st, i);
    if (!v)
        return 0;
    if (v[0] == 't' && !v[1]) /* boolean columns */
        return 1;
    if (v[0] == 'f' && !v[1])
        return 0;
    return strtoll(v, NULL, 10);
}

static int pg_col_is_null(khm_stmt *st, int i)
{
    return !valid_cell(st, i) || PQgetisnull(st->res, st->row, i);
}

/* No mapping shared across hosts exists: a private page, freed by the store's munmap(). */
static int pg_epoch_map(const char *uri, int readonly, uint64_t **out, size_t *len)
{
    (void)uri;
    (void)readonly;
    const size_t map = 4096;
    void *p = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return khm_err_set(KHM_ENOMEM, "cannot map the change epoch");
    *out = p;
    *len = map;
    return 0;
}

/* ---- the consent listener: LISTEN khm_consent on a connection of its own ---- */

typedef struct {
    pthread_t th;
    char *uri;
    uint64_t *counter;
    int stop; /* atomic */
} pg_listener;

static void bump(uint64_t *counter)
{
    __atomic_add_fetch(counter, 1, __ATOMIC_SEQ_CST);
}

static PGconn *listen_connect(const char *uri)
{
    const char *const kw[] = { "connect_timeout", "application_name", "dbname", NULL };
    const char *const val[] = { "10", "khomun-listen", uri, NULL };
    PGconn *pg = PQconnectdbParams(kw, val, 1);
    if (pg && PQstatus(pg) == CONNECTION_OK) {
        PQsetNoticeProcessor(pg, quiet, NULL);
        PGresult *r = PQexec(pg, "LISTEN khm_consent");
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (ok)
            return pg;
    }
    PQfinish(pg);
    return NULL;
}

/* Wait for notifications; each batch of them (and each reconnect, after which changes may
 * have been missed) advances the counter, so the consent index reads what changed. */
static void *listen_main(void *arg)
{
    pg_listener *l = arg;
    PGconn *pg = NULL;
    while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
        if (!pg) {
            if ((pg = listen_connect(l->uri)) != NULL) {
                bump(l->counter);
            } else {
                for (int i = 0; i < 10 && !__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE); i++)
                    poll(NULL, 0, 100);
                continue;
            }
        }
        struct pollfd pfd = { PQsocket(pg), POLLIN, 0 };
        int n = poll(&pfd, 1, 200);
        if (n < 0 && errno != EINTR) {
            PQfinish(pg);
            pg = NULL;
            continue;
        }
        if (n <= 0)
            continue;
        if (!PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK) {
            PQfinish(pg);
            pg = NULL;
            bump(l->counter);
            continue;
        }
        int got = 0;
        PGnotify *nt;
        while ((nt = PQnotifies(pg)) != NULL) {
            PQfreemem(nt);
            got = 1;
        }
        if (got)
            bump(l->counter);
    }
    PQfinish(pg);
    return NULL;
}

static void *pg_listen_start(const char *uri, uint64_t *counter)
{
    pg_listener *l = khm_calloc(1, sizeof(*l));
    if (!l || !(l->uri = khm_strdup(uri))) {
        khm_free(l);
        khm_err_set(KHM_ENOMEM, "out of memory");
        return NULL;
    }
    l->counter = counter;
    /* the first LISTEN before returning: a change committed after the caller's first read
     * must not be missed */
    PGconn *first = listen_connect(uri);
    if (!first) {
        khm_free(l->uri);
        khm_free(l);
        khm_err_set(KHM_EUNAVAIL, "database unavailable: cannot LISTEN for consent changes");
        return NULL;
    }
    PQfinish(first);
    if (pthread_create(&l->th, NULL, listen_main, l) != 0) {
        khm_free(l->uri);
        khm_free(l);
        khm_err_set(KHM_ERROR, "cannot start the consent listener thread");
        return NULL;
    }
    /* the thread's own LISTEN is in place once it advanced the counter */
    uint64_t c0 = __atomic_load_n(counter, __ATOMIC_SEQ_CST);
    for (int i = 0; i < 500 && __atomic_load_n(counter, __ATOMIC_SEQ_CST) == c0; i++)
        poll(NULL, 0, 10);
    return l;
}

static void pg_listen_stop(void *h)
{
    pg_listener *l = h;
    if (!l)
        return;
    __atomic_store_n(&l->stop, 1, __ATOMIC_RELEASE);
    pthread_join(l->th, NULL);
    khm_free(l->uri);
    khm_free(l);
}

const khm_store_driver khm_store__pg = {
    .name = "postgres",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_is_null = pg_col_is_null,
    .epoch_map = pg_epoch_map,
    .epoch_local = 1,
    .lock = pg_lock,
    .batch_begin = pg_batch_begin,
    .batch_end = pg_batch_end,
    .listen_start = pg_listen_start,
    .listen_stop = pg_listen_stop,
};
