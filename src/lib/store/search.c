/* Full-text search of datasets, the index side: what a dataset is found by (one definition,
 * khm_search_doc_build, for both backends) and keeping its entry current in the transaction of
 * every dataset write (records.c calls khm_store__search_index after each). The entry lives in
 * dataset_search (migration 5): on SQLite the four raw texts, which the FTS5 table dataset_fts
 * indexes through the "thai" tokenizer; on PostgreSQL one tsvector of khm_segment_join() of
 * each part, weighted A–D. Its tags, folded, are rows of dataset_tag (migration 12), which the
 * tag filter reads. The query side is khm_store_dataset_find (dataset_find.c). */
#include "store_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/json.h>
#include <khomun/policy.h>
#include <khomun/segment.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define D (tx->s->drv)

/* Most bytes of one part: far above any valid dataset (notes are the longest field) */
#define PART_MAX ((size_t)4 << 20)

/* Append @p s to @p b, a newline before it when @p b holds something already. */
static int add(khm_buf *b, const char *s)
{
    int rc;
    if (!s || !*s)
        return 0;
    if (b->len && (rc = khm_buf_putc(b, '\n')) < 0)
        return rc;
    return khm_buf_puts(b, s);
}

/* Append a metadata value: a string, the strings of an array, an integer (a year); a choice
 * also by its English label, so English words find Thai-valued choices. */
static int add_value(khm_buf *b, const khm_gdc_field *f, const json_t *v)
{
    int rc = 0;
    if (json_is_array(v)) {
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e) if ((rc = add_value(b, f, e)) < 0) return rc;
        return 0;
    }
    if (json_is_integer(v)) {
        char num[32];
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return add(b, num);
    }
    if (!json_is_string(v))
        return 0; /* numbers with a fraction (coordinates), booleans, null */
    const char *s = json_string_value(v);
    if (f && f->type == KHM_GDC_V_CHOICE) {
        /* yes/no choices say nothing a search would look for */
        if (strcmp(s, "True") == 0 || strcmp(s, "False") == 0)
            return 0;
        const khm_gdc_choice *c = khm_gdc_choice_find(f, s);
        if ((rc = add(b, s)) == 0 && c && c->label_en)
            rc = add(b, c->label_en);
        return rc;
    }
    return add(b, s);
}

void khm_search_doc_free(khm_search_doc *doc)
{
    khm_buf_dispose(&doc->title);
    khm_buf_dispose(&doc->tags);
    khm_buf_dispose(&doc->agency);
    khm_buf_dispose(&doc->body);
}

int khm_search_doc_build_json(khm_search_doc *doc, const char *title, const char *title_en,
                              const json_t *m, const char *agency_th, const char *agency_en)
{
    int rc;
    khm_buf_init(&doc->title, PART_MAX);
    khm_buf_init(&doc->tags, PART_MAX);
    khm_buf_init(&doc->agency, PART_MAX);
    khm_buf_init(&doc->body, PART_MAX);
    if (!json_is_object(m))
        m = NULL;
    if ((rc = add(&doc->title, title)) < 0 || (rc = add(&doc->title, title_en)) < 0 ||
        (rc = add(&doc->agency, agency_th)) < 0 || (rc = add(&doc->agency, agency_en)) < 0)
        goto out;
    if (!m)
        goto out;
    if ((rc = add_value(&doc->tags, NULL, json_object_get(m, "tag_string"))) < 0 ||
        (rc = add_value(&doc->body, NULL, json_object_get(m, "notes"))) < 0)
        goto out;
    /* the other fields in the order of the field table (stable, whatever the JSON's order);
     * title is the title column's, name and owner_org are never in the object */
    for (size_t i = 0; i < khm_gdc_field_count(); i++) {
        const khm_gdc_field *f = khm_gdc_field_at(i);
        if (strcmp(f->name, "title") == 0 || strcmp(f->name, "tag_string") == 0 ||
            strcmp(f->name, "notes") == 0 || (f->flags & KHM_GDC_F_CORE))
            continue;
        const json_t *v = json_object_get(m, f->name);
        if (v && (rc = add_value(&doc->body, f, v)) < 0)
            goto out;
    }
out:
    if (rc < 0)
        khm_search_doc_free(doc);
    return rc;
}

