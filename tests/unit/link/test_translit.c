/*
 * Unit tests for src/link/translit.c: romanisation to ASCII (Latin table
 * and ICU chain), NFKC case fold, invalid UTF-8, allocation failure.
 */
#include "../test_util.h"

#include <pthread.h>

#include "core/alloc.h"
#include "link/compare.h"
#include "link/normalize.h"
#include "link/phonetic.h"

#include "translit_fixture.h"

static void test_translit_ascii(void **state)
{
    (void)state;
    struct {
        const char *in, *want;
    } cases[] = {{"Müller", "muller"},       {"Щербаков", "shcherbakov"},
                 {"Hüseyin", "huseyin"},     {"Şahin", "sahin"},
                 {"Straße", "strasse"},      {"İbrahim", "ibrahim"},
                 {"Σωκράτης", "sokrates"},   {"Đỗ Văn Hùng", "do van hung"},
                 {"Kovačević", "kovacevic"}, {"ბერიძე", "beridze"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fn_buf b;
        fn_buf_init(&b, 1024);
        assert_int_equal(link_translit_ascii(tr, cases[i].in, strlen(cases[i].in), &b), FN_OK);
        if (strcmp(fn_buf_str(&b), cases[i].want) != 0)
            fail_msg("%s -> '%s', want '%s'", cases[i].in, fn_buf_str(&b), cases[i].want);
        fn_buf_free(&b);
    }
    struct fn_buf b;
    fn_buf_init(&b, 64);
    assert_int_equal(link_translit_ascii(tr, "bad\xff", 4, &b), FN_INVALID);
    fn_buf_free(&b);
}

/* link_translit_fold: NFKC + case fold keeps the script but joins
 * compatibility forms with their plain letters. */
static void test_translit_fold_nfkc(void **state)
{
    (void)state;
    struct {
        const char *in, *want;
    } cases[] = {{"\xef\xbc\xad\xc3\x9c\xef\xbc\xac\xef\xbc\xac\xef\xbc\xa5\xef\xbc\xb2",
                  "m\xc3\xbcller"},                /* fullwidth MÜLLER */
                 {"\xef\xac\x81scher", "fischer"}, /* fi ligature */
                 {"\xef\xbb\xa3\xef\xba\xa4\xef\xbb\xa4\xef\xba\xaa",
                  "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf"}, /* presentation forms */
                 {"  STRASSE  Nord ", "strasse nord"},
                 {"\xd0\xa9\xd0\x95\xd0\xa0\xd0\x91\xd0\x90\xd0\x9a\xd0\x9e\xd0\x92",
                  "\xd1\x89\xd0\xb5\xd1\x80\xd0\xb1\xd0\xb0\xd0\xba\xd0\xbe\xd0\xb2"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fn_buf b;
        fn_buf_init(&b, 1024);
        assert_int_equal(link_translit_fold(tr, cases[i].in, strlen(cases[i].in), &b), FN_OK);
        if (strcmp(fn_buf_str(&b), cases[i].want) != 0)
            fail_msg("case %zu -> '%s', want '%s'", i, fn_buf_str(&b), cases[i].want);
        fn_buf_free(&b);
    }
    struct fn_buf b;
    fn_buf_init(&b, 64);
    assert_int_equal(link_translit_fold(tr, "bad\xff", 4, &b), FN_INVALID);
    fn_buf_free(&b);
}

static void test_translit_new_nomem(void **state)
{
    (void)state;
    struct link_translit *t = NULL;
    fn_alloc_fail_after(0, 0);
    assert_int_equal(link_translit_new(&t), FN_NOMEM);
    fn_alloc_fail_reset();
    assert_null(t);
    link_translit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translit_ascii),
        cmocka_unit_test(test_translit_fold_nfkc),
        cmocka_unit_test(test_translit_new_nomem),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
