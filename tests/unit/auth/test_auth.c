/* Unit tests for src/auth: roles, password policy and argon2id hashing,
 * tokens, failed-login throttling, the session table (lifetimes, capacity,
 * tombstone rebuild, concurrent use) and allocation failures. */
#include "../test_util.h"

#include <pthread.h>
#include <string.h>

#include "auth/password.h"
#include "auth/role.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/token.h"
#include "core/alloc.h"

static void test_roles(void **state)
{
    (void)state;
    unsigned roles = 0;
    const char *bad = NULL;
    assert_int_equal(auth_roles_parse("sachbearbeitung, koordination", &roles, &bad), FN_OK);
    assert_int_equal(roles, AUTH_ROLE_SACHBEARBEITUNG | AUTH_ROLE_KOORDINATION);
    char text[128];
    assert_int_equal(auth_roles_format(roles, text, sizeof text), FN_OK);
    assert_string_equal(text, "sachbearbeitung,koordination");
    assert_int_equal(auth_roles_parse("admin,root", &roles, &bad), FN_INVALID);
    assert_string_equal(bad, "root");
    assert_int_equal(auth_roles_parse("", &roles, &bad), FN_INVALID);
    assert_int_equal(auth_roles_parse("zab,", &roles, &bad), FN_INVALID);
    assert_int_equal(auth_roles_parse("Admin", &roles, NULL), FN_INVALID);
    assert_int_equal(auth_roles_parse("adminx", &roles, NULL), FN_INVALID);
    assert_int_equal(auth_roles_parse("statistik statistik", &roles, NULL), FN_INVALID);
    assert_int_equal(auth_roles_format(AUTH_ROLE_ALL, text, 10), FN_TOO_LARGE);
    assert_int_equal(auth_roles_format(1u << 20, text, sizeof text), FN_INVALID);
    for (unsigned i = 0; i < AUTH_ROLE_COUNT; i++) {
        const char *name = auth_role_name(1u << i);
        assert_non_null(name);
        assert_int_equal(auth_roles_parse(name, &roles, NULL), FN_OK);
        assert_int_equal(roles, 1u << i);
    }
    assert_null(auth_role_name(3));
    assert_int_equal(AUTH_ROLES_DECIDE & AUTH_ROLE_DATENSCHUTZ, 0);
}

static void test_password_policy(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_int_equal(auth_password_check_policy("kurz", &why), FN_INVALID);
    assert_non_null(why);
    /* 11 characters, 22 bytes: characters count, not bytes */
    assert_int_equal(auth_password_check_policy("äöüäöüäöüäö", &why), FN_INVALID);
    assert_int_equal(auth_password_check_policy("äöüäöüäöüäöx", &why), FN_OK);
    assert_null(why);
    assert_int_equal(auth_password_check_policy("aaaaaaaaaaaaaaaa", &why), FN_INVALID);
    assert_int_equal(auth_password_check_policy("Sommer2026 ist lang", NULL), FN_OK);
    assert_int_equal(auth_password_check_policy("abcdefghijk\x01l", &why), FN_INVALID);
    assert_int_equal(auth_password_check_policy("abcdefghijkl\xc3", &why), FN_INVALID);
    char long_pw[AUTH_PASSWORD_MAX_BYTES + 2];
    memset(long_pw, 'x', sizeof long_pw - 1);
    long_pw[sizeof long_pw - 1] = '\0';
    long_pw[0] = 'y';
    assert_int_equal(auth_password_check_policy(long_pw, &why), FN_INVALID);
}