int khm_search_doc_build(khm_search_doc *doc, const char *title, const char *title_en,
                         const char *metadata, const char *agency_th, const char *agency_en)
{
    json_t *m = metadata ? json_loads(metadata, JSON_REJECT_DUPLICATES, NULL) : NULL;
    int rc = khm_search_doc_build_json(doc, title, title_en, m, agency_th, agency_en);
    json_decref(m);
    return rc;
}

/* OPTIMIZATION: a text bound without SQLite's copy, where it outlives the statement's run
 * (the entry's parts: several KB a dataset, bound three times) */
static int bind_static(khm_tx *tx, khm_stmt *st, int i, const char *v)
{
    return D->bind_text_static ? D->bind_text_static(st, i, v) : D->bind_text(st, i, v);
}

/* Bind part @p text at @p i: as is on SQLite (the FTS5 tokenizer segments it), as the
 * segmented words on PostgreSQL (to_tsvector('simple', …) splits them on the spaces). */
static int bind_part(khm_tx *tx, khm_stmt *st, int i, const khm_buf *text, khm_buf *seg)
{
    if (!khm_store__is_pg(tx->s))
        return bind_static(tx, st, i, text->ptr ? text->ptr : "");
    khm_buf_reset(seg);
    /* (segmented ahead by an import's reader: the same words) */
    int rc = text->len ? khm_store__pretok_join(text->ptr, text->len, seg) : 0;
    if (rc == 0)
        rc = khm_segment_join(text->ptr ? text->ptr : "", text->len, seg);
    if (rc < 0)
        return rc;
    return D->bind_text(st, i, seg->ptr ? seg->ptr : "");
}

int khm_store__tag_fold(const char *tag, char out[KHM_TAG_FOLD_MAX])
{
    size_t n = strlen(tag);
    if (n >= KHM_TAG_FOLD_MAX)
        return khm_err_field("tag", "คำสำคัญยาวเกินไป", "is longer than any tag (%d bytes)",
                             KHM_TAG_FOLD_MAX - 1);
    n = khm_segment_fold(tag, n, out); /* never longer than its input */
    out[n] = '\0';
    return 0;
}

/* ---- facets ---- */

static uint64_t fnv64(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* One facet token in the form asked: an entry's words (both backends index them as words of
 * their own column: dataset_fts's facets, dataset_search.facets) or a filter's terms, ANDed
 * (SQLite "ca1" "lv0", PostgreSQL 'ca1' & 'lv0'). */
static int facet(khm_buf *out, int pg, int query, const char *tok)
{
    int rc = 0;
    if (out->len)
        rc = khm_buf_puts(out, pg && query ? " & " : " ");
    if (rc == 0 && query)
        rc = khm_buf_putc(out, pg ? '\'' : '"');
    if (rc == 0)
        rc = khm_buf_puts(out, tok);
    if (rc == 0 && query)
        rc = khm_buf_putc(out, pg ? '\'' : '"');
    return rc;
}

/* @p prefix and the 16 hex digits of @p h in @p tok (OPTIMIZATION: no printf per facet, a
 * dataset write makes several) */
static void hex_tok(char tok[32], const char *prefix, uint64_t h)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = strlen(prefix);
    memcpy(tok, prefix, k);
    for (int i = 15; i >= 0; i--, h >>= 4)
        tok[k + (size_t)i] = hex[h & 15];
    tok[k + 16] = '\0';
}

