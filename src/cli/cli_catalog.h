/*
 * cli_catalog.h – the catalogue a command uses (issue 13), and the
 * catalogue approval subcommands (cli_catalog_approve.c).
 */
#ifndef FN_CLI_CLI_CATALOG_H
#define FN_CLI_CLI_CATALOG_H

#include "assess/approval.h"
#include "assess/catalog.h"
#include "store/store.h"

/* What a command does with the catalogue. */
enum cli_catalog_use {
    CLI_CATALOG_SIMULATE, /* shows results only: another catalogue is a labelled simulation,
                           * and without an approval the default file is one */
    CLI_CATALOG_STORE     /* stores results: only the approved catalogue (errors otherwise) */
};

/* Chooses the catalogue for cmd: file (--catalog) or the approved one from
 * st (approval.h). A simulation prints its label as the first line of
 * stdout. Errors in German on stderr. Returns an exit code; on success
 * out->cat is set (caller: assess_choice_clear). */
int cli_catalog_choose(const char *cmd, struct store *st, const char *file,
                       enum cli_catalog_use use, struct assess_catalog_choice *out);

/* `catalog propose|approve|list|show --approved|--sha256`: 1 when argv
 * (argv[0] "catalog") is one of these, which cli_catalog_store runs. */
int cli_catalog_is_store_cmd(int argc, char **argv);
int cli_catalog_store(int argc, char **argv);

/* The demo's approval: the default catalogue file proposed by the account
 * proposer and approved by approver; prints one line on stderr. Returns
 * an exit code. */
int cli_catalog_demo_approve(struct store *st, const char *proposer, const char *approver);

/* Prints the rules of c as `catalog show` does (cli_catalog.c). */
void cli_catalog_print(const struct assess_catalog *c);

#endif
