/*
 * Unit tests for core/code: the country table is well-formed, the DESTATIS
 * codes of the populations fallnetz deals with have their known values, both
 * lookup directions agree, and code triples are copied, bounded and kept.
 */
#include "../test_util.h"

#include <pthread.h>

#include "core/alloc.h"
#include "core/code.h"
#include "core/utf8.h"

static int all_upper(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    }
    return 1;
}

static void test_table_well_formed(void **state)
{
    (void)state;
    const struct fn_country *c = NULL;
    size_t n = fn_countries(&c);
    assert_true(n >= 200); /* 193 UN members + Kosovo, Taiwan, specials, historic */
    for (size_t i = 0; i < n; i++) {
        if (!all_upper(c[i].iso3, 3))
            fail_msg("bad iso3 %s", c[i].iso3);
        if (i > 0 && strcmp(c[i - 1].iso3, c[i].iso3) >= 0)
            fail_msg("table not sorted at %s", c[i].iso3);
        if (c[i].iso2) {
            assert_true(all_upper(c[i].iso2, 2));
        } else {
            assert_true(c[i].flags & FN_COUNTRY_SPECIAL);
        }
        assert_int_equal(strlen(c[i].destatis), 3);
        for (size_t k = 0; k < 3; k++)
            assert_true(c[i].destatis[k] >= '0' && c[i].destatis[k] <= '9');
        assert_true(fn_utf8_valid(c[i].name_de, strlen(c[i].name_de), NULL));
        assert_true(c[i].flags & FN_COUNTRY_VERIFIED_DESTATIS);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(c[j].destatis, c[i].destatis) == 0)
                fail_msg("DESTATIS %s used twice", c[i].destatis);
        }
        /* both directions agree */
        assert_ptr_equal(fn_country_by_iso3(c[i].iso3), &c[i]);
        assert_ptr_equal(fn_country_by_destatis(c[i].destatis), &c[i]);
        if (c[i].iso2 && !(c[i].flags & FN_COUNTRY_HISTORIC))
            assert_ptr_equal(fn_country_by_iso2(c[i].iso2), &c[i]);
        assert_true(fn_country_valid_iso3(c[i].iso3));
    }
}

/* Known values (DESTATIS list 2021-02-19) for every population of the
 * synthetic data, the EU neighbours and the special entries. */
