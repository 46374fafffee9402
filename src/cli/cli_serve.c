/* cli_serve.c – `fallnetz serve`: JSON API and web UI until SIGINT/SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "assess/catalog.h"
#include "http/server.h"

const char *cli_default_catalog(void);

static void serve_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz serve [--db PFAD] [--listen ADRESSE] [OPTIONEN]\n\n"
            "Stellt die Web-Oberfläche und die JSON-API bereit, bis Strg-C (SIGINT) oder\n"
            "SIGTERM kommt. Jeder Abruf personenbezogener Daten wird protokolliert.\n\n"
            "  --db PFAD          Datenbankdatei (Vorgabe: %s)\n"
            "  --listen ADRESSE   HOST:PORT (Vorgabe: 127.0.0.1:8080; Port 0 = frei wählen)\n"
            "  --threads N        Arbeitsthreads (Vorgabe: 4)\n"
            "  --allow-remote     auch Nicht-Loopback-Adressen erlauben (nur hinter einem\n"
            "                     TLS-Proxy; Anmeldung folgt in einer späteren Version)\n"
            "  --port-file DATEI  gebundenen Port in DATEI schreiben (für Skripte)\n"
            "  --catalog DATEI    Bewertungskatalog für /api/v1/catalog und\n"
            "                     /api/v1/assessments (Vorgabe: $FALLNETZ_CATALOG oder\n"
            "                     catalog/initialbewertung.cat; fehlt er, ohne Bewertung)\n"
            "  --reassess-interval S  Personen mit geänderten Daten alle S Sekunden neu\n"
            "                     bewerten und geänderte Bewertungen speichern (Vorgabe 30)\n"
            "  -h, --help         diese Hilfe\n",
            CLI_DEFAULT_DB);
}

int cli_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"allow-remote", no_argument, NULL, 'r'},
                                         {"port-file", required_argument, NULL, 'p'},
                                         {"catalog", required_argument, NULL, 'c'},
                                         {"reassess-interval", required_argument, NULL, 'i'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct http_config cfg = {.db_path = CLI_DEFAULT_DB, .listen = "127.0.0.1:8080"};
    const char *port_file = NULL, *catalog_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cfg.db_path = optarg;
            break;
        case 'l':
            cfg.listen = optarg;
            break;
        case 't': {
            char *end = NULL;
            long t = strtol(optarg, &end, 10);
            if (!*optarg || *end || t < 1 || t > 16) {
                cli_error("serve", "--threads erwartet eine Zahl von 1 bis 16");
                return CLI_EXIT_USAGE;
            }
            cfg.threads = (unsigned)t;
            break;
        }
        case 'r':
            cfg.allow_remote = 1;
            break;
        case 'p':
            port_file = optarg;
            break;
        case 'c':
            catalog_path = optarg;
            break;
        case 'i': {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 86400) {
                cli_error("serve", "--reassess-interval erwartet Sekunden (1 bis 86400)");
                return CLI_EXIT_USAGE;
            }
            cfg.reassess_interval_s = (unsigned)v;
            break;
        }
        case 'h':
            serve_usage(stdout);
            return CLI_EXIT_OK;
        default:
            serve_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        serve_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (access(cfg.db_path, F_OK) != 0) {
        cli_error("serve",
                  "Datenbank %s nicht gefunden (mit 'fallnetz init' oder "
                  "'fallnetz demo' anlegen)",
                  cfg.db_path);
        return CLI_EXIT_FAIL;
    }
    struct assess_catalog *catalog = NULL;
    struct fn_buf cat_errors;
    fn_buf_init(&cat_errors, 65536);
    if (assess_catalog_load(catalog_path ? catalog_path : cli_default_catalog(), &catalog,
                            &cat_errors) != FN_OK) {
        if (catalog_path) {
            fputs(fn_buf_str(&cat_errors), stderr);
            fn_buf_free(&cat_errors);
            return CLI_EXIT_FAIL;
        }
        cli_warn("serve", "kein Bewertungskatalog geladen; /api/v1/assessments ist abgeschaltet");
    }
    fn_buf_free(&cat_errors);
    cfg.catalog = catalog;
    /* Block the stop signals before MHD starts its threads, so only sigwait
     * below receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct http_server *srv = NULL;
    char err[256] = "";
    fn_status rc = http_server_start(&cfg, &srv, err, sizeof err);
    if (rc) {
        cli_error("serve", "%s", err[0] ? err : fn_status_str(rc));
        assess_catalog_free(catalog);
        return CLI_EXIT_FAIL;
    }
    if (cfg.allow_remote)
        cli_warn("serve", "ohne Anmeldung erreichbar – nur hinter einem TLS-Proxy mit "
                          "Zugangskontrolle betreiben");
    char host[128];
    uint16_t port = 0;
    if (http_parse_listen(cfg.listen, host, sizeof host, &port) != FN_OK)
        host[0] = '\0';
    port = http_server_port(srv);
    printf("fallnetz läuft: http://%s%s%s:%u/  (Beenden mit Strg-C)\n",
           host[0] == ':' || strchr(host, ':') ? "[" : "", host,
           host[0] == ':' || strchr(host, ':') ? "]" : "", (unsigned)port);
    fflush(stdout);
    if (port_file) {
        FILE *fp = fopen(port_file, "w");
        if (fp) {
            fprintf(fp, "%u\n", (unsigned)port);
            fclose(fp);
        }
    }
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "fallnetz serve: Signal %d, Server wird beendet\n", sig);
    http_server_stop(srv);
    assess_catalog_free(catalog);
    return CLI_EXIT_OK;
}
