/* store_internal.h — what the store module shares between its files: the backend driver
 * interface, the query table and the statement helper. Nothing outside src/lib/store includes
 * this file; SQL lives only here and in the store's .c files. */
#ifndef KHM_STORE_INTERNAL_H
#define KHM_STORE_INTERNAL_H

#include <jansson.h>
#include <khomun/buf.h>
#include <khomun/segment.h>
#include <khomun/store.h>

#include <pthread.h>
#include <stdint.h>

typedef struct khm_conn khm_conn; /* driver-defined connection */
typedef struct khm_stmt khm_stmt; /* driver-defined prepared statement */

/* One backend. SQL handed to prepare() uses '?' placeholders; drivers that need another form
 * ($1, $2 … for PostgreSQL) rewrite it. Errors set khm_err with the backend's message copied
 * at once, and map unique-key violations to KHM_EEXISTS and a lost connection to KHM_EUNAVAIL. */
typedef struct {
    const char *name;
    int (*connect)(khm_conn **out, const char *uri, const khm_store_opts *o);
    void (*disconnect)(khm_conn *c);
    int (*exec)(khm_conn *c, const char *sql); /* a script without parameters */
    int (*begin)(khm_conn *c, int write);
    int (*commit)(khm_conn *c);
    int (*rollback)(khm_conn *c);
    int (*prepare)(khm_conn *c, const char *sql, khm_stmt **out);
    void (*finalize)(khm_stmt *st);
    int (*bind_text)(khm_stmt *st, int i, const char *s); /* 1-based; NULL binds SQL NULL */
    int (*bind_int64)(khm_stmt *st, int i, int64_t v);
    int (*bind_null)(khm_stmt *st, int i);
    int (*step)(khm_stmt *st); /* 1 = a row, 0 = done, < 0 = error */
    void (*reset)(khm_stmt *st);
    const char *(*col_text)(khm_stmt *st, int i); /* NULL for SQL NULL; valid until next step */
    int64_t (*col_int64)(khm_stmt *st, int i);    /* 0 for SQL NULL */
    /* SQLite: bind @p v without a copy — it must stay as it is until the statement is reset
     * (khm_store__run resets it at once); NULL on PostgreSQL (bind_text then) */
    int (*bind_text_static)(khm_stmt *st, int i, const char *v);
    /* SQLite: the rowid of the last row @p st's connection inserted (NULL on PostgreSQL) */
    int64_t (*last_rowid)(khm_stmt *st);
    int (*col_is_null)(khm_stmt *st, int i);
    /* Map the change-epoch counter for @p uri (see khm_store_epoch()). */
    int (*epoch_map)(const char *uri, int readonly, uint64_t **out, size_t *len);
    /* 1 when epoch_map() gives a counter private to this process (PostgreSQL: other servers
     * on the database never advance it), so caches must not rely on it. */
    int epoch_local;
    /* Take the lock @p key (a khm_lock_key) until the transaction ends, against every process
     * on the database; NULL when the write transaction itself already excludes them (SQLite). */
    int (*lock)(khm_conn *c, int key);
    /* Optional (NULL on SQLite, where a statement costs no round trip): between batch_begin and
     * batch_end, step() of a statement that returns no rows may only queue it and return 0;
     * batch_end sends the queue in one round trip and returns the first error among its
     * statements, mapped as step() would have; that error also fails the transaction. */
    int (*batch_begin)(khm_conn *c);
    int (*batch_end)(khm_conn *c);
    /* Optional (NULL on SQLite, whose consent counter is shared through the mapping): watch
     * the database for consent changes committed by other processes and advance *@p counter
     * for each (PostgreSQL: a background LISTEN connection). Returns a handle for
     * listen_stop(), or NULL (message set) when it cannot start. */
    void *(*listen_start)(const char *uri, uint64_t *counter);
    void (*listen_stop)(void *handle);
} khm_store_driver;

/* Transaction-scoped locks across processes (see khm_store_driver.lock). */
typedef enum {
    KHM_LOCK_SCHEMA = 1, /* migrations: one process migrates, the others wait and re-read */
    KHM_LOCK_AUDIT = 2,  /* appends to the audit chain (head read + insert) */
    KHM_LOCK_BLOB = 3, /* resource rows and the blobs they name (insert + link, delete + unlink) */
    KHM_LOCK_PDPA = 4, /* the change sequences of purposes and consent events (MAX + 1) */
} khm_lock_key;

