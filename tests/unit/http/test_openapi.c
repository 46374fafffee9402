/* Unit tests for the OpenAPI document (docs/openapi.json, embedded in the
 * binary) against the route table: the same (method, path) pairs in both
 * directions, the same roles, flags, summaries and schema names, and the
 * document's shape as OpenAPI 3.1 (every operation answers, every $ref
 * resolves). The comparison is also run on altered documents so that it is
 * seen to fail. */
#include "../test_util.h"

#include <ctype.h>
#include <jansson.h>

#include "http/routes.h"

#define REPORT_CAP 8192

struct report {
    char text[REPORT_CAP];
    size_t len;
    int problems;
};

static void problem(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct report *r, const char *fmt, ...)
{
    r->problems++;
    if (r->len + 2 >= sizeof r->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->text + r->len, sizeof r->text - r->len - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    r->len += (size_t)n < sizeof r->text - r->len - 1 ? (size_t)n : sizeof r->text - r->len - 2;
    r->text[r->len++] = '\n';
    r->text[r->len] = '\0';
}

static json_t *embedded_document(void)
{
    json_error_t err;
    json_t *doc =
        json_loadb(http_openapi_json, http_openapi_json_len, JSON_REJECT_DUPLICATES, &err);
    if (!doc)
        fail_msg("embedded OpenAPI document is not JSON: %s (line %d)", err.text, err.line);
    return doc;
}

/* ---- shape ---- */

/* Resolves a local reference "#/a/b~1c" inside doc; NULL when it does not. */
static json_t *resolve_ref(json_t *doc, const char *ref)
{
    if (strncmp(ref, "#/", 2) != 0)
        return NULL;
    json_t *node = doc;
    const char *p = ref + 2;
    while (node && *p) {
        char token[256];
        size_t n = 0;
        for (; *p && *p != '/'; p++) {
            char c = *p;
            if (c == '~' && (p[1] == '0' || p[1] == '1')) {
                c = p[1] == '0' ? '~' : '/';
                p++;
            }
            if (n + 1 >= sizeof token)
                return NULL;
            token[n++] = c;
        }
        token[n] = '\0';
        if (*p == '/')
            p++;
        node = json_is_array(node) ? json_array_get(node, strtoul(token, NULL, 10))
                                   : json_object_get(node, token);
    }
    return node;
}

static void check_refs(json_t *doc, json_t *node, struct report *r)
{
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        json_object_foreach(node, key, value)
        {
            if (strcmp(key, "$ref") == 0) {
                if (!json_is_string(value) || !resolve_ref(doc, json_string_value(value)))
                    problem(r, "$ref %s does not resolve within the document",
                            json_is_string(value) ? json_string_value(value) : "(not a string)");
            } else {
                check_refs(doc, value, r);
            }
        }
    } else if (json_is_array(node)) {
        size_t i;
        json_t *value;
        json_array_foreach(node, i, value) check_refs(doc, value, r);
    }
}

static const char *const operation_keys[] = {"get",     "put",  "post",  "delete",
                                             "options", "head", "patch", "trace"};

static void check_shape(json_t *doc, struct report *r)
{
    if (!json_is_string(json_object_get(doc, "openapi")) ||
        strcmp(json_string_value(json_object_get(doc, "openapi")), "3.1.0") != 0)
        problem(r, "openapi is not \"3.1.0\"");
    json_t *info = json_object_get(doc, "info");
    if (!json_is_object(info) || !json_is_string(json_object_get(info, "title")) ||
        !json_is_string(json_object_get(info, "version")))
        problem(r, "info with title and version is missing");
    json_t *paths = json_object_get(doc, "paths");
    if (!json_is_object(paths)) {
        problem(r, "paths is missing");
        return;
    }
    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item)
    {
        if (path[0] != '/')
            problem(r, "path %s does not start with /", path);
        for (size_t k = 0; k < sizeof operation_keys / sizeof operation_keys[0]; k++) {
            json_t *op = json_object_get(item, operation_keys[k]);
            if (!op)
                continue;
            json_t *responses = json_object_get(op, "responses");
            if (!json_is_object(responses) || json_object_size(responses) == 0)
                problem(r, "%s %s has no responses", operation_keys[k], path);
            const char *code;
            json_t *resp;
            json_object_foreach(responses, code, resp)
            {
                json_t *target =
                    json_object_get(resp, "$ref")
                        ? resolve_ref(doc, json_string_value(json_object_get(resp, "$ref")))
                        : resp;
                if (!json_is_string(json_object_get(target, "description")))
                    problem(r, "%s %s answer %s has no description", operation_keys[k], path, code);
            }
        }
    }
    check_refs(doc, doc, r);
}

