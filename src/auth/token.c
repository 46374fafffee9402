/* token.c – random tokens and their digests (token.h). */
#include "auth/token.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ready;

static void init_sodium(void)
{
    sodium_ready = sodium_init() >= 0;
}

int auth_sodium_init(void)
{
    pthread_once(&sodium_once, init_sodium);
    return sodium_ready;
}

fn_status auth_token_new(char out[AUTH_TOKEN_CHARS + 1])
{
    unsigned char random[32];
    out[0] = '\0';
    if (!auth_sodium_init())
        return FN_INTERNAL;
    randombytes_buf(random, sizeof random);
    _Static_assert(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
                       AUTH_TOKEN_CHARS + 1,
                   "token length");
    sodium_bin2base64(out, AUTH_TOKEN_CHARS + 1, random, sizeof random,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(random, sizeof random);
    return FN_OK;
}

int auth_token_well_formed(const char *text)
{
    size_t n = strnlen(text, AUTH_TOKEN_CHARS + 1);
    if (n != AUTH_TOKEN_CHARS)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        if (!ok)
            return 0;
    }
    return 1;
}

void auth_token_digest(const char *token, unsigned char out[AUTH_TOKEN_DIGEST])
{
    (void)auth_sodium_init(); /* generichash needs no CPU dispatch, but be safe */
    crypto_generichash(out, AUTH_TOKEN_DIGEST, (const unsigned char *)token, strlen(token), NULL,
                       0);
}

void auth_token_digest_hex(const char *token, char out[AUTH_DIGEST_HEX])
{
    unsigned char d[AUTH_TOKEN_DIGEST];
    auth_token_digest(token, d);
    sodium_bin2hex(out, AUTH_DIGEST_HEX, d, sizeof d);
}

int auth_token_equal(const char *a, const char *b)
{
    /* compare digests: equal length, so sodium_memcmp's time does not leak
     * where two tokens differ, nor their lengths */
    unsigned char da[AUTH_TOKEN_DIGEST], db[AUTH_TOKEN_DIGEST];
    auth_token_digest(a, da);
    auth_token_digest(b, db);
    return sodium_memcmp(da, db, sizeof da) == 0;
}