static int facet_tag(khm_buf *out, int pg, int query, const char *raw)
{
    char tag[KHM_TAG_FOLD_MAX], tok[32];
    int rc = khm_store__tag_fold(raw, tag);
    if (rc < 0)
        return rc;
    hex_tok(tok, "tg", fnv64(tag));
    return facet(out, pg, query, tok);
}

int khm_store__facets(khm_buf *out, int pg, int query, const char *agency_id, int category,
                      int level, const char *data_type, int personal, const char *tags)
{
    char tok[64];
    int rc = 0;
    if (agency_id && *agency_id) { /* "ag" and the id's 32 hex digits */
        size_t k = 2;
        memcpy(tok, "ag", 2);
        for (const char *p = agency_id; *p && k < 40; p++) /* (hex digits only: a token) */
            if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
                tok[k++] = *p;
            else if (*p >= 'A' && *p <= 'F')
                tok[k++] = (char)(*p + 32);
        tok[k] = '\0';
        rc = facet(out, pg, query, tok);
    }
    if (rc == 0 && category >= 0) {
        if (category < 10)
            memcpy(tok, (char[]){ 'c', 'a', (char)('0' + category), '\0' }, 4);
        else
            snprintf(tok, sizeof(tok), "ca%d", category);
        rc = facet(out, pg, query, tok);
    }
    if (rc == 0 && level >= 0) {
        if (level < 10)
            memcpy(tok, (char[]){ 'l', 'v', (char)('0' + level), '\0' }, 4);
        else
            snprintf(tok, sizeof(tok), "lv%d", level);
        rc = facet(out, pg, query, tok);
    }
    if (rc == 0 && data_type && *data_type) {
        hex_tok(tok, "dt", fnv64(data_type));
        rc = facet(out, pg, query, tok);
    }
    if (rc == 0 && personal >= 0)
        rc = facet(out, pg, query, personal ? "pd1" : "pd0");
    if (rc == 0 && tags && *tags && query)
        rc = facet_tag(out, pg, query, tags);
    for (const char *p = tags; rc == 0 && p && *p && !query;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char raw[KHM_TAG_FOLD_MAX];
        if (len > 0 && len < sizeof(raw)) {
            memcpy(raw, p, len);
            raw[len] = '\0';
            rc = facet_tag(out, pg, query, raw);
        }
        p += len + (e != NULL);
    }
    /* (an empty result is a valid empty string) */
    return rc == 0 ? khm_buf_put(out, "", 0) : rc;
}

/* Replace the dataset_tag rows of @p id with the tags of @p doc (newline-separated), or none;
 * @p fresh: it has none yet. */
static int index_tags(khm_tx *tx, const char *id, const khm_search_doc *doc, int fresh)
{
    khm_stmt *st;
    int rc = 0;
    if (!fresh) {
        if ((rc = khm_store__stmt(tx, KHM_Q_TAG_DELETE, &st)) < 0)
            return rc;
        D->bind_text(st, 1, id);
        rc = khm_store__run(tx, st);
    }
    if (rc < 0 || !doc || !doc->tags.len)
        return rc;
    /* PostgreSQL: all of them in one statement (a statement costs the server ~25 µs whatever
     * it holds); SQLite: row by row, since a statement of several rows would open a statement
     * savepoint and make FTS5 flush (fts_remove says why) */
    int pg = khm_store__is_pg(tx->s);
    khm_buf all = KHM_BUF_INIT(64 * 1024);
    if (pg)
        rc = khm_buf_putc(&all, '[');
    for (const char *p = doc->tags.ptr; rc == 0 && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char raw[KHM_TAG_FOLD_MAX], tag[KHM_TAG_FOLD_MAX];
        if (len > 0 && len < sizeof(raw)) { /* (a valid tag is at most 100 characters) */
            memcpy(raw, p, len);
            raw[len] = '\0';
            if ((rc = khm_store__tag_fold(raw, tag)) < 0)
                break;
            if (pg) {
                khm_jw w;
                if (all.len > 1)
                    khm_buf_putc(&all, ',');
                khm_jw_init(&w, &all);
                khm_jw_str(&w, tag);
                rc = khm_jw_finish(&w);
            } else if ((rc = khm_store__stmt(tx, KHM_Q_TAG_INSERT, &st)) == 0) {
                D->bind_text(st, 1, tag);
                D->bind_text(st, 2, id);
                rc = khm_store__run(tx, st);
            }
        }
        p += len + (e != NULL);
    }
    if (rc == 0 && pg && (rc = khm_buf_putc(&all, ']')) == 0 &&
        (rc = khm_store__stmt(tx, KHM_Q_TAG_INSERT_ALL, &st)) == 0) {
        D->bind_text(st, 1, id);
        D->bind_text(st, 2, all.ptr);
        rc = khm_store__run(tx, st);
    }
    khm_buf_dispose(&all);
    return rc;
}

