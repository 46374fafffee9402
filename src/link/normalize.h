/*
 * normalize.h – the comparison keys of one name field.
 *
 * A name is compared on several keys, never one (stack.md § 1b: Arabic
 * script has no short vowels, every romanisation is lossy):
 *   folded    – NFKC + case fold, as written (any script)
 *   ascii     – romanised, lower-case ASCII, hyphens/apostrophes to blanks,
 *               particles and prefixes (al, el, ul, abd/abdul joined to the
 *               next token, ben, bin, ibn, van, von, de, da, ...) handled so
 *               that "Abd al-Aziz", "Abdulaziz" and "Abdel Aziz" meet
 *   tokens    – the tokens of ascii (particles dropped), in written order
 *   sorted    – the tokens sorted and joined: order-independent key
 *   skeleton  – consonant skeleton of the joined tokens (vowels and h/w/y
 *               after the first letter dropped, doubled letters squeezed),
 *               for names from scripts without written vowels
 *   skel_first – consonant skeleton of the first written token alone
 *               (blocking keys that survive a dropped middle name)
 *   koeln     – Kölner Phonetik code of the joined tokens
 *   dm_pri/dm_alt – Double Metaphone codes of the joined tokens (used by
 *               the comparator for one-token names only: the codes are cut
 *               at four characters)
 * Keys have fixed maximum sizes (longer names are cut at a token boundary);
 * the struct holds no heap memory, so arrays of it are cheap.
 */
#ifndef FN_LINK_NORMALIZE_H
#define FN_LINK_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "link/phonetic.h"
#include "link/translit.h"

#define LINK_KEY_MAX         96 /* bytes incl. NUL for folded/ascii/sorted */
#define LINK_CODE_MAX        32 /* bytes incl. NUL for skeleton/phonetic codes */
#define LINK_NAME_MAX_TOKENS 8

struct link_name_keys {
    /* the small fields first: they share a cache line with the start of
     * folded */
    uint8_t empty; /* 1 when the field was empty/blank */
    uint8_t ntokens;
    uint8_t tok_off[LINK_NAME_MAX_TOKENS]; /* offsets of the tokens in ascii */
    uint8_t tok_len[LINK_NAME_MAX_TOKENS];
    char dm_pri[LINK_DM_CODE_LEN + 1];
    char dm_alt[LINK_DM_CODE_LEN + 1];
    char folded[LINK_KEY_MAX];
    char ascii[LINK_KEY_MAX];  /* tokens joined by single blanks */
    char sorted[LINK_KEY_MAX]; /* tokens sorted, joined by single blanks */
    char skeleton[LINK_CODE_MAX];
    char skel_first[LINK_CODE_MAX]; /* skeleton of the first written token (blocking) */
    char koeln[LINK_CODE_MAX];
};

/* Fills *out from UTF-8 s[0..len). An empty or blank field gives empty keys
 * with out->empty = 1. Invalid UTF-8 is FN_INVALID. t is the calling
 * thread's transliterator. */
FN_MUST_CHECK fn_status link_name_keys_make(struct link_translit *t, const char *s, size_t len,
                                            struct link_name_keys *out);

/* Keys of a place name ("Damaskus", "Damascus", "دمشق"): same as a name
 * but with German/English exonym pairs folded where known. */
FN_MUST_CHECK fn_status link_place_keys_make(struct link_translit *t, const char *s, size_t len,
                                             struct link_name_keys *out);

#endif
