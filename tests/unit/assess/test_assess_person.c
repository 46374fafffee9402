/*
 * Unit tests for src/assess/assess_person: the one use case that reads a
 * person's facts through the store and evaluates the catalogue. A person in
 * the actor's scope gives gates, band, points and trace as the engine
 * computes them from the stored facts; a person outside the scope or unknown
 * is FN_NOTFOUND; a role that may not read persons is FN_DENIED; every
 * injected allocation failure leaves nothing behind (ASan checks leaks); the
 * bulk walk gives the same result per person and visits only the scope;
 * keeping an assessment stores it once until something changes; assess_all
 * counts the same with one or two threads and keeps only changes.
 */
#include "../test_catalogue.h"
#include "../test_util.h"

#include "assess/assess_all.h"
#include "assess/assess_person.h"
#include "auth/role.h"
#include "core/alloc.h"
#include "core/pdate.h"
#include "mandatory_gates.h"

static const struct store_actor sys = {.login = "system:test", .system = 1, .purpose = "Test"};

/* G1 (gate), P1 (30 points, fires), P2 (10 points, does not fire), and the
 * mandatory gates every catalogue has. */
static const char catalogue[] = "katalog: Test\nversion: 1\ngilt_ab: 2026-03-01\n"
                                "band_a_ab: 40\nband_b_ab: 15\n\n"
                                "regel: G1\ntitel: Nicht vollziehbar\nnorm: § 58 AufenthG\n"
                                "fassung: 2024\nwenn: ausreisepflicht_vollziehbar = nein\n"
                                "wirkung: sperre\nerklaerung: Sperre.\n\n"
                                "regel: P1\ntitel: Strafe ab 2 Jahren\nnorm: § 54 AufenthG\n"
                                "fassung: 2024\nwenn: hoechste_strafe_monate >= 24\n"
                                "wirkung: punkte 30\nerklaerung: Punkte.\n\n"
                                "regel: P2\ntitel: Mehrere Verurteilungen\nnorm: § 54 AufenthG\n"
                                "fassung: 2024\nwenn: verurteilungen_5_jahre >= 2\n"
                                "wirkung: punkte 10\nerklaerung: Punkte.\n" TEST_MANDATORY_GATES;

struct world {
    char dir[64];
    char path[128];
    struct store *st;
    struct assess_catalog *cat;
    int64_t abh1, abh2, ministry;
    int64_t own, other; /* a person at ABH-1 (with facts) and one at ABH-2 */
    int32_t today;
};

static int64_t add_org(struct store *st, enum model_org_kind kind, const char *code, int64_t region)
{
    struct model_org o = {
        .kind = kind, .code = (char *)code, .name = (char *)code, .region_id = region};
    assert_int_equal(store_org_insert(st, &o), FN_OK);
    return o.id;
}

static int64_t add_person(struct store *st, const char *record, const char *family,
                          const char *given, int64_t authority)
{
    struct model_person *p = model_person_new();
    assert_non_null(p);
    p->record_id = fn_strdup(record);
    p->family_name = fn_strdup(family);
    p->given_names = fn_strdup(given);
    p->authority_id = authority;
    assert_int_equal(store_person_insert(st, &sys, p), FN_OK);
    int64_t id = p->id;
    model_person_free(p);
    return id;
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    test_tmpdir(w->dir, sizeof w->dir);
    snprintf(w->path, sizeof w->path, "%s/s.db", w->dir);
    assert_int_equal(store_open(w->path, STORE_OPEN_CREATE, &w->st), FN_OK);
    assert_int_equal(store_migrate(w->st), FN_OK);
    struct model_region r = {.code = (char *)"R1", .name = (char *)"R1"};
    assert_int_equal(store_region_insert(w->st, &r), FN_OK);
    w->abh1 = add_org(w->st, ORG_ABH, "ABH-1", r.id);
    w->abh2 = add_org(w->st, ORG_ABH, "ABH-2", r.id);
    w->ministry = add_org(w->st, ORG_MINISTRY, "MIN", 0);
    w->own = add_person(w->st, "P1", "Muster", "Erika", w->abh1);
    w->other = add_person(w->st, "P2", "Beispiel", "Max", w->abh2);
    /* obliged to leave, not enforceable: gate G1; 30 months, final: P1 */
    struct model_residence_entry res = {.person_id = w->own, .status = RES_OBLIGED_TO_LEAVE};
    assert_int_equal(store_residence_insert(w->st, &sys, &res), FN_OK);
    struct model_proceeding conviction = {.person_id = w->own,
                                          .kind = PROC_CONVICTION,
                                          .sentence = SENT_PRISON,
                                          .sentence_months = 30,
                                          .intentional = 1,
                                          .final_date = {.year = 2024, .month = 5, .day = 10}};
    assert_int_equal(store_proceeding_insert(w->st, &sys, &conviction), FN_OK);
    struct fn_pdate today = {.year = 2026, .month = 3, .day = 1};
    assert_int_equal(fn_pdate_to_days(&today, &w->today), FN_OK);
    struct fn_buf errors;
    fn_buf_init(&errors, 4096);
    fn_status rc = assess_catalog_parse(catalogue, strlen(catalogue), "test.cat", &w->cat, &errors);
    if (rc)
        fail_msg("%s", fn_buf_str(&errors));
    fn_buf_free(&errors);
    char sha[65];
    test_catalogue_approve(w->st, catalogue, sha); /* stored assessments need it in force */
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    fn_alloc_fail_reset();
    assess_catalog_free(w->cat);
    store_close(w->st);
    test_rmtree(w->dir);
    free(w);
    return 0;
}