/* SQLite: whether the head index exists (migration 13) — not yet while migration 12 makes
 * every entry again (migration 13 fills it from those entries) */
static int head_index(khm_tx *tx)
{
    return khm_store_schema_version(tx->s) >= 13;
}

/* SQLite: take the entry of @p id out of the FTS5 index (an external-content table forgets a
 * row only when told its indexed text, which dataset_search holds), then out of dataset_search.
 * The index is written by single-row statements, never by triggers: a statement that may write
 * several rows opens a statement savepoint, and FTS5 (3.40) writes its pending terms to a new
 * segment at every savepoint, so a trigger per row made a segment, and merges, per dataset;
 * this way the terms of a whole import are flushed in large segments (migration 12). */
static int fts_remove(khm_tx *tx, const char *id)
{
    khm_stmt *st, *del;
    int rc;
    if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_OLD, &st)) < 0 ||
        (rc = khm_store__stmt(tx, KHM_Q_FTS_DELETE, &del)) < 0)
        return rc;
    D->bind_text(st, 1, id);
    if ((rc = D->step(st)) == 1) {
        D->bind_int64(del, 1, D->col_int64(st, 0)); /* n, title, tags, agency, body, facets */
        for (int i = 1; i < 6; i++)
            D->bind_text(del, i + 1, D->col_text(st, i));
        rc = khm_store__run(tx, del);
        /* the head index: n, title, tags, agency, facets (migration 13) */
        if (rc == 0 && head_index(tx) && (rc = khm_store__stmt(tx, KHM_Q_HEAD_DELETE, &del)) == 0) {
            D->bind_int64(del, 1, D->col_int64(st, 0));
            for (int i = 1; i < 4; i++)
                D->bind_text(del, i + 1, D->col_text(st, i));
            D->bind_text(del, 5, D->col_text(st, 5));
            rc = khm_store__run(tx, del);
        }
    }
    D->reset(st);
    return rc;
}

/* SQLite: the FTS5 rows of the dataset_search entry just inserted as row @p n. */
static int fts_add(khm_tx *tx, int64_t n, const khm_search_doc *doc, const khm_buf *facets)
{
    khm_stmt *ins, *head;
    int rc;
    if ((rc = khm_store__stmt(tx, KHM_Q_FTS_INSERT, &ins)) < 0)
        return rc;
    D->bind_int64(ins, 1, n);
    bind_static(tx, ins, 2, doc->title.ptr ? doc->title.ptr : "");
    bind_static(tx, ins, 3, doc->tags.ptr ? doc->tags.ptr : "");
    bind_static(tx, ins, 4, doc->agency.ptr ? doc->agency.ptr : "");
    bind_static(tx, ins, 5, doc->body.ptr ? doc->body.ptr : "");
    bind_static(tx, ins, 6, facets->ptr ? facets->ptr : "");
    if ((rc = khm_store__run(tx, ins)) < 0 || !head_index(tx))
        return rc;
    /* the head index (migration 13): the same entry without its body */
    if ((rc = khm_store__stmt(tx, KHM_Q_HEAD_INSERT, &head)) < 0)
        return rc;
    D->bind_int64(head, 1, n);
    bind_static(tx, head, 2, doc->title.ptr ? doc->title.ptr : "");
    bind_static(tx, head, 3, doc->tags.ptr ? doc->tags.ptr : "");
    bind_static(tx, head, 4, doc->agency.ptr ? doc->agency.ptr : "");
    bind_static(tx, head, 5, facets->ptr ? facets->ptr : "");
    return khm_store__run(tx, head);
}