extern const khm_store_driver khm_store__sqlite;
extern const khm_store_driver khm_store__pg;

/* Register the FTS5 tokenizer "thai" (fts_thai.c) on a new SQLite connection. 0, or
 * KHM_EUNAVAIL when this SQLite has no FTS5. */
struct sqlite3;
int khm_store__fts_thai_register(struct sqlite3 *db);

/* The query table (queries.c): every statement the typed calls run, by id. */
typedef enum {
    KHM_Q_PING = 0,
    KHM_Q_SCHEMA_VERSION,
    KHM_Q_SCHEMA_INSERT,
    KHM_Q_META_GET,
    KHM_Q_META_SET,
    KHM_Q_AGENCY_INSERT,
    KHM_Q_AGENCY_GET,
    KHM_Q_AGENCY_LIST,
    KHM_Q_AGENCY_COUNT,
    KHM_Q_USER_INSERT,
    KHM_Q_USER_GET,
    KHM_Q_USER_LIST,
    KHM_Q_USER_LIST_AGENCY,
    KHM_Q_USER_SET_DISABLED,
    KHM_Q_TOKEN_INSERT,
    KHM_Q_TOKEN_GET,
    KHM_Q_TOKEN_LIST,
    KHM_Q_TOKEN_LIST_USER,
    KHM_Q_TOKEN_REVOKE,
    KHM_Q_TOKEN_PRINCIPAL,
    KHM_Q_AUDIT_HEAD,
    KHM_Q_AUDIT_INSERT,
    KHM_Q_AUDIT_SCAN,
    KHM_Q_AUDIT_COUNT,
    KHM_Q_AUDIT_CP_INSERT,
    KHM_Q_AUDIT_CP_LAST,
    KHM_Q_AUDIT_CP_SCAN,
    KHM_Q_AUDIT_LIST,
    KHM_Q_AUDIT_CP_AT,
    KHM_Q_AUDIT_DELETE_THROUGH,
    KHM_Q_AUDIT_CP_DELETE_BEFORE,
    KHM_Q_AUDIT_ARCHIVE_INSERT,
    KHM_Q_AUDIT_ARCHIVE_LAST,
    KHM_Q_DATASET_INSERT,
    KHM_Q_DATASET_GET,
    KHM_Q_DATASET_UPDATE,
    KHM_Q_DATASET_CLASSIFY,
    KHM_Q_DATASET_ARCHIVE,
    KHM_Q_DATASET_LIST,
    KHM_Q_DATASET_LIST_AGENCY,
    KHM_Q_AGENCY_UPDATE, /* migration 6: agency details, the record of processing (s.39) */
    KHM_Q_ROPA_INSERT,
    KHM_Q_ROPA_GET,
    KHM_Q_ROPA_UPDATE,
    KHM_Q_ROPA_DELETE,
    KHM_Q_ROPA_LIST,
    KHM_Q_ROPA_LIST_AGENCY,
    KHM_Q_ROPA_REFUSAL_INSERT,
    KHM_Q_ROPA_REFUSAL_LIST,
    KHM_Q_DATASET_CLASS_INSERT,
    KHM_Q_DATASET_CLASS_LIST,
    KHM_Q_DATASET_LIST_FILTER,
    KHM_Q_SEARCH_SOURCE,
    KHM_Q_SEARCH_DELETE,
    KHM_Q_SEARCH_INSERT,
    KHM_Q_SEARCH_LIVE_IDS,
    /* data-subject requests and the breach register (request.c, breach.c; migration 6) */
    KHM_Q_DSR_INSERT,
    KHM_Q_DSR_GET,
    KHM_Q_DSR_UPDATE,
    KHM_Q_DSR_LIST,
    KHM_Q_DSR_EVENT_INSERT,
    KHM_Q_DSR_EVENT_LIST,
    KHM_Q_BREACH_INSERT,
    KHM_Q_BREACH_GET,
    KHM_Q_BREACH_UPDATE,
    KHM_Q_BREACH_LIST,
    KHM_Q_BREACH_ACTION_INSERT,
    KHM_Q_BREACH_ACTION_LIST,
    KHM_Q_RESOURCE_INSERT,
    KHM_Q_RESOURCE_GET,
    KHM_Q_RESOURCE_LIST,
    KHM_Q_RESOURCE_LIST_AGENCY,
    KHM_Q_RESOURCE_SET_SCAN,
    KHM_Q_RESOURCE_DELETE,
    KHM_Q_RESOURCE_BLOB_REFS,
    KHM_Q_RESOURCE_FLAGS,
    KHM_Q_RESOURCE_COLUMNS_DELETE,
    KHM_Q_RESOURCE_COLUMN_INSERT,
    KHM_Q_RESOURCE_COLUMNS,
    KHM_Q_DSR_SET_PACKAGE,
    /* PDPA purposes and consent events (pdpa.c; migration 6) */
    KHM_Q_PURPOSE_INSERT,
    KHM_Q_PURPOSE_GET,
    KHM_Q_PURPOSE_LIST,
    KHM_Q_PURPOSE_UPDATE,
    KHM_Q_PURPOSE_TEXT_INSERT,
    KHM_Q_PURPOSE_SINCE,
    KHM_Q_PURPOSE_MAXCHG,
    KHM_Q_CONSENT_MAXSEQ,
    KHM_Q_CONSENT_INSERT,
    KHM_Q_CONSENT_LATEST,
    KHM_Q_CONSENT_HISTORY,
    KHM_Q_CONSENT_SINCE,
    KHM_Q_CONSENT_NOTIFY,
    /* data quality of resources, the dataset's score (quality.c; migration 11) */
    KHM_Q_QUALITY_PUT,
    KHM_Q_QUALITY_DELETE,
    KHM_Q_QUALITY_LIST,
    KHM_Q_QUALITY_FILES,
    KHM_Q_DATASET_SET_QUALITY,
    KHM_Q_CONSENT_HEADS,
    /* dataset tags (search.c; migration 12) */
    KHM_Q_TAG_DELETE,
    KHM_Q_TAG_INSERT,
    /* SQLite's FTS5 index written without triggers (search.c; migration 12) */
    KHM_Q_SEARCH_OLD,
    KHM_Q_SEARCH_N,
    KHM_Q_FTS_DELETE,
    KHM_Q_FTS_INSERT,
    /* relevance searches by tier (dataset_find.c; migration 12) */
    KHM_Q_SEARCH_TIER,
    KHM_Q_SEARCH_ROWS,
    KHM_Q_TAG_COUNT,
    KHM_Q_TAG_INSERT_ALL,
    /* a relevance search in one pass, each entry with its tier (dataset_find.c) */
    KHM_Q_SEARCH_RANKED,
    /* SQLite's head index of tiers 1-3 (search.c, dataset_find.c; migration 13) */
    KHM_Q_HEAD_DELETE,
    KHM_Q_HEAD_INSERT,
    KHM_Q_SEARCH_HEAD,
    /* tiers 2-3, then tier 4 of a relevance search (PostgreSQL's; dataset_find.c) */
    KHM_Q_SEARCH_REST,
    KHM_Q_SEARCH_TIER4,
    /* every entry matching a search's words and filters (dataset_find.c) */
    KHM_Q_SEARCH_MATCHES,
    KHM_Q_SEARCH_MAX_N,
    KHM_Q_DATASET_TAKEN,
    KHM_Q_BULK,
    /* consent events' subject keys, filled for existing rows (pdpa.c; migration 14) */
    KHM_Q_CONSENT_KEY_PAGE,
    KHM_Q_CONSENT_KEY_SET,
    /* every event of one (subject, purpose) pair, in seq order (pdpa.c) */
    KHM_Q_CONSENT_PAIR,
    /* PostgreSQL: a search entry with its dataset's sort keys (search.c; migration 15) */
    KHM_Q_SEARCH_INSERT_KEYED,
    /* how many entries a search's words and filters match, as the planner estimates them
     * (PostgreSQL's; dataset_find.c) */
    KHM_Q_SEARCH_ESTIMATE,
    KHM_Q_CONSENT_FOLD_SINCE,
    /* SQLite: whether the full index has a term that a word begins, other than the word
     * (dataset_find.c; migration 16) */
    KHM_Q_SEARCH_TERM_LONGER,
    /* SQLite: a search's matches in the order of n, either way (dataset_find.c's walk) */
    KHM_Q_SEARCH_MATCHES_UP,
    KHM_Q_SEARCH_MATCHES_DOWN,
    /* SQLite: whether one entry matches a search's words and filters (dataset_find.c) */
    KHM_Q_SEARCH_MATCH_ONE,
    /* SQLite: the search indexes' pending-terms size, asked and set (khm_tx_bulk) */
    KHM_Q_FTS_HASHSIZE_SET,
    KHM_Q_FTS_HASHSIZE,
    KHM_Q_HEAD_HASHSIZE,
    /* SQLite: whether the catalog holds no dataset yet, and its tables' plain indexes, each
     * with its definition (khm_tx_bulk) */
    KHM_Q_BULK_EMPTY,
    KHM_Q_BULK_INDEXES,
    KHM_Q__COUNT
} khm_qid;

