/* Unit tests for src/assess/evaluate: Cohen's kappa against the textbook
 * example and edge cases; subgroup rates and the four-fifths flag. */
#include "../test_util.h"

#include "assess/evaluate.h"

#include <string.h>

static size_t fill(struct eval_record *r, size_t at, size_t count, int rec, int acc)
{
    for (size_t i = 0; i < count; i++)
        r[at + i] = (struct eval_record){.recommended = rec, .accepted = acc, .group = -1};
    return at + count;
}

static void test_kappa_textbook(void **state)
{
    (void)state;
    /* 50 cases: both yes 20, yes/no 5, no/yes 10, both no 15 -> kappa 0.4 */
    struct eval_record r[50];
    size_t n = fill(r, 0, 20, 1, 1);
    n = fill(r, n, 5, 1, 0);
    n = fill(r, n, 10, 0, 1);
    n = fill(r, n, 15, 0, 0);
    struct eval_kappa k;
    eval_kappa(r, n, &k);
    assert_int_equal(k.n, 50);
    assert_float_equal(k.observed, 0.7, 1e-9);
    assert_float_equal(k.expected, 0.5, 1e-9);
    assert_float_equal(k.kappa, 0.4, 1e-9);
    assert_true(k.ci_low < 0.4 && k.ci_high > 0.4);
    assert_true(k.se > 0.0);
}

static void test_kappa_edges(void **state)
{
    (void)state;
    struct eval_kappa k;
    eval_kappa(NULL, 0, &k);
    assert_int_equal(k.n, 0);
    struct eval_record same[10];
    fill(same, 0, 10, 1, 1);
    eval_kappa(same, 10, &k);
    assert_float_equal(k.kappa, 1.0, 1e-9); /* all in one cell */
    struct eval_record opp[10];
    size_t n = fill(opp, 0, 5, 1, 0);
    fill(opp, n, 5, 0, 1);
    eval_kappa(opp, 10, &k);
    assert_float_equal(k.kappa, -1.0, 1e-9);
    assert_true(k.ci_low >= -1.0);
}

static void test_four_fifths(void **state)
{
    (void)state;
    struct eval_record r[40];
    for (int i = 0; i < 20; i++) /* group 0: 16 of 20 accepted = 0.8 */
        r[i] = (struct eval_record){.accepted = i < 16, .override = i < 2, .group = 0};
    for (int i = 20; i < 40; i++) /* group 1: 10 of 20 = 0.5 -> ratio 0.625 */
        r[i] = (struct eval_record){.accepted = i < 30, .group = 1};
    struct eval_group g[3];
    eval_groups(r, 40, 3, g);
    assert_int_equal(g[0].n, 20);
    assert_float_equal(g[0].selection_rate, 0.8, 1e-9);
    assert_float_equal(g[0].override_rate, 0.1, 1e-9);
    assert_false(g[0].flagged);
    assert_float_equal(g[1].ratio_to_max, 0.625, 1e-9);
    assert_true(g[1].flagged);
    assert_int_equal(g[2].n, 0);
    assert_false(g[2].flagged);
}

/* ---- the report (issue 13) ---- */

static struct store_eval_decision decision(const char *hash, const char *region, int accepted,
                                           int64_t earlier)
{
    return (struct store_eval_decision){.catalog_hash = hash,
                                        .catalog_version = hash[0] == 'a' ? "v1" : "v2",
                                        .band = 'A',
                                        .accepted = accepted,
                                        .earlier = earlier,
                                        .region = region,
                                        .authority = "ABH",
                                        .sex = "f",
                                        .birth_year = "1990"};
}

static struct store_eval_person person(const char *region, char band, int blocked, int outcome)
{
    return (struct store_eval_person){.catalog_hash = band ? "aa" : NULL,
                                      .catalog_version = "v1",
                                      .band = band,
                                      .blocked = blocked,
                                      .trace = blocked ? "{\"ausgeloest\":[\"G2\",\"P1\"]}" : "{}",
                                      .region = region,
                                      .authority = "ABH",
                                      .sex = "m",
                                      .birth_year = "1980",
                                      .case_outcome = outcome};
}

/* The group of label in untergruppen[dim] (or nach_katalog when dim is NULL). */
static json_t *group(json_t *rep, const char *dim, const char *label)
{
    json_t *arr = dim ? json_object_get(json_object_get(rep, "untergruppen"), dim)
                      : json_object_get(rep, "nach_katalog");
    size_t i;
    json_t *g;
    json_array_foreach(arr, i, g) if (strcmp(json_string_value(json_object_get(g, "gruppe")),
                                             label) == 0) return g;
    fail_msg("no group %s", label);
    return NULL;
}

