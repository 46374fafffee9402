/*
 * pg_audit.c – PostgreSQL rows of the audit trail (audit_log, audit_head,
 * audit_checkpoint); the chain itself is chain.c's.
 *
 * One chain across processes: several servers append to one database, and
 * each append reads the head, seals the row against it and moves the head
 * (chain.c, audit_insert_row). Inside a write transaction audit_head reads
 * the head row with SELECT ... FOR UPDATE, so a second appender blocks on
 * that row until the first commits or rolls back and then reads the new
 * head (READ COMMITTED re-reads the locked row). Appends are thus
 * serialised per database, exactly like SQLite's single writer: the cost is
 * that audited writes of all servers take turns for the rest of their
 * transaction after the append; they keep the append last-but-commit.
 *
 * Integers come back as PostgreSQL's decimal text, NULL as NULL: the same
 * bytes SQLite returns, so chain hashes are identical on both backends.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg_int.h"

/* The (seq, hash) row of a single-row table; FN_NOTFOUND when missing. */
static fn_status one_row(struct pg_store *ps, int stmt, const char *sql, int64_t *seq,
                         char hash[CHAIN_HASH_HEX])
{
    *seq = 0;
    hash[0] = '\0';
    PGresult *r = NULL;
    fn_status rc = pg_run(ps, stmt, sql, NULL, &r);
    if (rc)
        return rc;
    if (PQntuples(r)) {
        *seq = pg_int(r, 0, 0);
        snprintf(hash, CHAIN_HASH_HEX, "%s", PQgetvalue(r, 0, 1));
    } else {
        rc = FN_NOTFOUND;
    }
    PQclear(r);
    return rc;
}

fn_status pg_audit_head(struct store *st, int64_t *seq, char hash[CHAIN_HASH_HEX])
{
    struct pg_store *ps = pg_of(st);
    /* In a write transaction the head is about to move: lock it (see the
     * file comment). Read snapshots (verify) only look. */
    if (ps->head.in_tx)
        return one_row(ps, PG_STMT_AUDIT_HEAD_LOCK,
                       "SELECT seq, hash FROM audit_head WHERE one = 1 FOR UPDATE", seq, hash);
    return one_row(ps, PG_STMT_AUDIT_HEAD, "SELECT seq, hash FROM audit_head WHERE one = 1", seq,
                   hash);
}

fn_status pg_audit_checkpoint(struct store *st, int64_t *seq, char hash[CHAIN_HASH_HEX])
{
    return one_row(pg_of(st), PG_STMT_AUDIT_CHECKPOINT,
                   "SELECT seq, hash FROM audit_checkpoint WHERE one = 1", seq, hash);
}

fn_status pg_audit_row_insert(struct store *st, const struct audit_new_row *row)
{
    struct pg_store *ps = pg_of(st);
    struct pg_params p = {0};
    pg_param_int(&p, row->seq);
    pg_param_always(&p, row->at);
    pg_param_always(&p, row->login);
    pg_param_int(&p, row->user_id);
    pg_param_int(&p, row->org_id);
    pg_param_always(&p, row->kind);
    pg_param_always(&p, row->entity);
    pg_param_text(&p, row->record_ids);
    pg_param_always(&p, row->purpose);
    pg_param_text(&p, row->recipient);
    pg_param_text(&p, row->details);
    pg_param_always(&p, row->prev_hash);
    pg_param_always(&p, row->hash);
    pg_param_text(&p, row->spool_id);
    pg_param_int(&p, row->hash_version);
    fn_status rc = pg_command(ps, PG_STMT_AUDIT_INSERT,
                              "INSERT INTO audit_log (seq, at, login, user_id, org_id, kind,"
                              " entity, record_ids, purpose, recipient, details, prev_hash, hash,"
                              " spool_id, hash_version)"
                              " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
                              &p, NULL);
    if (rc)
        return rc;
    struct pg_params h = {0};
    pg_param_int(&h, row->seq);
    pg_param_always(&h, row->hash);
    return pg_command(ps, PG_STMT_AUDIT_HEAD_UPDATE,
                      "UPDATE audit_head SET seq = $1, hash = $2 WHERE one = 1", &h, NULL);
}

