/*
 * pg_read.c – PostgreSQL reads of persons, cases and decisions within a
 * resolved scope (backend.h: person_get … decisions_each), the person
 * update's rows, and the organisation map of the scope cache. Rows only:
 * policy_read.c and policy_person.c check the actor, resolve the scope and
 * write the audit rows.
 *
 * What a caller sees is the SQLite backend's: the same rows in the same
 * order (NULL dates first, as SQLite sorts them: NULLS FIRST), the same
 * texts (dates and codes are TEXT columns on both), out of scope is
 * FN_NOTFOUND for one row and absent from lists. A list filters in its one
 * query (PG_SCOPE_SQL); a single row is checked with the cached
 * store_scope_covers, so a scoped get costs no extra query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "store/eval_sql.h"
#include "store/pg_int.h"

/* The columns of a person row, in read_person_row's order. */
#define PERSON_COLUMNS                                                                             \
    "id, record_id, azr_nr, family_name, given_names, birth_name, sex, birth_date,"                \
    " birth_place, birth_country, nationalities, identity, identity_basis, residence,"             \
    " residence_since, address_street, address_postcode, address_municipality,"                    \
    " authority_id, authority_code, updated_at"

/* Bits of person.fact_mask (schema version 4): which child tables hold rows. */
enum {
    MASK_ALIAS = 0x01,
    MASK_DOCUMENT = 0x02,
    MASK_RESIDENCE = 0x04,
    MASK_PROCEEDING = 0x08,
    MASK_CUSTODY = 0x10,
    MASK_OBSTACLE = 0x20,
    MASK_FINDING = 0x40,
    MASK_CASE = 0x80,
    MASK_ALL = 0xff
};

void pg_param_scope(struct pg_params *p, const struct store_scope *sc)
{
    pg_param_int(p, sc->all ? 1 : 0);
    pg_param_int(p, sc->org_id);
    pg_param_int(p, sc->region_id);
}

/* A cell's text, NULL for SQL NULL. */
static const char *cell(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static void cell_date(const PGresult *r, int row, int col, struct fn_pdate *out)
{
    const char *t = cell(r, row, col);
    memset(out, 0, sizeof *out);
    if (t && fn_pdate_parse(t, strlen(t), out) != FN_OK)
        memset(out, 0, sizeof *out); /* stored dates are validated on the way in */
}

static int cell_enum(const PGresult *r, int row, int col, const char *(*code)(int), int count)
{
    const char *t = cell(r, row, col);
    int v = 0;
    if (model_enum_parse(t ? t : "", code, count, &v) != FN_OK)
        return 0;
    return v;
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
    for (const char *start = s;;) {
        const char *end = strchr(start, ';');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        if (len) {
            p->nationalities[p->n_nationalities] = fn_strndup(start, len);
            if (!p->nationalities[p->n_nationalities])
                return FN_NOMEM;
            p->n_nationalities++;
        }
        if (!end)
            return FN_OK;
        start = end + 1;
    }
}

/* Fills p from row `row` of a PERSON_COLUMNS result. */
static fn_status read_person_row(const PGresult *r, int row, struct model_person *p)
{
    static const struct {
        int col;
        size_t off;
    } texts[] = {{1, offsetof(struct model_person, record_id)},
                 {2, offsetof(struct model_person, azr_nr)},
                 {3, offsetof(struct model_person, family_name)},
                 {4, offsetof(struct model_person, given_names)},
                 {5, offsetof(struct model_person, birth_name)},
                 {8, offsetof(struct model_person, birth_place)},
                 {9, offsetof(struct model_person, birth_country)},
                 {12, offsetof(struct model_person, identity_basis)},
                 {15, offsetof(struct model_person, address_street)},
                 {16, offsetof(struct model_person, address_postcode)},
                 {17, offsetof(struct model_person, address_municipality)},
                 {19, offsetof(struct model_person, authority_code)},
                 {20, offsetof(struct model_person, updated_at)}};
    fn_status rc = FN_OK;
    p->id = pg_int(r, row, 0);
    for (size_t i = 0; !rc && i < sizeof texts / sizeof texts[0]; i++)
        rc = pg_text(r, row, texts[i].col, (char **)(void *)((char *)p + texts[i].off));
    if (rc)
        return rc;
    cell_date(r, row, 7, &p->birth_date);
    cell_date(r, row, 14, &p->residence_since);
    p->authority_id = pg_int(r, row, 18);
    const char *sex = cell(r, row, 6), *identity = cell(r, row, 11), *res = cell(r, row, 13);
    if (model_sex_parse(sex ? sex : "", &p->sex) != FN_OK)
        p->sex = SEX_UNKNOWN;
    if (model_identity_parse(identity ? identity : "", &p->identity) != FN_OK)
        p->identity = IDENTITY_UNKNOWN;
    if (model_residence_parse(res ? res : "", &p->residence) != FN_OK)
        p->residence = RES_UNKNOWN;
    return split_nationalities(cell(r, row, 10), p);
}

static fn_status alias_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    (void)pid;
    struct model_person *p = f->person;
    struct model_alias *al = grow((void **)&p->aliases, &p->n_aliases, sizeof *al);
    if (!al)
        return FN_NOMEM;
    fn_status rc = pg_text(r, row, 0, &al->family_name);
    if (!rc)
        rc = pg_text(r, row, 1, &al->given_names);
    cell_date(r, row, 2, &al->birth_date);
    return rc;
}

