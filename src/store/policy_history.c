/*
 * policy_history.c – facts that officials record, with source and history
 * (issue 13, schema 13), above the backends: scope (STORE_ACCESS_FACTS to
 * write, STORE_ACCESS_IDENTITY for identity documents, STORE_ACCESS_READ
 * for the history), the source and actor stamped on the row, corrections
 * as a new row that supersedes the old one and withdrawals that keep the
 * row, each with its audit row in the same
 * transaction. The backend moves the rows (fact_write, fact_stamp,
 * fact_retire, fact_history). Every row change fires the schema's
 * assessment_due triggers, so the person is re-assessed.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/store_int.h"

/* The kinds with source and history: the facts about a person. */
static int recorded_kind(enum store_fact_kind kind)
{
    return (int)kind >= 0 && kind <= STORE_FACT_TRAVEL_DOC;
}

int store_fact_source_kind_ok(const char *kind)
{
    static const char *const kinds[] = {STORE_SOURCE_DOCUMENT, STORE_SOURCE_NOTIFICATION,
                                        STORE_SOURCE_REGISTER};
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return 1;
    return 0;
}

/* The enum of the fact struct of kind is in range (as the plain insert
 * checks) and its owner is person_id. */
static int fact_ok(enum store_fact_kind kind, const void *fact, int64_t *person_id)
{
    switch (kind) {
    case STORE_FACT_RESIDENCE: {
        const struct model_residence_entry *x = fact;
        *person_id = x->person_id;
        return (int)x->status >= 0 && x->status < RES_COUNT;
    }
    case STORE_FACT_PROCEEDING: {
        const struct model_proceeding *x = fact;
        *person_id = x->person_id;
        return (int)x->kind >= 0 && x->kind < PROC_KIND_COUNT && (int)x->sentence >= 0 &&
               x->sentence < SENT_COUNT && (int)x->consent >= 0 && x->consent < CONSENT_COUNT &&
               x->sentence_months >= 0;
    }
    case STORE_FACT_CUSTODY: {
        const struct model_custody *x = fact;
        *person_id = x->person_id;
        return (int)x->kind >= 0 && x->kind < CUSTODY_COUNT;
    }
    case STORE_FACT_OBSTACLE: {
        const struct model_obstacle_entry *x = fact;
        *person_id = x->person_id;
        return (int)x->kind >= 0 && x->kind < OBST_COUNT;
    }
    case STORE_FACT_FINDING: {
        const struct model_finding_entry *x = fact;
        *person_id = x->person_id;
        return (int)x->kind >= 0 && x->kind < FIND_COUNT;
    }
    case STORE_FACT_TRAVEL_DOC: {
        const struct model_document_entry *x = fact;
        *person_id = x->person_id;
        return x->doc.kind && x->doc.kind[0] && x->doc.number && x->doc.number[0];
    }
    default:
        return 0;
    }
}

/* The audit details {"fakt": name, "id": id[, "ersetzt": old][, "aktion":
 * action][, "quelle": kind, "beleg": ref][, "grund": reason]} into b. */
static fn_status history_details(struct fn_buf *b, enum store_fact_kind kind, int64_t id,
                                 int64_t replaces, const char *action,
                                 const struct store_fact_source *src, const char *reason)
{
    fn_status rc =
        fn_buf_appendf(b, "{\"fakt\":\"%s\",\"id\":%lld", store_fact_name(kind), (long long)id);
    if (!rc && replaces)
        rc = fn_buf_appendf(b, ",\"ersetzt\":%lld", (long long)replaces);
    if (!rc && action)
        rc = fn_buf_appendf(b, ",\"aktion\":\"%s\"", action);
    if (!rc && src) {
        rc = fn_buf_appendf(b, ",\"quelle\":\"%s\",\"beleg\":\"", src->kind);
        if (!rc)
            rc = store_json_escape(b, src->reference);
        if (!rc)
            rc = fn_buf_append_char(b, '"');
    }
    if (!rc && reason) {
        rc = fn_buf_append_str(b, ",\"grund\":\"");
        if (!rc)
            rc = store_json_escape(b, reason);
        if (!rc)
            rc = fn_buf_append_char(b, '"');
    }
    return rc ? rc : fn_buf_append_char(b, '}');
}

/* The common path of record, correct and withdraw. old_id 0: record fact;
 * old_id and fact: correct; old_id without fact: withdraw. */
