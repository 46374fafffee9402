/*
 * cli.h – shared helpers for the CLI subcommands.
 *
 * The CLI speaks German to its users (they are German officials); code and
 * comments are English. Every subcommand accepts --help. Errors go to stderr
 * as "fallnetz <cmd>: <message>" and the exit code is 0 (ok), 1 (failure) or
 * 2 (usage error).
 */
#ifndef FN_CLI_CLI_H
#define FN_CLI_CLI_H

#include <limits.h>
#include <stdio.h>

#include "core/status.h"

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2

/* The database of every command without --db: $FALLNETZ_DB (a file or a
 * postgresql:// URL), else fallnetz.db in the current folder. */
const char *cli_default_db(void);
#define CLI_DEFAULT_DB cli_default_db()

#define FN_COMMAND(name, fn, summary) int fn(int argc, char **argv) __attribute__((weak));
#include "cli/commands.def"
#undef FN_COMMAND

/* Prints "fallnetz <cmd>: " + message + newline to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reports that output path could not be written, with the reason in German
 * taken from errno as fn_atomic_open/commit left it. Call right after the
 * failing call. */
void cli_output_error(const char *cmd, const char *path);

/* The default assessment catalogue's candidate paths, most specific first
 * (beside the executable in a source tree, a relocated installation, the
 * configured installation, catalog/ below the current folder), into paths[]
 * (caller's storage); returns how many are set. */
#define CLI_CATALOG_CANDIDATES 4
size_t cli_catalog_candidates(char paths[CLI_CATALOG_CANDIDATES][PATH_MAX]);
/* $FALLNETZ_CATALOG, else the first candidate that exists (else the last,
 * so that an error names it). Shared by every command that assesses. */
const char *cli_default_catalog(void);

/* Returns 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

#endif
