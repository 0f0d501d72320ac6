/* Tests for src/lib/store/meta.c: the installation's key/value settings. */
#include "unit.h"

static void test_store_meta__get_missing_is_enotfound(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    char *v = NULL;
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_meta_get(tx, "no_such_key", &v, e.arena), KHM_ENOTFOUND);
    assert_non_null(strstr(khm_err_last()->message, "no_such_key"));
    /* init leaves its own marker */
    assert_int_equal(khm_store_meta_get(tx, "initialised_at", &v, e.arena), 0);
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

static void test_store_meta__set_overwrite_get(void **state)
{
    (void)state;
    khm_test_env e;
    khm_test_env_open(&e);
    khm_tx *tx;
    char *v = NULL;

    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_meta_set(tx, "k", "ค่าแรก"), 0);
    assert_int_equal(khm_store_meta_get(tx, "k", &v, e.arena), 0);
    assert_string_equal(v, "ค่าแรก");
    assert_int_equal(khm_store_meta_set(tx, "k", "second"), 0);
    assert_int_equal(khm_store_meta_set(tx, "empty", ""), 0);
    assert_int_equal(khm_tx_commit(tx), 0);

    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_meta_get(tx, "k", &v, e.arena), 0);
    assert_string_equal(v, "second");
    assert_int_equal(khm_store_meta_get(tx, "empty", &v, e.arena), 0);
    assert_string_equal(v, "");
    khm_tx_rollback(tx);

    /* a rolled-back set leaves the old value */
    assert_int_equal(khm_tx_begin(&tx, e.store, 1), 0);
    assert_int_equal(khm_store_meta_set(tx, "k", "third"), 0);
    khm_tx_rollback(tx);
    assert_int_equal(khm_tx_begin(&tx, e.store, 0), 0);
    assert_int_equal(khm_store_meta_get(tx, "k", &v, e.arena), 0);
    assert_string_equal(v, "second");
    khm_tx_rollback(tx);
    khm_test_env_close(&e);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_store_meta__get_missing_is_enotfound),
              cmocka_unit_test(test_store_meta__set_overwrite_get))
