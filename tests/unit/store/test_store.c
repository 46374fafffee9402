/*
 * Unit tests for src/store: migrations, persons and facts, audit rows for
 * every access, the hash chain and its tamper detection, the bulk import,
 * and fault injection (allocation failures, I/O errors through a VFS shim).
 */
#include "test_db.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>

#include "core/alloc.h"
#include "store/store.h"
#include "store/chain.h"
#include "store/store_int.h"

#include "audit_v1_fixture.h"

static const struct store_actor actor = {.login = "tester", .system = 1, .purpose = "Unit-Test"};

struct fixture {
    struct test_db db;
    const char *path; /* db.path */
    struct store *st;
};

static int setup(void **state)
{
    struct test_db db;
    test_db_fresh(&db); /* first: it may skip */
    struct fixture *f = calloc(1, sizeof *f);
    f->db = db;
    f->path = f->db.path;
    assert_int_equal(store_open(f->path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
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

static struct model_person *sample_person(const char *record_id)
{
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup(record_id);
    p->family_name = fn_strdup("Al-Hassan");
    p->given_names = fn_strdup("Mohammed Ali");
    p->sex = SEX_MALE;
    assert_int_equal(fn_pdate_parse("1990-00-00", 10, &p->birth_date), FN_OK);
    p->nationalities = fn_calloc(2, sizeof(char *));
    p->nationalities[0] = fn_strdup("SYR");
    p->nationalities[1] = fn_strdup("TUR");
    p->n_nationalities = 2;
    p->residence = RES_TOLERATED;
    p->identity = IDENTITY_UNCLARIFIED;
    p->aliases = fn_calloc(1, sizeof *p->aliases);
    p->aliases[0].family_name = fn_strdup("Alhasan");
    p->aliases[0].given_names = fn_strdup("Mohamad");
    p->n_aliases = 1;
    p->documents = fn_calloc(1, sizeof *p->documents);
    p->documents[0].kind = fn_strdup("reisepass");
    p->documents[0].number = fn_strdup("N0123456");
    p->n_documents = 1;
    return p;
}

static int64_t count_rows(struct store *st, const char *path, const char *table)
{
    (void)st;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return test_db_int(path, sql);
}

/* Runs SQL on a separate connection (tampering from outside fallnetz). */
static void raw_sql(const char *path, const char *sql)
{
    test_db_exec(path, sql);
}

static void test_migrate_idempotent(void **state)
{
    struct fixture *f = *state;
    int v = 0;
    assert_int_equal(store_schema_version(f->st, &v), FN_OK);
    assert_int_equal(v, STORE_SCHEMA_VERSION);
    assert_int_equal(store_migrate(f->st), FN_OK);
    raw_sql(f->path, "INSERT INTO schema_version VALUES (99, 'x')");
    assert_int_equal(store_migrate(f->st), FN_UNSUPPORTED);
}

/* Backends are chosen by path: a postgresql:// URL goes to the PostgreSQL
 * backend (here a socket where no server listens: a clear error naming
 * it, without the password). */
static void test_backend_selection(void **state)
{
    struct fixture *f = *state;
    struct store *pg = NULL;
    assert_int_not_equal(
        store_open("postgresql://fn:geheim99@/fallnetz?host=/nonexistent-fallnetz", 0, &pg), FN_OK);
    assert_null(pg);
    assert_non_null(strstr(store_open_error(), "nicht erreichbar"));
    assert_null(strstr(store_open_error(), "geheim99"));
    assert_true(store_is_server_url("postgres://x/y"));
    assert_false(store_is_server_url("fallnetz.db"));
    assert_string_equal(f->st->ops->name, test_db_is_pg() ? "postgresql" : "sqlite");
    store_close(NULL); /* dispatch accepts NULL like every destructor */
    store_import_abort(NULL);
}

static void test_person_roundtrip_and_audit(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("R1");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    assert_true(p->id > 0);
    struct model_proceeding pr = {.person_id = p->id,
                                  .kind = PROC_CONVICTION,
                                  .offences = "StGB § 224",
                                  .sentence = SENT_PRISON,
                                  .sentence_months = 26};
    assert_int_equal(fn_pdate_parse("2024-05-02", 10, &pr.final_date), FN_OK);
    assert_int_equal(store_proceeding_insert(f->st, &actor, &pr), FN_OK);
    struct model_obstacle_entry ob = {.person_id = p->id, .kind = OBST_DULDUNG_60B};
    assert_int_equal(store_obstacle_insert(f->st, &actor, &ob), FN_OK);
    struct model_case c = {.person_id = p->id, .status = CASE_NEW, .tags = "aMIT"};
    assert_int_equal(store_case_insert(f->st, &actor, &c), FN_OK);
    struct model_task t = {.case_id = c.id, .title = "Passersatz beantragen"};
    assert_int_equal(store_task_insert(f->st, &actor, &t), FN_OK);

    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &actor, p->id, &file), FN_OK);
    assert_string_equal(file->person->family_name, "Al-Hassan");
    assert_int_equal(file->person->n_nationalities, 2);
    assert_string_equal(file->person->nationalities[1], "TUR");
    assert_int_equal(file->person->n_aliases, 1);
    assert_string_equal(file->person->aliases[0].given_names, "Mohamad");
    assert_int_equal(file->person->n_documents, 1);
    assert_int_equal(file->person->birth_date.year, 1990);
    assert_int_equal(file->person->birth_date.month, 0);
    assert_int_equal(file->n_proceedings, 1);
    assert_int_equal(file->proceedings[0].sentence_months, 26);
    assert_int_equal(file->proceedings[0].final_date.day, 2);
    assert_int_equal(file->n_obstacles, 1);
    assert_int_equal(file->obstacles[0].kind, OBST_DULDUNG_60B);
    assert_int_equal(file->n_cases, 1);
    assert_string_equal(file->cases[0].tags, "aMIT");
    model_person_file_free(file);

    int64_t id = 0;
    assert_int_equal(store_person_find(f->st, &actor, "R1", &id), FN_OK);
    assert_int_equal(id, p->id);
    assert_int_equal(store_person_find(f->st, &actor, "nope", &id), FN_NOTFOUND);
    assert_int_equal(store_person_get(f->st, &actor, 999, &file), FN_NOTFOUND);
    assert_null(file);
    assert_int_equal(store_audit_flush(f->st), FN_OK);
    /* collect person, proceeding, obstacle, case, task + query get + query find */
    assert_int_equal(count_rows(f->st, f->path, "audit_log"), 7);
    model_person_free(p);
}

static void test_actor_without_purpose_refused(void **state)
{
    struct fixture *f = *state;
    struct store_actor bad = {.login = "x", .purpose = ""};
    struct model_person *p = sample_person("R2");
    assert_int_equal(store_person_insert(f->st, &bad, p), FN_DENIED);
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, NULL, 1, &file), FN_DENIED);
    assert_int_equal(count_rows(f->st, f->path, "person"), 0);
    model_person_free(p);
}

