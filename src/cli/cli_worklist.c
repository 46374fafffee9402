/*
 * cli_worklist.c – `fallnetz worklist --authority ID`: the ordered work queue
 * of one authority with the reason for each position. Computed from the
 * current facts (each person read is audited); it orders, it decides nothing.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/catalog.h"
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/pdate.h"

const char *cli_default_catalog(void);

#define WORKLIST_MAX 200000

struct entry {
    int64_t id;
    char name[200];
    int blocked;
    char band;
    int points;
    int32_t deadline; /* nearest, INT32_MAX when none */
    char reason[512];
};

static void worklist_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz worklist --authority ID [--catalog DATEI] [--db PFAD]\n"
            "                          [--today JJJJ-MM-TT] [--csv DATEI] [--excel]\n\n"
            "Zeigt die geordnete Arbeitsliste einer Behörde mit dem Grund für jede Position:\n"
            "zuerst ohne Sperre nach Band (A, B, C), Punkten und nächster Frist; danach die\n"
            "gesperrten Fälle mit der Sperre, die den nächsten Arbeitsschritt bestimmt.\n"
            "Die Reihenfolge ist ein Vorschlag; die Entscheidung trifft die Sachbearbeitung.\n");
}

/* Blocked last; then band, points (high first), nearest deadline, id. */
static int entry_cmp(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    if (a->blocked != b->blocked)
        return a->blocked - b->blocked;
    if (a->band != b->band)
        return a->band - b->band;
    if (a->points != b->points)
        return b->points - a->points;
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void describe(const struct assess_catalog *c, const struct assess_result *r, struct entry *e)
{
    struct fn_buf b;
    fn_buf_init(&b, sizeof e->reason - 1);
    fn_status rc = FN_OK;
    if (r->blocked) {
        rc = fn_buf_append_str(&b, "Sperre ");
        for (int i = 0; i < r->ngates && !rc; i++)
            rc = fn_buf_appendf(&b, "%s%s (%s)", i ? ", " : "", c->rules[r->gates[i]].id,
                                c->rules[r->gates[i]].title);
    } else {
        rc = fn_buf_appendf(&b, "Band %c, %d Punkte", r->band, r->points);
        for (int i = 0; i < r->ntrace && !rc; i++) {
            const struct assess_rule *rule = &c->rules[r->trace[i].rule];
            if (r->trace[i].fired && rule->effect == EFF_POINTS)
                rc = fn_buf_appendf(&b, "; %s +%d", rule->id, rule->amount);
        }
        if (!rc && r->nweighing)
            rc = fn_buf_append_str(&b, "; Abwägung nötig");
    }
    if (!rc && r->ndeadlines)
        rc = fn_buf_appendf(&b, "; Frist %s in %d Tagen", c->rules[r->deadlines[0].rule].id,
                            r->deadlines[0].days);
    snprintf(e->reason, sizeof e->reason, "%s", fn_buf_str(&b));
    fn_buf_free(&b);
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
    if (!authority || optind < argc) {
        worklist_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct fn_pdate d = {0};
    int32_t today = 0;
    if (today_arg) {
        if (fn_pdate_parse(today_arg, strlen(today_arg), &d) != FN_OK || !d.day) {
            cli_error("worklist", "--today erwartet JJJJ-MM-TT");
            return CLI_EXIT_USAGE;
        }
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        d = (struct fn_pdate){.year = (uint16_t)(tm.tm_year + 1900),
                              .month = (uint8_t)(tm.tm_mon + 1),
                              .day = (uint8_t)tm.tm_mday};
    }
    if (fn_pdate_to_days(&d, &today) != FN_OK)
        return CLI_EXIT_USAGE;
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    struct assess_catalog *cat = NULL;
    if (assess_catalog_load(catalog ? catalog : cli_default_catalog(), &cat, &errors) != FN_OK) {
        fputs(fn_buf_str(&errors), stderr);
        fn_buf_free(&errors);
        return CLI_EXIT_FAIL;
    }
    fn_buf_free(&errors);
    struct store *st = NULL;
    int ex = cli_open_store("worklist", db, 0, &st);
    struct entry *entries = NULL;
    size_t n = 0, cap = 0;
    struct store_person_summary *page = NULL;
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    struct store_actor actor;
    cli_actor(&actor, user, "Arbeitsliste Initialbewertung");
    int64_t after = 0;
    for (;;) {
        size_t got = 0;
        fn_status rc = store_person_list(st, &actor, authority, after, 1000, &page, &got);
        if (rc) {
            cli_error("worklist", "Lesen fehlgeschlagen: %s", fn_status_str(rc));
            goto out;
        }
        if (!got)
            break;
        for (size_t i = 0; i < got && n < WORKLIST_MAX; i++) {
            struct model_person_file *f = NULL;
            rc = store_person_get(st, &actor, page[i].id, &f);
            if (rc) {
                cli_error("worklist", "Person %lld: %s", (long long)page[i].id, fn_status_str(rc));
                goto out;
            }
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                struct entry *ne = fn_reallocarray(entries, ncap, sizeof *ne);
                if (!ne) {
                    model_person_file_free(f);
                    cli_error("worklist", "zu wenig Speicher");
                    goto out;
                }
                entries = ne;
                cap = ncap;
            }
            struct assess_facts facts;
            assess_facts_from_file(f, today, &facts);
            struct assess_result r;
            assess_evaluate(cat, &facts, &r);
            struct entry *e = &entries[n++];
            memset(e, 0, sizeof *e);
            e->id = page[i].id;
            snprintf(e->name, sizeof e->name, "%s, %s", page[i].family_name, page[i].given_names);
            e->blocked = r.blocked;
            e->band = r.band;
            e->points = r.points;
            e->deadline = r.ndeadlines ? r.deadlines[0].days : INT32_MAX;
            describe(cat, &r, e);
            model_person_file_free(f);
        }
        after = page[got - 1].id;
        fn_free(page);
        page = NULL;
    }
    qsort(entries, n, sizeof *entries, entry_cmp);
    if (csv) {
        FILE *fp = fopen(csv, "wb");
        struct fn_csv_writer w;
        fn_status rc =
            fp ? fn_csv_writer_init(
                     &w, fp,
                     excel ? (FN_CSV_BOM | FN_CSV_SEMICOLON | FN_CSV_CRLF | FN_CSV_EXCEL_SAFE) : 0)
               : FN_IO;
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
        if (fp && fclose(fp) != 0)
            rc = FN_IO;
        if (rc) {
            cli_error("worklist", "%s: Schreiben fehlgeschlagen", csv);
            goto out;
        }
    } else {
        printf("Arbeitsliste Behörde %lld – Katalog %s %s (%zu Personen)\n"
               "Vorschlag zur Reihenfolge; die Entscheidung trifft die Sachbearbeitung.\n\n",
               authority, cat->name, cat->version, n);
        for (size_t i = 0; i < n; i++)
            printf("%4zu. Nr. %-8lld %-36.36s %s\n", i + 1, (long long)entries[i].id,
                   entries[i].name, entries[i].reason);
    }
    ex = CLI_EXIT_OK;
out:
    fn_free(page);
    fn_free(entries);
    store_close(st);
    assess_catalog_free(cat);
    return ex;
}
