/*
 * import.c – the SQLite rows of a bulk import (backend.h, import_stage_*):
 * stage in bounded batches, then publish in one transaction. Who may
 * import, the batch size and the audit rows are policy_import.c's.
 *
 * Why staged: one transaction over a whole million-row import held the
 * write lock for the whole run (every other writer failed with "database is
 * locked") and grew the WAL to gigabytes. Now the rows go into a staging
 * file next to the main file ("<db>-import"), which nobody else reads, so
 * its rows are invisible until the publish inserts them into the main
 * tables in the policy's transaction (one short write lock; SQLite makes it
 * all or nothing). A crash or kill at any point leaves none of the import's
 * rows visible; the stage file a killed import leaves behind is emptied by
 * the next import and removed by the next store_open. An flock on the stage
 * file allows one import per database at a time (a second one gets
 * FN_BUSY).
 *
 * The stage is a plain file of length-prefixed records (stage_put /
 * stage_get), not a SQLite table: a table made every row a b-tree insert
 * twice (stage, then main), which cost a quarter of the main thread's
 * instructions (docs/benchmarks.md). A record_id earlier in the file is
 * refused by the policy (policy_import.c); one stored already by a lookup
 * in main.person per row, in one read transaction per batch, skipped for a
 * batch whose snapshot has no person at all (a person stored after that
 * fails the publish on person's UNIQUE record_id, as before).
 *
 * Ids are assigned at publish: the i-th staged person gets max(id) + i, so
 * the ids of one import are consecutive. A large publish into a smaller
 * table builds the secondary indexes once and swaps the per-row insert
 * triggers for one set-wise statement.
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
/* Staged persons from which a publish drops the per-row triggers and the
 * secondary indexes (and the import must outnumber the stored persons). */
#define BULK_PUBLISH_ROWS 50000
/* Stage records are written in pieces of STAGE_WRITE_BYTES and read back
 * through a buffer of STAGE_READ_BYTES, grown for a larger record; one
 * record is at most STAGE_RECORD_MAX (a register row is at most
 * FN_CSV_MAX_ROW bytes, and a record adds 5 bytes per field). */
#define STAGE_WRITE_BYTES (1024u * 1024u)
#define STAGE_RECORD_MAX  (16u * 1024u * 1024u)
#define STAGE_READ_BYTES  (4u * 1024u * 1024u)
#define STAGE_NULL        UINT32_MAX /* string length of a NULL */

enum stage_stmt { STAGE_FIND_MAIN, STAGE_MAIN_EMPTY, STAGE_PUBLISH_PERSON, STAGE_STMT_COUNT };

static const char *const stage_sql[STAGE_STMT_COUNT] = {
    [STAGE_FIND_MAIN] = "SELECT id FROM main.person WHERE record_id = ?1",
    [STAGE_MAIN_EMPTY] = "SELECT NOT EXISTS (SELECT 1 FROM main.person)",
    /* columns 1-20 as store_bind_person binds them */
    [STAGE_PUBLISH_PERSON] =
        "INSERT INTO main.person (record_id, azr_nr, family_name, given_names, birth_name, sex,"
        " birth_date, birth_place, birth_country, nationalities, identity, identity_basis,"
        " residence, residence_since, address_street, address_postcode, address_municipality,"
        " authority_id, authority_code, updated_at, id, fact_mask)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)",
};

