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
#include "mandatory_gates.h"

static const char *header = "katalog: Test\nversion: 1\ngilt_ab: 2026-03-01\n"
                            "band_a_ab: 40\nband_b_ab: 15\n\n";

/* Builds a catalogue from header + one rule body with the given condition
 * and effect. */
static fn_status load_rule(const char *cond, const char *effect, struct assess_catalog **out,
                           struct fn_buf *errors)
{
    char text[4096];
    snprintf(text, sizeof text,
             "%sregel: R1\ntitel: Test\nnorm: § 1\nfassung: 2026\nwenn: %s\nwirkung: %s\n"
             "erklaerung: Test.\n" TEST_MANDATORY_GATES,
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
        "regel: G\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: duldung = ja\nwirkung: sperre\n"
        "erklaerung: e\n"
        "regel: P1\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: hoechste_strafe_monate >= 24\n"
        "wirkung: punkte 40\nerklaerung: e\n"
        "regel: P4\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: hoechste_strafe_monate >= 6 oder "
        "btm_handel_verurteilt = ja\nwirkung: punkte 15\nerklaerung: e\n"
        "regel: B\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: bleibeinteresse_schwer = ja\n"
        "wirkung: gegengewicht\nerklaerung: e\n"
        "regel: F\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: reisedokument_gueltig = ja\n"
        "wirkung: machbarkeit 20\nerklaerung: e\n"
        "regel: T1\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: tage_bis_duldungsende >= 0\n"
        "wirkung: frist\nerklaerung: e\n"
        "regel: T2\ntitel: t\nnorm: § 1\nfassung: 2026\nwenn: tage_bis_entlassung >= 0 und "
        "in_haft = ja\nwirkung: frist\nerklaerung: e\n" TEST_MANDATORY_GATES;
    struct assess_catalog *c = NULL;
    assert_int_equal(assess_catalog_parse(text, strlen(text), "e.cat", &c, NULL), FN_OK);
    return c;
}

/* Every fact known and 0 (no), except an enforceable obligation (so that no
 * mandatory gate blocks); the deadlines unknown. */
static void facts_open(struct assess_facts *f)
{
    assess_facts_clear(f);
    for (int k = 0; k < F_COUNT; k++)
        assess_fact_set(f, (enum assess_fact_id)k, 0);
    assess_fact_set(f, F_ENFORCEABLE_OBLIGATION, 1);
    assess_fact_unknown(f, F_DAYS_TO_RELEASE);
    assess_fact_unknown(f, F_DAYS_TO_DULDUNG_END);
    assess_fact_unknown(f, F_DAYS_TO_DEPARTURE_DEADLINE);
}

static void test_every_effect_kind(void **state)
{
    (void)state;
    struct assess_catalog *c = engine_catalogue();
    struct assess_facts f;
    facts_open(&f);
    struct assess_result r;
    assess_evaluate(c, &f, &r);
    assert_false(r.blocked);
    assert_int_equal(r.points, 0);
    assert_int_equal(r.band, 'C');
    assert_string_equal(r.feasibility_band, "mittel");

    assess_fact_set(&f, F_DULDUNG, 1);
    assess_fact_set(&f, F_MAX_SENTENCE_MONTHS, 30);
    assess_fact_set(&f, F_STAY_INTEREST, 1);
    assess_fact_set(&f, F_VALID_PASSPORT, 1);
    assess_fact_set(&f, F_DAYS_TO_DULDUNG_END, 40);
    assess_fact_set(&f, F_IN_CUSTODY, 1);
    assess_fact_set(&f, F_DAYS_TO_RELEASE, 12);
    assess_evaluate(c, &f, &r);
    assert_true(r.blocked);
    assert_int_equal(r.ngates, 2); /* G and the mandatory ZG3 read the Duldung */
    assert_int_equal(r.nunresolved, 0);
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
                       "regel: P1\ngruppe: strafe\ntitel: t\nnorm: § 1\nfassung: 2026\n"
                       "wenn: hoechste_strafe_monate >= 24\nwirkung: punkte 40\nerklaerung: e\n"
                       "regel: P4\ngruppe: strafe\ntitel: t\nnorm: § 1\nfassung: 2026\n"
                       "wenn: hoechste_strafe_monate >= 6\nwirkung: punkte 15\nerklaerung: e\n"
                       "regel: P6\ntitel: t\nnorm: § 1\nfassung: 2026\n"
                       "wenn: verurteilungen_5_jahre >= 3\nwirkung: punkte 10\nerklaerung: "
                       "e\n" TEST_MANDATORY_GATES;
    struct assess_catalog *c = NULL;
    assert_int_equal(assess_catalog_parse(text, strlen(text), "g.cat", &c, NULL), FN_OK);
    struct assess_facts f;
    facts_open(&f);
    assess_fact_set(&f, F_MAX_SENTENCE_MONTHS, 30);
    assess_fact_set(&f, F_FINAL_CONVICTIONS_5Y, 4);
    struct assess_result r;
    assess_evaluate(c, &f, &r);
    assert_int_equal(r.points, 50); /* P1 40 + P6 10; P4 covered by P1 */
    assert_true(r.trace[1].fired && r.trace[1].subsumed);
    assert_false(r.trace[0].subsumed);
    assess_fact_set(&f, F_MAX_SENTENCE_MONTHS, 8);
    assess_evaluate(c, &f, &r);
    assert_int_equal(r.points, 25); /* P4 alone counts */
    assess_catalog_free(c);
    const char *bad =
        "katalog: E\nversion: 1\ngilt_ab: 2026\nregel: S\ngruppe: x\ntitel: t\n"
        "norm: § 1\nfassung: 2026\nwenn: duldung = ja\nwirkung: sperre\nerklaerung: e\n";
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
            f.known[k] = (unsigned char)((x >> 20) & 1);
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
    assert_false(f.known[F_DAYS_TO_RELEASE]); /* no custody: no release date */
    assess_facts_from_file(&nfile, today, &f);
    assert_int_equal(f.v[F_MAX_SENTENCE_MONTHS], 0);
}

/* Parses text[0..len) as "t.cat"; expects FN_INVALID with every one of the
 * given fragments (NULL-terminated) in the errors. */
static void expect_refused(const char *label, const char *text, size_t len, ...)
{
    struct fn_buf errors;
    fn_buf_init(&errors, 8192);
    struct assess_catalog *c = NULL;
    fn_status rc = assess_catalog_parse(text, len, "t.cat", &c, &errors);
    if (rc != FN_INVALID)
        fail_msg("%s: accepted (rc %d)", label, rc);
    assert_null(c);
    va_list ap;
    va_start(ap, len);
    for (const char *want = va_arg(ap, const char *); want; want = va_arg(ap, const char *))
        if (!strstr(fn_buf_str(&errors), want))
            fail_msg("%s: want '%s' in: %s", label, want, fn_buf_str(&errors));
    va_end(ap);
    fn_buf_free(&errors);
}

static struct assess_catalog *expect_loaded(const char *label, const char *text, size_t len)
{
    struct fn_buf errors;
    fn_buf_init(&errors, 8192);
    struct assess_catalog *c = NULL;
    if (assess_catalog_parse(text, len, "t.cat", &c, &errors) != FN_OK)
        fail_msg("%s: refused: %s", label, fn_buf_str(&errors));
    fn_buf_free(&errors);
    return c;
}

/* lines 1-6 header, 7 regel, 8 titel, 9 norm, 10 fassung, 11 wenn, 12 wirkung,
 * 13 erklaerung, 14 geprueft, 15 gruppe */
static const char *const one_rule_lines[] = {
    "katalog: Test",
    "version: 1",
    "gilt_ab: 2026-03-01",
    "band_a_ab: 40",
    "band_b_ab: 15",
    "zweite_person_bei_sperre: ja",
    "regel: R1",
    "titel: Test",
    "norm: § 1",
    "fassung: 2026",
    "wenn: hoechste_strafe_monate >= 24",
    "wirkung: punkte 10",
    "erklaerung: Test.",
    "geprueft: ja",
    "gruppe: g",
};
#define ONE_RULE_LINES (sizeof one_rule_lines / sizeof one_rule_lines[0])

/* The one-rule catalogue with line `after` (1-based) followed by extra. */
static void one_rule_with(char *out, size_t size, size_t after, const char *extra)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ONE_RULE_LINES; i++) {
        used += (size_t)snprintf(out + used, size - used, "%s\n", one_rule_lines[i]);
        if (i + 1 == after)
            used += (size_t)snprintf(out + used, size - used, "%s\n", extra);
        assert_true(used < size);
    }
    used += (size_t)snprintf(out + used, size - used, "%s", TEST_MANDATORY_GATES);
    assert_true(used < size);
}

