/*
 * catalogue.c – SQLite backend: the rows of catalogues and their approvals
 * (schema version 12; both tables append-only) and the catalogue hash of an
 * assessment. Checks and audit: policy_catalogue.c; the SQL text is shared
 * with the PostgreSQL backend (catalogue_sql.h).
 */
#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "store/catalogue_sql.h"
#include "store/store_int.h"

fn_status sqlite_catalogue_row_insert(struct store *st, struct store_catalogue *c)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, CATALOGUE_SQL_INSERT, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, c->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, c->text, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, c->proposed_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, c->proposed_by_id);
    sqlite3_bind_text(s, 7, c->proposed_at, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    c->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

fn_status sqlite_catalogue_approval_insert(struct store *st, int64_t catalogue_id,
                                           const char *login, int64_t user_id, const char *at)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, CATALOGUE_SQL_APPROVE, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, catalogue_id);
    sqlite3_bind_text(s, 2, login, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, user_id);
    sqlite3_bind_text(s, 4, at, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

/* Runs a CATALOGUE_SQL_SELECT statement (sha256 bound to $1 unless NULL)
 * and passes each row to fn, or the first to *one. */
static fn_status select_rows(struct store *st, const char *sql, const char *sha256, int with_text,
                             store_catalogue_fn fn, void *ctx, struct store_catalogue *one)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    if (sha256)
        sqlite3_bind_text(s, 1, sha256, -1, SQLITE_STATIC);
    int rows = 0;
    while (!rc) {
        int src = sqlite3_step(s);
        if (src != SQLITE_ROW) {
            rc = src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
            break;
        }
        const char *v[CAT_COL_ACTIVE + 1];
        for (int i = 0; i <= CAT_COL_ACTIVE; i++)
            v[i] = (const char *)sqlite3_column_text(s, i);
        rows++;
        if (one) {
            rc = store_catalogue_fill(one, v, with_text);
            break;
        }
        struct store_catalogue c;
        rc = store_catalogue_fill(&c, v, 0);
        if (!rc)
            rc = fn(ctx, &c);
    }
    if (!rc && !rows && one)
        rc = FN_NOTFOUND;
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_catalogue_row_get(struct store *st, const char *sha256, int with_text,
                                   struct store_catalogue *out)
{
    return select_rows(st, sha256 ? CATALOGUE_SQL_BY_HASH : CATALOGUE_SQL_IN_FORCE, sha256,
                       with_text, NULL, NULL, out);
}

fn_status sqlite_catalogue_rows_each(struct store *st, store_catalogue_fn fn, void *ctx)
{
    return select_rows(st, CATALOGUE_SQL_ALL, NULL, 0, fn, ctx, NULL);
}

fn_status store_lookup_hash(struct store *st, const char *sql, int64_t key, char out[65])
{
    sqlite3_stmt *s = NULL;
    out[0] = '\0';
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    if (key >= 0)
        sqlite3_bind_int64(s, 1, key);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(out, 65, "%s", t ? (const char *)t : "");
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_catalogue_active_hash(struct store *st, char out[65])
{
    return store_lookup_hash(st, CATALOGUE_SQL_HASH_ONLY, -1, out);
}

fn_status sqlite_assessment_hash(struct store *st, int64_t assessment_id, char out[65])
{
    return store_lookup_hash(st, ASSESSMENT_SQL_HASH, assessment_id, out);
}
