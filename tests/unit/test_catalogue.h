/*
 * test_catalogue.h – puts a catalogue in force in a test database (issue
 * 13): assessments and decisions are stored only with the approved
 * catalogue, so a test that stores them approves one first, the way an
 * installation does: two admin accounts (made on first use in the first
 * organisation of the database) propose and approve the text.
 */
#ifndef FN_TEST_CATALOGUE_H
#define FN_TEST_CATALOGUE_H

#include "test_util.h"

#include "auth/role.h"
#include "store/store.h"

static fn_status test_catalogue_first_org(void *ctx, const struct model_org *o,
                                          const char *region_code)
{
    (void)region_code;
    int64_t *id = ctx;
    if (!*id)
        *id = o->id;
    return FN_OK;
}

/* The admin account login (made when missing) as an actor into *a. */
static inline void test_catalogue_admin(struct store *st, const char *login, struct store_actor *a)
{
    struct model_user u = {0};
    if (store_user_find(st, login, &u) == FN_NOTFOUND) {
        int64_t org = 0;
        assert_int_equal(store_org_each(st, test_catalogue_first_org, &org), FN_OK);
        if (!org) {
            struct model_region r = {.code = (char *)"T", .name = (char *)"Testregion"};
            assert_int_equal(store_region_insert(st, &r), FN_OK);
            struct model_org o = {.kind = ORG_MINISTRY,
                                  .code = (char *)"TESTORG",
                                  .name = (char *)"Testbehörde",
                                  .region_id = r.id};
            assert_int_equal(store_org_insert(st, &o), FN_OK);
            org = o.id;
        }
        struct store_actor sys = {.login = "test", .system = 1, .purpose = "Testaufbau"};
        struct model_user add = {.login = (char *)login,
                                 .display_name = (char *)"Test-Admin",
                                 .roles = AUTH_ROLE_ADMIN,
                                 .org_id = org,
                                 .active = 1};
        assert_int_equal(store_user_add(st, &sys, &add, NULL), FN_OK);
        assert_int_equal(store_user_find(st, login, &u), FN_OK);
    }
    static char logins[2][64];
    static int next;
    char *keep = logins[next++ % 2];
    snprintf(keep, 64, "%s", login);
    *a = (struct store_actor){.user_id = u.id,
                              .login = keep,
                              .org_id = u.org_id,
                              .roles = u.roles,
                              .purpose = "Katalogfreigabe (Test)"};
    model_user_clear(&u);
}

/* Proposes text (as test.admin1) and approves it (as test.admin2), so it is
 * the catalogue in force; sha receives its SHA-256. Text already stored is
 * approved again unless it is in force. */
static inline void test_catalogue_approve(struct store *st, const char *text, char sha[65])
{
    struct store_actor one, two;
    test_catalogue_admin(st, "test.admin1", &one);
    test_catalogue_admin(st, "test.admin2", &two);
    struct store_catalogue c = {.text = (char *)text};
    snprintf(c.name, sizeof c.name, "Testkatalog");
    snprintf(c.version, sizeof c.version, "test");
    fn_status rc = store_catalogue_propose(st, &one, &c);
    if (rc != FN_CONFLICT)
        assert_int_equal(rc, FN_OK);
    rc = store_catalogue_approve(st, &two, c.sha256, NULL);
    if (rc != FN_CONFLICT)
        assert_int_equal(rc, FN_OK);
    snprintf(sha, 65, "%s", c.sha256);
}

#endif