void khm_store__tx_agency_free(khm_tx *tx, unsigned i)
{
    khm_free(tx->ag[i].th);
    khm_free(tx->ag[i].en);
    khm_free(tx->ag[i].part);
    if (tx->ag[i].tok) {
        khm_store__pretok_free(tx->ag[i].tok);
        khm_free(tx->ag[i].tok);
    }
    tx->ag[i].th = tx->ag[i].en = tx->ag[i].part = NULL;
    tx->ag[i].tok = NULL;
}

/* The names of agency @p id, read once per transaction while it comes again (an import
 * indexes thousands of datasets of a few agencies): KHM_TX_AGENCIES kept, round robin;
 * *@p slot: where they are kept. */
static int agency_names(khm_tx *tx, const char *id, const char **th, const char **en,
                        unsigned *slot)
{
    unsigned n = tx->ag_n < KHM_TX_AGENCIES ? tx->ag_n : KHM_TX_AGENCIES;
    for (unsigned i = 0; i < n; i++)
        if (strcmp(tx->ag[i].id, id) == 0) {
            *th = tx->ag[i].th;
            *en = tx->ag[i].en;
            *slot = i;
            return 0;
        }
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_AGENCY_GET, &st);
    if (rc < 0)
        return rc;
    D->bind_text(st, 1, id);
    D->bind_text(st, 2, id);
    rc = D->step(st);
    char *a = NULL, *b = NULL;
    if (rc == 1) {
        const char *t = D->col_text(st, 2), *e = D->col_text(st, 3);
        a = khm_strdup(t ? t : "");
        b = e ? khm_strdup(e) : NULL;
        rc = !a || (e && !b) ? khm_err_set(KHM_ENOMEM, "out of memory") : 0;
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ENOTFOUND, "no agency %s", id);
    }
    D->reset(st);
    if (rc < 0) {
        khm_free(a);
        khm_free(b);
        return rc;
    }
    unsigned k = tx->ag_n % KHM_TX_AGENCIES;
    if (tx->ag_n >= KHM_TX_AGENCIES) /* full: this one goes */
        khm_store__tx_agency_free(tx, k);
    snprintf(tx->ag[k].id, sizeof(tx->ag[k].id), "%s", id);
    tx->ag[k].th = a;
    tx->ag[k].en = b;
    tx->ag[k].part = NULL;
    tx->ag[k].tok = NULL;
    tx->ag_n++;
    *th = a;
    *en = b;
    *slot = k;
    return 0;
}

/* SQLite: the tokens of @p part, the agency part of an entry of the agency kept in @p slot,
 * segmented once per transaction (OPTIMIZATION: an import writes each agency's names into
 * thousands of entries, twice each — dataset_fts and dataset_head — and the tokenizer's memo of
 * the last texts, which every entry's facets also pass through, rarely still held them); NULL
 * when they cannot be made (the tokenizer segments the text itself). */
static const khm_fts_pretok *agency_tok(khm_tx *tx, unsigned slot, const khm_buf *part)
{
    if (slot >= KHM_TX_AGENCIES || !part->len)
        return NULL;
    if (!tx->ag[slot].tok) {
        char *text = khm_malloc(part->len + 1);
        khm_fts_pretok *tok = khm_calloc(1, sizeof(*tok));
        if (!text || !tok ||
            (memcpy(text, part->ptr, part->len + 1), khm_store__pretok(tok, text, part->len) < 0)) {
            khm_free(text);
            khm_free(tok);
            khm_err_clear();
            return NULL;
        }
        tx->ag[slot].part = text;
        tx->ag[slot].tok = tok;
    }
    const khm_fts_pretok *t = tx->ag[slot].tok;
    /* (the same names make the same part; anything else is segmented as it comes) */
    return t->n == part->len && memcmp(t->text, part->ptr, part->len) == 0 ? t : NULL;
}

