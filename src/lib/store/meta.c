/* Installation settings: a key/value table (demo seeded?, installation id, …). */
#include "store_internal.h"

#include <khomun/err.h>

int khm_store_meta_get(khm_tx *tx, const char *key, char **out, khm_arena *a)
{
    const khm_store_driver *d = tx->s->drv;
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_META_GET, &st);
    if (rc < 0)
        return rc;
    d->bind_text(st, 1, key);
    rc = d->step(st);
    if (rc == 1) {
        const char *v = tx->s->drv->col_text(st, 0);
        *out = khm_arena_strdup(a, v ? v : "");
        rc = *out ? 0 : khm_err_set(KHM_ENOMEM, "out of memory");
    } else if (rc == 0) {
        rc = khm_err_set(KHM_ENOTFOUND, "no setting '%s'", key);
    }
    d->reset(st);
    return rc;
}

int khm_store_meta_set(khm_tx *tx, const char *key, const char *value)
{
    khm_stmt *st;
    int rc = khm_store__stmt(tx, KHM_Q_META_SET, &st);
    if (rc < 0)
        return rc;
    tx->s->drv->bind_text(st, 1, key);
    tx->s->drv->bind_text(st, 2, value);
    return khm_store__run(tx, st);
}
