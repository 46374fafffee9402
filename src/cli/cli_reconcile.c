/*
 * cli_reconcile.c – `fallnetz reconcile LOCAL.csv CENTRAL.csv --out DIR`:
 * links the local register with the AZR export, lists the differences of
 * every linked pair with the side that is likely right, and writes the
 * output folder of shared/spec/register-exchange.md (see docs/reconcile.md).
 * `--explain LOCAL_ID` prints why a record was or was not linked.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reconcile/reconcile.h"

static void usage(FILE *fp)
{
    fputs("Aufruf: fallnetz reconcile LOKAL.csv AZR.csv --out ORDNER [Optionen]\n"
          "\n"
          "Gleicht die Ausländerdatei A (LOKAL.csv) mit dem Export des\n"
          "Ausländerzentralregisters (AZR.csv) ab: welche Datensätze gehören zur selben\n"
          "Person, was weicht ab, und welche Seite ist nach dokumentierten Regeln\n"
          "wahrscheinlich richtig. Die Software entscheidet nicht über Personen.\n"
          "\n"
          "Ausgabe im ORDNER: matches.csv, diffs.csv, unmatched_local.csv,\n"
          "unmatched_azr.csv, conflicts.csv, rejected.csv (unlesbare Zeilen),\n"
          "summary.json und report.html (Bericht zum Lesen).\n"
          "\n"
          "Optionen:\n"
          "  --out ORDNER         Ausgabeordner (wird angelegt)\n"
          "  --explain LOKAL_ID   erklärt Feld für Feld, warum der lokale Datensatz\n"
          "                       zugeordnet wurde oder nicht (ohne --out: nur Erklärung)\n"
          "  --threads N          Anzahl der Threads (Vorgabe: Zahl der Prozessorkerne);\n"
          "                       das Ergebnis ist bei jeder Zahl gleich\n"
          "  -h, --help           diese Hilfe\n",
          fp);
}

int cli_reconcile(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"explain", required_argument, NULL, 'e'},
                                         {"threads", required_argument, NULL, 'T'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    const char *out = NULL, *explain = NULL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cores > 0 ? (cores > 64 ? 64 : (int)cores) : 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'e':
            explain = optarg;
            break;
        case 'T': {
            char *end = NULL;
            long t = strtol(optarg, &end, 10);
            if (!end || *end || t < 1 || t > 64) {
                cli_error("reconcile", "--threads erwartet eine Zahl von 1 bis 64");
                return CLI_EXIT_USAGE;
            }
            threads = (int)t;
            break;
        }
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        cli_error("reconcile", "zwei Dateien erwartet: LOKAL.csv AZR.csv");
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!out && !explain) {
        cli_error("reconcile", "--out ORDNER fehlt");
        return CLI_EXIT_USAGE;
    }
    struct rec_options opt = {
        .local_path = argv[optind],
        .central_path = argv[optind + 1],
        .out_dir = out,
        .explain_id = explain,
        .explain_out = stdout,
        .threads = threads,
        .progress = 1,
    };
    char msg[512];
    fn_status rc = rec_run(&opt, msg, sizeof msg);
    if (rc) {
        cli_error("reconcile", "%s", msg[0] ? msg : fn_status_str(rc));
        return CLI_EXIT_FAIL;
    }
    if (out)
        fprintf(stderr, "Abgleich fertig: Ergebnis in %s (Bericht: %s/report.html)\n", out, out);
    return CLI_EXIT_OK;
}
