/*
 * pg_account.c – PostgreSQL rows of the reference data (regions,
 * organisations), officials' accounts and API tokens. Rows only, as the
 * SQLite backend's account.c: store_api.c checks and audits around them.
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "store/chain.h"
#include "store/pg_int.h"

/* Inserts with RETURNING id and stores the new id in *id. */
static fn_status insert_returning(struct pg_store *ps, int stmt, const char *sql,
                                  const struct pg_params *p, int64_t *id)
{
    return pg_one_int(ps, stmt, sql, p, id);
}

fn_status pg_region_insert(struct store *st, struct model_region *r)
{
    struct pg_params p = {0};
    pg_param_always(&p, r->code);
    pg_param_always(&p, r->name);
    return insert_returning(pg_of(st), PG_STMT_REGION_INSERT,
                            "INSERT INTO region (code, name) VALUES ($1, $2) RETURNING id", &p,
                            &r->id);
}

fn_status pg_org_insert(struct store *st, struct model_org *o)
{
    struct pg_params p = {0};
    pg_param_always(&p, model_org_kind_code(o->kind));
    pg_param_always(&p, o->code);
    pg_param_always(&p, o->name);
    pg_param_id(&p, o->region_id);
    return insert_returning(pg_of(st), PG_STMT_ORG_INSERT,
                            "INSERT INTO organisation (kind, code, name, region_id)"
                            " VALUES ($1, $2, $3, $4) RETURNING id",
                            &p, &o->id);
}

fn_status pg_org_find(struct store *st, const char *code, int64_t *id)
{
    struct pg_params p = {0};
    pg_param_always(&p, code);
    return pg_one_int(pg_of(st), PG_STMT_ORG_FIND, "SELECT id FROM organisation WHERE code = $1",
                      &p, id);
}

fn_status pg_org_get(struct store *st, int64_t id, struct model_org *out)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    pg_param_int(&p, id);
    PGresult *r = NULL;
    fn_status rc =
        pg_run(pg_of(st), PG_STMT_ORG_GET,
               "SELECT id, kind, code, name, region_id FROM organisation WHERE id = $1", &p, &r);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = FN_NOTFOUND;
        goto out;
    }
    out->id = pg_int(r, 0, 0);
    if (model_org_kind_parse(PQgetvalue(r, 0, 1), &out->kind) != FN_OK)
        out->kind = ORG_ABH;
    rc = pg_text(r, 0, 2, &out->code);
    if (!rc)
        rc = pg_text(r, 0, 3, &out->name);
    out->region_id = pg_int(r, 0, 4);
out:
    PQclear(r);
    if (rc)
        model_org_clear(out);
    return rc;
}

fn_status pg_org_each(struct store *st, store_org_fn fn, void *ctx)
{
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_ORG_EACH,
                          "SELECT o.id, o.kind, o.code, o.name, o.region_id, coalesce(r.code, '')"
                          " FROM organisation o LEFT JOIN region r ON r.id = o.region_id"
                          " ORDER BY o.id",
                          NULL, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct model_org o = {.id = pg_int(r, i, 0),
                              .code = PQgetvalue(r, i, 2),
                              .name = PQgetvalue(r, i, 3),
                              .region_id = pg_int(r, i, 4)};
        rc = model_org_kind_parse(PQgetvalue(r, i, 1), &o.kind) != FN_OK
                 ? FN_CORRUPT
                 : fn(ctx, &o, PQgetvalue(r, i, 5));
    }
    PQclear(r);
    return rc;
}

