/* cli_org.c – `fallnetz org list`: the organisations as CSV (no personal data). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/csv.h"
#include "model/model.h"

static void org_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz org list [--excel] [--db PFAD]\n\n"
            "Gibt die Behörden als CSV aus: id, code, kind, name, region.\n"
            "Den code nennen user add --org und token add --org.\n\n"
            "  --excel     für Excel: UTF-8-BOM, Semikolon, CRLF\n"
            "  --db PFAD   Datenbankdatei (Vorgabe: %s)\n"
            "  -h, --help  diese Hilfe\n",
            CLI_DEFAULT_DB);
}

static fn_status print_org(void *ctx, const struct model_org *o, const char *region_code)
{
    struct fn_csv_writer *w = ctx;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)o->id);
    const char *row[] = {id, o->code, model_org_kind_code(o->kind), o->name, region_code};
    return fn_csv_put_row(w, row, 5);
}

int cli_org(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"excel", no_argument, NULL, 'x'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB;
    int excel = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'x':
            excel = 1;
            break;
        case 'h':
            org_usage(stdout);
            return CLI_EXIT_OK;
        default:
            org_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "list") != 0) {
        org_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    int ex = cli_open_store("org", db, 0, &st);
    if (ex)
        return ex;
    struct fn_csv_writer w;
    fn_status rc = fn_csv_writer_init(
        &w, stdout, excel ? (FN_CSV_BOM | FN_CSV_SEMICOLON | FN_CSV_CRLF | FN_CSV_EXCEL_SAFE) : 0);
    const char *head[] = {"id", "code", "kind", "name", "region"};
    if (!rc)
        rc = fn_csv_put_row(&w, head, 5);
    if (!rc)
        rc = store_org_each(st, print_org, &w);
    if (!rc && fflush(stdout) != 0)
        rc = FN_IO;
    if (rc)
        cli_error("org", "Liste fehlgeschlagen: %s %s", fn_status_str(rc), store_errmsg(st));
    store_close(st);
    return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
