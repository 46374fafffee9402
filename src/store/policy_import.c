/*
 * policy_import.c – the bulk import above the backends: who may import
 * (a job of the system), the batch size, the count of staged persons and
 * the audit rows of the publish, written in the publish transaction. How
 * the rows are staged and published is the backend's (import_stage_*
 * entries in backend.h): SQLite stages into "<db>-import" and copies it
 * over in one transaction (import.c); a server backend may COPY into a
 * staging table.
 *
 * A record_id that came earlier in the file is refused here, for every
 * backend, from an in-memory set of the import's staged ids (a hash probe
 * instead of a unique index on the stage: issue 2's import rate); whether
 * it is stored already is the backend's question (import_stage_person).
 *
 * Audit granularity: one "collect" row per chunk of up to 1,000 persons
 * listing their ids as a range, so "who touched person X" is answered by
 * range lookup (store_audit_each) while the audit costs ~0.1 % of the
 * import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/import_ids.h"
#include "store/store_int.h"

#define IMPORT_AUDIT_CHUNK 1000
#define IMPORT_BATCH_ROWS  20000
#define IMPORT_BATCH_MAX   1000000

struct store_import {
    struct store *st;
    struct store_import_stage *stage; /* the backend's; owned */
    struct store_actor actor;         /* strings owned */
    char *login, *purpose, *recipient, *source;
    int64_t batch_rows;    /* rows per batch (import_stage_batch) */
    int64_t in_batch;      /* rows staged since the last batch ended */
    int64_t staged;        /* persons staged */
    struct import_ids ids; /* record_ids staged */
};

/* Rows per batch: FALLNETZ_IMPORT_BATCH_ROWS (tests use small batches to
 * see the import's effect on other writers), else 20,000. */
static int64_t batch_rows_setting(void)
{
    const char *env = getenv("FALLNETZ_IMPORT_BATCH_ROWS");
    if (env && env[0]) {
        char *end = NULL;
        long long v = strtoll(env, &end, 10);
        if (end && !*end && v > 0 && v <= IMPORT_BATCH_MAX)
            return v;
    }
    return IMPORT_BATCH_ROWS;
}

static const struct store_backend *ops_of(const struct store_import *imp)
{
    return store_head_of(imp->st)->ops;
}

/* Closes the stage (published: its rows were committed) and frees imp.
 * Accepts NULL. */
static void import_free(struct store_import *imp, int published)
{
    if (!imp)
        return;
    if (imp->stage)
        ops_of(imp)->import_stage_close(imp->stage, published);
    fn_free(imp->login);
    fn_free(imp->purpose);
    fn_free(imp->recipient);
    fn_free(imp->source);
    import_ids_free(&imp->ids);
    fn_free(imp);
}

fn_status store_import_begin(struct store *st, const struct store_actor *a, const char *source,
                             struct store_import **out)
{
    *out = NULL;
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if (!a->system)
        return FN_DENIED; /* a bulk import is a job of the system, not of one official */
    const struct store_backend *ops = store_head_of(st)->ops;
    if (ops->in_transaction(st))
        return FN_INVALID;
    struct store_import *imp = fn_calloc(1, sizeof *imp);
    if (!imp)
        return FN_NOMEM;
    imp->st = st;
    imp->batch_rows = batch_rows_setting();
    imp->login = fn_strdup(a->login);
    imp->purpose = fn_strdup(a->purpose);
    imp->recipient = a->recipient ? fn_strdup(a->recipient) : NULL;
    imp->source = fn_strdup(source ? source : "");
    rc = FN_NOMEM;
    if (!imp->login || !imp->purpose || (a->recipient && !imp->recipient) || !imp->source)
        goto out;
    imp->actor = *a;
    imp->actor.login = imp->login;
    imp->actor.purpose = imp->purpose;
    imp->actor.recipient = imp->recipient;
    rc = ops->import_stage_open(st, &imp->stage);
out:
    if (rc) {
        import_free(imp, 0);
        return rc;
    }
    *out = imp;
    return FN_OK;
}

