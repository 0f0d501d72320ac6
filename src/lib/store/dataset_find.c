/* Listing and searching datasets (khm_store_dataset_find): one statement per shape of request —
 * order, listing or search, which filters can lead the plan, first or next page — made from the
 * fixed fragments below (never from user text) when first used, and kept with the connection.
 *
 * The shape matters to the planner: a listing narrowed to an agency starts from the agency's
 * index, one narrowed to a tag from dataset_tag, an unfiltered one walks the index of its order;
 * the other filters are guards bound to NULL when not given. Every statement picks the page's
 * ids and sort keys first (a narrow sort: the key and the id) and reads the whole rows of that
 * page only, so a search that matches 30,000 datasets sorts 30,000 (key, id) pairs, not 30,000
 * metadata objects; a search without filters ranked by relevance does not read the dataset
 * table at all until the page is known (archived datasets are never in the index).
 *
 * A search by relevance is not one of those statements: it asks the index for each tier in turn
 * (store_internal.h: the words in the title, then title and tags, …, then anywhere; within a
 * tier the most recently indexed first), the filters as facet terms of the same query, and
 * stops as soon as the page is full — the index walks its entries in that order, so a word in
 * every dataset costs what a rare one does. The page's rows are read last, by entry.
 *
 * Pages are keyset pages: a row is continued after by its sort key and id, both returned with
 * it; relevance's key is tier * KHM_TIER_SPAN - entry, an integer. Text keys compare bytes
 * (COLLATE "C" on PostgreSQL: SQLite's BINARY). */
#include "store_internal.h"

#include <khomun/err.h>
#include <khomun/rand.h>
#include <khomun/segment.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D (tx->s->drv)

/* A tag of at most this many datasets leads a listing's plan (its datasets are read and
 * sorted); a more common one is checked on the walk of the order's index. Break-even on
 * bench/catalog's 100,000 datasets: a row read ~3 µs, an index entry and tag probe ~1.5 µs. */
#define TAG_LEAD_MAX 2000

/* what a statement's parameters are, in order (P_FILTER: KHM_SQL_DATASET_FILTER_PARAMS of them) */
enum { P_TEXT, P_TAG, P_AGENCY, P_FILTER, P_FACETS, P_AFTER_KEY, P_AFTER_ID, P_LIMIT, P__MAX = 8 };

typedef struct {
    char sql[4096];
    size_t len;
    int plan[P__MAX];
    int nplan;
} stmt_text;

static void put(stmt_text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n < sizeof(t->sql)) { /* (the longest shape is about 1,500 bytes) */
        memcpy(t->sql + t->len, s, n + 1);
        t->len += n;
    }
}

static void param(stmt_text *t, int p)
{
    t->plan[t->nplan++] = p;
}

static int descending(int sort)
{
    return sort == KHM_DSORT_NAME_DESC || sort == KHM_DSORT_TITLE_DESC ||
           sort == KHM_DSORT_UPDATED_DESC;
}

/* The order's key on this backend; @p entry: a search on PostgreSQL, whose entries carry
 * their dataset's keys (migration 15: the text ones in COLLATE "C" already). */
static const char *key_of(int sort, int pg, int entry)
{
    if (pg && entry)
        return sort == KHM_DSORT_NAME || sort == KHM_DSORT_NAME_DESC     ? "s.slug"
               : sort == KHM_DSORT_TITLE || sort == KHM_DSORT_TITLE_DESC ? "s.title"
                                                                         : "s.updated_at";
    switch (sort) {
    case KHM_DSORT_NAME:
    case KHM_DSORT_NAME_DESC:
        return pg ? "d.slug COLLATE \"C\"" : "d.slug";
    case KHM_DSORT_TITLE:
    case KHM_DSORT_TITLE_DESC:
        return pg ? "d.title COLLATE \"C\"" : "d.title";
    default:
        return "d.updated_at";
    }
}

/* 1 when the order's key is an integer (bound and compared as one) */
static int int_key(int sort)
{
    return sort == KHM_DSORT_RELEVANCE || sort == KHM_DSORT_UPDATED ||
           sort == KHM_DSORT_UPDATED_DESC;
}

/*
 * The statement of one shape: @p text a search, @p lead_agency / @p lead_tag (listings) the
 * agency or tag leads the plan, @p joined (searches) the dataset row is needed before the page
 * is known (a filter, or an order other than relevance), @p after a next page.
 * A search on PostgreSQL never needs the row before its page: its entries carry the sort keys
 * and the filters as facets (migration 15), so its matches are sorted, or the order's index of
 * the entries walked, without reading a dataset row (a row is mostly its metadata, ~1.5 KB).
 */
