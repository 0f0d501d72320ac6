/**
 * @file khomun/store.h
 * The storage interface every module uses: open/close, numbered migrations, transactions and
 * typed calls. Two backends sit behind it (SQLite embedded; PostgreSQL for scale-out); no SQL
 * and no backend idiom leaks through this header.
 *
 * Threading: a khm_store may be shared by any number of threads. Each transaction takes a
 * connection from the store's pool for its lifetime; write transactions are serialized, read
 * transactions run concurrently.
 */
#ifndef KHOMUN_STORE_H
#define KHOMUN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <khomun/arena.h>
#include <khomun/rand.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct khm_store khm_store;
typedef struct khm_tx khm_tx;

/** Options for khm_store_open(). */
typedef struct {
    int create;    /**< 1: create the database when missing (init); 0: must exist */
    int readonly;  /**< 1: never write (no migrations either) */
    int busy_ms;   /**< wait this long on a locked database (0 = 5000) */
    int pool_size; /**< connections kept (0 = 8) */
} khm_store_opts;

#define KHM_STORE_OPTS_INIT \
    {                       \
        0, 0, 0, 0          \
    }

/**
 * Open the store at @p uri: a file path (SQLite) or "postgres://…" / "postgresql://…".
 * Pending migrations are applied (unless readonly).
 * @param[out] out  new store; free with khm_store_close()
 * @return 0, KHM_ENOTFOUND (missing and !create), KHM_EUNAVAIL, KHM_EINVALID (unknown scheme),
 *         KHM_ERROR (migration failed; the message names the migration).
 */
int khm_store_open(khm_store **out, const char *uri, const khm_store_opts *opts);

/** Close all connections (waits for none: call after every transaction ended). Accepts NULL. */
void khm_store_close(khm_store *s);

/** "sqlite" or "postgres". */
const char *khm_store_backend(const khm_store *s);

/** Schema version after migrations (the number of the last applied migration). */
int khm_store_schema_version(const khm_store *s);

/** Number of migrations this build knows. */
int khm_store_migrations_known(void);

/** Check the database answers (a trivial query). 0 or KHM_EUNAVAIL. */
int khm_store_ping(khm_store *s);

/**
 * Begin a transaction. Write transactions are serialized across the process (and, on SQLite,
 * take the database write lock at once).
 * @param[out] out  the transaction; end it with khm_tx_commit() or khm_tx_rollback()
 */
int khm_tx_begin(khm_tx **out, khm_store *s, int write);

/** Commit and end @p tx (it is freed even on failure; a failed commit is rolled back). */
int khm_tx_commit(khm_tx *tx);

/** Roll back and end @p tx. Accepts NULL. */
void khm_tx_rollback(khm_tx *tx);

/**
 * Mark @p tx as changing who may do what (a token revoked, a user disabled, a role changed):
 * when it commits, the store's change epoch advances, for this process and for every other
 * process on the same database, so caches of authorisation data drop what they hold.
 */
void khm_tx_touch_epoch(khm_tx *tx);

/**
 * Send the writes that follow in @p tx (INSERT, UPDATE, DELETE without RETURNING) together, in
 * one round trip, until khm_tx_batch_end(). On PostgreSQL they are queued (libpq pipeline mode)
 * and their typed calls return 0 at once: a failure of any of them is reported by
 * khm_tx_batch_end() (same code, the database's message rather than the typed call's wording),
 * and it fails the transaction as if the call itself had failed (commit then rolls back and
 * reports it). Statements that return rows run after the queue is sent. Batches nest: only the
 * outermost khm_tx_batch_end() sends. A no-op on SQLite, where a statement costs no round trip.
 * Always pair with khm_tx_batch_end().
 */
int khm_tx_batch_begin(khm_tx *tx);

/** Send the writes queued since khm_tx_batch_begin() and return the first error among them. */
int khm_tx_batch_end(khm_tx *tx);

/**
 * The rest of @p tx runs the same statements many times (a catalog import): on PostgreSQL each
 * is planned once for the transaction (plan_cache_mode force_generic_plan, SET LOCAL) instead
 * of at every execution, which a statement evaluating functions of its parameters (the search
 * entry's to_tsvector) otherwise gets. On SQLite the search indexes keep up to 64 MB of pending
 * terms before writing a segment, and into a catalog without datasets the indexes led by a
 * dataset's name or title are made at khm_tx_commit() instead of row by row (the commit takes
 * longer, the whole transaction less).
 */
int khm_tx_bulk(khm_tx *tx);

/**
 * The change epoch: one atomic load (SQLite: a shared mapping of the file DB-epoch beside the
 * database). Read it before reading what you cache, keep it with the entry, and treat the entry
 * as stale when the epoch differs.
 */
