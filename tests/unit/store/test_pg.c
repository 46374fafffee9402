/*
 * test_pg.c – the PostgreSQL backend against a real server: the URL of a
 * throwaway cluster comes from $FALLNETZ_TEST_PG_URL (scripts/check.sh
 * starts one with scripts/pg-tmp.sh); without it every test is skipped.
 * Each test gets a fresh database (random name), dropped afterwards.
 *
 * The backend-neutral store tests (test_store, test_scope, test_session,
 * test_import) run against PostgreSQL too (suite 'pg', test_db.h); this
 * file has what only concerns PostgreSQL, and test_same_as_sqlite: one
 * script of public calls on both backends gives the same audit chain (head
 * hash) and the same person data, byte for byte.
 */
#include "../test_catalogue.h"
#include "test_db.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sodium.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "store/backend.h"
#include "store/store.h"
#include "store/store_int.h"

struct pg_fixture {
    char admin_url[512]; /* the cluster's URL (database postgres) */
    char name[32];       /* this test's database */
    char url[600];       /* the URL of this test's database */
    struct store *st;
};

/* Every backend's handle starts with its vtable (backend.h). */
static const struct store_backend *ops_of(struct store *st)
{
    return *(const struct store_backend *const *)(void *)st;
}

static int setup(void **state)
{
    const char *url = getenv("FALLNETZ_TEST_PG_URL");
    if (!url || !url[0])
        skip(); /* no server: scripts/check.sh provides one */
    struct pg_fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->admin_url, sizeof f->admin_url, "%s", url);
    unsigned char rnd[6];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(f->name, sizeof f->name, "fn_test_%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
             rnd[3], rnd[4], rnd[5]);
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->name);
    test_db_admin(f->admin_url, sql);
    snprintf(f->url, sizeof f->url, "%s%sdbname=%s", url, strchr(url, '?') ? "&" : "?", f->name);
    assert_int_equal(store_open(f->url, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_string_equal(ops_of(f->st)->name, "postgresql");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct pg_fixture *f = *state;
    if (!f)
        return 0;
    store_close(f->st);
    char sql[96];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->name);
    test_db_admin(f->admin_url, sql);
    free(f);
    return 0;
}

static const struct store_actor admin = {.login = "admin", .purpose = "Test"};
static const struct store_actor system_actor = {
    .login = "system:test", .purpose = "Test", .system = 1};

static void migrate(struct pg_fixture *f)
{
    assert_int_equal(store_migrate(f->st), FN_OK);
}

static void verify_ok(struct store *st, int64_t rows)
{
    struct store_audit_report rep;
    fn_status rc = store_audit_verify(st, &rep);
    if (rc)
        fail_msg("verify: %s (%s)", fn_status_str(rc), rep.reason);
    assert_int_equal(rep.rows, rows);
}

/* Migrating twice is a no-op the second time; the version is recorded once. */
static void test_migrate_idempotent(void **state)
{
    struct pg_fixture *f = *state;
    int v = -1;
    assert_int_equal(store_schema_version(f->st, &v), FN_OK);
    assert_int_equal(v, 0);
    migrate(f);
    migrate(f);
    assert_int_equal(store_schema_version(f->st, &v), FN_OK);
    assert_int_equal(v, STORE_SCHEMA_VERSION);
    assert_int_equal(store_person_count(f->st, &(int64_t){0}), FN_OK);
}

struct migrate_arg {
    const char *url;
    fn_status rc;
};

static void *migrate_thread(void *p)
{
    struct migrate_arg *a = p;
    struct store *st = NULL;
    a->rc = store_open(a->url, 0, &st);
    if (!a->rc)
        a->rc = store_migrate(st);
    store_close(st);
    return NULL;
}

/* Two servers starting at once: the advisory lock lets one migrate, the
 * other finds the schema current (without it, both would create tables). */
