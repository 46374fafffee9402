/* facts.c – the SQLite rows of facts about a person and of case work
 * (insert, update, delete; the scope check and the audit row around them
 * are policy_facts.c's); reference data. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "store/store_int.h"

/* Appends s (NULL = "") to b as the inside of a JSON string (core/escape). */
fn_status store_json_escape(struct fn_buf *b, const char *s)
{
    return fn_json_escape(b, s ? s : "", s ? strlen(s) : 0);
}

/* Per fact kind: its table, the audit name, the owner column and the SQL
 * that finds the person a row belongs to (case work is audited under the
 * person of its case). */
struct fact_meta {
    const char *table;
    const char *name; /* German, in the audit details */
    const char *owner_col;
    const char *person_of_row;   /* ?1 = row id */
    const char *person_of_owner; /* ?1 = owner id */
};

#define PERSON_FACT(t, n)                                                                          \
    {                                                                                              \
        t, n, "person_id", "SELECT person_id FROM " t " WHERE id = ?1",                            \
            "SELECT id FROM person WHERE id = ?1"                                                  \
    }
#define CASE_FACT(t, n)                                                                            \
    {                                                                                              \
        t, n, "case_id",                                                                           \
            "SELECT c.person_id FROM " t                                                           \
            " x JOIN case_file c ON c.id = x.case_id WHERE x.id = ?1",                             \
            "SELECT person_id FROM case_file WHERE id = ?1"                                        \
    }

static const struct fact_meta facts[STORE_FACT_COUNT] = {
    [STORE_FACT_RESIDENCE] = PERSON_FACT("residence_status", "aufenthaltsstatus"),
    [STORE_FACT_PROCEEDING] = PERSON_FACT("proceeding", "strafverfahren"),
    [STORE_FACT_CUSTODY] = PERSON_FACT("custody", "haft"),
    [STORE_FACT_OBSTACLE] = PERSON_FACT("legal_obstacle", "hindernis"),
    [STORE_FACT_FINDING] = PERSON_FACT("finding", "feststellung"),
    [STORE_FACT_TRAVEL_DOC] = PERSON_FACT("travel_document", "ausweisdokument"),
    [STORE_FACT_CASE] = PERSON_FACT("case_file", "fall"),
    [STORE_FACT_CONFERENCE] = CASE_FACT("case_conference", "fallkonferenz"),
    [STORE_FACT_TASK] = CASE_FACT("task", "aufgabe"),
    [STORE_FACT_DOCUMENT] = CASE_FACT("document", "dokument"),
};

const char *store_fact_name(enum store_fact_kind k)
{
    return (int)k >= 0 && k < STORE_FACT_COUNT ? facts[k].name : "?";
}

fn_status store_lookup_id(struct store *st, const char *sql, int64_t key, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, key);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

/* Builds "INSERT INTO t (c1..cn, owner) VALUES (?1..?n+1)" or
 * "UPDATE t SET c1 = ?1, .. WHERE id = ?n+1" into b. */
static fn_status build_sql(struct fn_buf *b, const struct fact_meta *m, const char *const *cols,
                           int ncols, int update)
{
    fn_status rc = update ? fn_buf_appendf(b, "UPDATE %s SET ", m->table)
                          : fn_buf_appendf(b, "INSERT INTO %s (", m->table);
    for (int i = 0; !rc && i < ncols; i++)
        rc = update ? fn_buf_appendf(b, "%s%s = ?%d", i ? ", " : "", cols[i], i + 1)
                    : fn_buf_appendf(b, "%s, ", cols[i]);
    if (rc)
        return rc;
    if (update)
        return fn_buf_appendf(b, " WHERE id = ?%d", ncols + 1);
    rc = fn_buf_appendf(b, "%s) VALUES (", m->owner_col);
    for (int i = 1; !rc && i <= ncols + 1; i++)
        rc = fn_buf_appendf(b, "%s?%d", i > 1 ? "," : "", i);
    return rc ? rc : fn_buf_append_char(b, ')');
}

typedef void (*bind_fn)(sqlite3_stmt *s, const void *obj);

fn_status sqlite_fact_person(struct store *st, enum store_fact_kind kind, int64_t id, int of_row,
                             int64_t *person_id)
{
    const struct fact_meta *m = &facts[kind];
    return store_lookup_id(st, of_row ? m->person_of_row : m->person_of_owner, id, person_id);
}