uint64_t khm_store_epoch(const khm_store *s);

/**
 * 1 when khm_store_epoch() advances for changes made by every process on the database (SQLite:
 * the mapping beside the file), 0 when it counts only this process's commits (PostgreSQL,
 * where other servers write too): a cache must then not trust it and go to the store.
 */
int khm_store_epoch_shared(const khm_store *s);

/* ---- meta (key/value settings of the installation) ---- */

/** Value of @p key copied into @p a; KHM_ENOTFOUND when absent. */
int khm_store_meta_get(khm_tx *tx, const char *key, char **out, khm_arena *a);
/** Insert or replace @p key. */
int khm_store_meta_set(khm_tx *tx, const char *key, const char *value);

/* ---- records ---- */

/**
 * An agency (หน่วยงาน). Strings live in the arena passed to the getter; optional ones are NULL
 * when not set. khm_store_agency_get() and _list() fill every field; the agency of an
 * authenticated principal (khm_store_token_principal()) carries only id, slug, names and
 * created_at (the details are NULL / "" / 0 there: read the agency when you need them).
 * The contact and DPO fields are plain text on purpose: consent receipts and exports print them.
 */
typedef struct {
    char id[KHM_ID_LEN];            /**< UUIDv7 */
    const char *slug;               /**< unique, ^[a-z0-9][a-z0-9-]{1,62}$ */
    const char *name_th;            /**< Thai name, required */
    const char *name_en;            /**< English name or NULL */
    int64_t created_at;             /**< ms since epoch */
    const char *ministry;           /**< กระทรวง: the ministry's name, or NULL */
    char parent_id[KHM_ID_LEN];     /**< parent agency (a department's ministry), "" when none */
    const char *address;            /**< public postal address, or NULL */
    const char *phone;              /**< public phone, or NULL */
    const char *email;              /**< public e-mail, or NULL */
    const char *website;            /**< http(s) URL, or NULL */
    char dpo_user[KHM_ID_LEN];      /**< the DPO as a user of the agency, "" when none */
    const char *dpo_name;           /**< the DPO's public name (PDPA s.41), or NULL: no DPO */
    const char *dpo_email;          /**< the DPO's public e-mail, or NULL */
    const char *dpo_phone;          /**< the DPO's public phone, or NULL */
    int64_t version;                /**< ETag: +1 on every change (1 when created) */
    int64_t updated_at;             /**< ms, 0 = never changed */
    const char *privacy_notice_url; /**< the agency's privacy notice (http(s) URL), or NULL:
                                         consent receipts name it (Kantara policyUrl) */
} khm_agency;

/** A user. */
typedef struct {
    char id[KHM_ID_LEN];
    const char *name;         /**< unique login name */
    const char *display_name; /**< or NULL */
    const char *email;        /**< or NULL */
    char agency_id[KHM_ID_LEN];
    int role;      /**< khm_role (access.h) */
    int clearance; /**< khm_level (access.h) */
    int disabled;  /**< 0/1 */
    int64_t created_at;
} khm_user;

/** An API token; the secret itself is never stored, only its SHA-256. */
typedef struct {
    char id[KHM_ID_LEN];
    char user_id[KHM_ID_LEN];
    const char *name;
    char hash_hex[65]; /**< SHA-256 of the secret, hex */
    int64_t created_at;
    int64_t expires_at; /**< 0 = never */
    int64_t revoked_at; /**< 0 = not revoked */
} khm_token;

/** A page request: items after @p after (an id, or NULL for the first page). */
typedef struct {
    const char *after; /**< exclusive cursor (an id) or NULL */
    size_t limit;      /**< 1..500 */
} khm_page;

/** Default and largest page sizes. */
#define KHM_PAGE_DEFAULT 100
#define KHM_PAGE_MAX     500

/**
 * Parse the query parameters of a list request: @p limit ("1".."500", NULL = default) and
 * @p cursor (an opaque value from khm_page_cursor(), NULL = first page).
 * @return 0, or KHM_EINVALID naming the field "limit" or "cursor".
 */
int khm_page_parse(khm_page *out, const char *limit, const char *cursor, khm_arena *a);

/** The opaque cursor that continues after @p last_id, in @p a. */
char *khm_page_cursor(const char *last_id, khm_arena *a);

/** The opaque cursor of an ordered listing that continues after the row whose sort key is
 *  @p key and id @p id, in the order named @p order (e.g. "-updated"), in @p a. */
char *khm_page_cursor_keyed(const char *order, const char *key, const char *id, khm_arena *a);

