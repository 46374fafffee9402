/*
 * policy_audit.c – the retention prune of the audit trail above the
 * backends: who may prune (the data protection officer's or the system's
 * audit access), which years are due, the checkpoint (chain.c) and the
 * prune's own audit row, in one transaction (the caller's, if one is
 * open). The backend only moves the checkpoint and deletes the rows
 * (audit_rows_prune).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/spool.h"

fn_status store_audit_prune(struct store *st, const struct store_actor *a, int before_year,
                            int64_t *removed)
{
    *removed = 0;
    /* Retention is the data protection officer's (or the system's) act. */
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_AUDIT, &scope);
    if (rc)
        return rc;
    char now[64], cutoff[32];
    audit_now(now);
    int this_year = (int)strtol(now, NULL, 10);
    /* Rows of year Y are due at the end of Y + 1: in this_year, rows before
     * this_year - 1 may go, later ones must stay. */
    if (before_year < 1970 || before_year > this_year - 1)
        return FN_INVALID;
    snprintf(cutoff, sizeof cutoff, "%04d-01-01", before_year);
    rc = audit_spool_flush(st); /* spooled reads are part of the trail too */
    if (rc)
        return rc;
    int own_tx = 0;
    rc = store_tx_open(st, &own_tx);
    if (rc)
        return rc;
    int64_t last = 0;
    char hash[CHAIN_HASH_HEX] = "";
    rc = chain_prune_point(st, cutoff, &last, hash);
    if (!rc && last)
        rc = store_head_of(st)->ops->audit_rows_prune(st, last, hash, now, removed);
    if (!rc && last) {
        char details[256];
        snprintf(details, sizeof details,
                 "{\"bis_zeile\":%lld,\"kettenwert\":\"%s\",\"zeilen\":%lld,\"vor\":\"%s\"}",
                 (long long)last, hash, (long long)*removed, cutoff);
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_DELETE,
                                .entity = "audit",
                                .record_ids = NULL,
                                .details = details};
        rc = audit_append_in_tx(st, &e);
    }
    rc = store_tx_close(st, own_tx, rc);
    if (rc)
        *removed = 0;
    return rc;
}