static void build(stmt_text *t, int sort, int pg, int text, int lead_agency, int lead_tag,
                  int joined, int after, int fenced)
{
    const char *key = key_of(sort, pg, text), *dir = descending(sort) ? " DESC" : "";
    const char *id = text ? "s.dataset_id" : "d.id";
    /* the name is unique: it orders alone */
    int by_name = sort == KHM_DSORT_NAME || sort == KHM_DSORT_NAME_DESC;
    char frag[512];
    t->len = 0;
    t->sql[0] = '\0';
    t->nplan = 0;
    put(t, "SELECT p.k, " KHM_SQL_DATASET_D_COLS " FROM (SELECT ");
    if (fenced) /* the matches first (OFFSET 0: not walked in the order), then sorted */
        put(t, "k, i FROM (SELECT ");
    put(t, key);
    snprintf(frag, sizeof(frag), " AS k, %s AS i FROM ", id);
    put(t, frag);
    if (text && pg) {
        put(t, "dataset_search s WHERE s.doc @@ to_tsquery('simple', ?)");
        param(t, P_TEXT);
        put(t, " AND (CAST(? AS TEXT) = '' OR s.facets @@ to_tsquery('simple', ?))");
        param(t, P_FACETS);
    } else if (text) {
        put(t, "dataset_fts JOIN dataset_search s ON s.n = dataset_fts.rowid");
        if (joined)
            put(t, " JOIN dataset d ON d.id = s.dataset_id");
        put(t, " WHERE dataset_fts MATCH ?");
        param(t, P_TEXT);
    } else {
        put(t, "dataset d");
        if (lead_tag) {
            put(t, " JOIN dataset_tag t ON t.dataset_id = d.id AND t.tag = ?");
            param(t, P_TAG);
        }
        put(t, " WHERE d.archived_at IS NULL");
        if (lead_agency) {
            put(t, " AND d.agency_id = ?");
            param(t, P_AGENCY);
        }
    }
    if (!text || (joined && !pg)) {
        if (text)
            put(t, " AND d.archived_at IS NULL");
        put(t, " AND " KHM_SQL_DATASET_FILTER);
        param(t, P_FILTER);
    }
    if (after) {
        if (by_name) {
            snprintf(frag, sizeof(frag), " AND %s %c ?", key, *dir ? '<' : '>');
            put(t, frag);
            param(t, P_AFTER_KEY);
        } else {
            put(t, " AND (");
            put(t, key);
            snprintf(frag, sizeof(frag), ", %s) %c (?, ?)", id, *dir ? '<' : '>');
            put(t, frag);
            param(t, P_AFTER_KEY);
            param(t, P_AFTER_ID);
        }
    }
    if (fenced)
        put(t, " OFFSET 0) m");
    if (by_name)
        snprintf(frag, sizeof(frag),
                 " ORDER BY k%s LIMIT ?) p JOIN dataset d ON d.id = p.i "
                 "ORDER BY p.k%s",
                 dir, dir);
    else
        snprintf(frag, sizeof(frag),
                 " ORDER BY k%s, i%s LIMIT ?) p JOIN dataset d ON d.id = p.i "
                 "ORDER BY p.k%s, p.i%s",
                 dir, dir, dir, dir);
    put(t, frag);
    param(t, P_LIMIT);
}

static const char *const sort_names[KHM_DSORT__COUNT] = {
    [KHM_DSORT_RELEVANCE] = "relevance",   [KHM_DSORT_NAME] = "name",
    [KHM_DSORT_NAME_DESC] = "-name",       [KHM_DSORT_TITLE] = "title",
    [KHM_DSORT_TITLE_DESC] = "-title",     [KHM_DSORT_UPDATED] = "updated",
    [KHM_DSORT_UPDATED_DESC] = "-updated",
};

const char *khm_dataset_sort_name(int sort)
{
    return sort >= 0 && sort < KHM_DSORT__COUNT ? sort_names[sort] : "?";
}

static int bad_sort(void)
{
    return khm_err_field("sort",
                         "การเรียงลำดับไม่ถูกต้อง ใช้ได้: relevance (เมื่อค้นหา), name, -name, title, "
                         "-title, updated, -updated",
                         "unknown order: relevance (a search), name, -name, title, -title, "
                         "updated or -updated");
}

static int relevance_needs_words(void)
{
    return khm_err_field("sort", "เรียงตามความเกี่ยวข้อง (relevance) ได้เฉพาะเมื่อค้นหาด้วยคำ (q)",
                         "relevance orders a search: give q, or another order");
}

int khm_dataset_sort_parse(const char *s, int search, int *out)
{
    if (!s) {
        *out = search ? KHM_DSORT_RELEVANCE : KHM_DSORT_NAME;
        return 0;
    }
    for (int i = 0; i < KHM_DSORT__COUNT; i++)
        if (strcmp(s, sort_names[i]) == 0) {
            if (i == KHM_DSORT_RELEVANCE && !search)
                return relevance_needs_words();
            *out = i;
            return 0;
        }
    return bad_sort();
}

/*
 * SQLite: the entries of a search by relevance, each with its tier (khm_tier), in two walks
 * instead of one query per tier (which read the matches once per tier, and twice for a tier's
 * "not in the tier before"):
 *   1. tiers 1-3 in one pass over the head index (migration 13: title, tags, agency names),
 *      whose entries are those with every word in those parts only;
 *   2. when the page is not full yet, tier 4 from the full index, the latest first, leaving
 *      out the entries of tiers 1-3, until it is.
 * Within a walk the rows of each tier come in their final order, so each tier keeps its first
 * limit + 1 after the cursor, and a walk stops as soon as its lowest tier still to come has
 * that many (the page is then that tier's) or, in 2, the page is full.
 * Fills @p ns / @p tiers (limit + 1 entries at most) in relevance order.
 */
static int ranked_walk(khm_tx *tx, khm_qid qid, const char *match, int words, const khm_buf *facets,
                       int64_t below, int low, int high, int64_t after_k, int after, size_t want,
                       int64_t **by_tier, size_t *count)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, qid, &st);
    if (rc < 0)
        return rc;
    D->bind_int64(st, 1, words);
    D->bind_text(st, 2, match);
    D->bind_text(st, 3, facets->ptr);
    D->bind_text(st, 4, facets->ptr);
    D->bind_int64(st, 5, below);
    while (count[low] < want && (rc = D->step(st)) == 1) {
        int64_t n = D->col_int64(st, 0);
        int t = (int)D->col_int64(st, 1);
        if (t < low || t > high || count[t] == want ||
            (after && (int64_t)t * KHM_TIER_SPAN - n <= after_k))
            continue;
        by_tier[t][count[t]++] = n;
    }
    D->reset(st);
    return rc < 0 ? rc : 0;
}