/**
 * Parse a cursor of khm_page_cursor_keyed() made for the order @p order: *@p key and *@p id
 * (in @p a). KHM_EINVALID naming "cursor" when it is not one, or was made for another order.
 */
int khm_page_parse_keyed(const char *cursor, const char *order, const char **key, const char **id,
                         khm_arena *a);

/** A catalog dataset (ชุดข้อมูล): its GD-Catalog metadata and what the catalog decides on. */
typedef struct {
    char id[KHM_ID_LEN];
    const char *slug; /**< unique name, ^[a-z0-9][a-z0-9-_]{1,99}$ (GD-Catalog "name") */
    char agency_id[KHM_ID_LEN];
    const char *title;    /**< GD-Catalog "title" (ชื่อชุดข้อมูล) */
    const char *title_en; /**< English title or NULL */
    const char *data_type; /**< GD-Catalog "data_type" (ประเภทชุดข้อมูล) */
    int category;          /**< khm_category (policy.h) or -1 */
    int level;             /**< khm_level or -1 (unclassified) */
    int confirmed;         /**< 1 when the owner (or an admin) confirmed category and level */
    const char *cia;       /**< "low|medium|high" for C,I,A as "c,i,a", or NULL */
    int personal;          /**< personal data found by a scan of its resources */
    int sensitive;         /**< s.26 data found */
    const char *metadata;        /**< the GD-Catalog fields, a JSON object */
    int64_t version;             /**< ETag: +1 on every change */
    char owner_user[KHM_ID_LEN]; /**< data owner (เจ้าของข้อมูล), "" when none */
    char created_by[KHM_ID_LEN];
    int64_t created_at, updated_at, archived_at; /**< ms; archived_at 0 = live */
    int quality_score;  /**< 0–100 as last computed (khomun/quality.h), -1 = none */
    int64_t quality_at; /**< ms of that computation, 0 = never */
} khm_dataset;

/** One entry of a dataset's classification history. */
typedef struct {
    char id[KHM_ID_LEN];
    char dataset_id[KHM_ID_LEN];
    int64_t ts;
    char actor_user[KHM_ID_LEN];
    const char *kind;              /**< "create", "update", "suggest", "confirm" */
    int from_category, from_level; /**< -1 none */
    int to_category, to_level;     /**< -1 none */
    const char *cia;               /**< or NULL */
    const char *reason;            /**< or NULL */
} khm_dataset_class;

int khm_store_dataset_insert(khm_tx *tx, const khm_dataset *d);
struct json_t;
/** khm_store_dataset_insert() by a caller that holds the metadata parsed (@p meta: the JSON
 *  object d->metadata is the text of), from which the search entry is built without parsing
 *  the text again (the import's hot path). @p meta NULL: as khm_store_dataset_insert(). */
int khm_store_dataset_insert_parsed(khm_tx *tx, const khm_dataset *d, const struct json_t *meta);

/**
 * The part of a dataset's search entry that its titles and metadata make (all but its agency's
 * names), built — and on SQLite segmented, as the FTS5 tokenizer would — ahead, on any thread
 * (an import's reader, while the writer writes the rows before). Free with khm_search_pre_free.
 * 0, or KHM_ENOMEM.
 */
typedef struct khm_search_pre khm_search_pre;
int khm_search_pre_make(khm_search_pre **out, const char *title, const char *title_en,
                        const struct json_t *meta, int segment);
void khm_search_pre_free(khm_search_pre *p);
/** The next search entries this thread writes for a dataset of @p p's metadata (the same
 *  json_t) are made from @p p; NULL: none. */
void khm_search_pre_use(const khm_search_pre *p);
/** By id or slug (archived ones too). KHM_ENOTFOUND when neither matches. */
int khm_store_dataset_get(khm_tx *tx, khm_dataset *out, const char *id_or_slug, khm_arena *a);
/** Which of @p names (a JSON array of strings) are the name (slug) of a dataset, archived ones
 *  too: @p fn is called with each such slug, in no order (one query for a whole import file,
 *  instead of a khm_store_dataset_get per row). Stops at a non-zero return. */
int khm_store_dataset_names_taken(khm_tx *tx, const char *names,
                                  int (*fn)(const char *slug, void *payload), void *payload);
/** Title, title_en, data type, metadata, owner, category, level, confirmed of version
 *  @p version; *new_version set. KHM_ESTALE when the stored version differs (or it is archived). */
int khm_store_dataset_update(khm_tx *tx, const khm_dataset *d, int64_t version,
                             int64_t *new_version);
/** Category, level, C/I/A, confirmed, personal, sensitive; as khm_store_dataset_update(). */
int khm_store_dataset_classify(khm_tx *tx, const khm_dataset *d, int64_t version,
                               int64_t *new_version);
