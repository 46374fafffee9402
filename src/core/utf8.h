/*
 * utf8.h – small UTF-8 helpers that need no ICU.
 *
 * Normalisation (NFKC, case folding, transliteration) lives in src/link and
 * uses ICU; these helpers validate, decode and trim, and are cheap enough for
 * the hot paths of CSV reading.
 */
#ifndef FN_CORE_UTF8_H
#define FN_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 when s[0..len) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF), else 0. When bad_offset is not NULL
 * it receives the offset of the first bad byte. */
int fn_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decodes one code point at s[0..len). Returns the number of bytes used
 * (1..4) and stores the code point, or returns 0 on malformed input. */
size_t fn_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (room for 4 bytes); returns bytes written, 0 if cp is
 * not a scalar value. */
size_t fn_utf8_encode(uint32_t cp, char out[4]);

/* Number of code points in a valid UTF-8 string. */
size_t fn_utf8_length(const char *s, size_t len);

/* Trims ASCII white space (space, tab, CR, LF, VT, FF) and U+00A0 from both
 * ends: *start and *len are narrowed in place. */
void fn_utf8_trim(const char **start, size_t *len);

/* Returns 1 when every byte is ASCII. */
int fn_utf8_is_ascii(const char *s, size_t len);

/* Where to cut s[0..len) so that at most max bytes remain: the largest
 * prefix length <= max that ends on a character boundary. It never splits a
 * multi-byte sequence, and it does not separate a base character from the
 * combining marks, variation selectors or joiners that follow it (unless the
 * whole prefix would be one such cluster; then it cuts between code points).
 * Returns len when len <= max. Invalid UTF-8 is cut between bytes. */
size_t fn_utf8_truncate(const char *s, size_t len, size_t max);

/* Copies the longest prefix of the NUL-terminated src that fits into dst
 * (size bytes including the NUL; size > 0) without splitting a character
 * (fn_utf8_truncate). Returns 1 when src was cut, else 0. src may be NULL
 * (copied as ""). Borrows both. */
int fn_utf8_copy(char *dst, size_t size, const char *src);

/* Makes a NUL-terminated string that may have been cut mid-character (e.g.
 * by snprintf) end on a character boundary again by dropping an incomplete
 * sequence at its end. */
void fn_utf8_trim_partial(char *s);

/* Length of the next character at s[0..len): 1..4 for a well-formed
 * sequence, 0 for a malformed one (which callers replace with U+FFFD, one
 * byte at a time). len > 0. */
size_t fn_utf8_next(const char *s, size_t len);

#endif