static void test_migrate_concurrent(void **state)
{
    struct pg_fixture *f = *state;
    pthread_t t[3];
    struct migrate_arg a[3];
    for (int i = 0; i < 3; i++) {
        a[i] = (struct migrate_arg){.url = f->url};
        pthread_create(&t[i], NULL, migrate_thread, &a[i]);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].rc, FN_OK);
    }
    int v = 0;
    assert_int_equal(store_schema_version(f->st, &v), FN_OK);
    assert_int_equal(v, STORE_SCHEMA_VERSION);
}

/* Reference data, accounts and tokens through the public API, audited. */
static void test_accounts_tokens(void **state)
{
    struct pg_fixture *f = *state;
    migrate(f);
    struct model_region r = {.code = "RRK-N", .name = "Nord"};
    assert_int_equal(store_region_insert(f->st, &r), FN_OK);
    struct model_org o = {.kind = ORG_ABH, .code = "ABH-1", .name = "ABH Eins", .region_id = r.id};
    assert_int_equal(store_org_insert(f->st, &o), FN_OK);
    assert_int_equal(store_org_insert(f->st, &o), FN_CONFLICT); /* code is unique */
    int64_t found = 0;
    assert_int_equal(store_org_find(f->st, "ABH-1", &found), FN_OK);
    assert_int_equal(found, o.id);
    assert_int_equal(store_org_find(f->st, "ABH-X", &found), FN_NOTFOUND);

    struct model_user u = {.login = "m.muster",
                           .display_name = "Maria Muster",
                           .roles = AUTH_ROLE_SACHBEARBEITUNG | AUTH_ROLE_DATENSCHUTZ,
                           .org_id = o.id,
                           .active = 1};
    assert_int_equal(store_user_add(f->st, &admin, &u, "$argon2id$x"), FN_OK);
    assert_true(u.id > 0);
    struct model_user got;
    assert_int_equal(store_user_find(f->st, "m.muster", &got), FN_OK);
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.display_name, "Maria Muster");
    assert_int_equal(got.roles, u.roles);
    assert_true(got.active);
    model_user_clear(&got);
    char *hash = NULL;
    assert_int_equal(store_user_password_hash(f->st, u.id, &hash), FN_OK);
    assert_string_equal(hash, "$argon2id$x");
    free(hash);
    assert_int_equal(store_user_set_password(f->st, &admin, u.id, "$argon2id$y"), FN_OK);
    assert_int_equal(store_user_set_active(f->st, &admin, u.id, 0), FN_OK);
    assert_int_equal(store_user_get(f->st, u.id, &got), FN_OK);
    assert_false(got.active);
    model_user_clear(&got);
    assert_int_equal(store_user_set_active(f->st, &admin, 9999, 1), FN_NOTFOUND);

    struct store_api_token t = {.org_id = o.id};
    snprintf(t.scope, sizeof t.scope, "%s", STORE_TOKEN_SCOPE_INTAKE);
    memset(t.digest, 'a', 64);
    snprintf(t.label, sizeof t.label, "Justiz");
    snprintf(t.expires_at, sizeof t.expires_at, "2099-01-01T00:00:00Z");
    assert_int_equal(store_token_add(f->st, &admin, &t), FN_OK);
    struct store_api_token tf;
    assert_int_equal(store_token_find(f->st, t.digest, &tf), FN_OK);
    assert_int_equal(tf.id, t.id);
    assert_string_equal(tf.label, "Justiz");
    assert_string_equal(tf.revoked_at, "");
    assert_int_equal(store_token_revoke(f->st, &admin, t.id), FN_OK);
    assert_int_equal(store_token_find(f->st, t.digest, &tf), FN_OK);
    assert_true(tf.revoked_at[0] != '\0');
    /* add user, password, deactivate, add token, revoke: five audit rows */
    verify_ok(f->st, 5);
}

