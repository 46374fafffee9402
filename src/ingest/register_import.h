/*
 * register_import.h – the register import pipeline: a register export (CSV in
 * the exchange format, docs/register-format.md) into the store, all or
 * nothing.
 *
 * One use case, many callers: `fallnetz import persons`, and later the API's
 * notification intake and the web upload, call these functions and only
 * word the outcome. The pipeline reads and validates rows in a second thread
 * (bounded batches, at most 4 in flight), resolves authority codes to
 * organisations (cached), stages accepted rows with store_import_* and
 * publishes them in one step, so a failure or a kill leaves the database as
 * it was while other writers keep working (docs/store.md).
 *
 * Bad rows are skipped and reported through on_reject ("FILE:LINE: reason"
 * is the caller's wording); a record_id already stored or repeated in the
 * file is a rejected row too. With rejected_path the rejected rows
 * themselves are written there (the input's header plus a column "fehler"
 * holding "FILE:LINE: reason"; a row that did not parse or whose field count
 * does not fit the header goes into the first column as text), durably and
 * only once the import has been published: never a partial file.
 *
 * Two steps, so a caller can check the file before it opens the database:
 * ingest_register_open reads and checks the header, ingest_register_run
 * imports. ingest_register_import does both.
 *
 * Errors: every function returns the fn_status of the step that failed and
 * sets result->failure to name that step, with result->line and
 * result->message as detail (see enum ingest_register_failure). Counts are
 * kept on failure: rows_read and rejected as far as the run came, accepted 0
 * (nothing was stored) unless only the rejected-rows file failed.
 *
 * Not an error here: a file without records or whose records were all
 * rejected (FN_OK, rows_read == 0 or accepted == 0). Callers must not report
 * that as success ("never 0 rows, exit 0"; the CLI exits 1).
 *
 * Audit: the store writes one "collect" row per 1,000 published persons for
 * the actor, with input_path as the source.
 */
#ifndef FN_INGEST_REGISTER_IMPORT_H
#define FN_INGEST_REGISTER_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"
#include "store/store.h"

#define INGEST_BATCH_ROWS     2048  /* rows per batch between the threads */
#define INGEST_BATCH_ROWS_MAX 65536 /* batch_rows cap: a batch is one allocation */
#define INGEST_MESSAGE_SIZE   512   /* result->message, including the NUL */

/* One rejected row. Valid during the callback only. */
struct ingest_reject {
    const char *file;   /* the input's name as the reader shows it ("stdin" for "-") */
    long line;          /* physical line where the row starts (1 = header) */
    const char *reason; /* German: "Feld birth_date: ungültiges Datum '1990-02-30'" */
    /* 1 for the one row whose write to the rejected-rows file failed; no later
     * row is written and the run ends with INGEST_REJECTED_COMMIT_FAILED. */
    int rejected_file_failed;
};
typedef void (*ingest_reject_fn)(void *ctx, const struct ingest_reject *r);

enum ingest_progress_step {
    INGEST_PROGRESS_START,  /* once, before the first row */
    INGEST_PROGRESS_UPDATE, /* after every batch */
    INGEST_PROGRESS_FINISH, /* once, before the publish (only when every row was read) */
};
/* bytes_total is 0 when unknown (a pipe). */
typedef void (*ingest_progress_fn)(void *ctx, enum ingest_progress_step step,
                                   unsigned long long bytes_done, unsigned long long bytes_total);

/* What to import. The struct and its strings are borrowed until
 * ingest_register_free. */
struct ingest_register_options {
    const char *input_path;         /* required; "-" is standard input; the audit's source */
    FILE *input_stream;             /* NULL, or read this instead (not closed; named input_path) */
    const char *rejected_path;      /* NULL: no rejected-rows file */
    const char *default_authority;  /* NULL, or the code for rows without an authority */
    size_t batch_rows;              /* 0: INGEST_BATCH_ROWS; at most INGEST_BATCH_ROWS_MAX */
    ingest_reject_fn on_reject;     /* NULL: rejects are only counted */
    ingest_progress_fn on_progress; /* may be NULL */
    void *ctx;                      /* passed to both callbacks */
};

