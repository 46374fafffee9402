/*
 * cli_user.c – `fallnetz user`: officials' accounts (add, list, disable,
 * enable, passwd). Passwords are read from standard input only (never from
 * the command line, where `ps` and the shell history would show them), are
 * checked against the policy of auth/password.h and stored as argon2id
 * hashes; the CLI wipes its copy after hashing.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/role.h"
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/csv.h"
#include "model/model.h"

#define USER_PURPOSE "Benutzerverwaltung"

static void user_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz user add KENNUNG --org CODE --role ROLLE[,ROLLE] --name \"NAME\"\n"
            "                          [--password-stdin] [--db PFAD]\n"
            "        fallnetz user list [--db PFAD]\n"
            "        fallnetz user disable KENNUNG [--db PFAD]\n"
            "        fallnetz user enable KENNUNG [--db PFAD]\n"
            "        fallnetz user passwd KENNUNG --password-stdin [--db PFAD]\n\n"
            "Verwaltet die Benutzerkonten. Jede Änderung wird protokolliert.\n"
            "Rollen: sachbearbeitung, koordination, zab, polizei, statistik, datenschutz,\n"
            "admin (mehrere mit Komma; immer innerhalb einer Behörde, siehe docs/access.md).\n"
            "Das Passwort wird nur über die Standardeingabe gelesen (eine Zeile, mindestens\n"
            "12 Zeichen) und nur als Argon2id-Hash gespeichert; ohne --password-stdin hat\n"
            "das Konto kein lokales Passwort (etwa für Anmeldung über einen Proxy).\n"
            "list gibt CSV aus: kennung, name, behoerde, rollen, aktiv, angelegt.\n\n"
            "  --org CODE          Behördenkennung (fallnetz org list)\n"
            "  --role ROLLEN       Rollen, mit Komma getrennt\n"
            "  --name NAME         Anzeigename\n"
            "  --password-stdin    Passwort aus der Standardeingabe lesen\n"
            "  --user KENNUNG      wer die Änderung vornimmt (Vorgabe: Betriebssystem-Benutzer)\n"
            "  --db PFAD           Datenbankdatei (Vorgabe: %s)\n"
            "  -h, --help          diese Hilfe\n",
            CLI_DEFAULT_DB);
}

/* Reads one line (at most AUTH_PASSWORD_MAX_BYTES) from stdin into buf
 * without its line end. FN_INVALID for no line, FN_TOO_LARGE past the cap. */
static fn_status read_password(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return FN_INVALID;
    size_t n = strlen(buf);
    if (n && buf[n - 1] != '\n' && !feof(stdin))
        return FN_TOO_LARGE;
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return FN_OK;
}

/* Reads, checks and hashes a new password; prints the reason when it fails.
 * Wipes the plain text. */
static int new_password_hash(char hash[AUTH_PASSWORD_HASH_MAX])
{
    char pw[AUTH_PASSWORD_MAX_BYTES + 2];
    int ex = CLI_EXIT_FAIL;
    fn_status rc = read_password(pw, sizeof pw);
    const char *why = NULL;
    if (rc == FN_INVALID) {
        cli_error("user", "kein Passwort auf der Standardeingabe");
        goto out;
    }
    if (rc || auth_password_check_policy(pw, &why) != FN_OK) {
        cli_error("user", "Passwort abgelehnt: %s",
                  why ? why : "Das Passwort ist länger als 1024 Byte.");
        goto out;
    }
    rc = auth_password_hash(pw, hash);
    if (rc) {
        cli_error("user", "Passwort kann nicht verschlüsselt werden (%s)", fn_status_str(rc));
        goto out;
    }
    ex = CLI_EXIT_OK;
out:
    sodium_memzero(pw, sizeof pw);
    return ex;
}

static fn_status print_user(void *ctx, const struct model_user *u)
{
    struct store *st = ctx;
    struct model_org org;
    char roles[128];
    fn_status rc = store_org_get(st, u->org_id, &org);
    if (rc == FN_NOTFOUND) {
        memset(&org, 0, sizeof org);
        rc = FN_OK;
    }
    if (!rc && auth_roles_format(u->roles, roles, sizeof roles) != FN_OK)
        roles[0] = '\0';
    if (!rc) {
        struct fn_csv_writer w;
        rc = fn_csv_writer_init(&w, stdout, 0);
        const char *row[] = {
            u->login, u->display_name,           org.code ? org.code : "",
            roles,    u->active ? "ja" : "nein", u->created_at ? u->created_at : ""};
        if (!rc)
            rc = fn_csv_put_row(&w, row, 6);
    }
    model_org_clear(&org);
    return rc;
}