static fn_status document_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    (void)pid;
    struct model_person *p = f->person;
    struct model_document *d = grow((void **)&p->documents, &p->n_documents, sizeof *d);
    if (!d)
        return FN_NOMEM;
    fn_status rc = pg_text(r, row, 0, &d->kind);
    if (!rc)
        rc = pg_text(r, row, 1, &d->number);
    if (!rc)
        rc = pg_text(r, row, 2, &d->issuing_state);
    cell_date(r, row, 3, &d->valid_until);
    d->verified = (int)pg_int(r, row, 4);
    return rc;
}

static fn_status residence_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    struct model_residence_entry *x = grow((void **)&f->residence, &f->n_residence, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->id = pg_int(r, row, 0);
    x->person_id = pid;
    x->status = (enum model_residence)cell_enum(r, row, 1, model_residence_code_int, RES_COUNT);
    cell_date(r, row, 2, &x->since);
    cell_date(r, row, 3, &x->until);
    cell_date(r, row, 5, &x->enforceable_since);
    cell_date(r, row, 6, &x->departure_deadline);
    return pg_text(r, row, 4, &x->legal_basis);
}

static fn_status proceeding_row(const PGresult *r, int row, struct model_person_file *f,
                                int64_t pid)
{
    struct model_proceeding *x = grow((void **)&f->proceedings, &f->n_proceedings, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->id = pg_int(r, row, 0);
    x->person_id = pid;
    x->kind = (enum model_proceeding_kind)cell_enum(r, row, 1, model_proceeding_kind_code_int,
                                                    PROC_KIND_COUNT);
    x->authority_id = pg_int(r, row, 3);
    cell_date(r, row, 5, &x->offence_date);
    cell_date(r, row, 6, &x->decision_date);
    x->sentence = (enum model_sentence)cell_enum(r, row, 7, model_sentence_code_int, SENT_COUNT);
    x->sentence_months = (int)pg_int(r, row, 8);
    x->suspended = (int)pg_int(r, row, 9);
    x->intentional = (int)pg_int(r, row, 10);
    cell_date(r, row, 11, &x->final_date);
    x->consent = (enum model_consent)cell_enum(r, row, 12, model_consent_code_int, CONSENT_COUNT);
    fn_status rc = pg_text(r, row, 2, &x->file_number);
    return rc ? rc : pg_text(r, row, 4, &x->offences);
}

static fn_status custody_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    struct model_custody *x = grow((void **)&f->custody, &f->n_custody, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->id = pg_int(r, row, 0);
    x->person_id = pid;
    x->prison_id = pg_int(r, row, 1);
    x->kind =
        (enum model_custody_kind)cell_enum(r, row, 2, model_custody_kind_code_int, CUSTODY_COUNT);
    cell_date(r, row, 3, &x->start);
    cell_date(r, row, 4, &x->planned_release);
    cell_date(r, row, 5, &x->released);
    x->decision_456a = (int)pg_int(r, row, 6);
    cell_date(r, row, 7, &x->decision_456a_date);
    x->transferred_from = pg_int(r, row, 8);
    return FN_OK;
}

static fn_status obstacle_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    struct model_obstacle_entry *x = grow((void **)&f->obstacles, &f->n_obstacles, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->id = pg_int(r, row, 0);
    x->person_id = pid;
    x->kind = (enum model_obstacle)cell_enum(r, row, 1, model_obstacle_code_int, OBST_COUNT);
    cell_date(r, row, 2, &x->since);
    cell_date(r, row, 3, &x->until);
    return pg_text(r, row, 4, &x->note);
}

static fn_status finding_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    struct model_finding_entry *x = grow((void **)&f->findings, &f->n_findings, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->id = pg_int(r, row, 0);
    x->person_id = pid;
    x->kind = (enum model_finding)cell_enum(r, row, 1, model_finding_code_int, FIND_COUNT);
    x->established_by = pg_int(r, row, 2);
    cell_date(r, row, 3, &x->date);
    fn_status rc = pg_text(r, row, 4, &x->reference);
    return rc ? rc : pg_text(r, row, 5, &x->note);
}

/* Columns 0..6 of a case row: id, authority, region, status, tags, opened,
 * closed. */
static fn_status case_columns(const PGresult *r, int row, struct model_case *c)
{
    c->id = pg_int(r, row, 0);
    c->authority_id = pg_int(r, row, 1);
    c->region_id = pg_int(r, row, 2);
    c->status =
        (enum model_case_status)cell_enum(r, row, 3, model_case_status_code_int, CASE_STATUS_COUNT);
    cell_date(r, row, 5, &c->opened);
    cell_date(r, row, 6, &c->closed);
    return pg_text(r, row, 4, &c->tags);
}

static fn_status case_row(const PGresult *r, int row, struct model_person_file *f, int64_t pid)
{
    struct model_case *c = grow((void **)&f->cases, &f->n_cases, sizeof *c);
    if (!c)
        return FN_NOMEM;
    c->person_id = pid;
    return case_columns(r, row, c);
}

typedef fn_status (*child_row_fn)(const PGresult *r, int row, struct model_person_file *f,
                                  int64_t pid);

/* The child tables: their columns (the row function's layout), table,
 * order within a person, fact_mask bit, and the statements for one person
 * and for a range of persons (person_id appended as the last column). */
static const struct {
    const char *columns, *table, *order;
    unsigned mask;
    int one_stmt, range_stmt;
    int in_range; /* read by person_files_range (aliases are not, as in SQLite) */
    child_row_fn row;
} children[] = {
    {"family_name, given_names, birth_date", "person_alias", "id", MASK_ALIAS, PG_STMT_ALIAS_GET,
     -1, 0, alias_row},
    {"kind, number, issuing_state, valid_until, verified", "travel_document", "id", MASK_DOCUMENT,
     PG_STMT_DOCUMENT_GET, PG_STMT_RANGE_DOCUMENT, 1, document_row},
    {"id, status, since, until, legal_basis, enforceable_since, departure_deadline",
     "residence_status", "since NULLS FIRST, id", MASK_RESIDENCE, PG_STMT_RESIDENCE_GET,
     PG_STMT_RANGE_RESIDENCE, 1, residence_row},
    {"id, kind, file_number, authority_id, offences, offence_date, decision_date, sentence,"
     " sentence_months, suspended, intentional, final_date, consent",
     "proceeding", "decision_date NULLS FIRST, id", MASK_PROCEEDING, PG_STMT_PROCEEDING_GET,
     PG_STMT_RANGE_PROCEEDING, 1, proceeding_row},
    {"id, prison_id, kind, start, planned_release, released, decision_456a, decision_456a_date,"
     " transferred_from",
     "custody", "start NULLS FIRST, id", MASK_CUSTODY, PG_STMT_CUSTODY_GET, PG_STMT_RANGE_CUSTODY,
     1, custody_row},
    {"id, kind, since, until, note", "legal_obstacle", "since NULLS FIRST, id", MASK_OBSTACLE,
     PG_STMT_OBSTACLE_GET, PG_STMT_RANGE_OBSTACLE, 1, obstacle_row},
    {"id, kind, established_by, date, reference, note", "finding", "date NULLS FIRST, id",
     MASK_FINDING, PG_STMT_FINDING_GET, PG_STMT_RANGE_FINDING, 1, finding_row},
    {"id, authority_id, region_id, status, tags, opened, closed", "case_file", "id", MASK_CASE,
     PG_STMT_CASE_GET, PG_STMT_RANGE_CASE, 1, case_row},
};
#define N_CHILDREN (sizeof children / sizeof children[0])

/* Runs child table t's statement for person pid (range 0) or for persons
 * lo..hi (range 1); *res as pg_run. */
static fn_status child_query(struct pg_store *ps, size_t t, int range, int64_t lo, int64_t hi,
                             PGresult **res)
{
    char sql[512];
    /* recorded facts: only the current rows (schema 13); the history keeps the rest */
    const char *current = (children[t].mask & (MASK_DOCUMENT | MASK_RESIDENCE | MASK_PROCEEDING |
                                               MASK_CUSTODY | MASK_OBSTACLE | MASK_FINDING))
                              ? " AND retired_at IS NULL"
                              : "";
    if (range)
        snprintf(sql, sizeof sql,
                 "SELECT %s, person_id FROM %s WHERE person_id BETWEEN $1 AND $2%s"
                 " ORDER BY person_id, %s",
                 children[t].columns, children[t].table, current, children[t].order);
    else
        snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE person_id = $1%s ORDER BY %s",
                 children[t].columns, children[t].table, current, children[t].order);
    struct pg_params p = {0};
    pg_param_int(&p, lo);
    if (range)
        pg_param_int(&p, hi);
    return pg_run(ps, range ? children[t].range_stmt : children[t].one_stmt, sql, &p, res);
}

