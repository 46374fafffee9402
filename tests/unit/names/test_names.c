/*
 * Unit tests for names: the name material is complete, well-formed UTF-8, in the
 * expected script, weighted, and the NRW address material is plausible.
 */
#include "../test_util.h"

#include "core/code.h"
#include "core/utf8.h"
#include "names/names.h"

enum script { SCRIPT_NONE, SCRIPT_ARABIC, SCRIPT_CYRILLIC, SCRIPT_GEORGIAN };

/* Script the native forms of a population must be written in; SCRIPT_NONE
 * means the population writes its names in Latin script (native must be NULL). */
static enum script expected_script(enum names_population p)
{
    switch (p) {
    case NAMES_SYRIA:
    case NAMES_AFGHANISTAN:
    case NAMES_IRAQ:
    case NAMES_IRAN:
    case NAMES_NORTH_AFRICA:
        return SCRIPT_ARABIC;
    case NAMES_BALKANS: /* Serbian/Macedonian; Albanian and Bosnian entries are NULL */
    case NAMES_RUSSIA:
        return SCRIPT_CYRILLIC;
    case NAMES_GEORGIA:
        return SCRIPT_GEORGIAN;
    case NAMES_TURKEY:
    case NAMES_WEST_AFRICA:
    case NAMES_POPULATION_COUNT:
        break;
    }
    return SCRIPT_NONE;
}

static int is_separator(uint32_t cp)
{
    return cp == ' ' || cp == '-' || cp == 0x200C; /* ZWNJ in Persian compounds */
}

static int in_script(uint32_t cp, enum script s)
{
    switch (s) {
    case SCRIPT_ARABIC:
        return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
               (cp >= 0xFE70 && cp <= 0xFEFF);
    case SCRIPT_CYRILLIC:
        return cp >= 0x0400 && cp <= 0x04FF;
    case SCRIPT_GEORGIAN:
        return cp >= 0x10A0 && cp <= 0x10FF;
    case SCRIPT_NONE:
        break;
    }
    return 0;
}

/* Latin letters as found in register spellings: ASCII, Latin-1 letters,
 * Latin Extended-A/B (Ş, ı, ć, ž, ë, ...). */
static int is_latin_letter(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return 1;
    if (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)
        return 1;
    return 0;
}

/* Checks s is valid UTF-8 made of letters of the script with single inner
 * separators (no leading, trailing or doubled separators). latin selects the
 * Latin check (apostrophe allowed, as in N'Diaye). */
static void check_text(const char *s, int latin, enum script script, const char *what)
{
    size_t len = strlen(s);
    if (len == 0)
        fail_msg("%s: empty string", what);
    if (!fn_utf8_valid(s, len, NULL))
        fail_msg("%s: invalid UTF-8: %s", what, s);
    size_t pos = 0;
    int prev_sep = 1; /* no separator at the start */
    int letters = 0;
    while (pos < len) {
        uint32_t cp = 0;
        size_t n = fn_utf8_decode(s + pos, len - pos, &cp);
        assert_true(n > 0);
        int sep = is_separator(cp) || (latin && cp == '\'');
        if (sep) {
            if (prev_sep)
                fail_msg("%s: bad separator in \"%s\"", what, s);
        } else {
            int ok = latin ? is_latin_letter(cp) : in_script(cp, script);
            if (!ok)
                fail_msg("%s: U+%04X not in the expected script in \"%s\"", what, (unsigned)cp, s);
            letters++;
        }
        prev_sep = sep;
        pos += n;
    }
    if (prev_sep)
        fail_msg("%s: trailing separator in \"%s\"", what, s);
    assert_true(letters >= 1);
}

/* Checks one table: count, weights, spellings and scripts; latin[0] unique. */
static void check_table(const struct names_entry *e, size_t n, size_t min_count, enum script script,
                        const char *what)
{
    if (n < min_count)
        fail_msg("%s: %zu entries, need %zu", what, n, min_count);
    assert_non_null(e);
    for (size_t i = 0; i < n; i++) {
        if (e[i].weight < 1)
            fail_msg("%s[%zu]: weight 0", what, i);
        if (script == SCRIPT_NONE && e[i].native)
            fail_msg("%s[%zu]: Latin-script population with native form %s", what, i, e[i].native);
        if (e[i].native)
            check_text(e[i].native, 0, script, what);
        assert_non_null(e[i].latin);
        if (!e[i].latin[0])
            fail_msg("%s[%zu]: no Latin spelling", what, i);
        size_t k = 0;
        for (; e[i].latin[k]; k++) {
            check_text(e[i].latin[k], 1, SCRIPT_NONE, what);
            for (size_t j = 0; j < k; j++) {
                if (strcmp(e[i].latin[j], e[i].latin[k]) == 0)
                    fail_msg("%s: duplicate spelling %s", what, e[i].latin[k]);
            }
        }
        if (k > 6)
            fail_msg("%s: %s has %zu spellings (max 6)", what, e[i].latin[0], k);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(e[j].latin[0], e[i].latin[0]) == 0)
                fail_msg("%s: %s listed twice", what, e[i].latin[0]);
        }
    }
}

