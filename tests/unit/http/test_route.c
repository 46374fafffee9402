/* Unit tests for src/http: router responses (no network), JSON shape,
 * listen-address parsing. */
#include "../test_util.h"

#include <jansson.h>
#include <sqlite3.h>

#include "core/alloc.h"
#include "demo/demo.h"
#include "http/json.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"

struct fixture {
    char dir[64];
    char path[128];
    struct store *st;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->path, sizeof f->path, "%s/h.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    struct demo_options opt = {.persons = 20, .seed = 7, .today_days = 20513};
    assert_int_equal(demo_generate(f->st, &opt), FN_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    test_rmtree(f->dir);
    free(f);
    return 0;
}

static json_t *call(struct store *st, const char *method, const char *url, int want_status,
                    const char *purpose)
{
    struct http_request req = {.method = method, .url = url, .purpose = purpose};
    int status = 0;
    const char *ctype = NULL;
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(http_route(st, &req, &status, &ctype, &body, &len), FN_OK);
    if (status != want_status)
        fail_msg("%s %s: status %d, want %d: %s", method, url, status, want_status, body);
    json_t *j = NULL;
    if (strstr(ctype, "json")) {
        json_error_t err;
        j = json_loadb(body, len, 0, &err);
        assert_non_null(j);
    } else {
        assert_non_null(strstr(body, "fallnetz"));
    }
    fn_free(body);
    return j;
}

static void test_health_and_person(void **state)
{
    struct fixture *f = *state;
    json_t *j = call(f->st, "GET", "/api/v1/health", 200, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "store"), "persons")),
                     20);
    json_decref(j);
    j = call(f->st, "GET", "/api/v1/persons/3", 200, "Test Zweck");
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 3);
    assert_true(json_is_array(json_object_get(j, "proceedings")));
    assert_true(json_is_array(json_object_get(j, "aliases")));
    assert_non_null(json_string_value(json_object_get(j, "residence_status_label")));
    json_decref(j);
    j = call(f->st, "GET", "/", 200, NULL);
    assert_null(j);
}

static void test_errors(void **state)
{
    struct fixture *f = *state;
    const struct {
        const char *method, *url;
        int status;
        const char *code;
    } cases[] = {{"GET", "/api/v1/persons/999999", 404, "not_found"},
                 {"GET", "/api/v1/persons/abc", 400, "bad_id"},
                 {"GET", "/api/v1/persons/-1", 400, "bad_id"},
                 {"GET", "/api/v1/persons/99999999999999999999", 400, "bad_id"},
                 {"GET", "/api/v1/nothing", 404, "not_found"},
                 {"GET", "/etc/passwd", 404, "not_found"},
                 {"DELETE", "/api/v1/persons/1", 405, "method_not_allowed"},
                 {"POST", "/", 405, "method_not_allowed"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = call(f->st, cases[i].method, cases[i].url, cases[i].status, NULL);
        assert_string_equal(json_string_value(json_object_get(j, "code")), cases[i].code);
        assert_non_null(json_string_value(json_object_get(j, "message")));
        json_decref(j);
    }
    char long_purpose[400];
    memset(long_purpose, 'x', sizeof long_purpose - 1);
    long_purpose[sizeof long_purpose - 1] = '\0';
    json_t *j = call(f->st, "GET", "/api/v1/persons/1", 400, long_purpose);
    json_decref(j);
    /* Latin-1 from a browser is converted, not refused */
    j = call(f->st, "GET", "/api/v1/persons/1", 200,
             "Pr\xfc"
             "fung");
    json_decref(j);
    j = call(f->st, "GET", "/api/v1/persons/1", 400,
             "ctl\x01"
             "x\xff");
    json_decref(j);
}

static void test_list_paging(void **state)
{
    struct fixture *f = *state;
    struct http_request req = {
        .method = "GET", .url = "/api/v1/persons", .query_limit = "5", .query_after = "5"};
    int status = 0;
    const char *ctype = NULL;
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 200);
    json_t *j = json_loadb(body, len, 0, NULL);
    json_t *arr = json_object_get(j, "persons");
    assert_int_equal(json_array_size(arr), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 0), "id")), 6);
    json_decref(j);
    fn_free(body);
    req.query_limit = "0";
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 400);
    fn_free(body);
}

