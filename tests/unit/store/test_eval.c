/*
 * store_eval_each (issue 13) on either backend: the latest decision per
 * person in the period is passed once with the number of earlier ones, the
 * population with the latest assessment as of the period's end, the
 * catalogue hash of each, the recorded outcome; period and region filters;
 * who may run it (STORE_ACCESS_STATS) and one audit row per run.
 *
 * World: regions R1 (ABH-1) and R2 (ABH-2); persons P0, P1 at ABH-1, P2 at
 * ABH-2, P3 at ABH-1 never assessed. P0 is decided three times (ablehnen,
 * ablehnen, aufnehmen) on an assessment of catalogue A; P2 once on one
 * of catalogue B; P1 has a case in "massnahme" and custody pending
 * deportation.
 */
#include "test_db.h"
#include "../test_catalogue.h"

#include <time.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "store/store.h"

enum { P0, P1, P2, P3, NP };

static const struct store_actor sys = {.login = "system:test", .system = 1, .purpose = "Test"};

/* The two catalogues' hashes: assessments and decisions are stored only
 * with the catalogue in force (issue 13), so A is approved first, then B. */
static char hash_a[65], hash_b[65];

struct world {
    struct test_db db;
    struct store *st;
    int64_t region[2], abh1, abh2, rrk1, zab1, ministry;
    int64_t person[NP];
};

static int64_t add_org(struct store *st, enum model_org_kind kind, const char *code, int64_t region)
{
    struct model_org o = {
        .kind = kind, .code = (char *)code, .name = (char *)code, .region_id = region};
    assert_int_equal(store_org_insert(st, &o), FN_OK);
    return o.id;
}

static int64_t assess(struct store *st, int64_t person, const char *hash, char band, int blocked,
                      const char *trace)
{
    struct store_assessment as = {.person_id = person,
                                  .catalog_version = strcmp(hash, hash_a) == 0 ? "v1" : "v2",
                                  .catalog_hash = hash,
                                  .band = band,
                                  .blocked = blocked,
                                  .feasibility = "mittel",
                                  .trace_json = trace,
                                  .digest = "d"};
    assert_int_equal(store_assessment_insert(st, &sys, &as), FN_OK);
    return as.id;
}

static void decide(struct store *st, int64_t person, int64_t assessment, const char *hash,
                   int accept)
{
    struct store_decision d = {.person_id = person,
                               .assessment_id = assessment,
                               .catalog_hash = hash,
                               .accept = accept,
                               .reason = "Fallkonferenz hat beraten"};
    assert_int_equal(store_decision_insert(st, &sys, &d), FN_OK);
}

static int setup(void **state)
{
    struct test_db db;
    test_db_fresh(&db);
    struct world *w = calloc(1, sizeof *w);
    w->db = db;
    assert_int_equal(store_open(w->db.path, STORE_OPEN_CREATE, &w->st), FN_OK);
    assert_int_equal(store_migrate(w->st), FN_OK);
    struct store *st = w->st;
    const char *codes[2] = {"R1", "R2"};
    for (int i = 0; i < 2; i++) {
        struct model_region r = {.code = (char *)codes[i], .name = (char *)codes[i]};
        assert_int_equal(store_region_insert(st, &r), FN_OK);
        w->region[i] = r.id;
    }
    w->abh1 = add_org(st, ORG_ABH, "ABH-1", w->region[0]);
    w->rrk1 = add_org(st, ORG_RRK, "RRK-1", w->region[0]);
    w->zab1 = add_org(st, ORG_ZAB, "ZAB-1", w->region[0]);
    w->abh2 = add_org(st, ORG_ABH, "ABH-2", w->region[1]);
    w->ministry = add_org(st, ORG_MINISTRY, "MIN", 0);
    const int64_t authority[NP] = {w->abh1, w->abh1, w->abh2, w->abh1};
    for (int i = 0; i < NP; i++) {
        char rec[8];
        snprintf(rec, sizeof rec, "P%d", i);
        struct model_person *p = model_person_new();
        p->record_id = fn_strdup(rec);
        p->family_name = fn_strdup("Test");
        p->authority_id = authority[i];
        assert_int_equal(store_person_insert(st, &sys, p), FN_OK);
        w->person[i] = p->id;
        model_person_free(p);
    }
    test_catalogue_approve(st, "katalog: A\nversion: v1\n", hash_a);
    int64_t a0 = assess(st, w->person[P0], hash_a, 'A', 0, "{\"ausgeloest\":[\"P1\"]}");
    decide(st, w->person[P0], a0, hash_a, 0);
    decide(st, w->person[P0], a0, hash_a, 0);
    decide(st, w->person[P0], a0, hash_a, 1);
    assess(st, w->person[P1], hash_a, 'B', 1, "{\"ausgeloest\":[\"G1\",\"G4\"]}");
    test_catalogue_approve(st, "katalog: B\nversion: v2\n", hash_b);
    int64_t a2 = assess(st, w->person[P2], hash_b, 'C', 0, "{}");
    decide(st, w->person[P2], a2, hash_b, 0);
    struct model_case c = {
        .person_id = w->person[P1], .authority_id = w->abh1, .status = CASE_MEASURE};
    assert_int_equal(store_case_insert(st, &sys, &c), FN_OK);
    struct model_custody k = {.person_id = w->person[P1], .kind = CUSTODY_DEPORTATION};
    assert_int_equal(store_custody_insert(st, &sys, &k), FN_OK);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    store_close(w->st);
    test_db_drop(&w->db);
    free(w);
    return 0;
}

