/* access.c – the caller of a request, the session endpoints and the audit
 * of access events (see access.h). */
#include "http/access.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/throttle.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"

#define THROTTLE_KEYS        10000
#define AUDIT_PATH_MAX       200 /* bytes of a refused path kept in the audit row */
#define KEY_MAX              (AUTH_LOGIN_MAX + 64)
#define LOGIN_FAILED_MESSAGE "Kennung oder Passwort falsch."
#define SECOND_FAILED        "Zweite Person: Kennung oder Passwort falsch."

const char *const http_default_purposes[] = {"Aktenbearbeitung",
                                             "Fallkonferenz",
                                             "Auskunft an Betroffene",
                                             "Datenschutzkontrolle",
                                             "Prüfung der Initialbewertung",
                                             "Statistik",
                                             NULL};

struct http_access {
    struct auth_throttle *by_login;
    struct auth_throttle *by_address;
    char *purposes[HTTP_MAX_PURPOSES];
    size_t n_purposes;
    unsigned idle_s, absolute_s;
    int tls;
};

static int purpose_well_formed(const char *p)
{
    size_t len = p ? strlen(p) : 0;
    if (len == 0 || len > HTTP_PURPOSE_MAX || !fn_utf8_valid(p, len, NULL))
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return 0;
    return 1;
}

/* Copies cfg's purposes (or the defaults) into a; FN_INVALID for a bad one. */
static fn_status purposes_copy(struct http_access *a, const struct http_access_config *cfg)
{
    const char *const *list = cfg->purposes ? cfg->purposes : http_default_purposes;
    size_t n = 0;
    if (cfg->purposes)
        n = cfg->n_purposes;
    else
        while (http_default_purposes[n])
            n++;
    if (n == 0 || n > HTTP_MAX_PURPOSES)
        return FN_INVALID;
    for (size_t i = 0; i < n; i++) {
        if (!purpose_well_formed(list[i]))
            return FN_INVALID;
        a->purposes[i] = fn_strdup(list[i]);
        if (!a->purposes[i])
            return FN_NOMEM;
        a->n_purposes = i + 1;
    }
    return FN_OK;
}

/* *out is freed with http_access_free. */
fn_status http_access_new(const struct http_access_config *cfg, struct http_access **out)
{
    *out = NULL;
    struct http_access *a = fn_calloc(1, sizeof *a);
    if (!a)
        return FN_NOMEM;
    a->idle_s = cfg->session_idle_s ? cfg->session_idle_s : AUTH_SESSION_IDLE_S;
    a->absolute_s = cfg->session_absolute_s ? cfg->session_absolute_s : AUTH_SESSION_ABSOLUTE_S;
    a->tls = cfg->tls;
    fn_status rc = purposes_copy(a, cfg);
    if (!rc)
        rc = auth_throttle_new(THROTTLE_KEYS, &auth_throttle_login_policy, &a->by_login);
    if (!rc)
        rc = auth_throttle_new(THROTTLE_KEYS, &auth_throttle_address_policy, &a->by_address);
    if (rc) {
        http_access_free(a);
        return rc;
    }
    *out = a;
    return FN_OK;
}

void http_access_free(struct http_access *a)
{
    if (!a)
        return;
    auth_throttle_free(a->by_login);
    auth_throttle_free(a->by_address);
    for (size_t i = 0; i < a->n_purposes; i++)
        fn_free(a->purposes[i]);
    fn_free(a);
}

int http_access_purpose_allowed(const struct http_access *a, const char *purpose)
{
    if (!purpose)
        return 0;
    if (!a) {
        for (size_t i = 0; http_default_purposes[i]; i++)
            if (strcmp(purpose, http_default_purposes[i]) == 0)
                return 1;
        return 0;
    }
    for (size_t i = 0; i < a->n_purposes; i++)
        if (strcmp(purpose, a->purposes[i]) == 0)
            return 1;
    return 0;
}