/* Reads the child rows of f->person that mask names (facts only when f has
 * room for them: the person alone reads aliases and documents). */
static fn_status read_children(struct pg_store *ps, struct model_person_file *f, int64_t mask,
                               size_t upto)
{
    fn_status rc = FN_OK;
    int64_t pid = f->person->id;
    for (size_t t = 0; !rc && t < upto; t++) {
        if (!(mask & children[t].mask))
            continue;
        PGresult *r = NULL;
        rc = child_query(ps, t, 0, pid, 0, &r);
        for (int i = 0; !rc && i < PQntuples(r); i++)
            rc = children[t].row(r, i, f, pid);
        PQclear(r);
    }
    return rc;
}

/* Reads person id into p; *mask = its fact_mask. FN_NOTFOUND when none. */
static fn_status read_person(struct pg_store *ps, int64_t id, struct model_person *p, int64_t *mask)
{
    struct pg_params v = {0};
    pg_param_int(&v, id);
    PGresult *r = NULL;
    fn_status rc =
        pg_run(ps, PG_STMT_PERSON_GET,
               "SELECT " PERSON_COLUMNS ", fact_mask, version FROM person WHERE id = $1", &v, &r);
    if (!rc && PQntuples(r) == 0)
        rc = FN_NOTFOUND;
    if (!rc) {
        rc = read_person_row(r, 0, p);
        *mask = pg_int(r, 0, 21);
        p->version = pg_int(r, 0, 22);
    }
    PQclear(r);
    return rc;
}

