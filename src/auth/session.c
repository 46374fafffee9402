/* session.c – the CSRF token of a session (session.h). */
#include "auth/session.h"

#include <sodium.h>
#include <string.h>

/* The key that separates CSRF tokens from the digests the store keeps
 * (auth_token_digest is unkeyed): the stored digest of a cookie never
 * equals, nor yields, its CSRF token. Not secret: the cookie is. */
static const unsigned char csrf_key[crypto_generichash_KEYBYTES] = "fallnetz csrf v1";

void auth_session_csrf(const char *token, char csrf[AUTH_TOKEN_CHARS + 1])
{
    unsigned char d[AUTH_TOKEN_DIGEST];
    (void)auth_sodium_init();
    crypto_generichash(d, sizeof d, (const unsigned char *)token, strlen(token), csrf_key,
                       sizeof csrf_key);
    sodium_bin2base64(csrf, AUTH_TOKEN_CHARS + 1, d, sizeof d,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(d, sizeof d);
}