static struct store_actor actor(unsigned roles, int64_t org)
{
    return (struct store_actor){
        .user_id = 7, .login = "t.test", .org_id = org, .roles = roles, .purpose = "Test"};
}

/* The engine's answer for the stored facts of w->own. */
static void assert_own_result(const struct world *w, const struct assess_person *p)
{
    assert_int_equal(p->person_id, w->own);
    assert_int_equal(p->facts.person_id, w->own);
    assert_int_equal(p->facts.v[F_MAX_SENTENCE_MONTHS], 30);
    assert_int_equal(p->facts.v[F_FINAL_CONVICTIONS_5Y], 1);
    /* obliged to leave, but since when enforceable is not recorded:
     * unknown, never "no" */
    assert_false(p->facts.known[F_ENFORCEABLE_OBLIGATION]);
    const struct assess_result *r = &p->result;
    assert_int_equal(r->blocked, 1);
    /* ungeklärt: G1 and ZG1 (enforceability), ZG6 (no birth date) */
    assert_int_equal(r->ngates, 3);
    assert_int_equal(r->nunresolved, 3);
    assert_string_equal(w->cat->rules[r->gates[0]].id, "G1");
    assert_true(r->gate_unresolved[0]);
    assert_int_equal(r->points, 30);
    assert_int_equal(r->band, 'B');
    assert_int_equal(r->ntrace, 3 + 6);
    assert_true(r->trace[0].unresolved);
    assert_false(r->trace[0].fired);
    assert_true(r->trace[1].fired);
    assert_int_equal(r->trace[1].read[0], 30);
    assert_false(r->trace[2].fired);
    assert_int_equal(r->trace[2].read[0], 1);
}

static void test_person_in_scope(void **state)
{
    struct world *w = *state;
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    struct assess_person p;
    assert_int_equal(assess_person(w->st, &a, w->cat, w->own, w->today, &p), FN_OK);
    assert_own_result(w, &p);
    assert_string_equal(p.family_name, "Muster");
    assert_string_equal(p.given_names, "Erika");
    assess_person_clear(&p);
    assert_null(p.family_name);
    assess_person_clear(&p); /* twice, and NULL: destructors accept both */
    assess_person_clear(NULL);
}

/* Out of scope and unknown look the same: existence is not revealed. */
static void test_out_of_scope_not_found(void **state)
{
    struct world *w = *state;
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    struct assess_person p;
    assert_int_equal(assess_person(w->st, &a, w->cat, w->other, w->today, &p), FN_NOTFOUND);
    assert_null(p.family_name);
    assert_int_equal(p.person_id, 0);
    assert_int_equal(p.result.ntrace, 0);
    assert_int_equal(assess_person(w->st, &a, w->cat, 999999, w->today, &p), FN_NOTFOUND);
    /* the other authority's case worker reaches it */
    struct store_actor b = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh2);
    assert_int_equal(assess_person(w->st, &b, w->cat, w->other, w->today, &p), FN_OK);
    int as_expected = strcmp(p.family_name, "Beispiel") == 0 && p.result.blocked &&
                      p.result.points == 0 && p.result.band == 'C';
    assess_person_clear(&p);
    assert_true(as_expected);
}