struct store_import_stage {
    struct store *st;
    char *stage_path;  /* "<db>-import"; NULL: an unnamed temporary file */
    int lock_fd;       /* the stage file (with an flock when named); -1: none */
    int batch_open;    /* a read transaction on main is open (the lookups) */
    int main_empty;    /* main.person has no row in this batch's snapshot: no lookups */
    int64_t staged;    /* persons staged */
    struct fn_buf out; /* records not yet written to the file */
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

/* A person as the stage holds it: its fixed-size part, then the strings
 * (stage_put). The strings of a read record point into the read buffer. */
struct stage_fixed {
    uint32_t len; /* of the whole record */
    uint32_t n_nationalities, n_aliases, n_documents;
    int32_t sex, identity, residence;
    struct fn_pdate birth_date, residence_since;
    int64_t authority_id;
};

static fn_status put_str(struct fn_buf *b, const char *v)
{
    uint32_t len = v ? (uint32_t)strlen(v) : STAGE_NULL;
    fn_status rc = fn_buf_append(b, &len, sizeof len);
    return rc || !v ? rc : fn_buf_append(b, v, (size_t)len + 1);
}

static fn_status put_date(struct fn_buf *b, const struct fn_pdate *d)
{
    return fn_buf_append(b, d, sizeof *d);
}

/* Appends p as one record to b. */
static fn_status stage_put(struct fn_buf *b, const struct model_person *p)
{
    size_t start = b->len;
    struct stage_fixed f = {.n_nationalities = (uint32_t)p->n_nationalities,
                            .n_aliases = (uint32_t)p->n_aliases,
                            .n_documents = (uint32_t)p->n_documents,
                            .sex = (int32_t)p->sex,
                            .identity = (int32_t)p->identity,
                            .residence = (int32_t)p->residence,
                            .birth_date = p->birth_date,
                            .residence_since = p->residence_since,
                            .authority_id = p->authority_id};
    fn_status rc = fn_buf_append(b, &f, sizeof f);
    const char *const strs[] = {
        p->record_id,      p->azr_nr,           p->family_name,          p->given_names,
        p->birth_name,     p->birth_place,      p->birth_country,        p->identity_basis,
        p->address_street, p->address_postcode, p->address_municipality, p->authority_code,
        p->updated_at};
    for (size_t i = 0; !rc && i < sizeof strs / sizeof strs[0]; i++)
        rc = put_str(b, strs[i]);
    for (size_t i = 0; !rc && i < p->n_nationalities; i++)
        rc = put_str(b, p->nationalities[i]);
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        rc = put_str(b, p->aliases[i].family_name);
        if (!rc)
            rc = put_str(b, p->aliases[i].given_names);
        if (!rc)
            rc = put_date(b, &p->aliases[i].birth_date);
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        uint32_t verified = d->verified ? 1 : 0;
        rc = put_str(b, d->kind);
        if (!rc)
            rc = put_str(b, d->number);
        if (!rc)
            rc = put_str(b, d->issuing_state);
        if (!rc)
            rc = put_date(b, &d->valid_until);
        if (!rc)
            rc = fn_buf_append(b, &verified, sizeof verified);
    }
    if (!rc && b->len - start > STAGE_RECORD_MAX)
        rc = FN_TOO_LARGE;
    if (rc) {
        b->len = start;
        return rc;
    }
    uint32_t len = (uint32_t)(b->len - start);
    memcpy(b->data + start, &len, sizeof len);
    return FN_OK;
}

/* Reading one record: at (end) in the read buffer. */
struct stage_cursor {
    const char *at, *end;
    int bad; /* the record does not parse: the stage is damaged */
};

static const char *get_str(struct stage_cursor *c)
{
    uint32_t len;
    if (c->bad || (size_t)(c->end - c->at) < sizeof len) {
        c->bad = 1;
        return NULL;
    }
    memcpy(&len, c->at, sizeof len);
    c->at += sizeof len;
    if (len == STAGE_NULL)
        return NULL;
    if ((size_t)(c->end - c->at) <= len || c->at[len] != '\0') {
        c->bad = 1;
        return NULL;
    }
    const char *v = c->at;
    c->at += (size_t)len + 1;
    return v;
}

static void get_bytes(struct stage_cursor *c, void *out, size_t n)
{
    if (c->bad || (size_t)(c->end - c->at) < n) {
        c->bad = 1;
        memset(out, 0, n);
        return;
    }
    memcpy(out, c->at, n);
    c->at += n;
}