/** Archive (the catalog's delete); as khm_store_dataset_update(). */
int khm_store_dataset_archive(khm_tx *tx, const char *id, int64_t version, int64_t at,
                              int64_t *new_version);
/** Categories a dataset filter's fence has room for (KHM_CAT__COUNT of policy.h, and more). */
#define KHM_DATASET_FENCE_CATS 8

/** What a dataset listing or search is narrowed to; NULL / -1 = any. */
typedef struct {
    const char *agency_id; /**< owning agency's id */
    int category;          /**< khm_category (policy.h) */
    int level;             /**< khm_level (access.h) */
    const char *data_type; /**< the stored GD-Catalog value, e.g. "ข้อมูลสถิติ" */
    const char *tag;       /**< one of its tags (metadata.tag_string), compared folded
                                (khm_segment_fold: English without case, Thai digits as 0-9) */
    int personal;          /**< 1: it holds personal data — a scan of its resources found some
                                (personal, sensitive) or its category is personal; 0: it does not */
    /** A fence for listings: rows of agencies other than fence_agency ("": every agency is
     *  another) are read only when their level l is bit l of fence_levels[their category]
     *  (khm_category, khm_level) — the caller knows it would deny the others whatever they hold
     *  (GET /api/v1/datasets asks its decision point: h_datasets.c). Rows without a category
     *  or a level are read. NULL: no fence. Searches by words may read past it. */
    const char *fence_agency;
    unsigned fence_levels[KHM_DATASET_FENCE_CATS];
    /* quality_below (issue 4) is applied by the listing handler with the visibility, on
     * khm_dataset.quality_score */
} khm_dataset_filter;

#define KHM_DATASET_FILTER_INIT      \
    {                                \
        NULL, -1, -1, NULL, NULL, -1 \
    }

/** Live datasets matching @p f (NULL = all), in id order (the export's order). */
int khm_store_dataset_list(khm_tx *tx, khm_dataset **out, size_t *n, int *more,
                           const khm_dataset_filter *f, const khm_page *page, khm_arena *a);

/** Most results one khm_store_dataset_find() call returns. */
#define KHM_SEARCH_MAX 500

/** The orders of khm_store_dataset_find(); ties are broken by id, in the same direction. */
typedef enum {
    KHM_DSORT_RELEVANCE = 0, /**< best match first: a search only */
    KHM_DSORT_NAME,          /**< name (slug) A→Z */
    KHM_DSORT_NAME_DESC,     /**< name Z→A */
    KHM_DSORT_TITLE,         /**< title by code point (byte order on both backends) */
    KHM_DSORT_TITLE_DESC,
    KHM_DSORT_UPDATED,      /**< least recently changed first */
    KHM_DSORT_UPDATED_DESC, /**< most recently changed first */
    KHM_DSORT__COUNT
} khm_dataset_sort;

/**
 * The order named @p s as the API and CLI name it: "relevance", "name", "-name", "title",
 * "-title", "updated", "-updated" (a minus: descending); NULL gives the default, relevance for a
 * search (@p search 1) and name for a listing. KHM_EINVALID naming "sort" (Thai and English) for
 * another name, or relevance without a search.
 */
int khm_dataset_sort_parse(const char *s, int search, int *out);
/** The name of an order, as khm_dataset_sort_parse() reads it. */
const char *khm_dataset_sort_name(int sort);

/** A listing or search of datasets (khm_store_dataset_find). */
typedef struct {
    const char *text; /**< the words of a search as a user typed them (Thai and/or English), or
                           NULL for a listing */
    khm_dataset_filter filter;
    int sort;              /**< khm_dataset_sort; KHM_DSORT_RELEVANCE needs text */
    const char *after_key; /**< continue after the row of this sort key … */
    const char *after_id;  /**< … and id (both from an earlier call's results), or NULL */
    size_t limit;          /**< 1..KHM_SEARCH_MAX */
} khm_dataset_query;

/**
 * The live datasets matching @p q, in its order: a listing (q->text NULL), or a full-text search
 * of what the words find in titles, English titles, tags, agency names, notes and other metadata
 * values. Relevance is by tiers — all the words in the title, in title and tags, in those and
 * the agency's names, anywhere — and within a tier the most recently indexed (changed) first,
 * which the index yields in order, so a search reads only its page. The words are
 * khm_segment()'s on both backends
 * (segment.h: all ANDed, the last also as a prefix). Keyset pages: up to q->limit rows after
 * (after_key, after_id), *@p more is 1 when rows follow; (*@p keys)[i] is row i's sort key (text:
 * the name or title, a decimal integer for the change time and the relevance), to continue after
 * it. Text orders compare bytes (COLLATE "C" on PostgreSQL), so both backends list alike. No
 * access decision is taken here: the caller keeps what its caller may see.
 * @return 0; KHM_EINVALID naming "q" (no word, too many: khm_fts_query()'s errors), "sort"
 *         (relevance without words, an unknown order), "cursor" (an after_key that is not one of
 *         this order) or "limit"; a store error.
 */