/* Now as ISO 8601 UTC, the format of API token expiry times. */
static void iso_now(int64_t now, char out[32])
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Borrows cookie and authorization; fills *out. */
fn_status http_access_identify(struct http_access *a, struct store *st, const char *cookie,
                               const char *authorization, int64_t now, int with_csrf,
                               struct http_caller *out)
{
    memset(out, 0, sizeof *out);
    if (a && cookie && auth_token_well_formed(cookie)) {
        /* No cache: a logout or a disabled account on any server counts
         * from the next request on (one indexed read by the digest). */
        char digest[AUTH_DIGEST_HEX];
        auth_token_digest_hex(cookie, digest);
        struct store_session s;
        fn_status rc = store_session_use(st, digest, now, &s);
        if (rc && rc != FN_NOTFOUND)
            return rc;
        if (!rc) {
            out->kind = HTTP_CALLER_SESSION;
            out->who.user_id = s.user_id;
            out->who.org_id = s.org_id;
            out->who.roles = s.roles;
            fn_utf8_copy(out->who.login, sizeof out->who.login, s.login);
            if (with_csrf)
                auth_session_csrf(cookie, out->csrf);
            return FN_OK;
        }
    }
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return FN_OK;
    const char *token = authorization + 7;
    while (*token == ' ')
        token++;
    if (!auth_token_well_formed(token))
        return FN_OK;
    char digest[AUTH_DIGEST_HEX];
    auth_token_digest_hex(token, digest);
    struct store_api_token t;
    fn_status rc = store_token_find(st, digest, &t);
    if (rc == FN_NOTFOUND)
        return FN_OK;
    if (rc)
        return rc;
    char at[32];
    iso_now(now, at);
    if (!store_token_usable(&t, at))
        return FN_OK;
    out->kind = HTTP_CALLER_TOKEN;
    out->who.org_id = t.org_id;
    snprintf(out->who.login, sizeof out->who.login, "api-token-%lld", (long long)t.id);
    snprintf(out->scope, sizeof out->scope, "%s", t.scope);
    return FN_OK;
}

/* ---- audit ---- */

/* Appends ,"key":"value" (value JSON-escaped, cut to max bytes on a
 * character boundary) when value is set. */
static fn_status detail_add(struct fn_buf *b, const char *key, const char *value, size_t max)
{
    if (!value)
        return FN_OK;
    fn_status rc = fn_buf_appendf(b, ",\"%s\":\"", key);
    if (!rc)
        rc = fn_json_escape(b, value, fn_utf8_truncate(value, strlen(value), max));
    if (!rc)
        rc = fn_buf_append_char(b, '"');
    return rc;
}

/* The actor of an access audit row: caller, or "anonym" when nobody is
 * authenticated. Borrows caller. */
static struct store_actor access_actor(const struct http_caller *caller)
{
    int known = caller && caller->kind != HTTP_CALLER_NONE && caller->who.login[0];
    return (struct store_actor){.user_id = known ? caller->who.user_id : 0,
                                .login = known ? caller->who.login : "anonym",
                                .org_id = known ? caller->who.org_id : 0,
                                .roles = known ? caller->who.roles : 0,
                                .purpose = HTTP_ACCESS_PURPOSE};
}

/* The details of an access audit row into details (initialised here; the
 * caller frees it with fn_buf_free). */
static fn_status access_details(struct fn_buf *details, const char *event, const char *address,
                                const char *method, const char *path, const char *reason)
{
    fn_buf_init(details, 1024);
    fn_status rc = fn_buf_append_str(details, "{\"ereignis\":");
    if (!rc)
        rc = fn_json_string(details, event);
    if (!rc)
        rc = detail_add(details, "adresse", address, 64);
    if (!rc)
        rc = detail_add(details, "methode", method, 16);
    if (!rc)
        rc = detail_add(details, "pfad", path, AUDIT_PATH_MAX);
    if (!rc)
        rc = detail_add(details, "grund", reason, 64);
    if (!rc)
        rc = fn_buf_append_char(details, '}');
    return rc;
}