static void test_duplicate_record_id(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("DUP");
    struct model_person *q = sample_person("DUP");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    assert_int_equal(store_person_insert(f->st, &actor, q), FN_CONFLICT);
    assert_int_equal(count_rows(f->st, f->path, "person"), 1);
    assert_int_equal(count_rows(f->st, f->path, "person_alias"), 1);
    model_person_free(p);
    model_person_free(q);
}

struct collect {
    int rows;
    char ids[256];
};

static fn_status collect_audit(void *ctx, const struct store_audit_row *row)
{
    struct collect *c = ctx;
    c->rows++;
    snprintf(c->ids, sizeof c->ids, "%s:%s", row->kind, row->record_ids);
    return FN_OK;
}

static void test_list_logs_disclosed_ids(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < 5; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "L%d", i);
        struct model_person *p = sample_person(rid);
        assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
        model_person_free(p);
    }
    struct store_person_summary *items = NULL;
    size_t n = 0;
    assert_int_equal(store_person_list(f->st, &actor, 0, 1, 3, &items, &n), FN_OK);
    assert_int_equal(n, 3);
    assert_int_equal(items[0].id, 2);
    fn_free(items);
    struct collect c = {0};
    /* person 3 was collected once and disclosed once in the list */
    assert_int_equal(store_audit_each(f->st, &actor, 3, NULL, collect_audit, &c), FN_OK);
    assert_int_equal(c.rows, 2);
    assert_string_equal(c.ids, "disclose:2-4");
    struct collect c5 = {0};
    assert_int_equal(store_audit_each(f->st, &actor, 5, NULL, collect_audit, &c5), FN_OK);
    assert_int_equal(c5.rows, 1);
}

static void test_delete(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("DEL");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    assert_int_equal(store_person_delete(f->st, &actor, p->id, "Löschfrist \"abgelaufen\""), FN_OK);
    assert_int_equal(count_rows(f->st, f->path, "person_alias"), 0);
    assert_int_equal(store_person_delete(f->st, &actor, p->id, "x"), FN_NOTFOUND);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    assert_int_equal(rep.rows, 2);
    model_person_free(p);
}

static void make_chain(struct fixture *f, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(
            store_audit_append(f->st, &actor, AUDIT_QUERY, "person", "1", "{\"test\":1}"), FN_OK);
}

static void test_audit_tamper_edit(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    make_chain(f, 5);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    assert_int_equal(rep.rows, 5);
    /* An append-only trigger refuses edits; an attacker drops it first. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit_log SET purpose = 'x' WHERE seq = 3", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    raw_sql(f->path, "DROP TRIGGER audit_log_no_update;"
                     "UPDATE audit_log SET purpose = 'anderer Zweck' WHERE seq = 3");
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 3);
    assert_non_null(strstr(rep.reason, "verändert"));
}

static void test_audit_tamper_delete(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    make_chain(f, 5);
    raw_sql(f->path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2");
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 2);
    assert_non_null(strstr(rep.reason, "fehlt"));
}

static void test_audit_tamper_reorder(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    make_chain(f, 4);
    /* swap the contents of rows 2 and 3 (keeping seq) */
    raw_sql(f->path,
            "DROP TRIGGER audit_log_no_update;"
            "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (2,3);"
            "UPDATE audit_log SET at=(SELECT at FROM t WHERE seq=3), hash=(SELECT hash FROM t "
            "WHERE seq=3), prev_hash=(SELECT prev_hash FROM t WHERE seq=3) WHERE seq=2;"
            "UPDATE audit_log SET at=(SELECT at FROM t WHERE seq=2), hash=(SELECT hash FROM t "
            "WHERE seq=2), prev_hash=(SELECT prev_hash FROM t WHERE seq=2) WHERE seq=3;");
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 2);
}

static void test_audit_tamper_insert(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    make_chain(f, 4);
    /* make room at seq 3 and slip in a forged row that claims to follow
     * row 2 (the attacker copies row 2's hash as prev_hash) */
    raw_sql(f->path,
            "DROP TRIGGER audit_log_no_update;"
            "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3;"
            "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100;"
            "INSERT INTO audit_log (seq, at, login, user_id, org_id, kind, entity, record_ids,"
            " purpose, recipient, details, prev_hash, hash, hash_version) SELECT 3, at,"
            " 'eindringling', 0, 0, kind, entity, record_ids, purpose, recipient, details, hash,"
            " hash, hash_version FROM audit_log WHERE seq = 2;"
            "UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5);");
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 3);
}

static void test_audit_tamper_truncate_tail(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    make_chain(f, 4);
    raw_sql(f->path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4");
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 4);
    assert_non_null(strstr(rep.reason, "Kopfzeile"));
}

#define WRITER_ROUNDS 1500

struct writer_ctx {
    const char *path;
    int done;
    int failures;
    int written;
};

/* Appends audit rows as fast as it can: direct chained writes and spooled
 * reads (chained by the drainer), from its own connection. */
