/* csv.c – streaming RFC 4180 reader and writer (see csv.h for the contract). */
#include "core/csv.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

#define READ_CHUNK (256u * 1024u)

struct fn_csv_reader {
    FILE *fp;
    int pipe_fd; /* >= 0: a pipe or terminal, read with read(2) as data comes */
    int owns_fp;
    char *name;
    char *buf;                   /* bytes [pos, end) are unread */
    size_t cap;                  /* allocated size of buf (grows up to max_row + READ_CHUNK) */
    size_t pos;                  /* start of the next row */
    size_t end;                  /* end of valid data */
    int eof;                     /* no more data from fp */
    int started;                 /* BOM check done */
    long line;                   /* physical line of buf[pos] */
    size_t max_row;              /* cap on one row's bytes */
    unsigned long long consumed; /* bytes before buf[0] that were consumed */
    unsigned long long size;     /* file size, 0 if unknown */
    char err[160];
    char delim;        /* ',' unless fn_csv_detect_delimiter chose ';' */
    int excel_unguard; /* undo the export's formula guard (';' files) */
    char *raw;         /* raw text of the last malformed row (capped) */
    size_t raw_len;
    /* per-row field tables */
    size_t *starts;
    size_t *ends;
    unsigned char *quoted;
    char **fields;
    size_t *lens;
};

static fn_status reader_new(FILE *fp, int owns, const char *name, struct fn_csv_reader **out)
{
    fn_status rc = FN_NOMEM;
    struct fn_csv_reader *r = fn_calloc(1, sizeof *r);
    if (!r)
        goto out;
    r->fp = fp;
    r->owns_fp = owns;
    r->line = 1;
    r->delim = ',';
    r->max_row = FN_CSV_MAX_ROW;
    r->name = fn_strdup(strcmp(name, "-") == 0 ? "stdin" : name);
    r->cap = READ_CHUNK * 2;
    r->buf = fn_malloc(r->cap + 1);
    r->starts = fn_calloc(FN_CSV_MAX_FIELDS, sizeof *r->starts);
    r->ends = fn_calloc(FN_CSV_MAX_FIELDS, sizeof *r->ends);
    r->quoted = fn_calloc(FN_CSV_MAX_FIELDS, 1);
    r->fields = fn_calloc(FN_CSV_MAX_FIELDS, sizeof *r->fields);
    r->lens = fn_calloc(FN_CSV_MAX_FIELDS, sizeof *r->lens);
    if (!r->name || !r->buf || !r->starts || !r->ends || !r->quoted || !r->fields || !r->lens)
        goto out;
    struct stat st;
    r->pipe_fd = -1;
    int fd = fileno(fp);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        r->size = (unsigned long long)st.st_size;
    else if (fd >= 0 && fstat(fd, &st) == 0)
        r->pipe_fd = fd; /* fread would wait for a whole chunk */
    *out = r;
    r = NULL;
    rc = FN_OK;
out:
    if (r) {
        r->owns_fp = 0; /* the caller still owns fp on failure */
        fn_csv_close(r);
    }
    return rc;
}

/* A cell starting with one of these is run as a formula by spreadsheets
 * (OWASP CSV injection: = + - @ and tab, carriage return). The writer's
 * guard and the reader's undoing of it use this one list. */
static int starts_formula(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

fn_status fn_csv_open(const char *path, struct fn_csv_reader **out)
{
    *out = NULL;
    if (strcmp(path, "-") == 0)
        return reader_new(stdin, 0, path, out);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno == ENOENT ? FN_NOTFOUND : FN_IO;
    fn_status rc = reader_new(fp, 1, path, out);
    if (rc)
        fclose(fp);
    return rc;
}

fn_status fn_csv_open_stream(FILE *fp, const char *name, struct fn_csv_reader **out)
{
    *out = NULL;
    return reader_new(fp, 0, name, out);
}

void fn_csv_set_max_row(struct fn_csv_reader *r, size_t max_row)
{
    if (max_row > 0 && max_row <= FN_CSV_MAX_ROW)
        r->max_row = max_row;
}

void fn_csv_close(struct fn_csv_reader *r)
{
    if (!r)
        return;
    if (r->owns_fp && r->fp)
        fclose(r->fp);
    fn_free(r->name);
    fn_free(r->buf);
    fn_free(r->raw);
    fn_free(r->starts);
    fn_free(r->ends);
    fn_free(r->quoted);
    fn_free(r->fields);
    fn_free(r->lens);
    fn_free(r);
}

const char *fn_csv_error(const struct fn_csv_reader *r)
{
    return r->err;
}

const char *fn_csv_name(const struct fn_csv_reader *r)
{
    return r->name;
}

unsigned long long fn_csv_offset(const struct fn_csv_reader *r)
{
    return r->consumed + r->pos;
}

unsigned long long fn_csv_size(const struct fn_csv_reader *r)
{
    return r->size;
}

/* Moves unread bytes to the front and reads more. Returns FN_OK (maybe with
 * eof set), FN_IO or FN_NOMEM. */
static fn_status reader_fill(struct fn_csv_reader *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->consumed += r->pos;
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->end < READ_CHUNK) {
        size_t cap = r->cap * 2;
        char *nb = fn_realloc(r->buf, cap + 1);
        if (!nb)
            return FN_NOMEM;
        r->buf = nb;
        r->cap = cap;
    }
    size_t n = 0;
    if (r->pipe_fd >= 0) {
        ssize_t got;
        do
            got = read(r->pipe_fd, r->buf + r->end, r->cap - r->end);
        while (got < 0 && errno == EINTR);
        if (got < 0)
            return FN_IO;
        n = (size_t)got;
    } else {
        n = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
        if (n == 0 && ferror(r->fp))
            return FN_IO;
    }
    r->end += n;
    if (n == 0)
        r->eof = 1;
    if (!r->started && (r->end >= 3 || r->eof)) {
        r->started = 1;
        if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
            r->pos = 3;
    }
    return FN_OK;
}