static long long count(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("%s is not shown as a number", key);
    return (long long)json_integer_value(v);
}

static int suppressed(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && (strcmp(s, "<5") == 0 || strcmp(s, "unterdrückt") == 0);
}

static void test_report_counts_and_suppression(void **state)
{
    (void)state;
    struct eval_report *r = NULL;
    assert_int_equal(eval_report_new(2026, &r), FN_OK);
    /* catalogue aa: 6 persons in R1, one of them with 2 earlier decisions;
     * catalogue bb: 2 persons in R2 (a small cell) */
    for (int i = 0; i < 6; i++) {
        struct store_eval_decision d = decision("aa", "R1", i < 4, i == 0 ? 2 : 0);
        assert_int_equal(eval_add_decision(r, &d), FN_OK);
    }
    for (int i = 0; i < 2; i++) {
        struct store_eval_decision d = decision("bb", "R2", 1, 0);
        assert_int_equal(eval_add_decision(r, &d), FN_OK);
    }
    /* population: R1 10 band A, 6 blocked (G2), 1 band C; 3 not assessed */
    for (int i = 0; i < 20; i++) {
        struct store_eval_person p = person("R1",
                                            i < 3    ? 0
                                            : i < 13 ? 'A'
                                                     : 'B',
                                            i >= 13 && i < 19, 0);
        if (i == 19)
            p.band = 'C';
        assert_int_equal(eval_add_person(r, &p), FN_OK);
    }
    struct store_eval_filter f = {.region = "R1"};
    json_t *rep = eval_report_json(r, &f);
    assert_non_null(rep);
    json_t *d = json_object_get(rep, "entscheidungen");
    assert_int_equal(count(d, "personen"), 8);
    assert_true(suppressed(d, "fruehere_entscheidungen")); /* 2 */
    json_t *aa = group(rep, NULL, "v1");
    assert_string_equal(json_string_value(json_object_get(aa, "katalog_hash")), "aa");
    assert_int_equal(count(json_object_get(aa, "entscheidungen"), "personen"), 6);
    json_t *bb = group(rep, NULL, "v2");
    assert_true(suppressed(json_object_get(bb, "entscheidungen"), "personen"));
    assert_true(
        json_is_null(json_object_get(json_object_get(bb, "entscheidungen"), "auswahlquote")));
    assert_true(json_is_null(
        json_object_get(json_object_get(json_object_get(bb, "entscheidungen"), "kappa"), "wert")));
    /* 4 of 6 accepted: 2 rejected would show through the rate */
    assert_true(
        json_is_null(json_object_get(json_object_get(aa, "entscheidungen"), "auswahlquote")));
    json_t *b = json_object_get(rep, "bestand");
    assert_int_equal(count(b, "personen"), 20);
    assert_int_equal(count(b, "band_a"), 10);
    assert_int_equal(count(b, "gesperrt"), 6);
    assert_int_equal(count(json_object_get(b, "sperren"), "G2"), 6);
    assert_true(suppressed(b, "band_c"));         /* 1 */
    assert_true(suppressed(b, "nicht_bewertet")); /* 3 */
    assert_int_equal(count(b, "band_b"), 0);
    /* the population per region too, not only the decided */
    json_t *r1 = group(rep, "region", "R1");
    assert_int_equal(count(json_object_get(r1, "bestand"), "personen"), 20);
    json_t *r2 = group(rep, "region", "R2");
    assert_true(suppressed(json_object_get(r2, "entscheidungen"), "personen"));
    /* no case outcome recorded */
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(rep, "ergebnisvalidierung"), "hinweis")),
        "keine Ergebnisdaten");
    assert_int_equal(json_array_size(json_object_get(rep, "ki_verordnung")), 7);
    json_decref(rep);
    eval_report_free(r);
}

/* Gates are read from the trace's "sperren" list: a gate whose id is not
 * "G" and a digit (B2, § 53 Abs. 3) counts, an ungeklärt gate has its own
 * row, and a points rule in "ausgeloest" is no gate. */