int khm_store_dataset_find(khm_tx *tx, const khm_dataset_query *q, khm_dataset **out,
                           const char ***keys, size_t *n, int *more, khm_arena *a);
int khm_store_dataset_class_insert(khm_tx *tx, const khm_dataset_class *c);
int khm_store_dataset_class_list(khm_tx *tx, khm_dataset_class **out, size_t *n, int *more,
                                 const char *dataset_id, const khm_page *page, khm_arena *a);

int khm_store_agency_insert(khm_tx *tx, const khm_agency *a);
/** By id or slug. KHM_ENOTFOUND when neither matches. */
int khm_store_agency_get(khm_tx *tx, khm_agency *out, const char *id_or_slug, khm_arena *a);
/** Up to page->limit + 1 rows are read to tell whether more follow (*more). */
int khm_store_agency_list(khm_tx *tx, khm_agency **out, size_t *n, int *more, const khm_page *page,
                          khm_arena *a);
/** Number of agencies. */
int khm_store_agency_count(khm_tx *tx, int64_t *out);
/** Names, ministry, parent, contact, DPO and privacy notice of version @p version; *@p new_version
 * set. KHM_ESTALE when the stored version differs, KHM_ENOTFOUND never (stale covers it). */
int khm_store_agency_update(khm_tx *tx, const khm_agency *a, int64_t version, int64_t *new_version);

/* ---- the record of processing activities, PDPA s.39 (khomun/ropa.h) ---- */

/** One processing activity as stored; the s.39 items are the JSON object @p body. */
typedef struct {
    char id[KHM_ID_LEN];
    char agency_id[KHM_ID_LEN];
    const char *code;    /**< unique within the agency */
    const char *name_th; /**< ชื่อกิจกรรมการประมวลผล */
    const char *name_en; /**< or NULL */
    const char *role;    /**< "controller" or "processor" (s.40) */
    const char *body;    /**< the items, a JSON object (ropa.h) */
    int64_t version;     /**< ETag */
    char created_by[KHM_ID_LEN];
    int64_t created_at, updated_at, deleted_at; /**< ms; deleted_at 0 = in the record */
} khm_ropa_row;

/** One refused request or objection written into the record (s.39 item 7). */
typedef struct {
    char id[KHM_ID_LEN];
    char activity_id[KHM_ID_LEN];
    int64_t refused_at;       /**< ms: when the request was refused */
    const char *request_type; /**< access, portability, objection, erasure, restriction, … */
    const char *reason;       /**< why */
    const char *legal_ground; /**< the law or court order relied on */
    const char *request_ref;  /**< the data-subject request's id, or NULL */
    char recorded_by[KHM_ID_LEN];
    int64_t created_at;
} khm_ropa_refusal;

int khm_store_ropa_insert(khm_tx *tx, const khm_ropa_row *r);
/** By id (deleted ones too). KHM_ENOTFOUND when none. */
int khm_store_ropa_get(khm_tx *tx, khm_ropa_row *out, const char *id, khm_arena *a);
/** Code, names, role, body of version @p version; KHM_ESTALE when changed or deleted. */
int khm_store_ropa_update(khm_tx *tx, const khm_ropa_row *r, int64_t version, int64_t *new_version);
/** Take the activity out of the record; as khm_store_ropa_update(). */
int khm_store_ropa_delete(khm_tx *tx, const char *id, int64_t version, int64_t at,
                          int64_t *new_version);
/** Activities in the record of @p agency_id (NULL = every agency), in id order. */
int khm_store_ropa_list(khm_tx *tx, khm_ropa_row **out, size_t *n, int *more, const char *agency_id,
                        const khm_page *page, khm_arena *a);
int khm_store_ropa_refusal_insert(khm_tx *tx, const khm_ropa_refusal *f);
/** The refusals of an activity, oldest first (by id). */
int khm_store_ropa_refusal_list(khm_tx *tx, khm_ropa_refusal **out, size_t *n, int *more,
                                const char *activity_id, const khm_page *page, khm_arena *a);

int khm_store_user_insert(khm_tx *tx, const khm_user *u);
/** By id or name. */
int khm_store_user_get(khm_tx *tx, khm_user *out, const char *id_or_name, khm_arena *a);
/** @p agency_id NULL = all agencies. */
int khm_store_user_list(khm_tx *tx, khm_user **out, size_t *n, int *more, const char *agency_id,
                        const khm_page *page, khm_arena *a);
