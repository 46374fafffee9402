/*
 * session.c – the SQLite rows of web sessions (table web_session). Rows
 * only: what is expired, what ends a session and the audit rows are
 * policy_session.c's.
 */
#include <string.h>

#include "auth/role.h"
#include "store/backend.h"
#include "store/store_int.h"

/* Runs a statement that returns no rows; *changed (may be NULL) receives the
 * number of rows it changed. Finalizes s. */
static fn_status run_change(struct store *st, sqlite3_stmt *s, int64_t *changed)
{
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    if (changed)
        *changed = sqlite3_changes(st->db);
    return FN_OK;
}

fn_status sqlite_session_insert(struct store *st, struct store_session *s)
{
    char roles[128];
    if (auth_roles_format(s->roles, roles, sizeof roles) != FN_OK)
        return FN_INVALID;
    sqlite3_stmt *q = NULL;
    fn_status rc =
        store_prepare(st,
                      "INSERT INTO web_session (digest, user_id, roles, org_id, idle_s,"
                      " created_at, last_seen, expires_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                      &q);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, s->digest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, s->user_id);
    sqlite3_bind_text(q, 3, roles, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, s->org_id);
    sqlite3_bind_int64(q, 5, s->idle_s);
    sqlite3_bind_int64(q, 6, s->created_at);
    sqlite3_bind_int64(q, 7, s->last_seen);
    sqlite3_bind_int64(q, 8, s->expires_at);
    rc = run_change(st, q, NULL);
    if (!rc)
        s->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

/* Roles stored as text; an unreadable list is no role at all. */
static unsigned col_roles(sqlite3_stmt *q, int col)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    unsigned roles = 0;
    if (auth_roles_parse(t ? (const char *)t : "", &roles, NULL) != FN_OK)
        return 0;
    return roles;
}

fn_status sqlite_session_find(struct store *st, const char *digest, struct store_session_row *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *q = NULL;
    fn_status rc = store_stmt(st, STMT_SESSION_FIND, &q);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, digest, -1, SQLITE_STATIC);
    int src = sqlite3_step(q);
    if (src == SQLITE_ROW) {
        struct store_session *s = &out->s;
        s->id = sqlite3_column_int64(q, 0);
        memcpy(s->digest, digest, sizeof s->digest - 1);
        s->user_id = sqlite3_column_int64(q, 1);
        s->roles = col_roles(q, 2);
        s->org_id = sqlite3_column_int64(q, 3);
        int64_t idle = sqlite3_column_int64(q, 4);
        s->idle_s = idle > 0 && idle <= UINT32_MAX ? (unsigned)idle : 0;
        s->created_at = sqlite3_column_int64(q, 5);
        s->last_seen = sqlite3_column_int64(q, 6);
        s->expires_at = sqlite3_column_int64(q, 7);
        s->ended_at = sqlite3_column_int64(q, 8);
        const unsigned char *login = sqlite3_column_text(q, 9);
        size_t n = login ? (size_t)sqlite3_column_bytes(q, 9) : 0;
        if (n >= sizeof s->login)
            rc = FN_CORRUPT; /* app_user.login is at most 63 bytes */
        else if (n)
            memcpy(s->login, login, n);
        out->user_roles = col_roles(q, 10);
        out->user_org_id = sqlite3_column_int64(q, 11);
        out->user_active = sqlite3_column_int(q, 12) != 0;
    } else {
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    }
    /* a cached statement left on its row would keep a read transaction
     * open on this handle until its next use */
    sqlite3_reset(q);
    return rc;
}

fn_status sqlite_session_touch(struct store *st, int64_t id, int64_t now)
{
    sqlite3_stmt *q = NULL;
    fn_status rc = store_stmt(st, STMT_SESSION_TOUCH, &q);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, now);
    /* Best effort: a request must not wait up to STORE_BUSY_TIMEOUT_MS
     * behind another process's long write just to move last_seen. */
    sqlite3_busy_timeout(st->db, 0);
    int src = sqlite3_step(q);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_reset(q);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

fn_status sqlite_session_end(struct store *st, const char *digest, int64_t now)
{
    sqlite3_stmt *q = NULL;
    fn_status rc = store_prepare(
        st, "UPDATE web_session SET ended_at = ?2 WHERE digest = ?1 AND ended_at IS NULL", &q);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, digest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, now);
    int64_t changed = 0;
    rc = run_change(st, q, &changed);
    return rc ? rc : changed ? FN_OK : FN_NOTFOUND;
}

fn_status sqlite_session_end_user(struct store *st, int64_t user_id, int64_t now, int64_t *ended)
{
    *ended = 0;
    sqlite3_stmt *q = NULL;
    fn_status rc = store_prepare(
        st, "UPDATE web_session SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL", &q);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, now);
    return run_change(st, q, ended);
}

fn_status sqlite_session_prune(struct store *st, int64_t now, int64_t *removed)
{
    *removed = 0;
    sqlite3_stmt *q = NULL;
    fn_status rc = store_prepare(st,
                                 "DELETE FROM web_session WHERE ended_at IS NOT NULL"
                                 " OR expires_at <= ?1 OR last_seen + idle_s <= ?1",
                                 &q);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, now);
    return run_change(st, q, removed);
}