/* The direct writer must produce exactly the document of the jansson tree. */
static void test_writer_matches_tree(void **state)
{
    struct fixture *f = *state;
    struct store_actor a = {.login = "t", .purpose = "Test"};
    for (int64_t id = 1; id <= 20; id++) {
        struct model_person_file *file = NULL;
        assert_int_equal(store_person_get(f->st, &a, id, &file), FN_OK);
        /* a hostile string survives escaping */
        if (id == 1) {
            fn_free(file->person->birth_name);
            file->person->birth_name = fn_strdup("A\"B\\C\nD\x01E – Ümlaut");
        }
        json_t *tree = http_json_person_file(file);
        struct fn_buf out;
        fn_buf_init(&out, FN_BUF_BODY);
        assert_int_equal(http_json_person_file_write(file, &out), FN_OK);
        json_error_t err;
        json_t *parsed = json_loadb(out.data, out.len, 0, &err);
        if (!parsed)
            fail_msg("writer output is not JSON: %s", err.text);
        assert_true(json_equal(tree, parsed));
        json_decref(tree);
        json_decref(parsed);
        fn_buf_free(&out);
        model_person_file_free(file);
    }
}

static void test_assessment_routes(void **state)
{
    struct fixture *f = *state;
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/catalog/initialbewertung.cat", root ? root : ".");
    struct assess_catalog *cat = NULL;
    assert_int_equal(assess_catalog_load(path, &cat, NULL), FN_OK);
    struct http_request req = {.method = "GET", .url = "/api/v1/catalog", .catalog = cat};
    int status = 0;
    const char *ctype = NULL;
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 200);
    json_t *j = json_loadb(body, len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "rules")), cat->nrules);
    json_decref(j);
    fn_free(body);
    req.url = "/api/v1/assessments/5";
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 200);
    j = json_loadb(body, len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "trace")), cat->nrules);
    assert_non_null(json_string_value(json_object_get(j, "priority_band")));
    assert_non_null(strstr(json_string_value(json_object_get(j, "note")), "Entscheidungen"));
    json_decref(j);
    fn_free(body);
    req.url = "/api/v1/worklist";
    req.query_authority = "17";
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 200);
    j = json_loadb(body, len, 0, NULL);
    assert_non_null(j);
    assert_true(json_is_array(json_object_get(j, "entries")));
    json_decref(j);
    fn_free(body);
    req.query_authority = "x";
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 400);
    fn_free(body);
    req.query_authority = NULL;
    req.url = "/api/v1/assessments/999999";
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 404);
    fn_free(body);
    req.catalog = NULL;
    assert_int_equal(http_route(f->st, &req, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 503);
    fn_free(body);
    assess_catalog_free(cat);
}

static int post_decision(struct store *st, const struct assess_catalog *cat, const char *json)
{
    struct http_request req = {.method = "POST",
                               .url = "/api/v1/decisions",
                               .catalog = cat,
                               .body = json,
                               .body_len = strlen(json)};
    int status = 0;
    const char *ctype = NULL;
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(http_route(st, &req, &status, &ctype, &body, &len), FN_OK);
    json_t *j = json_loadb(body, len, 0, NULL);
    assert_non_null(j);
    json_decref(j);
    fn_free(body);
    return status;
}

