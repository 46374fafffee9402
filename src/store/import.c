/*
 * import.c – the SQLite rows of a bulk import (backend.h, import_stage_*):
 * stage in bounded batches, then publish in one transaction. Who may
 * import, the batch size and the audit rows are policy_import.c's.
 *
 * Why staged: one transaction over a whole million-row import held the
 * write lock for the whole run (every other writer failed with "database is
 * locked") and grew the WAL to gigabytes. Now the rows go into a staging
 * database next to the main file ("<db>-import", attached as "stage") in
 * transactions of one batch (the policy's size) that never lock the main
 * database; nobody else reads the stage, so its rows are invisible until
 * the publish copies them into the main tables in the policy's transaction
 * (one short write lock; SQLite makes it all or nothing). A crash or kill
 * at any point leaves none of the import's rows visible; the stage file a
 * killed import leaves behind is emptied by the next import and removed by
 * the next store_open. An flock on the stage file allows one import per
 * database at a time (a second one gets FN_BUSY).
 *
 * The stage has no index: a record_id earlier in the file is refused by
 * the policy (policy_import.c), one stored already by a lookup in
 * main.person per row in the batch's snapshot, skipped for a batch whose
 * snapshot has no person at all (a person stored after that fails the
 * publish on person's UNIQUE record_id, as before). A large publish swaps
 * the per-row insert triggers for one set-wise statement.
 *
 * Why a SQLite table and not a plain file of records (tried: 9 % fewer
 * instructions in all): staging runs while the reader thread parses, which
 * costs more per row, so it is hidden; the publish is not, and holds the
 * write lock. INSERT … SELECT from the stage costs ~10,400 instructions
 * per row, binding each row from C ~18,700 (docs/benchmarks.md).
 *
 * Ids are assigned at publish: the i-th staged person gets max(id) + i, so
 * the ids of one import are consecutive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/store_int.h"

#define IMPORT_STAGE_SUFFIX "-import"

enum stage_stmt {
    STAGE_PERSON,
    STAGE_ALIAS,
    STAGE_DOCUMENT,
    STAGE_FIND_MAIN,
    STAGE_MAIN_EMPTY,
    STAGE_STMT_COUNT
};

/* Staged persons from which a publish drops the per-row triggers and the
 * secondary indexes (and the import must outnumber the stored persons). */
#define BULK_PUBLISH_ROWS 50000

static const char *const stage_sql[STAGE_STMT_COUNT] = {
    [STAGE_PERSON] =
        "INSERT INTO stage.stage_person (record_id, azr_nr, family_name, given_names, birth_name,"
        " sex, birth_date, birth_place, birth_country, nationalities, identity, identity_basis,"
        " residence, residence_since, address_street, address_postcode, address_municipality,"
        " authority_id, authority_code, updated_at, seq, fact_mask)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)",
    [STAGE_ALIAS] = "INSERT INTO stage.stage_alias (seq, family_name, given_names, birth_date)"
                    " VALUES (?1,?2,?3,?4)",
    [STAGE_DOCUMENT] = "INSERT INTO stage.stage_document (seq, kind, number, issuing_state,"
                       " valid_until, verified) VALUES (?1,?2,?3,?4,?5,?6)",
    [STAGE_FIND_MAIN] = "SELECT id FROM main.person WHERE record_id = ?1",
    [STAGE_MAIN_EMPTY] = "SELECT NOT EXISTS (SELECT 1 FROM main.person)",
};

static const char stage_schema[] =
    "CREATE TABLE stage.stage_person ("
    " seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL, azr_nr TEXT,"
    " family_name TEXT, given_names TEXT, birth_name TEXT, sex TEXT NOT NULL,"
    " birth_date TEXT, birth_place TEXT, birth_country TEXT, nationalities TEXT,"
    " identity TEXT, identity_basis TEXT, residence TEXT, residence_since TEXT,"
    " address_street TEXT, address_postcode TEXT, address_municipality TEXT,"
    " authority_id INTEGER, authority_code TEXT, updated_at TEXT, fact_mask INTEGER NOT NULL);"
    "CREATE TABLE stage.stage_alias (seq INTEGER NOT NULL, family_name TEXT,"
    " given_names TEXT, birth_date TEXT);"
    "CREATE TABLE stage.stage_document (seq INTEGER NOT NULL, kind TEXT, number TEXT,"
    " issuing_state TEXT, valid_until TEXT, verified INTEGER NOT NULL);";

