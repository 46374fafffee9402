/*
 * policy_copy.c – `fallnetz store copy`: the whole database from one store
 * into an empty one, on any pair of backends (issue 12), above the row
 * backends' table_each / table_write_* entries.
 *
 * What is copied is the schema description's table list (schema.h,
 * store_schema_tables) in creation order, less the tables each database
 * keeps for itself (kept_tables); a table added to the schema later is
 * copied without a change here, and test_copy fails for a table in a
 * database that is neither. Rows travel as text, verbatim: ids, fact_mask,
 * the re-assessment queue and the audit trail as stored (the backends keep
 * their triggers off while they fill a table), so the target's chain is
 * the source's, row for row, and `audit verify` on it gives the same head.
 *
 * Order: the target's transaction is opened and its emptiness checked
 * first (so a refused copy is not logged), then the copy's audit row is
 * appended to the source (after its spool is flushed) and the source's
 * read snapshot taken, so the target carries that row as its last.
 */
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "store/backend.h"
#include "store/schema.h"
#include "store/spool.h"
#include "store/store_int.h"

/* Tables every database keeps for itself: schema_version records the
 * target's own migrations (store_migrate made it). */
static const char *const kept_tables[] = {"schema_version"};

/* Tables a fresh migration fills with one row whose seq is 0 (the empty
 * chain's head and checkpoint); the copy replaces that row. */
