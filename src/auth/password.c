/* password.c – argon2id password hashing and the password policy (password.h). */
#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "auth/token.h"
#include "core/utf8.h"

#define PW_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_STRBYTES <= AUTH_PASSWORD_HASH_MAX, "hash buffer too small");

fn_status auth_password_check_policy(const char *password, const char **why)
{
    const char *reason = NULL;
    size_t len = strlen(password);
    if (len > AUTH_PASSWORD_MAX_BYTES) {
        reason = "Das Passwort ist länger als 1024 Byte.";
        goto out;
    }
    if (!fn_utf8_valid(password, len, NULL)) {
        reason = "Das Passwort ist kein gültiger UTF-8-Text.";
        goto out;
    }
    size_t chars = 0, distinct_first = 0;
    uint32_t first = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = fn_utf8_decode(password + i, len - i, &cp);
        if (!n || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            reason = "Das Passwort enthält ein Steuerzeichen.";
            goto out;
        }
        if (chars == 0)
            first = cp;
        else if (cp != first)
            distinct_first = 1;
        chars++;
        i += n;
    }
    if (chars < AUTH_PASSWORD_MIN_CHARS) {
        reason = "Das Passwort muss mindestens 12 Zeichen lang sein.";
        goto out;
    }
    if (!distinct_first)
        reason = "Das Passwort besteht nur aus einem wiederholten Zeichen.";
out:
    if (why)
        *why = reason;
    return reason ? FN_INVALID : FN_OK;
}

fn_status auth_password_hash(const char *password, char out[AUTH_PASSWORD_HASH_MAX])
{
    out[0] = '\0';
    size_t len = strlen(password);
    if (len > AUTH_PASSWORD_MAX_BYTES)
        return FN_INVALID;
    if (!auth_sodium_init())
        return FN_INTERNAL;
    if (crypto_pwhash_str(out, password, len, PW_OPSLIMIT, PW_MEMLIMIT) != 0) {
        out[0] = '\0';
        return FN_NOMEM; /* the only documented cause: the memory limit */
    }
    return FN_OK;
}

int auth_password_verify(const char *hash, const char *password)
{
    size_t len = strlen(password);
    if (len > AUTH_PASSWORD_MAX_BYTES || !auth_sodium_init())
        return 0;
    if (strnlen(hash, AUTH_PASSWORD_HASH_MAX) >= AUTH_PASSWORD_HASH_MAX)
        return 0;
    return crypto_pwhash_str_verify(hash, password, len) == 0;
}

/* A hash of a random text, made once per process (pthread_once), that no
 * password matches. */
static char dummy_hash[AUTH_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    unsigned char random[16];
    char text[33];
    randombytes_buf(random, sizeof random);
    sodium_bin2hex(text, sizeof text, random, sizeof random);
    if (crypto_pwhash_str(dummy_hash, text, strlen(text), PW_OPSLIMIT, PW_MEMLIMIT) != 0)
        dummy_hash[0] = '\0';
}

void auth_password_verify_dummy(const char *password)
{
    if (!auth_sodium_init())
        return;
    pthread_once(&dummy_once, make_dummy_hash);
    if (dummy_hash[0])
        (void)auth_password_verify(dummy_hash, password);
}

int auth_password_needs_rehash(const char *hash)
{
    if (!auth_sodium_init())
        return 0;
    return crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT, PW_MEMLIMIT) != 0;
}
