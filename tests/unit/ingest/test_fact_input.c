/* Unit tests for one recorded fact field by field (ingest/fact_input.c):
 * norms in both written forms stored as the assessment reads them, refusals
 * that name the field, the rules across fields (sentence and months,
 * suspension, § 72 Abs. 4 consent and its dates, periods), dates that may
 * not lie ahead, and a discontinued proceeding that is no longer pending
 * for the assessment (assess/facts.c); identity documents (ausweisdokument)
 * with their codes. */
#include "../test_util.h"

#include "assess/facts.h"
#include "ingest/fact_input.h"

#define TODAY 20600 /* 2026-05-26 */

/* Sets the NULL-terminated name/value pairs on a fresh fact of kind; returns
 * the status of the first refusal or of finish, err filled. */
static fn_status fill(struct fact_input *in, enum fact_input_kind kind,
                      struct fact_input_error *err, const char *const *kv)
{
    fact_input_init(in, kind, 7);
    for (size_t i = 0; kv[i]; i += 2) {
        fn_status rc = fact_input_set(in, kv[i], kv[i + 1], TODAY, err);
        if (rc)
            return rc;
    }
    return fact_input_finish(in, err);
}

#define CONVICTION(months, extra...)                                                               \
    (const char *const[])                                                                          \
    {                                                                                              \
        "court", "AG Münster", "file_number", "1 Ls 2/25", "sentence", "freiheitsstrafe",          \
            "sentence_months", months, "intentional", "ja", "source_kind", "dokument",             \
            "source_ref", "Urteil", extra NULL                                                     \
    }

