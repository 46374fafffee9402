/*
 * test_copy.c – store_copy (policy_copy.c, table_each / table_write_* of
 * both backends): the whole database from one store into an empty one.
 *
 * The source is a SQLite file filled by the demo generator plus what the
 * demo does not make (a token, a session, an assessment and a decision, a
 * custody row naming a later one, a deleted newest person), once with
 * chain-format-1 rows of schema 7 and once with a pruned audit trail. It
 * goes SQLite -> A -> B -> SQLite, where A and B are fresh databases of the
 * backend test_db.h names (PostgreSQL in suite 'pg', so SQLite -> PG ->
 * PG -> SQLite there): every step gives byte-identical table dumps and
 * the same verified audit head, and the copy's audit row is the target's
 * last. Also: a target with rows is refused and untouched; a copy killed
 * mid-way leaves the target as it was; every table of a database is
 * copied or left out on purpose.
 */
#include "test_db.h"
#include "../test_catalogue.h"

#include <signal.h>
#include <sys/wait.h>

#include "audit_v1_fixture.h"
#include "auth/role.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "demo/demo.h"
#include "store/backend.h"
#include "store/schema.h"
#include "store/spool.h"
#include "store/store.h"
#include "store/store_int.h"

static const struct store_actor sys = {.login = "system:test", .purpose = "Test", .system = 1};

static const struct store_backend *ops_of(struct store *st)
{
    return store_head_of(st)->ops;
}

/* ---- dumps: every copied table, row by row, as text ---- */

static fn_status dump_row(void *ctx, const struct store_table_row *row)
{
    struct fn_buf *b = ctx;
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < row->n; i++)
        rc = fn_buf_appendf(b, "%s%s=%s", i ? "|" : "", row->names[i],
                            row->values[i] ? row->values[i] : "\\N");
    return rc ? rc : fn_buf_append_char(b, '\n');
}

static void dump(struct store *st, struct fn_buf *b)
{
    const char *const *tables = NULL;
    size_t n = 0;
    fn_buf_reset(b);
    assert_int_equal(store_schema_tables(&tables, &n), FN_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(fn_buf_appendf(b, "# %s\n", tables[i]), FN_OK);
        assert_int_equal(ops_of(st)->table_each(st, tables[i], 0, dump_row, b), FN_OK);
    }
}

static void verify_head(struct store *st, char head[65], int64_t *rows)
{
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    snprintf(head, 65, "%s", rep.head_hash);
    if (rows)
        *rows = rep.rows;
}

/* ---- the source ---- */

static fn_status first_org(void *ctx, const struct model_org *o, const char *region_code)
{
    (void)region_code;
    int64_t *id = ctx;
    if (!*id)
        *id = o->id;
    return FN_OK;
}

/* What the demo does not make. */
static void add_extras(struct store *st)
{
    int64_t org = 0;
    assert_int_equal(store_org_each(st, first_org, &org), FN_OK);
    struct store_api_token t = {.org_id = org};
    snprintf(t.scope, sizeof t.scope, "intake");
    memset(t.digest, 'a', 64);
    snprintf(t.label, sizeof t.label, "Fachverfahren\tmit Tab\\");
    snprintf(t.expires_at, sizeof t.expires_at, "2099-01-01T00:00:00Z");
    assert_int_equal(store_token_add(st, &sys, &t), FN_OK);
    struct model_user u = {0};
    assert_int_equal(store_user_get(st, 1, &u), FN_OK);
    struct store_session s = {.user_id = u.id,
                              .org_id = u.org_id,
                              .roles = u.roles,
                              .idle_s = 1800,
                              .created_at = 1700000000,
                              .last_seen = 1700000100,
                              .expires_at = 1700036000};
    memset(s.digest, 'b', 64);
    struct store_actor ua = {
        .user_id = u.id, .login = u.login, .org_id = u.org_id, .roles = u.roles, .purpose = "Test"};
    assert_int_equal(store_session_open(st, &ua, &s, NULL), FN_OK);
    model_user_clear(&u);
    /* two catalogues, the first superseded by the second: the approval
     * history travels with the copy */
    char sha[65];
    test_catalogue_approve(st, "katalog: alt\n", sha);
    test_catalogue_approve(st, "katalog: neu\n", sha);
    struct store_assessment as = {.person_id = 2,
                                  .catalog_version = "v1",
                                  .catalog_hash = sha,
                                  .band = 'B',
                                  .points = 4,
                                  .feasibility = "mittel",
                                  .trace_json = "[\"zeile\\nzwei\"]",
                                  .digest = "d"};
    assert_int_equal(store_assessment_insert(st, &sys, &as), FN_OK);
    struct store_decision d = {.person_id = 2,
                               .assessment_id = as.id,
                               .accept = 0,
                               .reason = "Grund\r\nzwei Zeilen",
                               .catalog_hash = sha};
    assert_int_equal(store_decision_insert(st, &sys, &d), FN_OK);
    /* a custody row naming a later one: foreign keys hold only at the end */
    struct model_custody c1 = {.person_id = 3, .prison_id = org, .kind = CUSTODY_REMAND};
    struct model_custody c2 = {.person_id = 3, .prison_id = org, .kind = CUSTODY_SENTENCE};
    assert_int_equal(store_custody_insert(st, &sys, &c1), FN_OK);
    assert_int_equal(store_custody_insert(st, &sys, &c2), FN_OK);
    c1.transferred_from = c2.id;
    assert_int_equal(store_custody_update(st, &sys, &c1), FN_OK);
    /* the newest person goes: the next id is max + 1 on both backends */
    int64_t max = 0;
    assert_int_equal(store_max_person_id(st, &max), FN_OK);
    assert_int_equal(store_person_delete(st, &sys, max, "Test"), FN_OK);
}

