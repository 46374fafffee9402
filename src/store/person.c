/* person.c – the SQLite rows of persons: insert, read, list, update, delete.
 * Rows only: scope, validation and audit rows are policy_person.c's and
 * policy_read.c's; the reads take the resolved scope. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "store/store_int.h"

/* Joins nationalities with ';' into out (cap 256). */
fn_status store_bind_person(sqlite3_stmt *s, const struct model_person *p, struct fn_buf *nat)
{
    for (size_t i = 0; i < p->n_nationalities; i++) {
        fn_status rc = fn_buf_append_str(nat, i ? ";" : "");
        if (!rc)
            rc = fn_buf_append_str(nat, p->nationalities[i]);
        if (rc)
            return rc;
    }
    sqlite3_bind_text(s, 1, p->record_id, -1, SQLITE_STATIC);
    store_bind_text(s, 2, p->azr_nr);
    store_bind_text(s, 3, p->family_name);
    store_bind_text(s, 4, p->given_names);
    store_bind_text(s, 5, p->birth_name);
    sqlite3_bind_text(s, 6, model_sex_code(p->sex), -1, SQLITE_STATIC);
    store_bind_date(s, 7, &p->birth_date);
    store_bind_text(s, 8, p->birth_place);
    store_bind_text(s, 9, p->birth_country);
    store_bind_text(s, 10, fn_buf_str(nat));
    store_bind_text(s, 11, model_identity_code(p->identity));
    store_bind_text(s, 12, p->identity_basis);
    store_bind_text(s, 13, p->residence == RES_UNKNOWN ? "" : model_residence_code(p->residence));
    store_bind_date(s, 14, &p->residence_since);
    store_bind_text(s, 15, p->address_street);
    store_bind_text(s, 16, p->address_postcode);
    store_bind_text(s, 17, p->address_municipality);
    store_bind_id(s, 18, p->authority_id);
    store_bind_text(s, 19, p->authority_code);
    store_bind_text(s, 20, p->updated_at);
    return FN_OK;
}

/* Inserts p's aliases and documents under p->id; the caller holds a
 * transaction. */
static fn_status insert_children(struct store *st, const struct model_person *p)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        rc = store_stmt(st, STMT_ALIAS_INSERT, &s);
        if (rc)
            break;
        sqlite3_bind_int64(s, 1, p->id);
        store_bind_text(s, 2, p->aliases[i].family_name);
        store_bind_text(s, 3, p->aliases[i].given_names);
        store_bind_date(s, 4, &p->aliases[i].birth_date);
        int src = sqlite3_step(s);
        sqlite3_reset(s);
        if (src != SQLITE_DONE)
            rc = store_db_error(st, src);
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        rc = store_stmt(st, STMT_DOCUMENT_INSERT, &s);
        if (rc)
            break;
        sqlite3_bind_int64(s, 1, p->id);
        store_bind_text(s, 2, d->kind);
        store_bind_text(s, 3, d->number);
        store_bind_text(s, 4, d->issuing_state);
        store_bind_date(s, 5, &d->valid_until);
        sqlite3_bind_int(s, 6, d->verified ? 1 : 0);
        int src = sqlite3_step(s);
        sqlite3_reset(s);
        if (src != SQLITE_DONE)
            rc = store_db_error(st, src);
    }
    return rc;
}

/* Inserts the person row, aliases and documents; the caller holds a
 * transaction. Used by store_person_insert and the importer. */
fn_status store_person_insert_rows(struct store *st, struct model_person *p);
fn_status store_person_insert_rows(struct store *st, struct model_person *p)
{
    sqlite3_stmt *s = NULL;
    struct fn_buf nat;
    fn_buf_init(&nat, 256);
    fn_status rc = store_stmt(st, STMT_PERSON_INSERT, &s);
    if (!rc)
        rc = store_bind_person(s, p, &nat);
    if (rc)
        goto out;
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto out;
    }
    p->id = sqlite3_last_insert_rowid(st->db);
    p->version = 1; /* the column's default */
    rc = insert_children(st, p);