static int ranked_pass(khm_tx *tx, const khm_dataset_query *q, int64_t after_k,
                       const khm_buf *facets, khm_buf *match, int64_t *ns, int *tiers, size_t *got,
                       khm_arena *a)
{
    size_t want = q->limit + 1, count[KHM_SEARCH_TIERS + 1] = { 0 };
    int64_t *by_tier[KHM_SEARCH_TIERS + 1] = { NULL };
    int after = q->after_key != NULL;
    /* the lowest tier with entries after the cursor: key t * SPAN - n > after_k, n >= 1 */
    int low = after ? (int)(after_k / KHM_TIER_SPAN) + 1 : 1;
    int words = khm_store__search_words(q->text), rc = words < 0 ? words : 0;
    if (low < 1)
        low = 1;
    for (int t = low; rc == 0 && t <= KHM_SEARCH_TIERS; t++)
        if (!(by_tier[t] = khm_arena_calloc(a, want, sizeof(int64_t))))
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
    *got = 0;
    if (rc < 0 || low > KHM_SEARCH_TIERS)
        return rc;
    if (low < KHM_SEARCH_TIERS) { /* 1. tiers low..3, the head index */
        khm_buf_reset(match);
        /* a cursor in tier 3 bounds the walk: only the entries before it are after it */
        int64_t below = after && low == KHM_SEARCH_TIERS - 1
                            ? (int64_t)low * KHM_TIER_SPAN - after_k
                            : INT64_MAX;
        if ((rc = khm_store__head_query(q->text, match)) < 0 ||
            (rc = ranked_walk(tx, KHM_Q_SEARCH_HEAD, match->ptr, words, facets, below, low,
                              KHM_SEARCH_TIERS - 1, after_k, after, want, by_tier, count)) < 0)
            return rc;
    }
    for (int t = low; t < KHM_SEARCH_TIERS && *got < want; t++)
        for (size_t i = 0; i < count[t] && *got < want; i++) {
            tiers[*got] = t;
            ns[(*got)++] = by_tier[t][i];
        }
    if (*got < want) { /* 2. tier 4, the full index, as many as the page still needs */
        int64_t below = after && low == KHM_SEARCH_TIERS
                            ? (int64_t)KHM_SEARCH_TIERS * KHM_TIER_SPAN - after_k
                            : INT64_MAX;
        int t = KHM_SEARCH_TIERS;
        khm_buf_reset(match);
        if ((rc = khm_store__tier_query(q->text, 0, 0, match)) < 0 ||
            (rc = ranked_walk(tx, KHM_Q_SEARCH_RANKED, match->ptr, words, facets, below, t, t,
                              after_k, after, want - *got, by_tier, count)) < 0)
            return rc;
        for (size_t i = 0; i < count[t]; i++) {
            tiers[*got] = t;
            ns[(*got)++] = by_tier[t][i];
        }
    }
    return 0;
}

/*
 * PostgreSQL: the entries of a search by relevance in at most three statements, as many as the
 * page needs: tier 1 alone (the words in t1, the title's, migration 15: a common word's page is
 * found walking the entries latest first); tiers 2-3 in one scan of the entries with every
 * word in t3 (title, tags, agency names), each given its tier (KHM_Q_SEARCH_REST); tier 4, the
 * words anywhere but not all in t3, latest first — where a statement per tier scanned every
 * entry with the words anywhere once per tier, and again for its "not in the tier before".
 * Every statement asks for the words without weights (tier 0's tsquery text) of a column of
 * its tier's parts: the GIN index answers that without reading the rows (a weighted word it
 * answers with candidates, each row read to check its words' weights).
 */
static int ranked_pg(khm_tx *tx, const khm_dataset_query *q, int64_t after_k, const khm_buf *facets,
                     khm_buf *match, int64_t *ns, int *tiers, size_t *got)
{
    size_t want = q->limit + 1;
    int after = q->after_key != NULL;
    int low = after ? (int)(after_k / KHM_TIER_SPAN) + 1 : 1;
    int rc = 0;
    khm_stmt *st;
    *got = 0;
    if (low < 1)
        low = 1;
    if (low > KHM_SEARCH_TIERS)
        return 0;
    khm_buf_reset(match);
    if ((rc = khm_store__tier_cols_query(q->text, 0, 1, match)) < 0)
        return rc;
    if (low == 1) {
        if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_TIER, &st)) < 0)
            return rc;
        D->bind_text(st, 1, match->ptr);
        D->bind_text(st, 2, facets->ptr);
        D->bind_text(st, 3, facets->ptr);
        D->bind_int64(st, 4, after ? KHM_TIER_SPAN - after_k : INT64_MAX);
        D->bind_int64(st, 5, (int64_t)want);
        while ((rc = D->step(st)) == 1) {
            tiers[*got] = 1;
            ns[(*got)++] = D->col_int64(st, 0);
        }
        D->reset(st);
        if (rc < 0 || *got == want)
            return rc < 0 ? rc : 0;
    }
    int from = low > 2 ? low : 2;
    if (from < KHM_SEARCH_TIERS) { /* tiers 2-3, t3 */
        if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_REST, &st)) < 0)
            return rc;
        for (int k = 1; k <= 4; k++) /* t1, t2, t3 for the tier; t3 for the entries */
            D->bind_text(st, k, match->ptr);
        D->bind_text(st, 5, facets->ptr);
        D->bind_text(st, 6, facets->ptr);
        D->bind_int64(st, 7, from);
        D->bind_int64(st, 8, from);
        /* the cursor's entry bounds its own tier only */
        D->bind_int64(st, 9,
                      after && low == from ? (int64_t)from * KHM_TIER_SPAN - after_k : INT64_MAX);
        D->bind_int64(st, 10, (int64_t)(want - *got));
        while (*got < want && (rc = D->step(st)) == 1) {
            tiers[*got] = (int)D->col_int64(st, 1);
            ns[(*got)++] = D->col_int64(st, 0);
        }
        D->reset(st);
        if (rc < 0 || *got == want)
            return rc < 0 ? rc : 0;
    }
    /* tier 4: the words anywhere, not all in t3 */
    if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_TIER4, &st)) < 0)
        return rc;
    D->bind_text(st, 1, match->ptr);
    D->bind_text(st, 2, match->ptr);
    D->bind_text(st, 3, facets->ptr);
    D->bind_text(st, 4, facets->ptr);
    D->bind_int64(st, 5,
                  after && low == KHM_SEARCH_TIERS
                      ? (int64_t)KHM_SEARCH_TIERS * KHM_TIER_SPAN - after_k
                      : INT64_MAX);
    D->bind_int64(st, 6, (int64_t)(want - *got));
    while (*got < want && (rc = D->step(st)) == 1) {
        tiers[*got] = KHM_SEARCH_TIERS;
        ns[(*got)++] = D->col_int64(st, 0);
    }
    D->reset(st);
    return rc < 0 ? rc : 0;
}

