/*
 * cli_import.c – `fallnetz import persons FILE.csv`: load a register export.
 *
 * Bad rows are reported as "FILE:LINE: reason" and skipped; the accepted rows
 * are staged in bounded batches and published in one step (store_import_*),
 * so a failure or a kill leaves the database as it was while other writers
 * keep working. --rejected writes the rejected rows themselves (original
 * header plus a "fehler" column, which the importer ignores) so they can be
 * fixed and imported again. Exit codes: 0 all rows imported, 3 imported but
 * rows were rejected, 1 nothing imported (error, no records, every record
 * rejected), 2 usage.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/file.h"
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
            "Zeile und Grund gemeldet und übersprungen; alle übrigen werden gemeinsam\n"
            "übernommen (alles oder nichts). Komma oder Semikolon als Trennzeichen\n"
            "(auch die Ausgabe von export --excel).\n\n"
            "  --db PFAD          Datenbankdatei (Vorgabe: %s)\n"
            "  --authority CODE   zuständige Behörde für Zeilen ohne Angabe in der Spalte\n"
            "                     authority (Zeilen mit eigener Angabe behalten diese)\n"
            "  --user KENNUNG     Name im Protokoll (Vorgabe: der Betriebssystembenutzer);\n"
            "                     der Import ist ein Auftrag des Systems: \"system:import (…)\"\n"
            "  --purpose TEXT     Zweck für das Protokoll (Vorgabe: \"Übernahme Registerdaten\")\n"
            "  --rejected DATEI   abgewiesene Zeilen mit Grund (Spalte fehler) als CSV\n"
            "                     schreiben; nach Korrektur erneut importierbar\n"
            "  -h, --help         diese Hilfe\n\n"
            "Rückgabewert: 0 alles übernommen, 3 übernommen mit abgewiesenen Zeilen,\n"
            "1 Fehler oder nichts übernommen, 2 Aufruffehler.\n",
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

/* A copy of one input row's fields (one allocation), kept for the
 * rejected-rows file. */
struct row_copy {
    size_t nfields;
    size_t *lens;
    char **fields;
};

/* Copies row into one block the caller frees with fn_free; NULL on no
 * memory. raw (len bytes) replaces the fields for a row that did not parse:
 * then it is the only field. */
static struct row_copy *row_copy_new(const struct fn_csv_row *row, const char *raw, size_t raw_len)
{
    size_t n = row ? row->nfields : 1, bytes = 0;
    for (size_t i = 0; row && i < n; i++)
        bytes += row->lens[i] + 1;
    if (!row)
        bytes = raw_len + 1;
    struct row_copy *c = fn_malloc(sizeof *c + n * (sizeof *c->lens + sizeof *c->fields) + bytes);
    if (!c)
        return NULL;
    c->nfields = n;
    c->lens = (size_t *)(c + 1);
    c->fields = (char **)(c->lens + n);
    char *at = (char *)(c->fields + n);
    for (size_t i = 0; i < n; i++) {
        const char *src = row ? row->fields[i] : raw;
        size_t len = row ? row->lens[i] : raw_len;
        memcpy(at, src, len);
        at[len] = '\0';
        c->fields[i] = at;
        c->lens[i] = len;
        at += len + 1;
    }
    return c;
}

struct rejects {
    struct fn_atomic_file file; /* fp NULL without --rejected */
    struct fn_csv_writer w;
    size_t header_fields; /* columns of the input's header */
    long count;
    int failed;
};

/* Writes the rejected-rows header: the input's columns and "fehler". */
static fn_status rejects_header(struct rejects *r, const struct fn_csv_row *header)
{
    r->header_fields = header->nfields;
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < header->nfields; i++)
        rc = fn_csv_put(&r->w, header->fields[i], header->lens[i]);
    if (!rc)
        rc = fn_csv_put_str(&r->w, "fehler");
    if (!rc)
        rc = fn_csv_end_row(&r->w);
    return rc;
}

/* Joins fields to one line of CSV text in out (for a row whose field count
 * does not fit the header: it goes into the first column whole). */
static fn_status join_fields(const struct row_copy *c, struct fn_buf *out)
{
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < c->nfields; i++) {
        const char *f = c->fields[i];
        size_t len = c->lens[i];
        int quote = len && (f[0] == ' ' || f[len - 1] == ' ');
        for (size_t k = 0; k < len && !quote; k++)
            quote = f[k] == ',' || f[k] == '"' || f[k] == '\n' || f[k] == '\r';
        if (i)
            rc = fn_buf_append_char(out, ',');
        if (!rc && quote)
            rc = fn_buf_append_char(out, '"');
        for (size_t k = 0; !rc && k < len; k++) {
            if (f[k] == '"')
                rc = fn_buf_append_char(out, '"');
            if (!rc)
                rc = fn_buf_append_char(out, f[k]);
        }
        if (!rc && quote)
            rc = fn_buf_append_char(out, '"');
    }
    return rc;
}

/* Reports a rejected row on stderr and, with --rejected, writes the row with
 * "FILE:LINE: reason" in the fehler column. Rows whose fields do not fit the
 * header (or that did not parse) go into the first column as text. */
