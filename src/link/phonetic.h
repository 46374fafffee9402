/*
 * phonetic.h – phonetic codes for lower-case ASCII names.
 *
 * Kölner Phonetik suits German spellings of names (Meier/Meyer/Mayer). A
 * second algorithm for English/French-influenced transliterations (Double
 * Metaphone or Daitch–Mokotoff, issue 3) is not written yet; the consonant
 * skeleton in normalize.c covers part of that ground meanwhile. Pure.
 */
#ifndef FN_LINK_PHONETIC_H
#define FN_LINK_PHONETIC_H

#include <stddef.h>

/* Writes the Kölner Phonetik code of ASCII s into out (NUL-terminated, cut
 * to size-1). Non-letters separate words and are ignored. */
void link_koelner_phonetik(const char *s, char *out, size_t size);

#endif