fn_status pg_user_insert(struct store *st, struct model_user *u, const char *password_hash)
{
    char roles[128], at[64];
    if (auth_roles_format(u->roles, roles, sizeof roles) != FN_OK)
        return FN_INVALID;
    audit_now(at);
    struct pg_params p = {0};
    pg_param_always(&p, u->login);
    pg_param_always(&p, u->display_name);
    pg_param_always(&p, roles);
    pg_param_id(&p, u->org_id);
    pg_param_text(&p, password_hash);
    pg_param_int(&p, u->active ? 1 : 0);
    pg_param_always(&p, at);
    return insert_returning(pg_of(st), PG_STMT_USER_INSERT,
                            "INSERT INTO app_user (login, display_name, roles, org_id,"
                            " password_hash, active, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)"
                            " RETURNING id",
                            &p, &u->id);
}

#define PG_USER_COLUMNS "id, login, display_name, roles, org_id, active, created_at"

/* One account by login (text) or id. */
static fn_status user_one(struct store *st, int stmt, const char *sql, const char *text, int64_t id,
                          struct model_user *out)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    if (text)
        pg_param_always(&p, text);
    else
        pg_param_int(&p, id);
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), stmt, sql, &p, &r);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return FN_NOTFOUND;
    }
    out->id = pg_int(r, 0, 0);
    rc = pg_text(r, 0, 1, &out->login);
    if (!rc)
        rc = pg_text(r, 0, 2, &out->display_name);
    if (!rc && auth_roles_parse(PQgetvalue(r, 0, 3), &out->roles, NULL) != FN_OK)
        out->roles = 0; /* an account without a valid role may do nothing */
    out->org_id = pg_int(r, 0, 4);
    out->active = pg_int(r, 0, 5) != 0;
    if (!rc)
        rc = pg_text(r, 0, 6, &out->created_at);
    PQclear(r);
    if (rc)
        model_user_clear(out);
    return rc;
}

fn_status pg_user_find(struct store *st, const char *login, struct model_user *out)
{
    return user_one(st, PG_STMT_USER_FIND,
                    "SELECT " PG_USER_COLUMNS " FROM app_user WHERE login = $1", login, 0, out);
}

fn_status pg_user_get(struct store *st, int64_t id, struct model_user *out)
{
    return user_one(st, PG_STMT_USER_GET, "SELECT " PG_USER_COLUMNS " FROM app_user WHERE id = $1",
                    NULL, id, out);
}

fn_status pg_user_password_hash(struct store *st, int64_t user_id, char **hash)
{
    *hash = NULL;
    struct pg_params p = {0};
    pg_param_int(&p, user_id);
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_USER_HASH,
                          "SELECT password_hash FROM app_user WHERE id = $1", &p, &r);
    if (rc)
        return rc;
    if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0) || !PQgetvalue(r, 0, 0)[0])
        rc = FN_NOTFOUND;
    else
        rc = pg_text(r, 0, 0, hash);
    PQclear(r);
    return rc;
}

