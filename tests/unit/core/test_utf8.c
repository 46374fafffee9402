/* Unit tests for core/utf8: validation of hostile byte sequences, trim, encode. */
#include "../test_util.h"

#include "core/utf8.h"

static void test_valid(void **state)
{
    (void)state;
    const char *ok[] = {"", "abc", "Müller", "محمد", "Щербаков", "ქართული", "😀"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(fn_utf8_valid(ok[i], strlen(ok[i]), NULL));
    struct {
        const char *s;
        size_t bad;
    } bad[] = {
        {"ab\xff", 2},           /* invalid byte */
        {"\xc3", 0},             /* truncated */
        {"\xc0\xaf", 0},         /* overlong */
        {"x\xed\xa0\x80", 1},    /* surrogate */
        {"\xf4\x90\x80\x80", 0}, /* above U+10FFFF */
        {"ok\x80", 2},           /* stray continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t off = 99;
        assert_false(fn_utf8_valid(bad[i].s, strlen(bad[i].s), &off));
        assert_int_equal(off, bad[i].bad);
    }
}

static void test_decode_encode(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(fn_utf8_decode("ß", 2, &cp), 2);
    assert_int_equal(cp, 0xDF);
    char out[4];
    assert_int_equal(fn_utf8_encode(0x0429, out), 2);
    assert_memory_equal(out, "Щ", 2);
    assert_int_equal(fn_utf8_encode(0x1F600, out), 4);
    assert_int_equal(fn_utf8_encode(0xD800, out), 0);
    assert_int_equal(fn_utf8_length("Müller", strlen("Müller")), 6);
}

static void test_trim(void **state)
{
    (void)state;
    const char *s = " \t\xc2\xa0 Ali \r\n";
    size_t len = strlen(s);
    fn_utf8_trim(&s, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "Ali", 3);
    const char *e = "   ";
    len = 3;
    fn_utf8_trim(&e, &len);
    assert_int_equal(len, 0);
    assert_true(fn_utf8_is_ascii("abc", 3));
    assert_false(fn_utf8_is_ascii("äbc", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_decode_encode),
        cmocka_unit_test(test_trim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
