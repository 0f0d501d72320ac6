/* The storage interface: backend selection, the connection pool, transactions, migrations and
 * the statement helpers the typed calls share. Write transactions are serialized by a process
 * mutex (SQLite allows one writer; taking the mutex first avoids busy-waiting on the database
 * lock), read transactions run in parallel, each on its own pooled connection. */
#include "store_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const khm_store_driver *driver_for(const char *uri)
{
    if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)
        return &khm_store__pg;
    return &khm_store__sqlite;
}

static void slot_close(const khm_store_driver *drv, khm_slot *sl)
{
    for (int q = 0; q < KHM_Q__COUNT; q++)
        if (sl->stmts[q])
            drv->finalize(sl->stmts[q]);
    for (int q = 0; q < KHM_FIND_VARIANTS; q++)
        if (sl->find[q])
            drv->finalize(sl->find[q]);
    drv->disconnect(sl->conn);
    khm_free(sl);
}

static int slot_take(khm_store *s, khm_slot **out)
{
    pthread_mutex_lock(&s->pool_lock);
    khm_slot *sl = s->free_slots;
    if (sl) {
        s->free_slots = sl->next;
        s->idle--;
    }
    pthread_mutex_unlock(&s->pool_lock);
    if (!sl) {
        sl = khm_calloc(1, sizeof(*sl));
        if (!sl)
            return khm_err_set(KHM_ENOMEM, "out of memory");
        int rc = s->drv->connect(&sl->conn, s->uri, &s->opts);
        if (rc < 0) {
            khm_free(sl);
            return rc;
        }
    }
    sl->next = NULL;
    *out = sl;
    return 0;
}

static void slot_give(khm_store *s, khm_slot *sl, int broken)
{
    if (!broken) {
        pthread_mutex_lock(&s->pool_lock);
        if (s->idle < s->opts.pool_size) {
            sl->next = s->free_slots;
            s->free_slots = sl;
            s->idle++;
            sl = NULL;
        }
        pthread_mutex_unlock(&s->pool_lock);
    }
    if (sl)
        slot_close(s->drv, sl);
}

static int migrate(khm_store *s)
{
    khm_tx *tx;
    khm_stmt *st;
    int rc, version = 0;

    /* read-only: only read the version (a write transaction or DDL would fail) */
    if ((rc = khm_tx_begin(&tx, s, !s->opts.readonly)) < 0)
        return rc;
    /* servers starting together: one creates and migrates, the others wait for it */
    if (!s->opts.readonly && (rc = khm_store__lock(tx, KHM_LOCK_SCHEMA)) == 0)
        rc = s->drv->exec(tx->slot->conn, "CREATE TABLE IF NOT EXISTS khm_schema (\n"
                                          "  version INTEGER PRIMARY KEY,\n"
                                          "  name TEXT NOT NULL,\n"
                                          "  applied_at BIGINT NOT NULL\n"
                                          ")");
    if (rc == 0 && (rc = khm_store__stmt(tx, KHM_Q_SCHEMA_VERSION, &st)) == 0) {
        rc = s->drv->step(st);
        if (rc == 1) {
            version = (int)s->drv->col_int64(st, 0);
            rc = 0;
        }
        s->drv->reset(st);
    }
    if (rc == 0)
        rc = khm_tx_commit(tx);
    else
        khm_tx_rollback(tx);
    if (rc < 0)
        return rc;

    if (version > khm_store__migrations_count)
        return khm_err_set(KHM_ERROR,
                           "database schema version %d is newer than this khomun knows (%d); "
                           "upgrade khomun",
                           version, khm_store__migrations_count);
    for (int i = version; i < khm_store__migrations_count; i++) {
        const khm_migration *m = &khm_store__migrations[i];
        if (s->opts.readonly)
            return khm_err_set(KHM_ERROR, "database needs migration %d but was opened read-only",
                               m->version);
        if ((rc = khm_tx_begin(&tx, s, 1)) < 0)
            return rc;
        /* another server may have migrated since the version was read: look again under the
         * lock and skip what it applied */
        int now_at = version;
        if ((rc = khm_store__lock(tx, KHM_LOCK_SCHEMA)) == 0 &&
            (rc = khm_store__stmt(tx, KHM_Q_SCHEMA_VERSION, &st)) == 0) {
            if ((rc = s->drv->step(st)) == 1) {
                now_at = (int)s->drv->col_int64(st, 0);
                rc = 0;
            }
            s->drv->reset(st);
        }
        if (rc == 0 && now_at >= m->version) {
            khm_tx_rollback(tx);
            version = now_at;
            i = now_at - 1;
            continue;
        }
        if (rc == 0)
            rc =
                s->drv->exec(tx->slot->conn, m->sql_pg && khm_store__is_pg(s) ? m->sql_pg : m->sql);
        if (rc == 0 && m->after)
            rc = m->after(tx);
        if (rc == 0 && (rc = khm_store__stmt(tx, KHM_Q_SCHEMA_INSERT, &st)) == 0) {
            s->drv->bind_int64(st, 1, m->version);
            s->drv->bind_text(st, 2, m->name);
            s->drv->bind_int64(st, 3, khm_time_now_ms());
            rc = khm_store__run(tx, st);
        }
        if (rc == 0)
            rc = khm_tx_commit(tx);
        else
            khm_tx_rollback(tx);
        if (rc < 0)
            return khm_err_set(rc, "migration %d (%s) failed: %s", m->version, m->name,
                               khm_err_last()->message);
        version = m->version;
    }
    if (version > khm_store__migrations_count)
        return khm_err_set(KHM_ERROR, "database schema version %d is newer than this khomun knows",
                           version);
    s->schema_version = version;
    return 0;
}