static void test_password_hash_and_verify(void **state)
{
    (void)state;
    char hash[AUTH_PASSWORD_HASH_MAX];
    assert_int_equal(auth_password_hash("richtiges Pferd Batterie", hash), FN_OK);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_null(strstr(hash, "Pferd"));
    assert_true(auth_password_verify(hash, "richtiges Pferd Batterie"));
    assert_false(auth_password_verify(hash, "richtiges Pferd BatteriE"));
    assert_false(auth_password_verify(hash, ""));
    assert_false(auth_password_needs_rehash(hash));
    char other[AUTH_PASSWORD_HASH_MAX];
    assert_int_equal(auth_password_hash("richtiges Pferd Batterie", other), FN_OK);
    assert_string_not_equal(hash, other); /* salted */
    assert_false(auth_password_verify("kein hash", "richtiges Pferd Batterie"));
    assert_false(auth_password_verify("", ""));
    auth_password_verify_dummy("irgendein Passwort"); /* must not crash or match */
    char long_pw[AUTH_PASSWORD_MAX_BYTES + 2];
    memset(long_pw, 'x', sizeof long_pw - 1);
    long_pw[sizeof long_pw - 1] = '\0';
    assert_int_equal(auth_password_hash(long_pw, other), FN_INVALID);
    assert_false(auth_password_verify(hash, long_pw));
}

static void test_tokens(void **state)
{
    (void)state;
    char a[AUTH_TOKEN_CHARS + 1], b[AUTH_TOKEN_CHARS + 1];
    assert_int_equal(auth_token_new(a), FN_OK);
    assert_int_equal(auth_token_new(b), FN_OK);
    assert_int_equal(strlen(a), AUTH_TOKEN_CHARS);
    assert_true(auth_token_well_formed(a));
    assert_string_not_equal(a, b);
    assert_true(auth_token_equal(a, a));
    assert_false(auth_token_equal(a, b));
    assert_false(auth_token_equal(a, ""));
    char hex[AUTH_DIGEST_HEX], hex2[AUTH_DIGEST_HEX];
    auth_token_digest_hex(a, hex);
    auth_token_digest_hex(a, hex2);
    assert_int_equal(strlen(hex), 64);
    assert_string_equal(hex, hex2);
    assert_false(auth_token_well_formed(""));
    assert_false(auth_token_well_formed("abc"));
    char bad[AUTH_TOKEN_CHARS + 1];
    memcpy(bad, a, sizeof bad);
    bad[5] = '+';
    assert_false(auth_token_well_formed(bad));
    char longer[AUTH_TOKEN_CHARS + 2];
    memcpy(longer, a, AUTH_TOKEN_CHARS);
    longer[AUTH_TOKEN_CHARS] = 'A';
    longer[AUTH_TOKEN_CHARS + 1] = '\0';
    assert_false(auth_token_well_formed(longer));
}

static void test_throttle_backoff_and_lockout(void **state)
{
    (void)state;
    struct auth_throttle *t = NULL;
    assert_int_equal(auth_throttle_new(8, &auth_throttle_login_policy, &t), FN_OK);
    int64_t now = 1000000;
    int locked = 0;
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now, &locked), 0);
    for (int i = 0; i < 3; i++)
        assert_false(auth_throttle_failure(t, "k.wagner", now));
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now, &locked), 0); /* 3 free */
    assert_false(auth_throttle_failure(t, "k.wagner", now));
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now, &locked), 1);
    assert_false(locked);
    assert_false(auth_throttle_failure(t, "k.wagner", now + 1));
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now + 1, &locked), 2);
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now + 3, &locked), 0);
    /* other keys are not affected */
    assert_int_equal(auth_throttle_wait(t, "a.other", now + 1, &locked), 0);
    int locks = 0;
    for (int i = 0; i < 5; i++)
        locks += auth_throttle_failure(t, "k.wagner", now + 10 + i);
    assert_int_equal(locks, 1); /* the 10th failure locks */
    unsigned w = auth_throttle_wait(t, "k.wagner", now + 20, &locked);
    assert_true(locked);
    assert_true(w > 800 && w <= 900);
    /* a success does not end a lock by itself here: the caller never tries
     * while locked; after the lock and the window the key is clean again */
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now + 14 + 900 + 900, &locked), 0);
    assert_false(locked);
    assert_false(auth_throttle_failure(t, "k.wagner", now + 14 + 1800));
    assert_int_equal(auth_throttle_wait(t, "k.wagner", now + 14 + 1800, &locked), 0);
    /* success clears */
    for (int i = 0; i < 6; i++)
        (void)auth_throttle_failure(t, "x.y", now);
    assert_true(auth_throttle_wait(t, "x.y", now, NULL) > 0);
    auth_throttle_success(t, "x.y");
    assert_int_equal(auth_throttle_wait(t, "x.y", now, NULL), 0);
    /* a full table makes room by dropping the oldest, never a locked key */
    for (int i = 0; i < 10; i++)
        (void)auth_throttle_failure(t, "locked.one", now + 5000);
    assert_true(auth_throttle_wait(t, "locked.one", now + 5001, &locked) > 0);
    char key[32];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "spray-%d", i);
        (void)auth_throttle_failure(t, key, now + 5002 + i);
    }
    assert_true(auth_throttle_wait(t, "locked.one", now + 5050, &locked) > 0);
    assert_true(locked);
    auth_throttle_free(t);
    auth_throttle_free(NULL);
    struct auth_throttle_policy none = {0};
    assert_int_equal(auth_throttle_new(8, &none, &t), FN_INVALID);
}

