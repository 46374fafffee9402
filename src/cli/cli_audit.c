/*
 * cli_audit.c – `fallnetz audit verify|show|prune`: the audit trail for the
 * data protection officer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/pdate.h"

static void audit_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz audit verify [--db PFAD]\n"
            "        fallnetz audit show [--person ID] [--since DATUM] [--excel] [--out DATEI]\n"
            "        fallnetz audit prune --before JAHR\n\n"
            "verify  prüft die Hash-Kette des Protokolls (§ 76 BDSG) und nennt die erste\n"
            "        veränderte, gelöschte, eingefügte oder vertauschte Zeile.\n"
            "        Rückgabewert 0: unversehrt, 1: Manipulation oder Fehler.\n"
            "show    gibt Protokollzeilen als CSV aus (für die Datenschutzkontrolle);\n"
            "        die Abfrage selbst wird protokolliert.\n"
            "prune   löscht Protokollzeilen, die vor dem 1. Januar von JAHR geschrieben\n"
            "        wurden (§ 76 Abs. 4 BDSG: Löschung am Ende des Folgejahres; JAHR höchstens\n"
            "        das Vorjahr). Die Kette bleibt prüfbar (Prüfpunkt); die Löschung selbst\n"
            "        wird protokolliert.\n\n"
            "  --db PFAD        Datenbankdatei (Vorgabe: %s)\n"
            "  --person ID      nur Zeilen, die diese Person betreffen\n"
            "  --since DATUM    nur Zeilen ab diesem Datum (JJJJ-MM-TT)\n"
            "  --before JAHR    (prune) Zeilen vor dem 1. Januar dieses Jahres löschen\n"
            "  --excel          für Excel: UTF-8-BOM, Semikolon, CRLF\n"
            "  --out DATEI      Zieldatei (Vorgabe: Standardausgabe)\n"
            "  --user KENNUNG   handelndes Benutzerkonto (Pflicht für show und prune;\n"
            "                   Rolle datenschutz)\n"
            "  --purpose TEXT   Zweck (Vorgabe: \"Datenschutzkontrolle\")\n"
            "  -h, --help       diese Hilfe\n",
            CLI_DEFAULT_DB);
}

static fn_status show_row(void *ctx, const struct store_audit_row *r)
{
    struct fn_csv_writer *w = ctx;
    char seq[24], uid[24], oid[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    snprintf(uid, sizeof uid, "%lld", (long long)r->user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)r->org_id);
    const char *fields[] = {seq,        r->at,        r->login,   uid,
                            oid,        r->kind,      r->entity,  r->record_ids,
                            r->purpose, r->recipient, r->details, r->hash};
    return fn_csv_put_row(w, fields, sizeof fields / sizeof fields[0]);
}

int cli_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"person", required_argument, NULL, 'P'},
        {"since", required_argument, NULL, 's'},   {"excel", no_argument, NULL, 'x'},
        {"out", required_argument, NULL, 'o'},     {"user", required_argument, NULL, 'u'},
        {"purpose", required_argument, NULL, 'p'}, {"before", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *since = NULL, *out_path = NULL, *user = NULL;
    const char *purpose = "Datenschutzkontrolle";
    long long person = 0, before = 0;
    int excel = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'P': {
            char *end = NULL;
            person = strtoll(optarg, &end, 10);
            if (!*optarg || *end || person <= 0) {
                cli_error("audit", "--person erwartet eine positive Zahl, nicht '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case 's': {
            struct fn_pdate d;
            if (strlen(optarg) != 10 || fn_pdate_parse(optarg, 10, &d) != FN_OK || !d.day) {
                cli_error("audit", "--since erwartet ein Datum JJJJ-MM-TT, nicht '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            since = optarg;
            break;
        }
        case 'b': {
            char *end = NULL;
            before = strtoll(optarg, &end, 10);
            if (!*optarg || *end || before < 1970 || before > 9999) {
                cli_error("audit", "--before erwartet ein Jahr (JJJJ), nicht '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case 'x':
            excel = 1;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'u':
            user = optarg;
            break;
        case 'p':
            purpose = optarg;
            break;
        case 'h':
            audit_usage(stdout);
            return CLI_EXIT_OK;
        default:
            audit_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 1 ||
        (strcmp(argv[optind], "verify") != 0 && strcmp(argv[optind], "show") != 0 &&
         strcmp(argv[optind], "prune") != 0)) {
        audit_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int prune = strcmp(argv[optind], "prune") == 0;
    if (prune && !before) {
        cli_error("audit", "prune braucht --before JAHR");
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    int ex = cli_open_store("audit", db, 0, &st);
    if (ex)
        return ex;
    ex = CLI_EXIT_FAIL;
    if (strcmp(argv[optind], "verify") == 0) {
        struct store_audit_report rep;
        fn_status rc = store_audit_verify(st, &rep);
        if (rc == FN_CORRUPT) {
            printf("Protokoll MANIPULIERT: %s\n", rep.reason);
            printf("Geprüfte Zeilen bis zum Fehler: %lld\n", (long long)rep.rows);
        } else if (rc) {
            cli_error("audit", "Prüfung fehlgeschlagen: %s (%s)", fn_status_str(rc),
                      store_errmsg(st));
        } else {
            printf("Protokoll unversehrt: %lld Zeilen, Kettenende %s\n", (long long)rep.rows,
                   rep.head_hash);
            ex = CLI_EXIT_OK;
        }
        store_close(st);
        return ex;
    }
    struct cli_identity who = {0};
    struct store_actor actor;
    ex = cli_user_actor("audit", st, user, purpose, &who, &actor);
    if (ex) {
        store_close(st);
        return ex;
    }
    ex = CLI_EXIT_FAIL;
    if (prune) {
        int64_t removed = 0;
        fn_status rc = store_audit_prune(st, &actor, (int)before, &removed);
        if (rc == FN_DENIED) {
            cli_store_refused("audit", &actor, rc);
        } else if (rc == FN_INVALID) {
            cli_error("audit",
                      "Zeilen vor %lld sind noch nicht zur Löschung fällig (§ 76 Abs. 4 BDSG: "
                      "Löschung am Ende des Folgejahres; höchstens das Vorjahr angeben)",
                      before);
        } else if (rc) {
            cli_error("audit", "Löschung fehlgeschlagen, nichts gelöscht: %s (%s)",
                      fn_status_str(rc), store_errmsg(st));
        } else {
            printf("%lld Protokollzeilen vor %lld-01-01 gelöscht; Kette ab Prüfpunkt prüfbar.\n",
                   (long long)removed, before);
            ex = CLI_EXIT_OK;
        }
        cli_identity_clear(&who);
        store_close(st);
        return ex;
    }
    struct fn_atomic_file af = {0};
    FILE *fp = stdout;
    if (out_path) {
        if (fn_atomic_open(&af, out_path) != FN_OK) {
            cli_output_error("audit", out_path);
            goto out;
        }
        fp = af.fp;
    }
    struct fn_csv_writer w;
    fn_status rc = fn_csv_writer_init(
        &w, fp, excel ? (FN_CSV_BOM | FN_CSV_SEMICOLON | FN_CSV_CRLF | FN_CSV_EXCEL_SAFE) : 0);
    const char *head[] = {
        "Nr",         "Zeitpunkt (UTC)", "Kennung", "Benutzer-ID", "Behörde-ID",   "Art",
        "Gegenstand", "Datensätze",      "Zweck",   "Empfänger",   "Einzelheiten", "Prüfsumme"};
    if (!rc)
        rc = fn_csv_put_row(&w, head, sizeof head / sizeof head[0]);
    if (!rc)
        rc = store_audit_each(st, &actor, person, since, show_row, &w);
    if (!rc && out_path)
        rc = fn_atomic_commit(&af);
    if (rc == FN_DENIED) {
        cli_store_refused("audit", &actor, rc);
        goto out;
    }
    if (rc) {
        cli_error("audit", "Ausgabe fehlgeschlagen: %s %s", fn_status_str(rc), store_errmsg(st));
        goto out;
    }
    ex = CLI_EXIT_OK;
out:
    fn_atomic_abort(&af);
    cli_identity_clear(&who);
    store_close(st);
    return ex;
}
