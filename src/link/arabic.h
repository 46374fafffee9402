/*
 * arabic.h – names written in the Arabic script (Arabic, Persian, Dari,
 * Pashto, Kurdish Sorani, Urdu) romanised for matching.
 *
 * A register writes such a name either in the script or in one of many
 * Latin spellings (علي: Ali; عيسى: Issa, Isa, Eisa; جمعة: Jumaa, Juma).
 * ICU's romanisation (BGN) is made to be reversible, not to look like those
 * spellings: it drops a word-initial alef (اسد "sd"), writes ayn and hamza
 * as apostrophes, ta marbuta as "h" and alef maqsura as "y" (عيسى "'ysy").
 * This romanisation writes what the Latin spellings write instead:
 *   - a word-initial alef or ayn as its vowel (علي "ali", إياد "iyad",
 *     عيسى "isa", عائشة "aisha"); an ayn inside a word as "a" unless a
 *     long vowel letter stands next to it (جمعة "jmaa", معاذ "maz");
 *   - waw and ya as the vowels u and i, but as the consonants w and y at the
 *     start of a word and next to a long vowel (داود "dawud", نوید "nwid",
 *     إياد "iyad");
 *   - ta marbuta and alef maqsura as "a" (الحسكة "hska", ليلى "lila");
 *   - the article ال of a word with at least two more letters dropped
 *     (the Latin spellings write it as a separate particle or not at all);
 *   - ث ذ ظ as s, z, z (Osman, Muaz, Kazim), ض as d, in Persian-script
 *     names (a letter only Persian has: پ چ ژ گ ک ی) as z;
 *   - the letters of Persian, Pashto, Kurdish and Urdu by their sound;
 *     vowel marks (harakat) as their vowels; tatweel and hamza as nothing.
 * Pure and table-driven; no allocation beyond out.
 */
#ifndef FN_LINK_ARABIC_H
#define FN_LINK_ARABIC_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* 1 when UTF-8 s[0..n) holds a letter of the Arabic script blocks. */
int link_arabic_script(const char *s, size_t n);

/* Appends the romanisation of s[0..n) (NFKC-folded UTF-8) to out: lower-case
 * ASCII, words separated as written (blanks and hyphens kept, other
 * punctuation becomes a blank), ASCII letters and digits kept, Arabic-Indic
 * digits as ASCII digits. FN_UNSUPPORTED when s holds a character that is
 * neither ASCII nor of the Arabic script (the caller then uses the general
 * transliterator); FN_INVALID for invalid UTF-8. out is borrowed. */
FN_MUST_CHECK fn_status link_arabic_romanize(const char *s, size_t n, struct fn_buf *out);

#endif