extern const char *const khm_store__queries[KHM_Q__COUNT];

/* PostgreSQL's own form of the few statements whose SQL differs (full-text search: FTS5 on
 * SQLite, tsvector on PostgreSQL); NULL entries use khm_store__queries. The statement for a
 * query id always takes the same parameters in the same order on both backends. */
extern const char *const khm_store__queries_pg[KHM_Q__COUNT];

/* The SQL of query @p q for the backend of @p s. */
const char *khm_store__sql(const khm_store *s, khm_qid q);

/* 1 when @p s is on PostgreSQL. */
int khm_store__is_pg(const khm_store *s);

/* Numbered migrations (migrations.c). Version i+1 is khm_store__migrations[i]. One numbered
 * sequence for both backends: sql runs on SQLite, and on PostgreSQL too unless sql_pg is given.
 * after, when set, runs in the migration's transaction once its SQL has (to fill what the new
 * tables derive from existing rows). */
typedef struct {
    int version;
    const char *name;
    const char *sql;
    const char *sql_pg;
    int (*after)(khm_tx *tx);
} khm_migration;

extern const khm_migration khm_store__migrations[];
extern const int khm_store__migrations_count;

/* The statements of khm_store_dataset_find (dataset_find.c): one per order, listing or search,
 * filter shape and first-or-next page, made from fixed SQL fragments when first used. */
