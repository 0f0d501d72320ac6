/* Tests for src/lib/base/arena.c: bump allocation, 16-byte alignment, string helpers, LIFO
 * cleanups, and clean failure under "fail the N-th allocation" fault injection. */
#include "unit.h"

#include <stdint.h>

static int reset_alloc(void **state)
{
    (void)state;
    khm_alloc_fail_after(0);
    return 0;
}

static void test_base_arena__many_small_and_one_huge(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(256);
    assert_non_null(a);
    enum { N = 5000 };
    static unsigned char *ptrs[N];
    size_t total = 0;
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 37) + 1;
        ptrs[i] = khm_arena_alloc(a, n);
        assert_non_null(ptrs[i]);
        memset(ptrs[i], i & 0xFF, n);
        total += n;
        if (i == N / 2) {
            /* far bigger than a block: a one-off that must not disturb the small ones */
            unsigned char *big = khm_arena_alloc(a, 1 << 20);
            assert_non_null(big);
            memset(big, 0xAB, 1 << 20);
            assert_int_equal(big[0], 0xAB);
            assert_int_equal(big[(1 << 20) - 1], 0xAB);
            total += 1 << 20;
        }
    }
    /* nothing overlapped: every block still holds its own pattern */
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 37) + 1;
        for (size_t j = 0; j < n; j++)
            assert_int_equal(ptrs[i][j], i & 0xFF);
    }
    assert_int_equal(khm_arena_used(a), total);
    khm_arena_free(a);
}

static void test_base_arena__alignment_is_16(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(100); /* a block size that is not a multiple of 16 */
    assert_non_null(a);
    for (size_t n = 0; n < 300; n++) {
        void *p = khm_arena_alloc(a, n % 50);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        void *q = khm_arena_calloc(a, n % 7, 3);
        assert_non_null(q);
        assert_int_equal((uintptr_t)q % 16, 0);
    }
    void *big = khm_arena_alloc(a, 5000);
    assert_int_equal((uintptr_t)big % 16, 0);
    void *after = khm_arena_alloc(a, 3);
    assert_int_equal((uintptr_t)after % 16, 0);
    char *s = khm_arena_strdup(a, "ก");
    assert_int_equal((uintptr_t)s % 16, 0);
    khm_arena_free(a);
}

static void test_base_arena__calloc_zeroes_and_checks_overflow(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(0);
    assert_non_null(a);
    /* dirty the block first so a zeroed result is not an accident of fresh memory */
    unsigned char *dirty = khm_arena_alloc(a, 512);
    memset(dirty, 0xFF, 512);
    unsigned char *z = khm_arena_calloc(a, 25, 20);
    assert_non_null(z);
    for (int i = 0; i < 500; i++)
        assert_int_equal(z[i], 0);
    assert_null(khm_arena_calloc(a, SIZE_MAX / 2, 3));
    assert_null(khm_arena_alloc(a, SIZE_MAX));
    assert_null(khm_arena_alloc(a, SIZE_MAX / 2 + 1));
    khm_arena_free(a);
    assert_null(khm_arena_alloc(NULL, 8));
    khm_arena_free(NULL);
}

static void test_base_arena__strdup_strndup_printf(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(32); /* small blocks: strings straddle block ends */
    assert_non_null(a);
    const char *th = "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)";
    char *d = khm_arena_strdup(a, th);
    assert_non_null(d);
    assert_ptr_not_equal(d, th);
    assert_string_equal(d, th);
    assert_null(khm_arena_strdup(a, NULL));

    /* strndup takes a span that is not NUL-terminated: "กรม" out of "กรมสรรพากร" */
    const char *span = "กรมสรรพากร";
    char *n = khm_arena_strndup(a, span, strlen("กรม"));
    assert_string_equal(n, "กรม");
    char *empty = khm_arena_strndup(a, NULL, 0);
    assert_non_null(empty);
    assert_string_equal(empty, "");

    char *p = khm_arena_printf(a, "%s พ.ศ. %d (%05.1f%%)", "ปีงบประมาณ", 2569, 12.5);
    assert_string_equal(p, "ปีงบประมาณ พ.ศ. 2569 (012.5%)");
    char *e = khm_arena_printf(a, "%s", "");
    assert_string_equal(e, "");
    /* longer than the block size */
    char *long_p = khm_arena_printf(a, "%0200d", 7);
    assert_int_equal(strlen(long_p), 200);
    assert_int_equal(long_p[199], '7');
    assert_string_equal(d, th); /* earlier strings survive later allocations */
    khm_arena_free(a);
}

static void test_base_arena__used_counts_bytes_handed_out(void **state)
{
    (void)state;
    khm_arena *a = khm_arena_new(64);
    assert_non_null(a);
    assert_int_equal(khm_arena_used(a), 0);
    khm_arena_alloc(a, 5);
    assert_int_equal(khm_arena_used(a), 5);
    khm_arena_strdup(a, "abc");
    assert_int_equal(khm_arena_used(a), 9);
    khm_arena_alloc(a, 1000);
    assert_int_equal(khm_arena_used(a), 1009);
    khm_arena_printf(a, "%d", 12345);
    assert_int_equal(khm_arena_used(a), 1015);
    assert_int_equal(khm_arena_used(NULL), 0);
    khm_arena_free(a);
}

