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
#include "store/store.h"
#include "assess/approval.h"
#include "assess/catalog.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"
#include "http/access.h"
#include "http/server.h"

#define MAX_ALLOWED_HOSTS 16

/* Loads a --catalog file for serve (a simulation unless it is the
 * approved catalogue). *out is owned by the caller (assess_catalog_free). */
static int serve_load_catalog(const char *path, struct assess_catalog **out)
{
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    if (assess_catalog_load(path, out, &errors) != FN_OK) {
        fputs(fn_buf_str(&errors), stderr);
        cli_error("serve", "Bewertungskatalog %s kann nicht geladen werden", path);
        fn_buf_free(&errors);
        return CLI_EXIT_FAIL;
    }
    fn_buf_free(&errors);
    return CLI_EXIT_OK;
}

/* Says which catalogue the server assesses with as it starts: the one in
 * force, the file as a simulation, or none approved yet (the assessment
 * routes answer 503 until an approval, which every server sees at once). */
static void serve_report_catalog(const char *db, const struct assess_catalog *file)
{
    struct store *st = NULL;
    char in_force[65] = "";
    if (store_open(db, 0, &st) != FN_OK || store_catalogue_active_hash(st, in_force) != FN_OK)
        in_force[0] = '\0';
    store_close(st);
    if (file && strcmp(file->hash, in_force) != 0) {
        char label[256];
        assess_simulation_label(file, in_force[0] != '\0', label, sizeof label);
        cli_warn("serve", "%s – Entscheidungen werden abgelehnt", label);
    } else if (!file && !in_force[0]) {
        cli_warn("serve", "%s Bis dahin antworten die Bewertungsrouten mit 503.",
                 ASSESS_NO_APPROVAL);
    } else {
        fprintf(stderr, "fallnetz serve: freigegebener Bewertungskatalog SHA-256 %.16s…\n",
                in_force);
    }
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

/* Reads the purposes, one per line (blank lines and lines starting with #
 * skipped), from path into purposes[] pointing into *text (caller frees
 * with fn_free). */
static int serve_load_purposes(const char *path, char **text,
                               const char *purposes[HTTP_MAX_PURPOSES], size_t *n)
{
    size_t len = 0;
    *n = 0;
    fn_status rc = fn_read_file(path, 64 * 1024, text, &len);
    if (rc) {
        cli_error("serve", "--purposes %s kann nicht gelesen werden (%s)", path, fn_status_str(rc));
        return CLI_EXIT_FAIL;
    }
    char *line = *text;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\r' || line[l - 1] == ' ' || line[l - 1] == '\t'))
            line[--l] = '\0';
        if (l && line[0] != '#') {
            if (*n == HTTP_MAX_PURPOSES) {
                cli_error("serve", "--purposes: höchstens %d Zwecke", HTTP_MAX_PURPOSES);
                return CLI_EXIT_USAGE;
            }
            purposes[(*n)++] = line;
        }
        line = next;
    }
    if (*n == 0) {
        cli_error("serve", "--purposes %s nennt keinen Zweck", path);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
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
            "  --allow-remote     Nicht-Loopback-Adressen ohne TLS erlauben (nur hinter einem\n"
            "                     TLS-Proxy)\n"
            "  --tls-cert DATEI   HTTPS mit diesem Zertifikat (PEM; mit --tls-key)\n"
            "  --tls-key DATEI    privater Schlüssel zum Zertifikat (PEM)\n"
            "  --trusted-proxy ADRESSE  IP-Adresse des Single-Sign-on-Proxys\n"
            "  --trusted-user-header NAME  Kopfzeile, in der dieser Proxy die Kennung\n"
            "                     überbringt (von jeder anderen Adresse ignoriert)\n"
            "  --session-idle S   Sitzung endet nach S Sekunden ohne Anfrage (Vorgabe 1800)\n"
            "  --purposes DATEI   erlaubte Zwecke (X-Fallnetz-Zweck), einer je Zeile\n"
            "  --port-file DATEI  gebundenen Port in DATEI schreiben (für Skripte)\n"
            "  --catalog DATEI    statt des freigegebenen Katalogs dieser Datenbank\n"
            "                     (fallnetz catalog list) DATEI bewerten: als Simulation\n"
            "                     gekennzeichnet, Entscheidungen werden abgelehnt (außer\n"
            "                     DATEI ist der freigegebene Katalog)\n"
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
                                         {"tls-cert", required_argument, NULL, 'C'},
                                         {"tls-key", required_argument, NULL, 'K'},
                                         {"trusted-proxy", required_argument, NULL, 'X'},
                                         {"trusted-user-header", required_argument, NULL, 'U'},
                                         {"session-idle", required_argument, NULL, 'S'},
                                         {"purposes", required_argument, NULL, 'Z'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct http_config cfg = {.db_path = CLI_DEFAULT_DB, .listen = "127.0.0.1:8080"};
    const char *port_file = NULL, *catalog_path = NULL, *purposes_path = NULL;
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
        case 'C':
            cfg.tls_cert = optarg;
            break;
        case 'K':
            cfg.tls_key = optarg;
            break;
        case 'X':
            cfg.trusted_proxy = optarg;
            break;
        case 'U':
            cfg.trusted_user_header = optarg;
            break;
        case 'S':
            if (!parse_uint_option(optarg, 1, 36000, &cfg.session_idle_s)) {
                cli_error("serve", "--session-idle erwartet Sekunden (1 bis 36000)");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'Z':
            purposes_path = optarg;
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
    if (!store_is_server_url(cfg.db_path) && access(cfg.db_path, F_OK) != 0) {
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
    char *purposes_text = NULL;
    const char *purposes[HTTP_MAX_PURPOSES];
    if (purposes_path) {
        int exit_code =
            serve_load_purposes(purposes_path, &purposes_text, purposes, &cfg.n_purposes);
        if (exit_code != CLI_EXIT_OK) {
            fn_free(purposes_text);
            return exit_code;
        }
        cfg.purposes = purposes;
    }
    struct assess_catalog *catalog = NULL;
    if (no_catalog) {
        cli_warn("serve", "ohne Bewertungskatalog (--no-catalog); /api/v1/assessments ist "
                          "abgeschaltet");
    } else {
        int exit_code = catalog_path ? serve_load_catalog(catalog_path, &catalog) : CLI_EXIT_OK;
        if (exit_code != CLI_EXIT_OK) {
            fn_free(purposes_text);
            return exit_code;
        }
    }
    cfg.assessments = !no_catalog;
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
        fn_free(purposes_text);
        return CLI_EXIT_FAIL;
    }
    if (cfg.assessments) /* after the start: a database that cannot be opened is one error */
        serve_report_catalog(cfg.db_path, catalog);
    if (cfg.allow_remote && !cfg.tls_cert)
        cli_warn("serve", "ohne TLS von außen erreichbar – nur hinter einem TLS-Proxy betreiben");
    char host[128];
    uint16_t port = 0;
    if (http_parse_listen(cfg.listen, host, sizeof host, &port) != FN_OK)
        host[0] = '\0';
    port = http_server_port(srv);
    printf("fallnetz läuft: %s://%s%s%s:%u/  (Beenden mit Strg-C)\n",
           cfg.tls_cert ? "https" : "http", host[0] == ':' || strchr(host, ':') ? "[" : "", host,
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
    fn_free(purposes_text);
    return CLI_EXIT_OK;
}