int khm_store_user_set_disabled(khm_tx *tx, const char *id, int disabled);

int khm_store_token_insert(khm_tx *tx, const khm_token *t);
int khm_store_token_get(khm_tx *tx, khm_token *out, const char *id, khm_arena *a);
/** @p user_id NULL = all users. */
int khm_store_token_list(khm_tx *tx, khm_token **out, size_t *n, int *more, const char *user_id,
                         const khm_page *page, khm_arena *a);
/** Set revoked_at = @p at unless already revoked. KHM_ENOTFOUND for an unknown id. */
int khm_store_token_revoke(khm_tx *tx, const char *id, int64_t at);

/**
 * The token with SHA-256 @p hash_hex, with its user and the user's agency, in one query
 * (the authentication hot path). KHM_ENOTFOUND when no token has that hash.
 */
int khm_store_token_principal(khm_tx *tx, const char *hash_hex, khm_token *tok, khm_user *user,
                              khm_agency *agency, khm_arena *a);

/* ---- PDPA: purposes and consent events (the rules are in pdpa.h) ---- */

/** A processing purpose of an agency (วัตถุประสงค์): its lawful basis and consent text. */
typedef struct {
    char id[KHM_ID_LEN];
    char agency_id[KHM_ID_LEN];
    const char *code;           /**< unique per agency, ^[a-z0-9][a-z0-9._-]{1,63}$ */
    const char *name_th;        /**< Thai name, required */
    const char *name_en;        /**< or NULL */
    const char *description_th; /**< or NULL */
    const char *description_en; /**< or NULL */
    int basis;                  /**< khm_lawful_basis (policy.h) */
    int s26_exception;          /**< khm_s26_exception */
    unsigned sensitive;         /**< s.26 categories used: bit (1u << KHM_SENS_*) (scan.h) */
    const char *categories;     /**< personal-data categories used, a JSON array of strings */
    int retention_days;         /**< how long the data is kept */
    const char *datasets;       /**< the datasets it touches, a JSON array of dataset ids */
    int text_version;           /**< current consent text version, 0 = none */
    int min_version;            /**< consents under an older text no longer count (re-consent) */
    const char *text_th;        /**< current consent text (Thai) or NULL */
    const char *text_en;        /**< current consent text (English) or NULL */
    int64_t version;            /**< ETag: +1 on every change */
    int64_t chg;                /**< change sequence (set by the store) */
    char created_by[KHM_ID_LEN];
    int64_t created_at, updated_at, retired_at; /**< ms; retired_at 0 = in use */
    const char *privacy_notice_url;             /**< the purpose's own privacy notice, or NULL: the
                                                     agency's (its receipts name this one first) */
} khm_purpose_rec;

/** One grant or withdrawal of consent (never updated). */
typedef struct {
    char id[KHM_ID_LEN];
    int64_t seq; /**< change sequence, set by the store */
    char agency_id[KHM_ID_LEN];
    char purpose_id[KHM_ID_LEN];
    char subject[65];              /**< hex HMAC-SHA-256 pseudonym of the subject's identifier */
    const char *subject_type;      /**< "tnin", "email", "phone", "other" */
    int withdraw;                  /**< 0 grant, 1 withdrawal */
    int64_t given_at;              /**< when the subject gave (or withdrew) it, ms */
    int64_t recorded_at;           /**< when it was recorded, ms */
    const char *method;            /**< "written", "electronic", "verbal-recorded" */
    int text_version;              /**< consent text version it was given under */
    int explicit_consent;          /**< explicit consent (s.26) */
    int age;                       /**< age at given_at, -1 unknown */
    const char *given_by;          /**< "subject", "guardian", "subject+guardian" (s.20) */
    char guardian[65];             /**< the guardian's pseudonym, "" when none */
    const char *guardian_relation; /**< or NULL */
    int64_t expires_at;            /**< 0 = does not expire */
    const char *actor;             /**< who recorded it (user id or cli:login) */
    const char *receipt;           /**< the signed consent receipt (JSON) or NULL */
    const char *receipt_error;     /**< not stored: why no receipt could be made (the fields the
                                        agency record lacks, JSON array of field errors) or NULL */
} khm_consent_event;

/** Insert; the store sets p->chg. KHM_EEXISTS when the agency has that code. */
int khm_store_purpose_insert(khm_tx *tx, khm_purpose_rec *p);
/** By id or code within @p agency_id. KHM_ENOTFOUND when neither matches. */
int khm_store_purpose_get(khm_tx *tx, khm_purpose_rec *out, const char *agency_id,
                          const char *id_or_code, khm_arena *a);
