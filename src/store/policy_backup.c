/*
 * policy_backup.c – who may copy the whole database, and the audit row that
 * says so (issue 12). A backup discloses every person at once, so it is
 * reserved to system jobs (an operator's `fallnetz backup`, acting as the
 * OS user who can read the database file anyway) and administrators, and it
 * is logged before the copy starts: the backup then carries the record of
 * its own making.
 */
#include <string.h>

#include "auth/role.h"
#include "core/buf.h"
#include "store/backend.h"
#include "store/store_int.h"

fn_status store_backup(struct store *st, const struct store_actor *a, const char *dest_path,
                       const char *label, int64_t *bytes)
{
    struct fn_buf details;
    fn_buf_init(&details, 4096);
    *bytes = 0;
    fn_status rc = store_check_actor(a);
    if (rc)
        goto out;
    if (!a->system && !(a->roles & AUTH_ROLE_ADMIN)) {
        rc = FN_DENIED;
        goto out;
    }
    if (!dest_path || !dest_path[0]) {
        rc = FN_INVALID;
        goto out;
    }
    if (!st->ops->backup_to) {
        rc = FN_UNSUPPORTED;
        goto out;
    }
    /* Spooled read rows belong in the copy's trail too. */
    rc = store_audit_flush(st);
    if (!rc)
        rc = fn_buf_append_str(&details, "{\"sicherung\":\"");
    if (!rc)
        rc = store_json_escape(&details, label && label[0] ? label : dest_path);
    if (!rc)
        rc = fn_buf_append_str(&details, "\"}");
    if (!rc)
        rc = store_audit_append(st, a, AUDIT_DISCLOSE, "datenbank", NULL, fn_buf_str(&details));
    if (!rc)
        rc = st->ops->backup_to(st, dest_path, bytes);
out:
    fn_buf_free(&details);
    return rc;
}