static struct auth_principal principal(int64_t id, const char *login)
{
    struct auth_principal p = {.user_id = id, .org_id = 7, .roles = AUTH_ROLE_SACHBEARBEITUNG};
    snprintf(p.login, sizeof p.login, "%s", login);
    return p;
}

static void test_session_lifetimes(void **state)
{
    (void)state;
    struct auth_sessions *s = NULL;
    assert_int_equal(auth_sessions_new(100, 0, 0, &s), FN_OK);
    struct auth_principal who = principal(5, "k.wagner");
    char token[AUTH_TOKEN_CHARS + 1], csrf[AUTH_TOKEN_CHARS + 1];
    int64_t t0 = 1700000000;
    assert_int_equal(auth_session_open(s, &who, t0, token, csrf), FN_OK);
    assert_string_not_equal(token, csrf);
    struct auth_session_view v;
    assert_int_equal(auth_session_touch(s, token, t0 + 10, &v), FN_OK);
    assert_string_equal(v.who.login, "k.wagner");
    assert_int_equal(v.who.user_id, 5);
    assert_string_equal(v.csrf, csrf);
    assert_int_equal(auth_session_touch(s, csrf, t0 + 10, NULL), FN_NOTFOUND);
    assert_int_equal(auth_session_touch(s, "nonsense", t0 + 10, NULL), FN_NOTFOUND);
    assert_int_equal(auth_session_touch(s, NULL, t0 + 10, NULL), FN_NOTFOUND);
    /* idle: 29 minutes between requests keep it alive, for hours ... */
    int64_t t = t0 + 10;
    while (t + 29 * 60 < t0 + 10 * 3600 - 60) {
        t += 29 * 60;
        assert_int_equal(auth_session_touch(s, token, t, NULL), FN_OK);
    }
    /* ... but never past 10 hours */
    assert_int_equal(auth_session_touch(s, token, t0 + 10 * 3600, NULL), FN_NOTFOUND);
    assert_int_equal(auth_sessions_count(s), 0);
    /* 30 idle minutes end a session */
    assert_int_equal(auth_session_open(s, &who, t0, token, csrf), FN_OK);
    assert_int_equal(auth_session_touch(s, token, t0 + 30 * 60, NULL), FN_NOTFOUND);
    /* logout */
    assert_int_equal(auth_session_open(s, &who, t0, token, csrf), FN_OK);
    assert_int_equal(auth_session_close(s, token), FN_OK);
    assert_int_equal(auth_session_close(s, token), FN_NOTFOUND);
    assert_int_equal(auth_session_touch(s, token, t0 + 1, NULL), FN_NOTFOUND);
    auth_sessions_free(s);
    auth_sessions_free(NULL);
}