/* What the streams passed, per person (by authority and hash, since rows
 * name no person). */
struct seen {
    int decisions, persons;
    int accepted_with_two_earlier; /* P0: once, accepted, earlier = 2 */
    int hash_bb_decisions;
    int blocked_g4, measure_deported, unassessed, in_r2;
};

static fn_status on_decision(void *ctx, const struct store_eval_decision *d)
{
    struct seen *s = ctx;
    s->decisions++;
    if (d->accepted && d->earlier == 2 && strcmp(d->catalog_hash, hash_a) == 0 &&
        strcmp(d->catalog_version, "v1") == 0 && d->band == 'A' && strcmp(d->region, "R1") == 0 &&
        strcmp(d->authority, "ABH-1") == 0)
        s->accepted_with_two_earlier++;
    if (strcmp(d->catalog_hash, hash_b) == 0 && !d->accepted && d->earlier == 0)
        s->hash_bb_decisions++;
    return FN_OK;
}

static fn_status on_person(void *ctx, const struct store_eval_person *p)
{
    struct seen *s = ctx;
    s->persons++;
    if (p->blocked && p->trace && strstr(p->trace, "\"G4\""))
        s->blocked_g4++;
    if (p->case_outcome == 2 && p->deportation_custody)
        s->measure_deported++;
    if (!p->catalog_hash)
        s->unassessed++;
    if (p->region && strcmp(p->region, "R2") == 0)
        s->in_r2++;
    return FN_OK;
}

static struct seen run(struct world *w, const struct store_actor *a,
                       const struct store_eval_filter *f, fn_status want)
{
    struct seen s = {0};
    assert_int_equal(store_eval_each(w->st, a, f, on_decision, on_person, &s), want);
    return s;
}

