/*
 * pg_import.c – the PostgreSQL rows of a bulk import (backend.h,
 * import_stage_*): COPY into session-private staging tables, publish with
 * INSERT … SELECT inside the policy's transaction. Who may import, the
 * batch size and the audit rows are policy_import.c's.
 *
 * The stage is three TEMP tables of this connection (fn_stage_person,
 * _alias, _document): nobody else sees them, a crash or a lost connection
 * drops them, and the published rows appear all at once with the policy's
 * commit. Staged persons are buffered as COPY text (\N for NULL) and sent
 * with COPY FROM STDIN at each batch end (or when the buffer reaches
 * STAGE_FLUSH_BYTES), so a batch costs one round trip instead of one per
 * row. A record_id earlier in the file is the policy's (policy_import.c);
 * which are stored already is asked once per prefetch (the caller's batch
 * of record_ids, import_stage_prefetch), else per person, and not at all
 * in a batch that started without a row in person (one round trip per
 * person bounded the staging rate to ~11,000 rows/s). A person stored
 * after that is found set-wise by the publish.
 *
 * The publish of a large import disables the per-row insert triggers
 * (fact_mask and the re-assessment queue: one plpgsql call, an UPDATE or an
 * INSERT per row) inside its transaction and does their work set-wise; the
 * catalog change is transactional, so nobody else ever sees them off.
 *
 * One import per database at a time: a session-level advisory lock taken
 * with pg_try_advisory_lock (another import holding it: FN_BUSY at once);
 * the server releases it when the connection ends, so a killed import
 * blocks nobody.
 *
 * Ids are assigned at publish, as in SQLite: under a SHARE ROW EXCLUSIVE
 * lock on person (other inserts wait for the commit, readers do not) the
 * i-th staged person gets max(id) + i, and the identity sequence is moved
 * past the new maximum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/import_ids.h"
#include "store/pg_int.h"

/* The advisory lock key of imports (any constant unique to fallnetz). */
#define IMPORT_LOCK_KEY "7365470113"
/* COPY text buffered per table before it is sent. */
#define STAGE_FLUSH_BYTES (8u * 1024 * 1024)
#define STAGE_BUF_MAX     (STAGE_FLUSH_BYTES + 1024 * 1024)
/* Staged persons from which the publish swaps the per-row insert triggers
 * for set-wise statements (below, the switch costs more than it saves). */
#define BULK_PUBLISH_ROWS 1000
/* Staged persons from which a publish into an empty table builds the
 * secondary indexes afterwards (as SQLite's import.c). */
#define INDEX_REBUILD_ROWS 50000

enum { STAGE_PERSON, STAGE_ALIAS, STAGE_DOCUMENT, STAGE_TABLES };

static const char *const stage_copy[STAGE_TABLES] = {
    "COPY fn_stage_person FROM STDIN",
    "COPY fn_stage_alias FROM STDIN",
    "COPY fn_stage_document FROM STDIN",
};

static const char stage_schema[] =
    "DROP TABLE IF EXISTS pg_temp.fn_stage_person, pg_temp.fn_stage_alias,"
    " pg_temp.fn_stage_document;"
    "CREATE TEMP TABLE fn_stage_person (record_id TEXT NOT NULL, azr_nr TEXT,"
    " family_name TEXT, given_names TEXT, birth_name TEXT, sex TEXT NOT NULL, birth_date TEXT,"
    " birth_place TEXT, birth_country TEXT, nationalities TEXT, identity TEXT,"
    " identity_basis TEXT, residence TEXT, residence_since TEXT, address_street TEXT,"
    " address_postcode TEXT, address_municipality TEXT, authority_id BIGINT,"
    " authority_code TEXT, updated_at TEXT, seq BIGINT NOT NULL, fact_mask BIGINT NOT NULL);"
    "CREATE TEMP TABLE fn_stage_alias (seq BIGINT NOT NULL, ord BIGINT NOT NULL,"
    " family_name TEXT, given_names TEXT, birth_date TEXT);"
    "CREATE TEMP TABLE fn_stage_document (seq BIGINT NOT NULL, ord BIGINT NOT NULL, kind TEXT,"
    " number TEXT, issuing_state TEXT, valid_until TEXT, verified BIGINT NOT NULL);";