#define KHM_FIND_VARIANTS (KHM_DSORT__COUNT * 2 * 4 * 2 + KHM_FIND_WALKS)
/* … and, after those, the walks of an order's index of a search by another order than relevance
 * (SQLite): one per order, first or next page */
#define KHM_FIND_WALKS (KHM_DSORT__COUNT * 2)

/* A pooled connection with its cache of prepared statements. */
typedef struct khm_slot {
    khm_conn *conn;
    khm_stmt *stmts[KHM_Q__COUNT];
    khm_stmt *find[KHM_FIND_VARIANTS];
    struct khm_slot *next;
} khm_slot;

struct khm_store {
    const khm_store_driver *drv;
    char *uri;
    khm_store_opts opts;
    pthread_mutex_t pool_lock; /* guards free_slots, idle */
    khm_slot *free_slots;
    int idle;
    pthread_mutex_t write_lock; /* one write transaction at a time in this process */
    int schema_version;
    uint64_t *epoch;            /* shared counter (mmap); advanced after epoch-touching commits */
    size_t epoch_len;           /* bytes mapped */
    int epoch_shared;           /* see khm_store_epoch_shared() */
    pthread_mutex_t watch_lock; /* guards watch */
    void *watch;                /* the driver's consent listener (khm_store_consent_watch) */
};

/* The consent change counter: a second word of the epoch mapping, on its own cache line. */
#define KHM_CONSENT_COUNTER_SLOT 8

#define KHM_TX_AGENCIES 32

struct khm_tx {
    khm_store *s;
    khm_slot *slot;
    int write;
    int touch_epoch;   /* advance the change epoch after commit */
    int touch_consent; /* advance the consent change counter after commit */
    int64_t next_seq;  /* next consent event seq in this transaction (0: not read yet) */
    /* the names of the agencies new datasets' search entries needed (search.c), so an import
     * indexes its datasets without reading each one back; forgotten when the transaction
     * writes an agency (khm_store__stmt) */
    struct {
        char id[KHM_ID_LEN];
        char *th, *en;
        /* SQLite: its search entries' agency part (th, a newline, en) and that text's tokens,
         * segmented once for all of its datasets (search.c, agency_tok); NULL until asked */
        char *part;
        void *tok; /* a khm_fts_pretok */
    } ag[KHM_TX_AGENCIES];
    unsigned ag_n; /* entries in use, then the next one to replace (round robin) */
    /* SQLite: a bulk transaction into an empty catalog (khm_tx_bulk) drops the plain indexes
     * of its tables and makes them again at the commit, from these definitions */
    int bulk_seen; /* khm_tx_bulk has looked */
    char **rebuild;
    size_t nrebuild;
};

