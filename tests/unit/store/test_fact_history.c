/*
 * Unit tests for facts that officials record (issue 13, schema 13):
 * source and recorder on the row, corrections that supersede instead of
 * overwriting, withdrawals that keep the row, reads of the current rows
 * only, the re-assessment queue on every change, scope (sachbearbeitung of
 * the responsible authority only) and the audit rows. Runs on SQLite and
 * PostgreSQL (test_db.h).
 */
#include "test_db.h"

#include "auth/role.h"
#include "core/alloc.h"
#include "ingest/fact_input.h"
#include "store/backend.h"
#include "store/store.h"

static const struct store_actor sys = {.login = "tester", .system = 1, .purpose = "Unit-Test"};

struct fixture {
    struct test_db db;
    struct store *st;
    int64_t person, org, other_org, region;
    struct store_actor own, other, koord;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_db_fresh(&f->db);
    assert_int_equal(store_open(f->db.path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    struct model_region r = {.code = "MS", .name = "Münster"};
    assert_int_equal(store_region_insert(f->st, &r), FN_OK);
    struct model_org a = {.kind = ORG_ABH, .code = "ABH-1", .name = "ABH Eins", .region_id = r.id};
    struct model_org b = {.kind = ORG_ABH, .code = "ABH-2", .name = "ABH Zwei", .region_id = r.id};
    assert_int_equal(store_org_insert(f->st, &a), FN_OK);
    assert_int_equal(store_org_insert(f->st, &b), FN_OK);
    f->org = a.id;
    f->other_org = b.id;
    f->region = r.id;
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup("F-1");
    p->family_name = fn_strdup("Fakt");
    p->authority_id = a.id;
    assert_int_equal(store_person_insert(f->st, &sys, p), FN_OK);
    f->person = p->id;
    model_person_free(p);
    struct store_actor base = {.user_id = 1, .purpose = "Sachbearbeitung"};
    f->own = base;
    f->own.login = "sb1";
    f->own.org_id = a.id;
    f->own.roles = AUTH_ROLE_SACHBEARBEITUNG;
    f->other = f->own;
    f->other.login = "sb2";
    f->other.org_id = b.id;
    f->koord = f->own;
    f->koord.login = "rrk";
    f->koord.roles = AUTH_ROLE_KOORDINATION;
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

static const struct store_fact_source doc = {.kind = STORE_SOURCE_DOCUMENT,
                                             .reference = "Urteil AG Münster 12 Ls 34/25"};

/* A conviction of months, parsed as the API and CLI parse it. */
static void conviction(struct fact_input *in, int64_t person, const char *months)
{
    struct fact_input_error err;
    fact_input_init(in, FACT_IN_CONVICTION, person);
    const char *kv[][2] = {{"court", "AG Münster"},
                           {"file_number", "12 Ls 34/25"},
                           {"offences", "§ 224 Abs. 1 Nr. 2 StGB; § 29a BtMG"},
                           {"sentence", "freiheitsstrafe"},
                           {"sentence_months", months},
                           {"intentional", "ja"},
                           {"final_date", "2025-03-01"},
                           {"source_kind", "dokument"},
                           {"source_ref", "Urteil"}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (fact_input_set(in, kv[i][0], kv[i][1], 20600, &err) != FN_OK)
            fail_msg("%s: %s", kv[i][0], err.message);
    if (fact_input_finish(in, &err) != FN_OK)
        fail_msg("%s", err.message);
}

struct history {
    int rows, current;
    char superseded_by[24], retired_reason[64], recorded_by[24], source[24], court[64];
    char offences[128];
};

static const char *col(const struct store_table_row *row, const char *name)
{
    for (size_t i = 0; i < row->n; i++)
        if (strcmp(row->names[i], name) == 0)
            return row->values[i];
    fail_msg("no column %s", name);
    return NULL;
}

static fn_status collect(void *ctx, enum store_fact_kind kind, const struct store_table_row *row)
{
    struct history *h = ctx;
    if (kind != STORE_FACT_PROCEEDING)
        return FN_OK;
    h->rows++;
    if (!col(row, "retired_at")) {
        h->current++;
        snprintf(h->court, sizeof h->court, "%s", col(row, "court") ? col(row, "court") : "");
        snprintf(h->offences, sizeof h->offences, "%s", col(row, "offences"));
    } else {
        snprintf(h->superseded_by, sizeof h->superseded_by, "%s",
                 col(row, "superseded_by") ? col(row, "superseded_by") : "");
        snprintf(h->retired_reason, sizeof h->retired_reason, "%s", col(row, "retire_reason"));
    }
    snprintf(h->recorded_by, sizeof h->recorded_by, "%s", col(row, "recorded_by"));
    snprintf(h->source, sizeof h->source, "%s", col(row, "source_kind"));
    return FN_OK;
}

static size_t due(struct store *st)
{
    int64_t ids[8];
    size_t n = 0;
    assert_int_equal(store_assessment_due_take(st, ids, 8, &n), FN_OK);
    return n;
}

static size_t current_proceedings(struct fixture *f)
{
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &f->own, f->person, &file), FN_OK);
    size_t n = file->n_proceedings;
    if (n)
        assert_int_equal(file->proceedings[0].sentence_months,
                         file->proceedings[n - 1].sentence_months);
    model_person_file_free(file);
    return n;
}

/* Record, correct, withdraw: each keeps the earlier row, reads see only
 * the current one, each queues the person and writes an audit row. */
static void test_record_correct_withdraw(void **state)
{
    struct fixture *f = *state;
    (void)due(f->st);
    struct fact_input in;
    conviction(&in, f->person, "36");
    struct store_fact_source src = fact_input_source(&in);
    int64_t id = 0, id2 = 0;
    assert_int_equal(store_fact_record(f->st, &f->own, fact_input_store_kind(&in),
                                       fact_input_fact(&in), &src, &id),
                     FN_OK);
    fact_input_clear(&in);
    assert_true(id > 0);
    assert_int_equal(due(f->st), 1);
    assert_int_equal(current_proceedings(f), 1);

    /* correction: 36 -> 30 months; the old row stays, superseded */
    conviction(&in, f->person, "30");
    assert_int_equal(store_fact_correct(f->st, &f->own, STORE_FACT_PROCEEDING, id,
                                        fact_input_fact(&in), &doc, "Strafmaß falsch übertragen",
                                        &id2),
                     FN_OK);
    assert_true(id2 > id);
    assert_int_equal(due(f->st), 1); /* superseding queues the person too */
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &f->own, f->person, &file), FN_OK);
    assert_int_equal(file->n_proceedings, 1);
    assert_int_equal(file->proceedings[0].id, id2);
    assert_int_equal(file->proceedings[0].sentence_months, 30);
    assert_string_equal(file->proceedings[0].offences, "StGB § 224 Abs. 1 Nr. 2; BtMG § 29a");
    model_person_file_free(file);

