/*
 * policy_person.c – adding, changing and deleting a person above the
 * backends: scope (identity rights to add and change, facts rights to
 * delete; the responsible authority must be in reach) and the audit row
 * ("collect"; "change" with the changed fields, computed in C by
 * person_diff.c; "delete" with the reason) in the transaction of the row
 * change (the caller's, if one is open). The reads: policy_read.c.
 */
#include <stdio.h>

#include "core/buf.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/person_diff.h"
#include "store/scope.h"
#include "store/store_int.h"

fn_status store_person_insert(struct store *st, const struct store_actor *a, struct model_person *p)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_IDENTITY, &scope);
    if (rc)
        return rc;
    if (!p->record_id || !p->record_id[0])
        return FN_INVALID;
    int covered = 0;
    rc = store_scope_covers(st, &scope, p->authority_id, &covered);
    if (rc)
        return rc;
    if (!covered)
        return FN_DENIED; /* a person for an authority the actor is not responsible for */
    int own_tx = 0;
    rc = store_tx_open(st, &own_tx);
    if (rc)
        return rc;
    rc = st->ops->person_row_insert(st, p);
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)p->id);
        struct audit_entry e = {
            .actor = a, .kind = AUDIT_COLLECT, .entity = "person", .record_ids = ids};
        rc = audit_append_in_tx(st, &e);
    }
    return store_tx_close(st, own_tx, rc);
}

/* Checks, diffs and stores an update inside the open transaction; the
 * change list goes into changed, the new version into p->version. */
static fn_status person_update_in_tx(struct store *st, const struct store_scope *scope,
                                     struct model_person *p, struct fn_buf *changed)
{
    struct model_person *stored = NULL;
    fn_status rc = st->ops->person_row_get(st, p->id, &stored);
    /* The stored person must be in scope (else it is "not found"), and so
     * must the new responsible authority: a person is not moved out of
     * reach by an actor who could not have put it there. */
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, scope, stored->authority_id, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND;
    if (!rc)
        rc = store_scope_covers(st, scope, p->authority_id, &covered);
    if (!rc && !covered)
        rc = FN_DENIED;
    /* Made on an older version: refused before the diff. The row update
     * checks the version again in its own statement, which is what holds
     * when two servers race (a backend whose transactions do not
     * serialise writers, PostgreSQL under READ COMMITTED). */
    if (!rc && stored->version != p->version)
        rc = FN_STALE;
    /* Identity documents change only as recorded facts with their history
     * (store_fact_record, issue 13): the update keeps the stored ones, and
     * p carries them back to the caller. */
    if (!rc) {
        struct model_document *docs = p->documents;
        size_t n = p->n_documents;
        p->documents = stored->documents;
        p->n_documents = stored->n_documents;
        stored->documents = docs;
        stored->n_documents = n;
    }
    /* Which fields change: against the stored row, in the same transaction. */
    if (!rc)
        rc = store_person_diff(stored, p, changed);
    if (!rc)
        rc = st->ops->person_row_update(st, p);
    model_person_free(stored);
    return rc;
}

fn_status store_person_update(struct store *st, const struct store_actor *a, struct model_person *p)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_IDENTITY, &scope);
    if (rc)
        return rc;
    if (p->id <= 0 || !p->record_id || !p->record_id[0] || p->version < 1)
        return FN_INVALID;
    int64_t expected = p->version;
    struct fn_buf changed, details;
    fn_buf_init(&changed, 1024);
    fn_buf_init(&details, 2048);
    int own_tx = 0;
    rc = store_tx_open(st, &own_tx);
    if (rc)
        goto out;
    rc = person_update_in_tx(st, &scope, p, &changed);
    if (!rc)
        rc = fn_buf_appendf(&details, "{\"felder\":[%s]}", fn_buf_str(&changed));
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)p->id);
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_CHANGE,
                                .entity = "person",
                                .record_ids = ids,
                                .details = fn_buf_str(&details)};
        rc = audit_append_in_tx(st, &e);
    }
    rc = store_tx_close(st, own_tx, rc);
    if (rc)
        p->version = expected; /* rolled back: the row keeps its version */
out:
    fn_buf_free(&changed);
    fn_buf_free(&details);
    return rc;
}

fn_status store_person_delete(struct store *st, const struct store_actor *a, int64_t id,
                              const char *reason)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_FACTS, &scope);
    if (rc)
        return rc;
    int own_tx = 0;
    rc = store_tx_open(st, &own_tx);
    if (rc)
        return rc;
    struct fn_buf details;
    fn_buf_init(&details, 4096);
    rc = store_scope_check_person(st, &scope, id);
    if (!rc)
        rc = st->ops->person_row_delete(st, id);
    if (!rc)
        rc = fn_buf_append_str(&details, "{\"grund\":\"");
    if (!rc)
        rc = store_json_escape(&details, reason);
    if (!rc)
        rc = fn_buf_append_str(&details, "\"}");
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)id);
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_DELETE,
                                .entity = "person",
                                .record_ids = ids,
                                .details = fn_buf_str(&details)};
        rc = audit_append_in_tx(st, &e);
    }
    fn_buf_free(&details);
    return store_tx_close(st, own_tx, rc);
}