int khm_store_open(khm_store **out, const char *uri, const khm_store_opts *opts)
{
    khm_store_opts def = KHM_STORE_OPTS_INIT;
    *out = NULL;
    if (!uri || !*uri)
        return khm_err_set(KHM_EINVALID, "no database given");
    const khm_store_driver *drv = driver_for(uri);
    khm_store *s = khm_calloc(1, sizeof(*s));
    if (!s)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    s->drv = drv;
    s->epoch_shared = !drv->epoch_local;
    s->opts = opts ? *opts : def;
    if (s->opts.busy_ms <= 0)
        s->opts.busy_ms = 5000;
    if (s->opts.pool_size <= 0)
        s->opts.pool_size = 8;
    s->uri = khm_strdup(uri);
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_mutex_init(&s->write_lock, NULL);
    pthread_mutex_init(&s->watch_lock, NULL);
    if (!s->uri) {
        khm_store_close(s);
        return khm_err_set(KHM_ENOMEM, "out of memory");
    }
    /* the first connection creates the file when asked; later ones never do */
    khm_slot *sl;
    int rc = slot_take(s, &sl);
    if (rc < 0) {
        khm_store_close(s);
        return rc;
    }
    s->opts.create = 0;
    slot_give(s, sl, 0);
    if ((rc = drv->epoch_map(uri, s->opts.readonly, &s->epoch, &s->epoch_len)) < 0) {
        khm_store_close(s);
        return rc;
    }
    if ((rc = migrate(s)) < 0) {
        khm_store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void khm_store_close(khm_store *s)
{
    if (!s)
        return;
    if (s->watch)
        s->drv->listen_stop(s->watch);
    while (s->free_slots) {
        khm_slot *sl = s->free_slots;
        s->free_slots = sl->next;
        slot_close(s->drv, sl);
    }
    if (s->epoch)
        munmap(s->epoch, s->epoch_len);
    pthread_mutex_destroy(&s->pool_lock);
    pthread_mutex_destroy(&s->write_lock);
    pthread_mutex_destroy(&s->watch_lock);
    khm_free(s->uri);
    khm_free(s);
}

const char *khm_store_backend(const khm_store *s)
{
    return s->drv->name;
}

int khm_store_schema_version(const khm_store *s)
{
    return s->schema_version;
}

int khm_store_migrations_known(void)
{
    return khm_store__migrations_count;
}

int khm_store_ping(khm_store *s)
{
    khm_tx *tx;
    khm_stmt *st;
    int rc = khm_tx_begin(&tx, s, 0);
    if (rc < 0)
        return khm_err_set(KHM_EUNAVAIL, "store unavailable: %s", khm_err_last()->message);
    if ((rc = khm_store__stmt(tx, KHM_Q_PING, &st)) == 0)
        rc = khm_store__run(tx, st);
    if (rc == 0)
        rc = khm_tx_commit(tx);
    else
        khm_tx_rollback(tx);
    if (rc < 0)
        return khm_err_set(KHM_EUNAVAIL, "store unavailable: %s", khm_err_last()->message);
    return 0;
}

void khm_store__tx_agencies_forget(khm_tx *tx)
{
    for (unsigned i = 0; i < tx->ag_n && i < KHM_TX_AGENCIES; i++)
        khm_store__tx_agency_free(tx, i);
    tx->ag_n = 0;
}

int khm_tx_begin(khm_tx **out, khm_store *s, int write)
{
    khm_tx *tx = khm_malloc(sizeof(*tx));
    *out = NULL;
    if (!tx)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    tx->s = s;
    tx->write = write;
    tx->touch_epoch = 0;
    tx->touch_consent = 0;
    tx->next_seq = 0;
    tx->ag_n = 0;
    tx->bulk_seen = 0;
    tx->rebuild = NULL;
    tx->nrebuild = 0;
    if (write)
        pthread_mutex_lock(&s->write_lock);
    int rc = slot_take(s, &tx->slot);
    if (rc == 0 && (rc = s->drv->begin(tx->slot->conn, write)) < 0)
        slot_give(s, tx->slot, 1);
    if (rc < 0) {
        if (write)
            pthread_mutex_unlock(&s->write_lock);
        khm_free(tx);
        return rc;
    }
    *out = tx;
    return 0;
}

/* Forget the definitions of the indexes dropped for a bulk transaction (khm_tx_bulk). */
static void rebuild_free(khm_tx *tx)
{
    for (size_t i = 0; i < tx->nrebuild; i++)
        khm_free(tx->rebuild[i]);
    khm_free(tx->rebuild);
    tx->rebuild = NULL;
    tx->nrebuild = 0;
}

static void tx_end(khm_tx *tx, int broken)
{
    rebuild_free(tx);
    slot_give(tx->s, tx->slot, broken);
    if (tx->write)
        pthread_mutex_unlock(&tx->s->write_lock);
    khm_store__tx_agencies_forget(tx);
    khm_free(tx);
}

int khm_tx_commit(khm_tx *tx)
{
    int rc = 0;
    /* the indexes a bulk transaction dropped, made again from its rows (khm_tx_bulk): a
     * failure is the commit's, and rolls the whole transaction back, the drops with it */
    for (size_t i = 0; rc == 0 && i < tx->nrebuild; i++)
        rc = tx->s->drv->exec(tx->slot->conn, tx->rebuild[i]);
    if (rc == 0)
        rc = tx->s->drv->commit(tx->slot->conn);
    if (rc < 0) {
        /* keep the commit error; the rollback's own result does not matter */
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", khm_err_last()->message);
        int broken = tx->s->drv->rollback(tx->slot->conn) < 0;
        tx_end(tx, broken);
        return khm_err_set(rc, "%s", msg);
    }
    /* after the commit, never before: a reader that cached between the two would keep a stale
     * entry under the new epoch */
    if (tx->touch_epoch)
        __atomic_add_fetch(tx->s->epoch, 1, __ATOMIC_SEQ_CST);
    if (tx->touch_consent)
        __atomic_add_fetch(&tx->s->epoch[KHM_CONSENT_COUNTER_SLOT], 1, __ATOMIC_SEQ_CST);
    tx_end(tx, 0);
    return 0;
}

void khm_tx_touch_epoch(khm_tx *tx)
{
    tx->touch_epoch = 1;
}

uint64_t khm_store_epoch(const khm_store *s)
{
    return __atomic_load_n(s->epoch, __ATOMIC_SEQ_CST);
}

int khm_store_epoch_shared(const khm_store *s)
{
    return s->epoch_shared;
}

uint64_t khm_store_consent_counter(const khm_store *s)
{
    return __atomic_load_n(&s->epoch[KHM_CONSENT_COUNTER_SLOT], __ATOMIC_SEQ_CST);
}

int khm_store_consent_watch(khm_store *s)
{
    int rc = 0;
    if (!s->drv->listen_start)
        return 0; /* SQLite: every process advances the shared mapping itself */
    pthread_mutex_lock(&s->watch_lock);
    if (!s->watch &&
        !(s->watch = s->drv->listen_start(s->uri, &s->epoch[KHM_CONSENT_COUNTER_SLOT])))
        rc = KHM_EUNAVAIL;
    pthread_mutex_unlock(&s->watch_lock);
    return rc;
}

int khm_store__lock(khm_tx *tx, khm_lock_key key)
{
    return tx->s->drv->lock ? tx->s->drv->lock(tx->slot->conn, (int)key) : 0;
}

int khm_store__batch_begin(khm_tx *tx)
{
    return tx->s->drv->batch_begin ? tx->s->drv->batch_begin(tx->slot->conn) : 0;
}

int khm_store__batch_end(khm_tx *tx)
{
    return tx->s->drv->batch_end ? tx->s->drv->batch_end(tx->slot->conn) : 0;
}

int khm_tx_batch_begin(khm_tx *tx)
{
    return khm_store__batch_begin(tx);
}

int khm_tx_batch_end(khm_tx *tx)
{
    return khm_store__batch_end(tx);
}

void khm_tx_rollback(khm_tx *tx)
{
    if (!tx)
        return;
    int broken = tx->s->drv->rollback(tx->slot->conn) < 0;
    tx_end(tx, broken);
}

int khm_store__is_pg(const khm_store *s)
{
    return s->drv == &khm_store__pg;
}

const char *khm_store__sql(const khm_store *s, khm_qid q)
{
    if (khm_store__is_pg(s) && khm_store__queries_pg[q])
        return khm_store__queries_pg[q];
    return khm_store__queries[q];
}

int khm_store__stmt(khm_tx *tx, khm_qid q, khm_stmt **out)
{
    khm_slot *sl = tx->slot;
    if (q == KHM_Q_AGENCY_INSERT || q == KHM_Q_AGENCY_UPDATE)
        khm_store__tx_agencies_forget(tx); /* the names kept may change (search.c) */
    if (!sl->stmts[q]) {
        int rc = tx->s->drv->prepare(sl->conn, khm_store__sql(tx->s, q), &sl->stmts[q]);
        if (rc < 0)
            return rc;
    }
    *out = sl->stmts[q];
    return 0;
}

/* SQLite, khm_tx_bulk: into an empty catalog, the indexes led by a dataset's own words — its
 * name and title (the orders' covering indexes, the agency's names, the search entries' sort
 * keys: KHM_Q_BULK_INDEXES) — are dropped for the rest of the transaction and made again at its
 * commit (khm_tx_commit). OPTIMIZATION: an entry added per row goes to a random place in a tree
 * whose pages the import keeps pushing out of the cache; CREATE INDEX sorts the entries once and
 * writes the tree in order. The indexes led by ids and times (UUIDv7 ids, change times) grow at
 * their end and stay as they are: making them again cost more than it spared. bench/catalog,
 * 100,000 datasets: 10,400-11,100/s -> 12,700-12,800/s (the five), 12,000-12,300/s when all ten
 * plain indexes were made again (1.7 s at the commit). Only when the catalog holds no dataset
 * (archived ones included): making an index reads every row, so into a catalog that holds some,
 * rows are indexed as they come. The indexes that enforce a rule (UNIQUE, PRIMARY KEY) and the
 * full-text ones stay. The drops are part of the transaction: a rollback keeps the indexes, and
 * readers see them all along. A query of the same transaction after the import still runs,
 * without them. */
static int defer_indexes(khm_tx *tx)
{
    const khm_store_driver *d = tx->s->drv;
    khm_stmt *st;
    int rc;
    if (tx->bulk_seen)
        return 0;
    tx->bulk_seen = 1;
    if ((rc = khm_store__stmt(tx, KHM_Q_BULK_EMPTY, &st)) < 0)
        return rc;
    rc = d->step(st);
    int empty = rc == 1 && d->col_int64(st, 0) == 1;
    d->reset(st);
    if (rc < 0 || !empty)
        return rc < 0 ? rc : 0;
    if ((rc = khm_store__stmt(tx, KHM_Q_BULK_INDEXES, &st)) < 0)
        return rc;
    char **drop = NULL;
    size_t n = 0, cap = 0;
    while ((rc = d->step(st)) == 1) {
        const char *name = d->col_text(st, 0), *sql = d->col_text(st, 1);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **a = khm_realloc(drop, nc * sizeof(*a)), **b = NULL;
            if (a)
                drop = a;
            if (!a || !(b = khm_realloc(tx->rebuild, nc * sizeof(*b)))) {
                rc = khm_err_set(KHM_ENOMEM, "out of memory");
                break;
            }
            tx->rebuild = b;
            cap = nc;
        }
        drop[n] = khm_strdup(name ? name : "");
        tx->rebuild[n] = sql ? khm_strdup(sql) : NULL;
        if (!drop[n] || !tx->rebuild[n]) {
            khm_free(drop[n]);
            khm_free(tx->rebuild[n]);
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
            break;
        }
        tx->nrebuild = ++n;
    }
    d->reset(st);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char sql[160];
        if (snprintf(sql, sizeof(sql), "DROP INDEX \"%s\"", drop[i]) >= (int)sizeof(sql))
            rc = khm_err_set(KHM_ERROR, "index name too long: %s", drop[i]);
        else
            rc = d->exec(tx->slot->conn, sql);
    }
    for (size_t i = 0; i < n; i++)
        khm_free(drop[i]);
    khm_free(drop);
    /* (an error: the caller rolls back, the indexes are there again and the list is freed) */
    return rc;
}

