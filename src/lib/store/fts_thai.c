/* The SQLite FTS5 tokenizer "thai" (CREATE VIRTUAL TABLE … USING fts5(…, tokenize='thai')):
 * khm_segment() words in their folded form (khm_segment_fold: ASCII lower-cased, Thai as is),
 * registered on every connection the store opens; and khm_fts_query(), which turns what a user
 * typed into a MATCH expression of quoted words, so no user text is ever FTS5 syntax, with
 * khm_ts_query(), the same words as a PostgreSQL tsquery. */
#include "store_internal.h"

#include <khomun/err.h>
#include <khomun/segment.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ---- the memo of the last texts tokenized ----
 *
 * OPTIMIZATION: a dataset's entry is indexed twice (dataset_fts and the head index
 * dataset_head, migration 13), so the title, tags and agency text of each row reach the
 * tokenizer twice in a row, and an entry taken out is tokenized again as it went in. The last
 * MEMO_SLOTS texts (each up to MEMO_TEXT_MAX bytes) are kept per thread with their tokens; the
 * same text again gets the same tokens replayed, without segmenting it again. Segmentation is a
 * pure function of the text, so what FTS5 receives is exactly what khm_segment() would give. */

#define MEMO_SLOTS    8
#define MEMO_TEXT_MAX (16 * 1024)

typedef struct {
    int ok; /* complete: every token of the text recorded */
    size_t n, ntok, nfold;
    size_t text_cap, tok_cap, fold_cap;
    char *text;
    khm_fts_tok *tok;
    char *fold;
} memo_slot;

typedef struct {
    memo_slot slot[MEMO_SLOTS];
    unsigned next; /* the slot a miss takes (round robin) */
} memo;

static pthread_once_t memo_once = PTHREAD_ONCE_INIT;
static pthread_key_t memo_key;
static int memo_key_ok;

static void memo_free(void *p)
{
    memo *m = p;
    for (int i = 0; m && i < MEMO_SLOTS; i++) {
        free(m->slot[i].text);
        free(m->slot[i].tok);
        free(m->slot[i].fold);
    }
    free(m);
}

static void memo_key_make(void)
{
    memo_key_ok = pthread_key_create(&memo_key, memo_free) == 0;
}

/* This thread's memo, or NULL (no memory: tokenize without it). */
static memo *memo_get(void)
{
    pthread_once(&memo_once, memo_key_make);
    if (!memo_key_ok)
        return NULL;
    memo *m = pthread_getspecific(memo_key);
    if (!m && (m = calloc(1, sizeof(*m))) != NULL && pthread_setspecific(memo_key, m)) {
        free(m);
        m = NULL;
    }
    return m;
}

/* @p p grown to hold @p want items of @p size (*@p cap of them), or NULL (no memory: @p p is
 * as it was, and the slot is not used). */
static void *grow(void *p, size_t *cap, size_t want, size_t size)
{
    if (want <= *cap)
        return p;
    size_t nc = *cap ? *cap : 64;
    while (nc < want)
        nc *= 2;
    void *q = realloc(p, nc * size);
    if (q)
        *cap = nc;
    return q;
}

typedef struct {
    const char *text;
    void *ctx;
    int (*xToken)(void *ctx, int flags, const char *tok, int n, int start, int end);
    int rc;         /* what xToken returned when it stopped us */
    memo_slot *rec; /* the slot recording this text's tokens, or NULL */
} tok_ctx;

static int tok_emit(size_t s, size_t e, void *payload)
{
    tok_ctx *t = payload;
    char tok[KHM_SEG_TOKEN_MAX];
    size_t n = khm_segment_fold(t->text + s, e - s, tok);
    memo_slot *r = t->rec;
    if (r) {
        khm_fts_tok *tk = grow(r->tok, &r->tok_cap, r->ntok + 1, sizeof(khm_fts_tok));
        if (tk)
            r->tok = tk;
        char *f = tk ? grow(r->fold, &r->fold_cap, r->nfold + n, 1) : NULL;
        if (f)
            r->fold = f;
        if (!f) {
            t->rec = NULL; /* (ok stays 0: the slot is not used) */
        } else {
            r->tok[r->ntok++] = (khm_fts_tok){ (int)s, (int)e, (unsigned)r->nfold, (unsigned)n };
            memcpy(r->fold + r->nfold, tok, n);
            r->nfold += n;
        }
    }
    t->rc = t->xToken(t->ctx, 0, tok, (int)n, (int)s, (int)e);
    return t->rc != SQLITE_OK;
}