/* A search by relevance: the tiers in turn, each from the entry after the cursor's, until the
 * page and one more are found; then the page's rows. */
static int find_relevance(khm_tx *tx, const khm_dataset_query *q, int64_t after_k,
                          khm_dataset **out, const char ***keys, size_t *n, int *more, khm_arena *a)
{
    const khm_dataset_filter *f = &q->filter;
    int pg = khm_store__is_pg(tx->s), rc;
    int personal = f->personal < 0 ? -1 : f->personal != 0;
    khm_buf facets = KHM_BUF_INIT(64 * 1024), match = KHM_BUF_INIT(64 * 1024);
    int64_t *ns = khm_arena_calloc(a, q->limit + 1, sizeof(*ns));
    int *tiers = khm_arena_calloc(a, q->limit + 1, sizeof(*tiers));
    size_t got = 0;
    rc = ns && tiers ? khm_store__facets(&facets, pg, 1, f->agency_id, f->category, f->level,
                                         f->data_type, personal, f->tag)
                     : khm_err_set(KHM_ENOMEM, "out of memory");
    if (rc == 0 && !pg)
        rc = ranked_pass(tx, q, after_k, &facets, &match, ns, tiers, &got, a);
    if (rc == 0 && pg)
        rc = ranked_pg(tx, q, after_k, &facets, &match, ns, tiers, &got);
    khm_buf_dispose(&facets);
    khm_buf_dispose(&match);
    khm_dataset *items = rc == 0 ? khm_arena_calloc(a, q->limit, sizeof(*items)) : NULL;
    const char **ks = items ? khm_arena_calloc(a, q->limit, sizeof(*ks)) : NULL;
    if (rc == 0 && !ks)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    /* the page's rows in one statement (one round trip on PostgreSQL), put back in order */
    size_t want = got < q->limit ? got : q->limit, count = 0;
    khm_dataset *rows = rc == 0 ? khm_arena_calloc(a, want + 1, sizeof(*rows)) : NULL;
    int64_t *row_n = rows ? khm_arena_calloc(a, want + 1, sizeof(*row_n)) : NULL;
    khm_buf list = KHM_BUF_INIT(64 * 1024);
    if (rc == 0 && want && !row_n)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < want; i++)
        rc = khm_buf_printf(&list, "%s%lld", i ? "," : "[", (long long)ns[i]);
    if (rc == 0 && want && (rc = khm_buf_putc(&list, ']')) == 0) {
        khm_stmt *st;
        size_t m = 0;
        if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_ROWS, &st)) == 0) {
            D->bind_text(st, 1, list.ptr);
            while (m < want && (rc = D->step(st)) == 1) {
                row_n[m] = D->col_int64(st, 0);
                if ((rc = khm_store__read_dataset(tx, st, 1, &rows[m], a)) < 0)
                    break;
                m++;
            }
            D->reset(st);
        }
        /* (an entry whose dataset is not live has no row: it is left out) */
        for (size_t i = 0; rc >= 0 && i < want; i++)
            for (size_t j = 0; j < m; j++)
                if (row_n[j] == ns[i]) {
                    items[count] = rows[j];
                    ks[count] = khm_arena_printf(
                        a, "%lld", (long long)((int64_t)tiers[i] * KHM_TIER_SPAN - ns[i]));
                    if (!ks[count++])
                        rc = khm_err_set(KHM_ENOMEM, "out of memory");
                    break;
                }
    }
    khm_buf_dispose(&list);
    if (rc < 0)
        return rc;
    *out = items;
    *keys = ks;
    *n = count;
    *more = got > q->limit;
    return 0;
}

/* PostgreSQL: a search by another order than relevance walks the order's index of the entries
 * only when the planner estimates that many matches E of the N entries that E * E is at least
 * PG_WALK_RATIO * (page + 1) * N: walking passes N / E entries a match, each ~9 us (its words
 * read out of line), where sorting the matches reads each once, ~1 us — break-even where
 * (page + 1) * N / E * 9 = E (bench/catalog, 100,000 datasets: ~9,500 matches). Below it the
 * statement sorts the matches (fenced); the planner alone walked for 2,400 (55 ms). */