struct store_import_stage {
    struct pg_store *ps;
    int locked;                       /* holds the advisory lock */
    int tables;                       /* the temp tables exist */
    int64_t staged;                   /* persons staged (seq of the last) */
    int64_t ord;                      /* alias and document rows staged */
    int person_empty;                 /* person had no row at the batch's start: no lookups */
    int batch_checked;                /* person_empty holds for this batch */
    struct import_ids known;          /* prefetched record_ids -> stored id (0: none) */
    struct fn_buf copy[STAGE_TABLES]; /* COPY text not yet sent */
};

/* Appends one COPY line of the n values of p. */
static fn_status copy_line(struct fn_buf *b, const struct pg_params *p)
{
    fn_status rc = FN_OK;
    for (int i = 0; !rc && i < p->n; i++)
        rc = pg_copy_field(b, i == 0, p->v[i]);
    return rc ? rc : fn_buf_append_char(b, '\n');
}

/* Sends the buffered COPY text of every table. */
static fn_status stage_flush(struct store_import_stage *sg)
{
    struct pg_store *ps = sg->ps;
    fn_status rc = FN_OK;
    for (int t = 0; !rc && t < STAGE_TABLES; t++) {
        struct fn_buf *b = &sg->copy[t];
        if (!b->len)
            continue;
        PGresult *r = PQexec(ps->conn, stage_copy[t]);
        if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
            rc = pg_result_error(ps, r);
            PQclear(r);
            break;
        }
        PQclear(r);
        int ok = PQputCopyData(ps->conn, fn_buf_str(b), (int)b->len) == 1;
        rc = pg_copy_end(ps, ok);
        fn_buf_reset(b);
    }
    return rc;
}

fn_status pg_import_stage_open(struct store *st, struct store_import_stage **out)
{
    struct pg_store *ps = pg_of(st);
    *out = NULL;
    struct store_import_stage *sg = fn_calloc(1, sizeof *sg);
    if (!sg)
        return FN_NOMEM;
    sg->ps = ps;
    for (int t = 0; t < STAGE_TABLES; t++)
        fn_buf_init(&sg->copy[t], STAGE_BUF_MAX);
    PGresult *r = NULL;
    fn_status rc = FN_OK;
    r = PQexec(ps->conn, "SELECT pg_try_advisory_lock(" IMPORT_LOCK_KEY ")");
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_result_error(ps, r);
    else if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        snprintf(ps->head.errmsg, sizeof ps->head.errmsg, "%s",
                 "ein anderer Import in diese Datenbank läuft gerade");
        rc = FN_BUSY;
    } else {
        sg->locked = 1;
    }
    PQclear(r);
    if (!rc)
        rc = pg_exec(ps, stage_schema);
    sg->tables = !rc;

    if (rc) {
        pg_import_stage_close(sg, 0);
        return rc;
    }
    *out = sg;
    return FN_OK;
}

/* Once per batch: whether person has no row, so the batch's rows need no
 * lookup. One committed meanwhile is found by the publish. */
static fn_status check_person_empty(struct store_import_stage *sg)
{
    PGresult *r = PQexec(sg->ps->conn, "SELECT NOT EXISTS (SELECT 1 FROM person)");
    fn_status rc = FN_OK;
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_result_error(sg->ps, r);
    else
        sg->person_empty = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    sg->batch_checked = !rc;
    return rc;
}

