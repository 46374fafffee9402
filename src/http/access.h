/*
 * access.h – who calls the API, and the session endpoints (issue 11).
 *
 * The server establishes the caller before a request is routed: a session
 * cookie (fallnetz_sitzung, found by its BLAKE2b digest in the store on
 * every request, never argon2, so every server on the database accepts it
 * and a logout anywhere counts at once), an API token (Authorization:
 * Bearer, found by its digest in the store), or nobody. The router (routes.c) then decides
 * from struct http_caller alone: 401 without a caller, 403 for a role or
 * scope the route does not allow and for a missing or wrong X-CSRF-Token,
 * 400 for a purpose outside the configured list. Tests fill http_caller
 * directly, so the router stays testable without cookies.
 *
 * Logins (POST /api/v1/session) are throttled per login and per client
 * address (auth/throttle.h); unknown logins, wrong passwords and disabled
 * accounts get one answer and take about the same time (a dummy argon2
 * verification). Every login, failed login, logout and refused request is
 * an audit row of kind "zugang"; no password, hash or token is written
 * anywhere.
 */
#ifndef FN_HTTP_ACCESS_H
#define FN_HTTP_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "auth/session.h"
#include "auth/token.h"
#include "core/status.h"

struct store;
struct http_call;
struct http_answer;

#define HTTP_SESSION_COOKIE "fallnetz_sitzung"
#define HTTP_MAX_PURPOSES   32
#define HTTP_PURPOSE_MAX    200 /* bytes of one configured purpose */
#define HTTP_ACCESS_PURPOSE "Zugangskontrolle"

enum http_caller_kind {
    HTTP_CALLER_NONE = 0,
    HTTP_CALLER_SESSION, /* a logged-in user */
    HTTP_CALLER_TOKEN,   /* a machine client's API token: acts for its organisation */
};

/* Who calls. For a token, who.login is "api-token-<id>", who.user_id 0 and
 * who.roles 0: a token reaches only routes flagged HTTP_ROUTE_INTAKE. */
struct http_caller {
    enum http_caller_kind kind;
    struct auth_principal who;
    char csrf[AUTH_TOKEN_CHARS + 1]; /* session: the CSRF token the client must echo */
    char scope[16];                  /* token: its scope ("intake") */
};

struct http_access_config {
    unsigned session_idle_s;     /* 0: 30 minutes */
    unsigned session_absolute_s; /* 0: 10 hours */
    const char *const *purposes; /* NULL: the default list (http_default_purposes) */
    size_t n_purposes;
    int tls; /* cookies get Secure */
};

/* Session lifetimes, login throttles and the purpose list of one server. */
struct http_access;

/* The default purposes (issue 11), NULL-terminated. */
extern const char *const http_default_purposes[];

/* Creates the access state; copies the purposes (each 1..HTTP_PURPOSE_MAX
 * bytes of valid UTF-8 without control characters, at most
 * HTTP_MAX_PURPOSES). FN_INVALID for a bad purpose. *out is freed with
 * http_access_free. */
FN_MUST_CHECK fn_status http_access_new(const struct http_access_config *cfg,
                                        struct http_access **out);
/* Accepts NULL. Sessions stay in the store. */
void http_access_free(struct http_access *a);

/* Whether purpose (UTF-8) is one of the configured purposes; a NULL access
 * checks against the default list. */
int http_access_purpose_allowed(const struct http_access *a, const char *purpose);

/* Establishes the caller of a request: the session of cookie (may be NULL;
 * looked up in st and its use recorded, store_session_use) or else the API
 * token of authorization ("Bearer <token>", may be NULL; looked up in st).
 * The session's CSRF token is derived only with_csrf (a keyed hash per
 * request otherwise wasted: http_request_needs_csrf); without it out->csrf
 * stays empty, which access_check refuses for any state-changing request.
 * *out is zeroed and its kind is HTTP_CALLER_NONE when neither is valid.
 * FN_BUSY / FN_DB when a lookup fails; an unknown, ended or expired
 * session and an unknown, expired or revoked token are no caller. */
FN_MUST_CHECK fn_status http_access_identify(struct http_access *a, struct store *st,
                                             const char *cookie, const char *authorization,
                                             int64_t now, int with_csrf, struct http_caller *out);

/* Handlers of POST, GET and DELETE /api/v1/session (routes.c lists them). */
FN_MUST_CHECK fn_status http_session_open(const struct http_call *call, struct http_answer *out);
FN_MUST_CHECK fn_status http_session_show(const struct http_call *call, struct http_answer *out);
FN_MUST_CHECK fn_status http_session_close(const struct http_call *call, struct http_answer *out);

/* Appends an access audit row (kind "zugang") for caller (NULL: nobody
 * authenticated) with event ("anmeldung", "fehlversuch", "abmeldung",
 * "verweigert"), the client address and an optional reason code. Borrows
 * everything. */
FN_MUST_CHECK fn_status http_access_audit(struct store *st, const struct http_caller *caller,
                                          const char *event, const char *address,
                                          const char *method, const char *path, const char *reason);

/* The second person of a four-eyes decision: an active account other than
 * first_user_id whose roles may decide (never datenschutz), verified with
 * its password and throttled like a login (a may be NULL: not throttled).
 * FN_OK with *user_id and canonical login (cap bytes); FN_DENIED with *why
 * (German, static) and *retry_after_s (0 unless throttled) otherwise; other
 * codes for store failures. Every failure is audited. */
FN_MUST_CHECK fn_status http_access_second_person(struct http_access *a, struct store *st,
                                                  int64_t first_user_id, const char *login,
                                                  const char *password, const char *address,
                                                  char *canonical, size_t cap, const char **why,
                                                  unsigned *retry_after_s);

#endif