/* The person of one read record; its arrays are reused from row to row. */
struct stage_row {
    struct model_person p; /* strings borrowed from the read buffer */
    size_t cap_nat, cap_aliases, cap_documents;
};

static fn_status grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return FN_OK;
    void *a = fn_reallocarray(*arr, n, size);
    if (!a)
        return FN_NOMEM;
    *arr = a;
    *cap = n;
    return FN_OK;
}

/* Decodes the record in [at, end) into r. FN_INVALID: a damaged stage. */
static fn_status stage_get(const char *at, const char *end, struct stage_row *r)
{
    struct stage_cursor c = {.at = at, .end = end};
    struct stage_fixed f;
    struct model_person *p = &r->p;
    get_bytes(&c, &f, sizeof f);
    if (c.bad)
        return FN_INVALID;
    fn_status rc =
        grow((void **)&p->nationalities, &r->cap_nat, f.n_nationalities, sizeof *p->nationalities);
    if (!rc)
        rc = grow((void **)&p->aliases, &r->cap_aliases, f.n_aliases, sizeof *p->aliases);
    if (!rc)
        rc = grow((void **)&p->documents, &r->cap_documents, f.n_documents, sizeof *p->documents);
    if (rc)
        return rc;
    p->sex = (enum model_sex)f.sex;
    p->identity = (enum model_identity)f.identity;
    p->residence = (enum model_residence)f.residence;
    p->birth_date = f.birth_date;
    p->residence_since = f.residence_since;
    p->authority_id = f.authority_id;
    char **strs[] = {
        &p->record_id,      &p->azr_nr,           &p->family_name,          &p->given_names,
        &p->birth_name,     &p->birth_place,      &p->birth_country,        &p->identity_basis,
        &p->address_street, &p->address_postcode, &p->address_municipality, &p->authority_code,
        &p->updated_at};
    /* the strings stay in the read buffer: model_person's fields are not
     * const, but nothing here writes through them */
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        *strs[i] = (char *)get_str(&c);
    p->n_nationalities = f.n_nationalities;
    for (size_t i = 0; i < p->n_nationalities; i++)
        p->nationalities[i] = (char *)get_str(&c);
    p->n_aliases = f.n_aliases;
    for (size_t i = 0; i < p->n_aliases; i++) {
        p->aliases[i].family_name = (char *)get_str(&c);
        p->aliases[i].given_names = (char *)get_str(&c);
        get_bytes(&c, &p->aliases[i].birth_date, sizeof p->aliases[i].birth_date);
    }
    p->n_documents = f.n_documents;
    for (size_t i = 0; i < p->n_documents; i++) {
        struct model_document *d = &p->documents[i];
        uint32_t verified = 0;
        d->kind = (char *)get_str(&c);
        d->number = (char *)get_str(&c);
        d->issuing_state = (char *)get_str(&c);
        get_bytes(&c, &d->valid_until, sizeof d->valid_until);
        get_bytes(&c, &verified, sizeof verified);
        d->verified = verified != 0;
    }
    return c.bad || c.at != end || !p->record_id ? FN_INVALID : FN_OK;
}

static void stage_row_free(struct stage_row *r)
{
    fn_free(r->p.nationalities);
    fn_free(r->p.aliases);
    fn_free(r->p.documents);
}

static fn_status write_all(struct store *st, int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(st->errmsg, sizeof st->errmsg, "Importdatei: %s",
                     n < 0 ? strerror(errno) : "nichts geschrieben");
            return FN_IO;
        }
        data += n;
        len -= (size_t)n;
    }
    return FN_OK;
}

/* Writes the buffered records to the stage file. */
static fn_status stage_write(struct store_import_stage *sg)
{
    fn_status rc = write_all(sg->st, sg->lock_fd, sg->out.data, sg->out.len);
    fn_buf_reset(&sg->out);
    return rc;
}