fn_status pg_person_get(struct store *st, const struct store_scope *sc, int64_t id,
                        struct model_person_file **out)
{
    *out = NULL;
    struct model_person_file *f = fn_calloc(1, sizeof *f);
    if (!f)
        return FN_NOMEM;
    fn_status rc = FN_NOMEM;
    int64_t mask = 0;
    f->person = model_person_new();
    if (f->person)
        rc = read_person(pg_of(st), id, f->person, &mask);
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, sc, f->person->authority_id, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND; /* out of scope reads as absent */
    if (!rc)
        rc = read_children(pg_of(st), f, mask, N_CHILDREN);
    if (rc)
        model_person_file_free(f);
    else
        *out = f;
    return rc;
}

fn_status pg_person_row_get(struct store *st, int64_t id, struct model_person **out)
{
    struct model_person_file f = {.person = model_person_new()};
    if (!f.person)
        return FN_NOMEM;
    int64_t mask = 0;
    fn_status rc = read_person(pg_of(st), id, f.person, &mask);
    if (!rc)
        rc = read_children(pg_of(st), &f, mask, 2); /* aliases and documents */
    if (rc) {
        model_person_free(f.person);
        f.person = NULL;
    }
    *out = f.person;
    return rc;
}

fn_status pg_person_find(struct store *st, const struct store_scope *sc, const char *record_id,
                         int64_t *id)
{
    struct pg_params v = {0};
    pg_param_always(&v, record_id);
    PGresult *r = NULL;
    fn_status rc =
        pg_run(pg_of(st), PG_STMT_PERSON_FIND,
               "SELECT id, coalesce(authority_id, 0) FROM person WHERE record_id = $1", &v, &r);
    if (rc)
        return rc;
    int64_t found = 0, authority = 0;
    if (PQntuples(r)) {
        found = pg_int(r, 0, 0);
        authority = pg_int(r, 0, 1);
    } else {
        rc = FN_NOTFOUND;
    }
    PQclear(r);
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, sc, authority, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND;
    if (!rc)
        *id = found;
    return rc;
}

fn_status pg_person_authority(struct store *st, int64_t person_id, int64_t *authority_id)
{
    *authority_id = 0;
    struct pg_params v = {0};
    pg_param_int(&v, person_id);
    return pg_one_int(pg_of(st), PG_STMT_PERSON_AUTHORITY,
                      "SELECT coalesce(authority_id, 0) FROM person WHERE id = $1", &v,
                      authority_id);
}

