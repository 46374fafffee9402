/* Unit tests for core/pdate: register and XJustiz forms, placeholders, days. */
#include "../test_util.h"

#include "core/pdate.h"

static struct fn_pdate parse_ok(const char *s)
{
    struct fn_pdate d;
    assert_int_equal(fn_pdate_parse(s, strlen(s), &d), FN_OK);
    return d;
}

static void test_parse_forms(void **state)
{
    (void)state;
    struct fn_pdate d = parse_ok("1990-00-00");
    assert_int_equal(d.year, 1990);
    assert_int_equal(fn_pdate_precision(&d), FN_PDATE_YEAR);
    d = parse_ok("1990-07-00");
    assert_int_equal(fn_pdate_precision(&d), FN_PDATE_MONTH);
    d = parse_ok("1990-07");
    assert_int_equal(d.month, 7);
    d = parse_ok("1990");
    assert_int_equal(fn_pdate_precision(&d), FN_PDATE_YEAR);
    d = parse_ok("");
    assert_int_equal(fn_pdate_precision(&d), FN_PDATE_UNKNOWN);
    d = parse_ok("0000-00-00");
    assert_int_equal(fn_pdate_precision(&d), FN_PDATE_UNKNOWN);
    d = parse_ok("2000-02-29");
    assert_int_equal(d.day, 29);
    d = parse_ok("1985-01-01");
    assert_true(d.flags & FN_PDATE_PLACEHOLDER);
    d = parse_ok("1985-01-02");
    assert_false(d.flags & FN_PDATE_PLACEHOLDER);
}

static void test_parse_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"1990-02-30", "1900-02-29", "1990-13-01", "1990-00-05", "199O-01-01",
                         "90-01-01",   "1990/01/01", "1990-1-1",   "0999-01-01", "0000-01-00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fn_pdate d;
        assert_int_equal(fn_pdate_parse(bad[i], strlen(bad[i]), &d), FN_INVALID);
    }
}

static void test_format_and_compare(void **state)
{
    (void)state;
    char out[11];
    struct fn_pdate a = parse_ok("1990-07-00");
    fn_pdate_format(&a, out);
    assert_string_equal(out, "1990-07-00");
    fn_pdate_format_xjustiz(&a, out);
    assert_string_equal(out, "1990-07");
    struct fn_pdate b = parse_ok("1990-07-15");
    assert_true(fn_pdate_compatible(&a, &b));
    assert_false(fn_pdate_equal(&a, &b));
    struct fn_pdate c = parse_ok("1991-07-15");
    assert_false(fn_pdate_compatible(&b, &c));
    struct fn_pdate u = parse_ok("");
    assert_true(fn_pdate_compatible(&u, &c));
    fn_pdate_format(&u, out);
    assert_string_equal(out, "");
    fn_pdate_format_xjustiz(&u, out);
    assert_string_equal(out, "");
}

/* The formatters print what "%04u-%02u-%02u" of the values modulo 10^4 and
 * 10^2 printed, for dates the parser never makes too. */
static void test_format_digits(void **state)
{
    (void)state;
    char out[11];
    const struct fn_pdate d[] = {{.year = 2026, .month = 3, .day = 1},
                                 {.year = 999, .month = 12, .day = 31},
                                 {.year = 12345, .month = 7},
                                 {.year = 1990},
                                 {.year = 1990, .day = 5}};
    const char *full[] = {"2026-03-01", "0999-12-31", "2345-07-00", "1990-00-00", "1990-00-05"};
    const char *xj[] = {"2026-03-01", "0999-12-31", "2345-07", "1990", "1990"};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        fn_pdate_format(&d[i], out);
        assert_string_equal(out, full[i]);
        fn_pdate_format_xjustiz(&d[i], out);
        assert_string_equal(out, xj[i]);
    }
}

static void test_days_roundtrip(void **state)
{
    (void)state;
    struct fn_pdate d = parse_ok("1970-01-01");
    int32_t days = -1;
    assert_int_equal(fn_pdate_to_days(&d, &days), FN_OK);
    assert_int_equal(days, 0);
    d = parse_ok("2026-03-01");
    assert_int_equal(fn_pdate_to_days(&d, &days), FN_OK);
    assert_int_equal(days, 20513);
    for (int32_t z = -100000; z < 100000; z += 37) {
        struct fn_pdate r;
        int32_t back;
        fn_pdate_from_days(z, &r);
        assert_int_equal(fn_pdate_to_days(&r, &back), FN_OK);
        assert_int_equal(back, z);
    }
    struct fn_pdate u = parse_ok("");
    assert_int_equal(fn_pdate_to_days(&u, &days), FN_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_format_and_compare), cmocka_unit_test(test_format_digits),
        cmocka_unit_test(test_days_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