static void *audit_writer(void *arg)
{
    struct writer_ctx *w = arg;
    struct store *st = NULL;
    if (store_open(w->path, 0, &st) != FN_OK) {
        __atomic_store_n(&w->failures, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    for (int i = 0; i < WRITER_ROUNDS; i++) {
        struct model_person_file *file = NULL;
        if (store_audit_append(st, &actor, AUDIT_QUERY, "person", "1", "{\"last\":1}") != FN_OK ||
            store_person_get(st, &actor, 1, &file) != FN_OK)
            __atomic_add_fetch(&w->failures, 1, __ATOMIC_RELAXED);
        model_person_file_free(file);
        __atomic_add_fetch(&w->written, 1, __ATOMIC_RELAXED);
    }
    store_close(st);
    __atomic_store_n(&w->done, 1, __ATOMIC_RELAXED);
    return NULL;
}

/* Issue 10: verify read the log and the head in separate statements, so a
 * row chained in between was reported as tampering. Verify must say OK on
 * a healthy trail under any concurrent load. */
static void test_audit_verify_under_concurrent_writes(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("CONC");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    model_person_free(p);
    struct writer_ctx w = {.path = f->path};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, audit_writer, &w), 0);
    while (__atomic_load_n(&w.written, __ATOMIC_RELAXED) < 10)
        usleep(1000);
    int false_alarms = 0, verifies = 0;
    char first_reason[256] = "";
    while (!__atomic_load_n(&w.done, __ATOMIC_RELAXED)) {
        struct store_audit_report rep;
        fn_status rc = store_audit_verify(f->st, &rep);
        verifies++;
        if (rc != FN_OK && !false_alarms++)
            snprintf(first_reason, sizeof first_reason, "%s (%s)", rep.reason, fn_status_str(rc));
    }
    pthread_join(thread, NULL);
    assert_int_equal(w.failures, 0);
    if (false_alarms)
        fail_msg("%d of %d verifications failed on a healthy trail, first: %s", false_alarms,
                 verifies, first_reason);
    assert_true(verifies >= 5); /* they did overlap with the writes */
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    assert_true(rep.rows > WRITER_ROUNDS);
}

/* Every column of audit_log takes part in the row hash (format 2): a new
 * column must be added to the hash (audit.c, enum audit_column) and here. */
static void test_audit_hash_covers_every_column(void **state)
{
    struct fixture *f = *state;
    static const char covered[] = "'seq', 'at', 'login', 'user_id', 'org_id', 'kind', 'entity',"
                                  " 'record_ids', 'purpose', 'recipient', 'details', 'prev_hash',"
                                  " 'hash', 'spool_id', 'hash_version'";
    const char *columns =
        test_db_is_pg() ? "SELECT count(*) FROM information_schema.columns"
                          " WHERE table_schema = current_schema() AND table_name = 'audit_log'"
                        : "SELECT count(*) FROM pragma_table_info('audit_log')";
    const char *name = test_db_is_pg() ? "column_name" : "name";
    char sql[512];
    snprintf(sql, sizeof sql, "%s AND %s NOT IN (%s)", columns, name, covered);
    if (!test_db_is_pg())
        snprintf(sql, sizeof sql, "%s WHERE %s NOT IN (%s)", columns, name, covered);
    if (test_db_int(f->path, sql) != 0)
        fail_msg("an audit_log column is not covered by the row hash");
    assert_int_equal(test_db_int(f->path, columns), 15);
}

/* The row hash of format 2 recomputed here, independently of chain.c, from
 * what the table holds: SHA-256 over "fallnetz-audit-2;" and every column
 * but hash as "<len>:<bytes>;" or "-;" for NULL. Guards the hashed bytes
 * against a change in how chain.c formats them (lengths, integers). */
static void test_audit_hash_v2_reference(void **state)
{
    test_db_sqlite_only("reads the audit rows through the SQLite handle");
    struct fixture *f = *state;
    const struct store_actor user = {
        .user_id = 1234567, .login = "jörg", .org_id = -5, .purpose = "Aktenbearbeitung"};
    make_chain(f, 2);
    assert_int_equal(store_audit_append(f->st, &user, AUDIT_QUERY, "person", NULL, NULL), FN_OK);
    struct model_person *p = sample_person("REF");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    model_person_free(p);
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &actor, 1, &file), FN_OK); /* spooled */
    model_person_file_free(file);
    assert_int_equal(store_audit_flush(f->st), FN_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(f->st->db,
                           "SELECT seq, at, login, user_id, org_id, kind, entity,"
                           " record_ids, purpose, recipient, details, spool_id,"
                           " hash_version, prev_hash, hash FROM audit_log ORDER BY seq",
                           -1, &s, NULL),
        SQLITE_OK);
    int rows = 0, spooled = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        crypto_hash_sha256_state h;
        crypto_hash_sha256_init(&h);
        crypto_hash_sha256_update(&h, (const unsigned char *)"fallnetz-audit-2;", 17);
        for (int i = 0; i < 14; i++) {
            if (sqlite3_column_type(s, i) == SQLITE_NULL) {
                crypto_hash_sha256_update(&h, (const unsigned char *)"-;", 2);
                continue;
            }
            const unsigned char *t = sqlite3_column_text(s, i);
            size_t n = (size_t)sqlite3_column_bytes(s, i);
            char len[32];
            int k = snprintf(len, sizeof len, "%zu:", n);
            crypto_hash_sha256_update(&h, (const unsigned char *)len, (unsigned long long)k);
            crypto_hash_sha256_update(&h, t, n);
            crypto_hash_sha256_update(&h, (const unsigned char *)";", 1);
        }
        unsigned char d[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];
        crypto_hash_sha256_final(&h, d);
        sodium_bin2hex(hex, sizeof hex, d, sizeof d);
        assert_string_equal(hex, (const char *)sqlite3_column_text(s, 14));
        spooled += sqlite3_column_type(s, 11) != SQLITE_NULL;
        rows++;
    }
    sqlite3_finalize(s);
    assert_true(rows >= 5);
    assert_int_equal(spooled, 1);
}

