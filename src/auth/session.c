/* session.c – in-memory session table keyed by token digest (session.h). */
#include "auth/session.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/alloc.h"

/* Open addressing with linear probing over a power-of-two table at most half
 * full; deletions leave tombstones, which inserts reuse and sweep() clears. */
enum slot_state { SLOT_EMPTY = 0, SLOT_USED, SLOT_DELETED };

struct session_slot {
    unsigned char digest[AUTH_TOKEN_DIGEST];
    int state;
    struct auth_session_view view;
};

struct auth_sessions {
    pthread_mutex_t mu;
    struct session_slot *slots;
    size_t mask; /* table size - 1 */
    size_t max;  /* sessions allowed */
    size_t live; /* SLOT_USED */
    size_t dead; /* SLOT_DELETED */
    int64_t idle_s, absolute_s;
};

fn_status auth_sessions_new(size_t max_sessions, unsigned idle_s, unsigned absolute_s,
                            struct auth_sessions **out)
{
    *out = NULL;
    if (!max_sessions || max_sessions > ((size_t)1 << 24))
        return FN_INVALID;
    size_t size = 16;
    while (size < 2 * max_sessions)
        size <<= 1;
    struct auth_sessions *s = fn_calloc(1, sizeof *s);
    if (!s)
        return FN_NOMEM;
    s->slots = fn_calloc(size, sizeof *s->slots);
    if (!s->slots) {
        fn_free(s);
        return FN_NOMEM;
    }
    s->mask = size - 1;
    s->max = max_sessions;
    s->idle_s = idle_s ? idle_s : AUTH_SESSION_IDLE_S;
    s->absolute_s = absolute_s ? absolute_s : AUTH_SESSION_ABSOLUTE_S;
    pthread_mutex_init(&s->mu, NULL);
    *out = s;
    return FN_OK;
}

void auth_sessions_free(struct auth_sessions *s)
{
    if (!s)
        return;
    sodium_memzero(s->slots, (s->mask + 1) * sizeof *s->slots); /* CSRF tokens */
    pthread_mutex_destroy(&s->mu);
    fn_free(s->slots);
    fn_free(s);
}

static size_t home_slot(const struct auth_sessions *s, const unsigned char *d)
{
    uint64_t h;
    memcpy(&h, d, sizeof h); /* the digest is uniformly random already */
    return (size_t)h & s->mask;
}

/* The used slot of digest d, or NULL. Caller holds mu. */
static struct session_slot *find(struct auth_sessions *s, const unsigned char *d)
{
    for (size_t i = home_slot(s, d), n = 0; n <= s->mask; i = (i + 1) & s->mask, n++) {
        struct session_slot *slot = &s->slots[i];
        if (slot->state == SLOT_EMPTY)
            return NULL;
        if (slot->state == SLOT_USED && memcmp(slot->digest, d, AUTH_TOKEN_DIGEST) == 0)
            return slot;
    }
    return NULL;
}

static void remove_slot(struct auth_sessions *s, struct session_slot *slot)
{
    sodium_memzero(&slot->view, sizeof slot->view);
    slot->state = SLOT_DELETED;
    s->live--;
    s->dead++;
}

static int expired(const struct auth_sessions *s, const struct session_slot *slot, int64_t now)
{
    return now - slot->view.last_seen >= s->idle_s || now - slot->view.created >= s->absolute_s;
}

/* Drops expired sessions and, when tombstones fill a quarter of the table,
 * re-inserts the live sessions into a fresh table (when that allocation
 * fails the tombstones stay: slower probes, same answers). Caller holds mu. */
static void sweep(struct auth_sessions *s, int64_t now)
{
    for (size_t i = 0; i <= s->mask; i++)
        if (s->slots[i].state == SLOT_USED && expired(s, &s->slots[i], now))
            remove_slot(s, &s->slots[i]);
    if (s->dead * 4 < s->mask + 1)
        return;
    struct session_slot *fresh = fn_calloc(s->mask + 1, sizeof *fresh);
    if (!fresh)
        return;
    for (size_t i = 0; i <= s->mask; i++) {
        if (s->slots[i].state != SLOT_USED)
            continue;
        size_t j = home_slot(s, s->slots[i].digest);
        while (fresh[j].state == SLOT_USED)
            j = (j + 1) & s->mask;
        fresh[j] = s->slots[i];
    }
    sodium_memzero(s->slots, (s->mask + 1) * sizeof *s->slots);
    fn_free(s->slots);
    s->slots = fresh;
    s->dead = 0;
}

