/*
 * phonetic.h – phonetic codes for lower-case ASCII names.
 *
 * Kölner Phonetik suits German spellings of names (Meier/Meyer/Mayer);
 * Double Metaphone (Philips 2000) suits English/French-influenced
 * transliterations and gives a primary and an alternate code. Pure.
 */
#ifndef FN_LINK_PHONETIC_H
#define FN_LINK_PHONETIC_H

#include <stddef.h>

/* Writes the Kölner Phonetik code of ASCII s into out (NUL-terminated, cut
 * to size-1). Non-letters separate words and are ignored. */
void link_koelner_phonetik(const char *s, char *out, size_t size);

#define LINK_DM_CODE_LEN 4 /* characters per Double Metaphone code */

/* Writes the Double Metaphone primary and alternate codes of ASCII s (at
 * most LINK_DM_CODE_LEN characters each, NUL-terminated; only the first 64
 * characters of s are read). Letters are case-insensitive; other characters
 * carry no sound but keep their place (a blank ends a word for the rules
 * that look at word ends). */
void link_double_metaphone(const char *s, char primary[LINK_DM_CODE_LEN + 1],
                           char alternate[LINK_DM_CODE_LEN + 1]);

#endif
