/*
 * Unit tests for src/link/fsmodel: EM recovers known m-probabilities and the
 * match share from generated comparison vectors without labels; weights
 * explain themselves (contributions sum to the weight); classification by
 * posterior is accurate; results are deterministic; bad input is refused.
 */
#include "../test_util.h"

#include <math.h>

#include "core/alloc.h"
#include "link/fsmodel.h"

#define NF 3
static const int nlevels[NF] = {7, 7, 4};
/* true distributions: family name, birth date, AZR number */
static const double m_true[NF][7] = {{0.70, 0.15, 0.08, 0.04, 0.02, 0.005, 0.005},
                                     {0.75, 0.08, 0.08, 0.03, 0.03, 0.005, 0.005},
                                     {0.55, 0.40, 0.03, 0.02}};
static const double u_true[NF][7] = {{0.02, 0.01, 0.02, 0.05, 0.10, 0.20, 0.60},
                                     {0.05, 0.02, 0.01, 0.005, 0.005, 0.01, 0.90},
                                     {0.001, 0.60, 0.009, 0.39}};

static uint64_t rng = 0xC0FFEE;
static double uniform(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static uint8_t draw(const double *dist, int n)
{
    double x = uniform(), acc = 0.0;
    for (int l = 0; l < n; l++) {
        acc += dist[l];
        if (x < acc)
            return (uint8_t)l;
    }
    return (uint8_t)(n - 1);
}

/* 20,000 candidates, 20 % matches; 20,000 random pairs (non-matches). */
static void generate(struct fs_patterns *cand, struct fs_patterns *rnd, uint8_t *truth,
                     uint8_t (*vectors)[NF])
{
    assert_int_equal(fs_patterns_init(cand, NF), FN_OK);
    assert_int_equal(fs_patterns_init(rnd, NF), FN_OK);
    for (int i = 0; i < 20000; i++) {
        int match = uniform() < 0.2;
        uint8_t v[NF];
        for (int f = 0; f < NF; f++)
            v[f] = draw(match ? m_true[f] : u_true[f], nlevels[f]);
        assert_int_equal(fs_patterns_add(cand, v, 1), FN_OK);
        truth[i] = (uint8_t)match;
        memcpy(vectors[i], v, NF);
        uint8_t r[NF];
        for (int f = 0; f < NF; f++)
            r[f] = draw(u_true[f], nlevels[f]);
        assert_int_equal(fs_patterns_add(rnd, r, 1), FN_OK);
    }
}

static void test_em_recovers_truth(void **state)
{
    (void)state;
    static uint8_t truth[20000];
    static uint8_t vectors[20000][NF];
    struct fs_patterns cand, rnd;
    rng = 0xC0FFEE;
    generate(&cand, &rnd, truth, vectors);
    assert_true(cand.n < 200); /* compressed to distinct patterns */
    struct fs_model fm;
    assert_int_equal(fs_model_init(&fm, NF, nlevels, &rnd), FN_OK);
    assert_int_equal(fs_model_em(&fm, &cand, 500, 1e-7), FN_OK);
    assert_true(fm.iterations > 1 && fm.iterations < 500); /* converged */
    if (fabs(fm.p - 0.2) > 0.02)
        fail_msg("p = %f, want 0.2", fm.p);
    for (int f = 0; f < NF; f++)
        if (fabs(fm.m[f][0] - m_true[f][0]) > 0.05)
            fail_msg("m[%d][0] = %f, want %f", f, fm.m[f][0], m_true[f][0]);
    /* classification by posterior, and contributions explain the weight */
    int correct = 0;
    for (int i = 0; i < 20000; i++) {
        double contrib[NF];
        double w = fs_model_weight(&fm, vectors[i], contrib);
        assert_true(fabs(contrib[0] + contrib[1] + contrib[2] - w) < 1e-9);
        int predicted = fs_model_posterior(&fm, w) > 0.5;
        correct += predicted == truth[i];
    }
    if (correct < 19400)
        fail_msg("accuracy %d / 20000", correct);
    /* agreement on the best level must weigh positive, disagreement negative */
    assert_true(fm.weight[0][0] > 3.0);
    assert_true(fm.weight[0][6] < -3.0);
    fs_patterns_free(&cand);
    fs_patterns_free(&rnd);
}

static void test_deterministic(void **state)
{
    (void)state;
    static uint8_t truth[20000];
    static uint8_t vectors[20000][NF];
    struct fs_model a, b;
    for (int run = 0; run < 2; run++) {
        struct fs_patterns cand, rnd;
        rng = 0xBEEF;
        generate(&cand, &rnd, truth, vectors);
        struct fs_model *fm = run ? &b : &a;
        assert_int_equal(fs_model_init(fm, NF, nlevels, &rnd), FN_OK);
        assert_int_equal(fs_model_em(fm, &cand, 200, 1e-9), FN_OK);
        fs_patterns_free(&cand);
        fs_patterns_free(&rnd);
    }
    assert_memory_equal(&a, &b, sizeof a);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct fs_patterns ps;
    assert_int_equal(fs_patterns_init(&ps, 0), FN_INVALID);
    assert_int_equal(fs_patterns_init(&ps, NF), FN_OK);
    uint8_t v[NF] = {9, 0, 0}; /* level out of range */
    assert_int_equal(fs_patterns_add(&ps, v, 1), FN_OK);
    struct fs_model fm;
    assert_int_equal(fs_model_init(&fm, NF, nlevels, &ps), FN_INVALID);
    struct fs_patterns empty;
    assert_int_equal(fs_patterns_init(&empty, NF), FN_OK);
    assert_int_equal(fs_model_init(&fm, NF, nlevels, &empty), FN_OK);
    assert_int_equal(fs_model_em(&fm, &empty, 10, 1e-6), FN_INVALID);
    fs_patterns_free(&ps);
    fs_patterns_free(&empty);
    fs_patterns_free(NULL);
    fn_alloc_fail_after(0, 0);
    assert_int_equal(fs_patterns_init(&ps, NF), FN_NOMEM);
    fn_alloc_fail_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_em_recovers_truth),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