#define PG_WALK_RATIO 9.0

/* PostgreSQL: *@p walk 1 when the matches of @p words and @p facets are many enough to walk
 * the order's index (PG_WALK_RATIO), from the planner's estimates (KHM_Q_SEARCH_ESTIMATE). */
static int pg_walk(khm_tx *tx, const char *words, const char *facets, size_t page, int *walk)
{
    khm_stmt *st;
    double all = 0, e = -1;
    int rc = khm_store__stmt(tx, KHM_Q_SEARCH_ESTIMATE, &st);
    *walk = 0;
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, words);
    D->bind_text(st, 2, facets);
    D->bind_text(st, 3, facets);
    if ((rc = D->step(st)) == 1) {
        const char *j = D->col_text(st, 0), *p = j ? strstr(j, "\"Plan Rows\":") : NULL;
        if (p) { /* the Append's (all of both), then its first child's (the matches) */
            all = strtod(p + 12, NULL);
            if ((p = strstr(p + 12, "\"Plan Rows\":")))
                e = strtod(p + 12, NULL);
        }
        rc = 0;
    }
    D->reset(st);
    if (rc < 0)
        return rc;
    if (e >= 0 && all >= e) /* (no estimate read: the matches are sorted) */
        *walk = e * e >= PG_WALK_RATIO * (double)(page + 1) * (all - e);
    return 0;
}

/* A search by another order than relevance with at least this many matches walks the order's
 * index (SQLite); with fewer, joining each match to its dataset row to sort them costs less
 * (bench/catalog). */
#define WALK_MIN_MATCHES 2000

/* The walk's statement: the order's key, id and entry (n) of every live dataset with an entry,
 * in the order, after the cursor. By name or title from the entries' index of the order
 * (migration 16: they carry their dataset's keys; only live datasets have one); by change time
 * the dataset's index, each row joined to its entry. */
static int walk_stmt(khm_tx *tx, const khm_dataset_query *q, khm_stmt **out)
{
    int sort = q->sort, after = q->after_key != NULL, rc;
    int by_name = sort == KHM_DSORT_NAME || sort == KHM_DSORT_NAME_DESC;
    int by_time = sort == KHM_DSORT_UPDATED || sort == KHM_DSORT_UPDATED_DESC;
    const char *key = by_name ? "s.k_slug" : by_time ? "d.updated_at" : "s.k_title";
    const char *id = by_time ? "d.id" : "s.dataset_id", *dir = descending(sort) ? " DESC" : "";
    khm_slot *sl = tx->slot;
    size_t v = (size_t)(KHM_FIND_VARIANTS - KHM_FIND_WALKS) + (size_t)(sort * 2 + after);
    if (!sl->find[v]) {
        char sql[1024];
        int len = snprintf(sql, sizeof(sql),
                           by_time ? "SELECT %s, %s, s.n FROM dataset d JOIN dataset_search s ON "
                                     "s.dataset_id = d.id WHERE d.archived_at IS NULL"
                                   : "SELECT %s, %s, s.n FROM dataset_search s WHERE 1",
                           key, id);
        if (after && by_name)
            len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND %s %c ?", key,
                            *dir ? '<' : '>');
        else if (after)
            len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND (%s, %s) %c (?, ?)", key,
                            id, *dir ? '<' : '>');
        if (by_name)
            snprintf(sql + len, sizeof(sql) - (size_t)len, " ORDER BY %s%s", key, dir);
        else
            snprintf(sql + len, sizeof(sql) - (size_t)len, " ORDER BY %s%s, %s%s", key, dir, id,
                     dir);
        if ((rc = D->prepare(sl->conn, sql, &sl->find[v])) < 0)
            return rc;
    }
    *out = sl->find[v];
    if (after) {
        if (int_key(sort))
            D->bind_int64(*out, 1, strtoll(q->after_key, NULL, 10));
        else
            D->bind_text(*out, 1, q->after_key);
        if (!by_name)
            D->bind_text(*out, 2, q->after_id);
    }
    return 0;
}

/* An entry's match asked of the index alone (KHM_Q_SEARCH_MATCH_ONE, ~20 us: the query parsed
 * again) costs what reading this many matches in order does (~0.1 us each, bench/catalog) */
#define POINT_MATCHES 200

/* the matches, read as the walk needs them: marked in a bitmap of entries, in the order of n
 * (down: the latest first); edge, the last read: every match beyond it in that order is marked.
 * An entry is asked of the index alone when reading up to it costs more (d * gap matches at
 * density d, the matches per entry read so far) and asking for each row still wanted (left / d
 * questions) costs less than reading all the rest: a common word by name or title, whose walk's
 * n are anywhere. Never for a
 * last word matched as a prefix (each question would merge its terms' lists again: ms). */
typedef struct {
    khm_stmt *st;
    unsigned char *marks;
    int64_t max_n, edge, count;
    int down, done, ask;
    const char *match, *facets; /* the query, for the questions (ask: allowed) */
} match_reader;

static int reader_next(khm_tx *tx, match_reader *m, int64_t *e)
{
    int rc = D->step(m->st);
    if (rc != 1) {
        m->done = 1;
        return rc < 0 ? rc : 0;
    }
    *e = D->col_int64(m->st, 0);
    m->edge = *e;
    if (*e >= 1 && *e <= m->max_n) {
        m->marks[*e / 8] |= (unsigned char)(1u << (*e % 8));
        m->count++;
    }
    return 1;
}