out:
    fn_buf_free(&nat);
    return rc;
}

fn_status sqlite_person_row_insert(struct store *st, struct model_person *p)
{
    return store_person_insert_rows(st, p);
}

/* Splits "AAA;BBB" into p->nationalities. */
static fn_status split_nationalities(const char *s, struct model_person *p)
{
    if (!s || !s[0])
        return FN_OK;
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ';';
    p->nationalities = fn_calloc(n, sizeof *p->nationalities);
    if (!p->nationalities)
        return FN_NOMEM;
    const char *start = s;
    for (;;) {
        const char *end = strchr(start, ';');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        if (len) {
            p->nationalities[p->n_nationalities] = fn_strndup(start, len);
            if (!p->nationalities[p->n_nationalities])
                return FN_NOMEM;
            p->n_nationalities++;
        }
        if (!end)
            break;
        start = end + 1;
    }
    return FN_OK;
}

/* Fills p from a STMT_PERSON_GET row. */
static fn_status read_person_row(sqlite3_stmt *s, struct model_person *p)
{
    fn_status rc = FN_OK;
    char *sex = NULL, *identity = NULL, *residence = NULL, *nat = NULL;
    p->id = sqlite3_column_int64(s, 0);
    struct {
        int col;
        char **dst;
    } texts[] = {{1, &p->record_id},
                 {2, &p->azr_nr},
                 {3, &p->family_name},
                 {4, &p->given_names},
                 {5, &p->birth_name},
                 {6, &sex},
                 {8, &p->birth_place},
                 {9, &p->birth_country},
                 {10, &nat},
                 {11, &identity},
                 {12, &p->identity_basis},
                 {13, &residence},
                 {15, &p->address_street},
                 {16, &p->address_postcode},
                 {17, &p->address_municipality},
                 {19, &p->authority_code},
                 {20, &p->updated_at}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0] && !rc; i++)
        rc = store_col_text(s, texts[i].col, texts[i].dst);
    if (rc)
        goto out;
    store_col_date(s, 7, &p->birth_date);
    store_col_date(s, 14, &p->residence_since);
    p->authority_id = sqlite3_column_int64(s, 18);
    if (model_sex_parse(sex ? sex : "", &p->sex) != FN_OK)
        p->sex = SEX_UNKNOWN;
    if (model_identity_parse(identity ? identity : "", &p->identity) != FN_OK)
        p->identity = IDENTITY_UNKNOWN;
    if (model_residence_parse(residence ? residence : "", &p->residence) != FN_OK)
        p->residence = RES_UNKNOWN;
    rc = split_nationalities(nat, p);
out:
    fn_free(sex);
    fn_free(identity);
    fn_free(residence);
    fn_free(nat);
    return rc;
}

/* Bits of person.fact_mask (schema version 4): which child tables have rows. */
#define MASK_ALIAS      0x01
#define MASK_DOCUMENT   0x02
#define MASK_RESIDENCE  0x04
#define MASK_PROCEEDING 0x08
#define MASK_CUSTODY    0x10
#define MASK_OBSTACLE   0x20
#define MASK_FINDING    0x40
#define MASK_CASE       0x80
#define MASK_ALL        0xff

static fn_status read_aliases_documents(struct store *st, struct model_person *p, int64_t mask)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = FN_OK;
    int src = SQLITE_DONE;
    if (!(mask & MASK_ALIAS))
        goto documents;
    rc = store_stmt(st, STMT_ALIAS_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, p->id);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        struct model_alias *arr = fn_reallocarray(p->aliases, p->n_aliases + 1, sizeof *arr);
        if (!arr)
            return FN_NOMEM;
        p->aliases = arr;
        struct model_alias *al = &arr[p->n_aliases++];
        memset(al, 0, sizeof *al);
        rc = store_col_text(s, 0, &al->family_name);
        if (!rc)
            rc = store_col_text(s, 1, &al->given_names);
        if (rc)
            return rc;
        store_col_date(s, 2, &al->birth_date);
    }
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
documents:
    if (!(mask & MASK_DOCUMENT))
        return FN_OK;
    rc = store_stmt(st, STMT_DOCUMENT_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, p->id);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        struct model_document *arr = fn_reallocarray(p->documents, p->n_documents + 1, sizeof *arr);
        if (!arr)
            return FN_NOMEM;
        p->documents = arr;
        struct model_document *d = &arr[p->n_documents++];
        memset(d, 0, sizeof *d);
        rc = store_col_text(s, 0, &d->kind);
        if (!rc)
            rc = store_col_text(s, 1, &d->number);
        if (!rc)
            rc = store_col_text(s, 2, &d->issuing_state);
        if (rc)
            return rc;
        store_col_date(s, 3, &d->valid_until);
        d->verified = sqlite3_column_int(s, 4);
    }
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