fn_status pg_org_region_each(struct store *st, store_org_region_fn fn, void *ctx)
{
    PGresult *r = NULL;
    fn_status rc =
        pg_run(pg_of(st), PG_STMT_ORG_REGION_EACH,
               "SELECT id, coalesce(region_id, 0), kind FROM organisation ORDER BY id", NULL, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, pg_int(r, i, 0), pg_int(r, i, 1), cell(r, i, 2));
    PQclear(r);
    return rc;
}

fn_status pg_person_list(struct store *st, const struct store_scope *sc,
                         const struct store_scope *of, int64_t after_id, size_t limit,
                         struct store_person_summary *out, size_t *n)
{
    *n = 0;
    struct pg_params v = {0};
    pg_param_int(&v, after_id);
    pg_param_int(&v, (int64_t)limit);
    pg_param_scope(&v, of);
    pg_param_scope(&v, sc);
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_PERSON_LIST,
                          "SELECT id, record_id, family_name, given_names, birth_date, residence,"
                          " identity, authority_id FROM person WHERE id > $1"
                          " AND " PG_SCOPE_SQL("authority_id", "3", "4", "5") " AND " PG_SCOPE_SQL(
                              "authority_id", "6", "7", "8") " ORDER BY id LIMIT $2",
                          &v, &r);
    if (rc)
        return rc;
    size_t rows = (size_t)PQntuples(r);
    for (size_t i = 0; i < rows && i < limit; i++) {
        struct store_person_summary *p = &out[i];
        int row = (int)i;
        p->id = pg_int(r, row, 0);
        fn_utf8_copy(p->record_id, sizeof p->record_id, cell(r, row, 1));
        fn_utf8_copy(p->family_name, sizeof p->family_name, cell(r, row, 2));
        fn_utf8_copy(p->given_names, sizeof p->given_names, cell(r, row, 3));
        fn_utf8_copy(p->birth_date, sizeof p->birth_date, cell(r, row, 4));
        fn_utf8_copy(p->residence, sizeof p->residence, cell(r, row, 5));
        fn_utf8_copy(p->identity, sizeof p->identity, cell(r, row, 6));
        p->authority_id = pg_int(r, row, 7);
        (*n)++;
    }
    PQclear(r);
    return FN_OK;
}

/* Persons per round trip of the walks: bounded memory, few queries. */
#define WALK_PAGE 1000

/* Opens a read snapshot for a walk of several queries unless the caller
 * holds a transaction or snapshot; *own says whether it did. */
static fn_status walk_snapshot(struct store *st, int *own)
{
    *own = !store_head_of(st)->in_tx && !store_head_of(st)->in_read;
    return *own ? store_head_of(st)->ops->read_begin(st) : FN_OK;
}

fn_status pg_person_each(struct store *st, const struct store_scope *sc, store_person_fn fn,
                         void *ctx)
{
    struct pg_store *ps = pg_of(st);
    int own = 0;
    fn_status rc = walk_snapshot(st, &own);
    int64_t after = 0;
    int rows = WALK_PAGE;
    while (!rc && rows == WALK_PAGE) {
        struct pg_params v = {0};
        pg_param_int(&v, after);
        pg_param_int(&v, WALK_PAGE);
        pg_param_scope(&v, sc);
        PGresult *r = NULL;
        rc = pg_run(ps, PG_STMT_PERSON_EACH,
                    "SELECT " PERSON_COLUMNS " FROM person WHERE id > $1 AND " PG_SCOPE_SQL(
                        "authority_id", "3", "4", "5") " ORDER BY id LIMIT $2",
                    &v, &r);
        rows = rc ? 0 : PQntuples(r);
        for (int i = 0; !rc && i < rows; i++) {
            struct model_person_file f = {.person = model_person_new()};
            rc = f.person ? read_person_row(r, i, f.person) : FN_NOMEM;
            if (!rc)
                rc = read_children(ps, &f, MASK_ALIAS | MASK_DOCUMENT, 2);
            if (!rc)
                rc = fn(ctx, f.person);
            after = f.person ? f.person->id : after;
            model_person_free(f.person);
        }
        PQclear(r);
    }
    if (own)
        store_head_of(st)->ops->read_end(st);
    return rc;
}

/* One range query of a child table: its rows in person order. */
struct child_cursor {
    PGresult *r;
    int next, rows;
};

