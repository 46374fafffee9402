/* Unit tests for the staged bulk import (store/import.c, issue 10 item 4):
 * other connections write and read while an import stages, staged rows stay
 * invisible until the publish, a record stored meanwhile fails the publish
 * as a whole, and a killed import's stage file is cleaned up. Backend-
 * neutral (test_db.h) but for the SQLite stage file. */
#include "test_db.h"

#include <sys/stat.h>

#include "core/alloc.h"
#include "store/store.h"

static const struct store_actor actor = {.login = "tester", .system = 1, .purpose = "Unit-Test"};

struct fixture {
    struct test_db db;
    char stage[700];        /* SQLite's stage file */
    struct store *importer; /* the import's connection */
    struct store *other;    /* another writer on the same file */
};

static int setup(void **state)
{
    struct test_db db;
    test_db_fresh(&db); /* first: it may skip */
    struct fixture *f = calloc(1, sizeof *f);
    f->db = db;
    snprintf(f->stage, sizeof f->stage, "%s-import", f->db.path);
    assert_int_equal(store_open(f->db.path, STORE_OPEN_CREATE, &f->importer), FN_OK);
    assert_int_equal(store_migrate(f->importer), FN_OK);
    assert_int_equal(store_open(f->db.path, 0, &f->other), FN_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->importer);
    store_close(f->other);
    test_db_drop(&f->db);
    free(f);
    return 0;
}

static struct model_person *person(const char *record_id)
{
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup(record_id);
    p->family_name = fn_strdup("Haddad");
    p->nationalities = fn_calloc(1, sizeof(char *));
    p->nationalities[0] = fn_strdup("SYR");
    p->n_nationalities = 1;
    p->aliases = fn_calloc(1, sizeof *p->aliases);
    p->aliases[0].family_name = fn_strdup("Hadad");
    p->n_aliases = 1;
    return p;
}

static fn_status import_one(struct store_import *imp, const char *record_id, int64_t *id)
{
    struct model_person *p = person(record_id);
    fn_status rc = store_import_person(imp, p);
    if (id)
        *id = p->id;
    model_person_free(p);
    return rc;
}

static int64_t persons(struct store *st)
{
    int64_t n = -1;
    assert_int_equal(store_person_count(st, &n), FN_OK);
    return n;
}

/* While an import stages (in several batches), another connection inserts
 * and reads at once; it sees none of the staged rows until the commit. */
static void test_writers_go_on_while_staging(void **state)
{
    struct fixture *f = *state;
    setenv("FALLNETZ_IMPORT_BATCH_ROWS", "100", 1);
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(f->importer, &actor, "big.csv", &imp), FN_OK);
    unsetenv("FALLNETZ_IMPORT_BATCH_ROWS");
    for (int i = 0; i < 2500; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "S%d", i);
        assert_int_equal(import_one(imp, rid, NULL), FN_OK);
    }
    /* another writer: no waiting on the import's lock */
    struct model_person *p = person("OTHER");
    assert_int_equal(store_person_insert(f->other, &actor, p), FN_OK);
    assert_int_equal(p->id, 1);
    model_person_free(p);
    assert_int_equal(persons(f->other), 1);
    int64_t id = 0;
    assert_int_equal(store_person_find(f->other, &actor, "S7", &id), FN_NOTFOUND);
    /* a record_id the database has: p->id names it */
    assert_int_equal(import_one(imp, "OTHER", &id), FN_CONFLICT);
    assert_int_equal(id, 1);
    /* a record_id earlier in the file: p->id 0 */
    assert_int_equal(import_one(imp, "S3", &id), FN_CONFLICT);
    assert_int_equal(id, 0);
    assert_int_equal(store_import_commit(imp), FN_OK);

    assert_int_equal(persons(f->other), 2501);
    assert_int_equal(store_person_find(f->other, &actor, "S0", &id), FN_OK);
    assert_int_equal(id, 2); /* consecutive after the other writer's row */
    assert_int_equal(store_person_find(f->other, &actor, "S2499", &id), FN_OK);
    assert_int_equal(id, 2501);
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->other, &actor, 2501, &file), FN_OK);
    assert_int_equal(file->person->n_aliases, 1);
    assert_string_equal(file->person->aliases[0].family_name, "Hadad");
    assert_string_equal(file->person->nationalities[0], "SYR");
    model_person_file_free(file);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->other, &rep), FN_OK);
    struct stat sb;
    assert_int_equal(stat(f->stage, &sb), -1); /* stage removed (SQLite; none on PostgreSQL) */
}

/* A record another writer stores while the import stages fails the publish
 * as a whole: nothing of the import is visible, the message names it. */