/* Which step failed; the detail each one leaves in the result. */
enum ingest_register_failure {
    INGEST_OK = 0,
    INGEST_BAD_OPTIONS,            /* no input_path, batch_rows over the cap, a second run */
    INGEST_INPUT_UNREADABLE,       /* the input cannot be opened (errno kept) */
    INGEST_REJECTED_UNWRITABLE,    /* rejected_path cannot be created or written */
    INGEST_INPUT_EMPTY,            /* not even a header line */
    INGEST_HEADER_UNREADABLE,      /* line; message: the CSV error */
    INGEST_HEADER_INVALID,         /* message: what is wrong with the columns (German) */
    INGEST_BEGIN_FAILED,           /* store_import_begin; message: store_errmsg */
    INGEST_EXPECT_FAILED,          /* store_import_expect; message: store_errmsg */
    INGEST_THREAD_FAILED,          /* the reader thread cannot be started */
    INGEST_READ_FAILED,            /* reading the input failed midway (the status says how) */
    INGEST_NOMEM,                  /* out of memory while importing */
    INGEST_STORE_FAILED,           /* staging a person failed; message: store_errmsg */
    INGEST_COMMIT_FAILED,          /* the publish failed, nothing stored; message: store_errmsg */
    INGEST_REJECTED_COMMIT_FAILED, /* persons stored, the rejected-rows file not written */
};

struct ingest_register_result {
    long rows_read; /* data rows read (the header not counted) */
    long accepted;  /* persons stored */
    long rejected;  /* rows reported through on_reject */
    enum ingest_register_failure failure;
    long line;                         /* INGEST_HEADER_UNREADABLE: the header's line */
    char message[INGEST_MESSAGE_SIZE]; /* detail named above, else "" */
};

struct ingest_register;

/* Opens the input (and rejected_path), reads and checks the header. On
 * FN_OK *out is the caller's (ingest_register_free). Fills *result (zeroed
 * first). Failures: INGEST_BAD_OPTIONS (FN_INVALID), INGEST_INPUT_UNREADABLE
 * (fn_csv_open's status), INGEST_REJECTED_UNWRITABLE, INGEST_INPUT_EMPTY
 * (FN_INVALID), INGEST_HEADER_UNREADABLE, INGEST_HEADER_INVALID. */
FN_MUST_CHECK fn_status ingest_register_open(const struct ingest_register_options *o,
                                             struct ingest_register **out,
                                             struct ingest_register_result *result);

/* Header columns that are not in the spec (a lone "fehler", the reason column
 * of a rejected-rows file, does not count); *first names one (borrowed from
 * ing). For a warning before the import. */
size_t ingest_register_unknown_columns(const struct ingest_register *ing, const char **first);

/* 1 when there is no default_authority or st knows it, 0 when the import
 * would keep the code without an organisation. For a warning; st is the
 * store passed to ingest_register_run (the answer is cached). */
int ingest_register_default_authority_known(struct ingest_register *ing, struct store *st);

/* Imports every row (once per ing). actor is borrowed for the call; the
 * staging and the audit rows are the actor's. Fills
 * the counts and failure of *result. The failures of the steps after open,
 * see the enum. */
FN_MUST_CHECK fn_status ingest_register_run(struct ingest_register *ing, struct store *st,
                                            const struct store_actor *actor,
                                            struct ingest_register_result *result);

/* Closes the input, discards an unpublished rejected-rows file, frees ing.
 * Accepts NULL. */
void ingest_register_free(struct ingest_register *ing);

/* ingest_register_open, _run and _free in one call (API and web callers). */
FN_MUST_CHECK fn_status ingest_register_import(const struct ingest_register_options *o,
                                               struct store *st, const struct store_actor *actor,
                                               struct ingest_register_result *result);

#endif
