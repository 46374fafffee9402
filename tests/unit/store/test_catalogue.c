/*
 * test_catalogue.c – catalogue approval in the store (issue 13, schema
 * version 12), on both backends (test_db.h): who may propose and approve
 * (two different active admin accounts, never a system job), the hash of
 * the stored text, the newest approval in force and the history kept, the
 * refusal to store an assessment or decision made with any other
 * catalogue (a simulation), the catalogue hash on every decision and its
 * agreement with the assessment, a second handle seeing a new approval at
 * once, the audit rows, and the append-only tables.
 */
#include "test_db.h"

#include <sodium.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "store/store.h"

static const struct store_actor sys = {.login = "system:test", .purpose = "Test", .system = 1};

struct fixture {
    struct test_db db;
    struct store *st;
    int64_t org_id, person_id;
    struct store_actor admin1, admin2, clerk;
    int64_t ids[3];
};

/* An account with roles; *a acts as it (login borrowed from a literal). */
static void account(struct fixture *f, const char *login, unsigned roles, struct store_actor *a)
{
    struct model_user u = {.login = (char *)login,
                           .display_name = (char *)login,
                           .roles = roles,
                           .org_id = f->org_id,
                           .active = 1};
    assert_int_equal(store_user_add(f->st, &sys, &u, NULL), FN_OK);
    *a = (struct store_actor){.user_id = u.id,
                              .login = login,
                              .org_id = f->org_id,
                              .roles = roles,
                              .purpose = "Katalogfreigabe"};
}