/* The audit timestamp: "YYYY-MM-DDTHH:MM:SS.mmmZ", UTC, now. */
static void test_audit_now_format(void **state)
{
    (void)state;
    char at[64];
    time_t before = time(NULL);
    audit_now(at);
    time_t after = time(NULL);
    assert_int_equal(strlen(at), 24);
    for (int i = 0; i < 24; i++) {
        char want = i == 4 || i == 7     ? '-'
                    : i == 10            ? 'T'
                    : i == 13 || i == 16 ? ':'
                    : i == 19            ? '.'
                    : i == 23            ? 'Z'
                                         : '0';
        if (want == '0')
            assert_true(at[i] >= '0' && at[i] <= '9');
        else
            assert_int_equal(at[i], want);
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    assert_non_null(strptime(at, "%Y-%m-%dT%H:%M:%S", &tm));
    time_t t = timegm(&tm);
    /* time() reads the coarse clock, which may still show the old second
     * when the precise clock audit_now reads has passed into the next */
    assert_true(t >= before && t <= after + 1);
}

/* Issue 10: spool_id was not hashed, so editing it went unnoticed. */
static void test_audit_tamper_spool_id(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    make_chain(f, 2);
    struct model_person_file *file = NULL;
    struct model_person *p = sample_person("SP");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    model_person_free(p);
    assert_int_equal(store_person_get(f->st, &actor, 1, &file), FN_OK); /* spooled read */
    model_person_file_free(file);
    assert_int_equal(store_audit_flush(f->st), FN_OK); /* chained as row 4 */
    make_chain(f, 2);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    assert_int_equal(count_rows(f->st, f->path, "audit_log WHERE spool_id = 'x'"), 0);
    raw_sql(f->path, "DROP TRIGGER audit_log_no_update;"
                     "UPDATE audit_log SET spool_id = 'x' WHERE spool_id IS NOT NULL");
    assert_int_equal(count_rows(f->st, f->path, "audit_log WHERE spool_id = 'x'"), 1);
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 4);
    assert_non_null(strstr(rep.reason, "Zeile 4 verändert"));
}

/* NULL and "" are different values and hash differently. */
static void test_audit_tamper_null_to_empty(void **state)
{
    test_db_sqlite_only("tampering with the file's rows (drops SQLite triggers)");
    struct fixture *f = *state;
    assert_int_equal(store_audit_append(f->st, &actor, AUDIT_QUERY, "person", NULL, NULL), FN_OK);
    make_chain(f, 1);
    raw_sql(f->path, "DROP TRIGGER audit_log_no_update;"
                     "UPDATE audit_log SET record_ids = '' WHERE seq = 1");
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 1);
}

/* Rows chained before the format change still verify with format 1; rows
 * after it are format 2; a format-2 row cannot be passed off as format 1. */