static void test_decision_route(void **state)
{
    struct fixture *f = *state;
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/catalog/initialbewertung.cat", root ? root : ".");
    struct assess_catalog *cat = NULL;
    assert_int_equal(assess_catalog_load(path, &cat, NULL), FN_OK);
    assert_int_equal(post_decision(f->st, cat, "kein json"), 400);
    assert_int_equal(post_decision(f->st, cat,
                                   "{\"person_id\":3,\"entscheidung\":\"vielleicht\","
                                   "\"begruendung\":\"xxxxxxxxxxxx\",\"kennung\":\"a.becker\"}"),
                     400);
    assert_int_equal(post_decision(f->st, cat,
                                   "{\"person_id\":3,\"entscheidung\":\"ablehnen\","
                                   "\"begruendung\":\"Fallkonferenz: keine Aufnahme\","
                                   "\"kennung\":\"niemand\"}"),
                     403);
    assert_int_equal(post_decision(f->st, cat,
                                   "{\"person_id\":3,\"entscheidung\":\"ablehnen\","
                                   "\"begruendung\":\"kurz\",\"kennung\":\"a.becker\"}"),
                     400); /* assess_reason_check: a malformed request */
    assert_int_equal(post_decision(f->st, cat,
                                   "{\"person_id\":3,\"entscheidung\":\"ablehnen\","
                                   "\"begruendung\":\"          \",\"kennung\":\"a.becker\"}"),
                     400);
    assert_int_equal(post_decision(f->st, cat,
                                   "{\"person_id\":999999,\"entscheidung\":\"ablehnen\","
                                   "\"begruendung\":\"Fallkonferenz: keine Aufnahme\","
                                   "\"kennung\":\"a.becker\"}"),
                     404);
    assert_int_equal(post_decision(f->st, cat,
                                   "{\"person_id\":3,\"entscheidung\":\"ablehnen\","
                                   "\"begruendung\":\"Fallkonferenz: keine Aufnahme\","
                                   "\"kennung\":\"a.becker\"}"),
                     201);
    struct http_request get = {.method = "GET", .url = "/api/v1/decisions", .catalog = cat};
    int status = 0;
    const char *ctype = NULL;
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(http_route(f->st, &get, &status, &ctype, &body, &len), FN_OK);
    assert_int_equal(status, 405);
    fn_free(body);
    assess_catalog_free(cat);
}

static void test_parse_listen(void **state)
{
    (void)state;
    char host[64];
    uint16_t port = 0;
    assert_int_equal(http_parse_listen("127.0.0.1:8080", host, sizeof host, &port), FN_OK);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(http_parse_listen("[::1]:0", host, sizeof host, &port), FN_OK);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 0);
    const char *bad[] = {"8080", "host:", ":80", "h:99999", "h:8o", "[::1]8080"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(http_parse_listen(bad[i], host, sizeof host, &port), FN_INVALID);
}

static void test_remote_refused(void **state)
{
    struct fixture *f = *state;
    struct http_config cfg = {.db_path = f->path, .listen = "0.0.0.0:0"};
    struct http_server *s = NULL;
    char err[256];
    assert_int_equal(http_server_start(&cfg, &s, err, sizeof err), FN_DENIED);
    assert_null(s);
    assert_non_null(strstr(err, "Loopback"));
}

/* ---- request guard (issue 10: CSRF, DNS rebinding, NUL, sizes) ---- */

struct guard_case {
    const char *method, *url, *raw_url, *host, *origin, *sec_fetch_site, *content_type;
    size_t header_bytes;
    int want; /* 0: may be routed */
    const char *code;
};

