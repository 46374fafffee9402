/*
 * cli_export.c – `fallnetz export persons`: write persons in the register
 * exchange format, to a file (durably: temp file, fsync, rename) or stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/csv.h"
#include "core/file.h"
#include "model/register.h"

static void export_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz export persons [OPTIONEN]\n\n"
            "Schreibt die Personen, die das Benutzerkonto sehen darf, im\n"
            "Register-Austauschformat (CSV).\n\n"
            "  --out DATEI        Zieldatei (Vorgabe: Standardausgabe)\n"
            "  --excel            für Excel: UTF-8-BOM, Semikolon, CRLF, Formelschutz\n"
            "  --db PFAD          Datenbankdatei (Vorgabe: %s)\n"
            "  --user KENNUNG     handelndes Benutzerkonto (Pflicht; bestimmt, welche\n"
            "                     Personen es sehen darf)\n"
            "  --purpose TEXT     Zweck für das Protokoll (Pflicht bei Weitergabe;\n"
            "                     Vorgabe: \"Export Registerdaten\")\n"
            "  --recipient TEXT   Empfänger der Daten (für das Protokoll)\n"
            "  -h, --help         diese Hilfe\n",
            CLI_DEFAULT_DB);
}

struct export_ctx {
    struct fn_csv_writer w;
    long count;
};

static fn_status export_one(void *vctx, const struct model_person *p)
{
    struct export_ctx *ctx = vctx;
    ctx->count++;
    return register_write_person(&ctx->w, p);
}

int cli_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"out", required_argument, NULL, 'o'},
        {"excel", no_argument, NULL, 'x'},         {"user", required_argument, NULL, 'u'},
        {"purpose", required_argument, NULL, 'p'}, {"recipient", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *out_path = NULL, *user = NULL;
    const char *purpose = "Export Registerdaten", *recipient = NULL;
    int excel = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'x':
            excel = 1;
            break;
        case 'u':
            user = optarg;
            break;
        case 'p':
            purpose = optarg;
            break;
        case 'r':
            recipient = optarg;
            break;
        case 'h':
            export_usage(stdout);
            return CLI_EXIT_OK;
        default:
            export_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || strcmp(argv[optind], "persons") != 0) {
        export_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    struct fn_atomic_file af = {0};
    struct cli_identity who;
    struct store_actor actor;
    int ex = cli_open_store("export", db, 0, &st);
    if (ex)
        return ex;
    ex = cli_user_actor("export", st, user, purpose, &who, &actor);
    if (ex) {
        store_close(st);
        return ex;
    }
    actor.recipient = recipient;
    ex = CLI_EXIT_FAIL;
    FILE *fp = stdout;
    if (out_path) {
        if (fn_atomic_open(&af, out_path) != FN_OK) {
            cli_output_error("export", out_path);
            goto out;
        }
        fp = af.fp;
    }
    struct export_ctx ctx = {0};
    unsigned flags = excel ? (FN_CSV_BOM | FN_CSV_SEMICOLON | FN_CSV_CRLF | FN_CSV_EXCEL_SAFE) : 0;
    fn_status rc = fn_csv_writer_init(&ctx.w, fp, flags);
    if (!rc)
        rc = register_write_header(&ctx.w);
    if (!rc)
        rc = store_person_each(st, &actor, export_one, &ctx);
    if (!rc && out_path) {
        rc = fn_atomic_commit(&af);
    } else if (!rc && fflush(stdout) != 0) {
        rc = FN_IO;
    }
    if (rc == FN_DENIED) {
        cli_store_refused("export", &actor, rc);
        goto out;
    }
    if (rc) {
        cli_error("export", "Export fehlgeschlagen: %s %s", fn_status_str(rc), store_errmsg(st));
        goto out;
    }
    fprintf(stderr, "%ld Personen exportiert%s%s\n", ctx.count, out_path ? " nach " : "",
            out_path ? out_path : "");
    ex = CLI_EXIT_OK;
out:
    fn_atomic_abort(&af);
    cli_identity_clear(&who);
    store_close(st);
    return ex;
}