fn_status pg_import_stage_person(struct store_import_stage *sg, struct model_person *p)
{
    struct pg_store *ps = sg->ps;
    p->id = 0;
    struct pg_params v = {0};
    fn_status rc = FN_OK;
    if (!sg->batch_checked) {
        rc = check_person_empty(sg);
        if (rc)
            return rc;
    }
    int64_t known = 0;
    if (!sg->person_empty && import_ids_get(&sg->known, p->record_id, &known)) {
        p->id = known;
        if (known)
            return FN_CONFLICT; /* p->id names the stored person */
    } else if (!sg->person_empty) {
        pg_param_always(&v, p->record_id);
        rc = pg_one_int(ps, PG_STMT_IMPORT_FIND, "SELECT id FROM person WHERE record_id = $1", &v,
                        &p->id);
        if (rc != FN_NOTFOUND)
            return rc ? rc : FN_CONFLICT; /* p->id names the stored person */
    }
    int64_t seq = sg->staged + 1;
    struct fn_buf nat;
    fn_buf_init(&nat, 256);
    v.n = 0;
    rc = pg_person_params(&v, p, &nat);
    if (!rc) {
        pg_param_int(&v, seq);
        /* person.fact_mask bits (schema version 4): 1 aliases, 2 documents */
        pg_param_int(&v, (p->n_aliases ? 1 : 0) | (p->n_documents ? 2 : 0));
        rc = copy_line(&sg->copy[STAGE_PERSON], &v);
    }
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        struct pg_params a = {0};
        pg_param_int(&a, seq);
        pg_param_int(&a, ++sg->ord);
        pg_param_text(&a, p->aliases[i].family_name);
        pg_param_text(&a, p->aliases[i].given_names);
        pg_param_date(&a, &p->aliases[i].birth_date);
        rc = copy_line(&sg->copy[STAGE_ALIAS], &a);
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        struct pg_params a = {0};
        pg_param_int(&a, seq);
        pg_param_int(&a, ++sg->ord);
        pg_param_text(&a, d->kind);
        pg_param_text(&a, d->number);
        pg_param_text(&a, d->issuing_state);
        pg_param_date(&a, &d->valid_until);
        pg_param_int(&a, d->verified ? 1 : 0);
        rc = copy_line(&sg->copy[STAGE_DOCUMENT], &a);
    }
    fn_buf_free(&nat);
    if (rc)
        return rc; /* a buffer over its cap: the import fails as a whole */
    sg->staged = seq;
    for (int t = 0; !rc && t < STAGE_TABLES; t++)
        if (sg->copy[t].len >= STAGE_FLUSH_BYTES)
            rc = stage_flush(sg);
    return rc;
}

/* Appends ids as a text[] literal: {"a","b"} with " and \ escaped. */
static fn_status array_literal(struct fn_buf *b, const char *const *ids, size_t n)
{
    fn_status rc = fn_buf_append_char(b, '{');
    for (size_t i = 0; !rc && i < n; i++) {
        rc = i ? fn_buf_append(b, ",\"", 2) : fn_buf_append_char(b, '"');
        for (const char *c = ids[i]; !rc && *c;) {
            size_t run = strcspn(c, "\"\\");
            if (run)
                rc = fn_buf_append(b, c, run);
            c += run;
            if (!rc && *c) {
                char esc[2] = {'\\', *c++};
                rc = fn_buf_append(b, esc, 2);
            }
        }
        if (!rc)
            rc = fn_buf_append_char(b, '"');
    }
    return rc ? rc : fn_buf_append_char(b, '}');
}

fn_status pg_import_stage_prefetch(struct store_import_stage *sg, const char *const *record_ids,
                                   size_t n)
{
    struct pg_store *ps = sg->ps;
    import_ids_clear(&sg->known);
    fn_status rc = sg->batch_checked ? FN_OK : check_person_empty(sg);
    if (rc || sg->person_empty)
        return rc; /* nothing to find */
    struct fn_buf arr;
    fn_buf_init(&arr, FN_BUF_BODY);
    rc = array_literal(&arr, record_ids, n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = import_ids_put(&sg->known, record_ids[i], 0);
    PGresult *r = NULL;
    if (!rc) {
        const char *v[1] = {fn_buf_str(&arr)};
        r = PQexecParams(ps->conn,
                         "SELECT record_id, id FROM person WHERE record_id = ANY($1::text[])", 1,
                         NULL, v, NULL, NULL, 0);
        if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = pg_result_error(ps, r);
    }
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc =
            import_ids_put(&sg->known, PQgetvalue(r, i, 0), strtoll(PQgetvalue(r, i, 1), NULL, 10));
    PQclear(r);
    fn_buf_free(&arr);
    if (rc)
        import_ids_clear(&sg->known); /* the lookups one by one, then */
    return rc;
}

fn_status pg_import_stage_batch(struct store_import_stage *sg)
{
    sg->batch_checked = 0;
    return stage_flush(sg);
}

/* Runs sql with $1 = base (the id offset of the staged persons); *first
 * (NULL: not wanted) = 1 when it returned a row. */
static fn_status query_with_base(struct pg_store *ps, const char *sql, int64_t base, int *first)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)base);
    const char *v[1] = {num};
    PGresult *r = PQexecParams(ps->conn, sql, 1, NULL, v, NULL, NULL, 0);
    fn_status rc = FN_OK;
    if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK))
        rc = pg_result_error(ps, r);
    else if (first)
        *first = PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

