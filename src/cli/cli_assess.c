/*
 * cli_assess.c – `fallnetz assess PERSON_ID [--explain]`: the initial
 * assessment of one person, with the full explanation. It orders work; it
 * decides nothing and changes no case.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess_all.h"
#include "assess/assess_person.h"
#include "assess/catalog.h"
#include "assess/reassess.h"
#include "cli/cli.h"
#include "cli/cli_catalog.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/pdate.h"
#include "core/progress.h"

static void assess_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz assess PERSON-NR [--explain] [--catalog DATEI] [--db PFAD]\n"
            "                        [--today JJJJ-MM-TT] [--user KENNUNG] [--purpose TEXT]\n\n"
            "Berechnet die Initialbewertung einer Person nach dem Katalog: Sperren,\n"
            "Prioritätsband mit Punkten, Gegengewichte (Einzelfallabwägung nötig),\n"
            "Machbarkeit und Fristen – getrennt, nie zu einer Zahl verrechnet.\n"
            "--explain zeigt jede Regel mit den gelesenen Tatsachen und der Rechtsgrundlage.\n"
            "Die Bewertung ordnet die Arbeit; sie entscheidet nichts.\n\n"
            "  --all            alle Personen bewerten (mit Fortschrittsanzeige)\n"
            "  --threads N      mit --all: 1 oder 2 Threads (Vorgabe 2; gleiches Ergebnis)\n"
            "  --store          mit --all: jede geänderte Bewertung mit Erklärung speichern\n"
            "  --due            alle Personen neu bewerten, deren Daten sich seit der letzten\n"
            "                   Bewertung geändert haben, und geänderte Bewertungen speichern\n"
            "                   (macht der Server im Hintergrund von selbst)\n"
            "                   (unveränderte werden nicht erneut gespeichert)\n"
            "  --catalog DATEI  ein anderer Katalog als der freigegebene: nur als\n"
            "                   Simulation (gekennzeichnet, nie gespeichert). Vorgabe: der\n"
            "                   freigegebene Katalog (fallnetz catalog list); ohne Freigabe\n"
            "                   $FALLNETZ_CATALOG oder catalog/initialbewertung.cat als\n"
            "                   Simulation\n"
            "  --today DATUM    Stichtag (Vorgabe: heute)\n");
}

static void print_fact_values(const struct assess_rule *r, const struct assess_trace *t)
{
    for (int k = 0; k < r->nconds; k++) {
        const struct assess_fact_def *def = assess_fact_def((enum assess_fact_id)r->conds[k].fact);
        if (r->conds[k].op[0] == '?')
            printf("       %s = %s (Bedingung: erfasst)\n", def->label_de,
                   t->known[k] ? "erfasst" : "nicht erfasst");
        else if (!t->known[k] && def->type == FACT_BOOL)
            printf("       %s = unbekannt, nicht erfasst (Bedingung %s %s)\n", def->label_de,
                   r->conds[k].op, r->conds[k].value ? "ja" : "nein");
        else if (!t->known[k])
            printf("       %s = unbekannt, nicht erfasst (Bedingung %s %d)\n", def->label_de,
                   r->conds[k].op, r->conds[k].value);
        else if (def->type == FACT_BOOL)
            printf("       %s = %s (Bedingung %s %s)\n", def->label_de, t->read[k] ? "ja" : "nein",
                   r->conds[k].op, r->conds[k].value ? "ja" : "nein");
        else
            printf("       %s = %d (Bedingung %s %d)\n", def->label_de, t->read[k], r->conds[k].op,
                   r->conds[k].value);
    }
}

/* Assesses every person the user may read, in one ordered walk over the
 * store (src/assess/assess_all.h); with keep, stores each assessment whose
 * digest differs from the person's latest. */