static void test_late_conflict_is_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(f->importer, &actor, "late.csv", &imp), FN_OK);
    assert_int_equal(import_one(imp, "L1", NULL), FN_OK);
    assert_int_equal(import_one(imp, "L2", NULL), FN_OK);
    struct model_person *p = person("L2");
    assert_int_equal(store_person_insert(f->other, &actor, p), FN_OK);
    model_person_free(p);
    assert_int_equal(store_import_commit(imp), FN_CONFLICT);
    assert_non_null(strstr(store_errmsg(f->importer), "'L2'"));
    assert_int_equal(persons(f->other), 1);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->other, &rep), FN_OK);
    /* and the import can run again */
    assert_int_equal(store_import_begin(f->importer, &actor, "late.csv", &imp), FN_OK);
    assert_int_equal(import_one(imp, "L1", NULL), FN_OK);
    assert_int_equal(store_import_commit(imp), FN_OK);
    assert_int_equal(persons(f->other), 2);
}

/* The catalog's insert triggers and secondary indexes, to compare before
 * and after a bulk publish. */
static int64_t triggers_and_indexes(const char *path)
{
    if (test_db_is_pg())
        return test_db_int(path, "SELECT (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
                                 " AND tgenabled = 'O') * 1000 + (SELECT count(*) FROM pg_indexes"
                                 " WHERE schemaname = 'public')");
    return test_db_int(path, "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger')"
                             " * 1000 + (SELECT count(*) FROM sqlite_master WHERE type = 'index')");
}

#define BULK_ROWS 50000 /* import.c's BULK_PUBLISH_ROWS: the bulk publish on both backends */

/* A large import into a smaller table (secondary indexes built once, the
 * per-row insert triggers swapped for set-wise statements) stores what a
 * small one stores: aliases and documents with their fact bits, every new
 * person queued for re-assessment; and the triggers and indexes are all
 * back afterwards. */
static void bulk_publish(struct fixture *f, int old)
{
    int64_t catalog = triggers_and_indexes(f->db.path);
    struct model_person *p = NULL;
    if (old) {
        p = person("OLD");
        assert_int_equal(store_person_insert(f->other, &actor, p), FN_OK);
        model_person_free(p);
        test_db_exec(f->db.path, "DELETE FROM assessment_due");
    }
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(f->importer, &actor, "bulk.csv", &imp), FN_OK);
    for (int i = 0; i < BULK_ROWS; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "B%d", i);
        p = person(rid);
        if (i % 2) { /* aliases for even i only */
            fn_free(p->aliases[0].family_name);
            fn_free(p->aliases);
            p->aliases = NULL;
            p->n_aliases = 0;
        } else {
            p->aliases[0].birth_date = (struct fn_pdate){.year = 1990, .month = 3};
        }
        if (i % 3 == 0) { /* documents for every third */
            p->documents = fn_calloc(1, sizeof *p->documents);
            p->documents[0].kind = fn_strdup("reisepass");
            p->documents[0].number = fn_strdup(rid);
            p->documents[0].issuing_state = fn_strdup("SYR");
            p->documents[0].valid_until = (struct fn_pdate){.year = 2031, .month = 5, .day = 2};
            p->documents[0].verified = 1;
            p->n_documents = 1;
        }
        if (i == 7) { /* what COPY's text format must escape */
            fn_free(p->family_name);
            p->family_name = fn_strdup("Tab\tBack\\slash\nNew\rCR\\N");
        }
        assert_int_equal(store_import_person(imp, p), FN_OK);
        model_person_free(p);
    }
    assert_int_equal(store_import_commit(imp), FN_OK);

    const char *path = f->db.path;
    assert_int_equal(persons(f->other), BULK_ROWS + old);
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM assessment_due"), BULK_ROWS);
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM person_alias"), BULK_ROWS / 2 + old);
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM travel_document"),
                     (BULK_ROWS + 2) / 3);
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM person WHERE record_id <> 'OLD'"
                                       " AND fact_mask <> (CASE WHEN CAST(substr(record_id, 2)"
                                       " AS INTEGER) % 2 = 0 THEN 1 ELSE 0 END) + (CASE WHEN"
                                       " CAST(substr(record_id, 2) AS INTEGER) % 3 = 0 THEN 2"
                                       " ELSE 0 END)"),
                     0);
    int64_t id = 0;
    assert_int_equal(store_person_find(f->other, &actor, "B300", &id), FN_OK);
    assert_int_equal(id, 301 + old); /* after OLD, in file order */
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->other, &actor, id, &file), FN_OK);
    assert_int_equal(file->person->n_aliases, 1);
    assert_string_equal(file->person->aliases[0].family_name, "Hadad");
    assert_int_equal(file->person->aliases[0].birth_date.month, 3);
    assert_int_equal(file->person->n_documents, 1);
    assert_string_equal(file->person->documents[0].number, "B300");
    assert_string_equal(file->person->documents[0].issuing_state, "SYR");
    assert_int_equal(file->person->documents[0].valid_until.day, 2);
    assert_int_equal(file->person->documents[0].verified, 1);
    assert_string_equal(file->person->nationalities[0], "SYR");
    model_person_file_free(file);
    assert_int_equal(store_person_find(f->other, &actor, "B7", &id), FN_OK);
    assert_int_equal(store_person_get(f->other, &actor, id, &file), FN_OK);
    assert_string_equal(file->person->family_name, "Tab\tBack\\slash\nNew\rCR\\N");
    model_person_file_free(file);

    /* the triggers are back: a person stored one by one gets its fact bit
     * and is queued */
    assert_int_equal(triggers_and_indexes(path), catalog);
    p = person("AFTER");
    assert_int_equal(store_person_insert(f->other, &actor, p), FN_OK);
    model_person_free(p);
    assert_int_equal(test_db_int(path, "SELECT fact_mask FROM person WHERE record_id = 'AFTER'"),
                     1);
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM assessment_due d JOIN person p"
                                       " ON p.id = d.person_id WHERE p.record_id = 'AFTER'"),
                     1);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->other, &rep), FN_OK);
}

