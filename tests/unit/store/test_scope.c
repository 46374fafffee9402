/*
 * The need-to-know access matrix (issue 11, docs/access.md) at the store:
 * two regions, two local authorities (ABH) in the first and one in the
 * second, an RRK and a ZAB in each, a person at each ABH and one without an
 * authority; one actor per role and organisation. For every store function
 * that reads or writes persons and every (role, organisation) cell: the
 * expected status, and no out-of-scope person in any list (zero leaks).
 */
#include "test_db.h"
#include "../test_catalogue.h"

#include "auth/role.h"
#include "core/alloc.h"
#include "store/store.h"

enum { PA, PB, PC, PN, NPERSONS }; /* at ABH-1a, ABH-1b (region 1), ABH-2 (region 2), none */
#define ALL_P  ((1u << NPERSONS) - 1)
#define DENIED (-1)

static const struct store_actor sys = {.login = "system:test", .system = 1, .purpose = "Test"};

struct world {
    struct test_db db;
    struct store *st;
    int64_t region[2];
    int64_t abh1a, abh1b, abh2, rrk1, zab1, rrk2, zab2, police, ministry;
    int64_t person[NPERSONS];
    int64_t residence[NPERSONS];
    int64_t kase[NPERSONS];
    int64_t assessment[NPERSONS];
    char record[NPERSONS][8];
};

/* One actor cell and what it may reach per access: a bit set of persons,
 * or DENIED for a role that may not do it at all. */
struct cell {
    const char *name;
    unsigned roles;
    int which_org; /* index into org_of() */
    int system;
    int read, identity, facts, casework, assess, decide, audit;
};

static int64_t org_of(const struct world *w, int which)
{
    const int64_t orgs[] = {0,       w->abh1a, w->abh1b, w->abh2,   w->rrk1,
                            w->zab1, w->rrk2,  w->zab2,  w->police, w->ministry};
    return orgs[which];
}
enum { O_NONE, O_ABH1A, O_ABH1B, O_ABH2, O_RRK1, O_ZAB1, O_RRK2, O_ZAB2, O_POLICE, O_MINISTRY };

#define B(p)   (1 << (p))
#define R1     (B(PA) | B(PB))
#define NOBODY DENIED

/* clang-format off */
static const struct cell cells[] = {
    /* name                      roles                      org      sys read    ident   facts   case    assess  decide  audit */
    {"sachbearbeitung ABH-1a", AUTH_ROLE_SACHBEARBEITUNG, O_ABH1A, 0, B(PA), B(PA), B(PA), B(PA), B(PA), B(PA), DENIED},
    {"sachbearbeitung ABH-2", AUTH_ROLE_SACHBEARBEITUNG, O_ABH2, 0, B(PC), B(PC), B(PC), B(PC), B(PC), B(PC), DENIED},
    {"koordination RRK-1", AUTH_ROLE_KOORDINATION, O_RRK1, 0, R1, DENIED, DENIED, R1, R1, R1, DENIED},
    {"koordination RRK-2", AUTH_ROLE_KOORDINATION, O_RRK2, 0, B(PC), DENIED, DENIED, B(PC), B(PC), B(PC), DENIED},
    {"zab ZAB-1", AUTH_ROLE_ZAB, O_ZAB1, 0, R1, R1, DENIED, DENIED, DENIED, DENIED, DENIED},
    {"zab ZAB-2", AUTH_ROLE_ZAB, O_ZAB2, 0, B(PC), B(PC), DENIED, DENIED, DENIED, DENIED, DENIED},
    /* koordination held at an ABH reaches the ABH's region */
    {"koordination at ABH-1b", AUTH_ROLE_KOORDINATION, O_ABH1B, 0, R1, DENIED, DENIED, R1, R1, R1, DENIED},
    {"polizei", AUTH_ROLE_POLIZEI, O_POLICE, 0, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED},
    {"statistik", AUTH_ROLE_STATISTIK, O_MINISTRY, 0, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED},
    {"datenschutz", AUTH_ROLE_DATENSCHUTZ, O_MINISTRY, 0, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, 0},
    {"admin", AUTH_ROLE_ADMIN, O_MINISTRY, 0, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED},
    {"no role at ABH-1a", 0, O_ABH1A, 0, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED},
    {"sachbearbeitung without org", AUTH_ROLE_SACHBEARBEITUNG, O_NONE, 0, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED},
    {"system", 0, O_NONE, 1, ALL_P, ALL_P, ALL_P, ALL_P, ALL_P, ALL_P, 0},
};
/* clang-format on */
#define NCELLS (sizeof cells / sizeof cells[0])