/* Grows *arr by one zeroed element of size sz; returns it or NULL. */
static void *grow(void **arr, size_t *n, size_t sz)
{
    void *p = fn_reallocarray(*arr, *n + 1, sz);
    if (!p)
        return NULL;
    *arr = p;
    char *e = (char *)p + *n * sz;
    memset(e, 0, sz);
    (*n)++;
    return e;
}

static int parse_enum_col(sqlite3_stmt *s, int col, const char *(*code)(int), int count)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    int v = 0;
    if (model_enum_parse(t ? (const char *)t : "", code, count, &v) != FN_OK)
        return 0;
    return v;
}

/* Reads one residence row (columns as in its per-person statement) into f. */
static fn_status residence_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    fn_status rc = FN_OK;
    struct model_residence_entry *r = grow((void **)&f->residence, &f->n_residence, sizeof *r);
    if (!r)
        return FN_NOMEM;
    r->id = sqlite3_column_int64(s, 0);
    r->person_id = pid;
    r->status = (enum model_residence)parse_enum_col(s, 1, model_residence_code_int, RES_COUNT);
    store_col_date(s, 2, &r->since);
    store_col_date(s, 3, &r->until);
    rc = store_col_text(s, 4, &r->legal_basis);
    if (rc)
        return rc;
    store_col_date(s, 5, &r->enforceable_since);
    store_col_date(s, 6, &r->departure_deadline);
    (void)rc;
    return FN_OK;
}

/* Reads one proceeding row (columns as in its per-person statement) into f. */
static fn_status proceeding_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    fn_status rc = FN_OK;
    struct model_proceeding *p = grow((void **)&f->proceedings, &f->n_proceedings, sizeof *p);
    if (!p)
        return FN_NOMEM;
    p->id = sqlite3_column_int64(s, 0);
    p->person_id = pid;
    p->kind = (enum model_proceeding_kind)parse_enum_col(s, 1, model_proceeding_kind_code_int,
                                                         PROC_KIND_COUNT);
    rc = store_col_text(s, 2, &p->file_number);
    if (!rc)
        rc = store_col_text(s, 4, &p->offences);
    if (rc)
        return rc;
    p->authority_id = sqlite3_column_int64(s, 3);
    store_col_date(s, 5, &p->offence_date);
    store_col_date(s, 6, &p->decision_date);
    p->sentence = (enum model_sentence)parse_enum_col(s, 7, model_sentence_code_int, SENT_COUNT);
    p->sentence_months = sqlite3_column_int(s, 8);
    p->suspended = sqlite3_column_int(s, 9);
    p->intentional = sqlite3_column_int(s, 10);
    store_col_date(s, 11, &p->final_date);
    p->consent = (enum model_consent)parse_enum_col(s, 12, model_consent_code_int, CONSENT_COUNT);
    (void)rc;
    return FN_OK;
}

