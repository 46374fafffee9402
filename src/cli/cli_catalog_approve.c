/*
 * cli_catalog_approve.c – catalogue approval on the command line (issue
 * 13): `fallnetz catalog propose FILE`, `approve SHA256` (a second admin
 * account), `list`, `show --approved | --sha256 SHA256`, and the choice of
 * the catalogue for the commands that assess (cli_catalog.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "assess/approval.h"
#include "cli/cli.h"
#include "cli/cli_catalog.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"

int cli_catalog_choose(const char *cmd, struct store *st, const char *file,
                       enum cli_catalog_use use, struct assess_catalog_choice *out)
{
    struct fn_buf errors;
    fn_buf_init(&errors, 256 * 1024);
    int ex = CLI_EXIT_FAIL;
    fn_status rc = assess_choose_catalog(st, file, out, &errors);
    if (rc == FN_NOTFOUND && !file && use == CLI_CATALOG_SIMULATE)
        rc = assess_choose_catalog(st, cli_default_catalog(), out, &errors);
    if (rc == FN_NOTFOUND && !file) {
        cli_error(cmd, "%s", ASSESS_NO_APPROVAL);
        goto out;
    }
    if (rc == FN_CORRUPT) {
        cli_error(cmd,
                  "der freigegebene Katalog %.16s… wird vom Prüfer nicht mehr angenommen; "
                  "einen geprüften Katalog vorschlagen und freigeben:",
                  out->in_force);
        fputs(fn_buf_str(&errors), stderr);
        goto out;
    }
    if (rc) {
        fputs(fn_buf_str(&errors), stderr);
        if (!errors.len)
            cli_error(cmd, "Katalog nicht lesbar: %s", fn_status_str(rc));
        goto out;
    }
    if (out->simulation && use == CLI_CATALOG_STORE) {
        cli_error(cmd, "%s %.16s…: %s", ASSESS_SIMULATION_LABEL, out->cat->hash,
                  out->in_force[0] ? "eine Simulation wird nie gespeichert (ohne --catalog gilt "
                                     "der freigegebene Katalog)."
                                   : ASSESS_NO_APPROVAL);
        assess_choice_clear(out);
        goto out;
    }
    if (out->simulation) {
        char label[256];
        assess_choice_label(out, label, sizeof label);
        printf("%s\n", label);
    }
    ex = CLI_EXIT_OK;
out:
    fn_buf_free(&errors);
    return ex;
}

int cli_catalog_is_store_cmd(int argc, char **argv)
{
    if (argc < 2)
        return 0;
    if (strcmp(argv[1], "propose") == 0 || strcmp(argv[1], "approve") == 0 ||
        strcmp(argv[1], "list") == 0)
        return 1;
    if (strcmp(argv[1], "show") != 0)
        return 0;
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--approved") == 0 || strncmp(argv[i], "--sha256", 8) == 0)
            return 1;
    return 0;
}

static void store_usage(FILE *out)
{
    fprintf(out, "Aufruf: fallnetz catalog propose DATEI --user KENNUNG [--db PFAD]\n"
                 "        fallnetz catalog approve SHA256 --user KENNUNG [--db PFAD]\n"
                 "        fallnetz catalog list [--db PFAD]\n"
                 "        fallnetz catalog show (--approved | --sha256 SHA256) [--db PFAD]\n\n"
                 "Freigabe im Vier-Augen-Prinzip: ein Konto mit der Rolle admin schlägt einen\n"
                 "Katalog vor, ein anderes Admin-Konto gibt ihn mit seinem SHA-256 frei. Nur der\n"
                 "zuletzt freigegebene Katalog gilt für gespeicherte Bewertungen und\n"
                 "Entscheidungen (assess, decide, serve); jeder andere ist eine Simulation.\n");
}

static const char *status_text(const struct store_catalogue *c)
{
    return c->active ? "freigegeben (gilt)" : c->approved_by[0] ? "abgelöst" : "vorgeschlagen";
}

static fn_status print_row(void *ctx, const struct store_catalogue *c)
{
    int *n = ctx;
    (*n)++;
    printf("%-19s %s\n  %s, Version %s\n  vorgeschlagen von %s am %s\n", status_text(c), c->sha256,
           c->name, c->version, c->proposed_by, c->proposed_at);
    if (c->approved_by[0])
        printf("  freigegeben von %s am %s\n", c->approved_by, c->approved_at);
    return FN_OK;
}

static int run_list(struct store *st)
{
    int n = 0;
    fn_status rc = store_catalogue_each(st, print_row, &n);
    if (rc) {
        cli_error("catalog", "Kataloge nicht lesbar: %s", fn_status_str(rc));
        return CLI_EXIT_FAIL;
    }
    if (!n)
        printf("Keine Kataloge gespeichert. %s\n", ASSESS_NO_APPROVAL);
    return CLI_EXIT_OK;
}

static int run_show(struct store *st, const char *sha256)
{
    struct store_catalogue c;
    struct assess_catalog *cat = NULL;
    struct fn_buf errors;
    fn_buf_init(&errors, 256 * 1024);
    int ex = CLI_EXIT_FAIL;
    fn_status rc = store_catalogue_get(st, sha256, &c);
    if (rc == FN_NOTFOUND) {
        cli_error("catalog", "%s",
                  sha256 ? "kein gespeicherter Katalog mit diesem SHA-256" : ASSESS_NO_APPROVAL);
        goto out;
    }
    if (rc) {
        cli_error("catalog", "Katalog nicht lesbar: %s", fn_status_str(rc));
        goto out;
    }
    int n = 0;
    rc = print_row(&n, &c);
    if (!rc)
        rc = assess_catalog_parse(c.text, strlen(c.text), c.sha256, &cat, &errors);
    if (rc) {
        fputs(fn_buf_str(&errors), stderr);
        goto out;
    }
    printf("\n");
    cli_catalog_print(cat);
    ex = CLI_EXIT_OK;
out:
    assess_catalog_free(cat);
    store_catalogue_clear(&c);
    fn_buf_free(&errors);
    return ex;
}

/* propose (file) or approve (sha256) as the account login. */
static int run_act(struct store *st, const char *what, const char *arg, const char *login)
{
    struct cli_identity who = {0};
    struct store_actor actor;
    struct store_catalogue c = {0};
    struct fn_buf errors;
    fn_buf_init(&errors, 256 * 1024);
    char *text = NULL;
    size_t len = 0;
    int propose = strcmp(what, "propose") == 0;
    int ex = cli_user_actor("catalog", st, login, "Katalogfreigabe", &who, &actor);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    fn_status rc = FN_OK;
    if (propose) {
        rc = fn_read_file(arg, STORE_CATALOGUE_MAX_BYTES, &text, &len);
        if (rc) {
            cli_error("catalog", "%s: Datei nicht lesbar (%s)", arg, fn_status_str(rc));
            goto out;
        }
        rc = assess_catalog_propose(st, &actor, text, len, arg, &c, &errors);
    } else {
        rc = assess_catalog_approve(st, &actor, arg, &c, &errors);
    }
    if (rc == FN_INVALID && errors.len) {
        fputs(fn_buf_str(&errors), stderr);
        cli_error("catalog", "der Katalog wird vom Prüfer nicht angenommen; nichts gespeichert");
        goto out;
    }
    if (rc) {
        const char *why = store_errmsg(st);
        cli_error("catalog", "%s nicht gespeichert: %s", propose ? "Vorschlag" : "Freigabe",
                  why[0]              ? why
                  : rc == FN_NOTFOUND ? "kein gespeicherter Katalog mit diesem SHA-256"
                                      : fn_status_str(rc));
        goto out;
    }
    if (propose)
        printf("Katalog vorgeschlagen: %s, Version %s\nSHA-256 %s\nvon %s am %s.\n"
               "Freigabe durch ein ZWEITES Admin-Konto: fallnetz catalog approve %s --user "
               "KENNUNG\n",
               c.name, c.version, c.sha256, c.proposed_by, c.proposed_at, c.sha256);
    else
        printf("Katalog freigegeben: %s, Version %s\nSHA-256 %s\nvorgeschlagen von %s, "
               "freigegeben von %s am %s.\nEr gilt ab sofort für assess, worklist, decide und "
               "serve.\n",
               c.name, c.version, c.sha256, c.proposed_by, c.approved_by, c.approved_at);
    ex = CLI_EXIT_OK;
out:
    fn_free(text);
    fn_buf_free(&errors);
    cli_identity_clear(&who);
    return ex;
}

