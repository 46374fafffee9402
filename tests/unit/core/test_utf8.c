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

/* Every cut position in strings of 1-, 2-, 3- and 4-byte characters: the
 * result is the longest prefix <= max that is whole characters. */
static void test_truncate_every_position(void **state)
{
    (void)state;
    const char *texts[] = {"abcdef", "äöüßÄÖ", "€₹ｶ漢字", "😀🇩🇪𝄞", "aä€😀b", "Müller-Lüdenscheidt"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        const char *s = texts[t];
        size_t len = strlen(s);
        for (size_t max = 0; max <= len + 2; max++) {
            size_t cut = fn_utf8_truncate(s, len, max);
            assert_true(cut <= max || (max >= len && cut == len));
            assert_true(cut <= len);
            assert_true(fn_utf8_valid(s, cut, NULL));
            /* longest: the next character would not have fit */
            if (cut < len) {
                size_t next = cut + 1;
                while (next < len && ((unsigned char)s[next] & 0xC0) == 0x80)
                    next++;
                assert_true(next > max);
            }
        }
    }
}

/* A base letter keeps its combining marks and an emoji its modifier. */
static void test_truncate_keeps_clusters(void **state)
{
    (void)state;
    const char *e_acute = "Jose\xcc\x81"; /* e + U+0301 */
    assert_int_equal(fn_utf8_truncate(e_acute, strlen(e_acute), 5), 3);
    assert_int_equal(fn_utf8_truncate(e_acute, strlen(e_acute), 6), 6);
    const char *thumb = "ok\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"; /* 👍 + skin tone */
    assert_int_equal(fn_utf8_truncate(thumb, strlen(thumb), 7), 2);
    const char *arabic = "\xd9\x85\xd9\x8f\xd8\xad"; /* mim + damma + ha */
    /* the whole prefix is one cluster: cut between its code points */
    assert_int_equal(fn_utf8_truncate(arabic, strlen(arabic), 3), 2);
    assert_int_equal(fn_utf8_truncate(arabic, strlen(arabic), 4), 4);
    /* marks without any base still cut between code points */
    const char *marks = "\xcc\x81\xcc\x81\xcc\x81";
    assert_int_equal(fn_utf8_truncate(marks, strlen(marks), 5), 4);
}

static void test_copy_and_trim_partial(void **state)
{
    (void)state;
    char name[96];
    char long_name[256] = "";
    for (int i = 0; i < 100; i++)
        memcpy(long_name + 2 * i, "ä", 2); /* 200 bytes */
    assert_int_equal(fn_utf8_copy(name, sizeof name, long_name), 1);
    assert_int_equal(strlen(name), 94); /* 47 whole characters, not 95 bytes */
    assert_true(fn_utf8_valid(name, strlen(name), NULL));
    assert_int_equal(fn_utf8_copy(name, sizeof name, "kurz"), 0);
    assert_string_equal(name, "kurz");
    assert_int_equal(fn_utf8_copy(name, sizeof name, NULL), 0);
    assert_string_equal(name, "");
    char cut[8] = "abcde\xe2\x82"; /* what snprintf leaves of "abcde€" in 8 bytes */
    fn_utf8_trim_partial(cut);
    assert_string_equal(cut, "abcde");
    char whole[] = "abc€";
    fn_utf8_trim_partial(whole);
    assert_string_equal(whole, "abc€");
    /* Invalid input: truncation still stays within max. */
    const char *junk = "\x80\x80\x80\x80\x80";
    assert_int_equal(fn_utf8_truncate(junk, 5, 3), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_truncate_every_position),
        cmocka_unit_test(test_truncate_keeps_clusters),
        cmocka_unit_test(test_copy_and_trim_partial),
        cmocka_unit_test(test_decode_encode),
        cmocka_unit_test(test_trim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