/* The one-rule catalogue with line `line` (1-based) replaced by repl. */
static void one_rule_replacing(char *out, size_t size, size_t line, const char *repl)
{
    size_t used = 0;
    for (size_t i = 0; i < ONE_RULE_LINES; i++) {
        used += (size_t)snprintf(out + used, size - used, "%s\n",
                                 i + 1 == line ? repl : one_rule_lines[i]);
        assert_true(used < size);
    }
    used += (size_t)snprintf(out + used, size - used, "%s", TEST_MANDATORY_GATES);
    assert_true(used < size);
}

static void test_key_twice_refused(void **state)
{
    (void)state;
    char text[4096];
    one_rule_with(text, sizeof text, 0, "");
    assess_catalog_free(expect_loaded("base", text, strlen(text)));
    /* a second "wenn:" was merged into the first; every rule key is once */
    for (size_t i = 7; i < ONE_RULE_LINES; i++) {
        char label[64];
        snprintf(label, sizeof label, "twice: %s", one_rule_lines[i]);
        one_rule_with(text, sizeof text, ONE_RULE_LINES, one_rule_lines[i]);
        char key[32];
        snprintf(key, sizeof key, "'%.*s' doppelt", (int)strcspn(one_rule_lines[i], ":"),
                 one_rule_lines[i]);
        char first[32];
        snprintf(first, sizeof first, "zuerst Zeile %zu", i + 1);
        expect_refused(label, text, strlen(text), "t.cat:16:", key, first, (const char *)NULL);
    }
    one_rule_with(text, sizeof text, 11, "wenn: sicherungsverwahrung = ja");
    expect_refused("second wenn right after the first", text, strlen(text),
                   "t.cat:12:", "'wenn' doppelt in Regel R1", (const char *)NULL);
    /* header keys too, and a header key inside a rule is named as such */
    one_rule_with(text, sizeof text, 3, "version: 2");
    expect_refused("version twice", text, strlen(text),
                   "t.cat:4:", "Kopfangabe 'version' doppelt (zuerst Zeile 2)", (const char *)NULL);
    one_rule_with(text, sizeof text, 6, "zweite_person_bei_sperre: nein");
    expect_refused("second person twice", text, strlen(text), "t.cat:7:", "doppelt",
                   (const char *)NULL);
    one_rule_with(text, sizeof text, 12, "band_a_ab: 10");
    expect_refused("header key in a rule", text, strlen(text),
                   "t.cat:13:", "gehört vor die erste Regel", (const char *)NULL);
    /* the same key in two rules is fine */
    one_rule_with(text, sizeof text, ONE_RULE_LINES,
                  "regel: R2\ntitel: T\nnorm: § 1\nfassung: 2026\nwenn: in_haft = ja\n"
                  "wirkung: sperre\nerklaerung: e\ngeprueft: nein");
    struct assess_catalog *c = expect_loaded("two rules", text, strlen(text));
    assert_int_equal(c->nrules, 2 + 6); /* R1, R2 and the six mandatory gates */
    assert_string_equal(c->rules[1].id, "R2");
    assert_int_equal(c->rules[1].unverified, 1);
    assess_catalog_free(c);
}