/* SQLite: the bytes of pending terms the search indexes keep in memory (khm_tx_bulk) */
#define FTS_HASHSIZE ((int64_t)64 << 20)

int khm_tx_bulk(khm_tx *tx)
{
    khm_stmt *st;
    int rc;
    if (!khm_store__is_pg(tx->s)) {
        /* OPTIMIZATION: the search indexes (dataset_fts, dataset_head) keep the pending terms
         * of a transaction in memory up to FTS_HASHSIZE bytes before FTS5 writes them as a
         * segment — its default, 1 MB, made a segment every few hundred datasets of an import,
         * each merged again and again as they piled up (bench/catalog: 3.4% of the writer's
         * instructions, 10% of the commit's). Pending terms are written at the commit in any
         * case, so a transaction holds no more than what it wrote. FTS5 keeps the setting in
         * the index (its _config table): set once, when it is not yet. Not before migration
         * 13 made dataset_head (an import never runs before the migrations). */
        if (khm_store_schema_version(tx->s) < 13)
            return 0;
        if ((rc = defer_indexes(tx)) < 0)
            return rc;
        if ((rc = khm_store__stmt(tx, KHM_Q_FTS_HASHSIZE_SET, &st)) < 0)
            return rc;
        tx->s->drv->bind_int64(st, 1, FTS_HASHSIZE);
        rc = tx->s->drv->step(st);
        int set = rc == 1 && tx->s->drv->col_int64(st, 0) == 1;
        tx->s->drv->reset(st);
        if (rc < 0 || set)
            return rc < 0 ? rc : 0;
        khm_qid q[2] = { KHM_Q_FTS_HASHSIZE, KHM_Q_HEAD_HASHSIZE };
        for (int i = 0; i < 2; i++) {
            if ((rc = khm_store__stmt(tx, q[i], &st)) < 0)
                return rc;
            tx->s->drv->bind_int64(st, 1, FTS_HASHSIZE);
            if ((rc = khm_store__run(tx, st)) < 0)
                return rc;
        }
        return 0;
    }
    if ((rc = khm_store__stmt(tx, KHM_Q_BULK, &st)) < 0)
        return rc;
    return khm_store__run(tx, st);
}

