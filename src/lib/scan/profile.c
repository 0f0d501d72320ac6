/* Column profiling: which type dominates a column (most rows matched), and how sure we are. */
#include "scan_int.h"

#include <khomun/alloc.h>

int khm_profile_dominant(const khm_profile *p, size_t col)
{
    int best = -1;
    if (!p || col >= p->ncols)
        return -1;
    for (size_t d = 0; d < p->ndet; d++)
        if (p->cols[col].matched[d] > 0 &&
            (best < 0 || p->cols[col].matched[d] > p->cols[col].matched[best]))
            best = (int)d;
    return best;
}

void khm_profile_dispose(khm_profile *p)
{
    for (size_t k = 0; p && k < p->ncols; k++) {
        khm_free(p->cols[k].field);
        khm_free(p->cols[k].matched);
        khm_free(p->cols[k].score_sum);
        khm_free(p->cols[k].last_hit);
    }
    if (p) {
        khm_free(p->cols);
        p->cols = NULL;
        p->ncols = 0;
    }
}
