/*
 * policy_facts.c – facts about a person and case work, above the backends:
 * validation, need-to-know scope and the audit row ("collect", "change",
 * "delete" under the person; case work under the person of its case) in the
 * same transaction as the row change (the caller's, if one is open). The
 * backend moves the rows (fact_person, fact_write, fact_delete_row).
 */
#include <stdio.h>

#include "core/buf.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/store_int.h"

/* Case work is the cases' business; the other kinds are facts. */
static enum store_access fact_access(enum store_fact_kind kind)
{
    return kind >= STORE_FACT_CASE ? STORE_ACCESS_CASEWORK : STORE_ACCESS_FACTS;
}

/* Inserts (update_id == 0, owner_id = the person or case) or updates one
 * fact row and appends its audit row. Sets *row_id on insert once the
 * row and its audit row are written. */
static fn_status fact_change(struct store *st, const struct store_actor *a,
                             enum store_fact_kind kind, const void *fact, int64_t owner_id,
                             int64_t update_id, int64_t *row_id)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, fact_access(kind), &scope);
    if (rc)
        return rc;
    int own = 0;
    rc = store_tx_open(st, &own);
    if (rc)
        return rc;
    /* The person is looked up inside the transaction so that the audit row
     * names the owner the row really has when it is written. */
    int64_t person_id = 0, written = 0;
    rc = st->ops->fact_person(st, kind, update_id ? update_id : owner_id, update_id != 0,
                              &person_id);
    if (!rc)
        rc = store_scope_check_person(st, &scope, person_id);
    if (!rc)
        rc = st->ops->fact_write(st, kind, fact, owner_id, update_id, &written);
    if (!rc) {
        char ids[24], details[128];
        snprintf(ids, sizeof ids, "%lld", (long long)person_id);
        snprintf(details, sizeof details, "{\"fakt\":\"%s\",\"id\":%lld}", store_fact_name(kind),
                 (long long)written);
        struct audit_entry e = {.actor = a,
                                .kind = update_id ? AUDIT_CHANGE : AUDIT_COLLECT,
                                .entity = "person",
                                .record_ids = ids,
                                .details = details};
        rc = audit_append_in_tx(st, &e);
    }
    if (!rc && !update_id)
        *row_id = written; /* as before the split: set once the audit row is in */
    return store_tx_close(st, own, rc);
}

fn_status store_fact_delete(struct store *st, const struct store_actor *a,
                            enum store_fact_kind kind, int64_t id, const char *reason)
{
    if ((int)kind < 0 || kind >= STORE_FACT_COUNT)
        return FN_INVALID;
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, fact_access(kind), &scope);
    if (rc)
        return rc;
    struct fn_buf details;
    fn_buf_init(&details, 4096);
    int own = 0;
    rc = store_tx_open(st, &own);
    if (rc)
        goto out;
    int64_t person_id = 0;
    rc = st->ops->fact_person(st, kind, id, 1, &person_id);
    if (!rc)
        rc = store_scope_check_person(st, &scope, person_id);
    if (!rc)
        rc = st->ops->fact_delete_row(st, kind, id);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)person_id);
    if (!rc)
        rc = fn_buf_appendf(&details, "{\"fakt\":\"%s\",\"id\":%lld,\"grund\":\"",
                            store_fact_name(kind), (long long)id);
    if (!rc)
        rc = store_json_escape(&details, reason);
    if (!rc)
        rc = fn_buf_append_str(&details, "\"}");
    if (!rc) {
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_DELETE,
                                .entity = "person",
                                .record_ids = ids,
                                .details = fn_buf_str(&details)};
        rc = audit_append_in_tx(st, &e);
    }
    rc = store_tx_close(st, own, rc);
out:
    fn_buf_free(&details);
    return rc;
}

/* Public insert and update per kind: validation, then fact_change. */
#define FACT_POLICY(name, type, kind, owner, check)                                                \
    fn_status store_##name##_insert(struct store *st, const struct store_actor *a, type *x)        \
    {                                                                                              \
        if (!(check))                                                                              \
            return FN_INVALID;                                                                     \
        return fact_change(st, a, kind, x, x->owner, 0, &x->id);                                   \
    }                                                                                              \
    fn_status store_##name##_update(struct store *st, const struct store_actor *a, const type *x)  \
    {                                                                                              \
        if (!(check) || x->id <= 0)                                                                \
            return FN_INVALID;                                                                     \
        return fact_change(st, a, kind, x, 0, x->id, NULL);                                        \
    }

FACT_POLICY(residence, struct model_residence_entry, STORE_FACT_RESIDENCE, person_id,
            (int)x->status >= 0 && x->status < RES_COUNT)
FACT_POLICY(proceeding, struct model_proceeding, STORE_FACT_PROCEEDING, person_id,
            (int)x->kind >= 0 && x->kind < PROC_KIND_COUNT)
FACT_POLICY(custody, struct model_custody, STORE_FACT_CUSTODY, person_id,
            (int)x->kind >= 0 && x->kind < CUSTODY_COUNT)
FACT_POLICY(obstacle, struct model_obstacle_entry, STORE_FACT_OBSTACLE, person_id,
            (int)x->kind >= 0 && x->kind < OBST_COUNT)
FACT_POLICY(finding, struct model_finding_entry, STORE_FACT_FINDING, person_id,
            (int)x->kind >= 0 && x->kind < FIND_COUNT)
FACT_POLICY(case, struct model_case, STORE_FACT_CASE, person_id,
            (int)x->status >= 0 && x->status < CASE_STATUS_COUNT)
FACT_POLICY(conference, struct model_conference, STORE_FACT_CONFERENCE, case_id, 1)
FACT_POLICY(task, struct model_task, STORE_FACT_TASK, case_id,
            x->title && x->title[0] && (int)x->status >= 0 && x->status < TASK_STATUS_COUNT)
FACT_POLICY(doc_meta, struct model_doc_meta, STORE_FACT_DOCUMENT, case_id,
            x->title && x->title[0] && x->size >= 0)
