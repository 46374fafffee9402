/*
 * cli_import.c – `fallnetz import persons FILE.csv`: load a register export.
 *
 * Bad rows are reported as "FILE:LINE: reason" and skipped; the accepted rows
 * go into the database in one transaction, so an I/O failure leaves it as it
 * was. Exit codes: 0 all rows imported, 3 imported but rows were rejected,
 * 1 nothing imported (error), 2 usage.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/csv.h"
#include "core/progress.h"
#include "model/register.h"

#define CLI_EXIT_PARTIAL 3
#define AUTHORITY_CACHE  256

static void import_usage(FILE *out)
{
    fprintf(out,
            "Aufruf: fallnetz import persons DATEI.csv [OPTIONEN]\n\n"
            "Importiert Personen aus einer Registerdatei im Austauschformat (CSV, UTF-8,\n"
            "Kopfzeile; siehe docs/register-format.md). Fehlerhafte Zeilen werden mit\n"
            "Zeile und Grund gemeldet und übersprungen; alle übrigen werden in einer\n"
            "Transaktion übernommen.\n\n"
            "  --db PFAD          Datenbankdatei (Vorgabe: %s)\n"
            "  --authority CODE   zuständige Behörde für Zeilen ohne Angabe in der Spalte\n"
            "                     authority (Zeilen mit eigener Angabe behalten diese)\n"
            "  --user KENNUNG     handelnde Person für das Protokoll (Vorgabe: $USER)\n"
            "  --purpose TEXT     Zweck für das Protokoll (Vorgabe: \"Übernahme Registerdaten\")\n"
            "  --rejected DATEI   abgewiesene Zeilen zusätzlich als CSV schreiben\n"
            "  -h, --help         diese Hilfe\n\n"
            "Rückgabewert: 0 alles übernommen, 3 übernommen mit abgewiesenen Zeilen,\n"
            "1 Fehler (nichts übernommen), 2 Aufruffehler.\n",
            CLI_DEFAULT_DB);
}

struct authority_cache {
    char *codes[AUTHORITY_CACHE];
    int64_t ids[AUTHORITY_CACHE];
    size_t n;
};

/* Resolves an authority code to an organisation id (0 when unknown). */
static int64_t authority_lookup(struct store *st, struct authority_cache *c, const char *code)
{
    if (!code)
        return 0;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->codes[i], code) == 0)
            return c->ids[i];
    int64_t id = 0;
    if (store_org_find(st, code, &id) != FN_OK)
        id = 0;
    if (c->n < AUTHORITY_CACHE) {
        c->codes[c->n] = fn_strdup(code);
        if (c->codes[c->n])
            c->ids[c->n++] = id;
    }
    return id;
}

struct rejects {
    FILE *fp;
    struct fn_csv_writer w;
    long count;
};

static void report_reject(struct rejects *r, const char *file, long line, const char *reason)
{
    fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
    r->count++;
    if (!r->fp)
        return;
    char num[24];
    snprintf(num, sizeof num, "%ld", line);
    const char *row[3] = {file, num, reason};
    if (fn_csv_put_row(&r->w, row, 3) != FN_OK)
        fprintf(stderr, "fallnetz import: Schreiben der abgewiesenen Zeilen fehlgeschlagen\n");
}

/* ---- reader thread: parse and validate rows into batches ---- */

#define BATCH_ROWS  2048
#define QUEUE_DEPTH 4

struct import_item {
    long line;
    struct model_person *person; /* owned; NULL when rejected */
    char *reject;                /* owned message when rejected */
};

struct import_batch {
    struct import_item items[BATCH_ROWS];
    size_t n;
    int last;                       /* no batches follow */
    fn_status read_error;           /* fatal reader error (FN_IO, FN_NOMEM), FN_OK otherwise */
    int is_static;                  /* the out-of-memory marker: never freed */
    struct import_batch *next_done; /* in the recycle list */
};

