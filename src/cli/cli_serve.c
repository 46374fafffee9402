/* cli_serve.c – `fallnetz serve`: JSON API and web UI until SIGINT/SIGTERM. */
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "assess/catalog.h"
#include "core/buf.h"
#include "http/server.h"

#ifndef FN_CATALOG_DIR
#define FN_CATALOG_DIR "/usr/local/share/fallnetz"
#endif
#define CATALOG_FILE      "initialbewertung.cat"
#define MAX_ALLOWED_HOSTS 16
#define CANDIDATES        4

/* The default catalogue's candidate paths, most specific first: next to the
 * executable in a source tree (build/fallnetz -> catalog/), a relocated
 * installation (bin/ -> share/fallnetz/), the configured installation and,
 * as before, catalog/ below the current folder. paths[] has CANDIDATES
 * entries of PATH_MAX bytes (caller's storage); returns how many are set. */
static size_t catalog_candidates(char paths[CANDIDATES][PATH_MAX])
{
    size_t n = 0;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if (snprintf(paths[n], PATH_MAX, "%s/../catalog/%s", exe, CATALOG_FILE) < PATH_MAX)
                n++;
            if (snprintf(paths[n], PATH_MAX, "%s/../share/fallnetz/%s", exe, CATALOG_FILE) <
                PATH_MAX)
                n++;
        }
    }
    snprintf(paths[n++], PATH_MAX, "%s/%s", FN_CATALOG_DIR, CATALOG_FILE);
    snprintf(paths[n++], PATH_MAX, "catalog/%s", CATALOG_FILE);
    return n;
}

/* Loads the catalogue for serve: an explicit path (--catalog or
 * $FALLNETZ_CATALOG) must load; otherwise the first existing candidate is
 * loaded. Without any, serve refuses to start rather than silently running
 * without assessments. *out is owned by the caller (assess_catalog_free). */
static int serve_load_catalog(const char *explicit_path, struct assess_catalog **out)
{
    const char *env = getenv("FALLNETZ_CATALOG");
    const char *path = explicit_path ? explicit_path : env && env[0] ? env : NULL;
    char paths[CANDIDATES][PATH_MAX];
    if (!path) {
        size_t n = catalog_candidates(paths);
        for (size_t i = 0; !path && i < n; i++)
            if (access(paths[i], R_OK) == 0)
                path = paths[i];
        if (!path) {
            cli_error("serve",
                      "kein Bewertungskatalog gefunden; gesucht: %s, %s%s%s%s%s. "
                      "Mit --catalog DATEI angeben oder ausdrücklich --no-catalog "
                      "(ohne Bewertung) starten",
                      paths[0], n > 1 ? paths[1] : "", n > 2 ? ", " : "", n > 2 ? paths[2] : "",
                      n > 3 ? ", " : "", n > 3 ? paths[3] : "");
            return CLI_EXIT_FAIL;
        }
    }
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    if (assess_catalog_load(path, out, &errors) != FN_OK) {
        fputs(fn_buf_str(&errors), stderr);
        cli_error("serve", "Bewertungskatalog %s kann nicht geladen werden", path);
        fn_buf_free(&errors);
        return CLI_EXIT_FAIL;
    }
    fn_buf_free(&errors);
    fprintf(stderr, "fallnetz serve: Bewertungskatalog %s\n", path);
    return CLI_EXIT_OK;
}

/* Parses a whole decimal number in [lo, hi] into *out; 0 on error. */
static int parse_uint_option(const char *text, long lo, long hi, unsigned *out)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < lo || v > hi)
        return 0;
    *out = (unsigned)v;
    return 1;
}

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
            "                     /api/v1/assessments (Vorgabe: $FALLNETZ_CATALOG, sonst\n"
            "                     der Katalog der Installation; fehlt er, startet serve nicht)\n"
            "  --no-catalog       ausdrücklich ohne Bewertung starten\n"
            "  --allowed-host NAME[:PORT]  weiterer Name, unter dem der Server erreichbar\n"
            "                     ist (Host/Origin, etwa hinter einem Proxy; mehrfach)\n"
            "  --header-timeout S Kopfzeilen einer Anfrage müssen in S Sekunden vollständig\n"
            "                     sein (Vorgabe 10)\n"
            "  --per-ip-limit N   Verbindungen je Adresse (Vorgabe 64)\n"
            "  --max-connections N  Verbindungen insgesamt (Vorgabe 1024)\n"
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
                                         {"no-catalog", no_argument, NULL, 'n'},
                                         {"allowed-host", required_argument, NULL, 'a'},
                                         {"header-timeout", required_argument, NULL, 'T'},
                                         {"per-ip-limit", required_argument, NULL, 'P'},
                                         {"max-connections", required_argument, NULL, 'M'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct http_config cfg = {.db_path = CLI_DEFAULT_DB, .listen = "127.0.0.1:8080"};
    const char *port_file = NULL, *catalog_path = NULL;
    const char *allowed_hosts[MAX_ALLOWED_HOSTS];
    int no_catalog = 0;
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
        case 'n':
            no_catalog = 1;
            break;
        case 'a':
            if (cfg.n_allowed_hosts == MAX_ALLOWED_HOSTS) {
                cli_error("serve", "höchstens %d --allowed-host", MAX_ALLOWED_HOSTS);
                return CLI_EXIT_USAGE;
            }
            allowed_hosts[cfg.n_allowed_hosts++] = optarg;
            break;
        case 'T':
            if (!parse_uint_option(optarg, 1, 3600, &cfg.header_timeout_s)) {
                cli_error("serve", "--header-timeout erwartet Sekunden (1 bis 3600)");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'P':
            if (!parse_uint_option(optarg, 1, 100000, &cfg.per_ip_limit)) {
                cli_error("serve", "--per-ip-limit erwartet eine Zahl von 1 bis 100000");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'M':
            if (!parse_uint_option(optarg, 1, 100000, &cfg.max_connections)) {
                cli_error("serve", "--max-connections erwartet eine Zahl von 1 bis 100000");
                return CLI_EXIT_USAGE;
            }
            break;
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
    if (no_catalog && catalog_path) {
        cli_error("serve", "--catalog und --no-catalog schließen sich aus");
        return CLI_EXIT_USAGE;
    }
    cfg.allowed_hosts = allowed_hosts;
    struct assess_catalog *catalog = NULL;
    if (no_catalog) {
        cli_warn("serve", "ohne Bewertungskatalog (--no-catalog); /api/v1/assessments ist "
                          "abgeschaltet");
    } else {
        int exit_code = serve_load_catalog(catalog_path, &catalog);
        if (exit_code != CLI_EXIT_OK)
            return exit_code;
    }
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
