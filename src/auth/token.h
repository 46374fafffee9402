/*
 * token.h – opaque random tokens (session cookies, CSRF tokens, API tokens
 * of machine clients) and the form in which they are stored.
 *
 * A token is 32 random bytes from the kernel's CSPRNG, written as 43
 * characters of URL-safe base64 without padding. Only its BLAKE2b-256 digest
 * is kept (in the database, for sessions and API tokens alike), so a
 * leaked table does not let anyone in; finding a token by its digest costs a
 * hash, never argon2.
 */
#ifndef FN_AUTH_TOKEN_H
#define FN_AUTH_TOKEN_H

#include <stddef.h>

#include "core/status.h"

#define AUTH_TOKEN_CHARS  43 /* without the NUL */
#define AUTH_TOKEN_DIGEST 32 /* bytes */
#define AUTH_DIGEST_HEX   (2 * AUTH_TOKEN_DIGEST + 1)

/* Initialises libsodium once per process (thread-safe); 1 when it is
 * ready. Every auth function that needs it calls this. */
int auth_sodium_init(void);

/* A new random token in out (NUL-terminated). FN_INTERNAL when libsodium
 * cannot be initialised. */
FN_MUST_CHECK fn_status auth_token_new(char out[AUTH_TOKEN_CHARS + 1]);

/* 1 when text has the shape of a token (43 URL-safe base64 characters). */
int auth_token_well_formed(const char *text);

/* Digest of a token (binary). */
void auth_token_digest(const char *token, unsigned char out[AUTH_TOKEN_DIGEST]);
/* The same as lower-case hex, for storage. */
void auth_token_digest_hex(const char *token, char out[AUTH_DIGEST_HEX]);

/* Compares two NUL-terminated tokens in time that does not depend on where
 * they differ (for CSRF tokens). 1 when equal. */
int auth_token_equal(const char *a, const char *b);

#endif
