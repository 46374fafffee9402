/* fact_import.c – recorded facts in bulk from CSV (see fact_import.h). */
#include "ingest/fact_import.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/utf8.h"
#include "ingest/fact_input.h"

/* The import's state: the reader, the header and the rejected-rows file. */
struct fact_import {
    struct fn_csv_reader *reader;
    char *columns[FN_CSV_MAX_FIELDS]; /* header names, owned */
    size_t ncolumns;
    int record_col, kind_col;  /* column index, -1 when absent */
    struct fn_atomic_file rej; /* fp NULL without a rejected-rows file */
    struct fn_csv_writer w;
    fact_import_reject_fn on_reject;
    void *ctx;
    struct fact_import_result *res;
};

/* 1 when name is a field of some kind, or record_id, kind, fehler. */
static int column_known(const char *name)
{
    static const char *const fixed[] = {"record_id", "kind", "fehler"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(name, fixed[i]) == 0)
            return 1;
    for (int k = 0; k < FACT_IN_COUNT; k++) {
        const char *names[40];
        size_t n = fact_input_fields((enum fact_input_kind)k, names, 40);
        for (size_t i = 0; i < n; i++)
            if (strcmp(names[i], name) == 0)
                return 1;
    }
    return 0;
}

/* Reads and checks the header; FN_INVALID with res->message. */
static fn_status read_header(struct fact_import *im)
{
    struct fn_csv_row row = {0};
    fn_status rc = fn_csv_next(im->reader, &row);
    if (rc == FN_NOTFOUND) {
        snprintf(im->res->message, sizeof im->res->message, "Datei ist leer (keine Kopfzeile)");
        return FN_INVALID;
    }
    if (rc) {
        snprintf(im->res->message, sizeof im->res->message, "Kopfzeile nicht lesbar: %s",
                 fn_csv_error(im->reader));
        return rc == FN_NOMEM ? rc : FN_INVALID;
    }
    im->record_col = im->kind_col = -1;
    for (size_t i = 0; i < row.nfields; i++) {
        if (!fn_utf8_valid(row.fields[i], row.lens[i], NULL) || !column_known(row.fields[i])) {
            snprintf(im->res->message, sizeof im->res->message,
                     "Spalte %zu „%.64s“ ist kein Feld einer Tatsache (docs/fact-import.md)", i + 1,
                     fn_utf8_valid(row.fields[i], row.lens[i], NULL) ? row.fields[i] : "?");
            return FN_INVALID;
        }
        im->columns[i] = fn_strdup(row.fields[i]);
        if (!im->columns[i])
            return FN_NOMEM;
        im->ncolumns = i + 1;
        if (strcmp(row.fields[i], "record_id") == 0)
            im->record_col = (int)i;
        if (strcmp(row.fields[i], "kind") == 0)
            im->kind_col = (int)i;
    }
    if (im->record_col < 0 || im->kind_col < 0) {
        snprintf(im->res->message, sizeof im->res->message,
                 "Spalten record_id und kind sind Pflicht");
        return FN_INVALID;
    }
    if (!im->rej.fp)
        return FN_OK;
    for (size_t i = 0; !rc && i < im->ncolumns; i++)
        rc = fn_csv_put_str(&im->w, im->columns[i]);
    if (!rc)
        rc = fn_csv_put_str(&im->w, "fehler");
    return rc ? rc : fn_csv_end_row(&im->w);
}

/* Reports row (NULL: it did not parse) at line as rejected for reason. */
static fn_status reject(struct fact_import *im, const struct fn_csv_row *row, long line,
                        const char *reason)
{
    im->res->rejected++;
    const char *file = fn_csv_name(im->reader);
    if (im->on_reject)
        im->on_reject(im->ctx, file, line, reason);
    if (!im->rej.fp)
        return FN_OK;
    fn_status rc = FN_OK;
    size_t written = 0;
    if (row && row->nfields == im->ncolumns)
        for (; !rc && written < row->nfields; written++)
            rc = fn_csv_put(&im->w, row->fields[written], row->lens[written]);
    for (; !rc && written < im->ncolumns; written++)
        rc = fn_csv_put(&im->w, "", 0);
    char msg[640];
    snprintf(msg, sizeof msg, "%s:%ld: %s", file, line, reason);
    if (!rc)
        rc = fn_csv_put_str(&im->w, msg);
    return rc ? rc : fn_csv_end_row(&im->w);
}

/* Records one parsed row, or rejects it. Store failures other than "no such
 * person" end the import (returned). */