fn_status store_import_expect(struct store_import *imp, int64_t rows)
{
    (void)imp;
    (void)rows;
    /* The publish step decides from the number actually staged. */
    return FN_OK;
}

fn_status store_import_prefetch(struct store_import *imp, const char *const *record_ids, size_t n)
{
    const struct store_backend *ops = ops_of(imp);
    return ops->import_stage_prefetch && n ? ops->import_stage_prefetch(imp->stage, record_ids, n)
                                           : FN_OK;
}

fn_status store_import_person(struct store_import *imp, struct model_person *p)
{
    if (!p->record_id || !p->record_id[0])
        return FN_INVALID;
    p->id = 0;
    if (import_ids_get(&imp->ids, p->record_id, NULL))
        return FN_CONFLICT; /* earlier in this import: p->id stays 0 */
    fn_status rc = ops_of(imp)->import_stage_person(imp->stage, p);
    if (rc)
        return rc; /* FN_CONFLICT: p->id names the stored person */
    rc = import_ids_put(&imp->ids, p->record_id, 0);
    if (rc)
        return rc;
    imp->staged++;
    if (++imp->in_batch >= imp->batch_rows) {
        imp->in_batch = 0;
        rc = ops_of(imp)->import_stage_batch(imp->stage);
    }
    return rc;
}

/* Appends the audit rows of the publish: ids first_id.. in chunks. */
static fn_status publish_audit(struct store_import *imp, int64_t first_id)
{
    struct fn_buf details, ids;
    fn_buf_init(&details, 8192);
    fn_buf_init(&ids, 64);
    fn_status rc = FN_OK;
    for (int64_t lo = 0; !rc && lo < imp->staged; lo += IMPORT_AUDIT_CHUNK) {
        int64_t n = imp->staged - lo < IMPORT_AUDIT_CHUNK ? imp->staged - lo : IMPORT_AUDIT_CHUNK;
        fn_buf_reset(&details);
        fn_buf_reset(&ids);
        rc = fn_buf_append_str(&details, "{\"quelle\":\"");
        if (!rc)
            rc = store_json_escape(&details, imp->source);
        if (!rc)
            rc = fn_buf_appendf(&details, "\",\"anzahl\":%lld}", (long long)n);
        if (!rc && n == 1)
            rc = fn_buf_appendf(&ids, "%lld", (long long)(first_id + lo));
        else if (!rc)
            rc = fn_buf_appendf(&ids, "%lld-%lld", (long long)(first_id + lo),
                                (long long)(first_id + lo + n - 1));
        if (!rc) {
            struct audit_entry e = {.actor = &imp->actor,
                                    .kind = AUDIT_COLLECT,
                                    .entity = "person",
                                    .record_ids = fn_buf_str(&ids),
                                    .details = fn_buf_str(&details)};
            rc = audit_append_in_tx(imp->st, &e);
        }
    }
    fn_buf_free(&details);
    fn_buf_free(&ids);
    return rc;
}

fn_status store_import_commit(struct store_import *imp)
{
    struct store *st = imp->st;
    const struct store_backend *ops = ops_of(imp);
    fn_status rc = ops->import_stage_batch(imp->stage); /* the last, partial batch */
    if (!rc && imp->staged) {
        /* The one write transaction: the rows and their audit together. */
        rc = ops->begin(st);
        if (rc)
            goto out;
        int64_t first_id = 0;
        rc = ops->import_stage_publish(imp->stage, &first_id);
        if (!rc)
            rc = publish_audit(imp, first_id);
        rc = store_tx_close(st, 1, rc);
    }
out:
    import_free(imp, rc == FN_OK);
    return rc;
}

void store_import_abort(struct store_import *imp)
{
    import_free(imp, 0);
}
