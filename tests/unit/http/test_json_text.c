/* Unit tests for src/http with hostile text: a long multi-byte name and a
 * name with malformed UTF-8 must not break the person list (issue 10: a
 * name cut inside a character answered 500 for the whole page). */
#include "../test_util.h"

#include <jansson.h>
#include <sqlite3.h>

#include "core/alloc.h"
#include "auth/role.h"
#include "core/utf8.h"
#include "http/server.h"
#include "store/store.h"

/* The persons are written as the import would (a system job); they are read
 * through the API by a sachbearbeitung of their own authority, the only one
 * whose need-to-know covers them (issue 11, docs/access.md). */
static const struct store_actor importer = {
    .login = "system:test", .system = 1, .purpose = "Unit-Test"};

/* GET url as a sachbearbeitung of the authority org_id, expecting 200 and a
 * JSON body; returns the parsed body. */
static json_t *get_ok(struct store *st, int64_t org_id, const char *url)
{
    const struct http_caller caller = {
        .kind = HTTP_CALLER_SESSION,
        .who = {
            .user_id = 1, .login = "tester", .org_id = org_id, .roles = AUTH_ROLE_SACHBEARBEITUNG}};
    struct http_request req = {
        .method = "GET", .url = url, .purpose = "Aktenbearbeitung", .caller = &caller};
    int status = 0;
    const char *ctype = NULL;
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(http_route(st, &req, &status, &ctype, &body, &len), FN_OK);
    if (status != 200)
        fail_msg("GET %s: status %d: %s", url, status, body);
    assert_true(fn_utf8_valid(body, len, NULL));
    json_error_t err;
    json_t *j = json_loadb(body, len, 0, &err);
    assert_non_null(j);
    fn_free(body);
    return j;
}

static void test_person_list_with_hostile_names(void **state)
{
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/n.db", dir);
    struct store *st = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    struct model_region region = {.code = "R", .name = "Region"};
    assert_int_equal(store_region_insert(st, &region), FN_OK);
    struct model_org abh = {
        .kind = ORG_ABH, .code = "ABH-1", .name = "ABH-1", .region_id = region.id};
    assert_int_equal(store_org_insert(st, &abh), FN_OK);
    char long_name[256];
    for (int i = 0; i < 100; i++)
        memcpy(long_name + 2 * i, "ä", 2); /* 200 bytes, cut at 95 before */
    long_name[200] = '\0';
    const char *names[] = {long_name, "Normal", "Kaputt"};
    for (int i = 0; i < 3; i++) {
        struct model_person *p = model_person_new();
        char rid[16];
        snprintf(rid, sizeof rid, "H%d", i);
        p->record_id = fn_strdup(rid);
        p->family_name = fn_strdup(names[i]);
        p->given_names = fn_strdup(names[i]);
        p->authority_id = abh.id;
        assert_int_equal(store_person_insert(st, &importer, p), FN_OK);
        model_person_free(p);
    }
    /* Malformed UTF-8 that reached the database around the import. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE person SET family_name = CAST(X'4B61FF7574' AS TEXT)"
                                  " WHERE record_id = 'H2'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    json_t *j = get_ok(st, abh.id, "/api/v1/persons");
    json_t *items = json_object_get(j, "persons");
    assert_true(json_is_array(items));
    assert_int_equal(json_array_size(items), 3);
    const char *cut = json_string_value(json_object_get(json_array_get(items, 0), "family_name"));
    assert_non_null(cut);
    assert_true(strlen(cut) > 0 && strlen(cut) < 96);
    assert_int_equal(strlen(cut) % 2, 0); /* whole 'ä's */
    assert_memory_equal(cut, long_name, strlen(cut));
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "family_name")),
                        "Normal");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 2), "family_name")),
                        "Ka\xef\xbf\xbdut");
    json_decref(j);

    /* The person's file shows the name whole, and the bad one replaced. */
    j = get_ok(st, abh.id, "/api/v1/persons/1");
    assert_string_equal(json_string_value(json_object_get(j, "family_name")), long_name);
    json_decref(j);
    j = get_ok(st, abh.id, "/api/v1/persons/3");
    assert_string_equal(json_string_value(json_object_get(j, "family_name")), "Ka\xef\xbf\xbdut");
    json_decref(j);
    store_close(st);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_list_with_hostile_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