static void test_audit_format_upgrade(void **state)
{
    test_db_sqlite_only("a format-1 SQLite file");
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/v7.db", dir);
    audit_v1_database(path);
    struct store *st = NULL;
    assert_int_equal(store_open(path, 0, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    assert_int_equal(rep.rows, 13);
    assert_string_equal(rep.head_hash,
                        "b059ce8c819ef729f6503aa03a89c897b1ff6010352ca55c7185fb3c81243033");
    assert_int_equal(store_audit_append(st, &actor, AUDIT_QUERY, "person", "1", NULL), FN_OK);
    assert_int_equal(store_audit_append(st, &actor, AUDIT_QUERY, "person", "2", NULL), FN_OK);
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    assert_int_equal(rep.rows, 15);
    assert_int_equal(count_rows(st, path, "audit_log WHERE hash_version = 1"), 13);
    assert_int_equal(count_rows(st, path, "audit_log WHERE hash_version = 2"), 2);
    /* Old code (or raw SQL) cannot append format-1 rows any more. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO audit_log (seq, at, login, kind, entity,"
                                      " purpose, prev_hash, hash) VALUES (99, 'x', 'x', 'query',"
                                      " 'person', 'x', 'x', 'x')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
    /* Downgrade: row 14 claims format 1 (which does not cover spool_id). */
    raw_sql(path, "DROP TRIGGER audit_log_no_update;"
                  "UPDATE audit_log SET hash_version = 1 WHERE seq = 15");
    assert_int_equal(store_audit_verify(st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 15);
    assert_non_null(strstr(rep.reason, "zurückgestuft"));
    raw_sql(path, "UPDATE audit_log SET hash_version = 2 WHERE seq = 15;"
                  "UPDATE audit_log SET hash_version = 1 WHERE seq = 14");
    assert_int_equal(store_audit_verify(st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 14);
    /* A format-1 row edited is still caught (its fields are hashed). */
    raw_sql(path, "UPDATE audit_log SET hash_version = 2 WHERE seq = 14;"
                  "UPDATE audit_log SET login = 'jemand' WHERE seq = 5");
    assert_int_equal(store_audit_verify(st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 5);
    store_close(st);
    test_rmtree(dir);
}

static void test_import_chunks_and_conflicts(void **state)
{
    struct fixture *f = *state;
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(f->st, &actor, "test.csv", &imp), FN_OK);
    for (int i = 0; i < 2500; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "I%d", i % 2400); /* 100 duplicates */
        struct model_person *p = sample_person(rid);
        fn_status rc = store_import_person(imp, p);
        assert_true(rc == FN_OK || (rc == FN_CONFLICT && i >= 2400));
        model_person_free(p);
    }
    assert_int_equal(store_import_commit(imp), FN_OK);
    assert_int_equal(count_rows(f->st, f->path, "person"), 2400);
    assert_int_equal(count_rows(f->st, f->path, "person_alias"), 2400);
    assert_int_equal(count_rows(f->st, f->path, "audit_log"), 3); /* chunks of 1000 */
    struct collect c = {0};
    assert_int_equal(store_audit_each(f->st, &actor, 1500, NULL, collect_audit, &c), FN_OK);
    assert_int_equal(c.rows, 1);
    assert_string_equal(c.ids, "collect:1001-2000");

    /* an aborted import leaves nothing behind */
    assert_int_equal(store_import_begin(f->st, &actor, "b.csv", &imp), FN_OK);
    struct model_person *p = sample_person("ABORT");
    assert_int_equal(store_import_person(imp, p), FN_OK);
    model_person_free(p);
    store_import_abort(imp);
    int64_t id = 0;
    assert_int_equal(store_person_find(f->st, &actor, "ABORT", &id), FN_NOTFOUND);
}

/* Allocation failures at every step: each either succeeds or fails with
 * FN_NOMEM and leaves no partial person behind (ASan checks for leaks). */
static void test_alloc_failures(void **state)
{
    struct fixture *f = *state;
    int succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n++) {
        struct model_person *p = sample_person("OOM");
        fn_alloc_fail_after(n, 0);
        fn_status rc = store_person_insert(f->st, &actor, p);
        struct model_person_file *file = NULL;
        if (rc == FN_OK)
            rc = store_person_get(f->st, &actor, p->id, &file);
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            succeeded = 1;
            assert_string_equal(file->person->record_id, "OOM");
        } else {
            assert_true(rc == FN_NOMEM || rc == FN_DB);
            assert_null(file);
            if (p->id) {
                /* insert succeeded, get failed: remove for the next round */
                assert_int_equal(store_person_delete(f->st, &actor, p->id, "test"), FN_OK);
            }
        }
        model_person_file_free(file);
        model_person_free(p);
    }
    assert_true(succeeded);
    assert_int_equal(count_rows(f->st, f->path, "person"), 1);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

/* A database created by schema version 1 (with audit rows) is upgraded in
 * place and its chain still verifies. */
static void test_migrate_from_v1(void **state)
{
    test_db_sqlite_only("a version-1 SQLite file");
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/v1.db", dir);
    raw_sql(path, store_schema_sql(1));
    raw_sql(path, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                  " applied_at TEXT NOT NULL) STRICT; INSERT INTO schema_version VALUES (1, 'x');"
                  "INSERT INTO person (record_id, family_name) VALUES ('V1', 'Alt')");
    struct store *st = NULL;
    assert_int_equal(store_open(path, 0, &st), FN_OK);
    int v = 0;
    assert_int_equal(store_schema_version(st, &v), FN_OK);
    assert_int_equal(v, 1);
    assert_int_equal(store_migrate(st), FN_OK);
    assert_int_equal(store_audit_append(st, &actor, AUDIT_QUERY, "person", "1", NULL), FN_OK);
    int64_t id = 0;
    assert_int_equal(store_person_find(st, &actor, "V1", &id), FN_OK);
    assert_int_equal(store_schema_version(st, &v), FN_OK);
    assert_int_equal(v, STORE_SCHEMA_VERSION);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    assert_int_equal(rep.rows, 2);
    store_close(st);
    test_rmtree(dir);
}

struct last_row {
    char kind[16];
    char details[512];
    int rows;
};

static fn_status keep_last(void *ctx, const struct store_audit_row *row)
{
    struct last_row *l = ctx;
    l->rows++;
    /* reads are chained from the spool a little later than writes: look at
     * the writes only */
    if (strcmp(row->entity, "person") == 0 && strcmp(row->kind, "query") != 0) {
        snprintf(l->kind, sizeof l->kind, "%s", row->kind);
        snprintf(l->details, sizeof l->details, "%s", row->details);
    }
    return FN_OK;
}

static void test_update_and_delete(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("U1");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);

    /* person update: only the changed fields are named */
    fn_free(p->family_name);
    p->family_name = fn_strdup("Al-Hasan");
    p->residence = RES_OBLIGED_TO_LEAVE;
    fn_free(p->aliases[0].given_names);
    p->aliases[0].given_names = fn_strdup("Muhammad");
    assert_int_equal(store_person_update(f->st, &actor, p), FN_OK);
    struct last_row l = {0};
    assert_int_equal(store_audit_each(f->st, &actor, p->id, NULL, keep_last, &l), FN_OK);
    assert_string_equal(l.kind, "change");
    assert_string_equal(l.details, "{\"felder\":[\"family_name\",\"residence\",\"aliases\"]}");
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &actor, p->id, &file), FN_OK);
    assert_string_equal(file->person->family_name, "Al-Hasan");
    assert_int_equal(file->person->residence, RES_OBLIGED_TO_LEAVE);
    assert_int_equal(file->person->n_aliases, 1);
    assert_string_equal(file->person->aliases[0].given_names, "Muhammad");
    assert_int_equal(file->person->n_documents, 1);
    model_person_file_free(file);

    /* unknown id, and a record_id taken by someone else */
    struct model_person *q = sample_person("U2");
    assert_int_equal(store_person_insert(f->st, &actor, q), FN_OK);
    int64_t qid = q->id;
    q->id = 999;
    assert_int_equal(store_person_update(f->st, &actor, q), FN_NOTFOUND);
    q->id = qid;
    fn_free(q->record_id);
    q->record_id = fn_strdup("U1");
    assert_int_equal(store_person_update(f->st, &actor, q), FN_CONFLICT);

    /* fact update and delete */
    struct model_proceeding pr = {
        .person_id = p->id, .kind = PROC_CHARGE, .offences = "StGB § 223"};
    assert_int_equal(store_proceeding_insert(f->st, &actor, &pr), FN_OK);
    pr.kind = PROC_CONVICTION;
    pr.sentence = SENT_PRISON;
    pr.sentence_months = 14;
    pr.consent = CONSENT_GRANTED;
    assert_int_equal(store_proceeding_update(f->st, &actor, &pr), FN_OK);
    assert_int_equal(store_person_get(f->st, &actor, p->id, &file), FN_OK);
    assert_int_equal(file->n_proceedings, 1);
    assert_int_equal(file->proceedings[0].kind, PROC_CONVICTION);
    assert_int_equal(file->proceedings[0].sentence_months, 14);
    assert_int_equal(file->proceedings[0].consent, CONSENT_GRANTED);
    model_person_file_free(file);
    struct model_proceeding ghost = pr;
    ghost.id = 4242;
    assert_int_equal(store_proceeding_update(f->st, &actor, &ghost), FN_NOTFOUND);
    struct model_obstacle_entry ob = {.person_id = 4242, .kind = OBST_BAN_60_5};
    assert_int_equal(store_obstacle_insert(f->st, &actor, &ob), FN_NOTFOUND);
    assert_int_equal(store_fact_delete(f->st, &actor, STORE_FACT_PROCEEDING, pr.id, "Tilgung"),
                     FN_OK);
    assert_int_equal(store_fact_delete(f->st, &actor, STORE_FACT_PROCEEDING, pr.id, "x"),
                     FN_NOTFOUND);
    assert_int_equal(count_rows(f->st, f->path, "proceeding"), 0);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_audit_each(f->st, &actor, p->id, NULL, keep_last, &l), FN_OK);
    assert_string_equal(l.kind, "delete");
    assert_non_null(strstr(l.details, "\"grund\":\"Tilgung\""));
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    model_person_free(p);
    model_person_free(q);
}

