/*
 * register_import.c – the register import pipeline (contract in
 * register_import.h).
 *
 * Two threads: the reader parses and validates rows (register_row_to_person)
 * into batches and hands them over through a queue of QUEUE_DEPTH; the
 * calling thread resolves authorities, stages the persons and reports
 * rejects. Parsing costs about as much as staging, so the two overlap. The
 * reader also frees the batches the caller is done with: freeing ~20
 * allocations per person is work the busier thread should not do.
 */
#include "ingest/register_import.h"

#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/utf8.h"
#include "model/register.h"

#define AUTHORITY_CACHE 256
#define QUEUE_DEPTH     4
#define BYTES_PER_ROW   150 /* ~bytes per register row: a hint for index maintenance */

/* ---- authority codes → organisation ids ---- */

struct authority_cache {
    char *codes[AUTHORITY_CACHE]; /* owned */
    int64_t ids[AUTHORITY_CACHE];
    size_t n;
};

/* Resolves an authority code to an organisation id (0 when unknown). Codes
 * past the cache's size are looked up every time. */
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

/* ---- the rejected-rows file ---- */

/* A copy of one input row's fields (one allocation), kept for the
 * rejected-rows file. */
struct row_copy {
    size_t nfields;
    size_t *lens;
    char **fields;
};

/* Copies row into one block the caller frees with fn_free; NULL on no
 * memory. raw (raw_len bytes) replaces the fields for a row that did not
 * parse: then it is the only field. */
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
    struct fn_atomic_file file; /* fp NULL without a rejected-rows file */
    struct fn_csv_writer w;
    size_t header_fields; /* columns of the input's header */
    long count;
    int failed; /* a write failed: nothing more is written */
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

/* Writes one rejected row with "FILE:LINE: reason" in the fehler column.
 * Rows whose fields do not fit the header (or that did not parse) go into
 * the first column as text. Borrows row (NULL: only the reason). */
static fn_status rejects_write(struct rejects *r, const struct ingest_reject *ev,
                               const struct row_copy *row)
{
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
    snprintf(msg, sizeof msg, "%s:%ld: %s", ev->file, ev->line, ev->reason);
    if (!rc)
        rc = fn_csv_put_str(&r->w, msg);
    if (!rc)
        rc = fn_csv_end_row(&r->w);
    fn_buf_free(&joined);
    return rc;
}

/* ---- the import handle ---- */

struct ingest_register {
    const struct ingest_register_options *o; /* borrowed */
    size_t batch_rows;
    struct fn_csv_reader *reader;
    struct register_layout layout;
    struct rejects rej;
    struct authority_cache authorities;
    int ran; /* ingest_register_run was called */
};

/* Counts a rejected row, writes it to the rejected-rows file (if any) and
 * hands it to the caller's callback. Borrows reason and row. */
static void report_reject(struct ingest_register *ing, long line, const char *reason,
                          const struct row_copy *row)
{
    struct rejects *r = &ing->rej;
    struct ingest_reject ev = {.file = fn_csv_name(ing->reader), .line = line, .reason = reason};
    r->count++;
    if (r->file.fp && !r->failed && rejects_write(r, &ev, row) != FN_OK) {
        r->failed = 1;
        ev.rejected_file_failed = 1;
    }
    if (ing->o->on_reject)
        ing->o->on_reject(ing->o->ctx, &ev);
}

/* Records which step failed and a copy of its detail text (NULL: none). */
static void set_failure(struct ingest_register_result *res, enum ingest_register_failure failure,
                        const char *message)
{
    res->failure = failure;
    fn_utf8_copy(res->message, sizeof res->message, message);
}

static void progress(struct ingest_register *ing, enum ingest_progress_step step,
                     unsigned long long done)
{
    if (ing->o->on_progress)
        ing->o->on_progress(ing->o->ctx, step, done, fn_csv_size(ing->reader));
}

/* ---- reader thread: parse and validate rows into batches ---- */

struct import_item {
    long line;
    struct model_person *person; /* owned; NULL when rejected */
    char *reject;                /* owned message when rejected */
    struct row_copy *row;        /* owned copy of the input row (rejected-rows file only) */
};

struct import_batch {
    size_t n, cap;
    int last;                       /* no batches follow */
    fn_status read_error;           /* fatal reader error (FN_IO, FN_NOMEM), FN_OK otherwise */
    int is_static;                  /* the out-of-memory marker: never freed */
    struct import_batch *next_done; /* in the recycle list */
    struct import_item items[];     /* cap of them */
};