static fn_status exec_with_base(struct pg_store *ps, const char *sql, int64_t base)
{
    return query_with_base(ps, sql, base, NULL);
}

/* Queues the published persons for re-assessment, as person_due_insert
 * does per row. The ids are new, so a queue row can only be in the way
 * when one outlived its person: only then the costlier ON CONFLICT (no
 * other session can insert persons while the publish holds its lock). */
static fn_status queue_due(struct pg_store *ps, int64_t base)
{
    int stale = 0;
    fn_status rc = query_with_base(
        ps, "SELECT 1 FROM assessment_due WHERE person_id > $1::bigint LIMIT 1", base, &stale);
    if (!rc)
        rc = exec_with_base(ps,
                            stale ? "INSERT INTO assessment_due (person_id) SELECT $1::bigint + seq"
                                    " FROM fn_stage_person ON CONFLICT DO NOTHING"
                                  : "INSERT INTO assessment_due (person_id) SELECT $1::bigint + seq"
                                    " FROM fn_stage_person",
                            base);
    return rc;
}

/* FN_CONFLICT, naming it, when a staged record_id was stored meanwhile. */
static fn_status late_conflict(struct pg_store *ps)
{
    PGresult *r = PQexec(ps->conn, "SELECT s.record_id FROM fn_stage_person s"
                                   " JOIN person p ON p.record_id = s.record_id LIMIT 1");
    fn_status rc = FN_OK;
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_result_error(ps, r);
    else if (PQntuples(r)) {
        snprintf(ps->head.errmsg, sizeof ps->head.errmsg,
                 "record_id '%.60s' wurde während des Imports von anderer Seite gespeichert",
                 PQgetvalue(r, 0, 0));
        rc = FN_CONFLICT;
    }
    PQclear(r);
    return rc;
}

/* The per-row insert triggers of the child tables a publish fills. */
#define CHILD_TRIGGERS(verb)                                                                       \
    "ALTER TABLE person_alias " verb " TRIGGER person_alias_mask_insert, " verb                    \
    " TRIGGER person_alias_due_insert; ALTER TABLE travel_document " verb                          \
    " TRIGGER travel_document_mask_insert, " verb " TRIGGER travel_document_due_insert"

/* Runs lock (a LOCK … NOWAIT) and then sql when the lock is granted at
 * once; otherwise nothing (*done 0): waiting for a lock that another
 * session holds while it waits for person, locked by this publish, would
 * deadlock. */
static fn_status if_locked_now(struct pg_store *ps, const char *lock, const char *sql, int *done)
{
    *done = 0;
    fn_status rc = pg_exec(ps, "SAVEPOINT fn_import_bulk");
    if (rc)
        return rc;
    if (pg_exec(ps, lock) == FN_OK) {
        rc = pg_exec(ps, sql);
        *done = !rc;
        return rc ? rc : pg_exec(ps, "RELEASE SAVEPOINT fn_import_bulk");
    }
    ps->head.errmsg[0] = '\0';
    return pg_exec(ps, "ROLLBACK TO SAVEPOINT fn_import_bulk; RELEASE SAVEPOINT fn_import_bulk");
}

