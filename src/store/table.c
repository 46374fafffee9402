/*
 * table.c – the SQLite backend's whole-table rows for `store copy`
 * (backend.h: table_each, table_write_*; policy_copy.c decides which
 * tables and in what order).
 *
 * Rows are read and written as text: SQLite hands integers out in decimal,
 * and a STRICT table stores a decimal text bound to an INTEGER column as
 * the integer, so a row comes back byte for byte. The writer turns the
 * connection's triggers off (SQLITE_DBCONFIG_ENABLE_TRIGGER) while it
 * fills a table, so copied fact_mask bits, the re-assessment queue and
 * the audit tables arrive as stored and no refusing trigger sees them, and
 * defers foreign keys to the commit (a custody row may name a later one).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/schema.h"
#include "store/store_int.h"

struct store_table_writer {
    struct store *st;
    sqlite3_stmt *insert;
    size_t n;
};

/* Turns the connection's triggers on (1) or off (0). */
static fn_status triggers_enable(struct store *st, int on)
{
    int now = -1;
    int src = sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, &now);
    return src == SQLITE_OK && now == on ? FN_OK : store_db_error(st, src);
}

fn_status sqlite_table_each(struct store *st, const char *table, int64_t limit,
                            store_table_row_fn fn, void *ctx)
{
    if (!store_sql_name_ok(table) || limit < 0)
        return FN_INVALID;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1 LIMIT %lld", table,
             limit ? (long long)limit : -1LL);
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    rc = sqlite_stmt_rows(st, s, fn, ctx);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_stmt_rows(struct store *st, sqlite3_stmt *s, store_table_row_fn fn, void *ctx)
{
    fn_status rc = FN_OK;
    size_t n = (size_t)sqlite3_column_count(s);
    const char *names[STORE_TABLE_MAX_COLUMNS];
    const char *values[STORE_TABLE_MAX_COLUMNS];
    if (n > STORE_TABLE_MAX_COLUMNS)
        return FN_TOO_LARGE;
    for (size_t i = 0; i < n; i++)
        names[i] = sqlite3_column_name(s, (int)i);
    struct store_table_row row = {.n = n, .names = names, .values = values};
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        for (size_t i = 0; i < n; i++)
            values[i] = (const char *)sqlite3_column_text(s, (int)i);
        rc = fn(ctx, &row);
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    return rc;
}

fn_status sqlite_table_write_begin(struct store *st, const char *table, size_t n,
                                   const char *const *names, struct store_table_writer **out)
{
    *out = NULL;
    if (!st->in_tx)
        return FN_INVALID;
    struct fn_buf sql;
    fn_buf_init(&sql, FN_BUF_SMALL);
    struct store_table_writer *w = fn_calloc(1, sizeof *w);
    fn_status rc =
        w ? store_sql_columns(&sql, "INSERT INTO", table, names, n, STORE_TABLE_MAX_COLUMNS)
          : FN_NOMEM;
    if (!rc)
        rc = fn_buf_append_str(&sql, " VALUES (");
    for (size_t i = 0; !rc && i < n; i++)
        rc = fn_buf_appendf(&sql, "%s?%zu", i ? ", " : "", i + 1);
    if (!rc)
        rc = fn_buf_append_char(&sql, ')');
    if (rc)
        goto out;
    w->st = st;
    w->n = n;
    /* Triggers off first: the delete of a fresh database's seed rows
     * (audit_head, audit_checkpoint) is refused by them otherwise. */
    rc = triggers_enable(st, 0);
    if (!rc)
        rc = store_exec(st, "PRAGMA defer_foreign_keys = ON");
    if (!rc) {
        char del[96];
        snprintf(del, sizeof del, "DELETE FROM %s", table);
        rc = store_exec(st, del);
    }
    if (!rc)
        rc = store_prepare(st, fn_buf_str(&sql), &w->insert);
    if (!rc) {
        *out = w;
        w = NULL;
    }
out:
    if (w && w->st)
        (void)triggers_enable(st, 1);
    fn_free(w);
    fn_buf_free(&sql);
    return rc;
}

fn_status sqlite_table_write_row(struct store_table_writer *w, const char *const *values)
{
    sqlite3_stmt *s = w->insert;
    sqlite3_reset(s);
    for (size_t i = 0; i < w->n; i++) {
        int src = values[i] ? sqlite3_bind_text(s, (int)i + 1, values[i], -1, SQLITE_STATIC)
                            : sqlite3_bind_null(s, (int)i + 1);
        if (src != SQLITE_OK)
            return store_db_error(w->st, src);
    }
    int src = sqlite3_step(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(w->st, src);
}

fn_status sqlite_table_write_end(struct store_table_writer *w, int ok)
{
    if (!w)
        return FN_OK;
    (void)ok; /* nothing to finish: the rows are in the caller's transaction */
    sqlite3_finalize(w->insert);
    fn_status rc = triggers_enable(w->st, 1);
    fn_free(w);
    return rc;
}
