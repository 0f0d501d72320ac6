/* Tests for src/lib/base/alloc.c: the one allocator and its "fail the N-th allocation" hook. */
#include "unit.h"

#include <stdint.h>

static int reset_alloc(void **state)
{
    (void)state;
    khm_alloc_fail_after(0);
    return 0;
}

static void test_base_alloc__fail_after_fails_nth_and_later(void **state)
{
    (void)state;
    khm_alloc_fail_after(3);
    void *a = khm_malloc(10);
    char *b = khm_strdup("กรมการปกครอง");
    void *c = khm_calloc(4, 4); /* the 3rd: fails */
    void *d = khm_malloc(1);    /* and every one after it */
    void *e = khm_realloc(NULL, 8);
    char *f = khm_strdup("x");
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_null(d);
    assert_null(e);
    assert_null(f);
    /* the hook reports how many allocations were attempted since the previous call */
    assert_int_equal(khm_alloc_fail_after(0), 6);
    void *g = khm_malloc(16);
    assert_non_null(g);
    khm_free(a);
    khm_free(b);
    khm_free(g);
}

static void test_base_alloc__fail_after_one_fails_the_next(void **state)
{
    (void)state;
    khm_alloc_fail_after(1);
    assert_null(khm_malloc(1));
    assert_null(khm_calloc(1, 1));
    khm_alloc_fail_after(2);
    void *p = khm_malloc(1);
    assert_non_null(p);
    assert_null(khm_malloc(1));
    khm_free(p);
}

static void test_base_alloc__zero_turns_injection_off(void **state)
{
    (void)state;
    khm_alloc_fail_after(1);
    khm_alloc_fail_after(0);
    void *ps[1000];
    for (int i = 0; i < 1000; i++) {
        ps[i] = khm_malloc((size_t)i);
        assert_non_null(ps[i]);
    }
    for (int i = 0; i < 1000; i++)
        khm_free(ps[i]);
    assert_int_equal(khm_alloc_fail_after(0), 1000);
}

static void test_base_alloc__realloc_failure_keeps_the_block(void **state)
{
    (void)state;
    char *p = khm_malloc(4);
    assert_non_null(p);
    memcpy(p, "abc", 4);
    khm_alloc_fail_after(1);
    assert_null(khm_realloc(p, 1 << 20));
    khm_alloc_fail_after(0);
    assert_string_equal(p, "abc"); /* still ours, still intact */
    char *q = khm_realloc(p, 1 << 16);
    assert_non_null(q);
    assert_string_equal(q, "abc");
    khm_free(q);
}

static void test_base_alloc__calloc_checks_overflow_and_zeroes(void **state)
{
    (void)state;
    assert_null(khm_calloc(SIZE_MAX / 2, 3));
    assert_null(khm_calloc(SIZE_MAX, SIZE_MAX));
    assert_null(khm_calloc((SIZE_MAX >> 4) + 1, 16));
    unsigned char *z = khm_calloc(100, 7);
    assert_non_null(z);
    for (int i = 0; i < 700; i++)
        assert_int_equal(z[i], 0);
    khm_free(z);
    /* zero sizes still give a pointer that can be freed */
    void *e1 = khm_calloc(0, 8), *e2 = khm_calloc(8, 0), *e3 = khm_malloc(0);
    assert_non_null(e1);
    assert_non_null(e2);
    assert_non_null(e3);
    khm_free(e1);
    khm_free(e2);
    khm_free(e3);
    khm_free(NULL);
}

static void test_base_alloc__strdup_copies_thai(void **state)
{
    (void)state;
    const char *s = "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล";
    char *d = khm_strdup(s);
    assert_non_null(d);
    assert_ptr_not_equal(d, s);
    assert_string_equal(d, s);
    khm_free(d);
    assert_null(khm_strdup(NULL));
    char *e = khm_strdup("");
    assert_non_null(e);
    assert_string_equal(e, "");
    khm_free(e);
    khm_alloc_fail_after(1);
    assert_null(khm_strdup(s));
}

KHM_UNIT_MAIN(
    cmocka_unit_test_teardown(test_base_alloc__fail_after_fails_nth_and_later, reset_alloc),
    cmocka_unit_test_teardown(test_base_alloc__fail_after_one_fails_the_next, reset_alloc),
    cmocka_unit_test_teardown(test_base_alloc__zero_turns_injection_off, reset_alloc),
    cmocka_unit_test_teardown(test_base_alloc__realloc_failure_keeps_the_block, reset_alloc),
    cmocka_unit_test_teardown(test_base_alloc__calloc_checks_overflow_and_zeroes, reset_alloc),
    cmocka_unit_test_teardown(test_base_alloc__strdup_copies_thai, reset_alloc))