/* The tokenizer has no state and no options; any given is an error (a typo would otherwise
 * build an index nobody meant). */
static int thai_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv;
    *out = ud;
    return argc == 0 ? SQLITE_OK : SQLITE_ERROR;
}

static void thai_delete(Fts5Tokenizer *t)
{
    (void)t;
}

/* ---- texts segmented ahead, on another thread (khm_search_pre) ---- */

static _Thread_local const khm_fts_pretok *pretok_cur;
static _Thread_local size_t pretok_n;
static _Thread_local const khm_fts_pretok *pretok_more;

void khm_store__pretok_extra(const khm_fts_pretok *p)
{
    pretok_more = p;
}

void khm_store__pretok_use(const khm_fts_pretok *p, size_t n)
{
    pretok_cur = p;
    pretok_n = p ? n : 0;
}

void khm_store__pretok_free(khm_fts_pretok *p)
{
    free(p->tok);
    free(p->fold);
    memset(p, 0, sizeof(*p));
}

static int pretok_emit(size_t s, size_t e, void *payload)
{
    khm_fts_pretok *p = payload;
    char tok[KHM_SEG_TOKEN_MAX];
    size_t n = khm_segment_fold(p->text + s, e - s, tok);
    khm_fts_tok *tk = grow(p->tok, &p->tok_cap, p->ntok + 1, sizeof(*tk));
    if (tk)
        p->tok = tk;
    char *f = tk ? grow(p->fold, &p->fold_cap, p->nfold + n, 1) : NULL;
    if (!f)
        return 1;
    p->fold = f;
    p->tok[p->ntok++] = (khm_fts_tok){ (int)s, (int)e, (unsigned)p->nfold, (unsigned)n };
    memcpy(p->fold + p->nfold, tok, n);
    p->nfold += n;
    return 0;
}

int khm_store__pretok(khm_fts_pretok *p, const char *text, size_t n)
{
    memset(p, 0, sizeof(*p));
    p->text = text;
    p->n = n;
    int rc = khm_segment(text, n, pretok_emit, p);
    if (rc == 0)
        return 0;
    khm_store__pretok_free(p);
    return rc == 1 ? khm_err_set(KHM_ENOMEM, "out of memory") : rc;
}

int khm_store__pretok_join(const char *text, size_t n, khm_buf *out)
{
    for (size_t i = 0; i < pretok_n; i++) {
        const khm_fts_pretok *pt = &pretok_cur[i];
        if (pt->n != n || memcmp(pt->text, text, n) != 0)
            continue;
        int rc = khm_buf_put(out, "", 0); /* (no token: an empty string) */
        for (size_t k = 0; rc == 0 && k < pt->ntok; k++)
            if ((k == 0 || (rc = khm_buf_putc(out, ' ')) == 0))
                rc = khm_buf_put(out, pt->fold + pt->tok[k].off, pt->tok[k].len);
        return rc < 0 ? rc : 1;
    }
    return 0;
}

