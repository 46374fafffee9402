/*
 * throttle.h – back-off and temporary lockout after failed logins, per key
 * (a login name, or a client address).
 *
 * After `free_failures` failures within `window_s`, each further attempt must
 * wait 1, 2, 4 … seconds (at most `backoff_max_s`) after the last failure;
 * after `lockout_failures` the key is locked for `lockout_s`. A success
 * clears the key. The table is in memory, bounded (the oldest entry makes
 * room), and thread-safe; time is passed in (seconds), so tests need no
 * clock. Keys are kept as digests, never as the text typed.
 */
#ifndef FN_AUTH_THROTTLE_H
#define FN_AUTH_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct auth_throttle_policy {
    unsigned free_failures;    /* failures without any wait */
    unsigned backoff_max_s;    /* cap of the doubling wait */
    unsigned lockout_failures; /* failures that lock the key */
    unsigned lockout_s;        /* how long a lock lasts */
    unsigned window_s;         /* failures older than this are forgotten */
};

/* The defaults: per login 3 free, lock after 10 for 15 minutes; per address
 * 10 free, lock after 50 for 15 minutes; back-off up to 30 s; window 15 min. */
extern const struct auth_throttle_policy auth_throttle_login_policy;
extern const struct auth_throttle_policy auth_throttle_address_policy;

struct auth_throttle;

/* A table for at most capacity keys (>= 1) under policy (copied). *out is
 * freed with auth_throttle_free. */
FN_MUST_CHECK fn_status auth_throttle_new(size_t capacity,
                                          const struct auth_throttle_policy *policy,
                                          struct auth_throttle **out);
/* Accepts NULL. */
void auth_throttle_free(struct auth_throttle *t);

/* Seconds the key must still wait before the next attempt (0: may try now).
 * *locked (may be NULL) is set to 1 when the wait is a lockout. */
unsigned auth_throttle_wait(struct auth_throttle *t, const char *key, int64_t now, int *locked);
/* Records a failed attempt. Returns 1 when this failure locked the key. */
int auth_throttle_failure(struct auth_throttle *t, const char *key, int64_t now);
/* Forgets the key's failures (after a successful login). */
void auth_throttle_success(struct auth_throttle *t, const char *key);

#endif
