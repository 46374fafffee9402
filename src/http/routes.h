/*
 * routes.h – the route table of the JSON API and the dispatcher over it.
 *
 * Every /api/ route is one row of a declarative table (routes.c): the
 * methods, a path pattern of literal segments and typed parameters
 * ("/api/v1/persons/{id}", {id} = positive integer), the handler, whether it
 * reads personal data under a purpose the client names (X-Fallnetz-Zweck),
 * whether it needs the loaded catalogue, the roles that may call it, a
 * one-line summary and the OpenAPI schema names of its request and answer.
 *
 * The dispatcher answers an unknown path with 404, a known path with a wrong
 * method with 405 and an Allow header (HEAD is allowed wherever GET is), a
 * bad purpose or a malformed parameter with 400, and a missing catalogue with
 * 503, in that order, before any handler runs. Handlers get the parsed
 * parameters and never validate the path themselves.
 *
 * Before the parameters, the dispatcher checks access (access.h): 401
 * without a caller on every route not flagged public, 403 for a session
 * request that changes state without the session's X-CSRF-Token, 403 for a
 * role the route does not list or an API token on a route not flagged
 * intake (both audited as denials), 400 for a purpose outside the
 * configured list. The table is the single source for the role check
 * (http_route_allows) and for the
 * OpenAPI document (docs/openapi.json, embedded and served at
 * /api/v1/openapi.json); a unit test compares the two.
 */
#ifndef FN_HTTP_ROUTES_H
#define FN_HTTP_ROUTES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/role.h"
#include "core/status.h"
#include "http/server.h"
#include "store/store.h"

/* Roles are the bit set of auth/role.h (enum auth_role). */
/* Methods as bits. HEAD is not a bit of its own: it is allowed wherever GET is. */
enum http_method {
    HTTP_METHOD_GET = 1u << 0,
    HTTP_METHOD_POST = 1u << 1,
    HTTP_METHOD_PUT = 1u << 2,
    HTTP_METHOD_PATCH = 1u << 3,
    HTTP_METHOD_DELETE = 1u << 4,
};
#define HTTP_METHOD_COUNT 5

/* The bit of a request method (HEAD gives GET); 0 for any other method. */
unsigned http_method_bit(const char *method);
/* The name ("GET") for bit index 0..HTTP_METHOD_COUNT-1; NULL past the end. */
const char *http_method_name(unsigned index);
/* Writes the Allow header value of a method set into buf ("GET, HEAD",
 * "POST"); cap bytes, truncated safely. */
void http_allow_format(unsigned methods, char *buf, size_t cap);

/* Route flags. */
#define HTTP_ROUTE_PUBLIC  (1u << 0) /* needs no login (roles then 0) */
#define HTTP_ROUTE_PURPOSE (1u << 1) /* reads personal data under X-Fallnetz-Zweck */
#define HTTP_ROUTE_CATALOG (1u << 2) /* needs a catalogue (503 without an approved one) */
#define HTTP_ROUTE_INTAKE  (1u << 3) /* callable with an API token of scope intake (none yet) */

/* What a handler gets: everything checked and parsed. Borrowed. */
struct http_call {
    struct store *st;
    const struct http_request *req;
    const struct store_actor *actor; /* the caller as actor (purpose set on HTTP_ROUTE_PURPOSE
                                      * routes); NULL only on public routes */
    int64_t id;                      /* the {id} path parameter; 0 if the pattern has none */
    enum store_fact_kind fact_kind;  /* the {fact} path parameter ("strafverfahren-12") */
    int64_t fact_id;                 /* its row id; 0 if the pattern has none */
    int32_t today;                   /* days since 1970-01-01 */
    /* HTTP_ROUTE_CATALOG routes: the catalogue of this request (the one in
     * force, or the server's --catalog file) and whether it is a
     * simulation (not the approved catalogue: shown, never stored) */
    const struct assess_catalog *catalog;
    int simulation;
};

/* A handler fills out (status, content type, body allocated with fn_malloc).
 * FN_BUSY without a body when the store was busy (the server makes it 503). */
typedef fn_status (*http_handler)(const struct http_call *call, struct http_answer *out);

struct http_route {
    unsigned methods;            /* HTTP_METHOD_* bits */
    const char *pattern;         /* "/api/v1/persons/{id}" */
    http_handler handler;        /* never NULL */
    unsigned flags;              /* HTTP_ROUTE_* */
    unsigned roles;              /* AUTH_ROLE_* bits that may call it; 0 for public routes */
    const char *summary;         /* one line (English), also the OpenAPI summary */
    const char *request_schema;  /* components/schemas name of the body, or NULL */
    const char *response_schema; /* components/schemas name of the success answer */
};

/* The route table (static, n rows into *n). */
const struct http_route *http_routes(size_t *n);

/* Whether a caller holding the role bits user_roles may call route r. */
int http_route_allows(const struct http_route *r, unsigned user_roles);

/* Routes one /api/ request through the table into *out (memset by the
 * caller). Returns FN_BUSY (no body) when the store was busy, FN_NOMEM. */
FN_MUST_CHECK fn_status http_dispatch(struct store *st, const struct http_request *req,
                                      struct http_answer *out);

/* Sets *out to a JSON error {"code": machine, "message": message} with the
 * given status. FN_NOMEM is the only failure. */
FN_MUST_CHECK fn_status http_answer_error(struct http_answer *out, int status, const char *machine,
                                          const char *message);

/* Sets *out to the JSON document j (reference taken, may be NULL: FN_NOMEM)
 * with the given status. */
FN_MUST_CHECK fn_status http_answer_json(struct http_answer *out, int status, json_t *j);

/* Whether a request of method on url may need its session's CSRF token:
 * a state-changing method (checked against X-CSRF-Token) or the session
 * routes (which hand the token out). Other requests skip deriving it. */
int http_request_needs_csrf(const char *method, const char *url);

/* A store failure as an answer: FN_BUSY passed up (no body, the server
 * answers 503), FN_DENIED an audited 403 forbidden, anything else 500. */
FN_MUST_CHECK fn_status http_answer_store_failure(const struct http_call *call,
                                                  struct http_answer *out, fn_status rc);

/* Parses a positive integer (1..10^18-1) from the whole string; 0 when the
 * string is NULL, empty, signed or has anything but digits. */
int64_t http_parse_id(const char *s);

/* The OpenAPI document (docs/openapi.json, compact, non-ASCII escaped),
 * embedded at build time (src/http/embed_json.py). */
extern const char http_openapi_json[];
extern const size_t http_openapi_json_len;

#endif