int khm_store__run(khm_tx *tx, khm_stmt *st)
{
    int rc = tx->s->drv->step(st);
    tx->s->drv->reset(st);
    return rc < 0 ? rc : 0;
}

void khm_store__bind_opt(khm_tx *tx, khm_stmt *st, int i, const char *s)
{
    if (s && *s)
        tx->s->drv->bind_text(st, i, s);
    else
        tx->s->drv->bind_null(st, i);
}

void khm_store__bind_opt_int(khm_tx *tx, khm_stmt *st, int i, int64_t v)
{
    if (v)
        tx->s->drv->bind_int64(st, i, v);
    else
        tx->s->drv->bind_null(st, i);
}

const char *khm_store__col_dup(khm_tx *tx, khm_stmt *st, int i, khm_arena *a)
{
    const char *v = tx->s->drv->col_text(st, i);
    return v ? khm_arena_strdup(a, v) : NULL;
}

void khm_store__col_id(khm_tx *tx, khm_stmt *st, int i, char out[KHM_ID_LEN])
{
    const char *v = tx->s->drv->col_text(st, i);
    snprintf(out, KHM_ID_LEN, "%s", v ? v : "");
}

static size_t page_limit(const khm_page *page)
{
    size_t limit = page && page->limit ? page->limit : KHM_PAGE_DEFAULT;
    return limit > KHM_PAGE_MAX ? KHM_PAGE_MAX : limit;
}

