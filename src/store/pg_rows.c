/*
 * pg_rows.c – PostgreSQL rows of persons (with aliases and documents),
 * facts and case work, assessments, decisions and the re-assessment queue.
 * Rows only: the policy layer (policy_*.c) checks scope and writes the
 * audit rows around these calls, in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "store/pg_int.h"

fn_status pg_person_params(struct pg_params *v, const struct model_person *p, struct fn_buf *nat)
{
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < p->n_nationalities; i++) {
        rc = fn_buf_append_str(nat, i ? ";" : "");
        if (!rc)
            rc = fn_buf_append_str(nat, p->nationalities[i]);
    }
    if (rc)
        return rc;
    pg_param_always(v, p->record_id);
    pg_param_text(v, p->azr_nr);
    pg_param_text(v, p->family_name);
    pg_param_text(v, p->given_names);
    pg_param_text(v, p->birth_name);
    pg_param_always(v, model_sex_code(p->sex));
    pg_param_date(v, &p->birth_date);
    pg_param_text(v, p->birth_place);
    pg_param_text(v, p->birth_country);
    pg_param_text(v, fn_buf_str(nat));
    pg_param_text(v, model_identity_code(p->identity));
    pg_param_text(v, p->identity_basis);
    pg_param_text(v, p->residence == RES_UNKNOWN ? "" : model_residence_code(p->residence));
    pg_param_date(v, &p->residence_since);
    pg_param_text(v, p->address_street);
    pg_param_text(v, p->address_postcode);
    pg_param_text(v, p->address_municipality);
    pg_param_id(v, p->authority_id);
    pg_param_text(v, p->authority_code);
    pg_param_text(v, p->updated_at);
    return FN_OK;
}

fn_status pg_person_children_insert(struct pg_store *ps, const struct model_person *p)
{
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        struct pg_params a = {0};
        pg_param_int(&a, p->id);
        pg_param_text(&a, p->aliases[i].family_name);
        pg_param_text(&a, p->aliases[i].given_names);
        pg_param_date(&a, &p->aliases[i].birth_date);
        rc = pg_command(ps, PG_STMT_ALIAS_INSERT,
                        "INSERT INTO person_alias (person_id, family_name, given_names,"
                        " birth_date) VALUES ($1,$2,$3,$4)",
                        &a, NULL);
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        struct pg_params a = {0};
        pg_param_int(&a, p->id);
        pg_param_text(&a, d->kind);
        pg_param_text(&a, d->number);
        pg_param_text(&a, d->issuing_state);
        pg_param_date(&a, &d->valid_until);
        pg_param_int(&a, d->verified ? 1 : 0);
        rc = pg_command(ps, PG_STMT_DOCUMENT_INSERT,
                        "INSERT INTO travel_document (person_id, kind, number, issuing_state,"
                        " valid_until, verified) VALUES ($1,$2,$3,$4,$5,$6)",
                        &a, NULL);
    }
    return rc;
}

fn_status pg_person_row_insert(struct store *st, struct model_person *p)
{
    struct pg_store *ps = pg_of(st);
    struct fn_buf nat;
    fn_buf_init(&nat, 256);
    struct pg_params v = {0};
    fn_status rc = pg_person_params(&v, p, &nat);
    if (!rc)
        rc = pg_one_int(ps, PG_STMT_PERSON_INSERT,
                        "INSERT INTO person (record_id, azr_nr, family_name, given_names,"
                        " birth_name, sex, birth_date, birth_place, birth_country, nationalities,"
                        " identity, identity_basis, residence, residence_since, address_street,"
                        " address_postcode, address_municipality, authority_id, authority_code,"
                        " updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,"
                        "$16,$17,$18,$19,$20) RETURNING id",
                        &v, &p->id);
    if (!rc) {
        p->version = 1; /* the column's default */
        rc = pg_person_children_insert(ps, p);
    }
    fn_buf_free(&nat);
    return rc;
}