static void expect_refused(enum fact_input_kind kind, const char *const *kv, const char *field,
                           const char *fragment)
{
    struct fact_input in;
    struct fact_input_error err;
    fn_status rc = fill(&in, kind, &err, kv);
    fact_input_clear(&in);
    if (rc != FN_INVALID)
        fail_msg("accepted, want a refusal of %s", field);
    assert_string_equal(err.field, field);
    char want[80];
    snprintf(want, sizeof want, "Feld „%s“", field);
    if (!strstr(err.message, want) || !strstr(err.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.message, want, fragment);
}

static void test_norms(void **state)
{
    (void)state;
    struct fact_input in;
    struct fact_input_error err;
    assert_int_equal(fill(&in, FACT_IN_CONVICTION, &err,
                          CONVICTION("14", "offences", "§ 224 Abs. 1 Nr. 2 StGB; §29a BtMG;", )),
                     FN_OK);
    assert_string_equal(in.proceeding.offences, "StGB § 224 Abs. 1 Nr. 2; BtMG § 29a");
    assert_int_equal(in.proceeding.kind, PROC_CONVICTION);
    assert_int_equal(in.proceeding.sentence_months, 14);
    assert_int_equal(in.proceeding.intentional, 1);
    assert_int_equal(fact_input_store_kind(&in), STORE_FACT_PROCEEDING);
    fact_input_clear(&in);
    assert_int_equal(
        fill(&in, FACT_IN_CONVICTION, &err, CONVICTION("14", "offences", "StGB § 242", )), FN_OK);
    assert_string_equal(in.proceeding.offences, "StGB § 242");
    fact_input_clear(&in);
    const char *bad[] = {"Diebstahl",    "§ StGB",         "§ 224",        "224 StGB",
                         "§ 12345 StGB", "§ 224 StGB <b>", "StGB § 224; ;"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (i == 6) /* empty parts are skipped: this one is fine */
            continue;
        expect_refused(FACT_IN_CONVICTION, CONVICTION("14", "offences", bad[i], ), "offences",
                       "keine Norm");
    }
}

static void test_refusals_name_the_field(void **state)
{
    (void)state;
    expect_refused(FACT_IN_CONVICTION, CONVICTION("14", ), "offences", "fehlt");
    expect_refused(FACT_IN_CONVICTION, CONVICTION("14", "offences", "§ 1 StGB", "wohnort", "x", ),
                   "wohnort", "gibt es bei Verurteilung nicht");
    expect_refused(FACT_IN_CONVICTION,
                   CONVICTION("14", "offences", "§ 1 StGB", "final_date", "2025-02-30", ),
                   "final_date", "kein gültiges Datum");
    expect_refused(FACT_IN_CONVICTION,
                   CONVICTION("14", "offences", "§ 1 StGB", "final_date", "2027-01-01", ),
                   "final_date", "Zukunft");
    expect_refused(FACT_IN_CONVICTION, CONVICTION("0", "offences", "§ 1 StGB", ), "sentence_months",
                   "Dauer in Monaten");
    expect_refused(FACT_IN_CONVICTION, CONVICTION("-3", "offences", "§ 1 StGB", ),
                   "sentence_months", "0 bis 600");
    expect_refused(FACT_IN_CONVICTION,
                   CONVICTION("36", "offences", "§ 1 StGB", "suspended", "ja", ), "suspended",
                   "zwei Jahre");
    expect_refused(FACT_IN_CONVICTION,
                   CONVICTION("12", "offences", "§ 1 StGB", "suspended", "vielleicht", ),
                   "suspended", "ja oder nein");
    expect_refused(FACT_IN_CONVICTION,
                   CONVICTION("12", "offences", "§ 1 StGB", "court", "LG Köln", ), "court",
                   "doppelt");
    const char *const bad_utf8[] = {"court", "\xff\xfe", NULL};
    expect_refused(FACT_IN_CONVICTION, bad_utf8, "court", "UTF-8");
    const char *const bad_source[] = {"source_kind", "hoerensagen", NULL};
    expect_refused(FACT_IN_CUSTODY, bad_source, "source_kind", "dokument, mitteilung");
    /* a planned release may lie ahead, a custody start may not */
    const char *const custody[] = {"custody",         "strafhaft",  "start",       "2025-01-01",
                                   "planned_release", "2028-01-01", "source_kind", "mitteilung",
                                   "source_ref",      "JVA",        NULL};
    struct fact_input in;
    struct fact_input_error err;
    assert_int_equal(fill(&in, FACT_IN_CUSTODY, &err, custody), FN_OK);
    fact_input_clear(&in);
    const char *const ahead[] = {"custody", "strafhaft", "start", "2028-01-01", NULL};
    expect_refused(FACT_IN_CUSTODY, ahead, "start", "Zukunft");
    const char *const backwards[] = {"custody",         "strafhaft",  "start",       "2025-01-01",
                                     "planned_release", "2024-01-01", "source_kind", "register",
                                     "source_ref",      "x",          NULL};
    expect_refused(FACT_IN_CUSTODY, backwards, "planned_release", "liegt vor");
    const char *const verurteilung[] = {"proceeding", "verurteilung", NULL};
    expect_refused(FACT_IN_PROCEEDING, verurteilung, "proceeding", "erlaubt: ermittlung");
    struct fact_input_error rerr;
    assert_int_equal(fact_input_reason_check("ab", &rerr), FN_INVALID);
    assert_string_equal(rerr.field, "reason");
    assert_int_equal(fact_input_reason_check("Tippfehler", &rerr), FN_OK);
}

#define PROCEEDING(kind, extra...)                                                                 \
    (const char *const[])                                                                          \
    {                                                                                              \
        "proceeding", kind, "prosecutor", "StA Münster", "file_number", "40 Js 1/26",              \
            "source_kind", "mitteilung", "source_ref", "MiStra", extra NULL                        \
    }

/* § 72 Abs. 4: the consent's dates follow its state. */
static void test_consent(void **state)
{
    (void)state;
    struct fact_input in;
    struct fact_input_error err;
    assert_int_equal(fill(&in, FACT_IN_PROCEEDING, &err,
                          PROCEEDING("ermittlung", "consent", "erteilt", "consent_requested",
                                     "2026-01-05", "consent_decided", "2026-02-01", )),
                     FN_OK);
    assert_int_equal(in.proceeding.consent, CONSENT_GRANTED);
    assert_int_equal(in.proceeding.consent_decided.month, 2);
    fact_input_clear(&in);
    expect_refused(FACT_IN_PROCEEDING, PROCEEDING("ermittlung", "consent", "ausstehend", ),
                   "consent_requested", "erbeten");
    expect_refused(
        FACT_IN_PROCEEDING,
        PROCEEDING("ermittlung", "consent", "verweigert", "consent_requested", "2026-01-05", ),
        "consent_decided", "Datum");
    expect_refused(FACT_IN_PROCEEDING,
                   PROCEEDING("ermittlung", "consent", "ausstehend", "consent_requested",
                              "2026-01-05", "consent_decided", "2026-01-06", ),
                   "consent_decided", "nur bei");
    expect_refused(FACT_IN_PROCEEDING,
                   PROCEEDING("ermittlung", "consent", "erteilt", "consent_requested", "2026-02-05",
                              "consent_decided", "2026-01-06", ),
                   "consent_decided", "liegt vor");
}

/* A discontinued investigation with consent still "ausstehend" is no
 * pending proceeding for the assessment (G4); a running one is. */
static void test_discontinued_not_pending(void **state)
{
    (void)state;
    struct model_person person = {.id = 7};
    const char *const *cases[] = {
        PROCEEDING("eingestellt", "consent", "ausstehend", "consent_requested", "2026-01-05", ),
        PROCEEDING("ermittlung", "consent", "ausstehend", "consent_requested", "2026-01-05", )};
    for (int i = 0; i < 2; i++) {
        struct fact_input in;
        struct fact_input_error err;
        assert_int_equal(fill(&in, FACT_IN_PROCEEDING, &err, cases[i]), FN_OK);
        struct model_person_file file = {
            .person = &person, .proceedings = &in.proceeding, .n_proceedings = 1};
        struct assess_facts f;
        assess_facts_from_file(&file, TODAY, &f);
        assert_int_equal(f.v[F_PENDING_INVESTIGATION], i);
        assert_int_equal(f.v[F_CONSENT_MISSING], i);
        fact_input_clear(&in);
    }
}

#define PASSPORT(state, extra...)                                                                  \
    (const char *const[])                                                                          \
    {                                                                                              \
        "document", "reisepass", "number", "P1234567", "issuing_state", state, "source_kind",      \
            "dokument", "source_ref", "Vorlage", extra NULL                                        \
    }

/* An identity document: stored as the file reads it; kind and state are
 * codes, the number required, valid_until may lie ahead. */
static void test_identity_document(void **state)
{
    (void)state;
    struct fact_input in;
    struct fact_input_error err;
    assert_int_equal(fill(&in, FACT_IN_DOCUMENT, &err,
                          PASSPORT("SYR", "valid_until", "2031-06-30", "verified", "ja", )),
                     FN_OK);
    assert_int_equal(fact_input_store_kind(&in), STORE_FACT_TRAVEL_DOC);
    const struct model_document_entry *d = fact_input_fact(&in);
    assert_int_equal(d->person_id, 7);
    assert_string_equal(d->doc.kind, "reisepass");
    assert_string_equal(d->doc.issuing_state, "SYR");
    assert_int_equal(d->doc.valid_until.year, 2031);
    assert_int_equal(d->doc.verified, 1);
    fact_input_clear(&in);
    assert_int_equal(fact_input_kind_of(STORE_FACT_TRAVEL_DOC, "reisepass"), FACT_IN_DOCUMENT);
    expect_refused(FACT_IN_DOCUMENT, PASSPORT("syr", ), "issuing_state", "drei Großbuchstaben");
    expect_refused(FACT_IN_DOCUMENT, PASSPORT("SY", ), "issuing_state", "drei Großbuchstaben");
    expect_refused(FACT_IN_DOCUMENT,
                   (const char *const[]){"document", "Reisepass", "number", "1", "issuing_state",
                                         "SYR", "source_kind", "dokument", "source_ref", "V", NULL},
                   "document", "Kleinbuchstaben");
    expect_refused(FACT_IN_DOCUMENT,
                   (const char *const[]){"document", "reisepass", "issuing_state", "SYR",
                                         "source_kind", "dokument", "source_ref", "V", NULL},
                   "number", "fehlt");
    expect_refused(FACT_IN_DOCUMENT, PASSPORT("SYR", "valid_until", "2031-02-30", ), "valid_until",
                   "kein gültiges Datum");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_norms),
        cmocka_unit_test(test_refusals_name_the_field),
        cmocka_unit_test(test_consent),
        cmocka_unit_test(test_discontinued_not_pending),
        cmocka_unit_test(test_identity_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