static void day(int offset, char out[11])
{
    time_t t = time(NULL) + (time_t)offset * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The finding of issue 13: three decisions on one person count once. */
static void test_latest_decision_once(void **state)
{
    struct world *w = *state;
    struct store_eval_filter all = {0};
    struct seen s = run(w, &sys, &all, FN_OK);
    assert_int_equal(s.decisions, 2); /* P0 once, P2 once: not 4 */
    assert_int_equal(s.accepted_with_two_earlier, 1);
    assert_int_equal(s.hash_bb_decisions, 1);
    assert_int_equal(s.persons, NP);
    assert_int_equal(s.blocked_g4, 1);
    assert_int_equal(s.measure_deported, 1);
    assert_int_equal(s.unassessed, 1);
}

static void test_period_filter(void **state)
{
    struct world *w = *state;
    char yesterday[11], today[11], tomorrow[11];
    day(-1, yesterday);
    day(0, today);
    day(1, tomorrow);
    /* today: everything */
    struct store_eval_filter f = {.from = today, .to = today};
    struct seen s = run(w, &sys, &f, FN_OK);
    assert_int_equal(s.decisions, 2);
    assert_int_equal(s.unassessed, 1);
    /* from tomorrow: no decision; the population as of the period's end */
    f = (struct store_eval_filter){.from = tomorrow};
    s = run(w, &sys, &f, FN_OK);
    assert_int_equal(s.decisions, 0);
    assert_int_equal(s.persons, NP);
    assert_int_equal(s.unassessed, 1);
    /* up to yesterday: nothing decided, nobody assessed yet */
    f = (struct store_eval_filter){.to = yesterday};
    s = run(w, &sys, &f, FN_OK);
    assert_int_equal(s.decisions, 0);
    assert_int_equal(s.unassessed, NP);
    assert_int_equal(s.blocked_g4, 0);
}

static void test_region_filter_and_scope(void **state)
{
    struct world *w = *state;
    struct store_eval_filter r2 = {.region = "R2"};
    struct seen s = run(w, &sys, &r2, FN_OK);
    assert_int_equal(s.persons, 1);
    assert_int_equal(s.in_r2, 1);
    assert_int_equal(s.decisions, 1);
    assert_int_equal(s.hash_bb_decisions, 1);
    struct store_eval_filter unknown = {.region = "R9"};
    run(w, &sys, &unknown, FN_NOTFOUND);
    struct store_eval_filter bad = {.from = "2026-02-30"};
    run(w, &sys, &bad, FN_INVALID);
    struct store_eval_filter reversed = {.from = "2026-03-02", .to = "2026-03-01"};
    run(w, &sys, &reversed, FN_INVALID);
    struct store_eval_filter partial = {.to = "2026-03"};
    run(w, &sys, &partial, FN_INVALID);
    /* statistik: the whole state; koordination: its region; zab, admin: no */
    struct store_actor stat = {.user_id = 7,
                               .login = "statistik",
                               .org_id = w->ministry,
                               .roles = AUTH_ROLE_STATISTIK,
                               .purpose = "Test"};
    struct store_eval_filter all = {0};
    s = run(w, &stat, &all, FN_OK);
    assert_int_equal(s.persons, NP);
    struct store_actor rrk = stat;
    rrk.login = "rrk";
    rrk.org_id = w->rrk1;
    rrk.roles = AUTH_ROLE_KOORDINATION;
    s = run(w, &rrk, &all, FN_OK);
    assert_int_equal(s.persons, 3);
    assert_int_equal(s.in_r2, 0);
    assert_int_equal(s.decisions, 1);
    s = run(w, &rrk, &r2, FN_OK); /* another region: nothing in scope */
    assert_int_equal(s.persons, 0);
    struct store_actor zab = rrk;
    zab.org_id = w->zab1;
    zab.roles = AUTH_ROLE_ZAB;
    run(w, &zab, &all, FN_DENIED);
    struct store_actor admin = stat;
    admin.roles = AUTH_ROLE_ADMIN | AUTH_ROLE_DATENSCHUTZ;
    run(w, &admin, &all, FN_DENIED);
}

/* One audit row per run naming the filter and the counts, no person. */
struct audit_find {
    int rows;
    int named_person;
};

static fn_status audit_seen(void *ctx, const struct store_audit_row *row)
{
    struct audit_find *f = ctx;
    if (row->details && strstr(row->details, "\"auswertung\":\"evaluation\"") &&
        strstr(row->details, "\"region\":\"R2\"") && strstr(row->details, "\"personen\":1")) {
        f->rows++;
        f->named_person += row->record_ids && row->record_ids[0];
    }
    return FN_OK;
}

static void test_audited(void **state)
{
    struct world *w = *state;
    struct store_eval_filter r2 = {.region = "R2"};
    run(w, &sys, &r2, FN_OK);
    store_close(w->st); /* drains the read spool into the chain */
    assert_int_equal(store_open(w->db.path, 0, &w->st), FN_OK);
    struct store_actor dsb = {.user_id = 9,
                              .login = "dsb",
                              .org_id = w->ministry,
                              .roles = AUTH_ROLE_DATENSCHUTZ,
                              .purpose = "Test"};
    struct audit_find f = {0};
    assert_int_equal(store_audit_each(w->st, &dsb, 0, NULL, audit_seen, &f), FN_OK);
    assert_int_equal(f.rows, 1);
    assert_int_equal(f.named_person, 0);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_latest_decision_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_filter_and_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