/* Persons and every kind of fact row, through the vtable's row entries. */
static void test_persons_facts(void **state)
{
    struct pg_fixture *f = *state;
    migrate(f);
    struct model_alias al = {.family_name = "Mustermann"};
    char *nats[] = {"SYR", "TUR"};
    struct model_person p = {.record_id = "R-1",
                             .family_name = "Muster",
                             .nationalities = nats,
                             .n_nationalities = 2,
                             .aliases = &al,
                             .n_aliases = 1,
                             .birth_date = {.year = 1990, .month = 5, .day = 1}};
    assert_int_equal(store_person_insert(f->st, &system_actor, &p), FN_OK);
    assert_true(p.id > 0);
    assert_int_equal(store_person_insert(f->st, &system_actor, &p), FN_CONFLICT);
    int64_t n = 0, max = 0;
    assert_int_equal(store_person_count(f->st, &n), FN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_max_person_id(f->st, &max), FN_OK);
    assert_int_equal(max, p.id);

    const struct store_backend *ops = ops_of(f->st);
    struct model_case c = {.status = CASE_NEW, .opened = {.year = 2024, .month = 1, .day = 2}};
    int64_t case_id = 0, row = 0, who = 0;
    assert_int_equal(ops->fact_write(f->st, STORE_FACT_CASE, &c, p.id, 0, &case_id), FN_OK);
    struct model_residence_entry res = {.status = RES_TOLERATED, .legal_basis = "§ 60a"};
    struct model_proceeding proc = {.file_number = "1 Js 1/24", .sentence_months = 14};
    struct model_custody cus = {.decision_456a = 1};
    struct model_obstacle_entry obs = {.note = "krank"};
    struct model_finding_entry fin = {.reference = "Az 1"};
    struct model_conference conf = {.participants = "ABH, Polizei"};
    struct model_task task = {.title = "Pass beschaffen"};
    struct model_doc_meta doc = {.title = "Bescheid", .size = 1234};
    const struct {
        enum store_fact_kind kind;
        const void *fact;
        int64_t owner;
    } rows[] = {{STORE_FACT_RESIDENCE, &res, p.id}, {STORE_FACT_PROCEEDING, &proc, p.id},
                {STORE_FACT_CUSTODY, &cus, p.id},   {STORE_FACT_OBSTACLE, &obs, p.id},
                {STORE_FACT_FINDING, &fin, p.id},   {STORE_FACT_CONFERENCE, &conf, case_id},
                {STORE_FACT_TASK, &task, case_id},  {STORE_FACT_DOCUMENT, &doc, case_id}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(ops->fact_write(f->st, rows[i].kind, rows[i].fact, rows[i].owner, 0, &row),
                         FN_OK);
        assert_int_equal(ops->fact_person(f->st, rows[i].kind, row, 1, &who), FN_OK);
        assert_int_equal(who, p.id);
        assert_int_equal(ops->fact_person(f->st, rows[i].kind, rows[i].owner, 0, &who), FN_OK);
        assert_int_equal(who, p.id);
        int64_t same = 0;
        assert_int_equal(ops->fact_write(f->st, rows[i].kind, rows[i].fact, 0, row, &same), FN_OK);
        assert_int_equal(same, row);
        assert_int_equal(ops->fact_delete_row(f->st, rows[i].kind, row), FN_OK);
        assert_int_equal(ops->fact_person(f->st, rows[i].kind, row, 1, &who), FN_NOTFOUND);
    }
    /* the triggers of the schema description: fact bits and the queue */
    int64_t due[8];
    size_t ndue = 0;
    assert_int_equal(store_assessment_due_take(f->st, due, 8, &ndue), FN_OK);
    assert_int_equal(ndue, 1);
    assert_int_equal(due[0], p.id);
    assert_int_equal(store_assessment_due_take(f->st, due, 8, &ndue), FN_OK);
    assert_int_equal(ndue, 0);

    assert_int_equal(ops->person_row_delete(f->st, p.id), FN_OK); /* cascades to the case */
    assert_int_equal(ops->person_row_delete(f->st, p.id), FN_NOTFOUND);
    assert_int_equal(ops->fact_person(f->st, STORE_FACT_CASE, case_id, 1, &who), FN_NOTFOUND);
    verify_ok(f->st, 1); /* the insert's "collect" row */
}