struct import_pipe {
    struct fn_csv_reader *reader;
    const struct register_layout *layout;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    struct import_batch *queue[QUEUE_DEPTH];
    size_t head, count;
    int stop;                  /* consumer gave up */
    struct import_batch *done; /* processed batches, freed by the reader thread */
    unsigned long long offset;
};

static void batch_free(struct import_batch *b)
{
    if (!b || b->is_static)
        return;
    for (size_t i = 0; i < b->n; i++) {
        model_person_free(b->items[i].person);
        fn_free(b->items[i].reject);
    }
    fn_free(b);
}

/* Hands a batch to the consumer; returns 0 when the consumer stopped. */
static int pipe_push(struct import_pipe *pp, struct import_batch *b)
{
    pthread_mutex_lock(&pp->mu);
    while (pp->count == QUEUE_DEPTH && !pp->stop)
        pthread_cond_wait(&pp->not_full, &pp->mu);
    if (pp->stop) {
        pthread_mutex_unlock(&pp->mu);
        batch_free(b);
        return 0;
    }
    pp->queue[(pp->head + pp->count) % QUEUE_DEPTH] = b;
    pp->count++;
    pp->offset = fn_csv_offset(pp->reader);
    pthread_cond_signal(&pp->not_empty);
    pthread_mutex_unlock(&pp->mu);
    return 1;
}

static struct import_batch *pipe_pop(struct import_pipe *pp, unsigned long long *offset)
{
    pthread_mutex_lock(&pp->mu);
    while (pp->count == 0)
        pthread_cond_wait(&pp->not_empty, &pp->mu);
    struct import_batch *b = pp->queue[pp->head];
    pp->head = (pp->head + 1) % QUEUE_DEPTH;
    pp->count--;
    *offset = pp->offset;
    pthread_cond_signal(&pp->not_full);
    pthread_mutex_unlock(&pp->mu);
    return b;
}

static void pipe_stop(struct import_pipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    pp->stop = 1;
    while (pp->count) {
        batch_free(pp->queue[pp->head]);
        pp->head = (pp->head + 1) % QUEUE_DEPTH;
        pp->count--;
    }
    pthread_cond_broadcast(&pp->not_full);
    pthread_mutex_unlock(&pp->mu);
}

static void *reader_main(void *arg)
{
    struct import_pipe *pp = arg;
    char msg[256];
    pthread_setname_np(pthread_self(), "fn-import-read");
    for (;;) {
        /* Free what the inserting thread has finished with: freeing ~20
         * allocations per person is work the busier thread should not do. */
        pthread_mutex_lock(&pp->mu);
        struct import_batch *done = pp->done;
        pp->done = NULL;
        pthread_mutex_unlock(&pp->mu);
        while (done) {
            struct import_batch *next = done->next_done;
            batch_free(done);
            done = next;
        }
        struct import_batch *b = fn_calloc(1, sizeof *b);
        if (!b) {
            /* No memory for a batch: hand over a static marker instead. */
            static struct import_batch oom = {.last = 1, .read_error = FN_NOMEM, .is_static = 1};
            pipe_push(pp, &oom);
            return NULL;
        }
        while (b->n < BATCH_ROWS) {
            struct fn_csv_row row;
            fn_status rc = fn_csv_next(pp->reader, &row);
            if (rc == FN_NOTFOUND) {
                b->last = 1;
                break;
            }
            struct import_item *it = &b->items[b->n];
            if (rc == FN_INVALID || rc == FN_TOO_LARGE) {
                it->line = row.line;
                it->reject = fn_strdup(fn_csv_error(pp->reader));
                if (!it->reject) {
                    b->last = 1;
                    b->read_error = FN_NOMEM;
                    break;
                }
                b->n++;
                continue;
            }
            if (rc) {
                b->last = 1;
                b->read_error = rc;
                break;
            }
            it->line = row.line;
            if (register_row_to_person(pp->layout, &row, &it->person, msg, sizeof msg) != FN_OK) {
                if (!msg[0]) {
                    b->last = 1;
                    b->read_error = FN_NOMEM;
                    break;
                }
                it->reject = fn_strdup(msg);
                if (!it->reject) {
                    b->last = 1;
                    b->read_error = FN_NOMEM;
                    break;
                }
            }
            b->n++;
        }
        int last = b->last;
        if (!pipe_push(pp, b) || last)
            return NULL;
    }
}