/* ---- the route table against the document ---- */

static void lower(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

static int json_flag(json_t *op, const char *key)
{
    return json_is_true(json_object_get(op, key));
}

/* The schema name behind content/application/json/schema/$ref of obj. */
static const char *schema_name(json_t *obj)
{
    json_t *schema = json_object_get(
        json_object_get(json_object_get(obj, "content"), "application/json"), "schema");
    const char *ref = json_string_value(json_object_get(schema, "$ref"));
    const char *prefix = "#/components/schemas/";
    if (!ref || strncmp(ref, prefix, strlen(prefix)) != 0)
        return NULL;
    return ref + strlen(prefix);
}

/* Whether op declares a parameter (directly or by $ref) named name in where. */
static int has_parameter(json_t *doc, json_t *op, const char *name, const char *where,
                         int must_be_required)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(op, "parameters"), i, p)
    {
        json_t *ref = json_object_get(p, "$ref");
        json_t *param = ref ? resolve_ref(doc, json_string_value(ref)) : p;
        const char *n = json_string_value(json_object_get(param, "name"));
        const char *in = json_string_value(json_object_get(param, "in"));
        if (n && in && strcmp(n, name) == 0 && strcmp(in, where) == 0)
            return !must_be_required || json_is_true(json_object_get(param, "required"));
    }
    return 0;
}

