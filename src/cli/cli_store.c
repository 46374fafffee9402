/* cli_store.c – shared database opening and actor naming for the CLI. */
#include "cli/cli_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/role.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/pdate.h"

const char *cli_default_db(void)
{
    const char *env = getenv("FALLNETZ_DB");
    return env && env[0] ? env : "fallnetz.db";
}

int cli_open_store(const char *cmd, const char *raw_path, int create, struct store **out)
{
    const char *path = raw_path;
    *out = NULL;
    if (!create && !store_is_server_url(path) && access(path, F_OK) != 0) {
        cli_error(cmd, "Datenbank %s nicht gefunden (mit 'fallnetz init --db %s' anlegen)", path,
                  path);
        return CLI_EXIT_FAIL;
    }
    char shown[512];
    store_location_shown(path, shown, sizeof shown);
    path = shown; /* from here on only for messages */
    struct store *st = NULL;
    fn_status rc = store_open(raw_path, create ? STORE_OPEN_CREATE : 0, &st);
    if (rc && store_open_error()[0]) {
        cli_error(cmd, "%s", store_open_error()); /* names the server, never the password */
        return CLI_EXIT_FAIL;
    }
    if (rc) {
        cli_error(cmd, "%s: Datenbank kann nicht geöffnet werden: %s", path, fn_status_str(rc));
        return CLI_EXIT_FAIL;
    }
    int version = 0;
    rc = store_schema_version(st, &version);
    if (!rc && create)
        rc = store_migrate(st);
    else if (!rc && version != STORE_SCHEMA_VERSION) {
        cli_error(cmd, "%s: Schemaversion %d, erwartet %d (mit 'fallnetz init' aktualisieren)",
                  path, version, STORE_SCHEMA_VERSION);
        store_close(st);
        return CLI_EXIT_FAIL;
    }
    if (rc) {
        cli_error(cmd, "%s: %s (%s)", path, fn_status_str(rc), store_errmsg(st));
        store_close(st);
        return CLI_EXIT_FAIL;
    }
    *out = st;
    return CLI_EXIT_OK;
}

void cli_actor(struct store_actor *a, const char *user, const char *purpose)
{
    memset(a, 0, sizeof *a);
    const char *login = user;
    if (!login || !login[0])
        login = getenv("SUDO_USER");
    if (!login || !login[0])
        login = getenv("USER");
    if (!login || !login[0])
        login = "cli";
    a->login = login;
    a->purpose = purpose;
}

static const char *os_user(void)
{
    const char *login = getenv("SUDO_USER");
    if (!login || !login[0])
        login = getenv("USER");
    if (!login || !login[0])
        login = "?";
    return login;
}

void cli_identity_clear(struct cli_identity *id)
{
    if (!id)
        return;
    model_user_clear(&id->user);
    memset(id, 0, sizeof *id);
}

int cli_user_actor(const char *cmd, struct store *st, const char *login, const char *purpose,
                   struct cli_identity *id, struct store_actor *a)
{
    memset(a, 0, sizeof *a);
    memset(id, 0, sizeof *id);
    if (!login || !login[0]) {
        cli_error(cmd, "--user KENNUNG fehlt: der Befehl handelt im Namen eines aktiven "
                       "Benutzerkontos (fallnetz user list)");
        return CLI_EXIT_FAIL;
    }
    fn_status rc = store_user_find(st, login, &id->user);
    if (rc == FN_NOTFOUND) {
        cli_error(cmd, "Benutzerkonto '%s' gibt es nicht", login);
        return CLI_EXIT_FAIL;
    }
    if (rc) {
        cli_error(cmd, "Benutzerkonto '%s': %s (%s)", login, fn_status_str(rc), store_errmsg(st));
        return CLI_EXIT_FAIL;
    }
    if (!id->user.active) {
        cli_error(cmd, "Benutzerkonto '%s' ist deaktiviert", login);
        cli_identity_clear(id);
        return CLI_EXIT_FAIL;
    }
    snprintf(id->login, sizeof id->login, "%s", id->user.login);
    a->user_id = id->user.id;
    a->login = id->login;
    a->org_id = id->user.org_id;
    a->roles = id->user.roles;
    a->purpose = purpose;
    return CLI_EXIT_OK;
}

void cli_system_actor(const char *job, const char *purpose, struct cli_identity *id,
                      struct store_actor *a)
{
    memset(a, 0, sizeof *a);
    memset(id, 0, sizeof *id);
    snprintf(id->login, sizeof id->login, "system:%s (%.64s)", job, os_user());
    a->login = id->login;
    a->system = 1;
    a->purpose = purpose;
}

void cli_store_refused(const char *cmd, const struct store_actor *a, fn_status rc)
{
    if (rc == FN_DENIED) {
        char roles[128] = "";
        if (auth_roles_format(a->roles, roles, sizeof roles) != FN_OK || !roles[0])
            snprintf(roles, sizeof roles, "keine");
        cli_error(cmd, "keine Berechtigung: Benutzerkonto '%s' (Rollen: %s) darf das nicht",
                  a->login, roles);
        return;
    }
    cli_error(cmd, "%s", fn_status_str(rc));
}

int32_t cli_today_days(const char *arg)
{
    struct fn_pdate d;
    int32_t days = 0;
    if (arg) {
        if (fn_pdate_parse(arg, strlen(arg), &d) != FN_OK || !d.day)
            return INT32_MIN;
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        d = (struct fn_pdate){.year = (uint16_t)(tm.tm_year + 1900),
                              .month = (uint8_t)(tm.tm_mon + 1),
                              .day = (uint8_t)tm.tm_mday};
    }
    if (fn_pdate_to_days(&d, &days) != FN_OK)
        return INT32_MIN;
    return days;
}