/* Reads one custody row (columns as in its per-person statement) into f. */
static fn_status custody_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    fn_status rc = FN_OK;
    struct model_custody *c = grow((void **)&f->custody, &f->n_custody, sizeof *c);
    if (!c)
        return FN_NOMEM;
    c->id = sqlite3_column_int64(s, 0);
    c->person_id = pid;
    c->prison_id = sqlite3_column_int64(s, 1);
    c->kind =
        (enum model_custody_kind)parse_enum_col(s, 2, model_custody_kind_code_int, CUSTODY_COUNT);
    store_col_date(s, 3, &c->start);
    store_col_date(s, 4, &c->planned_release);
    store_col_date(s, 5, &c->released);
    c->decision_456a = sqlite3_column_int(s, 6);
    store_col_date(s, 7, &c->decision_456a_date);
    c->transferred_from = sqlite3_column_int64(s, 8);
    (void)rc;
    return FN_OK;
}

/* Reads one obstacle row (columns as in its per-person statement) into f. */
static fn_status obstacle_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    fn_status rc = FN_OK;
    struct model_obstacle_entry *o = grow((void **)&f->obstacles, &f->n_obstacles, sizeof *o);
    if (!o)
        return FN_NOMEM;
    o->id = sqlite3_column_int64(s, 0);
    o->person_id = pid;
    o->kind = (enum model_obstacle)parse_enum_col(s, 1, model_obstacle_code_int, OBST_COUNT);
    store_col_date(s, 2, &o->since);
    store_col_date(s, 3, &o->until);
    rc = store_col_text(s, 4, &o->note);
    if (rc)
        return rc;
    (void)rc;
    return FN_OK;
}

/* Reads one finding row (columns as in its per-person statement) into f. */
static fn_status finding_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    fn_status rc = FN_OK;
    struct model_finding_entry *fd = grow((void **)&f->findings, &f->n_findings, sizeof *fd);
    if (!fd)
        return FN_NOMEM;
    fd->id = sqlite3_column_int64(s, 0);
    fd->person_id = pid;
    fd->kind = (enum model_finding)parse_enum_col(s, 1, model_finding_code_int, FIND_COUNT);
    fd->established_by = sqlite3_column_int64(s, 2);
    store_col_date(s, 3, &fd->date);
    rc = store_col_text(s, 4, &fd->reference);
    if (!rc)
        rc = store_col_text(s, 5, &fd->note);
    if (rc)
        return rc;
    (void)rc;
    return FN_OK;
}

/* Reads one case row (columns as in its per-person statement) into f. */
static fn_status case_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    fn_status rc = FN_OK;
    struct model_case *c = grow((void **)&f->cases, &f->n_cases, sizeof *c);
    if (!c)
        return FN_NOMEM;
    c->id = sqlite3_column_int64(s, 0);
    c->person_id = pid;
    c->authority_id = sqlite3_column_int64(s, 1);
    c->region_id = sqlite3_column_int64(s, 2);
    c->status =
        (enum model_case_status)parse_enum_col(s, 3, model_case_status_code_int, CASE_STATUS_COUNT);
    rc = store_col_text(s, 4, &c->tags);
    if (rc)
        return rc;
    store_col_date(s, 5, &c->opened);
    store_col_date(s, 6, &c->closed);
    (void)rc;
    return FN_OK;
}

static fn_status read_facts(struct store *st, struct model_person_file *f, int64_t mask)
{
    int64_t pid = f->person->id;
    sqlite3_stmt *s = NULL;
    int src;
    fn_status rc = FN_OK;
    if (!(mask & MASK_RESIDENCE))
        goto proceedings;
    rc = store_stmt(st, STMT_RESIDENCE_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, pid);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = residence_row(s, f, pid);
        if (rc)
            return rc;
    }
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

proceedings:
    if (!(mask & MASK_PROCEEDING))
        goto custody;
    rc = store_stmt(st, STMT_PROCEEDING_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, pid);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = proceeding_row(s, f, pid);
        if (rc)
            return rc;
    }
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

custody:
    if (!(mask & MASK_CUSTODY))
        goto obstacles;
    rc = store_stmt(st, STMT_CUSTODY_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, pid);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = custody_row(s, f, pid);
        if (rc)
            return rc;
    }
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

obstacles:
    if (!(mask & MASK_OBSTACLE))
        goto findings;
    rc = store_stmt(st, STMT_OBSTACLE_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, pid);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = obstacle_row(s, f, pid);
        if (rc)
            return rc;
    }
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