/* The demo data every test starts from, made once (the demo takes long
 * on a slow disk): schema 7 with chain-format-1 rows, migrated, then the
 * demo's persons and accounts with their rows stamped 2026-12-04. */
static char template_dir[64], template_path[128];

static int make_template(void **state)
{
    (void)state;
    test_tmpdir(template_dir, sizeof template_dir);
    snprintf(template_path, sizeof template_path, "%s/template.db", template_dir);
    audit_v1_database(template_path);
    struct store *st = NULL;
    assert_int_equal(store_open(template_path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    audit_test_clock("2026-12-04T10:00:00.000Z");
    struct demo_options opt = {.persons = 40, .seed = 7, .today_days = 20000};
    assert_int_equal(demo_generate(st, &opt), FN_OK);
    audit_test_clock(NULL);
    store_close(st);
    return 0;
}

static int drop_template(void **state)
{
    (void)state;
    test_rmtree(template_dir);
    return 0;
}

/* A SQLite source at path from the template plus add_extras; prune: the
 * template's rows (format 1 among them) are pruned first, so the
 * checkpoint names a row that is gone. */
static struct store *make_source(const char *path, int prune)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", template_path, path);
    assert_int_equal(system(cmd), 0);
    struct store *st = NULL;
    assert_int_equal(store_open(path, 0, &st), FN_OK);
    audit_test_clock("2028-02-01T08:00:00.000Z");
    if (prune) {
        struct store_actor dsb = {.login = "dsb",
                                  .roles = AUTH_ROLE_DATENSCHUTZ,
                                  .org_id = 1,
                                  .purpose = "Aufbewahrungsfrist"};
        int64_t removed = 0;
        assert_int_equal(store_audit_prune(st, &dsb, 2027, &removed), FN_OK);
        assert_true(removed > 100);
    }
    add_extras(st);
    audit_test_clock(NULL);
    assert_int_equal(store_audit_flush(st), FN_OK);
    return st;
}

/* A fresh, migrated, empty target on the backend of the run. */
static struct store *make_target(struct test_db *d)
{
    test_db_fresh(d);
    struct store *st = NULL;
    assert_int_equal(store_open(d->path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    return st;
}

/* Copies src into dst and checks: same dump, same verified head, the
 * copy's own audit row (naming shown) is the last of both. */
static void copy_and_compare(struct store *src, struct store *dst, const char *shown)
{
    struct store_copy_options opt = {.target_shown = shown};
    struct store_copy_report rep;
    assert_int_equal(store_copy(src, dst, &sys, &opt, &rep), FN_OK);
    assert_true(rep.rows > 400);
    struct fn_buf a, b;
    fn_buf_init(&a, 64u << 20);
    fn_buf_init(&b, 64u << 20);
    dump(src, &a);
    dump(dst, &b);
    assert_string_equal(fn_buf_str(&a), fn_buf_str(&b));
    char want[600], ha[65], hb[65];
    int64_t rows_a = 0, rows_b = 0;
    snprintf(want, sizeof want, "details={\"kopie\":\"%s\"}|", shown);
    const char *last_log = strstr(fn_buf_str(&b), "# audit_head\n");
    assert_non_null(last_log);
    const char *row = strstr(fn_buf_str(&b), want);
    assert_non_null(row);
    assert_null(strstr(row + 1, "\nseq=")); /* no audit_log row after it */
    assert_true(row < last_log);
    verify_head(src, ha, &rows_a);
    verify_head(dst, hb, &rows_b);
    assert_string_equal(ha, hb);
    assert_int_equal(rows_a, rows_b);
    fn_buf_free(&a);
    fn_buf_free(&b);
}

/* SQLite -> A -> B -> SQLite; then both ends assign the same next ids. */
static void round_trip(int prune)
{
    char dir[64], src_path[128], back_path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(src_path, sizeof src_path, "%s/src.db", dir);
    snprintf(back_path, sizeof back_path, "%s/back.db", dir);
    struct store *src = make_source(src_path, prune), *back = NULL;
    struct test_db da, db;
    struct store *a = make_target(&da);
    copy_and_compare(src, a, "A");
    struct store *b = make_target(&db);
    copy_and_compare(a, b, "B");
    assert_int_equal(store_open(back_path, STORE_OPEN_CREATE, &back), FN_OK);
    assert_int_equal(store_migrate(back), FN_OK);
    copy_and_compare(b, back, "zurück");
    /* format-1 rows and the pruned prefix arrived as stored */
    struct fn_buf text;
    fn_buf_init(&text, 64u << 20);
    dump(back, &text);
    assert_int_equal(strstr(fn_buf_str(&text), "|hash_version=1\n") == NULL, prune);
    assert_int_equal(strstr(fn_buf_str(&text), "\nseq=1|") == NULL, prune);
    fn_buf_free(&text);
    /* ids go on after the copied ones on every backend (PostgreSQL: the
     * identity restarted after the largest id) */
    struct model_person p1 = {.record_id = "NEU-1", .family_name = "Neu"};
    struct model_person p2 = p1;
    assert_int_equal(store_person_insert(b, &sys, &p1), FN_OK);
    assert_int_equal(store_person_insert(back, &sys, &p2), FN_OK);
    assert_int_equal(p1.id, p2.id);
    struct store_api_token t = {.org_id = 1};
    snprintf(t.scope, sizeof t.scope, "intake");
    memset(t.digest, 'c', 64);
    snprintf(t.expires_at, sizeof t.expires_at, "2099-01-01T00:00:00Z");
    assert_int_equal(store_token_add(b, &sys, &t), FN_OK);
    assert_int_equal(t.id, 2);
    store_close(back);
    store_close(b);
    store_close(a);
    store_close(src);
    test_db_drop(&db);
    test_db_drop(&da);
    test_rmtree(dir);
}

static void test_round_trip_format1(void **state)
{
    (void)state;
    round_trip(0);
}

static void test_round_trip_pruned(void **state)
{
    (void)state;
    round_trip(1);
}

/* A target holding anything is refused, named and left as it was; the
 * source logs nothing for a refused copy. */
static void test_refuses_nonempty(void **state)
{
    (void)state;
    char dir[64], src_path[128], head[65], head2[65];
    test_tmpdir(dir, sizeof dir);
    snprintf(src_path, sizeof src_path, "%s/src.db", dir);
    struct store *src = make_source(src_path, 0);
    int64_t rows = 0, rows2 = 0;
    verify_head(src, head, &rows);
    struct test_db d1, d2;
    struct store *t1 = make_target(&d1), *t2 = make_target(&d2);
    struct model_region r = {.code = "X", .name = "schon da"};
    assert_int_equal(store_region_insert(t1, &r), FN_OK);
    assert_int_equal(store_audit_append(t2, &sys, AUDIT_QUERY, "person", "1", NULL), FN_OK);
    struct fn_buf before, after;
    fn_buf_init(&before, 1u << 20);
    fn_buf_init(&after, 1u << 20);
    struct store_copy_options opt = {.target_shown = "T"};
    struct store_copy_report rep;
    dump(t1, &before);
    assert_int_equal(store_copy(src, t1, &sys, &opt, &rep), FN_CONFLICT);
    assert_non_null(strstr(store_errmsg(t1), "Tabelle region"));
    assert_non_null(strstr(store_errmsg(t1), "nicht leer"));
    dump(t1, &after);
    assert_string_equal(fn_buf_str(&before), fn_buf_str(&after));
    dump(t2, &before);
    assert_int_equal(store_copy(src, t2, &sys, &opt, &rep), FN_CONFLICT);
    assert_non_null(strstr(store_errmsg(t2), "Tabelle audit_log"));
    dump(t2, &after);
    assert_string_equal(fn_buf_str(&before), fn_buf_str(&after));
    verify_head(src, head2, &rows2);
    assert_string_equal(head, head2);
    assert_int_equal(rows, rows2);
    /* only system jobs and admins copy */
    struct store_actor sb = {.login = "sb", .roles = AUTH_ROLE_SACHBEARBEITUNG, .purpose = "x"};
    assert_int_equal(store_copy(src, t1, &sb, &opt, &rep), FN_DENIED);
    fn_buf_free(&before);
    fn_buf_free(&after);
    store_close(t2);
    store_close(t1);
    store_close(src);
    test_db_drop(&d2);
    test_db_drop(&d1);
    test_rmtree(dir);
}

/* The child's progress: killed mid-way through the audit trail, with the
 * tables before it written into the open transaction. */
static void kill_in_audit_log(void *ctx, const char *table, int64_t rows, int done)
{
    (void)ctx;
    (void)done;
    if (strcmp(table, "audit_log") == 0 && rows == 50)
        raise(SIGKILL);
}

/* kill -9 in the middle of a copy: the target is as it was (tables and
 * identities), and a later copy into it succeeds. */
static void test_killed_copy(void **state)
{
    (void)state;
    char dir[64], src_path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(src_path, sizeof src_path, "%s/src.db", dir);
    struct store *src = make_source(src_path, 0);
    struct test_db d;
    struct store *dst = make_target(&d);
    struct fn_buf before, after;
    fn_buf_init(&before, 64u << 20);
    fn_buf_init(&after, 64u << 20);
    dump(dst, &before);
    store_close(dst);
    store_close(src);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct store *s = NULL, *t = NULL;
        if (store_open(src_path, 0, &s) || store_open(d.path, 0, &t))
            _exit(3);
        struct store_copy_options opt = {
            .target_shown = "T", .progress_rows = 1, .progress = kill_in_audit_log};
        struct store_copy_report rep;
        fn_status rc = store_copy(s, t, &sys, &opt, &rep);
        _exit(rc == FN_OK ? 0 : 4);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_int_equal(store_open(d.path, 0, &dst), FN_OK);
    dump(dst, &after);
    assert_string_equal(fn_buf_str(&before), fn_buf_str(&after));
    /* nothing half-done is left: not the triggers' state, not an identity */
    struct model_region r = {.code = "Z", .name = "nach dem Abbruch"};
    assert_int_equal(store_region_insert(dst, &r), FN_OK);
    assert_int_equal(r.id, 1);
    store_close(dst);
    assert_int_equal(store_open(src_path, 0, &src), FN_OK);
    struct test_db d2;
    dst = make_target(&d2);
    copy_and_compare(src, dst, "T2");
    store_close(dst);
    store_close(src);
    fn_buf_free(&before);
    fn_buf_free(&after);
    test_db_drop(&d2);
    test_db_drop(&d);
    test_rmtree(dir);
}

/* The table names of a fresh database, from its own catalogue. */
static void catalog_tables(const struct test_db *d, char names[][64], size_t max, size_t *n)
{
    *n = 0;
    if (d->pg_name[0]) {
        PGconn *c = PQconnectdb(d->path);
        PGresult *r = PQexec(c, "SELECT table_name FROM information_schema.tables"
                                " WHERE table_schema = current_schema() ORDER BY 1");
        assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
        for (int i = 0; i < PQntuples(r) && *n < max; i++)
            snprintf(names[(*n)++], 64, "%s", PQgetvalue(r, i, 0));
        PQclear(r);
        PQfinish(c);
        return;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(d->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%' ORDER BY 1",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW && *n < max)
        snprintf(names[(*n)++], 64, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* Every table of a migrated database is copied or left out on purpose, and
 * every table the copy names exists: a table created outside the schema
 * description, or in a form its scan does not see, fails here. */
static void test_every_table_copied_or_kept(void **state)
{
    (void)state;
    struct test_db d;
    struct store *st = make_target(&d);
    store_close(st);
    char names[128][64];
    size_t n = 0, copied = 0;
    catalog_tables(&d, names, 128, &n);
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        int role = store_copy_table_role(names[i]);
        if (role < 0)
            fail_msg("table %s is neither copied nor left out on purpose (policy_copy.c)",
                     names[i]);
        copied += role == 1;
    }
    const char *const *tables = NULL;
    size_t nt = 0;
    assert_int_equal(store_schema_tables(&tables, &nt), FN_OK);
    assert_int_equal(copied, nt);
    assert_int_equal(store_copy_table_role("schema_version"), 0);
    assert_int_equal(store_copy_table_role("person"), 1);
    assert_int_equal(store_copy_table_role("no_such_table"), -1);
    /* creation order: a table follows those its foreign keys name */
    size_t person = nt, alias = nt, audit_log = nt, decision = nt, assessment = nt;
    for (size_t i = 0; i < nt; i++) {
        person = strcmp(tables[i], "person") == 0 ? i : person;
        alias = strcmp(tables[i], "person_alias") == 0 ? i : alias;
        audit_log = strcmp(tables[i], "audit_log") == 0 ? i : audit_log;
        assessment = strcmp(tables[i], "assessment") == 0 ? i : assessment;
        decision = strcmp(tables[i], "decision") == 0 ? i : decision;
    }
    assert_true(person < alias && alias < nt && audit_log < nt);
    assert_true(assessment < decision && decision < nt);
    test_db_drop(&d);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_copied_or_kept),
        cmocka_unit_test(test_round_trip_format1),
        cmocka_unit_test(test_round_trip_pruned),
        cmocka_unit_test(test_refuses_nonempty),
        cmocka_unit_test(test_killed_copy),
    };
    return cmocka_run_group_tests(tests, make_template, drop_template);
}
