/*
 * Unit tests for src/link/block: union of keys, each candidate once, missing
 * keys ignored, oversized blocks skipped and counted, output cap, and a
 * randomized comparison with a brute-force reference; the unsorted variant
 * gives the same set, also when capped, and leaves its bitmap clean.
 */
#include "../test_util.h"

#include "core/alloc.h"
#include "link/block.h"

static void test_union_and_dedupe(void **state)
{
    (void)state;
    /* 4 indexed records, 2 key kinds: AZR number, name+year */
    uint64_t keys[4 * 2] = {block_hash(0, "123456789012"),
                            block_hash(1, "mhmd|1990"),
                            0,
                            block_hash(1, "mhmd|1990"),
                            block_hash(0, "999999999999"),
                            block_hash(1, "hsn|1985"),
                            block_hash(0, "123456789012"),
                            0};
    struct block_index *ix = NULL;
    assert_int_equal(block_index_build(keys, 4, 2, 100, &ix), FN_OK);
    uint64_t q[2] = {block_hash(0, "123456789012"), block_hash(1, "mhmd|1990")};
    uint32_t out[16];
    size_t n = 0, skipped = 0;
    assert_int_equal(block_candidates(ix, q, out, 16, &n, &skipped), FN_OK);
    assert_int_equal(n, 3); /* records 0 (both keys, once), 1, 3 */
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 3);
    assert_int_equal(skipped, 0);
    /* the same string under another kind is another key */
    uint64_t q2[2] = {block_hash(1, "123456789012"), 0};
    assert_int_equal(block_candidates(ix, q2, out, 16, &n, &skipped), FN_OK);
    assert_int_equal(n, 0);
    assert_int_equal(block_hash(0, ""), 0);
    block_index_free(ix);
    block_index_free(NULL);
}

static void test_oversized_block_and_cap(void **state)
{
    (void)state;
    uint64_t keys[50];
    for (int i = 0; i < 50; i++)
        keys[i] = block_hash(0, "mhmd|0000"); /* a key too common to discriminate */
    struct block_index *ix = NULL;
    assert_int_equal(block_index_build(keys, 50, 1, 20, &ix), FN_OK);
    uint32_t out[64];
    size_t n = 0, skipped = 0;
    assert_int_equal(block_candidates(ix, keys, out, 64, &n, &skipped), FN_OK);
    assert_int_equal(n, 0);
    assert_int_equal(skipped, 1);
    block_index_free(ix);
    assert_int_equal(block_index_build(keys, 50, 1, 100, &ix), FN_OK);
    assert_int_equal(block_candidates(ix, keys, out, 10, &n, &skipped), FN_TOO_LARGE);
    assert_int_equal(n, 10);
    block_index_free(ix);
    assert_int_equal(block_index_build(keys, 50, 0, 10, &ix), FN_INVALID);
    fn_alloc_fail_after(0, 0);
    assert_int_equal(block_index_build(keys, 50, 1, 10, &ix), FN_NOMEM);
    fn_alloc_fail_reset();
}

/* Records of keys[n * k] sharing at least one key with record r. */
static size_t brute_force_count(const uint64_t *keys, int n, int k, int r)
{
    size_t expected = 0;
    for (int o = 0; o < n; o++) {
        int hit = 0;
        for (int j = 0; j < k; j++)
            hit |= keys[r * k + j] && keys[r * k + j] == keys[o * k + j];
        expected += hit != 0;
    }
    return expected;
}

