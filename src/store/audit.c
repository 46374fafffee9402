/*
 * audit.c – the SQLite rows of the audit trail: audit_log, audit_head and
 * audit_checkpoint. The chain itself (serialisation, hashes, seq and
 * prev_hash, verification) is the policy layer's (chain.c); these functions
 * store and return rows (backend.h), and delete the rows a retention prune
 * removes (policy_audit.c decides which and audits it).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "store/chain.h"
#include "store/store_int.h"

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

int sqlite_in_transaction(const struct store *st)
{
    return st->in_tx;
}

/* Reads the one row (seq, hash) of a single-row table; FN_NOTFOUND when
 * the row is missing. */
static fn_status one_row(struct store *st, sqlite3_stmt *s, int64_t *seq, char hash[CHAIN_HASH_HEX])
{
    *seq = 0;
    hash[0] = 0;
    int src = sqlite3_step(s);
    fn_status rc = FN_OK;
    if (src == SQLITE_ROW) {
        *seq = sqlite3_column_int64(s, 0);
        snprintf(hash, CHAIN_HASH_HEX, "%s", col(s, 1));
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    return rc;
}

fn_status sqlite_audit_head(struct store *st, int64_t *seq, char hash[CHAIN_HASH_HEX])
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_stmt(st, STMT_AUDIT_HEAD, &s);
    if (rc)
        return rc;
    rc = one_row(st, s, seq, hash);
    sqlite3_reset(s);
    return rc;
}

fn_status sqlite_audit_checkpoint(struct store *st, int64_t *seq, char hash[CHAIN_HASH_HEX])
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, "SELECT seq, hash FROM audit_checkpoint WHERE one = 1", &s);
    if (rc)
        return rc;
    rc = one_row(st, s, seq, hash);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_audit_row_insert(struct store *st, const struct audit_new_row *r)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_stmt(st, STMT_AUDIT_INSERT, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, r->seq);
    sqlite3_bind_text(s, 2, r->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->login, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, r->user_id);
    sqlite3_bind_int64(s, 5, r->org_id);
    sqlite3_bind_text(s, 6, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, r->entity, -1, SQLITE_STATIC);
    store_bind_text(s, 8, r->record_ids);
    sqlite3_bind_text(s, 9, r->purpose, -1, SQLITE_STATIC);
    store_bind_text(s, 10, r->recipient);
    store_bind_text(s, 11, r->details);
    sqlite3_bind_text(s, 12, r->prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 13, r->hash, -1, SQLITE_STATIC);
    store_bind_text(s, 14, r->spool_id);
    sqlite3_bind_int(s, 15, r->hash_version);
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

    rc = store_stmt(st, STMT_AUDIT_HEAD_UPDATE, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, r->seq);
    sqlite3_bind_text(s, 2, r->hash, -1, SQLITE_STATIC);
    src = sqlite3_step(s);
    sqlite3_reset(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

fn_status sqlite_audit_spool_id_known(struct store *st, const char *spool_id, int *known)
{
    sqlite3_stmt *s = NULL;
    *known = 0;
    fn_status rc = store_prepare(st, "SELECT 1 FROM audit_log WHERE spool_id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, spool_id, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    *known = src == SQLITE_ROW;
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

/* Column i of the current row as stored. FN_NOMEM when SQLite cannot
 * convert it to text. */
static fn_status column_value(sqlite3_stmt *s, int i, struct audit_value *out)
{
    *out = (struct audit_value){0};
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return FN_OK;
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return FN_NOMEM;
    *out =
        (struct audit_value){.bytes = (const char *)t, .len = (size_t)sqlite3_column_bytes(s, i)};
    return FN_OK;
}

/* Hands every row of the prepared query s (COL_ALL columns) to fn;
 * finalizes s. */
static fn_status each_row(struct store *st, sqlite3_stmt *s, audit_rows_fn fn, void *ctx)
{
    fn_status rc = FN_OK;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_value v[COL_ALL];
        for (int i = 0; i < COL_ALL && !rc; i++)
            rc = column_value(s, i, &v[i]);
        if (!rc)
            rc = fn(ctx, v);
        if (rc)
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

/* Columns in enum audit_column order, then hash. */
#define AUDIT_ROW_COLUMNS                                                                          \
    "seq, at, login, user_id, org_id, kind, entity, record_ids, purpose, recipient, details,"      \
    " spool_id, hash_version, prev_hash, hash"

fn_status sqlite_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    fn_status rc =
        store_prepare(st, "SELECT " AUDIT_ROW_COLUMNS " FROM audit_log ORDER BY seq", &s);
    return rc ? rc : each_row(st, s, fn, ctx);
}

fn_status sqlite_audit_rows_since(struct store *st, const char *since, audit_rows_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, "SELECT " AUDIT_ROW_COLUMNS " FROM audit_log WHERE at >= ?1 ORDER BY seq", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, since, -1, SQLITE_STATIC);
    return each_row(st, s, fn, ctx);
}

/* Runs one statement of the prune with ?1 seq (and ?2 hash, ?3 at). */
static fn_status prune_step(struct store *st, const char *sql, int64_t seq, const char *hash,
                            const char *at)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, seq);
    if (hash)
        sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
    if (at)
        sqlite3_bind_text(s, 3, at, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

fn_status sqlite_audit_rows_prune(struct store *st, int64_t seq, const char *hash,
                                  const char *pruned_at, int64_t *removed)
{
    *removed = 0;
    /* The checkpoint first: the delete trigger allows only rows up to it. */
    fn_status rc = prune_step(st,
                              "UPDATE audit_checkpoint SET seq = ?1, hash = ?2, pruned_at = ?3"
                              " WHERE one = 1",
                              seq, hash, pruned_at);
    if (!rc)
        rc = prune_step(st, "DELETE FROM audit_log WHERE seq <= ?1", seq, NULL, NULL);
    if (!rc)
        *removed = sqlite3_changes64(st->db);
    return rc;
}
