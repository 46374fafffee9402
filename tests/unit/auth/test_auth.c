/* Unit tests for src/auth: roles, password policy and argon2id hashing,
 * tokens, failed-login throttling, the sessions' CSRF tokens and allocation
 * failures. (Session lifetimes: tests/unit/store/test_session.c.) */
#include "../test_util.h"

#include <sodium.h>
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

/* The CSRF token of a session: a token's shape, the same for the same
 * cookie on every server (the function of the cookie alone), another for
 * another cookie, and neither the cookie nor its stored digest. */
static void test_session_csrf(void **state)
{
    (void)state;
    char token[AUTH_TOKEN_CHARS + 1], other[AUTH_TOKEN_CHARS + 1];
    char csrf[AUTH_TOKEN_CHARS + 1], again[AUTH_TOKEN_CHARS + 1], csrf2[AUTH_TOKEN_CHARS + 1];
    assert_int_equal(auth_token_new(token), FN_OK);
    assert_int_equal(auth_token_new(other), FN_OK);
    auth_session_csrf(token, csrf);
    auth_session_csrf(token, again);
    auth_session_csrf(other, csrf2);
    assert_true(auth_token_well_formed(csrf));
    assert_string_equal(csrf, again);
    assert_string_not_equal(csrf, csrf2);
    assert_string_not_equal(csrf, token);
    char digest[AUTH_DIGEST_HEX], csrf_hex[AUTH_DIGEST_HEX];
    auth_token_digest_hex(token, digest);
    unsigned char raw[AUTH_TOKEN_DIGEST];
    size_t n = 0;
    assert_int_equal(sodium_base642bin(raw, sizeof raw, csrf, strlen(csrf), NULL, &n, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    assert_int_equal(n, sizeof raw);
    sodium_bin2hex(csrf_hex, sizeof csrf_hex, raw, sizeof raw);
    assert_string_not_equal(csrf_hex, digest); /* keyed: the stored digest is no CSRF token */
    /* a fixed vector (Python: blake2b(b"A" * 43, digest_size=32, key=b"fallnetz csrf v1"
     * padded with zeros to 32 bytes), so that servers of different releases
     * on one database agree */
    auth_session_csrf("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", csrf);
    assert_string_equal(csrf, "qYa5UMVNldPYy2aUSBGGW7c2FUH3vdvV-crXqfXPOMA");
}

static void test_allocation_failures(void **state)
{
    (void)state;
    for (long n = 0; n < 3; n++) {
        struct auth_throttle *t = NULL;
        fn_alloc_fail_after(n, 0);
        fn_status b = auth_throttle_new(10, &auth_throttle_address_policy, &t);
        fn_alloc_fail_reset();
        assert_true(b == FN_OK || b == FN_NOMEM);
        assert_true((b == FN_OK) == (t != NULL));
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
        cmocka_unit_test(test_session_csrf),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