/* 1 when entry @p e matches, reading the matches up to it or asking; @p left: rows wanted */
static int reader_has(khm_tx *tx, match_reader *m, int64_t e, size_t left)
{
    int64_t x;
    int rc;
    if (e < 1 || e > m->max_n)
        return 0;
    /* d = count / read; the rest: d * (entries not read) */
    int64_t read = m->down ? m->max_n + 1 - m->edge : m->edge;
    int64_t gap = m->down ? m->edge - e : e - m->edge, rest = m->max_n - read;
    double d = read > 0 ? (double)m->count / (double)read : 0;
    if (m->ask && !m->done && gap > 0 && d * (double)gap > POINT_MATCHES &&
        (double)left * POINT_MATCHES < d * d * (double)rest) {
        khm_stmt *st;
        if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_MATCH_ONE, &st)) < 0)
            return rc;
        D->bind_text(st, 1, m->match);
        D->bind_text(st, 2, m->facets);
        D->bind_text(st, 3, m->facets);
        D->bind_int64(st, 4, e);
        rc = D->step(st);
        D->reset(st);
        return rc;
    }
    while (!m->done && (m->down ? e < m->edge : e > m->edge) && (rc = reader_next(tx, m, &x)) != 0)
        if (rc < 0)
            return rc;
    return (m->marks[e / 8] & (1u << (e % 8))) != 0;
}

/*
 * SQLite: a search by name, title or change time whose words and filters match at least
 * WALK_MIN_MATCHES entries: walk the order's covering index with each dataset's entry, keeping
 * the rows whose entries match until the page and one more are found, then read the page's
 * rows — where sorting every match read every matching row (a quarter of a second for a word
 * in every dataset). The matches are read in the order of n as the walk needs them (a row's n
 * is known to match or not once they are read past it, or asked: match_reader), in the order's
 * direction: the latest first for a descending order — each write of a dataset indexes it
 * again, so its n follows its change time, and a common word's page by change time reads the
 * page's few matches, not all (4.5 ms for a word of 100,000 datasets). The first
 * WALK_MIN_MATCHES are read before the walk: *@p done 0 when they are all, the caller sorts
 * them.
 */
static int find_walk(khm_tx *tx, const khm_dataset_query *q, int *done, khm_dataset **out,
                     const char ***keys, size_t *n, int *more, khm_arena *a)
{
    const khm_dataset_filter *f = &q->filter;
    int personal = f->personal < 0 ? -1 : f->personal != 0, rc, sort = q->sort;
    khm_buf facets = KHM_BUF_INIT(64 * 1024), match = KHM_BUF_INIT(64 * 1024);
    match_reader mr = { 0 };
    size_t want = q->limit + 1, got = 0;
    khm_stmt *st;
    *done = 0;
    mr.down = descending(sort);
    rc = khm_store__facets(&facets, 0, 1, f->agency_id, f->category, f->level, f->data_type,
                           personal, f->tag);
    if (rc == 0 && (rc = khm_store__stmt(tx, KHM_Q_SEARCH_MAX_N, &st)) == 0) {
        if ((rc = D->step(st)) == 1)
            mr.max_n = D->col_int64(st, 0);
        D->reset(st);
    }
    mr.edge = mr.down ? mr.max_n + 1 : 0;
    if (rc >= 0 && !(mr.marks = khm_arena_calloc(a, (size_t)(mr.max_n / 8 + 1), 1)))
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    if (rc >= 0 && (rc = khm_store__tier_query(q->text, 0, 0, &match)) == 0 &&
        (rc = khm_store__stmt(tx, mr.down ? KHM_Q_SEARCH_MATCHES_DOWN : KHM_Q_SEARCH_MATCHES_UP,
                              &mr.st)) == 0) {
        D->bind_text(mr.st, 1, match.ptr);
        D->bind_text(mr.st, 2, facets.ptr);
        D->bind_text(mr.st, 3, facets.ptr);
        mr.match = match.ptr;
        mr.facets = facets.ptr;
        char tok[KHM_SEG_TOKEN_MAX + 1];
        size_t len;
        mr.ask = khm_store__prefix_word(q->text, tok, &len) == 0;
        int64_t e;
        while (mr.count < WALK_MIN_MATCHES && (rc = reader_next(tx, &mr, &e)) == 1)
            ;
    }
    if (rc < 0 || (mr.done && mr.count < WALK_MIN_MATCHES)) {
        if (mr.st)
            D->reset(mr.st);
        khm_buf_dispose(&facets);
        khm_buf_dispose(&match);
        return rc < 0 ? rc : 0;
    }
    /* the walk */
    int64_t *ns = khm_arena_calloc(a, want, sizeof(*ns));
    const char **ks = khm_arena_calloc(a, want, sizeof(*ks));
    rc = ns && ks ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    int walking = rc == 0 && (rc = walk_stmt(tx, q, &st)) == 0;
    while (walking && rc >= 0 && got < want && (rc = D->step(st)) == 1) {
        int64_t e = D->col_int64(st, 2);
        int has = reader_has(tx, &mr, e, want - got);
        if (has <= 0) {
            rc = has < 0 ? has : 1;
            continue;
        }
        ns[got] = e;
        if (!(ks[got++] = khm_store__col_dup(tx, st, 0, a)))
            rc = khm_err_set(KHM_ENOMEM, "out of memory");
    }
    if (walking)
        D->reset(st);
    D->reset(mr.st);
    khm_buf_dispose(&facets);
    khm_buf_dispose(&match);
    if (rc < 0)
        return rc;
    rc = 0;
    /* the page's rows in one statement, put back in the walk's order */
    size_t page = got < q->limit ? got : q->limit, m = 0, kept = 0;
    khm_dataset *rows = khm_arena_calloc(a, page + 1, sizeof(*rows));
    khm_dataset *items = khm_arena_calloc(a, q->limit, sizeof(*items));
    const char **out_keys = khm_arena_calloc(a, q->limit, sizeof(*out_keys));
    int64_t *row_n = khm_arena_calloc(a, page + 1, sizeof(*row_n));
    khm_buf list = KHM_BUF_INIT(64 * 1024);
    if (!rows || !items || !out_keys || !row_n)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < page; i++)
        rc = khm_buf_printf(&list, "%s%lld", i ? "," : "[", (long long)ns[i]);
    if (rc == 0 && page && (rc = khm_buf_putc(&list, ']')) == 0 &&
        (rc = khm_store__stmt(tx, KHM_Q_SEARCH_ROWS, &st)) == 0) {
        D->bind_text(st, 1, list.ptr);
        while (m < page && (rc = D->step(st)) == 1) {
            row_n[m] = D->col_int64(st, 0);
            if ((rc = khm_store__read_dataset(tx, st, 1, &rows[m], a)) < 0)
                break;
            m++;
        }
        D->reset(st);
        for (size_t i = 0; rc >= 0 && i < page; i++)
            for (size_t j = 0; j < m; j++)
                if (row_n[j] == ns[i]) {
                    out_keys[kept] = ks[i];
                    items[kept++] = rows[j];
                    break;
                }
    }
    khm_buf_dispose(&list);
    if (rc < 0)
        return rc;
    *out = items;
    *keys = out_keys;
    *n = kept;
    *more = got > q->limit;
    *done = 1;
    return 0;
}

