/* Unit tests for src/assess/evaluate: Cohen's kappa against the textbook
 * example and edge cases; subgroup rates and the four-fifths flag. */
#include "../test_util.h"

#include "assess/evaluate.h"

static size_t fill(struct eval_record *r, size_t at, size_t count, int rec, int acc)
{
    for (size_t i = 0; i < count; i++)
        r[at + i] = (struct eval_record){.recommended = rec, .accepted = acc, .group = -1};
    return at + count;
}

static void test_kappa_textbook(void **state)
{
    (void)state;
    /* 50 cases: both yes 20, yes/no 5, no/yes 10, both no 15 -> kappa 0.4 */
    struct eval_record r[50];
    size_t n = fill(r, 0, 20, 1, 1);
    n = fill(r, n, 5, 1, 0);
    n = fill(r, n, 10, 0, 1);
    n = fill(r, n, 15, 0, 0);
    struct eval_kappa k;
    eval_kappa(r, n, &k);
    assert_int_equal(k.n, 50);
    assert_float_equal(k.observed, 0.7, 1e-9);
    assert_float_equal(k.expected, 0.5, 1e-9);
    assert_float_equal(k.kappa, 0.4, 1e-9);
    assert_true(k.ci_low < 0.4 && k.ci_high > 0.4);
    assert_true(k.se > 0.0);
}

static void test_kappa_edges(void **state)
{
    (void)state;
    struct eval_kappa k;
    eval_kappa(NULL, 0, &k);
    assert_int_equal(k.n, 0);
    struct eval_record same[10];
    fill(same, 0, 10, 1, 1);
    eval_kappa(same, 10, &k);
    assert_float_equal(k.kappa, 1.0, 1e-9); /* all in one cell */
    struct eval_record opp[10];
    size_t n = fill(opp, 0, 5, 1, 0);
    fill(opp, n, 5, 0, 1);
    eval_kappa(opp, 10, &k);
    assert_float_equal(k.kappa, -1.0, 1e-9);
    assert_true(k.ci_low >= -1.0);
}

static void test_four_fifths(void **state)
{
    (void)state;
    struct eval_record r[40];
    for (int i = 0; i < 20; i++) /* group 0: 16 of 20 accepted = 0.8 */
        r[i] = (struct eval_record){.accepted = i < 16, .override = i < 2, .group = 0};
    for (int i = 20; i < 40; i++) /* group 1: 10 of 20 = 0.5 -> ratio 0.625 */
        r[i] = (struct eval_record){.accepted = i < 30, .group = 1};
    struct eval_group g[3];
    eval_groups(r, 40, 3, g);
    assert_int_equal(g[0].n, 20);
    assert_float_equal(g[0].selection_rate, 0.8, 1e-9);
    assert_float_equal(g[0].override_rate, 0.1, 1e-9);
    assert_false(g[0].flagged);
    assert_float_equal(g[1].ratio_to_max, 0.625, 1e-9);
    assert_true(g[1].flagged);
    assert_int_equal(g[2].n, 0);
    assert_false(g[2].flagged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kappa_textbook),
        cmocka_unit_test(test_kappa_edges),
        cmocka_unit_test(test_four_fifths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