int cli_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},  {"role", required_argument, NULL, 'r'},
        {"name", required_argument, NULL, 'n'}, {"password-stdin", no_argument, NULL, 'p'},
        {"user", required_argument, NULL, 'u'}, {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *org_code = NULL, *role_text = NULL, *name = NULL,
               *acting = NULL;
    int from_stdin = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            org_code = optarg;
            break;
        case 'r':
            role_text = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'p':
            from_stdin = 1;
            break;
        case 'u':
            acting = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            user_usage(stdout);
            return CLI_EXIT_OK;
        default:
            user_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    const char *verb = optind < argc ? argv[optind] : NULL;
    const char *login = optind + 1 < argc ? argv[optind + 1] : NULL;
    int is_list = verb && strcmp(verb, "list") == 0;
    if (!verb || (is_list ? optind + 1 != argc : optind + 2 != argc)) {
        user_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int is_add = strcmp(verb, "add") == 0, is_passwd = strcmp(verb, "passwd") == 0;
    int is_disable = strcmp(verb, "disable") == 0, is_enable = strcmp(verb, "enable") == 0;
    if (!is_list && !is_add && !is_passwd && !is_disable && !is_enable) {
        cli_error("user", "unbekannte Aktion '%s' (add, list, disable, enable, passwd)", verb);
        return CLI_EXIT_USAGE;
    }
    unsigned roles = 0;
    if (is_add) {
        const char *bad = NULL;
        if (!org_code || !role_text || !name) {
            cli_error("user", "add braucht --org, --role und --name");
            return CLI_EXIT_USAGE;
        }
        if (auth_roles_parse(role_text, &roles, &bad) != FN_OK) {
            cli_error("user", "--role: unbekannte Rolle '%s'", bad ? bad : role_text);
            return CLI_EXIT_USAGE;
        }
    }
    if (is_passwd && !from_stdin) {
        cli_error("user", "passwd liest das neue Passwort nur mit --password-stdin");
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    struct model_user u;
    memset(&u, 0, sizeof u);
    char hash[AUTH_PASSWORD_HASH_MAX] = "";
    int ex = cli_open_store("user", db, 0, &st);
    if (ex)
        return ex;
    ex = CLI_EXIT_FAIL;
    struct store_actor actor;
    cli_actor(&actor, acting, USER_PURPOSE);
    fn_status rc;
    if (is_list) {
        struct fn_csv_writer w;
        const char *head[] = {"kennung", "name", "behoerde", "rollen", "aktiv", "angelegt"};
        rc = fn_csv_writer_init(&w, stdout, 0);
        if (!rc)
            rc = fn_csv_put_row(&w, head, 6);
        if (!rc)
            rc = store_user_each(st, print_user, st);
        if (rc) {
            cli_error("user", "Liste fehlgeschlagen: %s %s", fn_status_str(rc), store_errmsg(st));
            goto out;
        }
        ex = CLI_EXIT_OK;
        goto out;
    }
    if (is_add) {
        int64_t org_id = 0;
        rc = store_org_find(st, org_code, &org_id);
        if (rc) {
            cli_error("user", "--org: keine Behörde mit der Kennung '%s' (fallnetz org list)",
                      org_code);
            goto out;
        }
        if (from_stdin && new_password_hash(hash) != CLI_EXIT_OK)
            goto out;
        struct model_user nu = {.login = (char *)login,
                                .display_name = (char *)name,
                                .roles = roles,
                                .org_id = org_id,
                                .active = 1};
        rc = store_user_add(st, &actor, &nu, hash[0] ? hash : NULL);
        if (rc == FN_CONFLICT)
            cli_error("user", "die Kennung '%s' ist schon vergeben", login);
        else if (rc == FN_INVALID)
            cli_error("user", "ungültige Angaben: Kennung aus a–z, 0–9, '.', '-', '_' (höchstens "
                              "63 Zeichen), Name nicht leer");
        else if (rc)
            cli_error("user", "Konto nicht angelegt: %s %s", fn_status_str(rc), store_errmsg(st));
        if (rc)
            goto out;
        printf("Konto %s angelegt (%s, %s)%s.\n", login, org_code, role_text,
               hash[0] ? "" : ", ohne lokales Passwort");
        ex = CLI_EXIT_OK;
        goto out;
    }
    rc = store_user_find(st, login, &u);
    if (rc) {
        cli_error("user", rc == FN_NOTFOUND ? "kein Konto '%s'" : "Konto '%s' nicht lesbar", login);
        goto out;
    }
    if (is_passwd) {
        if (new_password_hash(hash) != CLI_EXIT_OK)
            goto out;
        rc = store_user_set_password(st, &actor, u.id, hash);
    } else {
        rc = store_user_set_active(st, &actor, u.id, is_enable);
    }
    if (rc) {
        cli_error("user", "Änderung fehlgeschlagen: %s %s", fn_status_str(rc), store_errmsg(st));
        goto out;
    }
    printf("Konto %s: %s.\n", login,
           is_passwd ? "Passwort geändert" : (is_enable ? "aktiviert" : "deaktiviert"));
    ex = CLI_EXIT_OK;
out:
    sodium_memzero(hash, sizeof hash);
    model_user_clear(&u);
    store_close(st);
    return ex;
}