fn_status http_access_audit(struct store *st, const struct http_caller *caller, const char *event,
                            const char *address, const char *method, const char *path,
                            const char *reason)
{
    struct store_actor actor = access_actor(caller);
    struct fn_buf details;
    fn_status rc = access_details(&details, event, address, method, path, reason);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)actor.user_id);
    if (!rc)
        rc = store_audit_append(st, &actor, AUDIT_ACCESS, "zugang", actor.user_id ? ids : NULL,
                                fn_buf_str(&details));
    fn_buf_free(&details);
    return rc;
}

/* ---- passwords ---- */

/* Throttle keys: a login and an address never share a key. */
static void throttle_keys(const char *login, const char *address, char lkey[KEY_MAX],
                          char akey[KEY_MAX])
{
    snprintf(lkey, KEY_MAX, "kennung:%s", login ? login : "");
    snprintf(akey, KEY_MAX, "adresse:%s", address ? address : "");
}

/* Seconds the login or the address must still wait (the longer). */
static unsigned throttle_wait(struct http_access *a, const char *lkey, const char *akey,
                              int64_t now)
{
    if (!a)
        return 0;
    unsigned wl = auth_throttle_wait(a->by_login, lkey, now, NULL);
    unsigned wa = auth_throttle_wait(a->by_address, akey, now, NULL);
    return wl > wa ? wl : wa;
}

/* Checks login/password against the store: *user is filled (caller clears)
 * when the account exists; *ok is 1 only for an active account whose hash
 * matches. An unknown or disabled account costs a dummy verification, so
 * every failure takes as long. Borrows everything. */
static fn_status password_check(struct store *st, const char *login, const char *password,
                                struct model_user *user, int *ok)
{
    *ok = 0;
    memset(user, 0, sizeof *user);
    char *hash = NULL;
    fn_status rc = FN_NOTFOUND;
    if (strlen(login) < AUTH_LOGIN_MAX && strlen(password) <= AUTH_PASSWORD_MAX_BYTES)
        rc = store_user_find(st, login, user);
    if (rc == FN_OK && user->active)
        rc = store_user_password_hash(st, user->id, &hash);
    if (rc && rc != FN_NOTFOUND)
        return rc;
    if (hash) {
        *ok = auth_password_verify(hash, password);
        sodium_memzero(hash, strlen(hash));
        fn_free(hash);
    } else {
        auth_password_verify_dummy(password);
    }
    return FN_OK;
}

/* The caller a failed attempt is audited as: the account when it exists. */
static void failed_caller(const struct model_user *u, struct http_caller *c)
{
    memset(c, 0, sizeof *c);
    if (!u->login)
        return;
    c->kind = HTTP_CALLER_SESSION;
    c->who.user_id = u->id;
    c->who.org_id = u->org_id;
    c->who.roles = u->roles;
    fn_utf8_copy(c->who.login, sizeof c->who.login, u->login);
}

static const char *failure_reason(const struct model_user *u)
{
    if (!u->login)
        return "unbekannte_kennung";
    return u->active ? "falsches_passwort" : "konto_gesperrt";
}

/* Overwrites a password held by a parsed JSON document before it is freed. */
static void wipe_string(const char *s)
{
    if (s)
        sodium_memzero((char *)s, strlen(s));
}