fn_status pg_person_files_range(struct store *st, const struct store_scope *sc, int64_t lo_id,
                                int64_t hi_id, store_person_file_fn fn, void *ctx)
{
    struct pg_store *ps = pg_of(st);
    struct child_cursor cur[N_CHILDREN];
    memset(cur, 0, sizeof cur);
    int own = 0;
    fn_status rc = walk_snapshot(st, &own); /* one snapshot for every page */
    int64_t after = lo_id - 1;
    int rows = WALK_PAGE;
    while (!rc && rows == WALK_PAGE && after < hi_id) {
        struct pg_params v = {0};
        pg_param_int(&v, after);
        pg_param_int(&v, hi_id);
        pg_param_int(&v, WALK_PAGE);
        pg_param_scope(&v, sc);
        PGresult *r = NULL;
        rc = pg_run(ps, PG_STMT_RANGE_PERSONS,
                    "SELECT " PERSON_COLUMNS " FROM person WHERE id > $1 AND id <= $2"
                    " AND " PG_SCOPE_SQL("authority_id", "4", "5", "6") " ORDER BY id LIMIT $3",
                    &v, &r);
        rows = rc ? 0 : PQntuples(r);
        /* the children of this page's persons, one query per table */
        int64_t page_lo = rows ? pg_int(r, 0, 0) : 0, page_hi = rows ? pg_int(r, rows - 1, 0) : 0;
        for (size_t t = 0; !rc && rows && t < N_CHILDREN; t++) {
            if (!children[t].in_range)
                continue;
            rc = child_query(ps, t, 1, page_lo, page_hi, &cur[t].r);
            cur[t].next = 0;
            cur[t].rows = rc ? 0 : PQntuples(cur[t].r);
        }
        for (int i = 0; !rc && i < rows; i++) {
            struct model_person_file *f = fn_calloc(1, sizeof *f);
            if (!f || !(f->person = model_person_new())) {
                model_person_file_free(f);
                rc = FN_NOMEM;
                break;
            }
            rc = read_person_row(r, i, f->person);
            int64_t pid = f->person->id;
            for (size_t t = 0; !rc && t < N_CHILDREN; t++) {
                struct child_cursor *c = &cur[t];
                int pcol = c->r ? PQnfields(c->r) - 1 : 0;
                while (c->next < c->rows && pg_int(c->r, c->next, pcol) < pid)
                    c->next++; /* rows of persons out of scope */
                while (!rc && c->next < c->rows && pg_int(c->r, c->next, pcol) == pid)
                    rc = children[t].row(c->r, c->next++, f, pid);
            }
            if (!rc)
                rc = fn(ctx, f);
            model_person_file_free(f);
        }
        after = rows ? page_hi : after;
        PQclear(r);
        for (size_t t = 0; t < N_CHILDREN; t++) {
            PQclear(cur[t].r);
            cur[t].r = NULL;
            cur[t].rows = 0;
        }
    }
    if (own)
        store_head_of(st)->ops->read_end(st);
    return rc;
}

/* Runs sql (one parameter: id) as statement stmt, rows not needed. */
static fn_status command_id(struct pg_store *ps, int stmt, const char *sql, int64_t id)
{
    struct pg_params v = {0};
    pg_param_int(&v, id);
    return pg_command(ps, stmt, sql, &v, NULL);
}

fn_status pg_person_row_update(struct store *st, struct model_person *p)
{
    struct pg_store *ps = pg_of(st);
    struct fn_buf nat;
    fn_buf_init(&nat, 256);
    struct pg_params v = {0};
    fn_status rc = pg_person_params(&v, p, &nat);
    if (rc)
        goto out;
    pg_param_int(&v, p->id);
    pg_param_int(&v, p->version);
    int64_t changed = 0;
    rc = pg_command(ps, PG_STMT_PERSON_UPDATE,
                    "UPDATE person SET record_id = $1, azr_nr = $2, family_name = $3,"
                    " given_names = $4, birth_name = $5, sex = $6, birth_date = $7,"
                    " birth_place = $8, birth_country = $9, nationalities = $10,"
                    " identity = $11, identity_basis = $12, residence = $13,"
                    " residence_since = $14, address_street = $15, address_postcode = $16,"
                    " address_municipality = $17, authority_id = $18, authority_code = $19,"
                    " updated_at = $20, version = version + 1 WHERE id = $21 AND version = $22",
                    &v, &changed);
    /* The version check and the increment are one statement: under READ
     * COMMITTED the second of two racing writers re-evaluates the WHERE
     * against the first one's committed row and changes nothing. */
    if (!rc && !changed) {
        int64_t stored = 0;
        struct pg_params w = {0};
        pg_param_int(&w, p->id);
        rc = pg_one_int(ps, PG_STMT_PERSON_VERSION, "SELECT version FROM person WHERE id = $1", &w,
                        &stored);
        if (!rc)
            rc = FN_STALE;
    } else if (!rc) {
        p->version++;
    }
    if (!rc)
        rc = command_id(ps, PG_STMT_ALIAS_DELETE, "DELETE FROM person_alias WHERE person_id = $1",
                        p->id);
    /* identity documents are recorded facts with history (issue 13): the
     * update leaves them alone, so only the aliases are written again */
    struct model_person aliases_only = *p;
    aliases_only.n_documents = 0;
    if (!rc)
        rc = pg_person_children_insert(ps, &aliases_only);
out:
    fn_buf_free(&nat);
    return rc;
}