static fn_status write_row(struct store *st, enum store_fact_kind kind, const char *const *cols,
                           int ncols, bind_fn bind, const void *obj, int64_t owner_id,
                           int64_t update_id, int64_t *row_id)
{
    const struct fact_meta *m = &facts[kind];
    sqlite3_stmt *s = NULL;
    struct fn_buf sql;
    fn_buf_init(&sql, 2048);
    fn_status rc = build_sql(&sql, m, cols, ncols, update_id != 0);
    if (!rc)
        rc = store_prepare(st, fn_buf_str(&sql), &s);
    if (rc)
        goto out;
    bind(s, obj);
    sqlite3_bind_int64(s, ncols + 1, update_id ? update_id : owner_id);
    int src = sqlite3_step(s);
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto out;
    }
    *row_id = update_id ? update_id : sqlite3_last_insert_rowid(st->db);
out:
    sqlite3_finalize(s);
    fn_buf_free(&sql);
    return rc;
}

fn_status sqlite_fact_delete_row(struct store *st, enum store_fact_kind kind, int64_t id)
{
    sqlite3_stmt *s = NULL;
    struct fn_buf sql;
    fn_buf_init(&sql, 256);
    fn_status rc = fn_buf_appendf(&sql, "DELETE FROM %s WHERE id = ?1", facts[kind].table);
    if (!rc)
        rc = store_prepare(st, fn_buf_str(&sql), &s);
    if (!rc) {
        sqlite3_bind_int64(s, 1, id);
        int src = sqlite3_step(s);
        if (src != SQLITE_DONE)
            rc = store_db_error(st, src);
    }
    sqlite3_finalize(s);
    fn_buf_free(&sql);
    return rc;
}

/* ---- per entity: columns and binding ---- */

static const char *const residence_cols[] = {
    "status", "since", "until", "legal_basis", "enforceable_since", "departure_deadline"};
static void bind_residence(sqlite3_stmt *s, const void *obj)
{
    const struct model_residence_entry *r = obj;
    sqlite3_bind_text(s, 1, model_residence_code(r->status), -1, SQLITE_STATIC);
    store_bind_date(s, 2, &r->since);
    store_bind_date(s, 3, &r->until);
    store_bind_text(s, 4, r->legal_basis);
    store_bind_date(s, 5, &r->enforceable_since);
    store_bind_date(s, 6, &r->departure_deadline);
}

static const char *const proceeding_cols[] = {
    "kind",         "file_number",   "authority_id",      "offences",
    "offence_date", "decision_date", "sentence",          "sentence_months",
    "suspended",    "intentional",   "final_date",        "consent",
    "court",        "prosecutor",    "consent_requested", "consent_decided"};
static void bind_proceeding(sqlite3_stmt *s, const void *obj)
{
    const struct model_proceeding *p = obj;
    sqlite3_bind_text(s, 1, model_proceeding_kind_code(p->kind), -1, SQLITE_STATIC);
    store_bind_text(s, 2, p->file_number);
    store_bind_id(s, 3, p->authority_id);
    store_bind_text(s, 4, p->offences);
    store_bind_date(s, 5, &p->offence_date);
    store_bind_date(s, 6, &p->decision_date);
    store_bind_text(s, 7, model_sentence_code(p->sentence));
    sqlite3_bind_int(s, 8, p->sentence_months);
    sqlite3_bind_int(s, 9, p->suspended ? 1 : 0);
    sqlite3_bind_int(s, 10, p->intentional ? 1 : 0);
    store_bind_date(s, 11, &p->final_date);
    store_bind_text(s, 12, model_consent_code(p->consent));
    store_bind_text(s, 13, p->court);
    store_bind_text(s, 14, p->prosecutor);
    store_bind_date(s, 15, &p->consent_requested);
    store_bind_date(s, 16, &p->consent_decided);
}

static const char *const custody_cols[] = {"prison_id",
                                           "kind",
                                           "start",
                                           "planned_release",
                                           "released",
                                           "decision_456a",
                                           "decision_456a_date",
                                           "transferred_from"};
static void bind_custody(sqlite3_stmt *s, const void *obj)
{
    const struct model_custody *c = obj;
    store_bind_id(s, 1, c->prison_id);
    sqlite3_bind_text(s, 2, model_custody_kind_code(c->kind), -1, SQLITE_STATIC);
    store_bind_date(s, 3, &c->start);
    store_bind_date(s, 4, &c->planned_release);
    store_bind_date(s, 5, &c->released);
    sqlite3_bind_int(s, 6, c->decision_456a ? 1 : 0);
    store_bind_date(s, 7, &c->decision_456a_date);
    store_bind_id(s, 8, c->transferred_from);
}

