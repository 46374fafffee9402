/*
 * cli_decide.c – `fallnetz decide`: a named person records the decision on
 * intake into case management, with a reason, against the assessment it was
 * made on. Departures from the assessment are normal and recorded as such;
 * overriding a gate needs a second person when the catalogue says so.
 * fallnetz changes no case status by itself.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/catalog.h"
#include "assess/decide.h"
#include "cli/cli.h"
#include "cli/cli_catalog.h"
#include "cli/cli_store.h"
#include "core/buf.h"
#include "core/pdate.h"

static void decide_usage(FILE *out)
{
    fprintf(out, "Aufruf: fallnetz decide PERSON-NR (--accept | --decline) --reason TEXT\n"
                 "                        --user KENNUNG [--second-user KENNUNG]\n"
                 "                        [--catalog DATEI] [--db PFAD] [--today JJJJ-MM-TT]\n\n"
                 "Erfasst die Entscheidung über die Aufnahme ins Fallmanagement mit Begründung.\n"
                 "Die aktuelle Initialbewertung wird mit gespeichert. Eine Aufnahme trotz Sperre\n"
                 "oder eine Ablehnung trotz Band A ist eine Abweichung und wird als solche\n"
                 "protokolliert; eine Aufnahme trotz Sperre braucht eine zweite Person, wenn der\n"
                 "Katalog es verlangt. Der Fallstatus wird nicht verändert.\n\n"
                 "Entschieden wird nur mit dem freigegebenen Katalog (fallnetz catalog list);\n"
                 "ohne Freigabe oder mit einem anderen --catalog wird nichts gespeichert.\n\n"
                 "Die Begründung braucht mindestens 10 Zeichen ohne Leerzeichen, davon\n"
                 "mindestens 5 Buchstaben, und höchstens 4000 Bytes.\n");
}

int cli_decide(int argc, char **argv)
{
    static const struct option opts[] = {{"accept", no_argument, NULL, 'a'},
                                         {"decline", no_argument, NULL, 'n'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"second-user", required_argument, NULL, 's'},
                                         {"catalog", required_argument, NULL, 'c'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"today", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *catalog = NULL, *reason = NULL, *user = NULL;
    const char *second = NULL, *today_arg = NULL;
    int accept = -1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
        case 'n':
            if (accept >= 0) {
                cli_error("decide", "--accept und --decline schließen sich aus");
                return CLI_EXIT_USAGE;
            }
            accept = c == 'a';
            break;
        case 'r':
            reason = optarg;
            break;
        case 'u':
            user = optarg;
            break;
        case 's':
            second = optarg;
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
        case 'h':
            decide_usage(stdout);
            return CLI_EXIT_OK;
        default:
            decide_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || accept < 0) {
        decide_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *why = NULL;
    if (assess_reason_check(reason, &why) != FN_OK) {
        cli_error("decide", "--reason: %s", why);
        return CLI_EXIT_USAGE;
    }
    char *end = NULL;
    long long pid = strtoll(argv[optind], &end, 10);
    if (!argv[optind][0] || *end || pid <= 0) {
        cli_error("decide", "Person-Nr. '%s' ist keine positive Zahl", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        cli_error("decide", "--today erwartet ein volles Datum JJJJ-MM-TT");
        return CLI_EXIT_USAGE;
    }
    struct assess_catalog_choice choice = {0};
    struct store *st = NULL;
    struct cli_identity who = {0};
    int ex = cli_open_store("decide", db, 0, &st);
    if (!ex)
        ex = cli_catalog_choose("decide", st, catalog, CLI_CATALOG_STORE, &choice);
    if (ex)
        goto out;
    const struct assess_catalog *cat = choice.cat;
    struct store_actor actor;
    ex = cli_user_actor("decide", st, user, "Entscheidung Aufnahme Fallmanagement", &who, &actor);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    struct decide_request req = {.person_id = pid,
                                 .accept = accept,
                                 .reason = reason,
                                 .second_login = second,
                                 .today = today};
    struct decide_outcome res;
    fn_status rc = decide_record(st, &actor, cat, &req, &res);
    if (rc) {
        cli_error("decide", "%s", res.message);
        goto out;
    }
    printf("Katalog %s, Version %s, SHA-256 %s (freigegeben).\n", cat->name, cat->version,
           cat->hash);
    printf("Entscheidung %lld erfasst: %s für Person %lld durch %s%s%s (Bewertung %lld: "
           "Band %c, %d Punkte%s).\n%s%s\nDer Fallstatus wurde nicht verändert.\n",
           (long long)res.decision_id, accept ? "Aufnahme" : "Ablehnung", pid, actor.login,
           second ? " und " : "", second ? second : "", (long long)res.assessment_id, res.band,
           res.points, res.blocked ? ", Sperre" : "", res.override[0] ? "Abweichung: " : "",
           res.override);
    ex = CLI_EXIT_OK;
out:
    cli_identity_clear(&who);
    assess_choice_clear(&choice);
    store_close(st);
    return ex;
}