static void test_nul_and_control_refused(void **state)
{
    (void)state;
    /* text after a NUL was ignored: "und sicherungsverwahrung = ja" dropped */
    char text[4096];
    one_rule_with(text, sizeof text, 0, "");
    char *w = strstr(text, "wenn: hoechste_strafe_monate >= 24\n");
    assert_non_null(w);
    const char *tail = " und sicherungsverwahrung = ja";
    size_t head = (size_t)(w - text) + strlen("wenn: hoechste_strafe_monate >= 24");
    char nul[4200];
    memcpy(nul, text, head);
    nul[head] = '\0';
    memcpy(nul + head + 1, tail, strlen(tail));
    size_t rest = strlen(text) - head;
    memcpy(nul + head + 1 + strlen(tail), text + head, rest);
    size_t nlen = head + 1 + strlen(tail) + rest;
    expect_refused("NUL in wenn", nul, nlen, "t.cat:11:", "NUL-Byte an Stelle 35",
                   (const char *)NULL);
    /* a NUL in a comment or after the last line end too */
    const char cmt[] = "# Kommentar\0 versteckt\n";
    char buf[4300];
    memcpy(buf, cmt, sizeof cmt - 1);
    memcpy(buf + sizeof cmt - 1, text, strlen(text) + 1);
    expect_refused("NUL in comment", buf, sizeof cmt - 1 + strlen(text), "t.cat:1:", "NUL",
                   (const char *)NULL);
    size_t tl = strlen(text);
    memcpy(buf, text, tl);
    buf[tl] = '\0';
    int last = 1; /* the line after the last line end */
    for (size_t i = 0; i < tl; i++)
        last += text[i] == '\n';
    char where[32];
    snprintf(where, sizeof where, "t.cat:%d:", last);
    expect_refused("NUL at the end", buf, tl + 1, where, "NUL", (const char *)NULL);
    one_rule_with(text, sizeof text, 7, "titel: Test\x1b[8mverborgen\x1b[0m");
    expect_refused("escape sequence", text, strlen(text), "t.cat:8:", "Steuerzeichen U+001B",
                   (const char *)NULL);
    one_rule_with(text, sizeof text, 7, "titel: Test \xc2\x9b");
    expect_refused("C1 control", text, strlen(text), "t.cat:8:", "Steuerzeichen U+009B",
                   (const char *)NULL);
}

