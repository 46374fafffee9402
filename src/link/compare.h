/*
 * compare.h – field comparators with graded agreement levels.
 *
 * The record-level model (Fellegi–Sunter) works on these discrete levels;
 * the raw similarities are also returned for explanations. All functions are
 * pure and thread-safe.
 */
#ifndef FN_LINK_COMPARE_H
#define FN_LINK_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "core/pdate.h"
#include "link/normalize.h"

/* Jaro–Winkler similarity of two byte strings (0..1; 1 = equal; two empty
 * strings give 1). Prefix scale 0.1, prefix up to 4. */
double link_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/* Damerau–Levenshtein distance (optimal string alignment: adjacent
 * transpositions count 1). Stops early: returns max + 1 when the distance
 * exceeds max. Strings longer than 255 bytes are compared on their first 255. */
int link_damerau_levenshtein(const char *a, size_t alen, const char *b, size_t blen, int max);

enum link_name_level {
    LINK_NAME_MISSING = 0, /* one side empty */
    LINK_NAME_EXACT,       /* folded keys equal */
    LINK_NAME_TRANSLIT,    /* ascii or sorted keys equal (spelling/script/order) */
    LINK_NAME_PHONETIC,    /* skeleton or Kölner codes agree */
    LINK_NAME_SIMILAR,     /* high string similarity, a token subset
                            * (missing middle name) or skeletons one
                            * consonant apart */
    LINK_NAME_WEAK,        /* some similarity, e.g. one shared rare token */
    LINK_NAME_DIFFERENT,
    LINK_NAME_LEVELS
};

/* Compares two name fields on all keys; *similarity (may be NULL) receives a
 * 0..1 score (token-set Jaro–Winkler on the ascii keys). */
enum link_name_level link_compare_names(const struct link_name_keys *a,
                                        const struct link_name_keys *b, double *similarity);

/* Order-independent token-set similarity: each token of the shorter name
 * matched to its best partner (Jaro–Winkler), averaged; 0..1. */
double link_token_set_similarity(const struct link_name_keys *a, const struct link_name_keys *b);

/* 1 when every token of small occurs in big, which has more tokens (a
 * missing middle name; ascii keys). */
int link_tokens_subset(const struct link_name_keys *small, const struct link_name_keys *big);

/* The swap rule on levels already computed: family and given names look
 * swapped when one cross comparison (a's family with b's given names, or
 * the other way) agrees at least phonetically, the other at least weakly
 * (a swap often comes with a dropped middle name or a typo), and together
 * they are better than the straight ones. */
int link_names_swapped_levels(enum link_name_level straight_f, enum link_name_level straight_g,
                              enum link_name_level cross_1, enum link_name_level cross_2);

/* 1 when family and given names appear swapped (link_names_swapped_levels
 * on the four comparisons). */
int link_names_swapped(const struct link_name_keys *fam_a, const struct link_name_keys *giv_a,
                       const struct link_name_keys *fam_b, const struct link_name_keys *giv_b);

/* A compact signature of a name's keys, one cache line: 32-bit hashes of the
 * keys, for a fast test of whether two names agree at least phonetically,
 * and letter counts, for a fast proof that two names are too far apart to
 * be even "weak" (link_name_sig_different), both without touching the
 * keys. A hash collision can only make the fast test say "maybe": the keys
 * then decide. */
struct link_name_sig {
    uint64_t hist[2];   /* counts (nibbles) of the ascii key's bytes in 32 classes */
    uint64_t skel_hist; /* counts (nibbles) of the skeleton's bytes in 16 classes */
    uint32_t folded, ascii, sorted, skel, koeln; /* 0 = key absent */
    uint16_t dm[2];                              /* Double Metaphone codes, 0 = absent */
    uint32_t tokens;                             /* names of 2+ tokens: index of the first token
                                                  * signature in the owner's table */
    char ascii_pre[4], skel_pre[4];              /* first bytes of the keys, NUL-padded */
    uint8_t ascii_len, skel_len;                 /* key lengths, cut at 255 like the comparators */
    uint8_t ntokens;
    uint8_t bounded; /* the letter counts are usable: they fit their nibbles,
                      * and a name of 2+ tokens has its token signatures */
};

