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

#include "assess/catalog.h"
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/pdate.h"
#include "core/progress.h"

const char *cli_default_catalog(void);

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
            "  --store          mit --all: jede geänderte Bewertung mit Erklärung speichern\n"
            "                   (unveränderte werden nicht erneut gespeichert)\n"
            "  --catalog DATEI  Katalog (Vorgabe: $FALLNETZ_CATALOG oder\n"
            "                   catalog/initialbewertung.cat)\n"
            "  --today DATUM    Stichtag (Vorgabe: heute)\n");
}

static void print_fact_values(const struct assess_rule *r, const struct assess_trace *t)
{
    for (int k = 0; k < r->nconds; k++) {
        const struct assess_fact_def *def = assess_fact_def((enum assess_fact_id)r->conds[k].fact);
        if (def->type == FACT_BOOL)
            printf("       %s = %s (Bedingung %s %s)\n", def->label_de, t->read[k] ? "ja" : "nein",
                   r->conds[k].op, r->conds[k].value ? "ja" : "nein");
        else
            printf("       %s = %d (Bedingung %s %d)\n", def->label_de, t->read[k], r->conds[k].op,
                   r->conds[k].value);
    }
}

/* Assesses every person; with keep, stores each assessment whose digest
 * differs from the person's latest stored one. */