static int setup(void **state)
{
    struct test_db db;
    test_db_fresh(&db); /* first: it may skip */
    struct fixture *f = calloc(1, sizeof *f);
    f->db = db;
    assert_int_equal(store_open(f->db.path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    struct model_org o = {.kind = ORG_ABH, .code = "ABH-1", .name = "Ausländerbehörde"};
    assert_int_equal(store_org_insert(f->st, &o), FN_OK);
    f->org_id = o.id;
    account(f, "admin.eins", AUTH_ROLE_ADMIN, &f->admin1);
    account(f, "admin.zwei", AUTH_ROLE_ADMIN, &f->admin2);
    account(f, "k.wagner", AUTH_ROLE_SACHBEARBEITUNG, &f->clerk);
    f->clerk.purpose = "Entscheidung";
    struct model_person p = {.record_id = "R-1", .family_name = "Test", .authority_id = o.id};
    assert_int_equal(store_person_insert(f->st, &sys, &p), FN_OK);
    f->person_id = p.id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    test_db_drop(&f->db);
    free(f);
    return 0;
}

/* Proposes text as a; returns the status, the catalogue in *out. */
static fn_status propose(struct fixture *f, const struct store_actor *a, const char *text,
                         struct store_catalogue *out)
{
    memset(out, 0, sizeof *out);
    out->text = (char *)text;
    snprintf(out->name, sizeof out->name, "Testkatalog");
    snprintf(out->version, sizeof out->version, "2026.1");
    fn_status rc = store_catalogue_propose(f->st, a, out);
    out->text = NULL;
    return rc;
}

/* Stores an assessment of the fixture's person made with catalogue hash. */
static fn_status assess(struct fixture *f, const char *hash, int64_t *id)
{
    struct store_assessment as = {.person_id = f->person_id,
                                  .catalog_version = "2026.1",
                                  .catalog_hash = hash,
                                  .band = 'B',
                                  .feasibility = "mittel",
                                  .trace_json = "{}",
                                  .digest = "d"};
    fn_status rc = store_assessment_insert(f->st, &f->clerk, &as);
    *id = as.id;
    return rc;
}

static fn_status decide(struct fixture *f, int64_t assessment_id, const char *hash)
{
    struct store_decision d = {.person_id = f->person_id,
                               .assessment_id = assessment_id,
                               .accept = 0,
                               .reason = "Fallkonferenz: keine Aufnahme",
                               .catalog_hash = hash};
    return store_decision_insert(f->st, &f->clerk, &d);
}

static int64_t count(struct fixture *f, const char *sql)
{
    return test_db_int(f->db.path, sql);
}

/* Only active admin accounts propose; the stored hash is the text's. */
static void test_propose(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "katalog: Test\nversion: 2026.1\n";
    struct store_catalogue c;
    assert_int_equal(propose(f, &f->clerk, text, &c), FN_DENIED);
    assert_non_null(strstr(store_errmsg(f->st), "admin"));
    assert_int_equal(propose(f, &sys, text, &c), FN_DENIED); /* a system job is nobody */
    /* roles claimed by the caller count for nothing: the account as stored */
    struct store_actor forged = f->clerk;
    forged.roles = AUTH_ROLE_ADMIN;
    assert_int_equal(propose(f, &forged, text, &c), FN_DENIED);
    assert_int_equal(store_user_set_active(f->st, &sys, f->admin2.user_id, 0), FN_OK);
    assert_int_equal(propose(f, &f->admin2, text, &c), FN_DENIED);
    assert_int_equal(store_user_set_active(f->st, &sys, f->admin2.user_id, 1), FN_OK);
    assert_int_equal(propose(f, &f->admin1, "", &c), FN_INVALID);
    assert_int_equal(count(f, "SELECT count(*) FROM catalogue"), 0);

    assert_int_equal(propose(f, &f->admin1, text, &c), FN_OK);
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    assert_string_equal(c.sha256, hex);
    assert_string_equal(c.proposed_by, "admin.eins");
    assert_int_equal(c.active, 0);
    struct store_catalogue got;
    assert_int_equal(store_catalogue_get(f->st, hex, &got), FN_OK);
    assert_string_equal(got.text, text);
    assert_string_equal(got.version, "2026.1");
    assert_int_equal(got.approved_by[0], '\0');
    store_catalogue_clear(&got);
    assert_int_equal(propose(f, &f->admin2, text, &c), FN_CONFLICT); /* the same text again */
    char in_force[65];
    assert_int_equal(store_catalogue_active_hash(f->st, in_force), FN_NOTFOUND);
}

/* Four eyes: the proposer cannot approve, nor anyone but an active admin. */
static void test_four_eyes(void **state)
{
    struct fixture *f = *state;
    struct store_catalogue c, out;
    assert_int_equal(propose(f, &f->admin1, "katalog: A\n", &c), FN_OK);
    assert_int_equal(store_catalogue_approve(f->st, &f->admin1, c.sha256, &out), FN_DENIED);
    assert_non_null(strstr(store_errmsg(f->st), "Vier-Augen"));
    assert_int_equal(store_catalogue_approve(f->st, &f->clerk, c.sha256, &out), FN_DENIED);
    assert_int_equal(store_catalogue_approve(f->st, &sys, c.sha256, &out), FN_DENIED);
    char unknown[65];
    memset(unknown, 'a', 64);
    unknown[64] = '\0';
    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, unknown, &out), FN_NOTFOUND);
    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, "abc", &out), FN_INVALID);
    assert_int_equal(count(f, "SELECT count(*) FROM catalogue_approval"), 0);

    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, c.sha256, &out), FN_OK);
    assert_int_equal(out.active, 1);
    assert_string_equal(out.approved_by, "admin.zwei");
    assert_string_equal(out.proposed_by, "admin.eins");
    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, c.sha256, &out), FN_CONFLICT);
    char in_force[65];
    assert_int_equal(store_catalogue_active_hash(f->st, in_force), FN_OK);
    assert_string_equal(in_force, c.sha256);
}

/* Nothing is stored before an approval or with another catalogue; the
 * decision carries the hash of its assessment's catalogue. */