/* An UPDATE of one account; FN_NOTFOUND when no row changed. */
static fn_status user_update(struct store *st, int stmt, const char *sql, const char *value,
                             int64_t user_id)
{
    struct pg_params p = {0};
    pg_param_always(&p, value);
    pg_param_int(&p, user_id);
    int64_t changed = 0;
    fn_status rc = pg_command(pg_of(st), stmt, sql, &p, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status pg_user_set_password(struct store *st, int64_t user_id, const char *password_hash)
{
    return user_update(st, PG_STMT_USER_SET_PASSWORD,
                       "UPDATE app_user SET password_hash = $1 WHERE id = $2", password_hash,
                       user_id);
}

fn_status pg_user_set_active(struct store *st, int64_t user_id, int active)
{
    return user_update(st, PG_STMT_USER_SET_ACTIVE, "UPDATE app_user SET active = $1 WHERE id = $2",
                       active ? "1" : "0", user_id);
}

fn_status pg_user_each(struct store *st, store_user_fn fn, void *ctx)
{
    /* Ids first, then each account through user_get: the lists are short
     * (accounts of one deployment) and the row reading stays in one place. */
    PGresult *r = NULL;
    fn_status rc =
        pg_run(pg_of(st), PG_STMT_USER_EACH, "SELECT id FROM app_user ORDER BY login", NULL, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct model_user u;
        rc = pg_user_get(st, pg_int(r, i, 0), &u);
        if (!rc)
            rc = fn(ctx, &u);
        model_user_clear(&u);
    }
    PQclear(r);
    return rc;
}

fn_status pg_token_insert(struct store *st, struct store_api_token *t)
{
    char now[64];
    audit_now(now);
    snprintf(t->created_at, sizeof t->created_at, "%.24s", now); /* ASCII timestamp */
    struct pg_params p = {0};
    pg_param_int(&p, t->org_id);
    pg_param_always(&p, t->scope);
    pg_param_always(&p, t->digest);
    pg_param_always(&p, t->label);
    pg_param_always(&p, t->created_by);
    pg_param_always(&p, t->created_at);
    pg_param_always(&p, t->expires_at);
    return insert_returning(pg_of(st), PG_STMT_TOKEN_INSERT,
                            "INSERT INTO api_token (org_id, scope, digest, label, created_by,"
                            " created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                            &p, &t->id);
}

#define PG_TOKEN_COLUMNS                                                                           \
    "id, org_id, scope, digest, label, created_by, created_at, expires_at,"                        \
    " coalesce(revoked_at, '')"

/* Copies cell (row, col) into a fixed buffer; FN_CORRUPT when it does not
 * fit (never a cut value). */
static fn_status cell_fixed(const PGresult *r, int row, int col, char *out, size_t cap)
{
    size_t n = (size_t)PQgetlength(r, row, col);
    if (n + 1 > cap) {
        out[0] = '\0';
        return FN_CORRUPT;
    }
    memcpy(out, PQgetvalue(r, row, col), n);
    out[n] = '\0';
    return FN_OK;
}

static fn_status read_token(const PGresult *r, int row, struct store_api_token *out)
{
    memset(out, 0, sizeof *out);
    out->id = pg_int(r, row, 0);
    out->org_id = pg_int(r, row, 1);
    struct {
        char *dst;
        size_t cap;
    } cols[] = {
        {out->scope, sizeof out->scope},           {out->digest, sizeof out->digest},
        {out->label, sizeof out->label},           {out->created_by, sizeof out->created_by},
        {out->created_at, sizeof out->created_at}, {out->expires_at, sizeof out->expires_at},
        {out->revoked_at, sizeof out->revoked_at}};
    fn_status rc = FN_OK;
    for (int i = 0; !rc && i < (int)(sizeof cols / sizeof cols[0]); i++)
        rc = cell_fixed(r, row, i + 2, cols[i].dst, cols[i].cap);
    return rc;
}

fn_status pg_token_find(struct store *st, const char *digest, struct store_api_token *out)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    pg_param_always(&p, digest);
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_TOKEN_FIND,
                          "SELECT " PG_TOKEN_COLUMNS " FROM api_token WHERE digest = $1", &p, &r);
    if (rc)
        return rc;
    rc = PQntuples(r) ? read_token(r, 0, out) : FN_NOTFOUND;
    PQclear(r);
    return rc;
}

fn_status pg_token_revoke(struct store *st, int64_t id, const char *at)
{
    struct pg_params p = {0};
    pg_param_always(&p, at);
    pg_param_int(&p, id);
    int64_t changed = 0;
    fn_status rc = pg_command(
        pg_of(st), PG_STMT_TOKEN_REVOKE,
        "UPDATE api_token SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2", &p, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status pg_token_each(struct store *st, store_token_fn fn, void *ctx)
{
    PGresult *r = NULL;
    fn_status rc = pg_run(pg_of(st), PG_STMT_TOKEN_EACH,
                          "SELECT " PG_TOKEN_COLUMNS " FROM api_token ORDER BY id", NULL, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct store_api_token t;
        rc = read_token(r, i, &t);
        if (!rc)
            rc = fn(ctx, &t);
    }
    PQclear(r);
    return rc;
}
