/* Unit tests for http/jsonw: the streaming writer's own formatting of
 * integers, enum label keys and plain strings must print exactly what the
 * snprintf and escaper calls it replaced printed. */
#include "../test_util.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/escape.h"
#include "http/jsonw.h"

static void test_int(void **state)
{
    (void)state;
    const int64_t v[] = {0, 1, -1, 9, 10, -10, 1234567890123LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct fn_buf b;
        fn_buf_init(&b, 256);
        struct jsonw w;
        jsonw_init(&w, &b);
        jsonw_int(&w, NULL, v[i]);
        assert_int_equal(w.rc, FN_OK);
        char want[32];
        snprintf(want, sizeof want, "%" PRId64, v[i]);
        assert_string_equal(fn_buf_str(&b), want);
        fn_buf_free(&b);
    }
}

static void test_enum_and_strings(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 4096);
    struct jsonw w;
    jsonw_init(&w, &b);
    jsonw_object_begin(&w, NULL);
    jsonw_enum(&w, "sex", "m", "männlich");
    /* a 70-byte key: the label key is cut to 63 bytes like snprintf did */
    const char *longkey = "k123456789012345678901234567890123456789012345678901234567890123456789";
    jsonw_enum(&w, longkey, "x", NULL);
    jsonw_str(&w, "plain", "abc def");
    jsonw_str(&w, "quoted", "a\"b\\c\n\xff");
    jsonw_str(&w, "empty", "");
    jsonw_id(&w, "none", 0);
    jsonw_object_end(&w);
    assert_int_equal(w.rc, FN_OK);
    char want[512];
    snprintf(want, sizeof want,
             "{\"sex\":\"m\",\"sex_label\":\"männlich\",\"%s\":\"x\",\"%.63s\":null,"
             "\"plain\":\"abc def\",\"quoted\":\"a\\\"b\\\\c\\n\xef\xbf\xbd\",\"empty\":null,"
             "\"none\":null}",
             longkey,
             "k123456789012345678901234567890123456789012345678901234567890123456789_label");
    assert_string_equal(fn_buf_str(&b), want);
    fn_buf_free(&b);
}

/* The buffer's cap still holds when the writer copies in place. */
static void test_cap(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 16);
    struct jsonw w;
    jsonw_init(&w, &b);
    jsonw_array_begin(&w, NULL);
    for (int i = 0; i < 10; i++)
        jsonw_str(&w, NULL, "abc");
    assert_int_equal(w.rc, FN_TOO_LARGE);
    assert_true(b.len <= 16);
    fn_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_enum_and_strings),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
