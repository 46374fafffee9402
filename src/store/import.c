/*
 * import.c – bulk import of persons in one transaction.
 *
 * Audit granularity: one "collect" row per chunk of up to 1,000 persons
 * listing their ids as ranges. Ids of one import are consecutive, so a chunk
 * is usually one range; "who touched person X" is answered by range lookup
 * (store_audit_each) while the audit costs ~0.1 % of the import.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/store_int.h"

#define IMPORT_AUDIT_CHUNK 1000

fn_status store_person_insert_rows(struct store *st, struct model_person *p);

struct store_import {
    struct store *st;         /* first: struct store_import_head (backend.h) */
    struct store_actor actor; /* strings owned */
    char *login, *purpose, *recipient, *source;
    int64_t chunk_lo, chunk_hi; /* current run of consecutive ids */
    struct fn_buf chunk_ids;    /* finished runs of this chunk */
    size_t in_chunk;
    int64_t imported;
    int rebuild_indexes; /* secondary indexes dropped; rebuild before commit */
};

/* Bulk mode: a large page cache, and a rollback journal instead of the WAL
 * while nobody else has the database open (a fresh bulk insert then writes
 * each page once instead of WAL + checkpoint). Both are best effort: with
 * other connections open the import simply runs in WAL mode. Durability is
 * the same in both journal modes. */
static void bulk_mode(struct store *st, int on)
{
    if (on) {
        sqlite3_exec(st->db, "PRAGMA cache_size = -524288", NULL, NULL, NULL);
        sqlite3_exec(st->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    } else {
        sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        sqlite3_exec(st->db, "PRAGMA cache_size = -32768", NULL, NULL, NULL);
    }
}

static void import_free(struct store_import *imp)
{
    if (!imp)
        return;
    fn_free(imp->login);
    fn_free(imp->purpose);
    fn_free(imp->recipient);
    fn_free(imp->source);
    fn_buf_free(&imp->chunk_ids);
    fn_free(imp);
}

fn_status sqlite_import_begin(struct store *st, const struct store_actor *a, const char *source,
                              struct store_import **out)
{
    *out = NULL;
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    struct store_import *imp = fn_calloc(1, sizeof *imp);
    if (!imp)
        return FN_NOMEM;
    fn_buf_init(&imp->chunk_ids, 64 * 1024);
    imp->st = st;
    imp->login = fn_strdup(a->login);
    imp->purpose = fn_strdup(a->purpose);
    imp->recipient = a->recipient ? fn_strdup(a->recipient) : NULL;
    imp->source = fn_strdup(source ? source : "");
    if (!imp->login || !imp->purpose || (a->recipient && !imp->recipient) || !imp->source) {
        import_free(imp);
        return FN_NOMEM;
    }
    imp->actor = *a;
    imp->actor.login = imp->login;
    imp->actor.purpose = imp->purpose;
    imp->actor.recipient = imp->recipient;
    bulk_mode(st, 1);
    rc = sqlite_begin(st);
    if (rc) {
        bulk_mode(st, 0);
        import_free(imp);
        return rc;
    }
    *out = imp;
    return FN_OK;
}

/* Closes the current run into chunk_ids. */
static fn_status close_run(struct store_import *imp)
{
    fn_status rc = FN_OK;
    if (!imp->chunk_hi)
        return FN_OK;
    if (imp->chunk_ids.len)
        rc = fn_buf_append_char(&imp->chunk_ids, ',');
    if (!rc && imp->chunk_lo == imp->chunk_hi)
        rc = fn_buf_appendf(&imp->chunk_ids, "%lld", (long long)imp->chunk_lo);
    else if (!rc)
        rc = fn_buf_appendf(&imp->chunk_ids, "%lld-%lld", (long long)imp->chunk_lo,
                            (long long)imp->chunk_hi);
    imp->chunk_lo = imp->chunk_hi = 0;
    return rc;
}

static fn_status flush_chunk(struct store_import *imp)
{
    fn_status rc = close_run(imp);
    if (rc || !imp->chunk_ids.len)
        return rc;
    struct fn_buf details;
    fn_buf_init(&details, 8192);
    rc = fn_buf_append_str(&details, "{\"quelle\":\"");
    if (!rc)
        rc = store_json_escape(&details, imp->source);
    if (!rc)
        rc = fn_buf_appendf(&details, "\",\"anzahl\":%zu}", imp->in_chunk);
    if (!rc) {
        struct audit_entry e = {.actor = &imp->actor,
                                .kind = AUDIT_COLLECT,
                                .entity = "person",
                                .record_ids = fn_buf_str(&imp->chunk_ids),
                                .details = fn_buf_str(&details)};
        rc = audit_append_in_tx(imp->st, &e);
    }
    fn_buf_free(&details);
    fn_buf_reset(&imp->chunk_ids);
    imp->in_chunk = 0;
    return rc;
}

fn_status sqlite_import_person(struct store_import *imp, struct model_person *p)
{
    if (!p->record_id || !p->record_id[0])
        return FN_INVALID;
    /* A duplicate record_id fails on the person row itself (statement
     * rollback), before any alias or document row: nothing partial remains.
     * Any other failure ends the whole import (the caller aborts). */
    fn_status rc = store_person_insert_rows(imp->st, p);
    if (rc)
        return rc;
    if (imp->chunk_hi && p->id == imp->chunk_hi + 1) {
        imp->chunk_hi = p->id;
    } else {
        rc = close_run(imp);
        if (rc)
            return rc;
        imp->chunk_lo = imp->chunk_hi = p->id;
    }
    imp->imported++;
    if (++imp->in_chunk == IMPORT_AUDIT_CHUNK)
        rc = flush_chunk(imp);
    return rc;
}

fn_status sqlite_import_expect(struct store_import *imp, int64_t rows)
{
    int64_t existing = 0;
    if (imp->rebuild_indexes || imp->imported || rows < 50000)
        return FN_OK;
    fn_status rc = sqlite_person_count(imp->st, &existing);
    if (rc || rows <= existing)
        return rc;
    /* Building an index once over sorted keys beats a million random
     * b-tree inserts; inside the transaction nobody sees the gap. */
    rc = store_exec(imp->st, "DROP INDEX person_azr; DROP INDEX person_authority;");
    if (!rc)
        imp->rebuild_indexes = 1;
    return rc;
}

fn_status sqlite_import_commit(struct store_import *imp)
{
    fn_status rc = flush_chunk(imp);
    if (!rc && imp->rebuild_indexes)
        rc = store_exec(imp->st, "CREATE INDEX person_azr ON person(azr_nr);"
                                 "CREATE INDEX person_authority ON person(authority_id);");
    if (rc)
        sqlite_rollback(imp->st);
    else
        rc = sqlite_commit(imp->st);
    bulk_mode(imp->st, 0);
    import_free(imp);
    return rc;
}

void sqlite_import_abort(struct store_import *imp)
{
    if (!imp)
        return;
    sqlite_rollback(imp->st);
    bulk_mode(imp->st, 0);
    import_free(imp);
}
