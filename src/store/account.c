/*
 * account.c – the SQLite rows of organisations (listing, the scope
 * cache's organisation → region rows), officials' accounts and API tokens. Rows only: the audit
 * rows for these changes are written by store_api.c around these calls, in the same transaction.
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "store/backend.h"
#include "store/store_int.h"

/* Copies column col into a fixed buffer (NULL -> ""); FN_TOO_LARGE when it
 * does not fit (a buffer is never filled with a cut value). */
static fn_status col_fixed(sqlite3_stmt *s, int col, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;
    if (n + 1 > cap) {
        out[0] = '\0';
        return FN_TOO_LARGE;
    }
    if (n)
        memcpy(out, t, n);
    out[n] = '\0';
    return FN_OK;
}

/* Runs sql (no parameters) and calls row for each result row; stops at the
 * first non-OK return and passes it on. */
static fn_status each_row(struct store *st, const char *sql,
                          fn_status (*row)(sqlite3_stmt *s, void *ctx), void *ctx)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW)
        rc = row(s, ctx);
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

struct org_each_ctx {
    store_org_fn fn;
    void *ctx;
};

static fn_status org_row(sqlite3_stmt *s, void *arg)
{
    struct org_each_ctx *c = arg;
    struct model_org o = {.id = sqlite3_column_int64(s, 0),
                          .code = (char *)sqlite3_column_text(s, 2),
                          .name = (char *)sqlite3_column_text(s, 3),
                          .region_id = sqlite3_column_int64(s, 4)};
    const unsigned char *k = sqlite3_column_text(s, 1);
    if (model_org_kind_parse(k ? (const char *)k : "", &o.kind) != FN_OK)
        return FN_CORRUPT;
    const unsigned char *region = sqlite3_column_text(s, 5);
    return c->fn(c->ctx, &o, region ? (const char *)region : "");
}

fn_status sqlite_org_each(struct store *st, store_org_fn fn, void *ctx)
{
    struct org_each_ctx c = {fn, ctx};
    return each_row(st,
                    "SELECT o.id, o.kind, o.code, o.name, o.region_id, coalesce(r.code, '')"
                    " FROM organisation o LEFT JOIN region r ON r.id = o.region_id ORDER BY o.id",
                    org_row, &c);
}

struct org_region_ctx {
    store_org_region_fn fn;
    void *ctx;
};

static fn_status org_region_row(sqlite3_stmt *s, void *arg)
{
    struct org_region_ctx *c = arg;
    return c->fn(c->ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                 (const char *)sqlite3_column_text(s, 2));
}

fn_status sqlite_org_region_each(struct store *st, store_org_region_fn fn, void *ctx)
{
    struct org_region_ctx c = {fn, ctx};
    return each_row(st, "SELECT id, coalesce(region_id, 0), kind FROM organisation ORDER BY id",
                    org_region_row, &c);
}