/* A stage for a database without a file of its own: an unnamed file. */
static fn_status stage_anonymous(struct store_import_stage *sg)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/fallnetz-import-XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(sg->st->errmsg, sizeof sg->st->errmsg, "Importdatei: %s", strerror(errno));
        return FN_IO;
    }
    unlink(path);
    sg->lock_fd = fd;
    return FN_OK;
}

static fn_status stage_prepare(struct store_import_stage *sg)
{
    fn_status rc = FN_OK;
    for (int i = 0; !rc && i < STAGE_STMT_COUNT; i++)
        rc = store_prepare(sg->st, stage_sql[i], &sg->stmts[i]);
    return rc;
}

/* Inside a batch's read transaction: whether main.person has no row in
 * the snapshot the batch's lookups would see (the first read of main fixes
 * it for the batch), so the batch can skip them. */
static fn_status check_main_empty(struct store_import_stage *sg)
{
    sqlite3_stmt *s = sg->stmts[STAGE_MAIN_EMPTY];
    int src = sqlite3_step(s);
    sg->main_empty = src == SQLITE_ROW && sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    return src == SQLITE_ROW ? FN_OK : store_db_error(sg->st, src);
}

/* Closes the statements and removes the stage; safe at any point of a
 * failed begin. */
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
    if (sg->lock_fd >= 0) {
        /* Emptied before the name goes: the personal data must not stay on
         * disk; closing the descriptor releases the flock. */
        if (ftruncate(sg->lock_fd, 0) != 0) {
            /* unlink below removes the data anyway */
        }
        if (sg->stage_path)
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
    fn_buf_free(&sg->out);
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
    fn_buf_init(&sg->out, STAGE_WRITE_BYTES + STAGE_RECORD_MAX);
    fn_status rc = stage_path_for(st->path, &sg->stage_path);
    if (!rc)
        rc = sg->stage_path ? stage_lock(sg) : stage_anonymous(sg);
    if (!rc)
        rc = stage_prepare(sg);
    if (rc) {
        stage_free(sg);
        return rc;
    }
    *out = sg;
    return FN_OK;
}

/* Ends the batch: its records go to the file, the main database's
 * snapshot is released and its WAL checkpointed. */
fn_status sqlite_import_stage_batch(struct store_import_stage *sg)
{
    fn_status rc = stage_write(sg);
    if (rc || !sg->batch_open)
        return rc;
    rc = store_exec(sg->st, "COMMIT");
    if (rc)
        return rc;
    sg->batch_open = 0;
    sg->st->in_tx = 0;
    checkpoint_wal(sg->st, 0);
    return FN_OK;
}

fn_status sqlite_import_stage_person(struct store_import_stage *sg, struct model_person *p)
{
    struct store *st = sg->st;
    p->id = 0;
    fn_status rc = FN_OK;
    if (!sg->batch_open) {
        /* Deferred: main is only read (no write lock). */
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
    rc = stage_put(&sg->out, p);
    if (!rc && sg->out.len >= STAGE_WRITE_BYTES)
        rc = stage_write(sg);
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

/* Inserts the person of r with id and its aliases and documents. A
 * record_id stored meanwhile: FN_CONFLICT, errmsg names it. */
static fn_status publish_row(struct store_import_stage *sg, struct stage_row *r, int64_t id,
                             struct fn_buf *nat)
{
    struct store *st = sg->st;
    struct model_person *p = &r->p;
    sqlite3_stmt *s = sg->stmts[STAGE_PUBLISH_PERSON];
    fn_buf_reset(nat);
    fn_status rc = store_bind_person(s, p, nat);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 21, id);
    /* person.fact_mask bits (schema version 4): 1 aliases, 2 documents */
    sqlite3_bind_int(s, 22, (p->n_aliases ? 1 : 0) | (p->n_documents ? 2 : 0));
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        if (rc == FN_CONFLICT)
            snprintf(st->errmsg, sizeof st->errmsg,
                     "record_id '%.60s' wurde während des Imports von anderer Seite gespeichert",
                     p->record_id);
        return rc;
    }
    p->id = id;
    return p->n_aliases || p->n_documents ? store_person_insert_children(st, p) : FN_OK;
}

