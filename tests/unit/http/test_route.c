/* Unit tests for src/http: router responses (no network), JSON shape,
 * listen-address parsing. */
#include "../test_util.h"

#include <jansson.h>

#include "core/alloc.h"
#include "demo/demo.h"
#include "http/json.h"
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
                     422);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
