/*
 * Web sessions in the store (issue 12, store.h store_session_*): lifetimes
 * (idle, absolute), last_seen written at most once per interval, logout,
 * a disabled account or a new password ending every session of the
 * account, an account changed behind a session, two handles on one file
 * seeing each other's sessions at once, pruning, and the audit rows of
 * login and logout (and none per use).
 */
#include "../test_util.h"

#include <sqlite3.h>
#include <time.h>

#include "auth/role.h"
#include "auth/token.h"
#include "core/alloc.h"
#include "store/store.h"

static const struct store_actor sys = {.login = "system:test", .system = 1, .purpose = "Test"};
static const struct store_actor access_actor = {.login = "k.wagner", .purpose = "Zugang"};
#define T0 1700000000

struct fixture {
    char dir[64];
    char path[128];
    struct store *st;
    int64_t org_id, user_id;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_OPEN_CREATE, &f->st), FN_OK);
    assert_int_equal(store_migrate(f->st), FN_OK);
    struct model_org o = {.kind = ORG_ABH, .code = "ABH-1", .name = "Ausländerbehörde"};
    assert_int_equal(store_org_insert(f->st, &o), FN_OK);
    f->org_id = o.id;
    struct model_user u = {.login = "k.wagner",
                           .display_name = "K. Wagner",
                           .roles = AUTH_ROLE_SACHBEARBEITUNG,
                           .org_id = o.id,
                           .active = 1};
    assert_int_equal(store_user_add(f->st, &sys, &u, "hash"), FN_OK);
    f->user_id = u.id;
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

/* Opens a session of the fixture's account at now with idle_s; the digest
 * of a fresh token into digest. */
static void open_session(struct fixture *f, int64_t now, unsigned idle_s,
                         char digest[AUTH_DIGEST_HEX])
{
    char token[AUTH_TOKEN_CHARS + 1];
    assert_int_equal(auth_token_new(token), FN_OK);
    auth_token_digest_hex(token, digest);
    struct store_session s = {.user_id = f->user_id,
                              .org_id = f->org_id,
                              .roles = AUTH_ROLE_SACHBEARBEITUNG,
                              .idle_s = idle_s,
                              .created_at = now,
                              .expires_at = now + 10 * 3600};
    memcpy(s.digest, digest, AUTH_DIGEST_HEX);
    assert_int_equal(store_session_open(f->st, &access_actor, &s, "{\"ereignis\":\"anmeldung\"}"),
                     FN_OK);
    assert_true(s.id > 0);
}

/* One integer from the database through a connection of its own. */
static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_open_and_use(void **state)
{
    struct fixture *f = *state;
    char d[AUTH_DIGEST_HEX];
    open_session(f, T0, 1800, d);
    struct store_session s;
    assert_int_equal(store_session_use(f->st, d, T0 + 10, &s), FN_OK);
    assert_string_equal(s.login, "k.wagner");
    assert_int_equal(s.user_id, f->user_id);
    assert_int_equal(s.org_id, f->org_id);
    assert_int_equal(s.roles, AUTH_ROLE_SACHBEARBEITUNG);
    assert_int_equal(s.created_at, T0);
    assert_int_equal(s.expires_at, T0 + 10 * 3600);
    /* unknown, malformed and NULL digests are no session */
    char other[AUTH_DIGEST_HEX];
    auth_token_digest_hex("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", other);
    assert_int_equal(store_session_use(f->st, other, T0 + 10, &s), FN_NOTFOUND);
    assert_int_equal(store_session_use(f->st, "abc", T0 + 10, &s), FN_NOTFOUND);
    assert_int_equal(store_session_use(f->st, NULL, T0 + 10, &s), FN_NOTFOUND);
    /* only the digest is stored */
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM web_session WHERE length(digest) = 64"),
                     1);
    /* bad rows and actors are refused */
    struct store_session bad = {.user_id = f->user_id,
                                .org_id = f->org_id,
                                .roles = AUTH_ROLE_SACHBEARBEITUNG,
                                .idle_s = 60,
                                .created_at = T0,
                                .expires_at = T0 + 60};
    snprintf(bad.digest, sizeof bad.digest, "%s", "nothex");
    assert_int_equal(store_session_open(f->st, &access_actor, &bad, NULL), FN_INVALID);
    memcpy(bad.digest, other, sizeof bad.digest);
    bad.idle_s = 0;
    assert_int_equal(store_session_open(f->st, &access_actor, &bad, NULL), FN_INVALID);
    bad.idle_s = 60;
    bad.expires_at = T0;
    assert_int_equal(store_session_open(f->st, &access_actor, &bad, NULL), FN_INVALID);
    bad.expires_at = T0 + 60;
    struct store_actor nobody = {.login = "x"}; /* no purpose */
    assert_int_equal(store_session_open(f->st, &nobody, &bad, NULL), FN_DENIED);
    /* the same digest twice is a conflict, never a second session */
    memcpy(bad.digest, d, sizeof bad.digest);
    assert_int_equal(store_session_open(f->st, &access_actor, &bad, NULL), FN_CONFLICT);
}

