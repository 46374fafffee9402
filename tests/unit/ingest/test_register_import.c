/* Unit tests for the register import pipeline (ingest/register_import.c):
 * counts, rejects through the callback, the rejected-rows file, all or
 * nothing on every failure (allocation failures at every point, a publish
 * that conflicts, a read-only database), FIFO and stream input, empty and
 * header-only files, the default authority. */
#include "../test_util.h"

#include <pthread.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "ingest/register_import.h"
#include "store/store.h"

static const struct store_actor actor = {
    .login = "import-job", .system = 1, .purpose = "Übernahme Registerdaten"};

/* Good rows A1 and A4; rejected: a bad sex (line 3), A1 again (4), a short
 * row (5), an unterminated quote (7). */
static const char sample[] = "record_id,family_name,sex,nationality,authority\n"
                             "A1,Haddad,m,SYR,ABH-K\n"
                             "A2,Bad,q,SYR,\n"
                             "A1,Dup,f,SYR,\n"
                             "A3,Short\n"
                             "A4,\"Al-Hassan, Jr\",m,SYR;TUR,\n"
                             "A5,\"open,m,SYR,\n";

/* What `fallnetz import` wrote for sample before the pipeline moved here. */
static const char sample_rejected[] =
    "record_id,family_name,sex,nationality,authority,fehler\n"
    "A2,Bad,q,SYR,,\"in.csv:3: Feld sex: 'q' ist nicht m, f, x oder u\"\n"
    "A1,Dup,f,SYR,,in.csv:4: Feld record_id: 'A1' kommt in der Datei mehrfach vor (erste "
    "Zeile übernommen)\n"
    "\"A3,Short\",,,,,in.csv:5: 2 Felder statt 5\n"
    "\"A5,\"\"open,m,SYR,\",,,,,in.csv:7: Anführungszeichen nicht geschlossen\n";

#define MAX_SEEN 16

/* What the callbacks saw. */
struct seen {
    size_t n;
    char file[MAX_SEEN][64];
    long line[MAX_SEEN];
    char reason[MAX_SEEN][160];
    int file_failed;
    int starts, updates, finishes;
    unsigned long long total;
    struct store *other; /* when set: the first reject stores record_id steal */
    const char *steal;
};

struct fixture {
    char dir[64];
    char db[128];
    char in[128];
    char rej[128];
    struct store *st;
    struct seen seen;
};

static void on_reject(void *ctx, const struct ingest_reject *r)
{
    struct seen *s = ctx;
    if (s->n < MAX_SEEN) {
        snprintf(s->file[s->n], sizeof s->file[0], "%s", r->file);
        s->line[s->n] = r->line;
        snprintf(s->reason[s->n], sizeof s->reason[0], "%s", r->reason);
    }
    s->n++;
    s->file_failed += r->rejected_file_failed;
    if (s->other && s->steal && s->n == 1) {
        /* another writer stores a record_id the import has already staged */
        struct model_person *p = model_person_new();
        p->record_id = fn_strdup(s->steal);
        assert_int_equal(store_person_insert(s->other, &actor, p), FN_OK);
        model_person_free(p);
    }
}

