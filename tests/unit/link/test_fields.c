/*
 * Unit tests for the field level of src/link: transliteration, name keys,
 * Kölner Phonetik, Jaro–Winkler and Damerau–Levenshtein against published
 * values, the cross-script pairs of issue 3, graded date levels, and
 * identical keys from several threads.
 */
#include "../test_util.h"

#include <pthread.h>

#include "core/alloc.h"
#include "link/compare.h"
#include "link/normalize.h"
#include "link/phonetic.h"

static struct link_translit *tr;

static int setup(void **state)
{
    (void)state;
    return link_translit_new(&tr) == FN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    link_translit_free(tr);
    return 0;
}

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

static void test_koelner_phonetik(void **state)
{
    (void)state;
    char out[32];
    link_koelner_phonetik("muller-ludenscheidt", out, sizeof out);
    assert_string_equal(out, "65752682");
    link_koelner_phonetik("wikipedia", out, sizeof out);
    assert_string_equal(out, "3412");
    const char *meier[] = {"meier", "meyer", "mayer", "maier"};
    for (int i = 0; i < 4; i++) {
        link_koelner_phonetik(meier[i], out, sizeof out);
        assert_string_equal(out, "67");
    }
    link_koelner_phonetik("schmidt", out, sizeof out);
    char out2[32];
    link_koelner_phonetik("schneider", out2, sizeof out2);
    assert_string_not_equal(out, out2);
    link_koelner_phonetik("", out, sizeof out);
    assert_string_equal(out, "");
}

/* Double Metaphone: Smith/Schmidt from Philips' article (via the
 * Wikipedia summary), the rest from a public regression table of the
 * reference implementation. */
static void test_double_metaphone(void **state)
{
    (void)state;
    struct {
        const char *in, *pri, *alt;
    } cases[] = {{"Smith", "SM0", "XMT"},
                 {"Schmidt", "XMT", "SMT"},
                 {"maurice", "MRS", "MRS"},
                 {"aubrey", "APR", "APR"},
                 {"katherine", "K0RN", "KTRN"},
                 {"Thumbail", "0MPL", "TMPL"},
                 {"richard", "RXRT", "RKRT"},
                 {"bob", "PP", "PP"},
                 {"geoff", "JF", "KF"},
                 {"Through", "0R", "TR"},
                 {"Schwein", "XN", "XFN"},
                 {"zhang", "JNK", "JNK"},
                 {"Chile", "XL", "XL"},
                 {"Jose", "HS", "HS"},
                 {"Arnow", "ARN", "ARNF"},
                 {"Parachute", "PRKT", "PRKT"},
                 {"Nowhere", "NR", "NR"},
                 {"Tux", "TKS", "TKS"},
                 {"Dallas", "TLS", "TLS"},
                 {"80210", "", ""},
                 {"", "", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char pri[LINK_DM_CODE_LEN + 1], alt[LINK_DM_CODE_LEN + 1];
        link_double_metaphone(cases[i].in, pri, alt);
        if (strcmp(pri, cases[i].pri) != 0 || strcmp(alt, cases[i].alt) != 0)
            fail_msg("%s -> %s/%s, want %s/%s", cases[i].in, pri, alt, cases[i].pri, cases[i].alt);
    }
    /* codes are capped, long input is cut without overrun */
    char pri[LINK_DM_CODE_LEN + 1], alt[LINK_DM_CODE_LEN + 1], longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    link_double_metaphone(longname, pri, alt);
    assert_string_equal(pri, "SKSK");
    link_double_metaphone("Thompson", pri, alt);
    assert_string_equal(pri, "TMPS"); /* "TH" before "OM" is T; P is not silent */
}

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

static void test_long_and_empty(void **state)
{
    (void)state;
    char longname[2000];
    for (size_t i = 0; i < sizeof longname - 1; i++)
        longname[i] = (i % 7 == 6) ? ' ' : 'a' + (char)(i % 26);
    longname[sizeof longname - 1] = '\0';
    struct link_name_keys k = keys(longname);
    assert_true(strlen(k.ascii) < LINK_KEY_MAX);
    assert_true(k.ntokens <= LINK_NAME_MAX_TOKENS);
    struct link_name_keys e = keys("   ");
    assert_true(e.empty);
    struct link_name_keys bad;
    assert_int_equal(link_name_keys_make(tr, "x\xc3", 2, &bad), FN_INVALID);
}

static const char *const thread_names[] = {"Щербаков", "محمد عبد الله", "Hüseyin Öztürk",
                                           "ბერიძე",   "Abd al-Aziz",   "Müller"};

struct thread_result {
    char ascii[6][LINK_KEY_MAX];
    char skel[6][LINK_CODE_MAX];
    int ok;
};

static void *thread_main(void *arg)
{
    struct thread_result *r = arg;
    struct link_translit *t = NULL;
    if (link_translit_new(&t) != FN_OK)
        return NULL;
    r->ok = 1;
    for (int rep = 0; rep < 50; rep++)
        for (int i = 0; i < 6; i++) {
            struct link_name_keys k;
            if (link_name_keys_make(t, thread_names[i], strlen(thread_names[i]), &k) != FN_OK)
                r->ok = 0;
            memcpy(r->ascii[i], k.ascii, sizeof k.ascii);
            memcpy(r->skel[i], k.skeleton, sizeof k.skeleton);
        }
    link_translit_free(t);
    return NULL;
}

static void test_threads_identical(void **state)
{
    (void)state;
    pthread_t th[4];
    struct thread_result res[4];
    memset(res, 0, sizeof res);
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, thread_main, &res[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        assert_true(res[i].ok);
        assert_memory_equal(res[i].ascii, res[0].ascii, sizeof res[0].ascii);
        assert_memory_equal(res[i].skel, res[0].skel, sizeof res[0].skel);
    }
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
        cmocka_unit_test(test_jaro_winkler_published),
        cmocka_unit_test(test_damerau_levenshtein),
        cmocka_unit_test(test_koelner_phonetik),
        cmocka_unit_test(test_double_metaphone),
        cmocka_unit_test(test_translit_ascii),
        cmocka_unit_test(test_translit_fold_nfkc),
        cmocka_unit_test(test_cross_script_pairs),
        cmocka_unit_test(test_swapped_names),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_date_levels),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_long_and_empty),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_translit_new_nomem),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