/* Give FTS5 the tokens of a text segmented before (a memo slot or a pre-segmented text). */
static int replay(void *ctx, int (*xToken)(void *, int, const char *, int, int, int),
                  const char *fold, const khm_fts_tok *tok, size_t ntok)
{
    for (size_t k = 0; k < ntok; k++) {
        int rc = xToken(ctx, 0, fold + tok[k].off, (int)tok[k].len, tok[k].start, tok[k].end);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int thai_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                         int (*xToken)(void *, int, const char *, int, int, int))
{
    (void)t;
    (void)flags;
    if (!text || n <= 0)
        return SQLITE_OK;
    for (size_t i = 0; i < pretok_n; i++) {
        const khm_fts_pretok *pt = &pretok_cur[i];
        if (pt->n == (size_t)n && memcmp(pt->text, text, (size_t)n) == 0)
            return replay(ctx, xToken, pt->fold, pt->tok, pt->ntok);
    }
    const khm_fts_pretok *pm = pretok_more;
    if (pm && pm->n == (size_t)n && memcmp(pm->text, text, (size_t)n) == 0)
        return replay(ctx, xToken, pm->fold, pm->tok, pm->ntok);
    tok_ctx tc = { text, ctx, xToken, SQLITE_OK, NULL };
    memo *m = n <= MEMO_TEXT_MAX ? memo_get() : NULL;
    if (m) {
        for (int i = 0; i < MEMO_SLOTS; i++) {
            memo_slot *sl = &m->slot[i];
            if (sl->ok && sl->n == (size_t)n && memcmp(sl->text, text, (size_t)n) == 0)
                return replay(ctx, xToken, sl->fold, sl->tok, sl->ntok);
        }
        memo_slot *sl = &m->slot[m->next++ % MEMO_SLOTS];
        sl->ok = 0;
        sl->ntok = sl->nfold = 0;
        char *copy = grow(sl->text, &sl->text_cap, (size_t)n, 1);
        if (copy) {
            sl->text = copy;
            memcpy(sl->text, text, (size_t)n);
            sl->n = (size_t)n;
            tc.rec = sl;
        }
    }
    int rc = khm_segment(text, (size_t)n, tok_emit, &tc);
    if (rc == 0 && tc.rec)
        tc.rec->ok = 1; /* all of it segmented and recorded */
    if (rc == 1)
        return tc.rc;
    return rc == 0 ? SQLITE_OK : SQLITE_ERROR;
}

static char tokenizer_state; /* a non-NULL address for xCreate to hand out */

/* khm_tier(dataset_fts, W): the tier of the current row of a search whose first W phrases are
 * the user's words (the facet phrases follow them): 1 + the highest of each word's first
 * column (0 title, 1 tags, 2 agency, 3 body), so 1 when every word is in the title, 2 when
 * every word is in the title or tags, … — the row is in tier t exactly when the tier-t query of
 * khm_store__tier_query() matches it; KHM_SEARCH_TIERS + 1 when a word is in no part (only in
 * the facets: not a match). The columns of a phrase come in column order (its position list's
 * order), so the first is the lowest; reading it costs a position list, not the whole row. */
static void tier_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nv,
                    sqlite3_value **v)
{
    int words = nv == 1 ? sqlite3_value_int(v[0]) : -1, tier = 1;
    if (words < 1 || words > api->xPhraseCount(fts)) {
        sqlite3_result_error(ctx, "khm_tier: the number of words is out of range", -1);
        return;
    }
    for (int i = 0; i < words; i++) {
        Fts5PhraseIter it;
        int col = -1, rc = api->xPhraseFirstColumn(fts, i, &it, &col);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        if (col < 0 || col >= KHM_SEARCH_TIERS) {
            tier = KHM_SEARCH_TIERS + 1;
            break;
        }
        if (col + 1 > tier)
            tier = col + 1;
    }
    sqlite3_result_int(ctx, tier);
}

int khm_store__fts_thai_register(sqlite3 *db)
{
    static fts5_tokenizer thai = { thai_create, thai_delete, thai_tokenize };
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    /* the documented way to reach the FTS5 API of a connection (sqlite.org/fts5.html §7.1) */
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return khm_err_set(KHM_EUNAVAIL, "sqlite: this SQLite has no FTS5 (%s)",
                           sqlite3_errmsg(db));
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2)
        return khm_err_set(KHM_EUNAVAIL, "sqlite: this SQLite has no usable FTS5 API");
    if (api->xCreateTokenizer(api, "thai", &tokenizer_state, &thai, NULL) != SQLITE_OK)
        return khm_err_set(KHM_ERROR, "sqlite: cannot register the FTS5 tokenizer thai: %s",
                           sqlite3_errmsg(db));
    if (api->xCreateFunction(api, "khm_tier", NULL, tier_fn, NULL) != SQLITE_OK)
        return khm_err_set(KHM_ERROR, "sqlite: cannot register the FTS5 function khm_tier: %s",
                           sqlite3_errmsg(db));
    return 0;
}

/* ---- khm_fts_query ---- */

