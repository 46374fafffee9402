/*
 * cli_worklist.c – `fallnetz worklist --user KENNUNG [--authority ID]`: the
 * ordered work queue of one authority (of an RRK or ZAB: of its region; without
 * --authority: of everyone the account may see) with the reason for each
 * position. Computed from the
 * current facts (each person read is audited); it orders, it decides nothing.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/catalog.h"
#include "assess/worklist.h"
#include "cli/cli.h"
#include "cli/cli_catalog.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/pdate.h"

static void worklist_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz worklist --user KENNUNG [--authority ID] [--catalog DATEI]\n"
            "                          [--db PFAD] [--today JJJJ-MM-TT] [--csv DATEI] [--excel]\n\n"
            "Zeigt die geordnete Arbeitsliste einer Behörde (einer RRK oder ZAB: aller\n"
            "Ausländerbehörden ihres Bezirks; ohne --authority: aller Personen, die das\n"
            "Benutzerkonto sehen darf) mit dem Grund für jede Position:\n"
            "zuerst ohne Sperre nach Band (A, B, C), Punkten und nächster Frist; danach die\n"
            "gesperrten Fälle mit der Sperre, die den nächsten Arbeitsschritt bestimmt.\n"
            "Die Reihenfolge ist ein Vorschlag; die Entscheidung trifft die Sachbearbeitung.\n");
}

int cli_worklist(int argc, char **argv)
{
    static const struct option opts[] = {{"authority", required_argument, NULL, 'a'},
                                         {"catalog", required_argument, NULL, 'c'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"today", required_argument, NULL, 't'},
                                         {"csv", required_argument, NULL, 'o'},
                                         {"excel", no_argument, NULL, 'x'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *catalog = NULL, *today_arg = NULL, *csv = NULL;
    const char *user = NULL;
    long long authority = 0;
    int excel = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'a':
            authority = strtoll(optarg, &end, 10);
            if (!*optarg || *end || authority <= 0) {
                cli_error("worklist", "--authority erwartet die Nummer einer Behörde");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'c':
            catalog = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 't':
            today_arg = optarg;
            break;
        case 'o':
            csv = optarg;
            break;
        case 'x':
            excel = 1;
            break;
        case 'u':
            user = optarg;
            break;
        case 'h':
            worklist_usage(stdout);
            return CLI_EXIT_OK;
        default:
            worklist_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        worklist_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("worklist", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct assess_catalog_choice choice = {0};
    struct store *st = NULL;
    struct worklist *wl = NULL;
    struct cli_identity who = {0};
    int ex = cli_open_store("worklist", db, 0, &st);
    if (!ex)
        ex = cli_catalog_choose("worklist", st, catalog, CLI_CATALOG_SIMULATE, &choice);
    if (ex)
        goto out;
    const struct assess_catalog *cat = choice.cat;
    struct store_actor actor;
    ex = cli_user_actor("worklist", st, user, "Arbeitsliste Initialbewertung", &who, &actor);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    fn_status brc = worklist_build(st, &actor, cat, authority, today, &wl);
    if (brc == FN_DENIED) {
        cli_store_refused("worklist", &actor, brc);
        goto out;
    }
    if (brc) {
        cli_error("worklist", "Arbeitsliste nicht erstellt: %s", fn_status_str(brc));
        goto out;
    }
    struct worklist_entry *entries = wl->entries;
    size_t n = wl->n;
    if (csv) {
        struct fn_atomic_file af = {0};
        struct fn_csv_writer w;
        if (fn_atomic_open(&af, csv) != FN_OK) {
            cli_output_error("worklist", csv);
            goto out;
        }
        fn_status rc = fn_csv_writer_init(
            &w, af.fp,
            excel ? (FN_CSV_BOM | FN_CSV_SEMICOLON | FN_CSV_CRLF | FN_CSV_EXCEL_SAFE) : 0);
        const char *head[] = {"Position", "Person-Nr.", "Name",      "Sperre",
                              "Band",     "Punkte",     "Begründung"};
        if (!rc)
            rc = fn_csv_put_row(&w, head, 7);
        for (size_t i = 0; i < n && !rc; i++) {
            char pos[24], id[24], pts[16], band[2] = {entries[i].band, '\0'};
            snprintf(pos, sizeof pos, "%zu", i + 1);
            snprintf(id, sizeof id, "%lld", (long long)entries[i].id);
            snprintf(pts, sizeof pts, "%d", entries[i].points);
            const char *row[] = {pos,  id,  entries[i].name,  entries[i].blocked ? "ja" : "nein",
                                 band, pts, entries[i].reason};
            rc = fn_csv_put_row(&w, row, 7);
        }
        if (!rc)
            rc = fn_atomic_commit(&af);
        fn_atomic_abort(&af);
        if (rc) {
            cli_output_error("worklist", csv);
            goto out;
        }
    } else {
        if (authority)
            printf("Arbeitsliste Behörde %lld", authority);
        else
            printf("Arbeitsliste Zuständigkeitsbereich von %s", actor.login);
        printf(" – Katalog %s %s (%zu Personen)\n"
               "Vorschlag zur Reihenfolge; die Entscheidung trifft die Sachbearbeitung.\n\n",
               cat->name, cat->version, n);
        for (size_t i = 0; i < n; i++)
            printf("%4zu. Nr. %-8lld %-36.36s %s\n", i + 1, (long long)entries[i].id,
                   entries[i].name, entries[i].reason);
    }
    ex = CLI_EXIT_OK;
out:
    worklist_free(wl);
    cli_identity_clear(&who);
    assess_choice_clear(&choice);
    store_close(st);
    return ex;
}