/* Assessment and decision rows; the digest lookup. */
static void test_assessments_decisions(void **state)
{
    struct pg_fixture *f = *state;
    migrate(f);
    struct model_person p = {.record_id = "R-2"};
    assert_int_equal(store_person_insert(f->st, &system_actor, &p), FN_OK);
    const struct store_backend *ops = ops_of(f->st);
    char digest[65];
    assert_int_equal(store_assessment_latest_digest(f->st, p.id, digest), FN_NOTFOUND);
    struct store_assessment as = {.person_id = p.id,
                                  .catalog_version = "2024.1",
                                  .catalog_hash = "abc",
                                  .band = 'B',
                                  .points = 42,
                                  .feasibility = "hoch",
                                  .trace_json = "[]",
                                  .digest = "d1"};
    assert_int_equal(ops->assessment_row_insert(f->st, &as), FN_OK);
    as.digest = "d2";
    assert_int_equal(ops->assessment_row_insert(f->st, &as), FN_OK);
    assert_int_equal(store_assessment_latest_digest(f->st, p.id, digest), FN_OK);
    assert_string_equal(digest, "d2");
    int64_t owner = 0;
    assert_int_equal(ops->assessment_person(f->st, as.id, &owner), FN_OK);
    assert_int_equal(owner, p.id);
    assert_int_equal(ops->assessment_person(f->st, as.id + 100, &owner), FN_NOTFOUND);
    struct store_decision d = {.person_id = p.id,
                               .assessment_id = as.id,
                               .accept = 1,
                               .reason = "passt",
                               .catalog_hash = "abc"};
    assert_int_equal(ops->decision_row_insert(f->st, "m.muster", &d), FN_OK);
    assert_true(d.id > 0);
    d.reason = ""; /* the schema refuses an empty reason */
    assert_int_equal(ops->decision_row_insert(f->st, "m.muster", &d), FN_CONFLICT);
}