int khm_store_purpose_list(khm_tx *tx, khm_purpose_rec **out, size_t *n, int *more,
                           const char *agency_id, const khm_page *page, khm_arena *a);
/** Every field but id, agency, code, created_*, of version @p version; KHM_ESTALE when the
 *  stored version differs. Sets p->chg and *@p new_version. */
int khm_store_purpose_update(khm_tx *tx, khm_purpose_rec *p, int64_t version, int64_t *new_version);
/** Keep consent text version @p version of a purpose. */
int khm_store_purpose_text_insert(khm_tx *tx, const char *purpose_id, int version,
                                  const char *text_th, const char *text_en, int reconsent,
                                  int64_t at);
/** Call @p fn for every purpose (all agencies) changed after change sequence @p chg, in order;
 *  strings are borrowed for the call. Stops at a non-zero return. */
int khm_store_purpose_since(khm_tx *tx, int64_t chg,
                            int (*fn)(const khm_purpose_rec *p, void *payload), void *payload);
/** Insert a consent event; the store sets ev->seq (several in one transaction may be batched:
 *  khm_tx_batch_begin()). Other processes learn of it at commit (khm_store_consent_counter). */
int khm_store_consent_insert(khm_tx *tx, khm_consent_event *ev);
/** The newest event of @p subject for @p purpose_id; KHM_ENOTFOUND when none. */
int khm_store_consent_latest(khm_tx *tx, khm_consent_event *out, const char *purpose_id,
                             const char *subject, khm_arena *a);
/** Every event of @p subject in @p agency_id, in id (time) order, a page at a time. */
int khm_store_consent_history(khm_tx *tx, khm_consent_event **out, size_t *n, int *more,
                              const char *agency_id, const char *subject, const khm_page *page,
                              khm_arena *a);
/** Call @p fn for every event of @p subject for @p purpose_id, in seq order (the order the
 *  consent index applies them; strings borrowed). Stops at a non-zero return. */
int khm_store_consent_pair(khm_tx *tx, const char *purpose_id, const char *subject,
                           int (*fn)(const khm_consent_event *ev, void *payload), void *payload);
/** Call @p fn for up to @p limit events with seq > @p after in seq order (strings borrowed);
 *  *@p last receives the last seq seen (unchanged when none). Stops at a non-zero return. */
int khm_store_consent_since(khm_tx *tx, int64_t after, size_t limit, int64_t *last,
                            int (*fn)(const khm_consent_event *ev, void *payload), void *payload);
/** khm_store_consent_since with what a cache of consent states folds (id, seq, agency,
 *  purpose, subject, action, text version, explicit flag, expiry): the other strings are empty,
 *  age -1, times 0, and the receipt NULL, so that reading millions of events for the consent
 *  index leaves the receipts on disk. */
int khm_store_consent_fold_since(khm_tx *tx, int64_t after, size_t limit, int64_t *last,
                                 int (*fn)(const khm_consent_event *ev, void *payload),
                                 void *payload);

/**
 * The consent change counter: one atomic load. It advances after every commit that changed a
 * purpose or a consent, in this process, and (SQLite: the mapping beside the file; PostgreSQL:
 * once khm_store_consent_watch() runs, by LISTEN/NOTIFY) in every other process on the
 * database. A cache of consents re-reads what changed (khm_store_*_since) when it moves.
 */
uint64_t khm_store_consent_counter(const khm_store *s);

/** The newest consent event sequence and purpose change sequence committed (0 when none), in
 *  one statement: what a cache compares with what it applied when the counter alone cannot
 *  say (khm_store_epoch_shared() is 0: PostgreSQL). */
int khm_store_consent_heads(khm_tx *tx, int64_t *consent_seq, int64_t *purpose_chg);

/** Start watching other processes' consent changes (PostgreSQL: a background connection that
 *  LISTENs; it reconnects by itself and advances the counter after each reconnect, as changes
 *  may have been missed). A no-op on SQLite; idempotent; stopped by khm_store_close(). */
int khm_store_consent_watch(khm_store *s);

/* ---- audit trail rows (the chain logic is in audit.h) ---- */

