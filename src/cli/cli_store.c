/* cli_store.c – shared database opening and actor naming for the CLI. */
#include "cli/cli_store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

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