struct trace {
    int order[8];
    int n;
};
struct cleanup_arg {
    struct trace *t;
    int id;
};

static void record(void *p)
{
    struct cleanup_arg *c = p;
    c->t->order[c->t->n++] = c->id;
}

static void test_base_arena__cleanups_run_lifo_exactly_once(void **state)
{
    (void)state;
    struct trace t = { { 0 }, 0 };
    struct cleanup_arg args[4] = { { &t, 1 }, { &t, 2 }, { &t, 3 }, { &t, 4 } };
    khm_arena *a = khm_arena_new(0);
    assert_non_null(a);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(khm_arena_on_free(a, record, &args[i]), 0);
        khm_arena_alloc(a, 100);
    }
    assert_int_equal(t.n, 0); /* nothing runs before the free */
    khm_arena_free(a);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.order[0], 4);
    assert_int_equal(t.order[1], 3);
    assert_int_equal(t.order[2], 2);
    assert_int_equal(t.order[3], 1);
}

static void count_call(void *p)
{
    (*(int *)p)++;
}

static void test_base_arena__on_free_oom_runs_fn_at_once(void **state)
{
    (void)state;
    int calls = 0;
    khm_arena *a = khm_arena_new(0); /* no block yet: registering must allocate */
    assert_non_null(a);
    khm_err_clear();
    khm_alloc_fail_after(1);
    assert_int_equal(khm_arena_on_free(a, count_call, &calls), KHM_ENOMEM);
    khm_alloc_fail_after(0);
    assert_int_equal(calls, 1);
    assert_int_equal(khm_err_last()->code, KHM_ENOMEM);
    khm_arena_free(a);
    assert_int_equal(calls, 1); /* not run a second time at free */
    /* with no arena at all the payload is still released */
    assert_int_equal(khm_arena_on_free(NULL, count_call, &calls), KHM_ENOMEM);
    assert_int_equal(calls, 2);
}

static void test_base_arena__new_fails_cleanly(void **state)
{
    (void)state;
    khm_alloc_fail_after(1);
    assert_null(khm_arena_new(0));
    khm_alloc_fail_after(0);
}

/* One request's worth of arena calls. Returns 1 when every call succeeded. Each result is
 * either NULL (a clean failure) or fully usable; *registered says whether on_free was tried. */
static int arena_sequence(int *cleanup_calls, int *registered)
{
    khm_arena *a = khm_arena_new(128);
    if (!a)
        return 0;
    int ok = 1;
    for (int i = 0; i < 12; i++) {
        unsigned char *p = khm_arena_alloc(a, 40);
        if (p)
            memset(p, i, 40);
        else
            ok = 0;
    }
    char *s = khm_arena_strdup(a, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    if (s)
        assert_string_equal(s, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
    else
        ok = 0;
    unsigned char *big = khm_arena_alloc(a, 4096);
    if (big)
        memset(big, 0x5A, 4096);
    else
        ok = 0;
    char *p = khm_arena_printf(a, "%s-%d", "ชุดข้อมูล", 42);
    if (p)
        assert_string_equal(p, "ชุดข้อมูล-42");
    else
        ok = 0;
    unsigned char *z = khm_arena_calloc(a, 10, 30);
    if (z)
        assert_int_equal(z[299], 0);
    else
        ok = 0;
    *registered = 1;
    if (khm_arena_on_free(a, count_call, cleanup_calls) != 0) {
        assert_int_equal(khm_err_last()->code, KHM_ENOMEM);
        assert_int_equal(*cleanup_calls, 1); /* released at once */
        ok = 0;
    }
    char *n = khm_arena_strndup(a, "ข้อมูลส่วนบุคคล", strlen("ข้อมูล"));
    if (n)
        assert_string_equal(n, "ข้อมูล");
    else
        ok = 0;
    khm_arena_free(a);
    return ok;
}

static void test_base_arena__fault_injection_every_allocation(void **state)
{
    (void)state;
    size_t n;
    int succeeded = 0;
    for (n = 1; n < 1000; n++) {
        int calls = 0, registered = 0;
        khm_alloc_fail_after(n);
        int ok = arena_sequence(&calls, &registered);
        khm_alloc_fail_after(0);
        /* a registered cleanup runs exactly once, whether registration failed or not */
        assert_int_equal(calls, registered);
        if (ok) {
            succeeded = 1;
            break;
        }
    }
    assert_true(succeeded);
    assert_true(n > 3); /* the sequence allocates several times: failures were exercised */
}

KHM_UNIT_MAIN(cmocka_unit_test(test_base_arena__many_small_and_one_huge),
              cmocka_unit_test(test_base_arena__alignment_is_16),
              cmocka_unit_test(test_base_arena__calloc_zeroes_and_checks_overflow),
              cmocka_unit_test(test_base_arena__strdup_strndup_printf),
              cmocka_unit_test(test_base_arena__used_counts_bytes_handed_out),
              cmocka_unit_test(test_base_arena__cleanups_run_lifo_exactly_once),
              cmocka_unit_test_teardown(test_base_arena__on_free_oom_runs_fn_at_once, reset_alloc),
              cmocka_unit_test_teardown(test_base_arena__new_fails_cleanly, reset_alloc),
              cmocka_unit_test_teardown(test_base_arena__fault_injection_every_allocation,
                                        reset_alloc))
