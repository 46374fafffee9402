/*
 * csv.h – streaming RFC 4180 reader and writer.
 *
 * The reader keeps memory bounded (one row at a time, a hard cap on row size
 * and field count), reports the physical line where each row starts, accepts
 * a UTF-8 BOM, CRLF, LF or lone CR (old Mac) line endings, quoted fields with embedded
 * delimiters, quotes and newlines, and skips blank lines. A malformed row is
 * reported (FN_INVALID with a message) and the reader resynchronises at the
 * next physical line, so one bad row never loses the rest of the file.
 * UTF-8 validity is the caller's check (fn_utf8_valid), since only the caller
 * knows which field to name.
 */
#ifndef FN_CORE_CSV_H
#define FN_CORE_CSV_H

#include <stdio.h>
#include <stddef.h>

#include "core/status.h"

#define FN_CSV_MAX_FIELDS 512
#define FN_CSV_MAX_ROW    (1024u * 1024u)
#define FN_CSV_MAX_RAW    (64u * 1024u) /* kept raw text of a malformed row */

struct fn_csv_reader;

struct fn_csv_row {
    size_t nfields;
    char **fields;  /* NUL-terminated, unquoted; valid until the next call */
    size_t *lens;   /* byte length of each field */
    long line;      /* physical line (1-based) where the row starts */
    long line_last; /* physical line where it ends (> line for embedded newlines) */
};

/* Opens path ("-" for standard input) for reading. *out is owned by the
 * caller and released with fn_csv_close. FN_IO with errno set when the file
 * cannot be opened. */
FN_MUST_CHECK fn_status fn_csv_open(const char *path, struct fn_csv_reader **out);

/* Reads from an already open stream; the reader does not close it. name is
 * used in messages (copied). */
FN_MUST_CHECK fn_status fn_csv_open_stream(FILE *fp, const char *name, struct fn_csv_reader **out);

/* Sets a smaller row cap (tests, hostile input); must be <= FN_CSV_MAX_ROW. */
void fn_csv_set_max_row(struct fn_csv_reader *r, size_t max_row);

/* Looks at the first line (call before the first fn_csv_next) and switches
 * to ';' as delimiter when it has semicolons and no commas outside quotes:
 * German Excel and `export --excel`. In that mode a quoted field that starts
 * with ' followed by = + - or @ loses the ' again (the writer's
 * FN_CSV_EXCEL_SAFE guard). Returns the delimiter in use. */
char fn_csv_detect_delimiter(struct fn_csv_reader *r);

/* Reads the next row into *row.
 * FN_OK: a row; FN_NOTFOUND: end of input; FN_INVALID: malformed row (row->line
 * names it, fn_csv_error says why; call again to continue); FN_TOO_LARGE: the
 * row exceeds the cap (skipped, continue); FN_IO: read error (stop);
 * FN_NOMEM: stop. */
FN_MUST_CHECK fn_status fn_csv_next(struct fn_csv_reader *r, struct fn_csv_row *row);

/* Message for the last FN_INVALID/FN_TOO_LARGE ("unterminated quoted field").
 * Owned by the reader. */
const char *fn_csv_error(const struct fn_csv_reader *r);

/* Raw text of the physical line where the last FN_INVALID row started,
 * without its line break, at most FN_CSV_MAX_RAW bytes (may be invalid
 * UTF-8 or hold NUL bytes: use *len). "" with *len 0 after FN_TOO_LARGE.
 * Owned by the reader, valid until the next call. */
const char *fn_csv_raw(const struct fn_csv_reader *r, size_t *len);

/* Name given at open ("-" shown as "stdin"). */
const char *fn_csv_name(const struct fn_csv_reader *r);

/* Bytes consumed so far and the input size (0 when unknown, e.g. a pipe):
 * for progress output. */
unsigned long long fn_csv_offset(const struct fn_csv_reader *r);
unsigned long long fn_csv_size(const struct fn_csv_reader *r);

/* Accepts NULL. Closes the file if fn_csv_open opened it. */
void fn_csv_close(struct fn_csv_reader *r);

/* Index of the column called name in a header row (exact, after trimming
 * blanks), or -1. */
int fn_csv_find_column(const struct fn_csv_row *header, const char *name);

/* ---- writer ---- */

#define FN_CSV_CRLF       0x1u /* end rows with CRLF (RFC 4180 strict, Excel) */
#define FN_CSV_BOM        0x2u /* start with a UTF-8 BOM (Excel detects UTF-8) */
#define FN_CSV_SEMICOLON  0x4u /* ';' as delimiter (German Excel) */
#define FN_CSV_EXCEL_SAFE 0x8u /* prefix cells starting with = + - @ tab CR with ' */

struct fn_csv_writer {
    FILE *fp; /* borrowed */
    unsigned flags;
    int row_has_field; /* a field was written in the current row */
    int failed;        /* a write failed; every later call returns FN_IO */
};

/* Starts a writer on fp (borrowed). Writes the BOM if asked. */
FN_MUST_CHECK fn_status fn_csv_writer_init(struct fn_csv_writer *w, FILE *fp, unsigned flags);
/* Appends one field, quoting it when it contains a delimiter, quote, CR or LF,
 * or leading/trailing blanks. */
FN_MUST_CHECK fn_status fn_csv_put(struct fn_csv_writer *w, const char *s, size_t len);
FN_MUST_CHECK fn_status fn_csv_put_str(struct fn_csv_writer *w, const char *s);
FN_MUST_CHECK fn_status fn_csv_put_long(struct fn_csv_writer *w, long long v);
FN_MUST_CHECK fn_status fn_csv_put_double(struct fn_csv_writer *w, double v, int decimals);
/* Ends the row. */
FN_MUST_CHECK fn_status fn_csv_end_row(struct fn_csv_writer *w);
/* Writes a whole row of NUL-terminated strings. */
FN_MUST_CHECK fn_status fn_csv_put_row(struct fn_csv_writer *w, const char *const *fields,
                                       size_t n);

#endif