static int assess_all(const char *db, const char *catalog, const char *today_arg, const char *user,
                      const char *purpose, int keep)
{
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("assess", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct fn_buf errors, trace;
    fn_buf_init(&errors, 256 * 1024);
    fn_buf_init(&trace, 64 * 1024);
    struct assess_catalog *cat = NULL;
    struct store *st = NULL;
    struct store_person_summary *page = NULL;
    int ex = CLI_EXIT_FAIL;
    long counts[3] = {0}, blocked = 0, stored = 0, total = 0;
    if (assess_catalog_load(catalog ? catalog : cli_default_catalog(), &cat, &errors) != FN_OK) {
        fputs(fn_buf_str(&errors), stderr);
        goto out;
    }
    ex = cli_open_store("assess", db, 0, &st);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    struct store_actor actor;
    cli_actor(&actor, user, purpose);
    int64_t n = 0;
    if (store_person_count(st, &n) != FN_OK)
        goto out;
    struct fn_progress prog;
    fn_progress_start(&prog, "Bewertung", (unsigned long long)n);
    int64_t after = 0;
    fn_status rc = FN_OK;
    for (;;) {
        size_t got = 0;
        rc = store_person_list(st, &actor, 0, after, 1000, &page, &got);
        if (rc || !got)
            break;
        if (keep)
            rc = store_begin(st);
        for (size_t i = 0; i < got && !rc; i++) {
            struct model_person_file *f = NULL;
            rc = store_person_get(st, &actor, page[i].id, &f);
            if (rc)
                break;
            struct assess_facts facts;
            assess_facts_from_file(f, today, &facts);
            model_person_file_free(f);
            struct assess_result r;
            assess_evaluate(cat, &facts, &r);
            total++;
            blocked += r.blocked;
            counts[r.band - 'A']++;
            if (!keep)
                continue;
            fn_buf_reset(&trace);
            rc = assess_trace_json(cat, &facts, &r, &trace);
            char digest[65], last[65];
            assess_digest(cat, &r, fn_buf_str(&trace), digest);
            fn_status lrc = rc ? rc : store_assessment_latest_digest(st, page[i].id, last);
            if (lrc == FN_OK && strcmp(last, digest) == 0)
                continue; /* unchanged: the stored assessment still holds */
            if (lrc != FN_OK && lrc != FN_NOTFOUND) {
                rc = lrc;
                break;
            }
            struct store_assessment as = {.person_id = page[i].id,
                                          .catalog_version = cat->version,
                                          .catalog_hash = cat->hash,
                                          .blocked = r.blocked,
                                          .band = r.band,
                                          .points = r.points,
                                          .feasibility = r.feasibility_band,
                                          .trace_json = fn_buf_str(&trace),
                                          .digest = digest};
            rc = store_assessment_insert(st, &actor, &as);
            stored += !rc;
        }
        if (keep) {
            if (rc)
                store_rollback(st);
            else
                rc = store_commit(st);
        }
        after = page[got - 1].id;
        fn_free(page);
        page = NULL;
        fn_progress_update(&prog, (unsigned long long)total);
        if (rc)
            break;
    }
    fn_progress_finish(&prog, (unsigned long long)total);
    if (rc) {
        cli_error("assess", "Bewertung abgebrochen: %s (%s)", fn_status_str(rc), store_errmsg(st));
        goto out;
    }
    printf("%ld Personen bewertet (Katalog %s): Band A %ld, B %ld, C %ld; mit Sperre %ld%s", total,
           cat->version, counts[0], counts[1], counts[2], blocked, keep ? "" : ".\n");
    if (keep)
        printf("; %ld geänderte Bewertungen gespeichert.\n", stored);
    ex = CLI_EXIT_OK;
out:
    fn_free(page);
    store_close(st);
    assess_catalog_free(cat);
    fn_buf_free(&errors);
    fn_buf_free(&trace);
    return ex;
}

int cli_assess(int argc, char **argv)
{
    static const struct option opts[] = {
        {"explain", no_argument, NULL, 'e'},    {"all", no_argument, NULL, 'A'},
        {"store", no_argument, NULL, 'S'},      {"catalog", required_argument, NULL, 'c'},
        {"db", required_argument, NULL, 'd'},   {"today", required_argument, NULL, 't'},
        {"user", required_argument, NULL, 'u'}, {"purpose", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *catalog = NULL, *today_arg = NULL, *user = NULL;
    const char *purpose = "Initialbewertung";
    int explain = 0, all = 0, keep = 0, c;
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
    if (all) {
        if (argc != optind || explain) {
            assess_usage(stderr);
            return CLI_EXIT_USAGE;
        }
        return assess_all(db, catalog, today_arg, user, purpose, keep);
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
    struct fn_buf errors;
    fn_buf_init(&errors, 256 * 1024);
    struct assess_catalog *cat = NULL;
    if (assess_catalog_load(catalog ? catalog : cli_default_catalog(), &cat, &errors) != FN_OK) {
        fputs(fn_buf_str(&errors), stderr);
        fn_buf_free(&errors);
        return CLI_EXIT_FAIL;
    }
    fn_buf_free(&errors);
    struct store *st = NULL;
    int ex = cli_open_store("assess", db, 0, &st);
    if (ex) {
        assess_catalog_free(cat);
        return ex;
    }
    struct store_actor actor;
    cli_actor(&actor, user, purpose);
    struct model_person_file *f = NULL;
    fn_status rc = store_person_get(st, &actor, pid, &f);
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
    struct assess_facts facts;
    assess_facts_from_file(f, today, &facts);
    struct assess_result res;
    assess_evaluate(cat, &facts, &res);
    printf("Initialbewertung Person %lld (%s, %s) – Katalog %s %s, SHA-256 %.16s…\n", pid,
           f->person->family_name ? f->person->family_name : "–",
           f->person->given_names ? f->person->given_names : "–", cat->name, cat->version,
           cat->hash);
    printf("  Sperren: %s", res.blocked ? "JA –" : "keine\n");
    for (int i = 0; i < res.ngates; i++)
        printf(" %s%s", cat->rules[res.gates[i]].id, i + 1 < res.ngates ? "," : "\n");
    printf("  Prioritätsband: %c (%d Punkte)\n", res.band, res.points);
    printf("  Gegengewichte: ");
    if (!res.nweighing)
        printf("keine\n");
    for (int i = 0; i < res.nweighing; i++)
        printf("%s%s", cat->rules[res.weighing[i]].id,
               i + 1 < res.nweighing ? ", " : " – Einzelfallabwägung erforderlich\n");
    printf("  Machbarkeit: %s (%+d)\n", res.feasibility_band, res.feasibility);
    printf("  Fristen: ");
    if (!res.ndeadlines)
        printf("keine\n");
    for (int i = 0; i < res.ndeadlines; i++)
        printf("%s in %d Tagen%s", cat->rules[res.deadlines[i].rule].id, res.deadlines[i].days,
               i + 1 < res.ndeadlines ? "; " : "\n");
    printf("  Hinweis: Die Bewertung ordnet die Arbeitsliste. Entscheidungen trifft eine\n"
           "  benannte Person mit Begründung; Abweichungen sind vorgesehen.\n");
    if (explain) {
        printf("\nErklärung (jede Regel, die Tatsachen, die sie gelesen hat):\n");
        for (int i = 0; i < res.ntrace; i++) {
            const struct assess_trace *t = &res.trace[i];
            const struct assess_rule *r = &cat->rules[t->rule];
            printf("  [%s] %-4s %s\n       %s (%s)%s\n", t->fired ? "X" : " ", r->id, r->title,
                   r->norm, r->version, r->unverified ? ", Schwelle ungeprüft" : "");
            print_fact_values(r, t);
            if (t->fired)
                printf("       → %s\n", r->explanation);
        }
    }
    ex = CLI_EXIT_OK;
out:
    model_person_file_free(f);
    store_close(st);
    assess_catalog_free(cat);
    return ex;
}