static void test_lifetimes(void **state)
{
    struct fixture *f = *state;
    char d[AUTH_DIGEST_HEX];
    struct store_session s;
    /* idle: 29 minutes between requests keep it alive, for hours ... */
    open_session(f, T0, 1800, d);
    int64_t t = T0;
    while (t + 29 * 60 < T0 + 10 * 3600) {
        t += 29 * 60;
        assert_int_equal(store_session_use(f->st, d, t, &s), FN_OK);
    }
    /* ... but never past 10 hours */
    assert_int_equal(store_session_use(f->st, d, T0 + 10 * 3600, &s), FN_NOTFOUND);
    /* 30 idle minutes end a session */
    open_session(f, T0, 1800, d);
    assert_int_equal(store_session_use(f->st, d, T0 + 30 * 60 - 1, &s), FN_OK);
    open_session(f, T0, 1800, d);
    assert_int_equal(store_session_use(f->st, d, T0 + 30 * 60, &s), FN_NOTFOUND);
}

/* A busy user writes last_seen once a minute, not once per request; with a
 * short idle period twice per period. */
static void test_touch_throttled(void **state)
{
    struct fixture *f = *state;
    char d[AUTH_DIGEST_HEX];
    struct store_session s;
    open_session(f, T0, 1800, d);
    int64_t writes = 0, last = T0;
    for (int64_t t = T0 + 1; t <= T0 + 600; t++) {
        assert_int_equal(store_session_use(f->st, d, t, &s), FN_OK);
        if (s.last_seen != last) {
            writes++;
            last = s.last_seen;
        }
    }
    assert_int_equal(writes, 10); /* at T0+60, +120, ... +600 */
    assert_int_equal(sql_int(f->path, "SELECT last_seen FROM web_session"), T0 + 600);
    /* idle 10 s: recorded every 5 s, so requests every 4 s keep it alive */
    open_session(f, T0, 10, d);
    for (int64_t t = T0 + 4; t <= T0 + 60; t += 4)
        assert_int_equal(store_session_use(f->st, d, t, &s), FN_OK);
}

static void test_logout_and_account_changes(void **state)
{
    struct fixture *f = *state;
    char d[AUTH_DIGEST_HEX], d2[AUTH_DIGEST_HEX];
    struct store_session s;
    int64_t now = (int64_t)time(NULL);
    open_session(f, now, 1800, d);
    assert_int_equal(store_session_end(f->st, &access_actor, d, now + 1, "{\"x\":1}"), FN_OK);
    assert_int_equal(store_session_use(f->st, d, now + 2, &s), FN_NOTFOUND);
    assert_int_equal(store_session_end(f->st, &access_actor, d, now + 2, "{\"x\":1}"), FN_NOTFOUND);
    assert_int_equal(store_session_end(f->st, &access_actor, "abc", now + 2, NULL), FN_NOTFOUND);
    /* disabling ends every session of the account, for good */
    open_session(f, now, 1800, d);
    open_session(f, now, 1800, d2);
    assert_int_equal(store_user_set_active(f->st, &sys, f->user_id, 0), FN_OK);
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    assert_int_equal(store_session_use(f->st, d2, now + 1, &s), FN_NOTFOUND);
    assert_int_equal(store_user_set_active(f->st, &sys, f->user_id, 1), FN_OK);
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    /* so does a new password; enabling does not */
    open_session(f, now, 1800, d);
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_OK);
    assert_int_equal(store_user_set_active(f->st, &sys, f->user_id, 1), FN_OK);
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_OK);
    assert_int_equal(store_user_set_password(f->st, &sys, f->user_id, "new hash"), FN_OK);
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    /* roles changed behind the session (no store function does that yet):
     * ended, and stays ended when they are changed back */
    open_session(f, now, 1800, d);
    sql_exec(f->path, "UPDATE app_user SET roles = 'sachbearbeitung,koordination'");
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    sql_exec(f->path, "UPDATE app_user SET roles = 'sachbearbeitung'");
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM web_session WHERE ended_at IS NULL"),
                     0);
}