static void test_matches_brute_force(void **state)
{
    (void)state;
    enum { N = 3000, K = 3 };
    static uint64_t keys[N * K];
    uint64_t x = 42;
    for (int i = 0; i < N * K; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        keys[i] = (x >> 60) == 0 ? 0 : 1 + ((x >> 33) % 400); /* some missing */
    }
    struct block_index *ix = NULL;
    assert_int_equal(block_index_build(keys, N, K, 1000, &ix), FN_OK);
    static uint32_t out[N];
    for (int r = 0; r < 200; r++) {
        size_t n = 0, skipped = 0;
        assert_int_equal(block_candidates(ix, &keys[r * K], out, N, &n, &skipped), FN_OK);
        assert_int_equal(n, brute_force_count(keys, N, K, r));
        for (size_t i = 1; i < n; i++)
            assert_true(out[i - 1] < out[i]);
    }
    block_index_free(ix);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void test_unsorted_same_set(void **state)
{
    (void)state;
    enum { N = 3000, K = 4 };
    static uint64_t keys[N * K];
    uint64_t x = 7;
    for (int i = 0; i < N * K; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        keys[i] = (x >> 61) == 0 ? 0 : 1 + ((x >> 33) % 60); /* big, overlapping blocks */
    }
    struct block_index *ix = NULL;
    assert_int_equal(block_index_build(keys, N, K, 1000, &ix), FN_OK);
    static uint32_t sorted[N * K], unsorted[N * K];
    static uint64_t seen[N / 64 + 1];
    size_t caps[] = {N * K, 100, 7}; /* uncapped, and capped mid-way */
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++)
        for (int r = 0; r < 100; r++) {
            size_t n1 = 0, s1 = 0, n2 = 0, s2 = 0;
            fn_status rc1 = block_candidates(ix, &keys[r * K], sorted, caps[c], &n1, &s1);
            fn_status rc2 =
                block_candidates_unsorted(ix, &keys[r * K], unsorted, caps[c], &n2, &s2, seen);
            assert_int_equal(rc1, rc2);
            assert_int_equal(n1, n2);
            assert_int_equal(s1, s2);
            qsort(unsorted, n2, sizeof *unsorted, cmp_u32);
            assert_memory_equal(sorted, unsorted, n1 * sizeof *sorted);
            for (size_t w = 0; w < N / 64 + 1; w++)
                assert_int_equal(seen[w], 0);
        }
    block_index_free(ix);
}

/* The index built on several threads finds exactly what the one-thread
 * index finds (radix-sorted groups, ids ascending within each). */
static void test_threads_same_index(void **state)
{
    (void)state;
    enum { N = 5000, K = 5 };
    static uint64_t keys[N * K];
    uint64_t x = 99;
    for (int i = 0; i < N * K; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        keys[i] = (x >> 62) == 0 ? 0 : x | 1; /* full 64-bit hashes, some repeated below */
        if (i >= K && (x >> 59) == 0)
            keys[i] = keys[i - K];
    }
    struct block_index *one = NULL, *three = NULL;
    assert_int_equal(block_index_build(keys, N, K, 1000, &one), FN_OK);
    assert_int_equal(block_index_build_threads(keys, N, K, 1000, 3, &three), FN_OK);
    static uint32_t a[N * K], b[N * K];
    for (int r = 0; r < N; r++) {
        size_t na = 0, nb = 0, sa = 0, sb = 0;
        assert_int_equal(block_candidates(one, &keys[r * K], a, N * K, &na, &sa), FN_OK);
        assert_int_equal(block_candidates(three, &keys[r * K], b, N * K, &nb, &sb), FN_OK);
        assert_int_equal(na, nb);
        assert_int_equal(sa, sb);
        assert_memory_equal(a, b, na * sizeof *a);
        if (r % 16 == 0) /* and what brute force finds, on a sample */
            assert_int_equal(na, brute_force_count(keys, N, K, r));
    }
    for (int k = 0; k < K; k++) {
        struct block_stats s1, s3;
        block_index_stats(one, k, &s1);
        block_index_stats(three, k, &s3);
        assert_memory_equal(&s1, &s3, sizeof s1);
    }
    block_index_free(one);
    block_index_free(three);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_union_and_dedupe),    cmocka_unit_test(test_oversized_block_and_cap),
        cmocka_unit_test(test_matches_brute_force), cmocka_unit_test(test_unsorted_same_set),
        cmocka_unit_test(test_threads_same_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