static void test_gates_from_the_gate_list(void **state)
{
    (void)state;
    struct eval_report *r = NULL;
    assert_int_equal(eval_report_new(2026, &r), FN_OK);
    for (int i = 0; i < 5; i++) {
        struct store_eval_person p = person("R1", 'C', 1, 0);
        p.trace = "{\"ausgeloest\":[\"B2\",\"P1\",\"G9\"],\"sperren\":[\"B2\",\"G4 ungeklärt\"],"
                  "\"ungeklaert\":[{\"regel\":\"G4\",\"fehlt\":[]}]}";
        assert_int_equal(eval_add_person(r, &p), FN_OK);
    }
    struct store_eval_filter f = {0};
    json_t *rep = eval_report_json(r, &f);
    assert_non_null(rep);
    json_t *g = json_object_get(json_object_get(rep, "bestand"), "sperren");
    assert_int_equal(count(g, "B2"), 5);
    assert_int_equal(count(g, "G4 ungeklärt"), 5);
    assert_null(json_object_get(g, "G9")); /* fired, but not in the gate list */
    assert_null(json_object_get(g, "P1"));
    json_decref(rep);
    eval_report_free(r);
}

/* One hidden cell in a row whose total is shown: a second one is hidden. */
static void test_secondary_suppression(void **state)
{
    (void)state;
    struct eval_report *r = NULL;
    assert_int_equal(eval_report_new(2026, &r), FN_OK);
    for (int i = 0; i < 17; i++) { /* 10 A, 5 B, 2 C */
        struct store_eval_person p = person("R1", i < 10 ? 'A' : i < 15 ? 'B' : 'C', 0, 0);
        assert_int_equal(eval_add_person(r, &p), FN_OK);
    }
    struct store_eval_filter f = {0};
    json_t *rep = eval_report_json(r, &f);
    json_t *b = json_object_get(rep, "bestand");
    assert_int_equal(count(b, "personen"), 17);
    assert_true(suppressed(b, "band_c"));
    assert_true(suppressed(b, "band_b")); /* else 17 - 10 - 5 gives C away */
    assert_int_equal(count(b, "band_a"), 10);
    json_decref(rep);
    eval_report_free(r);
}

static void test_outcome_validation(void **state)
{
    (void)state;
    struct eval_report *r = NULL;
    assert_int_equal(eval_report_new(2026, &r), FN_OK);
    for (int i = 0; i < 20; i++) { /* band A: 8 measures, 6 closed without, 6 open */
        struct store_eval_person p = person("R1", 'A', 0, i < 8 ? 2 : i < 14 ? 1 : 0);
        assert_int_equal(eval_add_person(r, &p), FN_OK);
    }
    for (int i = 0; i < 10; i++) { /* band C: custody pending deportation counts as measure */
        struct store_eval_person p = person("R1", 'C', 0, 1);
        p.deportation_custody = i < 5;
        assert_int_equal(eval_add_person(r, &p), FN_OK);
    }
    struct store_eval_filter f = {0};
    json_t *rep = eval_report_json(r, &f);
    json_t *o = json_object_get(rep, "ergebnisvalidierung");
    assert_null(json_object_get(o, "hinweis"));
    assert_int_equal(count(o, "personen_mit_ergebnis"), 24);
    json_t *a = json_array_get(json_object_get(o, "tabelle"), 0);
    assert_string_equal(json_string_value(json_object_get(a, "band")), "Band A");
    assert_int_equal(count(a, "massnahme"), 8);
    assert_int_equal(count(a, "ohne_massnahme"), 6);
    assert_float_equal(json_real_value(json_object_get(a, "massnahmequote")), 8.0 / 14.0, 1e-9);
    json_t *c = json_array_get(json_object_get(o, "tabelle"), 2);
    assert_int_equal(count(c, "massnahme"), 5);
    assert_int_equal(count(c, "ohne_massnahme"), 5);
    json_decref(rep);
    eval_report_free(r);
}

static void test_filter_messages(void **state)
{
    (void)state;
    struct store_eval_filter ok = {.from = "2026-01-01", .to = "2026-03-31", .region = "RB-MS"};
    assert_null(eval_filter_check(&ok));
    struct store_eval_filter bad[] = {{.from = "2026-13-01"},
                                      {.to = "31.03.2026"},
                                      {.from = "2026-02-29"},
                                      {.to = "2026-03"},
                                      {.region = "M\xc3\xbc"
                                                 "nster"},
                                      {.region = ""},
                                      {.from = "2026-03-02", .to = "2026-03-01"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(eval_filter_check(&bad[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kappa_textbook),
        cmocka_unit_test(test_kappa_edges),
        cmocka_unit_test(test_four_fifths),
        cmocka_unit_test(test_report_counts_and_suppression),
        cmocka_unit_test(test_secondary_suppression),
        cmocka_unit_test(test_gates_from_the_gate_list),
        cmocka_unit_test(test_outcome_validation),
        cmocka_unit_test(test_filter_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