/*
 * SQLite: the user's words as they are, or with the last word to match whole (a separator
 * after it: khm_fts_query()'s rule) when the full index has no other term that begins with it —
 * then both match the same entries, in every part and both indexes (dataset_head's terms are
 * some of dataset_fts's), and the whole word spares FTS5's merge of a prefix's position lists
 * before its first match (migration 16). The other terms are those from the word and byte 1 to
 * the word and byte 0xFF (a term never holds either: UTF-8 text, no NUL).
 */
static int whole_last_word(khm_tx *tx, const char *text, const char **out, khm_arena *a)
{
    char tok[KHM_SEG_TOKEN_MAX + 1], lo[KHM_SEG_TOKEN_MAX + 2], hi[KHM_SEG_TOKEN_MAX + 2];
    size_t len;
    khm_stmt *st;
    int rc = khm_store__prefix_word(text, tok, &len);
    *out = text;
    if (rc <= 0)
        return rc;
    memcpy(lo, tok, len);
    memcpy(hi, tok, len);
    lo[len] = '\x01';
    hi[len] = '\xff';
    lo[len + 1] = hi[len + 1] = '\0';
    if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_TERM_LONGER, &st)) < 0)
        return rc;
    D->bind_text(st, 1, lo);
    D->bind_text(st, 2, hi);
    rc = D->step(st);
    D->reset(st);
    if (rc < 0)
        return rc;
    if (rc == 0 && !(*out = khm_arena_printf(a, "%s ", text)))
        return khm_err_set(KHM_ENOMEM, "out of memory");
    return 0;
}