struct import_pipe {
    struct fn_csv_reader *reader;
    const struct register_layout *layout;
    size_t batch_rows;
    int keep_rows; /* copy every row for the rejected-rows file */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    struct import_batch *queue[QUEUE_DEPTH];
    size_t head, count;
    int stop;                  /* consumer gave up */
    struct import_batch *done; /* processed batches, freed by the reader thread */
    unsigned long long offset; /* input bytes read up to the newest queued batch */
};

/* Frees b and what its items own; accepts NULL and the static marker. */
static void batch_free(struct import_batch *b)
{
    if (!b || b->is_static)
        return;
    /* b->items[b->n] may hold parts of the row an error stopped at. */
    size_t used = b->n < b->cap ? b->n + 1 : b->n;
    for (size_t i = 0; i < used; i++) {
        model_person_free(b->items[i].person);
        fn_free(b->items[i].reject);
        fn_free(b->items[i].row);
    }
    fn_free(b);
}

static void batch_free_list(struct import_batch *b)
{
    while (b) {
        struct import_batch *next = b->next_done;
        batch_free(b);
        b = next;
    }
}

/* Hands a batch to the consumer (takes ownership of b); returns 0 when the
 * consumer stopped. */
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

/* Takes the next batch (caller owns it) and the input offset it reached. */
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

/* Gives a processed batch back to the reader thread to free (takes b). */
static void pipe_recycle(struct import_pipe *pp, struct import_batch *b)
{
    pthread_mutex_lock(&pp->mu);
    b->next_done = pp->done;
    pp->done = b;
    pthread_mutex_unlock(&pp->mu);
}

/* The consumer gives up: frees the queued batches and wakes the reader. */
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

/* Reads one row into it. Returns FN_OK for a row (parsed or rejected),
 * FN_NOTFOUND at the end of the input, else the fatal error. */
static fn_status read_item(struct import_pipe *pp, struct import_item *it)
{
    char msg[256];
    struct fn_csv_row row;
    fn_status rc = fn_csv_next(pp->reader, &row);
    if (rc == FN_INVALID || rc == FN_TOO_LARGE) {
        it->line = row.line;
        it->reject = fn_strdup(fn_csv_error(pp->reader));
        if (it->reject && pp->keep_rows) {
            size_t raw_len = 0;
            const char *raw = fn_csv_raw(pp->reader, &raw_len);
            it->row = row_copy_new(NULL, raw, raw_len);
        }
        return !it->reject || (pp->keep_rows && !it->row) ? FN_NOMEM : FN_OK;
    }
    if (rc)
        return rc;
    it->line = row.line;
    if (pp->keep_rows) {
        it->row = row_copy_new(&row, NULL, 0);
        if (!it->row)
            return FN_NOMEM;
    }
    if (register_row_to_person(pp->layout, &row, &it->person, msg, sizeof msg) != FN_OK) {
        if (!msg[0])
            return FN_NOMEM; /* no reason: the conversion ran out of memory */
        it->reject = fn_strdup(msg);
        if (!it->reject)
            return FN_NOMEM;
    }
    return FN_OK;
}

static void *reader_main(void *arg)
{
    struct import_pipe *pp = arg;
    pthread_setname_np(pthread_self(), "fn-import-read");
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        struct import_batch *done = pp->done;
        pp->done = NULL;
        pthread_mutex_unlock(&pp->mu);
        batch_free_list(done);
        struct import_batch *b =
            fn_calloc(1, sizeof *b + pp->batch_rows * sizeof(struct import_item));
        if (!b) {
            /* No memory for a batch: hand over a static marker instead. */
            static struct import_batch oom = {.last = 1, .read_error = FN_NOMEM, .is_static = 1};
            pipe_push(pp, &oom);
            return NULL;
        }
        b->cap = pp->batch_rows;
        while (b->n < b->cap) {
            fn_status rc = read_item(pp, &b->items[b->n]);
            if (rc) {
                b->last = 1;
                b->read_error = rc == FN_NOTFOUND ? FN_OK : rc;
                break;
            }
            b->n++;
        }
        int last = b->last;
        if (!pipe_push(pp, b) || last)
            return NULL;
    }
}

/* ---- consumer: stage the persons ---- */

