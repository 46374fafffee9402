/* Unit tests for core/alloc: fault injection counts and one-shot/persistent modes. */
#include "../test_util.h"

#include "core/alloc.h"

static void test_injection_one_shot(void **state)
{
    (void)state;
    fn_alloc_fail_after(2, 0);
    void *a = fn_malloc(8);
    void *b = fn_malloc(8);
    void *c = fn_malloc(8);
    void *d = fn_malloc(8);
    fn_alloc_fail_reset();
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_non_null(d);
    assert_int_equal(fn_alloc_failures(), 1);
    fn_free(a);
    fn_free(b);
    fn_free(d);
}

static void test_injection_persistent(void **state)
{
    (void)state;
    fn_alloc_fail_after(0, 1);
    assert_null(fn_malloc(1));
    assert_null(fn_calloc(2, 2));
    assert_null(fn_strdup("x"));
    assert_int_equal(fn_alloc_failures(), 3);
    fn_alloc_fail_reset();
    char *s = fn_strdup("abc");
    assert_string_equal(s, "abc");
    fn_free(s);
}

static void test_overflow_refused(void **state)
{
    (void)state;
    assert_null(fn_calloc(SIZE_MAX / 2, 4));
    assert_null(fn_reallocarray(NULL, SIZE_MAX / 2, 4));
    char *s = fn_strndup("abcdef", 3);
    assert_string_equal(s, "abc");
    fn_free(s);
    fn_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_injection_one_shot),
        cmocka_unit_test(test_injection_persistent),
        cmocka_unit_test(test_overflow_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