typedef struct {
    size_t start[KHM_FTS_QUERY_MAX_WORDS], end[KHM_FTS_QUERY_MAX_WORDS];
    size_t n;
} words;

static int collect(size_t s, size_t e, void *payload)
{
    words *w = payload;
    if (w->n == KHM_FTS_QUERY_MAX_WORDS)
        return 1;
    w->start[w->n] = s;
    w->end[w->n] = e;
    w->n++;
    return 0;
}

/* Characters (code points) in valid UTF-8 p[0..n): the bytes that do not continue one. */
static size_t chars(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

/* The words of @p q (khm_segment), checked: at least one, at most KHM_FTS_QUERY_MAX_WORDS.
 * *@p prefix: whether the last word is also to match as a prefix — unless the user ended it
 * (a separator follows) or it is a single character (which would match much of the index). */
static int query_words(const char *q, words *w, int *prefix)
{
    w->n = 0;
    khm_err_clear();
    size_t qlen = q ? strlen(q) : 0;
    int rc = khm_segment(q, qlen, collect, w);
    if (rc == 1)
        return khm_err_field("q", "คำค้นหายาวเกินไป ใส่ได้ไม่เกิน 32 คำ", "has more than %d words",
                             KHM_FTS_QUERY_MAX_WORDS);
    if (rc < 0)
        return rc;
    if (w->n == 0)
        return khm_err_field("q", "กรุณาพิมพ์คำที่ต้องการค้นหา", "has no word to search for");
    size_t last = w->n - 1;
    *prefix = w->end[last] == qlen && chars(q + w->start[last], w->end[last] - w->start[last]) >= 2;
    return 0;
}

int khm_fts_query(const char *user_query, khm_buf *out)
{
    words w;
    int prefix, rc;
    if ((rc = query_words(user_query, &w, &prefix)) < 0)
        return rc;
    for (size_t i = 0; i < w.n; i++) {
        char tok[KHM_SEG_TOKEN_MAX];
        size_t n = khm_segment_fold(user_query + w.start[i], w.end[i] - w.start[i], tok);
        /* a token is letters and digits only, so it never holds the quote it is wrapped in */
        if ((i > 0 && (rc = khm_buf_putc(out, ' ')) < 0) || (rc = khm_buf_putc(out, '"')) < 0 ||
            (rc = khm_buf_put(out, tok, n)) < 0 || (rc = khm_buf_putc(out, '"')) < 0)
            return rc;
    }
    if (prefix && (rc = khm_buf_putc(out, '*')) < 0)
        return rc;
    return 0;
}

int khm_ts_query(const char *user_query, khm_buf *out)
{
    words w;
    int prefix, rc;
    if ((rc = query_words(user_query, &w, &prefix)) < 0)
        return rc;
    for (size_t i = 0; i < w.n; i++) {
        char tok[KHM_SEG_TOKEN_MAX];
        size_t n = khm_segment_fold(user_query + w.start[i], w.end[i] - w.start[i], tok);
        if ((i > 0 && (rc = khm_buf_puts(out, " & ")) < 0) || (rc = khm_buf_putc(out, '\'')) < 0)
            return rc;
        /* letters and digits only; escaped anyway, as tsquery input wants it */
        for (size_t k = 0; k < n; k++)
            if (((tok[k] == '\'' || tok[k] == '\\') && (rc = khm_buf_putc(out, '\\')) < 0) ||
                (rc = khm_buf_putc(out, tok[k])) < 0)
                return rc;
        if ((rc = khm_buf_putc(out, '\'')) < 0)
            return rc;
    }
    if (prefix && (rc = khm_buf_puts(out, ":*")) < 0)
        return rc;
    return 0;
}

/* ---- the tiers of a relevance search (dataset_find.c) ---- */

/* the columns of each tier, as FTS5 column filters and tsquery weights */
/* (0: any of the four parts, as the other orders search) */
static const char *const tier_cols[KHM_SEARCH_TIERS + 1] = { "{title tags agency body}", "{title}",
                                                             "{title tags}", "{title tags agency}",
                                                             "{title tags agency body}" };
static const char *const tier_weights[KHM_SEARCH_TIERS + 1] = { "", "A", "AB", "ABC", "" };

/* The words of @p q as FTS5 phrases ("w1" "w2"*) or as tsquery lexemes of weights @p weights
 * ('w1':A & 'w2':*A). */
static int tier_words(const char *q, const words *w, int prefix, int pg, const char *weights,
                      khm_buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < w->n && rc == 0; i++) {
        char tok[KHM_SEG_TOKEN_MAX];
        size_t n = khm_segment_fold(q + w->start[i], w->end[i] - w->start[i], tok);
        int last_prefix = prefix && i + 1 == w->n;
        if (i > 0)
            rc = khm_buf_puts(out, pg ? " & " : " ");
        if (rc == 0)
            rc = khm_buf_putc(out, pg ? '\'' : '"');
        /* letters and digits only: never the quote they are wrapped in */
        if (rc == 0)
            rc = khm_buf_put(out, tok, n);
        if (rc == 0)
            rc = khm_buf_putc(out, pg ? '\'' : '"');
        if (rc == 0 && pg && (last_prefix || *weights))
            rc = khm_buf_printf(out, ":%s%s", last_prefix ? "*" : "", weights);
        else if (rc == 0 && !pg && last_prefix)
            rc = khm_buf_putc(out, '*');
    }
    return rc;
}