static fn_status history_change(struct store *st, const struct store_actor *a,
                                enum store_fact_kind kind, int64_t old_id, const void *fact,
                                const struct store_fact_source *src, const char *reason,
                                int64_t *new_id)
{
    int64_t owner = 0;
    if (!recorded_kind(kind) || (fact && !fact_ok(kind, fact, &owner)) ||
        (fact && (!src || !store_fact_source_kind_ok(src->kind) || !src->reference ||
                  !src->reference[0])) ||
        (old_id && (!reason || !reason[0])) || (!old_id && !fact))
        return FN_INVALID;
    /* identity documents are identity work: zab records them too (docs/access.md) */
    struct store_scope scope;
    fn_status rc = store_scope_resolve(
        st, a, kind == STORE_FACT_TRAVEL_DOC ? STORE_ACCESS_IDENTITY : STORE_ACCESS_FACTS, &scope);
    if (rc)
        return rc;
    char at[64];
    audit_now(at);
    struct store_fact_stamp stamp = {.source_kind = src ? src->kind : NULL,
                                     .source_ref = src ? src->reference : NULL,
                                     .login = a->login,
                                     .at = at,
                                     .reason = reason};
    struct fn_buf details;
    fn_buf_init(&details, 8192);
    int own = 0;
    rc = store_tx_open(st, &own);
    if (rc)
        goto out;
    /* the person of the row (or of the new fact), looked up inside the
     * transaction: the audit row names the owner the row really has */
    int64_t person_id = 0, written = 0;
    rc = st->ops->fact_person(st, kind, old_id ? old_id : owner, old_id != 0, &person_id);
    if (!rc && fact && old_id && owner != person_id)
        rc = FN_INVALID; /* a correction stays with the person of the fact it corrects */
    if (!rc)
        rc = store_scope_check_person(st, &scope, person_id);
    if (!rc && fact)
        rc = st->ops->fact_write(st, kind, fact, person_id, 0, &written);
    if (!rc && fact)
        rc = st->ops->fact_stamp(st, kind, written, &stamp);
    if (!rc && old_id)
        rc = st->ops->fact_retire(st, kind, old_id, written, &stamp);
    if (!rc)
        rc = history_details(&details, kind, fact ? written : old_id, fact ? old_id : 0,
                             fact ? NULL : "zurueckgezogen", src, reason);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)person_id);
    if (!rc) {
        struct audit_entry e = {.actor = a,
                                .kind = old_id ? AUDIT_CHANGE : AUDIT_COLLECT,
                                .entity = "person",
                                .record_ids = ids,
                                .details = fn_buf_str(&details)};
        rc = audit_append_in_tx(st, &e);
    }
    rc = store_tx_close(st, own, rc);
    if (!rc && new_id)
        *new_id = written;
out:
    fn_buf_free(&details);
    return rc;
}

fn_status store_fact_record(struct store *st, const struct store_actor *a,
                            enum store_fact_kind kind, const void *fact,
                            const struct store_fact_source *src, int64_t *id)
{
    return fact ? history_change(st, a, kind, 0, fact, src, NULL, id) : FN_INVALID;
}

fn_status store_fact_correct(struct store *st, const struct store_actor *a,
                             enum store_fact_kind kind, int64_t old_id, const void *fact,
                             const struct store_fact_source *src, const char *reason,
                             int64_t *new_id)
{
    return fact && old_id > 0 ? history_change(st, a, kind, old_id, fact, src, reason, new_id)
                              : FN_INVALID;
}

fn_status store_fact_withdraw(struct store *st, const struct store_actor *a,
                              enum store_fact_kind kind, int64_t id, const char *reason)
{
    return id > 0 ? history_change(st, a, kind, id, NULL, NULL, reason, NULL) : FN_INVALID;
}

/* The walk of store_fact_history: kind passed on with each row. */
struct history_walk {
    enum store_fact_kind kind;
    store_fact_row_fn fn;
    void *ctx;
};

static fn_status history_row(void *ctx, const struct store_table_row *row)
{
    struct history_walk *w = ctx;
    return w->fn(w->ctx, w->kind, row);
}

fn_status store_fact_history(struct store *st, const struct store_actor *a, int64_t person_id,
                             store_fact_row_fn fn, void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    rc = store_scope_check_person(st, &scope, person_id);
    if (rc)
        return rc;
    /* audited before the rows are handed out, as every read */
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)person_id);
    struct audit_entry e = {.actor = a,
                            .kind = AUDIT_QUERY,
                            .entity = "person",
                            .record_ids = ids,
                            .details = "{\"ansicht\":\"fakten_verlauf\"}"};
    rc = audit_append_read(st, &e);
    struct history_walk w = {.fn = fn, .ctx = ctx};
    struct store_head *h = store_head_of(st);
    int snapshot = !h->in_tx && !h->in_read; /* one moment for every kind */
    if (!rc && snapshot)
        rc = st->ops->read_begin(st);
    for (int k = 0; !rc && recorded_kind((enum store_fact_kind)k); k++) {
        w.kind = (enum store_fact_kind)k;
        rc = st->ops->fact_history(st, w.kind, person_id, history_row, &w);
    }
    if (snapshot && h->in_read)
        st->ops->read_end(st);
    return rc;
}
