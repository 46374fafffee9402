/* cli_demo.c – `fallnetz demo`: create a database with synthetic demo data. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_catalog.h"
#include "cli/cli_store.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/pdate.h"
#include "core/progress.h"
#include "demo/demo.h"
#include "store/store.h"

static void demo_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz demo [--persons N] [--seed S] [--db PFAD] [--zugaenge DATEI]\n"
            "                      [--no-approval]\n\n"
            "Legt eine Datenbank mit synthetischen, realistischen Demodaten an: Behörden\n"
            "in NRW, Personen mit Schreibvarianten, teilweise unbekannten Geburtsdaten,\n"
            "Aliasidentitäten, Strafverfahren, Haft, Abschiebungshindernissen, Fällen und\n"
            "Fallkonferenzen. Keine Daten echter Personen. Gleicher Startwert, gleiche Daten.\n"
            "Der mitgelieferte Bewertungskatalog wird von den Demo-Konten admin (Vorschlag)\n"
            "und admin2 (Freigabe) freigegeben.\n\n"
            "  --persons N   Anzahl Personen (Vorgabe: 2000; 0: nur Behörden und Zugänge)\n"
            "  --seed S      Startwert des Zufallsgenerators (Vorgabe: 1)\n"
            "  --db PFAD     Datenbankdatei oder postgresql://-URL (Vorgabe: %s; darf noch\n"
            "                keine Personen enthalten)\n"
            "  --zugaenge DATEI\n"
            "                hierhin die Demo-Zugänge mit Passwörtern schreiben (Vorgabe:\n"
            "                PFAD-zugaenge.txt neben der Datei; bei einer URL NAME-zugaenge.txt\n"
            "                im aktuellen Ordner, NAME der Datenbankname der URL)\n"
            "  --no-approval den Katalog nicht freigeben (die Freigabe selbst zeigen:\n"
            "                fallnetz catalog propose / approve)\n"
            "  -h, --help    diese Hilfe\n",
            CLI_DEFAULT_DB);
}

static void demo_progress(void *ctx, long done, long total)
{
    (void)total;
    fn_progress_update(ctx, (unsigned long long)done);
}

/* Parses a positive decimal number; 0 on error. */
static long parse_positive(const char *s)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    return (*s && !*end && v > 0) ? v : 0;
}

/* The default accounts file of db into path (caller's storage of cap
 * bytes): "<db>-zugaenge.txt" beside a file; for a server URL
 * "<name>-zugaenge.txt" in the current folder, name the database the URL's
 * path names (the part after the host), because a URL is no place for a
 * file. FN_INVALID when the URL names no plain database name (letters,
 * digits, '_', '-', '.', not first): then --zugaenge must say where. */
static fn_status accounts_default_path(const char *db, char *path, size_t cap)
{
    int n = 0;
    if (!store_is_server_url(db)) {
        n = snprintf(path, cap, "%s-zugaenge.txt", db);
        return (n < 0 || (size_t)n >= cap) ? FN_TOO_LARGE : FN_OK;
    }
    const char *host = strstr(db, "://");
    const char *name = host ? strchr(host + 3, '/') : NULL;
    if (!name)
        return FN_INVALID;
    name++;
    size_t len = strcspn(name, "?#");
    if (len == 0 || len > 63 || name[0] == '.')
        return FN_INVALID;
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
        if (!plain)
            return FN_INVALID;
    }
    n = snprintf(path, cap, "%.*s-zugaenge.txt", (int)len, name);
    return (n < 0 || (size_t)n >= cap) ? FN_TOO_LARGE : FN_OK;
}

/* Shows the demo accounts once on standard output and keeps them in path
 * (mode 0600) so that `make run` can show them again: synthetic accounts
 * of a demo database only. */
