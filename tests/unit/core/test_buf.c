/* Unit tests for core/buf: growth, hard cap, formatting, take, OOM. */
#include "../test_util.h"

#include "core/alloc.h"
#include "core/buf.h"

static void test_append_and_take(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 1000);
    assert_string_equal(fn_buf_str(&b), "");
    assert_int_equal(fn_buf_append_str(&b, "Müller"), FN_OK);
    assert_int_equal(fn_buf_appendf(&b, "-%d", 42), FN_OK);
    assert_int_equal(fn_buf_append_char(&b, '!'), FN_OK);
    assert_string_equal(fn_buf_str(&b), "Müller-42!");
    char *s = NULL;
    assert_int_equal(fn_buf_take(&b, &s), FN_OK);
    assert_string_equal(s, "Müller-42!");
    assert_int_equal(b.len, 0);
    fn_free(s);
    assert_int_equal(fn_buf_take(&b, &s), FN_OK);
    assert_string_equal(s, "");
    fn_free(s);
    fn_buf_free(&b);
}

static void test_cap_enforced(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 8);
    assert_int_equal(fn_buf_append_str(&b, "12345678"), FN_OK);
    assert_int_equal(fn_buf_append_char(&b, '9'), FN_TOO_LARGE);
    assert_int_equal(fn_buf_appendf(&b, "%s", "x"), FN_TOO_LARGE);
    assert_string_equal(fn_buf_str(&b), "12345678");
    fn_buf_reset(&b);
    assert_int_equal(b.len, 0);
    fn_buf_free(&b);
    fn_buf_free(NULL);
}

static void test_grow_many(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, FN_BUF_LINE);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(fn_buf_append(&b, "abcdefgh", 8), FN_OK);
    assert_int_equal(b.len, 80000);
    assert_int_equal(b.data[b.len], '\0');
    fn_buf_free(&b);
}

static void test_nomem(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 100);
    fn_alloc_fail_after(0, 0);
    assert_int_equal(fn_buf_append_str(&b, "abc"), FN_NOMEM);
    fn_alloc_fail_reset();
    assert_int_equal(b.len, 0);
    assert_int_equal(fn_buf_append_str(&b, "abc"), FN_OK);
    fn_buf_free(&b);
}

/* fn_format_i64 prints what "%lld" prints, at both ends of the range. */
static void test_format_i64(void **state)
{
    (void)state;
    const int64_t v[] = {0, 7, -7, 10, 99, -100, 123456789, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char got[FN_I64_CHARS], want[32];
        size_t n = fn_format_i64(v[i], got);
        snprintf(want, sizeof want, "%lld", (long long)v[i]);
        assert_string_equal(got, want);
        assert_int_equal(n, strlen(want));
    }
    char d[8];
    *fn_format_digits(d, 7, 3) = '\0';
    assert_string_equal(d, "007");
    *fn_format_digits(d, 12345, 4) = '\0';
    assert_string_equal(d, "2345");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_take), cmocka_unit_test(test_cap_enforced),
        cmocka_unit_test(test_grow_many),       cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_format_i64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
