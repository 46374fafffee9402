/* cli_init.c – `fallnetz init`: create or migrate the database. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_store.h"

static void init_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz init [--db PFAD]\n\n"
            "Legt die Datenbank an oder bringt ihr Schema auf den neuesten Stand.\n"
            "Vorhandene Daten bleiben erhalten.\n\n"
            "  --db PFAD   Datenbankdatei (Vorgabe: %s)\n"
            "  -h, --help  diese Hilfe\n",
            CLI_DEFAULT_DB);
}

int cli_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            init_usage(stdout);
            return CLI_EXIT_OK;
        default:
            init_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        init_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    int ex = cli_open_store("init", db, 1, &st);
    if (ex)
        return ex;
    char shown[512];
    store_location_shown(db, shown, sizeof shown);
    printf("Datenbank %s ist bereit (Schemaversion %d).\n", shown, STORE_SCHEMA_VERSION);
    store_close(st);
    return CLI_EXIT_OK;
}
