/* facts.c – facts about a person and case work: inserts with audit rows. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_int.h"

/* Runs the prepared, bound statement s (finalizes it), sets *id to the new
 * row id and appends a "collect" audit row for person_id naming the fact. */
static fn_status finish_insert(struct store *st, const struct store_actor *a, sqlite3_stmt *s,
                               int64_t person_id, const char *fact, int64_t *id)
{
    int own_tx = !st->in_tx;
    fn_status rc = FN_OK;
    if (own_tx) {
        rc = store_begin(st);
        if (rc) {
            sqlite3_finalize(s);
            return rc;
        }
    }
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto out;
    }
    *id = sqlite3_last_insert_rowid(st->db);
    char ids[24], details[96];
    snprintf(ids, sizeof ids, "%lld", (long long)person_id);
    snprintf(details, sizeof details, "{\"fakt\":\"%s\",\"id\":%lld}", fact, (long long)*id);
    struct audit_entry e = {.actor = a,
                            .kind = AUDIT_COLLECT,
                            .entity = "person",
                            .record_ids = ids,
                            .details = details};
    rc = audit_append_in_tx(st, &e);
out:
    if (own_tx) {
        if (rc)
            store_rollback(st);
        else
            rc = store_commit(st);
    }
    return rc;
}

/* Person id of a case (for auditing case work under the person). */
static fn_status case_person(struct store *st, int64_t case_id, int64_t *person_id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "SELECT person_id FROM case_file WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, case_id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        *person_id = sqlite3_column_int64(s, 0);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

#define PREPARE_OR_RETURN(sql)                                                                     \
    sqlite3_stmt *s = NULL;                                                                        \
    fn_status rc = store_check_actor(a);                                                           \
    if (rc)                                                                                        \
        return rc;                                                                                 \
    rc = store_prepare(st, (sql), &s);                                                             \
    if (rc)                                                                                        \
    return rc

fn_status store_residence_insert(struct store *st, const struct store_actor *a,
                                 struct model_residence_entry *r)
{
    PREPARE_OR_RETURN("INSERT INTO residence_status (person_id, status, since, until,"
                      " legal_basis, enforceable_since, departure_deadline)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7)");
    sqlite3_bind_int64(s, 1, r->person_id);
    sqlite3_bind_text(s, 2, model_residence_code(r->status), -1, SQLITE_STATIC);
    store_bind_date(s, 3, &r->since);
    store_bind_date(s, 4, &r->until);
    store_bind_text(s, 5, r->legal_basis);
    store_bind_date(s, 6, &r->enforceable_since);
    store_bind_date(s, 7, &r->departure_deadline);
    return finish_insert(st, a, s, r->person_id, "aufenthaltsstatus", &r->id);
}

fn_status store_proceeding_insert(struct store *st, const struct store_actor *a,
                                  struct model_proceeding *p)
{
    PREPARE_OR_RETURN("INSERT INTO proceeding (person_id, kind, file_number, authority_id,"
                      " offences, offence_date, decision_date, sentence, sentence_months,"
                      " suspended, intentional, final_date, consent)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
    sqlite3_bind_int64(s, 1, p->person_id);
    sqlite3_bind_text(s, 2, model_proceeding_kind_code(p->kind), -1, SQLITE_STATIC);
    store_bind_text(s, 3, p->file_number);
    store_bind_id(s, 4, p->authority_id);
    store_bind_text(s, 5, p->offences);
    store_bind_date(s, 6, &p->offence_date);
    store_bind_date(s, 7, &p->decision_date);
    store_bind_text(s, 8, model_sentence_code(p->sentence));
    sqlite3_bind_int(s, 9, p->sentence_months);
    sqlite3_bind_int(s, 10, p->suspended ? 1 : 0);
    sqlite3_bind_int(s, 11, p->intentional ? 1 : 0);
    store_bind_date(s, 12, &p->final_date);
    store_bind_text(s, 13, model_consent_code(p->consent));
    return finish_insert(st, a, s, p->person_id, "strafverfahren", &p->id);
}

fn_status store_custody_insert(struct store *st, const struct store_actor *a,
                               struct model_custody *c)
{
    PREPARE_OR_RETURN("INSERT INTO custody (person_id, prison_id, kind, start, planned_release,"
                      " released, decision_456a, decision_456a_date, transferred_from)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    sqlite3_bind_int64(s, 1, c->person_id);
    store_bind_id(s, 2, c->prison_id);
    sqlite3_bind_text(s, 3, model_custody_kind_code(c->kind), -1, SQLITE_STATIC);
    store_bind_date(s, 4, &c->start);
    store_bind_date(s, 5, &c->planned_release);
    store_bind_date(s, 6, &c->released);
    sqlite3_bind_int(s, 7, c->decision_456a ? 1 : 0);
    store_bind_date(s, 8, &c->decision_456a_date);
    store_bind_id(s, 9, c->transferred_from);
    return finish_insert(st, a, s, c->person_id, "haft", &c->id);
}

fn_status store_obstacle_insert(struct store *st, const struct store_actor *a,
                                struct model_obstacle_entry *o)
{
    PREPARE_OR_RETURN("INSERT INTO legal_obstacle (person_id, kind, since, until, note)"
                      " VALUES (?1,?2,?3,?4,?5)");
    sqlite3_bind_int64(s, 1, o->person_id);
    sqlite3_bind_text(s, 2, model_obstacle_code(o->kind), -1, SQLITE_STATIC);
    store_bind_date(s, 3, &o->since);
    store_bind_date(s, 4, &o->until);
    store_bind_text(s, 5, o->note);
    return finish_insert(st, a, s, o->person_id, "hindernis", &o->id);
}

fn_status store_finding_insert(struct store *st, const struct store_actor *a,
                               struct model_finding_entry *f)
{
    PREPARE_OR_RETURN("INSERT INTO finding (person_id, kind, established_by, date, reference,"
                      " note) VALUES (?1,?2,?3,?4,?5,?6)");
    sqlite3_bind_int64(s, 1, f->person_id);
    sqlite3_bind_text(s, 2, model_finding_code(f->kind), -1, SQLITE_STATIC);
    store_bind_id(s, 3, f->established_by);
    store_bind_date(s, 4, &f->date);
    store_bind_text(s, 5, f->reference);
    store_bind_text(s, 6, f->note);
    return finish_insert(st, a, s, f->person_id, "feststellung", &f->id);
}

fn_status store_case_insert(struct store *st, const struct store_actor *a, struct model_case *c)
{
    PREPARE_OR_RETURN("INSERT INTO case_file (person_id, authority_id, region_id, status, tags,"
                      " opened, closed) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    sqlite3_bind_int64(s, 1, c->person_id);
    store_bind_id(s, 2, c->authority_id);
    store_bind_id(s, 3, c->region_id);
    sqlite3_bind_text(s, 4, model_case_status_code(c->status), -1, SQLITE_STATIC);
    store_bind_text(s, 5, c->tags);
    store_bind_date(s, 6, &c->opened);
    store_bind_date(s, 7, &c->closed);
    return finish_insert(st, a, s, c->person_id, "fall", &c->id);
}

fn_status store_conference_insert(struct store *st, const struct store_actor *a,
                                  struct model_conference *c)
{
    int64_t person_id = 0;
    fn_status rc = store_check_actor(a);
    if (!rc)
        rc = case_person(st, c->case_id, &person_id);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    rc = store_prepare(st,
                       "INSERT INTO case_conference (case_id, date, participants, minutes)"
                       " VALUES (?1,?2,?3,?4)",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, c->case_id);
    store_bind_date(s, 2, &c->date);
    store_bind_text(s, 3, c->participants);
    store_bind_text(s, 4, c->minutes);
    return finish_insert(st, a, s, person_id, "fallkonferenz", &c->id);
}

fn_status store_task_insert(struct store *st, const struct store_actor *a, struct model_task *t)
{
    int64_t person_id = 0;
    fn_status rc = store_check_actor(a);
    if (!rc)
        rc = case_person(st, t->case_id, &person_id);
    if (rc)
        return rc;
    if (!t->title || !t->title[0])
        return FN_INVALID;
    sqlite3_stmt *s = NULL;
    rc = store_prepare(st,
                       "INSERT INTO task (case_id, owner_id, title, deadline, status)"
                       " VALUES (?1,?2,?3,?4,?5)",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, t->case_id);
    store_bind_id(s, 2, t->owner_id);
    sqlite3_bind_text(s, 3, t->title, -1, SQLITE_STATIC);
    store_bind_date(s, 4, &t->deadline);
    sqlite3_bind_text(s, 5, model_task_status_code(t->status), -1, SQLITE_STATIC);
    return finish_insert(st, a, s, person_id, "aufgabe", &t->id);
}

fn_status store_doc_meta_insert(struct store *st, const struct store_actor *a,
                                struct model_doc_meta *d)
{
    int64_t person_id = 0;
    fn_status rc = store_check_actor(a);
    if (!rc)
        rc = case_person(st, d->case_id, &person_id);
    if (rc)
        return rc;
    if (!d->title || !d->title[0])
        return FN_INVALID;
    sqlite3_stmt *s = NULL;
    rc = store_prepare(st,
                       "INSERT INTO document (case_id, title, kind, file_name, media_type, size,"
                       " sha256) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, d->case_id);
    sqlite3_bind_text(s, 2, d->title, -1, SQLITE_STATIC);
    store_bind_text(s, 3, d->kind);
    store_bind_text(s, 4, d->file_name);
    store_bind_text(s, 5, d->media_type);
    sqlite3_bind_int64(s, 6, d->size);
    store_bind_text(s, 7, d->sha256);
    return finish_insert(st, a, s, person_id, "dokument", &d->id);
}

/* ---- reference data ---- */

fn_status store_region_insert(struct store *st, struct model_region *r)
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

fn_status store_org_insert(struct store *st, struct model_org *o)
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
    return FN_OK;
}

fn_status store_org_find(struct store *st, const char *code, int64_t *id)
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

fn_status store_org_get(struct store *st, int64_t id, struct model_org *out)
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

fn_status store_user_insert(struct store *st, struct model_user *u)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, "INSERT INTO app_user (login, display_name, role, org_id) VALUES (?1,?2,?3,?4)", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, u->login, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, u->display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, model_role_code(u->role), -1, SQLITE_STATIC);
    store_bind_id(s, 4, u->org_id);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    u->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

fn_status store_user_find(struct store *st, const char *login, struct model_user *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, "SELECT id, login, display_name, role, org_id FROM app_user WHERE login = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        rc = store_col_text(s, 1, &out->login);
        if (!rc)
            rc = store_col_text(s, 2, &out->display_name);
        const unsigned char *r = sqlite3_column_text(s, 3);
        if (!rc && model_role_parse(r ? (const char *)r : "", &out->role) != FN_OK)
            out->role = ROLE_CASEWORKER;
        out->org_id = sqlite3_column_int64(s, 4);
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    sqlite3_finalize(s);
    if (rc)
        model_user_clear(out);
    return rc;
}