/* Forget the agency names @p tx keeps for search entries (search.c). */
void khm_store__tx_agencies_forget(khm_tx *tx);

/* The prepared statement @p q on @p tx's connection, reset and ready to bind. */
int khm_store__stmt(khm_tx *tx, khm_qid q, khm_stmt **out);

/* Take the cross-process lock @p key for the rest of @p tx (a no-op on SQLite, whose write
 * transactions already exclude every other writer). */
int khm_store__lock(khm_tx *tx, khm_lock_key key);

/* Bracket writes of @p tx that may go to the database together (see khm_store_driver); no-ops
 * when the driver has no batching. */
int khm_store__batch_begin(khm_tx *tx);
int khm_store__batch_end(khm_tx *tx);

/* Step a statement expected to return no row or a row that is ignored; resets it after. */
int khm_store__run(khm_tx *tx, khm_stmt *st);

/* Bind text @p s, or NULL when it is NULL or empty (an optional column). */
void khm_store__bind_opt(khm_tx *tx, khm_stmt *st, int i, const char *s);
/* Bind @p v, or NULL when it is 0 (an optional time or count). */
void khm_store__bind_opt_int(khm_tx *tx, khm_stmt *st, int i, int64_t v);

/* Copy a text column into the arena (NULL stays NULL). */
const char *khm_store__col_dup(khm_tx *tx, khm_stmt *st, int i, khm_arena *a);

/* Copy a text column into a fixed id buffer. */
void khm_store__col_id(khm_tx *tx, khm_stmt *st, int i, char out[KHM_ID_LEN]);

/* ---- full-text search (search.c) ---- */

/* The text a dataset is found by, in four parts ranked from best to least (title matches rank
 * above tag matches, above agency-name matches, above the rest): the one definition of what
 * is searchable, used by both backends. Raw UTF-8 text, parts of a field joined by newlines;
 * SQLite's "thai" tokenizer segments it, PostgreSQL indexes khm_segment_join() of it. */
typedef struct {
    khm_buf title;  /* title, English title */
    khm_buf tags;   /* metadata.tag_string */
    khm_buf agency; /* the owning agency's Thai and English names */
    khm_buf body;   /* metadata.notes, then every other metadata value in field-table order */
} khm_search_doc;

/* Build @p doc (khm_buf's initialised here; free with khm_search_doc_free) from a dataset's
 * title, English title and metadata (a JSON object, as stored) and its agency's names (either
 * may be NULL). Metadata values indexed: strings, strings of arrays, integers (years); numbers
 * with a fraction (coordinates) and the choice values "True"/"False" are not. Invalid JSON
 * indexes no metadata (it never is: it was validated). 0 or KHM_ENOMEM / KHM_ELIMIT. */
int khm_search_doc_build(khm_search_doc *doc, const char *title, const char *title_en,
                         const char *metadata, const char *agency_th, const char *agency_en);
/* The same from the metadata parsed (a JSON object, or NULL). */
int khm_search_doc_build_json(khm_search_doc *doc, const char *title, const char *title_en,
                              const json_t *metadata, const char *agency_th, const char *agency_en);
void khm_search_doc_free(khm_search_doc *doc);

/* A text segmented ahead (khm_search_pre): its tokens as the "thai" FTS5 tokenizer gives them,
 * which it replays when it is given the same text on a thread that uses it
 * (khm_store__pretok_use). */
typedef struct {
    int start, end;    /* byte offsets in the text */
    unsigned off, len; /* the folded token in fold[] */
} khm_fts_tok;

typedef struct {
    const char *text; /* borrowed */
    size_t n, ntok, nfold, tok_cap, fold_cap;
    khm_fts_tok *tok;
    char *fold;
} khm_fts_pretok;

int khm_store__pretok(khm_fts_pretok *p, const char *text, size_t n);
void khm_store__pretok_free(khm_fts_pretok *p);
/* The @p n texts of @p p, segmented ahead, for this thread's tokenizer (NULL: none). */
void khm_store__pretok_use(const khm_fts_pretok *p, size_t n);
/* One more text segmented ahead for this thread's tokenizer, beside those of
 * khm_store__pretok_use (NULL: none). */