fn_status http_access_second_person(struct http_access *a, struct store *st, int64_t first_user_id,
                                    const char *login, const char *password, const char *address,
                                    char *canonical, size_t cap, const char **why,
                                    unsigned *retry_after_s)
{
    *why = NULL;
    *retry_after_s = 0;
    int64_t now = (int64_t)time(NULL);
    char lkey[KEY_MAX], akey[KEY_MAX];
    throttle_keys(login, address, lkey, akey);
    unsigned wait = throttle_wait(a, lkey, akey, now);
    if (wait) {
        *retry_after_s = wait;
        *why = "Zweite Person: zu viele Fehlversuche; bitte später erneut versuchen.";
        return FN_DENIED;
    }
    struct model_user u;
    int ok = 0;
    fn_status rc = password_check(st, login, password, &u, &ok);
    if (rc)
        return rc;
    const char *reason = NULL;
    if (!ok)
        reason = failure_reason(&u);
    else if (u.id == first_user_id)
        reason = "dieselbe_person";
    else if ((u.roles & AUTH_ROLE_DATENSCHUTZ) || !(u.roles & AUTH_ROLES_DECIDE))
        reason = "rolle";
    if (reason) {
        if (!ok && a) {
            (void)auth_throttle_failure(a->by_login, lkey, now);
            (void)auth_throttle_failure(a->by_address, akey, now);
        }
        struct http_caller c;
        failed_caller(&u, &c);
        rc = http_access_audit(st, &c, "fehlversuch_zweite_person", address, NULL, NULL, reason);
        *why = !ok                                      ? SECOND_FAILED
               : strcmp(reason, "dieselbe_person") == 0 ? "Die zweite Person muss eine andere "
                                                          "Person sein als die entscheidende."
                                                        : "Die zweite Person hat keine Rolle, die "
                                                          "entscheiden darf.";
        model_user_clear(&u);
        return rc ? rc : FN_DENIED;
    }
    if (a)
        auth_throttle_success(a->by_login, lkey);
    fn_utf8_copy(canonical, cap, u.login);
    model_user_clear(&u);
    return FN_OK;
}

/* ---- the session endpoints ---- */

/* The answer of a login and of GET /api/v1/session: who, the CSRF token,
 * the roles, the organisation, the purposes and the idle timeout. */
static fn_status session_answer(const struct http_call *call, const struct auth_principal *who,
                                const char *csrf, int status, struct http_answer *out)
{
    const struct http_access *a = call->req->access;
    struct model_user u;
    struct model_org o;
    memset(&u, 0, sizeof u);
    memset(&o, 0, sizeof o);
    fn_status rc = store_user_get(call->st, who->user_id, &u);
    if (!rc)
        rc = store_org_get(call->st, who->org_id, &o);
    if (rc == FN_NOTFOUND)
        rc = http_answer_error(out, 401, "unauthenticated", "Das Konto gibt es nicht mehr.");
    else if (!rc) {
        json_t *roles = json_array(), *purposes = json_array();
        for (unsigned bit = 1; roles && bit <= AUTH_ROLE_ALL; bit <<= 1)
            if ((who->roles & bit) &&
                json_array_append_new(roles, json_string(auth_role_name(bit))))
                break;
        for (size_t i = 0; purposes && i < a->n_purposes; i++)
            if (json_array_append_new(purposes, json_string(a->purposes[i])))
                break;
        json_t *j =
            roles && purposes
                ? json_pack("{s:s, s:s, s:s, s:o, s:{s:I, s:s, s:s}, s:o, s:I}", "csrf", csrf,
                            "kennung", who->login, "name", u.display_name ? u.display_name : "",
                            "rollen", roles, "behoerde", "id", (json_int_t)o.id, "code",
                            o.code ? o.code : "", "name", o.name ? o.name : "", "zwecke", purposes,
                            "ablauf_s", (json_int_t)a->idle_s)
                : NULL;
        if (!j) {
            json_decref(roles);
            json_decref(purposes);
        }
        rc = http_answer_json(out, status, j);
    }
    model_user_clear(&u);
    model_org_clear(&o);
    return rc;
}

static void cookie_set(const struct http_access *a, struct http_answer *out, const char *token)
{
    snprintf(out->set_cookie, sizeof out->set_cookie,
             "%s=%s; HttpOnly; SameSite=Strict; Path=/%s%s", HTTP_SESSION_COOKIE, token,
             a->tls ? "; Secure" : "", token[0] ? "" : "; Max-Age=0");
}

/* Opens a session for an authenticated user u and answers 201: the row
 * and its "anmeldung" audit row in one transaction, after the answer is
 * ready, so that a failure leaves no session behind. */