static void on_progress(void *ctx, enum ingest_progress_step step, unsigned long long done,
                        unsigned long long total)
{
    struct seen *s = ctx;
    s->total = total;
    if (step == INGEST_PROGRESS_START)
        s->starts++;
    else if (step == INGEST_PROGRESS_UPDATE)
        s->updates++;
    else
        s->finishes++;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    snprintf(f->in, sizeof f->in, "%s/in.csv", f->dir);
    snprintf(f->rej, sizeof f->rej, "%s/rej.csv", f->dir);
    assert_int_equal(store_open(f->db, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    if (chdir("/tmp") != 0) /* enter_dir may have moved into f->dir */
        fail_msg("chdir");
    test_rmtree(f->dir);
    free(f);
    return 0;
}

static struct ingest_register_options options(struct fixture *f, const char *rejected)
{
    struct ingest_register_options o = {.input_path = f->in,
                                        .rejected_path = rejected,
                                        .batch_rows = 2, /* several batches */
                                        .on_reject = on_reject,
                                        .on_progress = on_progress,
                                        .ctx = &f->seen};
    return o;
}

static int64_t persons(struct store *st)
{
    int64_t n = -1;
    assert_int_equal(store_person_count(st, &n), FN_OK);
    return n;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Reads a whole file into buf (NUL-terminated). */
static void slurp(const char *path, char *buf, size_t size)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(buf, 1, size - 1, fp);
    buf[n] = '\0';
    fclose(fp);
}

/* Relative names keep the messages short ("in.csv:3: ..."), as the CLI's. */
static void enter_dir(struct fixture *f)
{
    assert_int_equal(chdir(f->dir), 0);
    snprintf(f->in, sizeof f->in, "in.csv");
    snprintf(f->rej, sizeof f->rej, "rej.csv");
}

static void test_good_and_bad_rows(void **state)
{
    struct fixture *f = *state;
    enter_dir(f);
    test_write_file(f->in, sample);
    struct ingest_register_options o = options(f, f->rej);
    struct ingest_register_result res;
    assert_int_equal(ingest_register_import(&o, f->st, &actor, &res), FN_OK);
    assert_int_equal(res.failure, INGEST_OK);
    assert_int_equal(res.rows_read, 6);
    assert_int_equal(res.accepted, 2);
    assert_int_equal(res.rejected, 4);

    struct seen *s = &f->seen;
    assert_int_equal(s->n, 4);
    const long lines[] = {3, 4, 5, 7};
    const char *reasons[] = {"Feld sex: 'q' ist nicht m, f, x oder u",
                             "Feld record_id: 'A1' kommt in der Datei mehrfach vor (erste Zeile "
                             "übernommen)",
                             "2 Felder statt 5", "Anführungszeichen nicht geschlossen"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(s->file[i], "in.csv");
        assert_int_equal(s->line[i], lines[i]);
        assert_string_equal(s->reason[i], reasons[i]);
    }
    assert_int_equal(s->file_failed, 0);
    assert_int_equal(s->starts, 1);
    assert_true(s->updates >= 3); /* 6 rows in batches of 2 */
    assert_int_equal(s->finishes, 1);
    assert_int_equal(s->total, sizeof sample - 1);

    char text[2048];
    slurp(f->rej, text, sizeof text);
    assert_string_equal(text, sample_rejected);

    assert_int_equal(persons(f->st), 2);
    int64_t id = 0;
    assert_int_equal(store_person_find(f->st, &actor, "A4", &id), FN_OK);
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &actor, id, &file), FN_OK);
    assert_string_equal(file->person->family_name, "Al-Hassan, Jr");
    assert_int_equal(file->person->n_nationalities, 2);
    model_person_file_free(file);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

struct collect_audit {
    int collect_rows;
    int by_actor;
};

static fn_status audit_row(void *ctx, const struct store_audit_row *row)
{
    struct collect_audit *c = ctx;
    if (strcmp(row->kind, "collect") == 0) {
        c->collect_rows++;
        c->by_actor += strcmp(row->login, actor.login) == 0;
    }
    return FN_OK;
}

/* The import acts as the caller's actor: the collect row is theirs. */
static void test_audit_names_the_actor(void **state)
{
    struct fixture *f = *state;
    test_write_file(f->in, "record_id,family_name\nB1,Eins\nB2,Zwei\n");
    struct ingest_register_options o = options(f, NULL);
    struct ingest_register_result res;
    assert_int_equal(ingest_register_import(&o, f->st, &actor, &res), FN_OK);
    assert_int_equal(res.accepted, 2);
    struct collect_audit c = {0};
    assert_int_equal(store_audit_each(f->st, &actor, 0, NULL, audit_row, &c), FN_OK);
    assert_int_equal(c.collect_rows, 1);
    assert_int_equal(c.by_actor, 1);
}

/* Every allocation in turn fails, in the reader thread, the staging or the
 * bookkeeping: the run reports the step and stores nothing, and no
 * rejected-rows file appears. Ends when the import no longer reaches the
 * failing allocation. */
static void test_any_failure_stores_nothing(void **state)
{
    struct fixture *f = *state;
    test_write_file(f->in, sample);
    int seen_failure[INGEST_REJECTED_COMMIT_FAILED + 1] = {0};
    long n = 0;
    for (;; n++) {
        memset(&f->seen, 0, sizeof f->seen);
        struct ingest_register_options o = options(f, f->rej);
        struct ingest_register_result res;
        fn_alloc_fail_after(n, 1);
        fn_status rc = ingest_register_import(&o, f->st, &actor, &res);
        long failures = fn_alloc_failures();
        fn_alloc_fail_reset();
        if (!failures || rc == FN_OK || res.failure == INGEST_REJECTED_COMMIT_FAILED) {
            /* Published: no failure, one tolerated after the publish (the
             * directory fsync's path copy), or only the rejected-rows file
             * failed. */
            assert_int_equal(persons(f->st), 2);
            assert_true(rc != FN_OK || exists(f->rej));
            break;
        }
        seen_failure[res.failure]++;
        assert_int_not_equal(rc, FN_OK);
        assert_int_not_equal(res.failure, INGEST_OK);
        assert_int_equal(res.accepted, 0);
        assert_int_equal(persons(f->st), 0);
        assert_false(exists(f->rej));
        assert_true(n < 20000);
    }
    assert_true(n > 50);
    assert_true(seen_failure[INGEST_READ_FAILED] > 0);  /* the reader thread's */
    assert_true(seen_failure[INGEST_STORE_FAILED] > 0); /* staging a person */
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

/* A record another writer stores while the import runs fails the publish:
 * nothing of the import is stored, no rejected-rows file is written. */
static void test_conflicting_publish_stores_nothing(void **state)
{
    struct fixture *f = *state;
    test_write_file(f->in, sample);
    struct store *other = NULL;
    assert_int_equal(store_open(f->db, 0, &other), FN_OK);
    f->seen.other = other;
    f->seen.steal = "A1"; /* staged from line 2 before the first reject */
    struct ingest_register_options o = options(f, f->rej);
    struct ingest_register_result res;
    assert_int_equal(ingest_register_import(&o, f->st, &actor, &res), FN_CONFLICT);
    assert_int_equal(res.failure, INGEST_COMMIT_FAILED);
    assert_non_null(strstr(res.message, "'A1'"));
    assert_int_equal(res.rows_read, 6);
    assert_int_equal(res.accepted, 0);
    assert_int_equal(res.rejected, 4);
    assert_int_equal(persons(other), 1); /* the other writer's */
    assert_false(exists(f->rej));
    store_close(other);
}

/* A read-only database: the import cannot begin; the result says so. */
static void test_read_only_database(void **state)
{
    struct fixture *f = *state;
    test_write_file(f->in, sample);
    struct store *ro = NULL;
    assert_int_equal(store_open(f->db, STORE_OPEN_READONLY, &ro), FN_OK);
    struct ingest_register_options o = options(f, f->rej);
    struct ingest_register_result res;
    fn_status rc = ingest_register_import(&o, ro, &actor, &res);
    assert_int_not_equal(rc, FN_OK);
    assert_true(res.failure == INGEST_BEGIN_FAILED || res.failure == INGEST_STORE_FAILED ||
                res.failure == INGEST_COMMIT_FAILED);
    assert_int_equal(res.accepted, 0);
    store_close(ro);
    assert_int_equal(persons(f->st), 0);
    assert_false(exists(f->rej));
}

struct fifo_writer {
    const char *path;
    const char *text;
};

static void *write_fifo(void *arg)
{
    struct fifo_writer *w = arg;
    FILE *fp = fopen(w->path, "w");
    if (fp) {
        fputs(w->text, fp);
        fclose(fp);
    }
    return NULL;
}

/* A named pipe: size unknown (progress total 0), read to its end. */
static void test_fifo_input(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(mkfifo(f->in, 0600), 0);
    struct fifo_writer w = {f->in, sample};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_fifo, &w), 0);
    struct ingest_register_options o = options(f, NULL);
    struct ingest_register_result res;
    fn_status rc = ingest_register_import(&o, f->st, &actor, &res);
    pthread_join(t, NULL);
    assert_int_equal(rc, FN_OK);
    assert_int_equal(res.rows_read, 6);
    assert_int_equal(res.accepted, 2);
    assert_int_equal(res.rejected, 4);
    assert_int_equal(f->seen.total, 0);
    assert_int_equal(f->seen.finishes, 1);
    assert_int_equal(persons(f->st), 2);
}

