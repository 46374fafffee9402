/*
 * cli_backup.c – `fallnetz backup --out DATEI`: an online backup of the
 * SQLite database while `fallnetz serve` keeps running (issue 12).
 *
 * The copy is written next to the target as a temporary file, checked
 * (page structure, schema version, the audit chain) and only then
 * published by fsync and rename (core/file.h), so an interrupted backup
 * (kill -9, full disk) never leaves a damaged file under the target's name
 * and never replaces a good older backup. A character device or FIFO as the
 * target (a pipe into gzip or ssh) receives the checked copy's bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/file.h"

static void backup_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz backup --out DATEI [--db PFAD]\n\n"
            "Sichert die SQLite-Datenbank im laufenden Betrieb (der Server muss nicht\n"
            "angehalten werden) in eine einzelne Datei. Die Kopie wird vor der Übergabe\n"
            "geprüft (Seitenstruktur, Schemastand, Hash-Kette des Protokolls) und erst\n"
            "dann unter DATEI abgelegt; ein Abbruch hinterlässt keine halbe Sicherung.\n"
            "Die Sicherung wird im Protokoll vermerkt.\n\n"
            "Wiederherstellen: Server anhalten, die Sicherung an die Stelle der\n"
            "Datenbankdatei kopieren (und PFAD-wal, PFAD-shm entfernen), Server starten;\n"
            "`fallnetz audit verify` bestätigt die Kette (docs/operations.md).\n"
            "PostgreSQL-Datenbanken werden mit pg_dump bzw. pg_basebackup gesichert.\n\n"
            "  --db PFAD     Datenbankdatei (Vorgabe: %s)\n"
            "  --out DATEI   Zieldatei (auch ein Gerät oder eine benannte Pipe)\n"
            "  -h, --help    diese Hilfe\n",
            CLI_DEFAULT_DB);
}

/* Copies the file at path into fp. */
static fn_status backup_copy_into(const char *path, FILE *fp)
{
    char buf[65536];
    fn_status rc = FN_IO;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return FN_IO;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto out;
        if (n == 0)
            break;
        if (fwrite(buf, 1, (size_t)n, fp) != (size_t)n)
            goto out;
    }
    rc = FN_OK;
out:
    close(fd);
    return rc;
}

/* Opens the finished copy read-only and verifies schema and audit chain. */
static int backup_verify_copy(const char *copy, const char *out_path, int64_t *rows)
{
    struct store *cp = NULL;
    struct store_audit_report report;
    int version = 0, ex = CLI_EXIT_FAIL;
    fn_status rc = store_open(copy, STORE_OPEN_READONLY, &cp);
    if (!rc)
        rc = store_schema_version(cp, &version);
    if (rc) {
        cli_error("backup", "Kopie für %s lässt sich nicht öffnen: %s %s", out_path,
                  fn_status_str(rc), store_errmsg(cp));
        goto out;
    }
    if (version != STORE_SCHEMA_VERSION) {
        cli_error("backup", "Kopie für %s hat Schemastand %d statt %d", out_path, version,
                  STORE_SCHEMA_VERSION);
        goto out;
    }
    rc = store_audit_verify(cp, &report);
    if (rc) {
        cli_error("backup", "Protokollkette der Kopie für %s nicht intakt: %s (Zeile %lld)",
                  out_path, report.reason[0] ? report.reason : fn_status_str(rc),
                  (long long)report.bad_seq);
        goto out;
    }
    *rows = report.rows;
    ex = CLI_EXIT_OK;
out:
    store_close(cp);
    return ex;
}

int cli_backup(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *out_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'h':
            backup_usage(stdout);
            return CLI_EXIT_OK;
        default:
            backup_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc || !out_path || !out_path[0]) {
        cli_error("backup", "--out DATEI fehlt");
        backup_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    struct fn_atomic_file af = {0};
    struct cli_identity who;
    struct store_actor actor;
    char scratch[4096] = "";
    int64_t bytes = 0, rows = 0;
    cli_system_actor("backup", "Datensicherung", &who, &actor);
    int ex = cli_open_store("backup", db, 0, &st);
    if (ex)
        return ex;
    ex = CLI_EXIT_FAIL;
    if (fn_atomic_open(&af, out_path) != FN_OK) {
        cli_output_error("backup", out_path);
        goto out;
    }
    const char *copy = af.tmp_path;
    if (!copy) {
        /* A device or FIFO: the copy is made and checked in a private
         * scratch file first, then streamed. */
        const char *tmpdir = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/fallnetz-backup-XXXXXX",
                 tmpdir && tmpdir[0] ? tmpdir : "/tmp");
        int fd = mkstemp(scratch);
        if (fd < 0) {
            cli_error("backup", "Zwischendatei %s: %s", scratch, strerror(errno));
            scratch[0] = '\0';
            goto out;
        }
        close(fd);
        copy = scratch;
    }
    fprintf(stderr, "Sicherung von %s läuft …\n", db);
    fn_status rc = store_backup(st, &actor, copy, out_path, &bytes);
    if (rc == FN_UNSUPPORTED) {
        cli_error("backup",
                  "%s ist keine SQLite-Datenbank: PostgreSQL wird mit pg_dump oder "
                  "pg_basebackup gesichert (docs/operations.md)",
                  db);
        goto out;
    }
    if (rc) {
        cli_error("backup", "Sicherung nach %s fehlgeschlagen: %s %s", out_path, fn_status_str(rc),
                  store_errmsg(st));
        goto out;
    }
    ex = backup_verify_copy(copy, out_path, &rows);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    if (!af.tmp_path && backup_copy_into(copy, af.fp) != FN_OK) {
        cli_output_error("backup", out_path);
        goto out;
    }
    if (fn_atomic_commit(&af) != FN_OK) {
        cli_output_error("backup", out_path);
        goto out;
    }
    fprintf(stderr,
            "Sicherung nach %s geschrieben: %.1f MiB, Protokollkette geprüft (%lld Zeilen)\n",
            out_path, (double)bytes / (1024.0 * 1024.0), (long long)rows);
    ex = CLI_EXIT_OK;
out:
    fn_atomic_abort(&af);
    if (scratch[0])
        unlink(scratch);
    cli_identity_clear(&who);
    store_close(st);
    return ex;
}
