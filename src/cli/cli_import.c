/*
 * cli_import.c – `fallnetz import persons FILE.csv`: load a register export;
 * `fallnetz import facts FILE.csv`: recorded facts in bulk (ingest/fact_import.h).
 *
 * A thin caller of the import pipeline (src/ingest/register_import.h), which
 * checks the file, stages the accepted rows and publishes them all or
 * nothing, and writes --rejected. This file parses the options, words every
 * outcome in German on stderr ("FILE:LINE: reason" per rejected row, a
 * summary line) and maps it to the exit code: 0 all rows imported, 3
 * imported but rows were rejected, 1 nothing imported (error, no records,
 * every record rejected), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/progress.h"
#include "ingest/fact_import.h"
#include "ingest/register_import.h"

#define CLI_EXIT_PARTIAL 3

static void import_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz import persons DATEI.csv [OPTIONEN]\n"
            "        fallnetz import facts DATEI.csv [OPTIONEN]\n\n"
            "Importiert Personen aus einer Registerdatei im Austauschformat (CSV, UTF-8,\n"
            "Kopfzeile; siehe docs/register-format.md). Fehlerhafte Zeilen werden mit\n"
            "Zeile und Grund gemeldet und übersprungen; alle übrigen werden gemeinsam\n"
            "übernommen (alles oder nichts). Komma oder Semikolon als Trennzeichen\n"
            "(auch die Ausgabe von export --excel).\n"
            "import facts liest Tatsachen zu Personen (eine Zeile je Tatsache, Spalten\n"
            "record_id, kind und die Felder der Art; siehe docs/fact-import.md) und prüft\n"
            "jedes Feld wie die Erfassung; fehlerhafte Zeilen werden gemeldet, die übrigen\n"
            "gemeinsam gespeichert.\n\n"
            "  --db PFAD          Datenbankdatei (Vorgabe: %s)\n"
            "  --authority CODE   zuständige Behörde für Zeilen ohne Angabe in der Spalte\n"
            "                     authority (Zeilen mit eigener Angabe behalten diese)\n"
            "  --user KENNUNG     Name im Protokoll (Vorgabe: der Betriebssystembenutzer);\n"
            "                     der Import ist ein Auftrag des Systems: \"system:import (…)\"\n"
            "  --purpose TEXT     Zweck für das Protokoll (Vorgabe: \"Übernahme Registerdaten\")\n"
            "  --rejected DATEI   abgewiesene Zeilen mit Grund (Spalte fehler) als CSV\n"
            "                     schreiben; nach Korrektur erneut importierbar\n"
            "  -h, --help         diese Hilfe\n\n"
            "Rückgabewert: 0 alles übernommen, 3 übernommen mit abgewiesenen Zeilen,\n"
            "1 Fehler oder nichts übernommen, 2 Aufruffehler.\n",
            CLI_DEFAULT_DB);
}

/* Prints a rejected row as "FILE:LINE: reason". */
static void print_reject(void *ctx, const struct ingest_reject *r)
{
    fprintf(stderr, "%s:%ld: %s\n", r->file, r->line, r->reason);
    if (r->rejected_file_failed)
        fprintf(stderr, "fallnetz import: Schreiben der abgewiesenen Zeilen fehlgeschlagen\n");
}

static void show_progress(void *ctx, enum ingest_progress_step step, unsigned long long done,
                          unsigned long long total)
{
    struct fn_progress *prog = ctx;
    if (step == INGEST_PROGRESS_START)
        fn_progress_start(prog, "Import", total);
    else if (step == INGEST_PROGRESS_UPDATE)
        fn_progress_update(prog, done);
    else
        fn_progress_finish(prog, done);
}

/* Says in German which step failed. rc is the step's status. */
static void print_failure(const struct ingest_register_options *o, const char *db, fn_status rc,
                          const struct ingest_register_result *res)
{
    const char *path = o->input_path, *why = fn_status_str(rc), *detail = res->message;
    switch (res->failure) {
    case INGEST_OK:
        break;
    case INGEST_INPUT_UNREADABLE:
        cli_error("import", "%s: Datei kann nicht gelesen werden (%s)", path, why);
        break;
    case INGEST_REJECTED_UNWRITABLE:
        cli_error("import", "%s: kann nicht geschrieben werden", o->rejected_path);
        break;
    case INGEST_INPUT_EMPTY:
        cli_error("import", "%s: Datei ist leer (keine Kopfzeile)", path);
        break;
    case INGEST_HEADER_UNREADABLE:
        cli_error("import", "%s:%ld: Kopfzeile nicht lesbar: %s", path, res->line, detail);
        break;
    case INGEST_HEADER_INVALID:
        cli_error("import", "%s: %s", path, detail);
        break;
    case INGEST_BEGIN_FAILED:
        cli_error("import", "%s: Import kann nicht beginnen: %s (%s)", db, why, detail);
        break;
    case INGEST_EXPECT_FAILED:
        cli_error("import", "%s: %s (%s)", db, why, detail);
        break;
    case INGEST_THREAD_FAILED:
        cli_error("import", "Lesethread kann nicht gestartet werden");
        break;
    case INGEST_READ_FAILED:
        cli_error("import", "%s: Lesefehler: %s", path, why);
        break;
    case INGEST_BAD_OPTIONS:
        cli_error("import", "ungültige Importoptionen");
        break;
    case INGEST_NOMEM:
        cli_error("import", "zu wenig Speicher");
        break;
    case INGEST_STORE_FAILED:
        cli_error("import", "%s: Speichern fehlgeschlagen: %s (%s)", db, why, detail);
        break;
    case INGEST_COMMIT_FAILED:
        cli_error("import", "%s: Abschluss fehlgeschlagen, nichts übernommen: %s (%s)", db, why,
                  detail);
        break;
    case INGEST_REJECTED_COMMIT_FAILED:
        cli_error("import", "%s: Schreiben fehlgeschlagen", o->rejected_path);
        break;
    }
}