struct store_import_stage {
    struct store *st;
    char *stage_path;    /* "<db>-import"; NULL: a private temporary stage */
    int lock_fd;         /* open on stage_path with an flock; -1 without */
    int attached;        /* "stage" is attached on st->db */
    int batch_open;      /* a staging transaction is open */
    int64_t staged;      /* persons staged (seq of the last one) */
    int rebuild_indexes; /* a large load: build secondary indexes once at publish */
    int main_empty;      /* main.person has no row in this batch's snapshot: no lookups */
    sqlite3_stmt *stmts[STAGE_STMT_COUNT];
};

/* A file database has a stage file beside it; ":memory:" and URIs stage in a
 * private temporary database. Returns a fresh string or NULL (none). */
static fn_status stage_path_for(const char *db_path, char **out)
{
    *out = NULL;
    if (!db_path || !db_path[0] || strcmp(db_path, ":memory:") == 0 ||
        strncmp(db_path, "file:", 5) == 0)
        return FN_OK;
    size_t n = strlen(db_path) + sizeof IMPORT_STAGE_SUFFIX;
    *out = fn_malloc(n);
    if (!*out)
        return FN_NOMEM;
    snprintf(*out, n, "%s%s", db_path, IMPORT_STAGE_SUFFIX);
    return FN_OK;
}

void store_import_stage_cleanup(const char *db_path)
{
    char *path = NULL;
    if (stage_path_for(db_path, &path) != FN_OK || !path)
        return;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        /* Only a stage nobody holds: a running import keeps its flock. */
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlink(path);
        close(fd);
    }
    fn_free(path);
}

/* Opens and locks the stage file and empties what a killed import left.
 * FN_BUSY when another import holds it. */
static fn_status stage_lock(struct store_import_stage *sg)
{
    struct store *st = sg->st;
    for (int attempt = 0; attempt < 3; attempt++) {
        int fd = open(sg->stage_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", sg->stage_path, strerror(errno));
            return FN_IO;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int busy = errno == EWOULDBLOCK;
            close(fd);
            snprintf(st->errmsg, sizeof st->errmsg, "%s",
                     busy ? "ein anderer Import in diese Datenbank läuft gerade"
                          : "Importdatei kann nicht gesperrt werden");
            return busy ? FN_BUSY : FN_IO;
        }
        /* store_import_stage_cleanup of another process may have removed
         * the name between open and flock: lock the file the name means. */
        struct stat by_fd, by_name;
        if (fstat(fd, &by_fd) == 0 && stat(sg->stage_path, &by_name) == 0 &&
            by_fd.st_ino == by_name.st_ino && by_fd.st_dev == by_name.st_dev) {
            if (ftruncate(fd, 0) != 0) {
                snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", sg->stage_path, strerror(errno));
                close(fd);
                return FN_IO;
            }
            sg->lock_fd = fd;
            return FN_OK;
        }
        close(fd);
    }
    snprintf(st->errmsg, sizeof st->errmsg, "%s: Datei wechselt ständig", sg->stage_path);
    return FN_IO;
}

static fn_status stage_attach(struct store_import_stage *sg)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(sg->st, "ATTACH DATABASE ?1 AS stage", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, sg->stage_path ? sg->stage_path : "", -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(sg->st, src);
    sg->attached = 1;
    /* Nothing to keep after a crash (the stage is emptied on the next
     * import), so no sync; the journal stays in memory so that a failed
     * statement can still be rolled back. */
    rc = store_exec(sg->st, "PRAGMA stage.journal_mode = MEMORY; PRAGMA stage.synchronous = OFF;"
                            " PRAGMA stage.cache_size = -65536;");
    if (!rc)
        rc = store_exec(sg->st, stage_schema);
    for (int i = 0; !rc && i < STAGE_STMT_COUNT; i++)
        rc = store_prepare(sg->st, stage_sql[i], &sg->stmts[i]);
    return rc;
}

/* Inside a batch's transaction: whether main.person has no row in the
 * snapshot the batch's lookups would see (the first read of main fixes it
 * for the batch), so the batch can skip them. */
