/* The catalog search as the unit tests ask it: the slugs a search finds, joined by spaces.
 * Header only, like unit.h. */
#ifndef KHM_UNIT_SEARCH_H
#define KHM_UNIT_SEARCH_H

#include "unit.h"

#include <khomun/catalog.h>
#include <khomun/store.h>

#include <stdio.h>

/* The slugs query @p q finds in @p s, joined by spaces into @p out; whether more follow in
 * *@p more (when not NULL). */
static inline const char *khm_test_find_names(khm_store *s, const khm_dataset_query *q, char *out,
                                              size_t cap, int *more)
{
    khm_tx *tx;
    khm_dataset *items;
    const char **keys;
    size_t n;
    int m;
    khm_arena *a = khm_arena_new(0);
    assert_int_equal(khm_tx_begin(&tx, s, 0), 0);
    if (khm_store_dataset_find(tx, q, &items, &keys, &n, &m, a) < 0)
        fail_msg("search '%s': %s", q->text ? q->text : "", khm_err_last()->message);
    khm_tx_rollback(tx);
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", items[i].slug);
    if (more)
        *more = m;
    khm_arena_free(a);
    return out;
}

/* The slugs @p q finds in @p s (with filter @p f when not NULL; by relevance, best first, a
 * page of 50), joined by spaces into @p out. */
static inline const char *khm_test_found(khm_store *s, const char *q, const khm_dataset_filter *f,
                                         char *out, size_t cap)
{
    khm_dataset_query dq = { q, KHM_DATASET_FILTER_INIT, KHM_DSORT_RELEVANCE, NULL, NULL, 50 };
    if (f)
        dq.filter = *f;
    return khm_test_find_names(s, &dq, out, cap, NULL);
}

#endif
