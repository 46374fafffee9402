/*
 * cli_fact.c – `fallnetz fact`: facts that officials record (issue 13),
 * as the API records them (src/ingest/fact_input.h, store_fact_*): record,
 * correct (a new row supersedes the old one), withdraw (the row stays),
 * history, and the fields of each kind. Acts as a named account (--user),
 * scoped like the API: sachbearbeitung of the responsible authority.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "ingest/fact_input.h"
#include "store/backend.h"

#define FACT_PURPOSE "Aktenbearbeitung"

static void fact_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz fact record PERSON-NR ART FELD=WERT... --user KENNUNG\n"
            "        fallnetz fact correct PERSON-NR FAKT ART FELD=WERT... --reason TEXT "
            "--user KENNUNG\n"
            "        fallnetz fact withdraw PERSON-NR FAKT --reason TEXT --user KENNUNG\n"
            "        fallnetz fact history PERSON-NR --user KENNUNG\n"
            "        fallnetz fact fields [ART]\n\n"
            "Erfasst Tatsachen zu einer Person mit Quelle, berichtigt sie (der neue Eintrag\n"
            "ersetzt den alten, der alte bleibt mit Grund erhalten) oder zieht sie mit Grund\n"
            "zurück (der Eintrag bleibt erhalten). Jede Änderung wird protokolliert, und die\n"
            "Person wird neu bewertet. Arten: aufenthaltsstatus, verurteilung, strafverfahren,\n"
            "haft, hindernis, feststellung, ausweisdokument. FAKT ist Tabelle und Nummer, wie\n"
            "history sie zeigt (etwa strafverfahren-12). Jede Art braucht "
            "source_kind=dokument|mitteilung|\n"
            "register und source_ref=BELEG; fact fields ART nennt die Felder (* Pflicht).\n"
            "Datumsangaben JJJJ-MM-TT, ja/nein, Normen wie \"§ 224 StGB\" (mehrere mit ;).\n\n"
            "  --user KENNUNG   Benutzerkonto, für das gehandelt wird (Pflicht außer bei fields)\n"
            "  --reason TEXT    Grund der Berichtigung oder Rücknahme\n"
            "  --db PFAD        Datenbank (Vorgabe: %s)\n"
            "  --today DATUM    Stichtag für die Prüfung der Daten (Vorgabe: heute)\n"
            "  -h, --help       diese Hilfe\n",
            CLI_DEFAULT_DB);
}

/* fact fields [ART]: the fields of one kind or of every kind. */
static int print_fields(const char *kind_code)
{
    for (int k = 0; k < FACT_IN_COUNT; k++) {
        if (kind_code && strcmp(kind_code, fact_input_kind_code((enum fact_input_kind)k)) != 0)
            continue;
        const char *names[40];
        size_t n = fact_input_fields((enum fact_input_kind)k, names, 40);
        printf("%s (%s):", fact_input_kind_code((enum fact_input_kind)k),
               fact_input_kind_label((enum fact_input_kind)k));
        for (size_t i = 0; i < n; i++)
            printf(" %s", names[i]);
        printf("\n");
        if (kind_code)
            return CLI_EXIT_OK;
    }
    if (kind_code) {
        cli_error("fact", "unbekannte Art '%s' (fallnetz fact fields nennt alle)", kind_code);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Parses kind_code and the NAME=WERT arguments into in; prints the refusal. */
static int parse_fact(const char *kind_code, int argc, char **argv, int64_t person, int32_t today,
                      struct fact_input *in)
{
    enum fact_input_kind k;
    if (fact_input_kind_parse(kind_code, &k) != FN_OK) {
        cli_error("fact",
                  "unbekannte Art '%s'; erlaubt: aufenthaltsstatus, verurteilung, "
                  "strafverfahren, haft, hindernis, feststellung, ausweisdokument",
                  kind_code);
        return CLI_EXIT_USAGE;
    }
    fact_input_init(in, k, person);
    struct fact_input_error err;
    for (int i = 0; i < argc; i++) {
        char name[64];
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof name) {
            cli_error("fact", "'%s' ist nicht in der Form FELD=WERT", argv[i]);
            return CLI_EXIT_USAGE;
        }
        memcpy(name, argv[i], (size_t)(eq - argv[i]));
        name[eq - argv[i]] = '\0';
        fn_status rc = fact_input_set(in, name, eq + 1, today, &err);
        if (rc) {
            cli_error("fact", "%s", rc == FN_INVALID ? err.message : fn_status_str(rc));
            return CLI_EXIT_USAGE;
        }
    }
    if (fact_input_finish(in, &err) != FN_OK) {
        cli_error("fact", "%s", err.message);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The history walk: prints every row, or (find set) only looks for it. */
struct walk {
    const char *find; /* a ref to look for, or NULL to print */
    int found;        /* 1: found and current, 2: found, retired */
    size_t rows;
};

static fn_status history_row(void *ctx, enum store_fact_kind kind,
                             const struct store_table_row *row)
{
    struct walk *w = ctx;
    struct fact_view v;
    fact_view_of(kind, row, &v);
    w->rows++;
    if (w->find) {
        if (strcmp(v.ref, w->find) == 0)
            w->found = strcmp(v.status, "aktuell") == 0 ? 1 : 2;
        return FN_OK;
    }
    printf("%s  %s  %s\n", v.ref, fact_input_kind_label(v.kind), v.status);
    for (size_t i = 0; i < v.n; i++)
        printf("    %s=%s\n", v.names[i], v.values[i]);
    printf("    Quelle: %s (%s); erfasst von %s am %s\n", v.source_kind ? v.source_kind : "-",
           v.source_ref ? v.source_ref : "-", v.recorded_by ? v.recorded_by : "-",
           v.recorded_at ? v.recorded_at : "-");
    if (v.retired_at)
        printf("    %s von %s am %s: %s%s%s\n", v.successor[0] ? "berichtigt" : "zurückgezogen",
               v.retired_by ? v.retired_by : "-", v.retired_at, v.reason ? v.reason : "-",
               v.successor[0] ? "; ersetzt durch " : "", v.successor);
    return FN_OK;
}

/* Parses "<table>-<id>" of person's facts: the kind, the id and whether it
 * is the person's current fact (prints why not). */
static int resolve_fact(struct store *st, const struct store_actor *a, int64_t person,
                        const char *ref, enum store_fact_kind *kind, int64_t *id)
{
    const char *dash = strrchr(ref, '-');
    char *end = NULL;
    long long v = dash ? strtoll(dash + 1, &end, 10) : 0;
    *kind = STORE_FACT_COUNT;
    for (int k = STORE_FACT_RESIDENCE; dash && k <= STORE_FACT_TRAVEL_DOC; k++) {
        const char *name = store_fact_name((enum store_fact_kind)k);
        if (strlen(name) == (size_t)(dash - ref) && strncmp(ref, name, strlen(name)) == 0)
            *kind = (enum store_fact_kind)k;
    }
    if (*kind == STORE_FACT_COUNT || v <= 0 || !end || *end) {
        cli_error("fact", "'%s' ist kein Fakt (Art und Nummer wie strafverfahren-12)", ref);
        return CLI_EXIT_USAGE;
    }
    *id = v;
    struct walk w = {.find = ref};
    fn_status rc = store_fact_history(st, a, person, history_row, &w);
    if (rc == FN_NOTFOUND || (!rc && !w.found)) {
        cli_error("fact",
                  "Person %lld hat keinen Fakt %s (oder liegt außerhalb Ihrer "
                  "Zuständigkeit)",
                  (long long)person, ref);
        return CLI_EXIT_FAIL;
    }
    if (rc) {
        cli_store_refused("fact", a, rc);
        return CLI_EXIT_FAIL;
    }
    if (w.found == 2) {
        cli_error("fact",
                  "%s ist bereits berichtigt oder zurückgezogen (fact history zeigt, was "
                  "jetzt gilt)",
                  ref);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

/* Runs one subcommand on the open store; returns the exit code. */
static int run(struct store *st, const struct store_actor *a, const char *sub, int64_t person,
               int argc, char **argv, const char *reason, int32_t today)
{
    struct fact_input in;
    memset(&in, 0, sizeof in);
    struct fact_input_error err;
    int ex = CLI_EXIT_USAGE;
    enum store_fact_kind kind = STORE_FACT_COUNT;
    int64_t id = 0, new_id = 0;
    fn_status rc = FN_OK;
    if (strcmp(sub, "history") == 0) {
        struct walk w = {0};
        rc = store_fact_history(st, a, person, history_row, &w);
        if (!rc && !w.rows)
            printf("Zu Person %lld sind keine Fakten erfasst.\n", (long long)person);
        ex = CLI_EXIT_OK;
    } else if (strcmp(sub, "record") == 0) {
        if (argc < 1)
            goto usage;
        ex = parse_fact(argv[0], argc - 1, argv + 1, person, today, &in);
        if (ex)
            goto out;
        struct store_fact_source src = fact_input_source(&in);
        kind = fact_input_store_kind(&in);
        rc = store_fact_record(st, a, kind, fact_input_fact(&in), &src, &id);
        if (!rc)
            printf("Erfasst: %s-%lld (%s) zu Person %lld durch %s.\n", store_fact_name(kind),
                   (long long)id, fact_input_kind_label(in.kind), (long long)person, a->login);
    } else if (strcmp(sub, "correct") == 0 || strcmp(sub, "withdraw") == 0) {
        int correct = sub[0] == 'c';
        if (argc < (correct ? 2 : 1))
            goto usage;
        if (fact_input_reason_check(reason, &err) != FN_OK) {
            cli_error("fact", "--reason: %s", err.message);
            goto out;
        }
        ex = correct ? parse_fact(argv[1], argc - 2, argv + 2, person, today, &in) : CLI_EXIT_OK;
        if (!ex)
            ex = resolve_fact(st, a, person, argv[0], &kind, &id);
        if (!ex && correct && fact_input_store_kind(&in) != kind) {
            cli_error("fact", "%s lässt sich nur durch einen Fakt der gleichen Art berichtigen",
                      argv[0]);
            ex = CLI_EXIT_USAGE;
        }
        if (ex)
            goto out;
        struct store_fact_source src = fact_input_source(&in);
        rc = correct
                 ? store_fact_correct(st, a, kind, id, fact_input_fact(&in), &src, reason, &new_id)
                 : store_fact_withdraw(st, a, kind, id, reason);
        if (!rc && correct)
            printf("Berichtigt: %s ersetzt durch %s-%lld.\n", argv[0], store_fact_name(kind),
                   (long long)new_id);
        else if (!rc)
            printf("Zurückgezogen: %s (bleibt im Verlauf erhalten).\n", argv[0]);
    } else {
        goto usage;
    }
    if (rc == FN_STALE)
        cli_error("fact", "%s wurde inzwischen berichtigt oder zurückgezogen", argv[0]);
    else if (rc == FN_NOTFOUND)
        cli_error("fact", "keine Person %lld (oder außerhalb Ihrer Zuständigkeit)",
                  (long long)person);
    else if (rc)
        cli_store_refused("fact", a, rc);
    ex = rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
    goto out;
usage:
    fact_usage(stderr);
    ex = CLI_EXIT_USAGE;
out:
    fact_input_clear(&in);
    return ex;
}

int cli_fact(int argc, char **argv)
{
    static const struct option opts[] = {
        {"user", required_argument, NULL, 'u'}, {"reason", required_argument, NULL, 'r'},
        {"db", required_argument, NULL, 'd'},   {"today", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *user = NULL, *reason = NULL, *today_arg = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            user = optarg;
            break;
        case 'r':
            reason = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 't':
            today_arg = optarg;
            break;
        case 'h':
            fact_usage(stdout);
            return CLI_EXIT_OK;
        default:
            fact_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind < 1) {
        fact_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[optind];
    if (strcmp(sub, "fields") == 0)
        return print_fields(argc - optind > 1 ? argv[optind + 1] : NULL);
    char *end = NULL;
    long long pid = argc - optind > 1 ? strtoll(argv[optind + 1], &end, 10) : 0;
    if (pid <= 0 || !end || *end) {
        cli_error("fact", "Person-Nr. fehlt oder ist keine positive Zahl");
        return CLI_EXIT_USAGE;
    }
    if (!user) {
        cli_error("fact", "--user KENNUNG fehlt: Fakten erfasst eine benannte Person");
        return CLI_EXIT_USAGE;
    }
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("fact", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    struct cli_identity who = {0};
    struct store_actor actor;
    int ex = cli_open_store("fact", db, 0, &st);
    if (!ex)
        ex = cli_user_actor("fact", st, user, FACT_PURPOSE, &who, &actor);
    if (!ex)
        ex = run(st, &actor, sub, pid, argc - optind - 2, argv + optind + 2, reason, today);
    cli_identity_clear(&who);
    store_close(st);
    return ex;
}