static const char *const obstacle_cols[] = {"kind", "since", "until", "note", "norm"};
static void bind_obstacle(sqlite3_stmt *s, const void *obj)
{
    const struct model_obstacle_entry *o = obj;
    sqlite3_bind_text(s, 1, model_obstacle_code(o->kind), -1, SQLITE_STATIC);
    store_bind_date(s, 2, &o->since);
    store_bind_date(s, 3, &o->until);
    store_bind_text(s, 4, o->note);
    store_bind_text(s, 5, o->norm);
}

static const char *const finding_cols[] = {"kind", "established_by", "date", "reference", "note"};
static void bind_finding(sqlite3_stmt *s, const void *obj)
{
    const struct model_finding_entry *f = obj;
    sqlite3_bind_text(s, 1, model_finding_code(f->kind), -1, SQLITE_STATIC);
    store_bind_id(s, 2, f->established_by);
    store_bind_date(s, 3, &f->date);
    store_bind_text(s, 4, f->reference);
    store_bind_text(s, 5, f->note);
}

static const char *const travel_doc_cols[] = {"kind", "number", "issuing_state", "valid_until",
                                              "verified"};
static void bind_travel_doc(sqlite3_stmt *s, const void *obj)
{
    const struct model_document *d = &((const struct model_document_entry *)obj)->doc;
    store_bind_text(s, 1, d->kind);
    store_bind_text(s, 2, d->number);
    store_bind_text(s, 3, d->issuing_state);
    store_bind_date(s, 4, &d->valid_until);
    sqlite3_bind_int(s, 5, d->verified ? 1 : 0);
}

static const char *const case_cols[] = {"authority_id", "region_id", "status",
                                        "tags",         "opened",    "closed"};
static void bind_case(sqlite3_stmt *s, const void *obj)
{
    const struct model_case *c = obj;
    store_bind_id(s, 1, c->authority_id);
    store_bind_id(s, 2, c->region_id);
    sqlite3_bind_text(s, 3, model_case_status_code(c->status), -1, SQLITE_STATIC);
    store_bind_text(s, 4, c->tags);
    store_bind_date(s, 5, &c->opened);
    store_bind_date(s, 6, &c->closed);
}

static const char *const conference_cols[] = {"date", "participants", "minutes"};
static void bind_conference(sqlite3_stmt *s, const void *obj)
{
    const struct model_conference *c = obj;
    store_bind_date(s, 1, &c->date);
    store_bind_text(s, 2, c->participants);
    store_bind_text(s, 3, c->minutes);
}

static const char *const task_cols[] = {"owner_id", "title", "deadline", "status"};
static void bind_task(sqlite3_stmt *s, const void *obj)
{
    const struct model_task *t = obj;
    store_bind_id(s, 1, t->owner_id);
    sqlite3_bind_text(s, 2, t->title, -1, SQLITE_STATIC);
    store_bind_date(s, 3, &t->deadline);
    sqlite3_bind_text(s, 4, model_task_status_code(t->status), -1, SQLITE_STATIC);
}

static const char *const doc_cols[] = {"title",      "kind", "file_name",
                                       "media_type", "size", "sha256"};
static void bind_doc(sqlite3_stmt *s, const void *obj)
{
    const struct model_doc_meta *d = obj;
    sqlite3_bind_text(s, 1, d->title, -1, SQLITE_STATIC);
    store_bind_text(s, 2, d->kind);
    store_bind_text(s, 3, d->file_name);
    store_bind_text(s, 4, d->media_type);
    sqlite3_bind_int64(s, 5, d->size);
    store_bind_text(s, 6, d->sha256);
}

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Per fact kind: the columns and how a model struct binds to them. */
static const struct {
    const char *const *cols;
    int ncols;
    bind_fn bind;
} fact_rows[STORE_FACT_COUNT] = {
    [STORE_FACT_RESIDENCE] = {residence_cols, NCOLS(residence_cols), bind_residence},
    [STORE_FACT_PROCEEDING] = {proceeding_cols, NCOLS(proceeding_cols), bind_proceeding},
    [STORE_FACT_CUSTODY] = {custody_cols, NCOLS(custody_cols), bind_custody},
    [STORE_FACT_OBSTACLE] = {obstacle_cols, NCOLS(obstacle_cols), bind_obstacle},
    [STORE_FACT_FINDING] = {finding_cols, NCOLS(finding_cols), bind_finding},
    [STORE_FACT_TRAVEL_DOC] = {travel_doc_cols, NCOLS(travel_doc_cols), bind_travel_doc},
    [STORE_FACT_CASE] = {case_cols, NCOLS(case_cols), bind_case},
    [STORE_FACT_CONFERENCE] = {conference_cols, NCOLS(conference_cols), bind_conference},
    [STORE_FACT_TASK] = {task_cols, NCOLS(task_cols), bind_task},
    [STORE_FACT_DOCUMENT] = {doc_cols, NCOLS(doc_cols), bind_doc},
};

