/*
 * casework.c – SQLite backend: reading a case with its conferences, tasks and
 * documents, within a scope (policy_read.c checks the actor and audits the
 * read under the person of the case).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/store_int.h"

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

/* Reads case case_id into c and the responsible authority of its person
 * into *authority (one query). */
static fn_status read_case_row(struct store *st, int64_t case_id, struct model_case *c,
                               int64_t *authority)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st,
                                 "SELECT c.id, c.person_id, c.authority_id, c.region_id, c.status,"
                                 " c.tags, c.opened, c.closed, coalesce(p.authority_id, 0)"
                                 " FROM case_file c JOIN person p ON p.id = c.person_id"
                                 " WHERE c.id = ?1",
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
        *authority = sqlite3_column_int64(s, 8);
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

fn_status sqlite_case_get(struct store *st, const struct store_scope *sc, int64_t case_id,
                          struct model_case_file **out)
{
    *out = NULL;
    struct model_case_file *f = fn_calloc(1, sizeof *f);
    if (!f)
        return FN_NOMEM;
    int64_t authority = 0;
    int covered = 0;
    fn_status rc = read_case_row(st, case_id, &f->kase, &authority);
    if (!rc)
        rc = store_scope_covers(st, sc, authority, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND; /* out of scope reads as absent */
    if (!rc)
        rc = read_case_children(st, f);
    if (rc)
        model_case_file_free(f);
    else
        *out = f;
    return rc;
}