/* Appends, verification, and the triggers that keep the trail append-only. */
static void test_audit_append_verify(void **state)
{
    struct pg_fixture *f = *state;
    migrate(f);
    verify_ok(f->st, 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(store_audit_append(f->st, &admin, AUDIT_QUERY, "person", i % 2 ? "1" : "",
                                            i % 3 ? NULL : "{\"x\":1}"),
                         FN_OK);
    verify_ok(f->st, 10);
    test_db_admin(f->url, "SELECT 1"); /* a second connection sees the rows */
    PGconn *c = PQconnectdb(f->url);
    PGresult *r = PQexec(c, "UPDATE audit_log SET login = 'x' WHERE seq = 3");
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    PQclear(r);
    r = PQexec(c, "DELETE FROM audit_log WHERE seq = 10");
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    PQclear(r);
    r = PQexec(c, "TRUNCATE audit_log");
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    PQclear(r);
    PQfinish(c);
    verify_ok(f->st, 10);
}

struct appender {
    const char *url;
    int rows;
    fn_status rc;
};

static void *append_thread(void *p)
{
    struct appender *a = p;
    struct store *st = NULL;
    a->rc = store_open(a->url, 0, &st);
    for (int i = 0; !a->rc && i < a->rows; i++) {
        /* half of them inside a longer transaction with a row change */
        if (i % 2) {
            a->rc = store_audit_append(st, &admin, AUDIT_QUERY, "person", "1", NULL);
            continue;
        }
        a->rc = store_begin(st);
        if (!a->rc)
            a->rc = store_audit_append(st, &admin, AUDIT_CHANGE, "person", "2", NULL);
        if (!a->rc)
            a->rc = store_commit(st);
    }
    store_close(st);
    return NULL;
}

/* Four connections appending at once still make one chain: no gap, no
 * fork (two rows on one head would fail the primary key or the chain). */
static void test_audit_concurrent(void **state)
{
    struct pg_fixture *f = *state;
    migrate(f);
    enum { THREADS = 4, ROWS = 40 };
    pthread_t t[THREADS];
    struct appender a[THREADS];
    for (int i = 0; i < THREADS; i++) {
        a[i] = (struct appender){.url = f->url, .rows = ROWS};
        pthread_create(&t[i], NULL, append_thread, &a[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].rc, FN_OK);
    }
    verify_ok(f->st, THREADS * ROWS);
}

/* A wrong password is one clear error naming the login, with neither the
 * wrong nor the right password in it. */
static void test_wrong_password(void **state)
{
    struct pg_fixture *f = *state;
    char bad[640], right[128] = "";
    const char *colon = strstr(f->url, "fallnetz:");
    const char *at = colon ? strchr(colon, '@') : NULL;
    if (!at)
        skip(); /* a URL without a password: nothing to get wrong */
    snprintf(right, sizeof right, "%.*s", (int)(at - colon - 9), colon + 9);
    snprintf(bad, sizeof bad, "%.*sfalsch-%s%s", (int)(colon + 9 - f->url), f->url, "Xy7q", at);
    struct store *st = NULL;
    assert_int_equal(store_open(bad, 0, &st), FN_DENIED);
    assert_null(st);
    const char *msg = store_open_error();
    assert_non_null(strstr(msg, "Anmeldung bei PostgreSQL abgelehnt"));
    assert_null(strstr(msg, "falsch-Xy7q"));
    assert_null(strstr(msg, right));
    /* the URL as commands print it (init, serve) hides the password */
    char shown[640];
    store_location_shown(f->url, shown, sizeof shown);
    assert_null(strstr(shown, right));
    assert_non_null(strstr(shown, "fallnetz:***@"));
    /* a malformed URL and an unreachable server are named too */
    assert_int_equal(store_open("postgresql://a:geheim@[::1/x", 0, &st), FN_INVALID);
    assert_non_null(strstr(store_open_error(), "ungültige PostgreSQL-URL"));
    assert_null(strstr(store_open_error(), "geheim"));
    assert_int_not_equal(store_open("postgresql://a:geheim@/x?host=/nonexistent-fn", 0, &st),
                         FN_OK);
    assert_non_null(strstr(store_open_error(), "nicht erreichbar"));
    assert_null(strstr(store_open_error(), "geheim"));
}

/* ---- the same behaviour as SQLite ---- */

static fn_status dump_person(void *ctx, const struct model_person *p)
{
    struct fn_buf *b = ctx;
    char born[11] = "";
    if (p->birth_date.year)
        fn_pdate_format(&p->birth_date, born);
    fn_status rc = fn_buf_appendf(b, "%lld|%s|%s|%s|%s|%d|%d|%lld|%s|", (long long)p->id,
                                  p->record_id, p->family_name ? p->family_name : "(null)",
                                  p->given_names ? p->given_names : "(null)", born, (int)p->sex,
                                  (int)p->residence, (long long)p->authority_id,
                                  p->updated_at ? p->updated_at : "(null)");
    for (size_t i = 0; !rc && i < p->n_nationalities; i++)
        rc = fn_buf_appendf(b, "%s,", p->nationalities[i]);
    for (size_t i = 0; !rc && i < p->n_aliases; i++)
        rc = fn_buf_appendf(b, "a:%s,", p->aliases[i].family_name ? p->aliases[i].family_name : "");
    for (size_t i = 0; !rc && i < p->n_documents; i++)
        rc = fn_buf_appendf(b, "d:%s/%d,", p->documents[i].number, p->documents[i].verified);
    return rc ? rc : fn_buf_append_char(b, '\n');
}

static fn_status dump_file(void *ctx, const struct model_person_file *f)
{
    struct fn_buf *b = ctx;
    fn_status rc = fn_buf_appendf(b, "F%lld:", (long long)f->person->id);
    for (size_t i = 0; !rc && i < f->n_residence; i++) {
        char since[11] = "-";
        if (f->residence[i].since.year)
            fn_pdate_format(&f->residence[i].since, since);
        rc = fn_buf_appendf(b, "r%lld@%s,", (long long)f->residence[i].id, since);
    }
    if (!rc)
        rc = fn_buf_appendf(b, "c%zu\n", f->n_cases);
    return rc;
}

static fn_status dump_decision(void *ctx, const struct store_decision_row *d)
{
    return fn_buf_appendf(ctx, "D%lld:%lld:%d:%c:%s:%d\n", (long long)d->decision_id,
                          (long long)d->person_id, d->accepted, d->band,
                          d->nationality ? d->nationality : "-", d->birth_year);
}

/* One stored audit row, every column as its bytes. */
static fn_status dump_audit_row(void *ctx, const struct audit_value *v)
{
    fn_status rc = FN_OK;
    for (int i = 0; !rc && i < COL_ALL; i++)
        rc = fn_buf_appendf(ctx, "%s%.*s", i ? "|" : "A:", v[i].bytes ? (int)v[i].len : 4,
                            v[i].bytes ? v[i].bytes : "NULL");
    return rc ? rc : fn_buf_append_char(ctx, '\n');
}

/* One script of public calls under a fixed clock; *dump receives what the
 * reads returned and every audit row before and after a prune, head the
 * audit head at the end. */
static void same_script(struct store *st, struct fn_buf *dump, char head[65])
{
    audit_test_clock("2023-03-01T10:00:00.000Z");
    assert_int_equal(store_migrate(st), FN_OK);
    struct model_region r = {.code = "R1", .name = "Region 1"};
    assert_int_equal(store_region_insert(st, &r), FN_OK);
    struct model_org o1 = {.kind = ORG_ABH, .code = "ABH-1", .name = "ABH 1", .region_id = r.id};
    struct model_org o2 = {.kind = ORG_ABH, .code = "ABH-2", .name = "ABH 2"};
    assert_int_equal(store_org_insert(st, &o1), FN_OK);
    assert_int_equal(store_org_insert(st, &o2), FN_OK);
    struct store_actor sb = {.user_id = 7,
                             .login = "s.b",
                             .org_id = o1.id,
                             .roles = AUTH_ROLE_SACHBEARBEITUNG,
                             .purpose = "Test"};
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        char rid[8], *nats[] = {"SYR", "IRQ"};
        snprintf(rid, sizeof rid, "E-%d", i);
        struct model_alias al = {.family_name = "Alias"};
        struct model_document doc = {.kind = "reisepass", .number = "N1", .verified = 1};
        struct model_person p = {.record_id = rid,
                                 .family_name = "Muster\tmann",
                                 .nationalities = nats,
                                 .n_nationalities = (size_t)i,
                                 .aliases = &al,
                                 .n_aliases = i == 1,
                                 .documents = &doc,
                                 .n_documents = i == 2,
                                 .authority_id = i == 2 ? o2.id : o1.id,
                                 .birth_date = {.year = 1990 + i, .month = i, .day = 0}};
        assert_int_equal(store_person_insert(st, &system_actor, &p), FN_OK);
        ids[i] = p.id;
        /* residence: one undated (sorted first on both), two dated */
        for (int k = 0; k < 3; k++) {
            struct model_residence_entry e = {.person_id = p.id, .status = RES_TOLERATED};
            if (k)
                e.since = (struct fn_pdate){.year = 2020 - k, .month = 1, .day = 1};
            assert_int_equal(store_residence_insert(st, &system_actor, &e), FN_OK);
        }
    }
    /* scoped reads: the person at ABH-2 is absent for s.b */
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(st, &sb, ids[0], &file), FN_OK);
    model_person_file_free(file);
    assert_int_equal(store_person_get(st, &sb, ids[2], &file), FN_NOTFOUND);
    assert_int_equal(store_audit_flush(st), FN_OK);
    /* an update through the policy: its change list goes into the audit row */
    assert_int_equal(store_person_get(st, &sb, ids[0], &file), FN_OK);
    struct model_person *p = file->person;
    file->person = NULL;
    model_person_file_free(file);
    fn_free(p->family_name);
    p->family_name = fn_strdup("Neu");
    p->birth_place = fn_strdup("Aleppo");
    assert_int_equal(store_person_update(st, &sb, p), FN_OK);
    model_person_free(p);
    /* a list page */
    struct store_person_summary *page = NULL;
    size_t n = 0;
    assert_int_equal(store_person_list(st, &sb, 0, 0, 50, &page, &n), FN_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fn_buf_appendf(dump, "L%lld:%s:%s:%s\n", (long long)page[i].id,
                                        page[i].family_name, page[i].birth_date, page[i].residence),
                         FN_OK);
    fn_free(page);
    assert_int_equal(store_audit_flush(st), FN_OK);
    /* an import with conflicts */
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(st, &system_actor, "same.csv", &imp), FN_OK);
    for (int i = 0; i < 2100; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, i == 5 ? "E-1" : "I-%d", i % 2000);
        struct model_person q = {.record_id = rid, .family_name = "Import", .authority_id = o1.id};
        fn_status rc = store_import_person(imp, &q);
        assert_int_equal(rc, (i == 5 || (i >= 2000 && i != 2005)) ? FN_CONFLICT : FN_OK);
    }
    assert_int_equal(store_import_commit(imp), FN_OK);
    /* an assessment and a decision */
    char sha[65];
    test_catalogue_approve(st, "katalog: pg\n", sha);
    struct store_assessment as = {.person_id = ids[1],
                                  .catalog_version = "v1",
                                  .catalog_hash = sha,
                                  .band = 'A',
                                  .points = 3,
                                  .feasibility = "hoch",
                                  .trace_json = "[]",
                                  .digest = "d"};
    assert_int_equal(store_assessment_insert(st, &system_actor, &as), FN_OK);
    struct store_decision d = {.person_id = ids[1],
                               .assessment_id = as.id,
                               .accept = 1,
                               .reason = "passt",
                               .catalog_hash = sha};
    assert_int_equal(store_decision_insert(st, &sb, &d), FN_OK);
    assert_int_equal(store_person_each(st, &system_actor, dump_person, dump), FN_OK);
    assert_int_equal(store_person_files_each(st, &sb, dump_file, dump), FN_OK);
    assert_int_equal(store_decisions_each(st, &sb, dump_decision, dump), FN_OK);
    assert_int_equal(store_audit_flush(st), FN_OK);
    assert_int_equal(ops_of(st)->audit_rows_each(st, dump_audit_row, dump), FN_OK);
    /* a retention prune of 2023 */
    audit_test_clock("2026-02-01T08:00:00.000Z");
    struct store_actor dsb = {.user_id = 9,
                              .login = "dsb",
                              .org_id = o2.id,
                              .roles = AUTH_ROLE_DATENSCHUTZ,
                              .purpose = "Test"};
    int64_t removed = 0;
    assert_int_equal(store_audit_prune(st, &dsb, 2024, &removed), FN_OK);
    assert_true(removed > 10);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    snprintf(head, 65, "%s", rep.head_hash);
    audit_test_clock(NULL);
    assert_int_equal(ops_of(st)->audit_rows_each(st, dump_audit_row, dump), FN_OK);
}

