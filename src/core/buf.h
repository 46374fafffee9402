/*
 * buf.h – bounded growable byte buffer (curl's dynbuf idea).
 *
 * Every buffer has a hard cap chosen where it is used; appending past the cap
 * fails with FN_TOO_LARGE and leaves the content as it was. The content is
 * always NUL-terminated (data may be NULL while len == 0).
 */
#ifndef FN_CORE_BUF_H
#define FN_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct fn_buf {
    char *data; /* owned; NUL-terminated when not NULL */
    size_t len; /* bytes used, without the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard cap on len */
};

/* Common caps. */
#define FN_BUF_SMALL (64u * 1024u)
#define FN_BUF_LINE  (1024u * 1024u)
#define FN_BUF_BODY  (16u * 1024u * 1024u)

/* Starts an empty buffer that may grow to max bytes. Allocates nothing. */
void fn_buf_init(struct fn_buf *b, size_t max);
/* Releases the storage; the buffer is empty and reusable. Accepts NULL. */
void fn_buf_free(struct fn_buf *b);
/* Empties without releasing storage. */
void fn_buf_reset(struct fn_buf *b);

FN_MUST_CHECK fn_status fn_buf_append(struct fn_buf *b, const void *data, size_t len);
FN_MUST_CHECK fn_status fn_buf_append_str(struct fn_buf *b, const char *s);
FN_MUST_CHECK fn_status fn_buf_append_char(struct fn_buf *b, char c);
FN_MUST_CHECK fn_status fn_buf_appendf(struct fn_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
FN_MUST_CHECK fn_status fn_buf_vappendf(struct fn_buf *b, const char *fmt, va_list ap);
/* Writes v in decimal, as "%lld" prints it (INT64_MIN too), NUL-terminated
 * into out; returns the length. For hot paths where snprintf's format
 * parsing dominates (JSON numbers, audit row fields). */
#define FN_I64_CHARS 21 /* "-9223372036854775808" and the NUL */
size_t fn_format_i64(int64_t v, char out[FN_I64_CHARS]);

/* Writes v % 10^width as exactly width decimal digits with leading zeros
 * (what "%0<width>u" prints for v below 10^width), no NUL; returns the end. */
char *fn_format_digits(char *out, unsigned v, unsigned width);

/* Makes room for at least extra more bytes. */
FN_MUST_CHECK fn_status fn_buf_reserve(struct fn_buf *b, size_t extra);

/* Returns the content as a NUL-terminated string ("" when empty); the buffer
 * keeps ownership. */
const char *fn_buf_str(const struct fn_buf *b);

/* Takes the content out: the caller owns the returned string (never NULL on
 * success; "" allocated when empty) and the buffer is reset to empty. */
FN_MUST_CHECK fn_status fn_buf_take(struct fn_buf *b, char **out);

#endif