static void compare_operation(json_t *doc, const struct http_route *rt, const char *method,
                              json_t *op, struct report *r)
{
    const char *path = rt->pattern;
    /* roles */
    unsigned doc_roles = 0;
    json_t *roles = json_object_get(op, "x-fallnetz-roles");
    if (!json_is_array(roles))
        problem(r, "%s %s: x-fallnetz-roles is missing", method, path);
    size_t i;
    json_t *role;
    json_array_foreach(roles, i, role)
    {
        unsigned bit = 0;
        if (!json_is_string(role) || auth_roles_parse(json_string_value(role), &bit, NULL) != FN_OK)
            problem(r, "%s %s: unknown role %s in docs/openapi.json", method, path,
                    json_is_string(role) ? json_string_value(role) : "(not a string)");
        doc_roles |= bit;
    }
    for (unsigned k = 0; k < AUTH_ROLE_COUNT; k++) {
        unsigned bit = 1u << k;
        if ((rt->roles & bit) && !(doc_roles & bit))
            problem(r, "%s %s: role %s is in the route table but not in docs/openapi.json", method,
                    path, auth_role_name(1u << k));
        if (!(rt->roles & bit) && (doc_roles & bit))
            problem(r, "%s %s: role %s is in docs/openapi.json but not in the route table", method,
                    path, auth_role_name(1u << k));
    }
    /* flags */
    const struct {
        unsigned flag;
        const char *key;
    } flags[] = {{HTTP_ROUTE_PUBLIC, "x-fallnetz-public"},
                 {HTTP_ROUTE_PURPOSE, "x-fallnetz-purpose"},
                 {HTTP_ROUTE_CATALOG, "x-fallnetz-catalog"},
                 {HTTP_ROUTE_INTAKE, "x-fallnetz-intake"}};
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (!!(rt->flags & flags[k].flag) != json_flag(op, flags[k].key))
            problem(r, "%s %s: %s is %s in docs/openapi.json, the route table says %s", method,
                    path, flags[k].key, json_flag(op, flags[k].key) ? "true" : "absent",
                    rt->flags & flags[k].flag ? "true" : "false");
    if (!!(rt->flags & HTTP_ROUTE_PURPOSE) !=
        has_parameter(doc, op, "X-Fallnetz-Zweck", "header", 0))
        problem(r,
                "%s %s: the X-Fallnetz-Zweck parameter must be declared exactly when the route "
                "reads personal data",
                method, path);
    /* path parameters */
    for (const char *b = strchr(path, '{'); b; b = strchr(b + 1, '{')) {
        char name[64];
        size_t n = strcspn(b + 1, "}");
        snprintf(name, sizeof name, "%.*s", (int)n, b + 1);
        if (!has_parameter(doc, op, name, "path", 1))
            problem(r, "%s %s: path parameter %s is not declared (in: path, required)", method,
                    path, name);
    }
    /* summary and schemas */
    const char *summary = json_string_value(json_object_get(op, "summary"));
    if (!summary || strcmp(summary, rt->summary) != 0)
        problem(r, "%s %s: summary \"%s\" differs from the route table's \"%s\"", method, path,
                summary ? summary : "", rt->summary);
    json_t *responses = json_object_get(op, "responses");
    const char *success = NULL;
    const char *code;
    json_t *resp;
    json_object_foreach(responses, code, resp)
    {
        if (code[0] == '2') {
            success = schema_name(resp);
            break;
        }
    }
    /* a route without an answer schema answers 204 without a body */
    if ((rt->response_schema == NULL) != (success == NULL) ||
        (success && strcmp(success, rt->response_schema) != 0))
        problem(r, "%s %s: success answer schema %s, the route table says %s", method, path,
                success ? success : "(none)", rt->response_schema ? rt->response_schema : "(none)");
    if (!rt->response_schema && !json_object_get(responses, "204"))
        problem(r, "%s %s: a route without an answer schema must document 204", method, path);
    if (!(rt->flags & HTTP_ROUTE_PUBLIC) && !json_object_get(responses, "401"))
        problem(r, "%s %s: the 401 answer (no session) is not documented", method, path);
    if (!json_object_get(responses, "405"))
        problem(r, "%s %s: the 405 answer (with Allow) is not documented", method, path);
    json_t *body = json_object_get(op, "requestBody");
    const char *request = body ? schema_name(body) : NULL;
    if ((rt->request_schema == NULL) != (request == NULL) ||
        (request && strcmp(request, rt->request_schema) != 0))
        problem(r, "%s %s: request schema %s, the route table says %s", method, path,
                request ? request : "(none)", rt->request_schema ? rt->request_schema : "(none)");
}

/* Compares the document with the route table in both directions. */
static void compare_routes(json_t *doc, const struct http_route *routes, size_t n, struct report *r)
{
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < n; i++) {
        for (unsigned m = 0; m < HTTP_METHOD_COUNT; m++) {
            if (!(routes[i].methods & (1u << m)))
                continue;
            char method[16];
            lower(http_method_name(m), method, sizeof method);
            json_t *op = json_object_get(json_object_get(paths, routes[i].pattern), method);
            if (!op) {
                problem(r, "%s %s is in the route table but not in docs/openapi.json",
                        http_method_name(m), routes[i].pattern);
                continue;
            }
            compare_operation(doc, &routes[i], http_method_name(m), op, r);
        }
    }
    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item)
    {
        for (size_t k = 0; k < sizeof operation_keys / sizeof operation_keys[0]; k++) {
            if (!json_object_get(item, operation_keys[k]))
                continue;
            int found = 0;
            for (size_t i = 0; i < n && !found; i++) {
                if (strcmp(routes[i].pattern, path) != 0)
                    continue;
                for (unsigned m = 0; m < HTTP_METHOD_COUNT; m++) {
                    char method[16];
                    lower(http_method_name(m), method, sizeof method);
                    if ((routes[i].methods & (1u << m)) && strcmp(method, operation_keys[k]) == 0)
                        found = 1;
                }
            }
            if (!found)
                problem(r,
                        "%s %s is in docs/openapi.json but the server has no such route (HEAD "
                        "is implied by GET and not listed)",
                        operation_keys[k], path);
        }
    }
}

