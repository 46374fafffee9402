/* Unit tests for core/escape: the JSON and HTML escapers and UTF-8
 * sanitising, on hostile input. */
#include "../test_util.h"

#include "core/escape.h"
#include "core/utf8.h"

static char *json_of(const char *s, size_t len, struct fn_buf *b)
{
    fn_buf_init(b, 4096);
    assert_int_equal(fn_json_escape(b, s, len), FN_OK);
    return (char *)fn_buf_str(b);
}

static void test_json_escape(void **state)
{
    (void)state;
    struct fn_buf b;
    assert_string_equal(json_of("a\"b\\c", 5, &b), "a\\\"b\\\\c");
    fn_buf_free(&b);
    assert_string_equal(json_of("<script>&'", 10, &b), "<script>&'");
    fn_buf_free(&b);
    assert_string_equal(json_of("l1\nl2\t\r\b\f\x01\x1f\x7f", 12, &b),
                        "l1\\nl2\\t\\r\\b\\f\\u0001\\u001f\\u007f");
    fn_buf_free(&b);
    /* NUL inside the given length is escaped, not a terminator */
    assert_string_equal(json_of("a\0b", 3, &b), "a\\u0000b");
    fn_buf_free(&b);
    /* U+2028 / U+2029 end a line in JavaScript */
    assert_string_equal(json_of("x\xe2\x80\xa8y\xe2\x80\xa9z", 9, &b), "x\\u2028y\\u2029z");
    fn_buf_free(&b);
    assert_string_equal(json_of("Müller 😀", strlen("Müller 😀"), &b), "Müller 😀");
    fn_buf_free(&b);
    /* invalid UTF-8: each bad byte becomes U+FFFD, output stays valid */
    const char *bad = "ab\xff"
                      "c\xc3";
    char *out = json_of(bad, strlen(bad), &b);
    assert_string_equal(out, "ab\xef\xbf\xbd"
                             "c\xef\xbf\xbd");
    assert_true(fn_utf8_valid(out, strlen(out), NULL));
    fn_buf_free(&b);
    fn_buf_init(&b, 64);
    assert_int_equal(fn_json_string(&b, "sag \"hallo\""), FN_OK);
    assert_string_equal(fn_buf_str(&b), "\"sag \\\"hallo\\\"\"");
    fn_buf_free(&b);
    fn_buf_init(&b, 64);
    assert_int_equal(fn_json_string(&b, NULL), FN_OK);
    assert_string_equal(fn_buf_str(&b), "\"\"");
    fn_buf_free(&b);
    /* the buffer's cap is honoured */
    fn_buf_init(&b, 4);
    assert_int_equal(fn_json_escape(&b, "abcdefgh", 8), FN_TOO_LARGE);
    fn_buf_free(&b);
}

/* A plain reference escaper, one code point at a time, as escape.h
 * describes it: the fast path for ASCII runs must not change a byte. */
static void reference_escape(struct fn_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = fn_utf8_next(s + i, len - i);
        uint32_t cp = 0;
        if (n == 0) {
            assert_int_equal(fn_buf_append(b, "\xef\xbf\xbd", 3), FN_OK);
            i++;
            continue;
        }
        fn_utf8_decode(s + i, len - i, &cp);
        const char *shortcut = cp == '"'    ? "\\\""
                               : cp == '\\' ? "\\\\"
                               : cp == '\n' ? "\\n"
                               : cp == '\t' ? "\\t"
                               : cp == '\r' ? "\\r"
                               : cp == '\b' ? "\\b"
                               : cp == '\f' ? "\\f"
                                            : NULL;
        if (shortcut)
            assert_int_equal(fn_buf_append_str(b, shortcut), FN_OK);
        else if (cp < 0x20 || cp == 0x7f || cp == 0x2028 || cp == 0x2029)
            assert_int_equal(fn_buf_appendf(b, "\\u%04x", (unsigned)cp), FN_OK);
        else
            assert_int_equal(fn_buf_append(b, s + i, n), FN_OK);
        i += n;
    }
}

static void test_json_escape_random(void **state)
{
    (void)state;
    /* pieces that meet at every boundary: ASCII, quotes, controls, DEL,
     * multi-byte characters, U+2028, cut and stray bytes */
    static const char *const pieces[] = {
        "a", "Z ~",          "\"",           "\\",   "\n",   "\x01",     "\x7f", "ü",
        "😀", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xc3", "\xff", "\xe2\x80", "\x80", "abc def "};
    uint32_t seed = 12345;
    for (int round = 0; round < 2000; round++) {
        char s[256];
        size_t len = 0;
        for (int k = 0; k < 12; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        struct fn_buf got, want;
        fn_buf_init(&got, 4096);
        fn_buf_init(&want, 4096);
        assert_int_equal(fn_json_escape(&got, s, len), FN_OK);
        reference_escape(&want, s, len);
        assert_string_equal(fn_buf_str(&got), fn_buf_str(&want));
        fn_buf_free(&got);
        fn_buf_free(&want);
    }
    assert_int_equal(fn_json_plain_prefix("abc"), 3);
    assert_int_equal(fn_json_plain_prefix("ab\"c"), 2);
    assert_int_equal(fn_json_plain_prefix("a\\"), 1);
    assert_int_equal(fn_json_plain_prefix("x\x7f"), 1);
    assert_int_equal(fn_json_plain_prefix("\x1f"), 0);
    assert_int_equal(fn_json_plain_prefix("ü"), 0);
    assert_int_equal(fn_json_plain_prefix(""), 0);
}

static void test_html_escape(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 4096);
    const char *s = "<a href=\"x\" title='y'>Tom & Jerry</a>";
    assert_int_equal(fn_html_escape(&b, s, strlen(s)), FN_OK);
    assert_string_equal(fn_buf_str(&b), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; "
                                        "Jerry&lt;/a&gt;");
    fn_buf_free(&b);
    fn_buf_init(&b, 4096);
    const char *ctl = "a\tb\nc\x01\x7f"
                      "d\xfe"
                      "ä";
    assert_int_equal(fn_html_escape(&b, ctl, strlen(ctl)), FN_OK);
    assert_string_equal(fn_buf_str(&b), "a\tb\nc\xef\xbf\xbd\xef\xbf\xbd"
                                        "d\xef\xbf\xbd"
                                        "ä");
    fn_buf_free(&b);
    fn_buf_init(&b, 4096);
    assert_int_equal(fn_html_escape(&b, "a\0<", 3), FN_OK);
    assert_string_equal(fn_buf_str(&b), "a\xef\xbf\xbd&lt;");
    fn_buf_free(&b);
}

static void test_sanitize(void **state)
{
    (void)state;
    struct fn_buf b;
    fn_buf_init(&b, 4096);
    size_t replaced = 99;
    const char *s = "ok\xc3\x28 \xed\xa0\x80!"; /* bad lead, surrogate */
    assert_int_equal(fn_utf8_sanitize(&b, s, strlen(s), &replaced), FN_OK);
    assert_true(fn_utf8_valid(b.data, b.len, NULL));
    assert_int_equal(replaced, 4);
    assert_string_equal(fn_buf_str(&b), "ok\xef\xbf\xbd( \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
    fn_buf_free(&b);
    fn_buf_init(&b, 64);
    assert_int_equal(fn_utf8_sanitize(&b, "Müller", strlen("Müller"), &replaced), FN_OK);
    assert_int_equal(replaced, 0);
    assert_string_equal(fn_buf_str(&b), "Müller");
    fn_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_json_escape_random),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_sanitize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
