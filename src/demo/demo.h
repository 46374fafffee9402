/*
 * demo.h – deterministic synthetic demo data.
 *
 * Generates organisations (the five RRK regions, ZABs, ABHs, police,
 * prosecutors, prisons), users and persons of the populations in the seeds
 * with spelling variants, partial and placeholder birth dates, aliases,
 * proceedings, custody, legal obstacles, findings, cases, conferences and
 * tasks. The same seed gives the same data. Every name is drawn from generic
 * common-name tables (src/names): no real person's data.
 */
#ifndef FN_DEMO_DEMO_H
#define FN_DEMO_DEMO_H

#include <stdint.h>

#include "store/store.h"

/* splitmix64-based generator: small, fast, reproducible. */
struct demo_rng {
    uint64_t state;
};
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);
/* 1 with probability permille/1000. */
int demo_rng_chance(struct demo_rng *r, uint32_t permille);

/* A demo account with its password, as created: the only copy of the
 * password in plain text (the store keeps an argon2id hash). */
#define DEMO_MAX_ACCOUNTS 20
struct demo_account {
    char login[32];
    char password[32];
    char org_code[32];
    char roles[64];
};

struct demo_options {
    long persons;   /* how many persons */
    uint64_t seed;  /* same seed, same data */
    int today_days; /* reference "today" in days since 1970 (fixed for determinism) */
    void (*progress)(void *ctx, long done, long total); /* may be NULL */
    void *progress_ctx;
    /* out: the accounts created, one per role (and one more local
     * authority in another region), each with a random password; the
     * caller shows them once and wipes them. */
    struct demo_account accounts[DEMO_MAX_ACCOUNTS];
    size_t n_accounts;
};

/* Fills the (migrated, empty) store; opt->accounts receives the accounts. Reference data first,
 * then persons in transactions of 500. Audited as the system actor "demo". Returns FN_CONFLICT when
 * the database already holds persons. */
FN_MUST_CHECK fn_status demo_generate(struct store *st, struct demo_options *opt);

#endif