static void test_request_guard(void **state)
{
    (void)state;
    struct http_allowed_hosts hosts;
    assert_int_equal(http_allowed_hosts_init(&hosts, "127.0.0.1", 8080), FN_OK);
    assert_int_equal(http_allowed_hosts_add(&hosts, "Fallnetz.Example"), FN_OK);
    static char long_url[HTTP_MAX_URL + 8];
    memset(long_url, 'a', sizeof long_url - 1);
    long_url[0] = '/';
    const char *H = "127.0.0.1:8080", *J = "application/json";
    const struct guard_case cases[] = {
        {"GET", "/api/v1/health", "/api/v1/health", H, NULL, NULL, NULL, 200, 0, NULL},
        {"GET", "/", "/", "localhost:8080", NULL, "cross-site", NULL, 0, 0, NULL},
        {"GET", "/", "/", "[::1]:8080", NULL, NULL, NULL, 0, 0, NULL},
        {"GET", "/", "/", "LOCALHOST:8080", NULL, NULL, NULL, 0, 0, NULL},
        {"GET", "/", "/", "fallnetz.example", "https://fallnetz.example", NULL, NULL, 0, 0, NULL},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, "http://127.0.0.1:8080",
         "same-origin", "application/json; charset=utf-8", 0, 0, NULL},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, NULL, "none", J, 0, 0, NULL},
        /* DNS rebinding: the Host is checked on every request */
        {"GET", "/api/v1/health", "/api/v1/health", "evil.example", NULL, NULL, NULL, 0, 403,
         "bad_host"},
        {"GET", "/", "/", "evil.example:8080", NULL, NULL, NULL, 0, 403, "bad_host"},
        {"GET", "/", "/", "127.0.0.1:8081", NULL, NULL, NULL, 0, 403, "bad_host"},
        {"GET", "/", "/", "127.0.0.1", NULL, NULL, NULL, 0, 403, "bad_host"},
        {"GET", "/", "/", NULL, NULL, NULL, NULL, 0, 403, "bad_host"},
        /* CSRF */
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, NULL, NULL, "text/plain", 0, 415,
         "unsupported_media_type"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, NULL, NULL, NULL, 0, 415,
         "unsupported_media_type"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, NULL, NULL, "application/jsonp", 0,
         415, "unsupported_media_type"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, "http://evil.example", NULL, J, 0,
         403, "foreign_origin"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, "http://127.0.0.1:9999", NULL, J, 0,
         403, "foreign_origin"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, "null", NULL, J, 0, 403,
         "foreign_origin"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, "http://127.0.0.1:8080/x", NULL, J, 0,
         403, "foreign_origin"},
        {"POST", "/api/v1/decisions", "/api/v1/decisions", H, NULL, "same-site", J, 0, 403,
         "cross_site"},
        {"GET", "/api/v1/persons/5", "/api/v1/persons/5", H, NULL, "cross-site", NULL, 0, 403,
         "cross_site"},
        {"GET", "/api/v1/persons/5", "/api/v1/persons/5", H, "http://evil.example", NULL, NULL, 0,
         403, "foreign_origin"},
        /* control characters in the URL, decoded or not */
        {"GET", "/api/v1/persons/5", "/api/v1/persons/5%00", H, NULL, NULL, NULL, 0, 400,
         "bad_url"},
        {"GET", "/api/v1/persons/5", "/api/v1/persons/5%0D%0A", H, NULL, NULL, NULL, 0, 400,
         "bad_url"},
        {"GET", "/api/v1/persons", "/api/v1/persons?limit=5%7f", H, NULL, NULL, NULL, 0, 400,
         "bad_url"},
        {"GET", "/api/v1/persons/5\x01", NULL, H, NULL, NULL, NULL, 0, 400, "bad_url"},
        {"GET", "/api/v1/persons/5%00", "/api/v1/persons/5%2500", H, NULL, NULL, NULL, 0, 0, NULL},
        /* sizes */
        {"GET", "/x", long_url, H, NULL, NULL, NULL, 0, 414, "uri_too_long"},
        {"GET", "/x", "/x", H, NULL, NULL, NULL, HTTP_MAX_HEADER_BYTES + 1, 431,
         "header_too_large"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct guard_case *c = &cases[i];
        struct http_request req = {.method = c->method,
                                   .url = c->url,
                                   .raw_url = c->raw_url,
                                   .host = c->host,
                                   .origin = c->origin,
                                   .sec_fetch_site = c->sec_fetch_site,
                                   .content_type = c->content_type,
                                   .header_bytes = c->header_bytes};
        int status = -1;
        char *body = NULL;
        size_t len = 0;
        assert_int_equal(http_request_guard(&hosts, &req, &status, &body, &len), FN_OK);
        if (status != c->want)
            fail_msg("case %zu (%s %s host %s origin %s): status %d, want %d", i, c->method,
                     c->raw_url ? c->raw_url : c->url, c->host ? c->host : "-",
                     c->origin ? c->origin : "-", status, c->want);
        if (c->want) {
            json_t *j = json_loadb(body, len, 0, NULL);
            assert_non_null(j);
            assert_string_equal(json_string_value(json_object_get(j, "code")), c->code);
            assert_non_null(json_string_value(json_object_get(j, "message")));
            json_decref(j);
        } else {
            assert_null(body);
        }
        fn_free(body);
    }
}