enum scan_result { SCAN_ROW, SCAN_NEED_MORE, SCAN_BAD_QUOTE, SCAN_UNTERMINATED, SCAN_TOO_MANY };

/* Length of the line break at b[i] (1 for LF or a lone CR, 2 for CRLF), 0
 * when b[i] is no line break, -1 when a CR ends the buffer and more input
 * could still turn it into CRLF. Lone CRs are line ends: old Mac exports. */
static int line_break_at(const struct fn_csv_reader *r, size_t i)
{
    const char *b = r->buf;
    if (b[i] == '\n')
        return 1;
    if (b[i] != '\r')
        return 0;
    if (i + 1 < r->end)
        return b[i + 1] == '\n' ? 2 : 1;
    return r->eof ? 1 : -1;
}

/* Scans one row starting at r->pos without changing the bytes. On SCAN_ROW
 * the field tables are filled, *row_end is the index after the line break
 * and *newlines counts the line breaks inside the row (including its own). */
static enum scan_result scan_row(struct fn_csv_reader *r, size_t *nfields, size_t *row_end,
                                 long *newlines)
{
    const char *b = r->buf;
    const char delim = r->delim;
    size_t i = r->pos, n = 0;
    long nl = 0;
    enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } st = FIELD_START;
    size_t fstart = i;
    for (;; i++) {
        if (i >= r->end) {
            if (!r->eof)
                return SCAN_NEED_MORE;
            if (st == QUOTED)
                return SCAN_UNTERMINATED;
            /* last row without a line break; after a delimiter the last
             * field is empty and starts here */
            if (st == FIELD_START)
                fstart = i;
            if (n >= FN_CSV_MAX_FIELDS)
                return SCAN_TOO_MANY;
            r->starts[n] = fstart + (st == AFTER_QUOTE ? 1 : 0);
            r->ends[n] = st == AFTER_QUOTE ? i - 1 : i;
            r->quoted[n] = st == AFTER_QUOTE;
            n++;
            *nfields = n;
            *row_end = i;
            *newlines = nl;
            return SCAN_ROW;
        }
        char c = b[i];
        int brk = 0;
        switch (st) {
        case FIELD_START:
            fstart = i;
            if (c == '"') {
                st = QUOTED;
                break;
            }
            st = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            brk = line_break_at(r, i);
            if (brk < 0)
                return SCAN_NEED_MORE;
            if (c == delim || brk) {
                if (n >= FN_CSV_MAX_FIELDS)
                    return SCAN_TOO_MANY;
                r->starts[n] = fstart;
                r->ends[n] = i;
                r->quoted[n] = 0;
                n++;
                if (brk) {
                    *nfields = n;
                    *row_end = i + (size_t)brk;
                    *newlines = nl + 1;
                    return SCAN_ROW;
                }
                st = FIELD_START;
            }
            break;
        case QUOTED:
            if (c == '"') {
                st = AFTER_QUOTE;
            } else {
                brk = line_break_at(r, i);
                if (brk < 0)
                    return SCAN_NEED_MORE;
                if (brk) {
                    nl++;
                    i += (size_t)brk - 1;
                }
            }
            break;
        case AFTER_QUOTE:
            brk = line_break_at(r, i);
            if (brk < 0)
                return SCAN_NEED_MORE;
            if (c == '"') {
                st = QUOTED; /* escaped quote */
            } else if (c == delim || brk) {
                if (n >= FN_CSV_MAX_FIELDS)
                    return SCAN_TOO_MANY;
                r->starts[n] = fstart + 1;
                r->ends[n] = i - 1;
                r->quoted[n] = 1;
                n++;
                if (brk) {
                    *nfields = n;
                    *row_end = i + (size_t)brk;
                    *newlines = nl + 1;
                    return SCAN_ROW;
                }
                st = FIELD_START;
            } else {
                return SCAN_BAD_QUOTE;
            }
            break;
        }
        if ((size_t)(i - r->pos) >= r->max_row)
            return SCAN_NEED_MORE; /* caller checks the cap */
    }
}