static void print_fact_reject(void *ctx, const char *file, long line, const char *reason)
{
    (void)ctx;
    fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
}

/* `import facts`: a job of the system, like `import persons`, recorded with
 * the person who started it; exit codes as there. */
static int import_facts(const char *db, const char *path, const char *rejected_path,
                        const char *user, const char *purpose)
{
    struct store *st = NULL;
    int ex = cli_open_store("import", db, 0, &st);
    if (ex)
        return ex;
    struct cli_identity who;
    struct store_actor actor;
    cli_system_actor("import", purpose, &who, &actor);
    if (user && user[0])
        snprintf(who.login, sizeof who.login, "system:import (%.64s)", user);
    struct fact_import_result res;
    fn_status rc = fact_import_file(st, &actor, path, rejected_path, cli_today_days(NULL),
                                    print_fact_reject, NULL, &res);
    ex = CLI_EXIT_FAIL;
    if (rc)
        cli_error("import", "%s: %s; nichts gespeichert", path, res.message);
    else if (res.rows_read == 0)
        cli_error("import", "%s: keine Datensätze (nur die Kopfzeile)", path);
    else if (res.accepted == 0)
        cli_error("import", "%s: keine Tatsachen gespeichert, alle %ld abgewiesen", path,
                  res.rejected);
    else
        ex = res.rejected ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
    if (res.rows_read)
        fprintf(stderr, "%s: %ld Zeilen gelesen, %ld gespeichert, %ld abgewiesen\n", path,
                res.rows_read, res.accepted, res.rejected);
    store_close(st);
    return ex;
}

int cli_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"purpose", required_argument, NULL, 'p'},
                                         {"rejected", required_argument, NULL, 'r'},
                                         {"authority", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *user = NULL, *purpose = "Übernahme Registerdaten";
    const char *rejected_path = NULL, *default_authority = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'u':
            user = optarg;
            break;
        case 'p':
            purpose = optarg;
            break;
        case 'r':
            rejected_path = optarg;
            break;
        case 'a':
            if (!optarg[0] || strlen(optarg) > 64) {
                cli_error("import", "--authority erwartet einen Behördencode (1 bis 64 Zeichen)");
                return CLI_EXIT_USAGE;
            }
            default_authority = optarg;
            break;
        case 'h':
            import_usage(stdout);
            return CLI_EXIT_OK;
        default:
            import_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind == 2 && strcmp(argv[optind], "facts") == 0)
        return import_facts(db, argv[optind + 1], rejected_path, user, purpose);
    if (argc - optind != 2 || strcmp(argv[optind], "persons") != 0) {
        import_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct fn_progress prog;
    struct ingest_register_options o = {.input_path = argv[optind + 1],
                                        .rejected_path = rejected_path,
                                        .default_authority = default_authority,
                                        .on_reject = print_reject,
                                        .on_progress = show_progress,
                                        .ctx = &prog};
    struct ingest_register_result res;
    struct ingest_register *ing = NULL;
    struct store *st = NULL;
    int ex = CLI_EXIT_FAIL;

    /* The file first: a broken file is reported before the database is opened. */
    fn_status rc = ingest_register_open(&o, &ing, &res);
    if (rc)
        goto out;
    const char *first_unknown = NULL;
    size_t unknown = ingest_register_unknown_columns(ing, &first_unknown);
    if (unknown)
        cli_warn("import", "%s: %zu unbekannte Spalte(n) werden ignoriert, z. B. '%s'",
                 o.input_path, unknown, first_unknown);
    ex = cli_open_store("import", db, 0, &st);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    if (!ingest_register_default_authority_known(ing, st))
        cli_warn("import",
                 "Behörde '%s' ist in der Datenbank nicht angelegt; der Code wird übernommen, "
                 "die Zuordnung bleibt offen",
                 default_authority);

    /* ---- the acting person: the one place this command builds its actor ----
     * A bulk import is a job of the system (persons of every authority),
     * recorded with the person who started it. */
    struct cli_identity who;
    struct store_actor actor;
    cli_system_actor("import", purpose, &who, &actor);
    if (user && user[0])
        snprintf(who.login, sizeof who.login, "system:import (%.64s)", user);

    rc = ingest_register_run(ing, st, &actor, &res);
    if (rc)
        goto out;
    /* Never "0 rows, exit 0": a file without records is an error. */
    if (res.rows_read == 0)
        cli_error("import", "%s: keine Datensätze (nur die Kopfzeile)", o.input_path);
    else if (res.accepted == 0)
        cli_error("import", "%s: keine Datensätze übernommen, alle %ld abgewiesen", o.input_path,
                  res.rows_read);
    else
        ex = res.rejected ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
out:
    print_failure(&o, db, rc, &res);
    if (res.rows_read || res.accepted || res.rejected)
        fprintf(stderr, "%s: %ld Zeilen gelesen, %ld übernommen, %ld abgewiesen\n", o.input_path,
                res.rows_read, res.accepted, res.rejected);
    ingest_register_free(ing);
    store_close(st);
    return ex;
}