static struct store_actor actor_of(const struct world *w, const struct cell *c)
{
    return (struct store_actor){.user_id = c->system ? 0 : 100,
                                .login = c->name,
                                .org_id = org_of(w, c->which_org),
                                .roles = c->roles,
                                .system = c->system,
                                .purpose = "Test"};
}

static int64_t add_org(struct store *st, enum model_org_kind kind, const char *code, int64_t region)
{
    struct model_org o = {
        .kind = kind, .code = (char *)code, .name = (char *)code, .region_id = region};
    assert_int_equal(store_org_insert(st, &o), FN_OK);
    return o.id;
}

/* The catalogue in force of the fixture (assessments and decisions are
 * stored only with it). */
static char g_sha[65];

static int setup(void **state)
{
    struct test_db db;
    test_db_fresh(&db); /* first: it may skip */
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
    w->abh1a = add_org(st, ORG_ABH, "ABH-1a", w->region[0]);
    w->abh1b = add_org(st, ORG_ABH, "ABH-1b", w->region[0]);
    w->rrk1 = add_org(st, ORG_RRK, "RRK-1", w->region[0]);
    w->zab1 = add_org(st, ORG_ZAB, "ZAB-1", w->region[0]);
    w->abh2 = add_org(st, ORG_ABH, "ABH-2", w->region[1]);
    w->rrk2 = add_org(st, ORG_RRK, "RRK-2", w->region[1]);
    w->zab2 = add_org(st, ORG_ZAB, "ZAB-2", w->region[1]);
    w->police = add_org(st, ORG_POLICE, "LZPD", 0);
    w->ministry = add_org(st, ORG_MINISTRY, "MIN", 0);
    test_catalogue_approve(st, "katalog: Bereichstest\n", g_sha);
    const int64_t authority[NPERSONS] = {w->abh1a, w->abh1b, w->abh2, 0};
    for (int i = 0; i < NPERSONS; i++) {
        snprintf(w->record[i], sizeof w->record[i], "P%d", i);
        struct model_person *p = model_person_new();
        p->record_id = fn_strdup(w->record[i]);
        p->family_name = fn_strdup("Test");
        p->authority_id = authority[i];
        assert_int_equal(store_person_insert(st, &sys, p), FN_OK);
        w->person[i] = p->id;
        model_person_free(p);
        struct model_residence_entry r = {.person_id = w->person[i], .status = RES_TOLERATED};
        assert_int_equal(store_residence_insert(st, &sys, &r), FN_OK);
        w->residence[i] = r.id;
        struct model_case c = {.person_id = w->person[i], .authority_id = authority[i]};
        assert_int_equal(store_case_insert(st, &sys, &c), FN_OK);
        w->kase[i] = c.id;
        struct store_assessment as = {.person_id = w->person[i],
                                      .catalog_version = "t",
                                      .catalog_hash = g_sha,
                                      .band = 'B',
                                      .feasibility = "mittel",
                                      .trace_json = "{}",
                                      .digest = "d"};
        assert_int_equal(store_assessment_insert(st, &sys, &as), FN_OK);
        w->assessment[i] = as.id;
        struct store_decision d = {.person_id = w->person[i],
                                   .assessment_id = as.id,
                                   .accept = 1,
                                   .reason = "Fallkonferenz empfiehlt es",
                                   .catalog_hash = g_sha};
        assert_int_equal(store_decision_insert(st, &sys, &d), FN_OK);
    }
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

static int person_index(const struct world *w, int64_t id)
{
    for (int i = 0; i < NPERSONS; i++)
        if (w->person[i] == id)
            return i;
    fail_msg("unknown person id %lld in a list", (long long)id);
    return -1;
}

/* Expected status of a single-person call: OK in scope, NOTFOUND outside
 * (existence not revealed), DENIED for a role without the access. */
static fn_status expect_one(int reach, int p)
{
    if (reach == DENIED)
        return FN_DENIED;
    return (reach & B(p)) ? FN_OK : FN_NOTFOUND;
}

static void check(const struct cell *c, const char *what, int p, fn_status want, fn_status got)
{
    if (want != got)
        fail_msg("%s: %s person %d: expected %s, got %s", c->name, what, p, fn_status_str(want),
                 fn_status_str(got));
}

struct seen {
    const struct world *w;
    unsigned mask;
};

static fn_status seen_person(void *ctx, const struct model_person *p)
{
    struct seen *s = ctx;
    s->mask |= 1u << person_index(s->w, p->id);
    return FN_OK;
}

static fn_status seen_file(void *ctx, const struct model_person_file *f)
{
    return seen_person(ctx, f->person);
}

static fn_status seen_decision(void *ctx, const struct store_decision_row *row)
{
    struct seen *s = ctx;
    s->mask |= 1u << person_index(s->w, row->person_id);
    return FN_OK;
}

static fn_status count_audit(void *ctx, const struct store_audit_row *row)
{
    (void)row;
    (*(int *)ctx)++;
    return FN_OK;
}

/* A list: DENIED for a role without the access, else exactly the persons
 * in scope: nothing missing, nothing leaked. */
static void check_list(const struct cell *c, const char *what, int reach, fn_status rc,
                       unsigned mask)
{
    if (reach == DENIED) {
        if (rc != FN_DENIED)
            fail_msg("%s: %s: expected denied, got %s", c->name, what, fn_status_str(rc));
        if (mask)
            fail_msg("%s: %s: LEAK of persons 0x%x after a denial", c->name, what, mask);
        return;
    }
    if (rc != FN_OK)
        fail_msg("%s: %s: %s", c->name, what, fn_status_str(rc));
    if (mask & ~(unsigned)reach)
        fail_msg("%s: %s: LEAK of persons 0x%x", c->name, what, mask & ~(unsigned)reach);
    if (mask != (unsigned)reach)
        fail_msg("%s: %s: missing persons 0x%x", c->name, what, (unsigned)reach & ~mask);
}

static unsigned list_mask(const struct world *w, const struct store_actor *a, int64_t authority,
                          fn_status *rc)
{
    struct store_person_summary *page = NULL;
    size_t n = 0;
    unsigned mask = 0;
    *rc = store_person_list(w->st, a, authority, 0, 100, &page, &n);
    for (size_t i = 0; i < n; i++)
        mask |= 1u << person_index(w, page[i].id);
    fn_free(page);
    return mask;
}

static void test_reads(void **state)
{
    struct world *w = *state;
    for (size_t k = 0; k < NCELLS; k++) {
        const struct cell *c = &cells[k];
        struct store_actor a = actor_of(w, c);
        for (int p = 0; p < NPERSONS; p++) {
            struct model_person_file *f = NULL;
            check(c, "person_get", p, expect_one(c->read, p),
                  store_person_get(w->st, &a, w->person[p], &f));
            model_person_file_free(f);
            int64_t id = 0;
            fn_status rc = store_person_find(w->st, &a, w->record[p], &id);
            check(c, "person_find", p, expect_one(c->read, p), rc);
            if (rc == FN_OK)
                assert_int_equal(id, w->person[p]);
            else
                assert_int_equal(id, 0); /* nothing about an unreachable person */
            struct model_case_file *cf = NULL;
            check(c, "case_get", p, expect_one(c->read, p),
                  store_case_get(w->st, &a, w->kase[p], &cf));
            model_case_file_free(cf);
        }
        fn_status rc;
        unsigned mask = list_mask(w, &a, 0, &rc);
        check_list(c, "person_list", c->read, rc, mask);
        /* an explicit authority never widens the scope */
        mask = list_mask(w, &a, w->abh2, &rc);
        check_list(c, "person_list ABH-2", c->read == DENIED ? DENIED : (c->read & B(PC)), rc,
                   mask);
        struct seen s = {.w = w};
        rc = store_person_each(w->st, &a, seen_person, &s);
        check_list(c, "person_each", c->read, rc, s.mask);
        s.mask = 0;
        rc = store_person_files_each(w->st, &a, seen_file, &s);
        check_list(c, "person_files_each", c->read, rc, s.mask);
        s.mask = 0;
        rc = store_person_files_range(w->st, &a, w->person[PB], w->person[PC], seen_file, &s);
        check_list(c, "person_files_range", c->read == DENIED ? DENIED : c->read & (B(PB) | B(PC)),
                   rc, s.mask);
        s.mask = 0;
        rc = store_decisions_each(w->st, &a, seen_decision, &s);
        check_list(c, "decisions_each", c->decide, rc, s.mask);
        int rows = 0;
        rc = store_audit_each(w->st, &a, 0, NULL, count_audit, &rows);
        if (rc != (c->audit == DENIED ? FN_DENIED : FN_OK))
            fail_msg("%s: audit_each: %s", c->name, fn_status_str(rc));
        if (c->audit == DENIED)
            assert_int_equal(rows, 0);
    }
}

/* The RRK regional view: the persons "of" an RRK or ZAB are those of every
 * authority of its region (was: none, as no person's authority is an RRK). */
static void test_regional_worklist(void **state)
{
    struct world *w = *state;
    fn_status rc;
    assert_int_equal(list_mask(w, &sys, w->rrk1, &rc), R1);
    assert_int_equal(rc, FN_OK);
    assert_int_equal(list_mask(w, &sys, w->zab2, &rc), B(PC));
    assert_int_equal(list_mask(w, &sys, w->abh1a, &rc), B(PA));
    struct store_actor koord = actor_of(w, &cells[2]);
    assert_int_equal(list_mask(w, &koord, w->rrk1, &rc), R1);
    assert_int_equal(list_mask(w, &koord, 0, &rc), R1);
    /* another region's RRK: nothing, not an error */
    assert_int_equal(list_mask(w, &koord, w->rrk2, &rc), 0);
    assert_int_equal(rc, FN_OK);
    struct store_actor sb = actor_of(w, &cells[0]);
    assert_int_equal(list_mask(w, &sb, w->rrk1, &rc), B(PA));
}

static void test_writes(void **state)
{
    struct world *w = *state;
    for (size_t k = 0; k < NCELLS; k++) {
        const struct cell *c = &cells[k];
        struct store_actor a = actor_of(w, c);
        for (int p = 0; p < NPERSONS; p++) {
            /* identity: rewrite the person as stored */
            struct model_person_file *f = NULL;
            assert_int_equal(store_person_get(w->st, &sys, w->person[p], &f), FN_OK);
            check(c, "person_update", p, expect_one(c->identity, p),
                  store_person_update(w->st, &a, f->person));
            model_person_file_free(f);
            /* facts */
            struct model_residence_entry r = {.person_id = w->person[p], .status = RES_TEMPORARY};
            fn_status rc = store_residence_insert(w->st, &a, &r);
            check(c, "residence_insert", p, expect_one(c->facts, p), rc);
            struct model_residence_entry ru = {.id = w->residence[p], .status = RES_TOLERATED};
            check(c, "residence_update", p, expect_one(c->facts, p),
                  store_residence_update(w->st, &a, &ru));
            if (rc == FN_OK)
                check(c, "fact_delete", p, FN_OK,
                      store_fact_delete(w->st, &a, STORE_FACT_RESIDENCE, r.id, "Test"));
            else
                check(c, "fact_delete", p, expect_one(c->facts, p),
                      store_fact_delete(w->st, &a, STORE_FACT_RESIDENCE, w->residence[p], "Test"));
            /* case work */
            struct model_conference conf = {.case_id = w->kase[p], .participants = "RRK"};
            check(c, "conference_insert", p, expect_one(c->casework, p),
                  store_conference_insert(w->st, &a, &conf));
            struct model_case cu = {.id = w->kase[p], .person_id = w->person[p]};
            check(c, "case_update", p, expect_one(c->casework, p),
                  store_case_update(w->st, &a, &cu));
            /* assessment and decision */
            struct store_assessment as = {.person_id = w->person[p],
                                          .catalog_version = "t",
                                          .catalog_hash = g_sha,
                                          .band = 'C',
                                          .feasibility = "mittel",
                                          .trace_json = "{}",
                                          .digest = "e"};
            check(c, "assessment_insert", p, expect_one(c->assess, p),
                  store_assessment_insert(w->st, &a, &as));
            struct store_decision d = {.person_id = w->person[p],
                                       .assessment_id = w->assessment[p],
                                       .reason = "Fallkonferenz empfiehlt es",
                                       .catalog_hash = g_sha};
            check(c, "decision_insert", p, expect_one(c->decide, p),
                  store_decision_insert(w->st, &a, &d));
            /* deletion of a person (facts access): only refusals here, the
             * fixture's persons stay */
            if (expect_one(c->facts, p) != FN_OK)
                check(c, "person_delete", p, expect_one(c->facts, p),
                      store_person_delete(w->st, &a, w->person[p], "Test"));
        }
        /* a new person for ABH-1a */
        struct model_person *np = model_person_new();
        char rec[32];
        snprintf(rec, sizeof rec, "NEW%zu", k);
        np->record_id = fn_strdup(rec);
        np->authority_id = w->abh1a;
        fn_status want = c->identity == DENIED   ? FN_DENIED
                         : (c->identity & B(PA)) ? FN_OK
                                                 : FN_DENIED;
        check(c, "person_insert", PA, want, store_person_insert(w->st, &a, np));
        if (want == FN_OK)
            assert_int_equal(store_person_delete(w->st, &sys, np->id, "Test"), FN_OK);
        model_person_free(np);
    }
    /* every person still there after the refusals */
    int64_t n = 0;
    assert_int_equal(store_person_count(w->st, &n), FN_OK);
    assert_int_equal(n, NPERSONS);
}

/* A person cannot be moved out of the actor's reach by the actor. */
static void test_update_cannot_move_out_of_scope(void **state)
{
    struct world *w = *state;
    struct store_actor sb = actor_of(w, &cells[0]);
    struct model_person_file *f = NULL;
    assert_int_equal(store_person_get(w->st, &sb, w->person[PA], &f), FN_OK);
    f->person->authority_id = w->abh2;
    assert_int_equal(store_person_update(w->st, &sb, f->person), FN_DENIED);
    model_person_file_free(f);
    assert_int_equal(store_person_get(w->st, &sb, w->person[PA], &f), FN_OK);
    assert_int_equal(f->person->authority_id, w->abh1a);
    model_person_file_free(f);
}

/* Imports are jobs of the system; retention is the data protection
 * officer's. */
static void test_import_and_prune_roles(void **state)
{
    struct world *w = *state;
    struct store_actor sb = actor_of(w, &cells[0]);
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(w->st, &sb, "x.csv", &imp), FN_DENIED);
    assert_null(imp);
    int64_t removed = 0;
    assert_int_equal(store_audit_prune(w->st, &sb, 2000, &removed), FN_DENIED);
    struct store_actor dsb = actor_of(w, &cells[9]);
    assert_int_equal(store_audit_prune(w->st, &dsb, 2000, &removed), FN_OK);
}