int khm_store__bind_page(khm_tx *tx, khm_stmt *st, int first, const khm_page *page)
{
    size_t limit = page_limit(page);
    tx->s->drv->bind_text(st, first, page && page->after ? page->after : "");
    return tx->s->drv->bind_int64(st, first + 1, (int64_t)limit + 1);
}

/* Step @p st into records of @p size bytes allocated in @p a: at most @p limit of them, a row
 * more setting *more (a page), or with @p limit 0 every row, the array doubling from @p cap. */
static int read_rows(khm_tx *tx, khm_stmt *st, size_t size, size_t cap, size_t limit,
                     khm_row_reader rd, void **out, size_t *n, int *more, khm_arena *a)
{
    size_t count = 0;
    char *items = khm_arena_calloc(a, limit ? limit : cap, size);
    int rc = items ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    if (limit)
        cap = limit;
    *more = 0;
    while (rc == 0 && (rc = tx->s->drv->step(st)) == 1) {
        if (count == cap && limit) {
            *more = 1;
            rc = 0;
            break;
        }
        if (count == cap) {
            char *bigger = khm_arena_calloc(a, cap * 2, size);
            if (!bigger) {
                rc = khm_err_set(KHM_ENOMEM, "out of memory");
                break;
            }
            memcpy(bigger, items, cap * size);
            items = bigger;
            cap *= 2;
        }
        if ((rc = rd(tx, st, items + count * size, a)) == 0)
            count++;
    }
    tx->s->drv->reset(st);
    if (rc < 0)
        return rc;
    *out = items;
    *n = count;
    return 0;
}

int khm_store__read_page(khm_tx *tx, khm_stmt *st, const khm_page *page, size_t size,
                         khm_row_reader rd, void **out, size_t *n, int *more, khm_arena *a)
{
    return read_rows(tx, st, size, 0, page_limit(page), rd, out, n, more, a);
}

int khm_store__read_all(khm_tx *tx, khm_stmt *st, size_t size, size_t cap0, khm_row_reader rd,
                        void **out, size_t *n, khm_arena *a)
{
    int more;
    return read_rows(tx, st, size, cap0 ? cap0 : 8, 0, rd, out, n, &more, a);
}

int khm_store__read_one(khm_tx *tx, khm_stmt *st, khm_row_reader rd, void *out, khm_arena *a)
{
    int rc = tx->s->drv->step(st);
    if (rc == 1 && (rc = rd(tx, st, out, a)) == 0)
        rc = 1;
    tx->s->drv->reset(st);
    return rc;
}