findings:
    if (!(mask & MASK_FINDING))
        goto cases;
    rc = store_stmt(st, STMT_FINDING_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, pid);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = finding_row(s, f, pid);
        if (rc)
            return rc;
    }
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

cases:
    if (!(mask & MASK_CASE))
        return FN_OK;
    rc = store_stmt(st, STMT_CASE_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, pid);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = case_row(s, f, pid);
        if (rc)
            return rc;
    }
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

/* Reads person row id into p (STMT_PERSON_GET) with its version; *mask =
 * its fact_mask. FN_NOTFOUND when there is none. With held NULL the
 * statement is reset here; else it stays on its row and *held (caller
 * resets it) keeps the connection's read transaction open, so that the
 * queries for the rest of the file read the same snapshot and do not each
 * begin and end a transaction of their own (WAL read lock, schema check). */
static fn_status read_person(struct store *st, int64_t id, struct model_person *p, int64_t *mask,
                             sqlite3_stmt **held)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_stmt(st, STMT_PERSON_GET, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        rc = read_person_row(s, p);
        *mask = sqlite3_column_int64(s, 21);
        p->version = sqlite3_column_int64(s, 22);
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    if (held && !rc)
        *held = s;
    else
        sqlite3_reset(s);
    return rc;
}

fn_status sqlite_person_get(struct store *st, const struct store_scope *sc, int64_t id,
                            struct model_person_file **out)
{
    *out = NULL;
    struct model_person_file *f = fn_calloc(1, sizeof *f);
    if (!f)
        return FN_NOMEM;
    fn_status rc = FN_NOMEM;
    int64_t mask = 0;
    sqlite3_stmt *held = NULL;
    f->person = model_person_new();
    if (f->person)
        rc = read_person(st, id, f->person, &mask, &held);
    /* Out of scope reads as absent: existence is not revealed. The check
     * is the cached one, so a scoped read costs no extra query. */
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, sc, f->person->authority_id, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND;
    if (!rc)
        rc = read_aliases_documents(st, f->person, mask);
    if (!rc)
        rc = read_facts(st, f, mask);
    if (held)
        sqlite3_reset(held);
    if (rc)
        model_person_file_free(f);
    else
        *out = f;
    return rc;
}

fn_status sqlite_person_row_get(struct store *st, int64_t id, struct model_person **out)
{
    *out = model_person_new();
    if (!*out)
        return FN_NOMEM;
    int64_t mask = 0;
    fn_status rc = read_person(st, id, *out, &mask, NULL);
    if (!rc)
        rc = read_aliases_documents(st, *out, mask);
    if (rc) {
        model_person_free(*out);
        *out = NULL;
    }
    return rc;
}