static void test_role_without_right_denied(void **state)
{
    struct world *w = *state;
    const unsigned roles[] = {AUTH_ROLE_POLIZEI, AUTH_ROLE_STATISTIK, AUTH_ROLE_DATENSCHUTZ,
                              AUTH_ROLE_ADMIN, 0};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        struct store_actor a = actor(roles[i], w->ministry);
        struct assess_person p;
        assert_int_equal(assess_person(w->st, &a, w->cat, w->own, w->today, &p), FN_DENIED);
        assert_null(p.family_name);
    }
    /* zab reads the persons of its region (identity clarification) but
     * computes no assessment (docs/access.md) */
    struct store_actor zab = actor(AUTH_ROLE_ZAB, w->abh1);
    struct assess_person zp;
    assert_int_equal(assess_person(w->st, &zab, w->cat, w->own, w->today, &zp), FN_DENIED);
    /* no purpose: refused as well */
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    a.purpose = NULL;
    struct assess_person p;
    assert_int_equal(assess_person(w->st, &a, w->cat, w->own, w->today, &p), FN_DENIED);
}

/* Every allocation of the use case fails once in turn: the call fails
 * cleanly (nothing held, nothing leaked) or succeeds with the same result. */
static void test_allocation_failures_clean_up(void **state)
{
    struct world *w = *state;
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    int failed = 0;
    for (long n = 0; n < 10000; n++) {
        struct assess_person p;
        fn_alloc_fail_after(n, 0);
        fn_status rc = assess_person(w->st, &a, w->cat, w->own, w->today, &p);
        long injected = fn_alloc_failures();
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            assert_own_result(w, &p);
            assert_string_equal(p.family_name, "Muster");
            assess_person_clear(&p);
            if (!injected)
                break; /* past the last allocation */
            continue;
        }
        failed++;
        assert_int_equal(injected, 1);
        assert_null(p.family_name);
        assert_null(p.given_names);
        assert_int_equal(p.person_id, 0);
    }
    /* the store's reads and the copies of both names did fail once each */
    assert_true(failed >= 3);
}

struct seen {
    int n;
    int64_t ids[8];
    char band[8];
    int points[8];
    int stop_after;
};

static fn_status remember(void *vctx, const struct assess_person *p)
{
    struct seen *s = vctx;
    if (s->stop_after && s->n == s->stop_after)
        return FN_CONFLICT;
    s->ids[s->n] = p->person_id;
    s->band[s->n] = p->result.band;
    s->points[s->n] = p->result.points;
    s->n++;
    return FN_OK;
}

static void test_bulk_walk_same_result_in_scope(void **state)
{
    struct world *w = *state;
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    struct seen s = {0};
    assert_int_equal(assess_persons_range(w->st, &a, w->cat, w->today, 1, INT64_MAX, remember, &s),
                     FN_OK);
    assert_int_equal(s.n, 1); /* the other authority's person is not visited */
    assert_int_equal(s.ids[0], w->own);
    assert_int_equal(s.band[0], 'B');
    assert_int_equal(s.points[0], 30);
    memset(&s, 0, sizeof s);
    assert_int_equal(
        assess_persons_range(w->st, &sys, w->cat, w->today, 1, INT64_MAX, remember, &s), FN_OK);
    assert_int_equal(s.n, 2);
    /* a range, and a callback's failure passed on */
    memset(&s, 0, sizeof s);
    assert_int_equal(
        assess_persons_range(w->st, &sys, w->cat, w->today, w->other, w->other, remember, &s),
        FN_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], w->other);
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    assert_int_equal(
        assess_persons_range(w->st, &sys, w->cat, w->today, 1, INT64_MAX, remember, &s),
        FN_CONFLICT);
    struct store_actor police = actor(AUTH_ROLE_POLIZEI, w->ministry);
    assert_int_equal(
        assess_persons_range(w->st, &police, w->cat, w->today, 1, INT64_MAX, remember, &s),
        FN_DENIED);
}