    /* a second correction of the superseded row: stale, nothing written */
    int64_t id3 = 0;
    assert_int_equal(store_fact_correct(f->st, &f->own, STORE_FACT_PROCEEDING, id,
                                        fact_input_fact(&in), &doc, "nochmal", &id3),
                     FN_STALE);
    assert_int_equal(id3, 0);
    fact_input_clear(&in);

    struct history h = {0};
    assert_int_equal(store_fact_history(f->st, &f->own, f->person, collect, &h), FN_OK);
    assert_int_equal(h.rows, 2);
    assert_int_equal(h.current, 1);
    char want[24];
    snprintf(want, sizeof want, "%lld", (long long)id2);
    assert_string_equal(h.superseded_by, want);
    assert_string_equal(h.retired_reason, "Strafmaß falsch übertragen");
    assert_string_equal(h.recorded_by, "sb1");
    assert_string_equal(h.source, "dokument");
    assert_string_equal(h.court, "AG Münster");

    /* withdrawal: kept, no longer current, twice is stale */
    assert_int_equal(
        store_fact_withdraw(f->st, &f->own, STORE_FACT_PROCEEDING, id2, "Person verwechselt"),
        FN_OK);
    assert_int_equal(due(f->st), 1);
    assert_int_equal(current_proceedings(f), 0);
    assert_int_equal(store_fact_withdraw(f->st, &f->own, STORE_FACT_PROCEEDING, id2, "x"),
                     FN_STALE);
    memset(&h, 0, sizeof h);
    assert_int_equal(store_fact_history(f->st, &f->own, f->person, collect, &h), FN_OK);
    assert_int_equal(h.rows, 2);
    assert_int_equal(h.current, 0);