static fn_status check_main_empty(struct store_import_stage *sg)
{
    sqlite3_stmt *s = sg->stmts[STAGE_MAIN_EMPTY];
    int src = sqlite3_step(s);
    sg->main_empty = src == SQLITE_ROW && sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    return src == SQLITE_ROW ? FN_OK : store_db_error(sg->st, src);
}

/* Detaches and removes the stage; safe at any point of a failed begin. */
static void stage_release(struct store_import_stage *sg)
{
    for (int i = 0; i < STAGE_STMT_COUNT; i++) {
        sqlite3_finalize(sg->stmts[i]);
        sg->stmts[i] = NULL;
    }
    if (sg->batch_open) {
        sqlite3_exec(sg->st->db, "ROLLBACK", NULL, NULL, NULL);
        sg->st->in_tx = 0;
        sg->batch_open = 0;
    }
    if (sg->attached) {
        sqlite3_exec(sg->st->db, "DETACH DATABASE stage", NULL, NULL, NULL);
        sg->attached = 0;
    }
    if (sg->lock_fd >= 0) {
        /* Emptied before the name goes: the personal data must not stay on
         * disk; closing the descriptor releases the flock. */
        if (ftruncate(sg->lock_fd, 0) != 0) {
            /* unlink below removes the data anyway */
        }
        unlink(sg->stage_path);
        close(sg->lock_fd);
        sg->lock_fd = -1;
    }
}

static void stage_free(struct store_import_stage *sg)
{
    if (!sg)
        return;
    stage_release(sg);
    fn_free(sg->stage_path);
    fn_free(sg);
}

/* Copies the WAL back into the database without waiting for anyone, and
 * truncates it when nobody reads (a short wait only), so that it stays
 * bounded while other connections keep writing. */
static void checkpoint_wal(struct store *st, int truncate)
{
    if (!truncate) {
        sqlite3_wal_checkpoint_v2(st->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return;
    }
    sqlite3_busy_timeout(st->db, 200);
    if (sqlite3_wal_checkpoint_v2(st->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) !=
        SQLITE_OK)
        sqlite3_wal_checkpoint_v2(st->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
}

fn_status sqlite_import_stage_open(struct store *st, struct store_import_stage **out)
{
    *out = NULL;
    struct store_import_stage *sg = fn_calloc(1, sizeof *sg);
    if (!sg)
        return FN_NOMEM;
    sg->st = st;
    sg->lock_fd = -1;
    fn_status rc = stage_path_for(st->path, &sg->stage_path);
    if (!rc && sg->stage_path)
        rc = stage_lock(sg);
    if (!rc)
        rc = stage_attach(sg);
    if (rc) {
        stage_free(sg);
        return rc;
    }
    *out = sg;
    return FN_OK;
}

/* Ends the open staging transaction: its rows stay invisible (stage only),
 * but the main database's snapshot is released and its WAL checkpointed. */
fn_status sqlite_import_stage_batch(struct store_import_stage *sg)
{
    if (!sg->batch_open)
        return FN_OK;
    fn_status rc = store_exec(sg->st, "COMMIT");
    if (rc)
        return rc;
    sg->batch_open = 0;
    sg->st->in_tx = 0;
    checkpoint_wal(sg->st, 0);
    return FN_OK;
}

/* Steps an insert whose every parameter is bound anew for each row (so
 * the bindings need no clearing: ~700 instructions per row). */
static fn_status step_done(struct store *st, sqlite3_stmt *s)
{
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

/* Stages p under seq; columns 1-20 bound by store_bind_person, as the
 * person insert binds them. */
static fn_status stage_rows(struct store_import_stage *sg, const struct model_person *p,
                            int64_t seq)
{
    struct store *st = sg->st;
    struct fn_buf nat;
    fn_buf_init(&nat, 256);
    sqlite3_stmt *s = sg->stmts[STAGE_PERSON];
    fn_status rc = store_bind_person(s, p, &nat);
    if (rc)
        goto out;
    sqlite3_bind_int64(s, 21, seq);
    /* person.fact_mask bits (schema version 4): 1 aliases, 2 documents */
    sqlite3_bind_int(s, 22, (p->n_aliases ? 1 : 0) | (p->n_documents ? 2 : 0));
    rc = step_done(st, s);
    if (rc)
        goto out;
    s = sg->stmts[STAGE_ALIAS];
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        sqlite3_bind_int64(s, 1, seq);
        store_bind_text(s, 2, p->aliases[i].family_name);
        store_bind_text(s, 3, p->aliases[i].given_names);
        store_bind_date(s, 4, &p->aliases[i].birth_date);
        rc = step_done(st, s);
    }
    s = sg->stmts[STAGE_DOCUMENT];
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        sqlite3_bind_int64(s, 1, seq);
        store_bind_text(s, 2, d->kind);
        store_bind_text(s, 3, d->number);
        store_bind_text(s, 4, d->issuing_state);
        store_bind_date(s, 5, &d->valid_until);
        sqlite3_bind_int(s, 6, d->verified ? 1 : 0);
        rc = step_done(st, s);
    }
out:
    fn_buf_free(&nat);
    return rc;
}

fn_status sqlite_import_stage_person(struct store_import_stage *sg, struct model_person *p)
{
    struct store *st = sg->st;
    p->id = 0;
    fn_status rc = FN_OK;
    if (!sg->batch_open) {
        /* Deferred: the stage is written, main only read (no write lock). */
        rc = store_exec(st, "BEGIN");
        if (rc)
            return rc;
        sg->batch_open = 1;
        st->in_tx = 1;
        rc = check_main_empty(sg);
        if (rc)
            return rc;
    }
    if (!sg->main_empty) {
        sqlite3_stmt *s = sg->stmts[STAGE_FIND_MAIN];
        sqlite3_bind_text(s, 1, p->record_id, -1, SQLITE_STATIC);
        int src = sqlite3_step(s);
        if (src == SQLITE_ROW)
            p->id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (src == SQLITE_ROW)
            return FN_CONFLICT; /* p->id names the stored person */
        if (src != SQLITE_DONE)
            return store_db_error(st, src);
    }
    rc = stage_rows(sg, p, sg->staged + 1);
    if (rc)
        return rc;
    sg->staged++;
    return FN_OK;
}

/* Runs sql with ?1 bound to base (the id offset of the staged persons). */
static fn_status exec_with_base(struct store *st, const char *sql, int64_t base)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, base);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

