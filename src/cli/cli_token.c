/*
 * cli_token.c – `fallnetz token`: API tokens of machine clients
 * (prosecutors', police and prison systems delivering notifications). A token
 * is bound to one organisation and one scope, expires, can be revoked, and is
 * shown once: the database keeps its digest only.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/csv.h"

#define TOKEN_PURPOSE  "Verwaltung der Zugangsschlüssel"
#define TOKEN_DAYS_DEF 365
#define TOKEN_DAYS_MAX (3 * 365)

static void token_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz token add --org CODE --scope intake [--days N] [--label TEXT]\n"
            "        fallnetz token list\n"
            "        fallnetz token revoke ID\n\n"
            "Zugangsschlüssel für Fachverfahren (Staatsanwaltschaft, Polizei, JVA), die\n"
            "Meldungen einliefern. Ein Schlüssel gilt für eine Behörde und einen Bereich\n"
            "(intake: nur Meldungen einliefern, keine Personen lesen), läuft ab und kann\n"
            "widerrufen werden. add zeigt den Schlüssel einmal an; gespeichert wird nur\n"
            "seine Prüfsumme. list gibt CSV aus (ohne Schlüssel).\n\n"
            "  --org CODE       Behördenkennung (fallnetz org list)\n"
            "  --scope intake   Bereich (derzeit nur intake)\n"
            "  --days N         Gültigkeit in Tagen (Vorgabe %d, höchstens %d)\n"
            "  --label TEXT     Bezeichnung, etwa das Fachverfahren\n"
            "  --user KENNUNG   wer die Änderung vornimmt (Vorgabe: Betriebssystem-Benutzer)\n"
            "  --db PFAD        Datenbankdatei (Vorgabe: %s)\n"
            "  -h, --help       diese Hilfe\n",
            TOKEN_DAYS_DEF, TOKEN_DAYS_MAX, CLI_DEFAULT_DB);
}

static fn_status print_token(void *ctx, const struct store_api_token *t)
{
    struct fn_csv_writer *w = ctx;
    char id[24], org[24];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    snprintf(org, sizeof org, "%lld", (long long)t->org_id);
    const char *row[] = {
        id, org, t->scope, t->label, t->created_by, t->created_at, t->expires_at, t->revoked_at};
    return fn_csv_put_row(w, row, 8);
}

int cli_token(int argc, char **argv)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},  {"scope", required_argument, NULL, 's'},
        {"days", required_argument, NULL, 'n'}, {"label", required_argument, NULL, 'l'},
        {"user", required_argument, NULL, 'u'}, {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *org_code = NULL, *scope = NULL, *label = "", *acting = NULL;
    long days = TOKEN_DAYS_DEF;
    int c;
    char *end = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            org_code = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 'n':
            days = strtol(optarg, &end, 10);
            if (!*optarg || *end || days < 1 || days > TOKEN_DAYS_MAX) {
                cli_error("token", "--days: eine Zahl von 1 bis %d", TOKEN_DAYS_MAX);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'l':
            label = optarg;
            break;
        case 'u':
            acting = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            token_usage(stdout);
            return CLI_EXIT_OK;
        default:
            token_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    const char *verb = optind < argc ? argv[optind] : "";
    int is_add = strcmp(verb, "add") == 0, is_list = strcmp(verb, "list") == 0;
    int is_revoke = strcmp(verb, "revoke") == 0;
    if ((!is_add && !is_list && !is_revoke) || optind + (is_revoke ? 2 : 1) != argc) {
        token_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (is_add && (!org_code || !scope)) {
        cli_error("token", "add braucht --org und --scope");
        return CLI_EXIT_USAGE;
    }
    if (is_add && strcmp(scope, STORE_TOKEN_SCOPE_INTAKE) != 0) {
        cli_error("token", "--scope: unbekannter Bereich '%s' (intake)", scope);
        return CLI_EXIT_USAGE;
    }
    if (is_add && strlen(label) >= sizeof((struct store_api_token *)0)->label) {
        cli_error("token", "--label: höchstens 127 Byte");
        return CLI_EXIT_USAGE;
    }
    int64_t revoke_id = 0;
    if (is_revoke) {
        revoke_id = strtoll(argv[optind + 1], &end, 10);
        if (!argv[optind + 1][0] || *end || revoke_id <= 0) {
            cli_error("token", "revoke: ID muss eine positive Zahl sein (fallnetz token list)");
            return CLI_EXIT_USAGE;
        }
    }
    struct store *st = NULL;
    int ex = cli_open_store("token", db, 0, &st);
    if (ex)
        return ex;
    ex = CLI_EXIT_FAIL;
    struct store_actor actor;
    cli_actor(&actor, acting, TOKEN_PURPOSE);
    char token[AUTH_TOKEN_CHARS + 1] = "";
    fn_status rc;
    if (is_list) {
        struct fn_csv_writer w;
        const char *head[] = {"id",           "behoerde_id", "bereich",     "bezeichnung",
                              "angelegt_von", "angelegt",    "gueltig_bis", "widerrufen"};
        rc = fn_csv_writer_init(&w, stdout, 0);
        if (!rc)
            rc = fn_csv_put_row(&w, head, 8);
        if (!rc)
            rc = store_token_each(st, print_token, &w);
    } else if (is_revoke) {
        rc = store_token_revoke(st, &actor, revoke_id);
        if (rc == FN_NOTFOUND)
            cli_error("token", "kein Schlüssel mit der ID %lld", (long long)revoke_id);
        else if (!rc)
            printf("Schlüssel %lld widerrufen.\n", (long long)revoke_id);
    } else {
        struct store_api_token t;
        memset(&t, 0, sizeof t);
        rc = store_org_find(st, org_code, &t.org_id);
        if (rc == FN_NOTFOUND) {
            cli_error("token", "--org: keine Behörde mit der Kennung '%s'", org_code);
            goto out;
        }
        if (!rc)
            rc = auth_token_new(token);
        if (!rc) {
            time_t until = time(NULL) + (time_t)days * 86400;
            struct tm tm;
            gmtime_r(&until, &tm);
            strftime(t.expires_at, sizeof t.expires_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
            snprintf(t.scope, sizeof t.scope, "%s", scope);
            snprintf(t.label, sizeof t.label, "%s", label);
            auth_token_digest_hex(token, t.digest);
            rc = store_token_add(st, &actor, &t);
        }
        if (!rc)
            printf("Schlüssel %lld für %s (%s), gültig bis %s:\n%s\n"
                   "Er wird nur jetzt angezeigt; bitte sicher an das Fachverfahren übergeben.\n",
                   (long long)t.id, org_code, scope, t.expires_at, token);
    }
    if (rc && rc != FN_NOTFOUND)
        cli_error("token", "fehlgeschlagen: %s %s", fn_status_str(rc), store_errmsg(st));
    if (!rc)
        ex = CLI_EXIT_OK;
out:
    sodium_memzero(token, sizeof token);
    store_close(st);
    return ex;
}
