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

#endif