fn_status pg_audit_spool_id_known(struct store *st, const char *spool_id, int *known)
{
    *known = 0;
    struct pg_params p = {0};
    pg_param_always(&p, spool_id);
    int64_t one = 0;
    fn_status rc = pg_one_int(pg_of(st), PG_STMT_AUDIT_SPOOL_KNOWN,
                              "SELECT 1 FROM audit_log WHERE spool_id = $1", &p, &one);
    if (rc == FN_NOTFOUND)
        return FN_OK;
    *known = !rc;
    return rc;
}

/* Columns in enum audit_column order, then hash. */
#define PG_AUDIT_COLUMNS                                                                           \
    "seq, at, login, user_id, org_id, kind, entity, record_ids, purpose, recipient, details,"      \
    " spool_id, hash_version, prev_hash, hash"

/* One audit row of a single-row result to the caller's audit_rows_fn. */
struct audit_stream {
    audit_rows_fn fn;
    void *ctx;
};

static fn_status audit_stream_row(void *ctx, const PGresult *r)
{
    const struct audit_stream *as = ctx;
    struct audit_value v[COL_ALL];
    for (int i = 0; i < COL_ALL; i++)
        v[i] = PQgetisnull(r, 0, i) ? (struct audit_value){0}
                                    : (struct audit_value){.bytes = PQgetvalue(r, 0, i),
                                                           .len = (size_t)PQgetlength(r, 0, i)};
    return as->fn(as->ctx, v);
}

/* Streams the rows of statement id row by row (the trail may be far larger
 * than memory) to fn. A nonzero return of fn stops the walk (the rest of
 * the result is read and dropped) and is returned. */
static fn_status stream_rows(struct pg_store *ps, int id, const char *sql,
                             const struct pg_params *p, audit_rows_fn fn, void *ctx)
{
    struct audit_stream as = {.fn = fn, .ctx = ctx};
    return pg_stream(ps, id, sql, p, audit_stream_row, &as);
}

fn_status pg_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx)
{
    static const struct pg_params none = {0};
    return stream_rows(pg_of(st), PG_STMT_AUDIT_ROWS,
                       "SELECT " PG_AUDIT_COLUMNS " FROM audit_log ORDER BY seq", &none, fn, ctx);
}

fn_status pg_audit_rows_since(struct store *st, const char *since, audit_rows_fn fn, void *ctx)
{
    struct pg_params p = {0};
    pg_param_always(&p, since);
    /* COLLATE "C": text order by bytes, as SQLite compares. */
    return stream_rows(pg_of(st), PG_STMT_AUDIT_ROWS_SINCE,
                       "SELECT " PG_AUDIT_COLUMNS " FROM audit_log WHERE at >= $1 COLLATE \"C\""
                       " ORDER BY seq",
                       &p, fn, ctx);
}

fn_status pg_audit_rows_prune(struct store *st, int64_t seq, const char *hash,
                              const char *pruned_at, int64_t *removed)
{
    struct pg_store *ps = pg_of(st);
    *removed = 0;
    struct pg_params p = {0};
    pg_param_int(&p, seq);
    pg_param_always(&p, hash);
    pg_param_always(&p, pruned_at);
    /* The checkpoint first: the delete trigger allows only rows up to it. */
    fn_status rc = pg_command(ps, PG_STMT_CHECKPOINT_SET,
                              "UPDATE audit_checkpoint SET seq = $1, hash = $2, pruned_at = $3"
                              " WHERE one = 1",
                              &p, NULL);
    p.n = 1;
    if (!rc)
        rc = pg_command(ps, PG_STMT_AUDIT_PRUNE, "DELETE FROM audit_log WHERE seq <= $1", &p,
                        removed);
    return rc;
}