    /* the database itself refuses changing a retired row */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE proceeding SET sentence_months = 1 WHERE id = %lld",
             (long long)id);
    assert_false(test_db_try(f->db.path, sql));
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

struct audit_seen {
    int collect, change, withdraw;
};

static fn_status count_audit(void *ctx, const struct store_audit_row *row)
{
    struct audit_seen *s = ctx;
    if (!row->details || !strstr(row->details, "\"fakt\":\"strafverfahren\""))
        return FN_OK;
    if (strcmp(row->kind, "collect") == 0 && strstr(row->details, "\"quelle\":\"dokument\""))
        s->collect++;
    if (strcmp(row->kind, "change") == 0 && strstr(row->details, "\"ersetzt\":"))
        s->change++;
    if (strcmp(row->kind, "change") == 0 && strstr(row->details, "zurueckgezogen"))
        s->withdraw++;
    return FN_OK;
}

/* Each step names itself in the audit trail under the person. */
static void test_audit_rows(void **state)
{
    struct fixture *f = *state;
    struct fact_input in;
    conviction(&in, f->person, "12");
    int64_t id = 0, id2 = 0;
    assert_int_equal(
        store_fact_record(f->st, &f->own, STORE_FACT_PROCEEDING, fact_input_fact(&in), &doc, &id),
        FN_OK);
    assert_int_equal(store_fact_correct(f->st, &f->own, STORE_FACT_PROCEEDING, id,
                                        fact_input_fact(&in), &doc, "Tippfehler", &id2),
                     FN_OK);
    assert_int_equal(store_fact_withdraw(f->st, &f->own, STORE_FACT_PROCEEDING, id2, "Irrtum"),
                     FN_OK);
    fact_input_clear(&in);
    struct audit_seen s = {0};
    assert_int_equal(store_audit_each(f->st, &sys, f->person, NULL, count_audit, &s), FN_OK);
    assert_int_equal(s.collect, 1);
    assert_int_equal(s.change, 1);
    assert_int_equal(s.withdraw, 1);
}

/* Need-to-know: another authority's sachbearbeitung sees "not found",
 * koordination may read the history but not record; refused calls write
 * nothing. Missing source or reason is invalid. */
static void test_scope_and_checks(void **state)
{
    struct fixture *f = *state;
    struct fact_input in;
    conviction(&in, f->person, "12");
    int64_t id = 0;
    assert_int_equal(
        store_fact_record(f->st, &f->other, STORE_FACT_PROCEEDING, fact_input_fact(&in), &doc, &id),
        FN_NOTFOUND);
    assert_int_equal(
        store_fact_record(f->st, &f->koord, STORE_FACT_PROCEEDING, fact_input_fact(&in), &doc, &id),
        FN_DENIED);
    struct store_fact_source none = {.kind = "geruecht", .reference = "x"};
    assert_int_equal(
        store_fact_record(f->st, &f->own, STORE_FACT_PROCEEDING, fact_input_fact(&in), &none, &id),
        FN_INVALID);
    assert_int_equal(
        store_fact_record(f->st, &f->own, STORE_FACT_CASE, fact_input_fact(&in), &doc, &id),
        FN_INVALID);
    assert_int_equal(id, 0);
    assert_int_equal(
        store_fact_record(f->st, &f->own, STORE_FACT_PROCEEDING, fact_input_fact(&in), &doc, &id),
        FN_OK);
    assert_int_equal(store_fact_withdraw(f->st, &f->own, STORE_FACT_PROCEEDING, id, ""),
                     FN_INVALID);
    assert_int_equal(store_fact_withdraw(f->st, &f->other, STORE_FACT_PROCEEDING, id, "x"),
                     FN_NOTFOUND);
    struct history h = {0};
    assert_int_equal(store_fact_history(f->st, &f->other, f->person, collect, &h), FN_NOTFOUND);
    assert_int_equal(store_fact_history(f->st, &f->koord, f->person, collect, &h), FN_OK);
    assert_int_equal(h.current, 1);
    fact_input_clear(&in);
}