/* Names a record_id another writer stored while the import was staging. */
static void name_late_conflict(struct store_import_stage *sg)
{
    struct store *st = sg->st;
    sqlite3_stmt *s = NULL;
    if (store_prepare(st,
                      "SELECT s.record_id FROM stage.stage_person s"
                      " JOIN main.person p ON p.record_id = s.record_id LIMIT 1",
                      &s) != FN_OK)
        return;
    if (sqlite3_step(s) == SQLITE_ROW)
        snprintf(st->errmsg, sizeof st->errmsg,
                 "record_id '%.60s' wurde während des Imports von anderer Seite gespeichert",
                 (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

/* The per-row insert triggers of a publish: person.fact_mask for aliases
 * and documents (the staged persons carry their mask already) and the
 * re-assessment queue (schema version 7). A large load drops them for the
 * copy (one trigger program, an UPDATE or an INSERT, per row otherwise),
 * queues the new persons with one INSERT … SELECT and recreates the
 * triggers from their stored SQL in the same transaction, so nobody sees
 * them missing. */
#define BULK_TRIGGERS 5
static const char bulk_triggers_sql[] =
    "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND name IN"
    " ('person_due_insert', 'person_alias_mask_insert', 'person_alias_due_insert',"
    " 'travel_document_mask_insert', 'travel_document_due_insert') ORDER BY name";

struct saved_triggers {
    char *name[BULK_TRIGGERS];
    char *sql[BULK_TRIGGERS];
    size_t n;
    int person_due; /* person_due_insert is among them */
};

static fn_status triggers_drop(struct store *st, struct saved_triggers *t)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, bulk_triggers_sql, &s);
    int src;
    while (!rc && t->n < BULK_TRIGGERS && (src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = store_col_text(s, 0, &t->name[t->n]);
        if (!rc)
            rc = store_col_text(s, 1, &t->sql[t->n]);
        if (!rc && strcmp(t->name[t->n], "person_due_insert") == 0)
            t->person_due = 1;
        t->n++;
    }
    sqlite3_finalize(s);
    char drop[128];
    for (size_t i = 0; !rc && i < t->n; i++) {
        snprintf(drop, sizeof drop, "DROP TRIGGER main.\"%.64s\"", t->name[i]);
        rc = store_exec(st, drop);
    }
    return rc;
}

static fn_status triggers_restore(struct store *st, struct saved_triggers *t)
{
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < t->n; i++)
        rc = store_exec(st, t->sql[i]);
    return rc;
}

static void triggers_free(struct saved_triggers *t)
{
    for (size_t i = 0; i < t->n; i++) {
        fn_free(t->name[i]);
        fn_free(t->sql[i]);
    }
    t->n = 0;
}

/* Inside the policy's write transaction on the main database: copies the
 * stage in, with consecutive ids after the highest stored one. */
fn_status sqlite_import_stage_publish(struct store_import_stage *sg, int64_t *first_id)
{
    struct store *st = sg->st;
    struct saved_triggers triggers = {0};
    int64_t base = 0, existing = 0;
    *first_id = 0;
    if (!st->in_tx)
        return FN_INVALID;
    /* A large page cache for the copy and the index builds (as before the
     * staging); back to the handle's usual 32 MiB when the stage closes. */
    sqlite3_exec(st->db, "PRAGMA main.cache_size = -524288", NULL, NULL, NULL);
    fn_status rc = sqlite_max_person_id(st, &base);
    if (!rc)
        rc = sqlite_person_count(st, &existing);
    if (rc)
        goto out;
    /* Building an index once over sorted keys beats a million random b-tree
     * inserts; inside the transaction nobody sees the gap. */
    sg->rebuild_indexes = sg->staged >= BULK_PUBLISH_ROWS && sg->staged > existing;
    if (sg->rebuild_indexes)
        rc = store_exec(st, "DROP INDEX main.person_azr; DROP INDEX main.person_authority;");
    if (!rc && sg->rebuild_indexes)
        rc = triggers_drop(st, &triggers);
    if (!rc) {
        rc = exec_with_base(
            st,
            "INSERT INTO main.person (id, record_id, azr_nr, family_name, given_names,"
            " birth_name, sex, birth_date, birth_place, birth_country, nationalities, identity,"
            " identity_basis, residence, residence_since, address_street, address_postcode,"
            " address_municipality, authority_id, authority_code, updated_at, fact_mask)"
            " SELECT ?1 + seq, record_id, azr_nr, family_name, given_names, birth_name, sex,"
            " birth_date, birth_place, birth_country, nationalities, identity, identity_basis,"
            " residence, residence_since, address_street, address_postcode,"
            " address_municipality, authority_id, authority_code, updated_at, fact_mask"
            " FROM stage.stage_person ORDER BY seq",
            base);
        if (rc == FN_CONFLICT)
            name_late_conflict(sg);
    }
    if (!rc)
        rc = exec_with_base(st,
                            "INSERT INTO main.person_alias (person_id, family_name, given_names,"
                            " birth_date) SELECT ?1 + seq, family_name, given_names, birth_date"
                            " FROM stage.stage_alias ORDER BY rowid",
                            base);
    if (!rc)
        rc = exec_with_base(st,
                            "INSERT INTO main.travel_document (person_id, kind, number,"
                            " issuing_state, valid_until, verified) SELECT ?1 + seq, kind, number,"
                            " issuing_state, valid_until, verified FROM stage.stage_document"
                            " ORDER BY rowid",
                            base);
    /* What person_due_insert did per row (the alias and document rows
     * only queue the same persons again). */
    if (!rc && triggers.person_due)
        rc = exec_with_base(st,
                            "INSERT OR IGNORE INTO main.assessment_due (person_id)"
                            " SELECT ?1 + seq FROM stage.stage_person ORDER BY seq",
                            base);
    if (!rc && sg->rebuild_indexes)
        rc = store_exec(st, "CREATE INDEX main.person_azr ON person(azr_nr);"
                            "CREATE INDEX main.person_authority ON person(authority_id);");
    if (!rc)
        rc = triggers_restore(st, &triggers);
out:
    triggers_free(&triggers);
    if (!rc)
        *first_id = base + 1;
    return rc;
}

void sqlite_import_stage_close(struct store_import_stage *sg, int published)
{
    if (!sg)
        return;
    struct store *st = sg->st;
    stage_free(sg);
    sqlite3_exec(st->db, "PRAGMA main.cache_size = -32768", NULL, NULL, NULL);
    if (published)
        checkpoint_wal(st, 1);
}
