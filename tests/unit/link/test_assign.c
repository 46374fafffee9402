/* Unit tests for src/link/assign: mutual best, threshold, contested and tied
 * records reported, order independence, bad input. */
#include "../test_util.h"

#include "core/alloc.h"
#include "link/assign.h"

static void run(const struct assign_pair *p, size_t n, size_t na, size_t nb, double thr,
                size_t want_m, size_t want_c, struct assign_pair **m, struct assign_conflict **c)
{
    size_t nm = 0, nc = 0;
    assert_int_equal(assign_mutual_best(p, n, na, nb, thr, m, &nm, c, &nc), FN_OK);
    assert_int_equal(nm, want_m);
    assert_int_equal(nc, want_c);
}

static void test_mutual_best(void **state)
{
    (void)state;
    /* a0-b0 strong; a1 prefers b0 too but b0 prefers a0 -> contested;
     * a2-b2 below threshold; a3 tied between b3 and b4 */
    const struct assign_pair p[] = {{0, 0, 20.0}, {0, 1, 5.0},  {1, 0, 15.0}, {1, 1, 9.0},
                                    {2, 2, 2.0},  {3, 3, 12.0}, {3, 4, 12.0}};
    struct assign_pair *m = NULL;
    struct assign_conflict *c = NULL;
    run(p, 7, 4, 5, 8.0, 1, 2, &m, &c);
    assert_int_equal(m[0].a, 0);
    assert_int_equal(m[0].b, 0);
    assert_int_equal(c[0].a, 1);
    assert_int_equal(c[0].kind, ASSIGN_CONTESTED);
    assert_int_equal(c[1].a, 3);
    assert_int_equal(c[1].kind, ASSIGN_TIED);
    fn_free(m);
    fn_free(c);
    /* reversed input order gives the same result */
    struct assign_pair r[7];
    for (int i = 0; i < 7; i++)
        r[i] = p[6 - i];
    run(r, 7, 4, 5, 8.0, 1, 2, &m, &c);
    assert_int_equal(m[0].b, 0);
    assert_int_equal(c[1].kind, ASSIGN_TIED);
    fn_free(m);
    fn_free(c);
}

static void test_bad_input(void **state)
{
    (void)state;
    const struct assign_pair p[] = {{5, 0, 1.0}};
    struct assign_pair *m = NULL;
    struct assign_conflict *c = NULL;
    size_t nm = 0, nc = 0;
    assert_int_equal(assign_mutual_best(p, 1, 2, 2, 0.0, &m, &nm, &c, &nc), FN_INVALID);
    assert_null(m);
    assert_int_equal(assign_mutual_best(NULL, 0, 0, 0, 0.0, &m, &nm, &c, &nc), FN_OK);
    assert_int_equal(nm, 0);
    fn_free(m);
    fn_free(c);
    fn_alloc_fail_after(0, 0);
    assert_int_equal(assign_mutual_best(p, 1, 6, 2, 0.0, &m, &nm, &c, &nc), FN_NOMEM);
    fn_alloc_fail_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutual_best),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
