/*
 * escape.h – the one JSON string escaper and the one HTML escaper.
 *
 * Every hand-built JSON string and every HTML text or attribute value goes
 * through these. Both take text as it comes (possibly cut or invalid UTF-8
 * from outside) and always produce valid UTF-8: a malformed byte becomes
 * U+FFFD, so one bad value cannot break a whole document. They fail only
 * when the buffer's cap is reached (FN_TOO_LARGE) or memory runs out.
 */
#ifndef FN_CORE_ESCAPE_H
#define FN_CORE_ESCAPE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* Appends s[0..len) to b as the inside of a JSON string (no quotes): '"'
 * and '\\' escaped, control characters as \n, \t, ... or \u00XX, U+2028 and
 * U+2029 as \u2028 / \u2029 (JavaScript line terminators), malformed bytes
 * as U+FFFD. Borrows s. */
FN_MUST_CHECK fn_status fn_json_escape(struct fn_buf *b, const char *s, size_t len);

/* The length of the longest prefix of s (NUL-terminated) that
 * fn_json_escape copies unchanged because it is printable ASCII other than
 * '"' and '\\'; lets a caller copy a plain string in one piece. */
size_t fn_json_plain_prefix(const char *s);

/* Appends the NUL-terminated s (NULL = "") as a quoted JSON string. */
FN_MUST_CHECK fn_status fn_json_string(struct fn_buf *b, const char *s);

/* Appends s[0..len) to b escaped for HTML text and quoted attribute values:
 * & < > " ' as entities; control characters other than tab, LF and CR and
 * malformed bytes as U+FFFD. Borrows s. */
FN_MUST_CHECK fn_status fn_html_escape(struct fn_buf *b, const char *s, size_t len);

/* Appends s[0..len) to b with every malformed byte replaced by U+FFFD, so
 * the result is valid UTF-8 (NUL bytes are kept). *replaced (may be NULL)
 * receives the number of replacements. Borrows s. */
FN_MUST_CHECK fn_status fn_utf8_sanitize(struct fn_buf *b, const char *s, size_t len,
                                         size_t *replaced);

#endif