/* Keeps up to FN_CSV_MAX_RAW bytes of the physical line at r->pos (without
 * its line break) as the raw text of a malformed row. */
static fn_status keep_raw_line(struct fn_csv_reader *r)
{
    size_t n = 0;
    while (r->pos + n < r->end && n < FN_CSV_MAX_RAW && r->buf[r->pos + n] != '\n' &&
           r->buf[r->pos + n] != '\r')
        n++;
    if (!r->raw) {
        r->raw = fn_malloc(FN_CSV_MAX_RAW + 1);
        if (!r->raw)
            return FN_NOMEM;
    }
    memcpy(r->raw, r->buf + r->pos, n);
    r->raw[n] = '\0';
    r->raw_len = n;
    return FN_OK;
}

/* Skips to just after the next line break at or after r->pos, reading as
 * needed and discarding what it passes. */
static fn_status skip_line(struct fn_csv_reader *r)
{
    for (;;) {
        for (size_t i = r->pos; i < r->end; i++) {
            int brk = line_break_at(r, i);
            if (brk > 0) {
                r->pos = i + (size_t)brk;
                r->line++;
                return FN_OK;
            }
            if (brk < 0) {
                r->pos = i; /* keep the CR: the next read decides */
                break;
            }
            r->pos = i + 1;
        }
        if (r->eof)
            return FN_OK;
        fn_status rc = reader_fill(r);
        if (rc)
            return rc;
        if (r->eof && r->pos == r->end)
            return FN_OK;
    }
}

static int is_blank_line(const struct fn_csv_reader *r, size_t nfields)
{
    return nfields == 1 && !r->quoted[0] && r->ends[0] == r->starts[0];
}

fn_status fn_csv_next(struct fn_csv_reader *r, struct fn_csv_row *row)
{
    fn_status rc;
    for (;;) {
        if (!r->started || (r->pos >= r->end && !r->eof)) {
            rc = reader_fill(r);
            if (rc)
                return rc;
        }
        if (r->pos >= r->end && r->eof)
            return FN_NOTFOUND;
        size_t nfields = 0, row_end = 0;
        long newlines = 0;
        enum scan_result sr = scan_row(r, &nfields, &row_end, &newlines);
        if (sr == SCAN_NEED_MORE) {
            if (r->end - r->pos > r->max_row) {
                long line = r->line;
                r->raw_len = 0;
                rc = skip_line(r);
                if (rc)
                    return rc;
                snprintf(r->err, sizeof r->err, "Zeile länger als %zu Bytes", r->max_row);
                row->line = row->line_last = line;
                row->nfields = 0;
                return FN_TOO_LARGE;
            }
            rc = reader_fill(r);
            if (rc)
                return rc;
            continue;
        }
        if (sr != SCAN_ROW) {
            long line = r->line;
            rc = keep_raw_line(r);
            if (rc)
                return rc;
            snprintf(r->err, sizeof r->err, "%s",
                     sr == SCAN_BAD_QUOTE  ? "Text nach schließendem Anführungszeichen"
                     : sr == SCAN_TOO_MANY ? "zu viele Felder"
                                           : "Anführungszeichen nicht geschlossen");
            rc = skip_line(r);
            if (rc)
                return rc;
            row->line = row->line_last = line;
            row->nfields = 0;
            return FN_INVALID;
        }
        long line = r->line;
        r->line += newlines;
        if (is_blank_line(r, nfields) && (row_end - r->pos) <= 2) {
            r->pos = row_end;
            continue;
        }
        /* Unquote in place: output never outruns input. */
        for (size_t f = 0; f < nfields; f++) {
            char *s = r->buf + r->starts[f];
            size_t len = r->ends[f] - r->starts[f];
            if (r->quoted[f]) {
                size_t w = 0;
                for (size_t k = 0; k < len; k++) {
                    s[w++] = s[k];
                    if (s[k] == '"' && k + 1 < len && s[k + 1] == '"')
                        k++;
                }
                len = w;
                /* the export's formula guard: "'=..." back to "=..." */
                if (r->excel_unguard && len >= 2 && s[0] == '\'' && starts_formula(s[1])) {
                    memmove(s, s + 1, len - 1);
                    len--;
                }
            }
            s[len] = '\0';
            r->fields[f] = s;
            r->lens[f] = len;
        }
        r->pos = row_end;
        row->nfields = nfields;
        row->fields = r->fields;
        row->lens = r->lens;
        row->line = line;
        row->line_last = line + (newlines > 0 ? newlines - 1 : 0);
        return FN_OK;
    }
}