fn_status pg_case_get(struct store *st, const struct store_scope *sc, int64_t case_id,
                      struct model_case_file **out)
{
    struct pg_store *ps = pg_of(st);
    *out = NULL;
    struct model_case_file *f = fn_calloc(1, sizeof *f);
    if (!f)
        return FN_NOMEM;
    struct pg_params v = {0};
    pg_param_int(&v, case_id);
    PGresult *r = NULL;
    fn_status rc = pg_run(ps, PG_STMT_CASE_ROW,
                          "SELECT c.id, c.authority_id, c.region_id, c.status, c.tags, c.opened,"
                          " c.closed, c.person_id, coalesce(p.authority_id, 0)"
                          " FROM case_file c JOIN person p ON p.id = c.person_id WHERE c.id = $1",
                          &v, &r);
    if (!rc && !PQntuples(r))
        rc = FN_NOTFOUND;
    int64_t authority = 0;
    if (!rc) {
        rc = case_columns(r, 0, &f->kase);
        f->kase.person_id = pg_int(r, 0, 7);
        authority = pg_int(r, 0, 8);
    }
    PQclear(r);
    r = NULL;
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, sc, authority, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND; /* out of scope reads as absent */
    if (!rc)
        rc = pg_run(ps, PG_STMT_CASE_CONFERENCES,
                    "SELECT id, date, participants, minutes FROM case_conference"
                    " WHERE case_id = $1 ORDER BY date NULLS FIRST, id",
                    &v, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct model_conference *c = grow((void **)&f->conferences, &f->n_conferences, sizeof *c);
        rc = c ? FN_OK : FN_NOMEM;
        if (rc)
            break;
        c->id = pg_int(r, i, 0);
        c->case_id = case_id;
        cell_date(r, i, 1, &c->date);
        rc = pg_text(r, i, 2, &c->participants);
        if (!rc)
            rc = pg_text(r, i, 3, &c->minutes);
    }
    PQclear(r);
    r = NULL;
    if (!rc)
        rc = pg_run(ps, PG_STMT_CASE_TASKS,
                    "SELECT id, owner_id, title, deadline, status FROM task"
                    " WHERE case_id = $1 ORDER BY deadline NULLS FIRST, id",
                    &v, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct model_task *t = grow((void **)&f->tasks, &f->n_tasks, sizeof *t);
        rc = t ? FN_OK : FN_NOMEM;
        if (rc)
            break;
        t->id = pg_int(r, i, 0);
        t->case_id = case_id;
        t->owner_id = pg_int(r, i, 1);
        rc = pg_text(r, i, 2, &t->title);
        cell_date(r, i, 3, &t->deadline);
        const char *status = cell(r, i, 4);
        if (model_task_status_parse(status ? status : "", &t->status) != FN_OK)
            t->status = TASK_OPEN;
    }
    PQclear(r);
    r = NULL;
    if (!rc)
        rc = pg_run(ps, PG_STMT_CASE_DOCUMENTS,
                    "SELECT id, title, kind, file_name, media_type, size, sha256 FROM document"
                    " WHERE case_id = $1 ORDER BY id",
                    &v, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct model_doc_meta *d = grow((void **)&f->documents, &f->n_documents, sizeof *d);
        rc = d ? FN_OK : FN_NOMEM;
        if (rc)
            break;
        d->id = pg_int(r, i, 0);
        d->case_id = case_id;
        d->size = pg_int(r, i, 5);
        char **texts[] = {&d->title, &d->kind, &d->file_name, &d->media_type};
        for (int k = 0; !rc && k < 4; k++)
            rc = pg_text(r, i, k + 1, texts[k]);
        if (!rc)
            rc = pg_text(r, i, 6, &d->sha256);
    }
    PQclear(r);
    if (rc)
        model_case_file_free(f);
    else
        *out = f;
    return rc;
}