static fn_status session_start(const struct http_call *call, const struct model_user *u,
                               const char *method, struct http_answer *out)
{
    struct http_access *a = call->req->access;
    struct http_caller c;
    memset(&c, 0, sizeof c);
    c.kind = HTTP_CALLER_SESSION;
    c.who.user_id = u->id;
    c.who.org_id = u->org_id;
    c.who.roles = u->roles;
    fn_utf8_copy(c.who.login, sizeof c.who.login, u->login);
    int64_t now = (int64_t)time(NULL);
    struct store_session s = {.user_id = u->id,
                              .org_id = u->org_id,
                              .roles = u->roles,
                              .idle_s = a->idle_s,
                              .created_at = now,
                              .expires_at = now + a->absolute_s};
    char token[AUTH_TOKEN_CHARS + 1];
    struct fn_buf details;
    fn_status rc =
        access_details(&details, "anmeldung", call->req->client_address, NULL, NULL, method);
    if (!rc)
        rc = auth_token_new(token);
    if (rc)
        goto out;
    auth_token_digest_hex(token, s.digest);
    auth_session_csrf(token, c.csrf);
    /* ended and expired sessions go at each login, on whichever server:
     * no timer needed. Housekeeping only: a failure (busy) does not stop
     * the login, the next one prunes. */
    fn_status pruned = store_session_prune(call->st, now, NULL);
    (void)pruned;
    rc = session_answer(call, &c.who, c.csrf, 201, out);
    if (rc || out->status != 201)
        goto out;
    struct store_actor actor = access_actor(&c);
    rc = store_session_open(call->st, &actor, &s, fn_buf_str(&details));
    if (rc) {
        fn_free(out->body);
        memset(out, 0, sizeof *out);
        goto out;
    }
    cookie_set(a, out, token);
out:
    sodium_memzero(token, sizeof token);
    sodium_memzero(c.csrf, sizeof c.csrf);
    fn_buf_free(&details);
    return rc;
}

/* Single sign-on: the trusted proxy vouches for login (an existing, active
 * account). body_login, when given, must be the same. */
static fn_status session_open_sso(const struct http_call *call, const char *body_login,
                                  struct http_answer *out)
{
    const struct http_request *req = call->req;
    struct model_user u;
    memset(&u, 0, sizeof u);
    fn_status rc = FN_NOTFOUND;
    if (!body_login || strcmp(body_login, req->sso_login) == 0)
        rc = store_user_find(call->st, req->sso_login, &u);
    if (rc && rc != FN_NOTFOUND)
        return rc;
    if (rc == FN_OK && u.active) {
        rc = session_start(call, &u, "sso", out);
    } else {
        struct http_caller c;
        failed_caller(&u, &c);
        rc = http_access_audit(call->st, &c, "fehlversuch", req->client_address, NULL, NULL,
                               u.login ? "sso_konto_gesperrt" : "sso_unbekannte_kennung");
        if (!rc)
            rc = http_answer_error(out, 401, "login_failed", LOGIN_FAILED_MESSAGE);
    }
    model_user_clear(&u);
    return rc;
}

