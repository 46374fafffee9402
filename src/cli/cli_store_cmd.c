/*
 * cli_store_cmd.c – `fallnetz store copy --from QUELLE --to ZIEL`: the
 * whole database from a SQLite file or PostgreSQL URL into an empty one of
 * either kind (issue 12; store_copy in store.h, policy_copy.c). A site's
 * SQLite moves into the state-wide PostgreSQL with it, and back.
 *
 * The target is created (a SQLite file) and migrated if needed, then
 * filled in one transaction; afterwards its audit chain is verified and
 * its head printed, to be compared with `fallnetz audit verify` on the
 * source. Progress goes to stderr: a line per table and one every
 * 100,000 rows (FALLNETZ_COPY_PROGRESS_ROWS sets another step, for tests).
 * URLs are printed without their password.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"

static void store_usage(FILE *out)
{
    fprintf(out, "Aufruf: fallnetz store copy --from QUELLE --to ZIEL\n\n"
                 "Kopiert die ganze Datenbank QUELLE in die leere Datenbank ZIEL: Stammdaten,\n"
                 "Benutzerkonten und Zugangsschlüssel, Personen mit allen Angaben, Fälle,\n"
                 "Bewertungen, Entscheidungen, Sitzungen und das Protokoll unverändert (mit\n"
                 "Hash-Kette), mit denselben Kennnummern. QUELLE und ZIEL sind je eine\n"
                 "SQLite-Datei oder eine postgresql://-URL, in jeder Richtung.\n\n"
                 "ZIEL muss leer sein: eine neue SQLite-Datei wird angelegt, eine\n"
                 "PostgreSQL-Datenbank muss es geben (ohne Tabellen oder frisch mit\n"
                 "'fallnetz init'). Die Quelle wird als ein Zeitpunkt gelesen, das Ziel in\n"
                 "einem Zug geschrieben: ein Abbruch lässt es unverändert. Die Kopie wird im\n"
                 "Protokoll der Quelle vermerkt (und steht damit als letzte Zeile auch im\n"
                 "Ziel); danach wird die Kette des Ziels geprüft. Vorher 'fallnetz serve'\n"
                 "anhalten (docs/operations.md).\n\n"
                 "  --from QUELLE  Datenbank, aus der kopiert wird\n"
                 "  --to ZIEL      leere Datenbank, in die kopiert wird\n"
                 "  -h, --help     diese Hilfe\n");
}

/* Prints a table's progress on stderr. */
static void copy_progress(void *ctx, const char *table, int64_t rows, int done)
{
    (void)ctx;
    fprintf(stderr, "  %s: %lld Zeilen%s\n", table, (long long)rows, done ? "" : " …");
}

/* The copy itself, both databases open. */
static int store_copy_run(struct store *src, struct store *dst, const char *from_shown,
                          const char *to_shown)
{
    struct cli_identity who;
    struct store_actor actor;
    struct store_copy_report rep;
    struct store_audit_report ver;
    cli_system_actor("store-copy", "Datenbankumzug", &who, &actor);
    const char *every = getenv("FALLNETZ_COPY_PROGRESS_ROWS");
    struct store_copy_options opt = {.target_shown = to_shown,
                                     .progress_rows = every ? strtoll(every, NULL, 10) : 0,
                                     .progress = copy_progress};
    int ex = CLI_EXIT_FAIL;
    fprintf(stderr, "Kopie von %s nach %s läuft …\n", from_shown, to_shown);
    fn_status rc = store_copy(src, dst, &actor, &opt, &rep);
    if (rc == FN_CONFLICT || rc == FN_UNSUPPORTED) {
        cli_error("store", "%s: %s", to_shown, store_errmsg(dst));
        goto out;
    }
    if (rc) {
        cli_error("store", "Kopie nach %s fehlgeschlagen (%s): %s; das Ziel ist unverändert",
                  to_shown, fn_status_str(rc), store_errmsg(dst));
        goto out;
    }
    fprintf(stderr, "Kopie nach %s fertig: %lld Tabellen, %lld Zeilen\n", to_shown,
            (long long)rep.tables, (long long)rep.rows);
    rc = store_audit_verify(dst, &ver);
    if (rc) {
        cli_error("store", "Protokollkette des Ziels %s nicht intakt: %s (Zeile %lld)", to_shown,
                  ver.reason[0] ? ver.reason : fn_status_str(rc), (long long)ver.bad_seq);
        goto out;
    }
    printf("Protokoll des Ziels unversehrt: %lld Zeilen, Kettenende %s\n", (long long)ver.rows,
           ver.head_hash);
    ex = CLI_EXIT_OK;
out:
    cli_identity_clear(&who);
    return ex;
}

int cli_store(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'h':
            store_usage(stdout);
            return CLI_EXIT_OK;
        default:
            store_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "copy") != 0) {
        cli_error("store", "unbekannter oder fehlender Unterbefehl (nur: copy)");
        store_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!from || !from[0] || !to || !to[0]) {
        cli_error("store", "--from QUELLE und --to ZIEL sind beide nötig");
        store_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    char from_shown[512], to_shown[512];
    store_location_shown(from, from_shown, sizeof from_shown);
    store_location_shown(to, to_shown, sizeof to_shown);
    if (strcmp(from, to) == 0) {
        cli_error("store", "Quelle und Ziel sind dieselbe Datenbank (%s)", to_shown);
        return CLI_EXIT_USAGE;
    }
    struct store *src = NULL, *dst = NULL;
    int ex = cli_open_store("store", from, 0, &src);
    if (!ex)
        ex = cli_open_store("store", to, 1, &dst);
    if (!ex)
        ex = store_copy_run(src, dst, from_shown, to_shown);
    store_close(dst);
    store_close(src);
    return ex;
}