/* An organisation added after the handle's cache was filled is found. */
static void test_scope_sees_new_organisation(void **state)
{
    struct world *w = *state;
    struct store_actor koord = actor_of(w, &cells[2]);
    fn_status rc;
    assert_int_equal(list_mask(w, &koord, 0, &rc), R1);
    struct store *other = NULL;
    assert_int_equal(store_open(w->db.path, 0, &other), FN_OK);
    int64_t abh1c = add_org(other, ORG_ABH, "ABH-1c", w->region[0]);
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup("NEW-1c");
    p->authority_id = abh1c;
    assert_int_equal(store_person_insert(other, &sys, p), FN_OK);
    int64_t id = p->id;
    model_person_free(p);
    store_close(other);
    struct model_person_file *f = NULL;
    assert_int_equal(store_person_get(w->st, &koord, id, &f), FN_OK);
    model_person_file_free(f);
    struct store_actor sb2 = actor_of(w, &cells[1]);
    assert_int_equal(store_person_get(w->st, &sb2, id, &f), FN_NOTFOUND);
    assert_null(f);
}

/* The trail rows of one login after seq, as "kind|entity|record_ids|details". */
struct trail {
    const char *login;
    int64_t after;
    char rows[16][160];
    int n;
};

static fn_status keep_trail(void *ctx, const struct store_audit_row *row)
{
    struct trail *t = ctx;
    if (row->seq <= t->after || strcmp(row->login, t->login) != 0)
        return FN_OK;
    assert_true(t->n < 16);
    snprintf(t->rows[t->n++], sizeof t->rows[0], "%s|%s|%s|%s", row->kind, row->entity,
             row->record_ids, row->details);
    return FN_OK;
}