/* What index_one writes: the entry's text and facets; @p live: not archived. */
typedef struct {
    int live, built;
    khm_search_doc doc;
    khm_buf facets;
    unsigned ag_slot; /* the agency's names in tx->ag (KHM_TX_AGENCIES: not there) */
} entry;

/* The facets of @p e from the dataset's columns as stored (category and level by name). */
static int entry_facets(khm_tx *tx, entry *e, const char *agency_id, int cat, int lev,
                        const char *data_type, int personal)
{
    return khm_store__facets(&e->facets, khm_store__is_pg(tx->s), 0, agency_id, cat, lev, data_type,
                             personal || cat == KHM_CAT_PERSONAL, e->doc.tags.ptr);
}

/* The entry of @p id as the stored row says. */
static int entry_read(khm_tx *tx, const char *id, const json_t *meta, entry *e)
{
    khm_stmt *st;
    int rc;
    if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_SOURCE, &st)) < 0)
        return rc;
    D->bind_text(st, 1, id);
    rc = D->step(st);
    if (rc == 1) {
        e->live = D->col_is_null(st, 3);
        if (!e->live)
            rc = 0;
        else if (meta)
            rc = khm_search_doc_build_json(&e->doc, D->col_text(st, 0), D->col_text(st, 1), meta,
                                           D->col_text(st, 4), D->col_text(st, 5));
        else
            rc = khm_search_doc_build(&e->doc, D->col_text(st, 0), D->col_text(st, 1),
                                      D->col_text(st, 2), D->col_text(st, 4), D->col_text(st, 5));
        e->built = e->live && rc == 0;
        if (e->built) { /* the facets: what a search's filters look for */
            int cat = -1, lev = -1;
            const char *c = D->col_text(st, 7), *l = D->col_text(st, 8);
            if ((c && khm_category_parse(c, &cat) < 0) || (l && khm_level_parse(l, &lev) < 0))
                khm_err_clear(); /* (a stored value this build does not know: no facet) */
            rc = entry_facets(tx, e, D->col_text(st, 6), cat, lev, D->col_text(st, 9),
                              D->col_int64(st, 10) != 0 || D->col_int64(st, 11) != 0);
        }
    }
    D->reset(st);
    return rc;
}

/* ---- the part of an entry made ahead (khm_search_pre) ---- */

static _Thread_local const khm_search_pre *pre_cur;

int khm_search_pre_make(khm_search_pre **out, const char *title, const char *title_en,
                        const json_t *meta, int segment)
{
    khm_search_pre *p = khm_calloc(1, sizeof(*p));
    int rc;
    *out = NULL;
    if (!p)
        return khm_err_set(KHM_ENOMEM, "out of memory");
    p->meta = meta;
    if ((rc = khm_search_doc_build_json(&p->doc, title, title_en, meta, NULL, NULL)) < 0) {
        khm_free(p);
        return rc;
    }
    const khm_buf *part[3] = { &p->doc.title, &p->doc.tags, &p->doc.body };
    for (int i = 0; segment && i < 3; i++)
        if (part[i]->len && khm_store__pretok(&p->tok[p->ntok], part[i]->ptr, part[i]->len) == 0)
            p->ntok++;
    khm_err_clear(); /* (a part not segmented: the tokenizer does it) */
    *out = p;
    return 0;
}

