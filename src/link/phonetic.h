/*
 * phonetic.h – phonetic codes for lower-case ASCII names.
 *
 * Kölner Phonetik suits German spellings of names (Meier/Meyer/Mayer);
 * Double Metaphone covers English/French-influenced transliterations
 * (Mohammed/Muhammad, Shcherbakov/Scherbakow). Both are pure functions.
 */
#ifndef FN_LINK_PHONETIC_H
#define FN_LINK_PHONETIC_H

#include <stddef.h>

/* Writes the Kölner Phonetik code of ASCII s into out (NUL-terminated, cut
 * to size-1). Non-letters separate words and are ignored. */
void link_koelner_phonetik(const char *s, char *out, size_t size);

/* Writes the Double Metaphone primary and alternate codes of ASCII s (each
 * NUL-terminated, cut to size-1; the alternate equals the primary when the
 * name has none). */
void link_double_metaphone(const char *s, char *primary, char *alternate, size_t size);

#endif
