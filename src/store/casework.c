/*
 * casework.c – changing a person's record (audited "change" with the names of
 * the changed fields) and reading a case with its conferences, tasks and
 * documents (audited "query" under the person of the case).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/store_int.h"

#define PERSON_FIELDS 20

/* Column names of the person row in bind order (?1..?20). */
static const char *const person_cols[PERSON_FIELDS] = {"record_id",
                                                       "azr_nr",
                                                       "family_name",
                                                       "given_names",
                                                       "birth_name",
                                                       "sex",
                                                       "birth_date",
                                                       "birth_place",
                                                       "birth_country",
                                                       "nationalities",
                                                       "identity",
                                                       "identity_basis",
                                                       "residence",
                                                       "residence_since",
                                                       "address_street",
                                                       "address_postcode",
                                                       "address_municipality",
                                                       "authority_id",
                                                       "authority_code",
                                                       "updated_at"};

/* The stored text form of every person field (NULL or "" = empty), as
 * store_person_insert writes them. Dates go into the caller's buffers. */
static void person_values(const struct model_person *p, const char *nat, char dates[2][11],
                          char authority[24], const char *out[PERSON_FIELDS])
{
    fn_pdate_format(&p->birth_date, dates[0]);
    fn_pdate_format(&p->residence_since, dates[1]);
    snprintf(authority, 24, "%lld", (long long)p->authority_id);
    const char *v[PERSON_FIELDS] = {
        p->record_id,
        p->azr_nr,
        p->family_name,
        p->given_names,
        p->birth_name,
        model_sex_code(p->sex),
        p->birth_date.year ? dates[0] : NULL,
        p->birth_place,
        p->birth_country,
        nat,
        model_identity_code(p->identity),
        p->identity_basis,
        p->residence == RES_UNKNOWN ? NULL : model_residence_code(p->residence),
        p->residence_since.year ? dates[1] : NULL,
        p->address_street,
        p->address_postcode,
        p->address_municipality,
        p->authority_id ? authority : NULL,
        p->authority_code,
        p->updated_at,
    };
    memcpy(out, v, sizeof v);
}

static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Serialises aliases and documents as one comparable string per kind, in
 * the same form the SQL below produces from the stored rows. */
static fn_status serialise_children(const struct model_person *p, struct fn_buf *aliases,
                                    struct fn_buf *docs)
{
    fn_status rc = FN_OK;
    char d[11];
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        const struct model_alias *a = &p->aliases[i];
        fn_pdate_format(&a->birth_date, d);
        rc = fn_buf_appendf(aliases, "%s|%s|%s;", a->family_name ? a->family_name : "",
                            a->given_names ? a->given_names : "", a->birth_date.year ? d : "");
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *x = &p->documents[i];
        fn_pdate_format(&x->valid_until, d);
        rc = fn_buf_appendf(docs, "%s|%s|%s|%s|%d;", x->kind ? x->kind : "",
                            x->number ? x->number : "", x->issuing_state ? x->issuing_state : "",
                            x->valid_until.year ? d : "", x->verified ? 1 : 0);
    }
    return rc;
}

/* Runs a one-row, one-column text query (?1 = id) and compares its result
 * with want; *differs is set when they differ. */