static void test_bad_bytes_refused_with_line(void **state)
{
    (void)state;
    char text[4096];
    one_rule_with(text, sizeof text, 9, "fassung: 2026 \xc3(");
    expect_refused("invalid UTF-8", text, strlen(text), "t.cat:10:", "UTF-8 (Byte 15",
                   (const char *)NULL);
    one_rule_with(text, sizeof text, 0, "");
    /* an old-Mac file: CR only */
    char cr[4096];
    snprintf(cr, sizeof cr, "%s", text);
    for (char *c = cr; *c; c++)
        if (*c == '\n')
            *c = '\r';
    expect_refused("CR line ends", cr, strlen(cr), "t.cat:1:", "CR", (const char *)NULL);
    one_rule_with(text, sizeof text, 12, "erklaerung: Test.\rmehr");
    expect_refused("CR inside a line", text, strlen(text), "t.cat:13:", "CR", (const char *)NULL);
    one_rule_with(text, sizeof text, 1, "\xef\xbb\xbfversion: 1");
    expect_refused("BOM mid-file", text, strlen(text), "t.cat:2:", "U+FEFF", (const char *)NULL);
    one_rule_with(text, sizeof text, 13, "geprueft: vielleicht");
    expect_refused("geprueft not ja/nein", text, strlen(text), "t.cat:14:", "'ja' oder 'nein'",
                   (const char *)NULL);
}

static void test_long_line_refused(void **state)
{
    (void)state;
    /* a condition list longer than the old 1023-byte buffer was cut there */
    static char cond[2600], expl[2100], text[8192];
    size_t n = (size_t)snprintf(cond, sizeof cond, "wenn: hoechste_strafe_monate >= 24");
    while (n < 2100)
        n += (size_t)snprintf(cond + n, sizeof cond - n, " oder sicherungsverwahrung = ja");
    one_rule_replacing(text, sizeof text, 11, cond);
    expect_refused("long wenn", text, strlen(text), "t.cat:11:", "länger als 2000 Bytes",
                   (const char *)NULL);
    /* a line of exactly the cap loads, whole */
    n = (size_t)snprintf(expl, sizeof expl, "erklaerung: ");
    memset(expl + n, 'x', 2000 - n);
    expl[2000] = '\0';
    one_rule_replacing(text, sizeof text, 13, expl);
    struct assess_catalog *c = expect_loaded("2000-byte line", text, strlen(text));
    assert_int_equal(strlen(c->rules[0].explanation), 2000 - n);
    assess_catalog_free(c);
}

static void test_crlf_and_bom_load(void **state)
{
    (void)state;
    char text[4096], crlf[8192];
    one_rule_with(text, sizeof text, 0, "");
    size_t n = 0;
    memcpy(crlf, "\xef\xbb\xbf", 3);
    n = 3;
    for (const char *c = text; *c; c++) {
        if (*c == '\n')
            crlf[n++] = '\r';
        crlf[n++] = *c;
    }
    struct assess_catalog *a = expect_loaded("LF", text, strlen(text));
    struct assess_catalog *b = expect_loaded("BOM + CRLF", crlf, n);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->rules[0].explanation, b->rules[0].explanation);
    assert_string_equal(a->rules[0].group, b->rules[0].group);
    assert_int_equal(b->second_person, 1);
    assert_int_equal(b->rules[0].nconds, 1);
    assess_catalog_free(a);
    assess_catalog_free(b);
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
        cmocka_unit_test(test_key_twice_refused),
        cmocka_unit_test(test_nul_and_control_refused),
        cmocka_unit_test(test_bad_bytes_refused_with_line),
        cmocka_unit_test(test_long_line_refused),
        cmocka_unit_test(test_crlf_and_bom_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
