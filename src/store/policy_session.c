/*
 * policy_session.c – web sessions above the backends (store.h): what a
 * valid session is, when its use is recorded, and the audit rows of login
 * and logout in the transaction of the row change. Backends only move rows
 * (backend.h session_*).
 */
#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "store/store_int.h"

/* How long a recorded use stays fresh enough: at most STORE_SESSION_TOUCH_S,
 * at least twice per idle period (a short test timeout too), 1 s or more. */
static int64_t touch_every(unsigned idle_s)
{
    int64_t every = idle_s / 2 < STORE_SESSION_TOUCH_S ? idle_s / 2 : STORE_SESSION_TOUCH_S;
    return every > 0 ? every : 1;
}

/* Runs change (a session row change) and the audit row of a with details
 * in one transaction (the caller's, when one is open). */
static fn_status audited(struct store *st, const struct store_actor *a, fn_status change_rc,
                         int own, int64_t user_id, const char *details)
{
    fn_status rc = change_rc;
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)user_id);
        rc = store_audit_append(st, a, AUDIT_ACCESS, "zugang", user_id ? ids : NULL, details);
    }
    return store_tx_close(st, own, rc);
}

fn_status store_session_open(struct store *st, const struct store_actor *a, struct store_session *s,
                             const char *details)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if (!store_digest_ok(s->digest) || s->user_id <= 0 || !s->roles || !s->idle_s ||
        s->expires_at <= s->created_at)
        return FN_INVALID;
    s->last_seen = s->created_at;
    s->ended_at = 0;
    int own = 0;
    rc = store_tx_open(st, &own);
    if (rc)
        return rc;
    return audited(st, a, st->ops->session_insert(st, s), own, s->user_id, details);
}

fn_status store_session_use(struct store *st, const char *digest, int64_t now,
                            struct store_session *out)
{
    memset(out, 0, sizeof *out);
    if (!digest || !store_digest_ok(digest))
        return FN_NOTFOUND;
    struct store_session_row row;
    fn_status rc = st->ops->session_find(st, digest, &row);
    if (rc)
        return rc;
    const struct store_session *s = &row.s;
    if (s->ended_at || now >= s->expires_at || now - s->last_seen >= (int64_t)s->idle_s)
        return FN_NOTFOUND; /* removed by store_session_prune */
    if (!row.user_active || row.user_roles != s->roles || row.user_org_id != s->org_id) {
        /* disabled or changed behind this session (e.g. by direct SQL or
         * another backend): ended for good, also if it is enabled again.
         * When ending fails the check above still refuses every request. */
        fn_status ended = st->ops->session_end(st, digest, now);
        (void)ended;
        return FN_NOTFOUND;
    }
    *out = *s;
    if (now - s->last_seen >= touch_every(s->idle_s)) {
        fn_status touched = st->ops->session_touch(st, s->id, now);
        if (!touched)
            out->last_seen = now;
    }
    return FN_OK;
}

fn_status store_session_end(struct store *st, const struct store_actor *a, const char *digest,
                            int64_t now, const char *details)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if (!digest || !store_digest_ok(digest))
        return FN_NOTFOUND;
    int own = 0;
    rc = store_tx_open(st, &own);
    if (rc)
        return rc;
    return audited(st, a, st->ops->session_end(st, digest, now), own, a->user_id, details);
}

fn_status store_session_prune(struct store *st, int64_t now, int64_t *removed)
{
    int64_t n = 0;
    fn_status rc = st->ops->session_prune(st, now, &n);
    if (removed)
        *removed = rc ? 0 : n;
    return rc;
}