static fn_status max_seq(void *ctx, const struct store_audit_row *row)
{
    int64_t *seq = ctx;
    if (row->seq > *seq)
        *seq = row->seq;
    return FN_OK;
}

/* Scoped reads through the policy layer: a regional actor reaches its
 * region's persons only, and every read writes exactly the audit row it
 * wrote when the reads were done inside the SQLite backend (kind, entity,
 * the persons, details, in call order); refused reads write none. */
static void test_scoped_reads_audit(void **state)
{
    struct world *w = *state;
    struct store_actor dsb = actor_of(w, &cells[9]);
    struct store_actor koord = actor_of(w, &cells[2]);
    struct trail t = {.login = koord.login};
    assert_int_equal(store_audit_each(w->st, &dsb, 0, NULL, max_seq, &t.after), FN_OK);

    struct model_person_file *f = NULL;
    assert_int_equal(store_person_get(w->st, &koord, w->person[PA], &f), FN_OK);
    model_person_file_free(f);
    f = NULL;
    assert_int_equal(store_person_get(w->st, &koord, w->person[PC], &f), FN_NOTFOUND);
    assert_null(f);
    int64_t id = 0;
    assert_int_equal(store_person_find(w->st, &koord, w->record[PB], &id), FN_OK);
    assert_int_equal(id, w->person[PB]);
    assert_int_equal(store_person_find(w->st, &koord, w->record[PN], &id), FN_NOTFOUND);
    struct model_case_file *cf = NULL;
    assert_int_equal(store_case_get(w->st, &koord, w->kase[PA], &cf), FN_OK);
    model_case_file_free(cf);
    assert_int_equal(store_case_get(w->st, &koord, w->kase[PC], &cf), FN_NOTFOUND);
    fn_status rc;
    assert_int_equal(list_mask(w, &koord, 0, &rc), R1);
    assert_int_equal(list_mask(w, &koord, w->abh2, &rc), 0); /* empty page: no row */
    struct seen s = {.w = w};
    assert_int_equal(store_person_each(w->st, &koord, seen_person, &s), FN_OK);
    assert_int_equal(s.mask, R1);
    s.mask = 0;
    assert_int_equal(store_person_files_each(w->st, &koord, seen_file, &s), FN_OK);
    assert_int_equal(s.mask, R1);
    s.mask = 0;
    assert_int_equal(store_decisions_each(w->st, &koord, seen_decision, &s), FN_OK);
    assert_int_equal(s.mask, R1);

    assert_int_equal(store_audit_each(w->st, &dsb, 0, NULL, keep_trail, &t), FN_OK);
    long long pa = (long long)w->person[PA], pb = (long long)w->person[PB];
    assert_int_equal(pb, pa + 1); /* the ranges below */
    char want[7][160];
    snprintf(want[0], sizeof want[0], "query|person|%lld|", pa);
    snprintf(want[1], sizeof want[1], "query|person|%lld|", pb);
    snprintf(want[2], sizeof want[2], "query|person|%lld|{\"fall\":%lld}", pa,
             (long long)w->kase[PA]);
    snprintf(want[3], sizeof want[3], "disclose|person|%lld-%lld|{\"ansicht\":\"liste\"}", pa, pb);
    snprintf(want[4], sizeof want[4], "disclose|person|%lld-%lld|", pa, pb);
    snprintf(want[5], sizeof want[5], "query|person|%lld-%lld|", pa, pb);
    snprintf(want[6], sizeof want[6],
             "disclose|person|%lld,%lld|{\"auswertung\":\"entscheidungen\"}", pa, pb);
    assert_int_equal(t.n, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(t.rows[i], want[i]);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regional_worklist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_cannot_move_out_of_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_and_prune_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_sees_new_organisation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scoped_reads_audit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
