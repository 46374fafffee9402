/*
 * pg_session.c – PostgreSQL rows of web sessions (table web_session,
 * schema version 10). Rows only: policy_session.c decides what is expired
 * and writes the audit rows.
 *
 * session_touch never waits behind another writer: the row lock is taken
 * NOWAIT and the statement runs with lock_timeout 1 ms, so a row or table
 * locked by another server's transaction makes it FN_BUSY at once, which
 * the policy layer ignores (last_seen is written at most once a minute).
 */
#include <string.h>

#include "auth/role.h"
#include "store/pg_int.h"

fn_status pg_session_insert(struct store *st, struct store_session *s)
{
    char roles[128];
    if (auth_roles_format(s->roles, roles, sizeof roles) != FN_OK)
        return FN_INVALID;
    struct pg_params p = {0};
    pg_param_always(&p, s->digest);
    pg_param_int(&p, s->user_id);
    pg_param_always(&p, roles);
    pg_param_int(&p, s->org_id);
    pg_param_int(&p, s->idle_s);
    pg_param_int(&p, s->created_at);
    pg_param_int(&p, s->last_seen);
    pg_param_int(&p, s->expires_at);
    return pg_one_int(pg_of(st), PG_STMT_SESSION_INSERT,
                      "INSERT INTO web_session (digest, user_id, roles, org_id, idle_s,"
                      " created_at, last_seen, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
                      " RETURNING id",
                      &p, &s->id);
}

/* Roles stored as text; an unreadable list is no role at all. */
static unsigned cell_roles(const PGresult *r, int col)
{
    unsigned roles = 0;
    if (auth_roles_parse(PQgetisnull(r, 0, col) ? "" : PQgetvalue(r, 0, col), &roles, NULL) !=
        FN_OK)
        return 0;
    return roles;
}

fn_status pg_session_find(struct store *st, const char *digest, struct store_session_row *out)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    pg_param_always(&p, digest);
    PGresult *r = NULL;
    fn_status rc =
        pg_run(pg_of(st), PG_STMT_SESSION_FIND,
               "SELECT s.id, s.user_id, s.roles, s.org_id, s.idle_s, s.created_at, s.last_seen,"
               " s.expires_at, coalesce(s.ended_at, 0), u.login, u.roles, u.org_id, u.active"
               " FROM web_session s JOIN app_user u ON u.id = s.user_id WHERE s.digest = $1",
               &p, &r);
    if (rc)
        return rc;
    if (!PQntuples(r)) {
        PQclear(r);
        return FN_NOTFOUND;
    }
    struct store_session *s = &out->s;
    s->id = pg_int(r, 0, 0);
    memcpy(s->digest, digest, sizeof s->digest - 1);
    s->user_id = pg_int(r, 0, 1);
    s->roles = cell_roles(r, 2);
    s->org_id = pg_int(r, 0, 3);
    int64_t idle = pg_int(r, 0, 4);
    s->idle_s = idle > 0 && idle <= UINT32_MAX ? (unsigned)idle : 0;
    s->created_at = pg_int(r, 0, 5);
    s->last_seen = pg_int(r, 0, 6);
    s->expires_at = pg_int(r, 0, 7);
    s->ended_at = pg_int(r, 0, 8);
    size_t n = (size_t)PQgetlength(r, 0, 9);
    if (n >= sizeof s->login)
        rc = FN_CORRUPT; /* app_user.login is at most 63 bytes */
    else
        memcpy(s->login, PQgetvalue(r, 0, 9), n);
    out->user_roles = cell_roles(r, 10);
    out->user_org_id = pg_int(r, 0, 11);
    out->user_active = pg_int(r, 0, 12) != 0;
    PQclear(r);
    return rc;
}

fn_status pg_session_touch(struct store *st, int64_t id, int64_t now)
{
    struct pg_store *ps = pg_of(st);
    struct pg_params p = {0};
    pg_param_int(&p, id);
    pg_param_int(&p, now);
    /* Its own short transaction with lock_timeout (also against a table
     * lock), or a savepoint inside the caller's transaction, so that a
     * busy row fails only this statement. NOWAIT on the row lock. */
    int own = !ps->head.in_tx;
    fn_status rc =
        pg_exec(ps, own ? "BEGIN; SET LOCAL lock_timeout = '1ms'" : "SAVEPOINT fn_touch");
    if (rc)
        return rc;
    rc = pg_command(ps, PG_STMT_SESSION_TOUCH,
                    "UPDATE web_session SET last_seen = $2 WHERE id = (SELECT id FROM web_session"
                    " WHERE id = $1 AND last_seen < $2 FOR UPDATE NOWAIT)",
                    &p, NULL);
    const char *end = own ? (rc ? "ROLLBACK" : "COMMIT")
                          : (rc ? "ROLLBACK TO SAVEPOINT fn_touch; RELEASE SAVEPOINT fn_touch"
                                : "RELEASE SAVEPOINT fn_touch");
    fn_status end_rc = pg_exec(ps, end);
    return rc ? rc : end_rc;
}

/* Sets ended_at = now on the open rows of key (digest or user); *changed
 * = how many. */
static fn_status end_rows(struct store *st, int stmt, const char *sql, const char *key_text,
                          int64_t key_id, int64_t now, int64_t *changed)
{
    struct pg_params p = {0};
    if (key_text)
        pg_param_always(&p, key_text);
    else
        pg_param_int(&p, key_id);
    pg_param_int(&p, now);
    return pg_command(pg_of(st), stmt, sql, &p, changed);
}

fn_status pg_session_end(struct store *st, const char *digest, int64_t now)
{
    int64_t changed = 0;
    fn_status rc =
        end_rows(st, PG_STMT_SESSION_END,
                 "UPDATE web_session SET ended_at = $2 WHERE digest = $1 AND ended_at IS NULL",
                 digest, 0, now, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status pg_session_end_user(struct store *st, int64_t user_id, int64_t now, int64_t *ended)
{
    *ended = 0;
    return end_rows(st, PG_STMT_SESSION_END_USER,
                    "UPDATE web_session SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL",
                    NULL, user_id, now, ended);
}

fn_status pg_session_prune(struct store *st, int64_t now, int64_t *removed)
{
    *removed = 0;
    struct pg_params p = {0};
    pg_param_int(&p, now);
    return pg_command(pg_of(st), PG_STMT_SESSION_PRUNE,
                      "DELETE FROM web_session WHERE ended_at IS NOT NULL"
                      " OR expires_at <= $1 OR last_seen + idle_s <= $1",
                      &p, removed);
}