void khm_store__pretok_extra(const khm_fts_pretok *p);
/* Free entry @p i of the transaction's agency names (search.c). */
void khm_store__tx_agency_free(khm_tx *tx, unsigned i);
/* khm_segment_join(@p text) into @p out from the tokens segmented ahead, when they are this
 * text's: 1; 0 when they are not (nothing written); < 0 an error. */
int khm_store__pretok_join(const char *text, size_t n, khm_buf *out);

struct khm_search_pre {
    const json_t *meta;
    khm_search_doc doc; /* title, tags and body (agency empty) */
    size_t ntok;        /* segmented: tok[] of the title, tags and body (those not empty) */
    khm_fts_pretok tok[3];
};

/* Bring dataset @p id's search entry up to date with the stored row in @p tx: replaced while
 * it is live, removed once archived (or gone). Called by every dataset write of records.c. */
int khm_store__search_index(khm_tx *tx, const char *id);
/* The same for @p d, inserted in @p tx just now (it has no entry to replace yet), from the values
 * inserted (not read back); @p meta, when not NULL, is its metadata parsed (not parsed again). */
int khm_store__search_index_new(khm_tx *tx, const khm_dataset *d, const json_t *meta);

/* Make the entry (text, facets, tags) of every live dataset, the search entries being empty
 * (migration 12's after-hook). */
int khm_store__search_reindex_all(khm_tx *tx);

/* Fill consent_event.subject_key for the events recorded before migration 14 and index it
 * (its after-hook; pdpa.c). */
int khm_store__consent_keys_fill(khm_tx *tx);

/* ---- datasets (records.c, dataset_find.c) ---- */

/* DATASET_COLS of queries.c, of the dataset aliased d (khm_store__read_dataset reads them) */
#define KHM_SQL_DATASET_D_COLS                                                           \
    "d.id, d.slug, d.agency_id, d.title, d.title_en, d.data_type, d.category, d.level, " \
    "d.confirmed, d.cia, d.personal, d.sensitive, d.metadata, d.version, d.owner_user, " \
    "d.created_by, d.created_at, d.updated_at, d.archived_at, d.quality_score, d.quality_at"

/* "Holds personal data" (the filter personal=): what a scan of its resources found, or its
 * category — the same as khm_dataset_resource()'s personal flag. */
#define KHM_SQL_DATASET_PERSONAL \
    "(CASE WHEN d.personal <> 0 OR d.sensitive <> 0 OR d.category = 'personal' THEN 1 ELSE 0 END)"

/* khm_dataset_filter on the dataset aliased d, every value bound twice (NULL, or -1 for
 * personal, matches all): agency, category, level, data type, personal, the fence (its pairs
 * twice, its agency between), then the tag (folded) — its probe last: SQLite checks the terms
 * in the order written, the cheap ones first. */
#define KHM_SQL_DATASET_FILTER                                                              \
    "(CAST(? AS TEXT) IS NULL OR d.agency_id = ?) AND (CAST(? AS TEXT) IS NULL OR "         \
    "d.category = ?) AND (CAST(? AS TEXT) IS NULL OR d.level = ?) AND (CAST(? AS TEXT) IS " \
    "NULL OR d.data_type = ?) AND (CAST(? AS BIGINT) < 0 OR " KHM_SQL_DATASET_PERSONAL      \
    " = ?) AND (CAST(? AS TEXT) IS NULL OR d.agency_id = ? OR d.category IS NULL OR "       \
    "d.level IS NULL OR CAST(? AS TEXT) LIKE ('%|' || d.category || '/' || d.level || "     \
    "'|%')) AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM dataset_tag t WHERE "     \
    "t.tag = ? AND t.dataset_id = d.id))"
#define KHM_SQL_DATASET_FILTER_PARAMS 15

/* Bind @p f for KHM_SQL_DATASET_FILTER from parameter @p first. KHM_EINVALID for a category or
 * level out of range or a tag that is too long. */
int khm_store__bind_dataset_filter(khm_tx *tx, khm_stmt *st, int first,
                                   const khm_dataset_filter *f);

/* Read the DATASET_COLS of queries.c from column @p c into @p d (strings in @p a). */
int khm_store__read_dataset(khm_tx *tx, khm_stmt *st, int c, khm_dataset *d, khm_arena *a);

/* A tag as dataset_tag keeps it and the tag filter compares it: khm_segment_fold() of it (English
 * letters lower-cased, Thai digits as 0-9). KHM_EINVALID naming "tag" when it is longer than a tag
 * may be (KHM_TAG_FOLD_MAX - 1 bytes). */
