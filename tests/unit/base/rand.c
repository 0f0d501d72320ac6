/* Tests for src/lib/base/rand.c: UUIDv7 layout, monotonic order within a process (also across
 * threads), the embedded timestamp, and the canonical-form check. */
#include "unit.h"

#include <pthread.h>

static void assert_v7(const char *id)
{
    assert_int_equal(strlen(id), 36);
    assert_true(khm_id_valid(id, strlen(id)));
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(id[i], '-');
        else
            assert_true((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'));
    }
    assert_int_equal(id[14], '7');           /* version nibble */
    assert_non_null(strchr("89ab", id[19])); /* variant 10xx */
}

static void test_base_rand__id_format(void **state)
{
    (void)state;
    for (int i = 0; i < 100; i++) {
        char id[KHM_ID_LEN];
        memset(id, 'Z', sizeof(id));
        khm_id_new(id);
        assert_v7(id);
    }
}

static void test_base_rand__id_time_is_now(void **state)
{
    (void)state;
    int64_t before = khm_time_now_ms();
    char id[KHM_ID_LEN];
    khm_id_new(id);
    int64_t after = khm_time_now_ms();
    int64_t t = khm_id_time_ms(id);
    assert_true(t >= before);
    assert_true(t <= after + 5); /* the sequence counter may borrow a millisecond */
}

static void test_base_rand__ids_strictly_increase(void **state)
{
    (void)state;
    enum { N = 10000 };
    char prev[KHM_ID_LEN], cur[KHM_ID_LEN];
    khm_id_new(prev);
    int64_t start = khm_id_time_ms(prev);
    for (int i = 0; i < N; i++) {
        khm_id_new(cur);
        assert_v7(cur);
        if (strcmp(prev, cur) >= 0)
            fail_msg("id %d not after its predecessor: %s then %s", i, prev, cur);
        assert_true(khm_id_time_ms(cur) >= khm_id_time_ms(prev));
        memcpy(prev, cur, sizeof(cur));
    }
    /* strictly increasing, so all unique; and the clock was not run far ahead */
    assert_true(khm_id_time_ms(prev) - start < 10000);
}

struct batch {
    char (*ids)[KHM_ID_LEN];
    int n;
    int ordered;
};

static void *make_ids(void *arg)
{
    struct batch *b = arg;
    b->ordered = 1;
    for (int i = 0; i < b->n; i++) {
        khm_id_new(b->ids[i]);
        if (i && strcmp(b->ids[i - 1], b->ids[i]) >= 0)
            b->ordered = 0;
    }
    return NULL;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_base_rand__ids_unique_across_threads(void **state)
{
    (void)state;
    enum { T = 4, N = 3000 };
    static char ids[T * N][KHM_ID_LEN];
    struct batch b[T];
    pthread_t th[T];
    for (int t = 0; t < T; t++) {
        b[t].ids = &ids[t * N];
        b[t].n = N;
        assert_int_equal(pthread_create(&th[t], NULL, make_ids, &b[t]), 0);
    }
    for (int t = 0; t < T; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_true(b[t].ordered);
    }
    qsort(ids, T * N, KHM_ID_LEN, cmp_id);
    for (int i = 1; i < T * N; i++)
        assert_string_not_equal(ids[i - 1], ids[i]);
}

static void test_base_rand__id_time_ms_decodes(void **state)
{
    (void)state;
    /* 0x0193b6b27c1e = 1733936970782 ms = 2024-12-11T17:09:30.782Z */
    assert_int_equal(khm_id_time_ms("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e"), 1733936970782LL);
    char t[KHM_TIME_RFC3339_LEN];
    khm_time_format(t, khm_id_time_ms("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e"));
    assert_string_equal(t, "2024-12-11T17:09:30.782Z");
    assert_int_equal(khm_id_time_ms("00000000-0000-7000-8000-000000000000"), 0);
    assert_int_equal(khm_id_time_ms("ffffffff-ffff-7fff-bfff-ffffffffffff"), 0xFFFFFFFFFFFFLL);
    /* not version 7, or not an id at all */
    assert_int_equal(khm_id_time_ms("0193b6b2-7c1e-4a3b-8f3e-2d1c0b9a8f7e"), -1);
    assert_int_equal(khm_id_time_ms("0193B6B2-7C1E-7A3B-8F3E-2D1C0B9A8F7E"), -1);
    assert_int_equal(khm_id_time_ms("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7"), -1);
    assert_int_equal(khm_id_time_ms(""), -1);
    assert_int_equal(khm_id_time_ms(NULL), -1);
}

static void test_base_rand__id_valid_rejects(void **state)
{
    (void)state;
    const char *good = "0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e";
    assert_true(khm_id_valid(good, 36));
    assert_false(khm_id_valid(good, 35));                                    /* short */
    assert_false(khm_id_valid("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e0", 37)); /* long */
    assert_false(khm_id_valid("0193B6B2-7C1E-7A3B-8F3E-2D1C0B9A8F7E", 36));  /* upper case */
    assert_false(khm_id_valid("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7E", 36));
    assert_false(khm_id_valid("0193b6b27c1e7a3b8f3e2d1c0b9a8f7e", 32));     /* no dashes */
    assert_false(khm_id_valid("0193b6b2a7c1e-7a3b-8f3e-2d1c0b9a8f7e", 36)); /* dash moved */
    assert_false(khm_id_valid("0193b6b2-7c1e-7a3b-8f3e_2d1c0b9a8f7e", 36));
    assert_false(khm_id_valid("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7g", 36)); /* not hex */
    assert_false(khm_id_valid("{193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7}", 36));
    assert_false(khm_id_valid("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a\0f7e", 36));
    assert_false(khm_id_valid("", 0));
    /* the length given is what counts, not a NUL */
    assert_true(khm_id_valid("0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e/extra", 36));
}

static void test_base_rand__bytes_differ(void **state)
{
    (void)state;
    uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };
    khm_rand_bytes(a, sizeof(a));
    khm_rand_bytes(b, sizeof(b));
    assert_memory_not_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, zero, sizeof(a));
    khm_rand_bytes(a, 0);
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_rand__id_format),
              cmocka_unit_test(test_base_rand__id_time_is_now),
              cmocka_unit_test(test_base_rand__ids_strictly_increase),
              cmocka_unit_test(test_base_rand__ids_unique_across_threads),
              cmocka_unit_test(test_base_rand__id_time_ms_decodes),
              cmocka_unit_test(test_base_rand__id_valid_rejects),
              cmocka_unit_test(test_base_rand__bytes_differ))