static void test_case_file(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("C1");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    struct model_case c = {.person_id = p->id, .status = CASE_NEW, .tags = "aMIT"};
    assert_int_equal(store_case_insert(f->st, &actor, &c), FN_OK);
    struct model_conference conf = {.case_id = c.id, .participants = "ABH Köln; StA Köln"};
    assert_int_equal(store_conference_insert(f->st, &actor, &conf), FN_OK);
    struct model_task t1 = {.case_id = c.id, .title = "Passersatz beantragen"};
    struct model_task t2 = {.case_id = c.id, .title = "Einvernehmen StA einholen"};
    assert_int_equal(fn_pdate_parse("2026-12-01", 10, &t2.deadline), FN_OK);
    assert_int_equal(store_task_insert(f->st, &actor, &t1), FN_OK);
    assert_int_equal(store_task_insert(f->st, &actor, &t2), FN_OK);
    struct model_task untitled = {.case_id = c.id, .title = ""};
    assert_int_equal(store_task_insert(f->st, &actor, &untitled), FN_INVALID);
    struct model_doc_meta d = {.case_id = c.id,
                               .title = "Urteil",
                               .media_type = "application/pdf",
                               .size = 1234,
                               .sha256 = "ab12"};
    assert_int_equal(store_doc_meta_insert(f->st, &actor, &d), FN_OK);
    c.status = CASE_CONFERENCE;
    assert_int_equal(store_case_update(f->st, &actor, &c), FN_OK);
    t1.status = TASK_DONE;
    assert_int_equal(store_task_update(f->st, &actor, &t1), FN_OK);

    struct model_case_file *cf = NULL;
    assert_int_equal(store_case_get(f->st, &actor, c.id, &cf), FN_OK);
    assert_int_equal(cf->kase.person_id, p->id);
    assert_int_equal(cf->kase.status, CASE_CONFERENCE);
    assert_string_equal(cf->kase.tags, "aMIT");
    assert_int_equal(cf->n_conferences, 1);
    assert_string_equal(cf->conferences[0].participants, "ABH Köln; StA Köln");
    assert_int_equal(cf->n_tasks, 2);
    assert_int_equal(cf->n_documents, 1);
    assert_int_equal(cf->documents[0].size, 1234);
    int done = 0;
    for (size_t i = 0; i < cf->n_tasks; i++)
        done += cf->tasks[i].status == TASK_DONE;
    assert_int_equal(done, 1);
    model_case_file_free(cf);
    assert_int_equal(store_case_get(f->st, &actor, 777, &cf), FN_NOTFOUND);
    assert_null(cf);

    /* every step is in the person's trail: 1 person + 5 inserts + 2 updates
     * + 1 case read (the failed reads wrote nothing) */
    struct collect col = {0};
    assert_int_equal(store_audit_each(f->st, &actor, p->id, NULL, collect_audit, &col), FN_OK);
    assert_int_equal(col.rows, 9);
    assert_string_equal(col.ids, "query:1");

    /* deleting the case takes its conferences, tasks and documents along */
    assert_int_equal(store_fact_delete(f->st, &actor, STORE_FACT_CASE, c.id, "abgeschlossen"),
                     FN_OK);
    assert_int_equal(count_rows(f->st, f->path, "task"), 0);
    assert_int_equal(count_rows(f->st, f->path, "document"), 0);
    model_person_free(p);
}

static void test_audit_prune(void **state)
{
    struct fixture *f = *state;
    audit_test_clock("2023-05-01T10:00:00.000Z");
    make_chain(f, 3);
    audit_test_clock("2024-06-01T10:00:00.000Z");
    make_chain(f, 2);
    audit_test_clock(NULL);
    make_chain(f, 1);
    int64_t removed = -1;
    /* this year and last year are not due yet */
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    assert_int_equal(store_audit_prune(f->st, &actor, tm.tm_year + 1900, &removed), FN_INVALID);
    assert_int_equal(store_audit_prune(f->st, &actor, 2024, &removed), FN_OK);
    assert_int_equal(removed, 3);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    assert_int_equal(rep.rows, 4); /* 2 + 1 + the prune row */
    /* pruning again to the same year finds nothing more */
    assert_int_equal(store_audit_prune(f->st, &actor, 2024, &removed), FN_OK);
    assert_int_equal(removed, 0);
    /* the triggers still refuse deleting rows after the checkpoint */
    assert_false(test_db_try(f->path, "DELETE FROM audit_log WHERE seq = 4"));
    /* ... and moving the checkpoint backwards or onto a made-up hash */
    assert_false(test_db_try(f->path, "UPDATE audit_checkpoint SET seq = 1"));
    assert_false(test_db_try(f->path, "UPDATE audit_checkpoint SET seq = 5, hash = 'x'"));
    /* moving it forward onto a real row and deleting up to it is allowed by
     * the triggers, but no prune row covers it: verify names it */
    assert_true(test_db_try(f->path,
                            "UPDATE audit_checkpoint SET seq = 4, hash = (SELECT hash FROM"
                            " audit_log WHERE seq = 4); DELETE FROM audit_log WHERE seq = 4"));
    assert_int_equal(store_audit_verify(f->st, &rep), FN_CORRUPT);
    assert_int_equal(rep.bad_seq, 5);
    assert_non_null(strstr(rep.reason, "Prüfpunkt"));
}