/* An open stream (an upload held in memory), named by input_path. */
static void test_stream_input(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "record_id;family_name\nS1;Eins\nS2;\"Zwei; Drei\"\n";
    FILE *fp = fmemopen((void *)text, sizeof text - 1, "r");
    assert_non_null(fp);
    struct ingest_register_options o = options(f, NULL);
    o.input_path = "upload.csv";
    o.input_stream = fp;
    struct ingest_register_result res;
    assert_int_equal(ingest_register_import(&o, f->st, &actor, &res), FN_OK);
    fclose(fp);
    assert_int_equal(res.rows_read, 2);
    assert_int_equal(res.accepted, 2);
    assert_int_equal(persons(f->st), 2);
}

/* An empty file has no header: refused before the store is touched. */
static void test_empty_file(void **state)
{
    struct fixture *f = *state;
    test_write_file(f->in, "");
    struct ingest_register_options o = options(f, f->rej);
    struct ingest_register *ing = NULL;
    struct ingest_register_result res;
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_INVALID);
    assert_null(ing);
    assert_int_equal(res.failure, INGEST_INPUT_EMPTY);
    assert_int_equal(res.rows_read, 0);
    assert_false(exists(f->rej));
    assert_int_equal(f->seen.starts, 0);
}

/* A header without records: not an error of the pipeline (the caller
 * decides); the rejected-rows file holds the header only. */
