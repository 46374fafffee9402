/* cli_catalog.c – `fallnetz catalog check FILE | show [FILE]`. */
#include <getopt.h>
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/catalog.h"
#include "cli/cli.h"
#include "cli/cli_catalog.h"

#define DEFAULT_CATALOG "catalog/initialbewertung.cat"

static void catalog_usage(FILE *out)
{
    fprintf(out, "Aufruf: fallnetz catalog check DATEI\n"
                 "        fallnetz catalog show [DATEI]\n"
                 "        fallnetz catalog show (--approved | --sha256 SHA256) [--db PFAD]\n"
                 "        fallnetz catalog propose DATEI --user KENNUNG [--db PFAD]\n"
                 "        fallnetz catalog approve SHA256 --user KENNUNG [--db PFAD]\n"
                 "        fallnetz catalog list [--db PFAD]\n\n"
                 "check  prüft einen Bewertungskatalog: Aufbau, zugelassene Tatsachen,\n"
                 "       Ablehnung geschützter Merkmale (Staatsangehörigkeit, Herkunft,\n"
                 "       Religion, Ethnie, Sprache, Geschlecht, Alter außer als Sperre,\n"
                 "       Gesundheit, Angehörige, Anklagen ohne Verurteilung als Punkte).\n"
                 "       Jeder Fehler wird mit Datei, Zeile und Grund gemeldet.\n"
                 "show   zeigt die Regeln eines Katalogs mit Rechtsgrundlage\n"
                 "       (Vorgabe: $FALLNETZ_CATALOG oder " DEFAULT_CATALOG ");\n"
                 "       mit --approved der freigegebene, mit --sha256 ein gespeicherter Katalog.\n"
                 "propose  schlägt einen Katalog zur Freigabe vor (Konto mit Rolle admin).\n"
                 "approve  gibt einen vorgeschlagenen Katalog frei: ein ZWEITES Admin-Konto,\n"
                 "       nicht das vorschlagende (Vier-Augen-Prinzip). Der zuletzt freigegebene\n"
                 "       Katalog gilt für assess, worklist, decide und serve; frühere bleiben\n"
                 "       als abgelöst gespeichert. Ohne Freigabe keine Entscheidung.\n"
                 "list   zeigt alle gespeicherten Kataloge mit Status, SHA-256 und wer sie\n"
                 "       wann vorgeschlagen und freigegeben hat.\n\n"
                 "Rückgabewert: 0 in Ordnung, 1 Fehler im Katalog, 2 Aufruffehler.\n");
}

#ifndef FN_CATALOG_DIR
#define FN_CATALOG_DIR "/usr/local/share/fallnetz"
#endif
#define CATALOG_FILE "initialbewertung.cat"

/* The default catalogue's candidate paths, most specific first: next to the
 * executable in a source tree (build/fallnetz -> catalog/), a relocated
 * installation (bin/ -> share/fallnetz/), the configured installation and,
 * as before, catalog/ below the current folder. */
size_t cli_catalog_candidates(char paths[CLI_CATALOG_CANDIDATES][PATH_MAX])
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

const char *cli_default_catalog(void)
{
    const char *env = getenv("FALLNETZ_CATALOG");
    if (env && env[0])
        return env;
    /* one process, one command: a static buffer is enough */
    static char paths[CLI_CATALOG_CANDIDATES][PATH_MAX];
    size_t n = cli_catalog_candidates(paths);
    for (size_t i = 0; i < n; i++)
        if (access(paths[i], R_OK) == 0)
            return paths[i];
    return paths[n - 1]; /* none exists: the error names the usual place */
}

static const char *effect_text(const struct assess_rule *r, char *buf, size_t size)
{
    switch (r->effect) {
    case EFF_GATE:
        return "Sperre";
    case EFF_POINTS:
        snprintf(buf, size, "%d Punkte", r->amount);
        return buf;
    case EFF_WEIGHING:
        return "Gegengewicht (Einzelfallabwägung)";
    case EFF_FEASIBILITY:
        snprintf(buf, size, "Machbarkeit %+d", r->amount);
        return buf;
    case EFF_DEADLINE:
        return "Frist";
    }
    return "?";
}

void cli_catalog_print(const struct assess_catalog *c)
{
    printf("%s, Version %s, gilt ab %s\nSHA-256 %s\nBänder: A ab %d Punkten, B ab %d, sonst C."
           " Sperre-Übersteuerung %s.\n\n",
           c->name, c->version, c->valid_from, c->hash, c->band_a, c->band_b,
           c->second_person ? "nur mit zweiter Person" : "durch eine Person");
    for (size_t i = 0; i < c->nrules; i++) {
        const struct assess_rule *r = &c->rules[i];
        char buf[64];
        printf("%-4s %s\n     Wirkung: %s\n     Rechtsgrundlage: %s (%s)%s\n     %s\n\n", r->id,
               r->title, effect_text(r, buf, sizeof buf), r->norm, r->version,
               r->unverified ? " – Schwelle NICHT gegen den geltenden Text geprüft" : "",
               r->explanation);
    }
}

int cli_catalog(int argc, char **argv)
{
    if (cli_catalog_is_store_cmd(argc, argv))
        return cli_catalog_store(argc, argv);
    if (cli_wants_help(argc, argv)) {
        catalog_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "show") != 0) ||
        (strcmp(argv[1], "check") == 0 && argc != 3) || argc > 3) {
        catalog_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *path = argc == 3 ? argv[2] : cli_default_catalog();
    struct fn_buf errors;
    fn_buf_init(&errors, 256 * 1024);
    struct assess_catalog *c = NULL;
    fn_status rc = assess_catalog_load(path, &c, &errors);
    if (rc) {
        fputs(fn_buf_str(&errors), stderr);
        fn_buf_free(&errors);
        return CLI_EXIT_FAIL;
    }
    fn_buf_free(&errors);
    size_t unverified = 0;
    for (size_t i = 0; i < c->nrules; i++)
        unverified += c->rules[i].unverified != 0;
    if (strcmp(argv[1], "check") == 0) {
        printf("%s: in Ordnung – %s, Version %s, gilt ab %s, %zu Regeln (%zu mit ungeprüften "
               "Schwellen), SHA-256 %s\n",
               path, c->name, c->version, c->valid_from, c->nrules, unverified, c->hash);
        assess_catalog_free(c);
        return CLI_EXIT_OK;
    }
    cli_catalog_print(c);
    assess_catalog_free(c);
    return CLI_EXIT_OK;
}