static fn_status compare_query(struct store *st, const char *sql, int64_t id, const char *want,
                               int *differs)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        *differs = !same_text(t ? (const char *)t : "", want);
    } else {
        rc = store_db_error(st, src);
    }
    sqlite3_finalize(s);
    return rc;
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
    sqlite3_finalize(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

/* Executes a prepared child insert and checks it finished. */
static fn_status step_done(struct store *st, sqlite3_stmt *s)
{
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

fn_status sqlite_person_update(struct store *st, const struct store_actor *a,
                               const struct model_person *p)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_IDENTITY, &scope);
    if (rc)
        return rc;
    if (p->id <= 0 || !p->record_id || !p->record_id[0])
        return FN_INVALID;
    sqlite3_stmt *s = NULL;
    struct fn_buf nat, changed, new_aliases, new_docs, details;
    fn_buf_init(&nat, 256);
    fn_buf_init(&changed, 1024);
    fn_buf_init(&new_aliases, 64 * 1024);
    fn_buf_init(&new_docs, 64 * 1024);
    fn_buf_init(&details, 2048);
    int own_tx = !st->in_tx;
    if (own_tx) {
        rc = sqlite_begin(st);
        if (rc)
            goto out;
    }
    /* The stored person must be in scope (else it is "not found"), and so
     * must the new responsible authority: a person is not moved out of
     * reach by an actor who could not have put it there. */
    rc = store_scope_check_person(st, &scope, p->id);
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, &scope, p->authority_id, &covered);
    if (!rc && !covered)
        rc = FN_DENIED;
    for (size_t i = 0; !rc && i < p->n_nationalities; i++) {
        rc = fn_buf_append_str(&nat, i ? ";" : "");
        if (!rc)
            rc = fn_buf_append_str(&nat, p->nationalities[i]);
    }
    if (!rc)
        rc = serialise_children(p, &new_aliases, &new_docs);
    if (rc)
        goto done;
    char dates[2][11], authority[24];
    const char *values[PERSON_FIELDS];
    person_values(p, fn_buf_str(&nat), dates, authority, values);

    /* Which fields change: compared against the stored row before the
     * update, inside the same transaction. */
    rc = store_prepare(st,
                       "SELECT record_id, azr_nr, family_name, given_names, birth_name, sex,"
                       " birth_date, birth_place, birth_country, nationalities, identity,"
                       " identity_basis, residence, residence_since, address_street,"
                       " address_postcode, address_municipality, CAST(authority_id AS TEXT),"
                       " authority_code, updated_at FROM person WHERE id = ?1",
                       &s);
    if (rc)
        goto done;
    sqlite3_bind_int64(s, 1, p->id);
    int src = sqlite3_step(s);
    if (src == SQLITE_DONE) {
        rc = FN_NOTFOUND;
        goto done;
    }
    if (src != SQLITE_ROW) {
        rc = store_db_error(st, src);
        goto done;
    }
    for (int i = 0; !rc && i < PERSON_FIELDS; i++) {
        const unsigned char *old = sqlite3_column_text(s, i);
        if (same_text(old ? (const char *)old : "", values[i]))
            continue;
        rc = fn_buf_appendf(&changed, "%s\"%s\"", changed.len ? "," : "", person_cols[i]);
    }
    sqlite3_finalize(s);
    s = NULL;
    int differs = 0;
    if (!rc)
        rc = compare_query(st,
                           "SELECT coalesce(group_concat(x, ''), '') FROM (SELECT"
                           " coalesce(family_name,'') || '|' || coalesce(given_names,'') || '|' ||"
                           " coalesce(birth_date,'') || ';' AS x FROM person_alias"
                           " WHERE person_id = ?1 ORDER BY id)",
                           p->id, fn_buf_str(&new_aliases), &differs);
    if (!rc && differs)
        rc = fn_buf_appendf(&changed, "%s\"aliases\"", changed.len ? "," : "");
    differs = 0;
    if (!rc)
        rc = compare_query(st,
                           "SELECT coalesce(group_concat(x, ''), '') FROM (SELECT"
                           " coalesce(kind,'') || '|' || coalesce(number,'') || '|' ||"
                           " coalesce(issuing_state,'') || '|' || coalesce(valid_until,'') || '|'"
                           " || verified || ';' AS x FROM travel_document"
                           " WHERE person_id = ?1 ORDER BY id)",
                           p->id, fn_buf_str(&new_docs), &differs);
    if (!rc && differs)
        rc = fn_buf_appendf(&changed, "%s\"documents\"", changed.len ? "," : "");
    if (rc)
        goto done;

    rc = store_prepare(st,
                       "UPDATE person SET record_id = ?1, azr_nr = ?2, family_name = ?3,"
                       " given_names = ?4, birth_name = ?5, sex = ?6, birth_date = ?7,"
                       " birth_place = ?8, birth_country = ?9, nationalities = ?10,"
                       " identity = ?11, identity_basis = ?12, residence = ?13,"
                       " residence_since = ?14, address_street = ?15, address_postcode = ?16,"
                       " address_municipality = ?17, authority_id = ?18, authority_code = ?19,"
                       " updated_at = ?20 WHERE id = ?21",
                       &s);
    if (rc)
        goto done;
    for (int i = 0; i < PERSON_FIELDS; i++) {
        if (i == 17)
            store_bind_id(s, i + 1, p->authority_id);
        else
            store_bind_text(s, i + 1, values[i]);
    }
    sqlite3_bind_int64(s, 21, p->id);
    src = sqlite3_step(s);
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto done;
    }
    rc = store_exec_id(st, "DELETE FROM person_alias WHERE person_id = ?1", p->id);
    if (!rc)
        rc = store_exec_id(st, "DELETE FROM travel_document WHERE person_id = ?1", p->id);
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        sqlite3_stmt *ins = NULL;
        rc = store_stmt(st, STMT_ALIAS_INSERT, &ins);
        if (rc)
            break;
        sqlite3_bind_int64(ins, 1, p->id);
        store_bind_text(ins, 2, p->aliases[i].family_name);
        store_bind_text(ins, 3, p->aliases[i].given_names);
        store_bind_date(ins, 4, &p->aliases[i].birth_date);
        rc = step_done(st, ins);
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        sqlite3_stmt *ins = NULL;
        rc = store_stmt(st, STMT_DOCUMENT_INSERT, &ins);
        if (rc)
            break;
        sqlite3_bind_int64(ins, 1, p->id);
        store_bind_text(ins, 2, d->kind);
        store_bind_text(ins, 3, d->number);
        store_bind_text(ins, 4, d->issuing_state);
        store_bind_date(ins, 5, &d->valid_until);
        sqlite3_bind_int(ins, 6, d->verified ? 1 : 0);
        rc = step_done(st, ins);
    }
    if (!rc)
        rc = fn_buf_appendf(&details, "{\"felder\":[%s]}", fn_buf_str(&changed));
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)p->id);
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_CHANGE,
                                .entity = "person",
                                .record_ids = ids,
                                .details = fn_buf_str(&details)};
        rc = audit_append_in_tx(st, &e);
    }
