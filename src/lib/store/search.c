/* Full-text search of datasets, the index side: what a dataset is found by (one definition,
 * khm_search_doc_build, for both backends) and keeping its entry current in the transaction of
 * every dataset write (records.c calls khm_store__search_index after each). The entry lives in
 * dataset_search (migration 5): on SQLite the four raw texts, which the FTS5 table dataset_fts
 * indexes through the "thai" tokenizer; on PostgreSQL one tsvector of khm_segment_join() of
 * each part, weighted A–D. The query side is khm_store_dataset_search (records.c). */
#include "store_internal.h"

#include <khomun/alloc.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
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

int khm_search_doc_build(khm_search_doc *doc, const char *title, const char *title_en,
                         const char *metadata, const char *agency_th, const char *agency_en)
{
    int rc;
    khm_buf_init(&doc->title, PART_MAX);
    khm_buf_init(&doc->tags, PART_MAX);
    khm_buf_init(&doc->agency, PART_MAX);
    khm_buf_init(&doc->body, PART_MAX);
    json_t *m = metadata ? json_loads(metadata, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (!json_is_object(m)) {
        json_decref(m);
        m = NULL;
    }
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
    json_decref(m);
    if (rc < 0)
        khm_search_doc_free(doc);
    return rc;
}

/* Bind part @p text at @p i: as is on SQLite (the FTS5 tokenizer segments it), as the
 * segmented words on PostgreSQL (to_tsvector('simple', …) splits them on the spaces). */
static int bind_part(khm_tx *tx, khm_stmt *st, int i, const khm_buf *text, khm_buf *seg)
{
    if (!khm_store__is_pg(tx->s))
        return D->bind_text(st, i, text->ptr ? text->ptr : "");
    khm_buf_reset(seg);
    int rc = khm_segment_join(text->ptr ? text->ptr : "", text->len, seg);
    if (rc < 0)
        return rc;
    return D->bind_text(st, i, seg->ptr ? seg->ptr : "");
}

int khm_store__search_index(khm_tx *tx, const char *id)
{
    khm_stmt *st;
    khm_search_doc doc;
    int rc, live = 0, built = 0;
    if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_SOURCE, &st)) < 0)
        return rc;
    D->bind_text(st, 1, id);
    rc = D->step(st);
    if (rc == 1) {
        live = D->col_is_null(st, 3);
        rc = live ? khm_search_doc_build(&doc, D->col_text(st, 0), D->col_text(st, 1),
                                         D->col_text(st, 2), D->col_text(st, 4), D->col_text(st, 5))
                  : 0;
        built = live && rc == 0;
    }
    D->reset(st);
    if (rc < 0)
        return rc;
    if ((rc = khm_store__stmt(tx, KHM_Q_SEARCH_DELETE, &st)) == 0) {
        D->bind_text(st, 1, id);
        rc = khm_store__run(tx, st);
    }
    if (rc == 0 && live && (rc = khm_store__stmt(tx, KHM_Q_SEARCH_INSERT, &st)) == 0) {
        khm_buf seg[4] = { KHM_BUF_INIT(PART_MAX), KHM_BUF_INIT(PART_MAX), KHM_BUF_INIT(PART_MAX),
                           KHM_BUF_INIT(PART_MAX) };
        D->bind_text(st, 1, id);
        if ((rc = bind_part(tx, st, 2, &doc.title, &seg[0])) == 0 &&
            (rc = bind_part(tx, st, 3, &doc.tags, &seg[1])) == 0 &&
            (rc = bind_part(tx, st, 4, &doc.agency, &seg[2])) == 0 &&
            (rc = bind_part(tx, st, 5, &doc.body, &seg[3])) == 0)
            rc = khm_store__run(tx, st);
        else
            D->reset(st);
        for (int k = 0; k < 4; k++)
            khm_buf_dispose(&seg[k]);
    }
    if (built)
        khm_search_doc_free(&doc);
    if (rc < 0)
        return khm_err_set(rc, "cannot index dataset %s for search: %s", id,
                           khm_err_last()->message);
    return 0;
}

int khm_store__search_reindex_all(khm_tx *tx)
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
            rc = khm_store__search_index(tx, ids[i]);
        if (got)
            memcpy(after, ids[got - 1], KHM_ID_LEN);
    }
    khm_free(ids);
    return rc;
}
