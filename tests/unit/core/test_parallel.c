/*
 * Tests for core/parallel: every index is visited exactly once, ranges are
 * fixed by n and the thread count, the lowest failing range's status is
 * returned, and thread counts out of range are clamped.
 */
#include "../test_util.h"

#include <stdatomic.h>

#include "core/parallel.h"

struct visit {
    atomic_uint *seen; /* per index: visits */
    size_t from[FN_PARALLEL_MAX], to[FN_PARALLEL_MAX];
    int fail_range; /* -1: none */
    fn_status fail_status;
};

static fn_status visit_range(void *ctx, int range, size_t from, size_t to)
{
    struct visit *v = ctx;
    v->from[range] = from;
    v->to[range] = to;
    for (size_t i = from; i < to; i++)
        atomic_fetch_add(&v->seen[i], 1);
    return range == v->fail_range ? v->fail_status : FN_OK;
}

static void test_every_index_once(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 2, 7, 64, 1000, 4099};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int threads = 1; threads <= 9; threads++) {
            size_t n = sizes[s];
            struct visit v = {0};
            v.fail_range = -1;
            v.seen = calloc(n ? n : 1, sizeof *v.seen);
            assert_non_null(v.seen);
            assert_int_equal(fn_parallel_ranges(threads, n, visit_range, &v), FN_OK);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(v.seen[i], 1);
            /* contiguous ranges in order, covering [0, n) */
            size_t at = 0;
            for (int t = 0; t < threads; t++) {
                assert_true(v.from[t] == at || v.from[t] == v.to[t]);
                if (v.to[t] > v.from[t])
                    at = v.to[t];
            }
            assert_int_equal(at, n);
            free(v.seen);
        }
}

static void test_lowest_failure_wins(void **state)
{
    (void)state;
    struct visit v = {0};
    v.seen = calloc(100, sizeof *v.seen);
    assert_non_null(v.seen);
    v.fail_range = 2;
    v.fail_status = FN_NOMEM;
    assert_int_equal(fn_parallel_ranges(4, 100, visit_range, &v), FN_NOMEM);
    /* the other ranges still ran */
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(v.seen[i], 1);
    free(v.seen);
}

static void test_thread_counts_clamped(void **state)
{
    (void)state;
    struct visit v = {0};
    v.fail_range = -1;
    v.seen = calloc(1000, sizeof *v.seen);
    assert_non_null(v.seen);
    assert_int_equal(fn_parallel_ranges(0, 1000, visit_range, &v), FN_OK); /* as 1 */
    assert_int_equal(v.to[0], 1000);
    assert_int_equal(fn_parallel_ranges(500, 1000, visit_range, &v), FN_OK); /* as 64 */
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(v.seen[i], 2);
    free(v.seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_index_once),
        cmocka_unit_test(test_lowest_failure_wins),
        cmocka_unit_test(test_thread_counts_clamped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