/* Allocation failures in update and case read: FN_NOMEM, nothing changed. */
static void test_alloc_failures_update(void **state)
{
    struct fixture *f = *state;
    struct model_person *p = sample_person("OOM2");
    assert_int_equal(store_person_insert(f->st, &actor, p), FN_OK);
    struct model_case c = {.person_id = p->id, .status = CASE_NEW};
    assert_int_equal(store_case_insert(f->st, &actor, &c), FN_OK);
    struct model_task t = {.case_id = c.id, .title = "Termin"};
    assert_int_equal(store_task_insert(f->st, &actor, &t), FN_OK);
    fn_free(p->family_name);
    p->family_name = fn_strdup("Neu");
    int succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n++) {
        fn_alloc_fail_after(n, 0);
        fn_status rc = store_person_update(f->st, &actor, p);
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            succeeded = 1;
            break;
        }
        assert_true(rc == FN_NOMEM || rc == FN_DB);
        struct model_person_file *file = NULL;
        assert_int_equal(store_person_get(f->st, &actor, p->id, &file), FN_OK);
        assert_string_equal(file->person->family_name, "Al-Hassan"); /* unchanged */
        assert_int_equal(file->person->n_aliases, 1);
        model_person_file_free(file);
    }
    assert_true(succeeded);
    succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n++) {
        struct model_case_file *cf = NULL;
        fn_alloc_fail_after(n, 0);
        fn_status rc = store_case_get(f->st, &actor, c.id, &cf);
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            succeeded = 1;
            assert_int_equal(cf->n_tasks, 1);
        } else {
            assert_true(rc == FN_NOMEM || rc == FN_DB);
            assert_null(cf);
        }
        model_case_file_free(cf);
    }
    assert_true(succeeded);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
    model_person_free(p);
}

/* Reads are spooled before they return; a process that dies before the
 * spool is chained loses nothing: the next process chains its file. A spool
 * chained twice adds its rows once. */
static void test_spool_recovery(void **state)
{
    test_db_sqlite_only("spool files of a SQLite file");
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sp.db", dir);
    struct store *st = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    struct model_person *p = sample_person("S1");
    assert_int_equal(store_person_insert(st, &actor, p), FN_OK);
    model_person_free(p);
    store_close(st);

    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        /* read three times, then die without closing (no drain) */
        struct store *cs = NULL;
        audit_test_pause_drainer(1);
        if (store_open(path, 0, &cs) != FN_OK)
            _exit(2);
        for (int i = 0; i < 3; i++) {
            struct model_person_file *f = NULL;
            if (store_person_get(cs, &actor, 1, &f) != FN_OK)
                _exit(3);
            model_person_file_free(f);
        }
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the child's spool is there; copy it to simulate a second, already
     * chained copy (crash between commit and unlink) */
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "cd %s && f=$(ls sp.db-auditspool-%d-* | head -1) && test -s \"$f\" &&"
             " cp \"$f\" sp.db-auditspool-999999-0-0",
             dir, (int)child);
    assert_int_equal(system(cmd), 0);

    assert_int_equal(store_open(path, 0, &st), FN_OK); /* recovery happens here */
    struct collect c = {0};
    assert_int_equal(store_audit_each(st, &actor, 1, NULL, collect_audit, &c), FN_OK);
    assert_int_equal(c.rows, 4); /* collect + the child's three reads, once each */
    assert_string_equal(c.ids, "query:1");
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    store_close(st);
    snprintf(cmd, sizeof cmd, "ls %s | grep -c auditspool", dir);
    FILE *ls = popen(cmd, "r");
    char out[16] = "";
    assert_non_null(fgets(out, sizeof out, ls));
    pclose(ls);
    assert_string_equal(out, "0\n"); /* every spool file chained and removed */
    test_rmtree(dir);
}

/* ---- I/O error injection through a VFS shim ---- */

static sqlite3_vfs *base_vfs;
static sqlite3_vfs fault_vfs;
static int fail_writes_after = -1; /* -1: never */
static sqlite3_io_methods fault_methods;
static const sqlite3_io_methods *base_methods;

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real;
};

static int fault_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    struct fault_file *ff = (struct fault_file *)f;
    if (fail_writes_after == 0)
        return SQLITE_IOERR_WRITE;
    if (fail_writes_after > 0)
        fail_writes_after--;
    return ff->real->pMethods->xWrite(ff->real, buf, amt, off);
}

#define FORWARD(name, sig, args)                                                                   \
    static int fault_##name sig                                                                    \
    {                                                                                              \
        struct fault_file *ff = (struct fault_file *)f;                                            \
        return ff->real->pMethods->x##name args;                                                   \
    }
FORWARD(Read, (sqlite3_file * f, void *b, int n, sqlite3_int64 o), (ff->real, b, n, o))
FORWARD(Truncate, (sqlite3_file * f, sqlite3_int64 s), (ff->real, s))
FORWARD(Sync, (sqlite3_file * f, int fl), (ff->real, fl))
FORWARD(FileSize, (sqlite3_file * f, sqlite3_int64 *s), (ff->real, s))
FORWARD(Lock, (sqlite3_file * f, int l), (ff->real, l))
FORWARD(Unlock, (sqlite3_file * f, int l), (ff->real, l))
FORWARD(CheckReservedLock, (sqlite3_file * f, int *o), (ff->real, o))
FORWARD(FileControl, (sqlite3_file * f, int op, void *a), (ff->real, op, a))
FORWARD(SectorSize, (sqlite3_file * f), (ff->real))
FORWARD(DeviceCharacteristics, (sqlite3_file * f), (ff->real))
FORWARD(ShmMap, (sqlite3_file * f, int p, int s, int e, void volatile **pp),
        (ff->real, p, s, e, pp))
FORWARD(ShmLock, (sqlite3_file * f, int o, int n, int fl), (ff->real, o, n, fl))
FORWARD(ShmUnmap, (sqlite3_file * f, int d), (ff->real, d))

static void fault_ShmBarrier(sqlite3_file *f)
{
    struct fault_file *ff = (struct fault_file *)f;
    ff->real->pMethods->xShmBarrier(ff->real);
}