/* One identity document through fact_input, as the API parses it. */
static void identity_document(struct fact_input *in, int64_t person, const char *valid_until)
{
    struct fact_input_error err;
    fact_input_init(in, FACT_IN_DOCUMENT, person);
    const char *kv[][2] = {{"document", "reisepass"},
                           {"number", "P1234567"},
                           {"issuing_state", "SYR"},
                           {"valid_until", valid_until},
                           {"verified", "ja"},
                           {"source_kind", "dokument"},
                           {"source_ref", "Vorlage im Original am 2026-11-02"}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (fact_input_set(in, kv[i][0], kv[i][1], 20600, &err) != FN_OK)
            fail_msg("%s: %s", kv[i][0], err.message);
    if (fact_input_finish(in, &err) != FN_OK)
        fail_msg("%s", err.message);
}

struct doc_history {
    int rows, current, from_register;
    char valid_until[16], recorded_by[24];
};

static fn_status collect_docs(void *ctx, enum store_fact_kind kind,
                              const struct store_table_row *row)
{
    struct doc_history *h = ctx;
    if (kind != STORE_FACT_TRAVEL_DOC)
        return FN_OK;
    h->rows++;
    if (!col(row, "recorded_by"))
        h->from_register++;
    if (!col(row, "retired_at") && col(row, "recorded_by")) {
        h->current++;
        snprintf(h->valid_until, sizeof h->valid_until, "%s", col(row, "valid_until"));
        snprintf(h->recorded_by, sizeof h->recorded_by, "%s", col(row, "recorded_by"));
    }
    return FN_OK;
}

/* The numbers of the current documents in the file, joined by ",". */
static void file_documents(struct fixture *f, int64_t person, char *out, size_t cap)
{
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &f->own, person, &file), FN_OK);
    out[0] = '\0';
    for (size_t i = 0; i < file->person->n_documents; i++) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", i ? "," : "", file->person->documents[i].number);
    }
    model_person_file_free(file);
}

/* Identity documents (issue 13): a recorded fact like the others, also
 * for zab of the person's region (and only this kind); the register's
 * rows stay readable; corrections keep history and reads see the current
 * rows; the master-data update leaves documents alone. */