char fn_csv_detect_delimiter(struct fn_csv_reader *r)
{
    /* A pipe may deliver the header line in pieces. */
    while (!r->eof && r->end - r->pos < r->max_row &&
           (!r->started || !memchr(r->buf + r->pos, '\n', r->end - r->pos))) {
        if (reader_fill(r) != FN_OK)
            return r->delim;
    }
    size_t commas = 0, semicolons = 0;
    int quoted = 0;
    for (size_t i = r->pos; i < r->end; i++) {
        char c = r->buf[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            commas++;
        else if (!quoted && c == ';')
            semicolons++;
    }
    if (semicolons > 0 && commas == 0) {
        r->delim = ';';
        r->excel_unguard = 1;
    }
    return r->delim;
}

const char *fn_csv_raw(const struct fn_csv_reader *r, size_t *len)
{
    *len = r->raw_len;
    return r->raw_len ? r->raw : "";
}

int fn_csv_find_column(const struct fn_csv_row *header, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < header->nfields; i++) {
        const char *s = header->fields[i];
        size_t len = header->lens[i];
        while (len && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len == nlen && memcmp(s, name, len) == 0)
            return (int)i;
    }
    return -1;
}

/* ---- writer ---- */

static fn_status writer_bytes(struct fn_csv_writer *w, const char *s, size_t n)
{
    if (w->failed)
        return FN_IO;
    if (n && fwrite(s, 1, n, w->fp) != n) {
        w->failed = 1;
        return FN_IO;
    }
    return FN_OK;
}

fn_status fn_csv_writer_init(struct fn_csv_writer *w, FILE *fp, unsigned flags)
{
    w->fp = fp;
    w->flags = flags;
    w->row_has_field = 0;
    w->failed = 0;
    if (flags & FN_CSV_BOM)
        return writer_bytes(w, "\xEF\xBB\xBF", 3);
    return FN_OK;
}

fn_status fn_csv_put(struct fn_csv_writer *w, const char *s, size_t len)
{
    char delim = (w->flags & FN_CSV_SEMICOLON) ? ';' : ',';
    fn_status rc = FN_OK;
    if (w->row_has_field) {
        rc = writer_bytes(w, &delim, 1);
        if (rc)
            return rc;
    }
    w->row_has_field = 1;
    int excel_guard = (w->flags & FN_CSV_EXCEL_SAFE) && len > 0 && starts_formula(s[0]);
    int quote = excel_guard || (len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return writer_bytes(w, s, len);
    rc = writer_bytes(w, "\"", 1);
    if (!rc && excel_guard)
        rc = writer_bytes(w, "'", 1);
    size_t from = 0;
    for (size_t i = 0; i < len && !rc; i++) {
        if (s[i] == '"') {
            rc = writer_bytes(w, s + from, i + 1 - from);
            from = i; /* the quote is written again: "" */
        }
    }
    if (!rc)
        rc = writer_bytes(w, s + from, len - from);
    if (!rc)
        rc = writer_bytes(w, "\"", 1);
    return rc;
}

fn_status fn_csv_put_str(struct fn_csv_writer *w, const char *s)
{
    return fn_csv_put(w, s ? s : "", s ? strlen(s) : 0);
}

fn_status fn_csv_put_long(struct fn_csv_writer *w, long long v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    return fn_csv_put(w, tmp, (size_t)n);
}

fn_status fn_csv_put_double(struct fn_csv_writer *w, double v, int decimals)
{
    char tmp[64];
    if (decimals < 0 || decimals > 12)
        decimals = 6;
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return FN_INVALID;
    if (w->flags & FN_CSV_SEMICOLON) {
        /* German Excel reads a decimal comma */
        for (int i = 0; i < n; i++)
            if (tmp[i] == '.')
                tmp[i] = ',';
    }
    return fn_csv_put(w, tmp, (size_t)n);
}

fn_status fn_csv_end_row(struct fn_csv_writer *w)
{
    w->row_has_field = 0;
    if (w->flags & FN_CSV_CRLF)
        return writer_bytes(w, "\r\n", 2);
    return writer_bytes(w, "\n", 1);
}

fn_status fn_csv_put_row(struct fn_csv_writer *w, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fn_status rc = fn_csv_put_str(w, fields[i]);
        if (rc)
            return rc;
    }
    return fn_csv_end_row(w);
}