fn_status pg_import_stage_publish(struct store_import_stage *sg, int64_t *first_id)
{
    struct pg_store *ps = sg->ps;
    *first_id = 0;
    if (!ps->head.in_tx)
        return FN_INVALID;
    int64_t base = 0;
    int bulk = sg->staged >= BULK_PUBLISH_ROWS, children_off = 0, indexes_off = 0;
    fn_status rc = stage_flush(sg);
    /* Other inserts of persons wait for this commit; the ids stay free.
     * The lock is the one ALTER TABLE … TRIGGER takes, too. */
    if (!rc)
        rc = pg_exec(ps, "LOCK TABLE person IN SHARE ROW EXCLUSIVE MODE");
    if (!rc)
        rc = late_conflict(ps);
    if (!rc)
        rc = pg_max_person_id((struct store *)(void *)ps, &base);
    /* The ids come from seq, so the persons need no sort; the aliases' and
     * documents' sort by ord (their ids follow it) stays in memory. */
    if (!rc)
        rc = pg_exec(ps, "SET LOCAL work_mem = '256MB'");
    if (!rc && bulk)
        rc = pg_exec(ps, "ALTER TABLE person DISABLE TRIGGER person_due_insert");
    /* A first load: the secondary indexes are built once afterwards (over
     * sorted keys) instead of a million random inserts. DROP INDEX locks
     * out readers until the commit, so only into an empty table. */
    if (!rc && sg->staged >= INDEX_REBUILD_ROWS && base == 0)
        rc = if_locked_now(ps, "LOCK TABLE person IN ACCESS EXCLUSIVE MODE NOWAIT",
                           "DROP INDEX person_azr, person_authority", &indexes_off);
    /* The children's triggers: ALTER TABLE … TRIGGER takes SHARE ROW
     * EXCLUSIVE on their tables. */
    if (!rc && bulk && sg->ord)
        rc = if_locked_now(ps,
                           "LOCK TABLE person_alias, travel_document IN SHARE ROW EXCLUSIVE"
                           " MODE NOWAIT",
                           CHILD_TRIGGERS("DISABLE"), &children_off);
    if (!rc)
        rc = exec_with_base(
            ps,
            "INSERT INTO person (id, record_id, azr_nr, family_name, given_names, birth_name, sex,"
            " birth_date, birth_place, birth_country, nationalities, identity, identity_basis,"
            " residence, residence_since, address_street, address_postcode,"
            " address_municipality, authority_id, authority_code, updated_at, fact_mask)"
            " SELECT $1::bigint + seq, record_id, azr_nr, family_name, given_names, birth_name,"
            " sex, birth_date, birth_place, birth_country, nationalities, identity,"
            " identity_basis, residence, residence_since, address_street, address_postcode,"
            " address_municipality, authority_id, authority_code, updated_at, fact_mask"
            " FROM fn_stage_person",
            base);
    if (!rc)
        rc = exec_with_base(ps,
                            "INSERT INTO person_alias (person_id, family_name, given_names,"
                            " birth_date) SELECT $1::bigint + seq, family_name, given_names,"
                            " birth_date FROM fn_stage_alias ORDER BY ord",
                            base);
    if (!rc)
        rc = exec_with_base(ps,
                            "INSERT INTO travel_document (person_id, kind, number, issuing_state,"
                            " valid_until, verified) SELECT $1::bigint + seq, kind, number,"
                            " issuing_state, valid_until, verified FROM fn_stage_document"
                            " ORDER BY ord",
                            base);
    /* What person_due_insert did per row (the alias and document rows only
     * queue the same persons again). */
    if (!rc && bulk)
        rc = queue_due(ps, base);
    if (!rc && bulk)
        rc = pg_exec(ps, "ALTER TABLE person ENABLE TRIGGER person_due_insert");
    if (!rc && children_off)
        rc = pg_exec(ps, CHILD_TRIGGERS("ENABLE"));
    if (!rc && indexes_off)
        rc = pg_exec(ps, "SET LOCAL maintenance_work_mem = '512MB';"
                         " CREATE INDEX person_authority ON person(authority_id);"
                         " CREATE INDEX person_azr ON person(azr_nr)");
    /* The next person inserted one by one gets the next id after these. */
    if (!rc)
        rc = pg_exec(ps, "SELECT setval(pg_get_serial_sequence('person', 'id'),"
                         " (SELECT max(id) FROM person))");
    if (!rc)
        *first_id = base + 1;
    return rc;
}

void pg_import_stage_close(struct store_import_stage *sg, int published)
{
    (void)published; /* the temp tables go either way */
    if (!sg)
        return;
    struct pg_store *ps = sg->ps;
    if (sg->tables && !ps->head.in_tx)
        PQclear(PQexec(ps->conn, "DROP TABLE IF EXISTS pg_temp.fn_stage_person,"
                                 " pg_temp.fn_stage_alias, pg_temp.fn_stage_document"));
    if (sg->locked)
        PQclear(PQexec(ps->conn, "SELECT pg_advisory_unlock(" IMPORT_LOCK_KEY ")"));
    for (int t = 0; t < STAGE_TABLES; t++)
        fn_buf_free(&sg->copy[t]);
    import_ids_free(&sg->known);
    fn_free(sg);
}