static void test_same_as_sqlite(void **state)
{
    struct pg_fixture *f = *state;
    char dir[64], path[128], head_sqlite[65], head_pg[65];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/same.db", dir);
    setenv("FALLNETZ_SPOOL_DIR", dir, 1);
    /* Without the read spool: its rows carry a random spool id. */
    struct store *lite = NULL, *pg = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE | STORE_OPEN_NO_SPOOL, &lite), FN_OK);
    assert_int_equal(store_open(f->url, STORE_OPEN_NO_SPOOL, &pg), FN_OK);
    struct fn_buf a, b;
    fn_buf_init(&a, 16u << 20);
    fn_buf_init(&b, 16u << 20);
    same_script(lite, &a, head_sqlite);
    same_script(pg, &b, head_pg);
    store_close(lite);
    store_close(pg);
    test_rmtree(dir);
    assert_true(a.len > 2000 * 10);
    assert_string_equal(fn_buf_str(&a), fn_buf_str(&b));
    assert_string_equal(head_sqlite, head_pg);
    fn_buf_free(&a);
    fn_buf_free(&b);
}

int main(void)
{
    const char *url = getenv("FALLNETZ_TEST_PG_URL");
    if (!url || !url[0]) {
        fprintf(stderr, "skipped: no PostgreSQL (FALLNETZ_TEST_PG_URL unset)\n");
        return 77; /* meson: skipped; scripts/check.sh provides a server */
    }
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accounts_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_persons_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assessments_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_append_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_as_sqlite, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