/* Two handles on one file (two servers on one database): a session opened
 * on one is used on the other; ended on the other, the first refuses it at
 * once (no cache). */
static void test_two_handles(void **state)
{
    struct fixture *f = *state;
    struct store *b = NULL;
    assert_int_equal(store_open(f->path, 0, &b), FN_OK);
    char d[AUTH_DIGEST_HEX];
    struct store_session s;
    int64_t now = (int64_t)time(NULL);
    open_session(f, now, 1800, d);
    assert_int_equal(store_session_use(f->st, d, now, &s), FN_OK);
    assert_int_equal(store_session_use(b, d, now + 1, &s), FN_OK);
    assert_int_equal(store_session_end(b, &access_actor, d, now + 2, NULL), FN_OK);
    assert_int_equal(store_session_use(f->st, d, now + 2, &s), FN_NOTFOUND);
    store_close(b);
}

static void test_prune(void **state)
{
    struct fixture *f = *state;
    char live[AUTH_DIGEST_HEX], idle[AUTH_DIGEST_HEX], ended[AUTH_DIGEST_HEX];
    char old[AUTH_DIGEST_HEX];
    int64_t now = (int64_t)time(NULL);
    open_session(f, now, 1800, live);
    open_session(f, now - 100, 60, idle);
    open_session(f, now, 1800, ended);
    assert_int_equal(store_session_end(f->st, &access_actor, ended, now, NULL), FN_OK);
    /* past its absolute end, though used a moment ago */
    open_session(f, now - 11 * 3600, 36000, old);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE web_session SET last_seen = %lld WHERE digest = '%s'",
             (long long)(now - 10), old);
    sql_exec(f->path, sql);
    int64_t removed = -1;
    assert_int_equal(store_session_prune(f->st, now, &removed), FN_OK);
    assert_int_equal(removed, 3);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM web_session"), 1);
    struct store_session s;
    assert_int_equal(store_session_use(f->st, live, now + 1, &s), FN_OK);
    assert_int_equal(store_session_prune(f->st, now, NULL), FN_OK);
}

/* Login and logout are audited; using a session is not. */
static void test_audit_rows(void **state)
{
    struct fixture *f = *state;
    char d[AUTH_DIGEST_HEX];
    struct store_session s;
    int64_t now = (int64_t)time(NULL);
    open_session(f, now, 1800, d);
    for (int i = 0; i < 50; i++)
        assert_int_equal(store_session_use(f->st, d, now + i * 30, &s), FN_OK);
    assert_int_equal(
        store_session_end(f->st, &access_actor, d, now + 1500, "{\"ereignis\":\"abmeldung\"}"),
        FN_OK);
    assert_int_equal(store_audit_flush(f->st), FN_OK);
    assert_int_equal(sql_int(f->path,
                             "SELECT count(*) FROM audit_log WHERE kind = 'zugang' AND entity = "
                             "'zugang' AND details LIKE '%anmeldung%'"),
                     1);
    assert_int_equal(
        sql_int(f->path, "SELECT count(*) FROM audit_log WHERE kind = 'zugang' AND details LIKE "
                         "'%abmeldung%'"),
        1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit_log WHERE kind = 'zugang'"), 2);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_and_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifetimes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touch_throttled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logout_and_account_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