/** One audit event as stored. Strings borrowed (valid until the next row / the arena's end). */
typedef struct {
    int64_t seq;              /**< position in the chain, 1-based, contiguous */
    char id[KHM_ID_LEN];      /**< UUIDv7 */
    int64_t ts;               /**< ms since epoch */
    const char *actor_user;   /**< user id, "cli:<name>", or NULL (anonymous) */
    const char *actor_agency; /**< agency id or NULL */
    const char *token_id;     /**< token id or NULL */
    const char *action;       /**< event name, e.g. "agency.create" */
    const char *target;       /**< "agency/<id>", a path, or NULL */
    const char *purpose;      /**< purpose code or NULL */
    const char *outcome;      /**< "success", "denied", "failure", "error" */
    int status;               /**< HTTP status or CLI exit code */
    const char *reasons;      /**< why (rule, message) or NULL */
    const char *request_id;   /**< or NULL */
    const char *client;       /**< client address, "cli", or NULL */
    char prev_hash[65];       /**< hex SHA-256 of the previous event (64 zeros for the first) */
    char hash[65];            /**< hex SHA-256(prev_hash bytes ‖ canonical event) */
} khm_audit_row;

/** A signed checkpoint: the chain head at event_seq, signed with the server's Ed25519 key. */
typedef struct {
    int64_t seq;         /**< checkpoint number, 1-based */
    int64_t event_seq;   /**< the event it covers (the head when it was made) */
    char event_hash[65]; /**< that event's hash */
    int64_t ts;          /**< ms */
    char signature[129]; /**< hex Ed25519 signature over khm_audit_checkpoint_message() */
    char public_key[65]; /**< hex public key that made it */
} khm_audit_checkpoint_row;

/**
 * The chain head: the newest event; when there is none, the newest archive anchor (events were
 * archived), or *@p seq 0 and 64 zeros (an empty chain).
 */
int khm_store_audit_head(khm_tx *tx, int64_t *seq, char hash[65]);
int khm_store_audit_insert(khm_tx *tx, const khm_audit_row *r);
/** Call @p fn for each event with from ≤ seq ≤ to in order; stops at a non-zero return. */
int khm_store_audit_each(khm_tx *tx, int64_t from, int64_t to,
                         int (*fn)(const khm_audit_row *r, void *payload), void *payload);
/** Events stored and the largest seq. */
int khm_store_audit_count(khm_tx *tx, int64_t *count, int64_t *max_seq);
int khm_store_audit_checkpoint_insert(khm_tx *tx, const khm_audit_checkpoint_row *c);
/** The newest checkpoint; KHM_ENOTFOUND when none. */
int khm_store_audit_checkpoint_last(khm_tx *tx, khm_audit_checkpoint_row *c);
/** Each checkpoint covering event_seq ≥ @p from, in order. */
int khm_store_audit_checkpoint_each(khm_tx *tx, int64_t from,
                                    int (*fn)(const khm_audit_checkpoint_row *c, void *payload),
                                    void *payload);
/** The newest checkpoint covering an event ≤ @p event_seq; KHM_ENOTFOUND when none. */
int khm_store_audit_checkpoint_at(khm_tx *tx, int64_t event_seq, khm_audit_checkpoint_row *c);

/** One archive of the oldest events (khm_audit_archive): the anchor the chain continues from. */
typedef struct {
    int64_t seq;            /**< archive number, 1-based */
    int64_t first_seq;      /**< first event this archive holds */
    int64_t event_seq;      /**< the anchor: the last event archived */
    char event_hash[65];    /**< its hash (= the event_hash of checkpoint checkpoint_seq) */
    int64_t checkpoint_seq; /**< the signed checkpoint at event_seq, kept in the store */
    int64_t ts;             /**< ms */
    const char *file;       /**< the archive file's name as given (NULL unless an arena is given) */
    char signature[129];    /**< hex Ed25519 signature over khm_audit_archive_message() */
    char public_key[65];    /**< hex public key that made it */
} khm_audit_archive_row;

/** The newest archive (@p a, if not NULL, receives its file name); KHM_ENOTFOUND when none. */
int khm_store_audit_archive_last(khm_tx *tx, khm_audit_archive_row *out, khm_arena *a);
int khm_store_audit_archive_insert(khm_tx *tx, const khm_audit_archive_row *r);
/**
 * Delete the events with seq ≤ @p through and the checkpoints with event_seq < @p through
 * (the checkpoint at @p through stays: it signs the archive anchor).
 */
int khm_store_audit_prune(khm_tx *tx, int64_t through);

/** Filters of khm_store_audit_list (NULL / 0 = any). */
typedef struct {
    const char *actor_user;
    const char *target;
    const char *action;
    int64_t since;      /**< ts ≥ since (ms) */
    int64_t until;      /**< ts < until (ms); 0 = no bound */
    int64_t before_seq; /**< page cursor: seq < before_seq; 0 = newest */
    size_t limit;       /**< 1..500 */
} khm_audit_filter;

/** Newest first; *@p more when another page follows. */
int khm_store_audit_list(khm_tx *tx, khm_audit_row **out, size_t *n, int *more,
                         const khm_audit_filter *f, khm_arena *a);

#ifdef __cplusplus
}
#endif
#endif