static int run_all(const char *db, const char *catalog, const char *today_arg, const char *user,
                   const char *purpose, int keep, int threads)
{
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("assess", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct assess_catalog_choice choice = {0};
    struct store *st = NULL, *writer = NULL;
    struct cli_identity who = {0};
    int ex = cli_open_store("assess", db, 0, &st);
    if (!ex)
        ex = cli_catalog_choose("assess", st, catalog,
                                keep ? CLI_CATALOG_STORE : CLI_CATALOG_SIMULATE, &choice);
    if (!ex && keep)
        ex = cli_open_store("assess", db, 0, &writer);
    if (ex)
        goto out;
    const struct assess_catalog *cat = choice.cat;
    struct store_actor actor;
    ex = cli_user_actor("assess", st, user, purpose, &who, &actor);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    int64_t n = 0;
    if (store_person_count(st, &n) != FN_OK)
        goto out;
    struct fn_progress prog;
    fn_progress_start(&prog, "Bewertung", (unsigned long long)n);
    struct assess_all_options opt = {
        .db_path = db, .threads = threads, .writer = writer, .progress = &prog};
    struct assess_tally t;
    fn_status rc = assess_all(st, &actor, cat, today, &opt, &t);
    fn_progress_finish(&prog, (unsigned long long)t.total);
    if (rc == FN_DENIED) {
        cli_store_refused("assess", &actor, rc);
        goto out;
    }
    if (rc) {
        cli_error("assess", "Bewertung abgebrochen: %s (%s)", fn_status_str(rc),
                  store_errmsg(keep ? writer : st));
        goto out;
    }
    printf("%ld Personen bewertet (Katalog %s): Band A %ld, B %ld, C %ld; mit Sperre %ld "
           "(davon ungeklärt %ld)%s",
           t.total, cat->version, t.band[0], t.band[1], t.band[2], t.blocked, t.unresolved,
           keep ? "" : ".\n");
    if (keep)
        printf("; %ld geänderte Bewertungen gespeichert.\n", t.stored);
    ex = CLI_EXIT_OK;
out:
    cli_identity_clear(&who);
    assess_choice_clear(&choice);
    store_close(writer);
    store_close(st);
    return ex;
}

/* Re-assesses every person queued by a change (see src/assess/reassess.h). */
static int assess_due(const char *db, const char *catalog, const char *today_arg)
{
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("assess", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct assess_catalog_choice choice = {0};
    struct store *st = NULL;
    int ex = cli_open_store("assess", db, 0, &st);
    if (!ex)
        ex = cli_catalog_choose("assess", st, catalog, CLI_CATALOG_STORE, &choice);
    if (ex)
        goto out;
    const struct assess_catalog *cat = choice.cat;
    /* A job of the system, like the server's background re-assessment: the
     * queue holds persons of every authority. */
    struct cli_identity who;
    struct store_actor actor;
    cli_system_actor("neubewertung", "Neubewertung nach Änderung", &who, &actor);
    size_t assessed = 0, stored = 0;
    fn_status rc = assess_reassess_due(st, &actor, cat, today, SIZE_MAX, &assessed, &stored);
    if (rc) {
        cli_error("assess", "Neubewertung abgebrochen: %s (%s)", fn_status_str(rc),
                  store_errmsg(st));
        ex = CLI_EXIT_FAIL;
        goto out;
    }
    printf("%zu geänderte Personen neu bewertet; %zu Bewertungen gespeichert.\n", assessed, stored);
out:
    assess_choice_clear(&choice);
    store_close(st);
    return ex;
}

int cli_assess(int argc, char **argv)
{
    static const struct option opts[] = {
        {"explain", no_argument, NULL, 'e'},       {"all", no_argument, NULL, 'A'},
        {"store", no_argument, NULL, 'S'},         {"due", no_argument, NULL, 'D'},
        {"threads", required_argument, NULL, 'T'}, {"catalog", required_argument, NULL, 'c'},
        {"db", required_argument, NULL, 'd'},      {"today", required_argument, NULL, 't'},
        {"user", required_argument, NULL, 'u'},    {"purpose", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *catalog = NULL, *today_arg = NULL, *user = NULL;
    const char *purpose = "Initialbewertung";
    int explain = 0, all = 0, keep = 0, threads = 2, due = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            explain = 1;
            break;
        case 'A':
            all = 1;
            break;
        case 'S':
            keep = 1;
            break;
        case 'D':
            due = 1;
            break;
        case 'T':
            threads = optarg[0] == '1' && !optarg[1] ? 1 : optarg[0] == '2' && !optarg[1] ? 2 : 0;
            if (!threads) {
                cli_error("assess", "--threads erwartet 1 oder 2");
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
        case 'u':
            user = optarg;
            break;
        case 'p':
            purpose = optarg;
            break;
        case 'h':
            assess_usage(stdout);
            return CLI_EXIT_OK;
        default:
            assess_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (due) {
        if (argc != optind || explain || all) {
            assess_usage(stderr);
            return CLI_EXIT_USAGE;
        }
        return assess_due(db, catalog, today_arg);
    }
    if (all) {
        if (argc != optind || explain) {
            assess_usage(stderr);
            return CLI_EXIT_USAGE;
        }
        return run_all(db, catalog, today_arg, user, purpose, keep, threads);
    }
    if (argc - optind != 1) {
        assess_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    char *end = NULL;
    long long pid = strtoll(argv[optind], &end, 10);
    if (!argv[optind][0] || *end || pid <= 0) {
        cli_error("assess", "Person-Nr. '%s' ist keine positive Zahl", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("assess", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct assess_catalog_choice choice = {0};
    struct store *st = NULL;
    struct cli_identity who = {0};
    struct store_actor actor;
    struct assess_person p = {0};
    int ex = cli_open_store("assess", db, 0, &st);
    if (ex)
        return ex;
    ex = cli_catalog_choose("assess", st, catalog, CLI_CATALOG_SIMULATE, &choice);
    if (ex)
        goto out;
    const struct assess_catalog *cat = choice.cat;
    ex = cli_user_actor("assess", st, user, purpose, &who, &actor);
    if (ex)
        goto out;
    fn_status rc = assess_person(st, &actor, cat, pid, today, &p);
    if (rc == FN_DENIED) {
        cli_store_refused("assess", &actor, rc);
        ex = CLI_EXIT_FAIL;
        goto out;
    }
    if (rc == FN_NOTFOUND) {
        cli_error("assess", "keine Person mit der Nummer %lld", pid);
        ex = CLI_EXIT_FAIL;
        goto out;
    }
    if (rc) {
        cli_error("assess", "Lesen fehlgeschlagen: %s", fn_status_str(rc));
        ex = CLI_EXIT_FAIL;
        goto out;
    }
    const struct assess_result *res = &p.result;
    printf("Initialbewertung Person %lld (%s, %s) – Katalog %s %s, SHA-256 %.16s…%s\n", pid,
           p.family_name ? p.family_name : "–", p.given_names ? p.given_names : "–", cat->name,
           cat->version, cat->hash, choice.simulation ? " (Simulation)" : " (freigegeben)");
    printf("  Sperren: %s", res->blocked ? "JA –" : "keine\n");
    for (int i = 0; i < res->ngates; i++)
        printf(" %s%s%s", cat->rules[res->gates[i]].id,
               res->gate_unresolved[i] ? " (ungeklärt)" : "", i + 1 < res->ngates ? "," : "\n");
    for (int i = 0; i < res->ntrace; i++) {
        if (!res->trace[i].unresolved)
            continue;
        struct fn_buf miss;
        fn_buf_init(&miss, 2048);
        if (assess_missing_text(cat, &res->trace[i], &miss) == FN_OK)
            printf("  Ungeklärt: %s %s – nicht erfasst: %s\n", cat->rules[res->trace[i].rule].id,
                   cat->rules[res->trace[i].rule].title, fn_buf_str(&miss));
        fn_buf_free(&miss);
    }
    printf("  Prioritätsband: %c (%d Punkte)\n", res->band, res->points);
    printf("  Gegengewichte: ");
    if (!res->nweighing)
        printf("keine\n");
    for (int i = 0; i < res->nweighing; i++)
        printf("%s%s", cat->rules[res->weighing[i]].id,
               i + 1 < res->nweighing ? ", " : " – Einzelfallabwägung erforderlich\n");
    printf("  Machbarkeit: %s (%+d)\n", res->feasibility_band, res->feasibility);
    printf("  Fristen: ");
    if (!res->ndeadlines)
        printf("keine\n");
    for (int i = 0; i < res->ndeadlines; i++) {
        char when[64];
        assess_deadline_text(res->deadlines[i].days, when, sizeof when);
        printf("%s %s%s", cat->rules[res->deadlines[i].rule].id, when,
               i + 1 < res->ndeadlines ? "; " : "\n");
    }
    printf("  Hinweis: Die Bewertung ordnet die Arbeitsliste. Entscheidungen trifft eine\n"
           "  benannte Person mit Begründung; Abweichungen sind vorgesehen.\n");
    if (explain) {
        printf("\nErklärung (jede Regel, die Tatsachen, die sie gelesen hat):\n");
        for (int i = 0; i < res->ntrace; i++) {
            const struct assess_trace *t = &res->trace[i];
            const struct assess_rule *r = &cat->rules[t->rule];
            printf("  [%s] %-4s %s\n       %s (%s)%s\n",
                   t->subsumed     ? "~"
                   : t->fired      ? "X"
                   : t->unresolved ? "?"
                                   : " ",
                   r->id, r->title, r->norm, r->version,
                   r->unverified ? ", Schwelle ungeprüft" : "");
            print_fact_values(r, t);
            if (t->subsumed)
                printf("       → trifft zu, aber in der Gruppe '%s' zählt eine höhere Regel "
                       "(keine Doppelwertung)\n",
                       r->group);
            else if (t->fired)
                printf("       → %s\n", r->explanation);
            else if (t->unresolved)
                printf("       → ungeklärt: nicht erfasste Tatsachen sperren, bis sie erfasst "
                       "sind (nur eine erfasste Tatsache öffnet eine Sperre)\n");
        }
    }
    ex = CLI_EXIT_OK;
out:
    assess_person_clear(&p);
    cli_identity_clear(&who);
    assess_choice_clear(&choice);
    store_close(st);
    return ex;
}
