/*
 * Unit tests for the version of a person record (schema 11, issue 12):
 * optimistic concurrency in store_person_update. A change made on an older
 * version is refused (FN_STALE) and leaves no trace; the row entry checks
 * and increments the version in one statement; two handles on one file
 * that race with the same version never both win, and the audit trail
 * holds a "change" row for the winner only.
 */
#include "test_db.h"

#include <pthread.h>

#include "core/alloc.h"
#include "store/backend.h"
#include "store/store.h"

#define ROUNDS 12

static const struct store_actor sys = {.login = "tester", .system = 1, .purpose = "Unit-Test"};

struct fixture {
    struct test_db db; /* a fresh database on the backend under test */
    const char *path;
    struct store *st;
    int64_t id;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_db_fresh(&f->db);
    f->path = f->db.path;
    assert_int_equal(store_open(f->path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup("V-1");
    p->family_name = fn_strdup("Ausgang");
    p->given_names = fn_strdup("Erste");
    assert_int_equal(store_person_insert(f->st, &sys, p), FN_OK);
    assert_int_equal(p->version, 1);
    f->id = p->id;
    model_person_free(p);
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

/* The stored person (caller frees with model_person_file_free). */
static struct model_person_file *read_back(struct store *st, int64_t id)
{
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(st, &sys, id, &file), FN_OK);
    return file;
}

static void set_name(struct model_person *p, const char *family_name)
{
    fn_free(p->family_name);
    p->family_name = fn_strdup(family_name);
}

struct change_count {
    int64_t id;
    int changes;
    char last[512];
};

static fn_status count_changes(void *ctx, const struct store_audit_row *row)
{
    struct change_count *c = ctx;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)c->id);
    if (strcmp(row->kind, "change") == 0 && strcmp(row->entity, "person") == 0 &&
        strcmp(row->record_ids, ids) == 0) {
        c->changes++;
        snprintf(c->last, sizeof c->last, "%s", row->details ? row->details : "");
    }
    return FN_OK;
}

static int change_rows(struct store *st, int64_t id)
{
    struct change_count c = {.id = id};
    assert_int_equal(store_audit_each(st, &sys, id, NULL, count_changes, &c), FN_OK);
    return c.changes;
}

/* Reads carry the version; each update increments it; one made on an older
 * version is refused, writes nothing and is not audited. */
static void test_version_increments_and_stale_refused(void **state)
{
    struct fixture *f = *state;
    struct model_person_file *a = read_back(f->st, f->id);
    struct model_person_file *b = read_back(f->st, f->id);
    assert_int_equal(a->person->version, 1);

    set_name(a->person, "Erster");
    assert_int_equal(store_person_update(f->st, &sys, a->person), FN_OK);
    assert_int_equal(a->person->version, 2);

    /* b read version 1 before a's change: refused, b keeps its version */
    set_name(b->person, "Zweiter");
    assert_int_equal(store_person_update(f->st, &sys, b->person), FN_STALE);
    assert_int_equal(b->person->version, 1);
    struct model_person_file *now = read_back(f->st, f->id);
    assert_string_equal(now->person->family_name, "Erster");
    assert_int_equal(now->person->version, 2);
    assert_int_equal(change_rows(f->st, f->id), 1);

    /* re-applied on the current version it goes through */
    now->person->version = 2;
    set_name(now->person, "Zweiter");
    assert_int_equal(store_person_update(f->st, &sys, now->person), FN_OK);
    assert_int_equal(now->person->version, 3);
    assert_int_equal(change_rows(f->st, f->id), 2);

    /* aliases and documents change through the update too: version 4 */
    struct model_person_file *c = read_back(f->st, f->id);
    c->person->aliases = fn_calloc(1, sizeof *c->person->aliases);
    c->person->aliases[0].family_name = fn_strdup("Alias");
    c->person->n_aliases = 1;
    assert_int_equal(store_person_update(f->st, &sys, c->person), FN_OK);
    model_person_file_free(c);
    c = read_back(f->st, f->id);
    assert_int_equal(c->person->version, 4);
    assert_int_equal(c->person->n_aliases, 1);

    /* no version (never read) is no blind write */
    c->person->version = 0;
    assert_int_equal(store_person_update(f->st, &sys, c->person), FN_INVALID);
    /* an unknown id stays "not found", not "stale" */
    c->person->version = 4;
    c->person->id = f->id + 100;
    assert_int_equal(store_person_update(f->st, &sys, c->person), FN_NOTFOUND);
    model_person_file_free(a);
    model_person_file_free(b);
    model_person_file_free(now);
    model_person_file_free(c);
}