static void test_known_values(void **state)
{
    (void)state;
    static const struct {
        const char *iso3, *iso2, *destatis, *name;
    } known[] = {
        {"DEU", "DE", "000", "Deutschland"},
        {"SYR", "SY", "475", "Syrien"},
        {"AFG", "AF", "423", "Afghanistan"},
        {"IRQ", "IQ", "438", "Irak"},
        {"IRN", "IR", "439", "Iran"},
        {"TUR", "TR", "163", "Türkei"},
        {"MAR", "MA", "252", "Marokko"},
        {"DZA", "DZ", "221", "Algerien"},
        {"TUN", "TN", "285", "Tunesien"},
        {"LBY", "LY", "248", "Libyen"},
        {"NGA", "NG", "232", "Nigeria"},
        {"GIN", "GN", "261", "Guinea"},
        {"GMB", "GM", "237", "Gambia"},
        {"GHA", "GH", "238", "Ghana"},
        {"SEN", "SN", "269", "Senegal"},
        {"CIV", "CI", "231", "Côte d’Ivoire"},
        {"SRB", "RS", "170", "Serbien"},
        {"XKX", "XK", "150", "Kosovo"},
        {"ALB", "AL", "121", "Albanien"},
        {"MKD", "MK", "144", "Nordmazedonien"},
        {"BIH", "BA", "122", "Bosnien und Herzegowina"},
        {"MNE", "ME", "140", "Montenegro"},
        {"GEO", "GE", "430", "Georgien"},
        {"RUS", "RU", "160", "Russische Föderation"},
        {"UKR", "UA", "166", "Ukraine"},
        {"POL", "PL", "152", "Polen"},
        {"ROU", "RO", "154", "Rumänien"},
        {"BGR", "BG", "125", "Bulgarien"},
        {"NLD", "NL", "148", "Niederlande"},
        {"PAK", "PK", "461", "Pakistan"},
        {"ERI", "ER", "224", "Eritrea"},
        {"SOM", "SO", "273", "Somalia"},
        {"TWN", "TW", "465", "Taiwan"},
        {"PSE", "PS", "459", "Palästinensische Gebiete"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const struct fn_country *c = fn_country_by_iso3(known[i].iso3);
        if (!c)
            fail_msg("%s missing", known[i].iso3);
        assert_string_equal(c->iso2, known[i].iso2);
        assert_string_equal(c->destatis, known[i].destatis);
        assert_string_equal(c->name_de, known[i].name);
        assert_ptr_equal(fn_country_by_destatis(known[i].destatis), c);
        assert_ptr_equal(fn_country_by_iso2(known[i].iso2), c);
    }
    const struct fn_country *xxa = fn_country_by_iso3("XXA");
    assert_non_null(xxa);
    assert_string_equal(xxa->destatis, "997");
    assert_true(xxa->flags & FN_COUNTRY_SPECIAL);
    const struct fn_country *xxx = fn_country_by_iso3("XXX");
    assert_non_null(xxx);
    assert_string_equal(xxx->destatis, "998");
    assert_true(fn_country_by_iso3("XKX")->flags & FN_COUNTRY_SPECIAL);
    assert_false(fn_country_by_iso3("PSE")->flags & FN_COUNTRY_VERIFIED_ISO);
    assert_true(fn_country_by_iso3("SYR")->flags & FN_COUNTRY_VERIFIED_ISO);
}

static void test_lookup_input(void **state)
{
    (void)state;
    const struct fn_country *syr = fn_country_by_iso3("SYR");
    assert_ptr_equal(fn_country_by_iso3("syr"), syr);
    assert_ptr_equal(fn_country_by_iso3("sYr"), syr);
    assert_ptr_equal(fn_country_by_iso2("sy"), syr);
    const char *bad3[] = {"", "SY", "SYRR", "S1R", "SY ", "ÄGY", "ZZZ"};
    for (size_t i = 0; i < sizeof bad3 / sizeof bad3[0]; i++) {
        assert_null(fn_country_by_iso3(bad3[i]));
        assert_false(fn_country_valid_iso3(bad3[i]));
    }
    assert_null(fn_country_by_iso3(NULL));
    assert_false(fn_country_valid_iso3(NULL));
    assert_null(fn_country_by_iso2(NULL));
    assert_null(fn_country_by_iso2("S"));
    assert_null(fn_country_by_iso2("S1"));
    assert_null(fn_country_by_iso2("CS")); /* historic, reassigned twice */
    const char *bad_destatis[] = {"", "47", "4750", "47a", " 475", "-47"};
    for (size_t i = 0; i < sizeof bad_destatis / sizeof bad_destatis[0]; i++)
        assert_null(fn_country_by_destatis(bad_destatis[i]));
    assert_null(fn_country_by_destatis(NULL));
    assert_null(fn_country_by_destatis("185")); /* Britische Überseegebiete: no single ISO code */
    assert_null(fn_country_by_destatis("001"));
}

static void test_destatis_aliases(void **state)
{
    (void)state;
    assert_string_equal(fn_country_by_destatis("999")->iso3, "XXX");
    assert_string_equal(fn_country_by_destatis("120")->iso3, "YUG");
    assert_string_equal(fn_country_by_destatis("138")->iso3, "YUG");
    assert_string_equal(fn_country_by_destatis("133")->iso3, "SRB");
    assert_string_equal(fn_country_by_destatis("276")->iso3, "SDN");
    assert_string_equal(fn_country_by_destatis("277")->iso3, "SDN");
    assert_true(fn_country_by_iso3("SUN")->flags & FN_COUNTRY_HISTORIC);
    /* bfj.staat: no deviation recorded, DESTATIS code used */
    assert_ptr_equal(fn_country_by_bfj("475"), fn_country_by_iso3("SYR"));
    assert_null(fn_country_by_bfj("xyz"));
    assert_null(fn_country_by_bfj(NULL));
}

static void test_code_to_country(void **state)
{
    (void)state;
    const struct fn_country *c = NULL;
    struct fn_code in = {FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT,
                         FN_LIST_VERSION_DESTATIS_STAATSANGEHOERIGKEIT, "475"};
    assert_int_equal(fn_code_to_country(&in, &c), FN_OK);
    assert_string_equal(c->iso3, "SYR");
    in.code = " 423 ";
    assert_int_equal(fn_code_to_country(&in, &c), FN_OK);
    assert_string_equal(c->iso3, "AFG");
    in.list_uri = FN_LIST_DESTATIS_STAAT;
    in.code = "430";
    assert_int_equal(fn_code_to_country(&in, &c), FN_OK);
    assert_string_equal(c->iso3, "GEO");
    in.list_uri = FN_LIST_BFJ_STAAT;
    in.list_version = "1";
    in.code = "160";
    assert_int_equal(fn_code_to_country(&in, &c), FN_OK);
    assert_string_equal(c->iso3, "RUS");
    in.list_uri = FN_LIST_ISO3166_ALPHA3;
    in.list_version = NULL;
    in.code = "xkx";
    assert_int_equal(fn_code_to_country(&in, &c), FN_OK);
    assert_string_equal(c->iso3, "XKX");

    in.code = "QQQ";
    assert_int_equal(fn_code_to_country(&in, &c), FN_NOTFOUND);
    assert_null(c);
    in.code = "much too long for any code";
    assert_int_equal(fn_code_to_country(&in, &c), FN_NOTFOUND);
    in.code = "   ";
    assert_int_equal(fn_code_to_country(&in, &c), FN_INVALID);
    in.code = "";
    assert_int_equal(fn_code_to_country(&in, &c), FN_INVALID);
    in.code = NULL;
    assert_int_equal(fn_code_to_country(&in, &c), FN_INVALID);
    in.code = "\xff\xfe";
    assert_int_equal(fn_code_to_country(&in, &c), FN_INVALID);
    in.code = "SYR";
    in.list_uri = FN_LIST_XAUSLAENDER_GESCHLECHT;
    assert_int_equal(fn_code_to_country(&in, &c), FN_UNSUPPORTED);
    in.list_uri = NULL;
    assert_int_equal(fn_code_to_country(&in, &c), FN_INVALID);
    assert_int_equal(fn_code_to_country(NULL, &c), FN_INVALID);
}

static void test_value_keeps_original(void **state)
{
    (void)state;
    char code[] = "999";
    struct fn_code in = {FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT, "2021-02-19", code};
    struct fn_country_value v;
    assert_int_equal(fn_country_value_from_code(&in, &v), FN_OK);
    code[0] = '0'; /* the copy must not alias the caller's buffer */
    assert_string_equal(v.country->iso3, "XXX");
    assert_string_equal(v.original.code, "999");
    assert_string_equal(v.original.list_uri, FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT);
    assert_string_equal(v.original.list_version, "2021-02-19");
    struct fn_code view = fn_code_owned_view(&v.original);
    assert_string_equal(view.code, "999");
    fn_country_value_free(&v);
    assert_null(v.original.code);
    fn_country_value_free(&v); /* twice is harmless */
    fn_country_value_free(NULL);

    /* failure leaves nothing behind */
    in.code = "QQQ";
    assert_int_equal(fn_country_value_from_code(&in, &v), FN_NOTFOUND);
    assert_null(v.original.code);
    assert_null(v.country);

    /* back to a triple */
    struct fn_code out;
    const struct fn_country *syr = fn_country_by_iso3("SYR");
    assert_int_equal(fn_country_to_code(syr, FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT,
                                        FN_LIST_VERSION_DESTATIS_STAATSANGEHOERIGKEIT, &out),
                     FN_OK);
    assert_string_equal(out.code, "475");
    assert_string_equal(out.list_version, "2021-02-19");
    assert_int_equal(fn_country_to_code(syr, FN_LIST_ISO3166_ALPHA3, NULL, &out), FN_OK);
    assert_string_equal(out.code, "SYR");
    assert_null(out.list_version);
    assert_int_equal(fn_country_to_code(syr, FN_LIST_BFJ_STAAT, "3", &out), FN_OK);
    assert_string_equal(out.code, "475");
    assert_int_equal(fn_country_to_code(syr, "urn:other", NULL, &out), FN_UNSUPPORTED);
    assert_int_equal(fn_country_to_code(NULL, FN_LIST_BFJ_STAAT, NULL, &out), FN_INVALID);
}

static void test_code_copy_limits_and_oom(void **state)
{
    (void)state;
    struct fn_code_owned o = {NULL, NULL, NULL};
    struct fn_code in = {"urn:x", NULL, "1"};
    assert_int_equal(fn_code_copy(&o, &in), FN_OK);
    assert_null(o.list_version);
    fn_code_owned_free(&o);

    char long_uri[FN_CODE_URI_MAX + 2];
    memset(long_uri, 'u', sizeof long_uri - 1);
    long_uri[sizeof long_uri - 1] = '\0';
    in.list_uri = long_uri;
    assert_int_equal(fn_code_copy(&o, &in), FN_INVALID);
    long_uri[FN_CODE_URI_MAX] = '\0'; /* exactly at the cap */
    assert_int_equal(fn_code_copy(&o, &in), FN_OK);
    fn_code_owned_free(&o);
    in.list_uri = "urn:x";
    in.list_version = "";
    assert_int_equal(fn_code_copy(&o, &in), FN_INVALID);

    in.list_version = "v1";
    for (long fail = 0; fail < 3; fail++) {
        struct fn_code_owned f = {NULL, NULL, NULL};
        fn_alloc_fail_after(fail, 0);
        fn_status rc = fn_code_copy(&f, &in);
        fn_alloc_fail_reset();
        assert_int_equal(rc, FN_NOMEM);
        assert_null(f.list_uri);
        assert_null(f.code);
        assert_null(f.list_version);
    }
    fn_code_owned_free(NULL);
}

static void *lookup_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        const struct fn_country *c = fn_country_by_destatis("475");
        if (!c || strcmp(c->iso3, "SYR") != 0)
            return (void *)1;
    }
    return NULL;
}

/* The lazily built indexes are safe to initialise from several threads. */
static void test_concurrent_first_use(void **state)
{
    (void)state;
    pthread_t t[4];
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, lookup_thread, NULL), 0);
    for (size_t i = 0; i < 4; i++) {
        void *res = NULL;
        assert_int_equal(pthread_join(t[i], &res), 0);
        assert_null(res);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_first_use),
        cmocka_unit_test(test_table_well_formed),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_lookup_input),
        cmocka_unit_test(test_destatis_aliases),
        cmocka_unit_test(test_code_to_country),
        cmocka_unit_test(test_value_keeps_original),
        cmocka_unit_test(test_code_copy_limits_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
