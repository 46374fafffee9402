/*
 * password.h – passwords of local accounts: policy, argon2id hashing and
 * verification through libsodium's crypto_pwhash_str.
 *
 * Parameters: argon2id with libsodium's "interactive" limits (2 passes,
 * 64 MiB), above OWASP's minimum (19 MiB, 2 passes, 1 lane). The encoded
 * hash carries its parameters, so raising them later rehashes on the next
 * login (auth_password_needs_rehash). A hash costs about 0.1 s of one core on
 * purpose; sessions (session.h) spare every later request that cost.
 *
 * No function here logs, prints or keeps a password; callers must not
 * either. Buffers that held a password are wiped by their owner with
 * sodium_memzero.
 */
#ifndef FN_AUTH_PASSWORD_H
#define FN_AUTH_PASSWORD_H

#include <stddef.h>

#include "core/status.h"

#define AUTH_PASSWORD_MIN_CHARS 12   /* characters (code points), not bytes */
#define AUTH_PASSWORD_MAX_BYTES 1024 /* longer input is refused, not cut */
#define AUTH_PASSWORD_HASH_MAX  128  /* crypto_pwhash_STRBYTES, with the NUL */

/* Checks a new password against the policy: valid UTF-8, no control
 * characters, at least AUTH_PASSWORD_MIN_CHARS characters, at most
 * AUTH_PASSWORD_MAX_BYTES bytes, not made of one repeated character.
 * FN_INVALID with *why (German, static) when it fails; *why may be NULL. */
FN_MUST_CHECK fn_status auth_password_check_policy(const char *password, const char **why);

/* Hashes password (argon2id) into out. FN_NOMEM when the hash's memory
 * cannot be had, FN_INVALID for a password longer than the cap. The policy is
 * the caller's (auth_password_check_policy): hashing works for any length so
 * that existing accounts keep working when the policy changes. */
FN_MUST_CHECK fn_status auth_password_hash(const char *password, char out[AUTH_PASSWORD_HASH_MAX]);

/* 1 when password matches the encoded hash, else 0 (also for a malformed
 * hash). Takes as long as a hash. */
int auth_password_verify(const char *hash, const char *password);

/* Spends the time of one verification without a stored hash, so that an
 * unknown login answers as slowly as a wrong password. */
void auth_password_verify_dummy(const char *password);

/* 1 when the hash was made with other parameters than today's. */
int auth_password_needs_rehash(const char *hash);

#endif