static void test_session_capacity_and_users(void **state)
{
    (void)state;
    struct auth_sessions *s = NULL;
    assert_int_equal(auth_sessions_new(50, 60, 3600, &s), FN_OK);
    static char tokens[50][AUTH_TOKEN_CHARS + 1];
    char csrf[AUTH_TOKEN_CHARS + 1], extra[AUTH_TOKEN_CHARS + 1];
    int64_t t0 = 1700000000;
    for (int i = 0; i < 50; i++) {
        struct auth_principal who = principal(i % 5, "user");
        assert_int_equal(auth_session_open(s, &who, t0, tokens[i], csrf), FN_OK);
    }
    struct auth_principal who = principal(99, "late");
    assert_int_equal(auth_session_open(s, &who, t0 + 1, extra, csrf), FN_TOO_LARGE);
    assert_int_equal(auth_sessions_close_user(s, 3), 10);
    assert_int_equal(auth_sessions_count(s), 40);
    for (int i = 0; i < 50; i++)
        assert_int_equal(auth_session_touch(s, tokens[i], t0 + 2, NULL),
                         i % 5 == 3 ? FN_NOTFOUND : FN_OK);
    /* many logins and expiries: tombstones are swept, lookups stay right */
    for (int round = 0; round < 40; round++) {
        int64_t now = t0 + 100 + round * 120; /* everything older is idle */
        for (int i = 0; i < 50; i++) {
            struct auth_principal w = principal(round * 100 + i, "user");
            assert_int_equal(auth_session_open(s, &w, now, tokens[i], csrf), FN_OK);
        }
        for (int i = 0; i < 50; i++) {
            struct auth_session_view v;
            assert_int_equal(auth_session_touch(s, tokens[i], now + 1, &v), FN_OK);
            assert_int_equal(v.who.user_id, round * 100 + i);
        }
        for (int i = 0; i < 25; i++)
            assert_int_equal(auth_session_close(s, tokens[i]), FN_OK);
    }
    auth_sessions_free(s);
    assert_int_equal(auth_sessions_new(0, 0, 0, &s), FN_INVALID);
}

struct worker {
    struct auth_sessions *s;
    int id;
    int failures;
};

static void *session_worker(void *arg)
{
    struct worker *w = arg;
    char token[AUTH_TOKEN_CHARS + 1], csrf[AUTH_TOKEN_CHARS + 1];
    for (int i = 0; i < 2000; i++) {
        struct auth_principal who = principal(w->id * 10000 + i, "t");
        if (auth_session_open(w->s, &who, 1700000000, token, csrf) != FN_OK) {
            w->failures++;
            continue;
        }
        struct auth_session_view v;
        if (auth_session_touch(w->s, token, 1700000001, &v) != FN_OK ||
            v.who.user_id != who.user_id || !auth_token_equal(v.csrf, csrf))
            w->failures++;
        if (auth_session_close(w->s, token) != FN_OK)
            w->failures++;
    }
    return NULL;
}

static void test_sessions_concurrent(void **state)
{
    (void)state;
    struct auth_sessions *s = NULL;
    assert_int_equal(auth_sessions_new(64, 0, 0, &s), FN_OK);
    pthread_t th[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){.s = s, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, session_worker, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    assert_int_equal(auth_sessions_count(s), 0);
    auth_sessions_free(s);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    for (long n = 0; n < 3; n++) {
        struct auth_sessions *s = NULL;
        struct auth_throttle *t = NULL;
        fn_alloc_fail_after(n, 0);
        fn_status a = auth_sessions_new(10, 0, 0, &s);
        fn_alloc_fail_reset();
        fn_alloc_fail_after(n, 0);
        fn_status b = auth_throttle_new(10, &auth_throttle_address_policy, &t);
        fn_alloc_fail_reset();
        assert_true(a == FN_OK || a == FN_NOMEM);
        assert_true(b == FN_OK || b == FN_NOMEM);
        assert_true((a == FN_OK) == (s != NULL));
        assert_true((b == FN_OK) == (t != NULL));
        auth_sessions_free(s);
        auth_throttle_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_password_hash_and_verify),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_throttle_backoff_and_lockout),
        cmocka_unit_test(test_session_lifetimes),
        cmocka_unit_test(test_session_capacity_and_users),
        cmocka_unit_test(test_sessions_concurrent),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