/* One token of a name of several tokens (its letter counts). */
struct link_token_sig {
    uint64_t hist[2];
    char pre[4];
    uint8_t len;
};

/* Fills *out from k. A name of one token is complete; for a name of more,
 * call link_name_sig_tokens as well. */
void link_name_sig_make(const struct link_name_keys *k, struct link_name_sig *out);

/* For a name of two or more tokens: writes its k->ntokens token signatures
 * to table[index ...] and records index in *sig. The table belongs to the
 * caller (link_name_dict keeps one per dictionary). */
void link_name_sig_tokens(const struct link_name_keys *k, struct link_name_sig *sig,
                          struct link_token_sig *table, uint32_t index);

/* 1 when link_compare_names(a, b) returns LINK_NAME_PHONETIC or better for
 * the keys the signatures were made of (exact up to hash collisions, which
 * only give a false 1); 0 for an empty name. */
static inline int link_name_sig_phonetic(const struct link_name_sig *a,
                                         const struct link_name_sig *b)
{
    if (!a->folded || !b->folded)
        return 0;
    if (a->folded == b->folded || (a->ascii && a->ascii == b->ascii) ||
        (a->sorted && a->sorted == b->sorted) || (a->skel && a->skel == b->skel) ||
        (a->koeln && a->koeln == b->koeln))
        return 1;
    if (a->ntokens == 1 && b->ntokens == 1 && a->ascii_pre[0] == b->ascii_pre[0])
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                if (a->dm[i] && a->dm[i] == b->dm[j])
                    return 1;
    return 0;
}

/* 1 only when link_compare_names(a, b) is certainly LINK_NAME_DIFFERENT for
 * two names whose keys do not agree (link_name_sig_phonetic 0): upper
 * bounds of the token-set similarity and of the skeletons' Jaro-Winkler,
 * from the letter counts, stay below the thresholds. 0 means "compare".
 * tokens: the table the signatures' token signatures are in (may be NULL
 * when neither name has more than one token). */
int link_name_sig_different(const struct link_name_sig *a, const struct link_name_sig *b,
                            const struct link_token_sig *tokens);

/* link_compare_names with the key checks done on the signatures of a and b
 * (link_name_sig_make): the same level, faster for names that differ.
 * tokens as for link_name_sig_different. */
enum link_name_level link_compare_names_sig(const struct link_name_keys *a,
                                            const struct link_name_keys *b,
                                            const struct link_name_sig *sa,
                                            const struct link_name_sig *sb,
                                            const struct link_token_sig *tokens);

enum link_date_level {
    LINK_DATE_MISSING = 0, /* one side unknown */
    LINK_DATE_EXACT,       /* same full date, or same partial date */
    LINK_DATE_PARTIAL,     /* compatible: a partial date agrees with the other's known parts */
    LINK_DATE_PLACEHOLDER, /* YYYY-01-01 on one side, same year and other day/month */
    LINK_DATE_SWAPPED,     /* day and month swapped (1990-03-07 / 1990-07-03) */
    LINK_DATE_TYPO,        /* one digit differs, year ±1 with same day and month,
                            * or day ±1 with same year and month */
    LINK_DATE_DIFFERENT,
    LINK_DATE_LEVELS
};

enum link_date_level link_compare_dates(const struct fn_pdate *a, const struct fn_pdate *b);

enum link_exact_level {
    LINK_EXACT_MISSING = 0,
    LINK_EXACT_EQUAL,
    LINK_EXACT_CLOSE, /* e.g. one digit differs or a transposition (codes, postcodes) */
    LINK_EXACT_DIFFERENT,
    LINK_EXACT_LEVELS
};

/* Codes and identifiers (AZR number, country, sex, postcode): compared after
 * trimming and case folding; CLOSE for one edit in codes of three or more
 * characters (m/f is DIFFERENT). */
enum link_exact_level link_compare_codes(const char *a, size_t alen, const char *b, size_t blen);

/* Human-readable German label of a level ("exakt", "Schreibvariante", ...),
 * for explanations. Never NULL. */
const char *link_name_level_label(enum link_name_level l);
const char *link_date_level_label(enum link_date_level l);
const char *link_exact_level_label(enum link_exact_level l);

#endif
