/*
 * Unit tests for src/assess: the shipped catalogue loads; every forbidden
 * attribute and every misuse (charges as points, age outside the gate,
 * negative points) is refused with file, line and reason; every effect kind
 * works; points sum to the score; results are deterministic; facts come only
 * from final convictions.
 */
#include "../test_util.h"

#include "assess/catalog.h"
#include "core/alloc.h"

static const char *header = "katalog: Test\nversion: 1\ngilt_ab: 2026-03-01\n"
                            "band_a_ab: 40\nband_b_ab: 15\n\n";

/* Builds a catalogue from header + one rule body with the given condition
 * and effect. */
static fn_status load_rule(const char *cond, const char *effect, struct assess_catalog **out,
                           struct fn_buf *errors)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%sregel: R1\ntitel: Test\nnorm: § 1\nfassung: 2026\nwenn: %s\nwirkung: %s\n"
             "erklaerung: Test.\n",
             header, cond, effect);
    return assess_catalog_parse(text, strlen(text), "test.cat", out, errors);
}

static void test_shipped_catalogue_loads(void **state)
{
    (void)state;
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/catalog/initialbewertung.cat", root ? root : ".");
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    struct assess_catalog *c = NULL;
    fn_status rc = assess_catalog_load(path, &c, &errors);
    if (rc)
        fail_msg("%s", fn_buf_str(&errors));
    const char *ids[] = {"G1", "G2", "G3", "G4", "G5", "G6", "P1",  "P2",
                         "P3", "P4", "P5", "P6", "B1", "B2", "F1a", "T1a"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int found = 0;
        for (size_t k = 0; k < c->nrules; k++)
            found |= strcmp(c->rules[k].id, ids[i]) == 0;
        if (!found)
            fail_msg("rule %s missing", ids[i]);
    }
    assert_int_equal(strlen(c->hash), 64);
    assess_catalog_free(c);
    fn_buf_free(&errors);
}

static void test_forbidden_attributes_refused(void **state)
{
    (void)state;
    const char *names[] = {"staatsangehoerigkeit",
                           "nationalitaet_syr",
                           "herkunftsland",
                           "geburtsland",
                           "religion",
                           "ethnie",
                           "rasse",
                           "sprache",
                           "geschlecht",
                           "sex",
                           "alter",
                           "age",
                           "gesundheit",
                           "krankheit",
                           "behinderung",
                           "familie_vorstrafen",
                           "angehoerige_haft",
                           "kontakte",
                           "sozialverhalten",
                           "sozialleistung",
                           "zielstaat",
                           "politische_haltung",
                           "geburtsdatum"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char cond[128];
        snprintf(cond, sizeof cond, "%s = ja", names[i]);
        struct fn_buf errors;
        fn_buf_init(&errors, 4096);
        struct assess_catalog *c = NULL;
        assert_int_equal(load_rule(cond, "punkte 10", &c, &errors), FN_INVALID);
        assert_null(c);
        if (!strstr(fn_buf_str(&errors), "test.cat:11:") ||
            !strstr(fn_buf_str(&errors), "abgelehnt"))
            fail_msg("%s: %s", names[i], fn_buf_str(&errors));
        fn_buf_free(&errors);
    }
}

