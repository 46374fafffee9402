/*
 * policy_decisions.c – assessments and intake decisions above the backends:
 * scope, validation and the audit row ("combine" for an assessment,
 * "change" for a decision, under the person) in the transaction of the row
 * insert (the caller's, if one is open).
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "store/backend.h"
#include "store/catalogue_sql.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/store_int.h"

/* Which row a new_row call inserts. */
enum audited_row { ROW_ASSESSMENT, ROW_DECISION };

/* Inserts one row and appends its audit row in one transaction. */
static fn_status insert_audited(struct store *st, const struct store_actor *a,
                                enum audited_row which, void *row, int64_t person_id,
                                enum store_audit_kind kind, const char *details)
{
    int own_tx = 0;
    fn_status rc = store_tx_open(st, &own_tx);
    if (rc)
        return rc;
    /* in the transaction of the row: an approval committed meanwhile is seen */
    rc = store_catalogue_require(st, which == ROW_ASSESSMENT
                                         ? ((const struct store_assessment *)row)->catalog_hash
                                         : ((const struct store_decision *)row)->catalog_hash);
    if (!rc)
        rc = which == ROW_ASSESSMENT ? st->ops->assessment_row_insert(st, row)
                                     : st->ops->decision_row_insert(st, a->login, row);
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)person_id);
        struct audit_entry e = {
            .actor = a, .kind = kind, .entity = "person", .record_ids = ids, .details = details};
        rc = audit_append_in_tx(st, &e);
    }
    return store_tx_close(st, own_tx, rc);
}

fn_status store_assessment_insert(struct store *st, const struct store_actor *a,
                                  struct store_assessment *as)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_ASSESS, &scope);
    if (rc)
        return rc;
    rc = store_scope_check_person(st, &scope, as->person_id);
    if (rc)
        return rc;
    if (!as->catalog_version || !as->catalog_hash || !as->feasibility || !as->trace_json ||
        (as->band != 'A' && as->band != 'B' && as->band != 'C'))
        return FN_INVALID;
    char details[160];
    snprintf(details, sizeof details, "{\"bewertung\":\"katalog %.64s\"}", as->catalog_version);
    return insert_audited(st, a, ROW_ASSESSMENT, as, as->person_id, AUDIT_COMBINE, details);
}

fn_status store_decision_insert(struct store *st, const struct store_actor *a,
                                struct store_decision *d)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_DECIDE, &scope);
    if (rc)
        return rc;
    if (!d->reason || !d->reason[0] || !d->catalog_hash || !d->catalog_hash[0])
        return FN_INVALID;
    rc = store_scope_check_person(st, &scope, d->person_id);
    if (rc)
        return rc;
    int64_t owner = 0;
    rc = st->ops->assessment_person(st, d->assessment_id, &owner);
    if (rc && rc != FN_NOTFOUND)
        return rc;
    if (owner != d->person_id)
        return owner ? FN_INVALID : FN_NOTFOUND;
    /* a decision is made on what its assessment showed: the same catalogue */
    char made_with[65];
    rc = st->ops->assessment_hash(st, d->assessment_id, made_with);
    if (rc)
        return rc;
    if (strcmp(made_with, d->catalog_hash) != 0)
        return FN_INVALID;
    struct fn_buf details;
    fn_buf_init(&details, 8192);
    rc = fn_buf_appendf(&details, "{\"entscheidung\":\"%s\",\"bewertung\":%lld,\"abweichung\":",
                        d->accept ? "aufnehmen" : "ablehnen", (long long)d->assessment_id);
    if (!rc)
        rc = d->override_kind ? fn_json_string(&details, d->override_kind)
                              : fn_buf_append_str(&details, "null");
    if (!rc)
        rc = fn_buf_appendf(&details, ",\"katalog_sha256\":\"%.64s\"", d->catalog_hash);
    if (!rc && d->second_login) {
        rc = fn_buf_append_str(&details, ",\"zweite_person\":");
        if (!rc)
            rc = fn_json_string(&details, d->second_login);
    }
    if (!rc)
        rc = fn_buf_append_char(&details, '}');
    if (!rc)
        rc = insert_audited(st, a, ROW_DECISION, d, d->person_id, AUDIT_CHANGE,
                            fn_buf_str(&details));
    fn_buf_free(&details);
    return rc;
}