/* The row entry itself checks and increments the version in its one
 * statement (what a backend must do when transactions do not serialise
 * writers): a stale version changes nothing and is FN_STALE after a
 * re-read, a missing row FN_NOTFOUND. */
static void test_row_entry_checks_version(void **state)
{
    struct fixture *f = *state;
    const struct store_backend *ops = store_head_of(f->st)->ops;
    struct store *other = NULL;
    assert_int_equal(store_open(f->path, 0, &other), FN_OK);
    struct model_person *p = NULL;
    assert_int_equal(ops->person_row_get(f->st, f->id, &p), FN_OK);
    assert_int_equal(p->version, 1);

    struct model_person_file *o = read_back(other, f->id);
    set_name(o->person, "Anderer Server");
    assert_int_equal(store_person_update(other, &sys, o->person), FN_OK);

    set_name(p, "Verloren");
    assert_int_equal(store_begin(f->st), FN_OK);
    assert_int_equal(ops->person_row_update(f->st, p), FN_STALE);
    assert_int_equal(p->version, 1);
    p->version = 2;
    int64_t id = p->id;
    p->id = id + 100;
    assert_int_equal(ops->person_row_update(f->st, p), FN_NOTFOUND);
    p->id = id;
    assert_int_equal(ops->person_row_update(f->st, p), FN_OK);
    assert_int_equal(p->version, 3);
    store_rollback(f->st);

    struct model_person_file *now = read_back(f->st, f->id);
    assert_string_equal(now->person->family_name, "Anderer Server");
    assert_int_equal(now->person->version, 2);
    model_person_file_free(now);
    model_person_file_free(o);
    model_person_free(p);
    store_close(other);
}

/* ---- two writers racing, each with its own handle on the file ---- */

struct racer {
    const char *path;
    int64_t id;
    const char *name;
    pthread_barrier_t *read_done;
    fn_status rc[ROUNDS];
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store *st = NULL;
    fn_status open_rc = store_open(r->path, 0, &st);
    for (int round = 0; round < ROUNDS; round++) {
        struct model_person_file *file = NULL;
        fn_status rc = open_rc ? open_rc : store_person_get(st, &sys, r->id, &file);
        /* both have read the same version before either writes */
        pthread_barrier_wait(r->read_done);
        if (!rc) {
            char name[64];
            snprintf(name, sizeof name, "%s %d", r->name, round);
            set_name(file->person, name);
            rc = store_person_update(st, &sys, file->person);
        }
        r->rc[round] = rc;
        model_person_file_free(file);
        /* the round is over for both before the next read */
        pthread_barrier_wait(r->read_done);
    }
    store_close(st);
    return NULL;
}

static void test_two_handles_race(void **state)
{
    struct fixture *f = *state;
    pthread_barrier_t barrier;
    assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
    struct racer r[2] = {
        {.path = f->path, .id = f->id, .name = "Server A", .read_done = &barrier},
        {.path = f->path, .id = f->id, .name = "Server B", .read_done = &barrier},
    };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&barrier);

    char expect[64] = "";
    for (int round = 0; round < ROUNDS; round++) {
        fn_status a = r[0].rc[round], b = r[1].rc[round];
        if (!((a == FN_OK && b == FN_STALE) || (a == FN_STALE && b == FN_OK)))
            fail_msg("round %d: %s / %s, expected one ok and one stale", round, fn_status_str(a),
                     fn_status_str(b));
        snprintf(expect, sizeof expect, "%s %d", a == FN_OK ? "Server A" : "Server B", round);
    }
    /* no lost update: the last winner's value is stored, one version per win */
    struct model_person_file *now = read_back(f->st, f->id);
    assert_string_equal(now->person->family_name, expect);
    assert_int_equal(now->person->version, 1 + ROUNDS);
    model_person_file_free(now);
    /* a "change" row for each winner, none for the refused */
    assert_int_equal(change_rows(f->st, f->id), ROUNDS);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_version_increments_and_stale_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_entry_checks_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_handles_race, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