int cli_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"purpose", required_argument, NULL, 'p'},
                                         {"rejected", required_argument, NULL, 'r'},
                                         {"authority", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB, *user = NULL, *purpose = "Übernahme Registerdaten";
    const char *rejected_path = NULL, *default_authority = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'u':
            user = optarg;
            break;
        case 'p':
            purpose = optarg;
            break;
        case 'r':
            rejected_path = optarg;
            break;
        case 'a':
            if (!optarg[0] || strlen(optarg) > 64) {
                cli_error("import", "--authority erwartet einen Behördencode (1 bis 64 Zeichen)");
                return CLI_EXIT_USAGE;
            }
            default_authority = optarg;
            break;
        case 'h':
            import_usage(stdout);
            return CLI_EXIT_OK;
        default:
            import_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 2 || strcmp(argv[optind], "persons") != 0) {
        import_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *path = argv[optind + 1];

    int ex = CLI_EXIT_FAIL;
    struct store *st = NULL;
    struct fn_csv_reader *r = NULL;
    struct store_import *imp = NULL;
    struct authority_cache cache = {0};
    struct rejects rej = {0};
    long rows = 0, imported = 0;
    int64_t first_id = 0; /* id of the first person stored by this import */
    char msg[256];

    fn_status rc = fn_csv_open(path, &r);
    if (rc) {
        cli_error("import", "%s: Datei kann nicht gelesen werden (%s)", path, fn_status_str(rc));
        goto out;
    }
    if (rejected_path) {
        rej.fp = fopen(rejected_path, "wb");
        if (!rej.fp || fn_csv_writer_init(&rej.w, rej.fp, 0) != FN_OK) {
            cli_error("import", "%s: kann nicht geschrieben werden", rejected_path);
            goto out;
        }
        const char *head[3] = {"file", "line", "reason"};
        if (fn_csv_put_row(&rej.w, head, 3) != FN_OK)
            goto out;
    }
    struct fn_csv_row row;
    rc = fn_csv_next(r, &row);
    if (rc == FN_NOTFOUND) {
        cli_error("import", "%s: Datei ist leer (keine Kopfzeile)", path);
        goto out;
    }
    if (rc) {
        cli_error("import", "%s:%ld: Kopfzeile nicht lesbar: %s", path, row.line, fn_csv_error(r));
        goto out;
    }
    struct register_layout layout;
    if (register_layout_from_header(&row, &layout, msg, sizeof msg) != FN_OK) {
        cli_error("import", "%s: %s", path, msg);
        goto out;
    }
    if (layout.unknown)
        cli_warn("import", "%s: %zu unbekannte Spalte(n) werden ignoriert, z. B. '%s'", path,
                 layout.unknown, layout.first_unknown);

    ex = cli_open_store("import", db, 0, &st);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    if (default_authority && authority_lookup(st, &cache, default_authority) == 0)
        cli_warn("import",
                 "Behörde '%s' ist in der Datenbank nicht angelegt; der Code wird übernommen, "
                 "die Zuordnung bleibt offen",
                 default_authority);
    struct store_actor actor;
    cli_actor(&actor, user, purpose);
    rc = store_import_begin(st, &actor, path, &imp);
    if (rc) {
        cli_error("import", "%s: Import kann nicht beginnen: %s (%s)", db, fn_status_str(rc),
                  store_errmsg(st));
        goto out;
    }
    /* ~150 bytes per register row; only a hint for index maintenance. */
    rc = store_import_expect(imp, (int64_t)(fn_csv_size(r) / 150));
    if (rc) {
        cli_error("import", "%s: %s (%s)", db, fn_status_str(rc), store_errmsg(st));
        goto out;
    }
    struct fn_progress prog;
    fn_progress_start(&prog, "Import", fn_csv_size(r));
    struct import_pipe pp = {.reader = r, .layout = &layout};
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.not_empty, NULL);
    pthread_cond_init(&pp.not_full, NULL);
    pthread_t reader;
    if (pthread_create(&reader, NULL, reader_main, &pp) != 0) {
        cli_error("import", "Lesethread kann nicht gestartet werden");
        goto out;
    }
    int failed = 0, done = 0;
    while (!done) {
        unsigned long long offset = 0;
        struct import_batch *b = pipe_pop(&pp, &offset);
        done = b->last;
        if (b->read_error) {
            cli_error("import", "%s: Lesefehler: %s", path, fn_status_str(b->read_error));
            failed = 1;
        }
        for (size_t i = 0; i < b->n && !failed; i++) {
            struct import_item *it = &b->items[i];
            rows++;
            if (it->reject) {
                report_reject(&rej, fn_csv_name(r), it->line, it->reject);
                continue;
            }
            struct model_person *p = it->person;
            if (default_authority && (!p->authority_code || !p->authority_code[0])) {
                fn_free(p->authority_code);
                p->authority_code = fn_strdup(default_authority);
                if (!p->authority_code) {
                    cli_error("import", "zu wenig Speicher");
                    failed = 1;
                    break;
                }
            }
            p->authority_id = authority_lookup(st, &cache, p->authority_code);
            rc = store_import_person(imp, p);
            if (rc == FN_CONFLICT) {
                /* Which copy is older tells the user where to look: ids
                 * of this import start at first_id. The lookup is itself
                 * audited (inside the import's transaction). */
                int64_t other = 0;
                fn_status frc = store_person_find(st, &actor, p->record_id, &other);
                int in_file = frc == FN_OK && first_id && other >= first_id;
                snprintf(msg, sizeof msg, "Feld record_id: '%.60s' %s", p->record_id,
                         in_file ? "kommt in der Datei mehrfach vor (erste Zeile übernommen)"
                                 : "ist schon in der Datenbank");
                report_reject(&rej, fn_csv_name(r), it->line, msg);
            } else if (rc) {
                cli_error("import", "%s: Speichern fehlgeschlagen: %s (%s)", db, fn_status_str(rc),
                          store_errmsg(st));
                failed = 1;
            } else {
                imported++;
                if (!first_id)
                    first_id = p->id;
            }
        }
        if (done || failed || b->is_static) {
            batch_free(b);
        } else {
            pthread_mutex_lock(&pp.mu);
            b->next_done = pp.done;
            pp.done = b;
            pthread_mutex_unlock(&pp.mu);
        }
        fn_progress_update(&prog, offset);
        if (failed) {
            pipe_stop(&pp);
            break;
        }
    }
    pthread_join(reader, NULL);
    while (pp.done) {
        struct import_batch *next = pp.done->next_done;
        batch_free(pp.done);
        pp.done = next;
    }
    pthread_mutex_destroy(&pp.mu);
    pthread_cond_destroy(&pp.not_empty);
    pthread_cond_destroy(&pp.not_full);
    if (failed) {
        imported = 0;
        goto out;
    }
    fn_progress_finish(&prog, fn_csv_offset(r));
    rc = store_import_commit(imp);
    imp = NULL;
    if (rc) {
        cli_error("import", "%s: Abschluss fehlgeschlagen, nichts übernommen: %s (%s)", db,
                  fn_status_str(rc), store_errmsg(st));
        imported = 0;
        goto out;
    }
    ex = rej.count ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
out:
    if (rows || imported || rej.count)
        fprintf(stderr, "%s: %ld Zeilen gelesen, %ld übernommen, %ld abgewiesen\n", path, rows,
                imported, rej.count);
    store_import_abort(imp);
    store_close(st);
    fn_csv_close(r);
    if (rej.fp && fclose(rej.fp) != 0) {
        cli_error("import", "%s: Schreiben fehlgeschlagen", rejected_path);
        ex = CLI_EXIT_FAIL;
    }
    for (size_t i = 0; i < cache.n; i++)
        fn_free(cache.codes[i]);
    return ex;
}
