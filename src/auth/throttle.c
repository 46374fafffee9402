/* throttle.c – failed-login back-off and lockout (throttle.h). */
#include "auth/throttle.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "auth/token.h"
#include "core/alloc.h"

const struct auth_throttle_policy auth_throttle_login_policy = {.free_failures = 3,
                                                                .backoff_max_s = 30,
                                                                .lockout_failures = 10,
                                                                .lockout_s = 900,
                                                                .window_s = 900};
const struct auth_throttle_policy auth_throttle_address_policy = {.free_failures = 10,
                                                                  .backoff_max_s = 30,
                                                                  .lockout_failures = 50,
                                                                  .lockout_s = 900,
                                                                  .window_s = 900};

struct throttle_entry {
    unsigned char key[16]; /* digest of the key text */
    int used;
    unsigned failures;
    int64_t first_failure;
    int64_t last_failure;
    int64_t locked_until;
};

struct auth_throttle {
    pthread_mutex_t mu;
    struct auth_throttle_policy policy;
    size_t capacity;
    struct throttle_entry *entries;
};

fn_status auth_throttle_new(size_t capacity, const struct auth_throttle_policy *policy,
                            struct auth_throttle **out)
{
    *out = NULL;
    if (!capacity || !policy->lockout_failures)
        return FN_INVALID;
    struct auth_throttle *t = fn_calloc(1, sizeof *t);
    if (!t)
        return FN_NOMEM;
    t->entries = fn_calloc(capacity, sizeof *t->entries);
    if (!t->entries) {
        fn_free(t);
        return FN_NOMEM;
    }
    t->capacity = capacity;
    t->policy = *policy;
    pthread_mutex_init(&t->mu, NULL);
    *out = t;
    return FN_OK;
}

void auth_throttle_free(struct auth_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    fn_free(t->entries);
    fn_free(t);
}

static void key_digest(const char *key, unsigned char out[16])
{
    (void)auth_sodium_init();
    crypto_generichash(out, 16, (const unsigned char *)key, strlen(key), NULL, 0);
}

/* The key's entry, or NULL. Caller holds mu. */
static struct throttle_entry *find(struct auth_throttle *t, const unsigned char d[16])
{
    for (size_t i = 0; i < t->capacity; i++)
        if (t->entries[i].used && memcmp(t->entries[i].key, d, 16) == 0)
            return &t->entries[i];
    return NULL;
}

/* Forgets failures that fell out of the window (a lock runs its course). */
static void expire(struct auth_throttle *t, struct throttle_entry *e, int64_t now)
{
    if (e->locked_until > now)
        return;
    if (e->failures && now - e->last_failure >= (int64_t)t->policy.window_s) {
        e->failures = 0;
        e->locked_until = 0;
    }
}

static unsigned wait_of(const struct auth_throttle *t, const struct throttle_entry *e, int64_t now,
                        int *locked)
{
    if (e->locked_until > now) {
        *locked = 1;
        return (unsigned)(e->locked_until - now);
    }
    if (e->failures <= t->policy.free_failures)
        return 0;
    unsigned extra = e->failures - t->policy.free_failures - 1;
    uint64_t wait = extra >= 31 ? UINT32_MAX : (uint64_t)1 << extra;
    if (wait > t->policy.backoff_max_s)
        wait = t->policy.backoff_max_s;
    int64_t until = e->last_failure + (int64_t)wait;
    return until > now ? (unsigned)(until - now) : 0;
}

unsigned auth_throttle_wait(struct auth_throttle *t, const char *key, int64_t now, int *locked)
{
    unsigned char d[16];
    int is_locked = 0;
    unsigned wait = 0;
    key_digest(key, d);
    pthread_mutex_lock(&t->mu);
    struct throttle_entry *e = find(t, d);
    if (e) {
        expire(t, e, now);
        wait = wait_of(t, e, now, &is_locked);
    }
    pthread_mutex_unlock(&t->mu);
    if (locked)
        *locked = is_locked;
    return wait;
}

/* Index of a free slot, else of the unlocked entry whose last failure is
 * oldest, else of the lock that ends first. Caller holds mu; capacity >= 1. */
static size_t make_room(const struct auth_throttle *t, int64_t now)
{
    size_t best = 0;
    int best_unlocked = 0;
    for (size_t i = 0; i < t->capacity; i++) {
        const struct throttle_entry *c = &t->entries[i];
        if (!c->used)
            return i;
        int unlocked = c->locked_until <= now;
        const struct throttle_entry *b = &t->entries[best];
        if (unlocked && (!best_unlocked || c->last_failure < b->last_failure)) {
            best = i;
            best_unlocked = 1;
        } else if (!unlocked && !best_unlocked && c->locked_until < b->locked_until) {
            best = i;
        }
    }
    return best;
}

int auth_throttle_failure(struct auth_throttle *t, const char *key, int64_t now)
{
    unsigned char d[16];
    int locked_now = 0;
    key_digest(key, d);
    pthread_mutex_lock(&t->mu);
    struct throttle_entry *e = find(t, d);
    if (!e) {
        e = &t->entries[make_room(t, now)];
        memset(e, 0, sizeof *e);
        memcpy(e->key, d, sizeof d);
        e->used = 1;
    }
    expire(t, e, now);
    if (!e->failures)
        e->first_failure = now;
    if (e->failures < UINT32_MAX)
        e->failures++;
    e->last_failure = now;
    if (e->failures >= t->policy.lockout_failures && e->locked_until <= now) {
        e->locked_until = now + (int64_t)t->policy.lockout_s;
        locked_now = 1;
    }
    pthread_mutex_unlock(&t->mu);
    return locked_now;
}

void auth_throttle_success(struct auth_throttle *t, const char *key)
{
    unsigned char d[16];
    key_digest(key, d);
    pthread_mutex_lock(&t->mu);
    struct throttle_entry *e = find(t, d);
    if (e)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&t->mu);
}