static fn_status import_row(struct fact_import *im, struct store *st, const struct store_actor *a,
                            const struct fn_csv_row *row, int32_t today)
{
    char reason[400];
    if (row->nfields != im->ncolumns) {
        snprintf(reason, sizeof reason, "%zu Felder statt %zu", row->nfields, im->ncolumns);
        return reject(im, row, row->line, reason);
    }
    for (size_t i = 0; i < row->nfields; i++) {
        if (!fn_utf8_valid(row->fields[i], row->lens[i], NULL) ||
            strlen(row->fields[i]) != row->lens[i]) {
            snprintf(reason, sizeof reason, "Feld %s: ungültiges UTF-8", im->columns[i]);
            return reject(im, row, row->line, reason);
        }
    }
    const char *key = row->fields[im->record_col], *kind_code = row->fields[im->kind_col];
    enum fact_input_kind kind;
    if (fact_input_kind_parse(kind_code, &kind) != FN_OK) {
        snprintf(reason, sizeof reason,
                 "Feld kind: „%.60s“ ist keine Art (aufenthaltsstatus, verurteilung, "
                 "strafverfahren, haft, hindernis, feststellung, ausweisdokument)",
                 kind_code);
        return reject(im, row, row->line, reason);
    }
    int64_t person = 0;
    fn_status rc = key[0] ? store_person_find(st, a, key, &person) : FN_NOTFOUND;
    if (rc == FN_NOTFOUND) {
        snprintf(reason, sizeof reason,
                 "Feld record_id: keine Person mit der Registerkennung „%.64s“", key);
        return reject(im, row, row->line, reason);
    }
    if (rc)
        return rc;
    struct fact_input in;
    struct fact_input_error err;
    fact_input_init(&in, kind, person);
    for (size_t i = 0; !rc && i < row->nfields; i++) {
        if ((int)i == im->record_col || (int)i == im->kind_col ||
            strcmp(im->columns[i], "fehler") == 0 || !row->fields[i][0])
            continue;
        rc = fact_input_set(&in, im->columns[i], row->fields[i], today, &err);
    }
    if (!rc)
        rc = fact_input_finish(&in, &err);
    if (rc == FN_INVALID) {
        rc = reject(im, row, row->line, err.message);
    } else if (!rc) {
        struct store_fact_source src = fact_input_source(&in);
        int64_t id = 0;
        rc = store_fact_record(st, a, fact_input_store_kind(&in), fact_input_fact(&in), &src, &id);
        if (!rc)
            im->res->accepted++;
    }
    fact_input_clear(&in);
    return rc;
}

fn_status fact_import_file(struct store *st, const struct store_actor *a, const char *path,
                           const char *rejected_path, int32_t today,
                           fact_import_reject_fn on_reject, void *ctx,
                           struct fact_import_result *res)
{
    memset(res, 0, sizeof *res);
    struct fact_import im = {.on_reject = on_reject, .ctx = ctx, .res = res};
    int in_tx = 0;
    fn_status rc = fn_csv_open(path, &im.reader);
    if (rc) {
        snprintf(res->message, sizeof res->message, "Datei kann nicht gelesen werden");
        return rc;
    }
    if (rejected_path) {
        rc = fn_atomic_open(&im.rej, rejected_path);
        if (!rc)
            rc = fn_csv_writer_init(&im.w, im.rej.fp, 0);
        if (rc) {
            snprintf(res->message, sizeof res->message, "%s: kann nicht geschrieben werden",
                     rejected_path);
            goto out;
        }
    }
    fn_csv_detect_delimiter(im.reader);
    rc = read_header(&im);
    if (!rc)
        rc = store_begin(st);
    in_tx = !rc;
    while (!rc) {
        struct fn_csv_row row = {0};
        fn_status r = fn_csv_next(im.reader, &row);
        if (r == FN_NOTFOUND)
            break;
        if (r == FN_INVALID || r == FN_TOO_LARGE) {
            res->rows_read++;
            rc = reject(&im, NULL, row.line, fn_csv_error(im.reader));
            continue;
        }
        if (r) {
            snprintf(res->message, sizeof res->message, "Lesefehler");
            rc = r;
            break;
        }
        res->rows_read++;
        rc = import_row(&im, st, a, &row, today);
        if (rc && !res->message[0])
            snprintf(res->message, sizeof res->message, "Speichern fehlgeschlagen: %s",
                     store_errmsg(st));
    }
    if (in_tx && !rc && res->accepted)
        rc = store_commit(st);
    else if (in_tx)
        store_rollback(st);
    if (rc) {
        res->accepted = 0;
        if (!res->message[0])
            snprintf(res->message, sizeof res->message, "Abschluss fehlgeschlagen: %s",
                     store_errmsg(st));
    }
    if (!rc && im.rej.fp) {
        rc = fn_atomic_commit(&im.rej);
        if (rc)
            snprintf(res->message, sizeof res->message,
                     "%s: Schreiben fehlgeschlagen (die Tatsachen sind gespeichert)",
                     rejected_path);
    }
out:
    if (rc && im.rej.fp)
        fn_atomic_abort(&im.rej);
    for (size_t i = 0; i < im.ncolumns; i++)
        fn_free(im.columns[i]);
    fn_csv_close(im.reader);
    return rc;
}