/* Stages one row or reports it as rejected. Counts into *imported. */
static fn_status import_item(struct ingest_register *ing, struct store *st,
                             struct store_import *imp, struct import_item *it, long *imported,
                             struct ingest_register_result *res)
{
    if (it->reject) {
        report_reject(ing, it->line, it->reject, it->row);
        return FN_OK;
    }
    struct model_person *p = it->person;
    const char *fallback = ing->o->default_authority;
    if (fallback && (!p->authority_code || !p->authority_code[0])) {
        fn_free(p->authority_code);
        p->authority_code = fn_strdup(fallback);
        if (!p->authority_code) {
            set_failure(res, INGEST_NOMEM, NULL);
            return FN_NOMEM;
        }
    }
    p->authority_id = authority_lookup(st, &ing->authorities, p->authority_code);
    fn_status rc = store_import_person(imp, p);
    if (rc == FN_CONFLICT) {
        /* p->id names the stored person; 0: an earlier row of the file. */
        char msg[256];
        snprintf(msg, sizeof msg, "Feld record_id: '%.60s' %s", p->record_id,
                 p->id ? "ist schon in der Datenbank"
                       : "kommt in der Datei mehrfach vor (erste Zeile übernommen)");
        report_reject(ing, it->line, msg, it->row);
        return FN_OK;
    }
    if (rc) {
        set_failure(res, INGEST_STORE_FAILED, store_errmsg(st));
        return rc;
    }
    (*imported)++;
    return FN_OK;
}

/* Announces the record_ids of b's parsed rows to the import, so a server
 * store looks up the stored ones at once. ids has room for b->n. */
static fn_status prefetch_batch(struct store *st, struct store_import *imp,
                                const struct import_batch *b, const char **ids,
                                struct ingest_register_result *res)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].person && !b->items[i].reject)
            ids[n++] = b->items[i].person->record_id;
    fn_status rc = store_import_prefetch(imp, ids, n);
    if (rc)
        set_failure(res, INGEST_STORE_FAILED, store_errmsg(st));
    return rc;
}

/* Runs the reader thread and stages every row it hands over. Stops at the
 * first fatal error (the reader's or the store's). */
static fn_status import_rows(struct ingest_register *ing, struct store *st,
                             struct store_import *imp, struct ingest_register_result *res)
{
    struct import_pipe pp = {.reader = ing->reader,
                             .layout = &ing->layout,
                             .batch_rows = ing->batch_rows,
                             .keep_rows = ing->rej.file.fp != NULL};
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.not_empty, NULL);
    pthread_cond_init(&pp.not_full, NULL);
    fn_status rc = FN_OK;
    const char **ids = fn_calloc(ing->batch_rows, sizeof *ids);
    if (!ids) {
        set_failure(res, INGEST_NOMEM, NULL);
        rc = FN_NOMEM;
        goto out;
    }
    pthread_t reader;
    if (pthread_create(&reader, NULL, reader_main, &pp) != 0) {
        set_failure(res, INGEST_THREAD_FAILED, NULL);
        rc = FN_NOMEM;
        goto out;
    }
    int done = 0;
    while (!done) {
        unsigned long long offset = 0;
        struct import_batch *b = pipe_pop(&pp, &offset);
        done = b->last;
        if (b->read_error) {
            set_failure(res, INGEST_READ_FAILED, NULL);
            rc = b->read_error;
        }
        if (!rc)
            rc = prefetch_batch(st, imp, b, ids, res);
        for (size_t i = 0; i < b->n && !rc; i++) {
            res->rows_read++;
            rc = import_item(ing, st, imp, &b->items[i], &res->accepted, res);
        }
        if (done || rc || b->is_static)
            batch_free(b);
        else
            pipe_recycle(&pp, b);
        progress(ing, INGEST_PROGRESS_UPDATE, offset);
        if (rc) {
            pipe_stop(&pp);
            break;
        }
    }
    pthread_join(reader, NULL);
    batch_free_list(pp.done);
out:
    fn_free(ids);
    pthread_mutex_destroy(&pp.mu);
    pthread_cond_destroy(&pp.not_empty);
    pthread_cond_destroy(&pp.not_full);
    return rc;
}

/* ---- public functions ---- */