fn_status auth_session_open(struct auth_sessions *s, const struct auth_principal *who, int64_t now,
                            char token[AUTH_TOKEN_CHARS + 1], char csrf[AUTH_TOKEN_CHARS + 1])
{
    fn_status rc = auth_token_new(token);
    if (!rc)
        rc = auth_token_new(csrf);
    if (rc)
        return rc;
    unsigned char d[AUTH_TOKEN_DIGEST];
    auth_token_digest(token, d);
    pthread_mutex_lock(&s->mu);
    if (s->live >= s->max || s->live + s->dead >= (s->mask + 1) / 2)
        sweep(s, now);
    if (s->live >= s->max) {
        rc = FN_TOO_LARGE;
        goto out;
    }
    size_t i = home_slot(s, d);
    while (s->slots[i].state == SLOT_USED)
        i = (i + 1) & s->mask;
    struct session_slot *slot = &s->slots[i];
    if (slot->state == SLOT_DELETED)
        s->dead--;
    memset(slot, 0, sizeof *slot);
    memcpy(slot->digest, d, sizeof d);
    slot->state = SLOT_USED;
    slot->view.who = *who;
    slot->view.who.login[AUTH_LOGIN_MAX - 1] = '\0';
    memcpy(slot->view.csrf, csrf, AUTH_TOKEN_CHARS + 1);
    slot->view.created = now;
    slot->view.last_seen = now;
    slot->view.checked_at = now;
    s->live++;
out:
    pthread_mutex_unlock(&s->mu);
    if (rc) {
        sodium_memzero(token, AUTH_TOKEN_CHARS + 1);
        sodium_memzero(csrf, AUTH_TOKEN_CHARS + 1);
    }
    return rc;
}

fn_status auth_session_touch(struct auth_sessions *s, const char *token, int64_t now,
                             struct auth_session_view *out)
{
    if (!token || !auth_token_well_formed(token))
        return FN_NOTFOUND;
    unsigned char d[AUTH_TOKEN_DIGEST];
    auth_token_digest(token, d);
    fn_status rc = FN_NOTFOUND;
    pthread_mutex_lock(&s->mu);
    struct session_slot *slot = find(s, d);
    if (slot && expired(s, slot, now)) {
        remove_slot(s, slot);
        slot = NULL;
    }
    if (slot) {
        slot->view.last_seen = now;
        if (out)
            *out = slot->view;
        rc = FN_OK;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void auth_session_confirmed(struct auth_sessions *s, const char *token, int64_t now)
{
    if (!token || !auth_token_well_formed(token))
        return;
    unsigned char d[AUTH_TOKEN_DIGEST];
    auth_token_digest(token, d);
    pthread_mutex_lock(&s->mu);
    struct session_slot *slot = find(s, d);
    if (slot)
        slot->view.checked_at = now;
    pthread_mutex_unlock(&s->mu);
}

fn_status auth_session_close(struct auth_sessions *s, const char *token)
{
    if (!token || !auth_token_well_formed(token))
        return FN_NOTFOUND;
    unsigned char d[AUTH_TOKEN_DIGEST];
    auth_token_digest(token, d);
    pthread_mutex_lock(&s->mu);
    struct session_slot *slot = find(s, d);
    if (slot)
        remove_slot(s, slot);
    pthread_mutex_unlock(&s->mu);
    return slot ? FN_OK : FN_NOTFOUND;
}

size_t auth_sessions_close_user(struct auth_sessions *s, int64_t user_id)
{
    size_t n = 0;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i <= s->mask; i++)
        if (s->slots[i].state == SLOT_USED && s->slots[i].view.who.user_id == user_id) {
            remove_slot(s, &s->slots[i]);
            n++;
        }
    pthread_mutex_unlock(&s->mu);
    return n;
}

size_t auth_sessions_count(struct auth_sessions *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->live;
    pthread_mutex_unlock(&s->mu);
    return n;
}
