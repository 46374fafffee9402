/*
 * session.h – sessions of logged-in users, held in the server's memory.
 *
 * A login (argon2, about 0.1 s) creates a session: a random token for the
 * cookie and a random CSRF token for the X-CSRF-Token header. Only the
 * token's digest is kept. Each later request finds its session by that
 * digest in a hash table (a BLAKE2b hash and one mutex, no argon2), so an
 * authenticated request costs microseconds.
 *
 * Lifetimes (issue 11): idle 30 minutes, absolute 10 hours; both are
 * settable for tests. A restart of the server ends every session (users log
 * in again); a multi-instance deployment needs sticky sessions until
 * sessions move into the store.
 *
 * Thread-safe. Time is passed in (seconds since the epoch).
 */
#ifndef FN_AUTH_SESSION_H
#define FN_AUTH_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "auth/token.h"
#include "core/status.h"

#define AUTH_SESSION_IDLE_S     (30 * 60)
#define AUTH_SESSION_ABSOLUTE_S (10 * 60 * 60)
#define AUTH_LOGIN_MAX          64 /* bytes of a login name, with the NUL */

/* Who a session belongs to: a copy, valid after the table changes. */
struct auth_principal {
    int64_t user_id;
    char login[AUTH_LOGIN_MAX];
    int64_t org_id;
    unsigned roles; /* enum auth_role bits */
};

struct auth_session_view {
    struct auth_principal who;
    char csrf[AUTH_TOKEN_CHARS + 1];
    int64_t created;
    int64_t last_seen;
    int64_t checked_at; /* when the account behind it was last confirmed active */
};

/* How often a server re-reads the account behind a session (disabled, roles
 * or organisation changed by another process end the session). */
#define AUTH_SESSION_RECHECK_S 60

struct auth_sessions;

/* A table for at most max_sessions sessions. idle_s/absolute_s of 0 take
 * the defaults above. *out is freed with auth_sessions_free. */
FN_MUST_CHECK fn_status auth_sessions_new(size_t max_sessions, unsigned idle_s, unsigned absolute_s,
                                          struct auth_sessions **out);
/* Ends every session; accepts NULL. */
void auth_sessions_free(struct auth_sessions *s);

/* Opens a session for who. token receives the cookie value, csrf the CSRF
 * token; both are shown to the client once. When the table is full, expired
 * sessions are dropped first; FN_TOO_LARGE when it is still full. */
FN_MUST_CHECK fn_status auth_session_open(struct auth_sessions *s, const struct auth_principal *who,
                                          int64_t now, char token[AUTH_TOKEN_CHARS + 1],
                                          char csrf[AUTH_TOKEN_CHARS + 1]);

/* Finds the session of token, checks both lifetimes and marks it used now.
 * FN_NOTFOUND for an unknown, malformed or expired token (an expired session
 * is removed). out may be NULL. */
FN_MUST_CHECK fn_status auth_session_touch(struct auth_sessions *s, const char *token, int64_t now,
                                           struct auth_session_view *out);

/* Records that the account behind token was confirmed at now (nothing
 * when the session is gone meanwhile). */
void auth_session_confirmed(struct auth_sessions *s, const char *token, int64_t now);

/* Ends the session of token. FN_NOTFOUND when there is none. */
FN_MUST_CHECK fn_status auth_session_close(struct auth_sessions *s, const char *token);

/* Ends every session of a user (account disabled, password changed);
 * returns how many. */
size_t auth_sessions_close_user(struct auth_sessions *s, int64_t user_id);

/* Number of live (not yet removed) sessions. */
size_t auth_sessions_count(struct auth_sessions *s);

#endif