/* Kept once; the same assessment again is not stored twice; a changed fact
 * makes it differ. */
static void test_keep_stores_only_changes(void **state)
{
    struct world *w = *state;
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    struct fn_buf trace;
    fn_buf_init(&trace, 64 * 1024);
    size_t stored = 0;
    for (int round = 0; round < 2; round++) {
        struct assess_person p;
        assert_int_equal(assess_person(w->st, &a, w->cat, w->own, w->today, &p), FN_OK);
        assert_int_equal(assess_person_keep(w->st, &a, w->cat, &p, &trace, &stored), FN_OK);
        assess_person_clear(&p);
    }
    assert_int_equal(stored, 1);
    assert_non_null(strstr(fn_buf_str(&trace), "P1"));
    struct model_proceeding second = {.person_id = w->own,
                                      .kind = PROC_CONVICTION,
                                      .sentence = SENT_FINE,
                                      .final_date = {.year = 2025, .month = 1, .day = 2}};
    assert_int_equal(store_proceeding_insert(w->st, &sys, &second), FN_OK);
    struct assess_person p;
    assert_int_equal(assess_person(w->st, &a, w->cat, w->own, w->today, &p), FN_OK);
    assert_int_equal(p.result.points, 40); /* P2 fires now */
    char digest[65];
    struct store_assessment row;
    int changed = 0;
    assert_int_equal(assess_person_row(w->cat, &p, &trace, digest, &row), FN_OK);
    assert_int_equal(assess_person_changed(w->st, &row, &changed), FN_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(row.band, 'A');
    assert_int_equal(assess_person_keep(w->st, &a, w->cat, &p, &trace, &stored), FN_OK);
    assert_int_equal(stored, 2);
    assert_int_equal(assess_person_changed(w->st, &row, &changed), FN_OK);
    assert_int_equal(changed, 0);
    assess_person_clear(&p);
    fn_buf_free(&trace);
}

/* assess_all: one and two threads count the same; the scope holds; keeping
 * stores each changed assessment once. */
static void test_assess_all_counts_and_keeps(void **state)
{
    struct world *w = *state;
    struct assess_tally one, two;
    struct assess_all_options opt = {.db_path = w->path, .threads = 1};
    assert_int_equal(assess_all(w->st, &sys, w->cat, w->today, &opt, &one), FN_OK);
    opt.threads = 2;
    assert_int_equal(assess_all(w->st, &sys, w->cat, w->today, &opt, &two), FN_OK);
    assert_int_equal(one.total, 2);
    assert_int_equal(one.blocked, 2);
    assert_int_equal(one.band[1], 1); /* B: the person with 30 points */
    assert_int_equal(one.band[2], 1);
    assert_memory_equal(&one, &two, sizeof one);
    struct store_actor a = actor(AUTH_ROLE_SACHBEARBEITUNG, w->abh1);
    assert_int_equal(assess_all(w->st, &a, w->cat, w->today, &opt, &one), FN_OK);
    assert_int_equal(one.total, 1);
    struct store_actor police = actor(AUTH_ROLE_POLIZEI, w->ministry);
    assert_int_equal(assess_all(w->st, &police, w->cat, w->today, &opt, &one), FN_DENIED);
    struct store *writer = NULL;
    assert_int_equal(store_open(w->path, 0, &writer), FN_OK);
    opt.writer = writer;
    assert_int_equal(assess_all(w->st, &a, w->cat, w->today, &opt, &one), FN_OK);
    assert_int_equal(one.stored, 1);
    assert_int_equal(assess_all(w->st, &a, w->cat, w->today, &opt, &one), FN_OK);
    assert_int_equal(one.stored, 0);
    /* the system reaches the other authority's person too: only that one is new */
    assert_int_equal(assess_all(w->st, &sys, w->cat, w->today, &opt, &two), FN_OK);
    assert_int_equal(two.total, 2);
    assert_int_equal(two.stored, 1);
    store_close(writer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_person_in_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_scope_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_without_right_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failures_clean_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_walk_same_result_in_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_stores_only_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assess_all_counts_and_keeps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
