/*
 * pg_catalogue.c – PostgreSQL backend: the rows of catalogues and their
 * approvals (schema version 12) and the catalogue hash of an assessment,
 * with the SQL the SQLite backend runs (catalogue_sql.h). Checks and
 * audit: policy_catalogue.c.
 */
#include <stdio.h>

#include "store/catalogue_sql.h"
#include "store/pg_int.h"

fn_status pg_catalogue_row_insert(struct store *st, struct store_catalogue *c)
{
    struct pg_params p = {0};
    pg_param_always(&p, c->sha256);
    pg_param_always(&p, c->name);
    pg_param_always(&p, c->version);
    pg_param_always(&p, c->text);
    pg_param_always(&p, c->proposed_by);
    pg_param_int(&p, c->proposed_by_id);
    pg_param_always(&p, c->proposed_at);
    return pg_one_int(pg_of(st), PG_STMT_CATALOGUE_INSERT, CATALOGUE_SQL_INSERT " RETURNING id", &p,
                      &c->id);
}

fn_status pg_catalogue_approval_insert(struct store *st, int64_t catalogue_id, const char *login,
                                       int64_t user_id, const char *at)
{
    struct pg_params p = {0};
    pg_param_int(&p, catalogue_id);
    pg_param_always(&p, login);
    pg_param_int(&p, user_id);
    pg_param_always(&p, at);
    return pg_command(pg_of(st), PG_STMT_CATALOGUE_APPROVE, CATALOGUE_SQL_APPROVE, &p, NULL);
}

/* Row i of a CATALOGUE_SQL_SELECT result into *out. */
static fn_status read_row(const PGresult *r, int i, int with_text, struct store_catalogue *out)
{
    const char *v[CAT_COL_ACTIVE + 1];
    for (int k = 0; k <= CAT_COL_ACTIVE; k++)
        v[k] = PQgetisnull(r, i, k) ? NULL : PQgetvalue(r, i, k);
    return store_catalogue_fill(out, v, with_text);
}

fn_status pg_catalogue_row_get(struct store *st, const char *sha256, int with_text,
                               struct store_catalogue *out)
{
    struct pg_params p = {0};
    if (sha256)
        pg_param_always(&p, sha256);
    PGresult *r = NULL;
    fn_status rc =
        sha256 ? pg_run(pg_of(st), PG_STMT_CATALOGUE_BY_HASH, CATALOGUE_SQL_BY_HASH, &p, &r)
               : pg_run(pg_of(st), PG_STMT_CATALOGUE_IN_FORCE, CATALOGUE_SQL_IN_FORCE, NULL, &r);
    if (rc)
        return rc;
    rc = PQntuples(r) ? read_row(r, 0, with_text, out) : FN_NOTFOUND;
    PQclear(r);
    return rc;
}

fn_status pg_catalogue_rows_each(struct store *st, store_catalogue_fn fn, void *ctx)
{
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_CATALOGUE_ALL, CATALOGUE_SQL_ALL, NULL, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct store_catalogue c;
        rc = read_row(r, i, 0, &c);
        if (!rc)
            rc = fn(ctx, &c);
    }
    PQclear(r);
    return rc;
}

fn_status pg_one_hash(struct pg_store *ps, int id, const char *sql, const struct pg_params *p,
                      char out[65])
{
    out[0] = '\0';
    PGresult *r = NULL;
    fn_status rc = pg_run(ps, id, sql, p, &r);
    if (rc)
        return rc;
    if (PQntuples(r))
        snprintf(out, 65, "%s", PQgetvalue(r, 0, 0));
    else
        rc = FN_NOTFOUND;
    PQclear(r);
    return rc;
}

fn_status pg_catalogue_active_hash(struct store *st, char out[65])
{
    return pg_one_hash(pg_of(st), PG_STMT_CATALOGUE_HASH, CATALOGUE_SQL_HASH_ONLY, NULL, out);
}

fn_status pg_assessment_hash(struct store *st, int64_t assessment_id, char out[65])
{
    struct pg_params p = {0};
    pg_param_int(&p, assessment_id);
    return pg_one_hash(pg_of(st), PG_STMT_ASSESSMENT_HASH, ASSESSMENT_SQL_HASH, &p, out);
}