fn_status sqlite_fact_write(struct store *st, enum store_fact_kind kind, const void *fact,
                            int64_t owner_id, int64_t update_id, int64_t *row_id)
{
    return write_row(st, kind, fact_rows[kind].cols, fact_rows[kind].ncols, fact_rows[kind].bind,
                     fact, owner_id, update_id, row_id);
}

/* ---- history of recorded facts (schema 13) ---- */

/* Runs sql (?1..?n bound as text from v, NULL binds NULL, then ?n+1 = id)
 * and sets *changed to the rows it changed. */
static fn_status run_on_row(struct store *st, const char *sql, const char *const *v, int n,
                            int64_t id, int64_t *changed)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        store_bind_text(s, i + 1, v[i]);
    sqlite3_bind_int64(s, n + 1, id);
    int src = sqlite3_step(s);
    if (src != SQLITE_DONE)
        rc = store_db_error(st, src);
    else
        *changed = sqlite3_changes64(st->db);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_fact_stamp(struct store *st, enum store_fact_kind kind, int64_t id,
                            const struct store_fact_stamp *m)
{
    char sql[256];
    snprintf(sql, sizeof sql, STORE_FACT_STAMP_SQL("?1", "?2", "?3", "?4", "?5"),
             facts[kind].table);
    const char *v[] = {m->source_kind, m->source_ref, m->login, m->at};
    int64_t changed = 0;
    fn_status rc = run_on_row(st, sql, v, 4, id, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status sqlite_fact_retire(struct store *st, enum store_fact_kind kind, int64_t id,
                             int64_t superseded_by, const struct store_fact_stamp *m)
{
    char sql[256], by[24] = "";
    snprintf(sql, sizeof sql, STORE_FACT_RETIRE_SQL("?1", "?2", "?3", "?4", "?5"),
             facts[kind].table);
    if (superseded_by)
        snprintf(by, sizeof by, "%lld", (long long)superseded_by);
    const char *v[] = {by, m->login, m->at, m->reason};
    int64_t changed = 0;
    fn_status rc = run_on_row(st, sql, v, 4, id, &changed);
    return rc ? rc : changed ? FN_OK : FN_STALE;
}

fn_status sqlite_fact_history(struct store *st, enum store_fact_kind kind, int64_t person_id,
                              store_table_row_fn fn, void *ctx)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE person_id = ?1 ORDER BY id",
             facts[kind].table);
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = sqlite_stmt_rows(st, s, fn, ctx);
    sqlite3_finalize(s);
    return rc;
}

/* ---- reference data ---- */

fn_status sqlite_region_insert(struct store *st, struct model_region *r)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "INSERT INTO region (code, name) VALUES (?1, ?2)", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->name, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    r->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

fn_status sqlite_org_insert(struct store *st, struct model_org *o)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, "INSERT INTO organisation (kind, code, name, region_id) VALUES (?1,?2,?3,?4)", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, model_org_kind_code(o->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, o->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, o->name, -1, SQLITE_STATIC);
    store_bind_id(s, 4, o->region_id);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    o->id = sqlite3_last_insert_rowid(st->db);
    store_scope_cache_invalidate(st);
    return FN_OK;
}

fn_status sqlite_org_find(struct store *st, const char *code, int64_t *id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "SELECT id FROM organisation WHERE code = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_org_get(struct store *st, int64_t id, struct model_org *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, "SELECT id, kind, code, name, region_id FROM organisation WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        const unsigned char *k = sqlite3_column_text(s, 1);
        if (model_org_kind_parse(k ? (const char *)k : "", &out->kind) != FN_OK)
            out->kind = ORG_ABH;
        rc = store_col_text(s, 2, &out->code);
        if (!rc)
            rc = store_col_text(s, 3, &out->name);
        out->region_id = sqlite3_column_int64(s, 4);
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    sqlite3_finalize(s);
    if (rc)
        model_org_clear(out);
    return rc;
}