static int fault_close(sqlite3_file *f)
{
    struct fault_file *ff = (struct fault_file *)f;
    int rc = ff->real->pMethods->xClose(ff->real);
    sqlite3_free(ff->real);
    return rc;
}

static int fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct fault_file *ff = (struct fault_file *)f;
    ff->real = sqlite3_malloc(base_vfs->szOsFile);
    if (!ff->real)
        return SQLITE_NOMEM;
    memset(ff->real, 0, (size_t)base_vfs->szOsFile);
    int rc = base_vfs->xOpen(base_vfs, name, ff->real, flags, out);
    if (rc != SQLITE_OK) {
        sqlite3_free(ff->real);
        ff->base.pMethods = NULL;
        return rc;
    }
    base_methods = ff->real->pMethods;
    fault_methods = *base_methods;
    fault_methods.xClose = fault_close;
    fault_methods.xRead = fault_Read;
    fault_methods.xWrite = fault_write;
    fault_methods.xTruncate = fault_Truncate;
    fault_methods.xSync = fault_Sync;
    fault_methods.xFileSize = fault_FileSize;
    fault_methods.xLock = fault_Lock;
    fault_methods.xUnlock = fault_Unlock;
    fault_methods.xCheckReservedLock = fault_CheckReservedLock;
    fault_methods.xFileControl = fault_FileControl;
    fault_methods.xSectorSize = fault_SectorSize;
    fault_methods.xDeviceCharacteristics = fault_DeviceCharacteristics;
    fault_methods.xShmMap = fault_ShmMap;
    fault_methods.xShmLock = fault_ShmLock;
    fault_methods.xShmBarrier = fault_ShmBarrier;
    fault_methods.xShmUnmap = fault_ShmUnmap;
    fault_methods.iVersion = 2;
    ff->base.pMethods = &fault_methods;
    return SQLITE_OK;
}

static void install_fault_vfs(void)
{
    base_vfs = sqlite3_vfs_find(NULL);
    fault_vfs = *base_vfs;
    fault_vfs.zName = "fault";
    fault_vfs.szOsFile = (int)sizeof(struct fault_file);
    fault_vfs.xOpen = fault_open;
    assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

static void test_io_errors_leave_db_consistent(void **state)
{
    test_db_sqlite_only("I/O faults through the SQLite VFS");
    (void)state;
    install_fault_vfs();
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/io.db", dir);
    struct store *st = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    int failures = 0;
    for (int n = 0; n < 40; n++) {
        struct model_person *p = sample_person("IO");
        fail_writes_after = n;
        fn_status rc = store_person_insert(st, &actor, p);
        fail_writes_after = -1;
        model_person_free(p);
        if (rc == FN_OK)
            break;
        failures++;
        assert_true(rc == FN_IO || rc == FN_DB);
        int64_t id = 0;
        assert_int_equal(store_person_find(st, &actor, "IO", &id), FN_NOTFOUND);
    }
    /* the failed commits did not break the chain or leave half a person */
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    int64_t n = 0;
    assert_int_equal(store_person_count(st, &n), FN_OK);
    assert_int_equal(n, 1);
    store_close(st);
    sqlite3_vfs_unregister(&fault_vfs);
    sqlite3_vfs_register(base_vfs, 1);
    test_rmtree(dir);
    assert_true(failures > 0); /* the shim really failed writes */
}

/* A bulk import whose commit hits an I/O error leaves nothing behind (all
 * or nothing) and the chain intact; the same import then succeeds. */
static void test_io_errors_import_all_or_nothing(void **state)
{
    test_db_sqlite_only("I/O faults through the SQLite VFS");
    (void)state;
    install_fault_vfs();
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/imp.db", dir);
    struct store *st = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    const int fail_at[] = {0, 2, 10, 40, 150, -1};
    int failures = 0;
    for (size_t k = 0; k < sizeof fail_at / sizeof fail_at[0]; k++) {
        struct store_import *imp = NULL;
        fail_writes_after = fail_at[k];
        fn_status rc = store_import_begin(st, &actor, "io.csv", &imp);
        for (int i = 0; !rc && i < 3000; i++) {
            char rid[24];
            snprintf(rid, sizeof rid, "IO-%d", i);
            struct model_person *p = sample_person(rid);
            rc = store_import_person(imp, p);
            model_person_free(p);
        }
        if (!rc) {
            rc = store_import_commit(imp);
            imp = NULL;
        }
        store_import_abort(imp);
        fail_writes_after = -1;
        int64_t n = -1;
        assert_int_equal(store_person_count(st, &n), FN_OK);
        if (rc == FN_OK) {
            assert_int_equal(n, 3000);
            break;
        }
        failures++;
        assert_true(rc == FN_IO || rc == FN_DB);
        assert_int_equal(n, 0);
        struct store_audit_report rep;
        assert_int_equal(store_audit_verify(st, &rep), FN_OK);
        assert_int_equal(rep.rows, 0);
    }
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st, &rep), FN_OK);
    assert_int_equal(rep.rows, 3); /* one collect row per 1,000 persons */
    store_close(st);
    sqlite3_vfs_unregister(&fault_vfs);
    sqlite3_vfs_register(base_vfs, 1);
    test_rmtree(dir);
    assert_true(failures >= 3);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_roundtrip_and_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actor_without_purpose_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_record_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_logs_disclosed_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_tamper_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_tamper_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_tamper_reorder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_tamper_insert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_tamper_truncate_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_verify_under_concurrent_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_hash_covers_every_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_hash_v2_reference, setup, teardown),
        cmocka_unit_test(test_audit_now_format),
        cmocka_unit_test_setup_teardown(test_audit_tamper_spool_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_tamper_null_to_empty, setup, teardown),
        cmocka_unit_test(test_audit_format_upgrade),
        cmocka_unit_test_setup_teardown(test_import_chunks_and_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
        cmocka_unit_test(test_migrate_from_v1),
        cmocka_unit_test(test_spool_recovery),
        cmocka_unit_test_setup_teardown(test_update_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures_update, setup, teardown),
        cmocka_unit_test(test_io_errors_leave_db_consistent),
        cmocka_unit_test(test_io_errors_import_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