fn_status ingest_register_open(const struct ingest_register_options *o,
                               struct ingest_register **out, struct ingest_register_result *res)
{
    memset(res, 0, sizeof *res);
    *out = NULL;
    if (!o || !o->input_path || o->batch_rows > INGEST_BATCH_ROWS_MAX) {
        set_failure(res, INGEST_BAD_OPTIONS, NULL);
        return FN_INVALID;
    }
    struct ingest_register *ing = fn_calloc(1, sizeof *ing);
    if (!ing) {
        set_failure(res, INGEST_NOMEM, NULL);
        return FN_NOMEM;
    }
    ing->o = o;
    ing->batch_rows = o->batch_rows ? o->batch_rows : INGEST_BATCH_ROWS;
    fn_status rc = o->input_stream
                       ? fn_csv_open_stream(o->input_stream, o->input_path, &ing->reader)
                       : fn_csv_open(o->input_path, &ing->reader);
    if (rc) {
        set_failure(res, INGEST_INPUT_UNREADABLE, NULL);
        goto out;
    }
    if (o->rejected_path) {
        /* Published durably and only when the import ends: never a partial file. */
        rc = fn_atomic_open(&ing->rej.file, o->rejected_path);
        if (!rc)
            rc = fn_csv_writer_init(&ing->rej.w, ing->rej.file.fp, 0);
        if (rc) {
            set_failure(res, INGEST_REJECTED_UNWRITABLE, NULL);
            goto out;
        }
    }
    fn_csv_detect_delimiter(ing->reader); /* ',' or ';' (German Excel, export --excel) */
    struct fn_csv_row row = {0};
    rc = fn_csv_next(ing->reader, &row);
    if (rc == FN_NOTFOUND) {
        set_failure(res, INGEST_INPUT_EMPTY, NULL);
        rc = FN_INVALID;
        goto out;
    }
    if (rc) {
        set_failure(res, INGEST_HEADER_UNREADABLE, fn_csv_error(ing->reader));
        res->line = row.line;
        goto out;
    }
    char msg[256];
    rc = register_layout_from_header(&row, &ing->layout, msg, sizeof msg);
    if (rc) {
        set_failure(res, INGEST_HEADER_INVALID, msg);
        goto out;
    }
    if (ing->rej.file.fp) {
        rc = rejects_header(&ing->rej, &row);
        if (rc) {
            set_failure(res, INGEST_REJECTED_UNWRITABLE, NULL);
            goto out;
        }
    }
out:
    if (rc) {
        ingest_register_free(ing);
        return rc;
    }
    *out = ing;
    return FN_OK;
}

size_t ingest_register_unknown_columns(const struct ingest_register *ing, const char **first)
{
    const struct register_layout *l = &ing->layout;
    *first = l->first_unknown;
    /* "fehler" is the reason column of a rejected-rows file: expected. */
    if (l->unknown == 1 && strcmp(l->first_unknown, "fehler") == 0)
        return 0;
    return l->unknown;
}

int ingest_register_default_authority_known(struct ingest_register *ing, struct store *st)
{
    const char *code = ing->o->default_authority;
    return !code || authority_lookup(st, &ing->authorities, code) != 0;
}

fn_status ingest_register_run(struct ingest_register *ing, struct store *st,
                              const struct store_actor *actor, struct ingest_register_result *res)
{
    memset(res, 0, sizeof *res);
    if (ing->ran) {
        set_failure(res, INGEST_BAD_OPTIONS, NULL);
        return FN_INVALID;
    }
    ing->ran = 1;
    struct store_import *imp = NULL;
    fn_status rc = store_import_begin(st, actor, ing->o->input_path, &imp);
    if (rc) {
        set_failure(res, INGEST_BEGIN_FAILED, store_errmsg(st));
        goto out;
    }
    rc = store_import_expect(imp, (int64_t)(fn_csv_size(ing->reader) / BYTES_PER_ROW));
    if (rc) {
        set_failure(res, INGEST_EXPECT_FAILED, store_errmsg(st));
        goto out;
    }
    progress(ing, INGEST_PROGRESS_START, 0);
    rc = import_rows(ing, st, imp, res);
    if (rc) {
        res->accepted = 0;
        goto out;
    }
    progress(ing, INGEST_PROGRESS_FINISH, fn_csv_offset(ing->reader));
    rc = store_import_commit(imp);
    imp = NULL;
    if (rc) {
        set_failure(res, INGEST_COMMIT_FAILED, store_errmsg(st));
        res->accepted = 0;
        goto out;
    }
    if (ing->rej.file.fp) {
        rc = ing->rej.failed ? FN_IO : fn_atomic_commit(&ing->rej.file);
        if (rc)
            set_failure(res, INGEST_REJECTED_COMMIT_FAILED, NULL);
    }
out:
    store_import_abort(imp);
    res->rejected = ing->rej.count;
    return rc;
}

void ingest_register_free(struct ingest_register *ing)
{
    if (!ing)
        return;
    fn_csv_close(ing->reader);
    fn_atomic_abort(&ing->rej.file); /* a no-op after the commit */
    for (size_t i = 0; i < ing->authorities.n; i++)
        fn_free(ing->authorities.codes[i]);
    fn_free(ing);
}

fn_status ingest_register_import(const struct ingest_register_options *o, struct store *st,
                                 const struct store_actor *actor,
                                 struct ingest_register_result *result)
{
    struct ingest_register *ing = NULL;
    fn_status rc = ingest_register_open(o, &ing, result);
    if (!rc)
        rc = ingest_register_run(ing, st, actor, result);
    ingest_register_free(ing);
    return rc;
}