void khm_search_pre_free(khm_search_pre *p)
{
    if (!p)
        return;
    khm_search_doc_free(&p->doc);
    for (size_t i = 0; i < p->ntok; i++)
        khm_store__pretok_free(&p->tok[i]);
    khm_free(p);
}

void khm_search_pre_use(const khm_search_pre *p)
{
    pre_cur = p;
    khm_store__pretok_use(p && p->ntok ? p->tok : NULL, p ? p->ntok : 0);
}

/* The entry of @p d, a dataset just inserted, from what was inserted (the same values
 * entry_read would read back, without the round trip): its columns, its agency's names. */
static int entry_of(khm_tx *tx, const khm_dataset *d, const json_t *meta, entry *e)
{
    const char *th, *en;
    int rc;
    e->live = !d->archived_at;
    if (!e->live)
        return 0;
    if ((rc = agency_names(tx, d->agency_id, &th, &en, &e->ag_slot)) == KHM_ENOTFOUND) {
        khm_err_clear(); /* as entry_read: no agency row joined, no entry */
        e->live = 0;
        return 0;
    }
    if (rc < 0)
        return rc;
    const khm_search_pre *pre = pre_cur;
    if (meta && pre && pre->meta == meta) {
        /* the title and agency parts here (the title as the pre's: the same strings), the
         * rest as made ahead */
        rc = khm_search_doc_build_json(&e->doc, d->title, d->title_en, NULL, th, en);
        if (rc == 0 && pre->doc.tags.len)
            rc = khm_buf_put(&e->doc.tags, pre->doc.tags.ptr, pre->doc.tags.len);
        if (rc == 0 && pre->doc.body.len)
            rc = khm_buf_put(&e->doc.body, pre->doc.body.ptr, pre->doc.body.len);
        if (rc < 0)
            khm_search_doc_free(&e->doc);
    } else if (meta) {
        rc = khm_search_doc_build_json(&e->doc, d->title, d->title_en, meta, th, en);
    } else {
        rc = khm_search_doc_build(&e->doc, d->title, d->title_en, d->metadata, th, en);
    }
    e->built = rc == 0;
    if (rc == 0) {
        /* as stored: an unknown category or level is no column value, so no facet */
        int cat = d->category >= 0 && khm_category_name(d->category) ? d->category : -1;
        int lev = d->level >= 0 && khm_level_name(d->level) ? d->level : -1;
        rc = entry_facets(tx, e, d->agency_id, cat, lev, d->data_type,
                          d->personal != 0 || d->sensitive != 0);
    }
    return rc;
}

/* Write the entry of @p id (text, facets, tags); @p fresh: a dataset just inserted, which has
 * none to replace yet. */