static void test_only_the_approved_is_stored(void **state)
{
    struct fixture *f = *state;
    struct store_catalogue a, b, out;
    assert_int_equal(propose(f, &f->admin1, "katalog: A\n", &a), FN_OK);
    assert_int_equal(propose(f, &f->admin2, "katalog: B\n", &b), FN_OK);
    int64_t id = 0;
    assert_int_equal(assess(f, a.sha256, &id), FN_CONFLICT); /* none approved yet */
    assert_non_null(strstr(store_errmsg(f->st), "catalog approve"));
    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, a.sha256, &out), FN_OK);
    assert_int_equal(assess(f, b.sha256, &id), FN_CONFLICT); /* proposed, not approved */
    assert_non_null(strstr(store_errmsg(f->st), "Simulation"));
    assert_int_equal(assess(f, "0000", &id), FN_CONFLICT);
    assert_int_equal(count(f, "SELECT count(*) FROM assessment"), 0);

    int64_t with_a = 0;
    assert_int_equal(assess(f, a.sha256, &with_a), FN_OK);
    assert_int_equal(decide(f, with_a, NULL), FN_INVALID);     /* no hash */
    assert_int_equal(decide(f, with_a, b.sha256), FN_INVALID); /* not its assessment's */
    assert_int_equal(decide(f, with_a, a.sha256), FN_OK);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM decision WHERE catalog_hash = '%s'", a.sha256);
    assert_int_equal(count(f, sql), 1);

    /* B approved (by the other admin): A is superseded, kept, and no longer
     * accepted for new decisions, even on an assessment made with it */
    assert_int_equal(store_catalogue_approve(f->st, &f->admin1, b.sha256, &out), FN_OK);
    assert_int_equal(decide(f, with_a, a.sha256), FN_CONFLICT);
    assert_int_equal(assess(f, a.sha256, &id), FN_CONFLICT);
    int64_t with_b = 0;
    assert_int_equal(assess(f, b.sha256, &with_b), FN_OK);
    assert_int_equal(decide(f, with_b, b.sha256), FN_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM decision"), 2);
    struct store_catalogue old;
    assert_int_equal(store_catalogue_get(f->st, a.sha256, &old), FN_OK);
    assert_int_equal(old.active, 0);
    assert_string_equal(old.approved_by, "admin.zwei"); /* its approval stays on record */
    store_catalogue_clear(&old);
    /* approving A again brings it back in force: the newest approval counts */
    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, a.sha256, &out), FN_OK);
    assert_int_equal(decide(f, with_a, a.sha256), FN_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM catalogue_approval"), 3);
}

static fn_status collect(void *ctx, const struct store_catalogue *c)
{
    struct fn_buf *b = ctx;
    assert_null(c->text);
    return fn_buf_appendf(b, "%s:%s:%d;", c->version, c->approved_by, c->active);
}

/* The list (newest first, with status), a second handle on the database
 * (another server) and a reopened one (a restart) see the approval at once;
 * the audit trail names both acts; the tables are append-only. */
static void test_list_handles_audit(void **state)
{
    struct fixture *f = *state;
    struct store_catalogue a, b, out;
    assert_int_equal(propose(f, &f->admin1, "katalog: A\n", &a), FN_OK);
    struct store *other = NULL;
    assert_int_equal(store_open(f->db.path, 0, &other), FN_OK);
    char in_force[65];
    assert_int_equal(store_catalogue_active_hash(other, in_force), FN_NOTFOUND);
    assert_int_equal(store_catalogue_approve(f->st, &f->admin2, a.sha256, &out), FN_OK);
    assert_int_equal(store_catalogue_active_hash(other, in_force), FN_OK);
    assert_string_equal(in_force, a.sha256);
    assert_int_equal(propose(f, &f->admin2, "katalog: B\n", &b), FN_OK);
    assert_int_equal(store_catalogue_approve(other, &f->admin1, b.sha256, &out), FN_OK);
    assert_int_equal(store_catalogue_active_hash(f->st, in_force), FN_OK);
    assert_string_equal(in_force, b.sha256);
    store_close(other);
    store_close(f->st);
    assert_int_equal(store_open(f->db.path, 0, &f->st), FN_OK);
    assert_int_equal(store_catalogue_active_hash(f->st, in_force), FN_OK);
    assert_string_equal(in_force, b.sha256);

    struct fn_buf list;
    fn_buf_init(&list, 4096);
    assert_int_equal(store_catalogue_each(f->st, collect, &list), FN_OK);
    assert_string_equal(fn_buf_str(&list), "2026.1:admin.eins:1;2026.1:admin.zwei:0;");
    fn_buf_free(&list);

    assert_int_equal(store_audit_flush(f->st), FN_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE entity = 'katalog'"), 4);
    char sql[240];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE entity = 'katalog' AND login = 'admin.eins'"
             " AND details LIKE '%%freigabe%%%s%%'",
             b.sha256);
    assert_int_equal(count(f, sql), 1);
    assert_int_equal(test_db_try(f->db.path, "UPDATE catalogue SET text = 'x'"), 0);
    assert_int_equal(test_db_try(f->db.path, "DELETE FROM catalogue_approval"), 0);
    assert_int_equal(test_db_try(f->db.path, "DELETE FROM catalogue"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM catalogue_approval"), 2);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_propose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_four_eyes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_the_approved_is_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_handles_audit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