static int tier_part(const char *q, const words *w, int prefix, int pg, int tier, khm_buf *out)
{
    int rc;
    if (pg) {
        if ((rc = khm_buf_putc(out, '(')) == 0 &&
            (rc = tier_words(q, w, prefix, 1, tier_weights[tier], out)) == 0)
            rc = khm_buf_putc(out, ')');
        return rc;
    }
    if ((rc = khm_buf_printf(out, "(%s : (", tier_cols[tier])) == 0 &&
        (rc = tier_words(q, w, prefix, 0, "", out)) == 0)
        rc = khm_buf_puts(out, "))");
    return rc;
}

int khm_store__search_words(const char *user_query)
{
    words w;
    int prefix, rc = query_words(user_query, &w, &prefix);
    return rc < 0 ? rc : (int)w.n;
}

int khm_store__prefix_word(const char *user_query, char tok[KHM_SEG_TOKEN_MAX + 1], size_t *n)
{
    words w;
    int prefix, rc;
    *n = 0;
    tok[0] = '\0';
    if ((rc = query_words(user_query, &w, &prefix)) < 0 || !prefix)
        return rc;
    size_t last = w.n - 1;
    *n = khm_segment_fold(user_query + w.start[last], w.end[last] - w.start[last], tok);
    tok[*n] = '\0';
    return 1;
}

int khm_store__tier_cols_query(const char *user_query, int tier, int pg, khm_buf *out)
{
    words w;
    int prefix, rc;
    if (tier < 0 || tier > KHM_SEARCH_TIERS)
        return khm_err_set(KHM_EINVALID, "no tier %d", tier);
    if ((rc = query_words(user_query, &w, &prefix)) < 0)
        return rc;
    return tier_part(user_query, &w, prefix, pg, tier, out);
}

int khm_store__head_query(const char *user_query, khm_buf *out)
{
    words w;
    int prefix, rc;
    if ((rc = query_words(user_query, &w, &prefix)) < 0)
        return rc;
    return tier_part(user_query, &w, prefix, 0, KHM_SEARCH_TIERS - 1, out);
}

int khm_store__tier_query(const char *user_query, int tier, int pg, khm_buf *out)
{
    words w;
    int prefix, rc;
    if (tier < 0 || tier > KHM_SEARCH_TIERS)
        return khm_err_set(KHM_EINVALID, "no tier %d", tier);
    if ((rc = query_words(user_query, &w, &prefix)) < 0)
        return rc;
    /* tier t: the words in t's columns, not all of them in tier t - 1's */
    if ((rc = khm_buf_putc(out, '(')) < 0 ||
        (rc = tier_part(user_query, &w, prefix, pg, tier, out)) < 0)
        return rc;
    if (tier > 1 && ((rc = khm_buf_puts(out, pg ? " & !" : " NOT ")) < 0 ||
                     (rc = tier_part(user_query, &w, prefix, pg, tier - 1, out)) < 0))
        return rc;
    return khm_buf_putc(out, ')');
}
