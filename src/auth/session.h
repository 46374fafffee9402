/*
 * session.h – what a web session is made of (issue 11, 12).
 *
 * A login (argon2, about 0.1 s) creates a session: a random token for the
 * cookie (auth/token.h) whose digest the store keeps (store.h
 * store_session_*; every server on the database finds it there, a restart
 * keeps it). Each later request costs a BLAKE2b hash and one indexed read,
 * no argon2.
 *
 * The CSRF token the client echoes in X-CSRF-Token is derived from the
 * session's token with a keyed BLAKE2b (auth_session_csrf): any server that
 * sees the cookie can check it and show it again, and nothing of it is
 * stored. Knowing it reveals nothing of the cookie.
 *
 * Lifetimes: idle 30 minutes, absolute 10 hours; both are settable for
 * tests (serve --session-idle).
 */
#ifndef FN_AUTH_SESSION_H
#define FN_AUTH_SESSION_H

#include <stdint.h>

#include "auth/token.h"

#define AUTH_SESSION_IDLE_S     (30 * 60)
#define AUTH_SESSION_ABSOLUTE_S (10 * 60 * 60)
#define AUTH_LOGIN_MAX          64 /* bytes of a login name, with the NUL */

/* Who a session belongs to: a copy. */
struct auth_principal {
    int64_t user_id;
    char login[AUTH_LOGIN_MAX];
    int64_t org_id;
    unsigned roles; /* enum auth_role bits */
};

/* The CSRF token of the session whose cookie holds token (43 URL-safe
 * base64 characters, like a token). */
void auth_session_csrf(const char *token, char csrf[AUTH_TOKEN_CHARS + 1]);

#endif