static const char *const seeded_tables[] = {"audit_head", "audit_checkpoint"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int name_in(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

int store_copy_table_role(const char *table)
{
    const char *const *names = NULL;
    size_t n = 0;
    if (!table)
        return -1;
    if (name_in(table, kept_tables, N_OF(kept_tables)))
        return 0;
    if (store_schema_tables(&names, &n) == FN_OK && name_in(table, names, n))
        return 1;
    return -1;
}

/* Records "<side>, Tabelle <table>: <why>" as dst's message. */
static void copy_message(struct store *dst, const char *side, const char *table, const char *why)
{
    char msg[STORE_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s, Tabelle %s: %s", side, table, why);
    fn_utf8_copy(store_head_of(dst)->errmsg, STORE_ERRMSG_MAX, msg);
}

/* The target's check: a table has a row that a fresh database has not. */
static fn_status found_row(void *ctx, const struct store_table_row *row)
{
    const int *seeded = ctx;
    for (size_t i = 0; *seeded && i < row->n; i++)
        if (strcmp(row->names[i], "seq") == 0 && row->values[i] && strcmp(row->values[i], "0") == 0)
            return FN_OK; /* the seed row of audit_head or audit_checkpoint */
    return FN_CONFLICT;
}

/* FN_CONFLICT (dst's message names the table) when dst holds any row a
 * freshly migrated database does not. */
static fn_status check_empty(struct store *dst, const char *const *tables, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int seeded = name_in(tables[i], seeded_tables, N_OF(seeded_tables));
        /* a seeded table holds its one row: read two to see another */
        fn_status rc = dst->ops->table_each(dst, tables[i], seeded ? 2 : 1, found_row, &seeded);
        if (rc == FN_CONFLICT) {
            char msg[STORE_ERRMSG_MAX];
            snprintf(msg, sizeof msg,
                     "die Zieldatenbank ist nicht leer: Tabelle %s enthält schon Daten "
                     "(nur in eine frisch angelegte, leere Datenbank wird kopiert)",
                     tables[i]);
            fn_utf8_copy(store_head_of(dst)->errmsg, STORE_ERRMSG_MAX, msg);
            return FN_CONFLICT;
        }
        if (rc) {
            copy_message(dst, "Ziel", tables[i], dst->ops->errmsg(dst));
            return rc;
        }
    }
    return FN_OK;
}

/* One table on its way: the writer opens with the first row's columns. */
struct copy_table {
    struct store *dst;
    const char *table;
    const struct store_copy_options *opt;
    int64_t every;
    struct store_table_writer *w;
    size_t n;
    int64_t rows;
    int dst_failed; /* the error came from the target */
};

static fn_status copy_row(void *ctx, const struct store_table_row *row)
{
    struct copy_table *ct = ctx;
    const struct store_backend *ops = ct->dst->ops;
    fn_status rc = FN_OK;
    if (!ct->w) {
        rc = ops->table_write_begin(ct->dst, ct->table, row->n, row->names, &ct->w);
        ct->n = row->n;
    } else if (row->n != ct->n) {
        rc = FN_CORRUPT;
    }
    if (!rc)
        rc = ops->table_write_row(ct->w, row->values);
    if (rc) {
        ct->dst_failed = 1;
        return rc;
    }
    ct->rows++;
    if (ct->opt->progress && ct->rows % ct->every == 0)
        ct->opt->progress(ct->opt->progress_ctx, ct->table, ct->rows, 0);
    return FN_OK;
}

static fn_status copy_one(struct store *src, struct store *dst, const char *table,
                          const struct store_copy_options *opt, int64_t *rows)
{
    struct copy_table ct = {.dst = dst,
                            .table = table,
                            .opt = opt,
                            .every = opt->progress_rows > 0 ? opt->progress_rows : 100000};
    fn_status rc = src->ops->table_each(src, table, 0, copy_row, &ct);
    if (rc && !ct.dst_failed)
        copy_message(dst, "Quelle", table, src->ops->errmsg(src));
    fn_status end = dst->ops->table_write_end(ct.w, !rc);
    if (!rc && end) {
        rc = end;
        ct.dst_failed = 1;
    }
    if (rc && ct.dst_failed)
        copy_message(dst, "Ziel", table, dst->ops->errmsg(dst));
    if (!rc && opt->progress)
        opt->progress(opt->progress_ctx, table, ct.rows, 1);
    *rows = ct.rows;
    return rc;
}

/* The copy's audit row on the source: the target without its password. */
static fn_status audit_copy(struct store *src, const struct store_actor *a, const char *shown)
{
    struct fn_buf details;
    fn_buf_init(&details, 4096);
    fn_status rc = fn_buf_append_str(&details, "{\"kopie\":\"");
    if (!rc)
        rc = store_json_escape(&details, shown);
    if (!rc)
        rc = fn_buf_append_str(&details, "\"}");
    if (!rc)
        rc = store_audit_append(src, a, AUDIT_DISCLOSE, "datenbank", NULL, fn_buf_str(&details));
    fn_buf_free(&details);
    return rc;
}

fn_status store_copy(struct store *src, struct store *dst, const struct store_actor *a,
                     const struct store_copy_options *opt, struct store_copy_report *report)
{
    memset(report, 0, sizeof *report);
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    /* A copy discloses every person at once, like a backup. */
    if (!a->system && !(a->roles & AUTH_ROLE_ADMIN))
        return FN_DENIED;
    if (!src || !dst || src == dst || !opt || !opt->target_shown)
        return FN_INVALID;
    int vs = 0, vd = 0;
    rc = src->ops->schema_version(src, &vs);
    if (!rc)
        rc = dst->ops->schema_version(dst, &vd);
    if (rc)
        return rc;
    if (vs != vd) {
        snprintf(store_head_of(dst)->errmsg, STORE_ERRMSG_MAX,
                 "Schemastand der Quelle %d, des Ziels %d: beide mit 'fallnetz init' auf "
                 "denselben Stand bringen",
                 vs, vd);
        return FN_UNSUPPORTED;
    }
    const char *const *tables = NULL;
    size_t n = 0;
    rc = store_schema_tables(&tables, &n);
    if (rc)
        return rc;
    /* Spooled reads belong in the copied trail too. */
    rc = audit_spool_flush(src);
    if (rc)
        return rc;
    rc = dst->ops->begin(dst);
    if (rc)
        return rc;
    rc = check_empty(dst, tables, n);
    if (!rc) {
        rc = audit_copy(src, a, opt->target_shown);
        if (rc)
            copy_message(dst, "Quelle", "audit_log", src->ops->errmsg(src));
    }
    int reading = 0;
    if (!rc) {
        rc = src->ops->read_begin(src);
        reading = !rc;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t rows = 0;
        rc = copy_one(src, dst, tables[i], opt, &rows);
        report->rows += rows;
        report->tables++;
    }
    if (reading)
        src->ops->read_end(src);
    if (rc) {
        char keep[STORE_ERRMSG_MAX];
        fn_utf8_copy(keep, sizeof keep, store_head_of(dst)->errmsg);
        dst->ops->rollback(dst);
        fn_utf8_copy(store_head_of(dst)->errmsg, STORE_ERRMSG_MAX, keep);
        memset(report, 0, sizeof *report);
        return rc;
    }
    rc = dst->ops->commit(dst);
    if (rc)
        memset(report, 0, sizeof *report);
    return rc;
}
