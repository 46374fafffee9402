/*
 * test_backup.c – store_backup: who may copy the whole database, the audit
 * row of the copy's own making, and a consistent copy while another
 * connection keeps writing.
 */
#include <pthread.h>
#include <sqlite3.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "store/store.h"
#include "../test_util.h"

struct fixture {
    char dir[64];
    char path[128];
    struct store *st;
};

static const struct store_actor sys = {.login = "system:test", .system = 1, .purpose = "Test"};

static void add_person(struct store *st, const char *record)
{
    struct model_person *p = model_person_new();
    assert_non_null(p);
    p->record_id = fn_strdup(record);
    p->family_name = fn_strdup("Muster");
    assert_int_equal(store_person_insert(st, &sys, p), FN_OK);
    model_person_free(p);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    add_person(f->st, "P1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    test_rmtree(f->dir);
    free(f);
    return 0;
}

/* Counts rows of a query on a database file. */
static long long count_rows(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    long long n = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static void test_backup_roles(void **state)
{
    struct fixture *f = *state;
    char dest[160];
    int64_t bytes = 0;
    snprintf(dest, sizeof dest, "%s/b.db", f->dir);
    static const unsigned refused[] = {AUTH_ROLE_SACHBEARBEITUNG, AUTH_ROLE_KOORDINATION,
                                       AUTH_ROLE_DATENSCHUTZ, AUTH_ROLE_STATISTIK, 0};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct store_actor a = {
            .user_id = 7, .login = "x", .org_id = 1, .roles = refused[i], .purpose = "Test"};
        assert_int_equal(store_backup(f->st, &a, dest, "b.db", &bytes), FN_DENIED);
        assert_int_equal(access(dest, F_OK), -1); /* nothing written */
    }
    struct store_actor no_purpose = {.login = "system:x", .system = 1};
    assert_int_equal(store_backup(f->st, &no_purpose, dest, "b.db", &bytes), FN_DENIED);
    struct store_actor admin = {
        .user_id = 7, .login = "admin", .org_id = 1, .roles = AUTH_ROLE_ADMIN, .purpose = "Test"};
    assert_int_equal(store_backup(f->st, &admin, dest, "b.db", &bytes), FN_OK);
    assert_true(bytes > 0);
    assert_int_equal(count_rows(dest, "SELECT count(*) FROM person"), 1);
    /* the copy holds the row of its own making, and is one file */
    assert_int_equal(count_rows(dest, "SELECT count(*) FROM audit_log WHERE kind = 'disclose'"
                                      " AND entity = 'datenbank' AND login = 'admin'"
                                      " AND details = '{\"sicherung\":\"b.db\"}'"),
                     1);
    assert_int_equal(count_rows(dest, "SELECT count(*) FROM pragma_journal_mode"
                                      " WHERE journal_mode = 'delete'"),
                     1);
    struct store *cp = NULL;
    struct store_audit_report rep;
    assert_int_equal(store_open(dest, STORE_OPEN_READONLY, &cp), FN_OK);
    assert_int_equal(store_audit_verify(cp, &rep), FN_OK);
    store_close(cp);
}

struct writer {
    const char *path;
    volatile int stop;
    int written;
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct store *st = NULL;
    if (store_open(w->path, 0, &st) != FN_OK)
        return NULL;
    while (!w->stop) {
        char rec[32];
        snprintf(rec, sizeof rec, "W%d", w->written);
        struct model_person *p = model_person_new();
        p->record_id = fn_strdup(rec);
        p->family_name = fn_strdup("Schreiber");
        if (store_person_insert(st, &sys, p) == FN_OK)
            w->written++;
        model_person_free(p);
    }
    store_close(st);
    return NULL;
}

/* Every copy taken while a writer inserts persons is one moment: as many
 * persons as "collect person" rows in its own trail, and a chain that
 * verifies. */
static void test_backup_consistent_under_writer(void **state)
{
    struct fixture *f = *state;
    struct writer w = {.path = f->path};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
    int checked = 0;
    for (int i = 0; i < 8; i++) {
        char dest[160];
        int64_t bytes = 0;
        snprintf(dest, sizeof dest, "%s/b%d.db", f->dir, i);
        assert_int_equal(store_backup(f->st, &sys, dest, dest, &bytes), FN_OK);
        long long persons = count_rows(dest, "SELECT count(*) FROM person");
        long long collected = count_rows(dest, "SELECT count(*) FROM audit_log WHERE"
                                               " kind = 'collect' AND entity = 'person'");
        assert_int_equal(persons, collected);
        struct store *cp = NULL;
        struct store_audit_report rep;
        assert_int_equal(store_open(dest, STORE_OPEN_READONLY, &cp), FN_OK);
        assert_int_equal(store_audit_verify(cp, &rep), FN_OK);
        store_close(cp);
        checked++;
    }
    w.stop = 1;
    pthread_join(th, NULL);
    assert_int_equal(checked, 8);
    assert_true(w.written > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_consistent_under_writer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
