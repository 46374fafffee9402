/*
 * fact_import.h – `fallnetz import facts FILE.csv`: recorded facts in bulk
 * (issue 13, docs/fact-import.md). One row is one fact: the person's
 * register key (record_id), the kind (kind) and the fields of that kind
 * under their names (src/ingest/fact_input.h), source_kind and source_ref
 * included; an empty cell is a field not given. Every field is checked as
 * the API checks it; a bad row is reported ("FILE:LINE: reason", the
 * reason naming the field) and skipped, and the rest is recorded in one
 * transaction (all good rows or none), each as store_fact_record with its
 * audit row. A column that is no field of any kind makes the header
 * invalid (nothing is guessed); a column "fehler" (of a rejected-rows file)
 * is ignored. With rejected_path the rejected rows themselves are written
 * there (the header plus "fehler"), durably and only after the commit.
 */
#ifndef FN_INGEST_FACT_IMPORT_H
#define FN_INGEST_FACT_IMPORT_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

struct fact_import_result {
    long rows_read;    /* data rows (the header not counted) */
    long accepted;     /* facts recorded */
    long rejected;     /* rows reported through on_reject */
    char message[512]; /* why the import as a whole failed (German), else "" */
};

/* One rejected row: file, line (1 = header) and the German reason. */
typedef void (*fact_import_reject_fn)(void *ctx, const char *file, long line, const char *reason);

/* Imports path ("-": standard input) as actor a; today bounds dates.
 * FN_OK also when rows were rejected or none was accepted (the caller must
 * not call "0 rows" a success). Failures of the whole import (file
 * unreadable, header invalid, the store, the rejected-rows file) return
 * their status with res->message; nothing is recorded then. */
FN_MUST_CHECK fn_status fact_import_file(struct store *st, const struct store_actor *a,
                                         const char *path, const char *rejected_path, int32_t today,
                                         fact_import_reject_fn on_reject, void *ctx,
                                         struct fact_import_result *res);

#endif