#define KHM_TAG_FOLD_MAX 512
int khm_store__tag_fold(const char *tag, char out[KHM_TAG_FOLD_MAX]);

/* ---- relevance: tiers and facets (fts_thai.c, search.c, dataset_find.c) ---- */

/* A search ranks by tiers: 1 all the words in the title (or English title), 2 in the title and
 * tags, 3 those and the agency's names, 4 anywhere; within a tier the most recently indexed (the
 * last changed) first — an order the index gives without scoring every match. */
#define KHM_SEARCH_TIERS 4
/* the relevance key of entry n of tier t: t * KHM_TIER_SPAN - n (smaller is better) */
#define KHM_TIER_SPAN 1000000000000000LL

/* The query of tier @p tier (0: the four parts, no tier) for the user's words, as FTS5 MATCH
 * (@p pg 0) or tsquery text. Errors as khm_fts_query(). */
int khm_store__tier_query(const char *user_query, int tier, int pg, khm_buf *out);
/* How many words (phrases of those queries) the user's words are: 1..KHM_FTS_QUERY_MAX_WORDS,
 * or khm_fts_query()'s errors. */
int khm_store__search_words(const char *user_query);
/* SQLite: the words in the parts of tiers 1-3 (title, tags, agency names), as the head index's
 * MATCH (migration 13). Errors as khm_fts_query(). */
int khm_store__head_query(const char *user_query, khm_buf *out);
/* The words in the parts of tiers 1..@p tier (tier 1: the title; 2: title and tags; …), without
 * "not in the tier before": whether an entry is in tier @p tier or a better one. */
int khm_store__tier_cols_query(const char *user_query, int tier, int pg, khm_buf *out);
/* Whether the queries above match the user's last word as a prefix too (khm_fts_query()'s
 * rule): 1 with that word folded, as the index holds it, in @p tok (NUL-terminated, *@p n
 * bytes); 0 when they match it whole; khm_fts_query()'s errors. */
int khm_store__prefix_word(const char *user_query, char tok[KHM_SEG_TOKEN_MAX + 1], size_t *n);

/* The facets of a dataset, the tokens its search entry carries in a column of their own
 * (dataset_fts's facets, dataset_search.facets), so that a search's filters are index terms
 * too: agency, category, level, data type, holds personal data, each tag (folded). @p query 0:
 * the entry's words; 1: a filter's terms, ANDed, as FTS5 MATCH or tsquery text. @p tags:
 * newline-separated raw tags (entry), or one tag (query). category/level/personal -1 and NULL
 * strings: absent; no facet at all: "". */
int khm_store__facets(khm_buf *out, int pg, int query, const char *agency_id, int category,
                      int level, const char *data_type, int personal, const char *tags);

/* Clamp a page request and bind (after, limit + 1) at @p first and first + 1. */
int khm_store__bind_page(khm_tx *tx, khm_stmt *st, int first, const khm_page *page);

/* Read the current row of @p st into the record at @p item (its strings copied into @p a). */
typedef int (*khm_row_reader)(khm_tx *tx, khm_stmt *st, void *item, khm_arena *a);

/* Step a bound list statement (bound with khm_store__bind_page, so it yields up to limit + 1
 * rows) into up to page->limit records of @p size bytes each, allocated in @p a; the one row
 * more sets *more. Resets the statement. 0 or a negative error. */
int khm_store__read_page(khm_tx *tx, khm_stmt *st, const khm_page *page, size_t size,
                         khm_row_reader rd, void **out, size_t *n, int *more, khm_arena *a);

/* Step a bound statement to its end into records of @p size bytes each, allocated in @p a (an
 * array that doubles from @p cap0); for lists a caller bounds itself (a dataset's resources,
 * a resource's columns). Resets the statement. 0 or a negative error. */
int khm_store__read_all(khm_tx *tx, khm_stmt *st, size_t size, size_t cap0, khm_row_reader rd,
                        void **out, size_t *n, khm_arena *a);

/* Step a bound statement once and read its row into @p out. 1 read, 0 no row, < 0 an error
 * (the caller words "not found", it knows what was looked for). Resets the statement. */
int khm_store__read_one(khm_tx *tx, khm_stmt *st, khm_row_reader rd, void *out, khm_arena *a);

#endif
