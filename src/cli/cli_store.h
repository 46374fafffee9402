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

/* Fills an actor for account administration (user, token): login from
 * --user, else $SUDO_USER/$USER, else "cli"; purpose as given. */
void cli_actor(struct store_actor *a, const char *user, const char *purpose);

/* The named account a command acts for, or the system job's name: keeps
 * the strings the actor borrows. Cleared with cli_identity_clear. */
struct cli_identity {
    struct model_user user;
    char login[160];
};
void cli_identity_clear(struct cli_identity *id);

/* Acts as the account login (--user): it must exist and be active, else
 * a German error and CLI_EXIT_FAIL. The actor gets the account's id,
 * organisation and roles, so the store scopes it as it scopes the API
 * (docs/access.md). Returns an exit code; on success *a borrows from *id. */
int cli_user_actor(const char *cmd, struct store *st, const char *login, const char *purpose,
                   struct cli_identity *id, struct store_actor *a);

/* A job of the system itself (import, demo, reconciliation): not scoped by
 * need-to-know; recorded as "system:<job> (<OS user>)". *a borrows from
 * *id. */
void cli_system_actor(const char *job, const char *purpose, struct cli_identity *id,
                      struct store_actor *a);

/* Prints the German error for a store refusal (FN_DENIED: the account's
 * roles do not allow it) or any other status. */
void cli_store_refused(const char *cmd, const struct store_actor *a, fn_status rc);

/* The reference day (days since 1970): the date in arg ("YYYY-MM-DD", a full
 * date) or, without arg, today in UTC. INT32_MIN for a malformed arg. */
int32_t cli_today_days(const char *arg);

#endif