fn_status sqlite_person_find(struct store *st, const struct store_scope *sc, const char *record_id,
                             int64_t *id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_stmt(st, STMT_PERSON_FIND, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, record_id, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    int64_t found = 0, authority = 0;
    if (src == SQLITE_ROW) {
        found = sqlite3_column_int64(s, 0);
        authority = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (src == SQLITE_DONE)
        return FN_NOTFOUND;
    if (src != SQLITE_ROW)
        return store_db_error(st, src);
    int covered = 0;
    rc = store_scope_covers(st, sc, authority, &covered);
    if (rc)
        return rc;
    if (!covered)
        return FN_NOTFOUND;
    *id = found;
    return FN_OK;
}

fn_status sqlite_person_authority(struct store *st, int64_t person_id, int64_t *authority_id)
{
    *authority_id = 0;
    return store_lookup_id(st, "SELECT coalesce(authority_id, 0) FROM person WHERE id = ?1",
                           person_id, authority_id);
}

/* Runs sql with ?1 bound to id (no result rows). */
static fn_status store_exec_id(struct store *st, const char *sql, int64_t id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

/* Why an update of row id with version expected changed no row: FN_STALE
 * when the row is there (with another version), FN_NOTFOUND when not. */
static fn_status update_missed(struct store *st, int64_t id)
{
    int64_t version = 0;
    fn_status rc = store_lookup_id(st, "SELECT version FROM person WHERE id = ?1", id, &version);
    return rc ? rc : FN_STALE;
}

fn_status sqlite_person_row_update(struct store *st, struct model_person *p)
{
    sqlite3_stmt *s = NULL;
    struct fn_buf nat;
    fn_buf_init(&nat, 256);
    /* The version check and the increment are one statement, so of two
     * writers that read the same version only the first changes the row. */
    fn_status rc = store_prepare(st,
                                 "UPDATE person SET record_id = ?1, azr_nr = ?2, family_name = ?3,"
                                 " given_names = ?4, birth_name = ?5, sex = ?6, birth_date = ?7,"
                                 " birth_place = ?8, birth_country = ?9, nationalities = ?10,"
                                 " identity = ?11, identity_basis = ?12, residence = ?13,"
                                 " residence_since = ?14, address_street = ?15,"
                                 " address_postcode = ?16, address_municipality = ?17,"
                                 " authority_id = ?18, authority_code = ?19, updated_at = ?20,"
                                 " version = version + 1 WHERE id = ?21 AND version = ?22",
                                 &s);
    if (!rc)
        rc = store_bind_person(s, p, &nat);
    if (rc)
        goto out;
    sqlite3_bind_int64(s, 21, p->id);
    sqlite3_bind_int64(s, 22, p->version);
    int src = sqlite3_step(s);
    if (src != SQLITE_DONE)
        rc = store_db_error(st, src);
    else if (sqlite3_changes(st->db) == 0)
        rc = update_missed(st, p->id);
    else
        p->version++;
    if (!rc)
        rc = store_exec_id(st, "DELETE FROM person_alias WHERE person_id = ?1", p->id);
    /* identity documents are recorded facts with history (issue 13): the
     * update leaves them alone, so only the aliases are written again */
    struct model_person aliases_only = *p;
    aliases_only.n_documents = 0;
    if (!rc)
        rc = insert_children(st, &aliases_only);
out:
    sqlite3_finalize(s);
    fn_buf_free(&nat);
    return rc;
}

fn_status sqlite_person_row_delete(struct store *st, int64_t id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "DELETE FROM person WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src != SQLITE_DONE)
        rc = store_db_error(st, src);
    else if (sqlite3_changes(st->db) == 0)
        rc = FN_NOTFOUND;
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_person_count(struct store *st, int64_t *n)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "SELECT count(*) FROM person", &s);
    if (rc)
        return rc;
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

/* Copies a column into a fixed field, cut on a character boundary: a
 * name cut inside a UTF-8 sequence made the whole list page unencodable. */
static void copy_col(sqlite3_stmt *s, int col, char *dst, size_t size)
{
    fn_utf8_copy(dst, size, (const char *)sqlite3_column_text(s, col));
}

fn_status sqlite_person_list(struct store *st, const struct store_scope *sc,
                             const struct store_scope *of, int64_t after_id, size_t limit,
                             struct store_person_summary *out, size_t *n)
{
    *n = 0;
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st,
        "SELECT id, record_id, family_name, given_names, birth_date, residence,"
        " identity, authority_id FROM person WHERE id > ?1"
        " AND " STORE_SCOPE_SQL("authority_id", "3", "4", "5") " AND " STORE_SCOPE_SQL(
            "authority_id", "6", "7", "8") " ORDER BY id LIMIT ?2",
        &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
    store_scope_bind(s, 3, of);
    store_scope_bind(s, 6, sc);
    int src = SQLITE_DONE;
    size_t count = 0;
    while (count < limit && (src = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_person_summary *p = &out[count++];
        p->id = sqlite3_column_int64(s, 0);
        copy_col(s, 1, p->record_id, sizeof p->record_id);
        copy_col(s, 2, p->family_name, sizeof p->family_name);
        copy_col(s, 3, p->given_names, sizeof p->given_names);
        copy_col(s, 4, p->birth_date, sizeof p->birth_date);
        copy_col(s, 5, p->residence, sizeof p->residence);
        copy_col(s, 6, p->identity, sizeof p->identity);
        p->authority_id = sqlite3_column_int64(s, 7);
    }
    if (count < limit && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    else
        *n = count;
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_person_each(struct store *st, const struct store_scope *sc, store_person_fn fn,
                             void *ctx)
{
    sqlite3_stmt *s = NULL;
    struct model_person *p = NULL;
    fn_status rc =
        store_prepare(st,
                      "SELECT id, record_id, azr_nr, family_name, given_names, birth_name, sex,"
                      " birth_date, birth_place, birth_country, nationalities, identity,"
                      " identity_basis, residence, residence_since, address_street,"
                      " address_postcode, address_municipality, authority_id, authority_code,"
                      " updated_at FROM person WHERE " STORE_SCOPE_SQL("authority_id", "1", "2",
                                                                       "3") " ORDER BY id",
                      &s);
    if (rc)
        return rc;
    store_scope_bind(s, 1, sc);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        p = model_person_new();
        if (!p) {
            rc = FN_NOMEM;
            goto out;
        }
        rc = read_person_row(s, p);
        if (!rc)
            rc = read_aliases_documents(st, p, MASK_ALL);
        if (!rc)
            rc = fn(ctx, p);
        model_person_free(p);
        p = NULL;
        if (rc)
            goto out;
    }
    if (src != SQLITE_DONE)
        rc = store_db_error(st, src);
out:
    sqlite3_finalize(s);
    return rc;
}

/* ---- bulk: every person's file in id order ---- */

/* One ordered cursor over a child table; person_id is its last column. */
struct bulk_cursor {
    sqlite3_stmt *s;
    int person_col;
    int has_row;
    int64_t person_id;
    fn_status (*row)(sqlite3_stmt *s, struct model_person_file *f, int64_t pid);
};

static fn_status cursor_step(struct store *st, struct bulk_cursor *c)
{
    int src = sqlite3_step(c->s);
    c->has_row = src == SQLITE_ROW;
    if (c->has_row)
        c->person_id = sqlite3_column_int64(c->s, c->person_col);
    else if (src != SQLITE_DONE)
        return store_db_error(st, src);
    return FN_OK;
}

static fn_status document_row(sqlite3_stmt *s, struct model_person_file *f, int64_t pid)
{
    (void)pid;
    struct model_person *p = f->person;
    struct model_document *arr = fn_reallocarray(p->documents, p->n_documents + 1, sizeof *arr);
    if (!arr)
        return FN_NOMEM;
    p->documents = arr;
    struct model_document *d = &arr[p->n_documents++];
    memset(d, 0, sizeof *d);
    fn_status rc = store_col_text(s, 0, &d->kind);
    if (!rc)
        rc = store_col_text(s, 1, &d->number);
    if (!rc)
        rc = store_col_text(s, 2, &d->issuing_state);
    store_col_date(s, 3, &d->valid_until);
    d->verified = sqlite3_column_int(s, 4);
    return rc;
}

/* The child tables in the column layout of their per-person statements,
 * person_id appended, ordered by person. Aliases are left out: no reader of
 * the bulk walk needs them. */
static const struct {
    const char *sql;
    int person_col;
    fn_status (*row)(sqlite3_stmt *s, struct model_person_file *f, int64_t pid);
} bulk_tables[] = {
    {"SELECT kind, number, issuing_state, valid_until, verified, person_id"
     " FROM travel_document WHERE person_id BETWEEN ?1 AND ?2 AND retired_at IS NULL"
     " ORDER BY person_id, id",
     5, document_row},
    {"SELECT id, status, since, until, legal_basis, enforceable_since, departure_deadline,"
     " person_id FROM residence_status WHERE retired_at IS NULL ORDER BY person_id, since, id",
     7, residence_row},
    {"SELECT id, kind, file_number, authority_id, offences, offence_date, decision_date,"
     " sentence, sentence_months, suspended, intentional, final_date, consent, person_id"
     " FROM proceeding WHERE person_id BETWEEN ?1 AND ?2 AND retired_at IS NULL"
     " ORDER BY person_id, decision_date, id",
     13, proceeding_row},
    {"SELECT id, prison_id, kind, start, planned_release, released, decision_456a,"
     " decision_456a_date, transferred_from, person_id FROM custody"
     " WHERE retired_at IS NULL ORDER BY person_id, start, id",
     9, custody_row},
    {"SELECT id, kind, since, until, note, person_id FROM legal_obstacle"
     " WHERE retired_at IS NULL ORDER BY person_id, since, id",
     5, obstacle_row},
    {"SELECT id, kind, established_by, date, reference, note, person_id FROM finding"
     " WHERE retired_at IS NULL ORDER BY person_id, date, id",
     6, finding_row},
    {"SELECT id, authority_id, region_id, status, tags, opened, closed, person_id"
     " FROM case_file WHERE person_id BETWEEN ?1 AND ?2 ORDER BY person_id, id",
     7, case_row},
};
#define BULK_TABLES (sizeof bulk_tables / sizeof bulk_tables[0])

fn_status sqlite_person_files_range(struct store *st, const struct store_scope *sc, int64_t lo_id,
                                    int64_t hi_id, store_person_file_fn fn, void *ctx)
{
    struct bulk_cursor cur[BULK_TABLES];
    memset(cur, 0, sizeof cur);
    sqlite3_stmt *ps = NULL;
    struct model_person_file *f = NULL;
    fn_status rc = store_exec(st, "BEGIN"); /* one consistent snapshot for every cursor */
    if (rc)
        return rc;
    rc = store_prepare(st,
                       "SELECT id, record_id, azr_nr, family_name, given_names, birth_name, sex,"
                       " birth_date, birth_place, birth_country, nationalities, identity,"
                       " identity_basis, residence, residence_since, address_street,"
                       " address_postcode, address_municipality, authority_id, authority_code,"
                       " updated_at FROM person WHERE id BETWEEN ?1 AND ?2 AND " STORE_SCOPE_SQL(
                           "authority_id", "3", "4", "5") " ORDER BY id",
                       &ps);
    if (!rc) {
        sqlite3_bind_int64(ps, 1, lo_id);
        sqlite3_bind_int64(ps, 2, hi_id);
        store_scope_bind(ps, 3, sc);
    }
    for (size_t t = 0; t < BULK_TABLES && !rc; t++) {
        cur[t].person_col = bulk_tables[t].person_col;
        cur[t].row = bulk_tables[t].row;
        rc = store_prepare(st, bulk_tables[t].sql, &cur[t].s);
        if (!rc) {
            sqlite3_bind_int64(cur[t].s, 1, lo_id);
            sqlite3_bind_int64(cur[t].s, 2, hi_id);
            rc = cursor_step(st, &cur[t]);
        }
    }
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(ps)) == SQLITE_ROW) {
        f = fn_calloc(1, sizeof *f);
        if (!f || !(f->person = model_person_new())) {
            rc = FN_NOMEM;
            break;
        }
        rc = read_person_row(ps, f->person);
        int64_t pid = f->person->id;
        for (size_t t = 0; t < BULK_TABLES && !rc; t++) {
            while (!rc && cur[t].has_row && cur[t].person_id < pid)
                rc = cursor_step(st, &cur[t]); /* rows of no person: skip */
            while (!rc && cur[t].has_row && cur[t].person_id == pid) {
                rc = cur[t].row(cur[t].s, f, pid);
                if (!rc)
                    rc = cursor_step(st, &cur[t]);
            }
        }
        if (!rc)
            rc = fn(ctx, f);
        model_person_file_free(f);
        f = NULL;
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    model_person_file_free(f);
    sqlite3_finalize(ps);
    for (size_t t = 0; t < BULK_TABLES; t++)
        sqlite3_finalize(cur[t].s);
    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

fn_status sqlite_max_person_id(struct store *st, int64_t *id)
{
    sqlite3_stmt *s = NULL;
    *id = 0;
    fn_status rc = store_prepare(st, "SELECT coalesce(max(id), 0) FROM person", &s);
    if (rc)
        return rc;
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}