/* Reads the stage file from its start and publishes every record, the
 * i-th with id base + i. */
static fn_status publish_rows(struct store_import_stage *sg, int64_t base)
{
    struct store *st = sg->st;
    struct stage_row row = {0};
    struct fn_buf nat;
    fn_buf_init(&nat, FN_BUF_SMALL);
    size_t cap = STAGE_READ_BYTES, have = 0, used = 0;
    char *buf = fn_malloc(cap);
    int64_t seq = 0;
    fn_status rc = buf ? FN_OK : FN_NOMEM;
    if (!rc && lseek(sg->lock_fd, 0, SEEK_SET) != 0)
        rc = FN_IO;
    for (int eof = 0; !rc && !(eof && used == have);) {
        uint32_t len = 0;
        if (have - used >= sizeof len)
            memcpy(&len, buf + used, sizeof len);
        if (have - used < sizeof len || have - used < len) {
            if (eof || len > STAGE_RECORD_MAX) {
                rc = FN_INVALID; /* a record cut short */
                break;
            }
            memmove(buf, buf + used, have - used);
            have -= used;
            used = 0;
            if (len > cap) {
                char *grown = fn_realloc(buf, len);
                if (!grown) {
                    rc = FN_NOMEM;
                    break;
                }
                buf = grown;
                cap = len;
            }
            ssize_t n = read(sg->lock_fd, buf + have, cap - have);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                rc = FN_IO;
            eof = n == 0;
            have += n > 0 ? (size_t)n : 0;
            continue;
        }
        rc = stage_get(buf + used, buf + used + len, &row);
        used += len;
        if (!rc)
            rc = publish_row(sg, &row, base + ++seq, &nat);
    }
    if (!rc && seq != sg->staged)
        rc = FN_INVALID;
    if (rc == FN_IO || rc == FN_INVALID)
        snprintf(st->errmsg, sizeof st->errmsg, "Importdatei %s",
                 rc == FN_IO ? "nicht lesbar" : "beschädigt");
    fn_free(buf);
    fn_buf_free(&nat);
    stage_row_free(&row);
    return rc;
}

/* Inside the policy's write transaction on the main database: inserts the
 * staged persons with consecutive ids after the highest stored one. */
fn_status sqlite_import_stage_publish(struct store_import_stage *sg, int64_t *first_id)
{
    struct store *st = sg->st;
    struct saved_triggers triggers = {0};
    int64_t base = 0, existing = 0;
    *first_id = 0;
    if (!st->in_tx || sg->batch_open)
        return FN_INVALID;
    /* A large page cache for the inserts and the index builds; back to the
     * handle's usual 32 MiB when the stage closes. */
    sqlite3_exec(st->db, "PRAGMA main.cache_size = -524288", NULL, NULL, NULL);
    fn_status rc = stage_write(sg);
    if (!rc)
        rc = sqlite_max_person_id(st, &base);
    if (!rc)
        rc = sqlite_person_count(st, &existing);
    if (rc)
        goto out;
    /* Building an index once over sorted keys beats a million random b-tree
     * inserts; inside the transaction nobody sees the gap. */
    int bulk = sg->staged >= BULK_PUBLISH_ROWS && sg->staged > existing;
    if (bulk)
        rc = store_exec(st, "DROP INDEX main.person_azr; DROP INDEX main.person_authority;");
    if (!rc && bulk)
        rc = triggers_drop(st, &triggers);
    if (!rc)
        rc = publish_rows(sg, base);
    /* What person_due_insert did per row (the alias and document rows
     * only queue the same persons again). */
    if (!rc && triggers.person_due)
        rc = exec_with_base(st,
                            "INSERT OR IGNORE INTO main.assessment_due (person_id)"
                            " SELECT id FROM main.person WHERE id > ?1 ORDER BY id",
                            base);
    if (!rc && bulk)
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
