/*
 * main.c – entry point of the fallnetz command line: dispatches to the
 * subcommands listed in commands.def.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct cli_command commands[] = {
#define FN_COMMAND(name, fn, summary) {name, fn, summary},
#include "cli/commands.def"
#undef FN_COMMAND
};

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fallnetz %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_warn(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fallnetz %s: Warnung: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_output_error(const char *cmd, const char *path)
{
    int err = errno;
    const char *why;
    switch (err) {
    case EISDIR:
        why = "ist ein Ordner";
        break;
    case ENOTSUP:
        why = "ist ein Blockgerät oder Socket und wird nie beschrieben";
        break;
    case ENOENT:
        why = "der Ordner existiert nicht";
        break;
    case EACCES:
    case EPERM:
        why = "keine Schreibberechtigung";
        break;
    case ENOSPC:
        why = "der Datenträger ist voll";
        break;
    case EROFS:
        why = "das Dateisystem ist schreibgeschützt";
        break;
    default:
        why = NULL;
        break;
    }
    if (why)
        cli_error(cmd, "%s: kann nicht geschrieben werden: %s", path, why);
    else
        cli_error(cmd, "%s: kann nicht geschrieben werden (%s)", path, strerror(err));
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

static void print_usage(FILE *out)
{
    fprintf(out, "Aufruf: fallnetz BEFEHL [OPTIONEN]\n\n"
                 "fallnetz unterstützt die Rückkehrkoordination in NRW: Fallakte, "
                 "Initialbewertung,\nMitteilungseingang, Registerabgleich und Berichte. "
                 "Es entscheidet nie über Personen.\n\nBefehle:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (commands[i].run)
            fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\n  fallnetz BEFEHL --help   zeigt die Optionen eines Befehls.\n"
                 "  fallnetz --version       zeigt die Version.\n"
                 "\nHandbuch: man fallnetz\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("fallnetz %s\n", FN_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        if (!commands[i].run) {
            fprintf(stderr, "fallnetz: Befehl '%s' ist in diesem Build nicht enthalten\n", argv[1]);
            return CLI_EXIT_FAIL;
        }
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "fallnetz: unbekannter Befehl '%s' (fallnetz --help zeigt alle)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