fn_status sqlite_user_insert(struct store *st, struct model_user *u, const char *password_hash)
{
    char roles[128];
    fn_status rc = auth_roles_format(u->roles, roles, sizeof roles);
    if (rc)
        return FN_INVALID;
    char at[64];
    audit_now(at);
    sqlite3_stmt *s = NULL;
    rc = store_prepare(st,
                       "INSERT INTO app_user (login, display_name, roles, org_id, password_hash,"
                       " active, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, u->login, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, u->display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, roles, -1, SQLITE_STATIC);
    store_bind_id(s, 4, u->org_id);
    store_bind_text(s, 5, password_hash);
    sqlite3_bind_int(s, 6, u->active ? 1 : 0);
    sqlite3_bind_text(s, 7, at, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    u->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

#define USER_COLUMNS "id, login, display_name, roles, org_id, active, created_at"

/* Fills out from a row of USER_COLUMNS. */
static fn_status read_user(sqlite3_stmt *s, struct model_user *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    fn_status rc = store_col_text(s, 1, &out->login);
    if (!rc)
        rc = store_col_text(s, 2, &out->display_name);
    const unsigned char *roles = sqlite3_column_text(s, 3);
    if (!rc && auth_roles_parse(roles ? (const char *)roles : "", &out->roles, NULL) != FN_OK)
        out->roles = 0; /* an account without a valid role may do nothing */
    out->org_id = sqlite3_column_int64(s, 4);
    out->active = sqlite3_column_int(s, 5) != 0;
    if (!rc)
        rc = store_col_text(s, 6, &out->created_at);
    if (rc)
        model_user_clear(out);
    return rc;
}

static fn_status user_one(struct store *st, const char *sql, const char *text, int64_t id,
                          struct model_user *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    if (text)
        sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        rc = read_user(s, out);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_user_find(struct store *st, const char *login, struct model_user *out)
{
    return user_one(st, "SELECT " USER_COLUMNS " FROM app_user WHERE login = ?1", login, 0, out);
}

fn_status sqlite_user_get(struct store *st, int64_t id, struct model_user *out)
{
    return user_one(st, "SELECT " USER_COLUMNS " FROM app_user WHERE id = ?1", NULL, id, out);
}

fn_status sqlite_user_password_hash(struct store *st, int64_t user_id, char **hash)
{
    *hash = NULL;
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "SELECT password_hash FROM app_user WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, user_id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        rc = store_col_text(s, 0, hash);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    if (!rc && (!*hash || !**hash)) {
        fn_free(*hash);
        *hash = NULL;
        rc = FN_NOTFOUND;
    }
    return rc;
}

/* Runs an UPDATE of one app_user row; FN_NOTFOUND when no row changed. */
static fn_status user_update(struct store *st, const char *sql, const char *text, int value,
                             int64_t user_id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    if (text)
        sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(s, 1, value);
    sqlite3_bind_int64(s, 2, user_id);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    return sqlite3_changes(st->db) ? FN_OK : FN_NOTFOUND;
}

fn_status sqlite_user_set_password(struct store *st, int64_t user_id, const char *password_hash)
{
    return user_update(st, "UPDATE app_user SET password_hash = ?1 WHERE id = ?2", password_hash, 0,
                       user_id);
}

fn_status sqlite_user_set_active(struct store *st, int64_t user_id, int active)
{
    return user_update(st, "UPDATE app_user SET active = ?1 WHERE id = ?2", NULL, active ? 1 : 0,
                       user_id);
}

struct user_each_ctx {
    store_user_fn fn;
    void *ctx;
};

static fn_status user_row(sqlite3_stmt *s, void *arg)
{
    struct user_each_ctx *c = arg;
    struct model_user u;
    fn_status rc = read_user(s, &u);
    if (!rc)
        rc = c->fn(c->ctx, &u);
    model_user_clear(&u);
    return rc;
}

fn_status sqlite_user_each(struct store *st, store_user_fn fn, void *ctx)
{
    struct user_each_ctx c = {fn, ctx};
    return each_row(st, "SELECT " USER_COLUMNS " FROM app_user ORDER BY login", user_row, &c);
}

fn_status sqlite_token_insert(struct store *st, struct store_api_token *t)
{
    char now[64];
    audit_now(now);
    snprintf(t->created_at, sizeof t->created_at, "%.24s", now); /* ASCII timestamp */
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st,
                                 "INSERT INTO api_token (org_id, scope, digest, label, created_by,"
                                 " created_at, expires_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                                 &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, t->org_id);
    sqlite3_bind_text(s, 2, t->scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, t->digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, t->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, t->created_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, t->created_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, t->expires_at, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    t->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

#define TOKEN_COLUMNS                                                                              \
    "id, org_id, scope, digest, label, created_by, created_at, expires_at,"                        \
    " coalesce(revoked_at, '')"

static fn_status read_token(sqlite3_stmt *s, struct store_api_token *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    out->org_id = sqlite3_column_int64(s, 1);
    fn_status rc = col_fixed(s, 2, out->scope, sizeof out->scope);
    if (!rc)
        rc = col_fixed(s, 3, out->digest, sizeof out->digest);
    if (!rc)
        rc = col_fixed(s, 4, out->label, sizeof out->label);
    if (!rc)
        rc = col_fixed(s, 5, out->created_by, sizeof out->created_by);
    if (!rc)
        rc = col_fixed(s, 6, out->created_at, sizeof out->created_at);
    if (!rc)
        rc = col_fixed(s, 7, out->expires_at, sizeof out->expires_at);
    if (!rc)
        rc = col_fixed(s, 8, out->revoked_at, sizeof out->revoked_at);
    return rc ? FN_CORRUPT : FN_OK;
}

fn_status sqlite_token_find(struct store *st, const char *digest, struct store_api_token *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    fn_status rc =
        store_prepare(st, "SELECT " TOKEN_COLUMNS " FROM api_token WHERE digest = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, digest, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        rc = read_token(s, out);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_token_revoke(struct store *st, int64_t id, const char *at)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, "UPDATE api_token SET revoked_at = coalesce(revoked_at, ?1) WHERE id = ?2", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, id);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    return sqlite3_changes(st->db) ? FN_OK : FN_NOTFOUND;
}

struct token_each_ctx {
    store_token_fn fn;
    void *ctx;
};

static fn_status token_row(sqlite3_stmt *s, void *arg)
{
    struct token_each_ctx *c = arg;
    struct store_api_token t;
    fn_status rc = read_token(s, &t);
    return rc ? rc : c->fn(c->ctx, &t);
}

fn_status sqlite_token_each(struct store *st, store_token_fn fn, void *ctx)
{
    struct token_each_ctx c = {fn, ctx};
    return each_row(st, "SELECT " TOKEN_COLUMNS " FROM api_token ORDER BY id", token_row, &c);
}