static void test_allowed_hosts(void **state)
{
    (void)state;
    struct http_allowed_hosts h;
    assert_int_equal(http_allowed_hosts_init(&h, "::1", 80), FN_OK);
    const char *want[] = {"[::1]:80",  "[::1]",        "localhost:80",
                          "localhost", "127.0.0.1:80", "127.0.0.1"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int found = 0;
        for (size_t k = 0; k < h.count; k++)
            found |= strcmp(h.names[k], want[i]) == 0;
        if (!found)
            fail_msg("%s not allowed", want[i]);
    }
    /* a non-loopback listen address allows only itself */
    assert_int_equal(http_allowed_hosts_init(&h, "10.1.2.3", 8443), FN_OK);
    assert_int_equal(h.count, 1);
    assert_string_equal(h.names[0], "10.1.2.3:8443");
    const char *bad[] = {"",        "evil.example/", "a b",   "host:",     "host:123456",
                         "host:8o", "[::1",          "[]:80", "user@host", ":80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (http_allowed_hosts_add(&h, bad[i]) != FN_INVALID)
            fail_msg("'%s' accepted", bad[i]);
    assert_int_equal(http_allowed_hosts_add(&h, "Proxy.Example:443"), FN_OK);
    assert_string_equal(h.names[1], "proxy.example:443");
    fn_status rc = FN_OK;
    char name[32];
    for (int i = 0; i < HTTP_MAX_ALLOWED + 1 && !rc; i++) {
        snprintf(name, sizeof name, "h%d.example", i);
        rc = http_allowed_hosts_add(&h, name);
    }
    assert_int_equal(rc, FN_TOO_LARGE);
}

/* A store locked by another process answers 503 with Retry-After, never 500
 * (the store waits its busy timeout first). */
static void test_busy_store_is_503(void **state)
{
    struct fixture *f = *state;
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/catalog/initialbewertung.cat", root ? root : ".");
    struct assess_catalog *cat = NULL;
    assert_int_equal(assess_catalog_load(path, &cat, NULL), FN_OK);
    sqlite3 *locker = NULL;
    assert_int_equal(sqlite3_open(f->path, &locker), SQLITE_OK);
    assert_int_equal(sqlite3_exec(locker, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    const char *json = "{\"person_id\":3,\"entscheidung\":\"ablehnen\","
                       "\"begruendung\":\"Fallkonferenz: keine Aufnahme\","
                       "\"kennung\":\"a.becker\"}";
    struct http_request req = {.method = "POST",
                               .url = "/api/v1/decisions",
                               .catalog = cat,
                               .body = json,
                               .body_len = strlen(json)};
    struct http_answer a;
    assert_int_equal(http_answer_request(f->st, &req, &a), FN_OK);
    if (a.status != 503)
        fail_msg("status %d: %s", a.status, a.body);
    assert_int_equal(a.retry_after_s, 2);
    json_t *j = json_loadb(a.body, a.body_len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "code")), "busy");
    json_decref(j);
    fn_free(a.body);
    assert_int_equal(sqlite3_exec(locker, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(locker);
    assert_int_equal(http_answer_request(f->st, &req, &a), FN_OK);
    assert_int_equal(a.status, 201);
    assert_int_equal(a.retry_after_s, 0);
    fn_free(a.body);
    assess_catalog_free(cat);
}

/* One answer through http_answer_request; the caller frees a->body. */
static void answer(struct store *st, const char *method, const char *url, const char *purpose,
                   struct http_answer *a)
{
    struct http_request req = {.method = method, .url = url, .purpose = purpose};
    assert_int_equal(http_answer_request(st, &req, a), FN_OK);
}

/* The route table: 404 for an unknown path whatever the method, 405 with
 * Allow for a known path, HEAD wherever GET, parameters checked before any
 * handler, the OpenAPI document served. */
static void test_route_table_matching(void **state)
{
    struct fixture *f = *state;
    const struct {
        const char *method, *url;
        int status;
        const char *allow;
        const char *code;
    } cases[] = {
        {"DELETE", "/api/v1/persons/1", 405, "GET, HEAD", "method_not_allowed"},
        {"POST", "/api/v1/persons", 405, "GET, HEAD", "method_not_allowed"},
        {"OPTIONS", "/api/v1/health", 405, "GET, HEAD", "method_not_allowed"},
        {"GET", "/api/v1/decisions", 405, "POST", "method_not_allowed"},
        {"HEAD", "/api/v1/decisions", 405, "POST", "method_not_allowed"},
        {"POST", "/", 405, "GET, HEAD", "method_not_allowed"},
        {"POST", "/api/v1/nothing", 404, "", "not_found"},
        {"DELETE", "/api/v2/persons/1", 404, "", "not_found"},
        {"GET", "/api/v1/persons/5/extra", 404, "", "not_found"},
        {"GET", "/api/v1/health/", 404, "", "not_found"},
        {"GET", "/api/v1/persons/", 400, "", "bad_id"},
        {"GET", "/api/v1/persons/0", 400, "", "bad_id"},
        {"GET", "/api/v1/persons/+5", 400, "", "bad_id"},
        {"HEAD", "/api/v1/health", 200, "", NULL},
        {"HEAD", "/api/v1/persons/5", 200, "", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_answer a;
        answer(f->st, cases[i].method, cases[i].url, NULL, &a);
        if (a.status != cases[i].status || strcmp(a.allow, cases[i].allow) != 0)
            fail_msg("%s %s: %d Allow '%s', want %d Allow '%s': %s", cases[i].method, cases[i].url,
                     a.status, a.allow, cases[i].status, cases[i].allow, a.body);
        json_t *j = json_loadb(a.body, a.body_len, 0, NULL);
        assert_non_null(j);
        if (cases[i].code)
            assert_string_equal(json_string_value(json_object_get(j, "code")), cases[i].code);
        json_decref(j);
        fn_free(a.body);
    }
    /* the 405 message names the methods; GET-only keeps its old wording */
    struct http_answer a;
    answer(f->st, "PUT", "/api/v1/worklist", NULL, &a);
    assert_non_null(strstr(a.body, "Diese Schnittstelle erlaubt hier nur GET."));
    fn_free(a.body);
    /* the OpenAPI document: no purpose needed, even a malformed one is not read */
    answer(f->st, "GET", "/api/v1/openapi.json", "ctl\x01x\xff", &a);
    assert_int_equal(a.status, 200);
    assert_int_equal(a.body_len, http_openapi_json_len);
    json_t *doc = json_loadb(a.body, a.body_len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_decref(doc);
    fn_free(a.body);
}

/* Roles are data a later access check reads: names, bits, public routes. */
static void test_route_roles(void **state)
{
    (void)state;
    size_t n = 0;
    const struct http_route *routes = http_routes(&n);
    int seen_person = 0, seen_health = 0;
    for (size_t i = 0; i < n; i++) {
        const struct http_route *r = &routes[i];
        assert_non_null(r->handler);
        assert_non_null(r->summary);
        assert_non_null(r->response_schema);
        /* a public route lists no roles; every other one at least one */
        assert_int_equal(!!(r->flags & HTTP_ROUTE_PUBLIC), r->roles == 0);
        if (strcmp(r->pattern, "/api/v1/persons/{id}") == 0) {
            seen_person = 1;
            assert_true(r->flags & HTTP_ROUTE_PURPOSE);
            assert_true(http_route_allows(r, AUTH_ROLE_SACHBEARBEITUNG));
            assert_true(http_route_allows(r, AUTH_ROLE_STATISTIK | AUTH_ROLE_POLIZEI));
            assert_false(http_route_allows(r, AUTH_ROLE_STATISTIK));
            assert_false(http_route_allows(r, AUTH_ROLE_ADMIN));
            assert_false(http_route_allows(r, 0));
        }
        if (strcmp(r->pattern, "/api/v1/health") == 0) {
            seen_health = 1;
            assert_true(http_route_allows(r, 0));
        }
    }
    assert_true(seen_person && seen_health);
    char allow[HTTP_MAX_ALLOW];
    http_allow_format(HTTP_METHOD_GET | HTTP_METHOD_POST | HTTP_METHOD_DELETE, allow, sizeof allow);
    assert_string_equal(allow, "GET, HEAD, POST, DELETE");
    http_allow_format(HTTP_METHOD_GET | HTTP_METHOD_POST, allow, 8);
    assert_string_equal(allow, "GET, HE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_health_and_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_matches_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assessment_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_route, setup, teardown),
        cmocka_unit_test(test_parse_listen),
        cmocka_unit_test_setup_teardown(test_remote_refused, setup, teardown),
        cmocka_unit_test(test_request_guard),
        cmocka_unit_test(test_allowed_hosts),
        cmocka_unit_test_setup_teardown(test_busy_store_is_503, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_table_matching, setup, teardown),
        cmocka_unit_test(test_route_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