static int index_write(khm_tx *tx, const char *id, int fresh, entry *e)
{
    khm_stmt *st;
    int rc = 0, pg = khm_store__is_pg(tx->s);
    khm_search_doc *doc = &e->doc;
    if (!fresh && !pg)
        rc = fts_remove(tx, id);
    /* the writes below return no rows: on PostgreSQL one round trip for all of them */
    int batched = rc == 0 && (rc = khm_store__batch_begin(tx)) == 0;
    if (rc == 0 && !fresh && (rc = khm_store__stmt(tx, KHM_Q_SEARCH_DELETE, &st)) == 0) {
        D->bind_text(st, 1, id);
        rc = khm_store__run(tx, st);
    }
    /* with the dataset's sort keys once their columns are made (migration 15 on PostgreSQL,
     * 16 on SQLite) */
    khm_qid ins = khm_store_schema_version(tx->s) >= (pg ? 15 : 16) ? KHM_Q_SEARCH_INSERT_KEYED
                                                                    : KHM_Q_SEARCH_INSERT;
    if (rc == 0 && e->live && (rc = khm_store__stmt(tx, ins, &st)) == 0) {
        khm_buf seg[4] = { KHM_BUF_INIT(PART_MAX), KHM_BUF_INIT(PART_MAX), KHM_BUF_INIT(PART_MAX),
                           KHM_BUF_INIT(PART_MAX) };
        D->bind_text(st, 1, id);
        if ((rc = bind_part(tx, st, 2, &doc->title, &seg[0])) == 0 &&
            (rc = bind_part(tx, st, 3, &doc->tags, &seg[1])) == 0 &&
            (rc = bind_part(tx, st, 4, &doc->agency, &seg[2])) == 0 &&
            (rc = bind_part(tx, st, 5, &doc->body, &seg[3])) == 0 &&
            (rc = D->bind_text(st, 6, e->facets.ptr ? e->facets.ptr : "")) == 0)
            rc = khm_store__run(tx, st);
        else
            D->reset(st);
        for (int k = 0; k < 4; k++)
            khm_buf_dispose(&seg[k]);
        /* OPTIMIZATION: the entry's n (its rowid) as SQLite says it inserted it, not read back
         * by id (RETURNING n would open a statement savepoint: FTS5 flushes at each) */
        if (rc == 0 && !pg) {
            khm_store__pretok_extra(agency_tok(tx, e->ag_slot, &doc->agency));
            rc = fts_add(tx, D->last_rowid(st), doc, &e->facets);
            khm_store__pretok_extra(NULL);
        }
    }
    if (rc == 0)
        rc = index_tags(tx, id, e->live ? doc : NULL, fresh);
    if (batched) {
        int rc2 = khm_store__batch_end(tx);
        if (rc == 0)
            rc = rc2;
    }
    return rc;
}

/* The entry of @p id: of @p d (a dataset inserted just now, @p meta its metadata parsed or
 * NULL) from its values, else as the stored row says. */
static int index_one(khm_tx *tx, const char *id, const khm_dataset *d, const json_t *meta)
{
    entry e;
    memset(&e, 0, sizeof(e));
    e.ag_slot = KHM_TX_AGENCIES;
    khm_buf_init(&e.facets, 64 * 1024);
    int rc = d ? entry_of(tx, d, meta, &e) : entry_read(tx, id, meta, &e);
    if (rc == 0)
        rc = index_write(tx, id, d != NULL, &e);
    khm_buf_dispose(&e.facets);
    if (e.built)
        khm_search_doc_free(&e.doc);
    if (rc < 0)
        return khm_err_set(rc, "cannot index dataset %s for search: %s", id,
                           khm_err_last()->message);
    return 0;
}

int khm_store__search_index(khm_tx *tx, const char *id)
{
    return index_one(tx, id, NULL, NULL);
}

int khm_store__search_index_new(khm_tx *tx, const khm_dataset *d, const json_t *meta)
{
    return index_one(tx, d->id, d, meta);
}

/* Call @p fn for every live dataset, in id order, a batch of ids at a time. */
static int each_live(khm_tx *tx, int (*fn)(khm_tx *, const char *))
{
    enum { BATCH = 500 };
    char(*ids)[KHM_ID_LEN] = khm_calloc(BATCH, KHM_ID_LEN);
    char after[KHM_ID_LEN] = "";
    int rc = ids ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    size_t got = BATCH;
    while (rc == 0 && got == BATCH) {
        khm_stmt *st;
        got = 0;
        if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_LIVE_IDS, &st)) < 0)
            break;
        D->bind_text(st, 1, after);
        D->bind_int64(st, 2, BATCH);
        while (got < BATCH && (rc = D->step(st)) == 1)
            khm_store__col_id(tx, st, 0, ids[got++]);
        D->reset(st);
        if (rc < 0)
            break;
        rc = 0;
        for (size_t i = 0; rc == 0 && i < got; i++)
            rc = fn(tx, ids[i]);
        if (got)
            memcpy(after, ids[got - 1], KHM_ID_LEN);
    }
    khm_free(ids);
    return rc;
}

int khm_store__search_reindex_all(khm_tx *tx)
{
    return each_live(tx, khm_store__search_index);
}
