/*
 * Web sessions in the store (issue 12, store.h store_session_*): lifetimes
 * (idle, absolute), last_seen written at most once per interval, logout,
 * a disabled account or a new password ending every session of the
 * account, an account changed behind a session, two handles on one file
 * seeing each other's sessions at once, pruning, and the audit rows of
 * login and logout (and none per use).
 */
#include "test_db.h"

#include <pthread.h>

#include <time.h>

#include "auth/role.h"
#include "auth/token.h"
#include "core/alloc.h"
#include "store/store.h"

static const struct store_actor sys = {.login = "system:test", .system = 1, .purpose = "Test"};
static const struct store_actor access_actor = {.login = "k.wagner", .purpose = "Zugang"};
#define T0 1700000000

struct fixture {
    struct test_db db;
    struct store *st;
    int64_t org_id, user_id;
};

static int setup(void **state)
{
    struct test_db db;
    test_db_fresh(&db); /* first: it may skip */
    struct fixture *f = calloc(1, sizeof *f);
    f->db = db;
    assert_int_equal(store_open(f->db.path, STORE_OPEN_CREATE, &f->st), FN_OK);
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
    test_db_drop(&f->db);
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
    assert_int_equal(
        test_db_int(f->db.path, "SELECT count(*) FROM web_session WHERE length(digest) = 64"), 1);
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
    assert_int_equal(test_db_int(f->db.path, "SELECT last_seen FROM web_session"), T0 + 600);
    /* idle 10 s: recorded every 5 s, so requests every 4 s keep it alive */
    open_session(f, T0, 10, d);
    for (int64_t t = T0 + 4; t <= T0 + 60; t += 4)
        assert_int_equal(store_session_use(f->st, d, t, &s), FN_OK);
}

/* Seconds since an arbitrary start (for "did not wait"). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Releases the lock after 3 s: a touch that waited would take that long
 * (and not hang the test). */
static void *unlock_later(void *arg)
{
    struct timespec ts = {3, 0};
    nanosleep(&ts, NULL);
    test_db_unlock(arg);
    return NULL;
}

/* Using a session while another connection holds a write lock does not
 * wait for it (SQLite: busy timeout 0 for the touch; PostgreSQL: NOWAIT
 * row lock and lock_timeout): the request goes on, last_seen is written
 * by a later request. PostgreSQL: both a locked row and a locked table. */
static void test_touch_does_not_wait(void **state)
{
    struct fixture *f = *state;
    char d[AUTH_DIGEST_HEX];
    struct store_session s;
    open_session(f, T0, 1800, d);
    static const char *const locks[] = {"UPDATE web_session SET idle_s = idle_s",
                                        "LOCK TABLE web_session IN EXCLUSIVE MODE"};
    int rounds = f->db.pg_name[0] ? 2 : 1;
    int64_t last = T0;
    for (int i = 0; i < rounds; i++) {
        int64_t t = last + 120;
        struct test_db_lock l;
        test_db_lock(&f->db, &l, locks[i]);
        pthread_t unlocker;
        assert_int_equal(pthread_create(&unlocker, NULL, unlock_later, &l), 0);
        double start = now_s();
        assert_int_equal(store_session_use(f->st, d, t, &s), FN_OK);
        double waited = now_s() - start;
        pthread_join(unlocker, NULL);
        assert_true(waited < 2.0); /* the busy timeout is 10 s; PostgreSQL's default: forever */
        assert_int_equal(s.last_seen, last);
        assert_int_equal(test_db_int(f->db.path, "SELECT last_seen FROM web_session"), last);
        assert_int_equal(store_session_use(f->st, d, t + 1, &s), FN_OK);
        assert_int_equal(s.last_seen, t + 1);
        last = t + 1;
    }
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
    test_db_exec(f->db.path, "UPDATE app_user SET roles = 'sachbearbeitung,koordination'");
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    test_db_exec(f->db.path, "UPDATE app_user SET roles = 'sachbearbeitung'");
    assert_int_equal(store_session_use(f->st, d, now + 1, &s), FN_NOTFOUND);
    assert_int_equal(
        test_db_int(f->db.path, "SELECT count(*) FROM web_session WHERE ended_at IS NULL"), 0);
}

/* Two handles on one file (two servers on one database): a session opened
 * on one is used on the other; ended on the other, the first refuses it at
 * once (no cache). */
static void test_two_handles(void **state)
{
    struct fixture *f = *state;
    struct store *b = NULL;
    assert_int_equal(store_open(f->db.path, 0, &b), FN_OK);
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
    test_db_exec(f->db.path, sql);
    int64_t removed = -1;
    assert_int_equal(store_session_prune(f->st, now, &removed), FN_OK);
    assert_int_equal(removed, 3);
    assert_int_equal(test_db_int(f->db.path, "SELECT count(*) FROM web_session"), 1);
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
    assert_int_equal(
        test_db_int(f->db.path, "SELECT count(*) FROM audit_log WHERE kind = 'zugang' AND entity = "
                                "'zugang' AND details LIKE '%anmeldung%'"),
        1);
    assert_int_equal(
        test_db_int(f->db.path,
                    "SELECT count(*) FROM audit_log WHERE kind = 'zugang' AND details LIKE "
                    "'%abmeldung%'"),
        1);
    assert_int_equal(
        test_db_int(f->db.path, "SELECT count(*) FROM audit_log WHERE kind = 'zugang'"), 2);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(f->st, &rep), FN_OK);
}

int main(void)
{
    if (test_db_unavailable())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_and_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifetimes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touch_throttled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touch_does_not_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logout_and_account_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