static int is_large(enum names_population p)
{
    return p == NAMES_SYRIA || p == NAMES_AFGHANISTAN || p == NAMES_IRAQ || p == NAMES_TURKEY;
}

static void test_populations(void **state)
{
    (void)state;
    for (int i = 0; i < NAMES_POPULATION_COUNT; i++) {
        enum names_population p = (enum names_population)i;
        const struct names_population_info *info = names_population(p);
        assert_non_null(info);
        assert_non_null(info->key);
        assert_non_null(info->label_de);
        assert_true(fn_utf8_valid(info->label_de, strlen(info->label_de), NULL));
        assert_int_equal(names_population_by_key(info->key), p);
        assert_true(info->share >= 1);
        assert_true(info->given_names_max >= 1 && info->given_names_max <= 3);
        assert_true(info->year_only_permille >= 0 && info->year_only_permille <= 1000);
        assert_non_null(info->iso3);
        assert_non_null(info->iso3[0]);
        for (size_t k = 0; info->iso3[k]; k++) {
            const char *c = info->iso3[k];
            assert_int_equal(strlen(c), 3);
            for (size_t j = 0; j < 3; j++)
                assert_true(c[j] >= 'A' && c[j] <= 'Z');
            if (!fn_country_valid_iso3(c))
                fail_msg("%s: %s is not in the country table", info->key, c);
        }

        enum script script = expected_script(p);
        const struct names_entry *e = NULL;
        size_t n = names_family(p, &e);
        check_table(e, n, is_large(p) ? 80 : 60, script, info->key);
        n = names_given(p, 'm', &e);
        check_table(e, n, is_large(p) ? 45 : 40, script, info->key);
        n = names_given(p, 'f', &e);
        check_table(e, n, is_large(p) ? 45 : 40, script, info->key);
        n = names_places(p, &e);
        check_table(e, n, 6, script, info->key);
    }
    /* Afghanistan has the highest share of year-only birth dates, the Balkans a low one. */
    assert_true(names_population(NAMES_AFGHANISTAN)->year_only_permille >= 300);
    assert_true(names_population(NAMES_BALKANS)->year_only_permille <= 50);
}

static void test_bad_values(void **state)
{
    (void)state;
    const struct names_entry *e = NULL;
    assert_null(names_population(NAMES_POPULATION_COUNT));
    assert_null(names_population((enum names_population) - 1));
    assert_int_equal(names_family(NAMES_POPULATION_COUNT, &e), 0);
    assert_int_equal(names_places(NAMES_POPULATION_COUNT, &e), 0);
    assert_int_equal(names_given(NAMES_SYRIA, 'x', &e), 0);
    assert_int_equal(names_given(NAMES_POPULATION_COUNT, 'm', &e), 0);
    assert_int_equal(names_population_by_key("atlantis"), NAMES_POPULATION_COUNT);
    assert_int_equal(names_population_by_key(NULL), NAMES_POPULATION_COUNT);
}

/* Finds an entry by its first Latin spelling; NULL if absent. */
static const struct names_entry *find(const struct names_entry *e, size_t n, const char *latin0)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].latin[0], latin0) == 0)
            return &e[i];
    }
    return NULL;
}

static int has_spelling(const struct names_entry *e, const char *s)
{
    for (size_t k = 0; e->latin[k]; k++) {
        if (strcmp(e->latin[k], s) == 0)
            return 1;
    }
    return 0;
}