done:
    if (own_tx) {
        if (rc)
            sqlite_rollback(st);
        else
            rc = sqlite_commit(st);
    }
out:
    sqlite3_finalize(s);
    fn_buf_free(&nat);
    fn_buf_free(&changed);
    fn_buf_free(&new_aliases);
    fn_buf_free(&new_docs);
    fn_buf_free(&details);
    return rc;
}

/* Grows *arr by one zeroed element of size sz; returns it or NULL. */
static void *grow_one(void **arr, size_t *n, size_t sz)
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

static fn_status read_case_row(struct store *st, int64_t case_id, struct model_case *c)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st,
                                 "SELECT id, person_id, authority_id, region_id, status, tags,"
                                 " opened, closed FROM case_file WHERE id = ?1",
                                 &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, case_id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        c->id = sqlite3_column_int64(s, 0);
        c->person_id = sqlite3_column_int64(s, 1);
        c->authority_id = sqlite3_column_int64(s, 2);
        c->region_id = sqlite3_column_int64(s, 3);
        const unsigned char *t = sqlite3_column_text(s, 4);
        if (model_case_status_parse(t ? (const char *)t : "", &c->status) != FN_OK)
            c->status = CASE_NEW;
        rc = store_col_text(s, 5, &c->tags);
        store_col_date(s, 6, &c->opened);
        store_col_date(s, 7, &c->closed);
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    sqlite3_finalize(s);
    return rc;
}

static fn_status read_case_children(struct store *st, struct model_case_file *f)
{
    sqlite3_stmt *s = NULL;
    int src;
    fn_status rc = store_prepare(st,
                                 "SELECT id, date, participants, minutes FROM case_conference"
                                 " WHERE case_id = ?1 ORDER BY date, id",
                                 &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, f->kase.id);
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        struct model_conference *c =
            grow_one((void **)&f->conferences, &f->n_conferences, sizeof *c);
        if (!c) {
            rc = FN_NOMEM;
            break;
        }
        c->id = sqlite3_column_int64(s, 0);
        c->case_id = f->kase.id;
        store_col_date(s, 1, &c->date);
        rc = store_col_text(s, 2, &c->participants);
        if (!rc)
            rc = store_col_text(s, 3, &c->minutes);
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    if (rc)
        return rc;

    rc = store_prepare(st,
                       "SELECT id, owner_id, title, deadline, status FROM task"
                       " WHERE case_id = ?1 ORDER BY deadline, id",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, f->kase.id);
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        struct model_task *t = grow_one((void **)&f->tasks, &f->n_tasks, sizeof *t);
        if (!t) {
            rc = FN_NOMEM;
            break;
        }
        t->id = sqlite3_column_int64(s, 0);
        t->case_id = f->kase.id;
        t->owner_id = sqlite3_column_int64(s, 1);
        rc = store_col_text(s, 2, &t->title);
        store_col_date(s, 3, &t->deadline);
        const unsigned char *st_text = sqlite3_column_text(s, 4);
        if (model_task_status_parse(st_text ? (const char *)st_text : "", &t->status) != FN_OK)
            t->status = TASK_OPEN;
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    if (rc)
        return rc;

    rc = store_prepare(st,
                       "SELECT id, title, kind, file_name, media_type, size, sha256 FROM document"
                       " WHERE case_id = ?1 ORDER BY id",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, f->kase.id);
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        struct model_doc_meta *d = grow_one((void **)&f->documents, &f->n_documents, sizeof *d);
        if (!d) {
            rc = FN_NOMEM;
            break;
        }
        d->id = sqlite3_column_int64(s, 0);
        d->case_id = f->kase.id;
        rc = store_col_text(s, 1, &d->title);
        if (!rc)
            rc = store_col_text(s, 2, &d->kind);
        if (!rc)
            rc = store_col_text(s, 3, &d->file_name);
        if (!rc)
            rc = store_col_text(s, 4, &d->media_type);
        d->size = sqlite3_column_int64(s, 5);
        if (!rc)
            rc = store_col_text(s, 6, &d->sha256);
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_case_get(struct store *st, const struct store_actor *a, int64_t case_id,
                          struct model_case_file **out)
{
    *out = NULL;
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    struct model_case_file *f = fn_calloc(1, sizeof *f);
    if (!f)
        return FN_NOMEM;
    rc = read_case_row(st, case_id, &f->kase);
    if (!rc)
        rc = store_scope_check_person(st, &scope, f->kase.person_id);
    if (!rc)
        rc = read_case_children(st, f);
    if (rc)
        goto out;
    char ids[24], details[64];
    snprintf(ids, sizeof ids, "%lld", (long long)f->kase.person_id);
    snprintf(details, sizeof details, "{\"fall\":%lld}", (long long)case_id);
    struct audit_entry e = {
        .actor = a, .kind = AUDIT_QUERY, .entity = "person", .record_ids = ids, .details = details};
    rc = audit_append_read(st, &e);
out:
    if (rc)
        model_case_file_free(f);
    else
        *out = f;
    return rc;
}