static void test_header_only(void **state)
{
    struct fixture *f = *state;
    test_write_file(f->in, "record_id,family_name\n");
    struct ingest_register_options o = options(f, f->rej);
    struct ingest_register_result res;
    assert_int_equal(ingest_register_import(&o, f->st, &actor, &res), FN_OK);
    assert_int_equal(res.rows_read, 0);
    assert_int_equal(res.accepted, 0);
    assert_int_equal(res.rejected, 0);
    char text[256];
    slurp(f->rej, text, sizeof text);
    assert_string_equal(text, "record_id,family_name,fehler\n");
    assert_int_equal(persons(f->st), 0);
}

/* The header is checked at open: a missing record_id column, unknown
 * columns (a lone "fehler" is expected), a missing input. */
static void test_header_checks(void **state)
{
    struct fixture *f = *state;
    struct ingest_register_options o = options(f, NULL);
    struct ingest_register *ing = NULL;
    struct ingest_register_result res;
    test_write_file(f->in, "family_name\nX\n");
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_INVALID);
    assert_int_equal(res.failure, INGEST_HEADER_INVALID);
    assert_non_null(strstr(res.message, "record_id"));

    const char *first = NULL;
    test_write_file(f->in, "record_id,fehler\nX,a\n");
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_OK);
    assert_int_equal(ingest_register_unknown_columns(ing, &first), 0);
    ingest_register_free(ing);
    test_write_file(f->in, "record_id,farbe,fehler\nX,a,b\n");
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_OK);
    assert_int_equal(ingest_register_unknown_columns(ing, &first), 2);
    assert_string_equal(first, "farbe");
    ingest_register_free(ing);

    o.input_path = "/nonexistent/in.csv";
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_NOTFOUND);
    assert_int_equal(res.failure, INGEST_INPUT_UNREADABLE);
    o.input_path = f->in;
    o.batch_rows = INGEST_BATCH_ROWS_MAX + 1;
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_INVALID);
    assert_int_equal(res.failure, INGEST_BAD_OPTIONS);
}

/* Rows without an authority get the default; a code the store does not
 * know is kept without an organisation, and said so beforehand. */
static void test_default_authority(void **state)
{
    struct fixture *f = *state;
    struct model_org org = {.kind = ORG_ABH, .code = "ABH-K", .name = "Ausländerbehörde K"};
    assert_int_equal(store_org_insert(f->st, &org), FN_OK);
    test_write_file(f->in, "record_id,family_name,authority\nC1,Ohne,\nC2,Mit,ABH-X\n");
    struct ingest_register_options o = options(f, NULL);
    o.default_authority = "ABH-K";
    struct ingest_register *ing = NULL;
    struct ingest_register_result res;
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_OK);
    assert_int_equal(ingest_register_default_authority_known(ing, f->st), 1);
    assert_int_equal(ingest_register_run(ing, f->st, &actor, &res), FN_OK);
    assert_int_equal(res.accepted, 2);
    /* once per handle */
    assert_int_equal(ingest_register_run(ing, f->st, &actor, &res), FN_INVALID);
    ingest_register_free(ing);

    int64_t id = 0;
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_find(f->st, &actor, "C1", &id), FN_OK);
    assert_int_equal(store_person_get(f->st, &actor, id, &file), FN_OK);
    assert_string_equal(file->person->authority_code, "ABH-K");
    assert_int_equal(file->person->authority_id, org.id);
    model_person_file_free(file);
    assert_int_equal(store_person_find(f->st, &actor, "C2", &id), FN_OK);
    assert_int_equal(store_person_get(f->st, &actor, id, &file), FN_OK);
    assert_string_equal(file->person->authority_code, "ABH-X");
    assert_int_equal(file->person->authority_id, 0);
    model_person_file_free(file);

    o.default_authority = "ABH-NEU";
    assert_int_equal(ingest_register_open(&o, &ing, &res), FN_OK);
    assert_int_equal(ingest_register_default_authority_known(ing, f->st), 0);
    ingest_register_free(ing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_and_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_names_the_actor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_any_failure_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflicting_publish_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_authority, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