static void test_identity_documents(void **state)
{
    struct fixture *f = *state;
    struct model_org z = {
        .kind = ORG_ZAB, .code = "ZAB-1", .name = "ZAB Münster", .region_id = f->region};
    assert_int_equal(store_org_insert(f->st, &z), FN_OK);
    struct store_actor zab = f->own;
    zab.login = "zab1";
    zab.org_id = z.id;
    zab.roles = AUTH_ROLE_ZAB;
    /* a person from the register with its document (no source columns) */
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup("F-2");
    p->family_name = fn_strdup("Register");
    p->authority_id = f->org;
    p->documents = fn_calloc(1, sizeof *p->documents);
    p->documents[0].kind = fn_strdup("passersatz");
    p->documents[0].number = fn_strdup("R-1");
    p->n_documents = 1;
    assert_int_equal(store_person_insert(f->st, &sys, p), FN_OK);
    int64_t person = p->id;
    model_person_free(p);
    char numbers[128];
    file_documents(f, person, numbers, sizeof numbers);
    assert_string_equal(numbers, "R-1");

    struct fact_input in;
    identity_document(&in, person, "2030-01-31");
    int64_t id = 0, id2 = 0, id3 = 0;
    struct store_fact_source src = fact_input_source(&in);
    assert_int_equal(
        store_fact_record(f->st, &zab, STORE_FACT_TRAVEL_DOC, fact_input_fact(&in), &src, &id),
        FN_OK);
    fact_input_clear(&in);
    file_documents(f, person, numbers, sizeof numbers);
    assert_string_equal(numbers, "R-1,P1234567");

    /* zab records nothing but identity documents; koordination none */
    conviction(&in, person, "12");
    assert_int_equal(
        store_fact_record(f->st, &zab, STORE_FACT_PROCEEDING, fact_input_fact(&in), &doc, &id3),
        FN_DENIED);
    fact_input_clear(&in);
    identity_document(&in, person, "2031-01-31");
    assert_int_equal(store_fact_record(f->st, &f->koord, STORE_FACT_TRAVEL_DOC,
                                       fact_input_fact(&in), &doc, &id3),
                     FN_DENIED);
    assert_int_equal(store_fact_record(f->st, &f->other, STORE_FACT_TRAVEL_DOC,
                                       fact_input_fact(&in), &doc, &id3),
                     FN_NOTFOUND);
    assert_int_equal(id3, 0);

    /* the correction by the authority supersedes zab's row; twice is stale */
    assert_int_equal(store_fact_correct(f->st, &f->own, STORE_FACT_TRAVEL_DOC, id,
                                        fact_input_fact(&in), &doc, "Gültigkeit falsch", &id2),
                     FN_OK);
    assert_int_equal(store_fact_correct(f->st, &zab, STORE_FACT_TRAVEL_DOC, id,
                                        fact_input_fact(&in), &doc, "nochmal", &id3),
                     FN_STALE);
    fact_input_clear(&in);
    struct doc_history h = {0};
    assert_int_equal(store_fact_history(f->st, &zab, person, collect_docs, &h), FN_OK);
    assert_int_equal(h.rows, 3);
    assert_int_equal(h.from_register, 1);
    assert_int_equal(h.current, 1);
    assert_string_equal(h.valid_until, "2031-01-31");
    assert_string_equal(h.recorded_by, "sb1");

    /* the master-data update leaves the documents and their history alone */
    struct model_person_file *file = NULL;
    assert_int_equal(store_person_get(f->st, &f->own, person, &file), FN_OK);
    assert_int_equal(file->person->n_documents, 2);
    for (size_t i = 0; i < file->person->n_documents; i++)
        model_document_clear(&file->person->documents[i]);
    file->person->n_documents = 0;
    assert_int_equal(store_person_update(f->st, &f->own, file->person), FN_OK);
    assert_int_equal(file->person->n_documents, 2);
    model_person_file_free(file);
    file_documents(f, person, numbers, sizeof numbers);
    assert_string_equal(numbers, "R-1,P1234567");
    memset(&h, 0, sizeof h);
    assert_int_equal(store_fact_history(f->st, &f->own, person, collect_docs, &h), FN_OK);
    assert_int_equal(h.rows, 3);

    /* withdrawal: gone from the file, kept in the history */
    assert_int_equal(
        store_fact_withdraw(f->st, &zab, STORE_FACT_TRAVEL_DOC, id2, "Dokument eingezogen"), FN_OK);
    file_documents(f, person, numbers, sizeof numbers);
    assert_string_equal(numbers, "R-1");
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE travel_document SET number = 'X' WHERE id = %lld",
             (long long)id2);
    assert_false(test_db_try(f->db.path, sql));
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_record_correct_withdraw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_and_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identity_documents, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
