/*
 * Unit tests for src/link/compare.c: Jaro–Winkler and Damerau–Levenshtein
 * against published values, the cross-script pairs of issue 3, swapped
 * names, places, graded date levels and codes.
 */
#include "../test_util.h"

#include <pthread.h>

#include "core/alloc.h"
#include "link/compare.h"
#include "link/normalize.h"
#include "link/phonetic.h"

#include "translit_fixture.h"

static struct link_name_keys keys(const char *s)
{
    struct link_name_keys k;
    assert_int_equal(link_name_keys_make(tr, s, strlen(s), &k), FN_OK);
    return k;
}

static enum link_name_level level(const char *a, const char *b)
{
    struct link_name_keys ka = keys(a), kb = keys(b);
    return link_compare_names(&ka, &kb, NULL);
}

/* Jaro-Winkler as the textbook states it (matches within the window, each
 * b position used once, the first free one taken; half the out-of-order
 * matches are transpositions; prefix of up to 4 weighted 0.1), written
 * plainly as the reference for the fast paths. */
static double reference_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    if (!la && !lb)
        return 1.0;
    if (!la || !lb)
        return 0.0;
    size_t range = (la > lb ? la : lb) / 2;
    range = range ? range - 1 : 0;
    char am[300] = {0}, bm[300] = {0};
    size_t m = 0;
    for (size_t i = 0; i < la; i++)
        for (size_t j = i > range ? i - range : 0; j < lb && j <= i + range; j++)
            if (!bm[j] && a[i] == b[j]) {
                am[i] = bm[j] = 1;
                m++;
                break;
            }
    if (!m)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < la; i++)
        if (am[i]) {
            while (!bm[k])
                k++;
            t += a[i] != b[k++];
        }
    double j = ((double)m / (double)la + (double)m / (double)lb +
                ((double)m - (double)t / 2.0) / (double)m) /
               3.0;
    size_t p = 0;
    while (p < 4 && p < la && p < lb && a[p] == b[p])
        p++;
    return j + (double)p * 0.1 * (1.0 - j);
}

/* The bit-parallel path (up to 64 bytes) and the loop (longer strings)
 * agree with the reference to the last bit, on random strings over small
 * alphabets (many repeated letters) and around the 64-byte border. */
static void test_jaro_winkler_matches_reference(void **state)
{
    (void)state;
    uint64_t x = 12345;
    char a[200], b[200];
    for (int r = 0; r < 200000; r++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t la = (x >> 33) % (r % 10 == 0 ? 90 : 14), lb = (x >> 45) % (r % 10 == 0 ? 90 : 14);
        unsigned alpha = 2 + (unsigned)((x >> 20) % 6);
        for (size_t i = 0; i < la; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            a[i] = (char)('a' + (x >> 40) % alpha);
        }
        for (size_t i = 0; i < lb; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            b[i] = (char)('a' + (x >> 40) % alpha);
        }
        double want = reference_jaro_winkler(a, la, b, lb);
        double got = link_jaro_winkler(a, la, b, lb);
        if (got != want)
            fail_msg("link_jaro_winkler(\"%.*s\", \"%.*s\") = %.17g, reference %.17g", (int)la, a,
                     (int)lb, b, got, want);
    }
}

static void test_jaro_winkler_published(void **state)
{
    (void)state;
    /* Winkler 1990 / common reference values */
    assert_float_equal(link_jaro_winkler("martha", 6, "marhta", 6), 0.961, 0.001);
    assert_float_equal(link_jaro_winkler("dwayne", 6, "duane", 5), 0.840, 0.001);
    assert_float_equal(link_jaro_winkler("dixon", 5, "dicksonx", 8), 0.813, 0.001);
    assert_float_equal(link_jaro_winkler("abc", 3, "abc", 3), 1.0, 1e-9);
    assert_float_equal(link_jaro_winkler("", 0, "", 0), 1.0, 1e-9);
    assert_float_equal(link_jaro_winkler("abc", 3, "", 0), 0.0, 1e-9);
    assert_float_equal(link_jaro_winkler("abc", 3, "xyz", 3), 0.0, 1e-9);
}

static void test_damerau_levenshtein(void **state)
{
    (void)state;
    assert_int_equal(link_damerau_levenshtein("kitten", 6, "sitting", 7, 10), 3);
    assert_int_equal(link_damerau_levenshtein("ca", 2, "ac", 2, 10), 1); /* transposition */
    assert_int_equal(link_damerau_levenshtein("hassan", 6, "hasan", 5, 10), 1);
    assert_int_equal(link_damerau_levenshtein("abc", 3, "abc", 3, 0), 0);
    assert_int_equal(link_damerau_levenshtein("abcdef", 6, "uvwxyz", 6, 2), 3); /* capped */
    char longa[600], longb[600];
    memset(longa, 'a', sizeof longa);
    memset(longb, 'a', sizeof longb);
    assert_int_equal(link_damerau_levenshtein(longa, 600, longb, 600, 3), 0);
}

