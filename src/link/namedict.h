/*
 * namedict.h – a dictionary of name values: each distinct value once.
 *
 * Registers repeat names massively (a million records hold a few ten
 * thousand distinct family names), so the comparison keys of a name
 * (normalize.h, ~400 bytes) are computed and stored once per distinct value,
 * and a record holds only a 32-bit id. The same id on both sides means the
 * same written value, which the comparator can answer without looking.
 *
 * The dictionary also counts how often each value occurs in each of up to
 * LINK_NAME_DICT_SLOTS uses (e.g. slot 0 family names, slot 1 given names,
 * both registers together), and after link_name_dict_build groups values
 * with the same romanised key (ascii): the term frequency of "Mohammad" as
 * a given name is the share of given names that romanise to "mohammad",
 * whatever the script or case they were written in. That frequency drives the term-frequency
 * adjustment of the match weight (a rare family name agreeing is stronger evidence than a common
 * one).
 *
 * Not thread-safe while adding; after link_name_dict_build every reader
 * function is pure and may be called from any thread.
 */
#ifndef FN_LINK_NAMEDICT_H
#define FN_LINK_NAMEDICT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "link/compare.h"
#include "link/normalize.h"

#define LINK_NAME_DICT_MAX   0x3fffffffu /* ids fit in 30 bits */
#define LINK_NAME_DICT_SLOTS 4

enum link_name_kind { LINK_NAME_PERSON = 0, LINK_NAME_PLACE = 1 };

struct link_name_dict;

/* Creates an empty dictionary for person names or places. *out is freed
 * with link_name_dict_free. */
FN_MUST_CHECK fn_status link_name_dict_new(enum link_name_kind kind, struct link_name_dict **out);
/* Frees d and everything it holds; accepts NULL. */
void link_name_dict_free(struct link_name_dict *d);

/* Interns s[0..len) (the caller trims; the bytes are copied) and counts one
 * occurrence in slot (0..LINK_NAME_DICT_SLOTS-1). *id receives the value's id. FN_TOO_LARGE when
 * the dictionary holds LINK_NAME_DICT_MAX values. Must not be called after
 * link_name_dict_build. */
FN_MUST_CHECK fn_status link_name_dict_add(struct link_name_dict *d, const char *s, size_t len,
                                           int slot, uint32_t *id);

/* Computes the keys of every value (in parallel on `threads` threads, each
 * with its own transliterator) and the term-frequency groups. A value that
 * cannot be normalised (invalid UTF-8) gets empty keys. */
FN_MUST_CHECK fn_status link_name_dict_build(struct link_name_dict *d, int threads);

/* Number of distinct values. */
size_t link_name_dict_size(const struct link_name_dict *d);
/* The value as added (NUL-terminated). */
const char *link_name_dict_value(const struct link_name_dict *d, uint32_t id);
/* The keys of a value (after build). */
const struct link_name_keys *link_name_dict_keys(const struct link_name_dict *d, uint32_t id);
/* The signature of a value's keys (after build). */
const struct link_name_sig *link_name_dict_sig(const struct link_name_dict *d, uint32_t id);
/* The table the token signatures of the values are in (after build), for
 * link_name_sig_different and link_compare_names_sig. */
const struct link_token_sig *link_name_dict_token_sigs(const struct link_name_dict *d);
/* Share (0..1] of the occurrences counted in slot whose value has the same
 * romanised key as id's; 0 for an empty value or an unused slot. After
 * build. */
double link_name_dict_frequency(const struct link_name_dict *d, uint32_t id, int slot);

#endif