fn_status pg_person_row_delete(struct store *st, int64_t id)
{
    struct pg_params p = {0};
    pg_param_int(&p, id);
    int64_t changed = 0;
    fn_status rc = pg_command(pg_of(st), PG_STMT_PERSON_DELETE, "DELETE FROM person WHERE id = $1",
                              &p, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status pg_person_count(struct store *st, int64_t *n)
{
    return pg_one_int(pg_of(st), PG_STMT_PERSON_COUNT, "SELECT count(*) FROM person", NULL, n);
}

fn_status pg_max_person_id(struct store *st, int64_t *id)
{
    *id = 0;
    return pg_one_int(pg_of(st), PG_STMT_MAX_PERSON_ID, "SELECT coalesce(max(id), 0) FROM person",
                      NULL, id);
}

/* ---- facts and case work ---- */

typedef void (*pg_fact_params_fn)(struct pg_params *p, const void *fact);

static void residence_params(struct pg_params *p, const void *fact)
{
    const struct model_residence_entry *r = fact;
    pg_param_always(p, model_residence_code(r->status));
    pg_param_date(p, &r->since);
    pg_param_date(p, &r->until);
    pg_param_text(p, r->legal_basis);
    pg_param_date(p, &r->enforceable_since);
    pg_param_date(p, &r->departure_deadline);
}

static void proceeding_params(struct pg_params *p, const void *fact)
{
    const struct model_proceeding *x = fact;
    pg_param_always(p, model_proceeding_kind_code(x->kind));
    pg_param_text(p, x->file_number);
    pg_param_id(p, x->authority_id);
    pg_param_text(p, x->offences);
    pg_param_date(p, &x->offence_date);
    pg_param_date(p, &x->decision_date);
    pg_param_text(p, model_sentence_code(x->sentence));
    pg_param_int(p, x->sentence_months);
    pg_param_int(p, x->suspended ? 1 : 0);
    pg_param_int(p, x->intentional ? 1 : 0);
    pg_param_date(p, &x->final_date);
    pg_param_text(p, model_consent_code(x->consent));
    pg_param_text(p, x->court);
    pg_param_text(p, x->prosecutor);
    pg_param_date(p, &x->consent_requested);
    pg_param_date(p, &x->consent_decided);
}

static void custody_params(struct pg_params *p, const void *fact)
{
    const struct model_custody *c = fact;
    pg_param_id(p, c->prison_id);
    pg_param_always(p, model_custody_kind_code(c->kind));
    pg_param_date(p, &c->start);
    pg_param_date(p, &c->planned_release);
    pg_param_date(p, &c->released);
    pg_param_int(p, c->decision_456a ? 1 : 0);
    pg_param_date(p, &c->decision_456a_date);
    pg_param_id(p, c->transferred_from);
}

static void obstacle_params(struct pg_params *p, const void *fact)
{
    const struct model_obstacle_entry *o = fact;
    pg_param_always(p, model_obstacle_code(o->kind));
    pg_param_date(p, &o->since);
    pg_param_date(p, &o->until);
    pg_param_text(p, o->note);
    pg_param_text(p, o->norm);
}

static void finding_params(struct pg_params *p, const void *fact)
{
    const struct model_finding_entry *f = fact;
    pg_param_always(p, model_finding_code(f->kind));
    pg_param_id(p, f->established_by);
    pg_param_date(p, &f->date);
    pg_param_text(p, f->reference);
    pg_param_text(p, f->note);
}

static void travel_doc_params(struct pg_params *p, const void *fact)
{
    const struct model_document *d = &((const struct model_document_entry *)fact)->doc;
    pg_param_text(p, d->kind);
    pg_param_text(p, d->number);
    pg_param_text(p, d->issuing_state);
    pg_param_date(p, &d->valid_until);
    pg_param_int(p, d->verified ? 1 : 0);
}

static void case_params(struct pg_params *p, const void *fact)
{
    const struct model_case *c = fact;
    pg_param_id(p, c->authority_id);
    pg_param_id(p, c->region_id);
    pg_param_always(p, model_case_status_code(c->status));
    pg_param_text(p, c->tags);
    pg_param_date(p, &c->opened);
    pg_param_date(p, &c->closed);
}

static void conference_params(struct pg_params *p, const void *fact)
{
    const struct model_conference *c = fact;
    pg_param_date(p, &c->date);
    pg_param_text(p, c->participants);
    pg_param_text(p, c->minutes);
}

static void task_params(struct pg_params *p, const void *fact)
{
    const struct model_task *t = fact;
    pg_param_id(p, t->owner_id);
    pg_param_always(p, t->title);
    pg_param_date(p, &t->deadline);
    pg_param_always(p, model_task_status_code(t->status));
}

static void document_params(struct pg_params *p, const void *fact)
{
    const struct model_doc_meta *d = fact;
    pg_param_always(p, d->title);
    pg_param_text(p, d->kind);
    pg_param_text(p, d->file_name);
    pg_param_text(p, d->media_type);
    pg_param_int(p, d->size);
    pg_param_text(p, d->sha256);
}

/* Per fact kind: table, owner (person or case), columns in the order the
 * params function fills them. */
static const struct {
    const char *table;
    int of_case;
    const char *columns;
    pg_fact_params_fn params;
} fact_rows[STORE_FACT_COUNT] = {
    [STORE_FACT_RESIDENCE] = {"residence_status", 0,
                              "status,since,until,legal_basis,enforceable_since,departure_deadline",
                              residence_params},
    [STORE_FACT_PROCEEDING] = {"proceeding", 0,
                               "kind,file_number,authority_id,offences,offence_date,decision_date,"
                               "sentence,sentence_months,suspended,intentional,final_date,consent,"
                               "court,prosecutor,consent_requested,consent_decided",
                               proceeding_params},
    [STORE_FACT_CUSTODY] = {"custody", 0,
                            "prison_id,kind,start,planned_release,released,decision_456a,"
                            "decision_456a_date,transferred_from",
                            custody_params},
    [STORE_FACT_OBSTACLE] = {"legal_obstacle", 0, "kind,since,until,note,norm", obstacle_params},
    [STORE_FACT_FINDING] = {"finding", 0, "kind,established_by,date,reference,note",
                            finding_params},
    [STORE_FACT_TRAVEL_DOC] = {"travel_document", 0,
                               "kind,number,issuing_state,valid_until,verified", travel_doc_params},
    [STORE_FACT_CASE] = {"case_file", 0, "authority_id,region_id,status,tags,opened,closed",
                         case_params},
    [STORE_FACT_CONFERENCE] = {"case_conference", 1, "date,participants,minutes",
                               conference_params},
    [STORE_FACT_TASK] = {"task", 1, "owner_id,title,deadline,status", task_params},
    [STORE_FACT_DOCUMENT] = {"document", 1, "title,kind,file_name,media_type,size,sha256",
                             document_params},
};

/* The SQL of fact statement op for kind into b. */
static fn_status fact_sql(struct fn_buf *b, enum store_fact_kind kind, enum pg_fact_op op)
{
    const char *t = fact_rows[kind].table;
    const char *owner = fact_rows[kind].of_case ? "case_id" : "person_id";
    const char *cols = fact_rows[kind].columns;
    switch (op) {
    case PG_FACT_DELETE:
        return fn_buf_appendf(b, "DELETE FROM %s WHERE id = $1", t);
    case PG_FACT_PERSON_OF_ROW:
        return fact_rows[kind].of_case
                   ? fn_buf_appendf(b,
                                    "SELECT c.person_id FROM %s x JOIN case_file c"
                                    " ON c.id = x.case_id WHERE x.id = $1",
                                    t)
                   : fn_buf_appendf(b, "SELECT person_id FROM %s WHERE id = $1", t);
    case PG_FACT_PERSON_OF_OWNER:
        return fn_buf_append_str(b, fact_rows[kind].of_case
                                        ? "SELECT person_id FROM case_file WHERE id = $1"
                                        : "SELECT id FROM person WHERE id = $1");
    case PG_FACT_STAMP:
        return fn_buf_appendf(b, STORE_FACT_STAMP_SQL("$1", "$2", "$3", "$4", "$5"), t);
    case PG_FACT_RETIRE:
        return fn_buf_appendf(b, STORE_FACT_RETIRE_SQL("$1", "$2", "$3", "$4", "$5"), t);
    case PG_FACT_HISTORY:
        return fn_buf_appendf(b, "SELECT * FROM %s WHERE person_id = $1 ORDER BY id", t);
    case PG_FACT_INSERT:
    case PG_FACT_UPDATE:
    case PG_FACT_OPS:
        break;
    }
    int update = op == PG_FACT_UPDATE;
    fn_status rc = update ? fn_buf_appendf(b, "UPDATE %s SET ", t)
                          : fn_buf_appendf(b, "INSERT INTO %s (%s,%s) VALUES (", t, cols, owner);
    int n = 1;
    for (const char *c = cols; !rc && *c; n++) {
        size_t len = strcspn(c, ",");
        rc = update ? fn_buf_appendf(b, "%s%.*s = $%d", n > 1 ? ", " : "", (int)len, c, n)
                    : fn_buf_appendf(b, "$%d,", n);
        c += len;
        if (*c == ',')
            c++;
    }
    if (rc)
        return rc;
    return update ? fn_buf_appendf(b, " WHERE id = $%d", n)
                  : fn_buf_appendf(b, "$%d) RETURNING id", n);
}

/* Runs fact statement op for kind with p; *out = the one integer result
 * (RETURNING id, a person id) when out is set. */
static fn_status fact_run(struct pg_store *ps, enum store_fact_kind kind, enum pg_fact_op op,
                          const struct pg_params *p, int64_t *out)
{
    struct fn_buf sql;
    fn_buf_init(&sql, 2048);
    int id = PG_STMT_FACT + (int)kind * PG_FACT_OPS + (int)op;
    fn_status rc = ps->prepared[id] ? FN_OK : fact_sql(&sql, kind, op);
    if (!rc)
        rc = out ? pg_one_int(ps, id, fn_buf_str(&sql), p, out)
                 : pg_command(ps, id, fn_buf_str(&sql), p, NULL);
    fn_buf_free(&sql);
    return rc;
}

fn_status pg_fact_person(struct store *st, enum store_fact_kind kind, int64_t id, int of_row,
                         int64_t *person_id)
{
    struct pg_params p = {0};
    pg_param_int(&p, id);
    return fact_run(pg_of(st), kind, of_row ? PG_FACT_PERSON_OF_ROW : PG_FACT_PERSON_OF_OWNER, &p,
                    person_id);
}

fn_status pg_fact_write(struct store *st, enum store_fact_kind kind, const void *fact,
                        int64_t owner_id, int64_t update_id, int64_t *row_id)
{
    struct pg_params p = {0};
    fact_rows[kind].params(&p, fact);
    pg_param_int(&p, update_id ? update_id : owner_id);
    if (update_id) {
        fn_status rc = fact_run(pg_of(st), kind, PG_FACT_UPDATE, &p, NULL);
        if (!rc)
            *row_id = update_id;
        return rc;
    }
    return fact_run(pg_of(st), kind, PG_FACT_INSERT, &p, row_id);
}

fn_status pg_fact_delete_row(struct store *st, enum store_fact_kind kind, int64_t id)
{
    struct pg_params p = {0};
    pg_param_int(&p, id);
    return fact_run(pg_of(st), kind, PG_FACT_DELETE, &p, NULL);
}

/* Runs fact statement op (stamp or retire) for kind with m's four values
 * and id; *changed = the rows it changed. */
static fn_status fact_mark(struct pg_store *ps, enum store_fact_kind kind, enum pg_fact_op op,
                           const char *const v[4], int64_t id, int64_t *changed)
{
    struct pg_params p = {0};
    for (int i = 0; i < 4; i++)
        pg_param_text(&p, v[i]);
    pg_param_int(&p, id);
    struct fn_buf sql;
    fn_buf_init(&sql, 512);
    int sid = PG_STMT_FACT + (int)kind * PG_FACT_OPS + (int)op;
    fn_status rc = ps->prepared[sid] ? FN_OK : fact_sql(&sql, kind, op);
    if (!rc)
        rc = pg_command(ps, sid, fn_buf_str(&sql), &p, changed);
    fn_buf_free(&sql);
    return rc;
}

fn_status pg_fact_stamp(struct store *st, enum store_fact_kind kind, int64_t id,
                        const struct store_fact_stamp *m)
{
    const char *v[4] = {m->source_kind, m->source_ref, m->login, m->at};
    int64_t changed = 0;
    fn_status rc = fact_mark(pg_of(st), kind, PG_FACT_STAMP, v, id, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status pg_fact_retire(struct store *st, enum store_fact_kind kind, int64_t id,
                         int64_t superseded_by, const struct store_fact_stamp *m)
{
    char by[24] = "";
    if (superseded_by)
        snprintf(by, sizeof by, "%lld", (long long)superseded_by);
    const char *v[4] = {by, m->login, m->at, m->reason};
    int64_t changed = 0;
    fn_status rc = fact_mark(pg_of(st), kind, PG_FACT_RETIRE, v, id, &changed);
    return rc ? rc : changed ? FN_OK : FN_STALE;
}

fn_status pg_fact_history(struct store *st, enum store_fact_kind kind, int64_t person_id,
                          store_table_row_fn fn, void *ctx)
{
    struct pg_store *ps = pg_of(st);
    struct fn_buf sql;
    fn_buf_init(&sql, 256);
    char pid[24];
    snprintf(pid, sizeof pid, "%lld", (long long)person_id);
    const char *values[1] = {pid};
    fn_status rc = fact_sql(&sql, kind, PG_FACT_HISTORY);
    if (!rc && !PQsendQueryParams(ps->conn, fn_buf_str(&sql), 1, NULL, values, NULL, NULL, 0))
        rc = pg_result_error(ps, NULL);
    if (!rc)
        rc = pg_table_rows(ps, fn, ctx);
    fn_buf_free(&sql);
    return rc;
}

/* ---- assessments and decisions ---- */

/* The time of an assessment or decision row, as the SQLite backend
 * stamps it (seconds, UTC). */
static void stamp(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

fn_status pg_assessment_row_insert(struct store *st, struct store_assessment *as)
{
    char at[32], band[2] = {as->band, '\0'};
    stamp(at);
    struct pg_params p = {0};
    pg_param_int(&p, as->person_id);
    pg_param_always(&p, at);
    pg_param_always(&p, as->catalog_version);
    pg_param_always(&p, as->catalog_hash);
    pg_param_int(&p, as->blocked ? 1 : 0);
    pg_param_always(&p, band);
    pg_param_int(&p, as->points);
    pg_param_always(&p, as->feasibility);
    pg_param_always(&p, as->trace_json);
    pg_param_always(&p, as->digest ? as->digest : "");
    return pg_one_int(pg_of(st), PG_STMT_ASSESSMENT_INSERT,
                      "INSERT INTO assessment (person_id, at, catalog_version, catalog_hash,"
                      " blocked, band, points, feasibility, trace, digest)"
                      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
                      &p, &as->id);
}

fn_status pg_assessment_person(struct store *st, int64_t assessment_id, int64_t *person_id)
{
    *person_id = 0;
    struct pg_params p = {0};
    pg_param_int(&p, assessment_id);
    return pg_one_int(pg_of(st), PG_STMT_ASSESSMENT_PERSON,
                      "SELECT person_id FROM assessment WHERE id = $1", &p, person_id);
}

fn_status pg_decision_row_insert(struct store *st, const char *login, struct store_decision *d)
{
    char at[32];
    stamp(at);
    struct pg_params p = {0};
    pg_param_int(&p, d->person_id);
    pg_param_int(&p, d->assessment_id);
    pg_param_always(&p, at);
    pg_param_always(&p, login);
    pg_param_text(&p, d->second_login);
    pg_param_always(&p, d->accept ? "aufnehmen" : "ablehnen");
    pg_param_always(&p, d->reason);
    pg_param_text(&p, d->override_kind);
    pg_param_always(&p, d->catalog_hash);
    return pg_one_int(pg_of(st), PG_STMT_DECISION_INSERT,
                      "INSERT INTO decision (person_id, assessment_id, at, login, second_login,"
                      " outcome, reason, override_kind, catalog_hash)"
                      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
                      " RETURNING id",
                      &p, &d->id);
}

fn_status pg_assessment_latest_digest(struct store *st, int64_t person_id, char out[65])
{
    struct pg_params p = {0};
    pg_param_int(&p, person_id);
    return pg_one_hash(
        pg_of(st), PG_STMT_LATEST_DIGEST,
        "SELECT digest FROM assessment WHERE person_id = $1 ORDER BY id DESC LIMIT 1", &p, out);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

fn_status pg_assessment_due_take(struct store *st, int64_t *ids, size_t max, size_t *n)
{
    *n = 0;
    struct pg_params p = {0};
    pg_param_int(&p, (int64_t)max);
    PGresult *r = NULL;
    /* One statement takes the lowest ids off the queue; SKIP LOCKED lets
     * two servers take disjoint batches at once. */
    fn_status rc = pg_run(pg_of(st), PG_STMT_DUE_TAKE,
                          "DELETE FROM assessment_due WHERE person_id IN (SELECT person_id FROM"
                          " assessment_due ORDER BY person_id LIMIT $1 FOR UPDATE SKIP LOCKED)"
                          " RETURNING person_id",
                          &p, &r);
    if (rc)
        return rc;
    size_t rows = (size_t)PQntuples(r);
    for (size_t i = 0; i < rows && i < max; i++)
        ids[i] = pg_int(r, (int)i, 0);
    *n = rows < max ? rows : max;
    PQclear(r);
    /* RETURNING does not promise an order: callers get ascending ids. */
    qsort(ids, *n, sizeof *ids, cmp_id);
    return FN_OK;
}