int cli_catalog_store(int argc, char **argv)
{
    static const struct option opts[] = {
        {"user", required_argument, NULL, 'u'}, {"db", required_argument, NULL, 'd'},
        {"approved", no_argument, NULL, 'a'},   {"sha256", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *what = argv[1], *db = CLI_DEFAULT_DB, *user = NULL, *sha256 = NULL;
    int approved = 0, c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            user = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'a':
            approved = 1;
            break;
        case 's':
            sha256 = optarg;
            break;
        case 'h':
            store_usage(stdout);
            return CLI_EXIT_OK;
        default:
            store_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    int act = strcmp(what, "propose") == 0 || strcmp(what, "approve") == 0;
    int show = strcmp(what, "show") == 0;
    int args = argc - optind;
    if ((act && (args != 1 || !user || approved || sha256)) || (!act && (args != 0 || user)) ||
        (show && approved == !!sha256) || (!show && (approved || sha256))) {
        store_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    int ex = cli_open_store("catalog", db, 0, &st);
    if (ex)
        return ex;
    if (act)
        ex = run_act(st, what, argv[optind], user);
    else if (show)
        ex = run_show(st, sha256);
    else
        ex = run_list(st);
    store_close(st);
    return ex;
}

int cli_catalog_demo_approve(struct store *st, const char *proposer, const char *approver)
{
    struct cli_identity who[2];
    memset(who, 0, sizeof who);
    struct store_actor actor[2];
    struct store_catalogue c = {0};
    struct fn_buf errors;
    fn_buf_init(&errors, 256 * 1024);
    char *text = NULL;
    size_t len = 0;
    const char *path = cli_default_catalog();
    int ex = cli_user_actor("demo", st, proposer, "Katalogfreigabe (Demo)", &who[0], &actor[0]);
    if (!ex)
        ex = cli_user_actor("demo", st, approver, "Katalogfreigabe (Demo)", &who[1], &actor[1]);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    fn_status rc = fn_read_file(path, STORE_CATALOGUE_MAX_BYTES, &text, &len);
    if (rc) {
        cli_error("demo",
                  "Katalogdatei %s nicht lesbar (%s); nichts freigegeben. Freigabe "
                  "später: fallnetz catalog propose DATEI, catalog approve SHA256",
                  path, fn_status_str(rc));
        goto out;
    }
    rc = assess_catalog_propose(st, &actor[0], text, len, path, &c, &errors);
    if (!rc)
        rc = assess_catalog_approve(st, &actor[1], c.sha256, &c, &errors);
    if (rc) {
        fputs(fn_buf_str(&errors), stderr);
        cli_error("demo", "Katalog %s nicht freigegeben: %s (%s)", path, fn_status_str(rc),
                  store_errmsg(st));
        goto out;
    }
    fprintf(stderr,
            "Bewertungskatalog %s (Version %s, SHA-256 %.16s…) freigegeben: "
            "Vorschlag %s, Freigabe %s\n",
            c.name, c.version, c.sha256, proposer, approver);
    ex = CLI_EXIT_OK;
out:
    fn_free(text);
    fn_buf_free(&errors);
    cli_identity_clear(&who[0]);
    cli_identity_clear(&who[1]);
    return ex;
}