/* POST /api/v1/session: a password login (or single sign-on). */
fn_status http_session_open(const struct http_call *call, struct http_answer *out)
{
    const struct http_request *req = call->req;
    struct http_access *a = req->access;
    if (!a)
        return http_answer_error(out, 503, "no_sessions", "Anmeldung ist hier nicht eingerichtet.");
    json_error_t err;
    json_t *j = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &err);
    const char *login = NULL, *password = NULL;
    fn_status rc = FN_OK;
    struct model_user u;
    memset(&u, 0, sizeof u);
    if (!j || json_unpack(j, "{s?s, s?s}", "kennung", &login, "passwort", &password) != 0) {
        rc = http_answer_error(out, 400, "bad_request",
                               "Erwartet JSON mit kennung und passwort (Zeichenketten).");
        goto out;
    }
    if (!password && req->sso_login) {
        rc = session_open_sso(call, login, out);
        goto out;
    }
    int64_t now = (int64_t)time(NULL);
    char lkey[KEY_MAX], akey[KEY_MAX];
    throttle_keys(login, req->client_address, lkey, akey);
    unsigned wait = throttle_wait(a, lkey, akey, now);
    if (wait) {
        char message[160];
        snprintf(message, sizeof message,
                 "Zu viele Fehlversuche. Bitte in %u Sekunden erneut versuchen.", wait);
        rc = http_answer_error(out, 429, "login_throttled", message);
        out->retry_after_s = wait;
        goto out;
    }
    if (!login || !login[0] || !password) {
        /* e.g. the single sign-on header sent from another address than
         * the trusted proxy's: ignored, so this is no login (counted
         * against the address, so that it cannot flood the audit trail) */
        (void)auth_throttle_failure(a->by_address, akey, now);
        rc = http_access_audit(call->st, NULL, "fehlversuch", req->client_address, NULL, NULL,
                               "ohne_passwort");
        if (!rc)
            rc = http_answer_error(out, 401, "login_failed", LOGIN_FAILED_MESSAGE);
        goto out;
    }
    int ok = 0;
    rc = password_check(call->st, login, password, &u, &ok);
    wipe_string(password);
    if (rc)
        goto out;
    if (!ok) {
        (void)auth_throttle_failure(a->by_login, lkey, now);
        (void)auth_throttle_failure(a->by_address, akey, now);
        struct http_caller c;
        failed_caller(&u, &c);
        rc = http_access_audit(call->st, &c, "fehlversuch", req->client_address, NULL, NULL,
                               failure_reason(&u));
        if (!rc)
            rc = http_answer_error(out, 401, "login_failed", LOGIN_FAILED_MESSAGE);
        goto out;
    }
    auth_throttle_success(a->by_login, lkey);
    rc = session_start(call, &u, "passwort", out);
out:
    wipe_string(password);
    model_user_clear(&u);
    json_decref(j);
    return rc;
}

/* GET /api/v1/session: who is logged in, with the CSRF token again. */
fn_status http_session_show(const struct http_call *call, struct http_answer *out)
{
    const struct http_caller *c = call->req->caller;
    if (!call->req->access || !c || c->kind != HTTP_CALLER_SESSION)
        return http_answer_error(out, 401, "unauthenticated", "Nicht angemeldet.");
    return session_answer(call, &c->who, c->csrf, 200, out);
}

/* DELETE /api/v1/session: ends the session and clears the cookie. */
fn_status http_session_close(const struct http_call *call, struct http_answer *out)
{
    const struct http_request *req = call->req;
    const struct http_caller *c = req->caller;
    if (!req->access || !c || c->kind != HTTP_CALLER_SESSION)
        return http_answer_error(out, 401, "unauthenticated", "Nicht angemeldet.");
    fn_status rc = FN_OK;
    if (req->session_token && auth_token_well_formed(req->session_token)) {
        /* the row ends and the logout is audited in one transaction */
        char digest[AUTH_DIGEST_HEX];
        auth_token_digest_hex(req->session_token, digest);
        struct fn_buf details;
        struct store_actor actor = access_actor(c);
        rc = access_details(&details, "abmeldung", req->client_address, NULL, NULL, NULL);
        if (!rc)
            rc = store_session_end(call->st, &actor, digest, (int64_t)time(NULL),
                                   fn_buf_str(&details));
        fn_buf_free(&details);
        if (rc == FN_NOTFOUND)
            rc = FN_OK; /* ended by a concurrent logout, which audited it */
    } else {
        /* a caller set without a cookie (tests) */
        rc = http_access_audit(call->st, c, "abmeldung", req->client_address, NULL, NULL, NULL);
    }
    if (rc)
        return rc;
    out->status = 204;
    out->content_type = "application/json; charset=utf-8";
    out->body = fn_malloc(1);
    if (!out->body)
        return FN_NOMEM;
    out->body[0] = '\0';
    out->body_len = 0;
    cookie_set(req->access, out, "");
    return FN_OK;
}