/* The variants the linkage benchmark depends on are present. */
static void test_known_variants(void **state)
{
    (void)state;
    const struct names_entry *e = NULL;
    size_t n = names_given(NAMES_SYRIA, 'm', &e);
    const struct names_entry *m = find(e, n, "Mohammed");
    assert_non_null(m);
    assert_true(has_spelling(m, "Muhammad") && has_spelling(m, "Mohamad") &&
                has_spelling(m, "Mohamed") && has_spelling(m, "Muhamed"));
    /* frequent names carry the highest weights */
    for (size_t i = 0; i < n; i++)
        assert_true(e[i].weight <= m->weight);
    const struct names_entry *a = find(e, n, "Abdulrahman");
    assert_non_null(a);
    assert_true(has_spelling(a, "Abdel Rahman") && has_spelling(a, "Abd al-Rahman"));

    n = names_given(NAMES_TURKEY, 'm', &e);
    const struct names_entry *h = find(e, n, "Hüseyin");
    assert_non_null(h);
    assert_true(has_spelling(h, "Huseyin") && has_spelling(h, "Hueseyin"));

    n = names_family(NAMES_RUSSIA, &e);
    const struct names_entry *s = find(e, n, "Shcherbakov");
    assert_non_null(s);
    assert_string_equal(s->native, "Щербаков");
    assert_true(has_spelling(s, "Scherbakow") && has_spelling(s, "Ščerbakov"));

    n = names_family(NAMES_GEORGIA, &e);
    const struct names_entry *b = find(e, n, "Beridze");
    assert_non_null(b);
    assert_string_equal(b->native, "ბერიძე");

    n = names_places(NAMES_SYRIA, &e);
    const struct names_entry *d = find(e, n, "Damaskus");
    assert_non_null(d);
    assert_true(has_spelling(d, "Damascus") && has_spelling(d, "Dimashq"));

    /* particles and multi-token names are present */
    n = names_family(NAMES_NORTH_AFRICA, &e);
    assert_non_null(find(e, n, "El Amrani"));
    assert_non_null(find(e, n, "Ben Salah"));
    n = names_family(NAMES_SYRIA, &e);
    assert_non_null(find(e, n, "Al-Hassan"));
    n = names_given(NAMES_SYRIA, 'm', &e);
    assert_non_null(find(e, n, "Abdulaziz"));
    assert_non_null(find(e, n, "Mohammed Ali"));
}

/* Index of a Regierungsbezirk among the five, -1 if r is none of them. */
static int region_index(const char *r)
{
    static const char *const regions[] = {"Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"};
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        if (strcmp(r, regions[i]) == 0)
            return (int)i;
    }
    return -1;
}

/* NRW postcodes start with one of these two-digit zones. */
static int is_nrw_zone(const char *pc)
{
    static const char *const zones[] = {"32", "33", "34", "37", "40", "41", "42", "44", "45", "46",
                                        "47", "48", "49", "50", "51", "52", "53", "57", "58", "59"};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        if (strncmp(pc, zones[i], 2) == 0)
            return 1;
    }
    return 0;
}

static void test_municipalities_and_streets(void **state)
{
    (void)state;
    const struct names_municipality *m = NULL;
    size_t n = names_municipalities(&m);
    assert_true(n >= 40);
    int seen[5] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_true(fn_utf8_valid(m[i].name, strlen(m[i].name), NULL));
        assert_int_equal(strlen(m[i].postcode), 5);
        for (size_t k = 0; k < 5; k++)
            assert_true(m[i].postcode[k] >= '0' && m[i].postcode[k] <= '9');
        if (!is_nrw_zone(m[i].postcode))
            fail_msg("%s: postcode %s is not in NRW", m[i].name, m[i].postcode);
        int r = region_index(m[i].region);
        if (r < 0)
            fail_msg("%s: bad region %s", m[i].name, m[i].region);
        seen[r] = 1;
        for (size_t j = 0; j < i; j++)
            assert_true(strcmp(m[j].name, m[i].name) != 0);
    }
    for (size_t r = 0; r < 5; r++)
        assert_true(seen[r]);
    /* spot checks against the real Regierungsbezirk */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(m[i].name, "Gelsenkirchen") == 0)
            assert_string_equal(m[i].region, "Münster");
        if (strcmp(m[i].name, "Bielefeld") == 0)
            assert_string_equal(m[i].region, "Detmold");
        if (strcmp(m[i].name, "Dortmund") == 0)
            assert_string_equal(m[i].region, "Arnsberg");
        if (strcmp(m[i].name, "Essen") == 0)
            assert_string_equal(m[i].region, "Düsseldorf");
        if (strcmp(m[i].name, "Aachen") == 0)
            assert_string_equal(m[i].region, "Köln");
    }

    const char *const *streets = NULL;
    size_t ns = names_streets(&streets);
    assert_true(ns >= 60);
    for (size_t i = 0; i < ns; i++) {
        assert_true(strlen(streets[i]) > 0);
        assert_true(fn_utf8_valid(streets[i], strlen(streets[i]), NULL));
        for (size_t j = 0; j < i; j++)
            assert_true(strcmp(streets[j], streets[i]) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_populations),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_known_variants),
        cmocka_unit_test(test_municipalities_and_streets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
