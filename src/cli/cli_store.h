/*
 * cli_store.h – opening the database and naming the actor, for subcommands.
 */
#ifndef FN_CLI_CLI_STORE_H
#define FN_CLI_CLI_STORE_H

#include <stdint.h>

#include "store/store.h"

/* Opens (and with create, creates and migrates) the database at path and
 * prints a German error naming the file on failure. Returns an exit code;
 * on success *out is open (caller closes). Without create, a missing file or
 * an unmigrated database is an error that says to run `fallnetz init`. */
int cli_open_store(const char *cmd, const char *path, int create, struct store **out);

/* Fills an actor for the CLI: login from --user, else $SUDO_USER/$USER,
 * else "cli"; purpose as given. */
void cli_actor(struct store_actor *a, const char *user, const char *purpose);

/* The reference day (days since 1970): the date in arg ("YYYY-MM-DD", a full
 * date) or, without arg, today in UTC. INT32_MIN for a malformed arg. */
int32_t cli_today_days(const char *arg);

#endif