static void test_misuse_refused(void **state)
{
    (void)state;
    const struct {
        const char *cond, *effect, *expect;
    } cases[] = {
        {"verfahren_anhaengig = ja", "punkte 20", "Unschuldsvermutung"},
        {"minderjaehrig_uebergabe_ungesichert = ja", "punkte 5", "gesetzliche Sperre"},
        {"hoechste_strafe_monate >= 24", "punkte -10", "negative Punkte"},
        {"unbekannte_tatsache = ja", "sperre", "nicht zugelassen"},
        {"hoechste_strafe_monate => 24", "punkte 10", "Vergleich"},
        {"hoechste_strafe_monate >= viel", "punkte 10", "ganze Zahl"},
        {"duldung >= 3", "sperre", "ja/nein"},
        {"duldung = ja und abschiebungsverbot = ja oder in_haft = ja", "sperre", "gemischt"},
        {"bleibeinteresse_schwer = ja", "punkte 10", "nicht für 'punkte'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fn_buf errors;
        fn_buf_init(&errors, 4096);
        struct assess_catalog *c = NULL;
        assert_int_equal(load_rule(cases[i].cond, cases[i].effect, &c, &errors), FN_INVALID);
        if (!strstr(fn_buf_str(&errors), cases[i].expect))
            fail_msg("case %zu: want '%s' in: %s", i, cases[i].expect, fn_buf_str(&errors));
        fn_buf_free(&errors);
    }
    /* structural errors name their line */
    const char *bad = "katalog: X\nversion: 1\ngilt_ab: 2026\nregel: A\ntitel: t\n"
                      "unsinn ohne doppelpunkt\n";
    struct fn_buf errors;
    fn_buf_init(&errors, 4096);
    struct assess_catalog *c = NULL;
    assert_int_equal(assess_catalog_parse(bad, strlen(bad), "b.cat", &c, &errors), FN_INVALID);
    assert_non_null(strstr(fn_buf_str(&errors), "b.cat:6:"));
    assert_non_null(strstr(fn_buf_str(&errors), "Pflicht"));
    fn_buf_free(&errors);
}

static struct assess_catalog *engine_catalogue(void)
{
    const char *text =
        "katalog: E\nversion: 1\ngilt_ab: 2026-01-01\nband_a_ab: 40\nband_b_ab: 15\n"
        "regel: G\ntitel: t\nnorm: n\nfassung: f\nwenn: duldung = ja\nwirkung: sperre\n"
        "erklaerung: e\n"
        "regel: P1\ntitel: t\nnorm: n\nfassung: f\nwenn: hoechste_strafe_monate >= 24\n"
        "wirkung: punkte 40\nerklaerung: e\n"
        "regel: P4\ntitel: t\nnorm: n\nfassung: f\nwenn: hoechste_strafe_monate >= 6 oder "
        "btm_handel_verurteilt = ja\nwirkung: punkte 15\nerklaerung: e\n"
        "regel: B\ntitel: t\nnorm: n\nfassung: f\nwenn: bleibeinteresse_schwer = ja\n"
        "wirkung: gegengewicht\nerklaerung: e\n"
        "regel: F\ntitel: t\nnorm: n\nfassung: f\nwenn: reisedokument_gueltig = ja\n"
        "wirkung: machbarkeit 20\nerklaerung: e\n"
        "regel: T1\ntitel: t\nnorm: n\nfassung: f\nwenn: tage_bis_duldungsende >= 0\n"
        "wirkung: frist\nerklaerung: e\n"
        "regel: T2\ntitel: t\nnorm: n\nfassung: f\nwenn: tage_bis_entlassung >= 0 und "
        "in_haft = ja\nwirkung: frist\nerklaerung: e\n";
    struct assess_catalog *c = NULL;
    assert_int_equal(assess_catalog_parse(text, strlen(text), "e.cat", &c, NULL), FN_OK);
    return c;
}

static void test_every_effect_kind(void **state)
{
    (void)state;
    struct assess_catalog *c = engine_catalogue();
    struct assess_facts f;
    memset(&f, 0, sizeof f);
    f.v[F_DAYS_TO_RELEASE] = -1;
    f.v[F_DAYS_TO_DULDUNG_END] = -1;
    struct assess_result r;
    assess_evaluate(c, &f, &r);
    assert_false(r.blocked);
    assert_int_equal(r.points, 0);
    assert_int_equal(r.band, 'C');
    assert_string_equal(r.feasibility_band, "mittel");

    f.v[F_DULDUNG] = 1;
    f.v[F_MAX_SENTENCE_MONTHS] = 30;
    f.v[F_STAY_INTEREST] = 1;
    f.v[F_VALID_PASSPORT] = 1;
    f.v[F_DAYS_TO_DULDUNG_END] = 40;
    f.v[F_IN_CUSTODY] = 1;
    f.v[F_DAYS_TO_RELEASE] = 12;
    assess_evaluate(c, &f, &r);
    assert_true(r.blocked);
    assert_int_equal(r.ngates, 1);
    /* the gate does not reduce points: gates are not minus points */
    assert_int_equal(r.points, 55);
    assert_int_equal(r.band, 'A');
    assert_int_equal(r.nweighing, 1);
    assert_int_equal(r.feasibility, 20);
    assert_string_equal(r.feasibility_band, "hoch");
    assert_int_equal(r.ndeadlines, 2);
    assert_int_equal(r.deadlines[0].days, 12); /* nearest first */
    assert_string_equal(c->rules[r.deadlines[0].rule].id, "T2");
    /* explanation points sum to the score */
    int sum = 0;
    for (int i = 0; i < r.ntrace; i++)
        if (r.trace[i].fired && c->rules[r.trace[i].rule].effect == EFF_POINTS)
            sum += c->rules[r.trace[i].rule].amount;
    assert_int_equal(sum, r.points);
    assert_int_equal(r.ntrace, (int)c->nrules);
    assess_catalog_free(c);
}

static void test_group_counts_once(void **state)
{
    (void)state;
    const char *text = "katalog: E\nversion: 1\ngilt_ab: 2026-01-01\n"
                       "regel: P1\ngruppe: strafe\ntitel: t\nnorm: n\nfassung: f\n"
                       "wenn: hoechste_strafe_monate >= 24\nwirkung: punkte 40\nerklaerung: e\n"
                       "regel: P4\ngruppe: strafe\ntitel: t\nnorm: n\nfassung: f\n"
                       "wenn: hoechste_strafe_monate >= 6\nwirkung: punkte 15\nerklaerung: e\n"
                       "regel: P6\ntitel: t\nnorm: n\nfassung: f\n"
                       "wenn: verurteilungen_5_jahre >= 3\nwirkung: punkte 10\nerklaerung: e\n";
    struct assess_catalog *c = NULL;
    assert_int_equal(assess_catalog_parse(text, strlen(text), "g.cat", &c, NULL), FN_OK);
    struct assess_facts f;
    memset(&f, 0, sizeof f);
    f.v[F_MAX_SENTENCE_MONTHS] = 30;
    f.v[F_FINAL_CONVICTIONS_5Y] = 4;
    struct assess_result r;
    assess_evaluate(c, &f, &r);
    assert_int_equal(r.points, 50); /* P1 40 + P6 10; P4 covered by P1 */
    assert_true(r.trace[1].fired && r.trace[1].subsumed);
    assert_false(r.trace[0].subsumed);
    f.v[F_MAX_SENTENCE_MONTHS] = 8;
    assess_evaluate(c, &f, &r);
    assert_int_equal(r.points, 25); /* P4 alone counts */
    assess_catalog_free(c);
    const char *bad = "katalog: E\nversion: 1\ngilt_ab: 2026\nregel: S\ngruppe: x\ntitel: t\n"
                      "norm: n\nfassung: f\nwenn: duldung = ja\nwirkung: sperre\nerklaerung: e\n";
    struct fn_buf errors;
    fn_buf_init(&errors, 4096);
    assert_int_equal(assess_catalog_parse(bad, strlen(bad), "b.cat", &c, &errors), FN_INVALID);
    assert_non_null(strstr(fn_buf_str(&errors), "nur für Punkte"));
    fn_buf_free(&errors);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct assess_catalog *c = engine_catalogue();
    uint64_t x = 12345;
    for (int n = 0; n < 2000; n++) {
        struct assess_facts f;
        memset(&f, 0, sizeof f);
        for (int k = 0; k < F_COUNT; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            f.v[k] = (int32_t)((x >> 33) % 40) - 1;
        }
        struct assess_result a, b;
        assess_evaluate(c, &f, &a);
        assess_evaluate(c, &f, &b);
        assert_memory_equal(&a, &b, sizeof a);
    }
    assess_catalog_free(c);
}

static void test_facts_only_final_convictions(void **state)
{
    (void)state;
    struct model_person person = {.id = 1, .identity = IDENTITY_CLARIFIED};
    struct model_proceeding procs[3] = {
        {.kind = PROC_CONVICTION,
         .sentence = SENT_PRISON,
         .sentence_months = 30,
         .intentional = 1,
         .offences = "StGB § 224",
         .final_date = {.year = 2024, .month = 5, .day = 2}},
        {.kind = PROC_CONVICTION,
         .sentence = SENT_PRISON,
         .sentence_months = 60,
         .intentional = 1,
         .offences = "StGB § 212"}, /* not final: no weight */
        {.kind = PROC_CHARGE, .consent = CONSENT_PENDING, .offences = "StGB § 242"},
    };
    struct model_person_file file = {.person = &person, .proceedings = procs, .n_proceedings = 3};
    /* a negligent offence (not intentional) carries no § 54 weight */
    struct model_proceeding negligent = {.kind = PROC_CONVICTION,
                                         .sentence = SENT_PRISON,
                                         .sentence_months = 40,
                                         .offences = "StGB § 222",
                                         .final_date = {.year = 2025, .month = 1, .day = 2}};
    struct model_person_file nfile = {
        .person = &person, .proceedings = &negligent, .n_proceedings = 1};
    struct fn_pdate today_d = {.year = 2026, .month = 3, .day = 1};
    int32_t today = 0;
    assert_int_equal(fn_pdate_to_days(&today_d, &today), FN_OK);
    struct assess_facts f;
    assess_facts_from_file(&file, today, &f);
    assert_int_equal(f.v[F_MAX_SENTENCE_MONTHS], 30);
    assert_int_equal(f.v[F_MAX_LISTED_OFFENCE_MONTHS], 30);
    assert_int_equal(f.v[F_FINAL_CONVICTIONS_5Y], 1);
    assert_int_equal(f.v[F_PENDING_INVESTIGATION], 1);
    assert_int_equal(f.v[F_CONSENT_MISSING], 1);
    assert_int_equal(f.v[F_IDENTITY_CLARIFIED], 1);
    assert_int_equal(f.v[F_DAYS_TO_RELEASE], -1);
    assess_facts_from_file(&nfile, today, &f);
    assert_int_equal(f.v[F_MAX_SENTENCE_MONTHS], 0);
}

static void test_parse_nomem(void **state)
{
    (void)state;
    for (long n = 0; n < 200; n++) {
        struct assess_catalog *c = NULL;
        fn_alloc_fail_after(n, 0);
        fn_status rc = load_rule("duldung = ja", "sperre", &c, NULL);
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            assess_catalog_free(c);
            return;
        }
        assert_int_equal(rc, FN_NOMEM);
        assert_null(c);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_catalogue_loads),
        cmocka_unit_test(test_forbidden_attributes_refused),
        cmocka_unit_test(test_misuse_refused),
        cmocka_unit_test(test_every_effect_kind),
        cmocka_unit_test(test_group_counts_once),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_facts_only_final_convictions),
        cmocka_unit_test(test_parse_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
