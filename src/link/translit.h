/*
 * translit.h – names in any script to lower-case ASCII.
 *
 * ICU's transliterator is slow to open (~31 ms) and not thread-safe, so the
 * chain from ../shared/stack.md § 1b
 *   "Russian-Latin/BGN; Arabic-Latin/BGN; Any-Latin; Latin-ASCII; [^\u0000-\u007F] Remove"
 * is opened once per process (lazily, under a lock) and each thread works on
 * its own clone (struct link_translit). Latin-script input takes a fast path
 * that does not call ICU at all (a table for Latin-1/Latin Extended-A/B
 * letters: ä→a, ö→o, ü→u, ß→ss, ş→s, ć→c, ł→l, ...), because most register
 * names are Latin and ICU costs ~15 µs per name.
 */
#ifndef FN_LINK_TRANSLIT_H
#define FN_LINK_TRANSLIT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

struct link_translit;

/* Creates a per-thread transliterator. Caller frees with link_translit_free.
 * FN_UNSUPPORTED when ICU lacks a transform of the chain. */
FN_MUST_CHECK fn_status link_translit_new(struct link_translit **out);
/* Accepts NULL. */
void link_translit_free(struct link_translit *t);

/* Appends the ASCII, lower-case romanisation of UTF-8 s[0..len) to out
 * (NFKC and case folding first; German umlauts fold to the plain vowel,
 * ß to ss; characters without a romanisation are dropped). Invalid UTF-8 is
 * FN_INVALID. */
FN_MUST_CHECK fn_status link_translit_ascii(struct link_translit *t, const char *s, size_t len,
                                            struct fn_buf *out);

/* Appends the NFKC + case-folded form of s (same script, trimmed, internal
 * white space collapsed to one blank) to out: the "as written" key, used to
 * tell a mere case/white-space difference from a real one. */
FN_MUST_CHECK fn_status link_translit_fold(struct link_translit *t, const char *s, size_t len,
                                           struct fn_buf *out);

#endif