static void test_cross_script_pairs(void **state)
{
    (void)state;
    assert_true(level("Щербаков", "Shcherbakov") <= LINK_NAME_TRANSLIT);
    assert_true(level("Щербаков", "Scherbakow") <= LINK_NAME_PHONETIC);
    assert_true(level("محمد", "Mohammed") <= LINK_NAME_PHONETIC);
    assert_true(level("محمد", "Muhammad") <= LINK_NAME_PHONETIC);
    assert_true(level("Mohammed", "Mohamad") <= LINK_NAME_PHONETIC);
    assert_true(level("Hüseyin", "Hueseyin") <= LINK_NAME_PHONETIC);
    assert_true(level("Hüseyin", "Huseyin") <= LINK_NAME_TRANSLIT);
    assert_true(level("Abd al-Aziz", "Abdulaziz") <= LINK_NAME_TRANSLIT);
    assert_true(level("Abdel Aziz", "Abdulaziz") <= LINK_NAME_TRANSLIT);
    assert_true(level("Ali Hassan", "Hassan Ali") <= LINK_NAME_TRANSLIT);
    assert_true(level("Müller-Lüdenscheidt", "Mueller Luedenscheidt") <= LINK_NAME_PHONETIC);
    assert_true(level("ბერიძე", "Beridze") <= LINK_NAME_TRANSLIT);
    assert_true(level("Σωκράτης", "Sokrates") <= LINK_NAME_TRANSLIT);
    assert_true(level("Meier", "Mayer") <= LINK_NAME_PHONETIC);
    assert_true(level("Al-Hassan", "Alhasan") <= LINK_NAME_PHONETIC);
    assert_true(level("Jusuf", "Yusuf") <= LINK_NAME_PHONETIC);
    assert_true(level("Джабраилов", "Dschabrailow") <= LINK_NAME_PHONETIC);
    assert_true(level("Khalil", "Chalil") <= LINK_NAME_PHONETIC);
    assert_int_equal(level("MÜLLER", " müller "), LINK_NAME_EXACT);
    assert_true(level("Mohammed Ali", "Mohammed") == LINK_NAME_SIMILAR); /* missing name */
    /* clearly different names must not look alike */
    assert_true(level("Mohammed", "Ahmed") > LINK_NAME_PHONETIC);
    assert_true(level("Schmidt", "Schneider") > LINK_NAME_PHONETIC);
    /* Double Metaphone alternate codes */
    assert_true(level("Smith", "Schmidt") <= LINK_NAME_PHONETIC);
    assert_true(level("Catherine", "Katherine") <= LINK_NAME_PHONETIC);
    assert_true(level("Laughton", "Lofton") == LINK_NAME_PHONETIC); /* only DM: LFTN */
    assert_true(level("Ivanov", "Popov") > LINK_NAME_PHONETIC);
    assert_int_equal(level("", "Ali"), LINK_NAME_MISSING);
}

static void test_swapped_names(void **state)
{
    (void)state;
    struct link_name_keys fa = keys("Hassan"), ga = keys("Ali"), fb = keys("Ali"),
                          gb = keys("Hasan");
    assert_true(link_names_swapped(&fa, &ga, &fb, &gb));
    struct link_name_keys fc = keys("Hassan"), gc = keys("Ali");
    assert_false(link_names_swapped(&fa, &ga, &fc, &gc));
}

static void test_places(void **state)
{
    (void)state;
    struct link_name_keys a, b, c;
    assert_int_equal(link_place_keys_make(tr, "Damaskus", 8, &a), FN_OK);
    assert_int_equal(link_place_keys_make(tr, "Damascus", 8, &b), FN_OK);
    assert_int_equal(link_place_keys_make(tr, "Aleppo", 6, &c), FN_OK);
    assert_true(link_compare_names(&a, &b, NULL) <= LINK_NAME_TRANSLIT);
    assert_true(link_compare_names(&a, &c, NULL) > LINK_NAME_PHONETIC);
}

static struct fn_pdate d(const char *s)
{
    struct fn_pdate v;
    assert_int_equal(fn_pdate_parse(s, strlen(s), &v), FN_OK);
    return v;
}

static void test_date_levels(void **state)
{
    (void)state;
    struct {
        const char *a, *b;
        enum link_date_level want;
    } cases[] = {
        {"1990-03-07", "1990-03-07", LINK_DATE_EXACT},
        {"1990-00-00", "1990-00-00", LINK_DATE_EXACT},
        {"1990-03-00", "1990-03-07", LINK_DATE_PARTIAL},
        {"1990-00-00", "1990-03-07", LINK_DATE_PARTIAL},
        {"1990-01-01", "1990-03-07", LINK_DATE_PLACEHOLDER},
        {"1990-03-07", "1990-07-03", LINK_DATE_SWAPPED},
        {"1990-03-07", "1991-03-07", LINK_DATE_TYPO},
        {"1990-03-07", "1980-03-07", LINK_DATE_TYPO},
        {"1990-03-17", "1990-03-18", LINK_DATE_TYPO},
        {"1990-03-07", "1975-11-20", LINK_DATE_DIFFERENT},
        {"", "1990-03-07", LINK_DATE_MISSING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fn_pdate a = d(cases[i].a), b = d(cases[i].b);
        enum link_date_level got = link_compare_dates(&a, &b);
        if (got != cases[i].want)
            fail_msg("%s vs %s: %s, want %s", cases[i].a, cases[i].b, link_date_level_label(got),
                     link_date_level_label(cases[i].want));
    }
}

static void test_codes(void **state)
{
    (void)state;
    assert_int_equal(link_compare_codes("SYR", 3, " syr ", 5), LINK_EXACT_EQUAL);
    assert_int_equal(link_compare_codes("123456789012", 12, "123456789021", 12), LINK_EXACT_CLOSE);
    assert_int_equal(link_compare_codes("123456789012", 12, "999999999999", 12),
                     LINK_EXACT_DIFFERENT);
    assert_int_equal(link_compare_codes("", 0, "SYR", 3), LINK_EXACT_MISSING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler_published),
        cmocka_unit_test(test_jaro_winkler_matches_reference),
        cmocka_unit_test(test_damerau_levenshtein),
        cmocka_unit_test(test_cross_script_pairs),
        cmocka_unit_test(test_swapped_names),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_date_levels),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