static int write_accounts(const char *path, const struct demo_options *opt)
{
    struct fn_buf text;
    fn_buf_init(&text, 64 * 1024);
    fn_status rc = fn_buf_appendf(&text,
                                  "Demo-Zugänge (nur für diese Demodatenbank, zufällige "
                                  "Passwörter):\n  %-12s %-20s %-16s %s\n",
                                  "Kennung", "Passwort", "Behörde", "Rollen");
    for (size_t i = 0; i < opt->n_accounts && !rc; i++)
        rc = fn_buf_appendf(&text, "  %-12s %-20s %-16s %s\n", opt->accounts[i].login,
                            opt->accounts[i].password, opt->accounts[i].org_code,
                            opt->accounts[i].roles);
    if (!rc)
        rc = fn_write_file_atomic(path, text.data, text.len);
    if (!rc) {
        fputs(fn_buf_str(&text), stdout);
        printf("(gespeichert in %s)\n", path);
    } else {
        char shown[4096]; /* path holds a URL's password when db is one */
        store_location_shown(path, shown, sizeof shown);
        cli_output_error("demo", shown);
    }
    if (text.data)
        sodium_memzero(text.data, text.cap);
    fn_buf_free(&text);
    return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

int cli_demo(int argc, char **argv)
{
    static const struct option opts[] = {{"persons", required_argument, NULL, 'n'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"zugaenge", required_argument, NULL, 'z'},
                                         {"no-approval", no_argument, NULL, 'N'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB;
    const char *accounts = NULL;
    long persons = 2000, seed = 1;
    int c, approve = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            /* 0: organisations and accounts only (a fresh register to import into) */
            persons = strcmp(optarg, "0") == 0 ? 0 : parse_positive(optarg);
            if ((!persons && strcmp(optarg, "0") != 0) || persons > 100000000L) {
                cli_error("demo", "--persons erwartet eine Zahl von 0 bis 100000000");
                return CLI_EXIT_USAGE;
            }
            break;
        case 's': {
            char *end = NULL;
            seed = strtol(optarg, &end, 10);
            if (!*optarg || *end) {
                cli_error("demo", "--seed erwartet eine ganze Zahl");
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case 'd':
            db = optarg;
            break;
        case 'z':
            if (!optarg[0]) {
                cli_error("demo", "--zugaenge erwartet einen Dateinamen");
                return CLI_EXIT_USAGE;
            }
            accounts = optarg;
            break;
        case 'N':
            approve = 0;
            break;
        case 'h':
            demo_usage(stdout);
            return CLI_EXIT_OK;
        default:
            demo_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        demo_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    /* Where the passwords go is settled before anything is written: a demo
     * whose accounts nobody can read is of no use. */
    char accounts_buf[4096];
    if (!accounts) {
        fn_status prc = accounts_default_path(db, accounts_buf, sizeof accounts_buf);
        if (prc == FN_INVALID) {
            cli_error("demo", "die URL nennt keinen einfachen Datenbanknamen; --zugaenge DATEI "
                              "angeben (dorthin kommen die Demo-Passwörter)");
            return CLI_EXIT_USAGE;
        }
        if (prc) {
            cli_error("demo", "Datenbankpfad zu lang");
            return CLI_EXIT_USAGE;
        }
        accounts = accounts_buf;
    }
    struct store *st = NULL;
    int ex = cli_open_store("demo", db, 1, &st);
    if (ex)
        return ex;
    struct fn_progress prog;
    fn_progress_start(&prog, "Demodaten", (unsigned long long)persons);
    /* A fixed "today" keeps the data identical for a seed whenever it runs. */
    struct fn_pdate today = {.year = 2026, .month = 3, .day = 1};
    int32_t today_days = 0;
    if (fn_pdate_to_days(&today, &today_days) != FN_OK)
        today_days = 20513;
    struct demo_options opt = {.persons = persons,
                               .seed = (uint64_t)seed,
                               .today_days = today_days,
                               .progress = demo_progress,
                               .progress_ctx = &prog};
    double t0 = fn_now();
    fn_status rc = demo_generate(st, &opt);
    fn_progress_finish(&prog, (unsigned long long)persons);
    char shown[512]; /* a URL's password never goes into a message */
    store_location_shown(db, shown, sizeof shown);
    if (rc == FN_CONFLICT) {
        cli_error("demo", "%s enthält bereits Personen; Demodaten nur in eine leere Datenbank",
                  shown);
        store_close(st);
        return CLI_EXIT_FAIL;
    }
    if (rc) {
        cli_error("demo", "Erzeugung fehlgeschlagen: %s (%s)", fn_status_str(rc), store_errmsg(st));
        store_close(st);
        return CLI_EXIT_FAIL;
    }
    /* The shipped catalogue, approved by the two demo admins, so that the
     * demo assesses and decides as a real installation does. */
    int approved = approve ? cli_catalog_demo_approve(st, "admin", "admin2") : CLI_EXIT_OK;
    store_close(st);
    fprintf(stderr, "%ld Demopersonen in %s angelegt (%.1f s)\n", persons, shown, fn_now() - t0);
    /* the accounts are shown even when the approval failed: they exist */
    ex = write_accounts(accounts, &opt);
    sodium_memzero(opt.accounts, sizeof opt.accounts);
    return approved ? approved : ex;
}