/* ---- tests ---- */

static void test_document_matches_repository_file(void **state)
{
    (void)state;
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/docs/openapi.json", root ? root : ".");
    json_error_t err;
    json_t *file = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!file)
        fail_msg("%s: %s (line %d)", path, err.text, err.line);
    json_t *doc = embedded_document();
    assert_true(json_equal(file, doc));
    json_decref(file);
    json_decref(doc);
}

static void test_document_shape(void **state)
{
    (void)state;
    json_t *doc = embedded_document();
    struct report r = {0};
    check_shape(doc, &r);
    if (r.problems)
        fail_msg("docs/openapi.json is not well-formed OpenAPI 3.1:\n%s", r.text);
    /* the check itself sees a dangling $ref and an operation without answers */
    json_object_set_new(json_object_get(json_object_get(doc, "components"), "schemas"), "Broken",
                        json_pack("{s:s}", "$ref", "#/components/schemas/Nowhere"));
    json_object_del(
        json_object_get(json_object_get(json_object_get(doc, "paths"), "/api/v1/health"), "get"),
        "responses");
    check_shape(doc, &r);
    assert_non_null(strstr(r.text, "$ref #/components/schemas/Nowhere does not resolve"));
    assert_non_null(strstr(r.text, "get /api/v1/health has no responses"));
    json_decref(doc);
}

static void test_routes_match_document(void **state)
{
    (void)state;
    size_t n = 0;
    const struct http_route *routes = http_routes(&n);
    assert_true(n > 0);
    json_t *doc = embedded_document();
    struct report r = {0};
    compare_routes(doc, routes, n, &r);
    if (r.problems)
        fail_msg("docs/openapi.json and the route table (src/http/routes.c) differ:\n%s", r.text);
    json_decref(doc);
}

/* The comparison names a route missing on either side and a changed role. */
static void test_drift_is_reported(void **state)
{
    (void)state;
    size_t n = 0;
    const struct http_route *routes = http_routes(&n);
    json_t *doc = embedded_document();
    json_t *paths = json_object_get(doc, "paths");
    json_object_del(paths, "/api/v1/worklist");
    json_object_set_new(paths, "/api/v1/cases/{id}",
                        json_pack("{s:{s:s, s:{s:{s:s}}}}", "get", "summary", "x", "responses",
                                  "200", "description", "x"));
    json_object_set_new(json_object_get(paths, "/api/v1/persons/{id}"), "delete",
                        json_pack("{s:{s:{s:s}}}", "responses", "204", "description", "x"));
    json_t *roles = json_object_get(
        json_object_get(json_object_get(paths, "/api/v1/persons/{id}"), "get"), "x-fallnetz-roles");
    json_array_append_new(roles, json_string("statistik"));
    json_object_del(json_object_get(json_object_get(paths, "/api/v1/persons"), "get"),
                    "x-fallnetz-purpose");
    struct report r = {0};
    compare_routes(doc, routes, n, &r);
    assert_non_null(
        strstr(r.text, "GET /api/v1/worklist is in the route table but not in docs/openapi.json"));
    assert_non_null(strstr(r.text, "get /api/v1/cases/{id} is in docs/openapi.json but the "
                                   "server has no such route"));
    assert_non_null(strstr(r.text, "delete /api/v1/persons/{id} is in docs/openapi.json but the "
                                   "server has no such route"));
    assert_non_null(strstr(r.text, "GET /api/v1/persons/{id}: role statistik is in "
                                   "docs/openapi.json but not in the route table"));
    assert_non_null(strstr(r.text, "GET /api/v1/persons: x-fallnetz-purpose is absent"));
    assert_int_equal(r.problems, 5);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_matches_repository_file),
        cmocka_unit_test(test_document_shape),
        cmocka_unit_test(test_routes_match_document),
        cmocka_unit_test(test_drift_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