static void report_reject(struct rejects *r, const char *file, long line, const char *reason,
                          const struct row_copy *row)
{
    fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
    r->count++;
    if (!r->file.fp || r->failed)
        return;
    struct fn_buf joined;
    fn_buf_init(&joined, 2 * FN_CSV_MAX_ROW);
    fn_status rc = FN_OK;
    size_t written = 0;
    if (row && row->nfields == r->header_fields) {
        for (; !rc && written < row->nfields; written++)
            rc = fn_csv_put(&r->w, row->fields[written], row->lens[written]);
    } else if (row) {
        rc = row->nfields == 1 ? FN_OK : join_fields(row, &joined);
        if (!rc)
            rc = row->nfields == 1 ? fn_csv_put(&r->w, row->fields[0], row->lens[0])
                                   : fn_csv_put(&r->w, fn_buf_str(&joined), joined.len);
        written = 1;
    }
    for (; !rc && written < r->header_fields; written++)
        rc = fn_csv_put(&r->w, "", 0);
    char msg[512];
    snprintf(msg, sizeof msg, "%s:%ld: %s", file, line, reason);
    if (!rc)
        rc = fn_csv_put_str(&r->w, msg);
    if (!rc)
        rc = fn_csv_end_row(&r->w);
    fn_buf_free(&joined);
    if (rc) {
        r->failed = 1;
        fprintf(stderr, "fallnetz import: Schreiben der abgewiesenen Zeilen fehlgeschlagen\n");
    }
}

/* ---- reader thread: parse and validate rows into batches ---- */

#define BATCH_ROWS  2048
#define QUEUE_DEPTH 4

struct import_item {
    long line;
    struct model_person *person; /* owned; NULL when rejected */
    char *reject;                /* owned message when rejected */
    struct row_copy *row;        /* owned copy of the input row (--rejected only) */
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
    int keep_rows; /* copy every row for the rejected-rows file */
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
    /* b->items[b->n] may hold parts of the row an error stopped at. */
    size_t used = b->n < BATCH_ROWS ? b->n + 1 : b->n;
    for (size_t i = 0; i < used; i++) {
        model_person_free(b->items[i].person);
        fn_free(b->items[i].reject);
        fn_free(b->items[i].row);
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
                if (it->reject && pp->keep_rows) {
                    size_t raw_len = 0;
                    const char *raw = fn_csv_raw(pp->reader, &raw_len);
                    it->row = row_copy_new(NULL, raw, raw_len);
                }
                if (!it->reject || (pp->keep_rows && !it->row)) {
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
            if (pp->keep_rows) {
                it->row = row_copy_new(&row, NULL, 0);
                if (!it->row) {
                    b->last = 1;
                    b->read_error = FN_NOMEM;
                    break;
                }
            }
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
    char msg[256];

    fn_status rc = fn_csv_open(path, &r);
    if (rc) {
        cli_error("import", "%s: Datei kann nicht gelesen werden (%s)", path, fn_status_str(rc));
        goto out;
    }
    if (rejected_path) {
        /* Written durably and only when the import ends: never a partial file. */
        if (fn_atomic_open(&rej.file, rejected_path) != FN_OK ||
            fn_csv_writer_init(&rej.w, rej.file.fp, 0) != FN_OK) {
            cli_error("import", "%s: kann nicht geschrieben werden", rejected_path);
            goto out;
        }
    }
    fn_csv_detect_delimiter(r); /* ',' or ';' (German Excel, export --excel) */
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
    if (rej.file.fp && rejects_header(&rej, &row) != FN_OK) {
        cli_error("import", "%s: kann nicht geschrieben werden", rejected_path);
        goto out;
    }
    /* "fehler" is the reason column of a rejected-rows file: expected. */
    if (layout.unknown && !(layout.unknown == 1 && strcmp(layout.first_unknown, "fehler") == 0))
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
    /* A bulk import is a job of the system (persons of every authority),
     * recorded with the person who started it. */
    struct cli_identity who;
    struct store_actor actor;
    cli_system_actor("import", purpose, &who, &actor);
    if (user && user[0])
        snprintf(who.login, sizeof who.login, "system:import (%.64s)", user);
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
    struct import_pipe pp = {.reader = r, .layout = &layout, .keep_rows = rej.file.fp != NULL};
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
                report_reject(&rej, fn_csv_name(r), it->line, it->reject, it->row);
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
                /* p->id names the stored person; 0: an earlier row of the file. */
                snprintf(msg, sizeof msg, "Feld record_id: '%.60s' %s", p->record_id,
                         p->id ? "ist schon in der Datenbank"
                               : "kommt in der Datei mehrfach vor (erste Zeile übernommen)");
                report_reject(&rej, fn_csv_name(r), it->line, msg, it->row);
            } else if (rc) {
                cli_error("import", "%s: Speichern fehlgeschlagen: %s (%s)", db, fn_status_str(rc),
                          store_errmsg(st));
                failed = 1;
            } else {
                imported++;
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
    if (rej.file.fp) {
        fn_status wrc = rej.failed ? FN_IO : fn_atomic_commit(&rej.file);
        if (wrc) {
            cli_error("import", "%s: Schreiben fehlgeschlagen", rejected_path);
            goto out;
        }
    }
    /* Never "0 rows, exit 0": a file without records is an error. */
    if (rows == 0)
        cli_error("import", "%s: keine Datensätze (nur die Kopfzeile)", path);
    else if (imported == 0)
        cli_error("import", "%s: keine Datensätze übernommen, alle %ld abgewiesen", path, rows);
    else
        ex = rej.count ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
out:
    if (rows || imported || rej.count)
        fprintf(stderr, "%s: %ld Zeilen gelesen, %ld übernommen, %ld abgewiesen\n", path, rows,
                imported, rej.count);
    store_import_abort(imp);
    store_close(st);
    fn_csv_close(r);
    fn_atomic_abort(&rej.file); /* a no-op after the commit */
    for (size_t i = 0; i < cache.n; i++)
        fn_free(cache.codes[i]);
    return ex;
}