/* Into a table with a person: the triggers' work set-wise, the indexes
 * updated row by row on PostgreSQL. */
static void test_bulk_publish(void **state)
{
    bulk_publish(*state, 1);
}

/* Into an empty table: PostgreSQL builds the secondary indexes afterwards,
 * too. */
static void test_bulk_publish_first_load(void **state)
{
    bulk_publish(*state, 0);
}

/* The look-ahead for stored record_ids (one query per batch on
 * PostgreSQL, nothing on SQLite) answers as the lookup per person does,
 * also for ids that need quoting in an array literal; ids it was not
 * asked about are looked up one by one. */
static void test_prefetch(void **state)
{
    struct fixture *f = *state;
    const char *stored[] = {"OLD", "Q\"1\\", "{a,b}"};
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        struct model_person *p = person(stored[i]);
        assert_int_equal(store_person_insert(f->other, &actor, p), FN_OK);
        ids[i] = p->id;
        model_person_free(p);
    }
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(f->importer, &actor, "pre.csv", &imp), FN_OK);
    const char *batch[] = {"OLD", "N\"1", "Q\"1\\", "{a,b}", "N\\2"};
    assert_int_equal(store_import_prefetch(imp, batch, 5), FN_OK);
    int64_t id = -1;
    for (int i = 0; i < 5; i++) {
        fn_status want = i == 1 || i == 4 ? FN_OK : FN_CONFLICT;
        assert_int_equal(import_one(imp, batch[i], &id), want);
        assert_int_equal(id, i == 0 ? ids[0] : i == 2 ? ids[1] : i == 3 ? ids[2] : 0);
    }
    /* not announced: looked up by itself */
    assert_int_equal(import_one(imp, "OLD", &id), FN_CONFLICT);
    assert_int_equal(id, ids[0]);
    assert_int_equal(store_import_prefetch(imp, batch, 0), FN_OK);
    assert_int_equal(import_one(imp, "N3", NULL), FN_OK);
    assert_int_equal(store_import_commit(imp), FN_OK);
    assert_int_equal(persons(f->other), 6);
    assert_int_equal(store_person_find(f->other, &actor, "N\\2", &id), FN_OK);
}

/* One import per database at a time. */
static void test_one_import_at_a_time(void **state)
{
    struct fixture *f = *state;
    struct store_import *imp = NULL, *second = NULL;
    assert_int_equal(store_import_begin(f->importer, &actor, "a.csv", &imp), FN_OK);
    assert_int_equal(store_import_begin(f->other, &actor, "b.csv", &second), FN_BUSY);
    assert_null(second);
    assert_non_null(strstr(store_errmsg(f->other), "anderer Import"));
    /* a store opened while an import runs leaves its stage alone */
    struct store *third = NULL;
    assert_int_equal(store_open(f->db.path, 0, &third), FN_OK);
    store_close(third);
    assert_int_equal(import_one(imp, "A1", NULL), FN_OK);
    assert_int_equal(store_import_commit(imp), FN_OK);
    assert_int_equal(persons(f->other), 1);
    /* the lock went with the import: the other connection may import now */
    assert_int_equal(store_import_begin(f->other, &actor, "b.csv", &second), FN_OK);
    store_import_abort(second);
}

/* A killed import's stage file (here: one nobody holds) is removed by the
 * next open, and the next import runs. */
static void test_leftover_stage(void **state)
{
    test_db_sqlite_only("the stage file of a killed import");
    struct fixture *f = *state;
    struct store *third = NULL;
    struct store_import *imp = NULL;
    FILE *fp = fopen(f->stage, "wb");
    assert_non_null(fp);
    fputs("left by a killed import", fp);
    fclose(fp);
    assert_int_equal(store_open(f->db.path, 0, &third), FN_OK);
    struct stat sb;
    assert_int_equal(stat(f->stage, &sb), -1);
    store_close(third);
    fp = fopen(f->stage, "wb");
    fputs("left by a killed import", fp);
    fclose(fp);
    assert_int_equal(store_import_begin(f->other, &actor, "c.csv", &imp), FN_OK);
    assert_int_equal(import_one(imp, "C1", NULL), FN_OK);
    store_import_abort(imp);
    assert_int_equal(stat(f->stage, &sb), -1);
    assert_int_equal(persons(f->other), 0);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writers_go_on_while_staging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_conflict_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_import_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_publish, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_publish_first_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefetch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leftover_stage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