int khm_store_dataset_find(khm_tx *tx, const khm_dataset_query *q, khm_dataset **out,
                           const char ***keys, size_t *n, int *more, khm_arena *a)
{
    const khm_dataset_filter *f = &q->filter;
    int pg = khm_store__is_pg(tx->s), text = q->text != NULL, sort = q->sort, rc;
    int after = q->after_key != NULL;
    int64_t after_int = 0;
    *n = 0;
    *more = 0;
    *out = NULL;
    *keys = NULL;
    khm_err_clear();
    if (sort < 0 || sort >= KHM_DSORT__COUNT)
        return bad_sort();
    if (sort == KHM_DSORT_RELEVANCE && !text)
        return relevance_needs_words();
    if (q->limit < 1 || q->limit > KHM_SEARCH_MAX)
        return khm_err_field("limit", "จำนวนรายการต่อหน้าต้องเป็นจำนวนเต็ม 1–500",
                             "must be an integer from 1 to %d", KHM_SEARCH_MAX);
    if (after) {
        char *end;
        errno = 0;
        if (int_key(sort))
            after_int = strtoll(q->after_key, &end, 10);
        if ((int_key(sort) && (!*q->after_key || *end || errno)) ||
            (sort != KHM_DSORT_NAME && sort != KHM_DSORT_NAME_DESC &&
             !(q->after_id && khm_id_valid(q->after_id, strlen(q->after_id)))))
            return khm_err_field("cursor", "ค่า cursor ไม่ถูกต้อง",
                                 "not a cursor of this order (sort)");
    }
    khm_dataset_query whole;
    if (text && !pg) {
        whole = *q;
        if ((rc = whole_last_word(tx, q->text, &whole.text, a)) < 0)
            return rc;
        q = &whole;
    }
    if (sort == KHM_DSORT_RELEVANCE)
        return find_relevance(tx, q, after_int, out, keys, n, more, a);
    if (text && !pg) { /* many matches: walk the order's index (find_walk) */
        int done;
        if ((rc = find_walk(tx, q, &done, out, keys, n, more, a)) < 0 || done)
            return rc;
    }
    int has_agency = f->agency_id && *f->agency_id, has_tag = f->tag && *f->tag;
    int filtered = has_agency || has_tag || f->category >= 0 || f->level >= 0 ||
                   (f->data_type && *f->data_type) || f->personal >= 0;
    /* what leads a listing's plan: the agency for the name order (its (agency, name) index);
     * a tag with few datasets (its rows, then sorted), while a common one is a guard on the
     * walk of the order's index (few rows passed before the page is full) */
    int lead_agency =
        !text && has_agency && (sort == KHM_DSORT_NAME || sort == KHM_DSORT_NAME_DESC);
    int lead_tag = 0;
    char tag[KHM_TAG_FOLD_MAX];
    if (has_tag && (rc = khm_store__tag_fold(f->tag, tag)) < 0)
        return rc;
    if (!text && has_tag && !lead_agency) {
        khm_stmt *st;
        int64_t count = 0;
        if ((rc = khm_store__stmt(tx, KHM_Q_TAG_COUNT, &st)) < 0)
            return rc;
        D->bind_text(st, 1, tag);
        D->bind_int64(st, 2, TAG_LEAD_MAX + 1);
        if ((rc = D->step(st)) == 1)
            count = D->col_int64(st, 0);
        D->reset(st);
        if (rc < 0)
            return rc;
        lead_tag = count <= TAG_LEAD_MAX;
    }
    int joined = text && (filtered || sort != KHM_DSORT_RELEVANCE);
    /* the words, as the backend's query language (FTS5 MATCH or tsquery) in the four parts of
     * the entry, never its facets */
    khm_buf words = KHM_BUF_INIT(64 * 1024), facets = KHM_BUF_INIT(64 * 1024);
    if ((text && (rc = khm_store__tier_query(q->text, 0, pg, &words)) < 0) ||
        (text && pg &&
         (rc = khm_store__facets(&facets, 1, 1, f->agency_id, f->category, f->level, f->data_type,
                                 f->personal < 0 ? -1 : f->personal != 0, f->tag)) < 0)) {
        khm_buf_dispose(&words);
        khm_buf_dispose(&facets);
        return rc;
    }
    /* PostgreSQL: a search's matches sorted unless they are many (pg_walk); the variant's
     * lead_tag bit, never set for a search, tells the two apart */
    int fenced = 0;
    if (text && pg) {
        int walk;
        if ((rc = pg_walk(tx, words.ptr, facets.ptr, q->limit, &walk)) < 0) {
            khm_buf_dispose(&words);
            khm_buf_dispose(&facets);
            return rc;
        }
        fenced = !walk;
    }
    stmt_text t;
    build(&t, sort, pg, text, lead_agency, lead_tag, joined, after, fenced);
    size_t v =
        (size_t)((((sort * 2 + text) * 2 + (lead_agency || joined)) * 2 + (lead_tag || fenced)) *
                     2 +
                 after);
    khm_slot *sl = tx->slot;
    if (!sl->find[v] && (rc = D->prepare(sl->conn, t.sql, &sl->find[v])) < 0) {
        khm_buf_dispose(&words);
        khm_buf_dispose(&facets);
        return rc;
    }
    khm_stmt *st = sl->find[v];
    /* the guards: what leads the plan is bound there, not again */
    khm_dataset_filter guard = *f;
    if (lead_agency)
        guard.agency_id = NULL;
    if (lead_tag)
        guard.tag = NULL;
    int i = 1;
    rc = 0;
    for (int k = 0; k < t.nplan && rc == 0; k++) {
        switch (t.plan[k]) {
        case P_TEXT:
            rc = D->bind_text(st, i++, words.ptr);
            break;
        case P_TAG:
            rc = D->bind_text(st, i++, tag);
            break;
        case P_AGENCY:
            rc = D->bind_text(st, i++, f->agency_id);
            break;
        case P_FILTER:
            rc = khm_store__bind_dataset_filter(tx, st, i, &guard);
            i += KHM_SQL_DATASET_FILTER_PARAMS;
            break;
        case P_FACETS:
            if ((rc = D->bind_text(st, i++, facets.ptr)) == 0)
                rc = D->bind_text(st, i++, facets.ptr);
            break;
        case P_AFTER_KEY:
            rc = int_key(sort) ? D->bind_int64(st, i++, after_int)
                               : D->bind_text(st, i++, q->after_key);
            break;
        case P_AFTER_ID:
            rc = D->bind_text(st, i++, q->after_id);
            break;
        default:
            rc = D->bind_int64(st, i++, (int64_t)q->limit + 1);
            break;
        }
    }
    khm_buf_dispose(&words);
    khm_buf_dispose(&facets);
    khm_dataset *items = rc == 0 ? khm_arena_calloc(a, q->limit, sizeof(*items)) : NULL;
    const char **ks = items ? khm_arena_calloc(a, q->limit, sizeof(*ks)) : NULL;
    if (rc == 0 && !ks)
        rc = khm_err_set(KHM_ENOMEM, "out of memory");
    size_t count = 0;
    while (rc == 0 && (rc = D->step(st)) == 1) {
        if (count == q->limit) {
            *more = 1;
            rc = 0;
            break;
        }
        if ((rc = khm_store__read_dataset(tx, st, 1, &items[count], a)) == 0) {
            if (!(ks[count] = khm_store__col_dup(tx, st, 0, a)))
                rc = khm_err_set(KHM_ENOMEM, "out of memory");
            else
                count++;
        }
    }
    D->reset(st);
    if (rc < 0)
        return rc;
    *out = items;
    *keys = ks;
    *n = count;
    return 0;
}
