/* cli_store.c – shared database opening and actor naming for the CLI. */
#include "cli/cli_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/pdate.h"

int cli_open_store(const char *cmd, const char *path, int create, struct store **out)
{
    *out = NULL;
    if (!create && access(path, F_OK) != 0) {
        cli_error(cmd, "Datenbank %s nicht gefunden (mit 'fallnetz init --db %s' anlegen)", path,
                  path);
        return CLI_EXIT_FAIL;
    }
    struct store *st = NULL;
    fn_status rc = store_open(path, create ? STORE_OPEN_CREATE : 0, &st);
    if (rc == FN_UNSUPPORTED) {
        cli_error(cmd, "%s: PostgreSQL wird in dieser Version noch nicht unterstützt", path);
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
