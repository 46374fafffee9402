/*
 * pg_table.c – the PostgreSQL backend's whole-table rows for `store copy`
 * (backend.h: table_each, table_write_*; policy_copy.c decides which
 * tables and in what order).
 *
 * Reading: one SELECT in single-row mode, every cell as PostgreSQL's text
 * (integers in decimal, as SQLite gives them). Writing: one COPY ... FROM
 * STDIN per table in text format, sent in chunks of PG_COPY_CHUNK bytes.
 * While a table is filled its user triggers are disabled (ALTER TABLE ...
 * DISABLE TRIGGER USER, inside the copy's transaction, so a kill undoes it
 * with the rest): the fact_mask and re-assessment triggers would rewrite
 * copied rows, and the audit tables' triggers refuse rows of chain format
 * 1 and a checkpoint onto a pruned row. Foreign keys are not triggers of
 * the user and stay on; PostgreSQL checks them at the end of the COPY, so
 * a row may name a later row of the same table. The account must own the
 * tables (the one that ran `fallnetz init`).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/pg_int.h"
#include "store/schema.h"

/* Bytes of COPY text sent to the server at once. */
#define PG_COPY_CHUNK (256u * 1024u)

struct store_table_writer {
    struct pg_store *ps;
    char table[64];
    char first[64]; /* the first column: the table's key */
    size_t n;
    int copying; /* COPY FROM STDIN is open on the connection */
    struct fn_buf text;
};

/* table_each's state: names from the first result, values per row. */
struct table_stream {
    store_table_row_fn fn;
    void *ctx;
    const char *names[STORE_TABLE_MAX_COLUMNS];
    const char *values[STORE_TABLE_MAX_COLUMNS];
};

static fn_status table_stream_row(void *ctx, const PGresult *r)
{
    struct table_stream *ts = ctx;
    int n = PQnfields(r);
    if (n > STORE_TABLE_MAX_COLUMNS)
        return FN_TOO_LARGE;
    for (int i = 0; i < n; i++) {
        ts->names[i] = PQfname(r, i);
        ts->values[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
    }
    struct store_table_row row = {.n = (size_t)n, .names = ts->names, .values = ts->values};
    return ts->fn(ts->ctx, &row);
}

fn_status pg_table_each(struct store *st, const char *table, int64_t limit, store_table_row_fn fn,
                        void *ctx)
{
    struct pg_store *ps = pg_of(st);
    if (!store_sql_name_ok(table) || limit < 0)
        return FN_INVALID;
    char sql[160];
    if (limit)
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1 LIMIT %lld", table,
                 (long long)limit);
    else
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1", table);
    if (!PQsendQuery(ps->conn, sql))
        return pg_result_error(ps, NULL);
    return pg_table_rows(ps, fn, ctx);
}

fn_status pg_table_rows(struct pg_store *ps, store_table_row_fn fn, void *ctx)
{
    struct table_stream ts = {.fn = fn, .ctx = ctx};
    return pg_stream_results(ps, table_stream_row, &ts);
}

/* Runs "<verb> <table><rest>" (table checked by the caller). */
static fn_status exec_on(struct pg_store *ps, const char *verb, const char *table, const char *rest)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s %s%s", verb, table, rest);
    return pg_exec(ps, sql);
}

fn_status pg_table_write_begin(struct store *st, const char *table, size_t n,
                               const char *const *names, struct store_table_writer **out)
{
    struct pg_store *ps = pg_of(st);
    *out = NULL;
    if (!ps->head.in_tx)
        return FN_INVALID;
    struct fn_buf sql;
    fn_buf_init(&sql, FN_BUF_SMALL);
    struct store_table_writer *w = fn_calloc(1, sizeof *w);
    fn_status rc =
        w ? store_sql_columns(&sql, "COPY", table, names, n, STORE_TABLE_MAX_COLUMNS) : FN_NOMEM;
    if (!rc)
        rc = fn_buf_append_str(&sql, " FROM STDIN");
    if (rc)
        goto out;
    w->ps = ps;
    w->n = n;
    snprintf(w->table, sizeof w->table, "%s", table);
    snprintf(w->first, sizeof w->first, "%s", names[0]);
    fn_buf_init(&w->text, PG_COPY_CHUNK + FN_BUF_LINE);
    /* Triggers off first: the delete of a fresh database's seed rows
     * (audit_head, audit_checkpoint) is refused by them otherwise. */
    rc = exec_on(ps, "ALTER TABLE", table, " DISABLE TRIGGER USER");
    if (!rc)
        rc = exec_on(ps, "DELETE FROM", table, "");
    if (rc)
        goto out;
    PGresult *r = PQexec(ps->conn, fn_buf_str(&sql));
    if (!r || PQresultStatus(r) != PGRES_COPY_IN)
        rc = pg_result_error(ps, r);
    PQclear(r);
    if (rc)
        goto out;
    w->copying = 1;
    *out = w;
    w = NULL;
out:
    if (w)
        fn_buf_free(&w->text);
    fn_free(w);
    fn_buf_free(&sql);
    return rc;
}

/* Sends the buffered COPY text. */
static fn_status send_text(struct store_table_writer *w)
{
    if (!w->text.len)
        return FN_OK;
    int ok = PQputCopyData(w->ps->conn, fn_buf_str(&w->text), (int)w->text.len) == 1;
    fn_buf_reset(&w->text);
    return ok ? FN_OK : pg_result_error(w->ps, NULL);
}

fn_status pg_table_write_row(struct store_table_writer *w, const char *const *values)
{
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < w->n; i++)
        rc = pg_copy_field(&w->text, i == 0, values[i]);
    if (!rc)
        rc = fn_buf_append_char(&w->text, '\n');
    if (!rc && w->text.len >= PG_COPY_CHUNK)
        rc = send_text(w);
    return rc;
}

/* Ids are the source's: the next id the database assigns follows the
 * largest. ALTER TABLE ... RESTART, not setval: it is undone with the
 * transaction, so a copy that fails or is killed leaves the sequence as
 * it was. Tables without an identity column have no sequence. */
static fn_status restart_identity(struct store_table_writer *w)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT pg_get_serial_sequence('%s', '%s') IS NOT NULL,"
             " (SELECT coalesce(max(%s), 0) + 1 FROM %s)",
             w->table, w->first, w->first, w->table);
    PGresult *r = PQexec(w->ps->conn, sql);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        fn_status rc = pg_result_error(w->ps, r);
        PQclear(r);
        return rc;
    }
    int identity = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    long long next = (long long)pg_int(r, 0, 1);
    PQclear(r);
    if (!identity)
        return FN_OK;
    snprintf(sql, sizeof sql, "ALTER TABLE %s ALTER COLUMN %s RESTART WITH %lld", w->table,
             w->first, next);
    return pg_exec(w->ps, sql);
}

fn_status pg_table_write_end(struct store_table_writer *w, int ok)
{
    if (!w)
        return FN_OK;
    struct pg_store *ps = w->ps;
    fn_status rc = ok ? send_text(w) : FN_OK;
    if (w->copying) {
        fn_status end = pg_copy_end(ps, ok && !rc);
        if (!rc)
            rc = end;
    }
    if (ok && !rc)
        rc = exec_on(ps, "ALTER TABLE", w->table, " ENABLE TRIGGER USER");
    if (ok && !rc)
        rc = restart_identity(w);
    fn_buf_free(&w->text);
    fn_free(w);
    return ok ? rc : FN_OK;
}