fn_status pg_decisions_each(struct store *st, const struct store_scope *sc, store_decision_fn fn,
                            void *ctx)
{
    struct pg_params v = {0};
    pg_param_scope(&v, sc);
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_DECISIONS_EACH,
                          "SELECT d.id, d.person_id, d.outcome, d.override_kind, d.reason,"
                          " a.blocked, a.band, a.points, a.catalog_version, p.sex,"
                          " substr(p.birth_date, 1, 4), p.nationalities"
                          " FROM decision d JOIN assessment a ON a.id = d.assessment_id"
                          " JOIN person p ON p.id = d.person_id"
                          " WHERE " PG_SCOPE_SQL("p.authority_id", "1", "2", "3") " ORDER BY d.id",
                          &v, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        const char *band = cell(r, i, 6), *nat = cell(r, i, 11), *year = cell(r, i, 10);
        const char *outcome = cell(r, i, 2);
        char first_nat[8] = "";
        if (nat)
            snprintf(first_nat, sizeof first_nat, "%.*s",
                     (int)fn_utf8_truncate(nat, strlen(nat), 3), nat);
        struct store_decision_row row = {.decision_id = pg_int(r, i, 0),
                                         .person_id = pg_int(r, i, 1),
                                         .accepted =
                                             strcmp(outcome ? outcome : "", "aufnehmen") == 0,
                                         .override_kind = cell(r, i, 3),
                                         .reason = cell(r, i, 4),
                                         .blocked = (int)pg_int(r, i, 5),
                                         .band = band ? band[0] : 'C',
                                         .points = (int)pg_int(r, i, 7),
                                         .catalog_version = cell(r, i, 8),
                                         .sex = cell(r, i, 9),
                                         .birth_year = year ? (int)strtol(year, NULL, 10) : 0,
                                         .nationality = first_nat[0] ? first_nat : NULL};
        rc = fn(ctx, &row);
    }
    PQclear(r);
    return rc;
}

static fn_status eval_decision_row(void *ctx, const PGresult *r)
{
    const struct eval_sink *k = ctx;
    const char *band = cell(r, 0, 3), *outcome = cell(r, 0, 4);
    struct store_eval_decision d = {.catalog_hash = cell(r, 0, 0),
                                    .catalog_version = cell(r, 0, 1),
                                    .blocked = (int)pg_int(r, 0, 2),
                                    .band = band ? band[0] : 'C',
                                    .accepted = outcome && strcmp(outcome, "aufnehmen") == 0,
                                    .override_kind = cell(r, 0, 5),
                                    .earlier = pg_int(r, 0, 6),
                                    .region = cell(r, 0, 7),
                                    .authority = cell(r, 0, 8),
                                    .sex = cell(r, 0, 9),
                                    .birth_year = cell(r, 0, 10),
                                    .nationality = cell(r, 0, 11)};
    return k->dfn(k->ctx, &d);
}

static fn_status eval_person_row(void *ctx, const PGresult *r)
{
    const struct eval_sink *k = ctx;
    const char *band = cell(r, 0, 3);
    struct store_eval_person p = {.catalog_hash = cell(r, 0, 0),
                                  .catalog_version = cell(r, 0, 1),
                                  .blocked = (int)pg_int(r, 0, 2),
                                  .band = band ? band[0] : 0,
                                  .trace = cell(r, 0, 4),
                                  .region = cell(r, 0, 5),
                                  .authority = cell(r, 0, 6),
                                  .sex = cell(r, 0, 7),
                                  .birth_year = cell(r, 0, 8),
                                  .nationality = cell(r, 0, 9),
                                  .case_outcome = (int)pg_int(r, 0, 10),
                                  .deportation_custody = pg_int(r, 0, 11) > 0};
    return k->pfn(k->ctx, &p);
}

fn_status pg_eval_each(struct store *st, const struct store_scope *sc, const char *from_at,
                       const char *to_at, int64_t region_id, store_eval_decision_fn dfn,
                       store_eval_person_fn pfn, void *ctx)
{
    struct eval_sink k = {.dfn = dfn, .pfn = pfn, .ctx = ctx};
    struct pg_params v = {0};
    pg_param_scope(&v, sc);
    pg_param_always(&v, from_at);
    pg_param_always(&v, to_at);
    pg_param_int(&v, region_id);
    /* one row per person, streamed: nothing held in memory */
    fn_status rc = pg_stream(pg_of(st), PG_STMT_EVAL_DECISIONS,
                             EVAL_SQL_DECISIONS("$", PG_SCOPE_SQL("p.authority_id", "1", "2", "3")),
                             &v, eval_decision_row, &k);
    if (rc)
        return rc;
    struct pg_params w = {0};
    pg_param_scope(&w, sc);
    pg_param_always(&w, to_at);
    pg_param_int(&w, region_id);
    return pg_stream(pg_of(st), PG_STMT_EVAL_POPULATION,
                     EVAL_SQL_POPULATION("$", PG_SCOPE_SQL("p.authority_id", "1", "2", "3")), &w,
                     eval_person_row, &k);
}
